/*
 * normalize_fastpaths.c — unit tests for the fast paths of display normalization (the letter
 * pass copying runs and mapping ي ى ك in place, ZWNJ copied between letters, words scanned from
 * their bytes, the word cache and its prefetching): tests/data/text/normalize_fastpaths.txt,
 * whose expected outputs are those of the slow paths; every case also repeated over many lines,
 * so it crosses the chunk boundaries and hits the word cache, and normalized twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"
#include "../cases.h"

enum { REPEAT = 3000 }; /* lines: well past the 8 KiB chunks and the 64 KiB pieces */

/* mark_bytes: the bytes of the marker {name} (name_len bytes with the braces), or NULL. */
static const char *mark_bytes(const char *name, size_t name_len)
{
	static const char *const table[][2] = { { "{zwnj}", "\xe2\x80\x8c" },
						 { "{nbsp}", "\xc2\xa0" },
						 { "{fatha}", "\xd9\x8e" },
						 { "{kasra}", "\xd9\x90" } };
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i][0]) == name_len && memcmp(table[i][0], name, name_len) == 0)
			return table[i][1];
	return NULL;
}

/* unescape: the {name} markers of the data file as bytes, into out; *flags gets the digit
 * flags a leading {fa} / {ascii} asks for. */
static void unescape(const char *s, struct buf *out, unsigned *flags)
{
	buf_reset(out);
	*flags = TEXT_NORM_DEFAULT;
	if (strncmp(s, "{fa}", 4) == 0) {
		*flags = TEXT_DIGITS_FA;
		s += 4;
	} else if (strncmp(s, "{ascii}", 7) == 0) {
		*flags = TEXT_DIGITS_ASCII;
		s += 7;
	}
	for (const char *p = s; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		const char *bytes = close ? mark_bytes(p, (size_t)(close - p) + 1) : NULL;
		if (bytes) {
			buf_adds(out, bytes);
			p = close + 1;
		} else {
			buf_addc(out, *p++);
		}
	}
}

/* repeated: n copies of line, each ended by a newline, into out. */
static void repeated(const struct buf *line, size_t n, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		buf_add(out, line->p ? line->p : "", line->n);
		buf_addc(out, '\n');
	}
}

/* fast_case: one line of the data file: the expected output alone, over REPEAT lines, and
 * unchanged by a second pass. */
static bool fast_case(const char *input, const char *expected, void *ctx)
{
	struct buf in, want, got, many_in, many_want, again;
	unsigned flags, unused;
	buf_init(&in, 1 << 16);
	buf_init(&want, 1 << 16);
	buf_init(&got, 1 << 24);
	buf_init(&many_in, 1 << 24);
	buf_init(&many_want, 1 << 24);
	buf_init(&again, 1 << 24);
	unescape(input, &in, &flags);
	unescape(expected, &want, &unused);
	bool ok = text_normalize(in.p, in.n, flags, &got) == CH_OK &&
		  strcmp(buf_str(&got), buf_str(&want)) == 0;
	if (!ok)
		print_error("'%s': got '%s', want '%s'\n", input, buf_str(&got), buf_str(&want));
	repeated(&in, REPEAT, &many_in);
	repeated(&want, REPEAT, &many_want);
	buf_reset(&got);
	if (text_normalize(many_in.p, many_in.n, flags, &got) != CH_OK || got.n != many_want.n ||
	    memcmp(got.p, many_want.p, got.n) != 0) {
		print_error("'%s' repeated: differs from the single line\n", input);
		ok = false;
	}
	if (text_normalize(got.p, got.n, flags, &again) != CH_OK || again.n != got.n ||
	    memcmp(again.p, got.p, got.n) != 0) {
		print_error("'%s': not idempotent\n", input);
		ok = false;
	}
	buf_release(&in);
	buf_release(&want);
	buf_release(&got);
	buf_release(&many_in);
	buf_release(&many_want);
	buf_release(&again);
	return ok;
}

/* data_cases: every case of normalize_fastpaths.txt. */
static void data_cases(void **state)
{
	(void)state;
	int cases = 0;
	assert_int_equal(run_cases(TEST_DATA_DIR "/text/normalize_fastpaths.txt", fast_case, NULL,
				   &cases),
			 0);
	assert_true(cases >= 19);
}

/* cache_collisions: many distinct words (more than the word cache holds) and then the first
 * ones again: each comes out as it does alone. */
static void cache_collisions(void **state)
{
	(void)state;
	/* words made of three letters from a set of 20: 8,000 keys */
	static const char *const letters[] = { "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "س", "ش",
					       "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ک", "گ" };
	struct buf text, one, got, all;
	buf_init(&text, 1 << 24);
	buf_init(&one, 1 << 16);
	buf_init(&got, 1 << 24);
	buf_init(&all, 1 << 24);
	for (int round = 0; round < 2; round++)
		for (int a = 0; a < 20; a++)
			for (int b = 0; b < 20; b++)
				for (int c = 0; c < 20; c++) {
					buf_adds(&text, "می");
					buf_adds(&text, letters[a]);
					buf_adds(&text, letters[b]);
					buf_adds(&text, letters[c]);
					buf_adds(&text, "ها ");
				}
	assert_int_equal(text_normalize(text.p, text.n, TEXT_NORM_DEFAULT, &all), CH_OK);
	/* word by word */
	size_t start = 0;
	for (size_t i = 0; i < text.n; i++) {
		if (text.p[i] != ' ')
			continue;
		buf_reset(&one);
		assert_int_equal(text_normalize(text.p + start, i + 1 - start, TEXT_NORM_DEFAULT, &one),
				 CH_OK);
		buf_add(&got, one.p, one.n);
		start = i + 1;
	}
	assert_int_equal(got.n, all.n);
	assert_memory_equal(got.p, all.p, all.n);
	buf_release(&text);
	buf_release(&one);
	buf_release(&got);
	buf_release(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_cases),
		cmocka_unit_test(cache_collisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
