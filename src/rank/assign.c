/*
 * assign.c — keeps stories in the store up to date: articles without a story are clustered in
 * publication order (rank_stories_add_sig) and each decision is stored with the article's
 * signature, so after a restart the index is rebuilt from the store instead of recomputed.
 * Each article's related articles are found in the window's word index (rank_df) and saved
 * with it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rank/assign.h"

/* Articles read per round: store_articles_unassigned's query is planned over every unassigned
 * article (sorting them all, bodies included), so a store loaded before it is clustered pays
 * that once per round; a larger round pays it less often (5,000 bodies are ~15 MB). */
#define BATCH 5000
#define RELATED_WINDOW_S (3 * 86400) /* "read more" looks this far either side */
#define RELATED_KEEP 8
#define RELATED_WORDS_MAX 10 /* candidate words of an article's title and lead looked at */
#define RELATED_PICKED 4     /* of which the rarest few find its related articles */
/* An article's words are kept in the store up to this size (9 bytes a distinct word); a
 * longer text is tokenized again when a run's window needs it. */
#define WORDS_BLOB_MAX (4u << 20)

enum ch_status rank_index_load(struct store *st, struct rank_stories **out, struct ch_error *err)
{
	struct rank_stories_opts opts = rank_stories_opts_default();
	struct rank_stories *ix = rank_stories_new(&opts);
	if (!ix)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	int64_t latest = 0;
	enum ch_status s = store_story_latest_sig_time(st, &latest, err);
	struct arena a;
	arena_init(&a, 0);
	struct story_sig *sigs = NULL;
	size_t n = 0;
	if (s == CH_OK && latest)
		s = store_story_sigs(st, latest - opts.window, &a, &sigs, &n, err);
	struct rank_sig *sig = malloc(sizeof *sig);
	if (!sig && s == CH_OK)
		s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; s == CH_OK && i < n; i++) {
		struct ch_error e2 = { 0 };
		if (rank_sig_decode(sigs[i].sig, sigs[i].sig_len, sig, &e2) != CH_OK ||
		    rank_stories_restore(ix, sigs[i].article_id, sig, sigs[i].story_id, &e2) != CH_OK)
			log_warn("stories: article %lld not restored: %s", (long long)sigs[i].article_id, e2.msg);
	}
	free(sig);
	arena_release(&a);
	if (s != CH_OK) {
		rank_stories_free(ix);
		return s;
	}
	*out = ix;
	return CH_OK;
}

/* What clustering one article needs besides the index: its signature, the blob it is stored
 * as, its words, and the window's words (counts and the related articles'
 * inverted index: rank_df), which hold the store's clustered articles of the window before
 * the first article clustered (`loaded`) and every article clustered since. */
struct assign_work {
	struct rank_sig *sig;
	struct rank_words words;
	struct buf words_blob; /* words encoded for the store (keep_words) */
	struct rank_df *df;
	bool loaded;
	/* where the tokens of the articles to cluster may be kept: the connection that stored
	 * them (tokens_st, the sequential path), or the sets handed over by the storing thread
	 * (held, the clusterer's) */
	struct store *tokens_st;
	struct store_tokens *held[RANK_CLUSTERER_QUEUE];
	size_t n_held;
	struct rank_clusterer *cl; /* NULL, or the clusterer this work runs in (write turn, stop) */
	bool batch_coming; /* at the last pull, the storing thread had taken its write turn and
			    * not submitted since: articles after the sets held are its batch's */
	double window_cpu_s;
	size_t replayed, tokenized;
};

/* One article's clustering decided in memory, to be written with its round (write_round). */
struct decision {
	int64_t id, story, lead;
	size_t sig_off, sig_len;     /* in the write set's bytes */
	size_t words_off, words_len; /* 0: no words to keep */
	int64_t related[RELATED_KEEP];
	size_t n_related;
	bool ok;         /* decided; false: it gets a story of its own */
	bool related_ok; /* its related articles were found: save them */
};

/* A round's decisions and the bytes their blobs are kept in. */
struct write_set {
	struct decision *d;
	size_t n, cap;
	struct buf bytes;
};

/* index_words: add the article (id, story, published) whose words wk->words holds to the
 * window's counts and related index. */
static enum ch_status index_words(struct assign_work *wk, int64_t id, int64_t story, int64_t published)
{
	const struct rank_words *w = &wk->words;
	struct rank_df_doc doc = { .id = id, .story = story, .published = published, .hashes = w->keys,
				   .weights = w->weights, .n = w->n_keys, .length = w->n_tokens };
	return rank_df_add_doc(wk->df, &doc);
}

/* Counting stops here: a word held by this many of the window's articles is no telling word
 * and is not picked (its matches would be many and say little). */
#define DOCS_CAP 128

/* related_words: the words related articles are looked up by: of the distinct longer words of
 * ar's title (and of its lead, when the title has few), at most RELATED_WORDS_MAX, the
 * RELATED_PICKED held by the fewest articles of the window (this one included, so at least 2:
 * shared with another) and by fewer than DOCS_CAP. Returns how many, into out. */
