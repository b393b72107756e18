/*
 * bench_fetch.c — how many feeds a minute chapar's fetcher pulls from the fixture server
 * (tests/fixtures/fixture_server.py) on 127.0.0.1, spread over fake hosts h0.localhost …
 * h<H-1>.localhost (libcurl resolves *.localhost to loopback itself, so every host is the same
 * server but a different Host header and connection pool). Prints one line of figures.
 * Built and run by bench/fetch/run.sh; the server's own per-host counts are read there.
 *
 * usage: bench_fetch PORT FEEDS HOSTS DELAY_S [PER_HOST [IN_FLIGHT]]
 *        bench_fetch --urls PORT FEEDS HOSTS DELAY_S   (print the URL list, for the peer)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "feed/fetch.h"

struct tally {
	long ok, failed, bytes;
	char first_error[256];
};

/* count: the completion callback; tallies outcomes. */
static void count(struct fetch_result *r, void *ctx)
{
	struct tally *t = ctx;
	if (r->status == CH_OK && r->http_status == 200 && r->body->n > 0) {
		t->ok++;
		t->bytes += (long)r->body->n;
	} else {
		if (!t->failed)
			snprintf(t->first_error, sizeof t->first_error, "%s: %s", r->url, r->error);
		t->failed++;
	}
}

/* feed_url: the i-th feed's URL; host i % hosts, so every host gets its share in turn. */
static void feed_url(char *out, size_t n, int port, int i, int hosts, const char *delay)
{
	snprintf(out, n, "http://h%d.localhost:%d/feed/b%d?delay=%s", i % hosts, port, i, delay);
}

/* cpu_seconds: user + system CPU time of this process so far. */
static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	bool urls_only = argc > 1 && strcmp(argv[1], "--urls") == 0;
	if (urls_only) {
		argv++;
		argc--;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: bench_fetch [--urls] PORT FEEDS HOSTS DELAY_S [PER_HOST [IN_FLIGHT]]\n");
		return 2;
	}
	int port = atoi(argv[1]), feeds = atoi(argv[2]), hosts = atoi(argv[3]);
	const char *delay = argv[4];
	char url[256];
	if (urls_only) {
		for (int i = 0; i < feeds; i++) {
			feed_url(url, sizeof url, port, i, hosts, delay);
			printf("url = \"%s\"\noutput = \"/dev/null\"\n", url);
		}
		return 0;
	}
	struct fetch_options o;
	fetch_options_default(&o);
	if (argc > 5)
		o.per_host = atoi(argv[5]);
	if (argc > 6)
		o.max_in_flight = atoi(argv[6]);

	struct tally t = { 0 };
	struct fetcher *f = NULL;
	struct ch_error err;
	if (fetch_new(&o, count, &t, &f, &err) != CH_OK) {
		fprintf(stderr, "bench_fetch: %s\n", err.msg);
		return 1;
	}
	double cpu0 = cpu_seconds();
	int64_t t0 = time_mono_ns();
	for (int i = 0; i < feeds; i++) {
		feed_url(url, sizeof url, port, i, hosts, delay);
		if (fetch_submit(f, &(struct fetch_request){ .url = url }, &err) != CH_OK) {
			fprintf(stderr, "bench_fetch: %s\n", err.msg);
			return 1;
		}
	}
	if (fetch_run(f, &err) != CH_OK) {
		fprintf(stderr, "bench_fetch: %s\n", err.msg);
		return 1;
	}
	double wall = (double)(time_mono_ns() - t0) / 1e9;
	double cpu = cpu_seconds() - cpu0;
	int max_in_flight = 0, max_per_host = 0;
	fetch_stats(f, &max_in_flight, &max_per_host);
	fetch_free(f);
	printf("chapar feeds=%d hosts=%d delay=%ss per_host=%d in_flight=%d ok=%ld failed=%ld "
	       "wall=%.2fs feeds_per_min=%.0f client_cpu=%.2fs feeds_per_cpu_s=%.0f "
	       "client_max_in_flight=%d client_max_per_host=%d\n",
	       feeds, hosts, delay, o.per_host, o.max_in_flight, t.ok, t.failed, wall,
	       feeds / wall * 60.0, cpu, cpu > 0 ? feeds / cpu : 0.0, max_in_flight, max_per_host);
	if (t.failed)
		fprintf(stderr, "first failure: %s\n", t.first_error);
	return t.failed ? 1 : 0;
}
