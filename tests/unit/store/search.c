/*
 * search.c — tests full-text search in src/store: the "persian" tokenizer over title, lead and
 * body, phrase and NOT terms, filters, snippets with marks, index upkeep on update and delete,
 * and clear errors for queries with nothing to search.
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
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_words_in_any_field, setup, teardown),
		cmocka_unit_test_setup_teardown(filters_by_date_and_category, setup, teardown),
		cmocka_unit_test_setup_teardown(keeps_the_index_in_step, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_queries_without_words, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
