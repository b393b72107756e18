/*
 * cmd_search.c — `chapar search QUERY`: full-text search of the stored articles from the
 * command line (the same call as the site's /search).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapar.h"
#include "commands.h"

/* search_usage: the help text. */
static void search_usage(FILE *out)
{
	fprintf(out, "usage: chapar search [--db FILE] [--limit N] [--offset N] [--source ID]\n"
		     "                     [--category NAME] [--from DATE] [--to DATE] [--json] QUERY...\n\n"
		     "Search the stored articles. All words must match, whatever their spelling (ZWNJ, ی/ي,\n"
		     "ک/ك, digits); \"quoted words\" match as a phrase; -word leaves out articles with it;\n"
		     "common words (و، در، به …) are skipped unless quoted. Recent articles rank first.\n"
		     "DATE: 2024-11-28, 1403/09/08 (or 1403-09-08, ۱۴۰۳/۰۹/۰۸), '8 آذر 1403' or an ISO\n"
		     "time; days start at midnight Tehran time, and --from and --to both include their\n"
		     "day, as on the site's /search.\n"
		     "Prints id, date, outlet and title per hit, best first (--json: one object per line).\n");
}

/* print_snippet: the snippet with its match marks shown as [ ]. */
static void print_snippet(const char *s)
{
	for (; s && *s; s++)
		putchar(*s == SEARCH_MARK_OPEN ? '[' : *s == SEARCH_MARK_CLOSE ? ']' : *s);
}

int cmd_search(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },     { "limit", required_argument, NULL, 'l' },
		{ "source", required_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
		{ "offset", required_argument, NULL, 'o' }, { "category", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },   { "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	const char *db = cfg->db;
	struct search_query q = { .limit = 20, .now = time_now_ms() / 1000 };
	bool json = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': q.limit = (size_t)strtoul(optarg, NULL, 10); break;
		case 's': q.source_id = strtoll(optarg, NULL, 10); break;
		case 'j': json = true; break;
		case 'o': q.offset = (size_t)strtoul(optarg, NULL, 10); break;
		case 'c': q.category = optarg; break;
		case 'f':
		case 't':
			if (!web_search_day(optarg, c == 'f' ? &q.from : &q.to)) {
				fprintf(stderr, "chapar search: --%s %s: not a date (2024-11-28, 1403/09/08 or 8 آذر 1403)\n",
					c == 'f' ? "from" : "to", optarg);
				return EXIT_USAGE;
			}
			if (c == 't')
				q.to += 86400; /* the whole of that day */
			break;
		case 'h': search_usage(stdout); return EXIT_OK;
		default: search_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc || q.limit < 1 || q.limit > 100) {
		search_usage(stderr);
		return EXIT_USAGE;
	}
	struct buf text;
	buf_init(&text, 8192);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			buf_addc(&text, ' ');
		buf_adds(&text, argv[i]);
	}
	struct buf repaired;
	buf_init(&repaired, 16384);
	q.text = web_search_text(buf_str(&text), &repaired) == CH_OK && repaired.n ? buf_str(&repaired) : buf_str(&text);
	struct store *st = NULL;
	struct ch_error err = { 0 };
	int rc = EXIT_OK;
	struct arena a;
	arena_init(&a, 0);
	struct search_hit *hits = NULL;
	size_t n = 0;
	if (store_open(db, &st, &err) != CH_OK || store_search(st, &q, &a, &hits, &n, &err) != CH_OK) {
		fprintf(stderr, "chapar search: %s\n", err.msg);
		rc = err.code == CH_ERR_INVALID ? EXIT_USAGE : EXIT_FAIL;
	} else if (n == 0) {
		fprintf(stderr, "chapar search: no article matches '%s'%s\n", buf_str(&text),
			q.offset ? " past that offset" : "");
	}
	struct buf line;
	buf_init(&line, BUF_NO_LIMIT);
	for (size_t i = 0; i < n; i++) {
		const struct article *ar = &hits[i].article;
		if (json) {
			struct json_writer w;
			buf_reset(&line);
			jw_init(&w, &line);
			jw_object_begin(&w);
			jw_kv_int(&w, "id", ar->id);
			jw_kv_string(&w, "title", ar->title);
			jw_kv_string(&w, "source", ar->source_name);
			jw_kv_string(&w, "url", ar->url);
			jw_key(&w, "published");
			struct buf t;
			buf_init(&t, 64);
			time_format_iso(&t, ar->published);
			jw_string(&w, buf_str(&t));
			buf_release(&t);
			jw_kv_string_opt(&w, "snippet", hits[i].snippet);
			jw_key(&w, "score");
			jw_double(&w, hits[i].score);
			jw_object_end(&w);
			puts(buf_str(&line));
		} else {
			buf_reset(&line);
			time_format_iso(&line, ar->published);
			printf("%lld\t%.10s\t%s\t%s\n\t", (long long)ar->id, buf_str(&line), ar->source_name, ar->title);
			print_snippet(hits[i].snippet);
			putchar('\n');
		}
	}
	buf_release(&line);
	arena_release(&a);
	store_close(st);
	buf_release(&text);
	buf_release(&repaired);
	return rc;
}
