/*
 * rank.h — stories: URL canonicalisation, a strict JSON-lines reader for article streams, and
 * the incremental near-duplicate index that groups articles from many outlets into stories.
 * (Trending and related live here too, later.) Depends on src/core, src/text and xxhash.
 *
 * How a story is found (stories.c): an article's title, lead and body go through the index
 * folding tokenizer of src/text (text_tokenize), word 3-shingles are hashed with xxhash and the
 * smallest RANK_SKETCH_MAX hashes kept as a bottom-k MinHash sketch (the article's signature).
 * A new article is compared, through an inverted index on sketch values, with the articles of
 * the last `window` seconds; it joins the story of the article that contains most of it, or is
 * contained by it when it matches one story alone (a full text that arrives after its excerpt);
 * otherwise it starts a story. Same canonical URL or same body (within the window) means the same
 * story at once. A daily round-up that quotes several stories joins none of them; an article on
 * a later day needs a higher containment (join_late). Details and reasons: stories.c.
 */
#ifndef CHAPAR_RANK_H
#define CHAPAR_RANK_H

#include "core/core.h"

/* ---- URL canonicalisation ------------------------------------------------------------------ */

/* rank_url_canonical: append the canonical form of the absolute URL url (n bytes) to out:
 * scheme http/https both written "https", host lowercased without a trailing dot and without a
 * "www.", "m.", "mobile." or "amp." label, default port dropped, fragment dropped, tracking
 * query parameters (utm_*, fbclid, gclid, ref, … from tracking_params.txt) and AMP markers
 * ("/amp" path segment, "amp=1") removed, remaining parameters sorted, percent-escapes
 * uppercased, unreserved characters decoded and non-ASCII bytes percent-encoded, trailing
 * slash removed (the root path stays "/"). CH_ERR_INVALID when url is not an absolute
 * http(s) URL with a host; out is then unchanged. */
enum ch_status rank_url_canonical(const char *url, size_t n, struct buf *out, struct ch_error *err);

/* ---- Articles and the JSON-lines reader --------------------------------------------------- */

/* One article as the clustering sees it. Every string is borrowed, NUL-terminated UTF-8 and
 * may be NULL (treated as empty). */
struct rank_article {
	const char *id;            /* the caller's id, printed by `chapar stories` */
	const char *source;        /* the outlet's name ("فارس", "farsnews.ir") */
	const char *source_credit; /* the outlet the text credits as its origin, or NULL */
	const char *url;
	const char *title;
	const char *lead;
	const char *body;
	int64_t published; /* Unix seconds */
	/* Optional: replay calls fn with the tokens text_tokenize (document mode) gives of field f
	 * (0 title, 1 lead, 2 body: the strings above, len bytes) and returns true, or returns false
	 * without calling it and the signature tokenizes the field itself. A store that has just
	 * indexed the text hands over its index's tokens (store_article_tokens). fn has
	 * text_token_fn's type. */
	bool (*replay)(void *ctx, int field, size_t len,
		       int (*fn)(void *, const char *, size_t, size_t, size_t, bool), void *fn_ctx);
	void *replay_ctx;
};

/* A parsed JSON line: the article plus the storage its strings point into. */
struct rank_jsonl_record {
	struct rank_article article; /* strings borrowed from text, valid until the next parse/release */
	struct buf text;             /* owned */
};

/* rank_jsonl_init / rank_jsonl_release: set up and free a record (reusable across lines). */
void rank_jsonl_init(struct rank_jsonl_record *rec);
void rank_jsonl_release(struct rank_jsonl_record *rec);

/* rank_jsonl_parse: parse one line (n bytes, trailing "\r\n" allowed) holding one flat JSON
 * object. Known keys: id (string or integer), source, source_credit, url, title, lead, body
 * (strings or null) and published (Unix seconds as a number, or an ISO 8601 string). Other keys
 * are skipped if their value is a string, number, true, false or null. Nested objects or arrays,
 * duplicate known keys, invalid UTF-8, bad escapes, lone surrogates and trailing bytes are
 * CH_ERR_PARSE with the byte column in the message. "id" is required. */
