/*
 * fts.c — the "persian" FTS5 tokenizer: SQLite's full-text index driven by src/text's
 * tokenizer, so a document and a query fold the same way (میشود, می شود and می‌شود; ي/ی, ك/ک;
 * every digit system; diacritics) and ZWNJ compounds are indexed both as parts and whole.
 * Registered on every connection before the schema is touched, with chapar_rank, the ranking
 * function search.c uses. It also hands the tokens it makes of a new article to the
 * clustering (the token tap below), which would otherwise tokenize the same text again.
 */
#include <math.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"

/* FTS5 merges its index segments as documents arrive and reads doclists page by page; with
 * SQLite's default 2 MB page cache both go back to the file system for almost every page
 * (pread dominated a profile of bulk ingest). A larger cache, and reads through mmap, keep them
 * in memory. The cache is allocated lazily, so an idle connection does not pay for it. */
#define FTS_CONNECTION_PRAGMAS "PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;"

/* The tokenizer keeps no state of its own: every instance is the same empty object. */
struct persian_tokenizer {
	int unused;
};
static struct persian_tokenizer the_tokenizer;

/* tok_create: FTS5 xCreate; arguments are not accepted. */
static int tok_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out)
{
	if (nargs > 0)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)&the_tokenizer;
	return SQLITE_OK;
}

/* tok_delete: FTS5 xDelete; nothing to free. */
static void tok_delete(Fts5Tokenizer *t)
{
}

/* ---------------------------------------------------------------------------------------------
 * The token tap: the clustering tokenizes an article's fields exactly as the index does
 * (text_tokenize, document mode), right after the store indexed them; the store keeps what the
 * index's tokenizer produced instead (store_tokens_keep): a second tokenization was a quarter
 * of the clustering's CPU. The recorder is armed on the writing thread around the one
 * statement that writes an article's full-text row (sqlite.c index_article): FTS5 tokenizes
 * the row's non-NULL columns, in order, inside that step.
 * ------------------------------------------------------------------------------------------- */

/* Memory kept at most for recorded tokens (keys and records); past it nothing more is kept
 * until the next store_tokens_keep and the clustering tokenizes for itself. */
#define TAP_MAX_BYTES (48u << 20)

static _Thread_local struct token_tap *armed_tap; /* recording now, or NULL */

/* token_doc.field beside a column's number: the record is complete, or is not to be used. */
enum { WHOLE = 3, BROKEN = 4 };

/* tap_grow: room for one more element in *arr (n used, *cap allocated, sz each). */
static bool tap_grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 1024;
	void *g = realloc(*arr, c * sz);
	if (!g)
		return false;
	*arr = g;
	*cap = c;
	return true;
}

void fts_tap_begin(struct token_tap *tap, int64_t id, unsigned fields)
{
	armed_tap = NULL;
	if (!tap->on || tap->full)
		return;
	if (tap->n_doc && tap->doc[tap->n_doc - 1].id >= id)
		fts_tap_clear(tap); /* ids must ascend (lookups are binary searches) */
	if (tap->keys.n + tap->n_tok * sizeof *tap->tok > TAP_MAX_BYTES ||
	    !tap_grow((void **)&tap->doc, tap->n_doc, &tap->cap_doc, sizeof *tap->doc)) {
		tap->full = true;
		return;
	}
	tap->doc[tap->n_doc] = (struct token_doc){ .id = id, .first = tap->n_tok, .expect = fields, .field = -1 };
	armed_tap = tap;
}

void fts_tap_end(struct token_tap *tap, bool ok)
{
	if (armed_tap != tap)
		return;
	armed_tap = NULL;
	struct token_doc *d = &tap->doc[tap->n_doc];
	if (ok && d->field != BROKEN && d->expect == 0) { /* every expected column tokenized */
		d->field = WHOLE;
		d->n = tap->n_tok - d->first;
		tap->n_doc++;
	} else {
		tap->n_tok = d->first; /* the record is dropped; its key bytes stay until cleared */
	}
}

/* text_fingerprint: a 32-bit hash of n bytes of text, to tell a field's text from another of
 * the same length: a reader on another connection (store_tokens_replay) may see an article
 * after an update changed it. */
static uint32_t text_fingerprint(const char *text, size_t n)
{
	uint64_t h = hash_fnv1a64(text, n);
	return (uint32_t)(h ^ (h >> 32));
}

