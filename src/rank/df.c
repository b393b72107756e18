/*
 * df.c — document counts over a sliding window of time: for each word (a 64-bit hash of its
 * search key), how many of the articles added in the last `window` seconds hold it. Related
 * articles (assign.c) pick an article's rarest title words by these counts; counting them in the
 * full-text index instead cost ten index queries per article, the most expensive part of
 * clustering. Articles are expected roughly in publication order (the order assign.c clusters
 * them in); one older than the newest by more than the window is counted and expires with the
 * next one added.
 *
 * The same table is the related articles' inverted index: each word keeps the list of the added
 * articles holding it (their sequence numbers, with the word's weight there), so an article's
 * rarest words lead straight to the window's articles sharing them (rank_df_related), without
 * a full-text query (which, at a million articles, was 80% of clustering).
 *
 * An open-addressing table of (hash, count, postings) and a queue of the added articles'
 * hashes, dropped from the counts as they leave the window. A word whose count falls to 0 keeps
 * its slot until the table is rebuilt (when it fills), so lookups never meet a deleted slot.
 * Postings of articles that left the window are dropped lazily: they are a prefix of each list
 * (sequence numbers below the queue's first), skipped when read and cut when the list grows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rank/rank.h"

struct df_slot {
	uint64_t hash; /* 0: empty (word hashes of 0 are counted as 1) */
	uint32_t count;
	uint32_t post_head, post_n, post_cap; /* live postings: post[post_head, post_n) */
	uint64_t *post; /* seq << 8 | weight of each added article holding the word, in order */
};

/* One added article: its id and story, its publication time and its hashes,
 * pool[first, first + n). */
struct df_article {
	int64_t id, story, published;
	size_t first, n, length;
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
	size_t length_sum; /* of the queued articles */
	uint64_t next_seq; /* sequence number of the next article added; the queue's first is
			    * next_seq - q_n */
};

/* key_of: the table key of word hash h (0 is reserved for empty slots). */
static inline uint64_t key_of(uint64_t h)
{
	return h ? h : 1;
}

/* home: the first slot probed for key k. */
static inline size_t home(const struct rank_df *df, uint64_t k)
{
	return (size_t)(k ^ (k >> 29)) & (df->slots - 1);
}

/* Slots of an article's words are fetched this many words ahead of their use: the words are
 * random over the table, each a cache miss, which overlap when asked for early. */
enum { PREFETCH_AHEAD = 12 };

/* prefetch_word: start loading the first slot probed for word i of hashes[0, n), if any. */
static inline void prefetch_word(const struct rank_df *df, const uint64_t *hashes, size_t i, size_t n)
{
	if (i < n)
		__builtin_prefetch(&df->slot[home(df, key_of(hashes[i]))]);
}

