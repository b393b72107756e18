/*
 * poll.c — one polling round over the network: due sources are fetched through one fetcher
 * (so the per-host limit covers feeds and article pages alike), each feed is parsed, the pages
 * of its new entries are fetched and ingested as they arrive, and every source gets its next
 * check: an adaptive interval from its posting rate and the server's hints after a success,
 * jittered exponential backoff after an error. Errors are stored on the source, in words.
 *
 * Crash safety: a source's success (validators, body hash, next check) is written only after
 * the last of its entries is stored, and a feed's articles are one transaction; a process killed
 * at any point leaves the unfinished sources due with their old validators, so the next round
 * completes the set, and the store's GUID/link lookup keeps it from storing anything twice.
 * A stop flag ends a round early the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/fetch.h"
#include "feed/schedule.h"
#include "ingest/ingest.h"

/* A parsed feed shared by the page fetches of its new entries; freed with the last of them.
 * The source's success (its validators, body hash and next check) is saved only then, once
 * every entry is stored: a process killed half-way finds the source still due and its old
 * validators in place, so the next round fetches the feed again and completes the set. */
struct feed_ref {
	struct poll_run *run;
	struct feed *feed;
	struct source *src;
	int refs;
	struct schedule_hints hints;
	int64_t *post_times; /* the entries' dates, for the adaptive interval */
	size_t n_times;
	const char *note;    /* a problem that did not stop the feed (in run's arena), or NULL */
	struct ingest_batch batch; /* its entries made into articles, stored with the last page */
};

struct poll_run {
	struct store *st;
	struct fetcher *fetcher;
	struct schedule_policy policy;
	const struct poll_options *opt;
	struct poll_stats *stats;
	struct arena arena; /* sources and their state strings */
	size_t pages_started;
	uint32_t rng;
	int64_t now;
	struct job *jobs; /* every job submitted and not yet completed */
};

/* A transfer in flight: a source's feed (entry == NULL) or one entry's page. */
struct job {
	struct poll_run *run;
	struct source *src;
	struct feed_ref *ref;
	const struct feed_entry *entry;
	struct job *prev, *next; /* in run->jobs */
};

/* job_new: a job linked into run->jobs; NULL when out of memory. */
static struct job *job_new(struct poll_run *run, struct source *src, struct feed_ref *ref,
			   const struct feed_entry *e)
{
	struct job *job = malloc(sizeof *job);
	if (!job)
		return NULL;
	*job = (struct job){ .run = run, .src = src, .ref = ref, .entry = e, .next = run->jobs };
	if (run->jobs)
		run->jobs->prev = job;
	run->jobs = job;
	return job;
}

/* job_free: unlink job from run->jobs and free it. */
static void job_free(struct job *job)
{
	if (job->prev)
		job->prev->next = job->next;
	else
		job->run->jobs = job->next;
	if (job->next)
		job->next->prev = job->prev;
	free(job);
}

void poll_options_default(struct poll_options *o)
{
	o->max_in_flight = 32;
	o->per_host = 2;
	o->min_interval_s = 120;
	o->max_interval_s = 3600;
	o->max_sources = 1000;
	o->max_pages = 5000;
	o->timeout_ms = 0;
	o->connect_timeout_ms = 0;
	o->max_bytes = 0;
	o->stop = NULL;
	o->ignore_schedule = false;
	o->after_round = NULL;
	o->after_round_ctx = NULL;
}

/* fetch_options_from: the fetcher options o asks for. */
static void fetch_options_from(const struct poll_options *o, struct fetch_options *fo)
{
	fetch_options_default(fo);
	fo->max_in_flight = o->max_in_flight;
	fo->per_host = o->per_host;
	if (o->timeout_ms > 0)
		fo->total_timeout_ms = o->timeout_ms;
	if (o->connect_timeout_ms > 0)
		fo->connect_timeout_ms = o->connect_timeout_ms;
	/* never longer than the whole transfer (the fetcher words a timeout on a reused
	 * connection with the connect timeout) */
	if (fo->connect_timeout_ms > fo->total_timeout_ms)
		fo->connect_timeout_ms = fo->total_timeout_ms;
	if (o->max_bytes > 0)
		fo->max_bytes = o->max_bytes;
}

/* drive: run the fetcher until nothing is pending or the stop flag rises. */
static enum ch_status drive(struct fetcher *f, volatile const int *stop, struct ch_error *err)
{
	if (!stop)
		return fetch_run(f, err);
	enum ch_status s = CH_OK;
	while (s == CH_OK && fetch_pending(f) && !*stop)
		s = fetch_step(f, 100, err);
	return s;
}

