/*
 * sig_tokens.c — tests for the full-text index's tokens handed to the clustering
 * (store_tokens_keep / store_article_tokens in src/store/fts.c, rank_article.replay in
 * src/rank/sig.c): a signature and its words computed from the tokens the store kept while
 * indexing an article are byte for byte the ones computed by tokenizing the text again, for
 * texts with line breaks, ZWNJ compounds, verb prefixes at a line's end, Arabic letters,
 * digits, overlong words and empty or missing fields; an article updated since, a rolled back
 * batch, another length of text, or a store not keeping tokens gives none; the clustering of a
 * store that kept them gives the same stories, signatures and related rows as one that did not.
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

/* Texts whose tokenization line by line and field by field could disagree. */
static const char *const BODIES[] = {
	"او می\nشود کتاب\nها را خواند.\n\nخط پس از خط خالی",
	"سه\u200cشنبه\u200c\nهای تهران\r\nكتاب عربي ٣٤٥ و 12 و ۶۷۸",
	"\n\n\nفقط خط‌های خالی پیش از متن\n",
	"",
	"یک خط بدون شکست با واژه‌های بسیار و تکراری تکراری تکراری",
	"می\u200cشود\nمی شود\nمیشود\nنمی\u200cتوانند بروند\nخانه\u200cای\u200c\u200cها",
};

static int setup(void **state)
{
	return store_fixture_setup(state, "/tmp/chapar-sigtok-XXXXXX");
}

/* The store and article a replay reads from. */
struct from_store {
	struct store *st;
	int64_t id;
	int calls, hits;
};

/* replay: rank_article.replay from the store, counting the fields it had. */
static bool replay(void *ctx, int field, size_t len, int (*fn)(void *, const char *, size_t, size_t, size_t, bool),
		   void *fn_ctx)
{
	struct from_store *s = ctx;
	s->calls++;
	bool hit = store_article_tokens(s->st, s->id, field, len, fn, fn_ctx);
	s->hits += hit;
	return hit;
}

/* body_of: a body for article i: one of BODIES, sometimes with an overlong word. */
static void body_of(struct buf *b, int i)
{
	buf_adds(b, BODIES[i % (int)(sizeof BODIES / sizeof *BODIES)]);
	if (i % 3 == 1) {
		buf_adds(b, "\n");
		for (int k = 0; k < 300; k++)
			buf_addc(b, 'x');
		buf_adds(b, " پایان");
	}
}

/* put: article i (title, lead, body by i; no lead when i is even) stored in f; its id. */
static int64_t put(struct fixture *f, int i, struct buf *body)
{
	char url[64], title[160];
	snprintf(url, sizeof url, "https://example.ir/news/%d", i);
	snprintf(title, sizeof title, "عنوان شماره %d درباره\nکتاب\u200cها", i);
	buf_reset(body);
	body_of(body, i);
	struct article a = { .source_id = f->source, .url = url, .guid = url, .title = title,
			     .lead = i % 2 ? "لید خبر\nمی\nشود" : NULL, .body_text = body->p,
			     .published = 1704067200 + i * 60, .fetched = 1704067200 + i * 60 };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	return a.id;
}

/* same_sig: the signature and words of article id (fields as stored) computed from the kept
 * tokens and by tokenizing agree; returns whether the kept tokens were used. */
static bool same_sig(struct store *st, int64_t id)
{
	struct arena ar;
	arena_init(&ar, 0);
	struct article got;
	assert_int_equal(store_article_get(st, id, &ar, &got, NULL), CH_OK);
	struct rank_article ra = { .url = got.url, .title = got.title, .lead = got.lead, .body = got.body_text,
				   .published = got.published };
	struct rank_sig *plain = malloc(sizeof *plain), *kept = malloc(sizeof *kept);
	struct rank_words wp = { 0 }, wk = { 0 };
	assert_non_null(plain);
	assert_non_null(kept);
	assert_int_equal(rank_sig_compute_words(&ra, plain, &wp, NULL), CH_OK);
	struct from_store fs = { .st = st, .id = id };
	ra.replay = replay;
	ra.replay_ctx = &fs;
	assert_int_equal(rank_sig_compute_words(&ra, kept, &wk, NULL), CH_OK);
	struct buf bp, bk;
	buf_init(&bp, 1 << 20);
	buf_init(&bk, 1 << 20);
	assert_int_equal(rank_sig_encode(plain, &bp), CH_OK);
	assert_int_equal(rank_sig_encode(kept, &bk), CH_OK);
	assert_int_equal(bp.n, bk.n);
	assert_memory_equal(bp.p, bk.p, bp.n);
	assert_int_equal(wp.n_keys, wk.n_keys);
	assert_int_equal(wp.n_head, wk.n_head);
	assert_int_equal(wp.n_tokens, wk.n_tokens);
	if (wp.n_keys) {
		assert_memory_equal(wp.keys, wk.keys, wp.n_keys * sizeof *wp.keys);
		assert_memory_equal(wp.weights, wk.weights, wp.n_keys);
	}
	for (size_t i = 0; i < wp.n_head; i++) {
		assert_true(wp.head[i].hash == wk.head[i].hash);
		assert_int_equal(wp.head[i].start, wk.head[i].start);
		assert_int_equal(wp.head[i].end, wk.head[i].end);
		assert_int_equal(wp.head[i].field, wk.head[i].field);
	}
	buf_release(&bp);
	buf_release(&bk);
	rank_words_release(&wp);
	rank_words_release(&wk);
	free(plain);
	free(kept);
	arena_release(&ar);
	assert_int_equal(fs.calls, 3);
	assert_true(fs.hits == 0 || fs.hits == 3);
	return fs.hits == 3;
}

