/*
 * extract.c — tests of extract_article (src/extract): the behaviour cases in
 * tests/data/extract/cases (page, expected body text, expected fields; made by make.py there:
 * encodings, metadata, the seed's aggregator shape), and bounded time on pathological pages
 * (100,000-deep nesting, a 50 MB page, a 1 MB attribute, 10,000 unclosed tables).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "extract/extract.h"

#define CASES TEST_DATA_DIR "/extract/cases"
#define BASE "https://news.example.ir/a/b.html"
/* seconds a pathological page may take (generous: the suite also runs under ASan) */
#define SLOW_LIMIT_S 30.0

/* read_all: file into a fresh buf (caller releases). */
static struct buf read_all(const char *path)
{
	struct buf b;
	buf_init(&b, (size_t)64 << 20);
	struct ch_error err;
	if (file_read(path, &b, &err) != CH_OK)
		fail_msg("cannot read %s: %s", path, err.msg);
	return b;
}

/* field: the value of one "key: value" field of the article, as a string ("" when absent). */
static void field(const struct extract_article *a, const char *key, struct buf *out)
{
	buf_reset(out);
	const struct {
		const char *key;
		const char *value;
	} strings[] = {
		{ "title", a->title }, { "uptitle", a->uptitle }, { "lead", a->lead },
		{ "author", a->author }, { "image", a->image }, { "canonical_url", a->canonical_url },
		{ "site_name", a->site_name }, { "language", a->language },
		{ "source_credit", a->source_credit },
	};
	for (size_t k = 0; k < sizeof strings / sizeof *strings; k++)
		if (!strcmp(key, strings[k].key) && strings[k].value)
			buf_adds(out, strings[k].value);
	if (!strcmp(key, "published") && a->published)
		time_format_iso(out, a->published);
	if (!strcmp(key, "modified") && a->modified)
		time_format_iso(out, a->modified);
}

/* check_case: run one case; returns the number of mismatches (printed). */
static int check_case(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.html", CASES, name);
	struct buf page = read_all(path);
	snprintf(path, sizeof path, "%s/%s.expected", CASES, name);
	struct buf expected = read_all(path);
	snprintf(path, sizeof path, "%s/%s.meta", CASES, name);
	struct buf meta = read_all(path);
	char ctype[256] = "";
	const char *ct = strstr(buf_str(&meta), "ctype: ");
	if (ct)
		sscanf(ct + 7, "%255[^\n]", ctype);
	struct extract_article *a = NULL;
	struct ch_error err;
	assert_int_equal(extract_article(page.p, page.n, ct ? ctype : NULL, BASE, &a, &err), CH_OK);
	int bad = 0;
	struct buf text;
	buf_init(&text, BUF_NO_LIMIT);
	buf_adds(&text, a->body_text);
	buf_addc(&text, '\n');
	if (strcmp(buf_str(&text), buf_str(&expected)) != 0) {
		print_error("%s: body differs\n--- expected\n%s--- got\n%s", name, buf_str(&expected), buf_str(&text));
		bad++;
	}
	assert_true(utf8_valid(a->body_text, strlen(a->body_text)));
	struct buf got;
	buf_init(&got, BUF_NO_LIMIT);
	for (char *line = strtok(meta.p, "\n"); line; line = strtok(NULL, "\n")) {
		char *colon = strstr(line, ": ");
		if (!colon || !strncmp(line, "ctype", 5))
			continue;
		*colon = '\0';
		field(a, line, &got);
		if (strcmp(buf_str(&got), colon + 2) != 0) {
			print_error("%s: %s is '%s', expected '%s'\n", name, line, buf_str(&got), colon + 2);
			bad++;
		}
	}
	buf_release(&got);
	buf_release(&text);
	extract_article_free(a);
	buf_release(&page);
	buf_release(&expected);
	buf_release(&meta);
	return bad;
}