/* next_random: xorshift32, for backoff jitter. */
static uint32_t next_random(struct poll_run *run)
{
	uint32_t x = run->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return run->rng = x ? x : 0x9E3779B9u;
}

/* save_state: write src's fetch state; a failure is logged (the next round retries). */
static void save_state(struct poll_run *run, struct source *src)
{
	struct ch_error err = { 0 };
	src->interval_s = src->next_check > run->now ? src->next_check - run->now : 0;
	if (store_source_save_state(run->st, src, &err) != CH_OK)
		log_warn("poll: %s: cannot save its state: %s", src->name, err.msg);
}

/* source_failed: record an error on src and schedule the retry. */
static void source_failed(struct poll_run *run, struct source *src, const char *why, int64_t retry_after)
{
	src->error_count++;
	src->last_error = arena_strdup(&run->arena, why);
	src->last_error_at = run->now;
	src->next_check = schedule_next_error(&run->policy, run->now, src->error_count, retry_after, next_random(run));
	run->stats->errors++;
	log_info("poll: %s: %s (try again in %lld s)", src->name, why, (long long)(src->next_check - run->now));
	save_state(run, src);
}

/* source_succeeded: clear the error state and schedule the next check from post_times. note
 * (may be NULL) is a problem that did not stop the feed — a wrong Content-Type, no entries —
 * kept as last_error with error_count 0, so it shows without slowing the source down. */
static void source_succeeded(struct poll_run *run, struct source *src, const int64_t *post_times, size_t n,
			     const struct schedule_hints *hints, const char *note)
{
	src->error_count = 0;
	src->last_error = note;
	if (note)
		src->last_error_at = run->now;
	src->last_success = run->now;
	src->next_check = schedule_next_success(&run->policy, run->now, post_times, n, hints);
	save_state(run, src);
}

/* ref_free: store the articles the feed's entries made (one transaction), then free it. */
static void ref_free(struct feed_ref *ref)
{
	ingest_batch_flush(&ref->batch, ref->run->st, ref->src, &ref->run->stats->articles);
	ingest_batch_release(&ref->batch);
	feed_free(ref->feed);
	free(ref->post_times);
	free(ref);
}

/* ref_release: drop one reference to a shared feed; the last one stores its articles, records
 * the source's success (every entry is stored by then) and frees the feed. */
static void ref_release(struct feed_ref *ref)
{
	if (--ref->refs > 0)
		return;
	ingest_batch_flush(&ref->batch, ref->run->st, ref->src, &ref->run->stats->articles);
	source_succeeded(ref->run, ref->src, ref->post_times, ref->n_times, &ref->hints, ref->note);
	ref_free(ref);
}

/* start_page: fetch the page of a new entry (or ingest it from the feed alone when no more
 * pages may be fetched this round). */
static void start_page(struct poll_run *run, struct feed_ref *ref, const struct feed_entry *e)
{
	if (e->link && run->pages_started < run->opt->max_pages) {
		struct job *job = job_new(run, ref->src, ref, e);
		if (job) {
			struct fetch_request req = { .url = e->link, .user = job };
			if (fetch_submit(run->fetcher, &req, NULL) == CH_OK) {
				ref->refs++;
				run->pages_started++;
				return;
			}
			job_free(job);
		}
	}
	run->stats->articles.entries++;
	ingest_batch_add(&ref->batch, run->st, ref->src, e, NULL, 0, NULL, &run->stats->articles);
}

/* feed_unchanged: a 304, or the same body as last time: keep the pace, a little slower each
 * time (never the full maximum at once). */
static void feed_unchanged(struct poll_run *run, struct source *src, const struct fetch_result *r,
			   const struct schedule_hints *hints)
{
	run->stats->unchanged++;
	if (r->etag[0])
		src->etag = arena_strdup(&run->arena, r->etag);
	if (r->last_modified[0])
		src->last_modified = arena_strdup(&run->arena, r->last_modified);
	src->error_count = 0;
	src->last_error = NULL;
	src->last_success = run->now;
	src->next_check = schedule_next_unchanged(&run->policy, run->now, src->interval_s, hints);
	save_state(run, src);
}

/* http_failure: the words for a response that is no feed: a transport error, an HTTP error, or
 * a redirect the fetcher did not follow; NULL when r is usable. */
