/*
 * Tests for src/feed/fetch.c against the fault-injecting fixture server
 * (tests/fixtures/fixture_server.py) on 127.0.0.1. Several fake hosts (h0.localhost,
 * h1.localhost, ...) all reach the one server; libcurl resolves *.localhost to loopback itself.
 * Each fault must end that request alone with the right words, every other request must
 * succeed, and the server must never see more than per_host requests or connections per host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feed/fetch.h"
#include "../../fixtures/fixture_spawn.h"


/* What one callback saw, copied out of the borrowed result. */
struct seen {
	int calls;
	enum ch_status status;
	long http;
	char error[256], etag[128], last_modified[64], content_type[128], final_url[512];
	bool not_modified, unchanged;
	int64_t retry_after, max_age;
	size_t body_len;
	char body_head[256];
	uint64_t hash;
	int redirects;
};

#define MAX_SEEN 512
static struct seen seen[MAX_SEEN];
static char stats_body[16384]; /* the whole body of the last /_stats answer */

/* record: the completion callback; user is an index into seen[]. */
static void record(struct fetch_result *r, void *ctx)
{
	(void)ctx;
	struct seen *s = &seen[(intptr_t)r->user];
	s->calls++;
	s->status = r->status;
	s->http = r->http_status;
	snprintf(s->error, sizeof s->error, "%s", r->error);
	snprintf(s->etag, sizeof s->etag, "%s", r->etag);
	snprintf(s->last_modified, sizeof s->last_modified, "%s", r->last_modified);
	snprintf(s->content_type, sizeof s->content_type, "%s", r->content_type);
	snprintf(s->final_url, sizeof s->final_url, "%s", r->final_url);
	s->not_modified = r->not_modified;
	s->unchanged = r->unchanged;
	s->retry_after = r->retry_after_s;
	s->max_age = r->max_age_s;
	s->body_len = r->body->n;
	snprintf(s->body_head, sizeof s->body_head, "%.*s", (int)(r->body->n < 200 ? r->body->n : 200),
		 r->body->n ? r->body->p : "");
	s->hash = r->body_hash;
	if ((intptr_t)r->user == MAX_SEEN - 1)
		snprintf(stats_body, sizeof stats_body, "%.*s", (int)r->body->n,
			 r->body->n ? r->body->p : "");
	s->redirects = r->redirects;
}

/* url: "http://<host>:<port><path>" in a static rotating buffer. */
static const char *url(const char *host, const char *path)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, 512, "http://%s:%d%s", host, server.port, path);
	return b;
}

/* submit: queue u with the given validators; user is the index id into seen[]. */
static void submit(struct fetcher *f, int id, const char *u, const char *etag, const char *lm,
		   uint64_t prev)
{
	struct ch_error err;
	struct fetch_request rq = { .url = u, .etag = etag, .last_modified = lm,
				    .previous_hash = prev, .user = (void *)(intptr_t)id };
	assert_int_equal(fetch_submit(f, &rq, &err), CH_OK);
}

/* new_fetcher: default options but the given total timeout and cap (connect: 2 s). */
static struct fetcher *new_fetcher(long total_ms, size_t max_bytes)
{
	struct fetch_options o;
	fetch_options_default(&o);
	o.total_timeout_ms = total_ms;
	o.connect_timeout_ms = 2000;
	o.max_bytes = max_bytes;
	struct fetcher *f = NULL;
	struct ch_error err;
	assert_int_equal(fetch_new(&o, record, NULL, &f, &err), CH_OK);
	return f;
}

/* server_stat_max: the largest per-host figure of kind ("max_active"/"max_conns") the server
 * recorded, fetched with a fetcher of its own. */
