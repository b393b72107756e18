/*
 * web_internal.h — what the files of src/web share: one request's context, the response a
 * handler fills in, and the helpers handlers use. libmicrohttpd stays inside server.c; pages and
 * API handlers see only these types.
 */
#ifndef CHAPAR_WEB_INTERNAL_H
#define CHAPAR_WEB_INTERNAL_H

#include "core/core.h"
#include "store/store.h"
#include "web/web.h"

/* Counters for /metrics, updated with relaxed atomics. */
struct web_metrics {
	uint64_t requests, cache_hits, errors_4xx, errors_5xx, views;
	int64_t started;
};

/* One request, as handlers see it. Everything allocated for it comes from `arena`. */
struct request {
	struct web_server *ws;
	void *conn;            /* the server's connection handle, for request_query */
	const char *path;      /* URL path, percent-decoded by the server */
	struct arena arena;
	struct store *store;   /* this worker thread's connection; NULL if the store failed */
	int64_t now;           /* Unix seconds at the start of the request */
	bool post;             /* a POST (admin forms only); its body below */
	const char *body;      /* the request body, NUL-terminated (POST only) */
	size_t body_len;
};

/* What a handler produces. The server turns it into an HTTP response. */
struct response {
	int status;               /* 200 unless set */
	const char *content_type; /* static string */
	struct buf body;          /* owned by the response; capped */
	const char *location;     /* for redirects, arena-owned */
	int max_age;              /* Cache-Control max-age in seconds; 0 = no-cache */
	const unsigned char *static_body; /* instead of body: bytes that outlive the server */
	size_t static_len;
	const char *set_cookie;   /* a Set-Cookie header value, arena-owned */
	bool private_page;        /* never cached, by chapar or by browsers */
};

typedef void (*handler_fn)(struct request *rq, struct response *rs);

/* request_query: the value of query parameter key, or NULL; borrowed for the request. */
const char *request_query(struct request *rq, const char *key);
/* request_base_url: "http://host[:port]" as the client addressed the server (arena-owned). */
const char *request_base_url(struct request *rq);
/* request_metrics: the server's counters. */
const struct web_metrics *request_metrics(struct request *rq);
/* Pieces of page every page shares, rendered once and kept for a while. */
enum fragment_id { FRAGMENT_CATEGORY_NAV, FRAGMENT_TRENDING, FRAGMENT_TOP_STORIES, FRAGMENT_ARTICLE_COUNT,
		   FRAGMENT_COUNT };
/* fragment_get: append the fragment to out if a fresh one is kept; false otherwise. */
bool fragment_get(struct request *rq, enum fragment_id id, struct buf *out);
/* fragment_put: keep html (n bytes, copied) as the fragment for ttl_s seconds. */
void fragment_put(struct request *rq, enum fragment_id id, const char *html, size_t n, int ttl_s);
/* Pieces of page that belong to one object (a story's outlet line, an article's body): kept
 * under (kind, id) while the version the caller derives from the object's stored state still
 * matches, and for at most ttl_s seconds. A bounded table: a newer piece may push out an older. */
enum piece_kind { PIECE_OUTLETS, PIECE_BODY, PIECE_COVERAGE, PIECE_MORE, PIECE_STORY_ARTICLES,
		  PIECE_SOURCE, PIECE_ARTICLE_JSON, PIECE_ATOM_ENTRY,
		  PIECE_BODY_JSON, PIECE_KINDS };
/* piece_get: append the kept piece to out and return true, or return false (out unchanged). */
bool piece_get(struct request *rq, enum piece_kind kind, int64_t id, uint64_t version, struct buf *out);
/* piece_put: keep html[0..n) (copied) as that piece; pieces over 64 KB are not kept. */
void piece_put(struct request *rq, enum piece_kind kind, int64_t id, uint64_t version, const char *html,
	       size_t n, int ttl_s);