static const char *http_failure(const struct fetch_result *r)
{
	if (r->status != CH_OK)
		return r->error[0] ? r->error : "the feed could not be fetched";
	if (r->http_status >= 300 && !r->not_modified)
		return r->error[0] ? r->error : "the server answered with neither a feed nor 304";
	return NULL;
}

/* feed_type_ok: whether a Content-Type may carry a feed (XML, JSON, text, or none given); feeds
 * often come as text/html or text/plain, but an image or a video type is a server's mistake. */
static bool feed_type_ok(const char *type)
{
	return !*type || strstr(type, "xml") || strstr(type, "json") || strstr(type, "rss") || strstr(type, "atom") ||
	       !strncmp(type, "text/", 5) || !strncmp(type, "application/octet-stream", 24);
}

/* feed_note: what was odd about a feed that still parsed, in words (run's arena), or NULL. */
static const char *feed_note(struct poll_run *run, const struct fetch_result *r, const struct feed *feed)
{
	char words[300];
	if (!feed_type_ok(r->content_type))
		snprintf(words, sizeof words, "served as %.200s, not as a feed (read anyway)", r->content_type);
	else if (feed->n_entries == 0)
		snprintf(words, sizeof words, "the feed has no entries (empty, or broken beyond repair)");
	else
		return NULL;
	return arena_strdup(&run->arena, words);
}

/* new_feed_ref: the shared record of a parsed feed (consumes feed), holding one reference;
 * NULL when out of memory (then feed is freed). */
static struct feed_ref *new_feed_ref(struct poll_run *run, struct source *src, struct feed *feed,
				     const struct schedule_hints *hints)
{
	struct feed_ref *ref = calloc(1, sizeof *ref);
	int64_t *times = calloc(feed->n_entries + 1, sizeof *times);
	if (!ref || !times) {
		free(ref);
		free(times);
		feed_free(feed);
		return NULL;
	}
	*ref = (struct feed_ref){ .run = run, .feed = feed, .src = src, .refs = 1, .hints = *hints,
				  .post_times = times };
	if (feed->ttl_minutes > 0)
		ref->hints.ttl_s = (int64_t)feed->ttl_minutes * 60;
	return ref;
}

/* feed_done: a source's feed arrived (or failed). */
static void feed_done(struct poll_run *run, struct job *job, struct fetch_result *r)
{
	struct source *src = job->src;
	const char *failure = http_failure(r);
	if (failure) {
		source_failed(run, src, failure, r->retry_after_s);
		return;
	}
	struct schedule_hints hints = { .ttl_s = -1, .max_age_s = r->max_age_s, .retry_after_s = r->retry_after_s };
	if (r->unchanged) {
		feed_unchanged(run, src, r, &hints);
		return;
	}
	struct feed *feed = NULL;
	struct ch_error err = { 0 };
	const char *base = r->final_url[0] ? r->final_url : r->url;
	if (feed_parse(buf_str(r->body), r->body->n, r->content_type[0] ? r->content_type : NULL, base, &feed,
		       &err) != CH_OK) {
		source_failed(run, src, err.msg, -1);
		return;
	}
	run->stats->changed++;
	src->etag = r->etag[0] ? arena_strdup(&run->arena, r->etag) : NULL;
	src->last_modified = r->last_modified[0] ? arena_strdup(&run->arena, r->last_modified) : NULL;
	src->body_hash = r->body_hash;
	const char *note = feed_note(run, r, feed);
	if (note)
		log_info("poll: %s: %s", src->name, note);
	struct feed_ref *ref = new_feed_ref(run, src, feed, &hints);
	if (!ref) {
		source_failed(run, src, "out of memory", -1);
		return;
	}
	ref->note = note;
	for (size_t i = feed->n_entries; i-- > 0;) { /* oldest first */
		const struct feed_entry *e = &feed->entries[i];
		if (e->published || e->updated)
			ref->post_times[ref->n_times++] = e->published ? e->published : e->updated;
		if (ingest_entry_is_new(run->st, src, e))
			start_page(run, ref, e);
		else
			run->stats->articles.skipped++;
	}
	ref_release(ref);
}