static size_t related_words(const struct rank_words *w, const struct rank_df *df, uint64_t *out)
{
	size_t n = 0;
	uint64_t seen[RELATED_WORDS_MAX];
	uint32_t docs[RELATED_WORDS_MAX];
	for (size_t i = 0; i < w->n_head && n < RELATED_WORDS_MAX; i++) {
		const struct rank_word *rw = &w->head[i];
		if (rw->field == 1 && i > 0 && w->head[i - 1].field == 0 && n >= RELATED_PICKED + 2)
			break; /* the title has enough */
		if (rw->key_len < 4 || rw->key_len >= 128)
			continue; /* short words say little */
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++)
			dup = seen[j] == rw->hash;
		if (dup)
			continue;
		seen[n] = rw->hash;
		docs[n++] = rank_df_count(df, rw->hash);
	}
	size_t picked = 0;
	for (; picked < RELATED_PICKED; picked++) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (docs[i] >= 2 && docs[i] < DOCS_CAP && (best == n || docs[i] < docs[best]))
				best = i;
		if (best == n)
			break;
		out[picked] = seen[best];
		docs[best] = 0; /* taken */
	}
	return picked;
}

/* related_find: ar's related articles (ar is in the window's index already) into d. */
static void related_find(const struct article *ar, int64_t story, const struct assign_work *wk,
			 struct decision *d)
{
	uint64_t picked[RELATED_PICKED];
	struct rank_df_query q = { .id = ar->id, .story = story, .published = ar->published,
				   .window = RELATED_WINDOW_S, .words = picked };
	q.n_words = related_words(&wk->words, wk->df, picked);
	d->n_related = q.n_words ? rank_df_related(wk->df, &q, d->related, RELATED_KEEP) : 0;
	d->related_ok = true;
}

/* An article whose tokens may still be kept from indexing it (store_tokens_keep): by the
 * connection clustering it, or in the sets handed over with it. */
struct stored_tokens {
	struct assign_work *wk;
	const struct article *ar;
	bool hit;
};

/* replay_stored: rank_article.replay from the kept tokens. */
static bool replay_stored(void *ctx, int field, size_t len,
			  int (*fn)(void *, const char *, size_t, size_t, size_t, bool), void *fn_ctx)
{
	struct stored_tokens *s = ctx;
	const struct assign_work *wk = s->wk;
	bool hit = false;
	if (wk->tokens_st) {
		hit = store_article_tokens(wk->tokens_st, s->ar->id, field, len, fn, fn_ctx);
	} else {
		const char *text = field == 0 ? s->ar->title : field == 1 ? s->ar->lead : s->ar->body_text;
		for (size_t i = wk->n_held; !hit && i-- > 0;)
			hit = store_tokens_replay(wk->held[i], s->ar->id, field, text, len, fn, fn_ctx);
	}
	s->hit |= hit;
	return hit;
}

/* keep_words: encode wk->words (the article d decides) into ws's bytes, for later runs'
 * window_words; too large for the cap: not kept (tokenized again when needed). */
static void keep_words(struct assign_work *wk, struct write_set *ws, struct decision *d)
{
	buf_reset(&wk->words_blob);
	if (rank_words_encode(&wk->words, &wk->words_blob) != CH_OK)
		return;
	size_t off = ws->bytes.n;
	if (buf_add(&ws->bytes, wk->words_blob.p, wk->words_blob.n) != CH_OK)
		return;
	d->words_off = off;
	d->words_len = wk->words_blob.n;
}

/* decide_one: cluster one stored article into ix and wk's window, recording in *d (already
 * pushed, id set) what write_round will store: story, lead and signature, words, related
 * articles. Nothing is read from or written to the store here, so the clusterer does it
 * outside any transaction. */
static enum ch_status decide_one(struct rank_stories *ix, const struct article *ar, struct assign_work *wk,
				 struct write_set *ws, struct decision *d, struct ch_error *err)
{
	struct rank_article ra = {
		.source = ar->source_name,
		.source_credit = ar->origin,
		.url = ar->canonical_url ? ar->canonical_url : ar->url,
		.title = ar->title,
		.lead = ar->lead,
		.body = ar->body_text,
		.published = ar->published,
	};
	struct stored_tokens kept = { .wk = wk, .ar = ar };
	ra.replay = replay_stored;
	ra.replay_ctx = &kept;
	struct rank_assignment as;
	enum ch_status s = rank_sig_compute_words(&ra, wk->sig, &wk->words, err);
	if (s == CH_OK) {
		if (kept.hit)
			wk->replayed++;
		else
			wk->tokenized++;
		s = rank_stories_add_sig(ix, ar->id, wk->sig, &as, err);
	}
	size_t off = ws->bytes.n;
	if (s != CH_OK)
		return s;
	if ((s = rank_sig_encode(wk->sig, &ws->bytes)) != CH_OK)
		return ch_fail(err, s, "signature not encoded");
	*d = (struct decision){ .id = ar->id, .story = as.story, .lead = as.lead, .sig_off = off,
				.sig_len = ws->bytes.n - off, .ok = true };
	keep_words(wk, ws, d);
	if (index_words(wk, ar->id, as.story, ar->published) != CH_OK)
		log_warn("related: article %lld: out of memory", (long long)ar->id);
	else
		related_find(ar, as.story, wk, d);
	return CH_OK;
}

