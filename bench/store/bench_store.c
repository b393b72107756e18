/*
 * bench_store.c — the store's work after a load: story clustering with related articles
 * (rank_assign_all: signatures, stories, related) timed as one stage, then the page-view
 * lookups the site makes on every request: store_story_trending and store_related_list.
 *
 *   bench_store DB [--assign] [--lookups Q]
 *
 * --assign runs rank_assign_all over every article without a story and prints
 *   assign: N articles in S s = R articles/s
 * --lookups Q (default 1000) records a few thousand page views over the last day's articles
 * (as the site's batched view counter would), then times Q trending lookups and Q related
 * lookups of random articles, printing p50/p95/p99 of each in milliseconds.
 * A benchmark tool linked against libchapar.a; not part of the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chapar.h"
#include "../common/latency.h"

/* lookups: time q trending and q related lookups (interleaved). */
static int lookups(struct store *st, size_t q)
{
	struct ch_error err = { 0 };
	int64_t count = 0;
	struct arena a;
	arena_init(&a, 0);
	struct story *newest;
	size_t got = 0;
	if (store_article_count(st, &count, &err) != CH_OK || count < 1 ||
	    store_story_list(st, 1, 0, &a, &newest, &got, &err) != CH_OK || got < 1) {
		fprintf(stderr, "bench_store: no stories: %s\n", err.msg);
		return -1;
	}
	/* "now" is just after the newest clustered article, so a store clustered only in part
	 * (a long rank_assign_all stopped early) is measured at its frontier */
	int64_t now = newest[0].updated + 600, last_id = newest[0].lead_article;
	arena_release(&a);
	if (add_random_views(st, last_id, now, 5000) != 0)
		return -1;
	double *trend = calloc(q, sizeof *trend), *rel = calloc(q, sizeof *rel);
	if (!trend || !rel)
		return -1;
	size_t trend_rows = 0, rel_rows = 0;
	for (size_t i = 0; i < q; i++) {
		struct story *stories;
		struct article *arts;
		size_t n = 0;
		arena_init(&a, 0);
		double t0 = seconds();
		if (store_story_trending(st, now, 10, &a, &stories, &n, &err) != CH_OK)
			fprintf(stderr, "bench_store: trending: %s\n", err.msg);
		trend[i] = seconds() - t0;
		trend_rows += n;
		arena_release(&a);
		arena_init(&a, 0);
		int64_t id = 1 + rand() % last_id; /* clustered articles have their related kept */
		t0 = seconds();
		if (store_related_list(st, id, 6, &a, &arts, &n, &err) != CH_OK)
			fprintf(stderr, "bench_store: related: %s\n", err.msg);
		rel[i] = seconds() - t0;
		rel_rows += n;
		arena_release(&a);
	}
	latency_report("trending", trend, q, trend_rows);
	latency_report("related", rel, q, rel_rows);
	free(trend);
	free(rel);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_store DB [--assign] [--lookups Q]\n");
		return 2;
	}
	bool assign = false;
	size_t q = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--assign"))
			assign = true;
		else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
			q = strtoul(argv[++i], NULL, 10);
	}
	srand(7);
	struct store *st;
	struct ch_error err = { 0 };
	if (store_open(argv[1], &st, &err) != CH_OK) {
		fprintf(stderr, "bench_store: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	int rc = 0;
	if (assign) {
		size_t n = 0;
		double t0 = seconds();
		if (rank_assign_all(st, &n, &err) != CH_OK) {
			fprintf(stderr, "bench_store: assign: %s\n", err.msg);
			rc = 1;
		}
		double took = seconds() - t0;
		printf("assign: %zu articles in %.1f s = %.0f articles/s\n", n, took, n / (took > 0 ? took : 1));
	}
	if (rc == 0 && q && lookups(st, q) != 0)
		rc = 1;
	store_close(st);
	return rc;
}
