/*
 * stories.c — the incremental story index. Articles arrive one at a time in publication order;
 * each is compared with the articles of the last `window` seconds and joins a story or starts
 * one. The state is what a store can rebuild: each article's signature (sig.c) and its story.
 *
 * Candidates come from an inverted index on sketch values: a pool of (article, next) links per
 * shingle hash, newest first, so a walk stops at the first article outside the window and old
 * links cost nothing until the pool is compacted. The best-sharing candidates are verified on
 * their sketches: with t the smaller of the two sketches' largest values (each a uniform sample
 * of its text's shingles below t), I = shared values <= t, cN = I / |new <= t| is how much of
 * the new text the candidate contains and cM = I / |candidate <= t| the reverse.
 *
 * Rules, from the cases a news stream shows:
 *  - same canonical URL or same body: the same story;
 *  - a new text mostly inside one candidate (cN >= join: a republished copy, a cut copy, a copy
 *    with no body) joins the best such story; a candidate of another day (is_late) needs
 *    join_late, so tomorrow's follow-up that repeats background stays a story of its own;
 *  - a candidate of the same day mostly inside the new text (cM >= join: the full text after
 *    an excerpt) is joined when it is the only such story;
 *  - neither when the new text also shares much with other stories (a digest): a daily
 *    round-up quotes the leads of several stories and must merge none of them; it is marked,
 *    and later articles join it only as near-identical copies (a lead-only copy of one quoted
 *    story is inside the round-up too, but belongs to that story);
 *  - the story's lead is the article of the outlet that a member credits as the original
 *    (source_credit), else its first article. The story's id is its first article's key.
 *
 * Memory: sketches (up to 2 KiB) live only inside the window; each article's metadata (about
 * 80 bytes) and each story's (about 24) stay for the index's life, so that a late copy's story
 * and lead can still be told; a server keeping one index for months holds ~100 MB per million
 * articles.
 */
#include <stdlib.h>
#include <string.h>

#include "rank/rank.h"

enum { NONE = UINT32_MAX };
/* A sketch value in more live articles than this is boilerplate ("به گزارش خبرگزاری فارس") and
 * proposes no candidates (it still counts when candidates are verified): walking its list
 * would cost more than all the rest, and a real copy shares plenty of rarer values. */
enum { MAX_POSTINGS = 100 };
/* Candidates verified on their sketches, the ones sharing most values first. */
enum { MAX_VERIFY = 48 };
/* A text sharing with other stories more than this share of what it shares with its best
 * story is a digest (a round-up) and joins none of them. */
static const double DIGEST_OTHER = 0.25;
/* ...counting only other stories that share at least this many values of their own. */
enum { DIGEST_MIN_SHARED = 10 };
/* Publication times (and window lengths) are clamped to +-TIME_RANGE seconds (+-34,000 years),
 * which keeps every time difference far from overflow. */
static const int64_t TIME_RANGE = (int64_t)1 << 40;
/* Shared sampled shingles needed at least for any near-duplicate join. */
enum { MIN_SHARED = 3 };

struct entry {
	int64_t key, published;
	uint64_t url_hash, body_hash, source_hash, credit_hash;
	uint32_t story;   /* index in stories[] */
	uint32_t next;    /* next member of the same story, or NONE */
	uint32_t *sketch; /* owned; freed when the entry leaves the window */
	uint32_t n, shingles;
	bool digest; /* a round-up: a join target only for near-identical copies of itself */
};

struct story {
	int64_t id;
	uint32_t first, last, lead;
	bool lead_credited;
};

/* An open-addressing map from 64-bit keys to 32-bit values (NONE marks an empty slot). A
 * slot holds both, so a probe touches one cache line, not two (the candidate walk probes the
 * shingle map 512 times an article); in the shingle map it also holds the length of the
 * postings list it heads (in the padding the key's alignment leaves anyway), so a boilerplate
 * value's list is skipped without reading its first link. */
struct map_slot {
	uint64_t key;
	uint32_t val;
	uint32_t len; /* by_shingle: links in the list from val on (dead ones too); else 0 */
};
struct map {
	struct map_slot *slots;
	size_t cap, used; /* cap is a power of two */
};