/* write_one: store decision d of an article published at `published` (its story and
 * signature, words, related articles); an article whose decision failed or cannot be stored
 * gets a story of its own, so it never blocks the queue. False when even that failed. */
static bool write_one(struct store *st, const struct write_set *ws, const struct decision *d, int64_t published)
{
	struct ch_error e2 = { 0 };
	const char *bytes = ws->bytes.p;
	if (d->ok && store_story_assign(st, d->id, d->story, d->lead, bytes + d->sig_off, d->sig_len, &e2) == CH_OK) {
		if (d->words_len &&
		    store_article_words_put(st, d->id, published, bytes + d->words_off, d->words_len, &e2) != CH_OK)
			log_warn("words: article %lld not kept: %s", (long long)d->id, e2.msg);
		if (d->related_ok && store_related_save(st, d->id, d->related, d->n_related, &e2) != CH_OK)
			log_warn("related: article %lld: %s", (long long)d->id, e2.msg);
		return true;
	}
	if (d->ok)
		log_warn("stories: article %lld: %s", (long long)d->id, e2.msg);
	return store_story_assign(st, d->id, d->id, d->id, NULL, 0, &e2) == CH_OK;
}

/* window_words: the words of window article v into wk->words: decoded from the kept blob, or
 * computed from its text (*computed set: the caller may keep them). False when neither works
 * (the article is left out, as an unreadable one always was). */
static bool window_words(struct assign_work *wk, const struct window_article *v, bool *computed)
{
	struct ch_error e2 = { 0 };
	*computed = false;
	if (v->words && rank_words_decode(v->words, v->words_len, &wk->words, &e2) == CH_OK)
		return true;
	struct rank_article ra = { .title = v->title, .lead = v->lead, .body = v->body_text,
				   .published = v->published };
	if (v->words) /* a blob that cannot be read: its text was not loaded; leave it out */
		return false;
	if (rank_sig_compute_words(&ra, wk->sig, &wk->words, &e2) != CH_OK)
		return false;
	*computed = true;
	return true;
}

static double thread_cpu_s(void);
static void turn_take(struct rank_clusterer *c);
static void turn_give(struct rank_clusterer *c);

/* write_turn / write_done: around a write transaction of a clusterer's work, its write turn
 * (rank_clusterer_write_begin); nothing for the sequential path. */
static void write_turn(struct assign_work *wk)
{
	if (wk->cl)
		turn_take(wk->cl);
}

static void write_done(struct assign_work *wk)
{
	if (wk->cl)
		turn_give(wk->cl);
}

/* Words computed for window articles, kept in the store a chunk at a time (window_keep). */
#define WINDOW_KEEP_CHUNK 1000
struct window_kept {
	struct buf bytes;
	struct {
		int64_t id, published;
		size_t off, len;
	} w[WINDOW_KEEP_CHUNK];
	size_t n;
};

/* window_keep: store the words gathered in k in one transaction (the clusterer's write turn
 * held only for that, not while they were computed) and empty k. They are a cache: a failure
 * only costs a later run the tokenizing. */
static void window_keep(struct store *st, struct assign_work *wk, struct window_kept *k)
{
	if (!k->n)
		return;
	write_turn(wk);
	if (store_batch_begin(st, NULL) == CH_OK) {
		struct ch_error e2 = { 0 };
		for (size_t i = 0; i < k->n; i++)
			if (store_article_words_put(st, k->w[i].id, k->w[i].published, k->bytes.p + k->w[i].off,
						    k->w[i].len, &e2) != CH_OK)
				log_warn("words: article %lld not kept: %s", (long long)k->w[i].id, e2.msg);
		store_batch_end(st, CH_OK, NULL);
	}
	write_done(wk);
	k->n = 0;
	buf_reset(&k->bytes);
}

/* window_gather: add window article v's words just computed (wk->words) to k, storing k
 * first when it is full. */
static void window_gather(struct store *st, struct assign_work *wk, struct window_kept *k,
			  const struct window_article *v)
{
	buf_reset(&wk->words_blob);
	if (rank_words_encode(&wk->words, &wk->words_blob) != CH_OK)
		return; /* larger than the cap: tokenized again when needed */
	if (k->n == WINDOW_KEEP_CHUNK)
		window_keep(st, wk, k);
	size_t off = k->bytes.n;
	if (buf_add(&k->bytes, wk->words_blob.p, wk->words_blob.n) != CH_OK)
		return;
	k->w[k->n].id = v->id;
	k->w[k->n].published = v->published;
	k->w[k->n].off = off;
	k->w[k->n++].len = wk->words_blob.n;
}

