/*
 * calendar.c — the Jalali (Solar Hijri) calendar by arithmetic: conversion to and from the
 * proleptic Gregorian calendar, exact over years 1–3000 AP, and the Persian formats used on
 * pages ("پنجشنبه ۸ آذر ۱۴۰۳", "۱۴۰۳/۰۹/۰۸", "۵ دقیقه پیش"). Leap years follow Borkowski's
 * break-year model of the astronomical vernal equinox (the same years as ICU's persian
 * calendar and jalaali-js over 1279–1529 AP); local time is Asia/Tehran from tz.c.
 */
#include <stdio.h>
#include <string.h>

#include "text/chars.h"
#include "text/text.h"
#include "text/text_internal.h"

/* Jalali years at which the 33-year leap pattern restarts (Borkowski 1996); valid up to the
 * last entry, which is past 3000 AP. */
static const int break_years[] = { -61,  9,    38,   199,  426,  686,  756,  818,  1111, 1181,
				   1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178 };

struct year_info {
	int leap_phase; /* 0 when the year is leap (30 days in Esfand) */
	int gy;         /* Gregorian year in which the Jalali year starts */
	int march_day;  /* day of March of 1 Farvardin */
};

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date (core's
 * time_from_utc does the arithmetic). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	return time_from_utc((int)(y - 1900), m - 1, d, 0, 0, 0) / 86400;
}

/* civil_from_days: the inverse of days_from_civil. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* year_info_of: leap phase and start (in Gregorian March) of Jalali year jy (-61 < jy < 3178). */
static struct year_info year_info_of(int jy)
{
	struct year_info yi;
	int leaps = -14, prev = break_years[0], jump = 0;
	size_t nb = sizeof break_years / sizeof break_years[0];
	for (size_t i = 1; i < nb; i++) {
		jump = break_years[i] - prev;
		if (jy < break_years[i])
			break;
		leaps += jump / 33 * 8 + jump % 33 / 4;
		prev = break_years[i];
	}
	int n = jy - prev;
	leaps += n / 33 * 8 + (n % 33 + 3) / 4;
	if (jump % 33 == 4 && jump - n == 4)
		leaps++;
	yi.gy = jy + 621;
	int greg_leaps = yi.gy / 4 - (yi.gy / 100 + 1) * 3 / 4 - 150;
	yi.march_day = 20 + leaps - greg_leaps;
	if (jump - n < 6)
		n = n - jump + (jump + 4) / 33 * 33;
	int phase = ((n + 1) % 33 - 1) % 4;
	yi.leap_phase = phase == -1 ? 4 : phase;
	return yi;
}

bool jalali_is_leap(int jy)
{
	return year_info_of(jy).leap_phase == 0;
}

int64_t jalali_to_days(struct jdate j)
{
	struct year_info yi = year_info_of(j.year);
	int64_t start = days_from_civil(yi.gy, 3, yi.march_day);
	int m = j.month;
	return start + (m - 1) * 31 - m / 7 * (m - 7) + j.day - 1;
}

struct jdate jalali_from_days(int64_t days)
{
	int gy, gm, gd;
	civil_from_days(days, &gy, &gm, &gd);
	struct jdate j;
	j.year = gy - 621;
	struct year_info yi = year_info_of(j.year);
	int64_t k = days - days_from_civil(gy, 3, yi.march_day);
	if (k >= 0) {
		if (k <= 185) {
			j.month = 1 + (int)(k / 31);
			j.day = 1 + (int)(k % 31);
			return j;
		}
		k -= 186;
	} else {
		j.year--;
		k += 179;
		if (year_info_of(j.year).leap_phase == 0)
			k++;
	}
	j.month = 7 + (int)(k / 30);
	j.day = 1 + (int)(k % 30);
	return j;
}

struct jdate jalali_from_gregorian(int gy, int gm, int gd)
{
	return jalali_from_days(days_from_civil(gy, gm, gd));
}

void gregorian_from_jalali(struct jdate j, int *gy, int *gm, int *gd)
{
	civil_from_days(jalali_to_days(j), gy, gm, gd);
}

bool jalali_valid(struct jdate j)
{
	if (j.year < 1 || j.year > 3000 || j.month < 1 || j.month > 12 || j.day < 1)
		return false;
	int len = j.month <= 6 ? 31 : j.month <= 11 ? 30 : (jalali_is_leap(j.year) ? 30 : 29);
	return j.day <= len;
}

/* ---- formatting ------------------------------------------------------------------------- */

static const char *const month_names[12] = { "فروردین", "اردیبهشت", "خرداد", "تیر",
					     "مرداد",   "شهریور",   "مهر",   "آبان",
					     "آذر",     "دی",       "بهمن",  "اسفند" };

