/*
 * threads.c — extract_article from several threads at once (ingest works that way): each
 * thread extracts the same pages as a single thread did first, and must get the same text.
 * Catches shared state in the extractor and in libxml2's set-up.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "extract/extract.h"

#define PAGES 6
#define THREADS 4

static const char *const names[PAGES] = { "01-asam", "06-nastooh", "11-iransamaneh",
					  "16-entities", "20-aggregator", "25-asam-short" };
static struct buf pages[PAGES];
static char *expected[PAGES];

/* worker: extract every page a few times; returns (void *)1 on any difference. */
static void *worker(void *arg)
{
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < PAGES; i++) {
			struct extract_article *a = NULL;
			if (extract_article(pages[i].p, pages[i].n, NULL, NULL, &a, NULL) != CH_OK)
				return (void *)1;
			bool same = strcmp(a->body_text, expected[i]) == 0;
			extract_article_free(a);
			if (!same)
				return (void *)1;
		}
	}
	return NULL;
}

/* test_threads: the same output from four threads as from one. */
static void test_threads(void **state)
{
	for (int i = 0; i < PAGES; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/extract/fa/%s/page.html", TEST_DATA_DIR, names[i]);
		buf_init(&pages[i], (size_t)16 << 20);
		assert_int_equal(file_read(path, &pages[i], NULL), CH_OK);
		struct extract_article *a = NULL;
		assert_int_equal(extract_article(pages[i].p, pages[i].n, NULL, NULL, &a, NULL), CH_OK);
		expected[i] = strdup(a->body_text);
		assert_true(strlen(expected[i]) > 100);
		extract_article_free(a);
	}
	pthread_t t[THREADS];
	for (int k = 0; k < THREADS; k++)
		assert_int_equal(pthread_create(&t[k], NULL, worker, NULL), 0);
	int bad = 0;
	for (int k = 0; k < THREADS; k++) {
		void *r;
		pthread_join(t[k], &r);
		bad += r != NULL;
	}
	for (int i = 0; i < PAGES; i++) {
		buf_release(&pages[i]);
		free(expected[i]);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