enum ch_status rank_jsonl_parse(struct rank_jsonl_record *rec, const char *line, size_t n,
				struct ch_error *err);

/* ---- Signatures (what a store persists per article) --------------------------------------- */

#define RANK_SKETCH_MAX 512
/* sig.flags: the article was judged a round-up (joins of later articles treat it apart). */
#define RANK_SIG_DIGEST 1u

/* An article's clustering signature: enough to re-add it to an index after a restart. */
struct rank_sig {
	int64_t published;
	uint64_t url_hash;    /* of the canonical URL, or of the raw URL if it has none; 0: no URL */
	uint64_t body_hash;   /* of the folded body tokens; 0: body too short to count */
	uint64_t source_hash; /* of the folded outlet name; 0: none */
	uint64_t credit_hash; /* of the folded credited outlet; 0: none */
	uint32_t shingles;    /* how many distinct shingles the text had */
	uint32_t flags;       /* RANK_SIG_* set by rank_stories_add_sig; 0 from rank_sig_compute */
	uint32_t n;           /* sketch values used (<= RANK_SKETCH_MAX) */
	uint32_t v[RANK_SKETCH_MAX]; /* the n smallest shingle hashes, ascending, distinct */
};

/* rank_sig_compute: the signature of article a. */
enum ch_status rank_sig_compute(const struct rank_article *a, struct rank_sig *sig,
				struct ch_error *err);

/* The words of an article as its signature saw them (each token's search key hashed with
 * xxhash), so related articles need not tokenize it again. Caller-owned, reusable across
 * articles; zero-initialise, free with rank_words_release. */
struct rank_word {
	uint64_t hash;
	uint32_t field;      /* 0 title, 1 lead */
	size_t start, end;   /* the word's bytes in its field */
	size_t key_len;      /* bytes of its search key */
};
struct rank_words {
	uint64_t *keys;         /* distinct word hashes of title, lead and body, ascending */
	size_t n_keys, cap_keys;
	struct rank_word *head; /* the title's words, then the lead's, in order */
	size_t n_head, cap_head;
	uint8_t *weights;       /* per key: its occurrences weighted by field (title 4, lead 2,
				 * body 1), summed, at most 255 */
	size_t cap_weights;
	size_t n_tokens;        /* the article's words, repeats included */
};
/* rank_words_release: free w's arrays and zero it. */
void rank_words_release(struct rank_words *w);

/* rank_sig_compute_words: rank_sig_compute, also filling *words (may be NULL). */
enum ch_status rank_sig_compute_words(const struct rank_article *a, struct rank_sig *sig,
				      struct rank_words *words, struct ch_error *err);

/* rank_words_encode: append the distinct words of w (keys, weights and token count: what
 * rank_df_add_doc takes, not the title's and lead's words) as a versioned little-endian blob
 * of 12 + 9 * n_keys bytes, so a store can keep them and a later run need not tokenize the
 * article again. CH_ERR_LIMIT when out's limit is too small for it. */
enum ch_status rank_words_encode(const struct rank_words *w, struct buf *out);
/* rank_words_decode: read a blob written by rank_words_encode into *w (reusing its arrays;
 * n_head is 0). CH_ERR_PARSE when it is not one (w is then empty). */
enum ch_status rank_words_decode(const void *p, size_t n, struct rank_words *w, struct ch_error *err);

/* rank_sig_encode: append sig as a versioned little-endian blob of 56 + 4 * n bytes (at most
 * 2,104: what a store keeps per article to rebuild the index after a restart). */
enum ch_status rank_sig_encode(const struct rank_sig *sig, struct buf *out);
/* rank_sig_decode: read a blob written by rank_sig_encode. CH_ERR_PARSE when it is not one. */
enum ch_status rank_sig_decode(const void *p, size_t n, struct rank_sig *sig, struct ch_error *err);

/* ---- Document counts over a sliding window (df.c) ---------------------------------------- */

/* How many of the articles of the last `window` seconds hold each word: what picks an
 * article's rarest words for related articles without asking the full-text index. */
struct rank_df;
/* rank_df_new: an empty counter over window seconds (caller frees with rank_df_free); NULL when
 * out of memory. */
