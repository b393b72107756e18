/*
 * trending.c — tests store_story_trending (src/store/sqlite.c, kept precomputed by schema 7)
 * against its formula written out as one SQL query over the raw views and stories: random
 * stories over several outlets and days, views inside and outside the 48-hour window, views
 * added to existing hours, articles moved between stories (their views go with them), an empty
 * store, the fresh stories that score nothing, and a database migrated from schema 6 with its
 * views already there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../tmpdir.h"

#include "chapar.h"

#define NOW 1732800000LL
#define MAX_STORIES 64

/* The formula of store.h as a query: every view, halved every 6 hours, plus two points per
 * outlet beyond the first halved every 12 hours since the latest article; stories with a view
 * or an article in the last 48 hours; ties by the latest article, then the id. */
static const char reference_sql[] =
	"WITH heat AS (SELECT a.story_id AS story, sum(v.count * pow(0.5, (?1 - v.hour) / 6.0)) AS h,"
	"   max(v.hour) AS lv FROM views v JOIN articles a ON a.id = v.article_id"
	"   WHERE a.story_id IS NOT NULL GROUP BY a.story_id)"
	" SELECT t.id, coalesce(heat.h, 0) + 2.0 * (t.n_sources - 1) * pow(0.5, max(0, ?2 - t.updated) / 43200.0)"
	" AS score FROM stories t LEFT JOIN heat ON heat.story = t.id"
	" WHERE heat.lv >= ?1 - 48 OR t.updated >= ?2 - 172800"
	" ORDER BY score DESC, t.updated DESC, t.id DESC";

struct fixture {
	char dir[64], path[128];
	struct store *st;
	int64_t sources[6];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/chapar-trend-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	if (store_open(f->path, &f->st, NULL) != CH_OK)
		return -1;
	for (int i = 0; i < 6; i++) {
		char name[32], url[64];
		snprintf(name, sizeof name, "outlet %d", i);
		snprintf(url, sizeof url, "https://outlet%d/rss", i);
		struct source s = { .name = name, .feed_url = url };
		if (store_source_add(f->st, &s, &f->sources[i], NULL) != CH_OK)
			return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	int rc = tmpdir_remove(f->dir);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* put: store one article of source src published at t; its id. */
static int64_t put(struct fixture *f, int64_t src, int n, int64_t t)
{
	char url[64], title[64];
	snprintf(url, sizeof url, "https://x/%d", n);
	snprintf(title, sizeof title, "خبر شماره %d", n);
	struct article a = { .source_id = src, .url = url, .title = title, .published = t, .fetched = t };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	return a.id;
}

/* view: count views of article id at time t. */
static void view(struct fixture *f, int64_t id, int64_t t, int64_t count)
{
	struct view_count v = { .article_id = id, .at = t, .count = count };
	assert_int_equal(store_views_add(f->st, &v, 1, NULL), CH_OK);
}

/* check_against_reference: store_story_trending(now, limit) lists the stories the reference
 * query lists, in its order (a story at each place scoring what the reference's does there,
 * so equal scores may trade places). */
static void check_against_reference(struct fixture *f, int64_t now, size_t limit)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, reference_sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, now / 3600);
	sqlite3_bind_int64(s, 2, now);
	int64_t ids[MAX_STORIES * 4];
	double scores[MAX_STORIES * 4];
	size_t n_ref = 0;
	while (n_ref < MAX_STORIES * 4 && sqlite3_step(s) == SQLITE_ROW) {
		ids[n_ref] = sqlite3_column_int64(s, 0);
		scores[n_ref++] = sqlite3_column_double(s, 1);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);

	struct arena a;
	arena_init(&a, 0);
	struct story *got;
	size_t n = 99;
	assert_int_equal(store_story_trending(f->st, now, limit, &a, &got, &n, NULL), CH_OK);
	assert_int_equal(n, n_ref < limit ? n_ref : limit);
	for (size_t i = 0; i < n; i++) {
		size_t at = 0;
		while (at < n_ref && ids[at] != got[i].id)
			at++;
		assert_true(at < n_ref); /* a story the formula lists */
		double want = scores[i], have = scores[at];
		assert_true(fabs(want - have) <= 1e-9 * (fabs(want) + 1e-12));
		assert_int_equal(got[i].lead.id, got[i].lead_article); /* with its lead article */
		for (size_t j = 0; j < i; j++)
			assert_true(got[j].id != got[i].id);
	}
	arena_release(&a);
}

