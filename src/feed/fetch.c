/*
 * fetch.c — the polite HTTP fetcher over libcurl's multi interface (see fetch.h for the API).
 *
 * Requests wait in one FIFO queue per host (host:port as written in the URL). A round-robin
 * cursor over the hosts starts the next transfer whenever both limits allow: fewer than
 * max_in_flight transfers overall and fewer than per_host on that host. We count in-flight
 * transfers per host ourselves; CURLMOPT_MAX_HOST_CONNECTIONS backs this up for redirect
 * targets, which we cannot see in advance. Easy handles are pooled and reused, so connections
 * (kept in the multi handle's cache) and DNS results carry over from one request to the next.
 *
 * The size cap is enforced twice: the progress callback watches the bytes on the wire and the
 * write callback the decoded bytes, so a compressed bomb is cut off at max_bytes of output.
 * This and curl_lib.c (which loads libcurl on first use) are the only files that include curl.
 */
#include "feed/fetch.h"
#include "feed/curl_lib.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef CHAPAR_VERSION
#define CHAPAR_VERSION "0"
#endif
#define DEFAULT_USER_AGENT "chapar/" CHAPAR_VERSION " (+https://github.com/chapar)"

/* ---------------------------------------------------------------------------------------------
 * Data structures
 * ------------------------------------------------------------------------------------------- */

struct host;

/* One request, from fetch_submit until its callback has returned. */
struct xfer {
	struct fetcher *f;
	struct host *host;
	struct xfer *next; /* in the host's queue */
	struct xfer *live_prev, *live_next; /* in the fetcher's list of transfers in flight */
	char *url, *etag, *last_modified;
	uint64_t previous_hash;
	void *user;
	CURL *easy;                /* while in flight */
	struct curl_slist *headers;
	struct buf body;
	bool over_cap;             /* a callback stopped the transfer at max_bytes */
	bool out_of_memory;
	int64_t start_ns;
	char curl_error[CURL_ERROR_SIZE];
};

/* A host:port with its queue and its count of transfers in flight. */
struct host {
	char *key;
	struct xfer *head, *tail;
	int in_flight;
};

struct fetcher {
	struct fetch_options opt;
	char *user_agent;
	char *ca_file; /* NULL: the system's store */
	fetch_done_fn done;
	void *ctx;
	CURLM *multi;

	struct host **hosts; /* every host seen, in first-seen order (the round-robin ring) */
	size_t n_hosts, cap_hosts;
	size_t *slots;       /* open-addressing index into hosts (SIZE_MAX = empty) */
	size_t n_slots;
	size_t cursor;       /* next host to consider when starting a transfer */
	size_t compact_at;   /* compact_hosts runs when n_hosts reaches this */

	CURL **idle;         /* pooled easy handles */
	size_t n_idle, cap_idle;

	struct xfer *live; /* transfers in flight */
	size_t queued;
	int in_flight;
	int max_seen_in_flight, max_seen_per_host;
};

static bool curl_ready;

/* Past this many hosts, idle ones are forgotten (see compact_hosts). */
#define HOST_COMPACT_AT 1024

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------- */