/* Sunday first, as struct tm's tm_wday. */
static const char *const weekday_names[7] = { "یکشنبه", "دوشنبه", "سه" ZWNJ_UTF8 "شنبه", "چهارشنبه",
					      "پنجشنبه", "جمعه", "شنبه" };

const char *jalali_month_name(int month)
{
	return month >= 1 && month <= 12 ? month_names[month - 1] : "";
}

const char *jalali_weekday_name(int wday)
{
	return wday >= 0 && wday <= 6 ? weekday_names[wday] : "";
}

/* add_fa_number: append v in Persian digits, zero-padded to width digits. */
static enum ch_status add_fa_number(struct buf *out, long long v, int width)
{
	char num[32];
	int k = snprintf(num, sizeof num, "%0*lld", width, v);
	return text_digits_fa(out, num, (size_t)k);
}

/* local_days: Tehran-local day number and seconds into that day of Unix time t. */
static int64_t local_days(int64_t t, int64_t *sec_of_day)
{
	int64_t local = t + tehran_utc_offset(t);
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	if (sec_of_day)
		*sec_of_day = local - days * 86400;
	return days;
}

/* Seconds beyond every moment of years 1–3000 AP (about -4.4e10 to 5.2e10): a time outside is
 * refused before any arithmetic on it could overflow. */
#define CALENDAR_SECONDS_LIMIT 100000000000LL

/* local_date: the Tehran-local Jalali date of t (and its day number); CH_ERR_INVALID when it
 * is not a date of years 1–3000. */
static enum ch_status local_date(int64_t t, struct jdate *j, int64_t *days)
{
	if (t < -CALENDAR_SECONDS_LIMIT || t > CALENDAR_SECONDS_LIMIT)
		return CH_ERR_INVALID;
	*days = local_days(t, NULL);
	*j = jalali_from_days(*days);
	return jalali_valid(*j) ? CH_OK : CH_ERR_INVALID;
}

enum ch_status jalali_format_long(struct buf *out, int64_t t)
{
	int64_t days;
	struct jdate j;
	if (local_date(t, &j, &days) != CH_OK)
		return CH_ERR_INVALID;
	int wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
	enum ch_status st = buf_adds(out, weekday_names[wday]);
	if (st == CH_OK)
		st = buf_addc(out, ' ');
	if (st == CH_OK)
		st = add_fa_number(out, j.day, 1);
	if (st == CH_OK)
		st = buf_addc(out, ' ');
	if (st == CH_OK)
		st = buf_adds(out, month_names[j.month - 1]);
	if (st == CH_OK)
		st = buf_addc(out, ' ');
	if (st == CH_OK)
		st = add_fa_number(out, j.year, 1);
	return st;
}

enum ch_status jalali_format_numeric(struct buf *out, struct jdate j)
{
	enum ch_status st = add_fa_number(out, j.year, 4);
	if (st == CH_OK)
		st = buf_addc(out, '/');
	if (st == CH_OK)
		st = add_fa_number(out, j.month, 2);
	if (st == CH_OK)
		st = buf_addc(out, '/');
	if (st == CH_OK)
		st = add_fa_number(out, j.day, 2);
	return st;
}

enum ch_status jalali_format_short(struct buf *out, int64_t t)
{
	int64_t days;
	struct jdate j;
	if (local_date(t, &j, &days) != CH_OK)
		return CH_ERR_INVALID;
	return jalali_format_numeric(out, j);
}

enum ch_status jalali_format_relative(struct buf *out, int64_t t, int64_t now)
{
	if (t < -CALENDAR_SECONDS_LIMIT || t > CALENDAR_SECONDS_LIMIT || now < -CALENDAR_SECONDS_LIMIT ||
	    now > CALENDAR_SECONDS_LIMIT)
		return CH_ERR_INVALID;
	int64_t d = now - t;
	bool future = d < 0;
	if (future)
		d = -d;
	if (d < 60)
		return buf_adds(out, future ? "لحظاتی بعد" : "لحظاتی پیش");
	int64_t amount;
	const char *unit;
	if (d < 3600) {
		amount = d / 60;
		unit = " دقیقه";
	} else if (d < 86400) {
		amount = d / 3600;
		unit = " ساعت";
	} else if (d < 30 * 86400) {
		amount = d / 86400;
		unit = " روز";
	} else {
		return jalali_format_long(out, t);
	}
	enum ch_status st = add_fa_number(out, amount, 1);
	if (st == CH_OK)
		st = buf_adds(out, unit);
	if (st == CH_OK)
		st = buf_adds(out, future ? " بعد" : " پیش");
	return st;
}
