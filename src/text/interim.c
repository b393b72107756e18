/*
 * interim.c — TEMPORARY minimal versions of the text API so the rest of chapar builds while
 * the real text engine is written. Delete this file when the real functions land.
 */
#include <stdio.h>
#include <string.h>

#include "text/text.h"

enum ch_status text_fold(const char *s, size_t n, struct buf *out)
{
	return utf8_repair(out, s, n);
}

int text_tokenize(const char *s, size_t n, enum text_tok_mode mode, text_token_fn fn, void *ctx)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && !(s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
		if (i > start) {
			int rc = fn(ctx, s + start, i - start, start, i, false);
			if (rc)
				return rc;
		}
	}
	return 0;
}

enum ch_status text_stem(const char *w, size_t n, struct buf *out)
{
	return buf_add(out, w, n);
}