/* dup_or_null: a malloc'd copy of s, or NULL for NULL/"" (sets *nomem on failure). */
static char *dup_or_null(const char *s, bool *nomem)
{
	if (!s || !*s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*nomem = true;
	return d;
}

/* format_duration: "20 s" or "2.5 s" for a millisecond count. */
static void format_duration(char *out, size_t n, long ms)
{
	if (ms % 1000 == 0)
		snprintf(out, n, "%ld s", ms / 1000);
	else
		snprintf(out, n, "%.1f s", (double)ms / 1000.0);
}

/* format_size: "10 MiB", "512 KiB" or "1000 bytes" for a byte count. */
static void format_size(char *out, size_t n, size_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		snprintf(out, n, "%zu MiB", bytes >> 20);
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(out, n, "%zu KiB", bytes >> 10);
	else
		snprintf(out, n, "%zu bytes", bytes);
}

int64_t fetch_parse_max_age(const char *s)
{
	if (!s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, "max-age", 7) != 0)
			continue;
		/* must start a directive, not be the tail of "s-maxage" or similar */
		if (p != s && p[-1] != ' ' && p[-1] != ',' && p[-1] != '\t')
			continue;
		const char *q = p + 7;
		while (*q == ' ')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '"')
			q++;
		if (*q < '0' || *q > '9')
			return -1;
		int64_t v = 0;
		for (; *q >= '0' && *q <= '9'; q++) {
			if (v > INT64_MAX / 10 - 10)
				return INT64_MAX / 2; /* absurdly large: treat as "very long" */
			v = v * 10 + (*q - '0');
		}
		return v;
	}
	return -1;
}

/* ---------------------------------------------------------------------------------------------
 * Hosts: a small open-addressing table from host key to struct host.
 * ------------------------------------------------------------------------------------------- */

/* fill_slots: clear the index and enter every host (n_slots must exceed twice n_hosts). */
static void fill_slots(struct fetcher *f)
{
	size_t mask = f->n_slots - 1;
	for (size_t i = 0; i < f->n_slots; i++)
		f->slots[i] = SIZE_MAX;
	for (size_t h = 0; h < f->n_hosts; h++) {
		size_t i = hash_fnv1a64(f->hosts[h]->key, strlen(f->hosts[h]->key)) & mask;
		while (f->slots[i] != SIZE_MAX)
			i = (i + 1) & mask;
		f->slots[i] = h;
	}
}

/* rebuild_slots: size the index to twice a power of two above n_hosts and refill it. */
static bool rebuild_slots(struct fetcher *f)
{
	size_t n = 64;
	while (n < f->n_hosts * 2 + 2)
		n *= 2;
	size_t *slots = malloc(n * sizeof *slots);
	if (!slots)
		return false;
	free(f->slots);
	f->slots = slots;
	f->n_slots = n;
	fill_slots(f);
	return true;
}

/* host_get: the host for key, created on first use; NULL when out of memory. */
static struct host *host_get(struct fetcher *f, const char *key)
{
	size_t mask = f->n_slots - 1;
	size_t i = hash_fnv1a64(key, strlen(key)) & mask;
	for (; f->slots[i] != SIZE_MAX; i = (i + 1) & mask)
		if (strcmp(f->hosts[f->slots[i]]->key, key) == 0)
			return f->hosts[f->slots[i]];

	if (f->n_hosts == f->cap_hosts) {
		size_t cap = f->cap_hosts ? f->cap_hosts * 2 : 16;
		struct host **hs = realloc(f->hosts, cap * sizeof *hs);
		if (!hs)
			return NULL;
		f->hosts = hs;
		f->cap_hosts = cap;
	}
	struct host *h = calloc(1, sizeof *h);
	if (!h || !(h->key = strdup(key))) {
		free(h);
		return NULL;
	}
	f->hosts[f->n_hosts++] = h;
	if (f->n_hosts * 2 + 2 > f->n_slots) {
		if (!rebuild_slots(f)) {
			f->n_hosts--;
			free(h->key);
			free(h);
			return NULL;
		}
	} else {
		f->slots[i] = f->n_hosts - 1;
	}
	return h;
}

/* compact_hosts: forget hosts with nothing queued or in flight, once there are many, so a
 * long-running fetcher that has met thousands of hosts (article links go everywhere) does not
 * keep them all. Idle hosts are referenced by no request, so freeing them is safe. */