/* find: the slot of key k, or the empty slot where it belongs. */
static struct df_slot *find(const struct rank_df *df, uint64_t k)
{
	size_t mask = df->slots - 1, i = home(df, k);
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
	for (size_t i = 0; i < old_slots; i++) {
		if (old[i].count) {
			*find(df, old[i].hash) = old[i];
			df->used++;
		} else {
			free(old[i].post);
		}
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
	for (size_t i = 0; i < df->slots; i++)
		free(df->slot[i].post);
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
			prefetch_word(df, df->pool + a->first, i + PREFETCH_AHEAD, a->n);
			struct df_slot *s = find(df, key_of(df->pool[a->first + i]));
			if (s->count)
				s->count--;
		}
		df->pool_head = a->first + a->n;
		df->length_sum -= a->length;
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

/* add_posting: append article seq (weight w) to slot s's postings, dropping the ones of
 * articles no longer in the window (below first_seq) first. */
static enum ch_status add_posting(struct df_slot *s, uint64_t seq, unsigned w, uint64_t first_seq)
{
	while (s->post_head < s->post_n && (s->post[s->post_head] >> 8) < first_seq)
		s->post_head++;
	if (s->post_head && s->post_head * 2 >= s->post_n) {
		memmove(s->post, s->post + s->post_head, (s->post_n - s->post_head) * sizeof *s->post);
		s->post_n -= s->post_head;
		s->post_head = 0;
	}
	if (s->post_n == s->post_cap) {
		uint32_t cap = s->post_cap ? s->post_cap * 2 : 4;
		uint64_t *p = realloc(s->post, cap * sizeof *p);
		if (!p)
			return CH_ERR_NOMEM;
		s->post = p;
		s->post_cap = cap;
	}
	s->post[s->post_n++] = seq << 8 | (w & 0xff);
	return CH_OK;
}

enum ch_status rank_df_add(struct rank_df *df, int64_t published, const uint64_t *hashes, size_t n)
{
	struct rank_df_doc doc = { .published = published, .hashes = hashes, .n = n };
	return rank_df_add_doc(df, &doc);
}

enum ch_status rank_df_add_doc(struct rank_df *df, const struct rank_df_doc *doc)
{
	size_t n = doc->n;
	expire(df, doc->published);
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
	uint64_t seq = df->next_seq, first_seq = df->next_seq - df->q_n;
	for (size_t i = 0; i < n; i++) {
		prefetch_word(df, doc->hashes, i + PREFETCH_AHEAD, n);
		uint64_t k = key_of(doc->hashes[i]);
		struct df_slot *s = find(df, k);
		if (!s->hash) {
			s->hash = k;
			df->used++;
		}
		if (add_posting(s, seq, doc->weights ? doc->weights[i] : 1, first_seq) != CH_OK) {
			/* undo this article's counts so far: it is not added */
			for (size_t j = 0; j < i; j++) {
				struct df_slot *u = find(df, key_of(doc->hashes[j]));
				u->count--;
				u->post_n--;
			}
			return CH_ERR_NOMEM;
		}
		s->count++;
		df->pool[first + i] = doc->hashes[i];
	}
	df->pool_n += n;
	size_t length = doc->length ? doc->length : n;
	df->queue[df->q_head + df->q_n++] =
		(struct df_article){ doc->id, doc->story, doc->published, first, n, length };
	df->length_sum += length;
	df->next_seq++;
	if (!df->any || doc->published < df->oldest)
		df->oldest = doc->published;
	df->any = true;
	return CH_OK;
}

/* One candidate of rank_df_related: an added article's sequence number and its score. */
struct candidate {
	uint64_t seq; /* 0: empty slot (seq + 1 is stored) */
	double score;
};

#define CANDIDATE_SLOTS 2048 /* a power of two; the table is filled to half at most */
#define RANK_K1 1.2 /* Okapi BM25's constants, as fts.c's chapar_rank */
#define RANK_B 0.75

/* by_score: qsort order, best score first, then the earlier added. */
static int by_score(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t rank_df_related(const struct rank_df *df, const struct rank_df_query *q, int64_t *out, size_t max)
{
	struct candidate *c = calloc(CANDIDATE_SLOTS, sizeof *c);
	if (!c || !df->q_n) {
		free(c);
		return 0;
	}
	uint64_t first_seq = df->next_seq - df->q_n;
	double rows = (double)df->q_n, avg_len = (double)df->length_sum / rows;
	size_t used = 0;
	for (size_t w = 0; w < q->n_words; w++) {
		const struct df_slot *s = find(df, key_of(q->words[w]));
		if (!s->hash || !s->count)
			continue;
		double idf = log((rows - s->count + 0.5) / (s->count + 0.5));
		if (idf < 1e-6)
			idf = 1e-6;
		for (uint32_t p = s->post_head; p < s->post_n; p++) {
			uint64_t seq = s->post[p] >> 8;
			if (seq < first_seq)
				continue; /* left the window */
			const struct df_article *a = &df->queue[df->q_head + (seq - first_seq)];
			if (a->id == q->id || a->story == q->story || a->published < q->published - q->window ||
			    a->published > q->published + q->window)
				continue;
			double f = (double)(s->post[p] & 0xff);
			double norm = RANK_K1 * (1 - RANK_B + RANK_B * (double)a->length / avg_len);
			size_t i = (size_t)(seq * 0x9E3779B97F4A7C15u >> 40) & (CANDIDATE_SLOTS - 1);
			while (c[i].seq && c[i].seq != seq + 1)
				i = (i + 1) & (CANDIDATE_SLOTS - 1);
			if (!c[i].seq) {
				if (used * 2 >= CANDIDATE_SLOTS)
					continue; /* full: the words are capped well below this */
				c[i].seq = seq + 1;
				used++;
			}
			c[i].score += idf * f * (RANK_K1 + 1) / (f + norm);
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < CANDIDATE_SLOTS; i++)
		if (c[i].seq)
			c[k++] = c[i];
	qsort(c, k, sizeof *c, by_score);
	size_t n = k < max ? k : max;
	for (size_t i = 0; i < n; i++)
		out[i] = df->queue[df->q_head + (c[i].seq - 1 - first_seq)].id;
	free(c);
	return n;
}
