/*
 * assign.c — keeps stories in the store up to date: articles without a story are clustered in
 * publication order (rank_stories_add_sig) and each decision is stored with the article's
 * signature, so after a restart the index is rebuilt from the store instead of recomputed.
 * Each article's related articles are found in the window's word index (rank_df) and saved
 * with it.
 */
#include <stdlib.h>

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
	struct buf blob;
	struct rank_words words;
	struct buf words_blob; /* words encoded for the store (keep_words) */
	struct rank_df *df;
	bool loaded;
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

/* related_of: find and keep ar's related articles (ar is in the window's index already). */
static enum ch_status related_of(struct store *st, const struct article *ar, int64_t story,
				 const struct assign_work *wk, struct ch_error *err)
{
	uint64_t picked[RELATED_PICKED];
	struct rank_df_query q = { .id = ar->id, .story = story, .published = ar->published,
				   .window = RELATED_WINDOW_S, .words = picked };
	q.n_words = related_words(&wk->words, wk->df, picked);
	int64_t found[RELATED_KEEP];
	size_t k = q.n_words ? rank_df_related(wk->df, &q, found, RELATED_KEEP) : 0;
	return store_related_save(st, ar->id, found, k, err);
}

/* An article whose tokens the store may still hold from indexing it (store_tokens_keep). */
struct stored_tokens {
	struct store *st;
	int64_t id;
};

/* replay_stored: rank_article.replay from the store's kept tokens. */
static bool replay_stored(void *ctx, int field, size_t len,
			  int (*fn)(void *, const char *, size_t, size_t, size_t, bool), void *fn_ctx)
{
	const struct stored_tokens *s = ctx;
	return store_article_tokens(s->st, s->id, field, len, fn, fn_ctx);
}

/* save_words: store the words of article id, published at `published` (wk->words), for later
 * runs' window_words; a failure only costs a later run the tokenizing. */
static void save_words(struct store *st, struct assign_work *wk, int64_t id, int64_t published)
{
	buf_reset(&wk->words_blob);
	struct ch_error e2 = { 0 };
	if (rank_words_encode(&wk->words, &wk->words_blob) != CH_OK)
		return; /* larger than the cap: tokenized again when needed */
	if (store_article_words_put(st, id, published, wk->words_blob.p, wk->words_blob.n, &e2) != CH_OK)
		log_warn("words: article %lld not kept: %s", (long long)id, e2.msg);
}

/* assign_one: cluster one stored article, store the decision and its related articles. */
static enum ch_status assign_one(struct store *st, struct rank_stories *ix, const struct article *ar,
				 struct assign_work *wk, struct ch_error *err)
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
	struct stored_tokens kept = { .st = st, .id = ar->id };
	ra.replay = replay_stored;
	ra.replay_ctx = &kept;
	struct rank_assignment as;
	enum ch_status s = rank_sig_compute_words(&ra, wk->sig, &wk->words, err);
	if (s == CH_OK)
		s = rank_stories_add_sig(ix, ar->id, wk->sig, &as, err);
	buf_reset(&wk->blob);
	if (s == CH_OK)
		s = rank_sig_encode(wk->sig, &wk->blob);
	if (s == CH_OK)
		s = store_story_assign(st, ar->id, as.story, as.lead, wk->blob.p, wk->blob.n, err);
	if (s != CH_OK)
		return s;
	save_words(st, wk, ar->id, ar->published);
	struct ch_error e2 = { 0 };
	if (index_words(wk, ar->id, as.story, ar->published) != CH_OK)
		log_warn("related: article %lld: out of memory", (long long)ar->id);
	else if (related_of(st, ar, as.story, wk, &e2) != CH_OK)
		log_warn("related: article %lld: %s", (long long)ar->id, e2.msg);
	return CH_OK;
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

/* load_window: index the words of the store's clustered articles published in the window
 * before t (the first article to cluster), so that related articles and word counts see
 * them as they see the ones clustered here. Their words are read as the clustering kept them;
 * an article without (clustered before schema 10, or its text changed) is tokenized, and its
 * words kept for the next run. */
