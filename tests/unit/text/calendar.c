/*
 * calendar.c — tests of src/text/calendar.c: Jalali ⇄ Gregorian day by day over 1300–1500 AP
 * against ICU's persian calendar (an independent implementation, linked into this test only),
 * round trips over every day of 1–3000 AP, fixed dates, and the Persian formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

#ifdef HAVE_ICU
#include <unicode/ucal.h>
#include <unicode/ustring.h>

/* against_icu: every day of 1300–1500 AP agrees with ICU's persian calendar. */
static void against_icu(void **state)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar zone[8];
	u_uastrcpy(zone, "UTC");
	UCalendar *cal = ucal_open(zone, -1, "fa_IR@calendar=persian", UCAL_DEFAULT, &err);
	assert_true(U_SUCCESS(err));
	int64_t first = jalali_to_days((struct jdate){ 1300, 1, 1 });
	int64_t last = jalali_to_days((struct jdate){ 1501, 1, 1 });
	int mismatches = 0;
	for (int64_t d = first; d < last; d++) {
		ucal_setMillis(cal, (UDate)d * 86400000.0 + 43200000.0, &err);
		int y = ucal_get(cal, UCAL_EXTENDED_YEAR, &err);
		int m = ucal_get(cal, UCAL_MONTH, &err) + 1;
		int day = ucal_get(cal, UCAL_DATE, &err);
		assert_true(U_SUCCESS(err));
		struct jdate j = jalali_from_days(d);
		if (j.year != y || j.month != m || j.day != day) {
			if (mismatches++ < 5)
				print_error("day %lld: ours %d/%d/%d icu %d/%d/%d\n", (long long)d,
					    j.year, j.month, j.day, y, m, day);
		}
		assert_int_equal(jalali_to_days(j), d);
	}
	assert_int_equal(mismatches, 0);
	assert_true(last - first > 73000);
	ucal_close(cal);
}
#endif

/* round_trip_all_years: every valid date of 1–3000 AP maps to consecutive days and back. */
static void round_trip_all_years(void **state)
{
	int64_t prev = jalali_to_days((struct jdate){ 1, 1, 1 }) - 1;
	int leaps = 0;
	for (int y = 1; y <= 3000; y++) {
		leaps += jalali_is_leap(y);
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= 31; d++) {
				struct jdate j = { y, m, d };
				if (!jalali_valid(j))
					continue;
				int64_t days = jalali_to_days(j);
				assert_int_equal(days, prev + 1);
				struct jdate back = jalali_from_days(days);
				assert_int_equal(back.year, y);
				assert_int_equal(back.month, m);
				assert_int_equal(back.day, d);
				prev = days;
			}
		}
	}
	/* about 8 leap years in 33 */
	assert_in_range(leaps, 3000 * 8 / 33 - 10, 3000 * 8 / 33 + 10);
}

