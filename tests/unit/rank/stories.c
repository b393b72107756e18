/*
 * stories.c — tests for src/rank/stories.c and sig.c: the story index on small generated
 * articles (republished copies, copies with no body, reordered paragraphs, exact URL duplicates,
 * round-ups, follow-ups, the window, credited leads) and the signature blob round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rank/rank.h"

enum { HOUR = 3600, DAY = 86400 };
static const int64_t T0 = 1704067200 + 8 * HOUR; /* 2024-01-01 11:30 Tehran */

/* para: append a paragraph of n pseudo-random words drawn by seed (same seed, same words). */
static void para(struct buf *b, unsigned seed, int n)
{
	uint32_t x = seed * 2654435761u + 12345u;
	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf_addf(b, "%sw%u", i ? " " : "", (x >> 8) % 5000);
	}
	buf_adds(b, "\n");
}

/* An article built from paragraph seeds; strings owned by the struct. */
struct art {
	struct rank_article a;
	struct buf title, lead, body;
};

/* make: an article whose title, lead and body paragraphs come from the seeds (body seeds end at
 * 0). */
static void make(struct art *t, const char *id, const char *source, const char *url, int64_t when,
		 unsigned title_seed, unsigned lead_seed, const unsigned *body_seeds)
{
	buf_init(&t->title, BUF_NO_LIMIT);
	buf_init(&t->lead, BUF_NO_LIMIT);
	buf_init(&t->body, BUF_NO_LIMIT);
	para(&t->title, title_seed, 8);
	para(&t->lead, lead_seed, 30);
	for (const unsigned *s = body_seeds; s && *s; s++)
		para(&t->body, *s, 60);
	memset(&t->a, 0, sizeof t->a);
	t->a.id = id;
	t->a.source = source;
	t->a.url = url;
	t->a.title = buf_str(&t->title);
	t->a.lead = buf_str(&t->lead);
	t->a.body = buf_str(&t->body);
	t->a.published = when;
}

/* drop: release an article. */
static void drop(struct art *t)
{
	buf_release(&t->title);
	buf_release(&t->lead);
	buf_release(&t->body);
}

/* add: cluster t under key and return the assignment. */
static struct rank_assignment add(struct rank_stories *ix, int64_t key, struct art *t)
{
	struct rank_assignment a;
	struct ch_error err;
	assert_int_equal(rank_stories_add(ix, key, &t->a, &a, &err), CH_OK);
	return a;
}

/* test_copies: copies join the original's story; an unrelated article does not. */
static void test_copies(void **state)
{
	(void)state;
	struct rank_stories *ix = rank_stories_new(NULL);
	static const unsigned body[] = { 11, 12, 13, 14, 0 }, reordered[] = { 14, 12, 13, 11, 0 },
			      cut[] = { 11, 12, 0 }, other[] = { 21, 22, 23, 0 };
	struct art orig, copy, nobody, reord, cutc, unrel;
	make(&orig, "o", "فارس", "https://www.farsnews.ir/news/1", T0, 1, 2, body);
	make(&copy, "c", "عرشه", "https://arshe.ir/9", T0 + 600, 3 /* reworded title */, 2, body);
	make(&nobody, "n", "تابناک", "https://tabnak.ir/5", T0 + 900, 1, 2, NULL);
	make(&reord, "r", "انتخاب", "https://entekhab.ir/5", T0 + 1200, 1, 2, reordered);
	make(&cutc, "k", "روزنو", "https://roozno.com/5", T0 + 1300, 1, 2, cut);
	make(&unrel, "u", "فارس", "https://www.farsnews.ir/news/2", T0 + 1400, 4, 5, other);
	struct rank_assignment a = add(ix, 1, &orig);
	assert_true(a.new_story);
	assert_int_equal(a.story, 1);
	a = add(ix, 2, &copy);
	assert_false(a.new_story);
	assert_int_equal(a.story, 1);
	assert_true(a.score >= 0.5);
	assert_int_equal(add(ix, 3, &nobody).story, 1);
	assert_int_equal(add(ix, 4, &reord).story, 1);
	assert_int_equal(add(ix, 5, &cutc).story, 1);
	a = add(ix, 6, &unrel);
	assert_true(a.new_story);
	assert_int_equal(a.story, 6);
	assert_int_equal(rank_stories_live(ix), 6);
	drop(&orig), drop(&copy), drop(&nobody), drop(&reord), drop(&cutc), drop(&unrel);
	rank_stories_free(ix);
}