/* A column's length and fingerprint share token_doc.len (declared in sqlite_internal.h):
 * the length in the low 32 bits, the fingerprint in the high ones. */
#define LEN_OF(x) ((x) & 0xFFFFFFFFu)
#define FINGERPRINTED(n, fp) ((size_t)(n) | (size_t)(fp) << 32)

/* tap_column: a document-mode tokenization of the n bytes at text starts: the next expected
 * column of the armed record (FTS5 skips NULL columns; fts_tap_begin said which ones are not). */
static void tap_column(const char *text, int n)
{
	if (!armed_tap)
		return;
	struct token_doc *d = &armed_tap->doc[armed_tap->n_doc];
	if (d->field == BROKEN)
		return;
	if (d->expect == 0 || (uint64_t)n > UINT32_MAX || SIZE_MAX <= UINT32_MAX) {
		d->field = BROKEN; /* more columns than expected, or no room for the fingerprint */
		return;
	}
	d->field = __builtin_ctz(d->expect);
	d->expect &= d->expect - 1;
	size_t len = n > 0 && text ? (size_t)n : 0;
	d->len[d->field] = FINGERPRINTED(len, text_fingerprint(text ? text : "", len));
}

/* tap_token: record one token of the armed record's current column; false when out of memory
 * (the record is then dropped). */
static void tap_token(const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct token_tap *t = armed_tap;
	int field = t->doc[t->n_doc].field;
	if (field < 0 || field > 2 || key_len > UINT32_MAX || start > UINT32_MAX || end > UINT32_MAX ||
	    !tap_grow((void **)&t->tok, t->n_tok, &t->cap_tok, sizeof *t->tok) ||
	    t->keys.n > UINT32_MAX - key_len) {
		t->doc[t->n_doc].field = BROKEN;
		return;
	}
	size_t off = t->keys.n;
	if (buf_add(&t->keys, key, key_len) != CH_OK) {
		t->doc[t->n_doc].field = BROKEN;
		return;
	}
	t->tok[t->n_tok++] = (struct token_rec){ .key_off = (uint32_t)off, .key_len = (uint32_t)key_len,
						  .start = (uint32_t)start, .end = (uint32_t)end,
						  .field = (uint8_t)field, .colocated = colocated };
}

void fts_tap_clear(struct token_tap *tap)
{
	buf_reset(&tap->keys);
	tap->n_tok = tap->n_doc = 0;
	tap->full = false;
}

void fts_tap_release(struct token_tap *tap)
{
	buf_release(&tap->keys);
	free(tap->tok);
	free(tap->doc);
	*tap = (struct token_tap){ 0 };
}

/* tap_find: article id's whole record, or NULL. */
static struct token_doc *tap_find(struct token_tap *tap, int64_t id)
{
	size_t lo = 0, hi = tap->n_doc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tap->doc[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tap->n_doc && tap->doc[lo].id == id ? &tap->doc[lo] : NULL;
}

void fts_tap_forget(struct token_tap *tap, int64_t id)
{
	struct token_doc *d = id ? tap_find(tap, id) : NULL;
	if (d)
		d->field = BROKEN; /* dropped; its id stays, for the order of the search */
}

void store_tokens_keep(struct store *st, bool on)
{
	if (on && !st->tap.on)
		buf_init(&st->tap.keys, BUF_NO_LIMIT);
	if (!on)
		fts_tap_release(&st->tap);
	fts_tap_clear(&st->tap);
	st->tap.on = on;
}

/* tap_replay: replay d's tokens of field to fn. */
static void tap_replay(const struct token_tap *t, const struct token_doc *d, int field, store_token_fn fn,
		       void *ctx)
{
	for (size_t i = d->first; i < d->first + d->n; i++) {
		const struct token_rec *r = &t->tok[i];
		if (r->field == field &&
		    fn(ctx, t->keys.p + r->key_off, r->key_len, r->start, r->end, r->colocated) != 0)
			break;
	}
}

bool store_article_tokens(struct store *st, int64_t id, int field, size_t len, store_token_fn fn,
			  void *ctx)
{
	const struct token_doc *d = id > 0 ? tap_find(&st->tap, id) : NULL;
	if (!d || d->field != WHOLE || field < 0 || field > 2 || LEN_OF(d->len[field]) != len)
		return false;
	tap_replay(&st->tap, d, field, fn, ctx);
	return true;
}

/* A connection's kept tokens, detached from it (store_tokens_take): read-only from then on. */
struct store_tokens {
	struct token_tap tap;
};

/* store_read_latest resets, outside a transaction, the connection's statements that returned a
 * row and were left so: each holds the connection's read snapshot open, and once another
 * connection (the clustering's) has committed, this one's next BEGIN IMMEDIATE fails at once
 * with "database is locked" (its snapshot is stale). sqlite.c resets its statements when it
 * uses them next; between transactions no call is using one, so resetting them is safe. */
void store_read_latest(struct store *st)
{
	if (st->tx_depth)
		return;
	for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s; s = sqlite3_next_stmt(st->db, s))
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
}

