/*
 * related.c — "read more": for one article, the articles of other stories from the days around
 * it that share the most telling words of its title and lead (bm25 over the full-text index,
 * the words OR'ed), kept in the `related` table when the article is clustered, so a page view
 * costs one indexed read. Clustering (src/rank/assign.c) finds them in its own in-memory index
 * of the window's words and only saves them here (store_related_save); the full-text search
 * below serves store_related_compute, for a caller without that index.
 */
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"


/* ?2, ?3: the first and last article ids of the window, so FTS5 walks only the window's part
 * of each posting list (ids grow with ingest order, publication times roughly with them). Ranked by
 * fts.c's chapar_rank with the words' document counts passed in (?4): bm25() would learn them
 * by walking each word's whole posting list again, on every call. No join: the candidates'
 * story and time are read for the best ranked only (check_sql), since reading them for every
 * match reads each matching article's row past its body and cost most of the query. */
static const char related_sql[] =
	"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3"
	" ORDER BY chapar_rank(articles_fts, ?4)";
static const char check_sql[] = "SELECT story_id, published FROM articles WHERE id = ?1";

#define CANDIDATES_MAX 256 /* ranked matches looked at, at most, for the kept few */

static const char list_sql[] =
	"SELECT related_id FROM related WHERE article_id = ?1 ORDER BY rank LIMIT ?2";

#define PICKED_TERMS RELATED_PICKED /* the rarest words shared with another article make the query */

void store_related_word_set(struct related_word *w, const char *word, size_t n, int64_t docs)
{
	size_t q = 0;
	w->quoted[q++] = '"';
	for (size_t i = 0; i < n && q + 3 < sizeof w->quoted; i++) {
		if (word[i] == '"')
			w->quoted[q++] = '"';
		w->quoted[q++] = word[i];
	}
	w->quoted[q++] = '"';
	w->quoted[q] = '\0';
	w->docs = docs;
}

/* The candidate words of one article being collected from its title and lead. */
struct term_ctx {
	const char *text;
	char keys[RELATED_WORDS_MAX][128];
	struct related_word *words;
	int n;
};

/* The picked words of one article: the MATCH expression and each word's document count. */
struct picked {
	struct buf expr;
	double docs[PICKED_TERMS];
	int n;
};

/* add_word: text_token_fn collecting each distinct longer word of the text. */
static int add_word(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct term_ctx *c = ctx;
	if (colocated || key_len < 4 || key_len >= sizeof c->keys[0] || c->n >= RELATED_WORDS_MAX)
		return 0; /* short words say little */
	for (int i = 0; i < c->n; i++)
		if (strlen(c->keys[i]) == key_len && !memcmp(c->keys[i], key, key_len))
			return 0;
	store_related_word_set(&c->words[c->n], c->text + start, end - start, -1);
	memcpy(c->keys[c->n], key, key_len);
	c->keys[c->n][key_len] = '\0';
	c->n++;
	return 0;
}

/* Counting stops here: a word this common in the window is no telling word and is not picked
 * (its matches would make the related query rank thousands of rows on a large store), and
 * counting further would walk its posting list (fts5vocab's count walks the whole of it, which
 * made every clustered article cost tens of milliseconds on a large store). */
#define DOCS_CAP 128

/* The article ids a window spans. */
struct id_range {
	int64_t first, last;
};

