/*
 * jsonl.c — tests for src/rank/jsonl.c: the cases of tests/data/rank/jsonl.txt (a JSON line and
 * the fields it must give, or PARSE), and reuse of one record across lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rank/rank.h"

/* describe: the fields of a as the case file writes them. */
static void describe(const struct rank_article *a, struct buf *out)
{
	const char *names[] = { "id", "source", "credit", "url", "title", "lead", "body" };
	const char *vals[] = { a->id, a->source, a->source_credit, a->url, a->title, a->lead, a->body };
	for (int i = 0; i < 7; i++)
		if (vals[i]) {
			buf_addf(out, "%s=", names[i]);
			for (const char *p = vals[i]; *p; p++) {
				if (*p == '\n')
					buf_adds(out, "\\n");
				else if (*p == '\t')
					buf_adds(out, "\\t");
				else
					buf_addc(out, *p);
			}
			buf_adds(out, " | ");
		}
	buf_addf(out, "published=%lld", (long long)a->published);
}

/* test_cases: every case of jsonl.txt. */
static void test_cases(void **state)
{
	(void)state;
	struct buf file, got;
	buf_init(&file, 1 << 20);
	buf_init(&got, 1 << 16);
	assert_int_equal(file_read(TEST_DATA_DIR "/rank/jsonl.txt", &file, NULL), CH_OK);
	struct rank_jsonl_record rec;
	rank_jsonl_init(&rec);
	int cases = 0, failed = 0;
	const char *input = NULL;
	size_t input_n = 0;
	char *p = file.p, *end = file.p + file.n;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		*eol = '\0';
		if (strncmp(p, "> ", 2) == 0 || strcmp(p, ">") == 0) {
			input = p[1] ? p + 2 : p + 1;
			input_n = strlen(input);
		} else if (strncmp(p, "= ", 2) == 0) {
			assert_non_null(input);
			const char *want = p + 2;
			struct ch_error err;
			ch_error_clear(&err);
			enum ch_status st = rank_jsonl_parse(&rec, input, input_n, &err);
			buf_reset(&got);
			if (st == CH_OK)
				describe(&rec.article, &got);
			else
				buf_adds(&got, st == CH_ERR_PARSE ? "PARSE" : ch_status_name(st));
			if (strcmp(buf_str(&got), want) != 0) {
				fprintf(stderr, "case %s\n  want %s\n  got  %s (%s)\n", input, want, buf_str(&got), err.msg);
				failed++;
			}
			cases++;
			input = NULL;
		}
		p = eol + 1;
	}
	fprintf(stderr, "%d cases\n", cases);
	assert_true(cases >= 30);
	assert_int_equal(failed, 0);
	rank_jsonl_release(&rec);
	buf_release(&file);
	buf_release(&got);
}

/* test_reuse: a record read after a failed line holds only the new line's fields. */
static void test_reuse(void **state)
{
	(void)state;
	struct rank_jsonl_record rec;
	rank_jsonl_init(&rec);
	const char *a = "{\"id\":\"1\",\"title\":\"t\",\"body\":\"b\"}";
	const char *bad = "{\"id\":\"2\",\"title\":";
	const char *b = "{\"id\":\"3\"}\r\n";
	assert_int_equal(rank_jsonl_parse(&rec, a, strlen(a), NULL), CH_OK);
	assert_string_equal(rec.article.body, "b");
	struct ch_error err;
	assert_int_equal(rank_jsonl_parse(&rec, bad, strlen(bad), &err), CH_ERR_PARSE);
	assert_non_null(strstr(err.msg, "column"));
	assert_int_equal(rank_jsonl_parse(&rec, b, strlen(b), NULL), CH_OK);
	assert_string_equal(rec.article.id, "3");
	assert_null(rec.article.title);
	assert_null(rec.article.body);
	rank_jsonl_release(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
