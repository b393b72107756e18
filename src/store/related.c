/*
 * related.c — "read more": for one article, the articles of other stories from the days around
 * it that share the most telling words of its title and lead (bm25 over the full-text index,
 * the words OR'ed), kept in the `related` table when the article is clustered, so a page view
 * costs one indexed read.
 */
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"

#define MAX_TERMS 10 /* the title's telling words are enough, and each term costs a posting list */

/* ?7: the first article id of the window, so FTS5 walks only the window's part of each
 * posting list (ids grow with ingest order, publication times roughly with them) */
static const char related_sql[] =
	"SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
	" WHERE articles_fts MATCH ?1 AND articles_fts.rowid >= ?7 AND a.id <> ?2 AND a.story_id IS NOT NULL AND a.story_id <> ?3"
	" AND a.published BETWEEN ?4 - ?5 AND ?4 + ?5"
	" ORDER BY bm25(articles_fts, 4.0, 2.0, 0.5) LIMIT ?6";

static const char list_sql[] =
	"SELECT related_id FROM related WHERE article_id = ?1 ORDER BY rank LIMIT ?2";

struct term_ctx {
	struct buf *expr;
	const char *text;
	int terms;
};

/* add_word: text_token_fn adding each distinct word of the text as a quoted OR term. */
static int add_word(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct term_ctx *c = ctx;
	if (colocated || key_len < 4 || c->terms >= MAX_TERMS) /* short words say little */
		return 0;
	struct buf quoted;
	buf_init(&quoted, 1024);
	buf_addc(&quoted, '"');
	for (size_t i = start; i < end; i++) {
		if (c->text[i] == '"')
			buf_addc(&quoted, '"');
		buf_addc(&quoted, c->text[i]);
	}
	buf_addc(&quoted, '"');
	if (!strstr(buf_str(c->expr), buf_str(&quoted))) {
		if (c->expr->n)
			buf_adds(c->expr, " OR ");
		buf_add(c->expr, quoted.p, quoted.n);
		c->terms++;
	}
	buf_release(&quoted);
	return 0;
}

/* words_of: the OR expression of the telling words of the title (the lead's when the title
 * has too few). */
static void words_of(const char *title, const char *lead, struct buf *expr)
{
	struct term_ctx c = { .expr = expr, .text = title };
	if (title)
		text_tokenize(title, strlen(title), TEXT_TOK_QUERY, add_word, &c);
	c.text = lead;
	if (lead && c.terms < 4)
		text_tokenize(lead, strlen(lead), TEXT_TOK_QUERY, add_word, &c);
}

/* window_start: the smallest article id published within window_s before t (0 if none). */
static int64_t window_start(struct store *st, int64_t t, int64_t window_s)
{
	static const char sql[] = "SELECT min(id) FROM articles WHERE published >= ?1";
	sqlite3_stmt *s = sql_stmt(st, sql, NULL);
	int64_t id = 0;
	if (s) {
		sqlite3_bind_int64(s, 1, t - window_s);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return id;
}

static const char delete_sql[] = "DELETE FROM related WHERE article_id = ?1";
static const char insert_sql[] = "INSERT INTO related(article_id, rank, related_id) VALUES (?1, ?2, ?3)";

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

enum ch_status store_related_compute(struct store *st, int64_t id, int64_t window_s, size_t limit,
				     struct ch_error *err)
{
	struct arena a;
	arena_init(&a, 0);
	struct article art;
	enum ch_status r = store_article_get(st, id, &a, &art, err);
	struct buf expr;
	buf_init(&expr, 16384);
	if (r == CH_OK)
		words_of(art.title, art.lead, &expr);
	int64_t found[64];
	size_t n = 0;
	if (r == CH_OK && expr.n) {
		sqlite3_stmt *s = sql_stmt(st, related_sql, err);
		if (!s) {
			r = CH_ERR_DB;
		} else {
			sqlite3_bind_text(s, 1, buf_str(&expr), -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, 2, id);
			sqlite3_bind_int64(s, 3, art.story_id);
			sqlite3_bind_int64(s, 4, art.published);
			sqlite3_bind_int64(s, 5, window_s);
			sqlite3_bind_int64(s, 6, (sqlite3_int64)(limit < 64 ? limit : 64));
			sqlite3_bind_int64(s, 7, window_start(st, art.published, window_s));
			while (n < 64 && sqlite3_step(s) == SQLITE_ROW)
				found[n++] = sqlite3_column_int64(s, 0);
			sqlite3_reset(s);
		}
	}
	if (r == CH_OK)
		r = store_batch_begin(st, err);
	if (r == CH_OK) {
		int rc = exec_ids(st, delete_sql, &id, 1);
		for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
			int64_t row[3] = { id, (int64_t)i, found[i] };
			rc = exec_ids(st, insert_sql, row, 3);
		}
		r = store_batch_end(st, rc == SQLITE_OK ? CH_OK : db_fail(st, err, "related: save"), err);
	}
	buf_release(&expr);
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
		if (store_article_get(st, sqlite3_column_int64(s, 0), a, &v[k], NULL) == CH_OK) {
			v[k].body_text = v[k].body_html = NULL;
			k++;
		}
	}
	sqlite3_reset(s);
	*out = v;
	*n = k;
	return r;
}
