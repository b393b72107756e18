/*
 * interim.c — TEMPORARY minimal versions of the text API so the rest of chapar builds while
 * the real text engine is written. Delete this file when the real functions land.
 */
#include <stdio.h>
#include <string.h>

#include "text/text.h"

enum ch_status text_digits_fa(struct buf *out, const char *s, size_t n)
{
	enum ch_status st = CH_OK;
	for (size_t i = 0; st == CH_OK && i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			st = utf8_add(out, 0x06F0 + (uint32_t)(s[i] - '0'));
		else
			st = buf_addc(out, s[i]);
	}
	return st;
}

enum ch_status text_normalize(const char *s, size_t n, unsigned flags, struct buf *out)
{
	return utf8_repair(out, s, n);
}

enum ch_status text_fold(const char *s, size_t n, struct buf *out)
{
	return utf8_repair(out, s, n);
}

struct jdate jalali_from_gregorian(int gy, int gm, int gd)
{
	static const int g_d_m[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int gy2 = (gm > 2) ? (gy + 1) : gy;
	long days = 355666 + (365L * gy) + ((gy2 + 3) / 4) - ((gy2 + 99) / 100) + ((gy2 + 399) / 400) +
		    gd + g_d_m[gm - 1];
	long jy = -1595 + (33 * (days / 12053));
	days %= 12053;
	jy += 4 * (days / 1461);
	days %= 1461;
	if (days > 365) {
		jy += (days - 1) / 365;
		days = (days - 1) % 365;
	}
	struct jdate j;
	j.year = (int)jy;
	if (days < 186) {
		j.month = 1 + (int)(days / 31);
		j.day = 1 + (int)(days % 31);
	} else {
		j.month = 7 + (int)((days - 186) / 30);
		j.day = 1 + (int)((days - 186) % 30);
	}
	return j;
}

void gregorian_from_jalali(struct jdate j, int *gy, int *gm, int *gd)
{
	*gy = *gm = *gd = 0;
}

enum ch_status jalali_format_long(struct buf *out, int64_t t)
{
	static const char *months[] = { "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
					"مهر", "آبان", "آذر", "دی", "بهمن", "اسفند" };
	static const char *wdays[] = { "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه" };
	time_t tt = (time_t)(t + 12600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	struct jdate j = jalali_from_gregorian(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	char num[32];
	buf_adds(out, wdays[tm.tm_wday]);
	buf_addc(out, ' ');
	int k = snprintf(num, sizeof num, "%d", j.day);
	text_digits_fa(out, num, (size_t)k);
	buf_addc(out, ' ');
	buf_adds(out, months[j.month - 1]);
	buf_addc(out, ' ');
	k = snprintf(num, sizeof num, "%d", j.year);
	return text_digits_fa(out, num, (size_t)k);
}

enum ch_status jalali_format_relative(struct buf *out, int64_t t, int64_t now)
{
	return jalali_format_long(out, t);
}

int text_tokenize(const char *s, size_t n, enum text_tok_mode mode, text_token_fn fn, void *ctx)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && !(s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
			i++;
		if (i > start) {
			int rc = fn(ctx, s + start, i - start, start, i, false);
			if (rc)
				return rc;
		}
	}
	return 0;
}

enum ch_status text_stem(const char *w, size_t n, struct buf *out)
{
	return buf_add(out, w, n);
}

enum ch_status text_parse_date(const char *s, size_t n, int64_t *utc)
{
	return CH_ERR_PARSE;
}
