/*
 * ingest.h — the pipeline from a source's feed to stored articles: for each entry, get its
 * page, extract the article (falling back to the feed's own content), repair the Persian text,
 * sanitise the HTML and store it once. The same calls serve the network fetcher and the demo,
 * which reads sources, feeds and pages from files.
 */
#ifndef CHAPAR_INGEST_H
#define CHAPAR_INGEST_H

#include "core/core.h"
#include "feed/feed.h"
#include "store/store.h"

struct ingest_stats {
	size_t entries;   /* entries seen */
	size_t created;   /* new articles stored */
	size_t updated;   /* stored articles changed */
	size_t skipped;   /* already stored, left alone */
	size_t failed;    /* entries that could not be stored (each logged) */
	size_t pages;     /* article pages extracted */
};

/* page_get_fn: fetch the article page at url into body (appending); *content_type may be set
 * (static or owned by ctx). Return false when the page cannot be had (the feed's content is
 * used instead). */
typedef bool (*page_get_fn)(void *ctx, const char *url, struct buf *body, const char **content_type);

/* What the store knows of a feed entry. */
enum ingest_entry_state {
	INGEST_ENTRY_NEW,    /* no article of its source has its GUID or link */
	INGEST_ENTRY_EDITED, /* stored, but the entry changed since (title, link, text, author or
			      * updated date): its article is rewritten */
	INGEST_ENTRY_SEEN,   /* stored from this very entry: nothing to do */
};

/* ingest_entry_hash: a hash (never 0) of what an edit can change in e — not its GUID, and not
 * its published date, so a re-published copy of the same text counts as seen. */
uint64_t ingest_entry_hash(const struct feed_entry *e);

/* ingest_entry_state: whether e (of src) is new, edited or seen; *article_id (may be NULL) gets
 * the stored article's id, 0 when new. A store error counts as new (the put checks again). */
enum ingest_entry_state ingest_entry_state(struct store *st, const struct source *src, const struct feed_entry *e,
					   int64_t *article_id);

/* ingest_entry_is_new: whether e needs storing: new or edited (its page is worth fetching). */
bool ingest_entry_is_new(struct store *st, const struct source *src, const struct feed_entry *e);

/* ingest_entry: store one entry of src unless it is stored already and unchanged (an edited
 * entry updates its article). page (may be NULL) is the
 * entry's article page, page_type its Content-Type (may be NULL). */
enum ch_status ingest_entry(struct store *st, const struct source *src, const struct feed_entry *e,
			    const char *page, size_t page_len, const char *page_type, struct ingest_stats *stats);

/* A feed's entries made into articles, to be stored together in one transaction (a commit
 * per article was the live path's largest cost). Zero-initialise or ingest_batch_init. */
struct ingest_prepared;
struct ingest_batch {
	struct ingest_prepared *items;
	size_t n, cap;
};
void ingest_batch_init(struct ingest_batch *b);
/* ingest_batch_add: what ingest_entry does up to storing: the article is kept in b (its page
 * may be freed after the call; e must live until the flush). */
enum ch_status ingest_batch_add(struct ingest_batch *b, struct store *st, const struct source *src,
				const struct feed_entry *e, const char *page, size_t page_len,
				const char *page_type, struct ingest_stats *stats);
/* ingest_batch_flush: store b's articles in one transaction (each one still succeeds or fails
 * alone) and empty b. A failed commit loses them all (counted as failed; the source's next
 * fetch brings them again): the status. */
enum ch_status ingest_batch_flush(struct ingest_batch *b, struct store *st, const struct source *src,
				  struct ingest_stats *stats);
/* ingest_batch_release: free b (articles not flushed are dropped). */
void ingest_batch_release(struct ingest_batch *b);

/* ingest_feed: store every entry of feed f for source src, in one transaction. get_page (may be NULL) supplies
 * pages. One bad entry never stops the others; stats counts what happened. */
enum ch_status ingest_feed(struct store *st, const struct source *src, const struct feed *f,
			   page_get_fn get_page, void *ctx, struct ingest_stats *stats, struct ch_error *err);

/* ingest_dir: ingest a directory laid out like demo/ (sources.tsv, feeds/, pages.tsv, pages/):
 * adds each source (parked: next check in 2100, so no fetcher polls the real outlet, until
 * `chapar source enable` makes it due; or finds it), parses its feed file and ingests it with
 * pages read from files. */
enum ch_status ingest_dir(struct store *st, const char *dir, struct ingest_stats *stats, struct ch_error *err);

/* ---- polling sources over the network ------------------------------------------------------ */

struct poll_stats;

struct poll_options {
	int max_in_flight;      /* transfers at once (feeds and pages together) */
	int per_host;           /* transfers at once to one host */
	int64_t min_interval_s; /* bounds of the adaptive polling interval */
	int64_t max_interval_s;
	size_t max_sources;     /* due sources taken per round */
	size_t max_pages;       /* article pages fetched per round; beyond, the feed's content is kept */
	long timeout_ms;        /* whole transfer; 0: the fetcher's default (20 s) */
	long connect_timeout_ms;/* 0: the fetcher's default (10 s) */
	size_t max_bytes;       /* response cap; 0: the fetcher's default (10 MiB) */
	bool ignore_schedule;   /* poll every enabled source, due or not (`chapar fetch --all`) */
	/* NULL, or called by ingest_schedule after its first round and each round that polled a
	 * source (not when stopping), with its own connection: the place for work above this
	 * module (story clustering) */
	void (*after_round)(struct store *st, const struct poll_stats *stats, void *ctx);
	void *after_round_ctx;
	volatile const int *stop; /* NULL, or a flag that ends a round early when it becomes
				   * non-zero (transfers in flight are dropped; their sources stay
				   * due and are polled again next time) */
};

/* poll_options_default: 32 in flight, 2 per host, 2–60 minutes, 1000 sources, 5000 pages,
 * the fetcher's timeouts and cap, no stop flag. */
void poll_options_default(struct poll_options *o);

struct poll_stats {
	size_t sources;    /* sources polled */
	size_t changed;    /* feeds parsed */
	size_t unchanged;  /* 304, or the same body as last time */
	size_t errors;     /* sources that failed (each stored as its last_error) */
	struct ingest_stats articles;
};

/* ingest_poll: one round: fetch every due source (politely: per-host limits, conditional GET),
 * parse it, fetch the pages of its new entries, extract, store, and schedule each source's next
 * check (adaptive interval, or backoff after an error). One failing source only records its
 * error. */
enum ch_status ingest_poll(struct store *st, const struct poll_options *o, struct poll_stats *stats,
			   struct ch_error *err);

/* ingest_schedule: poll due sources round after round (waking at least every wake_s seconds)
 * until *stop becomes true (a round in progress ends within a fraction of a second), with a connection of its own to the database at db_path. Errors of
 * a round are logged, never fatal. For `chapar fetch` and the scheduler inside `chapar serve`. */
enum ch_status ingest_schedule(const char *db_path, const struct poll_options *o, int wake_s,
			       volatile const int *stop, struct ch_error *err);

#endif
