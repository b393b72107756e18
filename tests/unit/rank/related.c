/*
 * related.c — tests for related articles computed at ingest (src/rank/assign.c with
 * src/store/related.c) and for the sliding-window document counts they use (src/rank/df.c):
 * counts rise and expire with the window, survive the table's rebuilds, and an article's
 * "read more" holds the earlier article of another story that shares a rare title word, both
 * while the counts come from the full-text index (the run's first days) and once they come from
 * memory, and never an article that shares none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store_fixture.h"

#include "rank/assign.h"

enum { HOUR = 3600, DAY = 86400 };
static const int64_t T0 = 1704067200;

/* test_df_window: counts per word, expiry with the window, coverage. */
static void test_df_window(void **state)
{
	(void)state;
	struct rank_df *df = rank_df_new(100);
	assert_non_null(df);
	assert_false(rank_df_covers(df, 1000));
	const uint64_t a[] = { 1, 2 }, b[] = { 2, 3, 5 }, c[] = { 3 };
	assert_int_equal(rank_df_add(df, 0, a, 2), CH_OK);
	assert_int_equal(rank_df_add(df, 50, b, 3), CH_OK);
	assert_int_equal(rank_df_count(df, 1), 1);
	assert_int_equal(rank_df_count(df, 2), 2);
	assert_int_equal(rank_df_count(df, 5), 1);
	assert_int_equal(rank_df_count(df, 7), 0);
	assert_false(rank_df_covers(df, 50));
	assert_true(rank_df_covers(df, 100));
	assert_int_equal(rank_df_add(df, 120, c, 1), CH_OK); /* the article at 0 leaves */
	assert_int_equal(rank_df_count(df, 1), 0);
	assert_int_equal(rank_df_count(df, 2), 1);
	assert_int_equal(rank_df_count(df, 3), 2);
	rank_df_free(df);
}

/* test_df_many: many words and articles through rebuilds and queue moves: counts stay exact. */
static void test_df_many(void **state)
{
	(void)state;
	enum { ARTICLES = 3000, WORDS = 60, WINDOW = 500 };
	struct rank_df *df = rank_df_new(WINDOW);
	assert_non_null(df);
	uint64_t h[WORDS];
	for (int i = 0; i < ARTICLES; i++) {
		for (int w = 0; w < WORDS; w++) /* word w of article i: shared by articles of i / 10 */
			h[w] = (uint64_t)(i / 10) * 1000003u + (uint64_t)w * 7919u + 11;
		assert_int_equal(rank_df_add(df, i, h, WORDS), CH_OK);
	}
	/* articles 2499..2999 count; article group 299 (2990..2999) holds its words 10 times */
	assert_int_equal(rank_df_count(df, 299u * 1000003u + 5u * 7919u + 11), 10);
	assert_int_equal(rank_df_count(df, 250u * 1000003u + 5u * 7919u + 11), 10); /* 2500..2509 */
	assert_int_equal(rank_df_count(df, 249u * 1000003u + 5u * 7919u + 11), 1);  /* 2499 only */
	assert_int_equal(rank_df_count(df, 10u * 1000003u + 5u * 7919u + 11), 0);
	rank_df_free(df);
}

/* test_df_related: the inverted index finds the articles sharing the asked words, the one
 * sharing more (or rarer, or weightier) words first; skips the asking article, its story,
 * articles outside the time window and articles that left the counts' window. */
static void test_df_related(void **state)
{
	(void)state;
	struct rank_df *df = rank_df_new(1000);
	assert_non_null(df);
	const uint64_t common[] = { 1, 2, 3 }, both[] = { 1, 2, 3, 10, 20 }, one[] = { 3, 10 },
		       other_story[] = { 10, 20 }, far[] = { 10, 20 }, heavy_w[] = { 30 };
	const uint8_t heavy[] = { 9 };
	struct rank_df_doc docs[] = {
		{ .id = 1, .story = 1, .published = 0, .hashes = far, .n = 2 },        /* leaves */
		{ .id = 2, .story = 2, .published = 1500, .hashes = common, .n = 3 },
		{ .id = 3, .story = 3, .published = 1600, .hashes = one, .n = 2 },
		{ .id = 4, .story = 4, .published = 1700, .hashes = both, .n = 5 },
		{ .id = 5, .story = 9, .published = 1800, .hashes = other_story, .n = 2 },
		{ .id = 6, .story = 6, .published = 1850, .hashes = heavy_w, .weights = heavy, .n = 1 },
		{ .id = 7, .story = 7, .published = 1860, .hashes = heavy_w, .n = 1 },
		{ .id = 8, .story = 9, .published = 1900, .hashes = both, .n = 5 }, /* the asking one */
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		assert_int_equal(rank_df_add_doc(df, &docs[i]), CH_OK);
	assert_int_equal(rank_df_count(df, 10), 4); /* articles 3, 4, 5, 8: 1 left the window */
	const uint64_t words[] = { 10, 20 };
	struct rank_df_query q = { .id = 8, .story = 9, .published = 1900, .window = 250,
				   .words = words, .n_words = 2 };
	int64_t out[8];
	size_t n = rank_df_related(df, &q, out, 8);
	assert_int_equal(n, 1); /* 3 is too early for a 250 s window; 5 is of story 9 */
	assert_int_equal(out[0], 4);
	q.window = 1000;
	n = rank_df_related(df, &q, out, 8);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 4); /* two shared words before one */
	assert_int_equal(out[1], 3);
	assert_int_equal(rank_df_related(df, &q, out, 1), 1);
	const uint64_t w30[] = { 30 };
	q.words = w30;
	q.n_words = 1;
	n = rank_df_related(df, &q, out, 8);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 6); /* the weightier holder first */
	rank_df_free(df);
}