/* A link of the postings pool: the article and the next (older) link of the same shingle.
 * One struct, so the candidate walk reads one cache line per link. */
struct link {
	uint32_t entry, next;
};

/* Per entry: how many values it shares with the article being added, valid when stamp is
 * the current one. */
struct tally {
	uint32_t stamp, count;
};

struct rank_stories {
	struct rank_stories_opts opts;
	struct entry *entries;
	size_t n_entries, cap_entries;
	size_t head; /* first entry still inside the window */
	struct story *stories;
	size_t n_stories, cap_stories;
	struct map by_shingle; /* shingle -> newest link in the pool */
	struct map by_url, by_body, by_story_id;
	struct link *links; /* the postings pool */
	size_t n_links, cap_links, live_links;
	struct tally *tally; /* per entry: shared values with the article being added */
	size_t cap_aux;      /* entries tally has room for */
	uint32_t cur_stamp;
	int64_t last_published;
};

/* ---- the map ----------------------------------------------------------------------------- */

/* map_home: the first slot probed for key (m->cap > 0). */
static inline size_t map_home(const struct map *m, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (m->cap - 1);
}

/* Probes of the shingle map are issued this many sketch values ahead of their use (a
 * prefetch: the slots are random, each a cache miss; overlapped, they cost one at a time). */
enum { PREFETCH_AHEAD = 12 };

/* prefetch_slot: start loading the first slot probed for key (m->cap > 0). */
static inline void prefetch_slot(const struct map *m, uint64_t key)
{
	__builtin_prefetch(&m->slots[map_home(m, key)]);
}

/* map_slot: where key is or would go. */
static size_t map_slot(const struct map *m, uint64_t key)
{
	size_t i = map_home(m, key);
	while (m->slots[i].val != NONE && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* map_get: the value for key, or NONE. */
static uint32_t map_get(const struct map *m, uint64_t key)
{
	return m->cap ? m->slots[map_slot(m, key)].val : NONE;
}

/* map_clear: empty, keeping the memory. */
static void map_clear(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		m->slots[i].val = NONE;
	m->used = 0;
}

/* map_reserve: make room for want keys at under half load (rehashing what is there). */
static enum ch_status map_reserve(struct map *m, size_t want)
{
	if (2 * want <= m->cap)
		return CH_OK;
	struct map g = { 0 };
	g.cap = m->cap ? m->cap : 1024;
	while (2 * want > g.cap)
		g.cap *= 2;
	g.slots = malloc(g.cap * sizeof *g.slots);
	if (!g.slots)
		return CH_ERR_NOMEM;
	map_clear(&g);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].val != NONE) {
			g.slots[map_slot(&g, m->slots[i].key)] = m->slots[i];
			g.used++;
		}
	free(m->slots);
	*m = g;
	return CH_OK;
}

/* map_put: set key to val (val != NONE), growing at half load. */
static enum ch_status map_put(struct map *m, uint64_t key, uint32_t val)
{
	if (2 * (m->used + 1) > m->cap && map_reserve(m, m->cap ? m->cap : 512) != CH_OK)
		return CH_ERR_NOMEM;
	size_t s = map_slot(m, key);
	if (m->slots[s].val == NONE)
		m->used++;
	m->slots[s] = (struct map_slot){ .key = key, .val = val };
	return CH_OK;
}

/* map_push: make l (a new link of entry e) the head of key's postings in the shingle map m,
 * linked to the list there before; m has room (map_reserve). */
static void map_push(struct map *m, struct link *links, uint64_t key, uint32_t l, uint32_t e)
{
	struct map_slot *slot = &m->slots[map_slot(m, key)];
	uint32_t next = slot->val;
	if (next == NONE)
		m->used++;
	links[l] = (struct link){ .entry = e, .next = next };
	*slot = (struct map_slot){ .key = key, .val = l, .len = next == NONE ? 1 : slot->len + 1 };
}

