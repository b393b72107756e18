/*
 * sanitize.c — tests of extract_sanitize_html (src/extract/sanitize.c): every case of
 * tests/data/extract/xss/vectors.txt gives exactly its expected output, and no output of any
 * case carries anything executable (script, on* handlers, javascript:/vbscript:/data: URLs,
 * style, forms, frames).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "extract/extract.h"

#define BASE "https://news.example.ir/a/b.html"

/* has_ci: haystack contains needle, ignoring ASCII case. */
static bool has_ci(const char *haystack, const char *needle)
{
	size_t m = strlen(needle);
	for (const char *p = haystack; *p; p++)
		if (strncasecmp(p, needle, m) == 0)
			return true;
	return false;
}

/* assert_inert: nothing in html can run script or submit anything. */
static void assert_inert(const char *name, const char *html)
{
	static const char *const bad[] = { "<script", "javascript:", "vbscript:", "data:", " on",
					   "<style", "style=", "<iframe", "<form", "<input", "<svg",
					   "<math", "<object", "<embed", "<meta", "<base", "<link",
					   "srcdoc", "formaction" };
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		if (has_ci(html, bad[k])) {
			print_error("case '%s': output contains '%s': %s\n", name, bad[k], html);
			fail();
		}
	}
}

/* chomp: drop a trailing newline in place. */
static void chomp(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

/* test_vectors: every case of vectors.txt, exactly, and every output inert. */
static void test_vectors(void **state)
{
	FILE *f = fopen(TEST_DATA_DIR "/extract/xss/vectors.txt", "r");
	assert_non_null(f);
	static char line[1 << 16], name[1 << 16], input[1 << 16], expected[1 << 16];
	int cases = 0, failures = 0;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "### ", 4) != 0)
			continue;
		snprintf(name, sizeof name, "%s", line + 4);
		chomp(name);
		assert_non_null(fgets(input, sizeof input, f));
		assert_non_null(fgets(line, sizeof line, f));
		assert_string_equal(line, ".\n");
		assert_non_null(fgets(expected, sizeof expected, f));
		chomp(input);
		chomp(expected);
		struct buf out;
		buf_init(&out, BUF_NO_LIMIT);
		struct ch_error err;
		assert_int_equal(extract_sanitize_html(input, strlen(input), BASE, &out, &err), CH_OK);
		assert_inert(name, buf_str(&out));
		if (strcmp(buf_str(&out), expected) != 0) {
			print_error("case '%s':\n  input    %s\n  expected %s\n  got      %s\n", name, input,
				    expected, buf_str(&out));
			failures++;
		}
		buf_release(&out);
		cases++;
	}
	fclose(f);
	assert_true(cases >= 30);
	assert_int_equal(failures, 0);
}

/* Links get rel=noopener and relative URLs become absolute even without the fragment saying so;
 * without a base URL relative links stay relative but unsafe schemes still go. */
static void test_no_base(void **state)
{
	const char *in = "<a href=\"/x\">a</a><a href=\"javascript:1\">b</a>";
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	assert_int_equal(extract_sanitize_html(in, strlen(in), NULL, &out, NULL), CH_OK);
	assert_string_equal(buf_str(&out), "<a href=\"/x\" rel=\"noopener noreferrer nofollow\">a</a><a>b</a>");
	buf_release(&out);
}

/* Invalid UTF-8 comes out as U+FFFD, never as raw bytes. */
static void test_invalid_utf8(void **state)
{
	const char in[] = "<p>a\xff\xfe b</p>";
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	assert_int_equal(extract_sanitize_html(in, sizeof in - 1, NULL, &out, NULL), CH_OK);
	assert_true(utf8_valid(out.p, out.n));
	assert_non_null(strstr(buf_str(&out), "\xEF\xBF\xBD"));
	buf_release(&out);
}

/* 100,000 nested elements: finishes, output balanced. */
static void test_deep_nesting(void **state)
{
	struct buf in, out;
	buf_init(&in, BUF_NO_LIMIT);
	buf_init(&out, BUF_NO_LIMIT);
	for (int i = 0; i < 100000; i++)
		buf_adds(&in, "<div><b>");
	buf_adds(&in, "deep");
	assert_int_equal(extract_sanitize_html(in.p, in.n, NULL, &out, NULL), CH_OK);
	assert_non_null(strstr(buf_str(&out), "deep"));
	size_t opens = 0, closes = 0; /* counted by hand: strstr under ASan rescans the string */
	for (size_t i = 0; i + 6 <= out.n; i++) {
		opens += memcmp(out.p + i, "<div>", 5) == 0;
		closes += memcmp(out.p + i, "</div>", 6) == 0;
	}
	assert_int_equal(opens, closes);
	buf_release(&in);
	buf_release(&out);
}

/* test_limit: a fragment that does not fit the output's limit is refused whole, never cut
 * inside a tag or attribute. */
static void test_limit(void **state)
{
	const char *in = "<p>one</p><a href=\"https://example.org/a-rather-long-link\">two</a>";
	struct buf out;
	buf_init(&out, 40);
	buf_adds(&out, "kept:");
	assert_int_equal(extract_sanitize_html(in, strlen(in), NULL, &out, NULL), CH_ERR_LIMIT);
	assert_string_equal(buf_str(&out), "kept:");
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_no_base),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