static enum ch_status load_window(struct store *st, struct assign_work *wk, int64_t t, struct ch_error *err)
{
	struct arena a;
	arena_init(&a, 0);
	struct window_article *v = NULL;
	size_t n = 0;
	int writing = 0; /* 1: a batch is open for the words computed here; -1: it failed */
	enum ch_status s = store_articles_window(st, t - RELATED_WINDOW_S, t, &a, &v, &n, err);
	for (size_t i = 0; s == CH_OK && i < n; i++) {
		bool computed = false;
		if (!window_words(wk, &v[i], &computed))
			continue; /* an article whose words cannot be read is left out */
		if (computed && writing == 0)
			writing = store_batch_begin(st, NULL) == CH_OK ? 1 : -1;
		if (computed && writing > 0)
			save_words(st, wk, v[i].id, v[i].published);
		if (index_words(wk, v[i].id, v[i].story_id, v[i].published) != CH_OK)
			s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	if (writing > 0) /* the words kept are a cache: committed even if indexing failed */
		store_batch_end(st, CH_OK, NULL);
	arena_release(&a);
	wk->loaded = s == CH_OK;
	return s;
}

/* work_init / work_release: what assign_one needs, with empty counts. */
static enum ch_status work_init(struct assign_work *wk, struct ch_error *err)
{
	*wk = (struct assign_work){ .sig = malloc(sizeof *wk->sig), .df = rank_df_new(RELATED_WINDOW_S) };
	buf_init(&wk->blob, 1u << 20);
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

static void work_release(struct assign_work *wk)
{
	buf_release(&wk->blob);
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
static void prune_words(struct store *st)
{
	int64_t latest = 0;
	struct ch_error e2 = { 0 };
	if (store_story_latest_sig_time(st, &latest, &e2) != CH_OK ||
	    store_article_words_prune(st, latest - WORDS_KEEP_S, &e2) != CH_OK)
		log_warn("words: not pruned: %s", e2.msg);
}

/* assign_rounds: cluster every unassigned article, BATCH per round and transaction, into ix
 * with wk's counts; *assigned counts them. */
static enum ch_status assign_rounds(struct store *st, struct rank_stories *ix, struct assign_work *wk,
				    size_t *assigned, struct ch_error *err)
{
	size_t done = 0;
	enum ch_status s = CH_OK;
	for (;;) {
		struct arena a;
		arena_init(&a, 0);
		struct article *v = NULL;
		size_t n = 0;
		s = store_articles_unassigned(st, BATCH, &a, &v, &n, err);
		size_t progressed = 0;
		if (s == CH_OK && n && !wk->loaded)
			s = load_window(st, wk, v[0].published, err);
		if (s == CH_OK && n)
			s = store_batch_begin(st, err); /* one commit per batch */
		for (size_t i = 0; s == CH_OK && i < n; i++) {
			struct ch_error e2 = { 0 };
			if (assign_one(st, ix, &v[i], wk, &e2) == CH_OK) {
				progressed++;
			} else {
				/* give it a story of its own so it never blocks the queue */
				log_warn("stories: article %lld: %s", (long long)v[i].id, e2.msg);
				if (store_story_assign(st, v[i].id, v[i].id, v[i].id, NULL, 0, &e2) == CH_OK)
					progressed++;
			}
		}
		if (n && s == CH_OK)
			s = store_batch_end(st, CH_OK, err);
		arena_release(&a);
		done += progressed;
		if (s != CH_OK || n < BATCH || progressed == 0)
			break;
	}
	if (assigned)
		*assigned = done;
	if (s == CH_OK && done)
		prune_words(st);
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

enum ch_status rank_assigner_run(struct rank_assigner *as, struct store *st, size_t *assigned,
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
	/* the next round's articles: their tokens kept as the store indexes them */
	store_tokens_keep(st, true);
	if (s == CH_OK)
		s = store_story_latest_sig_time(st, &as->latest_sig, err);
	if (s != CH_OK) { /* the index may be behind the store now: reload it next time */
		rank_stories_free(as->ix);
		as->ix = NULL;
	}
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
