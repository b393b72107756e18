/*
 * words.c — tests the clustering's kept words in the store (schema 10, src/store/related.c):
 * a schema-9 file with clustered articles migrates (its articles have no words, so the window
 * gives their text), words kept are read back instead of the text, replaced by a second put,
 * dropped when the article's text changes (not when only its fetch time does), when it is
 * deleted, and when pruned by publication time; the migration runs again harmlessly.
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
	return store_fixture_setup(state, "/tmp/chapar-words-XXXXXX");
}

/* put: store article number i (published T0 + i hours) with the given title; its id. */
static int64_t put(struct fixture *f, int i, const char *title)
{
	char url[64], body[96];
	snprintf(url, sizeof url, "https://example.ir/news/%d", i);
	snprintf(body, sizeof body, "متن خبر شماره %d", i);
	struct article a = { .source_id = f->source, .url = url, .guid = url, .title = title,
			     .body_text = body, .published = T0 + i * 3600LL, .fetched = T0 + i * 3600LL };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	return a.id;
}

/* window_of: article id's row of the window [T0, T0 + 1000 h]: whether it has words (and which:
 * their first byte), or its title; false when it is not in the window. */
static bool window_of(struct fixture *f, int64_t id, char *first_byte, char *title, size_t title_size)
{
	struct arena a;
	arena_init(&a, 0);
	struct window_article *v = NULL;
	size_t n = 0;
	assert_int_equal(store_articles_window(f->st, T0, T0 + 1000 * 3600LL, &a, &v, &n, NULL), CH_OK);
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(v[i - 1].published <= v[i].published);
		if (v[i].id != id)
			continue;
		found = true;
		*first_byte = v[i].words ? *(const char *)v[i].words : 0;
		snprintf(title, title_size, "%s", v[i].words ? "" : v[i].title ? v[i].title : "(null)");
		if (v[i].words)
			assert_null(v[i].title);
	}
	arena_release(&a);
	return found;
}

/* assign: give article id a story of its own (with no signature). */
static void assign(struct fixture *f, int64_t id)
{
	assert_int_equal(store_story_assign(f->st, id, id, id, NULL, 0, NULL), CH_OK);
}

static void keeps_replaces_and_drops_words(void **state)
{
	struct fixture *f = *state;
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		ids[i] = put(f, i, "عنوان");
		assign(f, ids[i]);
	}
	int64_t unassigned = put(f, 5, "بی‌داستان");
	char b = 0, title[128];
	assert_false(window_of(f, unassigned, &b, title, sizeof title)); /* only clustered articles */
	assert_true(window_of(f, ids[0], &b, title, sizeof title));
	assert_int_equal(b, 0);
	assert_string_equal(title, "عنوان"); /* no words kept: its text */

	for (int i = 0; i < 4; i++)
		assert_int_equal(store_article_words_put(f->st, ids[i], T0 + i * 3600LL, "A1", 2, NULL), CH_OK);
	assert_int_equal(store_article_words_put(f->st, ids[1], T0 + 3600, "B22", 3, NULL), CH_OK);
	assert_true(window_of(f, ids[0], &b, title, sizeof title));
	assert_int_equal(b, 'A');
	assert_true(window_of(f, ids[1], &b, title, sizeof title));
	assert_int_equal(b, 'B');

	/* the same text stored again (a new fetch time): the words stay */
	char url[64];
	snprintf(url, sizeof url, "https://example.ir/news/%d", 0);
	struct article same = { .source_id = f->source, .url = url, .guid = url, .title = "عنوان",
				.body_text = "متن خبر شماره 0", .published = T0, .fetched = T0 + 99 };
	assert_int_equal(store_article_put(f->st, &same, NULL, NULL), CH_OK);
	assert_int_equal(same.id, ids[0]);
	assert_true(window_of(f, ids[0], &b, title, sizeof title));
	assert_int_equal(b, 'A');
	/* a new title: the words no longer describe it */
	same.title = "عنوان تازه";
	assert_int_equal(store_article_put(f->st, &same, NULL, NULL), CH_OK);
	assert_true(window_of(f, ids[0], &b, title, sizeof title));
	assert_int_equal(b, 0);
	assert_string_equal(title, "عنوان تازه");

	/* pruned by publication time: article 2 is at T0 + 2 h */
	assert_int_equal(store_article_words_prune(f->st, T0 + 2 * 3600, NULL), CH_OK);
	assert_true(window_of(f, ids[1], &b, title, sizeof title));
	assert_int_equal(b, 0);
	assert_true(window_of(f, ids[2], &b, title, sizeof title));
	assert_int_equal(b, 'A');

	/* deleted with its article (the outlet removed): none left behind */
	assert_int_equal(store_source_remove(f->st, f->source, NULL), CH_OK);
	store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM article_words", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
}

/* to_schema_9: close f's store and take its file back to schema 9 (no kept words), as a store
 * written before them; keep_table leaves the table (a migration run again). */
static void to_schema_9(struct fixture *f, bool keep_table)
{
	store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	const char *sql = keep_table ? "PRAGMA user_version = 9;"
				     : "DROP TABLE article_words; DROP TRIGGER articles_words_stale;"
				       " PRAGMA user_version = 9;";
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void migrates_a_schema_9_file(void **state)
{
	struct fixture *f = *state;
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = put(f, i, "خبر پیشین");
		assign(f, ids[i]);
	}
	int latest = store_schema_version(f->st);
	assert_true(latest >= 10);
	to_schema_9(f, false);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(store_schema_version(f->st), latest);
	char b = 0, title[128];
	for (int i = 0; i < 3; i++) { /* the articles, their stories, no words: their text */
		assert_true(window_of(f, ids[i], &b, title, sizeof title));
		assert_int_equal(b, 0);
		assert_string_equal(title, "خبر پیشین");
	}
	assert_int_equal(store_article_words_put(f->st, ids[1], T0 + 3600, "W", 1, NULL), CH_OK);
	assert_true(window_of(f, ids[1], &b, title, sizeof title));
	assert_int_equal(b, 'W');

	/* the migration again over a file that has it: harmless, the words stay */
	to_schema_9(f, true);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(store_schema_version(f->st), latest);
	assert_true(window_of(f, ids[1], &b, title, sizeof title));
	assert_int_equal(b, 'W');
	/* and the trigger is there: a changed body drops them */
	char url[64];
	snprintf(url, sizeof url, "https://example.ir/news/%d", 1);
	struct article a = { .source_id = f->source, .url = url, .guid = url, .title = "خبر پیشین",
			     .body_text = "متن دیگر", .published = T0 + 3600, .fetched = T0 + 3600 };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	assert_true(window_of(f, ids[1], &b, title, sizeof title));
	assert_int_equal(b, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(keeps_replaces_and_drops_words, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(migrates_a_schema_9_file, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