/* map_release: free the memory. */
static void map_release(struct map *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* grow: make room for one more element of size sz in *arr (n used, *cap allocated). */
static enum ch_status grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return CH_OK;
	size_t c = *cap ? *cap * 2 : 1024;
	void *g = realloc(*arr, c * sz);
	if (!g)
		return CH_ERR_NOMEM;
	*arr = g;
	*cap = c;
	return CH_OK;
}

/* ---- index life --------------------------------------------------------------------------- */

struct rank_stories_opts rank_stories_opts_default(void)
{
	return (struct rank_stories_opts){ .window = 3 * 86400,
					   .join = 0.5,
					   .join_late = 0.8,
					   .day = 20 * 3600,
					   .utc_offset = 12600,
					   .min_shingles = 6 };
}

struct rank_stories *rank_stories_new(const struct rank_stories_opts *opts)
{
	struct rank_stories *ix = calloc(1, sizeof *ix);
	if (!ix)
		return NULL;
	ix->opts = opts ? *opts : rank_stories_opts_default();
	struct rank_stories_opts *o = &ix->opts;
	o->window = o->window < 0 ? 0 : (o->window > TIME_RANGE ? TIME_RANGE : o->window);
	o->day = o->day < 0 ? 0 : (o->day > TIME_RANGE ? TIME_RANGE : o->day);
	o->utc_offset = o->utc_offset < -86400 ? -86400 : (o->utc_offset > 86400 ? 86400 : o->utc_offset);
	ix->last_published = INT64_MIN;
	return ix;
}

void rank_stories_free(struct rank_stories *ix)
{
	if (!ix)
		return;
	for (size_t i = ix->head; i < ix->n_entries; i++)
		free(ix->entries[i].sketch);
	free(ix->entries);
	free(ix->stories);
	map_release(&ix->by_shingle);
	map_release(&ix->by_url);
	map_release(&ix->by_body);
	map_release(&ix->by_story_id);
	free(ix->links);
	free(ix->tally);
	free(ix);
}

size_t rank_stories_live(const struct rank_stories *ix)
{
	return ix->n_entries - ix->head;
}

/* index_entry: add entry e's sketch values, URL and body to the lookup maps. */
static enum ch_status index_entry(struct rank_stories *ix, uint32_t e)
{
	struct entry *en = &ix->entries[e];
	enum ch_status st = CH_OK;
	if (ix->n_links + en->n > ix->cap_links) {
		size_t cap = ix->cap_links ? ix->cap_links : 4096;
		while (ix->n_links + en->n > cap)
			cap *= 2;
		struct link *grown = realloc(ix->links, cap * sizeof *grown);
		if (!grown)
			return CH_ERR_NOMEM;
		ix->links = grown;
		ix->cap_links = cap;
	}
	struct map *m = &ix->by_shingle;
	if (map_reserve(m, m->used + en->n + 1) != CH_OK)
		return CH_ERR_NOMEM;
	for (uint32_t i = 0; i < en->n; i++) {
		if (i + PREFETCH_AHEAD < en->n)
			prefetch_slot(m, en->sketch[i + PREFETCH_AHEAD]);
		map_push(m, ix->links, en->sketch[i], (uint32_t)ix->n_links++, e);
	}
	ix->live_links += en->n;
	if (st == CH_OK && en->url_hash)
		st = map_put(&ix->by_url, en->url_hash, e);
	if (st == CH_OK && en->body_hash)
		st = map_put(&ix->by_body, en->body_hash, e);
	return st;
}

/* expire: move the window's start to now - window, freeing sketches, and rebuild the postings
 * when dead links outnumber live ones. */
static enum ch_status expire(struct rank_stories *ix, int64_t now)
{
	while (ix->head < ix->n_entries && ix->entries[ix->head].published < now - ix->opts.window) {
		struct entry *en = &ix->entries[ix->head++];
		ix->live_links -= en->n;
		free(en->sketch);
		en->sketch = NULL;
		en->n = 0;
	}
	if (ix->n_links < 4096 || ix->n_links < 2 * ix->live_links)
		return CH_OK;
	map_clear(&ix->by_shingle);
	map_clear(&ix->by_url);
	map_clear(&ix->by_body);
	ix->n_links = ix->live_links = 0;
	enum ch_status st = CH_OK;
	for (size_t e = ix->head; st == CH_OK && e < ix->n_entries; e++)
		st = index_entry(ix, (uint32_t)e);
	return st;
}