struct store_tokens *store_tokens_take(struct store *st)
{
	store_read_latest(st); /* handed over to another connection's writes */
	if (!st->tap.on || st->tap.n_doc == 0) {
		if (st->tap.on)
			fts_tap_clear(&st->tap); /* nothing whole kept: start over (and lift the cap) */
		return NULL;
	}
	struct store_tokens *t = malloc(sizeof *t);
	if (!t) {
		fts_tap_clear(&st->tap);
		return NULL;
	}
	t->tap = st->tap;
	t->tap.on = false; /* no longer recording */
	st->tap = (struct token_tap){ .on = true };
	buf_init(&st->tap.keys, BUF_NO_LIMIT);
	return t;
}

void store_tokens_free(struct store_tokens *t)
{
	if (!t)
		return;
	fts_tap_release(&t->tap);
	free(t);
}

int64_t store_tokens_last(const struct store_tokens *t)
{
	return t && t->tap.n_doc ? t->tap.doc[t->tap.n_doc - 1].id : 0;
}

bool store_tokens_replay(const struct store_tokens *t, int64_t id, int field, const char *text, size_t len,
			 store_token_fn fn, void *ctx)
{
	if (!t || id <= 0 || field < 0 || field > 2 || len > UINT32_MAX)
		return false;
	const struct token_doc *d = tap_find((struct token_tap *)&t->tap, id);
	if (!d || d->field != WHOLE ||
	    d->len[field] != FINGERPRINTED(len, text_fingerprint(text ? text : "", text ? len : 0)))
		return false;
	tap_replay(&t->tap, d, field, fn, ctx);
	return true;
}

/* ---------------------------------------------------------------------------------------------
 * The tokenizer
 * ------------------------------------------------------------------------------------------- */

struct token_call {
	void *fts_ctx;
	int (*emit)(void *, int, const char *, int, int, int);
	bool seen_first;
};

/* forward: text_token_fn handing each token to FTS5 (and to the armed tap, which keeps every
 * token text_tokenize gives, as the clustering's own call would see it). */
static int forward(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct token_call *c = ctx;
	if (armed_tap)
		tap_token(key, key_len, start, end, colocated);
	if (key_len == 0 || key_len > 256)
		return 0; /* empty or absurd tokens are not indexed */
	int flags = colocated && c->seen_first ? FTS5_TOKEN_COLOCATED : 0;
	c->seen_first = true;
	return c->emit(c->fts_ctx, flags, key, (int)key_len, (int)start, (int)end);
}

/* tok_tokenize: FTS5 xTokenize over src/text's tokenizer. */
static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
			int (*emit)(void *, int, const char *, int, int, int))
{
	struct token_call c = { .fts_ctx = ctx, .emit = emit };
	enum text_tok_mode mode = (flags & FTS5_TOKENIZE_QUERY) ? TEXT_TOK_QUERY : TEXT_TOK_DOCUMENT;
	if (flags == FTS5_TOKENIZE_DOCUMENT)
		tap_column(text, n);
	return text_tokenize(text ? text : "", n > 0 ? (size_t)n : 0, mode, forward, &c);
}

/* ---------------------------------------------------------------------------------------------
 * chapar_rank: bm25 without its per-query scan
 *
 * FTS5's bm25() learns each phrase's document frequency by running the phrase over the whole
 * index once per query: for a word in 600,000 of a million articles that alone costs tens of
 * milliseconds, however few rows are scored. chapar_rank(articles_fts, dfs) is the same Okapi
 * BM25 (k1 1.2, b 0.75; column weights RANK_WEIGHTS; summed tf per phrase against the row's
 * whole length, as bm25() does) with the frequencies passed in by the caller: `dfs` is a blob
 * of doubles, one per phrase of the MATCH expression in order (missing ones count as 1).
 * Lower is better, like bm25().
 */

