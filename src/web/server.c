/*
 * server.c — the HTTP side of src/web, on libmicrohttpd (with mhd_lib.c, which loads it, the
 * only files that include it):
 * listening, routing, a short-lived cache of rendered pages, per-thread store connections and
 * the batched page-view counter.
 *
 * Following LIBRARIES.md §2: epoll with a thread pool of one thread per core; the response is
 * queued on the *second* call of the access handler (queueing on the first forces
 * `Connection: close`); a connection timeout is always set.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/mhd_lib.h"
#include "web/web_internal.h"

#define BODY_LIMIT (8u << 20)     /* a rendered page or API answer never exceeds this */
#define CACHE_SLOTS 2048
#define REQUEST_ARENA_LIMIT (64u << 20)

/* A rendered response kept for a few seconds: MHD responses are reference counted and may be
 * queued on many connections at once, so a hit costs no rendering and no copy. */
struct cache_entry {
	char *key;
	struct MHD_Response *resp;
	int status;
	int64_t expires_ms;
	char etag[24]; /* the response's ETag ("" when it has none) */
	int max_age;   /* its Cache-Control max-age, repeated on a 304 */
};

/* Page views counted since the last flush: article id -> count, open addressing. */
struct view_table {
	int64_t *ids, *counts;
	size_t cap, used;
};

/* A rendered piece of page shared by every page for a while (the category menu). */
struct fragment {
	char *html;
	int64_t expires;
};

/* A kept piece of page (see piece_get in web_internal.h). */
struct piece {
	int kind;
	int64_t id;
	uint64_t version;
	int64_t expires;
	char *html;
	size_t n;
};

#define PIECE_SLOTS 4096
#define PIECE_LOCKS 16
#define PIECE_MAX (64u << 10)

struct web_server {
	struct MHD_Daemon *daemon;
	struct web_metrics metrics;
	char *db_path;
	int port;
	int cache_ttl_s;
	pthread_key_t store_key;
	pthread_rwlock_t cache_lock;
	struct cache_entry cache[CACHE_SLOTS];
	pthread_mutex_t views_lock;
	pthread_cond_t views_cond;
	struct view_table views;
	pthread_t flusher;
	bool stopping;
	int view_flush_ms;
	char *admin_password;
	pthread_mutex_t fragment_lock;
	struct fragment fragments[FRAGMENT_COUNT];
	pthread_mutex_t piece_locks[PIECE_LOCKS];
	struct piece pieces[PIECE_SLOTS];
};

/* A POST's body, gathered over the calls of the access handler (admin forms only). */
struct post_state {
	struct buf body;
};

#define POST_LIMIT (2u << 20)

/* What *con_cls points at for a GET or HEAD after the first call (see on_request). */
static int get_marker;

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------- */

int64_t parse_id(const char *s)
{
	int64_t v = 0;
	int digits = 0;
	for (; *s; s++, digits++) {
		if (*s < '0' || *s > '9' || digits >= 18)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return digits ? v : 0;
}

const char *request_query(struct request *rq, const char *key)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

bool fragment_get(struct request *rq, enum fragment_id id, struct buf *out)
{
	struct web_server *ws = rq->ws;
	bool hit = false;
	pthread_mutex_lock(&ws->fragment_lock);
	struct fragment *f = &ws->fragments[id];
	if (f->html && f->expires > rq->now) {
		buf_adds(out, f->html);
		hit = true;
	}
	pthread_mutex_unlock(&ws->fragment_lock);
	return hit;
}

void fragment_put(struct request *rq, enum fragment_id id, const char *html, size_t n, int ttl_s)
{
	struct web_server *ws = rq->ws;
	char *copy = malloc(n + 1);
	if (!copy)
		return;
	memcpy(copy, html, n);
	copy[n] = '\0';
	pthread_mutex_lock(&ws->fragment_lock);
	free(ws->fragments[id].html);
	ws->fragments[id] = (struct fragment){ copy, rq->now + ttl_s };
	pthread_mutex_unlock(&ws->fragment_lock);
}

/* piece_slot: where (kind, id) lives in the piece table. */
static size_t piece_slot(enum piece_kind kind, int64_t id)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull + (uint64_t)kind * 0xC2B2AE3D27D4EB4Full) >> 40) %
	       PIECE_SLOTS;
}

