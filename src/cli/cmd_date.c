/*
 * cmd_date.c — `chapar date`: converts dates between the Gregorian and Jalali calendars.
 * A Gregorian date or ISO 8601 instant prints its Tehran Jalali date (long and numeric
 * forms); a numeric Jalali date prints its Gregorian date; any other text is read as a
 * Persian date as found on news pages and prints the UTC instant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "text/text.h"

static const char usage[] =
	"usage: chapar date [--now SECONDS] DATE...\n"
	"  DATE is one of:\n"
	"    2024-11-28 or 2024-11-28T10:30:00Z   -> پنجشنبه ۸ آذر ۱۴۰۳<TAB>۱۴۰۳/۰۹/۰۸<TAB>relative\n"
	"    1403/09/08 or 1403-09-08             -> 2024-11-28\n"
	"    'پنجشنبه 8 آذر 1403 ساعت 10:30'       -> 2024-11-28T07:00:00Z (Tehran time to UTC)\n"
	"    now                                   -> today in Jalali\n"
	"  --now SECONDS  the moment relative times are measured from (default: the clock)\n";

/* print_jalali: the Tehran Jalali forms of instant t. */
static void print_jalali(int64_t t, int64_t now)
{
	struct buf b;
	buf_init(&b, 4096);
	jalali_format_long(&b, t);
	buf_addc(&b, '\t');
	jalali_format_short(&b, t);
	buf_addc(&b, '\t');
	jalali_format_relative(&b, t, now);
	printf("%s\n", buf_str(&b));
	buf_release(&b);
}

/* numeric_jalali: s is Y/M/D or Y-M-D with a year below 1700; fills j. */
static bool numeric_jalali(const char *s, struct jdate *j)
{
	char sep, sep2;
	int used = 0;
	if (sscanf(s, "%d%c%d%c%d%n", &j->year, &sep, &j->month, &sep2, &j->day, &used) != 5 ||
	    s[used] != 0 || sep != sep2 || (sep != '/' && sep != '-'))
		return false;
	return j->year < 1700;
}

/* convert_one: print the conversion of one argument; EXIT_OK or EXIT_FAIL. */
static int convert_one(const char *arg, int64_t now)
{
	struct jdate j;
	int64_t t;
	if (strcmp(arg, "now") == 0) {
		print_jalali(now, now);
		return EXIT_OK;
	}
	if (numeric_jalali(arg, &j)) {
		if (!jalali_valid(j)) {
			fprintf(stderr, "chapar date: '%s' is not a Jalali date (years 1-3000)\n", arg);
			return EXIT_FAIL;
		}
		int gy, gm, gd;
		gregorian_from_jalali(j, &gy, &gm, &gd);
		printf("%04d-%02d-%02d\n", gy, gm, gd);
		return EXIT_OK;
	}
	if (time_parse_iso(arg, &t) == CH_OK) {
		/* a bare date means that day in Tehran, so read it as Tehran noon */
		if (strlen(arg) == 10)
			t += 12 * 3600 - 3 * 3600 - 1800;
		print_jalali(t, now);
		return EXIT_OK;
	}
	if (text_parse_date(arg, strlen(arg), &t) == CH_OK) {
		struct buf b;
		buf_init(&b, 64);
		time_format_iso(&b, t);
		printf("%s\n", buf_str(&b));
		buf_release(&b);
		return EXIT_OK;
	}
	fprintf(stderr, "chapar date: no date found in '%s'\n", arg);
	return EXIT_FAIL;
}

int cmd_date(int argc, char **argv, struct config *cfg)
{
	int64_t now = time_now_ms() / 1000;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
			char *end;
			now = strtoll(argv[++i], &end, 10);
			if (*end) {
				fprintf(stderr, "chapar date: --now wants Unix seconds\n");
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "chapar date: unknown option '%s'\n%s", argv[i], usage);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	for (; i < argc; i++)
		if (convert_one(argv[i], now) != EXIT_OK)
			rc = EXIT_FAIL;
	return rc;
}
