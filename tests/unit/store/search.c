/*
 * search.c — tests full-text search in src/store: the "persian" tokenizer over title, lead and
 * body, phrase and NOT terms, filters, snippets with marks, index upkeep on update and delete,
 * clear errors for queries with nothing to search, stop words, the ranking (title over body,
 * new over old, the newest pool of a common word) and batch loading.
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

#include "../tmpdir.h"

#include "chapar.h"
#include "store/sqlite_internal.h"

static char dir[64];
static struct store *st;
static int64_t fars, v3;

/* put: store one article and return its id. */
static int64_t put(int64_t src, const char *url, const char *title, const char *body, int64_t published)
{
	struct article a = { .source_id = src, .url = url, .title = title, .body_text = body,
			     .published = published, .fetched = published, .categories = "سیاسی, بین‌الملل" };
	assert_int_equal(store_article_put(st, &a, NULL, NULL), CH_OK);
	return a.id;
}

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/chapar-search-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/s.db", dir);
	if (store_open(path, &st, NULL) != CH_OK)
		return -1;
	struct source a = { .name = "فارس", .feed_url = "https://fars/rss" };
	struct source b = { .name = "ورزش سه", .feed_url = "https://v3/rss", .category = "ورزشی" };
	store_source_add(st, &a, &fars, NULL);
	store_source_add(st, &b, &v3, NULL);
	return 0;
}

static int teardown(void **state)
{
	store_close(st);
	return tmpdir_remove(dir);
}

/* search: run q and return the number of hits (hits in *out). */
static size_t search(const char *text, int64_t source, struct arena *a, struct search_hit **out)
{
	struct search_query q = { .text = text, .limit = 20, .source_id = source, .now = 1732800000 };
	size_t n = 99;
	struct ch_error err = { 0 };
	assert_int_equal(store_search(st, &q, a, out, &n, &err), CH_OK);
	return n;
}

static void finds_words_in_any_field(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t baku = put(fars, "https://fars/1", "سفر وزیر خارجه به باکو", "وزیر امور خارجه با همتای خود دیدار کرد.", 1732760000);
	int64_t esteghlal = put(v3, "https://v3/1", "بازی استقلال و السد", "تمرینات استقلال پشت درهای بسته برگزار شد.", 1732770000);
	put(fars, "https://fars/2", "گزارش اقتصادی", "بازار سرمایه امروز رشد کرد و باکو هم خبری نداشت.", 1700000000);
	struct search_hit *h;
	assert_int_equal(search("استقلال", 0, &a, &h), 1);
	assert_int_equal(h[0].article.id, esteghlal);
	assert_int_equal(search("باکو", 0, &a, &h), 2);
	assert_int_equal(h[0].article.id, baku); /* in the title and recent: ranked first */
	assert_non_null(strchr(h[0].snippet, SEARCH_MARK_OPEN));
	assert_int_equal(search("باکو وزیر", 0, &a, &h), 1);             /* all words must match */
	assert_int_equal(search("باکو -وزیر", 0, &a, &h), 1);            /* NOT */
	assert_int_equal(h[0].article.source_id, fars);
	assert_int_equal(search("\"درهای بسته\"", 0, &a, &h), 1);        /* phrase */
	assert_int_equal(search("\"بسته درهای\"", 0, &a, &h), 0);
	assert_int_equal(search("باکو", v3, &a, &h), 0);                 /* outlet filter */
	assert_int_equal(search("AND OR NEAR( * ^", 0, &a, &h), 0);      /* FTS5 syntax is just words */
	arena_release(&a);
}

static void filters_by_date_and_category(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	put(fars, "https://fars/10", "نشست عدم تعهد", "نشست در باکو برگزار شد.", 1732760000);
	put(fars, "https://fars/11", "نشست دیگر", "نشست پیشین.", 1600000000);
	struct search_query q = { .text = "نشست", .limit = 20, .from = 1700000000, .now = 1732800000 };
	struct search_hit *h;
	size_t n;
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	assert_int_equal(n, 1);
	q.from = 0;
	q.to = 1700000000;
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	assert_int_equal(n, 1);
	q.to = 0;
	q.category = "بین‌الملل";
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	assert_int_equal(n, 2);
	q.category = "ورزشی";
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	assert_int_equal(n, 0);
	arena_release(&a);
}