static void compact_hosts(struct fetcher *f)
{
	if (f->n_hosts < f->compact_at)
		return;
	size_t kept = 0;
	for (size_t h = 0; h < f->n_hosts; h++) {
		struct host *host = f->hosts[h];
		if (host->head || host->in_flight > 0) {
			f->hosts[kept++] = host;
		} else {
			free(host->key);
			free(host);
		}
	}
	f->n_hosts = kept;
	f->cursor = 0;
	fill_slots(f); /* the index keeps its size: it only ever needs to be larger */
	/* busy hosts stay; waiting for the table to double again keeps this amortised O(1) */
	f->compact_at = kept * 2 > HOST_COMPACT_AT ? kept * 2 : HOST_COMPACT_AT;
}

/* host_key: "host:port" of url into out (lowercased by curl's parser); false when the URL is
 * not an absolute http(s) URL. */
static bool host_key(const char *url, char *out, size_t n)
{
	CURLU *u = curl_url();
	if (!u)
		return false;
	char *scheme = NULL, *host = NULL, *port = NULL;
	bool ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		  (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
	if (ok) {
		for (char *p = host; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ok = (size_t)snprintf(out, n, "%s:%s", host, port) < n;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/* ---------------------------------------------------------------------------------------------
 * Lifecycle
 * ------------------------------------------------------------------------------------------- */

void fetch_options_default(struct fetch_options *o)
{
	*o = (struct fetch_options){
		.max_in_flight = FETCH_DEFAULT_MAX_IN_FLIGHT,
		.per_host = FETCH_DEFAULT_PER_HOST,
		.connect_timeout_ms = FETCH_DEFAULT_CONNECT_TIMEOUT_MS,
		.total_timeout_ms = FETCH_DEFAULT_TOTAL_TIMEOUT_MS,
		.max_bytes = FETCH_DEFAULT_MAX_BYTES,
		.max_redirects = FETCH_DEFAULT_MAX_REDIRECTS,
		.user_agent = NULL,
	};
}

enum ch_status fetch_new(const struct fetch_options *o, fetch_done_fn done, void *ctx,
			 struct fetcher **out, struct ch_error *err)
{
	*out = NULL;
	if (!done)
		return ch_fail(err, CH_ERR_INVALID, "fetch_new: no completion callback");
	if (!curl_ready) {
		if (curl_lib_load(err) != CH_OK)
			return CH_ERR_NET;
		/* curl_global_init is not thread-safe in old libcurls; chapar creates fetchers from
		 * one thread, and calling it again is harmless (it is reference counted). */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return ch_fail(err, CH_ERR_NET, "could not initialise libcurl");
		curl_ready = true;
	}
	struct fetcher *f = calloc(1, sizeof *f);
	if (!f)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (o)
		f->opt = *o;
	else
		fetch_options_default(&f->opt);
	struct fetch_options def;
	fetch_options_default(&def);
	if (f->opt.max_in_flight <= 0)
		f->opt.max_in_flight = def.max_in_flight;
	if (f->opt.per_host <= 0)
		f->opt.per_host = def.per_host;
	if (f->opt.connect_timeout_ms <= 0)
		f->opt.connect_timeout_ms = def.connect_timeout_ms;
	if (f->opt.total_timeout_ms <= 0)
		f->opt.total_timeout_ms = def.total_timeout_ms;
	if (f->opt.max_bytes == 0)
		f->opt.max_bytes = def.max_bytes;
	if (f->opt.max_redirects < 0)
		f->opt.max_redirects = def.max_redirects;
	f->user_agent = strdup(f->opt.user_agent && *f->opt.user_agent ? f->opt.user_agent
									 : DEFAULT_USER_AGENT);
	f->opt.user_agent = f->user_agent;
	bool nomem = false;
	f->ca_file = dup_or_null(f->opt.ca_file, &nomem);
	f->opt.ca_file = f->ca_file;
	f->done = done;
	f->ctx = ctx;
	f->compact_at = HOST_COMPACT_AT;
	f->multi = curl_multi_init();
	if (nomem || !f->user_agent || !f->multi || !rebuild_slots(f)) {
		fetch_free(f);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->opt.per_host);
	*out = f;
	return CH_OK;
}

/* xfer_free: release a request and everything it owns (its easy handle is not touched). */
static void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	free(x->url);
	free(x->etag);
	free(x->last_modified);
	curl_slist_free_all(x->headers);
	buf_release(&x->body);
	free(x);
}

void fetch_free(struct fetcher *f)
{
	if (!f)
		return;
	while (f->live) {
		struct xfer *x = f->live;
		f->live = x->live_next;
		if (x->easy) {
			curl_multi_remove_handle(f->multi, x->easy);
			curl_easy_cleanup(x->easy);
		}
		xfer_free(x);
	}
	for (size_t h = 0; h < f->n_hosts; h++) {
		struct xfer *x = f->hosts[h]->head;
		while (x) {
			struct xfer *next = x->next;
			xfer_free(x);
			x = next;
		}
		free(f->hosts[h]->key);
		free(f->hosts[h]);
	}
	for (size_t i = 0; i < f->n_idle; i++)
		curl_easy_cleanup(f->idle[i]);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	free(f->idle);
	free(f->hosts);
	free(f->slots);
	free(f->user_agent);
	free(f->ca_file);
	free(f);
}

/* ---------------------------------------------------------------------------------------------
 * Submitting and starting transfers
 * ------------------------------------------------------------------------------------------- */

enum ch_status fetch_submit(struct fetcher *f, const struct fetch_request *req,
			    struct ch_error *err)
{
	char key[512];
	if (!req || !req->url || !host_key(req->url, key, sizeof key))
		return ch_fail(err, CH_ERR_INVALID, "not an http(s) URL: %s",
			       req && req->url ? req->url : "(none)");
	struct xfer *x = calloc(1, sizeof *x);
	if (!x)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	bool nomem = false;
	x->f = f;
	x->url = dup_or_null(req->url, &nomem);
	x->etag = dup_or_null(req->etag, &nomem);
	x->last_modified = dup_or_null(req->last_modified, &nomem);
	x->previous_hash = req->previous_hash;
	x->user = req->user;
	buf_init(&x->body, f->opt.max_bytes);
	x->host = nomem ? NULL : host_get(f, key);
	if (!x->host) {
		xfer_free(x);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	if (x->host->tail)
		x->host->tail->next = x;
	else
		x->host->head = x;
	x->host->tail = x;
	f->queued++;
	return CH_OK;
}

/* on_body: curl's write callback; appends decoded bytes, stopping at the cap. */
static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;
	enum ch_status s = buf_add(&x->body, p, n);
	if (s == CH_OK)
		return n;
	if (s == CH_ERR_LIMIT)
		x->over_cap = true;
	else
		x->out_of_memory = true;
	return 0; /* anything but n aborts the transfer */
}

/* on_progress: curl's progress callback; stops a transfer whose wire bytes pass the cap. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = ud;
	if (dlnow > 0 && (uint64_t)dlnow > x->f->opt.max_bytes) {
		x->over_cap = true;
		return 1;
	}
	return 0;
}

/* take_handle: a pooled easy handle reset to defaults, or a new one; NULL when out of memory. */
static CURL *take_handle(struct fetcher *f)
{
	if (f->n_idle > 0) {
		CURL *e = f->idle[--f->n_idle];
		curl_easy_reset(e);
		return e;
	}
	return curl_easy_init();
}

/* give_handle: return an easy handle to the pool (or free it when the pool cannot grow). */
static void give_handle(struct fetcher *f, CURL *e)
{
	if (f->n_idle == f->cap_idle) {
		size_t cap = f->cap_idle ? f->cap_idle * 2 : 16;
		CURL **idle = realloc(f->idle, cap * sizeof *idle);
		if (!idle) {
			curl_easy_cleanup(e);
			return;
		}
		f->idle = idle;
		f->cap_idle = cap;
	}
	f->idle[f->n_idle++] = e;
}

/* add_header: append "name: value" to x's request headers when value is set; false when out
 * of memory. Values longer than a line are cut (validators are short). */
static bool add_header(struct xfer *x, const char *name, const char *value)
{
	if (!value)
		return true;
	char line[1024];
	snprintf(line, sizeof line, "%s: %s", name, value);
	struct curl_slist *l = curl_slist_append(x->headers, line);
	if (l)
		x->headers = l;
	return l != NULL;
}

/* configure: set every option of a transfer on its easy handle. */
static bool configure(struct fetcher *f, struct xfer *x, CURL *e)
{
	if (!add_header(x, "If-None-Match", x->etag) ||
	    !add_header(x, "If-Modified-Since", x->last_modified))
		return false;
	bool ok = true;
	ok &= curl_easy_setopt(e, CURLOPT_URL, x->url) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)x) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)f->opt.max_redirects) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->opt.connect_timeout_ms) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->opt.total_timeout_ms) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK; /* all we can decode */
	ok &= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->opt.max_bytes) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEDATA, x) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_XFERINFODATA, x) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_error) == CURLE_OK;
	if (x->headers)
		ok &= curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers) == CURLE_OK;
	if (f->ca_file)
		ok &= curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file) == CURLE_OK;
	return ok;
}

