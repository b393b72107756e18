/*
 * fuzz_time.c — libFuzzer target for the time code that meets timestamps from anywhere (a
 * feed's date, a JSON-lines record, a stored row): time_parse_iso on the input as text, and
 * the formatters on extreme instants taken from the input's first bytes (time_format_iso,
 * the Jalali long/short/relative dates, jalali_from_days / jalali_to_days, time_from_utc
 * with out-of-range fields). No crash, no sanitizer report; what formats is valid UTF-8, and
 * an ISO date that formats parses back to the same instant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cstring.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* take64: the next 8 input bytes as an int64 (zero-padded at the end of the input). */
static int64_t take64(const uint8_t **p, size_t *n)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		v = v << 8 | (*n ? **p : 0);
		if (*n) {
			(*p)++;
			(*n)--;
		}
	}
	return (int64_t)v;
}

/* jalali_from_days is asked about day numbers within +-1e13 s (~317,000 years) of 1970: its
 * int year holds them; the formatters get every instant and must refuse what is not in years
 * 1-3000 AP. */
#define JALALI_DAYS_RANGE (10000000000000LL / 86400)

/* jalali_ok: a formatter's result: valid UTF-8 when it succeeds, nothing appended when it
 * refuses. */
static void jalali_ok(enum ch_status st, const struct buf *b)
{
	if (st == CH_OK ? b->n && !utf8_valid(b->p, b->n) : b->n != 0)
		abort();
}

/* format_all: every formatter on t (and now), checking what comes out. */
static void format_all(int64_t t, int64_t now)
{
	struct buf b;
	buf_init(&b, 4096);
	if (time_format_iso(&b, t) == CH_OK) {
		int64_t back = 0;
		if (!utf8_valid(b.p, b.n))
			abort();
		/* four-digit years are what time_parse_iso reads */
		if (b.n == 20 && time_parse_iso(b.p, &back) == CH_OK && back != t)
			abort();
	}
	buf_reset(&b);
	jalali_ok(jalali_format_long(&b, t), &b);
	buf_reset(&b);
	jalali_ok(jalali_format_short(&b, t), &b);
	buf_reset(&b);
	jalali_ok(jalali_format_relative(&b, t, now), &b);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	if (!s)
		return 0;
	int64_t parsed = 0;
	if (time_parse_iso(s, &parsed) == CH_OK)
		format_all(parsed, parsed);
	free(s);

	const uint8_t *p = data;
	size_t n = size;
	int64_t t = take64(&p, &n), now = take64(&p, &n);
	format_all(t, now);
	/* small instants around the present are the common case: also from 4 bytes */
	format_all((int64_t)(int32_t)t + 1700000000, now);

	struct jdate j = jalali_from_days(t % JALALI_DAYS_RANGE);
	if (jalali_valid(j) && jalali_from_days(jalali_to_days(j)).day != j.day)
		abort();
	struct buf b;
	buf_init(&b, 4096);
	jalali_format_numeric(&b, j);
	j.year = (int)(int32_t)t;
	j.month = (int)(int8_t)(now >> 8);
	j.day = (int)(int8_t)now;
	buf_reset(&b);
	jalali_format_numeric(&b, j);
	if (jalali_valid(j))
		(void)jalali_to_days(j);
	buf_release(&b);
	(void)time_from_utc((int)(t >> 32), (int)t, (int)(now >> 32), (int)now, (int)(int16_t)(t >> 16),
			    (int)(int16_t)now);
	return 0;
}
