/*
 * clusterer.c — tests the clustering thread beside the storing (rank_clusterer, assign.c) on a
 * real SQLite file: articles stored in batches while the thread clusters them end up with the
 * same stories and related lists as when each batch is clustered right after it is stored on
 * the storing thread (rank_assigner_run), and the tokens handed over are used; stopping with
 * work queued leaves the rest without a story, for the next run to cluster just the same; a
 * batch whose storing fails loses nothing the thread clustered, and an article whose story
 * cannot be written loses neither the other articles' stories nor the stored articles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store_fixture.h"

#include "rank/assign.h"

enum { HOUR = 3600, DAY = 86400, BATCHES = 8, PER_BATCH = 30 };
static const int64_t T0 = 1704067200;

static int setup(void **state)
{
	return store_fixture_setup(state, "/tmp/chapar-clusterer-XXXXXX");
}

/* A batch of articles to store, with the text their strings point into. */
struct batch {
	struct article a[PER_BATCH];
	char url[PER_BATCH][64];
	struct buf title[PER_BATCH], body[PER_BATCH];
};

/* batch_make: batch k of source `source`: titles of a small vocabulary (so related lists
 * fill), every fourth article a copy of the one before from another day's batch or the same
 * (the same story). */
static void batch_make(struct batch *b, int k, int64_t source)
{
	for (int i = 0; i < PER_BATCH; i++) {
		unsigned seed = (unsigned)(k * PER_BATCH + i + 1);
		unsigned text = seed % 4 == 0 ? seed - 1 : seed;
		buf_init(&b->title[i], 4096);
		buf_init(&b->body[i], 1 << 16);
		store_fixture_words(&b->title[i], "کلمه", text, 6, 300);
		store_fixture_words(&b->body[i], "کلمه", text * 7 + 1, 90, 20000);
		snprintf(b->url[i], sizeof b->url[i], "https://example.ir/news/%u", seed);
		int64_t when = T0 + k * (DAY / 2) + i * (HOUR / 4);
		b->a[i] = (struct article){ .source_id = source, .url = b->url[i], .guid = b->url[i],
					    .title = b->title[i].p, .body_text = b->body[i].p,
					    .published = when, .fetched = when, .language = "fa" };
	}
}

static void batch_release(struct batch *b)
{
	for (int i = 0; i < PER_BATCH; i++) {
		buf_release(&b->title[i]);
		buf_release(&b->body[i]);
	}
}

/* store_batch: store batch k into st (one transaction), the storing thread's write turn taken
 * when c is given. */
static enum ch_status store_batch(struct store *st, struct rank_clusterer *c, int k, int64_t source)
{
	struct batch *b = calloc(1, sizeof *b);
	assert_non_null(b);
	batch_make(b, k, source);
	if (c)
		rank_clusterer_write_begin(c);
	enum ch_status s = store_article_put_many(st, b->a, PER_BATCH, NULL, NULL);
	if (c)
		rank_clusterer_write_end(c);
	batch_release(b);
	free(b);
	return s;
}

/* sequential: the reference: batches 0..n-1 but `skip` into a new store name in f's directory,
 * each clustered right after it is stored (rank_assigner_run). Returns the store. */
static struct store *sequential(struct fixture *f, const char *name, int n, int skip)
{
	struct fixture g = { 0 };
	assert_true(store_fixture_open(&g, f->dir, name));
	struct rank_assigner *as = NULL;
	assert_int_equal(rank_assigner_new(&as, NULL), CH_OK);
	for (int k = 0; k < n; k++) {
		if (k == skip)
			continue;
		assert_int_equal(store_batch(g.st, NULL, k, g.source), CH_OK);
		size_t done = 0;
		assert_int_equal(rank_assigner_run(as, g.st, &done, NULL), CH_OK);
		assert_int_equal(done, PER_BATCH);
	}
	rank_assigner_free(as);
	store_tokens_keep(g.st, false);
	return g.st;
}

