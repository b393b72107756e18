/*
 * sqlite.c — tests src/store/sqlite.c on real database files: migrations, sources and their
 * fetch state, article upserts (no duplicates by GUID or canonical URL), keyset pagination,
 * views, and two processes writing one file at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../tmpdir.h"
#include <sqlite3.h>

#include "chapar.h"

struct fixture {
	char dir[256];
	char path[300];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/chapar-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct ch_error err = { 0 };
	if (store_open(f->path, &f->st, &err) != CH_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	if (tmpdir_remove(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

/* add_source: a source named name with feed url; returns its id. */
static int64_t add_source(struct store *st, const char *name, const char *url)
{
	struct source s = { .name = name, .feed_url = url, .site_url = "https://example.ir" };
	int64_t id = 0;
	assert_int_equal(store_source_add(st, &s, &id, NULL), CH_OK);
	return id;
}

static void migrates_to_latest(void **state)
{
	struct fixture *f = *state;
	assert_true(store_schema_version(f->st) >= 1);
	/* reopening an up-to-date database changes nothing */
	struct store *again = NULL;
	assert_int_equal(store_open(f->path, &again, NULL), CH_OK);
	assert_int_equal(store_schema_version(again), store_schema_version(f->st));
	store_close(again);
}

static void sources_round_trip(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_source(f->st, "فارس", "https://farsnews.ir/rss");
	int64_t b = add_source(f->st, "مهر", "https://mehrnews.com/rss");
	assert_true(a > 0 && b > a);
	struct source dup = { .name = "x", .feed_url = "https://farsnews.ir/rss" };
	int64_t id = 0;
	struct ch_error err = { 0 };
	assert_int_equal(store_source_add(f->st, &dup, &id, &err), CH_ERR_EXISTS);
	assert_int_equal(id, a);
	struct source bad = { .name = "", .feed_url = "u" };
	assert_int_equal(store_source_add(f->st, &bad, &id, &err), CH_ERR_INVALID);

	struct arena ar;
	arena_init(&ar, 0);
	struct source s;
	assert_int_equal(store_source_get(f->st, a, &ar, &s, NULL), CH_OK);
	assert_string_equal(s.name, "فارس");
	assert_true(s.enabled);
	s.etag = "\"abc\"";
	s.last_error = "HTTP 503";
	s.error_count = 2;
	s.next_check = 5000;
	assert_int_equal(store_source_save_state(f->st, &s, NULL), CH_OK);
	struct source *list;
	size_t n;
	assert_int_equal(store_source_due(f->st, 4000, 10, &ar, &list, &n, NULL), CH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, b);
	assert_int_equal(store_source_set_enabled(f->st, b, false, NULL), CH_OK);
	assert_int_equal(store_source_due(f->st, 6000, 10, &ar, &list, &n, NULL), CH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, a);
	assert_string_equal(list[0].etag, "\"abc\"");
	assert_string_equal(list[0].last_error, "HTTP 503");
	assert_int_equal(list[0].error_count, 2);
	assert_int_equal(store_source_find(f->st, "مهر", &ar, &s, NULL), CH_OK);
	assert_int_equal(s.id, b);
	assert_int_equal(store_source_list(f->st, &ar, &list, &n, NULL), CH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_source_remove(f->st, b, NULL), CH_OK);
	assert_int_equal(store_source_remove(f->st, b, &err), CH_ERR_NOTFOUND);
	assert_int_equal(store_source_get(f->st, b, &ar, &s, &err), CH_ERR_NOTFOUND);
	arena_release(&ar);
}

