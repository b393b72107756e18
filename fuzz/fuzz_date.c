/*
 * fuzz_date.c — libFuzzer target for Persian date parsing (text_parse_date) and the
 * formatters on whatever instant it returns: no crash, and a parsed date formats and parses
 * back to the same day.
 */
#include <stdint.h>
#include <stdlib.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t t = 0;
	if (text_parse_date((const char *)data, size, &t) != CH_OK)
		return 0;
	struct buf b;
	buf_init(&b, 4096);
	if (jalali_format_short(&b, t) != CH_OK || !utf8_valid(b.p, b.n))
		abort();
	/* numeric years from 1700 on read as Gregorian, so check the round trip on modern dates
	 * (1900-2100) only: the same Tehran day, back being that day's midnight */
	int64_t back = 0;
	if (t > -2208988800LL && t < 4102444800LL &&
	    (text_parse_date(b.p, b.n, &back) != CH_OK || back > t || t - back >= 86400 + 3600))
		abort();
	buf_reset(&b);
	jalali_format_long(&b, t);
	jalali_format_relative(&b, t, t + (int64_t)size * 977);
	buf_release(&b);
	return 0;
}