/* unassigned: how many stored articles have no story. */
static size_t unassigned(struct store *st)
{
	struct arena a;
	arena_init(&a, 0);
	struct article *v = NULL;
	size_t n = 0;
	store_read_latest(st); /* see the clustering connection's commits */
	assert_int_equal(store_articles_unassigned(st, 100000, &a, &v, &n, NULL), CH_OK);
	arena_release(&a);
	return n;
}

/* test_same_as_sequential: batches stored while the thread clusters: same stories and
 * related lists as clustering each batch after storing it, every article clustered once, and
 * the storing connection's tokens used instead of tokenizing again. */
static void test_same_as_sequential(void **state)
{
	struct fixture *f = *state;
	struct rank_clusterer *c = NULL;
	assert_int_equal(rank_clusterer_start(f->path, &c, NULL), CH_OK);
	store_tokens_keep(f->st, true);
	for (int k = 0; k < BATCHES; k++) {
		assert_int_equal(store_batch(f->st, c, k, f->source), CH_OK);
		rank_clusterer_submit(c, f->st);
	}
	assert_int_equal(rank_clusterer_wait(c, NULL), CH_OK);
	struct rank_clusterer_stats cs;
	rank_clusterer_stats(c, &cs);
	rank_clusterer_stop(c);
	assert_int_equal(cs.assigned, BATCHES * PER_BATCH);
	assert_true(cs.replayed > BATCHES * PER_BATCH / 2); /* the handed-over tokens were used */
	assert_int_equal(cs.replayed + cs.tokenized, BATCHES * PER_BATCH);
	assert_int_equal(unassigned(f->st), 0);
	struct store *g = sequential(f, "seq.db", BATCHES, -1);
	size_t rows = store_fixture_same_clustering(f->st, g, BATCHES * PER_BATCH);
	assert_true(rows > 100); /* the lists were not trivially empty */
	struct story s;
	struct arena a;
	arena_init(&a, 0);
	assert_int_equal(store_story_get(f->st, 3, &a, &s, NULL), CH_OK); /* 4 copies 3 */
	assert_int_equal(s.n_articles, 2);
	arena_release(&a);
	store_close(g);
	store_tokens_keep(f->st, false);
}

/* test_stop_with_work_queued: batches submitted, the thread stopped at once: whatever it did
 * not cluster has no story; a later run clusters it as if nothing had stopped. Then a new
 * clusterer picks up what is left by itself at its start. */
static void test_stop_with_work_queued(void **state)
{
	struct fixture *f = *state;
	struct rank_clusterer *c = NULL;
	assert_int_equal(rank_clusterer_start(f->path, &c, NULL), CH_OK);
	store_tokens_keep(f->st, true);
	for (int k = 0; k < BATCHES / 2; k++) {
		assert_int_equal(store_batch(f->st, c, k, f->source), CH_OK);
		rank_clusterer_submit(c, f->st);
	}
	rank_clusterer_stop(c); /* joins after its round; what is queued is dropped */
	size_t left = unassigned(f->st);
	assert_true(left <= (size_t)(BATCHES / 2 * PER_BATCH));
	assert_int_equal(left % PER_BATCH, 0); /* a round is all or nothing */
	for (int k = BATCHES / 2; k < BATCHES; k++) /* stored while no clustering runs */
		assert_int_equal(store_batch(f->st, NULL, k, f->source), CH_OK);
	assert_int_equal(rank_clusterer_start(f->path, &c, NULL), CH_OK); /* picks up the rest */
	assert_int_equal(rank_clusterer_wait(c, NULL), CH_OK);
	rank_clusterer_stop(c);
	assert_int_equal(unassigned(f->st), 0);
	/* the same as one sequential run over the same articles: the reference clusters the
	 * first half batch by batch, then the second in one run */
	struct fixture g = { 0 };
	assert_true(store_fixture_open(&g, f->dir, "seq.db"));
	for (int k = 0; k < BATCHES; k++) {
		assert_int_equal(store_batch(g.st, NULL, k, g.source), CH_OK);
		if (k < BATCHES / 2 - 1)
			continue;
		size_t done = 0;
		assert_int_equal(rank_assign_all(g.st, &done, NULL), CH_OK);
	}
	store_fixture_same_clustering(f->st, g.st, BATCHES * PER_BATCH);
	store_close(g.st);
	store_tokens_keep(f->st, false);
}