bool piece_get(struct request *rq, enum piece_kind kind, int64_t id, uint64_t version, struct buf *out)
{
	struct web_server *ws = rq->ws;
	size_t slot = piece_slot(kind, id);
	pthread_mutex_t *lock = &ws->piece_locks[slot % PIECE_LOCKS];
	bool hit = false;
	pthread_mutex_lock(lock);
	struct piece *p = &ws->pieces[slot];
	if (p->html && p->kind == (int)kind && p->id == id && p->version == version && p->expires > rq->now)
		hit = buf_add(out, p->html, p->n) == CH_OK;
	pthread_mutex_unlock(lock);
	return hit;
}

void piece_put(struct request *rq, enum piece_kind kind, int64_t id, uint64_t version, const char *html,
	       size_t n, int ttl_s)
{
	struct web_server *ws = rq->ws;
	if (n > PIECE_MAX)
		return;
	char *copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, html, n);
	size_t slot = piece_slot(kind, id);
	pthread_mutex_t *lock = &ws->piece_locks[slot % PIECE_LOCKS];
	pthread_mutex_lock(lock);
	struct piece *p = &ws->pieces[slot];
	free(p->html);
	*p = (struct piece){ (int)kind, id, version, rq->now + ttl_s, copy, n };
	pthread_mutex_unlock(lock);
}

const char *request_cookie(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_COOKIE_KIND, name);
}

const char *request_admin_password(struct request *rq)
{
	return rq->ws->admin_password ? rq->ws->admin_password : "";
}

const char *request_base_url(struct request *rq)
{
	const char *host = MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);
	/* only a plain host[:port] is echoed back into feeds; anything else falls back */
	bool ok = host && *host && strlen(host) < 256;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
	struct buf b;
	buf_init(&b, 512);
	buf_addf(&b, "http://%s", ok ? host : "localhost");
	const char *r = arena_strdup(&rq->arena, buf_str(&b));
	buf_release(&b);
	return r ? r : "http://localhost";
}

/* thread_store: this worker thread's store connection, opened on first use; NULL on failure. */
static struct store *thread_store(struct web_server *ws)
{
	struct store *st = pthread_getspecific(ws->store_key);
	if (!st) {
		struct ch_error err = { 0 };
		if (store_open(ws->db_path, &st, &err) != CH_OK) {
			log_error("web: cannot open store: %s", err.msg);
			return NULL;
		}
		pthread_setspecific(ws->store_key, st);
	}
	return st;
}

/* close_thread_store: pthread key destructor, run as each worker thread ends. */
static void close_thread_store(void *p)
{
	store_close(p);
}

/* ---------------------------------------------------------------------------------------------
 * Page views: counted in memory, written in one transaction per flush.
 * ------------------------------------------------------------------------------------------- */

/* views_slot: the slot of id in t (an empty one if absent); t->cap is a power of two. */
static size_t views_slot(const struct view_table *t, int64_t id)
{
	size_t mask = t->cap - 1, i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & mask;
	while (t->ids[i] && t->ids[i] != id)
		i = (i + 1) & mask;
	return i;
}

/* views_grow: double the table (or create it); false when out of memory. */
static bool views_grow(struct view_table *t)
{
	struct view_table n = { 0 };
	n.cap = t->cap ? t->cap * 2 : 256;
	n.ids = calloc(n.cap, sizeof *n.ids);
	n.counts = calloc(n.cap, sizeof *n.counts);
	if (!n.ids || !n.counts) {
		free(n.ids);
		free(n.counts);
		return false;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (t->ids[i]) {
			size_t j = views_slot(&n, t->ids[i]);
			n.ids[j] = t->ids[i];
			n.counts[j] = t->counts[i];
			n.used++;
		}
	}
	free(t->ids);
	free(t->counts);
	*t = n;
	return true;
}

/* is_bot: user agents whose page views are not counted (crawlers, scripts, no UA at all). */
static bool is_bot(const char *ua)
{
	static const char *const marks[] = { "bot", "crawl", "spider", "slurp", "curl", "wget", "python",
					     "go-http", "java/", "libwww", "httpclient", "feed", "preview" };
	if (!ua || !*ua)
		return true;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		const char *m = marks[i];
		size_t ml = strlen(m);
		for (const char *p = ua; *p; p++)
			if (strncasecmp(p, m, ml) == 0)
				return true;
	}
	return false;
}

