/*
 * fts_writes.c — tests that the store keeps the full-text index in step with the articles now
 * that it writes each article's index row itself (migration 8 dropped the insert trigger):
 * a database of schema 7, whose articles the trigger indexed, migrates and its old articles
 * are still found; new, edited, batched and deleted articles are found (or not) as they should
 * be; a batch that fails leaves no index row behind; and FTS5's integrity check passes after
 * each step (an index row written twice or deleted when absent would fail it); and the index's
 * merge policy (STORE_FTS_AUTOMERGE) is set when a store opens, once; and a store indexed by
 * another tokenization (its fts_version differs: another lexicon or tokenizer) is re-indexed
 * when it opens, its clustering's kept words dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "chapar.h"
#include "store/sqlite_internal.h"

#define OLD_SCHEMA 7 /* the schema before the store wrote index rows itself */

struct fixture {
	char dir[64];
	char path[128];
	struct store *st;
	int64_t source;
};

/* setup: a fixture with a fresh directory for the database (no store open yet). */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/chapar-ftsw-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/s.db", f->dir);
	*state = f;
	return 0;
}

/* teardown: close the store, remove the database with its WAL files and the directory. */
static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char file[160];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", f->path, suffixes[i]);
		unlink(file);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

/* exec: run sql on db, failing the test on an error. */
static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* make_old_database: a file at schema OLD_SCHEMA (migrations 1..7, as an older chapar left
 * it) holding one source and two articles, indexed by that schema's trigger. */
static void make_old_database(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite_register_persian_tokenizer(db), SQLITE_OK);
	for (int v = 1; v <= OLD_SCHEMA; v++)
		exec(db, sqlite_schema_migration(v));
	exec(db, "INSERT INTO sources(id, name, feed_url, created) VALUES (1, 'فارس', 'https://fars/rss', 0);"
		 "INSERT INTO articles(source_id, url, guid, title, lead, body_text, published, fetched)"
		 " VALUES (1, 'https://fars/1', 'g1', 'زلزله در کرمان', 'خبر فوری', 'کتاب‌ها را بخوانید', 100, 100),"
		 " (1, 'https://fars/2', 'g2', 'بازار ارز', 'دلار', 'قیمت طلا بالا رفت', 200, 200);"
		 "PRAGMA user_version = 7;");
	sqlite3_close(db);
}

/* hits: how many articles store_search finds for text. */
static size_t hits(struct store *st, const char *text)
{
	struct arena a;
	arena_init(&a, 0);
	struct search_query q = { .text = text, .limit = 100, .now = 1000 };
	struct search_hit *h = NULL;
	size_t n = 0;
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	arena_release(&a);
	return n;
}

/* index_sound: FTS5's integrity check of the index against the articles passes. */
static void index_sound(struct store *st)
{
	exec(st->db, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)");
}

/* article: an article of source with serial k and the given title and body. */
static struct article article(int64_t source, int k, const char *title, const char *body)
{
	static char urls[64][48];
	snprintf(urls[k % 64], sizeof urls[0], "https://fars/new/%d", k);
	return (struct article){ .source_id = source, .url = urls[k % 64], .title = title, .body_text = body,
				 .published = 300 + k, .fetched = 300 + k };
}

static void migrates_and_keeps_old_articles_searchable(void **state)
{
	struct fixture *f = *state;
	make_old_database(f->path);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_true(store_schema_version(f->st) > OLD_SCHEMA);
	assert_int_equal(hits(f->st, "زلزله"), 1);
	assert_int_equal(hits(f->st, "كتابها"), 1); /* Arabic kaf, no ZWNJ: the folded compound */
	assert_int_equal(hits(f->st, "طلا"), 1);
	index_sound(f->st);
	/* the insert trigger is gone: a new article is indexed once, by the store */
	struct article a = article(1, 1, "سیل در گیلان", "باران شدید");
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	assert_int_equal(hits(f->st, "گیلان"), 1);
	index_sound(f->st);
}

