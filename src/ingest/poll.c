/*
 * poll.c — one polling round over the network: due sources are fetched through one fetcher
 * (so the per-host limit covers feeds and article pages alike), each feed is parsed, the pages
 * of its new entries are fetched and ingested as they arrive, and every source gets its next
 * check: an adaptive interval from its posting rate and the server's hints after a success,
 * jittered exponential backoff after an error. Errors are stored on the source, in words.
 */
#include <stdlib.h>
#include <string.h>

#include "feed/fetch.h"
#include "feed/schedule.h"
#include "ingest/ingest.h"

/* A parsed feed shared by the page fetches of its new entries; freed with the last of them. */
struct feed_ref {
	struct feed *feed;
	struct source *src;
	int refs;
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
};

/* A transfer in flight: a source's feed (entry == NULL) or one entry's page. */
struct job {
	struct poll_run *run;
	struct source *src;
	struct feed_ref *ref;
	const struct feed_entry *entry;
};

void poll_options_default(struct poll_options *o)
{
	o->max_in_flight = 32;
	o->per_host = 2;
	o->min_interval_s = 120;
	o->max_interval_s = 3600;
	o->max_sources = 1000;
	o->max_pages = 5000;
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

/* source_succeeded: clear the error state and schedule the next check from post_times. */
static void source_succeeded(struct poll_run *run, struct source *src, const int64_t *post_times, size_t n,
			     const struct schedule_hints *hints)
{
	src->error_count = 0;
	src->last_error = NULL;
	src->last_success = run->now;
	src->next_check = schedule_next_success(&run->policy, run->now, post_times, n, hints);
	save_state(run, src);
}

/* ref_release: drop one reference to a shared feed. */
static void ref_release(struct feed_ref *ref)
{
	if (--ref->refs == 0) {
		feed_free(ref->feed);
		free(ref);
	}
}

/* start_page: fetch the page of a new entry (or ingest it from the feed alone when no more
 * pages may be fetched this round). */
static void start_page(struct poll_run *run, struct feed_ref *ref, const struct feed_entry *e)
{
	if (e->link && run->pages_started < run->opt->max_pages) {
		struct job *job = malloc(sizeof *job);
		if (job) {
			*job = (struct job){ run, ref->src, ref, e };
			struct fetch_request req = { .url = e->link, .user = job };
			if (fetch_submit(run->fetcher, &req, NULL) == CH_OK) {
				ref->refs++;
				run->pages_started++;
				return;
			}
			free(job);
		}
	}
	run->stats->articles.entries++;
	ingest_entry(run->st, ref->src, e, NULL, 0, NULL, &run->stats->articles);
}

/* feed_done: a source's feed arrived (or failed). */
static void feed_done(struct poll_run *run, struct job *job, struct fetch_result *r)
{
	struct source *src = job->src;
	if (r->status != CH_OK || r->http_status >= 400) {
		source_failed(run, src, r->error[0] ? r->error : "the feed could not be fetched", r->retry_after_s);
		return;
	}
	struct schedule_hints hints = { .ttl_s = -1, .max_age_s = r->max_age_s, .retry_after_s = r->retry_after_s };
	if (r->unchanged) {
		/* nothing new: keep the pace, a little slower each time (never the full maximum at once) */
		run->stats->unchanged++;
		if (r->etag[0])
			src->etag = arena_strdup(&run->arena, r->etag);
		if (r->last_modified[0])
			src->last_modified = arena_strdup(&run->arena, r->last_modified);
		src->error_count = 0;
		src->last_error = NULL;
		src->last_success = run->now;
		src->next_check = schedule_next_unchanged(&run->policy, run->now, src->interval_s, &hints);
		save_state(run, src);
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
	if (feed->ttl_minutes > 0)
		hints.ttl_s = (int64_t)feed->ttl_minutes * 60;

	int64_t *times = calloc(feed->n_entries + 1, sizeof *times);
	size_t n_times = 0;
	struct feed_ref *ref = calloc(1, sizeof *ref);
	if (!ref) {
		feed_free(feed);
		free(times);
		source_failed(run, src, "out of memory", -1);
		return;
	}
	*ref = (struct feed_ref){ feed, src, 1 };
	for (size_t i = feed->n_entries; i-- > 0;) { /* oldest first */
		const struct feed_entry *e = &feed->entries[i];
		if (times && (e->published || e->updated))
			times[n_times++] = e->published ? e->published : e->updated;
		if (ingest_entry_is_new(run->st, src, e))
			start_page(run, ref, e);
		else
			run->stats->articles.skipped++;
	}
	source_succeeded(run, src, times, n_times, &hints);
	free(times);
	ref_release(ref);
}

/* page_done: an entry's page arrived (or not: then the feed's own content is kept). */
static void page_done(struct poll_run *run, struct job *job, struct fetch_result *r)
{
	bool ok = r->status == CH_OK && r->http_status < 400 && r->body->n > 0;
	if (!ok)
		log_debug("poll: %s: page %s: %s", job->src->name, r->url, r->error);
	run->stats->articles.entries++;
	ingest_entry(run->st, job->src, job->entry, ok ? r->body->p : NULL, ok ? r->body->n : 0,
		     r->content_type[0] ? r->content_type : NULL, &run->stats->articles);
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
	free(job);
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
	enum ch_status s = store_source_due(st, run.now, o->max_sources, &run.arena, &due, &n, err);
	if (s != CH_OK || n == 0) {
		arena_release(&run.arena);
		return s;
	}
	struct fetch_options fo;
	fetch_options_default(&fo);
	fo.max_in_flight = o->max_in_flight;
	fo.per_host = o->per_host;
	s = fetch_new(&fo, on_fetched, &run, &run.fetcher, err);
	for (size_t i = 0; s == CH_OK && i < n; i++) {
		struct job *job = malloc(sizeof *job);
		if (!job) {
			s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
			break;
		}
		*job = (struct job){ &run, &due[i], NULL, NULL };
		struct fetch_request req = { .url = due[i].feed_url, .etag = due[i].etag,
					     .last_modified = due[i].last_modified,
					     .previous_hash = due[i].body_hash, .user = job };
		struct ch_error e2 = { 0 };
		stats->sources++;
		if (fetch_submit(run.fetcher, &req, &e2) != CH_OK) {
			free(job);
			source_failed(&run, &due[i], e2.msg, -1);
		}
	}
	if (s == CH_OK)
		s = fetch_run(run.fetcher, err);
	fetch_free(run.fetcher);
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
	while (!*stop) {
		struct poll_stats stats = { 0 };
		struct ch_error e2 = { 0 };
		if (ingest_poll(st, o, &stats, &e2) != CH_OK)
			log_warn("fetch: %s", e2.msg);
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