/* page_done: an entry's page arrived (or not: then the feed's own content is kept). */
static void page_done(struct poll_run *run, struct job *job, struct fetch_result *r)
{
	bool ok = r->status == CH_OK && r->http_status < 400 && r->body->n > 0;
	if (!ok)
		log_debug("poll: %s: page %s: %s", job->src->name, r->url, r->error);
	run->stats->articles.entries++;
	ingest_batch_add(&job->ref->batch, run->st, job->src, job->entry, ok ? r->body->p : NULL,
			 ok ? r->body->n : 0, r->content_type[0] ? r->content_type : NULL, &run->stats->articles);
	ref_release(job->ref);
}

/* on_fetched: the fetcher's completion callback. */
static void on_fetched(struct fetch_result *r, void *ctx)
{
	struct job *job = r->user;
	struct poll_run *run = ctx;
	if (job->entry)
		page_done(run, job, r);
	else
		feed_done(run, job, r);
	job_free(job);
}

/* abandon_jobs: free the jobs a stopped round left in flight (the fetcher dropped them without
 * callbacks). Their feeds' articles made so far are stored and the feeds freed without
 * recording a success, so those sources stay due. */
static void abandon_jobs(struct poll_run *run)
{
	while (run->jobs) {
		struct feed_ref *ref = run->jobs->ref;
		job_free(run->jobs);
		if (ref && --ref->refs == 0)
			ref_free(ref);
	}
}

/* submit_feed: queue src's feed, conditionally (its validators and last body hash). A URL the
 * fetcher refuses is the source's error; only running out of memory fails the round. */
static enum ch_status submit_feed(struct poll_run *run, struct source *src, struct ch_error *err)
{
	struct job *job = job_new(run, src, NULL, NULL);
	if (!job)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	struct fetch_request req = { .url = src->feed_url, .etag = src->etag, .last_modified = src->last_modified,
				     .previous_hash = src->body_hash, .user = job };
	struct ch_error e2 = { 0 };
	run->stats->sources++;
	if (fetch_submit(run->fetcher, &req, &e2) != CH_OK) {
		job_free(job);
		source_failed(run, src, e2.msg, -1);
	}
	return CH_OK;
}

enum ch_status ingest_poll(struct store *st, const struct poll_options *o, struct poll_stats *stats,
			   struct ch_error *err)
{
	struct poll_run run = { .st = st, .opt = o, .stats = stats, .now = time_now_ms() / 1000 };
	run.rng = (uint32_t)time_mono_ns() | 1u;
	schedule_policy_default(&run.policy);
	run.policy.min_interval_s = o->min_interval_s;
	run.policy.max_interval_s = o->max_interval_s;
	arena_init(&run.arena, 0);

	struct source *due = NULL;
	size_t n = 0;
	int64_t due_by = o->ignore_schedule ? INT64_MAX : run.now;
	enum ch_status s = store_source_due(st, due_by, o->max_sources, &run.arena, &due, &n, err);
	if (s != CH_OK || n == 0) {
		arena_release(&run.arena);
		return s;
	}
	struct fetch_options fo;
	fetch_options_from(o, &fo);
	s = fetch_new(&fo, on_fetched, &run, &run.fetcher, err);
	for (size_t i = 0; s == CH_OK && i < n; i++)
		s = submit_feed(&run, &due[i], err);
	if (s == CH_OK)
		s = drive(run.fetcher, o->stop, err);
	fetch_free(run.fetcher);
	abandon_jobs(&run);
	arena_release(&run.arena);
	return s;
}

enum ch_status ingest_schedule(const char *db_path, const struct poll_options *o, int wake_s,
			       volatile const int *stop, struct ch_error *err)
{
	struct store *st = NULL;
	enum ch_status s = store_open(db_path, &st, err);
	if (s != CH_OK)
		return s;
	struct poll_options round = *o;
	round.stop = stop;
	bool first = true;
	while (!*stop) {
		struct poll_stats stats = { 0 };
		struct ch_error e2 = { 0 };
		if (ingest_poll(st, &round, &stats, &e2) != CH_OK)
			log_warn("fetch: %s", e2.msg);
		/* after every round that polled something, and after the first (articles a stopped
		 * round left behind), unless stopping now */
		if (o->after_round && (stats.sources || first) && !*stop)
			o->after_round(st, &stats, o->after_round_ctx);
		first = false;
		if (stats.sources)
			log_info("fetch: %zu sources (%zu changed, %zu unchanged, %zu failed), %zu new articles",
				 stats.sources, stats.changed, stats.unchanged, stats.errors, stats.articles.created);
		for (int i = 0; i < wake_s * 10 && !*stop; i++) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	store_close(st);
	return CH_OK;
}