static void articles_are_stored_once(void **state)
{
	struct fixture *f = *state;
	int64_t src = add_source(f->st, "فارس", "https://farsnews.ir/rss");
	struct article a = { .source_id = src, .url = "https://farsnews.ir/news/1", .guid = "g1",
			     .canonical_url = "https://farsnews.ir/news/1", .title = "عنوان",
			     .body_text = "متن", .published = 1000, .fetched = 2000 };
	bool created = false;
	assert_int_equal(store_article_put(f->st, &a, &created, NULL), CH_OK);
	assert_true(created);
	int64_t id = a.id;
	/* the same guid again: an update, not a second row */
	a.title = "عنوان ویرایش‌شده";
	assert_int_equal(store_article_put(f->st, &a, &created, NULL), CH_OK);
	assert_false(created);
	assert_int_equal(a.id, id);
	/* a new guid but the same canonical URL: still the same article */
	a.guid = "g1-republished";
	assert_int_equal(store_article_put(f->st, &a, &created, NULL), CH_OK);
	assert_false(created);
	assert_int_equal(a.id, id);
	bool exists = false;
	assert_int_equal(store_article_exists(f->st, src, "g1", NULL, &exists, NULL), CH_OK);
	assert_true(exists);
	assert_int_equal(store_article_exists(f->st, src, "nope", "https://x", &exists, NULL), CH_OK);
	assert_false(exists);
	int64_t count = 0;
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, 1);

	struct arena ar;
	arena_init(&ar, 0);
	struct article got;
	assert_int_equal(store_article_get(f->st, id, &ar, &got, NULL), CH_OK);
	assert_string_equal(got.title, "عنوان ویرایش‌شده");
	assert_string_equal(got.source_name, "فارس");
	assert_string_equal(got.body_text, "متن");
	struct ch_error err = { 0 };
	assert_int_equal(store_article_get(f->st, 999, &ar, &got, &err), CH_ERR_NOTFOUND);
	struct article bad = { .source_id = src, .url = "u" };
	assert_int_equal(store_article_put(f->st, &bad, NULL, &err), CH_ERR_INVALID);
	arena_release(&ar);
}

static void lists_newest_first_with_cursor(void **state)
{
	struct fixture *f = *state;
	int64_t s1 = add_source(f->st, "الف", "https://a/rss");
	int64_t s2 = add_source(f->st, "ب", "https://b/rss");
	char url[64], guid[16];
	for (int i = 0; i < 25; i++) {
		snprintf(url, sizeof url, "https://x/%d", i);
		snprintf(guid, sizeof guid, "%d", i);
		/* pairs share a published time, so the cursor must break ties by id */
		struct article a = { .source_id = i % 2 ? s2 : s1, .url = url, .guid = guid, .title = "t",
				     .published = 1000 + i / 2, .fetched = 5000 };
		assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	}
	struct arena ar;
	arena_init(&ar, 0);
	struct article_query q = { .limit = 10 };
	struct article *v;
	size_t n, seen = 0;
	int64_t last_pub = INT64_MAX, last_id = INT64_MAX;
	do {
		assert_int_equal(store_article_list(f->st, &q, &ar, &v, &n, NULL), CH_OK);
		for (size_t i = 0; i < n; i++) {
			assert_true(v[i].published < last_pub || (v[i].published == last_pub && v[i].id < last_id));
			last_pub = v[i].published;
			last_id = v[i].id;
		}
		seen += n;
		if (n)
			q.before_id = v[n - 1].id;
	} while (n == q.limit);
	assert_int_equal(seen, 25);
	q = (struct article_query){ .limit = 100, .source_id = s2 };
	assert_int_equal(store_article_list(f->st, &q, &ar, &v, &n, NULL), CH_OK);
	assert_int_equal(n, 12);
	q.before_id = 424242;
	struct ch_error err = { 0 };
	assert_int_equal(store_article_list(f->st, &q, &ar, &v, &n, &err), CH_ERR_NOTFOUND);
	arena_release(&ar);
}

/* category_ids: the ids store_article_list gives for category (before: cursor), newest first. */
static size_t category_ids(struct store *st, const char *category, int64_t before, int64_t *ids, size_t limit)
{
	struct arena a;
	arena_init(&a, 0);
	struct article_query q = { .category = category, .limit = limit, .before_id = before };
	struct article *v = NULL;
	size_t n = 0;
	assert_int_equal(store_article_list(st, &q, &a, &v, &n, NULL), CH_OK);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].id;
	arena_release(&a);
	return n;
}

