/*
 * time.c — tests core's time arithmetic at the edges the fuzzer (fuzz/fuzz_time.c) reached:
 * time_format_iso for instants whose year fills an int, time_from_utc with fields far out of
 * range (minutes or days of month beyond what an int multiplication holds).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chapar.h"

/* iso: time_format_iso of t as a string in buf (static storage), or "" when it fails. */
static const char *iso(int64_t t)
{
	static char text[64];
	struct buf b;
	buf_init(&b, 64);
	text[0] = '\0';
	if (time_format_iso(&b, t) == CH_OK)
		snprintf(text, sizeof text, "%s", buf_str(&b));
	buf_release(&b);
	return text;
}

static void format_iso_ordinary(void **state)
{
	(void)state;
	assert_string_equal(iso(0), "1970-01-01T00:00:00Z");
	assert_string_equal(iso(1732789800), "2024-11-28T10:30:00Z");
	assert_string_equal(iso(-62135596800LL), "0001-01-01T00:00:00Z");
}

/* The last second of the year 2147485547 has tm_year == INT_MAX: adding 1900 in int overflowed
 * (a negative year came out). */
static void format_iso_year_beyond_int(void **state)
{
	(void)state;
	assert_string_equal(iso(67768036191676799LL), "2147485547-12-31T23:59:59Z");
	assert_string_equal(iso(INT64_MAX), ""); /* no such year in struct tm */
}

static void from_utc_ordinary(void **state)
{
	(void)state;
	assert_int_equal(time_from_utc(124, 10, 28, 10, 30, 0), 1732789800);
	/* out-of-range fields carry over as timegm's do */
	assert_int_equal(time_from_utc(70, 12, 1, 0, 0, 0), 365 * 86400);
	assert_int_equal(time_from_utc(70, -1, 1, 0, 0, 0), -31 * 86400);
}

/* minutes * 60 and the day of month were added in int: both overflowed. */
static void from_utc_fields_beyond_int(void **state)
{
	(void)state;
	assert_int_equal(time_from_utc(70, 0, 1, 0, 40000000, 0), 2400000000LL);
	assert_int_equal(time_from_utc(70, 0, 1, 0, -40000000, 0), -2400000000LL);
	assert_int_equal(time_from_utc(70, 0, INT_MAX, 0, 0, 0), ((int64_t)INT_MAX - 1) * 86400);
	assert_int_equal(time_from_utc(70, 0, INT_MIN, 0, 0, 0), ((int64_t)INT_MIN - 1) * 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_iso_ordinary),
		cmocka_unit_test(format_iso_year_beyond_int),
		cmocka_unit_test(from_utc_ordinary),
		cmocka_unit_test(from_utc_fields_beyond_int),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
