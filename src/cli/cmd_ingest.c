/*
 * cmd_ingest.c — `chapar ingest DIR`: ingest sources stored as files (laid out like demo/).
 */
#include <getopt.h>
#include <stdio.h>

#include "chapar.h"
#include "commands.h"

/* ingest_usage: the help text. */
static void ingest_usage(FILE *out)
{
	fprintf(out, "usage: chapar ingest [--db FILE] DIR\n\n"
		     "Ingest the sources of DIR (sources.tsv, feeds/, pages.tsv, pages/ — see demo/README.md)\n"
		     "into the database, with no network. Articles already stored are left alone.\n");
}

int cmd_ingest(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *db = cfg->db;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': ingest_usage(stdout); return EXIT_OK;
		default: ingest_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		ingest_usage(stderr);
		return EXIT_USAGE;
	}
	struct store *st = NULL;
	struct ch_error err = { 0 };
	if (store_open(db, &st, &err) != CH_OK) {
		fprintf(stderr, "chapar ingest: %s\n", err.msg);
		return EXIT_FAIL;
	}
	struct ingest_stats stats = { 0 };
	enum ch_status s = ingest_dir(st, argv[optind], &stats, &err);
	size_t clustered = 0;
	if (s == CH_OK)
		s = rank_assign_all(st, &clustered, &err);
	store_close(st);
	printf("entries %zu, new %zu, updated %zu, already stored %zu, failed %zu, pages extracted %zu\n",
	       stats.entries, stats.created, stats.updated, stats.skipped, stats.failed, stats.pages);
	if (s != CH_OK) {
		fprintf(stderr, "chapar ingest: %s\n", err.msg);
		return EXIT_FAIL;
	}
	return stats.failed ? EXIT_FAIL : EXIT_OK;
}