/* append_entry: store sig under key as a new entry of story s (NONE: not yet known) and return
 * its index in *e. */
static enum ch_status append_entry(struct rank_stories *ix, int64_t key, const struct rank_sig *sig,
				   uint32_t *e)
{
	enum ch_status st = grow((void **)&ix->entries, ix->n_entries, &ix->cap_entries, sizeof *ix->entries);
	if (st != CH_OK)
		return st;
	if (ix->n_entries >= NONE - 1)
		return CH_ERR_LIMIT;
	if (ix->cap_aux < ix->cap_entries) {
		struct tally *tally = realloc(ix->tally, ix->cap_entries * sizeof *tally);
		if (!tally)
			return CH_ERR_NOMEM;
		ix->tally = tally;
		ix->cap_aux = ix->cap_entries;
	}
	struct entry *en = &ix->entries[ix->n_entries];
	memset(en, 0, sizeof *en);
	en->key = key;
	en->published = sig->published;
	en->url_hash = sig->url_hash;
	en->body_hash = sig->body_hash;
	en->source_hash = sig->source_hash;
	en->credit_hash = sig->credit_hash;
	en->story = NONE;
	en->next = NONE;
	en->shingles = sig->shingles;
	en->n = sig->n > RANK_SKETCH_MAX ? RANK_SKETCH_MAX : sig->n;
	if (en->n) {
		en->sketch = malloc(en->n * sizeof *en->sketch);
		if (!en->sketch)
			return CH_ERR_NOMEM;
		memcpy(en->sketch, sig->v, en->n * sizeof *en->sketch);
	}
	ix->tally[ix->n_entries].stamp = 0;
	*e = (uint32_t)ix->n_entries++;
	return CH_OK;
}

/* ---- stories and their leads ------------------------------------------------------------- */

/* new_story: a story with id whose first member is entry e. */
static enum ch_status new_story(struct rank_stories *ix, int64_t id, uint32_t e)
{
	enum ch_status st = grow((void **)&ix->stories, ix->n_stories, &ix->cap_stories, sizeof *ix->stories);
	if (st != CH_OK)
		return st;
	uint32_t s = (uint32_t)ix->n_stories++;
	ix->stories[s] = (struct story){ .id = id, .first = e, .last = e, .lead = e };
	ix->entries[e].story = s;
	return map_put(&ix->by_story_id, (uint64_t)id, s);
}

/* join_story: make entry e the newest member of story s and update the lead: an outlet that a
 * member credits as the original leads, once found; otherwise the first article does. */
static void join_story(struct rank_stories *ix, uint32_t s, uint32_t e)
{
	struct story *st = &ix->stories[s];
	struct entry *en = &ix->entries[e];
	ix->entries[st->last].next = e;
	st->last = e;
	en->story = s;
	if (st->lead_credited)
		return;
	for (uint32_t m = st->first; m != NONE; m = ix->entries[m].next) {
		struct entry *mem = &ix->entries[m];
		if (m == e)
			continue;
		if (en->source_hash && mem->credit_hash == en->source_hash) {
			st->lead = e;
			st->lead_credited = true;
			return;
		}
		if (en->credit_hash && mem->source_hash == en->credit_hash) {
			st->lead = m;
			st->lead_credited = true;
			return;
		}
	}
}

/* fill: the assignment of entry e. */
static void fill(const struct rank_stories *ix, uint32_t e, bool exact, double score,
		 struct rank_assignment *out)
{
	const struct story *s = &ix->stories[ix->entries[e].story];
	out->story = s->id;
	out->lead = ix->entries[s->lead].key;
	out->new_story = s->first == e;
	out->exact = exact;
	out->score = score;
	out->digest = ix->entries[e].digest;
}

/* ---- the decision ------------------------------------------------------------------------ */

