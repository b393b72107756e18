/*
 * thread_block.c — unit test for thread_block (src/text/thread_block.c), the per-thread
 * memory of the text caches: each call gives a new zeroed, writable block, aligned as asked
 * (2 MiB for a huge one); two threads never share a block; and a thread's blocks are
 * unmapped when it ends (mincore then says the address is not mapped), not before.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "text/text_internal.h"

enum { SMALL = 100000, BIG = 3 << 20 };

/* all_zero: the n bytes at p are 0. */
static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* mapped: the page holding p is mapped in this process. */
static bool mapped(const void *p)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char vec;
	void *at = (void *)((uintptr_t)p / page * page);
	return mincore(at, page, &vec) == 0 || errno != ENOMEM;
}

/* Both threads hold their blocks at the same time: they meet here after writing them. */
static pthread_barrier_t written;

/* The blocks one thread got, whether they were still mapped before it ended, and whether
 * they still held what it wrote once the other thread had written its own. */
struct got {
	unsigned char *small, *big;
	bool mapped_inside, intact;
	unsigned char fill;
};

/* filled: the n bytes at p are all c. */
static bool filled(const unsigned char *p, size_t n, unsigned char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

/* take_blocks: a thread that gets a small and a huge block and writes to them. */
static void *take_blocks(void *arg)
{
	struct got *g = arg;
	g->small = thread_block(SMALL, false);
	g->big = thread_block(BIG, true);
	if (g->small && g->big) {
		memset(g->small, g->fill, SMALL);
		memset(g->big, g->fill, BIG);
		g->mapped_inside = mapped(g->small) && mapped(g->big + BIG - 1);
	}
	pthread_barrier_wait(&written);
	g->intact = g->small && g->big && filled(g->small, SMALL, g->fill) && filled(g->big, BIG, g->fill);
	return NULL;
}

static void blocks_are_new_zeroed_and_aligned(void **state)
{
	(void)state;
	unsigned char *a = thread_block(SMALL, false), *b = thread_block(SMALL, false);
	unsigned char *h = thread_block(BIG, true);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(h);
	assert_true(a != b);
	assert_true(all_zero(a, SMALL) && all_zero(b, SMALL) && all_zero(h, BIG));
	assert_int_equal((uintptr_t)a % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
	assert_int_equal((uintptr_t)h % (2u << 20), 0);
	memset(a, 1, SMALL);
	assert_true(all_zero(b, SMALL)); /* no overlap */
	memset(h, 2, BIG);
	assert_true(all_zero(b, SMALL));
}

static void blocks_belong_to_their_thread(void **state)
{
	(void)state;
	struct got g[2] = { { .fill = 0xAB }, { .fill = 0xCD } };
	pthread_t t[2];
	assert_int_equal(pthread_barrier_init(&written, NULL, 2), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, take_blocks, &g[k]), 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	for (int k = 0; k < 2; k++) {
		assert_non_null(g[k].small);
		assert_non_null(g[k].big);
		assert_true(g[k].mapped_inside);
		assert_true(g[k].intact); /* the other thread's block is elsewhere */
		/* unmapped when the thread ended */
		assert_false(mapped(g[k].small));
		assert_false(mapped(g[k].big));
	}
	pthread_barrier_destroy(&written);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_are_new_zeroed_and_aligned),
		cmocka_unit_test(blocks_belong_to_their_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
