/*
 * fuzz_charset.c — libFuzzer target for charset detection and decoding of fetched bytes
 * (feed_decode in src/feed/charset.c): the HTTP Content-Type comes from the input too (the
 * bytes before the first NUL, when there is one), so declared charset names are as arbitrary as
 * the bytes. The result must be valid UTF-8, the charset name a NUL-terminated string of at
 * most 31 bytes, and the result must lie in the input or in the output buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/parse_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const uint8_t *nul = memchr(data, 0, size < 200 ? size : 200);
	char *ctype = NULL;
	if (nul) {
		size_t k = (size_t)(nul - data);
		ctype = malloc(k + 1);
		if (!ctype)
			return 0;
		memcpy(ctype, s, k + 1);
		s += k + 1;
		size -= k + 1;
	}
	struct buf out;
	buf_init(&out, FEED_MAX_INPUT * 4);
	char enc[32];
	memset(enc, 'x', sizeof enc);
	struct slice text = { 0 };
	if (feed_decode(s, size, ctype, &out, enc, &text, NULL) == CH_OK) {
		if (!memchr(enc, 0, sizeof enc) || !utf8_valid(text.p, text.n))
			abort();
		bool in_input = text.p >= s && text.p + text.n <= s + size;
		bool in_out = out.p && text.p >= out.p && text.p + text.n <= out.p + out.n;
		if (text.n && !in_input && !in_out)
			abort();
	}
	buf_release(&out);
	free(ctype);
	return 0;
}
