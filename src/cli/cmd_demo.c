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
		     "(default 127.0.0.1:8080). --no-serve stops after ingesting. A --db that holds a\n"
		     "database of your own (sources fetched or due) is left alone.\n", CHAPAR_DEMO_DIR);
}

/* A next check this far ahead marks a source parked by ingest_dir: one of a demo's. */
#define PARKED_AFTER_S (10 * 365 * 86400LL)

/* replaceable: whether the database at path may be replaced by a fresh demo: it does not
 * exist or is empty, or it is a demo's own (every source parked, none ever fetched). A real
 * database given by mistake (`--db chapar.db`) is kept, with a message on stderr. */
static bool replaceable(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return true;
	bool empty = fgetc(f) == EOF;
	fclose(f);
	if (empty)
		return true;
	struct store *st = NULL;
	struct ch_error err = { 0 };
	struct arena a;
	arena_init(&a, 0);
	struct source *v = NULL;
	size_t n = 0, own = 0;
	bool readable = store_open(path, &st, &err) == CH_OK && store_source_list(st, &a, &v, &n, &err) == CH_OK;
	int64_t now = time_now_ms() / 1000;
	for (size_t i = 0; readable && i < n; i++) {
		/* a parked source's articles came from files (the demo's own, say), even when it
		 * records when they arrived; any other source that was fetched or is due is the
		 * operator's */
		bool parked = v[i].enabled && v[i].next_check - now >= PARKED_AFTER_S;
		if (!parked && (v[i].last_success || v[i].enabled))
			own++;
	}
	store_close(st);
	arena_release(&a);
	if (!readable)
		fprintf(stderr, "chapar demo: %s exists and is not a chapar database (%s); the demo makes a fresh "
				"database: give it another --db\n", path, err.msg);
	else if (own)
		fprintf(stderr, "chapar demo: %s holds %zu source(s) of its own, fetched or due; the demo would "
				"replace it: give it another --db\n", path, own);
	return readable && !own;
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
	if (!replaceable(db))
		return EXIT_FAIL;
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