static void finish(struct fetcher *f, struct xfer *x, CURLcode code);

/* start: move x from its host's queue onto the wire. On failure it completes at once with an
 * error, like any other failed request. */
static void start(struct fetcher *f, struct xfer *x)
{
	struct host *h = x->host;
	h->head = x->next;
	if (!h->head)
		h->tail = NULL;
	x->next = NULL;
	f->queued--;
	h->in_flight++;
	f->in_flight++;
	if (f->in_flight > f->max_seen_in_flight)
		f->max_seen_in_flight = f->in_flight;
	if (h->in_flight > f->max_seen_per_host)
		f->max_seen_per_host = h->in_flight;
	x->start_ns = time_mono_ns();
	x->live_next = f->live;
	if (f->live)
		f->live->live_prev = x;
	f->live = x;

	CURL *e = take_handle(f);
	if (!e) {
		x->out_of_memory = true;
		finish(f, x, CURLE_OUT_OF_MEMORY);
		return;
	}
	x->easy = e;
	if (!configure(f, x, e) || curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		x->out_of_memory = true;
		finish(f, x, CURLE_OUT_OF_MEMORY);
	}
}

/* start_ready: start queued requests, taking hosts in turn, while the limits allow. */
static void start_ready(struct fetcher *f)
{
	size_t idle_hosts = 0; /* hosts looked at in a row without starting anything */
	while (f->queued > 0 && f->in_flight < f->opt.max_in_flight && idle_hosts < f->n_hosts) {
		if (f->cursor >= f->n_hosts)
			f->cursor = 0;
		struct host *h = f->hosts[f->cursor++];
		if (h->head && h->in_flight < f->opt.per_host) {
			start(f, h->head);
			idle_hosts = 0;
		} else {
			idle_hosts++;
		}
	}
}