static void lists_a_category_by_its_articles_and_outlets(void **state)
{
	struct fixture *f = *state;
	struct source sport = { .name = "ورزش سه", .feed_url = "https://v3/rss", .category = "ورزشی" };
	int64_t v3 = 0, fars = add_source(f->st, "فارس", "https://fars/rss");
	assert_int_equal(store_source_add(f->st, &sport, &v3, NULL), CH_OK);
	struct article a[6] = {
		{ .source_id = fars, .url = "https://fars/1", .title = "۱", .categories = "سیاسی, ورزشی", .published = 100 },
		{ .source_id = fars, .url = "https://fars/2", .title = "۲", .categories = "ورزشی,اقتصادی", .published = 300 },
		{ .source_id = fars, .url = "https://fars/3", .title = "۳", .categories = "ورزشی‌ها", .published = 200 },
		{ .source_id = v3, .url = "https://v3/1", .title = "۴", .published = 250 },
		{ .source_id = v3, .url = "https://v3/2", .title = "۵", .categories = "ورزشی", .published = 50 },
		{ .source_id = fars, .url = "https://fars/4", .title = "۶", .categories = "سیاسی", .published = 400 },
	};
	for (size_t i = 0; i < 6; i++) {
		a[i].fetched = a[i].published;
		assert_int_equal(store_article_put(f->st, &a[i], NULL, NULL), CH_OK);
	}
	int64_t ids[8];
	/* its own categories at ", " or ",", whole names only, and every article of the outlet */
	assert_int_equal(category_ids(f->st, "ورزشی", 0, ids, 8), 4);
	assert_int_equal(ids[0], a[1].id);
	assert_int_equal(ids[1], a[3].id);
	assert_int_equal(ids[2], a[0].id);
	assert_int_equal(ids[3], a[4].id); /* once, though both its outlet and itself say so */
	assert_int_equal(category_ids(f->st, "ورزشی", a[3].id, ids, 8), 2); /* the cursor */
	assert_int_equal(ids[0], a[0].id);
	assert_int_equal(category_ids(f->st, "سیاسی", 0, ids, 1), 1);
	assert_int_equal(ids[0], a[5].id);
	assert_int_equal(category_ids(f->st, "ورز", 0, ids, 8), 0);
	/* an edited entry moves between categories and in time */
	a[5].categories = "ورزشی";
	a[5].published = 500;
	assert_int_equal(store_article_put(f->st, &a[5], NULL, NULL), CH_OK);
	assert_int_equal(category_ids(f->st, "ورزشی", 0, ids, 8), 5);
	assert_int_equal(ids[0], a[5].id);
	assert_int_equal(category_ids(f->st, "سیاسی", 0, ids, 8), 1);
	assert_int_equal(ids[0], a[0].id);
	/* and leaves with its outlet */
	assert_int_equal(store_source_remove(f->st, v3, NULL), CH_OK);
	assert_int_equal(category_ids(f->st, "ورزشی", 0, ids, 8), 3);
}

/* category_rows: every article_categories row of the file, one "category|published|id" line
 * each, in order, into out (size cap). */
static void category_rows(const char *path, char *out, size_t cap)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT category, published, article_id FROM article_categories"
					    " ORDER BY 1, 2, 3", -1, &s, NULL), SQLITE_OK);
	size_t n = 0;
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW && n < cap)
		n += (size_t)snprintf(out + n, cap - n, "%s|%lld|%lld\n", (const char *)sqlite3_column_text(s, 0),
				      (long long)sqlite3_column_int64(s, 1), (long long)sqlite3_column_int64(s, 2));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* A new article's category rows are written by the store (no insert trigger): they must be the
 * rows the schema's own SQL gives, as the migration's backfill computes them. */
static void new_articles_get_the_schema_category_rows(void **state)
{
	struct fixture *f = *state;
	struct source sport = { .name = "ورزش سه", .feed_url = "https://v3/rss", .category = "ورزشی, فوتبال" };
	int64_t v3 = 0, fars = add_source(f->st, "فارس", "https://fars/rss");
	assert_int_equal(store_source_add(f->st, &sport, &v3, NULL), CH_OK);
	const char *cats[] = { "سیاسی, ورزشی", "a,,b", ",lead", "trail,", "two,  spaces", " x",
			       "quote\"and\\slash", "tab\there", "", NULL, "ورزشی,ورزشی", "a, b, c" };
	size_t n = sizeof cats / sizeof cats[0];
	for (size_t i = 0; i < 2 * n; i++) {
		char url[64];
		snprintf(url, sizeof url, "https://x/%zu", i);
		struct article a = { .source_id = i % 2 ? v3 : fars, .url = url, .title = "t",
				     .categories = cats[i % n], .published = 100 + (int64_t)i, .fetched = 100 };
		assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	}
	char *written = malloc(1 << 16), *recomputed = malloc(1 << 16);
	category_rows(f->path, written, 1 << 16);
	/* recompute them with the migration: rows gone, version back, reopened */
	store_close(f->st);
	f->st = NULL;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	char sql[128];
	snprintf(sql, sizeof sql, "DELETE FROM article_categories; PRAGMA user_version = 7;");
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	category_rows(f->path, recomputed, 1 << 16);
	assert_true(strlen(written) > 100);
	assert_string_equal(written, recomputed);
	free(written);
	free(recomputed);
}