static void keeps_the_index_in_step(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	struct article x = { .source_id = fars, .url = "https://fars/20", .guid = "g20", .title = "زلزله در کرمان",
			     .published = 1732760000, .fetched = 1732760000 };
	assert_int_equal(store_article_put(st, &x, NULL, NULL), CH_OK);
	struct search_hit *h;
	assert_int_equal(search("زلزله", 0, &a, &h), 1);
	x.title = "سیل در کرمان";
	assert_int_equal(store_article_put(st, &x, NULL, NULL), CH_OK);
	assert_int_equal(search("زلزله", 0, &a, &h), 0);
	assert_int_equal(search("سیل", 0, &a, &h), 1);
	assert_int_equal(store_source_remove(st, fars, NULL), CH_OK); /* cascades to its articles */
	assert_int_equal(search("سیل", 0, &a, &h), 0);
	arena_release(&a);
}

static void refuses_queries_without_words(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	struct search_hit *h;
	size_t n;
	struct ch_error err = { 0 };
	const char *bad[] = { "", "   ", "\"", "-باکو", "،؛؟!" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct search_query q = { .text = bad[i], .limit = 10 };
		assert_int_equal(store_search(st, &q, &a, &h, &n, &err), CH_ERR_INVALID);
		assert_true(strlen(err.msg) > 0);
	}
	arena_release(&a);
}

static void drops_stop_words_unless_alone(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t baku = put(fars, "https://fars/30", "سفر به باکو", "دیدار وزیران.", 1732760000);
	put(fars, "https://fars/31", "این خبر", "از اینجا و آنجا.", 1732760000);
	struct search_hit *h;
	/* «به» is in neither stored article's words but "به باکو" still finds the trip */
	assert_int_equal(search("در باکو", 0, &a, &h), 1);
	assert_int_equal(h[0].article.id, baku);
	assert_int_equal(search("این", 0, &a, &h), 1);         /* nothing else: kept */
	assert_int_equal(search("\"در باکو\"", 0, &a, &h), 0);  /* quoted: every word counts */
	arena_release(&a);
}

static void ranks_title_over_body_and_new_over_old(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t in_body = put(fars, "https://fars/40", "گزارش روز", "متن درباره زلزله و خسارت‌ها.", 1732760000);
	int64_t in_title = put(fars, "https://fars/41", "زلزله در کرمان", "متن گزارش.", 1732760000);
	int64_t old = put(fars, "https://fars/42", "زلزله در کرمان", "متن گزارش.", 1600000000);
	struct search_hit *h;
	assert_int_equal(search("زلزله", 0, &a, &h), 3);
	assert_int_equal(h[0].article.id, in_title);
	assert_int_equal(h[1].article.id, in_body);
	assert_int_equal(h[2].article.id, old);
	assert_true(h[0].score < h[1].score && h[1].score < h[2].score);
	arena_release(&a);
}

/* many: store n articles with the word «انتخابات» in the body, oldest first, in one batch. */
static void many(size_t n, int64_t first_published)
{
	struct article *v = calloc(n, sizeof *v);
	char (*urls)[64] = calloc(n, sizeof *urls);
	for (size_t i = 0; i < n; i++) {
		snprintf(urls[i], sizeof urls[i], "https://fars/many/%zu", i);
		v[i] = (struct article){ .source_id = fars, .url = urls[i], .title = "خبر",
					 .body_text = "نتیجه انتخابات اعلام شد.",
					 .published = first_published + (int64_t)i, .fetched = first_published };
	}
	size_t created = 0;
	assert_int_equal(store_article_put_many(st, v, n, &created, NULL), CH_OK);
	assert_int_equal(created, n);
	assert_int_equal(store_article_put_many(st, v, n, &created, NULL), CH_OK); /* again: updates */
	assert_int_equal(created, 0);
	free(urls);
	free(v);
}

static void ranks_the_newest_pool_of_a_common_word(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	/* an old article that matches far better (the word in its title) … */
	int64_t best_old = put(fars, "https://fars/50", "انتخابات انتخابات", "انتخابات.", 1700000000);
	many(1000, 1732000000); /* … then more recent matches than one pool holds */
	struct search_hit *h;
	assert_int_equal(search("انتخابات", 0, &a, &h), 20);
	for (size_t i = 0; i < 20; i++)
		assert_int_not_equal(h[i].article.id, best_old);
	assert_true(h[0].article.published >= 1732000000 + 1000 - 400); /* from the newest pool */
	/* a rarer query still reaches back to it */
	assert_int_equal(search("انتخابات -نتیجه", 0, &a, &h), 1);
	assert_int_equal(h[0].article.id, best_old);
	/* an outlet with no match in the pool widens to all of that outlet's matches */
	assert_int_equal(search("انتخابات", v3, &a, &h), 0);
	arena_release(&a);
}

