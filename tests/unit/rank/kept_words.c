/*
 * kept_words.c — tests the words the clustering keeps in the store (rank_words_encode /
 * rank_words_decode, src/rank/assign.c's load_window): a blob gives back the words it was made
 * of and a damaged one is refused; runs that read the window's words from the store give the
 * same stories and related lists as runs that tokenize the window again; every clustered
 * article's words are kept, and dropped once they are older than any window needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store_fixture.h"

#include "rank/assign.h"

enum { HOUR = 3600, DAY = 86400 };
static const int64_t T0 = 1704067200;

/* test_blob_round_trip: encode then decode gives the same keys, weights and token count;
 * damaged blobs are CH_ERR_PARSE. */
static void test_blob_round_trip(void **state)
{
	(void)state;
	struct rank_article a = { .title = "سیل در اصفهان و سیل در شیراز",
				  .lead = "امدادگران به منطقه رسیدند",
				  .body = "باران شدید\nخسارت به خانه‌ها و جاده‌ها 12 روستا" };
	struct rank_sig *sig = malloc(sizeof *sig);
	assert_non_null(sig);
	struct rank_words w = { 0 }, back = { 0 };
	assert_int_equal(rank_sig_compute_words(&a, sig, &w, NULL), CH_OK);
	assert_true(w.n_keys > 8);
	struct buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(rank_words_encode(&w, &b), CH_OK);
	assert_int_equal(b.n, 12 + 9 * w.n_keys);
	assert_int_equal(rank_words_decode(b.p, b.n, &back, NULL), CH_OK);
	assert_int_equal(back.n_keys, w.n_keys);
	assert_int_equal(back.n_tokens, w.n_tokens);
	assert_int_equal(back.n_head, 0);
	assert_memory_equal(back.keys, w.keys, w.n_keys * sizeof *w.keys);
	assert_memory_equal(back.weights, w.weights, w.n_keys);

	struct ch_error e = { 0 };
	assert_int_equal(rank_words_decode(b.p, b.n - 1, &back, &e), CH_ERR_PARSE); /* cut short */
	assert_int_equal(rank_words_decode(b.p, 5, &back, &e), CH_ERR_PARSE);
	char *bad = malloc(b.n);
	assert_non_null(bad);
	memcpy(bad, b.p, b.n);
	bad[0] = 'x'; /* not a words blob */
	assert_int_equal(rank_words_decode(bad, b.n, &back, &e), CH_ERR_PARSE);
	memcpy(bad, b.p, b.n);
	memcpy(bad + 12, b.p + 20, 8); /* the first key equal to the second: not ascending */
	assert_int_equal(rank_words_decode(bad, b.n, &back, &e), CH_ERR_PARSE);
	assert_int_equal(back.n_keys, 0);
	memcpy(bad, b.p, b.n);
	bad[4] = 1, bad[5] = bad[6] = bad[7] = 0; /* fewer tokens than distinct words */
	assert_int_equal(rank_words_decode(bad, b.n, &back, &e), CH_ERR_PARSE);

	struct buf small; /* too small a limit: refused, nothing written */
	buf_init(&small, 16);
	assert_int_equal(rank_words_encode(&w, &small), CH_ERR_LIMIT);
	assert_int_equal(small.n, 0);
	buf_release(&small);
	free(bad);
	buf_release(&b);
	rank_words_release(&w);
	rank_words_release(&back);
	free(sig);
}

static int setup(void **state)
{
	return store_fixture_setup(state, "/tmp/chapar-kwords-XXXXXX");
}

/* put: store article seed published at when: a title of words from a small vocabulary (so
 * titles share words and related lists fill), a body of many; every fifth a copy of the one
 * before (same body: the same story). Returns its id. */
static int64_t put(struct fixture *f, int64_t when, unsigned seed)
{
	struct buf t, body;
	buf_init(&t, 4096);
	buf_init(&body, 1 << 16);
	unsigned text = seed % 5 == 0 ? seed - 1 : seed;
	store_fixture_words(&t, "واژه", text, 5, 400);
	store_fixture_words(&body, "واژه", text * 7 + 1, 80, 20000);
	int64_t id = store_fixture_put(f, seed, t.p, body.p, when);
	buf_release(&t);
	buf_release(&body);
	return id;
}

/* kept_in_window: how many of the clustered articles published in [from, to] have words kept,
 * into *with, and how many there are (returned). */
static size_t kept_in_window(struct store *st, int64_t from, int64_t to, size_t *with)
{
	struct arena a;
	arena_init(&a, 0);
	struct window_article *v = NULL;
	size_t n = 0;
	assert_int_equal(store_articles_window(st, from, to, &a, &v, &n, NULL), CH_OK);
	*with = 0;
	for (size_t i = 0; i < n; i++)
		*with += v[i].words != NULL;
	arena_release(&a);
	return n;
}

/* test_same_with_kept_words: the same articles into two stores, clustered in rounds, each
 * round a new run (as `chapar fetch --once` does): one reads the window's words the runs
 * before kept, the other has them dropped before every run and tokenizes the window. Same
 * stories, same related lists; the words of old articles are pruned, recent ones kept. */
static void test_same_with_kept_words(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { 0 };
	assert_true(store_fixture_open(&g, f->dir, "u.db"));
	unsigned seed = 1;
	int64_t last = 0;
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 30; i++) {
			last = T0 + round * 2 * DAY + i * HOUR;
			put(f, last, seed);
			put(&g, last, seed);
			seed++;
		}
		size_t nf = 0, ng = 0;
		assert_int_equal(store_article_words_prune(g.st, INT64_MAX, NULL), CH_OK);
		assert_int_equal(rank_assign_all(f->st, &nf, NULL), CH_OK);
		assert_int_equal(rank_assign_all(g.st, &ng, NULL), CH_OK);
		assert_int_equal(nf, 30);
		assert_int_equal(ng, 30);
	}
	size_t related_rows = store_fixture_same_clustering(f->st, g.st, (int64_t)seed - 1);
	assert_true(related_rows > 100); /* the lists were not trivially empty */
	size_t with = 0;
	/* the last six days (two windows) keep their words, older ones were dropped */
	size_t n = kept_in_window(f->st, last - 6 * DAY + HOUR, last, &with);
	assert_true(n > 60);
	assert_int_equal(with, n);
	n = kept_in_window(f->st, T0, last - 6 * DAY - HOUR, &with);
	assert_true(n > 0);
	assert_int_equal(with, 0);
	store_close(g.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_round_trip),
		cmocka_unit_test_setup_teardown(test_same_with_kept_words, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