struct rank_df *rank_df_new(int64_t window);
void rank_df_free(struct rank_df *df);
/* rank_df_add: count an article published at `published` holding the n distinct word hashes
 * (copied); articles published more than window before it stop counting. */
enum ch_status rank_df_add(struct rank_df *df, int64_t published, const uint64_t *hashes, size_t n);
/* One article for rank_df_add_doc: its id and story (what related articles return and skip),
 * publication time and n distinct word hashes (copied), each with a weight (1-255: how much
 * the word counts where it is, e.g. more in the title; NULL: all 1). */
struct rank_df_doc {
	int64_t id, story, published;
	const uint64_t *hashes;
	const uint8_t *weights;
	size_t n;
	size_t length; /* the article's length in words, for ranking; 0: n */
};
/* rank_df_add_doc: rank_df_add, also indexing the article for rank_df_related. */
enum ch_status rank_df_add_doc(struct rank_df *df, const struct rank_df_doc *doc);
/* What rank_df_related looks for: the articles holding any of n_words word hashes, other than
 * article id and its story, published within window seconds of `published`. */
struct rank_df_query {
	int64_t id, story, published, window;
	const uint64_t *words;
	size_t n_words;
};
/* rank_df_related: the ids of the (at most max) added articles matching q, best first by
 * Okapi BM25 over the words they share with it (their weights as term frequencies, the counts
 * as document frequencies). Returns how many. */
size_t rank_df_related(const struct rank_df *df, const struct rank_df_query *q, int64_t *out, size_t max);
/* rank_df_count: the articles counted now that hold word hash. */
uint32_t rank_df_count(const struct rank_df *df, uint64_t hash);
/* rank_df_covers: whether the counts cover the whole window before t (the first article added
 * is at least window older than t), so they can stand for the index's. */
bool rank_df_covers(const struct rank_df *df, int64_t t);

/* ---- The incremental story index ---------------------------------------------------------- */

struct rank_stories_opts {
	int64_t window;       /* seconds an article stays a candidate; default 3 days */
	double join;          /* share of one text's sampled shingles found in the other, needed to
			       * join a story; default 0.5 */
	double join_late;     /* the same for a candidate of another day: more than `day` earlier, or
			       * on an earlier local calendar day and more than day / 4 earlier;
			       * default 0.8 */
	int64_t day;          /* seconds; default 20 hours (see is_late in stories.c) */
	int64_t utc_offset;   /* of the local calendar day, seconds; default 12600 (Tehran) */
	uint32_t min_shingles; /* texts with fewer shingles join only by URL or body; default 6 */
};

/* rank_stories_opts_default: the defaults above. */
struct rank_stories_opts rank_stories_opts_default(void);

/* What the index decided for one article. Story and article ids are the caller's keys. */
struct rank_assignment {
	int64_t story;     /* the story's id: the key of its first article */
	int64_t lead;      /* key of the story's lead article: the credited original outlet's, else
			    * the earliest */
	bool new_story;    /* this article started the story */
	bool exact;        /* joined by the same canonical URL or the same body */
	double score;      /* containment that decided the join (1 for exact, 0 for a new story) */
	bool digest;       /* a round-up quoting several stories: it started a story of its own */
};

struct rank_stories;

/* rank_stories_new: an empty index; opts NULL for the defaults. NULL when out of memory.
 * rank_stories_free releases it (NULL is fine). */
struct rank_stories *rank_stories_new(const struct rank_stories_opts *opts);
void rank_stories_free(struct rank_stories *ix);

/* rank_stories_add: cluster one article given in publication order (published not earlier than
 * the previous article's, or it is treated as published then) under the caller's key (unique,
 * e.g. the database row id), and fill *out. */
enum ch_status rank_stories_add(struct rank_stories *ix, int64_t key, const struct rank_article *a,
				struct rank_assignment *out, struct ch_error *err);

/* rank_stories_add_sig: the same from a signature computed earlier; the decision's flags
 * (RANK_SIG_DIGEST) are set in sig->flags, so encode sig after this call to persist them. */
enum ch_status rank_stories_add_sig(struct rank_stories *ix, int64_t key, struct rank_sig *sig,
				    struct rank_assignment *out, struct ch_error *err);

