/*
 * store.h — chapar's storage behind one interface: sources with their fetch state, articles,
 * stories and page views. The SQLite implementation (WAL, one file) is the default; SQL and
 * connection handling never leave src/store, so a PostgreSQL implementation can sit behind the
 * same calls.
 *
 * A `struct store` is one connection: use it from one thread at a time (the web server opens
 * one per worker thread). Any number of processes and connections may share one database file.
 * Every write is one transaction. Strings in returned records are owned by the arena the caller
 * passes and live until arena_release.
 */
#ifndef CHAPAR_STORE_H
#define CHAPAR_STORE_H

#include "core/core.h"

struct store;

/* store_open: open (creating if needed) the database at path and bring its schema up to date.
 * On CH_OK *out is a new connection (caller closes with store_close). */
enum ch_status store_open(const char *path, struct store **out, struct ch_error *err);
void store_close(struct store *st);
/* store_schema_version: the schema version the database is at. */
int store_schema_version(struct store *st);

/* store_batch_begin / store_batch_end: make the writes in between one transaction (each write
 * still succeeds or fails alone). store_batch_end commits when status is CH_OK, else rolls the
 * whole batch back, and returns the final status. Batches may nest. */
enum ch_status store_batch_begin(struct store *st, struct ch_error *err);
enum ch_status store_batch_end(struct store *st, enum ch_status status, struct ch_error *err);

/* ---- sources ------------------------------------------------------------------------------- */

struct source {
	int64_t id;
	const char *name, *site_url, *feed_url, *category, *language;
	bool enabled;
	/* fetch state */
	const char *etag, *last_modified;
	uint64_t body_hash;
	int64_t last_success, last_error_at, next_check; /* Unix seconds, 0 = never */
	int64_t interval_s;                              /* current polling interval */
	int error_count;                                 /* consecutive errors */
	const char *last_error;                          /* in words, NULL after a success */
	int64_t article_count;                           /* filled by listings */
};

/* store_source_add: add a source (name and feed_url required). *id gets its id.
 * CH_ERR_EXISTS when a source with that feed_url exists (then *id is that source's id). */
enum ch_status store_source_add(struct store *st, const struct source *src, int64_t *id,
				struct ch_error *err);
enum ch_status store_source_get(struct store *st, int64_t id, struct arena *a, struct source *out,
				struct ch_error *err);
/* store_source_find: by feed URL or by name. CH_ERR_NOTFOUND when none. */
enum ch_status store_source_find(struct store *st, const char *feed_url_or_name, struct arena *a,
				 struct source *out, struct ch_error *err);
/* store_source_list: every source, by name. *out is an arena array of *n records. */
enum ch_status store_source_list(struct store *st, struct arena *a, struct source **out, size_t *n,
				 struct ch_error *err);
/* store_source_due: enabled sources whose next_check <= now, oldest first, at most limit. */
enum ch_status store_source_due(struct store *st, int64_t now, size_t limit, struct arena *a,
				struct source **out, size_t *n, struct ch_error *err);
enum ch_status store_source_remove(struct store *st, int64_t id, struct ch_error *err);
enum ch_status store_source_set_enabled(struct store *st, int64_t id, bool enabled, struct ch_error *err);
/* store_source_save_state: write the fetch-state fields of src (etag … last_error). */
enum ch_status store_source_save_state(struct store *st, const struct source *src, struct ch_error *err);

/* ---- articles ------------------------------------------------------------------------------ */

struct article {
	int64_t id, source_id, story_id;
	const char *url, *canonical_url, *guid;
	const char *title, *uptitle, *lead, *body_text, *body_html; /* body_html: sanitised */
	const char *author, *image, *language;
	const char *origin;     /* the outlet credited as the original ("فارس"), or NULL */
	const char *categories; /* comma-separated, or NULL */
	int64_t published, fetched; /* Unix seconds */
	/* filled by reads: */
	const char *source_name, *source_site;
	int64_t views;
};

/* store_article_put: insert a, or update the stored article with the same (source, guid) or
 * the same canonical URL in that source. Sets a->id; *created (may be NULL) says which. */