/* fixed_dates: well-known conversions both ways. */
static void fixed_dates(void **state)
{
	static const struct {
		int gy, gm, gd, jy, jm, jd;
	} cases[] = {
		{ 2024, 11, 28, 1403, 9, 8 }, { 2024, 3, 20, 1403, 1, 1 }, { 1979, 2, 11, 1357, 11, 22 },
		{ 2025, 3, 20, 1403, 12, 30 }, { 2025, 3, 21, 1404, 1, 1 }, { 1921, 3, 21, 1300, 1, 1 },
		{ 622, 3, 22, 1, 1, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct jdate j = jalali_from_gregorian(cases[i].gy, cases[i].gm, cases[i].gd);
		assert_int_equal(j.year, cases[i].jy);
		assert_int_equal(j.month, cases[i].jm);
		assert_int_equal(j.day, cases[i].jd);
		int gy, gm, gd;
		gregorian_from_jalali(j, &gy, &gm, &gd);
		assert_int_equal(gy, cases[i].gy);
		assert_int_equal(gm, cases[i].gm);
		assert_int_equal(gd, cases[i].gd);
	}
	assert_false(jalali_valid((struct jdate){ 1402, 12, 30 }));
	assert_true(jalali_valid((struct jdate){ 1403, 12, 30 }));
	assert_false(jalali_valid((struct jdate){ 1403, 7, 31 }));
}

/* expect_format: run one formatter into a fresh buffer and compare. */
static void expect_str(struct buf *b, const char *want)
{
	assert_string_equal(buf_str(b), want);
	buf_reset(b);
}

/* formats_range: the first and last days of years 1–3000 are formatted; times beyond them
 * (a fuzzer's 1e14, the int64 extremes) are refused with nothing appended, never read out of
 * the month table or overflowed. */
static void formats_range(void **state)
{
	struct buf b;
	buf_init(&b, 1024);
	int64_t first = jalali_to_days((struct jdate){ 1, 1, 1 }) * 86400 + 6 * 3600;
	int64_t last = jalali_to_days((struct jdate){ 3000, 12, jalali_is_leap(3000) ? 30 : 29 }) * 86400 + 6 * 3600;
	assert_int_equal(jalali_format_short(&b, first), CH_OK);
	expect_str(&b, "۰۰۰۱/۰۱/۰۱");
	assert_int_equal(jalali_format_long(&b, last), CH_OK);
	assert_non_null(strstr(buf_str(&b), "اسفند ۳۰۰۰"));
	buf_reset(&b);
	int64_t bad[] = { first - 86400, last + 86400, 100000000000000LL, INT64_MIN, INT64_MAX };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(jalali_format_long(&b, bad[i]), CH_ERR_INVALID);
		assert_int_equal(jalali_format_short(&b, bad[i]), CH_ERR_INVALID);
		/* a relative time under 30 days needs no date; beyond the limit, none is read */
		if (i >= 2) {
			assert_int_equal(jalali_format_relative(&b, bad[i], bad[i]), CH_ERR_INVALID);
			assert_int_equal(jalali_format_relative(&b, 0, bad[i]), CH_ERR_INVALID);
			assert_int_equal(jalali_format_relative(&b, bad[i], 0), CH_ERR_INVALID);
		}
		assert_int_equal(b.n, 0);
	}
	buf_release(&b);
	(void)state;
}

/* formats: long, numeric and relative forms in Tehran time. */
static void formats(void **state)
{
	struct buf b;
	buf_init(&b, 1024);
	/* 2024-11-28 00:10 Tehran is 2024-11-27 20:40 UTC: still Thursday in Tehran */
	int64_t t = time_from_utc(124, 10, 27, 20, 40, 0);
	assert_int_equal(jalali_format_long(&b, t), CH_OK);
	expect_str(&b, "پنجشنبه ۸ آذر ۱۴۰۳");
	assert_int_equal(jalali_format_short(&b, t), CH_OK);
	expect_str(&b, "۱۴۰۳/۰۹/۰۸");
	assert_int_equal(jalali_format_long(&b, t - 3600), CH_OK);
	expect_str(&b, "چهارشنبه ۷ آذر ۱۴۰۳");
	assert_int_equal(jalali_format_long(&b, time_from_utc(124, 10, 26, 12, 0, 0)), CH_OK);
	expect_str(&b, "سه\u200cشنبه ۶ آذر ۱۴۰۳");
	assert_int_equal(jalali_format_relative(&b, t, t + 300), CH_OK);
	expect_str(&b, "۵ دقیقه پیش");
	assert_int_equal(jalali_format_relative(&b, t, t + 10), CH_OK);
	expect_str(&b, "لحظاتی پیش");
	assert_int_equal(jalali_format_relative(&b, t, t + 3 * 3600 + 5), CH_OK);
	expect_str(&b, "۳ ساعت پیش");
	assert_int_equal(jalali_format_relative(&b, t, t + 2 * 86400), CH_OK);
	expect_str(&b, "۲ روز پیش");
	assert_int_equal(jalali_format_relative(&b, t + 600, t), CH_OK);
	expect_str(&b, "۱۰ دقیقه بعد");
	assert_int_equal(jalali_format_relative(&b, t, t + 90 * 86400), CH_OK);
	expect_str(&b, "پنجشنبه ۸ آذر ۱۴۰۳");
	/* before 2022 Iran kept DST: 1400/04/01 12:00 Tehran was 07:30 UTC */
	assert_int_equal(jalali_format_long(&b, time_from_utc(121, 5, 22, 20, 0, 0)), CH_OK);
	expect_str(&b, "چهارشنبه ۲ تیر ۱۴۰۰");
	assert_int_equal(jalali_format_long(&b, time_from_utc(121, 5, 22, 19, 0, 0)), CH_OK);
	expect_str(&b, "سه\u200cشنبه ۱ تیر ۱۴۰۰");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef HAVE_ICU
		cmocka_unit_test(against_icu),
#endif
		cmocka_unit_test(round_trip_all_years),
		cmocka_unit_test(fixed_dates),
		cmocka_unit_test(formats),
		cmocka_unit_test(formats_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