/* ---------------------------------------------------------------------------------------------
 * Completion
 * ------------------------------------------------------------------------------------------- */

/* header_value: the value of the last response's header name, or NULL. Borrowed until the next
 * header lookup on e. */
static const char *header_value(CURL *e, const char *name)
{
	struct curl_header *h = NULL;
	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
		return NULL;
	return h->value;
}

/* Plain words for the libcurl failures a feed reader meets; the rest use curl's own text. */
static const struct {
	CURLcode code;
	const char *words;
} FAILURE_WORDS[] = {
	{ CURLE_TOO_MANY_REDIRECTS, "too many redirects" },
	{ CURLE_COULDNT_RESOLVE_HOST, "host not found" },
	{ CURLE_UNSUPPORTED_PROTOCOL, "redirected to an unsupported URL scheme" },
	{ CURLE_GOT_NOTHING, "empty reply from server" },
	{ CURLE_PARTIAL_FILE, "connection closed before the whole response arrived" },
	{ CURLE_RECV_ERROR, "connection reset" },
	{ CURLE_SEND_ERROR, "connection reset" },
	{ CURLE_BAD_CONTENT_ENCODING, "bad compressed data" },
	{ CURLE_PEER_FAILED_VERIFICATION, "TLS certificate not trusted" },
	{ CURLE_SSL_CONNECT_ERROR, "TLS handshake failed" },
	{ CURLE_WEIRD_SERVER_REPLY, "not an HTTP response" },
};