enum ch_status store_article_put(struct store *st, struct article *a, bool *created,
				 struct ch_error *err);
/* store_article_exists: whether (source_id, guid) or canonical_url is already stored. */
enum ch_status store_article_exists(struct store *st, int64_t source_id, const char *guid,
				    const char *canonical_url, bool *exists, struct ch_error *err);
/* store_article_lookup: the stored article of source_id with this guid, or else this
 * canonical_url (may be NULL): *id gets its id (0 when none) and *entry_hash the hash last set
 * with store_article_set_entry_hash (0 when never). */
enum ch_status store_article_lookup(struct store *st, int64_t source_id, const char *guid,
				    const char *canonical_url, int64_t *id, uint64_t *entry_hash,
				    struct ch_error *err);
/* store_article_set_entry_hash: remember the hash of the feed entry article id was stored from
 * (ingest compares it to tell an edited entry from one seen before). */
enum ch_status store_article_set_entry_hash(struct store *st, int64_t id, uint64_t entry_hash,
					    struct ch_error *err);
enum ch_status store_article_get(struct store *st, int64_t id, struct arena *a, struct article *out,
				 struct ch_error *err);

/* A page of articles, newest first. */
struct article_query {
	size_t limit;          /* 1–200 */
	int64_t before_id;     /* 0, or list only articles older than this one (keyset cursor) */
	int64_t source_id;     /* 0 = all sources */
	int64_t exclude_id;    /* 0, or leave this article out */
	const char *category;  /* NULL, or only the source's category or the feed's categories */
	bool with_body;        /* also load body_text/body_html */
};
enum ch_status store_article_list(struct store *st, const struct article_query *q, struct arena *a,
				  struct article **out, size_t *n, struct ch_error *err);
/* store_article_most_viewed: most viewed articles of the last `window_s` seconds before now. */
enum ch_status store_article_most_viewed(struct store *st, int64_t now, int64_t window_s, size_t limit,
					 struct arena *a, struct article **out, size_t *n,
					 struct ch_error *err);
/* store_category_list: the categories of sources with articles published since `since`, most
 * articles first: names[i] with counts[i], arena arrays of *n. */
enum ch_status store_category_list(struct store *st, int64_t since, size_t limit, struct arena *a,
				   const char ***names, int64_t **counts, size_t *n, struct ch_error *err);
/* store_article_count: how many articles are stored. */
enum ch_status store_article_count(struct store *st, int64_t *n, struct ch_error *err);

/* ---- stories --------------------------------------------------------------------------------- */

/* A story: the same news told by one or more outlets. Its id is the id of its first article. */
struct story {
	int64_t id;
	int64_t lead_article;   /* the credited original outlet's article, else the earliest */
	int64_t first_seen, updated; /* earliest and latest publication time of its articles */
	int n_articles, n_sources;
	struct article lead;    /* the lead article (with bodies from store_story_get only) */
};

/* One article's stored clustering signature (an opaque blob of src/rank's). */
struct story_sig {
	int64_t article_id, story_id, published;
	const void *sig;
	size_t sig_len;
};

/* store_articles_unassigned: articles in no story yet, oldest first, with their bodies. */
enum ch_status store_articles_unassigned(struct store *st, size_t limit, struct arena *a,
					 struct article **out, size_t *n, struct ch_error *err);
/* store_story_assign: put article_id into story_id (created if new) led by lead_article_id and
 * keep its signature, all in one transaction; the story's counts and times are brought up to
 * date. */
enum ch_status store_story_assign(struct store *st, int64_t article_id, int64_t story_id,
				  int64_t lead_article_id, const void *sig, size_t sig_len,
				  struct ch_error *err);
/* store_story_sigs: the signatures of every assigned article published at or after since,
 * oldest first (to rebuild the clustering index after a restart). */
enum ch_status store_story_sigs(struct store *st, int64_t since, struct arena *a, struct story_sig **out,
				size_t *n, struct ch_error *err);
