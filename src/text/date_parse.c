/*
 * date_parse.c — reading the Persian dates news pages print ("پنجشنبه 8 آذر 1403",
 * "۱۴۰۳/۰۹/۰۸ - ۱۰:۳۰", "8 آذر 1403 ساعت 10:30") into UTC. The text is first reduced to a
 * list of tokens (numbers with ASCII digits whatever digits were written, words with Arabic
 * yeh/kaf folded, single punctuation marks); a date is a day-month-year or year/month/day
 * pattern in that list and a time is the first H:MM after it (or before it). Numeric dates
 * whose year is 1700 or later are read as Gregorian, others as Jalali; either way the clock
 * time is Tehran's.
 */
#include <string.h>

#include "text/chars.h"
#include "text/text.h"
#include "text/text_internal.h"

enum { MAX_TOKENS = 128, MAX_WORD = 48 };

enum tok_kind { TOK_NUM, TOK_WORD, TOK_PUNCT };

struct token {
	enum tok_kind kind;
	int digits;     /* TOK_NUM: how many digits */
	long value;     /* TOK_NUM: the value (capped) */
	int month;      /* TOK_WORD: 1–12 when it names a Jalali month, else 0 */
	char punct;     /* TOK_PUNCT: the ASCII mark, or '?' for any other */
};

struct tokens {
	struct token t[MAX_TOKENS];
	int n;
};

/* digit_value: 0–9 for an ASCII, Arabic-Indic or Persian digit, else -1. */
static int digit_value(uint32_t cp)
{
	if (cp >= '0' && cp <= '9')
		return (int)(cp - '0');
	if (cp >= CP_ARABIC_DIGIT_ZERO && cp <= CP_ARABIC_DIGIT_ZERO + 9)
		return (int)(cp - CP_ARABIC_DIGIT_ZERO);
	if (cp >= CP_PERSIAN_DIGIT_ZERO && cp <= CP_PERSIAN_DIGIT_ZERO + 9)
		return (int)(cp - CP_PERSIAN_DIGIT_ZERO);
	return -1;
}

/* is_letter_cp: part of a word for date purposes (Arabic-script letters, ASCII letters). */
static bool is_letter_cp(uint32_t cp)
{
	return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) ||
	       (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* month_of_word: 1–12 if the folded word w names a Jalali month. */
static int month_of_word(const char *w, size_t n)
{
	static const struct {
		const char *name;
		int month;
	} names[] = { { "فروردین", 1 }, { "اردیبهشت", 2 }, { "خرداد", 3 }, { "تیر", 4 },
		      { "مرداد", 5 },   { "امرداد", 5 },   { "شهریور", 6 }, { "مهر", 7 },
		      { "آبان", 8 },    { "آذر", 9 },      { "دی", 10 },    { "بهمن", 11 },
		      { "اسفند", 12 } };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && memcmp(names[i].name, w, n) == 0)
			return names[i].month;
	return 0;
}

/* push: append a token; false when the list is full. */
static bool push(struct tokens *ts, struct token t)
{
	if (ts->n >= MAX_TOKENS)
		return false;
	ts->t[ts->n++] = t;
	return true;
}

/* tokenize_date: split s into number, word and punctuation tokens (whitespace dropped). */
static void tokenize_date(const char *s, size_t n, struct tokens *ts)
{
	ts->n = 0;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp, NULL);
		int dv = digit_value(cp);
		if (dv >= 0) {
			struct token t = { TOK_NUM, 0, 0, 0, 0 };
			while (i < n && (dv = digit_value(cp)) >= 0) {
				if (t.value < 100000)
					t.value = t.value * 10 + dv;
				t.digits++;
				i += len;
				if (i < n)
					len = utf8_decode(s + i, n - i, &cp, NULL);
			}
			if (!push(ts, t))
				return;
		} else if (is_letter_cp(cp) || cp == CP_ZWNJ || cp == CP_TATWEEL) {
			char word[MAX_WORD];
			size_t wn = 0;
			while (i < n && (is_letter_cp(cp) || cp == CP_ZWNJ || cp == CP_TATWEEL)) {
				if (cp == CP_ARABIC_YEH || cp == CP_ALEF_MAKSURA)
					cp = CP_FARSI_YEH;
				else if (cp == CP_ARABIC_KAF)
					cp = CP_KEHEH;
				if (cp != CP_ZWNJ && cp != CP_TATWEEL && wn + 4 < sizeof word)
					wn += utf8_encode(cp, word + wn);
				i += len;
				if (i < n)
					len = utf8_decode(s + i, n - i, &cp, NULL);
			}
			struct token t = { TOK_WORD, 0, 0, month_of_word(word, wn), 0 };
			if (!push(ts, t))
				return;
		} else {
			i += len;
			if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == CP_NBSP)
				continue;
			struct token t = { TOK_PUNCT, 0, 0, 0, cp < 0x80 ? (char)cp : '?' };
			if (cp == CP_ARABIC_COMMA)
				t.punct = ',';
			if (!push(ts, t))
				return;
		}
	}
}

