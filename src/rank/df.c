/*
 * df.c — document counts over a sliding window of time: for each word (a 64-bit hash of its
 * search key), how many of the articles added in the last `window` seconds hold it. Related
 * articles (assign.c) pick an article's rarest title words by these counts; counting them in the
 * full-text index instead cost ten index queries per article, the most expensive part of
 * clustering. Articles are expected roughly in publication order (the order assign.c clusters
 * them in); one older than the newest by more than the window is counted and expires with the
 * next one added.
 *
 * An open-addressing table of (hash, count) and a queue of the added articles' hashes, dropped
 * from the counts as they leave the window. A word whose count falls to 0 keeps its slot until
 * the table is rebuilt (when it fills), so lookups never meet a deleted slot.
 */
#include <stdlib.h>
#include <string.h>

#include "rank/rank.h"

struct df_slot {
	uint64_t hash; /* 0: empty (word hashes of 0 are counted as 1) */
	uint32_t count;
};

/* One added article: its publication time and its hashes, pool[first, first + n). */
struct df_article {
	int64_t published;
	size_t first, n;
};

struct rank_df {
	int64_t window;
	int64_t oldest; /* publication time of the oldest article ever added, */
	bool any;       /* once there is one */
	struct df_slot *slot;
	size_t slots, used; /* slots: a power of two; used: non-empty ones */
	uint64_t *pool;     /* the queued articles' hashes */
	size_t pool_head, pool_n, pool_cap;
	struct df_article *queue;
	size_t q_head, q_n, q_cap;
};

/* key_of: the table key of word hash h (0 is reserved for empty slots). */
static inline uint64_t key_of(uint64_t h)
{
	return h ? h : 1;
}

/* find: the slot of key k, or the empty slot where it belongs. */
static struct df_slot *find(const struct rank_df *df, uint64_t k)
{
	size_t mask = df->slots - 1, i = (size_t)(k ^ (k >> 29)) & mask;
	while (df->slot[i].hash && df->slot[i].hash != k)
		i = (i + 1) & mask;
	return &df->slot[i];
}

/* rebuild: a table of `slots` slots holding the words counted now (count > 0). */
static enum ch_status rebuild(struct rank_df *df, size_t slots)
{
	struct df_slot *old = df->slot;
	size_t old_slots = df->slots;
	df->slot = calloc(slots, sizeof *df->slot);
	if (!df->slot) {
		df->slot = old;
		return CH_ERR_NOMEM;
	}
	df->slots = slots;
	df->used = 0;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i].count) {
			*find(df, old[i].hash) = old[i];
			df->used++;
		}
	free(old);
	return CH_OK;
}

struct rank_df *rank_df_new(int64_t window)
{
	struct rank_df *df = calloc(1, sizeof *df);
	if (!df)
		return NULL;
	df->window = window;
	if (rebuild(df, 1u << 14) != CH_OK) {
		free(df);
		return NULL;
	}
	return df;
}

void rank_df_free(struct rank_df *df)
{
	if (!df)
		return;
	free(df->slot);
	free(df->pool);
	free(df->queue);
	free(df);
}

bool rank_df_covers(const struct rank_df *df, int64_t t)
{
	return df->any && df->oldest <= t - df->window;
}

uint32_t rank_df_count(const struct rank_df *df, uint64_t hash)
{
	return find(df, key_of(hash))->count;
}

/* expire: drop from the counts every queued article published before t - window. */
static void expire(struct rank_df *df, int64_t t)
{
	while (df->q_n && df->queue[df->q_head].published < t - df->window) {
		struct df_article *a = &df->queue[df->q_head];
		for (size_t i = 0; i < a->n; i++) {
			struct df_slot *s = find(df, key_of(df->pool[a->first + i]));
			if (s->count)
				s->count--;
		}
		df->pool_head = a->first + a->n;
		df->pool_n -= a->n;
		df->q_head++;
		df->q_n--;
	}
}

/* make_room: room in the queue for one more article and in the pool for n more hashes, moving
 * the live part to the front when the dead part is the larger. */
static enum ch_status make_room(struct rank_df *df, size_t n)
{
	if (df->q_head && df->q_head >= df->q_n) {
		memmove(df->queue, df->queue + df->q_head, df->q_n * sizeof *df->queue);
		df->q_head = 0;
	}
	if (df->q_head + df->q_n == df->q_cap) {
		size_t cap = df->q_cap ? df->q_cap * 2 : 1024;
		struct df_article *q = realloc(df->queue, cap * sizeof *q);
		if (!q)
			return CH_ERR_NOMEM;
		df->queue = q;
		df->q_cap = cap;
	}
	if (df->pool_head && df->pool_head >= df->pool_n) {
		memmove(df->pool, df->pool + df->pool_head, df->pool_n * sizeof *df->pool);
		for (size_t i = 0; i < df->q_n; i++)
			df->queue[df->q_head + i].first -= df->pool_head;
		df->pool_head = 0;
	}
	if (df->pool_head + df->pool_n + n > df->pool_cap) {
		size_t cap = df->pool_cap ? df->pool_cap : 1u << 16;
		while (cap < df->pool_head + df->pool_n + n)
			cap *= 2;
		uint64_t *p = realloc(df->pool, cap * sizeof *p);
		if (!p)
			return CH_ERR_NOMEM;
		df->pool = p;
		df->pool_cap = cap;
	}
	return CH_OK;
}

enum ch_status rank_df_add(struct rank_df *df, int64_t published, const uint64_t *hashes, size_t n)
{
	expire(df, published);
	enum ch_status st = make_room(df, n);
	if (st == CH_OK && (df->used + n) * 4 > df->slots * 3) {
		/* at most half full after: words no longer counted go, the size doubles if need be */
		size_t live = 0, size = df->slots;
		for (size_t i = 0; i < df->slots; i++)
			live += df->slot[i].count > 0;
		while ((live + n) * 2 > size)
			size *= 2;
		st = rebuild(df, size);
	}
	if (st != CH_OK)
		return st;
	size_t first = df->pool_head + df->pool_n;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = key_of(hashes[i]);
		struct df_slot *s = find(df, k);
		if (!s->hash) {
			s->hash = k;
			df->used++;
		}
		s->count++;
		df->pool[first + i] = hashes[i];
	}
	df->pool_n += n;
	df->queue[df->q_head + df->q_n++] = (struct df_article){ published, first, n };
	if (!df->any || published < df->oldest)
		df->oldest = published;
	df->any = true;
	return CH_OK;
}