/* test_cases: every case of tests/data/extract/cases gives its expected body and fields. */
static void test_cases(void **state)
{
	DIR *d = opendir(CASES);
	assert_non_null(d);
	int cases = 0, bad = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(n - 5), de->d_name);
		bad += check_case(name);
		cases++;
	}
	closedir(d);
	assert_true(cases >= 12);
	assert_int_equal(bad, 0);
}

/* extract_timed: extract page and fail when it takes longer than SLOW_LIMIT_S. */
static struct extract_article *extract_timed(const struct buf *page, const char *what)
{
	int64_t t0 = time_mono_ns();
	struct extract_article *a = NULL;
	struct ch_error err;
	assert_int_equal(extract_article(page->p, page->n, NULL, NULL, &a, &err), CH_OK);
	double s = (double)(time_mono_ns() - t0) / 1e9;
	if (s > SLOW_LIMIT_S)
		fail_msg("%s took %.1f s", what, s);
	return a;
}

/* add_article: a few paragraphs of ordinary text. */
static void add_article(struct buf *b)
{
	for (int i = 0; i < 5; i++)
		buf_adds(b, "<p>The committee met on Tuesday, and after a long debate, it agreed on the "
			    "budget for the coming year, which will fund schools, roads and hospitals.</p>");
}

/* test_deep_nesting: 100,000 nested divs: the article under them is found, in bounded time. */
static void test_deep_nesting(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	buf_adds(&b, "<html><body>");
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, "<div>");
	add_article(&b);
	struct extract_article *a = extract_timed(&b, "100,000 nested divs");
	assert_non_null(strstr(a->body_text, "agreed on the budget"));
	extract_article_free(a);
	buf_release(&b);
}

/* test_unclosed_tables: 10,000 unclosed tables (quadratic for some parsers and scans) in bounded time. */
static void test_unclosed_tables(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	for (int i = 0; i < 10000; i++)
		buf_adds(&b, "<table><tr><td>");
	add_article(&b);
	struct extract_article *a = extract_timed(&b, "10,000 unclosed tables");
	extract_article_free(a);
	buf_release(&b);
}

/* test_huge_page: a 50 MB page is capped and done in bounded time, output valid UTF-8. */
static void test_huge_page(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	buf_adds(&b, "<html><body><div class=\"content\">");
	add_article(&b);
	while (b.n < (size_t)50 << 20)
		buf_adds(&b, "<div class=\"item\"><a href=\"/x\">link text</a> and some words in a box</div>\n");
	struct extract_article *a = extract_timed(&b, "a 50 MB page");
	assert_true(utf8_valid(a->body_text, strlen(a->body_text)));
	extract_article_free(a);
	buf_release(&b);
}

/* test_huge_attribute: 1 MB class and src attributes do not hide the article or slow things down. */
static void test_huge_attribute(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	buf_adds(&b, "<html><body><div class=\"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addc(&b, "abc -"[i % 5]);
	buf_adds(&b, "\" title=\"x\">");
	add_article(&b);
	buf_adds(&b, "</div><img src=\"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addc(&b, 'a');
	buf_adds(&b, "\">");
	struct extract_article *a = extract_timed(&b, "a 1 MB attribute");
	assert_non_null(strstr(a->body_text, "agreed on the budget"));
	extract_article_free(a);
	buf_release(&b);
}

/* Empty and binary input give an empty article, not an error or a crash. */
static void test_garbage(void **state)
{
	struct extract_article *a = NULL;
	assert_int_equal(extract_article("", 0, NULL, NULL, &a, NULL), CH_OK);
	assert_string_equal(a->body_text, "");
	extract_article_free(a);
	char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 131 + 7);
	assert_int_equal(extract_article(junk, sizeof junk, "text/html; charset=x-unknown", NULL, &a, NULL), CH_OK);
	assert_true(utf8_valid(a->body_text, strlen(a->body_text)));
	extract_article_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_unclosed_tables),
		cmocka_unit_test(test_huge_page),
		cmocka_unit_test(test_huge_attribute),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