const char *path_rest(struct request *rq, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(rq->path, prefix, n) != 0)
		return NULL;
	const char *rest = rq->path + n;
	size_t len = strlen(rest);
	return len && len <= 200 && utf8_valid(rest, len) && !strchr(rest, '/') ? rest : NULL;
}

const struct web_metrics *request_metrics(struct request *rq)
{
	return &rq->ws->metrics;
}

void request_count_view(struct request *rq, int64_t article_id)
{
	struct web_server *ws = rq->ws;
	const char *ua = MHD_lookup_connection_value((struct MHD_Connection *)rq->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_USER_AGENT);
	if (is_bot(ua) || article_id <= 0)
		return;
	pthread_mutex_lock(&ws->views_lock);
	struct view_table *t = &ws->views;
	if ((t->used + 1) * 2 > t->cap && !views_grow(t)) {
		pthread_mutex_unlock(&ws->views_lock);
		return;
	}
	size_t i = views_slot(t, article_id);
	if (!t->ids[i]) {
		t->ids[i] = article_id;
		t->used++;
	}
	t->counts[i]++;
	ws->metrics.views++;
	pthread_mutex_unlock(&ws->views_lock);
}

/* flush_views: write the counted views to st and empty the table. Called with no lock held. */
static void flush_views(struct web_server *ws, struct store *st)
{
	pthread_mutex_lock(&ws->views_lock);
	struct view_table t = ws->views;
	memset(&ws->views, 0, sizeof ws->views);
	pthread_mutex_unlock(&ws->views_lock);
	if (!t.used) {
		free(t.ids);
		free(t.counts);
		return;
	}
	struct view_count *batch = malloc(t.used * sizeof *batch);
	size_t n = 0;
	int64_t now = time_now_ms() / 1000;
	for (size_t i = 0; batch && i < t.cap; i++)
		if (t.ids[i])
			batch[n++] = (struct view_count){ t.ids[i], now, t.counts[i] };
	struct ch_error err = { 0 };
	if (batch && st && store_views_add(st, batch, n, &err) != CH_OK)
		log_warn("web: could not record %zu page views: %s", n, err.msg);
	free(batch);
	free(t.ids);
	free(t.counts);
}

/* flusher_main: the thread that writes views every view_flush_ms, and once more at stop. */
static void *flusher_main(void *arg)
{
	struct web_server *ws = arg;
	struct store *st = NULL;
	struct ch_error err = { 0 };
	if (store_open(ws->db_path, &st, &err) != CH_OK)
		log_error("web: view counter cannot open the store: %s", err.msg);
	pthread_mutex_lock(&ws->views_lock);
	while (!ws->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		int64_t ns = until.tv_nsec + (int64_t)ws->view_flush_ms * 1000000;
		until.tv_sec += ns / 1000000000;
		until.tv_nsec = ns % 1000000000;
		pthread_cond_timedwait(&ws->views_cond, &ws->views_lock, &until);
		pthread_mutex_unlock(&ws->views_lock);
		flush_views(ws, st);
		pthread_mutex_lock(&ws->views_lock);
	}
	pthread_mutex_unlock(&ws->views_lock);
	flush_views(ws, st);
	store_close(st);
	return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The page cache
 * ------------------------------------------------------------------------------------------- */

/* add_arg: MHD iterator appending "k=v&" to the cache key. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = cls;
	buf_adds(b, key);
	buf_addc(b, '=');
	buf_adds(b, value ? value : "");
	buf_addc(b, '&');
	return MHD_YES;
}

/* cache_key: path?args of the request, in the arena-free buffer key (caller releases). */
static void cache_key(struct MHD_Connection *conn, const char *path, struct buf *key)
{
	buf_adds(key, path);
	buf_addc(key, '?');
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
}

/* body_hash: a 64-bit hash of a rendered body for its ETag, eight bytes a step (the body is
 * hashed on every render, so it must cost far less than rendering). */
static uint64_t body_hash(const char *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	return h ^ (h >> 33);
}

/* etag_matches: whether an If-None-Match value names etag (a quoted tag; "" never matches):
 * "*", or the tag anywhere in the list, weak (W/"...") or strong, as RFC 9110 compares it
 * for GET. */
static bool etag_matches(const char *if_none_match, const char *etag)
{
	if (!if_none_match || !*etag)
		return false;
	while (*if_none_match == ' ' || *if_none_match == '\t')
		if_none_match++;
	return strcmp(if_none_match, "*") == 0 || strstr(if_none_match, etag) != NULL;
}

/* queue_not_modified: a 304 with the ETag and the page's caching rule, and no body. */
static enum MHD_Result queue_not_modified(struct MHD_Connection *conn, const char *etag, int max_age)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	char cc[64];
	if (max_age > 0)
		snprintf(cc, sizeof cc, "public, max-age=%d", max_age);
	else
		snprintf(cc, sizeof cc, "no-cache");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	enum MHD_Result result = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, r);
	MHD_destroy_response(r);
	return result;
}

