/*
 * store_fixture.h — the fixture of the rank and store unit tests that work on a real store: a
 * database file in a temporary directory (removed afterwards) holding one source. Each test
 * file's setup names its directory's prefix: store_fixture_setup(state, "/tmp/chapar-x-XXXXXX").
 */
#ifndef CHAPAR_TESTS_STORE_FIXTURE_H
#define CHAPAR_TESTS_STORE_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "../tmpdir.h"

#include "store/store.h"

struct fixture {
	char dir[256], path[300];
	struct store *st;
	int64_t source;
};

/* store_fixture_open: f's store as file name in directory dir, with its one source. */
static inline bool store_fixture_open(struct fixture *f, const char *dir, const char *name)
{
	struct source s = { .name = "خبرگزاری آزمون", .feed_url = "https://example.ir/rss" };
	snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
	return store_open(f->path, &f->st, NULL) == CH_OK && store_source_add(f->st, &s, &f->source, NULL) == CH_OK;
}

/* store_fixture_setup: a new fixture in *state: a directory made from template (mkdtemp's
 * XXXXXX form) and the store t.db in it; 0 on success. */
static inline int store_fixture_setup(void **state, const char *template)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s", template);
	*state = f;
	return mkdtemp(f->dir) && store_fixture_open(f, f->dir, "t.db") ? 0 : -1;
}

/* store_fixture_teardown: close the fixture's store, remove its directory, free it. */
static inline int store_fixture_teardown(void **state)
{
	struct fixture *f = *state;
	if (f->st)
		store_close(f->st);
	int rc = tmpdir_remove(f->dir);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* store_fixture_put: store an article of f's source with the given title and body, URL and
 * GUID https://example.ir/news/SEED, published and fetched at when (cmocka.h comes first);
 * returns its id. */
static inline int64_t store_fixture_put(struct fixture *f, unsigned seed, const char *title,
					const char *body, int64_t when)
{
	char url[64];
	snprintf(url, sizeof url, "https://example.ir/news/%u", seed);
	struct article a = { .source_id = f->source, .url = url, .guid = url, .title = title,
			     .body_text = body, .published = when, .fetched = when, .language = "fa" };
	assert_int_equal(store_article_put(f->st, &a, NULL, NULL), CH_OK);
	return a.id;
}

/* store_fixture_words: append to b n pseudo-random words `<stem><k>` of a vocabulary of
 * `vocab` (k < vocab), drawn by seed: the same seed, the same words. */
static inline void store_fixture_words(struct buf *b, const char *stem, unsigned seed, int n, unsigned vocab)
{
	uint32_t x = seed * 2654435761u + 12345u;
	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf_addf(b, "%s%s%u", i ? " " : "", stem, (x >> 8) % vocab);
	}
}

/* store_fixture_same_clustering: assert that articles 1..last of stores x and y have the same
 * stories and the same related lists (cmocka.h comes first); returns the related rows seen. */
static inline size_t store_fixture_same_clustering(struct store *x, struct store *y, int64_t last)
{
	size_t rows = 0;
	for (int64_t id = 1; id <= last; id++) {
		struct arena ar;
		arena_init(&ar, 0);
		struct article ax, ay;
		assert_int_equal(store_article_get(x, id, &ar, &ax, NULL), CH_OK);
		assert_int_equal(store_article_get(y, id, &ar, &ay, NULL), CH_OK);
		assert_int_equal(ax.story_id, ay.story_id);
		struct article *lx = NULL, *ly = NULL;
		size_t nx = 0, ny = 0;
		assert_int_equal(store_related_list(x, id, 8, &ar, &lx, &nx, NULL), CH_OK);
		assert_int_equal(store_related_list(y, id, 8, &ar, &ly, &ny, NULL), CH_OK);
		assert_int_equal(nx, ny);
		for (size_t k = 0; k < nx; k++)
			assert_int_equal(lx[k].id, ly[k].id);
		rows += nx;
		arena_release(&ar);
	}
	return rows;
}

#endif
