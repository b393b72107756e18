/*
 * tokdump.c — every token src/text's tokenizer gives for each input line, in both modes, and
 * each line's text_fold, as text: the reference that shows a tokenizer change keeps tokens
 * byte-identical (bench/gen/tokens.sh runs it against two builds and compares).
 *
 *   tokdump [--count] < lines.txt > tokens.txt
 *
 * --count only tokenizes (both modes) and folds, and prints the number of tokens: for timing.
 * Each input line (a literal backslash-n inside one is a line break, as in gen.c's stream) gives
 * "F <fold>" then one "D|Q start end colocated key" per token. Not part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapar.h"

/* print_token: text_token_fn writing one token line; ctx is the mode's letter. */
static int print_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	printf("%s %zu %zu %d ", (const char *)ctx, start, end, colocated ? 1 : 0);
	fwrite(key, 1, key_len, stdout);
	putchar('\n');
	return 0;
}

/* count_token: text_token_fn counting tokens in *ctx. */
static int count_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	(void)key, (void)key_len, (void)start, (void)end, (void)colocated;
	++*(size_t *)ctx;
	return 0;
}

int main(int argc, char **argv)
{
	bool count = argc > 1 && strcmp(argv[1], "--count") == 0;
	size_t tokens = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct buf f;
	buf_init(&f, 1u << 26);
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		for (char *p = strstr(line, "\\n"); p; p = strstr(p + 1, "\\n"))
			p[0] = ' ', p[1] = '\n';
		buf_reset(&f);
		text_fold(line, (size_t)len, &f);
		if (count) {
			text_tokenize(line, (size_t)len, TEXT_TOK_DOCUMENT, count_token, &tokens);
			text_tokenize(line, (size_t)len, TEXT_TOK_QUERY, count_token, &tokens);
			continue;
		}
		fputs("F ", stdout);
		fwrite(f.p ? f.p : "", 1, f.n, stdout);
		putchar('\n');
		text_tokenize(line, (size_t)len, TEXT_TOK_DOCUMENT, print_token, "D");
		text_tokenize(line, (size_t)len, TEXT_TOK_QUERY, print_token, "Q");
	}
	if (count)
		printf("%zu tokens\n", tokens);
	buf_release(&f);
	free(line);
	return 0;
}