/* load_window: index the words of the store's clustered articles published in the window
 * before t (the first article to cluster), so that related articles and word counts see
 * them as they see the ones clustered here. Their words are read as the clustering kept them;
 * an article without (clustered before schema 10, or its text changed) is tokenized, and its
 * words kept for the next run, a chunk per transaction. */
static enum ch_status load_window(struct store *st, struct assign_work *wk, int64_t t, struct ch_error *err)
{
	struct arena a;
	arena_init(&a, 0);
	struct window_article *v = NULL;
	size_t n = 0;
	struct window_kept *k = malloc(sizeof *k);
	if (!k)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	k->n = 0;
	buf_init(&k->bytes, BUF_NO_LIMIT);
	double c0 = wk->cl ? thread_cpu_s() : 0;
	enum ch_status s = store_articles_window(st, t - RELATED_WINDOW_S, t, &a, &v, &n, err);
	for (size_t i = 0; s == CH_OK && i < n; i++) {
		bool computed = false;
		if (!window_words(wk, &v[i], &computed))
			continue; /* an article whose words cannot be read is left out */
		if (computed)
			window_gather(st, wk, k, &v[i]);
		if (index_words(wk, v[i].id, v[i].story_id, v[i].published) != CH_OK)
			s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	window_keep(st, wk, k); /* committed even if indexing failed */
	buf_release(&k->bytes);
	free(k);
	arena_release(&a);
	wk->loaded = s == CH_OK;
	if (wk->cl)
		wk->window_cpu_s += thread_cpu_s() - c0;
	return s;
}

/* work_init: what decide_one needs, with empty counts. */
static enum ch_status work_init(struct assign_work *wk, struct ch_error *err)
{
	*wk = (struct assign_work){ .sig = malloc(sizeof *wk->sig), .df = rank_df_new(RELATED_WINDOW_S) };
	buf_init(&wk->words_blob, WORDS_BLOB_MAX);
	if (wk->sig && wk->df)
		return CH_OK;
	free(wk->sig);
	rank_df_free(wk->df);
	*wk = (struct assign_work){ 0 };
	return ch_fail(err, CH_ERR_NOMEM, "out of memory");
}

/* reset_words: empty the window's words, to be loaded again from the store. */
static enum ch_status reset_words(struct assign_work *wk, struct ch_error *err)
{
	struct rank_df *fresh = rank_df_new(RELATED_WINDOW_S);
	if (!fresh)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	rank_df_free(wk->df);
	wk->df = fresh;
	wk->loaded = false;
	return CH_OK;
}

/* work_release: free what work_init and the runs allocated, the token sets held included. */
static void work_release(struct assign_work *wk)
{
	for (size_t i = 0; i < wk->n_held; i++)
		store_tokens_free(wk->held[i]);
	buf_release(&wk->words_blob);
	rank_words_release(&wk->words);
	rank_df_free(wk->df);
	free(wk->sig);
	*wk = (struct assign_work){ 0 };
}

/* Kept words are dropped once older than this before the newest signature: a run's window
 * (RELATED_WINDOW_S before its first article) reaches back that far for articles up to a
 * window late. */
#define WORDS_KEEP_S (2 * RELATED_WINDOW_S)

/* prune_words: drop the words kept of articles no run's window is likely to read again; a
 * failure keeps them a while longer. */
static void prune_words(struct store *st, struct assign_work *wk)
{
	int64_t latest = 0;
	struct ch_error e2 = { 0 };
	enum ch_status s = store_story_latest_sig_time(st, &latest, &e2);
	if (s == CH_OK) {
		write_turn(wk);
		s = store_article_words_prune(st, latest - WORDS_KEEP_S, &e2);
		write_done(wk);
	}
	if (s != CH_OK)
		log_warn("words: not pruned: %s", e2.msg);
}

static bool pull_tokens(struct assign_work *wk, uint64_t *pulled);
static void drop_tokens(struct assign_work *wk, size_t n, uint64_t covered);

/* write_set_clear: empty ws for a new round (its memory kept). */
static void write_set_clear(struct write_set *ws)
{
	ws->n = 0;
	buf_reset(&ws->bytes);
}

/* decide_more: decide each of v[0, n) in order, appending to ws. An article that cannot be
 * decided is logged; write_one gives it a story of its own. */
static enum ch_status decide_more(struct rank_stories *ix, struct assign_work *wk, const struct article *v,
				  size_t n, struct write_set *ws, struct ch_error *err)
{
	if (ws->n + n > ws->cap) {
		struct decision *d = realloc(ws->d, (ws->n + n) * sizeof *d);
		if (!d)
			return ch_fail(err, CH_ERR_NOMEM, "out of memory");
		ws->d = d;
		ws->cap = ws->n + n;
	}
	for (size_t i = 0; i < n; i++) {
		struct decision *d = &ws->d[ws->n++];
		*d = (struct decision){ .id = v[i].id };
		struct ch_error e2 = { 0 };
		if (decide_one(ix, &v[i], wk, ws, d, &e2) != CH_OK) {
			log_warn("stories: article %lld: %s", (long long)v[i].id, e2.msg);
			*d = (struct decision){ .id = v[i].id };
		}
	}
	return CH_OK;
}

/* write_round: store the decisions of ws (for the articles v, in the same order) in one
 * transaction, in the clusterer's write turn; *progressed counts the articles given a story. */
static enum ch_status write_round(struct store *st, struct assign_work *wk, const struct article *v,
				  const struct write_set *ws, size_t *progressed, struct ch_error *err)
{
	size_t done = 0;
	write_turn(wk);
	enum ch_status s = store_batch_begin(st, err); /* one commit per round */
	for (size_t i = 0; s == CH_OK && i < ws->n; i++)
		done += write_one(st, ws, &ws->d[i], v[i].published);
	if (s == CH_OK)
		s = store_batch_end(st, CH_OK, err);
	write_done(wk);
	*progressed = s == CH_OK ? done : 0;
	return s;
}

/* group_bounds: the last article id of each token set wk holds, ascending, into bounds (one
 * group of articles per set: the ones stored in its batch, and before it those left from
 * earlier); returns how many. No article of v[0, n) in any set's range: none while a batch is
 * on its way (wk->batch_coming), else one group of every article (stored before, or by a
 * connection that hands nothing over). */
static size_t group_bounds(const struct assign_work *wk, const struct article *v, size_t n, int64_t *bounds)
{
	size_t nb = 0;
	for (size_t i = 0; i < wk->n_held; i++) {
		int64_t l = store_tokens_last(wk->held[i]);
		size_t k = nb++;
		for (; k > 0 && bounds[k - 1] > l; k--)
			bounds[k] = bounds[k - 1];
		bounds[k] = l;
	}
	bool any = false;
	for (size_t i = 0; nb && i < n && !any; i++)
		any = v[i].id <= bounds[nb - 1];
	if (!any && wk->batch_coming)
		return 0; /* the articles are the batch on its way: wait for its tokens */
	if (!any) {
		bounds[0] = INT64_MAX;
		nb = 1;
	}
	return nb;
}

/* cluster_groups: cluster the articles v[0, n) (oldest first) that belong to the token sets
 * held, a set's group at a time, each group oldest first: the batches the storing thread
 * submitted are clustered one after the other, as when each is clustered right after it is
 * stored (its articles' publication times overlap the next batch's: mixed, the order would
 * differ, and with it a few related lists). The decisions of every group are then written in
 * one transaction: one wait for the write turn a round, not one a group. Articles stored after
 * every set held are left for the next round (their set is likely on its way: the storing
 * thread commits, then submits). *taken counts the articles decided, *progressed those
 * stored. */
static enum ch_status cluster_groups(struct store *st, struct rank_stories *ix, struct assign_work *wk,
				     const struct article *v, size_t n, struct write_set *ws, size_t *taken,
				     size_t *progressed, struct ch_error *err)
{
	int64_t bounds[RANK_CLUSTERER_QUEUE + 1];
	size_t nb = group_bounds(wk, v, n, bounds);
	struct article *sub = malloc(n * sizeof *sub);
	if (!sub)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	enum ch_status s = CH_OK;
	size_t m = 0; /* articles of the groups so far, in sub */
	write_set_clear(ws);
	int64_t lo = INT64_MIN;
	for (size_t g = 0; s == CH_OK && g < nb; lo = bounds[g++]) {
		size_t first = m;
		for (size_t i = 0; i < n; i++)
			if (v[i].id > lo && v[i].id <= bounds[g])
				sub[m++] = v[i];
		if (m == first)
			continue;
		if (!wk->loaded)
			s = load_window(st, wk, sub[first].published, err);
		if (s == CH_OK)
			s = decide_more(ix, wk, sub + first, m - first, ws, err);
	}
	if (s == CH_OK && m)
		s = write_round(st, wk, sub, ws, progressed, err);
	*taken = m;
	free(sub);
	return s;
}

/* assign_rounds: cluster every unassigned article, BATCH per round, into ix with wk's counts:
 * each round (or in a clusterer each group of it: cluster_groups) is decided in memory, then
 * written in one transaction. In a clusterer, the token sets handed over are taken before each
 * round's read (so the read sees their articles) and a round that read fewer than BATCH and
 * clustered all it read covers them all; a stop request ends the run between rounds.
 * *assigned counts the articles clustered. */
static enum ch_status assign_rounds(struct store *st, struct rank_stories *ix, struct assign_work *wk,
				    size_t *assigned, struct ch_error *err)
{
	size_t done = 0;
	enum ch_status s = CH_OK;
	struct write_set ws = { 0 };
	buf_init(&ws.bytes, BUF_NO_LIMIT);
	for (;;) {
		uint64_t pulled = 0;
		if (wk->cl && !pull_tokens(wk, &pulled))
			break; /* stopping */
		size_t held = wk->n_held;
		if (wk->cl) /* this read must see every commit of the sets pulled */
			store_read_latest(st);
		struct arena a;
		arena_init(&a, 0);
		struct article *v = NULL;
		size_t n = 0, taken = 0, progressed = 0;
		s = store_articles_unassigned(st, BATCH, &a, &v, &n, err);
		if (s == CH_OK && n && wk->cl) {
			s = cluster_groups(st, ix, wk, v, n, &ws, &taken, &progressed, err);
		} else if (s == CH_OK && n) {
			taken = n;
			if (!wk->loaded)
				s = load_window(st, wk, v[0].published, err);
			write_set_clear(&ws);
			if (s == CH_OK)
				s = decide_more(ix, wk, v, n, &ws, err);
			if (s == CH_OK)
				s = write_round(st, wk, v, &ws, &progressed, err);
		}
		arena_release(&a);
		done += progressed;
		bool all = taken == n && n < BATCH; /* every article the read saw is done */
		/* a read that was not cut short saw every article of the sets pulled before it, and
		 * cluster_groups took them all: their tokens are done with (so are they after an
		 * error, or a round that got nowhere: kept, they would hold the queue) */
		if (wk->cl && (s != CH_OK || n < BATCH || progressed == 0))
			drop_tokens(wk, held, pulled);
		if (s != CH_OK || all || progressed == 0)
			break;
	}
	free(ws.d);
	buf_release(&ws.bytes);
	if (assigned)
		*assigned = done;
	if (s == CH_OK && done)
		prune_words(st, wk);
	return s;
}

enum ch_status rank_assign_pending(struct store *st, struct rank_stories *ix, size_t *assigned,
				   struct ch_error *err)
{
	struct assign_work wk;
	enum ch_status s = work_init(&wk, err);
	if (s == CH_OK)
		s = assign_rounds(st, ix, &wk, assigned, err);
	work_release(&wk);
	return s;
}

/* A clustering kept between rounds: the story index, the working buffers, and the newest
 * stored signature's time when the index last matched the store. */
struct rank_assigner {
	struct rank_stories *ix;
	struct assign_work wk;
	int64_t latest_sig;
};

enum ch_status rank_assigner_new(struct rank_assigner **out, struct ch_error *err)
{
	struct rank_assigner *as = calloc(1, sizeof *as);
	if (!as)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	enum ch_status s = work_init(&as->wk, err);
	if (s != CH_OK) {
		free(as);
		return s;
	}
	*out = as;
	return CH_OK;
}

void rank_assigner_free(struct rank_assigner *as)
{
	if (!as)
		return;
	rank_stories_free(as->ix);
	work_release(&as->wk);
	free(as);
}

/* assigner_run: rank_assigner_run but for the tokens kept afterwards. */
static enum ch_status assigner_run(struct rank_assigner *as, struct store *st, size_t *assigned,
				   struct ch_error *err)
{
	if (assigned)
		*assigned = 0;
	int64_t latest = 0;
	enum ch_status s = store_story_latest_sig_time(st, &latest, err);
	if (s == CH_OK && (!as->ix || latest != as->latest_sig)) {
		/* first round, or someone else clustered since: the store has the truth */
		rank_stories_free(as->ix);
		as->ix = NULL;
		s = rank_index_load(st, &as->ix, err);
		if (s == CH_OK)
			s = reset_words(&as->wk, err);
	}
	if (s == CH_OK)
		s = assign_rounds(st, as->ix, &as->wk, assigned, err);
	if (s == CH_OK)
		s = store_story_latest_sig_time(st, &as->latest_sig, err);
	if (s != CH_OK) { /* the index may be behind the store now: reload it next time */
		rank_stories_free(as->ix);
		as->ix = NULL;
	}
	return s;
}

enum ch_status rank_assigner_run(struct rank_assigner *as, struct store *st, size_t *assigned,
				 struct ch_error *err)
{
	as->wk.tokens_st = st;
	enum ch_status s = assigner_run(as, st, assigned, err);
	as->wk.tokens_st = NULL;
	/* the next round's articles: their tokens kept as the store indexes them */
	store_tokens_keep(st, true);
	return s;
}

enum ch_status rank_assign_all(struct store *st, size_t *assigned, struct ch_error *err)
{
	struct rank_assigner *as = NULL;
	enum ch_status s = rank_assigner_new(&as, err);
	if (s == CH_OK)
		s = rank_assigner_run(as, st, assigned, err);
	store_tokens_keep(st, false); /* no next round */
	rank_assigner_free(as);
	return s;
}

/* ---------------------------------------------------------------------------------------------
 * The clusterer: rank_assigner_run on a thread and a connection of its own.
 *
 * Design (measured in bench/store/RESULTS.md, 2026-11-29 pipe6): storing and clustering each
 * take about half of ingest's time, and SQLite lets one connection write at a time. The
 * clustering's reads (articles without a story, the window's words) run on its own connection
 * in WAL mode, never blocked by the storing; its decisions need nothing from the store
 * (decide_more), so only the writes of a round (story, signature, words, related rows: about
 * a third of its time) take the write lock, in one transaction. Handing the write set to the
 * storing thread instead would move that third onto the storing thread, which is the longer
 * of the two already; writing it here lets the two overlap everything but the writes.
 * A bulk loader commits back to back, so the clustering would rarely win SQLite's busy
 * handler (it sleeps and polls): both threads take a process-local write turn instead, the
 * clustering first when it waits (turn_take). The tokens the storing connection's full-text
 * index made (store_tokens_keep) come over with each submit (store_tokens_take), checked
 * against the text the clustering reads (store_tokens_replay), so tokenizing stays done once.
 * ------------------------------------------------------------------------------------------- */

struct rank_clusterer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;    /* to the thread: work, or stop */
	pthread_cond_t changed; /* to the others: queue room, a run's end, the write turn free */
	struct store *st;       /* the thread's connection */
	struct rank_assigner *as;
	/* guarded by mu: */
	struct store_tokens *queue[RANK_CLUSTERER_QUEUE];
	size_t n_queue, n_held;    /* sets queued / held by the thread (together at most the cap) */
	uint64_t submitted, covered; /* submits so far / submits whose articles are clustered */
	bool work, stop;
	bool writing;              /* someone holds the write turn */
	bool batch_coming;         /* the storing thread took its turn and has not submitted since */
	double turn_since, turn_cpu; /* when the thread took it, and its CPU time then */
	uint64_t last_pulled;      /* submits the thread's last pull_tokens took */
	uint64_t run_covered;      /* submits whose articles the run in progress clustered */
	bool cluster_waiting;      /* the thread waits for it (and goes first) */
	enum ch_status failed;     /* the first error since the last rank_clusterer_wait */
	struct ch_error failed_err;
	struct rank_clusterer_stats stats;
};

