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

#endif