/* test_exact: the same canonical URL joins whatever the text; the same body joins too. */
static void test_exact(void **state)
{
	(void)state;
	struct rank_stories *ix = rank_stories_new(NULL);
	static const unsigned b1[] = { 31, 32, 0 }, b2[] = { 41, 42, 0 };
	struct art x, y, z;
	make(&x, "x", "فارس", "https://www.farsnews.ir/news/7", T0, 30, 33, b1);
	make(&y, "y", "فارس", "http://farsnews.ir/news/7/?utm_source=tg#c", T0 + 60, 40, 43, b2);
	make(&z, "z", "دیگر", "https://other.ir/1", T0 + 120, 50, 53, b1);
	add(ix, 1, &x);
	struct rank_assignment a = add(ix, 2, &y);
	assert_true(a.exact);
	assert_int_equal(a.story, 1);
	a = add(ix, 3, &z);
	assert_true(a.exact);
	assert_int_equal(a.story, 1);
	drop(&x), drop(&y), drop(&z);
	rank_stories_free(ix);
}

/* test_roundup: a round-up quoting two stories' titles and leads merges neither, and a copy
 * with no body of each still joins its own story. */
static void test_roundup(void **state)
{
	(void)state;
	struct rank_stories *ix = rank_stories_new(NULL);
	static const unsigned ba[] = { 61, 62, 63, 0 }, bb[] = { 71, 72, 73, 0 };
	struct art sa, sb, ca, cb, ru;
	make(&sa, "a", "فارس", "https://f.ir/a", T0, 60, 64, ba);
	make(&sb, "b", "ایسنا", "https://i.ir/b", T0 + 60, 70, 74, bb);
	make(&ca, "ca", "x", "https://x.ir/ca", T0 + 120, 60, 64, NULL);
	make(&cb, "cb", "y", "https://y.ir/cb", T0 + 180, 70, 74, NULL);
	/* the round-up: both titles and leads, nothing else */
	make(&ru, "ru", "z", "https://z.ir/r", T0 + 10 * HOUR, 99, 98, NULL);
	buf_reset(&ru.body);
	para(&ru.body, 60, 8), para(&ru.body, 64, 30), para(&ru.body, 70, 8), para(&ru.body, 74, 30);
	ru.a.body = buf_str(&ru.body);
	assert_int_equal(add(ix, 1, &sa).story, 1);
	assert_int_equal(add(ix, 2, &sb).story, 2);
	assert_int_equal(add(ix, 3, &ca).story, 1);
	assert_int_equal(add(ix, 4, &cb).story, 2);
	/* through a signature: the digest flag lands in it and survives the blob */
	struct rank_sig *sig = malloc(sizeof *sig), *back = malloc(sizeof *back);
	struct rank_assignment a;
	assert_int_equal(rank_sig_compute(&ru.a, sig, NULL), CH_OK);
	assert_int_equal(sig->flags, 0);
	assert_int_equal(rank_stories_add_sig(ix, 5, sig, &a, NULL), CH_OK);
	assert_true(a.new_story);
	assert_true(a.digest);
	assert_true(sig->flags & RANK_SIG_DIGEST);
	struct buf blob;
	buf_init(&blob, BUF_NO_LIMIT);
	assert_int_equal(rank_sig_encode(sig, &blob), CH_OK);
	assert_int_equal(rank_sig_decode(blob.p, blob.n, back, NULL), CH_OK);
	assert_true(back->flags & RANK_SIG_DIGEST);
	buf_release(&blob);
	free(sig), free(back);
	/* after the round-up: another lead-only copy of a joins a, not the round-up that holds it
	 * whole; a copy of the round-up joins the round-up */
	struct art ca2, ru2;
	make(&ca2, "ca2", "w", "https://w.ir/ca2", T0 + 11 * HOUR, 60, 64, NULL);
	a = add(ix, 6, &ca2);
	assert_int_equal(a.story, 1);
	assert_false(a.digest);
	make(&ru2, "ru2", "v", "https://v.ir/r", T0 + 12 * HOUR, 99, 98, NULL);
	buf_reset(&ru2.body);
	buf_add(&ru2.body, ru.body.p, ru.body.n);
	ru2.a.body = buf_str(&ru2.body);
	a = add(ix, 7, &ru2);
	assert_int_equal(a.story, 5);
	drop(&ca2), drop(&ru2);
	drop(&sa), drop(&sb), drop(&ca), drop(&cb), drop(&ru);
	rank_stories_free(ix);
}

/* test_followup: tomorrow's article repeating today's background paragraph and title words is
 * its own story; the same text after the window is a new story too. */
static void test_followup(void **state)
{
	(void)state;
	struct rank_stories *ix = rank_stories_new(NULL);
	static const unsigned b[] = { 81, 82, 0 }, fb[] = { 91, 81, 92, 0 };
	struct art s, f, later;
	make(&s, "s", "فارس", "https://f.ir/s", T0, 80, 83, b);
	make(&f, "f", "ایسنا", "https://i.ir/f", T0 + 20 * HOUR, 80, 93, fb);
	make(&later, "l", "ایرنا", "https://irna.ir/l", T0 + 4 * DAY, 80, 83, b);
	add(ix, 1, &s);
	assert_true(add(ix, 2, &f).new_story);
	struct rank_assignment a = add(ix, 3, &later);
	assert_true(a.new_story);
	assert_int_equal(rank_stories_live(ix), 1);
	drop(&s), drop(&f), drop(&later);
	rank_stories_free(ix);
}