/* test_kept_tokens_same_signature: every article's signature from kept tokens equals the
 * tokenized one; tokens are kept only while asked, and dropped by an update or a rollback. */
static void test_kept_tokens_same_signature(void **state)
{
	struct fixture *f = *state;
	struct buf body;
	buf_init(&body, 1 << 16);
	int64_t before = put(f, 0, &body); /* not kept: nobody asked */
	store_tokens_keep(f->st, true);
	int64_t ids[24];
	for (int i = 0; i < 24; i++)
		ids[i] = put(f, i + 1, &body);
	assert_false(same_sig(f->st, before));
	for (int i = 0; i < 24; i++)
		assert_true(same_sig(f->st, ids[i]));

	/* another length of text than was indexed: not these tokens */
	struct from_store fs = { .st = f->st, .id = ids[0] };
	assert_false(replay(&fs, 0, 3, NULL, NULL));

	/* an update drops the article's tokens (its text changed); the others stay */
	char url[64];
	snprintf(url, sizeof url, "https://example.ir/news/%d", 3);
	struct article a = { .source_id = f->source, .url = url, .guid = url, .title = "عنوان تازه",
			     .body_text = "متن تازه\nدر دو خط", .published = 1704067200, .fetched = 1704067200 };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	assert_int_equal(a.id, ids[2]);
	assert_false(same_sig(f->st, ids[2]));
	assert_true(same_sig(f->st, ids[3]));

	/* a rolled back batch: its ids may be reused, so nothing kept survives it */
	assert_int_equal(store_batch_begin(f->st, NULL), CH_OK);
	int64_t gone = put(f, 100, &body);
	assert_true(same_sig(f->st, gone));
	assert_int_equal(store_batch_end(f->st, CH_ERR_INVALID, NULL), CH_ERR_INVALID);
	assert_false(same_sig(f->st, ids[5]));
	int64_t reused = put(f, 101, &body);
	assert_true(same_sig(f->st, reused));

	/* off: nothing is kept */
	store_tokens_keep(f->st, false);
	assert_false(same_sig(f->st, reused));
	assert_false(same_sig(f->st, put(f, 102, &body)));
	buf_release(&body);
}

/* test_clustering_same_with_kept_tokens: the clustering run on a store that kept the tokens
 * (an assigner kept between rounds) stores the same signatures, stories and related rows as
 * one run where every text is tokenized again. */
static void test_clustering_same_with_kept_tokens(void **state)
{
	struct fixture *f = *state;
	struct fixture g = { 0 };
	assert_true(store_fixture_open(&g, f->dir, "u.db"));
	struct rank_assigner *as = NULL;
	assert_int_equal(rank_assigner_new(&as, NULL), CH_OK);
	struct buf body;
	buf_init(&body, 1 << 16);
	size_t n = 0;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20; i++) {
			put(f, round * 20 + i, &body);
			put(&g, round * 20 + i, &body);
		}
		assert_int_equal(rank_assigner_run(as, f->st, &n, NULL), CH_OK); /* keeps tokens after */
		assert_int_equal(n, 20);
	}
	assert_int_equal(rank_assign_all(g.st, &n, NULL), CH_OK); /* tokenizes everything */
	assert_int_equal(n, 60);
	rank_assigner_free(as);
	store_tokens_keep(f->st, false);
	store_fixture_same_clustering(f->st, g.st, 60);
	buf_release(&body);
	store_close(g.st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kept_tokens_same_signature, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_clustering_same_with_kept_tokens, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