/* request_cookie: the value of cookie name, or NULL; borrowed for the request. */
const char *request_cookie(struct request *rq, const char *name);
/* request_admin_password: the configured admin password ("" = the admin area is off). */
const char *request_admin_password(struct request *rq);
/* request_count_view: count one page view of an article (batched, bots excluded). */
void request_count_view(struct request *rq, int64_t article_id);

/* ---- pages.c --------------------------------------------------------------------------------- */
void page_home(struct request *rq, struct response *rs);
void page_article(struct request *rq, struct response *rs);
void page_story(struct request *rq, struct response *rs);
void page_source(struct request *rq, struct response *rs);
void page_search(struct request *rq, struct response *rs);
void page_category(struct request *rq, struct response *rs);

/* ---- admin.c --------------------------------------------------------------------------------- */
/* admin: the admin area (/admin and its forms), behind a password login with CSRF tokens. */
void admin(struct request *rq, struct response *rs);
/* form_value: the value of field name in an application/x-www-form-urlencoded body, decoded
 * into the arena; NULL when absent. */
const char *form_value(struct arena *a, const char *body, size_t n, const char *name);

/* ---- atom.c ---------------------------------------------------------------------------------- */
void atom_home(struct request *rq, struct response *rs);
void atom_source(struct request *rq, struct response *rs);
void atom_category(struct request *rq, struct response *rs);
void atom_search(struct request *rq, struct response *rs);
/* page_error: a complete HTML error page with the given status and a Persian message. */
void page_error(struct request *rq, struct response *rs, int status, const char *message);

/* ---- api.c ----------------------------------------------------------------------------------- */
void api_articles(struct request *rq, struct response *rs);
void api_article(struct request *rq, struct response *rs);
void api_healthz(struct request *rq, struct response *rs);
void api_search(struct request *rq, struct response *rs);
void api_metrics(struct request *rq, struct response *rs);
void api_stories(struct request *rq, struct response *rs);
void api_story(struct request *rq, struct response *rs);
void api_trending(struct request *rq, struct response *rs);
/* api_not_found: any other path under /api/: a JSON 404, as API clients expect. */
void api_not_found(struct request *rq, struct response *rs);
/* api_error: a JSON error body {"error": {"status": N, "message": "..."}}. */
void api_error(struct response *rs, int status, const char *message);

/* ---- assets.c -------------------------------------------------------------------------------- */
/* asset_find: the embedded asset with this name ("style.css"), or false. */
bool asset_find(const char *name, const unsigned char **data, size_t *len, const char **type);

/* search_from_request: the search_query of ?q=&source=&category=&from=&to=&limit=&page=
 * (q->text repaired as stored text is, in the arena). Returns NULL when all is well, else the
 * API's message (English), with the same message for a reader of the site (Persian) in
 * *for_reader when for_reader is not NULL. */
const char *search_from_request(struct request *rq, struct search_query *q, const char **for_reader);

/* search_params: append the search's parameters (q, source, category, from, to, limit: those
 * given) as a query string without its page, joined by sep ("&amp;" in markup, "&" in a URL
 * that is escaped later), so that a link to a filtered search stays filtered. */
void search_params(struct request *rq, struct buf *out, const char *sep);

/* snippet_to_html: append a search snippet escaped, with its match marks as <mark>…</mark>;
 * with persian_digits, as html_escape_fa shows text. */
void snippet_to_html(struct buf *out, const char *snippet, bool persian_digits);

/* html_escape_fa: append s (n bytes) HTML-escaped as the site shows Persian text: the ASCII
 * digits of a word without Latin letters as Persian digits («14 تیر» -> «۱۴ تیر»; G7, mp3 and
 * URLs stay as written). */
void html_escape_fa(struct buf *out, const char *s, size_t n);

/* path_rest: the percent-decoded rest of the path after prefix (as the server decoded it),
 * or NULL when empty or longer than 200 bytes. */
const char *path_rest(struct request *rq, const char *prefix);

/* parse_id: a positive decimal id of at most 18 digits, or 0 when s is anything else. */
int64_t parse_id(const char *s);

#endif
