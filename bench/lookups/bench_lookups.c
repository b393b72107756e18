/*
 * bench_lookups.c — the lookups the site makes on every page: store_story_trending (kept
 * precomputed since schema 7) and store_related_list, with the trending formula as it was
 * computed per request before (every view of the last 48 hours joined to its story, every
 * story of the window scored and sorted) as the peer, on a connection of its own.
 *
 *   bench_lookups DB [Q] [--no-peer]
 *
 * Opens DB through store_open (so an older database is migrated first; the time is printed),
 * records 5,000 page views over the last day's articles in one store_views_add (as the site's
 * batched view counter does), then runs Q rounds (default 1000), each one trending lookup of
 * 10 stories, one of the peer (unless --no-peer), and one related lookup of a random clustered article, and prints
 * p50/p95/p99/max of each in milliseconds (wall, then the thread's CPU time) and how often the peer's top 10 matched.
 * A benchmark tool linked against libchapar.a (and SQLite, for the peer); not part of the library.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chapar.h"
#include "../common/latency.h"

/* The trending query before schema 7 (src/store/sqlite.c at 6ecfea9), ids only. */
static const char peer_sql[] =
	"WITH heat AS (SELECT a.story_id AS story, sum(v.count * pow(0.5, (?1 - v.hour) / 6.0)) AS h"
	"   FROM views v JOIN articles a ON a.id = v.article_id"
	"   WHERE v.hour >= ?1 - 48 AND a.story_id IS NOT NULL GROUP BY a.story_id),"
	" fresh AS (SELECT id AS story FROM stories WHERE updated >= ?2 - 172800)"
	" SELECT t.id FROM stories t"
	" LEFT JOIN heat ON heat.story = t.id"
	" WHERE t.id IN (SELECT story FROM heat UNION SELECT story FROM fresh)"
	" ORDER BY coalesce(heat.h, 0) + 2.0 * (t.n_sources - 1) * pow(0.5, max(0, ?2 - t.updated) / 43200.0) DESC,"
	" t.updated DESC LIMIT ?3";

enum { TOP = 10, VIEWS = 5000 };

/* peer_top: the peer's top ids into ids (*n of them); its time is returned in seconds. */
static double peer_top(sqlite3_stmt *s, int64_t now, int64_t *ids, size_t *n)
{
	double t0 = seconds();
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, now / 3600);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, TOP);
	*n = 0;
	while (*n < TOP && sqlite3_step(s) == SQLITE_ROW)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	return seconds() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_lookups DB [Q]\n");
		return 2;
	}
	size_t q = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
	q = q ? q : 1;
	bool with_peer = !(argc > 3 && !strcmp(argv[3], "--no-peer"));
	srand(7);
	struct store *st;
	struct ch_error err = { 0 };
	double t0 = seconds();
	if (store_open(argv[1], &st, &err) != CH_OK) {
		fprintf(stderr, "bench_lookups: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	printf("open (with any migration): %.2f s\n", seconds() - t0);
	sqlite3 *peer_db = NULL;
	sqlite3_stmt *peer = NULL;
	if (sqlite3_open_v2(argv[1], &peer_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(peer_db, peer_sql, -1, &peer, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_lookups: peer: %s\n", sqlite3_errmsg(peer_db));
		return 1;
	}
	struct arena a;
	arena_init(&a, 0);
	struct story *newest;
	size_t got = 0;
	if (store_story_list(st, 1, 0, &a, &newest, &got, &err) != CH_OK || got < 1) {
		fprintf(stderr, "bench_lookups: no stories: %s\n", err.msg);
		return 1;
	}
	/* "now" just after the newest clustered article: a store clustered in part is measured at
	 * its frontier, with a full 48-hour window behind it */
	int64_t now = newest[0].updated + 600, last_id = newest[0].lead_article;
	arena_release(&a);
	if (add_random_views(st, last_id, now, VIEWS) != 0)
		return 1;
	double *trend_cpu = calloc(q, sizeof *trend_cpu), *rel_cpu = calloc(q, sizeof *rel_cpu);
	double *trend = calloc(q, sizeof *trend), *old = calloc(q, sizeof *old), *rel = calloc(q, sizeof *rel);
	if (!trend || !old || !rel || !trend_cpu || !rel_cpu)
		return 1;
	size_t trend_rows = 0, old_rows = 0, rel_rows = 0, same_top = 0, same_first = 0;
	for (size_t i = 0; i < q; i++) {
		struct story *stories;
		struct article *arts;
		size_t n = 0, pn = 0;
		int64_t pids[TOP];
		arena_init(&a, 0);
		t0 = seconds();
		double c0 = thread_cpu_seconds();
		if (store_story_trending(st, now, TOP, &a, &stories, &n, &err) != CH_OK)
			fprintf(stderr, "bench_lookups: trending: %s\n", err.msg);
		trend[i] = seconds() - t0;
		trend_cpu[i] = thread_cpu_seconds() - c0;
		trend_rows += n;
		old[i] = with_peer ? peer_top(peer, now, pids, &pn) : 0;
		old_rows += pn;
		bool same = with_peer && n == pn;
		for (size_t k = 0; same && k < n; k++)
			same = stories[k].id == pids[k];
		same_top += same;
		same_first += with_peer && n && pn && stories[0].id == pids[0];
		arena_release(&a);
		arena_init(&a, 0);
		int64_t id = 1 + rand() % last_id; /* clustered articles have their related kept */
		t0 = seconds();
		c0 = thread_cpu_seconds();
		if (store_related_list(st, id, 6, &a, &arts, &n, &err) != CH_OK)
			fprintf(stderr, "bench_lookups: related: %s\n", err.msg);
		rel[i] = seconds() - t0;
		rel_cpu[i] = thread_cpu_seconds() - c0;
		rel_rows += n;
		arena_release(&a);
		now += 1; /* each round a second later */
	}
	latency_report("trending", trend, q, trend_rows);
	if (with_peer)
		latency_report("peer", old, q, old_rows);
	latency_report("related", rel, q, rel_rows);
	latency_report("trend-cpu", trend_cpu, q, trend_rows);
	latency_report("rel-cpu", rel_cpu, q, rel_rows);
	if (with_peer)
		printf("trending vs peer: same top %d in %zu of %zu rounds, same first in %zu\n", TOP, same_top, q,
	       same_first);
	sqlite3_finalize(peer);
	sqlite3_close(peer_db);
	store_close(st);
	free(trend);
	free(old);
	free(rel);
	free(trend_cpu);
	free(rel_cpu);
	return 0;
}
