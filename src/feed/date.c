/*
 * date.c — dates as feeds write them. RFC 822/1123 with the mistakes real feeds make (no
 * weekday or a wrong one, two-digit years, missing seconds, single-digit fields, full month
 * and day names, zone names like IRST, "GMT+3:30", a missing zone read as UTC), RFC 3339 and
 * ISO 8601 (via core's time_parse_iso, plus the forms it does not take: compact dates, a
 * missing 'T', "+0330"), asctime, "2004/02/28 18:14:55", and Persian dates through
 * text_parse_date as the last resort.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "feed/feed.h"
#include "text/text.h"

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun",
					"jul", "aug", "sep", "oct", "nov", "dec" };

/* Time-zone names seen in feeds, with their offsets east of UTC in minutes. */
static const struct { const char *name; int minutes; } zones[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 }, { "bst", 60 },
	{ "edt", -240 }, { "est", -300 }, { "cdt", -300 }, { "cst", -360 }, { "mdt", -360 },
	{ "mst", -420 }, { "pdt", -420 }, { "pst", -480 }, { "akst", -540 }, { "akdt", -480 },
	{ "hst", -600 }, { "ast", -240 }, { "adt", -180 }, { "nst", -210 }, { "ndt", -150 },
	{ "cet", 60 }, { "cest", 120 }, { "met", 60 }, { "mest", 120 }, { "eet", 120 },
	{ "eest", 180 }, { "msk", 180 }, { "irst", 210 }, { "irdt", 270 }, { "ist", 330 },
	{ "jst", 540 }, { "kst", 540 }, { "hkt", 480 }, { "sgt", 480 }, { "awst", 480 },
	{ "acst", 570 }, { "aest", 600 }, { "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
	{ "a", -60 }, { "m", -720 }, { "n", 60 }, { "y", 720 },
};

/* word: the run of ASCII letters at *s into dst (lower case, at most cap-1), advancing *s.
 * Returns its length. */
static size_t word(const char **s, char *dst, size_t cap)
{
	size_t n = 0;
	while (isalpha((unsigned char)**s)) {
		if (n + 1 < cap)
			dst[n++] = (char)tolower((unsigned char)**s);
		(*s)++;
	}
	dst[n < cap ? n : cap - 1] = '\0';
	return n;
}

/* number: the run of ASCII digits at *s (at most 9), advancing *s; -1 when none. *len gets the
 * digit count. */
static long number(const char **s, int *len)
{
	long v = 0;
	int n = 0;
	while (isdigit((unsigned char)**s) && n < 9) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	*len = n;
	return n ? v : -1;
}

/* skip_seps: skip spaces, commas and dots. */
static void skip_seps(const char **s)
{
	while (**s == ' ' || **s == ',' || **s == '\t' || **s == '.' || **s == '\n' || **s == '\r')
		(*s)++;
}