/* term_docs: how many articles of the window hold the quoted word, up to DOCS_CAP. */
static int64_t term_docs(struct store *st, const char *quoted, struct id_range w)
{
	static const char sql[] = "SELECT count(*) FROM (SELECT rowid FROM articles_fts"
				  " WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?4 LIMIT ?3)";
	sqlite3_stmt *s = sql_stmt(st, sql, NULL);
	int64_t n = 0;
	if (s) {
		sqlite3_bind_text(s, 1, quoted, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, w.first);
		sqlite3_bind_int(s, 3, DOCS_CAP);
		sqlite3_bind_int64(s, 4, w.last);
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return n;
}

/* words_of: the candidate words of a title and lead (the lead's too when the title has few):
 * each distinct longer word, its document count unknown. Returns how many. */
static size_t words_of(const char *title, const char *lead, struct related_word *words)
{
	struct term_ctx c = { .text = title, .words = words };
	if (title)
		text_tokenize(title, strlen(title), TEXT_TOK_QUERY, add_word, &c);
	c.text = lead;
	if (lead && c.n < PICKED_TERMS + 2)
		text_tokenize(lead, strlen(lead), TEXT_TOK_QUERY, add_word, &c);
	return (size_t)c.n;
}

/* pick_words: the OR expression of the article's most telling words: of its candidates, the
 * PICKED_TERMS held by the fewest other articles of the window (but by at least one, and by
 * fewer than DOCS_CAP); counts not given are counted in the index. A few rare words keep the
 * query's matches, and so its cost, small. */
static void pick_words(struct store *st, struct related_word *words, size_t n, struct id_range w,
		       struct picked *out)
{
	struct buf *expr = &out->expr;
	for (size_t i = 0; i < n; i++)
		if (words[i].docs < 0)
			words[i].docs = term_docs(st, words[i].quoted, w);
	for (int picked = 0; picked < PICKED_TERMS; picked++) {
		int best = -1;
		for (size_t i = 0; i < n; i++)
			if (words[i].docs >= 2 && words[i].docs < DOCS_CAP &&
			    (best < 0 || words[i].docs < words[best].docs))
				best = (int)i;
		if (best < 0)
			break;
		if (expr->n)
			buf_adds(expr, " OR ");
		buf_adds(expr, words[best].quoted);
		out->docs[out->n++] = (double)words[best].docs;
		words[best].docs = 0; /* taken */
	}
}

/* window_ids: the ids of the earliest and the latest article published within window_s of t
 * (0 if none): one step down the publication index each (min(id) over the range walked it). */
static struct id_range window_ids(struct store *st, int64_t t, int64_t window_s)
{
	static const char first_sql[] =
		"SELECT id FROM articles WHERE published >= ?1 ORDER BY published, id LIMIT 1";
	static const char last_sql[] =
		"SELECT id FROM articles WHERE published <= ?1 ORDER BY published DESC, id DESC LIMIT 1";
	struct id_range w = { 0, 0 };
	sqlite3_stmt *s = sql_stmt(st, first_sql, NULL);
	if (s) {
		sqlite3_bind_int64(s, 1, t - window_s);
		if (sqlite3_step(s) == SQLITE_ROW)
			w.first = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	if ((s = sql_stmt(st, last_sql, NULL))) {
		sqlite3_bind_int64(s, 1, t + window_s);
		if (sqlite3_step(s) == SQLITE_ROW)
			w.last = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	if (w.first > w.last) { /* ids out of publication order: take the span both ways */
		int64_t t2 = w.first;
		w.first = w.last;
		w.last = t2;
	}
	return w;
}

static const char delete_sql[] = "DELETE FROM related WHERE article_id = ?1";
/* Rows are written up to eight at a time, each a (rank, id) pair of the VALUES list; ?10 is the
 * rank of the first, and pairs whose id is left unbound (NULL) are not written: one statement
 * instead of one per row (the per-statement work was most of saving a list). */
#define RELATED_ROWS_PER_INSERT 8
static const char insert_sql[] =
	"INSERT INTO related(article_id, rank, related_id) SELECT ?1, ?10 + column1, column2 FROM"
	" (VALUES (0, ?2), (1, ?3), (2, ?4), (3, ?5), (4, ?6), (5, ?7), (6, ?8), (7, ?9))"
	" WHERE column2 IS NOT NULL";

/* exec_ids: run a kept statement taking n integer parameters to completion; an SQLite code. */
static int exec_ids(struct store *st, const char *sql, const int64_t *vals, int n)
{
	sqlite3_stmt *s = sql_stmt(st, sql, NULL);
	if (!s)
		return SQLITE_ERROR;
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(s, i + 1, vals[i]);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* exec_rows: insert ids[1, 1 + k) (k <= RELATED_ROWS_PER_INSERT) as related rows of
 * article ids[0], ranked from first on; an SQLite code. */
static int exec_rows(struct store *st, const int64_t *ids, size_t k, int64_t first)
{
	sqlite3_stmt *s = sql_stmt(st, insert_sql, NULL);
	if (!s)
		return SQLITE_ERROR;
	for (size_t i = 0; i <= k; i++)
		sqlite3_bind_int64(s, (int)i + 1, ids[i]);
	sqlite3_bind_int64(s, 10, first);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum ch_status store_related_save(struct store *st, int64_t id, const int64_t *ids, size_t n,
				  struct ch_error *err)
{
	enum ch_status r = store_batch_begin(st, err);
	if (r != CH_OK)
		return r;
	int rc = exec_ids(st, delete_sql, &id, 1);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i += RELATED_ROWS_PER_INSERT) {
		int64_t row[1 + RELATED_ROWS_PER_INSERT] = { id };
		size_t k = n - i < RELATED_ROWS_PER_INSERT ? n - i : RELATED_ROWS_PER_INSERT;
		memcpy(row + 1, ids + i, k * sizeof *ids);
		rc = exec_rows(st, row, k, (int64_t)i);
	}
	return store_batch_end(st, rc == SQLITE_OK ? CH_OK : db_fail(st, err, "related: save"), err);
}

static const char clustered_sql[] =
	"SELECT id, story_id, published, url, title, lead, body_text FROM articles"
	" WHERE published BETWEEN ?1 AND ?2 AND story_id IS NOT NULL ORDER BY published, id";

enum ch_status store_articles_clustered(struct store *st, int64_t from, int64_t to, struct arena *a,
					struct article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, clustered_sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	size_t cap = 0, count = 0;
	struct article *v = arena_grow_array(a, NULL, &cap, sizeof *v, 0);
	int rc = SQLITE_DONE;
	while (v && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(v = arena_grow_array(a, v, &cap, sizeof *v, count)))
			break;
		struct article *o = &v[count++];
		*o = (struct article){ .id = sqlite3_column_int64(s, 0), .story_id = sqlite3_column_int64(s, 1),
				       .published = sqlite3_column_int64(s, 2), .url = col_text(s, 3, a),
				       .title = col_text(s, 4, a), .lead = col_text(s, 5, a),
				       .body_text = col_text(s, 6, a) };
	}
	sqlite3_reset(s);
	if (!v)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "clustered articles");
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status store_related_compute_words(struct store *st, int64_t id, int64_t story_id,
					   int64_t published, struct related_word *words, size_t n,
					   int64_t window_s, size_t limit, struct ch_error *err)
{
	struct picked picked = { .n = 0 };
	struct buf *expr = &picked.expr;
	buf_init(expr, 16384);
	enum ch_status r = CH_OK;
	struct id_range w = window_ids(st, published, window_s);
	pick_words(st, words, n < RELATED_WORDS_MAX ? n : RELATED_WORDS_MAX, w, &picked);
	int64_t found[64];
	size_t k = 0, want = limit < 64 ? limit : 64;
	if (expr->n) {
		sqlite3_stmt *s = sql_stmt(st, related_sql, err);
		sqlite3_stmt *c = s ? sql_stmt(st, check_sql, err) : NULL;
		if (!c) {
			r = CH_ERR_DB;
		} else {
			sqlite3_bind_text(s, 1, buf_str(expr), -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, w.first);
			sqlite3_bind_int64(s, 3, w.last);
			sqlite3_bind_blob(s, 4, picked.docs, picked.n * (int)sizeof(double), SQLITE_STATIC);
			for (int seen = 0; k < want && seen < CANDIDATES_MAX && sqlite3_step(s) == SQLITE_ROW; seen++) {
				int64_t other = sqlite3_column_int64(s, 0);
				if (other == id)
					continue;
				sqlite3_bind_int64(c, 1, other);
				/* another story's article (clustered) published within the window */
				if (sqlite3_step(c) == SQLITE_ROW && sqlite3_column_type(c, 0) != SQLITE_NULL &&
				    sqlite3_column_int64(c, 0) != story_id &&
				    sqlite3_column_int64(c, 1) >= published - window_s &&
				    sqlite3_column_int64(c, 1) <= published + window_s)
					found[k++] = other;
				sqlite3_reset(c);
			}
			sqlite3_reset(s);
		}
	}
	if (r == CH_OK)
		r = store_related_save(st, id, found, k, err);
	buf_release(expr);
	return r;
}

enum ch_status store_related_compute(struct store *st, int64_t id, int64_t window_s, size_t limit,
				     struct ch_error *err)
{
	struct arena a;
	arena_init(&a, 0);
	struct article art;
	enum ch_status r = store_article_get(st, id, &a, &art, err);
	if (r == CH_OK) {
		struct related_word words[RELATED_WORDS_MAX];
		size_t n = words_of(art.title, art.lead, words);
		r = store_related_compute_words(st, id, art.story_id, art.published, words, n, window_s,
						limit, err);
	}
	arena_release(&a);
	return r;
}

enum ch_status store_related_list(struct store *st, int64_t id, size_t limit, struct arena *a,
				  struct article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, list_sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	struct article *v = arena_alloc(a, (limit ? limit : 1) * sizeof *v);
	size_t k = 0;
	enum ch_status r = v ? CH_OK : ch_fail(err, CH_ERR_NOMEM, "out of memory");
	while (r == CH_OK && k < limit && sqlite3_step(s) == SQLITE_ROW) {
		if (article_get(st, sqlite3_column_int64(s, 0), false, a, &v[k], NULL) == CH_OK)
			k++;
	}
	sqlite3_reset(s);
	*out = v;
	*n = k;
	return r;
}
