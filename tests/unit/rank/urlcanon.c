/*
 * urlcanon.c — tests for src/rank/urlcanon.c: the cases of tests/data/rank/urlcanon.tsv
 * (input, expected canonical form or INVALID), plus idempotence: a canonical URL is its own
 * canonical form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rank/rank.h"
#include "../cases.h"

/* url_case: one line of urlcanon.tsv: the canonical URL (or INVALID), which is its own
 * canonical form. */
static bool url_case(const char *input, const char *want, void *ctx)
{
	struct buf out, again;
	buf_init(&out, 1 << 16);
	buf_init(&again, 1 << 16);
	struct ch_error err = { 0 };
	enum ch_status st = rank_url_canonical(input, strlen(input), &out, &err);
	bool ok = true;
	if (strcmp(want, "INVALID") == 0) {
		if (st != CH_ERR_INVALID || out.n != 0) {
			fprintf(stderr, "case '%s': expected INVALID, got %d '%s'\n", input, st, buf_str(&out));
			ok = false;
		}
	} else if (st != CH_OK || strcmp(buf_str(&out), want) != 0) {
		fprintf(stderr, "case '%s':\n  want '%s'\n  got  '%s' (%s)\n", input, want, buf_str(&out),
			st == CH_OK ? "ok" : err.msg);
		ok = false;
	} else if (rank_url_canonical(out.p, out.n, &again, NULL) != CH_OK || strcmp(buf_str(&again), buf_str(&out)) != 0) {
		fprintf(stderr, "case '%s': not idempotent: '%s' -> '%s'\n", input, buf_str(&out), buf_str(&again));
		ok = false;
	}
	buf_release(&out);
	buf_release(&again);
	return ok;
}

/* test_cases: every case of urlcanon.tsv. */
static void test_cases(void **state)
{
	(void)state;
	int cases = 0;
	assert_int_equal(run_cases(TEST_DATA_DIR "/rank/urlcanon.tsv", url_case, NULL, &cases), 0);
	assert_true(cases >= 30);
}

/* test_appends: the result is appended after what out holds, which a failure leaves alone. */
static void test_appends(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 1024);
	buf_adds(&out, "x ");
	assert_int_equal(rank_url_canonical("http://A.com", 12, &out, NULL), CH_OK);
	assert_string_equal(buf_str(&out), "x https://a.com/");
	assert_int_equal(rank_url_canonical("nope", 4, &out, NULL), CH_ERR_INVALID);
	assert_string_equal(buf_str(&out), "x https://a.com/");
	buf_release(&out);
}

/* test_limit: a buffer cap is reported, not overrun, and out is restored. */
static void test_limit(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 16);
	struct ch_error err;
	assert_int_equal(rank_url_canonical("https://example.com/a/long/path", 31, &out, &err), CH_ERR_LIMIT);
	assert_int_equal(out.n, 0);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
