/*
 * bench_search.c — search latency on a chapar database: store_search (recency windows, stop
 * words dropped, snippets for the page only) against the peer, the single statement chapar used
 * before (bm25 weighted by recency over every match, snippet computed for every match, ORDER BY
 * score LIMIT 20; each word quoted, none dropped), interleaved query by query on one database.
 *
 *   bench_search DB QUERIES [N] [--no-peer]
 *
 * Prints p50/p95/p99/max in ms for each (wall, and chapar's own CPU time: the machine is
 * shared), hit counts, and how far chapar's page agrees with the peer's (same top hit; share
 * of the peer's top 20 that chapar's page holds). With DUMP=FILE each query's page (ids, then
 * the snippets) is written to FILE, to compare two builds' results; with MMAP=1 the store's
 * connection maps 2 GB of the file (SQLite's cap) instead of fts.c's 1 GB.
 * A benchmark tool linked against libchapar.a; it reaches the store's internals only to run
 * the peer's SQL through the same tokenizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chapar.h"
#include "store/sqlite_internal.h"

#define PAGE 20
#define MAX_QUERIES 100000
#define NOW 1767225600 /* 2026-01-01, just after the generated year */

static const char peer_sql[] =
	"SELECT a.id, snippet(articles_fts, -1, char(1), char(2), '…', 24),"
	" bm25(articles_fts, 4.0, 2.0, 1.0) / (1.0 + max(0, ?2 - a.published) / 604800.0) AS score"
	" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
	" JOIN sources s ON s.id = a.source_id"
	" WHERE articles_fts MATCH ?1 ORDER BY score LIMIT 20";

/* now_ms: a monotonic clock in milliseconds. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* cpu_ms: this thread's CPU time in milliseconds. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* cmp_double: qsort order for doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* report: print percentiles of the n times in t (sorted in place). */
static void report(const char *name, double *t, size_t n)
{
	qsort(t, n, sizeof *t, cmp_double);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += t[i];
	printf("%-8s n=%zu  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms\n", name, n,
	       t[n / 2], t[n * 95 / 100], t[n * 99 / 100], t[n - 1], sum / n);
}

/* peer_expr: the peer's MATCH expression: every whitespace-separated word quoted. */
static void peer_expr(const char *q, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = q; *p && o + 8 < cap;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		out[o++] = '"';
		while (*p && *p != ' ' && o + 4 < cap)
			out[o++] = *p == '"' ? ' ' : *p, p++;
		out[o++] = '"';
		out[o++] = ' ';
	}
	out[o] = 0;
}

/* run_peer: the peer's query; its ids into ids (at most PAGE), returns how many. */
static size_t run_peer(sqlite3 *db, sqlite3_stmt *s, const char *q, int64_t *ids)
{
	char expr[2048];
	peer_expr(q, expr, sizeof expr);
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, expr, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, NOW);
	size_t n = 0;
	while (n < PAGE && sqlite3_step(s) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_search DB QUERIES [N] [--no-peer]\n");
		return 2;
	}
	size_t want = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
	bool peer = !(argc > 4 && !strcmp(argv[4], "--no-peer"));
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		fprintf(stderr, "bench_search: %s: cannot open\n", argv[2]);
		return 1;
	}
	static char *queries[MAX_QUERIES];
	size_t nq = 0;
	char line[1024];
	while (nq < want && nq < MAX_QUERIES && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line)
			queries[nq++] = strdup(line);
	}
	fclose(f);
	struct store *st;
	struct ch_error err = { 0 };
	if (store_open(argv[1], &st, &err) != CH_OK) {
		fprintf(stderr, "bench_search: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	if (getenv("MMAP")) /* to measure the reader's mmap size (fts.c sets 1 GB) */
		sqlite3_exec(st->db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *ps = NULL;
	if (peer && (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		     sqlite_register_persian_tokenizer(db) != SQLITE_OK ||
		     sqlite3_prepare_v2(db, peer_sql, -1, &ps, NULL) != SQLITE_OK)) {
		fprintf(stderr, "bench_search: peer: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	double *tc = calloc(nq, sizeof *tc), *tp = calloc(nq, sizeof *tp), *tcpu = calloc(nq, sizeof *tcpu);
	FILE *dump = getenv("DUMP") ? fopen(getenv("DUMP"), "w") : NULL;
	size_t hits = 0, empty = 0, invalid = 0, same_top = 0, compared = 0;
	double overlap = 0;
	for (size_t i = 0; i < nq; i++) {
		struct arena a;
		arena_init(&a, 0);
		struct search_query q = { .text = queries[i], .limit = PAGE, .now = NOW };
		struct search_hit *h = NULL;
		size_t n = 0;
		int64_t pids[PAGE];
		size_t pn = 0;
		bool peer_first = i % 2;
		if (peer && peer_first) {
			double t0 = now_ms();
			pn = run_peer(db, ps, queries[i], pids);
			tp[i] = now_ms() - t0;
		}
		double t0 = now_ms(), c0 = cpu_ms();
		enum ch_status r = store_search(st, &q, &a, &h, &n, &err);
		tc[i] = now_ms() - t0;
		tcpu[i] = cpu_ms() - c0;
		if (dump) {
			fprintf(dump, "%s\t", queries[i]);
			for (size_t k = 0; r == CH_OK && k < n; k++)
				fprintf(dump, " %lld", (long long)h[k].article.id);
			for (size_t k = 0; r == CH_OK && k < n; k++)
				fprintf(dump, "\t%s", h[k].snippet ? h[k].snippet : "(none)");
			fprintf(dump, "\n");
		}
		if (peer && !peer_first) {
			t0 = now_ms();
			pn = run_peer(db, ps, queries[i], pids);
			tp[i] = now_ms() - t0;
		}
		if (r != CH_OK)
			invalid++;
		hits += n;
		empty += n == 0;
		if (peer && pn && n) {
			compared++;
			same_top += h[0].article.id == pids[0];
			size_t common = 0;
			for (size_t j = 0; j < pn; j++)
				for (size_t k = 0; k < n; k++)
					common += pids[j] == h[k].article.id;
			overlap += (double)common / pn;
		}
		arena_release(&a);
	}
	if (getenv("SLOWEST")) { /* the slowest queries, to see what makes the tail */
		double cut = atof(getenv("SLOWEST"));
		for (size_t i = 0; i < nq; i++)
			if (tc[i] >= cut)
				printf("slow: %.2f ms  %s\n", tc[i], queries[i]);
	}
	printf("queries %zu: %zu refused, %zu with no hit, %.1f hits per page\n", nq, invalid, empty,
	       (double)hits / nq);
	report("chapar", tc, nq);
	report("cpu", tcpu, nq);
	if (dump)
		fclose(dump);
	if (peer) {
		report("peer", tp, nq);
		printf("agreement with the peer (%zu queries with hits in both): same top hit %.1f%%, "
		       "top-%d overlap %.1f%%\n", compared, 100.0 * same_top / (compared ? compared : 1), PAGE,
		       100.0 * overlap / (compared ? compared : 1));
		sqlite3_finalize(ps);
		sqlite3_close(db);
	}
	store_close(st);
	return 0;
}
