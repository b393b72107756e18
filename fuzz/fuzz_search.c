/*
 * fuzz_search.c — libFuzzer target for search (src/store/search.c): the reader's query parsed
 * into an FTS5 expression (quotes, NOT terms, stop words) and the snippet built over an
 * article's text. The input is a query, a newline, then the article's body; the article is
 * stored in an in-memory store (updated in place each run) and searched for. Checks that every
 * hit's snippet is valid UTF-8 and that its marks open and close in turn.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "store/store.h"

static struct store *st;
static int64_t source_id;

/* check_snippet: abort unless s is valid UTF-8 with its marks paired and never nested. */
static void check_snippet(const char *s)
{
	if (!s)
		return;
	if (!utf8_valid(s, strlen(s)))
		abort();
	bool open = false;
	for (; *s; s++) {
		if (*s == SEARCH_MARK_OPEN) {
			if (open)
				abort();
			open = true;
		} else if (*s == SEARCH_MARK_CLOSE) {
			if (!open)
				abort();
			open = false;
		}
	}
	if (open)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st) {
		struct source src = { .name = "fuzz", .feed_url = "https://fuzz/rss" };
		if (store_open(":memory:", &st, NULL) != CH_OK || store_source_add(st, &src, &source_id, NULL) != CH_OK)
			abort();
	}
	struct buf query, body;
	buf_init(&query, 1 << 20);
	buf_init(&body, 1 << 20);
	const uint8_t *nl = memchr(data, '\n', size);
	size_t qlen = nl ? (size_t)(nl - data) : size;
	utf8_repair(&query, (const char *)data, qlen);
	if (nl)
		utf8_repair(&body, (const char *)nl + 1, size - qlen - 1);
	struct article a = { .source_id = source_id, .url = "https://fuzz/1", .guid = "1",
			     .title = "عنوان خبر", .lead = buf_str(&query), .body_text = buf_str(&body),
			     .published = 1700000000, .fetched = 1700000000 };
	if (store_article_put(st, &a, NULL, NULL) != CH_OK)
		abort();
	struct arena ar;
	arena_init(&ar, 0);
	struct search_query q = { .text = buf_str(&query), .limit = 5, .now = 1700000000 };
	struct search_hit *hits;
	size_t n = 0;
	if (store_search(st, &q, &ar, &hits, &n, NULL) == CH_OK)
		for (size_t i = 0; i < n; i++)
			check_snippet(hits[i].snippet);
	arena_release(&ar);
	buf_release(&query);
	buf_release(&body);
	return 0;
}
