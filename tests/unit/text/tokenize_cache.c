/*
 * tokenize_cache.c — unit test for the tokenizer's stem cache (fold.c): a cached stem must be
 * the one the lexicon gives. Every line of the seed page and of the stem and normalization
 * cases is tokenized (document mode) on a thread of its own, whose cache starts empty, so each
 * of its words is stemmed from the lexicon the first time; then all lines are tokenized again on
 * one thread, many rounds in a shuffled order, so most words come from the cache, some after
 * another word took their slot: each line must give the very tokens it gave alone. Each
 * thread's cache is freed when the thread ends (the ASan run checks for leaks).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

enum { MAX_LINES = 400, ROUNDS = 40 };

struct line {
	const char *s;
	size_t n;
	struct buf tokens; /* its tokens, written by dump_token */
};

/* dump_token: text_token_fn appending one token (key, range, colocation) to the buf in ctx. */
static int dump_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct buf *b = ctx;
	char head[64];
	snprintf(head, sizeof head, "%zu-%zu%s ", start, end, colocated ? "c" : "");
	buf_adds(b, head);
	buf_add(b, key, key_len);
	buf_addc(b, '\n');
	return 0;
}

/* tokenize_cold: pthread start routine tokenizing one line on a fresh thread. */
static void *tokenize_cold(void *arg)
{
	struct line *l = arg;
	text_tokenize(l->s, l->n, TEXT_TOK_DOCUMENT, dump_token, &l->tokens);
	return NULL;
}

/* add_lines: each line of path (for cases, the text before the tab; comments skipped). */
static void add_lines(const char *path, bool cases, struct buf *file, struct line *lines, size_t *count)
{
	buf_init(file, 1 << 22);
	assert_int_equal(file_read(path, file, NULL), CH_OK);
	for (const char *p = file->p, *end = file->p + file->n; p < end && *count < MAX_LINES;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		if (e > p && !(cases && (p[0] == '#' || !tab)))
			lines[(*count)++] = (struct line){ .s = p, .n = (size_t)((cases ? tab : e) - p) };
		p = e + 1;
	}
}

static void warm_cache_gives_the_lexicons_stems(void **state)
{
	(void)state;
	static struct line lines[MAX_LINES];
	struct buf files[3];
	size_t count = 0;
	add_lines(TEST_DATA_DIR "/text/seed_000_02f99fe4b705e8eb.txt", false, &files[0], lines, &count);
	add_lines(TEST_DATA_DIR "/text/stems.txt", true, &files[1], lines, &count);
	add_lines(TEST_DATA_DIR "/text/normalize.txt", true, &files[2], lines, &count);
	assert_true(count > 100);
	for (size_t i = 0; i < count; i++) {
		buf_init(&lines[i].tokens, 1 << 20);
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, tokenize_cold, &lines[i]), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
	}
	struct buf got;
	buf_init(&got, 1 << 20);
	uint32_t rng = 1403;
	for (int round = 0; round < ROUNDS; round++)
		for (size_t k = 0; k < count; k++) {
			rng = rng * 1664525u + 1013904223u;
			struct line *l = &lines[(rng >> 8) % count];
			buf_reset(&got);
			text_tokenize(l->s, l->n, TEXT_TOK_DOCUMENT, dump_token, &got);
			if (got.n != l->tokens.n || memcmp(got.p, l->tokens.p, got.n) != 0)
				fail_msg("line '%.*s' tokenized differently with a warm cache", (int)l->n, l->s);
		}
	buf_release(&got);
	for (size_t i = 0; i < count; i++)
		buf_release(&lines[i].tokens);
	for (size_t i = 0; i < 3; i++)
		buf_release(&files[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(warm_cache_gives_the_lexicons_stems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