static const double RANK_WEIGHTS[] = { 4.0, 2.0, 1.0 }; /* title, lead, body */
#define RANK_K1 1.2
#define RANK_B 0.75

struct rank_data {
	int phrases;
	double avg_len;
	double *idf;  /* per phrase */
	double *freq; /* per phrase, scratch for one row */
};

/* rank_data_new: the per-query constants: each phrase's idf and the mean row length. */
static struct rank_data *rank_data_new(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *dfs)
{
	int phrases = api->xPhraseCount(fts);
	struct rank_data *d = sqlite3_malloc64(sizeof *d + 2 * (size_t)(phrases + 1) * sizeof(double));
	if (!d)
		return NULL;
	d->phrases = phrases;
	d->idf = (double *)(d + 1);
	d->freq = d->idf + phrases + 1;
	sqlite3_int64 rows = 0, tokens = 0;
	api->xRowCount(fts, &rows);
	api->xColumnTotalSize(fts, -1, &tokens);
	d->avg_len = rows > 0 ? (double)tokens / (double)rows : 1.0;
	const double *given = dfs ? sqlite3_value_blob(dfs) : NULL;
	int n_given = dfs ? sqlite3_value_bytes(dfs) / (int)sizeof(double) : 0;
	for (int i = 0; i < phrases; i++) {
		double df = i < n_given && given ? given[i] : 1.0;
		double idf = log(((double)rows - df + 0.5) / (df + 0.5));
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	return d;
}

/* rank_fn: the FTS5 auxiliary function chapar_rank (see above). */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
		    sqlite3_value **vals)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	if (!d) {
		d = rank_data_new(api, fts, nval > 0 ? vals[0] : NULL);
		if (!d || api->xSetAuxdata(fts, d, sqlite3_free) != SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	for (int i = 0; i < d->phrases; i++)
		d->freq[i] = 0;
	int inst = 0, len = 0;
	if (api->xInstCount(fts, &inst) != SQLITE_OK || api->xColumnSize(fts, -1, &len) != SQLITE_OK) {
		sqlite3_result_error(ctx, "chapar_rank: cannot read the row", -1);
		return;
	}
	for (int i = 0; i < inst; i++) {
		int phrase, col, off;
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase >= 0 &&
		    phrase < d->phrases && col >= 0 && col < (int)(sizeof RANK_WEIGHTS / sizeof RANK_WEIGHTS[0]))
			d->freq[phrase] += RANK_WEIGHTS[col];
	}
	double score = 0, norm = RANK_K1 * (1 - RANK_B + RANK_B * len / d->avg_len);
	for (int i = 0; i < d->phrases; i++)
		score += d->idf[i] * d->freq[i] * (RANK_K1 + 1) / (d->freq[i] + norm);
	sqlite3_result_double(ctx, -score);
}

/* ---------------------------------------------------------------------------------------------
 * Merge policy
 *
 * FTS5 keeps its index as segments in levels and merges a level's segments into one of the next
 * level once `automerge` of them are there (default 4), spending on it, for every page a write
 * adds, as many pages of merging as the index has levels. A page is thus rewritten once per
 * level it climbs: at a million articles the index has 9 levels, and merging was more than half
 * of storing's CPU (bench/store/RESULTS.md, 2026-11-29 ing4). With 8 (STORE_FTS_AUTOMERGE) a
 * page climbs two thirds as many levels (log8 instead of log4 of the index's size in flush
 * segments), at the price of a query seeking up to 7 segments per level instead of 3. 16 would
 * halve the levels, but every segment costs each search a lookup per word: a million-article
 * index cut into 71 segments searched with 2.5 times the CPU p99 of one in 12 (same hits).
 * crisismerge stays at its default, 16.
 * ------------------------------------------------------------------------------------------- */

int fts_set_merge_policy(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT v FROM articles_fts_config WHERE k = 'automerge'", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	bool set = rc == SQLITE_ROW && sqlite3_column_int(s, 0) == STORE_FTS_AUTOMERGE;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (set)
		return SQLITE_OK; /* nothing to write: opening stays a read */
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', %d)", STORE_FTS_AUTOMERGE);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int sqlite_register_persian_tokenizer(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api)
		return SQLITE_ERROR;
	static fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	int rc = api->xCreateTokenizer(api, "persian", NULL, &tok, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "chapar_rank", NULL, rank_fn, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, FTS_CONNECTION_PRAGMAS, NULL, NULL, NULL);
	return rc;
}
