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

/* ingest_feed: store every entry of feed f for source src. get_page (may be NULL) supplies
 * pages. One bad entry never stops the others; stats counts what happened. */
enum ch_status ingest_feed(struct store *st, const struct source *src, const struct feed *f,
			   page_get_fn get_page, void *ctx, struct ingest_stats *stats, struct ch_error *err);

/* ingest_dir: ingest a directory laid out like demo/ (sources.tsv, feeds/, pages.tsv, pages/):
 * adds each source (or finds it), parses its feed file and ingests it with pages read from
 * files. */
enum ch_status ingest_dir(struct store *st, const char *dir, struct ingest_stats *stats, struct ch_error *err);

#endif
