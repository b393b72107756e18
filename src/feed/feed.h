/*
 * feed.h — feeds in (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1, OPML) and the polite
 * HTTP fetcher (libcurl multi). libxml2, jansson and libcurl are included by this module only.
 */
#ifndef CHAPAR_FEED_H
#define CHAPAR_FEED_H

#include "core/core.h"

struct feed_enclosure {
	const char *url, *type;
	int64_t length; /* -1 when unknown */
};

/* One entry. Every string is UTF-8, owned by the feed's arena, NULL when absent. Text fields
 * (title, author, summary) are plain text; content is HTML ready for the sanitiser. Times are
 * Unix seconds UTC, 0 when absent. */
struct feed_entry {
	const char *id, *title, *link, *author, *summary, *content;
	int64_t published, updated;
	struct feed_enclosure *enclosures;
	size_t n_enclosures;
	const char **categories;
	size_t n_categories;
};

struct feed {
	struct arena arena;    /* owns everything below */
	const char *encoding;  /* the encoding the bytes were read in, e.g. "windows-1256" */
	const char *title, *link, *language;
	int64_t updated;
	int ttl_minutes;       /* <ttl>, 0 when absent */
	struct feed_entry *entries;
	size_t n_entries;
};

/* feed_parse: parse data (n bytes) as any supported feed format. http_content_type may be NULL
 * (its charset wins over the document's own declaration); base_url (may be NULL) resolves
 * relative links, as does xml:base. Charsets: BOM, HTTP charset, XML declaration, else
 * sniffing (UTF-8, UTF-16/32, windows-125x incl. 1256, ISO-8859-*, KOI8-R…), a declaration the
 * bytes contradict recovered, invalid UTF-8 repaired. Broken XML is recovered as browsers do
 * (HTML entities, bare '&', truncation). Bounded: at most 16 MiB of input (CH_ERR_LIMIT
 * beyond), 10,000 entries, 64 enclosures and categories per entry. On CH_OK *out is a new
 * feed (caller frees with feed_free); CH_ERR_PARSE when data is not a feed (an HTML page,
 * broken JSON), with the reason in err. Thread-safe: no global state besides libxml2's. */
enum ch_status feed_parse(const char *data, size_t n, const char *http_content_type,
			  const char *base_url, struct feed **out, struct ch_error *err);
/* feed_free: free f and everything in it. NULL is fine. */
void feed_free(struct feed *f);

/* feed_parse_date: a date as feeds write it — RFC 822 (and its common mistakes, zones such as
 * IRST), RFC 3339/ISO 8601, asctime, or a Persian date (text_parse_date) — into Unix seconds
 * UTC. A date with no zone is read as UTC. CH_ERR_PARSE when s holds no date. */
enum ch_status feed_parse_date(const char *s, int64_t *utc);

/* ---- OPML (subscription lists) ----------------------------------------------------------- */

/* One subscription of an OPML file. Strings are UTF-8, owned by the opml's arena (or, for
 * feed_opml_write, by the caller), NULL when absent. */
struct feed_outline {
	const char *title;    /* text= (else title=) */
	const char *xml_url;  /* the feed's URL */
	const char *html_url; /* the site's URL */
	const char *category; /* enclosing folders' titles joined with '/', else category= */
};

struct feed_opml {
	struct arena arena; /* owns everything below */
	const char *title;  /* <head><title> */
	struct feed_outline *outlines; /* every outline with an xmlUrl, in document order */
	size_t n_outlines;
};

/* feed_opml_parse: read an OPML 1.0/2.0 document (any encoding feed_parse takes, nested
 * folders, broken XML recovered). On CH_OK *out is new (caller frees with feed_opml_free). */
enum ch_status feed_opml_parse(const char *data, size_t n, struct feed_opml **out,
			       struct ch_error *err);
void feed_opml_free(struct feed_opml *o);

/* feed_opml_write: append an OPML 2.0 document listing the n outlines to out, grouped into one
 * folder outline per category (in order of first appearance). */
enum ch_status feed_opml_write(struct buf *out, const char *title, const struct feed_outline *v,
			       size_t n, struct ch_error *err);

#endif
