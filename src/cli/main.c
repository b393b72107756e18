/*
 * main.c — `chapar <command> [options]`: global options, then a table of commands. Exit codes:
 * 0 ok, 1 failure, 2 usage. Every command answers --help.
 */
#include <stdio.h>
#include <string.h>

#include "chapar.h"
#include "commands.h"

struct command {
	const char *name;
	command_fn fn;
	const char *summary;
};

static const struct command commands[] = {
	{ "normalize", cmd_normalize, "repair Persian text, stdin to stdout" },
	{ "date", cmd_date, "convert dates Jalali <-> Gregorian" },
	{ "feed", cmd_feed, "parse feeds: feed parse --json FILE|URL..." },
	{ "extract", cmd_extract, "extract articles from pages: extract [--json|--text|--html] FILE|URL..." },
	{ "source", cmd_source, "manage sources: add, import, export, list, remove, enable, disable" },
	{ "fetch", cmd_fetch, "poll due sources and ingest new articles" },
	{ "ingest", cmd_ingest, "ingest a directory of sources stored as files (no network)" },
	{ "stories", cmd_stories, "cluster a JSON-lines stream of articles into stories" },
	{ "search", cmd_search, "search articles" },
	{ "serve", cmd_serve, "serve the web site and API (with the fetch scheduler)" },
	{ "demo", cmd_demo, "serve the bundled demo sources, no network needed" },
};

/* usage: the top-level help. */
static void usage(FILE *out)
{
	fprintf(out, "usage: chapar [--config FILE] [--db FILE] <command> [options]\n\n"
		     "chapar " CHAPAR_VERSION " — a self-hosted Persian news aggregator.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'chapar <command> --help' tells more about each.\n");
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct ch_error err = { 0 };
	config_defaults(&cfg);
	log_set_sink(log_stderr_sink, NULL, LOG_INFO);

	const char *config_file = NULL, *db = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("chapar %s\n", CHAPAR_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config_file = argv[++i];
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			db = argv[++i];
		} else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			cfg.verbose = true;
		} else {
			fprintf(stderr, "chapar: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	enum ch_status st = config_file ? config_load_file(&cfg, config_file, &err)
					: config_find_and_load(&cfg, &err);
	if (st != CH_OK) {
		fprintf(stderr, "chapar: config: %s\n", err.msg);
		return EXIT_FAIL;
	}
	if (db && config_set(&cfg, "db", db, &err) != CH_OK) {
		fprintf(stderr, "chapar: --db: %s\n", err.msg);
		return EXIT_USAGE;
	}
	if (cfg.verbose)
		log_set_sink(log_stderr_sink, NULL, LOG_DEBUG);

	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(argc - i, argv + i, &cfg);
	fprintf(stderr, "chapar: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}