/* store_story_latest_sig_time: the newest published time among stored signatures (0: none). */
enum ch_status store_story_latest_sig_time(struct store *st, int64_t *t, struct ch_error *err);
/* store_story_get: one story with its lead article. */
enum ch_status store_story_get(struct store *st, int64_t id, struct arena *a, struct story *out,
			       struct ch_error *err);
/* store_story_articles: every article of a story, oldest first (without bodies). */
enum ch_status store_story_articles(struct store *st, int64_t story_id, struct arena *a,
				    struct article **out, size_t *n, struct ch_error *err);
/* store_story_list: the latest stories (by their newest article), at most limit, older than
 * the story before_id when it is non-zero. */
enum ch_status store_story_list(struct store *st, size_t limit, int64_t before_id, struct arena *a,
				struct story **out, size_t *n, struct ch_error *err);

/* store_story_trending: the stories readers are turning to now, best first. Score: page views
 * of the story's articles, each halved every 6 hours (hours counted as now / 3600, views by
 * their hour; a view older than 48 hours weighs at most 1/256 of one), plus coverage: two
 * points per outlet beyond the first, halved every 12 hours since the story's latest article.
 * Ties: the story with the later article first. Only stories with a view in the last 48 hours
 * or an article in the last 48 hours take part; those scoring nothing come last, latest first.
 * Kept precomputed (schema 7), so a lookup reads about as many rows as it returns. */
enum ch_status store_story_trending(struct store *st, int64_t now, size_t limit, struct arena *a,
				    struct story **out, size_t *n, struct ch_error *err);

/* ---- related ("read more") ------------------------------------------------------------------- */

/* store_related_save: keep ids[0, n) as article id's related articles, best first (replacing
 * any kept before): for a caller that found them itself (src/rank's in-memory index). One
 * statement (one row an article): inside a batch it needs no savepoint of its own. */
enum ch_status store_related_save(struct store *st, int64_t id, const int64_t *ids, size_t n,
				  struct ch_error *err);
/* One clustered article of a window (store_articles_window): the blob of its words as the
 * clustering kept it (store_article_words_put), or, when none is kept, its text. */
struct window_article {
	int64_t id, story_id, published;
	const void *words; /* NULL: none kept; then title, lead and body_text are filled */
	size_t words_len;
	const char *title, *lead, *body_text;
};
/* store_articles_window: the articles with a story published in [from, to], in publication
 * order, each with its kept words, or its text where it has none, in arena a (*out lives as
 * long as it). */
enum ch_status store_articles_window(struct store *st, int64_t from, int64_t to, struct arena *a,
				     struct window_article **out, size_t *n, struct ch_error *err);
/* store_article_words_put: keep words (len bytes, an opaque blob: src/rank's
 * rank_words_encode) for article id, published at `published`, replacing any kept before;
 * dropped when the article's title, lead or body changes, or the article is deleted. One
 * statement: inside a batch it needs no savepoint of its own. */
enum ch_status store_article_words_put(struct store *st, int64_t id, int64_t published, const void *words,
				       size_t len, struct ch_error *err);
/* store_article_words_prune: drop the kept words of articles published before `before`. */
enum ch_status store_article_words_prune(struct store *st, int64_t before, struct ch_error *err);
/* store_related_list: the kept related articles of id, best first (without bodies); those
 * deleted since they were kept are left out, and up to limit of the rest returned. */
enum ch_status store_related_list(struct store *st, int64_t id, size_t limit, struct arena *a,
				  struct article **out, size_t *n, struct ch_error *err);

/* ---- search -------------------------------------------------------------------------------- */

struct search_query {
	const char *text;    /* the reader's words: all must match; "a phrase" in quotes; -word excludes */
	size_t limit;        /* 1–100 */
	size_t offset;
	int64_t source_id;   /* 0 = every outlet */
	const char *category;/* NULL = every category */
	int64_t from, to;    /* published in [from, to); 0 = open */
	int64_t now;         /* for the recency part of the ranking */
};

struct search_hit {
	struct article article;
	const char *snippet; /* plain text around the match; each matched token sits between
				SEARCH_MARK_OPEN and SEARCH_MARK_CLOSE */
	double score;        /* lower is better */
};