/* cache_serve: queue the cached response for key if a fresh one exists (a 304 when the client
 * already holds it). */
static bool cache_serve(struct web_server *ws, struct MHD_Connection *conn, const struct buf *key,
			enum MHD_Result *result)
{
	const char *if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	size_t slot = hash_fnv1a64(key->p, key->n) % CACHE_SLOTS;
	bool hit = false;
	pthread_rwlock_rdlock(&ws->cache_lock);
	struct cache_entry *e = &ws->cache[slot];
	if (e->resp && e->expires_ms > time_now_ms() && !strcmp(e->key, buf_str(key))) {
		if (etag_matches(if_none_match, e->etag))
			*result = queue_not_modified(conn, e->etag, e->max_age);
		else
			*result = MHD_queue_response(conn, (unsigned)e->status, e->resp);
		hit = true;
	}
	pthread_rwlock_unlock(&ws->cache_lock);
	return hit;
}

/* cache_store: keep resp (one reference, taken over) under key for cache_ttl_s seconds. */
static void cache_store(struct web_server *ws, const struct buf *key, struct MHD_Response *resp, int status,
			const char *etag, int max_age)
{
	char *k = strdup(buf_str(key));
	if (!k) {
		MHD_destroy_response(resp);
		return;
	}
	size_t slot = hash_fnv1a64(key->p, key->n) % CACHE_SLOTS;
	pthread_rwlock_wrlock(&ws->cache_lock);
	struct cache_entry *e = &ws->cache[slot];
	if (e->resp)
		MHD_destroy_response(e->resp);
	free(e->key);
	e->key = k;
	e->resp = resp;
	e->status = status;
	snprintf(e->etag, sizeof e->etag, "%s", etag);
	e->max_age = max_age;
	e->expires_ms = time_now_ms() + (int64_t)ws->cache_ttl_s * 1000;
	pthread_rwlock_unlock(&ws->cache_lock);
}

/* cache_clear: drop every entry (at stop). */
static void cache_clear(struct web_server *ws)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (ws->cache[i].resp)
			MHD_destroy_response(ws->cache[i].resp);
		free(ws->cache[i].key);
		memset(&ws->cache[i], 0, sizeof ws->cache[i]);
	}
}

/* ---------------------------------------------------------------------------------------------
 * Routing
 * ------------------------------------------------------------------------------------------- */

/* serve_asset: /assets/<name> from the binary, cached by browsers for a day. */
static void serve_asset(struct request *rq, struct response *rs)
{
	const char *type;
	if (!asset_find(rq->path + strlen("/assets/"), &rs->static_body, &rs->static_len, &type)) {
		page_error(rq, rs, 404, "این فایل پیدا نشد.");
		return;
	}
	rs->content_type = type;
	rs->max_age = 86400;
}

struct route {
	const char *path;  /* exact path, or a prefix when it ends in '/' */
	handler_fn fn;
	bool cacheable;    /* rendered output may be reused for cache_ttl_s */
	bool counts_view;  /* a GET is a page view of the article whose id ends the path */
};

