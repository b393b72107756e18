/*
 * cmd_fetch.c — `chapar fetch [--once]`: poll the due sources and ingest their new articles;
 * without --once, keep polling until SIGINT/SIGTERM.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "chapar.h"
#include "commands.h"
#include "serving.h"

static volatile int fetch_stop;

/* on_stop_signal: end the polling loop. */
static void on_stop_signal(int sig)
{
	fetch_stop = 1;
}

/* fetch_usage: the help text. */
static void fetch_usage(FILE *out)
{
	fprintf(out, "usage: chapar fetch [--db FILE] [--once] [--timeout SECONDS] [--all] [--every SECONDS]\n\n"
		     "Poll every source that is due, politely (fetch_concurrency transfers at once,\n"
		     "fetch_per_host per host, conditional GET), ingest new articles, and schedule each\n"
		     "source's next check. --once does one round and prints what happened; otherwise\n"
		     "chapar keeps polling until SIGINT/SIGTERM. --timeout bounds each transfer\n"
		     "(default 20 s); --all polls every enabled source now, due or not; --every sets\n"
		     "how often the loop looks for due sources (default 30 s).\n");
}

/* explain_nothing_due: say on stderr why a round polled nothing, and when the next source is
 * due. */
static void explain_nothing_due(struct store *st)
{
	struct arena a;
	arena_init(&a, 0);
	struct source *v = NULL;
	size_t n = 0;
	int64_t next = 0;
	if (store_source_list(st, &a, &v, &n, NULL) == CH_OK)
		for (size_t i = 0; i < n; i++)
			if (v[i].enabled && (!next || v[i].next_check < next))
				next = v[i].next_check;
	if (!next) {
		fprintf(stderr, "chapar fetch: no enabled source (add one with `chapar source add URL`)\n");
	} else {
		struct buf when;
		buf_init(&when, 64);
		time_format_iso(&when, next);
		fprintf(stderr, "chapar fetch: no source is due; the next is at %s (--all polls every source now)\n",
			buf_str(&when));
		buf_release(&when);
	}
	arena_release(&a);
}

/* parse_seconds_ms: "2.5" seconds as milliseconds; 0 when not a number in [0.1, 3600]. */
static long parse_seconds_ms(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	return *s && !*end && v >= 0.1 && v <= 3600 ? (long)(v * 1000) : 0;
}

int cmd_fetch(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "once", no_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' }, { "all", no_argument, NULL, 'a' },
		{ "every", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },     { NULL, 0, NULL, 0 },
	};
	const char *db = cfg->db;
	bool once = false;
	int every_s = 30;
	struct poll_options po;
	poll_options_from_config(cfg, &po);
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': once = true; break;
		case 'a': po.ignore_schedule = true; break;
		case 'e':
			if ((every_s = (int)(parse_seconds_ms(optarg) / 1000)) < 1) {
				fprintf(stderr, "chapar fetch: --every wants whole seconds (1 to 3600), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			if ((po.timeout_ms = parse_seconds_ms(optarg)) <= 0) {
				fprintf(stderr, "chapar fetch: --timeout wants seconds (0.1 to 3600), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': fetch_usage(stdout); return EXIT_OK;
		default: fetch_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fetch_usage(stderr);
		return EXIT_USAGE;
	}
	struct ch_error err = { 0 };
	if (!once) {
		signal(SIGINT, on_stop_signal);
		signal(SIGTERM, on_stop_signal);
		if (schedule_clustering(db, &po, every_s, &fetch_stop, &err) != CH_OK) {
			fprintf(stderr, "chapar fetch: %s\n", err.msg);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	struct store *st = NULL;
	if (store_open(db, &st, &err) != CH_OK) {
		fprintf(stderr, "chapar fetch: %s\n", err.msg);
		return EXIT_FAIL;
	}
	struct poll_stats stats = { 0 };
	enum ch_status s = ingest_poll(st, &po, &stats, &err);
	if (s == CH_OK && stats.sources == 0)
		explain_nothing_due(st);
	if (s == CH_OK && (stats.articles.created || stats.articles.updated))
		cluster_new_articles(st, &stats, NULL);
	store_close(st);
	printf("sources %zu: changed %zu, unchanged %zu, failed %zu; articles: new %zu, updated %zu, "
	       "already stored %zu, pages extracted %zu, failed %zu\n",
	       stats.sources, stats.changed, stats.unchanged, stats.errors, stats.articles.created,
	       stats.articles.updated, stats.articles.skipped, stats.articles.pages, stats.articles.failed);
	if (s != CH_OK) {
		fprintf(stderr, "chapar fetch: %s\n", err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
