/*
 * charset.c — tests how src/feed/charset.c picks a feed's charset when the label is wrong: a
 * label that does not read ASCII as ASCII (UTF-16/32 and UCS-2/4 under any alias, EBCDIC,
 * UTF-7) on an ASCII-compatible feed is ignored, as browsers ignore it, instead of turning the
 * whole feed into CJK-looking garbage; a right legacy label still decodes; whatever iconv
 * gives back is valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chapar.h"
#include "feed/parse_internal.h"

static const char RSS[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
			  "<title>News a+-b</title><link>http://example.com/</link>"
			  "<item><title>First</title><link>http://example.com/1</link></item>"
			  "</channel></rss>";

/* title_with: the feed title RSS parses to under Content-Type ctype, in out (64 bytes), and
 * the encoding reported. */
static void title_with(const char *ctype, char out[64], char enc[32])
{
	struct feed *f = NULL;
	assert_int_equal(feed_parse(RSS, strlen(RSS), ctype, NULL, &f, NULL), CH_OK);
	snprintf(out, 64, "%s", f->title ? f->title : "");
	snprintf(enc, 32, "%s", f->encoding ? f->encoding : "");
	feed_free(f);
}

static void wrong_wide_labels_are_ignored(void **state)
{
	(void)state;
	/* before: only the spellings "utf-16…"/"utf-32…" were caught, so these read ASCII as
	 * UTF-16/UCS-4/EBCDIC/UTF-7 */
	static const char *const labels[] = { "utf16le", "ucs-2be", "ucs-4", "unicodelittle",
					      "cp037", "utf-7", "UTF-16", "utf-32" };
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
		char ctype[64], title[64], enc[32];
		snprintf(ctype, sizeof ctype, "application/rss+xml; charset=%s", labels[i]);
		title_with(ctype, title, enc);
		assert_string_equal(title, "News a+-b");
		assert_string_equal(enc, "utf-8");
	}
}

static void right_labels_still_decode(void **state)
{
	(void)state;
	static const char *const labels[] = { "windows-1256", "koi8-r", "shift_jis", "iso-8859-6" };
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
		char ctype[64], title[64], enc[32];
		snprintf(ctype, sizeof ctype, "text/xml; charset=%s", labels[i]);
		title_with(ctype, title, enc);
		assert_string_equal(title, "News a+-b");
		assert_string_equal(enc, labels[i]);
	}
	/* Persian in windows-1256 under its label: سلام */
	const char cp1256[] = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>\xd3\xe1\xc7\xe3"
			      "</title><link>http://example.com/</link></channel></rss>";
	struct feed *f = NULL;
	assert_int_equal(feed_parse(cp1256, strlen(cp1256), "text/xml; charset=windows-1256", NULL, &f, NULL), CH_OK);
	assert_string_equal(f->title, "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85");
	feed_free(f);
}

/* A label iconv reads as UTF-8 but canonical() does not list went through iconv's own UTF-8
 * decoder, which passes F4 A2 A2 A2 (beyond U+10FFFF) on: the "decoded" text handed to the
 * parsers was not UTF-8. Now each such byte is U+FFFD. */
static void iconv_utf8_alias_output_is_utf8(void **state)
{
	(void)state;
	const char doc[] = "<a>\xf4\xa2\xa2\xa2" "b</a>";
	struct buf out;
	buf_init(&out, 1 << 20);
	char enc[32];
	struct slice text;
	assert_int_equal(feed_decode(doc, strlen(doc), "text/xml; charset=utf8`", &out, enc, &text, NULL), CH_OK);
	assert_true(utf8_valid(text.p, text.n));
	assert_int_equal(text.n, 3 + 4 * 3 + 5);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_wide_labels_are_ignored),
		cmocka_unit_test(right_labels_still_decode),
		cmocka_unit_test(iconv_utf8_alias_output_is_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