/* Verified similarity of the new article with one candidate. */
struct match {
	uint32_t shared;
	double c_new, c_old;
	uint64_t hit[RANK_SKETCH_MAX / 64]; /* which values of the new sketch the candidate has */
};

/* compare: the containments of sketches a (new) and b (candidate), see the file comment. */
static struct match compare(const uint32_t *a, uint32_t an, bool a_full, const struct entry *b)
{
	bool b_full = b->shingles > b->n;
	uint32_t t = UINT32_MAX;
	if (a_full && an)
		t = a[an - 1];
	if (b_full && b->n && b->sketch[b->n - 1] < t)
		t = b->sketch[b->n - 1];
	struct match m;
	memset(&m, 0, sizeof m);
	uint32_t i = 0, j = 0, na = 0, nb = 0, shared = 0;
	while (i < an && a[i] <= t && j < b->n && b->sketch[j] <= t) {
		if (a[i] == b->sketch[j]) {
			m.hit[i / 64] |= 1ull << (i % 64);
			shared++, i++, j++, na++, nb++;
		}
		else if (a[i] < b->sketch[j])
			i++, na++;
		else
			j++, nb++;
	}
	while (i < an && a[i] <= t)
		i++, na++;
	while (j < b->n && b->sketch[j] <= t)
		j++, nb++;
	m.shared = shared;
	m.c_new = na ? (double)shared / na : 0;
	m.c_old = nb ? (double)shared / nb : 0;
	return m;
}

/* below: how many of the n ascending values v are <= t. */
static uint32_t below(const uint32_t *v, uint32_t n, uint32_t t)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* sampled_min: the smaller of the two sketches' sizes below their common threshold (see
 * compare): a candidate sharing fewer than half of that can reach no join threshold. */
static uint32_t sampled_min(const struct entry *a, const struct entry *b)
{
	uint32_t t = UINT32_MAX;
	if (a->shingles > a->n && a->n && a->sketch[a->n - 1] < t)
		t = a->sketch[a->n - 1];
	if (b->shingles > b->n && b->n && b->sketch[b->n - 1] < t)
		t = b->sketch[b->n - 1];
	uint32_t na = below(a->sketch, a->n, t), nb = below(b->sketch, b->n, t);
	return na < nb ? na : nb;
}

/* cmp_by_count: qsort order of candidates, most shared values first, newest on ties. */
static int cmp_by_count(const void *x, const void *y)
{
	const uint32_t *a = x, *b = y; /* pairs: count, entry */
	if (a[0] != b[0])
		return a[0] < b[0] ? 1 : -1;
	return a[1] < b[1] ? 1 : (a[1] > b[1] ? -1 : 0);
}

/* What the new article shares with one candidate story. */
struct verdict {
	uint32_t story;
	double c_new, c_old; /* best containments that reach the join threshold, else 0 */
	uint64_t hit[RANK_SKETCH_MAX / 64]; /* new sketch values found in the story's members */
};

/* popcount64: set bits of x. */
static int popcount64(uint64_t x)
{
	return __builtin_popcountll(x);
}

/* digest: whether the new text, beside what it shares with story v[best], shares a good part
 * with other stories (more than DIGEST_OTHER of what it shares with the best): a round-up.
 * Only values that one other story alone shares count (boilerplate shared by many stories,
 * "به گزارش خبرگزاری فارس", does not), and only for a story with at least DIGEST_MIN_SHARED of
 * them and a fifth of what the best shares: a copy's few other headlines ("بیشتر بخوانید")
 * stay below. */