/* describe_failure: the plain-words error for a transfer that ended with code. */
static void describe_failure(struct fetcher *f, struct xfer *x, CURLcode code, char *out,
			     size_t n)
{
	char amount[64];
	if (x->over_cap || code == CURLE_FILESIZE_EXCEEDED) {
		format_size(amount, sizeof amount, f->opt.max_bytes);
		snprintf(out, n, "response larger than %s", amount);
		return;
	}
	if (x->out_of_memory) {
		snprintf(out, n, "out of memory");
		return;
	}
	long os_errno = 0;
	if (x->easy)
		curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &os_errno);
	switch (code) {
	case CURLE_COULDNT_CONNECT:
		snprintf(out, n, "%s", os_errno == ECONNREFUSED ? "connection refused"
			 : os_errno == ENETUNREACH || os_errno == EHOSTUNREACH ? "host unreachable"
			 : "could not connect");
		return;
	case CURLE_OPERATION_TIMEDOUT: {
		curl_off_t connect_us = 0;
		if (x->easy)
			curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
		bool connected = connect_us > 0;
		format_duration(amount, sizeof amount,
				connected ? f->opt.total_timeout_ms : f->opt.connect_timeout_ms);
		int64_t elapsed_ms = (time_mono_ns() - x->start_ns) / 1000000;
		if (!connected && elapsed_ms < f->opt.total_timeout_ms)
			snprintf(out, n, "could not connect within %s", amount);
		else
			snprintf(out, n, "timed out after %s", amount);
		return;
	}
	default:
		break;
	}
	for (size_t i = 0; i < sizeof FAILURE_WORDS / sizeof FAILURE_WORDS[0]; i++)
		if (FAILURE_WORDS[i].code == code) {
			snprintf(out, n, "%s", FAILURE_WORDS[i].words);
			return;
		}
	snprintf(out, n, "%s%s%s", curl_easy_strerror(code), x->curl_error[0] ? ": " : "",
		 x->curl_error);
}

/* finish: build the result of x, call the callback, and free x (its handle goes back to the
 * pool). Frees a slot on x's host. */