/* every_match_ranked: the ids of the best `want` matches of the one-word query `word` over
 * all its matches (fewer than 64, so its frequency is exact), scored as store_search scores
 * the pool (chapar_rank, a week's age halving it) with nothing stopped early; *n gets how
 * many. */
static size_t every_match_ranked(const char *word, int64_t now, int64_t *ids, size_t want)
{
	char expr[128];
	snprintf(expr, sizeof expr, "\"%s\"", word);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	double df = (double)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	assert_true(df < 64);
	assert_int_equal(sqlite3_prepare_v2(st->db, "SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
					    " WHERE articles_fts MATCH ?1 ORDER BY chapar_rank(articles_fts, ?2)"
					    " / (1.0 + max(?3 - a.published, 0) / 604800.0), a.id DESC LIMIT ?4",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, &df, sizeof df, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)want);
	size_t n = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void stops_walking_only_when_no_older_match_can_reach_the_page(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	int64_t now = 1732800000, day = 86400;
	/* 60 matches over 30 weeks, oldest first: the newer ones mention the word once in a long
	 * body, every fifth older one in its title, repeated (a BM25 near its ceiling), so the
	 * best page mixes recent weak matches with older strong ones; 200 articles without it. */
	for (int i = 0; i < 260; i++) {
		char url[64], title[256], body[512];
		snprintf(url, sizeof url, "https://fars/walk/%d", i);
		bool match = i % 13 < 3, strong = match && i % 5 == 0;
		snprintf(title, sizeof title, "%s خبر شماره %d", strong ? "زلزله زلزله زلزله" : "گزارش", i);
		snprintf(body, sizeof body, "%s متن گزارش روز درباره بازار و سیاست و ورزش و هوا و خبرهای دیگر شهر.",
			 match && !strong ? "زلزله" : "امروز");
		put(fars, url, title, body, now - (int64_t)(260 - i) * 210 * day / 260);
	}
	int64_t want[20];
	size_t n_want = every_match_ranked("زلزله", now, want, 20);
	assert_int_equal(n_want, 20);
	struct search_query q = { .text = "زلزله", .limit = 20, .now = now };
	struct search_hit *h;
	size_t n = 0;
	assert_int_equal(store_search(st, &q, &a, &h, &n, NULL), CH_OK);
	assert_int_equal(n, n_want);
	bool older_strong = false;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(h[i].article.id, want[i]);
		older_strong |= strstr(h[i].article.title, "زلزله زلزله") && h[i].article.published < now - 60 * day;
	}
	assert_true(older_strong); /* the page does reach back past the newest matches */
	arena_release(&a);
}

static void batches_are_all_or_nothing(void **state)
{
	struct arena a;
	arena_init(&a, 0);
	struct article v[2] = {
		{ .source_id = fars, .url = "https://fars/60", .title = "قطار", .published = 1, .fetched = 1 },
		{ .source_id = fars, .url = NULL, .title = "بی‌نشانی", .published = 1, .fetched = 1 },
	};
	struct ch_error err = { 0 };
	assert_int_equal(store_article_put_many(st, v, 2, NULL, &err), CH_ERR_INVALID);
	struct search_hit *h;
	assert_int_equal(search("قطار", 0, &a, &h), 0);
	assert_int_equal(store_article_put_many(st, v, 1, NULL, NULL), CH_OK);
	assert_int_equal(search("قطار", 0, &a, &h), 1);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_words_in_any_field, setup, teardown),
		cmocka_unit_test_setup_teardown(filters_by_date_and_category, setup, teardown),
		cmocka_unit_test_setup_teardown(keeps_the_index_in_step, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_queries_without_words, setup, teardown),
		cmocka_unit_test_setup_teardown(drops_stop_words_unless_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(ranks_title_over_body_and_new_over_old, setup, teardown),
		cmocka_unit_test_setup_teardown(ranks_the_newest_pool_of_a_common_word, setup, teardown),
		cmocka_unit_test_setup_teardown(stops_walking_only_when_no_older_match_can_reach_the_page, setup, teardown),
		cmocka_unit_test_setup_teardown(batches_are_all_or_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
