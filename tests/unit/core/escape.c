/*
 * escape.c — tests core's HTML and JSON escaping against plain references that decode every
 * character, on random buffers (ASCII specials, Persian letters, invalid and overlong UTF-8,
 * U+2028): the fast run-skipping paths must give exactly the same bytes.
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

#define REPLACEMENT "\xEF\xBF\xBD"

/* reference_html: html_escape's contract, one decoded character at a time. */
static void reference_html(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		bool bad = false;
		size_t len = utf8_decode(s + i, n - i, &cp, &bad);
		const char *rep = bad || cp == 0 ? REPLACEMENT : cp == '&' ? "&amp;" : cp == '<' ? "&lt;"
				: cp == '>' ? "&gt;" : cp == '"' ? "&quot;" : cp == '\'' ? "&#39;" : NULL;
		if (rep)
			buf_adds(out, rep);
		else
			buf_add(out, s + i, len);
		i += len;
	}
}

/* reference_json: json_escape's contract, one decoded character at a time. */
static void reference_json(struct buf *out, const char *s, size_t n)
{
	buf_addc(out, '"');
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		bool bad = false;
		size_t len = utf8_decode(s + i, n - i, &cp, &bad);
		if (bad)
			buf_adds(out, REPLACEMENT);
		else if (cp == '"')
			buf_adds(out, "\\\"");
		else if (cp == '\\')
			buf_adds(out, "\\\\");
		else if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\r')
			buf_adds(out, "\\r");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (cp < 0x20)
			buf_addf(out, "\\u%04x", (unsigned)cp);
		else if (cp == 0x2028 || cp == 0x2029)
			buf_addf(out, "\\u%04x", (unsigned)cp);
		else
			buf_add(out, s + i, len);
		i += len;
	}
	buf_addc(out, '"');
}

/* random_text: n bytes drawn from pieces that exercise every path. */
static void random_text(char *p, size_t n, unsigned *seed)
{
	static const char *const pieces[] = { "a", " ", "&", "<", ">", "\"", "'", "\\", "\n", "\t",
		"\x01", "\x1f", "\x7f", "\xDA\xA9", "\xDB\x8C", "\xD9\x85", "\xE2\x80\x8C", "\xE2\x80\xA8",
		"\xE2\x80\xA9", "\xF0\x9F\x98\x80", "\xC0\xAF", "\xC1\x81", "\xDA", "\x80", "\xFF", "\xE2\x80",
		"\xED\xA0\x80", "\xF4\x90\x80\x80" };
	size_t i = 0;
	while (i < n) {
		const char *piece = pieces[rand_r(seed) % (sizeof pieces / sizeof pieces[0])];
		size_t len = strlen(piece);
		if (len > n - i)
			len = n - i;
		memcpy(p + i, piece, len);
		i += len;
	}
	if (n && rand_r(seed) % 7 == 0)
		p[rand_r(seed) % n] = '\0';
}

static void escapes_match_references(void **state)
{
	(void)state;
	unsigned seed = 1403;
	char text[300];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof text);
		random_text(text, n, &seed);
		struct buf fast, slow;
		buf_init(&fast, BUF_NO_LIMIT);
		buf_init(&slow, BUF_NO_LIMIT);
		assert_int_equal(html_escape(&fast, text, n), CH_OK);
		reference_html(&slow, text, n);
		assert_int_equal(fast.n, slow.n);
		assert_memory_equal(fast.p ? fast.p : "", slow.p ? slow.p : "", fast.n);
		buf_reset(&fast);
		buf_reset(&slow);
		assert_int_equal(json_escape(&fast, text, n), CH_OK);
		reference_json(&slow, text, n);
		assert_int_equal(fast.n, slow.n);
		assert_memory_equal(fast.p, slow.p, fast.n);
		buf_release(&fast);
		buf_release(&slow);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_match_references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
