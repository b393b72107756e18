/*
 * search_snippet.c — tests the snippets of store_search (src/store/search.c makes them from
 * the stored text with src/text's tokenizer): every spelling the index folds together is
 * marked, a compound is marked whole, a phrase is marked as one, the window prefers a place
 * showing more of the query's words, an ellipsis marks each cut, and the title stands in when
 * only it matches.
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

static char dir[64];
static struct store *st;
static int64_t source;
static int serial;

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/chapar-snippet-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/s.db", dir);
	struct source s = { .name = "فارس", .feed_url = "https://fars/rss" };
	if (store_open(path, &st, NULL) != CH_OK || store_source_add(st, &s, &source, NULL) != CH_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	store_close(st);
	return tmpdir_remove(dir);
}

/* put: store one article. */
static void put(const char *title, const char *lead, const char *body)
{
	char url[64];
	snprintf(url, sizeof url, "https://fars/%d", ++serial);
	struct article a = { .source_id = source, .url = url, .title = title, .lead = lead, .body_text = body,
			     .published = 1732760000, .fetched = 1732760000 };
	assert_int_equal(store_article_put(st, &a, NULL, NULL), CH_OK);
}

/* snippet: the first hit's snippet for q, marks shown as [ and ] (in a static buffer). */
static const char *snippet(const char *q)
{
	static char out[4096];
	struct arena a;
	arena_init(&a, 0);
	struct search_query sq = { .text = q, .limit = 5, .now = 1732800000 };
	struct search_hit *h;
	size_t n = 0;
	assert_int_equal(store_search(st, &sq, &a, &h, &n, NULL), CH_OK);
	assert_true(n >= 1);
	assert_non_null(h[0].snippet);
	size_t o = 0;
	for (const char *p = h[0].snippet; *p && o + 1 < sizeof out; p++)
		out[o++] = *p == SEARCH_MARK_OPEN ? '[' : *p == SEARCH_MARK_CLOSE ? ']' : *p;
	out[o] = 0;
	arena_release(&a);
	return out;
}

static void marks_every_spelling(void **state)
{
	put("عنوان", "خبری از كشور و کشور و كشورها", NULL); /* Arabic kaf, Persian kaf, a plural */
	assert_string_equal(snippet("کشور"), "خبری از [كشور] و [کشور] و [كشورها]");
}

static void marks_compounds_and_phrases_whole(void **state)
{
	put("عنوان", "او بی‌شک امروز به وزارت امور خارجه رفت", NULL);
	assert_string_equal(snippet("شک"), "او [بی‌شک] امروز به وزارت امور خارجه رفت");
	/* four words shown before the match: the window starts after «او» */
	assert_string_equal(snippet("\"امور خارجه\""), "…بی‌شک امروز به وزارت [امور خارجه] رفت");
}

static void prefers_a_window_with_more_words(void **state)
{
	/* «تهران» early, both words together later in the body */
	put("عنوان", NULL,
	    "تهران شهر بزرگی است و یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده"
	    " پانزده شانزده هفده هجده نوزده بیست بیست‌ویک. باران در تهران امروز بارید و رفت");
	const char *s = snippet("تهران باران");
	assert_non_null(strstr(s, "[باران] در [تهران]"));
	assert_true(!strncmp(s, "…", strlen("…")));     /* cut at the start */
	assert_null(strstr(s + strlen("…"), "…"));     /* not at the end: the text ends there */
}

static void cuts_long_text_with_an_ellipsis(void **state)
{
	put("عنوان", NULL,
	    "کلمه اول دوم سوم چهارم پنجم ششم هفتم هشتم نهم دهم یازدهم دوازدهم سیزدهم چهاردهم"
	    " پانزدهم شانزدهم هفدهم هجدهم نوزدهم بیستم بیست‌ویکم بیست‌ودوم بیست‌وسوم بیست‌وچهارم پایان");
	const char *s = snippet("کلمه");
	assert_true(!strncmp(s, "[کلمه] اول", strlen("[کلمه] اول")));
	assert_non_null(strstr(s, "…"));
	assert_null(strstr(s, "پایان"));
}

static void falls_back_to_the_title(void **state)
{
	put("سفر وزیر به باکو", "وزیر امروز سفر کرد", "جزئیات بیشتری منتشر نشد");
	assert_string_equal(snippet("باکو"), "سفر وزیر به [باکو]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(marks_every_spelling, setup, teardown),
		cmocka_unit_test_setup_teardown(marks_compounds_and_phrases_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(prefers_a_window_with_more_words, setup, teardown),
		cmocka_unit_test_setup_teardown(cuts_long_text_with_an_ellipsis, setup, teardown),
		cmocka_unit_test_setup_teardown(falls_back_to_the_title, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