/* now_s / thread_cpu_s: monotonic wall seconds; the calling thread's CPU seconds. */
static double now_s(void)
{
	return (double)time_mono_ns() / 1e9;
}

static double thread_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* turn_take: the clustering thread's write turn: wait while the storing thread holds it. */
static void turn_take(struct rank_clusterer *c)
{
	double t0 = now_s();
	pthread_mutex_lock(&c->mu);
	c->cluster_waiting = true;
	while (c->writing)
		pthread_cond_wait(&c->changed, &c->mu);
	c->cluster_waiting = false;
	c->writing = true;
	c->turn_since = now_s();
	c->turn_cpu = thread_cpu_s();
	c->stats.lock_wait_s += c->turn_since - t0;
	pthread_mutex_unlock(&c->mu);
}

/* turn_give: the clustering thread's write turn ends. */
static void turn_give(struct rank_clusterer *c)
{
	pthread_mutex_lock(&c->mu);
	c->writing = false;
	c->stats.lock_held_s += now_s() - c->turn_since;
	c->stats.lock_cpu_s += thread_cpu_s() - c->turn_cpu;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->mu);
}

void rank_clusterer_write_begin(struct rank_clusterer *c)
{
	double t0 = now_s();
	pthread_mutex_lock(&c->mu);
	while (c->writing || c->cluster_waiting)
		pthread_cond_wait(&c->changed, &c->mu);
	c->writing = true;
	c->batch_coming = true;
	c->stats.store_wait_s += now_s() - t0;
	pthread_mutex_unlock(&c->mu);
}