static int server_stat_max(const char *kind)
{
	memset(&seen[MAX_SEEN - 1], 0, sizeof seen[0]);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	submit(f, MAX_SEEN - 1, url("127.0.0.1", "/_stats"), NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
	if (getenv("FETCH_TEST_VERBOSE"))
		fprintf(stderr, "server stats: %s\n", stats_body);
	const char *p = strstr(stats_body, kind);
	assert_non_null(p);
	if (p[strlen(kind) + 3] != '{') /* a plain number: "requests": 219 */
		return atoi(p + strlen(kind) + 3);
	p = strchr(p, '{');
	int best = 0;
	while (p && *p && *p != '}') {
		const char *colon = strstr(p, "\": "); /* host keys hold a colon too */
		if (!colon)
			break;
		int v = atoi(colon + 3);
		if (v > best)
			best = v;
		p = strchr(colon, ',');
	}
	assert_true(best >= 1); /* the server saw at least one request: the parse worked */
	return best;
}

/* reset_server_stats: clear the server's counts before a measured run. */
static void reset_server_stats(void)
{
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	submit(f, MAX_SEEN - 1, url("127.0.0.1", "/_reset"), NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
}

enum { N_FEEDS = 200, N_HOSTS = 10 };
enum {
	F_500 = N_FEEDS, F_503, F_REFUSED, F_TIMEOUT, F_DRIP, F_BIG, F_BIG_CHUNKED, F_BOMB, F_LOOP,
	F_WRONGTYPE, F_INVALID, F_CP1256, F_404, F_EMPTY, F_END
};

/* Every fault at once, among 200 good feeds on 10 hosts: each fault fails alone. */
static void test_faults_are_isolated(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	reset_server_stats();
	struct fetcher *f = new_fetcher(2000, 1 << 20);
	char host[64], path[64];
	for (int i = 0; i < N_FEEDS; i++) {
		snprintf(host, sizeof host, "h%d.localhost", i % N_HOSTS);
		snprintf(path, sizeof path, "/feed/f%d", i);
		submit(f, i, url(host, path), NULL, NULL, 0);
	}
	char refused[128];
	snprintf(refused, sizeof refused, "http://127.0.0.1:%d/feed/x", fixture_closed_port());
	submit(f, F_500, url("bad.localhost", "/status/500"), NULL, NULL, 0);
	submit(f, F_503, url("bad.localhost", "/status/503?retry_after=120"), NULL, NULL, 0);
	submit(f, F_REFUSED, refused, NULL, NULL, 0);
	submit(f, F_TIMEOUT, url("slow.localhost", "/sleep?s=8"), NULL, NULL, 0);
	submit(f, F_DRIP, url("drip.localhost", "/drip?n=100&every=0.1"), NULL, NULL, 0);
	submit(f, F_BIG, url("big.localhost", "/big?bytes=2097152"), NULL, NULL, 0);
	submit(f, F_BIG_CHUNKED, url("big.localhost", "/big?bytes=2097152&nolen=1"), NULL, NULL, 0);
	submit(f, F_BOMB, url("bomb.localhost", "/bomb?mb=16"), NULL, NULL, 0);
	submit(f, F_LOOP, url("loop.localhost", "/loop"), NULL, NULL, 0);
	submit(f, F_WRONGTYPE, url("odd.localhost", "/wrongtype"), NULL, NULL, 0);
	submit(f, F_INVALID, url("odd.localhost", "/invalid"), NULL, NULL, 0);
	submit(f, F_CP1256, url("odd2.localhost", "/cp1256"), NULL, NULL, 0);
	submit(f, F_404, url("odd2.localhost", "/nothing-here"), NULL, NULL, 0);
	submit(f, F_EMPTY, url("odd3.localhost", "/empty"), NULL, NULL, 0);
	assert_int_equal(fetch_pending(f), F_END);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	assert_int_equal(fetch_pending(f), 0);
	int max_in_flight = 0, max_per_host = 0;
	fetch_stats(f, &max_in_flight, &max_per_host);
	fetch_free(f);

	for (int i = 0; i < F_END; i++)
		assert_int_equal(seen[i].calls, 1);
	for (int i = 0; i < N_FEEDS; i++) {
		assert_int_equal(seen[i].status, CH_OK);
		assert_int_equal(seen[i].http, 200);
		assert_non_null(strstr(seen[i].body_head, "<rss"));
		assert_true(seen[i].etag[0] == '"');
		assert_string_equal(seen[i].last_modified, "Sat, 28 Nov 2026 10:00:00 GMT");
		assert_non_null(strstr(seen[i].content_type, "rss+xml"));
		assert_int_equal(seen[i].retry_after, -1);
		assert_int_not_equal(seen[i].hash, 0);
	}
	assert_string_equal(seen[F_500].error, "HTTP 500");
	assert_int_equal(seen[F_500].status, CH_ERR_NET);
	assert_string_equal(seen[F_503].error, "HTTP 503");
	assert_int_equal(seen[F_503].retry_after, 120);
	assert_string_equal(seen[F_REFUSED].error, "connection refused");
	assert_string_equal(seen[F_TIMEOUT].error, "timed out after 2 s");
	assert_string_equal(seen[F_DRIP].error, "timed out after 2 s");
	assert_string_equal(seen[F_BIG].error, "response larger than 1 MiB");
	assert_int_equal(seen[F_BIG].status, CH_ERR_LIMIT);
	assert_string_equal(seen[F_BIG_CHUNKED].error, "response larger than 1 MiB");
	assert_string_equal(seen[F_BOMB].error, "response larger than 1 MiB");
	assert_int_equal(seen[F_BOMB].body_len, 0);
	assert_string_equal(seen[F_LOOP].error, "too many redirects");
	/* the fetcher delivers these intact; judging them is the parser's job */
	assert_int_equal(seen[F_WRONGTYPE].status, CH_OK);
	assert_string_equal(seen[F_WRONGTYPE].content_type, "image/png");
	assert_int_equal(seen[F_INVALID].status, CH_OK);
	assert_int_equal(seen[F_CP1256].status, CH_OK);
	assert_non_null(strstr(seen[F_CP1256].body_head, "windows-1256"));
	assert_string_equal(seen[F_404].error, "HTTP 404");
	assert_int_equal(seen[F_EMPTY].status, CH_OK);
	assert_int_equal(seen[F_EMPTY].body_len, 0);
	assert_int_equal(seen[F_EMPTY].hash, 0);

	assert_true(max_in_flight <= FETCH_DEFAULT_MAX_IN_FLIGHT);
	assert_true(max_per_host <= FETCH_DEFAULT_PER_HOST);
	assert_true(max_per_host >= 1);
	/* the real check: what the server saw, per Host header */
	assert_true(server_stat_max("\"max_active") <= FETCH_DEFAULT_PER_HOST);
	assert_true(server_stat_max("\"max_conns") <= FETCH_DEFAULT_PER_HOST);
	/* keep-alive: the 200 feeds on 10 hosts went over a handful of connections */
	int requests = server_stat_max("\"requests"), connections = server_stat_max("\"connections");
	assert_true(requests >= F_END - 1);
	assert_true(connections * 4 < requests);
}

/* The defaults speak in the default units. */
static void test_default_cap_words(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = NULL;
	assert_int_equal(fetch_new(NULL, record, NULL, &f, NULL), CH_OK);
	submit(f, 0, url("cap.localhost", "/big?bytes=11534336"), NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
	assert_string_equal(seen[0].error, "response larger than 10 MiB");
	assert_int_equal(seen[0].status, CH_ERR_LIMIT);
}

/* ETag and Last-Modified give 304s; the body hash catches an unchanged 200. */
static void test_conditional_get(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	submit(f, 0, url("c.localhost", "/feed/cond?maxage=300"), NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	assert_int_equal(seen[0].http, 200);
	assert_int_equal(seen[0].max_age, 300);
	assert_false(seen[0].unchanged);
	char etag[128];
	snprintf(etag, sizeof etag, "%s", seen[0].etag);

	submit(f, 1, url("c.localhost", "/feed/cond"), etag, NULL, 0);
	submit(f, 2, url("c.localhost", "/feed/cond"), NULL, seen[0].last_modified, 0);
	submit(f, 3, url("c.localhost", "/feed/cond"), "\"stale\"", NULL, seen[0].hash);
	submit(f, 4, url("c.localhost", "/feed/cond"), "\"stale\"", NULL, seen[0].hash + 1);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);

	assert_int_equal(seen[1].http, 304);
	assert_int_equal(seen[1].status, CH_OK);
	assert_true(seen[1].not_modified && seen[1].unchanged);
	assert_string_equal(seen[1].etag, etag);
	assert_int_equal(seen[1].body_len, 0);
	assert_int_equal(seen[2].http, 304);
	assert_true(seen[2].not_modified);
	assert_int_equal(seen[3].http, 200);
	assert_false(seen[3].not_modified);
	assert_true(seen[3].unchanged);
	assert_int_equal(seen[4].http, 200);
	assert_false(seen[4].unchanged);
}

/* gzip bodies arrive decoded; redirects are followed up to the limit and reported. */
static void test_gzip_and_redirects(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	submit(f, 0, url("g.localhost", "/feed/z"), NULL, NULL, 0);
	submit(f, 1, url("g.localhost", "/feed/z?gzip=1"), NULL, NULL, 0);
	submit(f, 2, url("r.localhost", "/redirect?n=3"), NULL, NULL, 0);
	submit(f, 3, url("r.localhost", "/redirect?n=6"), NULL, NULL, 0);
	submit(f, 4, url("r.localhost", "/ua"), NULL, NULL, 0);
	submit(f, 5, url("r.localhost", "/status/429?retry_after=Fri,%2001%20Jan%202100%2000:00:00%20GMT"),
	       NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
	assert_int_equal(seen[1].status, CH_OK);
	assert_int_equal(seen[1].body_len, seen[0].body_len);
	assert_true(seen[1].hash == seen[0].hash);
	assert_int_equal(seen[2].status, CH_OK);
	assert_int_equal(seen[2].redirects, 3);
	assert_non_null(strstr(seen[2].final_url, "/feed/redirected"));
	assert_string_equal(seen[3].error, "too many redirects");
	assert_true(strncmp(seen[4].body_head, "chapar/", 7) == 0);
	assert_non_null(strstr(seen[4].body_head, "(+https://github.com/chapar)"));
	/* Retry-After as an HTTP date becomes seconds from now */
	assert_string_equal(seen[5].error, "HTTP 429");
	assert_true(seen[5].retry_after > 60LL * 365 * 86400);
}

/* fetch_step(…, 0) never blocks; a scheduler can interleave it with other work. */
static void test_step_does_not_block(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	submit(f, 0, url("s.localhost", "/sleep?s=0.3"), NULL, NULL, 0);
	int64_t t0 = time_mono_ns();
	assert_int_equal(fetch_step(f, 0, NULL), CH_OK);
	assert_true(time_mono_ns() - t0 < 200 * 1000000LL);
	int steps = 0;
	while (fetch_pending(f) > 0) {
		assert_int_equal(fetch_step(f, 0, NULL), CH_OK);
		usleep(1000);
		steps++;
	}
	assert_true(steps > 10);
	assert_int_equal(seen[0].status, CH_OK);
	fetch_free(f);
}

static struct fetcher *follow_fetcher; /* the fetcher follow_up submits to */

/* follow_up: a callback that submits a second request from inside the first's completion. */
static void follow_up(struct fetch_result *r, void *ctx)
{
	record(r, ctx);
	if ((intptr_t)r->user == 0) {
		struct fetch_request rq = { .url = url("f.localhost", "/feed/second"),
					    .user = (void *)(intptr_t)1 };
		assert_int_equal(fetch_submit(follow_fetcher, &rq, NULL), CH_OK);
	}
}

/* Callbacks may submit more work; fetch_run waits for it too. */
static void test_submit_from_callback(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	assert_int_equal(fetch_new(NULL, follow_up, NULL, &follow_fetcher, NULL), CH_OK);
	submit(follow_fetcher, 0, url("f.localhost", "/feed/first"), NULL, NULL, 0);
	assert_int_equal(fetch_run(follow_fetcher, NULL), CH_OK);
	fetch_free(follow_fetcher);
	assert_int_equal(seen[0].calls, 1);
	assert_int_equal(seen[1].calls, 1);
	assert_int_equal(seen[1].status, CH_OK);
	assert_non_null(strstr(seen[1].body_head, "second"));
}

/* Thousands of distinct hosts: idle ones are forgotten along the way and nothing is lost. */
static void test_many_hosts(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	int closed = fixture_closed_port();
	char u[128];
	for (int round = 0; round < 3; round++) {
		/* 1,100 hosts per round, all refused at once (nothing listens): fast, no traffic */
		for (int i = 0; i < 1100; i++) {
			snprintf(u, sizeof u, "http://r%d-%d.localhost:%d/", round, i, closed);
			submit(f, i % 400, u, NULL, NULL, 0);
		}
		assert_int_equal(fetch_run(f, NULL), CH_OK);
	}
	/* a host seen before compaction still works after it */
	submit(f, 450, url("h0.localhost", "/feed/after"), NULL, NULL, 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
	int calls = 0;
	for (int i = 0; i < 400; i++) {
		calls += seen[i].calls;
		assert_string_equal(seen[i].error, "connection refused");
	}
	assert_int_equal(calls, 3300);
	assert_int_equal(seen[450].status, CH_OK);
}

/* A bad URL is refused at submit and never reaches the callback. */
static void test_bad_url(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	struct ch_error err;
	struct fetch_request rq = { .url = "ftp://example.invalid/x" };
	assert_int_equal(fetch_submit(f, &rq, &err), CH_ERR_INVALID);
	rq.url = "not a url";
	assert_int_equal(fetch_submit(f, &rq, &err), CH_ERR_INVALID);
	assert_int_equal(fetch_pending(f), 0);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	assert_int_equal(seen[0].calls, 0);
	fetch_free(f);
}

/* Freeing a fetcher with requests queued and in flight frees everything, with no callbacks. */
static void test_free_while_busy(void **state)
{
	(void)state;
	memset(seen, 0, sizeof seen);
	struct fetcher *f = new_fetcher(5000, 1 << 20);
	for (int i = 0; i < 6; i++)
		submit(f, i, url("busy.localhost", "/sleep?s=2"), NULL, NULL, 0);
	assert_int_equal(fetch_step(f, 50, NULL), CH_OK);
	assert_int_equal(fetch_pending(f), 6);
	fetch_free(f);
	for (int i = 0; i < 6; i++)
		assert_int_equal(seen[i].calls, 0);
}

/* max-age is read from Cache-Control wherever it stands, and only as its own directive. */
static void test_parse_max_age(void **state)
{
	(void)state;
	assert_int_equal(fetch_parse_max_age("max-age=300"), 300);
	assert_int_equal(fetch_parse_max_age("public, max-age=60, must-revalidate"), 60);
	assert_int_equal(fetch_parse_max_age("s-maxage=10"), -1);
	assert_int_equal(fetch_parse_max_age("s-max-age=10, MAX-AGE = 7"), 7);
	assert_int_equal(fetch_parse_max_age("no-cache"), -1);
	assert_int_equal(fetch_parse_max_age("max-age=\"90\""), 90);
	assert_int_equal(fetch_parse_max_age(NULL), -1);
	assert_int_equal(fetch_parse_max_age("max-age=x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_max_age),
		cmocka_unit_test(test_faults_are_isolated),
		cmocka_unit_test(test_default_cap_words),
		cmocka_unit_test(test_conditional_get),
		cmocka_unit_test(test_gzip_and_redirects),
		cmocka_unit_test(test_step_does_not_block),
		cmocka_unit_test(test_submit_from_callback),
		cmocka_unit_test(test_many_hosts),
		cmocka_unit_test(test_bad_url),
		cmocka_unit_test(test_free_while_busy),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