static void counts_views(void **state)
{
	struct fixture *f = *state;
	int64_t src = add_source(f->st, "الف", "https://a/rss");
	struct article a1 = { .source_id = src, .url = "https://x/1", .title = "یک", .published = 10, .fetched = 10 };
	struct article a2 = { .source_id = src, .url = "https://x/2", .title = "دو", .published = 11, .fetched = 11 };
	assert_int_equal(store_article_put(f->st, &a1, NULL, NULL), CH_OK);
	assert_int_equal(store_article_put(f->st, &a2, NULL, NULL), CH_OK);
	int64_t now = 1732789800;
	struct view_count v[] = { { a1.id, now, 3 }, { a2.id, now, 5 }, { a1.id, now - 7200, 4 }, { 999, now, 50 } };
	assert_int_equal(store_views_add(f->st, v, 4, NULL), CH_OK);
	struct arena ar;
	arena_init(&ar, 0);
	struct article *top;
	size_t n;
	assert_int_equal(store_article_most_viewed(f->st, now, 3600, 10, &ar, &top, &n, NULL), CH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(top[0].id, a2.id);
	assert_int_equal(store_article_most_viewed(f->st, now, 86400, 10, &ar, &top, &n, NULL), CH_OK);
	assert_int_equal(top[0].id, a1.id); /* 7 views in the day against 5 */
	assert_int_equal(top[0].views, 7);
	arena_release(&ar);
}

static void batches_commit_once_and_fail_alone(void **state)
{
	struct fixture *f = *state;
	int64_t src = add_source(f->st, "الف", "https://a/rss");
	assert_int_equal(store_batch_begin(f->st, NULL), CH_OK);
	struct article good = { .source_id = src, .url = "https://x/1", .title = "یک", .published = 1, .fetched = 1 };
	struct article bad = { .source_id = src, .url = "https://x/2" }; /* no title: refused */
	struct article good2 = { .source_id = src, .url = "https://x/3", .title = "سه", .published = 3, .fetched = 3 };
	assert_int_equal(store_article_put(f->st, &good, NULL, NULL), CH_OK);
	assert_int_equal(store_article_put(f->st, &bad, NULL, NULL), CH_ERR_INVALID);
	struct source dup = { .name = "x", .feed_url = "https://a/rss" };
	int64_t id;
	assert_int_equal(store_source_add(f->st, &dup, &id, NULL), CH_ERR_EXISTS); /* rolls back only itself */
	assert_int_equal(store_article_put(f->st, &good2, NULL, NULL), CH_OK);
	assert_int_equal(store_batch_end(f->st, CH_OK, NULL), CH_OK);
	int64_t count = 0;
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, 2);
	/* a batch ended with an error leaves nothing behind */
	assert_int_equal(store_batch_begin(f->st, NULL), CH_OK);
	struct article third = { .source_id = src, .url = "https://x/4", .title = "چهار", .published = 4, .fetched = 4 };
	assert_int_equal(store_article_put(f->st, &third, NULL, NULL), CH_OK);
	assert_int_equal(store_batch_end(f->st, CH_ERR_IO, NULL), CH_ERR_IO);
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, 2);
}

/* writer: a child process adding n articles through its own connection. */
static int writer(const char *path, int64_t src, int who, int n)
{
	struct store *st = NULL;
	if (store_open(path, &st, NULL) != CH_OK)
		return 1;
	for (int i = 0; i < n; i++) {
		char url[64];
		snprintf(url, sizeof url, "https://p%d/%d", who, i);
		struct article a = { .source_id = src, .url = url, .title = "t", .published = i, .fetched = i };
		struct ch_error err = { 0 };
		if (store_article_put(st, &a, NULL, &err) != CH_OK) {
			fprintf(stderr, "writer %d: %s\n", who, err.msg);
			store_close(st);
			return 1;
		}
	}
	store_close(st);
	return 0;
}

static void two_processes_share_a_file(void **state)
{
	struct fixture *f = *state;
	int64_t src = add_source(f->st, "الف", "https://a/rss");
	pid_t pids[2];
	for (int w = 0; w < 2; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			_exit(writer(f->path, src, w, 300));
	}
	for (int w = 0; w < 2; w++) {
		int status = 0;
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	int64_t count = 0;
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, 600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrates_to_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(sources_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(articles_are_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(lists_newest_first_with_cursor, setup, teardown),
		cmocka_unit_test_setup_teardown(lists_a_category_by_its_articles_and_outlets, setup, teardown),
		cmocka_unit_test_setup_teardown(new_articles_get_the_schema_category_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(counts_views, setup, teardown),
		cmocka_unit_test_setup_teardown(two_processes_share_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(batches_commit_once_and_fail_alone, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
