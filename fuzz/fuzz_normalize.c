/*
 * fuzz_normalize.c — libFuzzer target for the text module's normalization and search keys:
 * text_normalize (default, digit and strict flags), text_fold and text_tokenize on arbitrary
 * bytes. Checks that the output is valid UTF-8, that normalizing is idempotent, and that token
 * offsets stay inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* check_token: a text_token_fn that checks the offsets it is given. */
static int check_token(void *ctx, const char *key, size_t n, size_t start, size_t end, bool colocated)
{
	size_t len = *(const size_t *)ctx;
	if (start >= end || end > len || (n > 0 && !key))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out, again;
	buf_init(&out, 1 << 26);
	buf_init(&again, 1 << 26);
	unsigned flags = size ? data[0] % 3 : 0; /* default, Persian or ASCII digits */
	flags = flags == 1 ? TEXT_DIGITS_FA : flags == 2 ? TEXT_DIGITS_ASCII : 0;
	if (text_normalize(s, size, flags, &out) == CH_OK) {
		if (!utf8_valid(out.p ? out.p : "", out.n))
			abort();
		if (text_normalize(out.p ? out.p : "", out.n, flags, &again) == CH_OK &&
		    (again.n != out.n || (out.n && memcmp(again.p, out.p, out.n) != 0)))
			abort();
	}
	buf_reset(&out);
	if (text_normalize(s, size, TEXT_STRICT_UTF8, &out) == CH_OK && !utf8_valid(s, size))
		abort();
	buf_reset(&out);
	text_fold(s, size, &out);
	if (!utf8_valid(out.p ? out.p : "", out.n))
		abort();
	text_tokenize(s, size, TEXT_TOK_DOCUMENT, check_token, &size);
	text_tokenize(s, size, TEXT_TOK_QUERY, check_token, &size);
	buf_release(&out);
	buf_release(&again);
	return 0;
}
