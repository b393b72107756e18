/*
 * Tests for src/feed/fetch.c over HTTPS: the fixture server serves TLS with a throw-away
 * self-signed certificate for tls.localhost (made with the openssl tool at test time). With
 * that certificate as ca_file the fetch succeeds; with the system's store it fails with words a
 * user understands. 127.0.0.1 only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feed/fetch.h"
#include "../../fixtures/fixture_spawn.h"

static struct fixture tls_server;
static char dir[] = "/tmp/chapar-tls-XXXXXX";
static char cert[64], key[64];

/* outcome: what the one request of a run ended with. */
struct outcome {
	int calls;
	enum ch_status status;
	long http;
	char error[256];
	size_t body_len;
};

/* keep: the completion callback; ctx is a struct outcome. */
static void keep(struct fetch_result *r, void *ctx)
{
	struct outcome *o = ctx;
	o->calls++;
	o->status = r->status;
	o->http = r->http_status;
	o->body_len = r->body->n;
	snprintf(o->error, sizeof o->error, "%s", r->error);
}

/* setup: make a certificate and start the server with it (skips when openssl is missing). */
static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout %s -out %s -days 2 -subj /CN=tls.localhost "
		 "-addext subjectAltName=DNS:tls.localhost >/dev/null 2>&1",
		 key, cert);
	if (system(cmd) != 0)
		return -1;
	return fixture_start_tls(&tls_server, CHAPAR_SRC_DIR, cert, key);
}

/* teardown: stop the server and remove the certificate. */
static int teardown(void **state)
{
	(void)state;
	fixture_stop(&tls_server);
	unlink(cert);
	unlink(key);
	rmdir(dir);
	return 0;
}

/* fetch_once: GET path on tls.localhost with ca (NULL: the system's store). */
static struct outcome fetch_once(const char *path, const char *ca)
{
	struct outcome o = { 0 };
	struct fetch_options opt;
	fetch_options_default(&opt);
	opt.total_timeout_ms = 5000;
	opt.ca_file = ca;
	struct fetcher *f = NULL;
	assert_int_equal(fetch_new(&opt, keep, &o, &f, NULL), CH_OK);
	char u[256];
	snprintf(u, sizeof u, "https://tls.localhost:%d%s", tls_server.port, path);
	assert_int_equal(fetch_submit(f, &(struct fetch_request){ .url = u }, NULL), CH_OK);
	assert_int_equal(fetch_run(f, NULL), CH_OK);
	fetch_free(f);
	assert_int_equal(o.calls, 1);
	return o;
}

static void test_https_with_trusted_ca(void **state)
{
	(void)state;
	struct outcome o = fetch_once("/feed/secure", cert);
	assert_int_equal(o.status, CH_OK);
	assert_int_equal(o.http, 200);
	assert_true(o.body_len > 100);
	o = fetch_once("/feed/secure?gzip=1", cert);
	assert_int_equal(o.status, CH_OK);
	o = fetch_once("/bomb?mb=16", cert);
	assert_string_equal(o.error, "response larger than 10 MiB");
}

static void test_https_untrusted(void **state)
{
	(void)state;
	struct outcome o = fetch_once("/feed/secure", NULL);
	assert_int_equal(o.status, CH_ERR_NET);
	assert_string_equal(o.error, "TLS certificate not trusted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_https_with_trusted_ca),
		cmocka_unit_test(test_https_untrusted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