/* test_failed_store_loses_nothing: a batch whose storing fails (rolled back) between batches
 * that succeed: the thread clusters the others as a sequential run without it does. */
static void test_failed_store_loses_nothing(void **state)
{
	struct fixture *f = *state;
	struct rank_clusterer *c = NULL;
	assert_int_equal(rank_clusterer_start(f->path, &c, NULL), CH_OK);
	store_tokens_keep(f->st, true);
	const int bad = 3;
	for (int k = 0; k < BATCHES; k++) {
		/* batch `bad` names a source that does not exist: the whole batch is refused */
		enum ch_status s = store_batch(f->st, c, k, k == bad ? f->source + 1000 : f->source);
		assert_int_equal(s == CH_OK, k != bad);
		rank_clusterer_submit(c, f->st);
	}
	assert_int_equal(rank_clusterer_wait(c, NULL), CH_OK);
	struct rank_clusterer_stats cs;
	rank_clusterer_stats(c, &cs);
	rank_clusterer_stop(c);
	assert_int_equal(cs.assigned, (BATCHES - 1) * PER_BATCH);
	int64_t count = 0;
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, (BATCHES - 1) * PER_BATCH);
	assert_int_equal(unassigned(f->st), 0);
	struct store *g = sequential(f, "seq.db", BATCHES, bad);
	store_fixture_same_clustering(f->st, g, (BATCHES - 1) * PER_BATCH);
	store_close(g);
	store_tokens_keep(f->st, false);
}

/* test_failed_write_loses_nothing: the store refuses the signature of one article (a trigger):
 * that article gets a story of its own, the others theirs, every stored article stays. */
static void test_failed_write_loses_nothing(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	const int64_t refused = 8; /* a copy of 7: it would join 7's story */
	char sql[256];
	snprintf(sql, sizeof sql,
		 "CREATE TRIGGER refuse BEFORE INSERT ON article_sigs WHEN NEW.article_id = %lld "
		 "BEGIN SELECT RAISE(ABORT, 'refused'); END",
		 (long long)refused);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct rank_clusterer *c = NULL;
	assert_int_equal(rank_clusterer_start(f->path, &c, NULL), CH_OK);
	store_tokens_keep(f->st, true);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(store_batch(f->st, c, k, f->source), CH_OK);
		rank_clusterer_submit(c, f->st);
	}
	assert_int_equal(rank_clusterer_wait(c, NULL), CH_OK);
	rank_clusterer_stop(c);
	assert_int_equal(unassigned(f->st), 0);
	struct arena a;
	arena_init(&a, 0);
	struct article ar;
	assert_int_equal(store_article_get(f->st, refused, &a, &ar, NULL), CH_OK);
	assert_int_equal(ar.story_id, refused); /* a story of its own */
	struct story s;
	assert_int_equal(store_story_get(f->st, 3, &a, &s, NULL), CH_OK); /* 4 copies 3 */
	assert_int_equal(s.n_articles, 2);
	arena_release(&a);
	int64_t count = 0;
	assert_int_equal(store_article_count(f->st, &count, NULL), CH_OK);
	assert_int_equal(count, 2 * PER_BATCH);
	store_tokens_keep(f->st, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_as_sequential, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stop_with_work_queued, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failed_store_loses_nothing, setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_loses_nothing, setup, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