static const struct route routes[] = {
	{ "/", page_home, true, false },
	{ "/article/", page_article, true, true },
	{ "/story/", page_story, true, false },
	{ "/source/", page_source, true, false },
	{ "/api/articles", api_articles, true, false },
	{ "/api/articles/", api_article, true, false },
	{ "/search", page_search, true, false },
	{ "/api/search", api_search, true, false },
	{ "/api/stories", api_stories, true, false },
	{ "/api/stories/", api_story, true, false },
	{ "/api/trending", api_trending, true, false },
	{ "/api/", api_not_found, true, false },
	{ "/admin", admin, false, false },
	{ "/admin/", admin, false, false },
	{ "/healthz", api_healthz, false, false },
	{ "/metrics", api_metrics, false, false },
	{ "/category/", page_category, true, false },
	{ "/feed", atom_home, true, false },
	{ "/feed/source/", atom_source, true, false },
	{ "/feed/category/", atom_category, true, false },
	{ "/feed/search", atom_search, true, false },
	{ "/assets/", serve_asset, false, false },
};

/* find_route: the route for path; NULL when none matches. */
static const struct route *find_route(const char *path)
{
	const struct route *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const char *p = routes[i].path;
		size_t n = strlen(p);
		bool prefix = n > 1 && p[n - 1] == '/';
		bool match = prefix ? strncmp(path, p, n) == 0 && path[n] : strcmp(path, p) == 0;
		if (match && n > best_len) {
			best = &routes[i];
			best_len = n;
		}
	}
	return best;
}

/* make_response: an MHD response from what the handler produced (takes the body). */
static struct MHD_Response *make_response(struct response *rs, char etag[24])
{
	struct MHD_Response *r;
	etag[0] = '\0';
	if (rs->static_body) {
		r = MHD_create_response_from_buffer(rs->static_len, (void *)rs->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t n = 0;
		char *body = buf_detach(&rs->body, &n);
		if (body && rs->status == 200 && !rs->private_page)
			snprintf(etag, 24, "\"%016llx\"", (unsigned long long)body_hash(body, n));
		r = body ? MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE) : NULL;
		if (!r)
			free(body);
	}
	if (!r)
		return NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer-when-downgrade");
	if (!strncmp(rs->content_type, "text/html", 9))
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'self'; img-src * data:; style-src 'self'; script-src 'none'; "
					"frame-ancestors 'none'");
	char cc[64];
	if (rs->private_page)
		snprintf(cc, sizeof cc, "no-store");
	else if (rs->max_age > 0)
		snprintf(cc, sizeof cc, "public, max-age=%d", rs->max_age);
	else
		snprintf(cc, sizeof cc, "no-cache");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	if (rs->location)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rs->location);
	if (rs->set_cookie)
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->set_cookie);
	if (etag[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	return r;
}

/* handle: route one GET/HEAD request and queue its response. */
static enum MHD_Result handle(struct web_server *ws, struct MHD_Connection *conn, const char *url,
			       const struct buf *post_body)
{
	struct request rq = { .ws = ws, .conn = conn, .path = url, .now = time_now_ms() / 1000 };
	if (post_body) {
		rq.post = true;
		rq.body = buf_str(post_body);
		rq.body_len = post_body->n;
	}
	struct response rs = { .status = 200, .content_type = "text/html; charset=utf-8" };
	buf_init(&rs.body, BODY_LIMIT);
	arena_init(&rq.arena, REQUEST_ARENA_LIMIT);

	const struct route *route = find_route(url);
	if (route && route->counts_view)
		request_count_view(&rq, parse_id(url + strlen(route->path)));

	enum MHD_Result result = MHD_NO;
	struct buf key;
	buf_init(&key, 16384);
	bool use_cache = route && route->cacheable && ws->cache_ttl_s > 0 && !post_body;
	__atomic_add_fetch(&ws->metrics.requests, 1, __ATOMIC_RELAXED);
	if (use_cache) {
		cache_key(conn, url, &key);
		if (cache_serve(ws, conn, &key, &result)) {
			__atomic_add_fetch(&ws->metrics.cache_hits, 1, __ATOMIC_RELAXED);
			buf_release(&key);
			arena_release(&rq.arena);
			return result;
		}
	}

	rq.store = thread_store(ws);
	if (!route)
		page_error(&rq, &rs, 404, "صفحه‌ای با این نشانی پیدا نشد.");
	else if (!rq.store && route->fn != serve_asset)
		page_error(&rq, &rs, 503, "پایگاه داده در دسترس نیست.");
	else
		route->fn(&rq, &rs);

	char etag[24];
	struct MHD_Response *resp = make_response(&rs, etag);
	if (rs.status >= 400)
		__atomic_add_fetch(rs.status >= 500 ? &ws->metrics.errors_5xx : &ws->metrics.errors_4xx, 1,
				   __ATOMIC_RELAXED);
	if (resp) {
		const char *if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									MHD_HTTP_HEADER_IF_NONE_MATCH);
		if (etag_matches(if_none_match, etag))
			result = queue_not_modified(conn, etag, rs.max_age);
		else
			result = MHD_queue_response(conn, (unsigned)rs.status, resp);
		if (use_cache && rs.status == 200 && !rs.private_page)
			cache_store(ws, &key, resp, rs.status, etag, rs.max_age);
		else
			MHD_destroy_response(resp);
	}
	buf_release(&rs.body);
	buf_release(&key);
	arena_release(&rq.arena);
	return result;
}

