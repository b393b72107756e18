/*
 * time.c — clocks, and ISO 8601 / RFC 3339 in and out. Calendar arithmetic here is proleptic
 * Gregorian in UTC; Jalali and Tehran time live in src/text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

int64_t time_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* days_from_civil: days since 1970-01-01 of y-m-d (m 1–12), Howard Hinnant's algorithm. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + (int64_t)d - 1; /* any int d */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t time_from_utc(int year, int mon, int mday, int hour, int min, int sec)
{
	int64_t y = (int64_t)year + 1900 + mon / 12;
	int m = mon % 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	return days_from_civil(y, m + 1, mday) * 86400 + (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
}

enum ch_status time_format_iso(struct buf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return CH_ERR_INVALID;
	/* the year in 64 bits: gmtime_r accepts any tm_year an int holds, up to INT_MAX - 1900 */
	return buf_addf(out, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)tm.tm_year + 1900, tm.tm_mon + 1,
			tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* digits: parse exactly n ASCII digits at *s, advancing it; -1 if they are not there. */
static int digits(const char **s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return v;
}

enum ch_status time_parse_iso(const char *s, int64_t *out)
{
	while (isspace((unsigned char)*s))
		s++;
	int y = digits(&s, 4);
	if (y < 0 || *s++ != '-')
		return CH_ERR_PARSE;
	int mo = digits(&s, 2);
	if (mo < 1 || mo > 12 || *s++ != '-')
		return CH_ERR_PARSE;
	int d = digits(&s, 2);
	if (d < 1 || d > 31)
		return CH_ERR_PARSE;
	int h = 0, mi = 0, se = 0, off = 0;
	if (*s == 'T' || *s == 't' || (*s == ' ' && isdigit((unsigned char)s[1]))) {
		s++;
		h = digits(&s, 2);
		if (h < 0 || h > 24 || *s++ != ':')
			return CH_ERR_PARSE;
		mi = digits(&s, 2);
		if (mi < 0 || mi > 59)
			return CH_ERR_PARSE;
		if (*s == ':') {
			s++;
			se = digits(&s, 2);
			if (se < 0 || se > 60)
				return CH_ERR_PARSE;
			if (*s == '.' || *s == ',') {
				s++;
				while (isdigit((unsigned char)*s))
					s++;
			}
		}
		while (*s == ' ')
			s++;
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			int sign = *s++ == '-' ? -1 : 1;
			int oh = digits(&s, 2);
			if (oh < 0)
				return CH_ERR_PARSE;
			if (*s == ':')
				s++;
			int om = isdigit((unsigned char)*s) ? digits(&s, 2) : 0;
			if (om < 0)
				return CH_ERR_PARSE;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return CH_ERR_PARSE;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return CH_OK;
}