static bool digest(const struct verdict *v, size_t nv, size_t best)
{
	enum { WORDS = RANK_SKETCH_MAX / 64 };
	uint64_t once[WORDS] = { 0 }, twice[WORDS] = { 0 }, others[WORDS] = { 0 };
	int own = 0, other = 0;
	for (int w = 0; w < WORDS; w++) {
		own += popcount64(v[best].hit[w]);
		for (size_t s = 0; s < nv; s++)
			if (s != best) {
				twice[w] |= once[w] & v[s].hit[w];
				once[w] |= v[s].hit[w];
			}
	}
	int need = own / 5 > DIGEST_MIN_SHARED ? own / 5 : DIGEST_MIN_SHARED;
	for (size_t s = 0; s < nv; s++) {
		uint64_t mine[WORDS];
		int exclusive = 0;
		for (int w = 0; s != best && w < WORDS; w++) {
			mine[w] = v[s].hit[w] & once[w] & ~twice[w] & ~v[best].hit[w];
			exclusive += popcount64(mine[w]);
		}
		for (int w = 0; exclusive >= need && w < WORDS; w++)
			others[w] |= mine[w];
	}
	for (int w = 0; w < WORDS; w++)
		other += popcount64(others[w]);
	return other > DIGEST_OTHER * own;
}

/* is_late: whether a candidate published at then is "another day" for an article published at
 * now: more than opts.day earlier, or on an earlier local calendar day and more than a quarter
 * of opts.day earlier (a copy republished just after midnight is still the same day's news). */
static bool is_late(const struct rank_stories *ix, int64_t then, int64_t now)
{
	int64_t age = now - then;
	if (age > ix->opts.day)
		return true;
	int64_t d0 = (then + ix->opts.utc_offset) / 86400, d1 = (now + ix->opts.utc_offset) / 86400;
	return d0 != d1 && age > ix->opts.day / 4;
}

/* The candidate walk of one new article: the candidates met (pairs: count, entry; counts
 * are filled in later from the tallies) and whether memory ran out. */
struct walk {
	struct rank_stories *ix;
	uint32_t *cands;
	size_t nc, capc;
	bool nomem;
};

/* Posting lists walked side by side: each step of a list waits for a link somewhere in the
 * pool, and independent lists let those waits overlap instead of queueing. */
enum { LANES = 8 };

/* visit: count entry c (live) as sharing one more value with the new article. */
static inline void visit(struct walk *w, uint32_t c)
{
	struct tally *t = &w->ix->tally[c];
	if (t->stamp != w->ix->cur_stamp) {
		t->stamp = w->ix->cur_stamp;
		t->count = 0;
		if (w->nomem || grow((void **)&w->cands, w->nc, &w->capc, 2 * sizeof *w->cands) != CH_OK) {
			w->nomem = true;
			t->count++;
			return;
		}
		w->cands[2 * w->nc] = 0;
		w->cands[2 * w->nc + 1] = c;
		w->nc++;
	}
	t->count++;
}

/* lists_of: the first links of the postings of en's sketch values worth walking (not those
 * of a boilerplate value, longer than MAX_POSTINGS), in sketch order, into heads; how many.
 * The map's slots are fetched PREFETCH_AHEAD values ahead. */
static uint32_t lists_of(const struct rank_stories *ix, const struct entry *en, uint32_t *heads)
{
	const struct map *m = &ix->by_shingle;
	uint32_t nh = 0;
	if (!m->cap)
		return 0;
	for (uint32_t i = 0; i < en->n; i++) {
		if (i + PREFETCH_AHEAD < en->n)
			prefetch_slot(m, en->sketch[i + PREFETCH_AHEAD]);
		const struct map_slot *slot = &m->slots[map_slot(m, en->sketch[i])];
		if (slot->val != NONE && slot->len <= MAX_POSTINGS)
			heads[nh++] = slot->val;
	}
	return nh;
}

/* walk_postings: tally, for every live entry, how many of en's sketch values it holds (each
 * value's postings, newest first, down to the first entry outside the window), LANES lists at
 * a time. The tallies do not depend on the order the lists are walked in. */