/* queue_plain_error: an error answered on the first call (closing the connection). */
static enum MHD_Result queue_plain_error(struct web_server *ws, struct MHD_Connection *conn, int status,
					 const char *msg)
{
	struct request rq = { .ws = ws, .conn = conn, .path = "", .now = time_now_ms() / 1000 };
	struct response rs = { .status = status, .content_type = "text/html; charset=utf-8" };
	buf_init(&rs.body, BODY_LIMIT);
	arena_init(&rq.arena, REQUEST_ARENA_LIMIT);
	page_error(&rq, &rs, status, msg);
	char etag[24];
	struct MHD_Response *resp = make_response(&rs, etag);
	enum MHD_Result result = MHD_NO;
	if (resp) {
		if (status == 405)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		result = MHD_queue_response(conn, (unsigned)status, resp);
		MHD_destroy_response(resp);
	}
	buf_release(&rs.body);
	arena_release(&rq.arena);
	return result;
}

/* on_request: libmicrohttpd's access handler. The first call only marks the connection (see
 * the file comment); the second answers. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct web_server *ws = cls;
	bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0 && url && !strncmp(url, "/admin/", 7);
	if (!post && strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return queue_plain_error(ws, conn, 405, "این روش درخواست پشتیبانی نمی‌شود.");
	if (*con_cls == NULL) {
		if (post) {
			struct post_state *ps = malloc(sizeof *ps);
			if (!ps)
				return MHD_NO;
			buf_init(&ps->body, POST_LIMIT);
			*con_cls = ps;
		} else {
			*con_cls = &get_marker;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (post && buf_add(&((struct post_state *)*con_cls)->body, upload_data, *upload_data_size) != CH_OK) {
			*upload_data_size = 0;
			return queue_plain_error(ws, conn, 413, "فرم فرستاده‌شده بیش از اندازه بزرگ است.");
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!url || url[0] != '/' || strlen(url) > 2048)
		return queue_plain_error(ws, conn, 400, "درخواست نامعتبر است.");
	return handle(ws, conn, url, post ? &((struct post_state *)*con_cls)->body : NULL);
}

/* on_completed: libmicrohttpd's end-of-request callback: free a POST's gathered body. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct post_state *ps = *con_cls;
	if (ps && (void *)ps != (void *)&get_marker) {
		buf_release(&ps->body);
		free(ps);
	}
	*con_cls = NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Starting and stopping
 * ------------------------------------------------------------------------------------------- */

/* mhd_log: libmicrohttpd's own messages, to chapar's log at debug level. chapar reports what
 * matters itself (a listen address in use, in words); libmicrohttpd's version of it ("Failed to
 * bind to port 0" for an address given whole) only misleads an operator. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("web: libmicrohttpd: %s", msg);
}

/* parse_listen: "host:port", "[v6]:port" or ":port" into a socket address. */
static enum ch_status parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *len,
				   bool *ipv6, struct ch_error *err)
{
	char host[256] = "", port[16] = "";
	const char *colon = strrchr(listen, ':');
	if (!colon || strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof port)
		return ch_fail(err, CH_ERR_INVALID, "listen address '%s' is not host:port", listen);
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return ch_fail(err, CH_ERR_INVALID, "listen address '%s' is too long", listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	snprintf(port, sizeof port, "%s", colon + 1);
	if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (*end || p < 0 || p > 65535)
		return ch_fail(err, CH_ERR_INVALID, "port '%s' is not a number from 0 to 65535", port);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc != 0 || !res)
		return ch_fail(err, CH_ERR_INVALID, "listen address '%s': %s", listen, gai_strerror(rc));
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	*ipv6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return CH_OK;
}

