/*
 * date_parse.c — tests of src/text/date_parse.c: every case of tests/data/text/dates.txt
 * (input, expected UTC instant or "-") through text_parse_date, plus hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"
#include "../cases.h"

/* date_case: one line of dates.txt: the UTC time parsed, or "-" for no date. */
static bool date_case(const char *input, const char *want, void *ctx)
{
	struct buf *got = ctx;
	int64_t t = 0;
	buf_reset(got);
	if (text_parse_date(input, strlen(input), &t) == CH_OK)
		time_format_iso(got, t);
	else
		buf_adds(got, "-");
	if (strcmp(buf_str(got), want) == 0)
		return true;
	print_error("'%s': got %s want %s\n", input, buf_str(got), want);
	return false;
}

/* data_cases: the spec file, line by line. */
static void data_cases(void **state)
{
	struct buf got;
	buf_init(&got, 256);
	int cases = 0;
	assert_int_equal(run_cases(TEST_DATA_DIR "/text/dates.txt", date_case, &got, &cases), 0);
	assert_true(cases >= 15);
	buf_release(&got);
}

/* hostile: invalid UTF-8, huge numbers, truncated patterns never crash or match wrongly. */
static void hostile(void **state)
{
	static const char *inputs[] = { "\xff\xfe 8 \xd8 1403", "99999999999/09/08", "1403/09/",
					 "8 آذر", "آذر 1403", "1403/09/08 99:99",
					 "8 \xd8\xa2\xd8\xb0\xd8" };
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		int64_t t = 0;
		enum ch_status st = text_parse_date(inputs[i], strlen(inputs[i]), &t);
		assert_true(st == CH_OK || st == CH_ERR_PARSE);
	}
	int64_t t;
	assert_int_equal(text_parse_date("1403/09/08 99:99", 16, &t), CH_OK);
	assert_int_equal(t, 1732739400); /* the bad time is ignored: midnight */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(data_cases),
		cmocka_unit_test(hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