/* random_world: stories of 1–4 articles from random outlets over four days before NOW, and
 * random views over five days (some beyond the window, some added twice to one hour). */
static void random_world(struct fixture *f, unsigned seed, int stories)
{
	srand(seed);
	int n = 0;
	for (int s = 0; s < stories; s++) {
		int64_t t = NOW - rand() % (4 * 86400), story = 0;
		int articles = 1 + rand() % 4;
		for (int k = 0; k < articles; k++) {
			int64_t id = put(f, f->sources[rand() % 6], n++, t + k * 1800);
			story = story ? story : id;
			/* some views before the article has its story, most after */
			if (rand() % 4 == 0)
				view(f, id, NOW - rand() % (5 * 86400), 1 + rand() % 30);
			assert_int_equal(store_story_assign(f->st, id, story, story, NULL, 0, NULL), CH_OK);
			for (int v = rand() % 4; v > 0; v--)
				view(f, id, NOW - rand() % (5 * 86400), 1 + rand() % 30);
		}
	}
}

static void matches_the_formula(void **state)
{
	struct fixture *f = *state;
	random_world(f, 11, 40);
	check_against_reference(f, NOW, 10);
	check_against_reference(f, NOW, 200);
	check_against_reference(f, NOW + 7 * 3600, 5);  /* later: the two decays reorder */
	check_against_reference(f, NOW - 30 * 3600, 20); /* earlier: views "from the future" weigh more */
}

static void follows_articles_between_stories(void **state)
{
	struct fixture *f = *state;
	random_world(f, 23, 30);
	/* move a few articles with views into other stories (a re-clustering), and one out of all */
	for (int64_t id = 2; id < 40; id += 7)
		assert_int_equal(store_story_assign(f->st, id, 1, 1, NULL, 0, NULL), CH_OK);
	check_against_reference(f, NOW, 200);
	view(f, 3, NOW - 3600, 500); /* more views of an hour already counted */
	view(f, 3, NOW - 3600, 5);
	check_against_reference(f, NOW, 10);
}

static void lists_fresh_stories_that_score_nothing(void **state)
{
	struct fixture *f = *state;
	struct arena a;
	arena_init(&a, 0);
	struct story *got;
	size_t n = 99;
	assert_int_equal(store_story_trending(f->st, NOW, 10, &a, &got, &n, NULL), CH_OK);
	assert_int_equal(n, 0);
	int64_t old = put(f, f->sources[0], 1, NOW - 5 * 86400), one = put(f, f->sources[0], 2, NOW - 3600);
	int64_t two = put(f, f->sources[1], 3, NOW - 7200);
	assert_int_equal(store_story_assign(f->st, old, old, old, NULL, 0, NULL), CH_OK);
	assert_int_equal(store_story_assign(f->st, one, one, one, NULL, 0, NULL), CH_OK);
	assert_int_equal(store_story_assign(f->st, two, two, two, NULL, 0, NULL), CH_OK);
	assert_int_equal(store_story_trending(f->st, NOW, 10, &a, &got, &n, NULL), CH_OK);
	assert_int_equal(n, 2); /* the five-day-old story takes no part */
	assert_int_equal(got[0].id, one);
	assert_int_equal(got[1].id, two);
	view(f, two, NOW - 60, 1);
	assert_int_equal(store_story_trending(f->st, NOW, 10, &a, &got, &n, NULL), CH_OK);
	assert_int_equal(got[0].id, two);
	view(f, old, NOW - 60, 3); /* a view in the window brings the old story back */
	check_against_reference(f, NOW, 10);
	arena_release(&a);
}

static void migrates_existing_views(void **state)
{
	struct fixture *f = *state;
	random_world(f, 5, 30);
	store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE story_trend; DROP TRIGGER articles_trend_story;"
				      " DROP TRIGGER views_trend_insert; DROP TRIGGER views_trend_update;"
				      " DROP TRIGGER stories_trend_insert; DROP TRIGGER stories_trend_update;"
				      " DROP TRIGGER stories_trend_delete; PRAGMA user_version = 6;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_true(store_schema_version(f->st) >= 7); /* and any later migration */
	check_against_reference(f, NOW, 200);
	check_against_reference(f, NOW + 3 * 3600, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(matches_the_formula, setup, teardown),
		cmocka_unit_test_setup_teardown(follows_articles_between_stories, setup, teardown),
		cmocka_unit_test_setup_teardown(lists_fresh_stories_that_score_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_existing_views, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
