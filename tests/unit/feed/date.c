/*
 * Tests for src/feed/date.c: every case of tests/data/feed/dates.txt (input, expected UTC
 * instant or "-" for none), so new date shapes are added as data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feed/feed.h"

static void test_date_cases(void **state)
{
	(void)state;
	struct buf data, got;
	buf_init(&data, 1 << 20);
	buf_init(&got, 256);
	struct ch_error err;
	if (file_read(TEST_DATA_DIR "/feed/dates.txt", &data, &err) != CH_OK)
		fail_msg("%s", err.msg);
	int cases = 0, failures = 0;
	for (char *line = data.p, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		const char *want = tab + 1;
		int64_t t = 0;
		enum ch_status st = feed_parse_date(line, &t);
		buf_reset(&got);
		if (st == CH_OK)
			time_format_iso(&got, t);
		else
			buf_adds(&got, "-");
		cases++;
		if (strcmp(buf_str(&got), want) != 0) {
			print_error("date '%s': got %s, want %s\n", line, buf_str(&got), want);
			failures++;
		}
	}
	assert_true(cases > 30);
	assert_int_equal(failures, 0);
	buf_release(&data);
	buf_release(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
