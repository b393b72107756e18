/*
 * discover.h — finding a site's feeds: what a response is (sniffing), which feeds an HTML page
 * announces (<link rel="alternate" type="application/rss+xml" ...>), and, when it announces
 * none, which of the usual feed paths (/feed, /rss, /rss.xml, /atom.xml, ...) answer with a
 * feed. This is what `chapar source add URL` needs to accept a site's address as well as a
 * feed's. The HTML is read with libxml2's HTML parser; fetching goes through fetch.h.
 */
#ifndef CHAPAR_FEED_DISCOVER_H
#define CHAPAR_FEED_DISCOVER_H

#include "core/core.h"
#include "feed/fetch.h"

enum discover_kind {
	DISCOVER_UNKNOWN = 0, /* neither a feed nor HTML, as far as we can tell */
	DISCOVER_HTML,
	DISCOVER_RSS,         /* RSS 0.9x/2.0 */
	DISCOVER_RDF,         /* RSS 1.0 */
	DISCOVER_ATOM,
	DISCOVER_JSON_FEED,
	DISCOVER_XML_FEED,    /* announced as text/xml or application/xml: a feed of some kind */
};

/* discover_is_feed: true for the feed kinds (RSS, RDF, Atom, JSON Feed, XML feed). */
bool discover_is_feed(enum discover_kind k);

/* discover_kind_name: "rss", "atom", "json", "html", ... (static storage). */
const char *discover_kind_name(enum discover_kind k);

/* discover_sniff: what the n bytes of body are, judged by the document itself first (its root
 * element or JSON Feed's version key) and by content_type (may be NULL) only when the body says
 * nothing, because servers often send feeds as text/html or text/plain. */
enum discover_kind discover_sniff(const char *body, size_t n, const char *content_type);

/* One feed found. Strings are UTF-8 and owned by the list's arena; title and type may be NULL. */
struct discover_link {
	const char *url;   /* absolute http(s) URL */
	const char *type;  /* the announced MIME type, or NULL for a probed path */
	const char *title; /* the announced title */
	enum discover_kind kind;
};

struct discover_list {
	struct arena arena; /* owns everything below */
	struct discover_link *links;
	size_t n;
};

/* discover_links: the feeds an HTML page announces with <link rel="alternate">, in page order,
 * made absolute against <base href> or page_url, without duplicates. A page that announces none
 * gives CH_OK and an empty list. On CH_OK *out is new; caller frees with discover_list_free. */
enum ch_status discover_links(const char *html, size_t n, const char *page_url,
			      struct discover_list **out, struct ch_error *err);

/* discover_guess_urls: the usual feed URLs on url's site, most likely first (absolute). On
 * CH_OK *out is new; caller frees with discover_list_free. */
enum ch_status discover_guess_urls(const char *url, struct discover_list **out,
				   struct ch_error *err);

/* discover_feeds: the whole of discovery for a user-given URL, fetched with options o (NULL:
 * defaults). If url is a feed, the list holds just it (at its final URL after redirects).
 * Otherwise the feeds its page announces; otherwise the usual paths that answer with a feed
 * (probed in parallel within the per-host limit; two answering with the same body count once).
 * CH_ERR_NOTFOUND when there is none, CH_ERR_NET (with the fetch error in words, e.g.
 * "HTTP 503") when url itself cannot be fetched; messages do not repeat url. On CH_OK *out is new; caller frees with discover_list_free. */
enum ch_status discover_feeds(const char *url, const struct fetch_options *o,
			      struct discover_list **out, struct ch_error *err);

void discover_list_free(struct discover_list *l);

#endif
