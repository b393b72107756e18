/*
 * tokenize_bench.c — the full-text index's tokenizer alone: text_tokenize in document mode (what
 * the "persian" FTS5 tokenizer runs on every stored article's title, lead and body) over each
 * line of a text file, ROUNDS times, timed in the process's CPU time (the machine is shared).
 * Prints MB/s of input and nanoseconds per token, and a checksum of every token (key bytes,
 * offsets, colocation) so two builds can be seen to give the same tokens.
 *
 *   tokenize_bench FILE [ROUNDS]
 *
 * bench/text/tokenize_run.sh builds it against two libraries and runs them alternately.
 * Not part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chapar.h"

struct tally {
	size_t tokens;
	uint64_t sum; /* FNV-1a over every token's fields */
};

/* mix: fold n bytes of p into the running FNV-1a hash h. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* count: text_token_fn adding one token to the tally in ctx. */
static int count(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct tally *t = ctx;
	uint64_t meta[3] = { start, end, colocated };
	t->tokens++;
	t->sum = mix(mix(t->sum, key, key_len), meta, sizeof meta);
	return 0;
}

/* cpu_s: this process's CPU time in seconds. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tokenize_bench FILE [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	struct buf text;
	struct ch_error err = { 0 };
	buf_init(&text, BUF_NO_LIMIT);
	if (file_read(argv[1], &text, &err) != CH_OK) {
		fprintf(stderr, "tokenize_bench: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	struct tally t = { 0, 14695981039346656037ull };
	double t0 = cpu_s();
	for (int r = 0; r < rounds; r++) {
		t = (struct tally){ 0, 14695981039346656037ull };
		for (size_t i = 0; i < text.n;) {
			const char *nl = memchr(text.p + i, '\n', text.n - i);
			size_t len = nl ? (size_t)(nl - (text.p + i)) : text.n - i;
			text_tokenize(text.p + i, len, TEXT_TOK_DOCUMENT, count, &t);
			i += len + 1;
		}
	}
	double took = cpu_s() - t0;
	printf("%zu bytes x %d: %.2f CPU s, %.1f MB/s, %.1f ns/token, %zu tokens, checksum %016llx\n", text.n,
	       rounds, took, (double)text.n * rounds / took / 1e6, took * 1e9 / ((double)t.tokens * rounds), t.tokens,
	       (unsigned long long)t.sum);
	buf_release(&text);
	return 0;
}