/* month_of: 0–11 for an English month name or its abbreviation, -1 otherwise. */
static int month_of(const char *w)
{
	if (strlen(w) < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (strncmp(w, months[i], 3) == 0)
			return i;
	return -1;
}

/* parse_zone: a zone at *s: "+0330", "-05:00", "GMT+3", "IRST", "Z" (letters, optionally with
 * an offset). Sets *minutes; returns false when something unreadable is there. Absent = UTC. */
static bool parse_zone(const char **s, int *minutes)
{
	*minutes = 0;
	while (**s == ' ')
		(*s)++;
	if (isalpha((unsigned char)**s)) {
		char w[8];
		word(s, w, sizeof w);
		bool found = false;
		for (size_t i = 0; i < sizeof zones / sizeof *zones; i++)
			if (strcmp(w, zones[i].name) == 0) {
				*minutes = zones[i].minutes;
				found = true;
			}
		if (!found)
			return false;
	}
	if (**s == '+' || **s == '-') {
		int sign = **s == '-' ? -1 : 1;
		(*s)++;
		int len;
		long v = number(s, &len);
		if (v < 0)
			return false;
		long h = v, m = 0;
		if (len >= 3) {
			h = v / 100;
			m = v % 100;
		} else if (**s == ':') {
			(*s)++;
			int l2;
			m = number(s, &l2);
			if (m < 0)
				m = 0;
		}
		if (h > 14 || m > 59)
			return false;
		*minutes += sign * (int)(h * 60 + m);
	}
	return true;
}

/* fix_year: two-digit years as RFC 2822 reads them. */
static long fix_year(long y, int len)
{
	if (len <= 2)
		return y < 50 ? 2000 + y : 1900 + y;
	return y;
}

/* parse_time: "hh:mm[:ss]" at *s into seconds of the day; false when absent or bad. */
static bool parse_time(const char **s, long *secs)
{
	int len;
	long h = number(s, &len), m = 0, sec = 0;
	if (h < 0 || h > 24 || **s != ':')
		return false;
	(*s)++;
	m = number(s, &len);
	if (m < 0 || m > 59)
		return false;
	if (**s == ':') {
		(*s)++;
		sec = number(s, &len);
		if (sec < 0 || sec > 60)
			sec = 0;
		if (**s == '.' || **s == ',') {
			(*s)++;
			number(s, &len);
		}
	}
	*secs = h * 3600 + m * 60 + sec;
	return true;
}

/* valid_day: a plausible day of the month. */
static bool valid_day(long y, int mon, long d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return y >= 1 && y <= 9999 && mon >= 0 && mon < 12 && d >= 1 && d <= mdays[mon];
}

/* parse_rfc822: "[Wkd,] dd Mon yyyy hh:mm[:ss] [zone]" and its usual corruptions, also
 * "Mon dd yyyy", "Wkd Mon dd hh:mm:ss yyyy" (asctime) and a date with no time. */
static bool parse_rfc822(const char *s, int64_t *out)
{
	char w[16];
	skip_seps(&s);
	if (isalpha((unsigned char)*s)) {
		const char *save = s;
		word(&s, w, sizeof w);
		if (month_of(w) >= 0)
			s = save; /* no weekday: the month comes first */
		skip_seps(&s);
	}
	int len;
	long day = -1, year = -1, secs = 0;
	int mon = -1;
	if (isdigit((unsigned char)*s)) {
		day = number(&s, &len);
		while (*s == ' ' || *s == '-' || *s == '/' || *s == ',' || *s == '.')
			s++;
		word(&s, w, sizeof w);
		mon = month_of(w);
		while (*s == ' ' || *s == '-' || *s == '/' || *s == ',' || *s == '.')
			s++;
		year = number(&s, &len);
		year = fix_year(year, len);
		skip_seps(&s);
		if (*s && !parse_time(&s, &secs))
			return false;
	} else {
		word(&s, w, sizeof w); /* "Jan 4 2004" or asctime "Jan  4 16:29:06 2004" */
		mon = month_of(w);
		skip_seps(&s);
		day = number(&s, &len);
		skip_seps(&s);
		const char *t = s;
		if (parse_time(&t, &secs)) {
			s = t;
			while (*s == ' ')
				s++;
			const char *z = s;
			int zm;
			if (isalpha((unsigned char)*s) && parse_zone(&z, &zm)) {
				while (*z == ' ')
					z++;
				year = number(&z, &len);
				if (year >= 0) {
					*out = time_from_utc((int)year - 1900, mon, (int)day, 0, 0, 0) +
					       secs - zm * 60;
					return valid_day(year, mon, day);
				}
			}
			year = number(&s, &len);
		} else {
			year = number(&s, &len);
			year = fix_year(year, len);
			skip_seps(&s);
			if (*s && !parse_time(&s, &secs))
				return false;
		}
	}
	if (!valid_day(year, mon, day))
		return false;
	int zm = 0;
	if (!parse_zone(&s, &zm))
		zm = 0; /* an unknown zone name: read as UTC rather than lose the date */
	*out = time_from_utc((int)year - 1900, mon, (int)day, 0, 0, 0) + secs - (int64_t)zm * 60;
	return true;
}

/* parse_iso_loose: ISO 8601 forms time_parse_iso does not take: "20040105T051510Z",
 * "2004-01-05 05:15:10 +0330", "2004/01/05 05:15:10", a date-only "2004-01", a time without
 * a zone followed by text. */
static bool parse_iso_loose(const char *s, int64_t *out)
{
	while (*s == ' ')
		s++;
	int len;
	const char *p = s;
	long y = number(&p, &len), mo = 1, d = 1;
	if (len == 8) {
		mo = (y / 100) % 100;
		d = y % 100;
		y /= 10000;
	} else if ((len == 4 || len == 2) && (*p == '-' || *p == '/')) {
		if (len == 2)
			y = fix_year(y, len);
		char sep = *p++;
		mo = number(&p, &len);
		if (*p == sep) {
			p++;
			d = number(&p, &len);
		}
	} else {
		return false;
	}
	if (!valid_day(y, (int)mo - 1, d))
		return false;
	long secs = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		while (*p == ' ')
			p++;
		const char *t = p;
		if (!parse_time(&t, &secs)) { /* compact "051510" */
			t = p;
			long v = number(&t, &len);
			if (len != 6 && len != 4)
				return false;
			secs = len == 6 ? (v / 10000) * 3600 + (v / 100 % 100) * 60 + v % 100
					: (v / 100) * 3600 + (v % 100) * 60;
		}
		p = t;
	}
	int zm = 0;
	if (!parse_zone(&p, &zm))
		zm = 0;
	*out = time_from_utc((int)y - 1900, (int)mo - 1, (int)d, 0, 0, 0) + secs - (int64_t)zm * 60;
	return true;
}

enum ch_status feed_parse_date(const char *s, int64_t *utc)
{
	if (!s)
		return CH_ERR_PARSE;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return CH_ERR_PARSE;
	if (time_parse_iso(s, utc) == CH_OK)
		return CH_OK;
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    (s[2] == '-' || isdigit((unsigned char)s[2])) && parse_iso_loose(s, utc))
		return CH_OK;
	if (parse_rfc822(s, utc))
		return CH_OK;
	return text_parse_date(s, strlen(s), utc);
}