static void walk_postings(struct walk *w, const struct entry *en)
{
	const struct rank_stories *ix = w->ix;
	uint32_t heads[RANK_SKETCH_MAX];
	uint32_t n_heads = lists_of(ix, en, heads), next_list = 0;
	uint32_t lane[LANES];
	int busy = 0;
	for (int k = 0; k < LANES; k++) {
		lane[k] = next_list < n_heads ? heads[next_list++] : NONE;
		busy += lane[k] != NONE;
	}
	while (busy) {
		for (int k = 0; k < LANES; k++) {
			uint32_t l = lane[k];
			if (l == NONE)
				continue;
			uint32_t c = ix->links[l].entry;
			if (c >= ix->head) {
				visit(w, c);
				l = ix->links[l].next;
			} else {
				l = NONE; /* the rest of the list left the window */
			}
			if (l == NONE && next_list < n_heads) {
				l = heads[next_list++];
				if (next_list + LANES < n_heads) /* the first link a lane takes later */
					__builtin_prefetch(&ix->links[heads[next_list + LANES]]);
			}
			busy -= l == NONE;
			lane[k] = l;
		}
	}
}

/* decide: the story for the new entry e (not yet in the postings): an existing story's index
 * with *score, or NONE for a new story; *is_digest tells that e joined none because it is a
 * round-up. */
static uint32_t decide(struct rank_stories *ix, uint32_t e, double *score, bool *is_digest)
{
	const struct entry *en = &ix->entries[e];
	*score = 0;
	*is_digest = false;
	if (en->shingles < ix->opts.min_shingles)
		return NONE;
	/* count shared sketch values per live candidate */
	struct walk walk = { .ix = ix };
	if (++ix->cur_stamp == 0)
		ix->cur_stamp = 1, memset(ix->tally, 0, ix->n_entries * sizeof *ix->tally);
	walk_postings(&walk, en);
	uint32_t *cands = walk.cands;
	size_t nc = walk.nc;
	/* keep the candidates worth a verification: enough shared values to join or to mark a
	 * digest, or a good share of a short text */
	size_t kept = 0;
	for (size_t k = 0; k < nc; k++) {
		uint32_t c = cands[2 * k + 1], count = ix->tally[c].count;
		if (count >= DIGEST_MIN_SHARED || (count >= MIN_SHARED && 2 * count >= sampled_min(en, &ix->entries[c]))) {
			cands[2 * kept] = count;
			cands[2 * kept + 1] = c;
			kept++;
		}
	}
	nc = kept;
	if (nc > 1)
		qsort(cands, nc, 2 * sizeof *cands, cmp_by_count);
	if (nc > MAX_VERIFY)
		nc = MAX_VERIFY;

	bool full = en->shingles > en->n;
	struct verdict v[MAX_VERIFY]; /* one per distinct candidate story */
	size_t nv = 0;
	for (size_t k = 0; k < nc && cands[2 * k] >= MIN_SHARED; k++) {
		const struct entry *c = &ix->entries[cands[2 * k + 1]];
		struct match m = compare(en->sketch, en->n, full, c);
		if (m.shared < MIN_SHARED)
			continue;
		size_t s = 0;
		while (s < nv && v[s].story != c->story)
			s++;
		if (s == nv)
			memset(&v[nv++], 0, sizeof *v), v[s].story = c->story;
		for (int w = 0; w < RANK_SKETCH_MAX / 64; w++)
			v[s].hit[w] |= m.hit[w];
		bool late = is_late(ix, c->published, en->published);
		double need = late ? ix->opts.join_late : ix->opts.join;
		bool target = !c->digest || m.c_old >= need; /* into a round-up only its copies */
		if (target && m.c_new >= need && m.c_new > v[s].c_new)
			v[s].c_new = m.c_new;
		if (!late && m.c_old >= need && c->shingles >= ix->opts.min_shingles && m.c_old > v[s].c_old)
			v[s].c_old = m.c_old;
	}
	free(cands);
	size_t best_new = nv, best_old = nv, n_inside = 0;
	for (size_t s = 0; s < nv; s++) {
		if (v[s].c_new > 0 && (best_new == nv || v[s].c_new > v[best_new].c_new))
			best_new = s;
		if (v[s].c_old > 0) {
			n_inside++;
			if (best_old == nv || v[s].c_old > v[best_old].c_old)
				best_old = s;
		}
	}
	if (best_new < nv) {
		if (!digest(v, nv, best_new)) {
			*score = v[best_new].c_new;
			return v[best_new].story;
		}
		*is_digest = true;
	}
	if (best_old < nv && n_inside == 1) {
		if (!digest(v, nv, best_old)) {
			*score = v[best_old].c_old;
			return v[best_old].story;
		}
		*is_digest = true;
	}
	if (n_inside > 1) /* holds most of several stories */
		*is_digest = true;
	return NONE;
}

