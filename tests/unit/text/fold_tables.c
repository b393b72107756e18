/*
 * fold_tables.c — tests for the fast paths of src/text/fold.c (the folding and word-class tables
 * of one- and two-byte code points, the staged output): folding a text gives what folding each
 * of its code points alone gives, in order, for every code point below U+10000 mixed with
 * Persian, ASCII and broken UTF-8; at a size cap the output is the longest whole-code-point
 * prefix that fits, as it was when folding appended one code point at a time; tokens of mixed
 * text keep their offsets. (bench/gen/tokens.sh compares every token with a build of main.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/text.h"

/* fold_each: the folds of each code point of s appended one by one (the reference). */
static void fold_each(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp, NULL);
		assert_int_equal(text_fold(s + i, len, out), CH_OK);
		i += len;
	}
}

/* test_whole_equals_parts: every code point below U+10000, in runs of 64 between Persian and
 * ASCII letters, folds the same whole as one by one. */
static void test_whole_equals_parts(void **state)
{
	(void)state;
	struct buf text, whole, parts;
	buf_init(&text, 1 << 20);
	buf_init(&whole, 1 << 22);
	buf_init(&parts, 1 << 22);
	for (uint32_t base = 1; base < 0x10000; base += 64) {
		buf_reset(&text);
		buf_adds(&text, "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8 AbC "); /* كتاب with Arabic kaf */
		for (uint32_t cp = base; cp < base + 64 && cp < 0x10000; cp++)
			if (cp < 0xD800 || cp > 0xDFFF)
				utf8_add(&text, cp);
		buf_adds(&text, " \xff\xc3 \xe2\x80"); /* broken sequences, one at the end */
		buf_reset(&whole);
		buf_reset(&parts);
		assert_int_equal(text_fold(text.p, text.n, &whole), CH_OK);
		fold_each(text.p, text.n, &parts);
		assert_int_equal(whole.n, parts.n);
		assert_memory_equal(whole.p, parts.p, whole.n);
	}
	buf_release(&text);
	buf_release(&whole);
	buf_release(&parts);
}

/* test_cap: folded into a capped buffer, a long text gives the longest prefix of whole folded
 * code points that fits, and CH_ERR_LIMIT. */
static void test_cap(void **state)
{
	(void)state;
	struct buf text, full;
	buf_init(&text, 1 << 20);
	buf_init(&full, 1 << 22);
	for (int i = 0; i < 400; i++) /* ي A ـ ﻻ: two bytes, ASCII, dropped, a three-byte form */
		buf_adds(&text, "\xd9\x8a" "A" "\xd9\x80" "\xef\xbb\xbb");
	assert_int_equal(text_fold(text.p, text.n, &full), CH_OK);
	for (size_t limit = 1; limit < 700; limit += 37) {
		struct buf capped;
		buf_init(&capped, limit);
		assert_int_equal(text_fold(text.p, text.n, &capped), CH_ERR_LIMIT);
		/* the expected prefix: whole code points of the full fold while they fit */
		size_t fit = 0;
		while (fit < full.n) {
			unsigned char c = (unsigned char)full.p[fit];
			size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
			if (fit + len > limit)
				break;
			fit += len;
		}
		assert_int_equal(capped.n, fit);
		assert_memory_equal(capped.p ? capped.p : "", full.p, fit);
		buf_release(&capped);
	}
	buf_release(&text);
	buf_release(&full);
}

struct collected {
	char keys[512];
	size_t n;
};

/* collect: text_token_fn appending "key@start-end" to the collected keys. */
static int collect(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct collected *c = ctx;
	int w = snprintf(c->keys + c->n, sizeof c->keys - c->n, "%s%.*s@%zu-%zu%s", c->n ? " " : "",
			 (int)key_len, key, start, end, colocated ? "+" : "");
	if (w > 0 && (size_t)w < sizeof c->keys - c->n)
		c->n += (size_t)w;
	return 0;
}

/* test_tokens: a mixed line: ASCII folded to lower case, Arabic letters and digits folded, a
 * spaced suffix merged, a ZWNJ compound emitted whole and in parts, offsets in bytes. */
static void test_tokens(void **state)
{
	(void)state;
	/* "ICT كتاب ها ۱۲ سه‌شنبه" */
	const char *s = "ICT \xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8 \xd9\x87\xd8\xa7 \xdb\xb1\xdb\xb2 "
			"\xd8\xb3\xd9\x87\xe2\x80\x8c\xd8\xb4\xd9\x86\xd8\xa8\xd9\x87";
	struct collected c = { .n = 0 };
	text_tokenize(s, strlen(s), TEXT_TOK_DOCUMENT, collect, &c);
	assert_string_equal(c.keys, "ict@0-3 \xda\xa9\xd8\xaa\xd8\xa7\xd8\xa8@4-17 12@18-22 "
				    "\xd8\xb3\xd9\x87\xd8\xb4\xd9\x86\xd8\xa8\xd9\x87@23-38 "
				    "\xd8\xb3\xd9\x87@23-27+ \xd8\xb4\xd9\x86\xd8\xa8\xd9\x87@30-38+");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_equals_parts),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
