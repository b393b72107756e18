/*
 * serving.h — what `chapar serve` and `chapar demo` share: running the web server until a
 * signal (or a time limit) stops it.
 */
#ifndef CHAPAR_CLI_SERVING_H
#define CHAPAR_CLI_SERVING_H

#include "config.h"
#include "ingest/ingest.h"

struct serve_options {
	const char *listen;
	const char *db;
	int threads;
	int cache_ttl_s;
	int exit_after_s; /* stop by itself after this many seconds; 0 = run until a signal */
	const char *admin_password; /* NULL or "": no admin area */
	const struct poll_options *fetch; /* NULL, or poll the due sources in a thread of their
					   * own (ingest_schedule, own store connection) */
	int fetch_wake_s;  /* how often that thread looks for due sources (default 30) */
};

/* poll_options_from_config: the polling options cfg asks for (concurrency, per-host limit,
 * interval bounds), the rest at their defaults, with new articles clustered into stories
 * after each round of a polling loop (cluster_new_articles). */
void poll_options_from_config(const struct config *cfg, struct poll_options *o);

/* serve_until_stopped: serve opt until SIGINT/SIGTERM or exit_after_s, with the fetch thread
 * when opt->fetch is set (stopped and joined before the web server stops); returns an exit
 * code. */
/* cluster_new_articles: assign the articles a round stored to stories; a failure is logged.
 * An after_round hook for ingest_schedule; also called by fetch --once. ctx: NULL (clustered
 * here, on this thread: rank_assign_all) or schedule_clustering's loop state, whose clustering
 * thread (rank_clusterer) is handed the round while this thread goes on fetching. */
void cluster_new_articles(struct store *st, const struct poll_stats *stats, void *ctx);

/* schedule_clustering: ingest_schedule(db, o, wake_s, stop) where rounds that cluster with
 * cluster_new_articles hand their articles to one clustering thread for the whole loop (its
 * story index kept in memory between rounds; stopped after its current round at the end, the
 * rest clustered at the next start). Without that thread, each round clusters on this one. */
enum ch_status schedule_clustering(const char *db, const struct poll_options *o, int wake_s,
				   volatile int *stop, struct ch_error *err);

int serve_until_stopped(const struct serve_options *opt);

#endif
