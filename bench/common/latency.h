/*
 * latency.h — what the lookup benchmarks share (bench/store/bench_store.c,
 * bench/lookups/bench_lookups.c): clocks, a percentile report of measured latencies, and a
 * batch of page views like the site's view counter writes. Header-only, static functions, so
 * each benchmark stays one file compiled by its run.sh; not part of libchapar.
 */
#ifndef CHAPAR_BENCH_LATENCY_H
#define CHAPAR_BENCH_LATENCY_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "chapar.h"

/* seconds: a monotonic clock in seconds. */
static inline double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* thread_cpu_seconds: this thread's CPU time in seconds (a lookup's own work, without the time
 * a busy machine kept it waiting). */
static inline double thread_cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* latency_order: qsort order of doubles, ascending. */
static inline int latency_order(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* latency_report: sort the q latencies t (seconds) and print their percentiles in ms, with the
 * rows the lookups returned. */
static inline void latency_report(const char *name, double *t, size_t q, size_t rows)
{
	qsort(t, q, sizeof *t, latency_order);
	printf("%-9s p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (%zu lookups, %zu rows)\n", name,
	       t[q / 2] * 1e3, t[q * 95 / 100] * 1e3, t[q * 99 / 100] * 1e3, t[q - 1] * 1e3, q, rows);
}

/* add_random_views: n page views of random articles among roughly the last day's (the 20,000
 * ids up to last_id), at random times of the day before now, in one store_views_add. Prints
 * the time it took; returns 0, or -1 with the error on stderr. */
static inline int add_random_views(struct store *st, int64_t last_id, int64_t now, size_t n)
{
	struct view_count *v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return -1;
	int64_t first = last_id > 20000 ? last_id - 20000 : 1;
	for (size_t i = 0; i < n; i++) {
		v[i].article_id = first + rand() % (last_id - first + 1);
		v[i].at = now - rand() % 86400;
		v[i].count = 1 + rand() % 20;
	}
	struct ch_error err = { 0 };
	double t0 = seconds();
	enum ch_status r = store_views_add(st, v, n, &err);
	printf("views: %zu in one store_views_add: %.1f ms\n", n, (seconds() - t0) * 1e3);
	free(v);
	if (r != CH_OK)
		fprintf(stderr, "views: %s\n", err.msg);
	return r == CH_OK ? 0 : -1;
}

#endif
