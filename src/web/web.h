/*
 * web.h — chapar's HTTP server on libmicrohttpd: the site (home, article, outlet pages), the
 * JSON API v1, static assets and /healthz. Pages are right-to-left Persian with Jalali dates.
 * Each worker thread has its own store connection; page views are counted in memory and
 * written to the store in batches.
 */
#ifndef CHAPAR_WEB_H
#define CHAPAR_WEB_H

#include "core/core.h"

struct web_options {
	const char *listen;   /* "127.0.0.1:8080", "[::1]:8080", ":8080" (all interfaces) */
	const char *db_path;  /* the store each worker thread opens */
	int threads;          /* worker threads (>= 1) */
	int cache_ttl_s;      /* seconds a rendered page may be reused; 0 = never */
	int view_flush_ms;    /* how often counted views are written; default 1000 */
	const char *admin_password; /* NULL or "": the admin area is off */
};

struct web_server;

/* web_start: listen and serve in background threads. On CH_OK *out is running (stop it with
 * web_stop). */
enum ch_status web_start(const struct web_options *opt, struct web_server **out, struct ch_error *err);
/* web_port: the port actually bound (useful with port 0). */
int web_port(const struct web_server *ws);
/* web_stop: stop serving, write pending views, free everything. */
void web_stop(struct web_server *ws);

/* web_search_day: a search filter's day as the site reads it, into *start (Unix seconds): a
 * day Y-M-D or Y/M/D in ASCII or Persian digits (a year from 1700 on Gregorian, earlier Jalali:
 * 2024-11-28, 1403-09-08, ۱۴۰۳/۰۹/۰۸), starting at midnight Tehran time; an ISO 8601 time
 * (2024-11-28T10:00:00Z); or a Persian date as news pages write it (۸ آذر ۱۴۰۳). False when s
 * is none of these. `chapar search` reads --from/--to with it, as /search reads from/to. */
bool web_search_day(const char *s, int64_t *start);
/* web_search_text: append the reader's query q repaired as stored text is (a prefix or suffix
 * written apart joined: «می شود» is searched as «می‌شود», as the article was indexed). */
enum ch_status web_search_text(const char *q, struct buf *out);

#endif