static void batches_edits_and_deletes_stay_in_step(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	struct source s = { .name = "ایسنا", .feed_url = "https://isna/rss" };
	assert_int_equal(store_source_add(f->st, &s, &f->source, NULL), CH_OK);
	struct article v[3] = { article(f->source, 1, "انتخابات مجلس", "نامزدها"),
				article(f->source, 2, "فوتبال ایران", "پرسپولیس برد"),
				article(f->source, 1, "انتخابات ریاست", "نامزدها") }; /* the same URL again */
	size_t created = 0;
	assert_int_equal(store_article_put_many(f->st, v, 3, &created, NULL), CH_OK);
	assert_int_equal(created, 2);
	assert_int_equal(hits(f->st, "ریاست"), 1); /* the edit inside the batch is what is found */
	assert_int_equal(hits(f->st, "مجلس"), 0);
	assert_int_equal(hits(f->st, "پرسپولیس"), 1);
	index_sound(f->st);
	/* a failing batch (an article without a title) leaves neither rows nor index rows */
	struct article bad[2] = { article(f->source, 3, "تیتر تازه", "متن"), article(f->source, 4, "x", "y") };
	bad[1].title = NULL;
	assert_int_not_equal(store_article_put_many(f->st, bad, 2, NULL, NULL), CH_OK);
	assert_int_equal(hits(f->st, "تازه"), 0);
	index_sound(f->st);
	/* removing the source deletes its articles and their index rows */
	assert_int_equal(store_source_remove(f->st, f->source, NULL), CH_OK);
	assert_int_equal(hits(f->st, "پرسپولیس"), 0);
	index_sound(f->st);
}

/* automerge: articles_fts's automerge setting, -1 when it holds none. */
static int automerge(struct store *st)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT v FROM articles_fts_config WHERE k = 'automerge'", -1, &s, NULL),
			 SQLITE_OK);
	int v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	return v;
}

static void merge_policy_is_set_at_open_and_keeps_many_commits_sound(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(automerge(f->st), STORE_FTS_AUTOMERGE);
	/* a database left with another setting gets it back at the next open */
	exec(f->st->db, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 4)");
	assert_int_equal(automerge(f->st), 4);
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(automerge(f->st), STORE_FTS_AUTOMERGE);
	assert_true(sqlite3_total_changes(f->st->db) > 0); /* the setting's write is counted */
	/* one transaction per article: a segment each, merged by that setting as they pile up */
	struct source s = { .name = "مهر", .feed_url = "https://mehr/rss" };
	assert_int_equal(store_source_add(f->st, &s, &f->source, NULL), CH_OK);
	for (int k = 0; k < 40; k++) {
		struct article a = article(f->source, k, k % 2 ? "بارش برف در تهران" : "نرخ تورم ماهانه",
					   k % 3 ? "کتاب‌ها و روزنامه‌ها" : "مسابقه فوتبال");
		assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	}
	assert_int_equal(hits(f->st, "تورم"), 20);
	assert_int_equal(hits(f->st, "کتابها"), 26);
	index_sound(f->st);
	/* reopening with the setting already there writes nothing */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(automerge(f->st), STORE_FTS_AUTOMERGE);
	assert_int_equal(sqlite3_total_changes(f->st->db), 0);
}

/* meta_fts_version: the store's recorded fts_version, "" when none. */
static const char *meta_fts_version(struct store *st)
{
	static char v[64];
	v[0] = 0;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'fts_version'", -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(v, sizeof v, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static void reindexes_when_the_tokenization_changed(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	char now[64];
	snprintf(now, sizeof now, "%s", meta_fts_version(f->st));
	assert_true(strlen(now) > 2); /* the layout and the tokens' fingerprint */
	struct source s = { .name = "فارس", .feed_url = "https://fars/rss" };
	assert_int_equal(store_source_add(f->st, &s, &f->source, NULL), CH_OK);
	struct article a = article(f->source, 1, "سیل در گیلان", "کتاب‌ها و روزنامه‌ها");
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	assert_int_equal(hits(f->st, "گیلان"), 1);
	/* as if another build had indexed it: an index that no longer matches, an old version */
	exec(f->st->db, "INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')");
	exec(f->st->db, "INSERT INTO article_words(article_id, published, words) VALUES (1, 301, x'00')");
	exec(f->st->db, "UPDATE meta SET value = '1' WHERE key = 'fts_version'");
	assert_int_equal(hits(f->st, "گیلان"), 0);
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_string_equal(meta_fts_version(f->st), now);
	assert_int_equal(hits(f->st, "گیلان"), 1);
	assert_int_equal(hits(f->st, "کتابها"), 1);
	index_sound(f->st);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(f->st->db, "SELECT count(*) FROM article_words", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 0);
	sqlite3_finalize(q);
	/* the same build opening it again re-indexes nothing */
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, NULL), CH_OK);
	assert_int_equal(sqlite3_total_changes(f->st->db), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrates_and_keeps_old_articles_searchable, setup, teardown),
		cmocka_unit_test_setup_teardown(batches_edits_and_deletes_stay_in_step, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_policy_is_set_at_open_and_keeps_many_commits_sound, setup, teardown),
		cmocka_unit_test_setup_teardown(reindexes_when_the_tokenization_changed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