void rank_clusterer_write_end(struct rank_clusterer *c)
{
	pthread_mutex_lock(&c->mu);
	c->writing = false;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->mu);
}

/* pull_tokens: move the queued token sets to wk's held ones before a round's read; *pulled
 * gets the submits they cover. False when the clusterer is stopping. */
static bool pull_tokens(struct assign_work *wk, uint64_t *pulled)
{
	struct rank_clusterer *c = wk->cl;
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->n_queue; i++)
		wk->held[wk->n_held++] = c->queue[i];
	c->n_held += c->n_queue;
	c->n_queue = 0;
	c->work = false; /* this run reads whatever they stand for */
	*pulled = c->last_pulled = c->submitted;
	wk->batch_coming = c->batch_coming;
	bool go = !c->stop;
	pthread_mutex_unlock(&c->mu);
	return go;
}

/* drop_tokens: free wk's first n held token sets (their articles are clustered); the submits
 * up to `covered` are done when the run ends (clusterer_main). */
static void drop_tokens(struct assign_work *wk, size_t n, uint64_t covered)
{
	struct rank_clusterer *c = wk->cl;
	for (size_t i = 0; i < n; i++)
		store_tokens_free(wk->held[i]);
	memmove(wk->held, wk->held + n, (wk->n_held - n) * sizeof *wk->held);
	wk->n_held -= n;
	pthread_mutex_lock(&c->mu);
	c->n_held -= n;
	if (covered > c->run_covered)
		c->run_covered = covered;
	c->stats.replayed += wk->replayed;
	c->stats.tokenized += wk->tokenized;
	c->stats.window_cpu_s += wk->window_cpu_s;
	wk->replayed = wk->tokenized = 0;
	wk->window_cpu_s = 0;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->mu);
}

