/*
 * related_lists.c — tests the related articles' storage (schema 11, src/store/related.c): a list
 * saved is read back best first, replaced by a second save and removed by an empty one; an id
 * whose article is gone is skipped and the limit still filled from the rest; a schema-10 file
 * with related rows (a row per related article) migrates to one list an article in rank order,
 * and the migration runs again harmlessly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../rank/store_fixture.h"

#include "chapar.h"

#define T0 1704067200LL

static int setup(void **state)
{
	return store_fixture_setup(state, "/tmp/chapar-related-lists-XXXXXX");
}

/* put_n: store n articles (published an hour apart) into ids. */
static void put_n(struct fixture *f, int64_t *ids, int n)
{
	for (int i = 0; i < n; i++)
		ids[i] = store_fixture_put(f, (unsigned)i, "عنوان خبر", "متن خبر", T0 + i * 3600LL);
}

/* listed: article id's related ids as the store lists them (at most limit) into out; how many. */
static size_t listed(struct fixture *f, int64_t id, size_t limit, int64_t *out)
{
	struct arena a;
	arena_init(&a, 0);
	struct article *v = NULL;
	size_t n = 0;
	assert_int_equal(store_related_list(f->st, id, limit, &a, &v, &n, NULL), CH_OK);
	assert_true(n <= limit);
	for (size_t i = 0; i < n; i++) {
		out[i] = v[i].id;
		assert_non_null(v[i].title); /* the articles themselves, read */
	}
	arena_release(&a);
	return n;
}

/* sql: run sql on f's file through a connection of its own (f's store closed). */
static void sql(struct fixture *f, const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", text, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

/* count_rows: the number of rows of table (f's store closed and reopened around it). */
static int count_rows(struct fixture *f, const char *table)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	char q[128];
	snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void saves_replaces_and_removes(void **state)
{
	struct fixture *f = *state;
	int64_t ids[6], got[8];
	put_n(f, ids, 6);
	int64_t list[] = { ids[3], ids[1], ids[5] };
	assert_int_equal(store_related_save(f->st, ids[0], list, 3, NULL), CH_OK);
	assert_int_equal(listed(f, ids[0], 8, got), 3);
	assert_int_equal(got[0], ids[3]);
	assert_int_equal(got[1], ids[1]);
	assert_int_equal(got[2], ids[5]);
	assert_int_equal(listed(f, ids[0], 2, got), 2); /* the limit: the best first */
	assert_int_equal(got[1], ids[1]);
	assert_int_equal(listed(f, ids[1], 8, got), 0); /* none saved */

	int64_t again[] = { ids[4] };
	assert_int_equal(store_related_save(f->st, ids[0], again, 1, NULL), CH_OK);
	assert_int_equal(listed(f, ids[0], 8, got), 1);
	assert_int_equal(got[0], ids[4]);
	assert_int_equal(store_related_save(f->st, ids[0], NULL, 0, NULL), CH_OK);
	assert_int_equal(listed(f, ids[0], 8, got), 0);

	/* an article deleted after the list was saved (with its outlet) is skipped, the limit
	 * filled from the rest */
	struct source other = { .name = "دیگر", .feed_url = "https://other.example.ir/rss" };
	int64_t other_id = 0;
	assert_int_equal(store_source_add(f->st, &other, &other_id, NULL), CH_OK);
	struct article gone = { .source_id = other_id, .url = "https://other.example.ir/1",
				.guid = "https://other.example.ir/1", .title = "رفتنی", .published = T0,
				.fetched = T0 };
	assert_int_equal(store_article_put(f->st, &gone, NULL, NULL), CH_OK);
	int64_t with_gone[] = { gone.id, ids[1], ids[5] };
	assert_int_equal(store_related_save(f->st, ids[0], with_gone, 3, NULL), CH_OK);
	assert_int_equal(listed(f, ids[0], 2, got), 2);
	assert_int_equal(got[0], gone.id);
	assert_int_equal(store_source_remove(f->st, other_id, NULL), CH_OK);
	assert_int_equal(listed(f, ids[0], 2, got), 2);
	assert_int_equal(got[0], ids[1]);
	assert_int_equal(got[1], ids[5]);
}

static void migrates_a_schema_10_file(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5], got[8];
	put_n(f, ids, 5);
	int latest = store_schema_version(f->st);
	assert_true(latest >= 11);
	store_close(f->st);
	f->st = NULL;
	/* schema 10: a row per related article, written here out of rank order */
	char text[512];
	snprintf(text, sizeof text,
		 "DROP TABLE related_lists;"
		 " INSERT INTO related(article_id, rank, related_id) VALUES (%lld, 2, %lld), (%lld, 0, %lld),"
		 " (%lld, 1, %lld), (%lld, 0, %lld);"
		 " PRAGMA user_version = 10;",
		 (long long)ids[0], (long long)ids[4], (long long)ids[0], (long long)ids[2], (long long)ids[0],
		 (long long)ids[3], (long long)ids[1], (long long)ids[0]);
	sql(f, text);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(store_schema_version(f->st), latest);
	assert_int_equal(listed(f, ids[0], 8, got), 3);
	assert_int_equal(got[0], ids[2]);
	assert_int_equal(got[1], ids[3]);
	assert_int_equal(got[2], ids[4]);
	assert_int_equal(listed(f, ids[1], 8, got), 1);
	assert_int_equal(got[0], ids[0]);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(count_rows(f, "related"), 0); /* moved, not kept twice */
	assert_int_equal(count_rows(f, "related_lists"), 2);

	/* the migration again over a file that has it: harmless, the lists stay */
	sql(f, "PRAGMA user_version = 10;");
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(store_schema_version(f->st), latest);
	assert_int_equal(listed(f, ids[0], 8, got), 3);
	assert_int_equal(got[0], ids[2]);
	assert_int_equal(got[2], ids[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(saves_replaces_and_removes, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(migrates_a_schema_10_file, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
