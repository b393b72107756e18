/*
 * thread_block.c — per-thread blocks of zeroed memory for the caches of src/text (zwnj.c's
 * word and pair caches, fold.c's stem cache): made on a thread's first ask, freed when the
 * thread ends. Each cache keeps its own _Thread_local pointer (its fast path reads nothing
 * else); this file only makes the block and owns its release. Every block of a thread hangs
 * on one list under one pthread key, whose destructor unmaps them all at the thread's end.
 * Blocks are fresh anonymous mappings: already zeroed, and never counted against the heap.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text/text_internal.h"

enum { HUGE_PAGE = 2 << 20 };

/* The start of each mapping: the next block of the thread and how much to unmap. */
struct block_head {
	struct block_head *next;
	size_t mapped;
};

static pthread_key_t blocks_key;
static bool blocks_keyed;
static pthread_once_t blocks_once = PTHREAD_ONCE_INIT;

/* blocks_free: unmap every block of a thread that ends (the key's destructor). */
static void blocks_free(void *first)
{
	for (struct block_head *h = first; h;) {
		struct block_head *next = h->next;
		munmap(h, h->mapped);
		h = next;
	}
}

/* blocks_key_make: create blocks_key (once). */
static void blocks_key_make(void)
{
	blocks_keyed = pthread_key_create(&blocks_key, blocks_free) == 0;
}

void *thread_block(size_t size, bool huge)
{
	pthread_once(&blocks_once, blocks_key_make);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t align = huge ? HUGE_PAGE : page;
	if (!blocks_keyed || size > SIZE_MAX - align - page)
		return NULL;
	/* the head in the first page; the block at the next boundary of align after it */
	size_t mapped = page + size + (huge ? align : 0);
	char *m = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	struct block_head *h = (struct block_head *)(void *)m;
	*h = (struct block_head){ .next = pthread_getspecific(blocks_key), .mapped = mapped };
	if (pthread_setspecific(blocks_key, h) != 0) {
		munmap(m, mapped);
		return NULL;
	}
	uintptr_t at = (uintptr_t)(m + page);
	char *block = m + page + (align - at % align) % align;
#ifdef MADV_HUGEPAGE
	/* a hint: without huge pages the block works the same, only its probes miss the TLB */
	if (huge)
		(void)madvise(block, size, MADV_HUGEPAGE);
#endif
	return block;
}
