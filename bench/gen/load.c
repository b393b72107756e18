/*
 * load.c — load bench/gen/gen.c's article stream into a chapar database, with the full-text
 * index on (the store's triggers keep it), the way ingest writes: through store_article_put.
 *
 *   load DB OUTLETS [--batch N] [--assign [--sequential | --no-turn | --yield N]] < articles.tsv
 *
 * --assign runs the whole ingest path as `chapar serve` does: each batch stored is handed to a
 * clustering thread (rank_clusterer: signature, story, related articles, one story index kept
 * over the run) which works beside the storing; the storing takes the clusterer's write turn
 * around each batch (--no-turn: it does not, and the two meet in SQLite's busy handler;
 * --yield N: it stores the batch N articles per transaction, each in a turn of its own, so the
 * clustering's writes wait for a shorter transaction; the batch is still handed over whole).
 * --sequential clusters after each batch on the storing thread instead (rank_assigner_run,
 * the path before the clusterer). The summary splits the time between storing and clustering,
 * in wall and CPU seconds of each thread (the machine is shared: CPU time is the steadier
 * figure), and says where the two threads waited for each other.
 * --batch 1 (the default is 1000) stores each article in its own transaction with
 * store_article_put; a larger batch uses store_article_put_many, one transaction per N
 * articles. Prints the rate every 100,000 articles and a summary line on stderr:
 *   load: N articles in S s = R articles/s (batch B)
 * A benchmark tool linked against libchapar.a; not part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chapar.h"

#define MAX_OUTLETS 64

/* seconds: a monotonic clock in seconds. */
static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* add_outlets: a source for each line of outlets.tsv; ids[k] gets line k's source id. */
static int add_outlets(struct store *st, const char *path, int64_t *ids)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "load: %s: cannot open\n", path);
		return -1;
	}
	char line[1024], url[512];
	int n = 0;
	while (n < MAX_OUTLETS && fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *p = line, *name = strsep(&p, "\t\n"), *host = p ? strsep(&p, "\t\n") : "example";
		char *cat = p ? strsep(&p, "\t\n") : NULL;
		snprintf(url, sizeof url, "https://%s/rss", host);
		struct source s = { .name = name, .feed_url = url, .category = cat && *cat ? cat : NULL };
		struct ch_error err = { 0 };
		enum ch_status r = store_source_add(st, &s, &ids[n], &err);
		if (r != CH_OK && r != CH_ERR_EXISTS) {
			fprintf(stderr, "load: adding %s: %s\n", name, err.msg);
			fclose(f);
			return -1;
		}
		n++;
	}
	fclose(f);
	return n;
}

/* unescape_paragraphs: turn the two characters backslash-n into a newline, in place. */
static void unescape_paragraphs(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n')
			*o++ = '\n', s++;
		else
			*o++ = *s;
	}
	*o = 0;
}

/* parse: fill a from one TSV line (which it borrows and cuts). Returns 0, or -1 if malformed. */
static int parse(char *line, const int64_t *ids, int n_ids, struct article *a)
{
	char *f[7];
	for (int i = 0; i < 7; i++)
		if (!(f[i] = strsep(&line, "\t\n")))
			return -1;
	int k = atoi(f[0]);
	if (k < 0 || k >= n_ids)
		return -1;
	unescape_paragraphs(f[6]);
	memset(a, 0, sizeof *a);
	a->source_id = ids[k];
	a->published = a->fetched = strtoll(f[1], NULL, 10);
	a->categories = f[2];
	a->url = a->guid = f[3];
	a->title = f[4];
	a->lead = f[5];
	a->body_text = f[6];
	a->language = "fa";
	return 0;
}

/* flush: store the batch. */
static int flush(struct store *st, struct article *batch, size_t n, size_t batch_size)
{
	struct ch_error err = { 0 };
	enum ch_status r = CH_OK;
	if (batch_size == 1) {
		for (size_t i = 0; r == CH_OK && i < n; i++)
			r = store_article_put(st, &batch[i], NULL, &err);
	} else {
		r = store_article_put_many(st, batch, n, NULL, &err);
	}
	if (r != CH_OK)
		fprintf(stderr, "load: storing articles: %s\n", err.msg);
	return r == CH_OK ? 0 : -1;
}

/* cpu_seconds: this process's CPU time (user and system) in seconds. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* thread_cpu_seconds: the calling thread's CPU time in seconds (the clustering runs on its
 * own thread: the process's time would count it during storing too). */
static double thread_cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Time spent in one stage, wall and CPU. */
struct stage_time {
	double wall, cpu;
};

/* How the articles are clustered: not at all, after each batch on this thread (the path
 * before rank_clusterer), or by a rank_clusterer beside the storing (with or without its
 * write turn). */
struct clustering {
	struct rank_assigner *seq;
	struct rank_clusterer *thread;
	bool turn;
	size_t yield; /* with the turn: articles stored per transaction (0: the whole batch), so
		       * the clustering's writes wait for less */
};

/* ingest: store the batch, then cluster what it added: on this thread (seq), or handed to the
 * clustering thread; times each part. */
