/*
 * serving.c — runs the web server in the foreground until SIGINT/SIGTERM, or until a time
 * limit (tests use it so that no server outlives them), and beside it, when asked, the fetch
 * scheduler in a thread of its own, which hands what each round stored to a clustering thread
 * (rank_clusterer) and goes on fetching while the round's stories are made.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "chapar.h"
#include "serving.h"

static volatile sig_atomic_t stop_requested;

/* on_signal: ask the main loop to stop. */
static void on_signal(int sig)
{
	stop_requested = 1;
}

void poll_options_from_config(const struct config *cfg, struct poll_options *o)
{
	poll_options_default(o);
	o->max_in_flight = cfg->fetch_concurrency;
	o->per_host = cfg->fetch_per_host;
	o->min_interval_s = (int64_t)cfg->min_interval_min * 60;
	o->max_interval_s = (int64_t)cfg->max_interval_min * 60;
	o->after_round = cluster_new_articles;
}

/* A polling loop's clustering thread, and how many of its articles were logged so far. */
struct loop_clustering {
	struct rank_clusterer *thread;
	size_t logged;
};

void cluster_new_articles(struct store *st, const struct poll_stats *stats, void *ctx)
{
	size_t assigned = 0;
	struct ch_error err = { 0 };
	struct loop_clustering *lc = ctx;
	if (lc) { /* the round's articles go to the clustering thread; the loop goes on fetching */
		rank_clusterer_submit(lc->thread, st);
		struct rank_clusterer_stats cs;
		rank_clusterer_stats(lc->thread, &cs);
		assigned = cs.assigned - lc->logged;
		lc->logged = cs.assigned;
	} else if (rank_assign_all(st, &assigned, &err) != CH_OK) {
		log_warn("fetch: clustering the new articles: %s", err.msg);
		return;
	}
	if (assigned)
		log_info("fetch: %zu articles assigned to stories", assigned);
}

/* The fetch thread's work and its stop flag (raised by the main thread at shutdown). */
struct fetch_thread {
	pthread_t thread;
	const struct serve_options *opt;
	volatile int stop;
	bool running;
};

enum ch_status schedule_clustering(const char *db, const struct poll_options *o, int wake_s,
				   volatile int *stop, struct ch_error *err)
{
	struct poll_options po = *o;
	struct loop_clustering lc = { 0 };
	if (po.after_round == cluster_new_articles && !po.after_round_ctx) {
		/* stories are made on a thread of their own while this one fetches and stores */
		struct ch_error e2 = { 0 };
		if (rank_clusterer_start(db, &lc.thread, &e2) == CH_OK)
			po.after_round_ctx = &lc;
		else /* each round clusters on this thread, as rank_assign_all */
			log_warn("fetch: no clustering thread (%s): clustering after each round", e2.msg);
	}
	enum ch_status s = ingest_schedule(db, &po, wake_s, stop, err);
	rank_clusterer_stop(lc.thread); /* after its round: the rest is clustered next start */
	return s;
}

/* fetch_main: run schedule_clustering until ft->stop; its errors are logged. */
static void *fetch_main(void *arg)
{
	struct fetch_thread *ft = arg;
	struct ch_error err = { 0 };
	int wake = ft->opt->fetch_wake_s > 0 ? ft->opt->fetch_wake_s : 30;
	if (schedule_clustering(ft->opt->db, ft->opt->fetch, wake, &ft->stop, &err) != CH_OK)
		log_error("fetch: %s", err.msg);
	return NULL;
}

/* fetch_start: start the fetch thread when opt asks for it; false when it cannot start. */
static bool fetch_start(struct fetch_thread *ft, const struct serve_options *opt)
{
	*ft = (struct fetch_thread){ .opt = opt };
	if (!opt->fetch)
		return true;
	if (pthread_create(&ft->thread, NULL, fetch_main, ft) != 0) {
		fprintf(stderr, "chapar: cannot start the fetch thread\n");
		return false;
	}
	ft->running = true;
	return true;
}

/* fetch_stop: stop the fetch thread (a round in progress ends within a fraction of a second)
 * and wait for it. */
static void fetch_stop(struct fetch_thread *ft)
{
	if (!ft->running)
		return;
	ft->stop = 1;
	pthread_join(ft->thread, NULL);
	ft->running = false;
}

int serve_until_stopped(const struct serve_options *opt)
{
	struct web_options wo = { .listen = opt->listen, .db_path = opt->db, .threads = opt->threads,
				  .cache_ttl_s = opt->cache_ttl_s, .view_flush_ms = 1000,
				  .admin_password = opt->admin_password };
	struct web_server *ws = NULL;
	struct ch_error err = { 0 };
	if (web_start(&wo, &ws, &err) != CH_OK) {
		fprintf(stderr, "chapar: %s\n", err.msg);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct fetch_thread ft;
	if (!fetch_start(&ft, opt)) {
		web_stop(ws);
		return 1;
	}
	fprintf(stderr, "chapar: serving %s on http://%s/ (port %d)%s\n", opt->db, opt->listen, web_port(ws),
		opt->fetch ? ", fetching due sources" : "");
	int64_t deadline = opt->exit_after_s > 0 ? time_mono_ns() + (int64_t)opt->exit_after_s * 1000000000 : 0;
	while (!stop_requested && (!deadline || time_mono_ns() < deadline))
		usleep(100 * 1000);
	fprintf(stderr, "chapar: stopping\n");
	fetch_stop(&ft);
	web_stop(ws);
	return 0;
}