enum ch_status web_start(const struct web_options *opt, struct web_server **out, struct ch_error *err)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;
	bool ipv6 = false;
	enum ch_status s = parse_listen(opt->listen, &addr, &addr_len, &ipv6, err);
	if (s == CH_OK)
		s = mhd_lib_load(err);
	if (s != CH_OK)
		return s;
	struct web_server *ws = calloc(1, sizeof *ws);
	if (!ws || !(ws->db_path = strdup(opt->db_path))) {
		free(ws);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	ws->cache_ttl_s = opt->cache_ttl_s;
	ws->admin_password = opt->admin_password && *opt->admin_password ? strdup(opt->admin_password) : NULL;
	ws->metrics.started = time_now_ms() / 1000;
	ws->view_flush_ms = opt->view_flush_ms > 0 ? opt->view_flush_ms : 1000;
	pthread_key_create(&ws->store_key, close_thread_store);
	pthread_rwlock_init(&ws->cache_lock, NULL);
	pthread_mutex_init(&ws->views_lock, NULL);
	pthread_mutex_init(&ws->fragment_lock, NULL);
	for (int i = 0; i < PIECE_LOCKS; i++)
		pthread_mutex_init(&ws->piece_locks[i], NULL);
	pthread_cond_init(&ws->views_cond, NULL);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	ws->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, ws,
				      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opt->threads > 0 ? opt->threads : 1),
				      MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				      MHD_OPTION_CONNECTION_LIMIT, 4096u,
				      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				      MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				      MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				      MHD_OPTION_END);
	if (!ws->daemon) {
		ch_fail(err, CH_ERR_IO, "cannot listen on %s (in use, or not an address of this machine?)",
			opt->listen);
		pthread_key_delete(ws->store_key);
		free(ws->admin_password);
		free(ws->db_path);
		free(ws);
		return CH_ERR_IO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(ws->daemon, MHD_DAEMON_INFO_BIND_PORT);
	ws->port = info ? info->port : 0;
	if (pthread_create(&ws->flusher, NULL, flusher_main, ws) != 0) {
		MHD_stop_daemon(ws->daemon);
		pthread_key_delete(ws->store_key);
		free(ws->admin_password);
		free(ws->db_path);
		free(ws);
		return ch_fail(err, CH_ERR_NOMEM, "cannot start the view counter thread");
	}
	*out = ws;
	return CH_OK;
}

int web_port(const struct web_server *ws)
{
	return ws->port;
}

void web_stop(struct web_server *ws)
{
	if (!ws)
		return;
	MHD_stop_daemon(ws->daemon);
	pthread_mutex_lock(&ws->views_lock);
	ws->stopping = true;
	pthread_cond_signal(&ws->views_cond);
	pthread_mutex_unlock(&ws->views_lock);
	pthread_join(ws->flusher, NULL);
	cache_clear(ws);
	pthread_key_delete(ws->store_key);
	pthread_rwlock_destroy(&ws->cache_lock);
	pthread_mutex_destroy(&ws->views_lock);
	pthread_cond_destroy(&ws->views_cond);
	free(ws->views.ids);
	free(ws->views.counts);
	for (int i = 0; i < FRAGMENT_COUNT; i++)
		free(ws->fragments[i].html);
	pthread_mutex_destroy(&ws->fragment_lock);
	for (size_t i = 0; i < PIECE_SLOTS; i++)
		free(ws->pieces[i].html);
	for (int i = 0; i < PIECE_LOCKS; i++)
		pthread_mutex_destroy(&ws->piece_locks[i]);
	free(ws->admin_password);
	free(ws->db_path);
	free(ws);
}