static void finish(struct fetcher *f, struct xfer *x, CURLcode code)
{
	char error[CURL_ERROR_SIZE + 128] = "";
	char *etag = NULL, *last_modified = NULL;
	struct fetch_result r = {
		.user = x->user,
		.url = x->url,
		.final_url = "",
		.status = CH_OK,
		.error = error,
		.etag = "",
		.last_modified = "",
		.content_type = "",
		.retry_after_s = -1,
		.max_age_s = -1,
		.body = &x->body,
	};
	CURL *e = x->easy;
	if (e) {
		char *s = NULL;
		long redirects = 0;
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.http_status);
		curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
		r.redirects = (int)redirects;
		if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s &&
		    r.http_status > 0)
			r.final_url = s;
		s = NULL;
		if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
			r.content_type = s;
		if (header_value(e, "Retry-After")) {
			curl_off_t ra = 0;
			curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra);
			r.retry_after_s = ra;
		}
		r.max_age_s = fetch_parse_max_age(header_value(e, "Cache-Control"));
		bool nomem = false;
		etag = dup_or_null(header_value(e, "ETag"), &nomem);
		last_modified = dup_or_null(header_value(e, "Last-Modified"), &nomem);
	}
	r.elapsed_ms = (time_mono_ns() - x->start_ns) / 1000000;

	if (code != CURLE_OK || x->over_cap || x->out_of_memory) {
		r.status = x->over_cap || code == CURLE_FILESIZE_EXCEEDED ? CH_ERR_LIMIT
			   : x->out_of_memory ? CH_ERR_NOMEM : CH_ERR_NET;
		describe_failure(f, x, code, error, sizeof error);
		buf_reset(&x->body);
	} else if (r.http_status == 304) {
		r.not_modified = r.unchanged = true;
		/* a 304 need not repeat the validators; the caller's still hold */
		r.etag = etag ? etag : x->etag ? x->etag : "";
		r.last_modified = last_modified ? last_modified
				  : x->last_modified ? x->last_modified : "";
	} else if (r.http_status < 200 || r.http_status > 299) {
		r.status = CH_ERR_NET;
		snprintf(error, sizeof error, "HTTP %ld", r.http_status);
	}
	if (r.status == CH_OK && !r.not_modified) {
		r.etag = etag ? etag : "";
		r.last_modified = last_modified ? last_modified : "";
	}
	r.body_hash = x->body.n ? hash_fnv1a64(x->body.p, x->body.n) : 0;
	if (r.status == CH_OK && !r.not_modified && x->previous_hash && r.body_hash == x->previous_hash)
		r.unchanged = true;

	f->done(&r, f->ctx);

	free(etag);
	free(last_modified);
	x->host->in_flight--;
	f->in_flight--;
	if (x->live_prev)
		x->live_prev->live_next = x->live_next;
	else
		f->live = x->live_next;
	if (x->live_next)
		x->live_next->live_prev = x->live_prev;
	if (e) {
		curl_multi_remove_handle(f->multi, e);
		give_handle(f, e);
	}
	xfer_free(x);
}

/* drain: complete every transfer libcurl reports as done. */
static void drain(struct fetcher *f)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct xfer *x = NULL;
		CURLcode code = m->data.result; /* read before m is invalidated by removal */
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			finish(f, x, code);
	}
}

/* ---------------------------------------------------------------------------------------------
 * Driving
 * ------------------------------------------------------------------------------------------- */

/* progress: let libcurl move every transfer along without waiting, complete the finished
 * ones and start what their slots allow. */
static CURLMcode progress(struct fetcher *f)
{
	int running = 0;
	CURLMcode mc = curl_multi_perform(f->multi, &running);
	if (mc == CURLM_OK) {
		drain(f);
		start_ready(f);
	}
	return mc;
}

enum ch_status fetch_step(struct fetcher *f, int timeout_ms, struct ch_error *err)
{
	compact_hosts(f);
	start_ready(f);
	if (f->in_flight == 0)
		return CH_OK;
	CURLMcode mc = progress(f);
	if (mc == CURLM_OK && timeout_ms > 0 && f->in_flight > 0) {
		int fds = 0;
		mc = curl_multi_poll(f->multi, NULL, 0, timeout_ms, &fds);
		if (mc == CURLM_OK)
			mc = progress(f);
	}
	if (mc != CURLM_OK)
		return ch_fail(err, CH_ERR_NET, "libcurl: %s", curl_multi_strerror(mc));
	return CH_OK;
}

enum ch_status fetch_run(struct fetcher *f, struct ch_error *err)
{
	while (fetch_pending(f) > 0) {
		enum ch_status s = fetch_step(f, 1000, err);
		if (s != CH_OK)
			return s;
	}
	return CH_OK;
}

size_t fetch_pending(const struct fetcher *f)
{
	return f->queued + (size_t)f->in_flight;
}

void fetch_stats(const struct fetcher *f, int *max_in_flight, int *max_per_host)
{
	if (max_in_flight)
		*max_in_flight = f->max_seen_in_flight;
	if (max_per_host)
		*max_per_host = f->max_seen_per_host;
}
