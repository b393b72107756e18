/*
 * fetch.h — the polite HTTP fetcher: many GETs in flight at once over libcurl's multi
 * interface, never more than a few per host, conditional requests (ETag / If-Modified-Since),
 * compression, bounded redirects, connect and total timeouts, and a response size cap that
 * holds both on the wire and after decompression (so a gzip bomb stops at the cap).
 *
 * It knows nothing about feeds, sources or the store: the caller submits requests, drives the
 * fetcher (fetch_run to the end, or fetch_step from its own scheduler loop) and receives one
 * completion callback per request, with the outcome in plain words. libcurl is included by
 * fetch.c only; nothing here exposes it.
 *
 * Usage:
 *     struct fetch_options o;
 *     fetch_options_default(&o);
 *     struct fetcher *f;
 *     if (fetch_new(&o, on_done, ctx, &f, &err) != CH_OK) ...
 *     fetch_submit(f, &(struct fetch_request){ .url = u, .etag = e, .user = src }, &err);
 *     fetch_run(f, &err);      // or: while (fetch_pending(f)) fetch_step(f, 100, &err);
 *     fetch_free(f);
 *
 * Politeness: the limits hold within one fetcher, so fetch feeds and article pages through the
 * same one. per_host counts the host:port of each request's URL; a redirect to another host is
 * held to per_host connections there by libcurl. Hosts with nothing to do are forgotten once
 * there are more than a thousand or so.
 *
 * Threading: a fetcher belongs to one thread. Callbacks run inside fetch_step / fetch_run, on
 * that thread; a callback may call fetch_submit (to follow up) but not fetch_step, fetch_run
 * or fetch_free.
 */
#ifndef CHAPAR_FEED_FETCH_H
#define CHAPAR_FEED_FETCH_H

#include "core/core.h"

#define FETCH_DEFAULT_MAX_IN_FLIGHT 32
#define FETCH_DEFAULT_PER_HOST 2
#define FETCH_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define FETCH_DEFAULT_TOTAL_TIMEOUT_MS 20000
#define FETCH_DEFAULT_MAX_BYTES ((size_t)10 << 20)
#define FETCH_DEFAULT_MAX_REDIRECTS 5

struct fetch_options {
	int max_in_flight;        /* transfers at once over all hosts (default 32) */
	int per_host;             /* transfers at once per host:port (default 2) */
	long connect_timeout_ms;  /* default 10 s */
	long total_timeout_ms;    /* whole transfer, redirects included (default 20 s) */
	size_t max_bytes;         /* body cap, on the wire and decoded (default 10 MiB) */
	int max_redirects;        /* default 5 */
	const char *user_agent;   /* NULL: "chapar/<version> (+https://github.com/chapar)";
	                           * copied by fetch_new */
	const char *ca_file;      /* PEM bundle of trusted CAs; NULL: the system's (copied) */
};

/* fetch_options_default: fill o with the defaults above. */
void fetch_options_default(struct fetch_options *o);

/* One GET. Strings are copied by fetch_submit; NULL or "" means absent. */
struct fetch_request {
	const char *url;           /* http:// or https:// */
	const char *etag;          /* sent as If-None-Match */
	const char *last_modified; /* sent as If-Modified-Since (an HTTP date, verbatim) */
	uint64_t previous_hash;    /* body hash of the last success (0: none), for `unchanged` */
	void *user;                /* handed back untouched in the result */
};

/* The outcome of one request, passed to the completion callback. Every pointer is borrowed
 * until the callback returns, except that the callback may take the body's memory with
 * buf_detach(r->body, &len) (then it owns and frees it). Strings are never NULL ("" = absent). */
struct fetch_result {
	void *user;                /* from the request */
	const char *url;           /* as requested */
	const char *final_url;     /* after redirects ("" when nothing was received) */
	enum ch_status status;     /* CH_OK for 2xx and 304; CH_ERR_LIMIT for the size cap;
	                            * CH_ERR_NET for everything else */
	const char *error;         /* "" on success, else plain words: "connection refused",
	                            * "timed out after 20 s", "response larger than 10 MiB",
	                            * "too many redirects", "HTTP 503", ... */
	long http_status;          /* last response's code; 0 when none came */
	bool not_modified;         /* 304: the caller's copy is current; body is empty */
	bool unchanged;            /* not_modified, or 200 whose body hash == previous_hash */
	const char *etag;          /* response headers of interest ("" when absent) */
	const char *last_modified;
	const char *content_type;
	int64_t retry_after_s;     /* Retry-After (seconds or HTTP date) as seconds; -1 absent */
	int64_t max_age_s;         /* Cache-Control max-age; -1 absent */
	struct buf *body;          /* decoded body (also for HTTP errors); empty on 304 */
	uint64_t body_hash;        /* hash_fnv1a64 of the body; 0 when empty */
	int64_t elapsed_ms;        /* from the start of the transfer to its end */
	int redirects;             /* redirects followed */
};

typedef void (*fetch_done_fn)(struct fetch_result *r, void *ctx);

struct fetcher;

/* fetch_new: a fetcher with options o (NULL: defaults) calling done(result, ctx) once per
 * submitted request. On CH_OK *out is new; caller frees with fetch_free. */
enum ch_status fetch_new(const struct fetch_options *o, fetch_done_fn done, void *ctx,
			 struct fetcher **out, struct ch_error *err);

/* fetch_free: abort whatever is still queued or in flight (no callbacks for those) and free
 * everything. NULL is fine. */
void fetch_free(struct fetcher *f);

/* fetch_submit: queue one GET. It starts when the global and per-host limits allow, in submit
 * order within a host. If this fails (bad URL, out of memory) the callback is never called for
 * it. */
enum ch_status fetch_submit(struct fetcher *f, const struct fetch_request *req,
			    struct ch_error *err);

/* fetch_step: do whatever network work is ready, start queued requests the limits allow and
 * run the callbacks of finished ones; wait at most timeout_ms for activity (0: never block).
 * For a scheduler that has other work. Returns an error only when libcurl itself fails. */
enum ch_status fetch_step(struct fetcher *f, int timeout_ms, struct ch_error *err);

/* fetch_run: step until nothing is queued or in flight. */
enum ch_status fetch_run(struct fetcher *f, struct ch_error *err);

/* fetch_pending: requests queued or in flight. */
size_t fetch_pending(const struct fetcher *f);

/* fetch_stats: the most transfers that were ever in flight at once, overall and for any one
 * host (for tests and benchmarks; the server's own count is the real check). */
void fetch_stats(const struct fetcher *f, int *max_in_flight, int *max_per_host);

/* fetch_parse_max_age: the max-age of a Cache-Control value ("public, max-age=300" → 300);
 * -1 when it has none. s may be NULL. */
int64_t fetch_parse_max_age(const char *s);

#endif