/* clusterer_main: run the assigner whenever there is work, until stopped. */
static void *clusterer_main(void *arg)
{
	struct rank_clusterer *c = arg;
	for (;;) {
		pthread_mutex_lock(&c->mu);
		while (!c->work && !c->stop)
			pthread_cond_wait(&c->wake, &c->mu);
		bool stop = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		double w0 = now_s(), c0 = thread_cpu_s();
		size_t n = 0;
		struct ch_error e = { 0 };
		store_read_latest(c->st); /* another process may have clustered meanwhile */
		enum ch_status s = assigner_run(c->as, c->st, &n, &e);
		if (s != CH_OK)
			log_warn("stories: clustering: %s", e.msg);
		pthread_mutex_lock(&c->mu);
		if (s != CH_OK) { /* what is queued waits for the next submit's run, tokenized then */
			for (size_t i = 0; i < c->n_queue; i++)
				store_tokens_free(c->queue[i]);
			c->n_queue = 0;
			c->work = false;
			c->last_pulled = c->submitted;
		}
		if (!c->work && c->last_pulled > c->run_covered) /* nothing came since its last read */
			c->run_covered = c->last_pulled;
		if (c->run_covered > c->covered)
			c->covered = c->run_covered;
		c->stats.assigned += n;
		c->stats.runs++;
		c->stats.busy_s += now_s() - w0;
		c->stats.cpu_s += thread_cpu_s() - c0;
		if (s != CH_OK && c->failed == CH_OK) {
			c->failed = s;
			c->failed_err = e;
		}
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->mu);
	}
	return NULL;
}