/* exact_story: the story of a live entry with the same URL or body, or NONE. */
static uint32_t exact_story(const struct rank_stories *ix, const struct entry *en)
{
	uint32_t m = en->url_hash ? map_get(&ix->by_url, en->url_hash) : NONE;
	if (m != NONE && m >= ix->head && m < ix->n_entries && ix->entries[m].url_hash == en->url_hash)
		return ix->entries[m].story;
	m = en->body_hash ? map_get(&ix->by_body, en->body_hash) : NONE;
	if (m != NONE && m >= ix->head && m < ix->n_entries && ix->entries[m].body_hash == en->body_hash)
		return ix->entries[m].story;
	return NONE;
}

/* place: common start of add and restore: clamp time, expire, append the entry. */
static enum ch_status place(struct rank_stories *ix, int64_t key, const struct rank_sig *sig,
			    uint32_t *e)
{
	struct rank_sig clamped;
	const struct rank_sig *use = sig;
	int64_t when = sig->published;
	if (when < -TIME_RANGE)
		when = -TIME_RANGE;
	if (when > TIME_RANGE)
		when = TIME_RANGE;
	if (when < ix->last_published)
		when = ix->last_published;
	if (when != sig->published) {
		clamped = *sig;
		clamped.published = when;
		use = &clamped;
	}
	ix->last_published = use->published;
	enum ch_status st = expire(ix, use->published);
	return st == CH_OK ? append_entry(ix, key, use, e) : st;
}

enum ch_status rank_stories_add_sig(struct rank_stories *ix, int64_t key, struct rank_sig *sig,
				    struct rank_assignment *out, struct ch_error *err)
{
	uint32_t e;
	enum ch_status st = place(ix, key, sig, &e);
	if (st != CH_OK)
		return ch_fail(err, st, "story index: %s", ch_status_name(st));
	uint32_t s = exact_story(ix, &ix->entries[e]);
	bool exact = s != NONE;
	double score = exact ? 1.0 : 0.0;
	bool is_digest = false;
	if (!exact)
		s = decide(ix, e, &score, &is_digest);
	ix->entries[e].digest = is_digest;
	sig->flags = is_digest ? sig->flags | RANK_SIG_DIGEST : sig->flags & ~RANK_SIG_DIGEST;
	if (s == NONE)
		st = new_story(ix, key, e);
	else
		join_story(ix, s, e);
	if (st == CH_OK)
		st = index_entry(ix, e);
	if (st != CH_OK)
		return ch_fail(err, st, "story index: %s", ch_status_name(st));
	fill(ix, e, exact, score, out);
	return CH_OK;
}

enum ch_status rank_stories_add(struct rank_stories *ix, int64_t key, const struct rank_article *a,
				struct rank_assignment *out, struct ch_error *err)
{
	struct rank_sig *sig = malloc(sizeof *sig);
	if (!sig)
		return ch_fail(err, CH_ERR_NOMEM, "story index: out of memory");
	enum ch_status st = rank_sig_compute(a, sig, err);
	if (st == CH_OK)
		st = rank_stories_add_sig(ix, key, sig, out, err);
	free(sig);
	return st;
}

enum ch_status rank_stories_restore(struct rank_stories *ix, int64_t key, const struct rank_sig *sig,
				    int64_t story, struct ch_error *err)
{
	uint32_t e;
	enum ch_status st = place(ix, key, sig, &e);
	if (st == CH_OK) {
		ix->entries[e].digest = (sig->flags & RANK_SIG_DIGEST) != 0;
		uint32_t s = map_get(&ix->by_story_id, (uint64_t)story);
		if (s == NONE)
			st = new_story(ix, story, e);
		else
			join_story(ix, s, e);
	}
	if (st == CH_OK)
		st = index_entry(ix, e);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "story index: %s", ch_status_name(st));
}