static int setup(void **state)
{
	return store_fixture_setup(state, "/tmp/chapar-related-XXXXXX");
}

/* words: append n pseudo-random words drawn by seed (same seed, same words). */
static void words(struct buf *b, unsigned seed, int n)
{
	uint32_t x = seed * 2654435761u + 12345u;
	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf_addf(b, "%sw%u", i ? " " : "", (x >> 8) % 50000);
	}
}

/* put: store an article with title prefix + words of seed, a body of seed's words; its id. */
static int64_t put(struct fixture *f, int64_t when, const char *title, unsigned seed)
{
	struct buf t, body;
	buf_init(&t, 4096);
	buf_init(&body, 1 << 16);
	buf_addf(&t, "%s ", title);
	words(&t, seed, 4);
	words(&body, seed * 7 + 1, 120);
	int64_t id = store_fixture_put(f, seed, t.p, body.p, when);
	buf_release(&t);
	buf_release(&body);
	return id;
}

/* related_has: whether id's kept related articles include other. */
static bool related_has(struct store *st, int64_t id, int64_t other)
{
	struct arena a;
	arena_init(&a, 0);
	struct article *v = NULL;
	size_t n = 0;
	assert_int_equal(store_related_list(st, id, 8, &a, &v, &n, NULL), CH_OK);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		found |= v[i].id == other;
	arena_release(&a);
	return found;
}

/* test_related_at_ingest: over eight days of unrelated articles, two pairs share a rare
 * word of their titles (one pair on day 1, one on day 6): the later of each pair lists the
 * earlier; an unrelated article lists neither. */
static void test_related_at_ingest(void **state)
{
	struct fixture *f = *state;
	unsigned seed = 1;
	int64_t early_a = 0, early_b = 0, late_a = 0, late_b = 0, other = 0;
	for (int64_t t = T0; t < T0 + 8 * DAY; t += 2 * HOUR) {
		put(f, t, "گزارش", seed++);
		if (t == T0 + 1 * DAY)
			early_a = put(f, t + 1, "سیل در اصفهان", seed++);
		if (t == T0 + 1 * DAY + 4 * HOUR)
			early_b = put(f, t + 1, "کمک به سیل‌زدگان اصفهان", seed++);
		if (t == T0 + 6 * DAY)
			late_a = put(f, t + 1, "زلزله در کرمانشاه", seed++);
		if (t == T0 + 6 * DAY + 2 * HOUR)
			other = put(f, t + 1, "بازار ارز", seed++);
		if (t == T0 + 6 * DAY + 4 * HOUR)
			late_b = put(f, t + 1, "امداد به زلزله‌زدگان کرمانشاه", seed++);
	}
	size_t assigned = 0;
	assert_int_equal(rank_assign_all(f->st, &assigned, NULL), CH_OK);
	assert_true(assigned > 90);
	assert_true(related_has(f->st, early_b, early_a));
	assert_true(related_has(f->st, late_b, late_a));
	assert_false(related_has(f->st, late_b, other));
	assert_false(related_has(f->st, other, late_a));
	assert_false(related_has(f->st, late_a, late_b)); /* computed at ingest: b came later */
	/* a later run (a new process) finds the articles clustered before it from the store */
	int64_t again = put(f, T0 + 7 * DAY, "بازسازی کرمانشاه پس از زلزله", seed++);
	assert_int_equal(rank_assign_all(f->st, &assigned, NULL), CH_OK);
	assert_int_equal(assigned, 1);
	assert_true(related_has(f->st, again, late_a) || related_has(f->st, again, late_b));
	assert_false(related_has(f->st, again, early_a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_df_window),
		cmocka_unit_test(test_df_many),
		cmocka_unit_test(test_df_related),
		cmocka_unit_test_setup_teardown(test_related_at_ingest, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