/* clusterer_free: release what rank_clusterer_start made (the thread is not running). */
static void clusterer_free(struct rank_clusterer *c)
{
	for (size_t i = 0; i < c->n_queue; i++)
		store_tokens_free(c->queue[i]);
	rank_assigner_free(c->as);
	store_close(c->st);
	pthread_cond_destroy(&c->wake);
	pthread_cond_destroy(&c->changed);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

enum ch_status rank_clusterer_start(const char *db_path, struct rank_clusterer **out, struct ch_error *err)
{
	struct rank_clusterer *c = calloc(1, sizeof *c);
	if (!c)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->wake, NULL);
	pthread_cond_init(&c->changed, NULL);
	c->work = true; /* articles a previous run left without a story: */
	c->submitted = 1; /* as if submitted (rank_clusterer_wait waits for them) */
	enum ch_status s = store_open(db_path, &c->st, err);
	if (s == CH_OK)
		s = rank_assigner_new(&c->as, err);
	if (s == CH_OK) {
		c->as->wk.cl = c;
		if (pthread_create(&c->thread, NULL, clusterer_main, c) != 0)
			s = ch_fail(err, CH_ERR_NOMEM, "cannot start the clustering thread");
	}
	if (s != CH_OK) {
		clusterer_free(c);
		return s;
	}
	*out = c;
	return CH_OK;
}

void rank_clusterer_submit(struct rank_clusterer *c, struct store *st)
{
	struct store_tokens *t = store_tokens_take(st);
	store_tokens_keep(st, true); /* from now on (it is so already after a take) */
	double t0 = now_s();
	pthread_mutex_lock(&c->mu);
	c->work = true; /* a full queue is the thread's to empty */
	pthread_cond_signal(&c->wake);
	while (t && c->n_queue + c->n_held >= RANK_CLUSTERER_QUEUE && !c->stop)
		pthread_cond_wait(&c->changed, &c->mu);
	c->stats.queue_wait_s += now_s() - t0;
	if (t && c->n_queue + c->n_held < RANK_CLUSTERER_QUEUE)
		c->queue[c->n_queue++] = t;
	else
		store_tokens_free(t); /* stopping: its articles wait for the next run */
	c->submitted++;
	c->batch_coming = false;
	c->work = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->mu);
}

enum ch_status rank_clusterer_wait(struct rank_clusterer *c, struct ch_error *err)
{
	pthread_mutex_lock(&c->mu);
	if (c->batch_coming) { /* a turn with no submit after it (a failed batch): nothing comes */
		c->batch_coming = false;
		c->submitted++;
		c->work = true;
		pthread_cond_signal(&c->wake);
	}
	uint64_t target = c->submitted;
	while (c->covered < target && !c->stop)
		pthread_cond_wait(&c->changed, &c->mu);
	enum ch_status s = c->failed;
	if (s != CH_OK && err)
		*err = c->failed_err;
	c->failed = CH_OK;
	pthread_mutex_unlock(&c->mu);
	return s;
}

void rank_clusterer_stats(struct rank_clusterer *c, struct rank_clusterer_stats *out)
{
	pthread_mutex_lock(&c->mu);
	*out = c->stats;
	pthread_mutex_unlock(&c->mu);
}

void rank_clusterer_stop(struct rank_clusterer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_broadcast(&c->wake);
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	clusterer_free(c);
}