/* rank_stories_restore: put an article back with the story it was assigned before (after a
 * restart, from the store: the signature as rank_stories_add_sig left it, flags included),
 * without deciding anything. Articles must come in publication order. */
enum ch_status rank_stories_restore(struct rank_stories *ix, int64_t key, const struct rank_sig *sig,
				    int64_t story, struct ch_error *err);

/* rank_stories_live: how many articles are candidates now (inside the window). */
size_t rank_stories_live(const struct rank_stories *ix);


/* ---- Clustering on a thread of its own, beside the storing (assign.c) ---------------------- */

/* A thread that clusters the articles another thread stores, so that ingest's wall time per
 * batch is about the larger of storing and clustering, not their sum. It works on a
 * connection of its own to the same database: it reads the articles without a story (WAL: the
 * storing never blocks it), decides each one's story, signature, kept words and related
 * articles in memory, then writes them in one short transaction per round. SQLite has one
 * writer, so the storing thread may take the same process-local write turn around its own
 * transactions (rank_clusterer_write_begin/_end): the clustering's writes then go next instead
 * of polling SQLite's busy handler while a bulk load commits batch after batch. Stories are
 * those of rank_assigner_run: the same articles in the same order (oldest first) with the same
 * window. Articles stored but not clustered when it stops (or crashes) have no story; the next
 * run of any clustering picks them up. */
struct rank_clusterer;
struct store;

/* rank_clusterer_start: open the database at db_path and start the thread; it first clusters
 * whatever is stored without a story. Stop it with rank_clusterer_stop. */
enum ch_status rank_clusterer_start(const char *db_path, struct rank_clusterer **out, struct ch_error *err);

/* rank_clusterer_submit: articles were stored on st and committed: wake the thread, handing it
 * the tokens st kept of them (store_tokens_take; from now on st keeps them: store_tokens_keep)
 * so it need not tokenize them again. Blocks while the thread holds RANK_CLUSTERER_QUEUE
 * batches it has not finished (memory, and a store that runs far ahead of its stories). Call
 * it from the storing thread, outside rank_clusterer_write_begin/_end. */
#define RANK_CLUSTERER_QUEUE 4
void rank_clusterer_submit(struct rank_clusterer *c, struct store *st);

/* rank_clusterer_write_begin / _end: the storing thread's write turn: wait while the
 * clustering writes (or waits to write), then hold the turn until _end. Optional: without it
 * the two transactions meet in SQLite's busy handler. */
void rank_clusterer_write_begin(struct rank_clusterer *c);
void rank_clusterer_write_end(struct rank_clusterer *c);

/* rank_clusterer_wait: until every article submitted before the call is clustered (or the
 * thread stops); the first error a run met since the last wait, CH_OK when none. */
enum ch_status rank_clusterer_wait(struct rank_clusterer *c, struct ch_error *err);

/* What the thread did so far, in seconds. */
struct rank_clusterer_stats {
	size_t assigned;     /* articles clustered */
	size_t runs;         /* runs (a run clusters everything without a story, by rounds) */
	double busy_s;       /* wall time in runs */
	double cpu_s;        /* the thread's CPU time */
	double lock_wait_s;  /* of busy_s: waiting for the storing thread's write turn to end */
	double lock_held_s;  /* of busy_s: writing, the storing thread kept waiting if it asks */
	double lock_cpu_s;   /* of cpu_s: while writing */
	double store_wait_s; /* the storing thread's: waiting for its write turn */
	double queue_wait_s; /* the storing thread's: waiting in submit for the queue */
	size_t replayed, tokenized; /* articles whose kept tokens were used / tokenized again */
	double window_cpu_s; /* of cpu_s: the window's words loaded at a run's start (tokenized
			      * where the store kept none: a store clustered before schema 10) */
};
void rank_clusterer_stats(struct rank_clusterer *c, struct rank_clusterer_stats *out);

/* rank_clusterer_stop: stop the thread (after the round it is in: at most a few thousand
 * articles; the rest keep no story until the next run) and join it, close its connection and
 * free c (NULL is fine). */
void rank_clusterer_stop(struct rank_clusterer *c);

#endif
