/*
 * related.c — "read more": the articles of other stories from the days around an article that
 * share the most telling words of its title and lead, kept in the `related_lists` table (one row
 * an article, schema 11) when the article is clustered, so a page view costs one indexed read.
 * Clustering (src/rank/assign.c) finds them in its own in-memory index of the window's words
 * (rank_df_related) and saves them here (store_related_save); it reads the window's clustered
 * articles back from here at the start of a run (store_articles_window: the words it kept of
 * each, store_article_words_put, or the text of those without).
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* One row an article (schema 11): its related ids, best first, as a JSON array ("[12,7]"). */
static const char list_sql[] = "SELECT ids FROM related_lists WHERE article_id = ?1";
static const char save_sql[] =
	"INSERT OR REPLACE INTO related_lists(article_id, ids) VALUES (?1, ?2)";
static const char delete_sql[] = "DELETE FROM related_lists WHERE article_id = ?1";

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

/* ids_json: ids[0, n) as a JSON array of integers into b (reset first). */
static enum ch_status ids_json(struct buf *b, const int64_t *ids, size_t n)
{
	buf_reset(b);
	enum ch_status r = buf_addc(b, '[');
	for (size_t i = 0; r == CH_OK && i < n; i++)
		r = buf_addf(b, i ? ",%lld" : "%lld", (long long)ids[i]);
	return r == CH_OK ? buf_addc(b, ']') : r;
}

/* save_list: write article id's list row from the JSON array json; an SQLite code. */
static int save_list(struct store *st, int64_t id, const struct buf *json)
{
	sqlite3_stmt *s = sql_stmt(st, save_sql, NULL);
	if (!s)
		return SQLITE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, json->p, (int)json->n, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s); /* json is the caller's */
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* One statement, so no transaction of its own is needed: an empty list deletes the row. */
enum ch_status store_related_save(struct store *st, int64_t id, const int64_t *ids, size_t n,
				  struct ch_error *err)
{
	if (n == 0)
		return exec_ids(st, delete_sql, &id, 1) == SQLITE_OK ? CH_OK : db_fail(st, err, "related: save");
	struct buf json;
	buf_init(&json, BUF_NO_LIMIT);
	enum ch_status r = ids_json(&json, ids, n);
	if (r != CH_OK)
		r = ch_fail(err, r, "related: out of memory");
	else if (save_list(st, id, &json) != SQLITE_OK)
		r = db_fail(st, err, "related: save");
	buf_release(&json);
	return r;
}

static const char words_put_sql[] =
	"INSERT OR REPLACE INTO article_words(article_id, published, words) VALUES (?1, ?2, ?3)";
static const char words_prune_sql[] = "DELETE FROM article_words WHERE published < ?1";

enum ch_status store_article_words_put(struct store *st, int64_t id, int64_t published, const void *words,
				       size_t len, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, words_put_sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, published);
	sqlite3_bind_blob64(s, 3, words, (sqlite3_uint64)len, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s); /* words is the caller's */
	return rc == SQLITE_DONE ? CH_OK : db_fail(st, err, "article words");
}

enum ch_status store_article_words_prune(struct store *st, int64_t before, struct ch_error *err)
{
	int rc = exec_ids(st, words_prune_sql, &before, 1);
	return rc == SQLITE_OK ? CH_OK : db_fail(st, err, "article words: prune");
}

/* The text is read only for an article without kept words (CASE is evaluated lazily: its
 * overflow pages are not copied otherwise). */
static const char window_sql[] =
	"SELECT a.id, a.story_id, a.published, w.words,"
	" CASE WHEN w.words IS NULL THEN a.title END, CASE WHEN w.words IS NULL THEN a.lead END,"
	" CASE WHEN w.words IS NULL THEN a.body_text END"
	" FROM articles a LEFT JOIN article_words w ON w.article_id = a.id"
	" WHERE a.published BETWEEN ?1 AND ?2 AND a.story_id IS NOT NULL ORDER BY a.published, a.id";

/* window_row: fill out from the current row of window_sql, the words or text copied into a;
 * false when out of memory. */
static bool window_row(sqlite3_stmt *s, struct arena *a, void *out)
{
	struct window_article *o = out;
	*o = (struct window_article){ .id = sqlite3_column_int64(s, 0), .story_id = sqlite3_column_int64(s, 1),
				      .published = sqlite3_column_int64(s, 2) };
	if (sqlite3_column_type(s, 3) == SQLITE_NULL) {
		o->title = col_text(s, 4, a);
		o->lead = col_text(s, 5, a);
		o->body_text = col_text(s, 6, a);
		return true;
	}
	const void *blob = sqlite3_column_blob(s, 3);
	o->words_len = (size_t)sqlite3_column_bytes(s, 3);
	void *copy = arena_alloc(a, o->words_len + 1);
	if (!copy)
		return false;
	if (o->words_len)
		memcpy(copy, blob, o->words_len);
	o->words = copy;
	return true;
}

enum ch_status store_articles_window(struct store *st, int64_t from, int64_t to, struct arena *a,
				     struct window_article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, window_sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	size_t cap = 0, count = 0;
	struct window_article *v = arena_grow_array(a, NULL, &cap, sizeof *v, 0);
	int rc = SQLITE_DONE;
	while (v && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(v = arena_grow_array(a, v, &cap, sizeof *v, count)) || !window_row(s, a, &v[count++])) {
			v = NULL;
			break;
		}
	}
	sqlite3_reset(s);
	if (!v)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "window articles");
	*out = v;
	*n = count;
	return CH_OK;
}

/* next_id: the integer at *p in a JSON array of integers, *p moved past it and its comma; false
 * at the array's end (or anything else: a list this file did not write ends there). */
static bool next_id(const char **p, int64_t *id)
{
	const char *q = *p;
	while (*q == '[' || *q == ' ')
		q++;
	if (*q < '0' || *q > '9')
		return false;
	int64_t v = 0;
	while (*q >= '0' && *q <= '9' && v <= (INT64_MAX - 9) / 10)
		v = v * 10 + (*q++ - '0');
	while (*q == ',' || *q == ' ')
		q++;
	*p = q;
	*id = v;
	return true;
}

/* Ids of articles deleted since the list was written are skipped: up to limit of those that
 * remain are returned. */
enum ch_status store_related_list(struct store *st, int64_t id, size_t limit, struct arena *a,
				  struct article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, list_sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	struct article *v = arena_alloc(a, (limit ? limit : 1) * sizeof *v);
	enum ch_status r = v ? CH_OK : ch_fail(err, CH_ERR_NOMEM, "out of memory");
	const char *ids = NULL;
	int rc = sqlite3_step(s);
	if (r == CH_OK && rc == SQLITE_ROW)
		ids = col_text(s, 0, a); /* copied: reading the articles reuses the connection */
	else if (r == CH_OK && rc != SQLITE_DONE)
		r = db_fail(st, err, "related: list");
	sqlite3_reset(s);
	size_t k = 0;
	int64_t other;
	while (r == CH_OK && ids && k < limit && next_id(&ids, &other)) {
		if (article_get(st, other, false, a, &v[k], NULL) == CH_OK)
			k++;
	}
	*out = v;
	*n = k;
	return r;
}