static bool is_num(const struct tokens *ts, int i)
{
	return i < ts->n && ts->t[i].kind == TOK_NUM;
}

static bool is_punct(const struct tokens *ts, int i, const char *set)
{
	return i < ts->n && ts->t[i].kind == TOK_PUNCT && ts->t[i].punct &&
	       strchr(set, ts->t[i].punct);
}

struct found_date {
	int y, m, d;
	bool gregorian;
	int first, last; /* token range */
};

/* find_date: the first date pattern in ts. */
static bool find_date(const struct tokens *ts, struct found_date *fd)
{
	for (int i = 0; i < ts->n; i++) {
		if (is_num(ts, i) && i + 2 < ts->n && ts->t[i + 1].kind == TOK_WORD &&
		    ts->t[i + 1].month && is_num(ts, i + 2)) {
			*fd = (struct found_date){ (int)ts->t[i + 2].value, ts->t[i + 1].month,
						   (int)ts->t[i].value, false, i, i + 2 };
			return true;
		}
		if (is_num(ts, i) && is_punct(ts, i + 1, "/-.") && is_num(ts, i + 2) &&
		    i + 3 < ts->n && ts->t[i + 3].kind == TOK_PUNCT &&
		    ts->t[i + 3].punct == ts->t[i + 1].punct && is_num(ts, i + 4)) {
			const struct token *a = &ts->t[i], *c = &ts->t[i + 4];
			if (a->digits == 4) {
				*fd = (struct found_date){ (int)a->value, (int)ts->t[i + 2].value,
							   (int)c->value, false, i, i + 4 };
			} else if (c->digits == 4) {
				*fd = (struct found_date){ (int)c->value, (int)ts->t[i + 2].value,
							   (int)a->value, false, i, i + 4 };
			} else {
				continue;
			}
			fd->gregorian = fd->y >= 1700;
			return true;
		}
	}
	return false;
}

/* time_at: parse H:MM[:SS] starting at token i. */
static bool time_at(const struct tokens *ts, int i, int *h, int *m, int *s)
{
	if (!(is_num(ts, i) && is_punct(ts, i + 1, ":") && is_num(ts, i + 2)))
		return false;
	*h = (int)ts->t[i].value;
	*m = (int)ts->t[i + 2].value;
	*s = 0;
	if (is_punct(ts, i + 3, ":") && is_num(ts, i + 4))
		*s = (int)ts->t[i + 4].value;
	return ts->t[i].digits <= 2 && ts->t[i + 2].digits == 2 && *h <= 24 && *m <= 59 && *s <= 60;
}

/* find_time: the first clock time after the date, else the first before it. */
static void find_time(const struct tokens *ts, const struct found_date *fd, int *h, int *m, int *s)
{
	for (int i = fd->last + 1; i < ts->n; i++)
		if (time_at(ts, i, h, m, s))
			return;
	for (int i = 0; i + 2 < fd->first; i++)
		if (time_at(ts, i, h, m, s))
			return;
	*h = *m = *s = 0;
}

enum ch_status text_parse_date(const char *s, size_t n, int64_t *utc)
{
	static _Thread_local struct tokens ts;
	tokenize_date(s, n, &ts);
	struct found_date fd;
	if (!find_date(&ts, &fd))
		return CH_ERR_PARSE;
	int64_t days;
	if (fd.gregorian) {
		if (fd.m < 1 || fd.m > 12 || fd.d < 1 || fd.d > 31 || fd.y > 3600)
			return CH_ERR_PARSE;
		struct jdate j = jalali_from_gregorian(fd.y, fd.m, fd.d);
		int gy, gm, gd;
		gregorian_from_jalali(j, &gy, &gm, &gd);
		if (gy != fd.y || gm != fd.m || gd != fd.d)
			return CH_ERR_PARSE; /* 31 April and the like */
		days = jalali_to_days(j);
	} else {
		struct jdate j = { fd.y, fd.m, fd.d };
		if (!jalali_valid(j))
			return CH_ERR_PARSE;
		days = jalali_to_days(j);
	}
	int h, m, sec;
	find_time(&ts, &fd, &h, &m, &sec);
	*utc = tehran_local_to_utc(days * 86400 + h * 3600 + m * 60 + sec);
	return CH_OK;
}