#define SEARCH_MARK_OPEN '\x01'
#define SEARCH_MARK_CLOSE '\x02'

/* store_search: articles matching q, best first (bm25 over title, lead and body, weighted
 * towards recent articles). CH_ERR_INVALID, with a message for the reader, when the query has
 * no searchable word or is malformed. */
enum ch_status store_search(struct store *st, const struct search_query *q, struct arena *a,
			    struct search_hit **out, size_t *n, struct ch_error *err);

/* ---- views --------------------------------------------------------------------------------- */

struct view_count {
	int64_t article_id;
	int64_t at;    /* Unix seconds of the views (bucketed by hour) */
	int64_t count;
};

/* store_views_add: add a batch of view counts in one transaction. */
enum ch_status store_views_add(struct store *st, const struct view_count *v, size_t n,
			       struct ch_error *err);

/* ---- batches ------------------------------------------------------------------------------- */

/* store_article_put_many: store_article_put for each of a[0..n) in ONE transaction (sets each
 * a[i].id; *created, may be NULL, gets how many were new). All or nothing: on an error nothing
 * of the batch is stored. For bulk loads, where a commit per article is the cost. */
enum ch_status store_article_put_many(struct store *st, struct article *a, size_t n, size_t *created,
				      struct ch_error *err);

/* ---- the full-text index's tokens, for the clustering ---------------------------------------- */

/* store_token_fn: one token of a stored field, as text_token_fn (src/text) gives it: the search
 * key (borrowed for the call), its byte range in the field, whether it shares the previous
 * token's position. Return non-zero to stop. */
typedef int (*store_token_fn)(void *ctx, const char *key, size_t key_len, size_t start, size_t end,
			      bool colocated);
/* store_tokens_keep: while on, the connection keeps the tokens its full-text index makes of each
 * new article's title, lead and body (text_tokenize in document mode, the same call the
 * clustering's signature makes), up to a memory cap, so that the clustering that follows
 * reads them instead of tokenizing the text again. Every call drops the tokens kept so far. */
void store_tokens_keep(struct store *st, bool on);
/* store_article_tokens: replay to fn the tokens of field (0 title, 1 lead, 2 body; len bytes now)
 * of article id, kept since the last store_tokens_keep; false (fn not called) when they were not
 * kept (an article stored before or by another connection, updated since, of another length,
 * a transaction rolled back, past the cap). */
bool store_article_tokens(struct store *st, int64_t id, int field, size_t len, store_token_fn fn,
			  void *ctx);

/* Tokens kept by a connection, handed to another thread (the clustering's, on a connection of
 * its own): store_tokens_take detaches what st kept so far (NULL when nothing, or st does not
 * keep tokens) and st goes on keeping into an empty set. The set is read-only and may be read
 * on any thread; free it with store_tokens_free (NULL is fine). Take it after the articles'
 * transaction committed: a rollback afterwards cannot reach it. Outside a transaction it also
 * ends any read snapshot st's statements still hold, so that st's next write transaction
 * starts after the other connection's commits instead of failing as "database is locked". */
struct store_tokens;
struct store_tokens *store_tokens_take(struct store *st);
void store_tokens_free(struct store_tokens *t);
/* store_read_latest: outside a transaction, end any read snapshot st's statements still hold
 * (a statement that returned its row is reset only when next used), so that st's next read
 * sees every commit made since by other connections, and its next write does not fail at once
 * as "database is locked" (its snapshot stale). For a connection that works beside another
 * writer in the same process (the clustering thread's). */
void store_read_latest(struct store *st);
/* store_tokens_last: the highest article id in t (0: none or t NULL). */
int64_t store_tokens_last(const struct store_tokens *t);
/* store_tokens_replay: store_article_tokens from t, given the field's text as the reader sees it
 * now (len bytes): false (fn not called) unless t holds tokens of that very text (its length
 * and a fingerprint: an update may have changed the article since). */
bool store_tokens_replay(const struct store_tokens *t, int64_t id, int field, const char *text, size_t len,
			 store_token_fn fn, void *ctx);

#endif