/* test_credit: the outlet a copy credits leads the story once it is in it; before, the first
 * article leads. */
static void test_credit(void **state)
{
	(void)state;
	struct rank_stories *ix = rank_stories_new(NULL);
	static const unsigned b[] = { 101, 102, 0 };
	struct art agg, orig, third;
	make(&agg, "g", "عرشه آنلاین", "https://arshe.ir/1", T0, 100, 103, b);
	agg.a.source_credit = "فارس";
	make(&orig, "o", " فارس ", "https://farsnews.ir/1", T0 + 60, 100, 103, b);
	make(&third, "t", "تابناک", "https://tabnak.ir/1", T0 + 120, 100, 103, NULL);
	struct rank_assignment a = add(ix, 1, &agg);
	assert_int_equal(a.lead, 1);
	a = add(ix, 2, &orig);
	assert_int_equal(a.story, 1);
	assert_int_equal(a.lead, 2);
	a = add(ix, 3, &third);
	assert_int_equal(a.lead, 2);
	drop(&agg), drop(&orig), drop(&third);
	rank_stories_free(ix);
}

/* test_sig_restore: a signature survives the blob round trip; restored articles keep their
 * story and new copies join it. */
static void test_sig_restore(void **state)
{
	(void)state;
	static const unsigned b[] = { 111, 112, 113, 0 };
	struct art x, copy;
	make(&x, "x", "فارس", "https://f.ir/x", T0, 110, 114, b);
	make(&copy, "c", "عرشه", "https://arshe.ir/x", T0 + 60, 115, 114, b);
	struct rank_sig *sig = malloc(sizeof *sig), *back = malloc(sizeof *back);
	assert_int_equal(rank_sig_compute(&x.a, sig, NULL), CH_OK);
	assert_true(sig->n > 50 && sig->n == sig->shingles);
	struct buf blob;
	buf_init(&blob, BUF_NO_LIMIT);
	assert_int_equal(rank_sig_encode(sig, &blob), CH_OK);
	assert_int_equal(blob.n, 56 + 4 * (size_t)sig->n);
	assert_int_equal(rank_sig_decode(blob.p, blob.n, back, NULL), CH_OK);
	assert_int_equal(back->n, sig->n);
	assert_memory_equal(back->v, sig->v, sig->n * sizeof *sig->v);
	assert_true(back->url_hash == sig->url_hash && back->body_hash == sig->body_hash &&
		    back->published == sig->published && back->credit_hash == sig->credit_hash);
	struct ch_error err;
	assert_int_equal(rank_sig_decode(blob.p, blob.n - 1, back, &err), CH_ERR_PARSE);
	blob.p[0] = 'x';
	assert_int_equal(rank_sig_decode(blob.p, blob.n, back, &err), CH_ERR_PARSE);

	struct rank_stories *ix = rank_stories_new(NULL);
	assert_int_equal(rank_stories_restore(ix, 500, sig, 400, NULL), CH_OK);
	struct rank_assignment a = add(ix, 501, &copy);
	assert_int_equal(a.story, 400);
	assert_false(a.new_story);
	rank_stories_free(ix);
	buf_release(&blob);
	free(sig), free(back);
	drop(&x), drop(&copy);
}

/* test_many: a long stream (more than the window, so expiry and compaction run) keeps every
 * copy with its original. */
static void test_many(void **state)
{
	(void)state;
	struct rank_stories_opts o = rank_stories_opts_default();
	o.window = 6 * HOUR;
	struct rank_stories *ix = rank_stories_new(&o);
	for (unsigned i = 0; i < 400; i++) {
		unsigned b[] = { 1000 + 3 * i, 1001 + 3 * i, 0 };
		struct art x, c;
		make(&x, "x", "a", NULL, T0 + 600 * i, 5000 + i, 6000 + i, b);
		make(&c, "c", "b", NULL, T0 + 600 * i + 1, 7000 + i, 6000 + i, b);
		struct rank_assignment a = add(ix, 2 * i, &x);
		assert_true(a.new_story);
		a = add(ix, 2 * i + 1, &c);
		assert_int_equal(a.story, 2 * i);
		drop(&x), drop(&c);
	}
	assert_true(rank_stories_live(ix) <= 2 * 37);
	rank_stories_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copies),   cmocka_unit_test(test_exact),
		cmocka_unit_test(test_roundup),  cmocka_unit_test(test_followup),
		cmocka_unit_test(test_credit),   cmocka_unit_test(test_sig_restore),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
