/*
 * cmd_serve.c — `chapar serve`: the web site and API over a database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "chapar.h"
#include "commands.h"
#include "serving.h"

/* serve_usage: the help text. */
static void serve_usage(FILE *out)
{
	fprintf(out, "usage: chapar serve [--db FILE] [--listen ADDR] [--threads N] [--cache-ttl SECONDS]\n"
		     "                    [--exit-after SECONDS] [--no-fetch] [--fetch-every SECONDS]\n\n"
		     "Serve the site and the JSON API over the database (default chapar.db) on ADDR\n"
		     "(default 127.0.0.1:8080). Rendered pages are reused for --cache-ttl seconds\n"
		     "(default 2; 0 turns that off). Meanwhile a fetch thread polls the sources that\n"
		     "are due, looking every --fetch-every seconds (default 30), as `chapar fetch`\n"
		     "does; --no-fetch turns it off. Stops on SIGINT/SIGTERM, or after --exit-after.\n");
}

/* bad_number: say which option wants what, with the usage; the usage exit status. */
static int bad_number(const char *option, const char *value, const char *want)
{
	fprintf(stderr, "chapar serve: %s %s: %s\n", option, value, want);
	serve_usage(stderr);
	return EXIT_USAGE;
}

/* parse_nonneg: a whole number >= 0, or -1. */
static int parse_nonneg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= 1000000 ? (int)v : -1;
}

int cmd_serve(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },       { "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },  { "cache-ttl", required_argument, NULL, 'c' },
		{ "exit-after", required_argument, NULL, 'x' }, { "help", no_argument, NULL, 'h' },
		{ "no-fetch", no_argument, NULL, 'n' },       { "fetch-every", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct poll_options po;
	poll_options_from_config(cfg, &po);
	struct serve_options so = { .listen = cfg->listen, .db = cfg->db, .threads = cfg->threads, .cache_ttl_s = 2,
				    .admin_password = cfg->admin_password, .fetch = &po, .fetch_wake_s = 30 };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': so.db = optarg; break;
		case 'l': so.listen = optarg; break;
		case 't':
			if ((so.threads = parse_nonneg(optarg)) < 1)
				return bad_number("--threads", optarg, "a whole number of worker threads, at least 1");
			break;
		case 'c':
			if ((so.cache_ttl_s = parse_nonneg(optarg)) < 0)
				return bad_number("--cache-ttl", optarg, "a whole number of seconds (0 turns the cache off)");
			break;
		case 'x':
			if ((so.exit_after_s = parse_nonneg(optarg)) < 0)
				return bad_number("--exit-after", optarg, "a whole number of seconds");
			break;
		case 'n': so.fetch = NULL; break;
		case 'f':
			if ((so.fetch_wake_s = parse_nonneg(optarg)) < 1)
				return bad_number("--fetch-every", optarg, "a whole number of seconds, at least 1");
			break;
		case 'h': serve_usage(stdout); return EXIT_OK;
		default: serve_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc || so.threads < 1) {
		if (optind < argc)
			fprintf(stderr, "chapar serve: unexpected argument '%s'\n", argv[optind]);
		else
			fprintf(stderr, "chapar serve: threads must be at least 1 (the config's threads)\n");
		serve_usage(stderr);
		return EXIT_USAGE;
	}
	struct store *st = NULL;
	struct ch_error err = { 0 };
	if (store_open(so.db, &st, &err) != CH_OK) {
		fprintf(stderr, "chapar serve: %s\n", err.msg);
		return EXIT_FAIL;
	}
	store_close(st);
	return serve_until_stopped(&so);
}
