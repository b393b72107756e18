/*
 * cmd_demo.c — `chapar demo`: a fresh database from the bundled demo sources (demo/), ingested
 * with no network, then served.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chapar.h"
#include "commands.h"
#include "serving.h"

#ifndef CHAPAR_DEMO_DIR
#define CHAPAR_DEMO_DIR "demo"
#endif

/* demo_usage: the help text. */
static void demo_usage(FILE *out)
{
	fprintf(out, "usage: chapar demo [--listen ADDR] [--db FILE] [--dir DIR] [--exit-after SECONDS] [--no-serve]\n\n"
		     "Create a fresh database (default: chapar-demo.db in a new temporary directory) from the\n"
		     "demo sources bundled with chapar (default %s), with no network, and serve it on ADDR\n"
		     "(default 127.0.0.1:8080). --no-serve stops after ingesting.\n", CHAPAR_DEMO_DIR);
}

/* remove_db: delete a database file and its WAL companions, so the demo starts fresh. */
static void remove_db(const char *path)
{
	char p[4096];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int cmd_demo(int argc, char **argv, struct config *cfg)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "db", required_argument, NULL, 'd' },
		{ "dir", required_argument, NULL, 'D' },    { "exit-after", required_argument, NULL, 'x' },
		{ "no-serve", no_argument, NULL, 'n' },     { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct serve_options so = { .listen = "127.0.0.1:8080", .threads = cfg->threads, .cache_ttl_s = 2,
				    .admin_password = cfg->admin_password };
	const char *dir = CHAPAR_DEMO_DIR, *db = NULL;
	bool serve = true;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': so.listen = optarg; break;
		case 'd': db = optarg; break;
		case 'D': dir = optarg; break;
		case 'x': so.exit_after_s = atoi(optarg); break;
		case 'n': serve = false; break;
		case 'h': demo_usage(stdout); return EXIT_OK;
		default: demo_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		demo_usage(stderr);
		return EXIT_USAGE;
	}
	char tmp_path[4096];
	if (!db) {
		const char *t = getenv("TMPDIR");
		snprintf(tmp_path, sizeof tmp_path, "%s/chapar-demo-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmp_path)) {
			perror("chapar demo: mkdtemp");
			return EXIT_FAIL;
		}
		strncat(tmp_path, "/chapar-demo.db", sizeof tmp_path - strlen(tmp_path) - 1);
		db = tmp_path;
	}
	remove_db(db);
	struct store *st = NULL;
	struct ch_error err = { 0 };
	if (store_open(db, &st, &err) != CH_OK) {
		fprintf(stderr, "chapar demo: %s\n", err.msg);
		return EXIT_FAIL;
	}
	struct ingest_stats stats = { 0 };
	enum ch_status s = ingest_dir(st, dir, &stats, &err);
	size_t clustered = 0;
	if (s == CH_OK)
		s = rank_assign_all(st, &clustered, &err);
	store_close(st);
	fprintf(stderr, "chapar demo: %s: %zu articles from %s (%zu pages extracted, %zu failed)\n", db,
		stats.created, dir, stats.pages, stats.failed);
	if (s != CH_OK) {
		fprintf(stderr, "chapar demo: %s\n", err.msg);
		return EXIT_FAIL;
	}
	if (!serve)
		return EXIT_OK;
	so.db = db;
	return serve_until_stopped(&so);
}