static int ingest(struct store *st, struct clustering *cl, struct article *batch, size_t n,
		  size_t batch_size, struct stage_time *put, struct stage_time *clu)
{
	double w0 = seconds(), c0 = thread_cpu_seconds();
	int rc = 0;
	if (cl->thread && cl->turn) { /* a transaction per turn, `yield` articles at most */
		size_t step = cl->yield && batch_size > 1 ? cl->yield : n;
		for (size_t i = 0; rc == 0 && i < n; i += step) {
			rank_clusterer_write_begin(cl->thread);
			store_read_latest(st); /* the clustering may have committed since (store.h) */
			rc = flush(st, batch + i, n - i < step ? n - i : step, batch_size);
			rank_clusterer_write_end(cl->thread);
		}
	} else {
		rc = flush(st, batch, n, batch_size);
	}
	double w1 = seconds(), c1 = thread_cpu_seconds();
	put->wall += w1 - w0;
	put->cpu += c1 - c0;
	if (rc)
		return rc;
	if (cl->thread)
		rank_clusterer_submit(cl->thread, st);
	if (!cl->seq)
		return rc;
	struct ch_error err = { 0 };
	size_t done = 0;
	if (rank_assigner_run(cl->seq, st, &done, &err) != CH_OK) {
		fprintf(stderr, "load: clustering: %s\n", err.msg);
		rc = -1;
	}
	clu->wall += seconds() - w1;
	clu->cpu += thread_cpu_seconds() - c1;
	return rc;
}

/* finish_clustering: wait for the clustering thread to catch up and stop it, adding its
 * times to clu; prints where the two threads waited. Returns 0, or -1 if a run failed. */
static int finish_clustering(struct clustering *cl, struct stage_time *clu)
{
	if (!cl->thread)
		return 0;
	double w0 = seconds();
	struct ch_error err = { 0 };
	int rc = 0;
	if (rank_clusterer_wait(cl->thread, &err) != CH_OK) {
		fprintf(stderr, "load: clustering: %s\n", err.msg);
		rc = -1;
	}
	double drain = seconds() - w0;
	struct rank_clusterer_stats cs;
	rank_clusterer_stats(cl->thread, &cs);
	rank_clusterer_stop(cl->thread);
	cl->thread = NULL;
	clu->wall += cs.busy_s;
	clu->cpu += cs.cpu_s;
	fprintf(stderr,
		"ingest: concurrent%s: store waited %.1f s for its write turn, %.1f s for queue room; "
		"cluster waited %.1f s for its turn, held it %.1f s (%.1f CPU); %.1f s left at the end; "
		"%zu runs; tokens replayed for %zu articles, tokenized for %zu; window %.1f CPU s\n",
		cl->turn ? "" : " (no write turn)", cs.store_wait_s, cs.queue_wait_s, cs.lock_wait_s,
		cs.lock_held_s, cs.lock_cpu_s, drain, cs.runs, cs.replayed, cs.tokenized, cs.window_cpu_s);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: load DB OUTLETS [--batch N] [--assign [--sequential | --no-turn | --yield N]] < articles.tsv\n");
		return 2;
	}
	size_t batch_size = 1000;
	bool assign = false, sequential = false, turn = true;
	size_t yield = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--batch") && i + 1 < argc)
			batch_size = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--assign"))
			assign = true;
		else if (!strcmp(argv[i], "--sequential"))
			sequential = true;
		else if (!strcmp(argv[i], "--no-turn"))
			turn = false;
		else if (!strcmp(argv[i], "--yield") && i + 1 < argc)
			yield = strtoul(argv[++i], NULL, 10);
	}
	if (batch_size < 1)
		batch_size = 1;
	struct store *st;
	struct ch_error err = { 0 };
	if (store_open(argv[1], &st, &err) != CH_OK) {
		fprintf(stderr, "load: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	int64_t ids[MAX_OUTLETS];
	int n_ids = add_outlets(st, argv[2], ids);
	if (n_ids <= 0)
		return 1;
	struct article *batch = calloc(batch_size, sizeof *batch);
	char **lines = calloc(batch_size, sizeof *lines);
	size_t *caps = calloc(batch_size, sizeof *caps);
	if (!batch || !lines || !caps)
		return 1;
	struct clustering cl = { .turn = turn, .yield = yield };
	if (assign && (sequential ? rank_assigner_new(&cl.seq, &err)
				  : rank_clusterer_start(argv[1], &cl.thread, &err)) != CH_OK) {
		fprintf(stderr, "load: clustering: %s\n", err.msg);
		return 1;
	}
	if (cl.thread)
		store_tokens_keep(st, true); /* handed over with each batch */
	struct stage_time put = { 0 }, clu = { 0 };
	size_t n = 0, total = 0, bad = 0;
	double t0 = seconds(), last = t0;
	int rc = 0;
	while (getline(&lines[n], &caps[n], stdin) > 0) {
		if (parse(lines[n], ids, n_ids, &batch[n]) != 0) {
			bad++;
			continue;
		}
		if (++n == batch_size) {
			if ((rc = ingest(st, &cl, batch, n, batch_size, &put, &clu)) != 0)
				break;
			total += n;
			n = 0;
			if (total % 100000 < batch_size) {
				double now = seconds();
				fprintf(stderr, "load: %zu articles, %.0f articles/s lately\n", total,
					100000.0 / (now - last));
				last = now;
			}
		}
	}
	if (rc == 0 && n) {
		rc = ingest(st, &cl, batch, n, batch_size, &put, &clu);
		total += n;
	}
	if (finish_clustering(&cl, &clu) != 0)
		rc = 1;
	double took = seconds() - t0;
	if (assign)
		fprintf(stderr,
			"ingest: store %.1f s (%.1f CPU), cluster %.1f s (%.1f CPU): %.0f articles/s wall, "
			"%.0f per CPU-second\n",
			put.wall, put.cpu, clu.wall, clu.cpu, total / took, total / (put.cpu + clu.cpu));
	fprintf(stderr, "load: %zu articles in %.1f s = %.0f articles/s (batch %zu)%s\n", total, took,
		total / took, batch_size, bad ? " (some lines malformed)" : "");
	rank_assigner_free(cl.seq);
	store_tokens_keep(st, false);
	for (size_t i = 0; i < batch_size; i++)
		free(lines[i]);
	free(lines);
	free(caps);
	free(batch);
	store_close(st);
	return rc ? 1 : 0;
}
