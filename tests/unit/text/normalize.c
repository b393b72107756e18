/*
 * normalize.c — tests of src/text/normalize.c and zwnj.c: every case of
 * tests/data/text/normalize.txt, idempotence, digit flags, strict UTF-8, chunk boundaries on
 * long input, and text that is already right passing through unchanged. Failures print
 * ZWNJ as [ZWNJ].
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

/* unescape: the {name} markers of the data file as bytes, into out. */
static void unescape(const char *s, struct buf *out)
{
	static const struct {
		const char *name, *bytes;
	} marks[] = { { "{zwnj}", "\xe2\x80\x8c" }, { "{zwj}", "\xe2\x80\x8d" },
		      { "{rlm}", "\xe2\x80\x8f" },  { "{lre}", "\xe2\x80\xaa" },
		      { "{pdf}", "\xe2\x80\xac" },  { "{bom}", "\xef\xbb\xbf" },
		      { "{nbsp}", "\xc2\xa0" },     { "{ff}", "\xff" },
		      { "{fffd}", "\xef\xbf\xbd" }, { "{ctl}", "\x01" } };
	buf_reset(out);
	while (*s) {
		bool done = false;
		for (size_t i = 0; i < sizeof marks / sizeof marks[0] && !done; i++) {
			size_t l = strlen(marks[i].name);
			if (strncmp(s, marks[i].name, l) == 0) {
				buf_adds(out, marks[i].bytes);
				s += l;
				done = true;
			}
		}
		if (!done)
			buf_addc(out, *s++);
	}
}

/* visible: s with ZWNJ shown as [ZWNJ], for failure messages (static buffer). */
static const char *visible(const char *s)
{
	static char out[4096];
	size_t o = 0;
	for (; *s && o + 8 < sizeof out; s++) {
		if (strncmp(s, "\xe2\x80\x8c", 3) == 0) {
			memcpy(out + o, "[ZWNJ]", 6);
			o += 6;
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = 0;
	return out;
}

/* normalize_case: one line of normalize.txt (escapes unescaped): the display form, and the
 * same again when normalized twice. */
static bool normalize_case(const char *input, const char *expected, void *ctx)
{
	struct buf in, want, got, again;
	buf_init(&in, 1 << 16);
	buf_init(&want, 1 << 16);
	buf_init(&got, 1 << 16);
	buf_init(&again, 1 << 16);
	unescape(input, &in);
	unescape(expected, &want);
	bool ok = text_normalize(in.p, in.n, TEXT_NORM_DEFAULT, &got) == CH_OK;
	if (!ok || strcmp(buf_str(&got), buf_str(&want)) != 0) {
		print_error("'%s': got '%s'", input, visible(buf_str(&got)));
		print_error(" want '%s'\n", visible(buf_str(&want)));
		ok = false;
	}
	text_normalize(got.p, got.n, TEXT_NORM_DEFAULT, &again);
	if (strcmp(buf_str(&again), buf_str(&got)) != 0) {
		print_error("not idempotent: '%s'\n", visible(buf_str(&got)));
		ok = false;
	}
	buf_release(&in);
	buf_release(&want);
	buf_release(&got);
	buf_release(&again);
	return ok;
}

static void data_cases(void **state)
{
	int cases = 0;
	assert_int_equal(run_cases(TEST_DATA_DIR "/text/normalize.txt", normalize_case, NULL, &cases), 0);
	assert_true(cases >= 40);
}

/* flags: digit conversion and strict UTF-8. */
static void flags(void **state)
{
	struct buf out;
	buf_init(&out, 4096);
	const char *s = "سال 1403 و ١٤٠٣";
	assert_int_equal(text_normalize(s, strlen(s), TEXT_DIGITS_FA, &out), CH_OK);
	assert_string_equal(buf_str(&out), "سال ۱۴۰۳ و ۱۴۰۳");
	buf_reset(&out);
	s = "سال ۱۴۰۳";
	assert_int_equal(text_normalize(s, strlen(s), TEXT_DIGITS_ASCII, &out), CH_OK);
	assert_string_equal(buf_str(&out), "سال 1403");
	buf_reset(&out);
	assert_int_equal(text_normalize("a\xff", 2, TEXT_STRICT_UTF8, &out), CH_ERR_INVALID);
	assert_int_equal(text_normalize("\xe2\x80", 2, TEXT_NORM_DEFAULT, &out), CH_OK);
	assert_string_equal(buf_str(&out), "\xef\xbf\xbd\xef\xbf\xbd");
	buf_reset(&out);
	assert_int_equal(text_digits_fa(&out, "a1b2", 4), CH_OK);
	assert_string_equal(buf_str(&out), "a۱b۲");
	buf_release(&out);
}

/* long_input: a long text (many internal chunks, lines longer than a chunk) comes out as
 * the concatenation of its lines normalized one by one, with nothing lost at boundaries. */
static void long_input(void **state)
{
	struct buf in, whole, parts;
	buf_init(&in, 1 << 24);
	buf_init(&whole, 1 << 24);
	buf_init(&parts, 1 << 24);
	const char *sentence = "کتابها و میشود در حوزههای بینالمللی ";
	for (int line = 0; line < 20; line++) {
		for (int k = 0; k < (line % 5 == 0 ? 400 : 7); k++)
			buf_adds(&in, sentence);
		buf_adds(&in, "خلاصه\n");
	}
	assert_int_equal(text_normalize(in.p, in.n, 0, &whole), CH_OK);
	size_t a = 0;
	for (size_t i = 0; i < in.n; i++) {
		if (in.p[i] == '\n') {
			text_normalize(in.p + a, i + 1 - a, 0, &parts);
			a = i + 1;
		}
	}
	assert_int_equal(whole.n, parts.n);
	assert_memory_equal(whole.p, parts.p, whole.n);
	assert_true(utf8_valid(whole.p, whole.n));
	buf_release(&in);
	buf_release(&whole);
	buf_release(&parts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_cases),
		cmocka_unit_test(flags),
		cmocka_unit_test(long_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
