/*
 * sqlite.c — the SQLite implementation of store.h. One struct store is one connection with its
 * prepared statements. WAL journal, synchronous=NORMAL (Debian defaults to FULL), a busy
 * timeout so several processes can share the file, foreign keys on. Every write runs in a
 * BEGIN IMMEDIATE transaction: a writer takes the lock up front instead of failing on upgrade.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/store.h"
#include "text/text.h"

#define SOURCE_COLS "s.id, s.name, s.site_url, s.feed_url, s.category, s.language, s.enabled, " \
	"s.etag, s.last_modified, s.body_hash, s.last_success, s.last_error_at, s.next_check, " \
	"s.interval_s, s.error_count, s.last_error, " \
	"(SELECT count(*) FROM articles a WHERE a.source_id = s.id)"

#define ARTICLE_COLS "a.id, a.source_id, a.story_id, a.url, a.canonical_url, a.guid, a.title, " \
	"a.uptitle, a.lead, a.author, a.image, a.language, a.origin, a.categories, a.published, " \
	"a.fetched, s.name, s.site_url, " \
	"(SELECT coalesce(sum(count), 0) FROM views v WHERE v.article_id = a.id)"
#define ARTICLE_BODY_COLS ARTICLE_COLS ", a.body_text, a.body_html"
/* A story with its lead article: the lead's ARTICLE_COLS (0–18), then the story (19–24). */
#define STORY_LEAD_COLS ARTICLE_COLS ", t.id, t.lead_article, t.first_seen, t.updated, t.n_articles, t.n_sources"
#define STORY_LEAD_FIRST_COL 19
#define ARTICLE_ORDER " ORDER BY a.published DESC, a.id DESC LIMIT ?6"
/* ARTICLE_FILTER_FROM(src): the article filters after the outlet test src. An outlet's page has
 * its own statement (src "a.source_id = ?1") so SQLite walks articles_source; the "?1 = 0 OR"
 * form would hide that index and walk every article in time order. */
#define ARTICLE_FILTER_FROM(src) " FROM articles a JOIN sources s ON s.id = a.source_id " \
	"WHERE " src " AND (?2 = 0 OR a.id <> ?2) " \
	"AND (?3 = 0 OR a.published < ?4 OR (a.published = ?4 AND a.id < ?5)) " \
	"AND (?7 IS NULL OR EXISTS (SELECT 1 FROM article_categories c WHERE c.category = ?7 " \
	"AND c.published = a.published AND c.article_id = a.id))"
#define ARTICLE_FILTER ARTICLE_FILTER_FROM("?1 = 0")
#define OUTLET_FILTER ARTICLE_FILTER_FROM("a.source_id = ?1")

static const char *const stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT chapar",
	[S_RELEASE] = "RELEASE chapar",
	[S_ROLLBACK_TO] = "ROLLBACK TO chapar",
	[S_SOURCE_INSERT] = "INSERT INTO sources(name, site_url, feed_url, category, language, enabled, created)"
			    " VALUES (?1, ?2, ?3, ?4, coalesce(?5, 'fa'), ?6, ?7)",
	[S_SOURCE_BY_URL] = "SELECT id FROM sources WHERE feed_url = ?1",
	[S_SOURCE_GET] = "SELECT " SOURCE_COLS " FROM sources s WHERE s.id = ?1",
	[S_SOURCE_FIND] = "SELECT " SOURCE_COLS " FROM sources s WHERE s.feed_url = ?1 OR s.name = ?1 "
			  "ORDER BY s.feed_url = ?1 DESC LIMIT 1",
	[S_SOURCE_LIST] = "SELECT " SOURCE_COLS " FROM sources s ORDER BY s.name, s.id",
	[S_SOURCE_DUE] = "SELECT " SOURCE_COLS " FROM sources s WHERE s.enabled = 1 AND s.next_check <= ?1 "
			 "ORDER BY s.next_check, s.id LIMIT ?2",
	[S_SOURCE_REMOVE] = "DELETE FROM sources WHERE id = ?1",
	[S_SOURCE_ENABLE] = "UPDATE sources SET enabled = ?2, next_check = 0 WHERE id = ?1",
	[S_SOURCE_STATE] = "UPDATE sources SET etag = ?2, last_modified = ?3, body_hash = ?4, last_success = ?5,"
			   " last_error_at = ?6, next_check = ?7, interval_s = ?8, error_count = ?9,"
			   " last_error = ?10 WHERE id = ?1",
	[S_ARTICLE_INSERT] = "INSERT INTO articles(source_id, url, canonical_url, guid, title, uptitle, lead,"
			     " body_text, body_html, author, image, language, origin, categories, published,"
			     " fetched, story_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
			     " ?13, ?14, ?15, ?16, ?17)",
	[S_ARTICLE_UPDATE] = "UPDATE articles SET url = ?2, canonical_url = ?3, title = ?5, uptitle = ?6,"
			     " lead = ?7, body_text = ?8, body_html = ?9, author = ?10, image = ?11,"
			     " language = ?12, origin = ?13, categories = ?14, published = ?15, fetched = ?16,"
			     " story_id = coalesce(?17, story_id) WHERE id = ?18",
	[S_ARTICLE_GET] = "SELECT " ARTICLE_BODY_COLS " FROM articles a JOIN sources s ON s.id = a.source_id"
			  " WHERE a.id = ?1",
	[S_ARTICLE_CURSOR] = "SELECT published FROM articles WHERE id = ?1",
	[S_ARTICLE_LIST] = "SELECT " ARTICLE_COLS ARTICLE_FILTER ARTICLE_ORDER,
	[S_ARTICLE_LIST_BODY] = "SELECT " ARTICLE_BODY_COLS ARTICLE_FILTER ARTICLE_ORDER,
	[S_ARTICLE_MOST_VIEWED] = "SELECT " ARTICLE_COLS " FROM (SELECT article_id, sum(count) AS n FROM views"
				  " WHERE hour >= ?1 GROUP BY article_id ORDER BY n DESC LIMIT ?2) t"
				  " JOIN articles a ON a.id = t.article_id JOIN sources s ON s.id = a.source_id"
				  " ORDER BY t.n DESC, a.id DESC",
	[S_ARTICLE_COUNT] = "SELECT count(*) FROM articles",
	[S_ARTICLE_HEAD] = "SELECT " ARTICLE_COLS " FROM articles a JOIN sources s ON s.id = a.source_id"
			   " WHERE a.id = ?1",
	[S_OUTLET_LIST] = "SELECT " ARTICLE_COLS OUTLET_FILTER ARTICLE_ORDER,
	[S_OUTLET_LIST_BODY] = "SELECT " ARTICLE_BODY_COLS OUTLET_FILTER ARTICLE_ORDER,
	/* outlets' categories by their articles since ?1, each outlet counted in its own index */
	[S_CATEGORIES] = "SELECT s.category, sum((SELECT count(*) FROM articles a WHERE a.source_id = s.id"
			 " AND a.published >= ?1)) AS n FROM sources s WHERE s.category IS NOT NULL AND s.category <> ''"
			 " GROUP BY s.category HAVING n > 0 ORDER BY n DESC, s.category LIMIT ?2",
	[S_VIEW_ADD] = "INSERT INTO views(article_id, hour, count) SELECT ?1, ?2, ?3"
		       " WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?1)"
		       " ON CONFLICT(article_id, hour) DO UPDATE SET count = count + excluded.count",
	[S_UNASSIGNED] = "SELECT " ARTICLE_BODY_COLS " FROM articles a INDEXED BY articles_unassigned JOIN sources s ON s.id = a.source_id"
			 " WHERE a.story_id IS NULL ORDER BY a.published, a.id LIMIT ?1",
	[S_SIG_PUT] = "INSERT OR REPLACE INTO article_sigs(article_id, published, sig)"
		      " SELECT id, published, ?2 FROM articles WHERE id = ?1",
	/* the story with its lead and its counts, article ?3 (about to join it) included: one
	 * statement (and one firing of the story_trend triggers) instead of an upsert and then a
	 * recount, which together were a third of storing a clustering decision */
	[S_STORY_UPSERT] = "INSERT INTO stories(id, lead_article, first_seen, updated, n_articles, n_sources)"
			   " SELECT ?1, ?2, coalesce(min(published), 0), coalesce(max(published), 0),"
			   " count(*), count(DISTINCT source_id) FROM articles WHERE story_id = ?1 OR id = ?3"
			   " ON CONFLICT(id) DO UPDATE SET lead_article = excluded.lead_article,"
			   " first_seen = excluded.first_seen, updated = excluded.updated,"
			   " n_articles = excluded.n_articles, n_sources = excluded.n_sources",
	[S_ARTICLE_SET_STORY] = "UPDATE articles SET story_id = ?2 WHERE id = ?1",
	[S_SIGS_SINCE] = "SELECT g.article_id, a.story_id, g.published, g.sig FROM article_sigs g"
			 " JOIN articles a ON a.id = g.article_id WHERE g.published >= ?1 AND a.story_id IS NOT NULL"
			 " ORDER BY g.published, g.article_id",
	[S_SIG_LATEST] = "SELECT coalesce(max(published), 0) FROM article_sigs",
	[S_STORY_GET] = "SELECT t.id, t.lead_article, t.first_seen, t.updated, t.n_articles, t.n_sources FROM stories t"
			" WHERE t.id = ?1",
	[S_STORY_ARTICLES] = "SELECT " ARTICLE_COLS " FROM articles a JOIN sources s ON s.id = a.source_id"
			     " WHERE a.story_id = ?1 ORDER BY a.published, a.id LIMIT 500",
	/* with each lead article (STORY_LEAD_COLS): one statement for the page, not one a story */
	[S_STORY_LIST] = "SELECT " STORY_LEAD_COLS " FROM stories t CROSS JOIN articles a ON a.id = t.lead_article"
			 " JOIN sources s ON s.id = a.source_id"
			 " WHERE ?2 = 0 OR t.updated < (SELECT updated FROM stories WHERE id = ?2)"
			 " OR (t.updated = (SELECT updated FROM stories WHERE id = ?2) AND t.id < ?2)"
			 " ORDER BY t.updated DESC, t.id DESC LIMIT ?1",
	/* the stories by their views now, most first (see migration 7 and store_story_trending) */
	[S_STORY_TRENDING] = "SELECT story_id, heat, last_view, n_sources, updated FROM story_trend"
			     " WHERE heat IS NOT NULL ORDER BY heat DESC",
	[S_SEARCH] = "SELECT " ARTICLE_COLS ", snippet(articles_fts, -1, char(1), char(2), '…', 24),"
		     " bm25(articles_fts, 4.0, 2.0, 1.0) / (1.0 + max(0, ?6 - a.published) / 604800.0) AS score"
		     " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
		     " JOIN sources s ON s.id = a.source_id"
		     " WHERE articles_fts MATCH ?1 AND (?2 = 0 OR a.source_id = ?2)"
		     " AND (?3 = 0 OR a.published >= ?3) AND (?4 = 0 OR a.published < ?4)"
		     " AND (?5 IS NULL OR s.category = ?5 OR ',' || replace(a.categories, ', ', ',') || ',' LIKE '%,' || ?5 || ',%')"
		     " ORDER BY score LIMIT ?7 OFFSET ?8",
};



/* ---------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------- */

/* db_fail: record the connection's last error with some context. */
enum ch_status db_fail(struct store *st, struct ch_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	enum ch_status s = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED ? CH_ERR_BUSY
											    : CH_ERR_DB;
	return ch_fail(err, s, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* stmt: the prepared statement id, reset and with bindings cleared; NULL on error. */
sqlite3_stmt *stmt(struct store *st, enum stmt_id id, struct ch_error *err)
{
	sqlite3_stmt *s = st->stmts[id];
	if (!s) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
			db_fail(st, err, "prepare");
			return NULL;
		}
		st->stmts[id] = s;
	} else {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
	return s;
}

sqlite3_stmt *sql_stmt(struct store *st, const char *sql, struct ch_error *err)
{
	size_t n = sizeof st->extra / sizeof st->extra[0], i = 0;
	for (; i < n && st->extra[i].sql; i++) {
		if (st->extra[i].sql == sql) {
			sqlite3_reset(st->extra[i].stmt);
			sqlite3_clear_bindings(st->extra[i].stmt);
			return st->extra[i].stmt;
		}
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "prepare");
		return NULL;
	}
	if (i == n) { /* a programming error: the table is sized for every statement there is */
		sqlite3_finalize(s);
		ch_fail(err, CH_ERR_DB, "too many statements for the cache: enlarge struct store's extra");
		return NULL;
	}
	st->extra[i].sql = sql;
	st->extra[i].stmt = s;
	return s;
}

/* bind_text: bind a NUL-terminated string, NULL as SQL NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* col_text: column i copied into the arena; NULL for SQL NULL. */
const char *col_text(sqlite3_stmt *s, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(s, i));
}

/* exec_simple: run a statement that returns no rows. */
static enum ch_status exec_simple(struct store *st, enum stmt_id id, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, id, err);
	if (!s)
		return err ? err->code : CH_ERR_DB;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CH_OK : db_fail(st, err, stmt_sql[id]);
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE … COMMIT; one inside it (a write made
 * during store_batch_begin … store_batch_end) is a savepoint, so a failed write undoes only
 * itself and a batch of many writes costs one commit. */

/* tx_begin: open a transaction, or a savepoint inside the one already open. */
static enum ch_status tx_begin(struct store *st, struct ch_error *err)
{
	enum ch_status r = exec_simple(st, st->tx_depth ? S_SAVEPOINT : S_BEGIN, err);
	if (r == CH_OK)
		st->tx_depth++;
	return r;
}

/* tx_commit: commit the innermost transaction or savepoint. */
static enum ch_status tx_commit(struct store *st, struct ch_error *err)
{
	enum ch_status r = exec_simple(st, st->tx_depth > 1 ? S_RELEASE : S_COMMIT, err);
	if (r == CH_OK)
		st->tx_depth--;
	return r;
}

/* tx_rollback: undo the innermost transaction or savepoint, keeping the error that caused it. */
static void tx_rollback(struct store *st)
{
	fts_tap_clear(&st->tap); /* the ids it holds may be given to other articles now */
	if (st->tx_depth > 1) {
		exec_simple(st, S_ROLLBACK_TO, NULL);
		exec_simple(st, S_RELEASE, NULL);
	} else {
		exec_simple(st, S_ROLLBACK, NULL);
	}
	if (st->tx_depth)
		st->tx_depth--;
}

/* tx_end: commit when st_code is CH_OK, otherwise roll back; returns the final status. */
static enum ch_status tx_end(struct store *st, enum ch_status st_code, struct ch_error *err)
{
	if (st_code == CH_OK)
		return tx_commit(st, err);
	tx_rollback(st);
	return st_code;
}

enum ch_status store_batch_begin(struct store *st, struct ch_error *err)
{
	return tx_begin(st, err);
}

enum ch_status store_batch_end(struct store *st, enum ch_status status, struct ch_error *err)
{
	return tx_end(st, status, err);
}

/* step_done: step a write statement and check it finished. */
static enum ch_status step_done(struct store *st, sqlite3_stmt *s, struct ch_error *err, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CH_OK : db_fail(st, err, what);
}

/* ---------------------------------------------------------------------------------------------
 * Opening and migrating
 * ------------------------------------------------------------------------------------------- */

/* migrate: apply every migration newer than the database, each in its own transaction. */
static enum ch_status migrate(struct store *st, struct ch_error *err)
{
	for (;;) {
		if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(st, err, "migrate: begin");
		int version = store_schema_version(st);
		if (version >= sqlite_schema_latest()) {
			sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
			return version == sqlite_schema_latest()
				       ? CH_OK
				       : ch_fail(err, CH_ERR_DB, "database schema %d is newer than this chapar (%d)",
						 version, sqlite_schema_latest());
		}
		char *msg = NULL;
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
		if (sqlite3_exec(st->db, sqlite_schema_migration(version + 1), NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(st->db, bump, NULL, NULL, &msg) != SQLITE_OK) {
			ch_fail(err, CH_ERR_DB, "migration %d: %s", version + 1, msg ? msg : "failed");
			sqlite3_free(msg);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return CH_ERR_DB;
		}
		if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(st, err, "migrate: commit");
	}
}

/* check_fts_version: re-index the full-text table when it was built by another version of the
 * tokenization: STORE_FTS_VERSION (the index's layout) and text_tokens_fingerprint() (the
 * lexicon and the tokenizer's code: a new lexicon may stem a word differently, and a search
 * for it would then miss the articles indexed before). The words the clustering kept
 * (article_words, schema 10) came from the same tokens and are dropped with it. */
static enum ch_status check_fts_version(struct store *st, struct ch_error *err)
{
	char want[48];
	snprintf(want, sizeof want, "%d-%016llx", STORE_FTS_VERSION,
		 (unsigned long long)text_tokens_fingerprint());
	sqlite3_stmt *s = NULL;
	bool same = false;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'fts_version'", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		same = !strcmp((const char *)sqlite3_column_text(s, 0), want);
	sqlite3_finalize(s);
	if (same)
		return CH_OK;
	bool any = false; /* a new store has nothing to re-index: say nothing */
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM articles LIMIT 1", -1, &s, NULL) == SQLITE_OK)
		any = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (any)
		log_info("store: re-indexing the articles for search: the tokenizer or its lexicon changed"
			 " (about 3.5 minutes per million articles)");
	/* then 'optimize': the rebuild leaves large segments on several levels, which the merges of
	 * the next articles stored reach again and again; one segment is merged rarely (storing
	 * 20k articles at 1M: 4.3-4.5 CPU s instead of 5.1-5.5; the optimize took 29 s there) */
	char sql[448];
	snprintf(sql, sizeof sql,
		 "BEGIN IMMEDIATE; INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');"
		 " INSERT INTO articles_fts(articles_fts) VALUES ('optimize');"
		 " DELETE FROM article_words;"
		 " INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_version', '%s'); COMMIT;", want);
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ch_fail(err, CH_ERR_DB, "re-indexing for search: %s", msg ? msg : "failed");
		sqlite3_free(msg);
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return CH_ERR_DB;
	}
	return CH_OK;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

enum ch_status store_open(const char *path, struct store **out, struct ch_error *err)
{
	struct store *st = calloc(1, sizeof *st);
	if (!st)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ch_fail(err, CH_ERR_DB, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return CH_ERR_DB;
	}
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	/* secure_delete FAST: Debian builds SQLite with secure_delete on, which writes every page a
	 * delete frees again as zeros (FTS5's segment merges and the pruned clustering words free
	 * many: 9 % of storing's WAL pages at 1M, a fifth of COMMIT's CPU). FAST still zeroes
	 * deleted content inside pages that are written anyway. Nothing the store holds is secret:
	 * published news, its sources and view counts (admin sessions live in the server's memory). */
	static const char setup[] = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				    " PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
				    " PRAGMA secure_delete = FAST;";
	char *msg = NULL;
	if (sqlite3_exec(st->db, setup, NULL, NULL, &msg) != SQLITE_OK) {
		ch_fail(err, CH_ERR_DB, "%s: %s", path, msg ? msg : "cannot set up");
		sqlite3_free(msg);
		store_close(st);
		return CH_ERR_DB;
	}
	if (sqlite_register_persian_tokenizer(st->db) != SQLITE_OK) {
		ch_fail(err, CH_ERR_DB, "%s: SQLite has no FTS5 (the full-text search)", path);
		store_close(st);
		return CH_ERR_DB;
	}
	enum ch_status s = migrate(st, err);
	if (s == CH_OK)
		s = check_fts_version(st, err);
	/* not a failure to open when it cannot be written (a read-only file, a writer holding the
	 * lock past the timeout): the index then merges by the setting it had, and the next open
	 * tries again */
	if (s == CH_OK)
		(void)fts_set_merge_policy(st->db);
	if (s != CH_OK) {
		store_close(st);
		return s;
	}
	*out = st;
	return CH_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	for (size_t i = 0; i < sizeof st->extra / sizeof st->extra[0]; i++)
		sqlite3_finalize(st->extra[i].stmt);
	sqlite3_close_v2(st->db);
	fts_tap_release(&st->tap);
	free(st);
}

/* ---------------------------------------------------------------------------------------------
 * Sources
 * ------------------------------------------------------------------------------------------- */

/* read_source: the SOURCE_COLS of the current row. */
static void read_source(sqlite3_stmt *s, struct arena *a, struct source *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->name = col_text(s, 1, a);
	o->site_url = col_text(s, 2, a);
	o->feed_url = col_text(s, 3, a);
	o->category = col_text(s, 4, a);
	o->language = col_text(s, 5, a);
	o->enabled = sqlite3_column_int(s, 6) != 0;
	o->etag = col_text(s, 7, a);
	o->last_modified = col_text(s, 8, a);
	o->body_hash = (uint64_t)sqlite3_column_int64(s, 9);
	o->last_success = sqlite3_column_int64(s, 10);
	o->last_error_at = sqlite3_column_int64(s, 11);
	o->next_check = sqlite3_column_int64(s, 12);
	o->interval_s = sqlite3_column_int64(s, 13);
	o->error_count = sqlite3_column_int(s, 14);
	o->last_error = col_text(s, 15, a);
	o->article_count = sqlite3_column_int64(s, 16);
}

/* read_sources: all rows of a bound source query into an arena array. */
static enum ch_status read_sources(struct store *st, sqlite3_stmt *s, struct arena *a,
				   struct source **out, size_t *n, struct ch_error *err)
{
	size_t cap = 0, count = 0;
	struct source *v = arena_grow_array(a, NULL, &cap, sizeof *v, 0);
	int rc = SQLITE_DONE;
	while (v && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(v = arena_grow_array(a, v, &cap, sizeof *v, count)))
			break;
		read_source(s, a, &v[count++]);
	}
	if (!v) {
		sqlite3_reset(s);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "list sources");
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status store_source_add(struct store *st, const struct source *src, int64_t *id, struct ch_error *err)
{
	if (!src->name || !*src->name || !src->feed_url || !*src->feed_url)
		return ch_fail(err, CH_ERR_INVALID, "a source needs a name and a feed URL");
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = stmt(st, S_SOURCE_BY_URL, err);
	if (!s)
		return tx_end(st, CH_ERR_DB, err);
	bind_text(s, 1, src->feed_url);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		tx_rollback(st);
		return ch_fail(err, CH_ERR_EXISTS, "a source with feed %s exists already", src->feed_url);
	}
	sqlite3_reset(s);
	s = stmt(st, S_SOURCE_INSERT, err);
	if (!s)
		return tx_end(st, CH_ERR_DB, err);
	bind_text(s, 1, src->name);
	bind_text(s, 2, src->site_url);
	bind_text(s, 3, src->feed_url);
	bind_text(s, 4, src->category);
	bind_text(s, 5, src->language);
	sqlite3_bind_int(s, 6, 1);
	sqlite3_bind_int64(s, 7, time_now_ms() / 1000);
	r = step_done(st, s, err, "add source");
	if (r == CH_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return tx_end(st, r, err);
}

/* get_one_source: run a bound single-source query. */
static enum ch_status get_one_source(struct store *st, sqlite3_stmt *s, struct arena *a,
				     struct source *out, struct ch_error *err, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_source(s, a, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CH_OK;
	if (rc == SQLITE_DONE)
		return ch_fail(err, CH_ERR_NOTFOUND, "no source %s", what);
	return db_fail(st, err, "get source");
}

enum ch_status store_source_get(struct store *st, int64_t id, struct arena *a, struct source *out,
				struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SOURCE_GET, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	char what[32];
	snprintf(what, sizeof what, "%lld", (long long)id);
	return get_one_source(st, s, a, out, err, what);
}

enum ch_status store_source_find(struct store *st, const char *key, struct arena *a, struct source *out,
				 struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SOURCE_FIND, err);
	if (!s)
		return CH_ERR_DB;
	bind_text(s, 1, key);
	return get_one_source(st, s, a, out, err, key);
}

enum ch_status store_source_list(struct store *st, struct arena *a, struct source **out, size_t *n,
				 struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SOURCE_LIST, err);
	return s ? read_sources(st, s, a, out, n, err) : CH_ERR_DB;
}

enum ch_status store_source_due(struct store *st, int64_t now, size_t limit, struct arena *a,
				struct source **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SOURCE_DUE, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	return read_sources(st, s, a, out, n, err);
}

/* write_by_id: a one-statement transaction on one source row; NOTFOUND when no row changed. */
static enum ch_status write_by_id(struct store *st, enum stmt_id id, int64_t source_id, int extra,
				  bool with_extra, struct ch_error *err)
{
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = stmt(st, id, err);
	if (!s)
		return tx_end(st, CH_ERR_DB, err);
	sqlite3_bind_int64(s, 1, source_id);
	if (with_extra)
		sqlite3_bind_int(s, 2, extra);
	r = step_done(st, s, err, "update source");
	if (r == CH_OK && sqlite3_changes(st->db) == 0)
		r = ch_fail(err, CH_ERR_NOTFOUND, "no source %lld", (long long)source_id);
	return tx_end(st, r, err);
}

enum ch_status store_source_remove(struct store *st, int64_t id, struct ch_error *err)
{
	fts_tap_clear(&st->tap); /* its articles' ids may be given to others */
	return write_by_id(st, S_SOURCE_REMOVE, id, 0, false, err);
}

enum ch_status store_source_set_enabled(struct store *st, int64_t id, bool enabled, struct ch_error *err)
{
	return write_by_id(st, S_SOURCE_ENABLE, id, enabled ? 1 : 0, true, err);
}

enum ch_status store_source_save_state(struct store *st, const struct source *src, struct ch_error *err)
{
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = stmt(st, S_SOURCE_STATE, err);
	if (!s)
		return tx_end(st, CH_ERR_DB, err);
	sqlite3_bind_int64(s, 1, src->id);
	bind_text(s, 2, src->etag);
	bind_text(s, 3, src->last_modified);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)src->body_hash);
	sqlite3_bind_int64(s, 5, src->last_success);
	sqlite3_bind_int64(s, 6, src->last_error_at);
	sqlite3_bind_int64(s, 7, src->next_check);
	sqlite3_bind_int64(s, 8, src->interval_s);
	sqlite3_bind_int(s, 9, src->error_count);
	bind_text(s, 10, src->last_error);
	r = step_done(st, s, err, "save source state");
	return tx_end(st, r, err);
}

/* ---------------------------------------------------------------------------------------------
 * Articles
 * ------------------------------------------------------------------------------------------- */

/* find_article: the id of the stored article matching a's source and guid or canonical URL,
 * 0 when none. */
static enum ch_status find_article(struct store *st, int64_t source_id, const char *guid,
				   const char *canonical, int64_t *id, struct ch_error *err)
{
	/* one statement per index: `guid = ? OR canonical_url = ?` in one statement is planned as
	 * a walk over all of the source's articles, which made every put slower than the last */
	static const char by_guid[] = "SELECT id FROM articles WHERE source_id = ?1 AND guid = ?2";
	static const char by_canonical[] = "SELECT id FROM articles INDEXED BY articles_canonical"
					   " WHERE canonical_url = ?2 AND source_id = ?1 LIMIT 1";
	*id = 0;
	for (int pass = 0; pass < 2 && !*id; pass++) {
		const char *key = pass == 0 ? guid : canonical;
		if (!key)
			continue;
		sqlite3_stmt *s = sql_stmt(st, pass == 0 ? by_guid : by_canonical, err);
		if (!s)
			return CH_ERR_DB;
		sqlite3_bind_int64(s, 1, source_id);
		bind_text(s, 2, key);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(st, err, "find article");
	}
	return CH_OK;
}

/* bind_article: the columns shared by insert and update (?1–?17). */
static void bind_article(sqlite3_stmt *s, const struct article *a)
{
	sqlite3_bind_int64(s, 1, a->source_id);
	bind_text(s, 2, a->url);
	bind_text(s, 3, a->canonical_url);
	bind_text(s, 4, a->guid ? a->guid : a->url);
	bind_text(s, 5, a->title);
	bind_text(s, 6, a->uptitle);
	bind_text(s, 7, a->lead);
	bind_text(s, 8, a->body_text);
	bind_text(s, 9, a->body_html);
	bind_text(s, 10, a->author);
	bind_text(s, 11, a->image);
	bind_text(s, 12, a->language);
	bind_text(s, 13, a->origin);
	bind_text(s, 14, a->categories);
	sqlite3_bind_int64(s, 15, a->published ? a->published : a->fetched);
	sqlite3_bind_int64(s, 16, a->fetched);
	if (a->story_id)
		sqlite3_bind_int64(s, 17, a->story_id);
	else
		sqlite3_bind_null(s, 17);
}

/* index_article: add the full-text row of the article just inserted as id (migration 9: no
 * trigger does it). One row in one single-write statement: no statement savepoint, so FTS5
 * keeps the row with the batch's other pending ones instead of writing a segment for it. An
 * update is re-indexed by the update trigger (it deletes this row's terms first). */
static enum ch_status index_article(struct store *st, int64_t id, const struct article *a,
				    struct ch_error *err)
{
	static const char sql[] = "INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *s = sql_stmt(st, sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, a->title);
	bind_text(s, 3, a->lead);
	bind_text(s, 4, a->body_text);
	/* keep the tokens for the clustering (store_tokens_keep) */
	fts_tap_begin(&st->tap, id, (a->title ? 1u : 0u) | (a->lead ? 2u : 0u) | (a->body_text ? 4u : 0u));
	enum ch_status r = step_done(st, s, err, "index article");
	fts_tap_end(&st->tap, r == CH_OK);
	return r;
}

/* add_category: the article_categories row (category: n bytes of cat) of article id. One row
 * in a statement that cannot abort (OR IGNORE): no statement savepoint (see index_article). */
static enum ch_status add_category(struct store *st, const char *cat, size_t n, int64_t published,
				   int64_t id, struct ch_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO article_categories(category, published, article_id) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *s = sql_stmt(st, sql, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_text(s, 1, cat, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, published);
	sqlite3_bind_int64(s, 3, id);
	return step_done(st, s, err, "categorize article");
}

/* own_categories_readable: the article's category list can be split (schema.c's
 * CATEGORY_ROWS builds JSON of it, which a control character makes invalid: then it gives
 * none, and so does this). */
static bool own_categories_readable(const char *c)
{
	for (; *c; c++)
		if ((unsigned char)*c < 0x20)
			return false;
	return true;
}

/* categorize_article: the article_categories rows of the new article a (stored as id): each
 * non-empty piece of its comma-separated categories (one space after a comma dropped) and its
 * outlet's category, the rows migration 8's CATEGORY_ROWS gives. Written here, not by an
 * insert trigger, for the reason index_article gives. */
static enum ch_status categorize_article(struct store *st, int64_t id, const struct article *a,
					 struct ch_error *err)
{
	enum ch_status r = CH_OK;
	if (a->categories && own_categories_readable(a->categories)) {
		const char *p = a->categories;
		for (bool first = true; r == CH_OK; first = false) {
			if (!first && *p == ' ')
				p++;
			size_t n = strcspn(p, ",");
			if (n)
				r = add_category(st, p, n, a->published, id, err);
			if (!p[n])
				break;
			p += n + 1;
		}
	}
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = sql_stmt(st, "SELECT category FROM sources WHERE id = ?1 AND coalesce(category, '') <> ''", err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, a->source_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		r = add_category(st, (const char *)sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0),
				 a->published, id, err);
	else if (rc != SQLITE_DONE)
		r = db_fail(st, err, "read the outlet's category");
	/* reset now: a statement left on its row keeps the connection's read snapshot open past
	 * the commit, and a later BEGIN IMMEDIATE then fails as "database is locked" once another
	 * connection (the clustering thread's) has committed */
	sqlite3_reset(s);
	return r;
}

/* put_in_tx: insert a, or update the article it matches, inside the open transaction. */
static enum ch_status put_in_tx(struct store *st, struct article *a, bool *created, struct ch_error *err)
{
	if (!a->url || !a->title || a->source_id <= 0)
		return ch_fail(err, CH_ERR_INVALID, "an article needs a source, a URL and a title");
	int64_t id = 0;
	enum ch_status r = find_article(st, a->source_id, a->guid ? a->guid : a->url, a->canonical_url, &id, err);
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = stmt(st, id ? S_ARTICLE_UPDATE : S_ARTICLE_INSERT, err);
	if (!s)
		return CH_ERR_DB;
	bind_article(s, a);
	if (id)
		sqlite3_bind_int64(s, 18, id);
	r = step_done(st, s, err, id ? "update article" : "insert article");
	if (id)
		fts_tap_forget(&st->tap, id); /* its text may have changed */
	int64_t stored = id ? id : sqlite3_last_insert_rowid(st->db);
	if (r == CH_OK && !id)
		r = index_article(st, stored, a, err);
	if (r == CH_OK && !id)
		r = categorize_article(st, stored, a, err);
	if (r == CH_OK) {
		a->id = stored;
		if (created)
			*created = id == 0;
	}
	return r;
}

enum ch_status store_article_put(struct store *st, struct article *a, bool *created, struct ch_error *err)
{
	if (!a->url || !a->title || a->source_id <= 0)
		return ch_fail(err, CH_ERR_INVALID, "an article needs a source, a URL and a title");
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	return tx_end(st, put_in_tx(st, a, created, err), err);
}

enum ch_status store_article_exists(struct store *st, int64_t source_id, const char *guid,
				    const char *canonical_url, bool *exists, struct ch_error *err)
{
	int64_t id = 0;
	enum ch_status r = find_article(st, source_id, guid, canonical_url, &id, err);
	*exists = id != 0;
	return r;
}

/* run_once: the statement for sql (kept by sql_stmt), bound by bind, stepped once; *row says
 * whether a row came (then its first two columns go to c0 and c1, which may be NULL). */
static enum ch_status run_once(struct store *st, const char *sql, const char *what,
			       void (*bind)(sqlite3_stmt *, const void *), const void *arg, bool *row,
			       int64_t *c0, int64_t *c1, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, sql, err);
	if (!s)
		return CH_ERR_DB;
	bind(s, arg);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (c0)
			*c0 = sqlite3_column_int64(s, 0);
		if (c1)
			*c1 = sqlite3_column_int64(s, 1);
	}
	if (row)
		*row = rc == SQLITE_ROW;
	enum ch_status r = rc == SQLITE_ROW || rc == SQLITE_DONE ? CH_OK : db_fail(st, err, what);
	sqlite3_reset(s);
	return r;
}

struct lookup_args {
	int64_t id;
	uint64_t hash;
};

/* bind_hash: ?1 article id, ?2 entry hash. */
static void bind_hash(sqlite3_stmt *s, const void *arg)
{
	const struct lookup_args *a = arg;
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_int64(s, 2, (int64_t)a->hash);
}

enum ch_status store_article_lookup(struct store *st, int64_t source_id, const char *guid,
				    const char *canonical_url, int64_t *id, uint64_t *entry_hash,
				    struct ch_error *err)
{
	/* the guid wins over the canonical URL, as in store_article_put */
	static const char sql[] = "SELECT entry_hash FROM articles WHERE id = ?1";
	*entry_hash = 0;
	enum ch_status r = find_article(st, source_id, guid, canonical_url, id, err);
	if (r != CH_OK || !*id)
		return r;
	struct lookup_args a = { .id = *id };
	int64_t h = 0;
	r = run_once(st, sql, "look up article", bind_hash, &a, NULL, &h, NULL, err);
	*entry_hash = (uint64_t)h;
	return r;
}

enum ch_status store_article_set_entry_hash(struct store *st, int64_t id, uint64_t entry_hash,
					    struct ch_error *err)
{
	struct lookup_args a = { .id = id, .hash = entry_hash };
	return run_once(st, "UPDATE articles SET entry_hash = ?2 WHERE id = ?1", "set entry hash", bind_hash, &a,
			NULL, NULL, NULL, err);
}

/* read_article: the ARTICLE_COLS (and with body, the two body columns) of the current row. */
void read_article(sqlite3_stmt *s, struct arena *a, struct article *o, bool with_body)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->source_id = sqlite3_column_int64(s, 1);
	o->story_id = sqlite3_column_int64(s, 2);
	o->url = col_text(s, 3, a);
	o->canonical_url = col_text(s, 4, a);
	o->guid = col_text(s, 5, a);
	o->title = col_text(s, 6, a);
	o->uptitle = col_text(s, 7, a);
	o->lead = col_text(s, 8, a);
	o->author = col_text(s, 9, a);
	o->image = col_text(s, 10, a);
	o->language = col_text(s, 11, a);
	o->origin = col_text(s, 12, a);
	o->categories = col_text(s, 13, a);
	o->published = sqlite3_column_int64(s, 14);
	o->fetched = sqlite3_column_int64(s, 15);
	o->source_name = col_text(s, 16, a);
	o->source_site = col_text(s, 17, a);
	o->views = sqlite3_column_int64(s, 18);
	if (with_body) {
		o->body_text = col_text(s, 19, a);
		o->body_html = col_text(s, 20, a);
	}
}

/* read_articles: at most limit rows of a bound article query into an arena array, grown as
 * rows come (a story's listing allows 500 articles and most stories have one or two). */
static enum ch_status read_articles(struct store *st, sqlite3_stmt *s, bool with_body, size_t limit,
				    struct arena *a, struct article **out, size_t *n, struct ch_error *err)
{
	size_t cap = limit < 32 ? (limit ? limit : 1) : 32, count = 0;
	struct article *v = arena_alloc(a, cap * sizeof *v);
	int rc = SQLITE_DONE;
	while (v && count < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			size_t more = cap * 2 < limit ? cap * 2 : limit;
			struct article *grown = arena_alloc(a, more * sizeof *v);
			if (grown)
				memcpy(grown, v, count * sizeof *v);
			v = grown;
			cap = more;
			if (!v)
				break;
		}
		read_article(s, a, &v[count++], with_body);
	}
	if (count == limit)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (!v)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "list articles");
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status article_get(struct store *st, int64_t id, bool with_body, struct arena *a,
			   struct article *out, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, with_body ? S_ARTICLE_GET : S_ARTICLE_HEAD, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_article(s, a, out, with_body);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return CH_OK;
	if (rc == SQLITE_DONE)
		return ch_fail(err, CH_ERR_NOTFOUND, "no article %lld", (long long)id);
	return db_fail(st, err, "get article");
}

enum ch_status store_article_get(struct store *st, int64_t id, struct arena *a, struct article *out,
				 struct ch_error *err)
{
	return article_get(st, id, true, a, out, err);
}

/* A category's listing walks article_categories (see its migration in schema.c) newest first:
 * one seek per article shown, however rare the category, where the LIKE test over every
 * article's categories walked the whole store for a rare one. Bindings as ARTICLE_FILTER's,
 * ?7 the category. */
#define CATEGORY_LISTING(cols) "SELECT " cols " FROM article_categories c" \
	" JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = a.source_id" \
	" WHERE c.category = ?7 AND (?1 = 0 OR a.source_id = ?1) AND (?2 = 0 OR c.article_id <> ?2)" \
	" AND (?3 = 0 OR c.published < ?4 OR (c.published = ?4 AND c.article_id < ?5))" \
	" ORDER BY c.published DESC, c.article_id DESC LIMIT ?6"
static const char category_list_sql[] = CATEGORY_LISTING(ARTICLE_COLS);
static const char category_list_body_sql[] = CATEGORY_LISTING(ARTICLE_BODY_COLS);

/* listing_stmt: the statement listing the articles q asks for: by category, by outlet (and
 * category: an outlet has fewer articles than a category has outlets), or all. */
static sqlite3_stmt *listing_stmt(struct store *st, const struct article_query *q, struct ch_error *err)
{
	if (q->category && *q->category && !q->source_id)
		return sql_stmt(st, q->with_body ? category_list_body_sql : category_list_sql, err);
	return stmt(st, q->source_id ? (q->with_body ? S_OUTLET_LIST_BODY : S_OUTLET_LIST)
				     : (q->with_body ? S_ARTICLE_LIST_BODY : S_ARTICLE_LIST), err);
}

enum ch_status store_article_list(struct store *st, const struct article_query *q, struct arena *a,
				  struct article **out, size_t *n, struct ch_error *err)
{
	size_t limit = q->limit < 1 ? 1 : q->limit > 200 ? 200 : q->limit;
	int64_t cursor_time = 0;
	if (q->before_id) {
		sqlite3_stmt *c = stmt(st, S_ARTICLE_CURSOR, err);
		if (!c)
			return CH_ERR_DB;
		sqlite3_bind_int64(c, 1, q->before_id);
		int rc = sqlite3_step(c);
		if (rc == SQLITE_ROW)
			cursor_time = sqlite3_column_int64(c, 0);
		sqlite3_reset(c);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? ch_fail(err, CH_ERR_NOTFOUND, "no article %lld",
							   (long long)q->before_id)
						 : db_fail(st, err, "article cursor");
	}
	sqlite3_stmt *s = listing_stmt(st, q, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, q->source_id);
	sqlite3_bind_int64(s, 2, q->exclude_id);
	sqlite3_bind_int(s, 3, q->before_id ? 1 : 0);
	sqlite3_bind_int64(s, 4, cursor_time);
	sqlite3_bind_int64(s, 5, q->before_id);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)limit);
	bind_text(s, 7, q->category && *q->category ? q->category : NULL);
	return read_articles(st, s, q->with_body, limit, a, out, n, err);
}

enum ch_status store_article_most_viewed(struct store *st, int64_t now, int64_t window_s, size_t limit,
					 struct arena *a, struct article **out, size_t *n,
					 struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_ARTICLE_MOST_VIEWED, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, (now - window_s) / 3600);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	return read_articles(st, s, false, limit, a, out, n, err);
}

enum ch_status store_article_count(struct store *st, int64_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_ARTICLE_COUNT, err);
	if (!s)
		return CH_ERR_DB;
	int rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CH_OK : db_fail(st, err, "count articles");
}

/* ---------------------------------------------------------------------------------------------
 * Views
 * ------------------------------------------------------------------------------------------- */

enum ch_status store_views_add(struct store *st, const struct view_count *v, size_t n, struct ch_error *err)
{
	if (n == 0)
		return CH_OK;
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	for (size_t i = 0; r == CH_OK && i < n; i++) {
		sqlite3_stmt *s = stmt(st, S_VIEW_ADD, err);
		if (!s) {
			r = CH_ERR_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, v[i].article_id);
		sqlite3_bind_int64(s, 2, v[i].at / 3600);
		sqlite3_bind_int64(s, 3, v[i].count);
		r = step_done(st, s, err, "add views");
	}
	return tx_end(st, r, err);
}


/* ---------------------------------------------------------------------------------------------
 * Stories
 * ------------------------------------------------------------------------------------------- */

enum ch_status store_articles_unassigned(struct store *st, size_t limit, struct arena *a,
					 struct article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_UNASSIGNED, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	return read_articles(st, s, true, limit, a, out, n, err);
}

enum ch_status store_story_assign(struct store *st, int64_t article_id, int64_t story_id,
				  int64_t lead_article_id, const void *sig, size_t sig_len,
				  struct ch_error *err)
{
	enum ch_status r = tx_begin(st, err);
	if (r != CH_OK)
		return r;
	sqlite3_stmt *s = stmt(st, S_STORY_UPSERT, err);
	if (s) {
		sqlite3_bind_int64(s, 1, story_id);
		sqlite3_bind_int64(s, 2, lead_article_id);
		sqlite3_bind_int64(s, 3, article_id);
		r = step_done(st, s, err, "story");
	} else {
		r = CH_ERR_DB;
	}
	if (r == CH_OK && (s = stmt(st, S_ARTICLE_SET_STORY, err)) != NULL) {
		sqlite3_bind_int64(s, 1, article_id);
		sqlite3_bind_int64(s, 2, story_id);
		r = step_done(st, s, err, "article story");
	}
	if (r == CH_OK && sig && (s = stmt(st, S_SIG_PUT, err)) != NULL) {
		sqlite3_bind_int64(s, 1, article_id);
		sqlite3_bind_blob(s, 2, sig, (int)sig_len, SQLITE_STATIC);
		r = step_done(st, s, err, "signature");
	}
	return tx_end(st, r, err);
}

enum ch_status store_story_sigs(struct store *st, int64_t since, struct arena *a, struct story_sig **out,
				size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SIGS_SINCE, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, since);
	size_t cap = 0, count = 0;
	struct story_sig *v = arena_grow_array(a, NULL, &cap, sizeof *v, 0);
	int rc = SQLITE_DONE;
	while (v && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(v = arena_grow_array(a, v, &cap, sizeof *v, count)))
			break;
		struct story_sig *g = &v[count++];
		g->article_id = sqlite3_column_int64(s, 0);
		g->story_id = sqlite3_column_int64(s, 1);
		g->published = sqlite3_column_int64(s, 2);
		g->sig_len = (size_t)sqlite3_column_bytes(s, 3);
		void *copy = arena_alloc(a, g->sig_len + 1);
		if (copy && g->sig_len)
			memcpy(copy, sqlite3_column_blob(s, 3), g->sig_len);
		g->sig = copy;
	}
	sqlite3_reset(s);
	if (!v)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "story signatures");
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status store_story_latest_sig_time(struct store *st, int64_t *t, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_SIG_LATEST, err);
	if (!s)
		return CH_ERR_DB;
	int rc = sqlite3_step(s);
	*t = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CH_OK : db_fail(st, err, "latest signature");
}

/* read_story: the story columns of the current row, then its lead article. */
static enum ch_status read_story(struct store *st, sqlite3_stmt *s, struct arena *a, struct story *o,
				 struct ch_error *err)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->lead_article = sqlite3_column_int64(s, 1);
	o->first_seen = sqlite3_column_int64(s, 2);
	o->updated = sqlite3_column_int64(s, 3);
	o->n_articles = sqlite3_column_int(s, 4);
	o->n_sources = sqlite3_column_int(s, 5);
	return CH_OK;
}

/* fill_leads: load the lead article of each story, with its bodies only when asked (a story's
 * own page shows the lead's body; listings of stories do not). */
static enum ch_status fill_leads(struct store *st, struct story *v, size_t n, bool with_body,
				 struct arena *a, struct ch_error *err)
{
	for (size_t i = 0; i < n; i++) {
		enum ch_status r = article_get(st, v[i].lead_article, with_body, a, &v[i].lead, err);
		if (r != CH_OK)
			return r;
	}
	return CH_OK;
}

/* read_story_lead: a STORY_LEAD_COLS row: the story and its lead article (without bodies). */
static void read_story_lead(sqlite3_stmt *s, struct arena *a, struct story *o)
{
	memset(o, 0, sizeof *o);
	read_article(s, a, &o->lead, false);
	o->id = sqlite3_column_int64(s, STORY_LEAD_FIRST_COL);
	o->lead_article = sqlite3_column_int64(s, STORY_LEAD_FIRST_COL + 1);
	o->first_seen = sqlite3_column_int64(s, STORY_LEAD_FIRST_COL + 2);
	o->updated = sqlite3_column_int64(s, STORY_LEAD_FIRST_COL + 3);
	o->n_articles = sqlite3_column_int(s, STORY_LEAD_FIRST_COL + 4);
	o->n_sources = sqlite3_column_int(s, STORY_LEAD_FIRST_COL + 5);
}

/* read_stories: at most limit rows of a bound STORY_LEAD_COLS query (a story whose lead
 * article is gone is not listed). */
static enum ch_status read_stories(struct store *st, sqlite3_stmt *s, size_t limit, struct arena *a,
				   struct story **out, size_t *n, struct ch_error *err)
{
	struct story *v = arena_alloc(a, limit * sizeof *v);
	if (!v) {
		sqlite3_reset(s);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	size_t count = 0;
	int rc = SQLITE_DONE;
	while (count < limit && (rc = sqlite3_step(s)) == SQLITE_ROW)
		read_story_lead(s, a, &v[count++]);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, err, "list stories");
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status store_story_get(struct store *st, int64_t id, struct arena *a, struct story *out,
			       struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_STORY_GET, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_story(st, s, a, out, err);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return ch_fail(err, CH_ERR_NOTFOUND, "no story %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(st, err, "get story");
	return fill_leads(st, out, 1, true, a, err);
}

enum ch_status store_story_articles(struct store *st, int64_t story_id, struct arena *a,
				    struct article **out, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_STORY_ARTICLES, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, story_id);
	return read_articles(st, s, false, 500, a, out, n, err);
}

enum ch_status store_story_list(struct store *st, size_t limit, int64_t before_id, struct arena *a,
				struct story **out, size_t *n, struct ch_error *err)
{
	limit = limit < 1 ? 1 : limit > 200 ? 200 : limit;
	sqlite3_stmt *s = stmt(st, S_STORY_LIST, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 2, before_id);
	return read_stories(st, s, limit, a, out, n, err);
}

/* Trending (store.h has the score). The score of a story now is heat + coverage, each kept as
 * a key that orders the stories the same way at every moment (migration 7 keeps them in
 * story_trend by triggers on views, stories and articles' story_id): heat's decayed value is
 * 2^(heat - hour / 6), coverage's at most 2^(coverage - now / 43200). A lookup walks both
 * indexes best first at once, scoring each story it meets exactly, and stops as soon as its
 * limit-th best beats what any story not met yet could still score (the two frontier values
 * added: the threshold algorithm). Stories with neither are fresh ones at score 0, listed after,
 * latest first. */

#define TREND_WINDOW_H 48 /* hours of views, and of a story's latest article, that take part */

static const char trend_by_coverage_sql[] =
	"SELECT story_id, heat, last_view, n_sources, updated FROM story_trend"
	" WHERE coverage IS NOT NULL ORDER BY coverage DESC";
static const char trend_fresh_sql[] =
	"SELECT id FROM stories WHERE updated >= ?1 ORDER BY updated DESC, id DESC";

struct trend_pick {
	int64_t id, updated;
	double score;
};

/* trend_score: the score now of the story_trend row s is on; < 0 when the story takes no part
 * (no view and no article in the window). */
static double trend_score(sqlite3_stmt *s, int64_t now)
{
	int64_t hour = now / 3600, last_view = sqlite3_column_int64(s, 2);
	int64_t n_sources = sqlite3_column_int64(s, 3), updated = sqlite3_column_int64(s, 4);
	if (last_view < hour - TREND_WINDOW_H && updated < now - TREND_WINDOW_H * 3600)
		return -1;
	double heat = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0
		: exp2(sqlite3_column_double(s, 1) - (double)hour / 6.0);
	double age = now > updated ? (double)(now - updated) : 0;
	return heat + (n_sources > 1 ? 2.0 * (double)(n_sources - 1) * exp2(-age / 43200.0) : 0);
}

/* trend_better: whether a ranks before b (score, then the latest article, then the id). */
static bool trend_better(const struct trend_pick *a, const struct trend_pick *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->updated != b->updated ? a->updated > b->updated : a->id > b->id;
}

/* trend_offer: put p among the best (*n of at most limit, kept best first) if it belongs there
 * and is not there already. */
static void trend_offer(struct trend_pick *best, size_t *n, size_t limit, const struct trend_pick *p)
{
	for (size_t i = 0; i < *n; i++)
		if (best[i].id == p->id)
			return;
	if (*n == limit && !trend_better(p, &best[limit - 1]))
		return;
	size_t at = *n < limit ? (*n)++ : limit - 1;
	while (at > 0 && trend_better(p, &best[at - 1])) {
		best[at] = best[at - 1];
		at--;
	}
	best[at] = *p;
}

/* trend_walk_step: the next row of a walk into *p (false when the walk is over or failed:
 * *rc tells), and the frontier bound: the most a story the walk has not reached can score
 * from this key (0 when over). coverage_walk says which key the walk is ordered by. */
static bool trend_walk_step(sqlite3_stmt *s, bool coverage_walk, int64_t now, struct trend_pick *p,
			    double *bound, int *rc)
{
	if (*rc != SQLITE_ROW || (*rc = sqlite3_step(s)) != SQLITE_ROW) {
		*bound = 0;
		return false;
	}
	p->id = sqlite3_column_int64(s, 0);
	p->updated = sqlite3_column_int64(s, 4);
	p->score = trend_score(s, now);
	if (coverage_walk) {
		double n = (double)sqlite3_column_int64(s, 3), updated = (double)p->updated;
		*bound = n > 1 ? 2.0 * (n - 1) * exp2((updated - (double)now) / 43200.0) : 0;
	} else {
		*bound = exp2(sqlite3_column_double(s, 1) - (double)(now / 3600) / 6.0);
	}
	return true;
}

/* trend_pick_best: the ids of the best `limit` stories now into best (*n of them). */
static enum ch_status trend_pick_best(struct store *st, int64_t now, struct trend_pick *best, size_t limit,
				      size_t *n, struct ch_error *err)
{
	sqlite3_stmt *by_heat = stmt(st, S_STORY_TRENDING, err);
	sqlite3_stmt *by_coverage = by_heat ? sql_stmt(st, trend_by_coverage_sql, err) : NULL;
	if (!by_coverage)
		return CH_ERR_DB;
	int heat_rc = SQLITE_ROW, coverage_rc = SQLITE_ROW;
	double heat_bound = 1, coverage_bound = 1;
	*n = 0;
	while (heat_rc == SQLITE_ROW || coverage_rc == SQLITE_ROW) {
		struct trend_pick p;
		if (trend_walk_step(by_heat, false, now, &p, &heat_bound, &heat_rc) && p.score > 0)
			trend_offer(best, n, limit, &p);
		if (trend_walk_step(by_coverage, true, now, &p, &coverage_bound, &coverage_rc) && p.score > 0)
			trend_offer(best, n, limit, &p);
		if (*n == limit && best[limit - 1].score > heat_bound + coverage_bound)
			break;
		if (heat_bound + coverage_bound <= 0) /* everything left scores nothing (or underflows) */
			break;
	}
	bool failed = (heat_rc != SQLITE_ROW && heat_rc != SQLITE_DONE) ||
		      (coverage_rc != SQLITE_ROW && coverage_rc != SQLITE_DONE);
	sqlite3_reset(by_heat);
	sqlite3_reset(by_coverage);
	if (failed)
		return db_fail(st, err, "trending");
	/* then fresh stories that score nothing, latest first */
	sqlite3_stmt *fresh = sql_stmt(st, trend_fresh_sql, err);
	if (!fresh)
		return CH_ERR_DB;
	sqlite3_bind_int64(fresh, 1, now - TREND_WINDOW_H * 3600);
	int rc = SQLITE_DONE;
	size_t positive = *n;
	while (*n < limit && (rc = sqlite3_step(fresh)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(fresh, 0);
		bool taken = false;
		for (size_t i = 0; i < positive && !taken; i++)
			taken = best[i].id == id;
		if (!taken)
			best[(*n)++] = (struct trend_pick){ .id = id };
	}
	sqlite3_reset(fresh);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? CH_OK : db_fail(st, err, "trending");
}

/* One story with its lead article, by id (trending's picks). */
static const char story_lead_sql[] = "SELECT " STORY_LEAD_COLS " FROM stories t CROSS JOIN articles a"
				     " ON a.id = t.lead_article JOIN sources s ON s.id = a.source_id WHERE t.id = ?1";

enum ch_status store_story_trending(struct store *st, int64_t now, size_t limit, struct arena *a,
				    struct story **out, size_t *n, struct ch_error *err)
{
	limit = limit < 1 ? 1 : limit > 200 ? 200 : limit;
	struct trend_pick best[200];
	size_t picked = 0;
	enum ch_status r = trend_pick_best(st, now, best, limit, &picked, err);
	struct story *v = r == CH_OK ? arena_alloc(a, limit * sizeof *v) : NULL;
	if (r == CH_OK && !v)
		r = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	size_t count = 0;
	for (size_t i = 0; r == CH_OK && i < picked; i++) {
		sqlite3_stmt *s = sql_stmt(st, story_lead_sql, err);
		if (!s)
			return CH_ERR_DB;
		sqlite3_bind_int64(s, 1, best[i].id);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			read_story_lead(s, a, &v[count++]);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			r = db_fail(st, err, "trending story");
	}
	if (r != CH_OK)
		return r;
	*out = v;
	*n = count;
	return CH_OK;
}

enum ch_status store_category_list(struct store *st, int64_t since, size_t limit, struct arena *a,
				   const char ***names, int64_t **counts, size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = stmt(st, S_CATEGORIES, err);
	if (!s)
		return CH_ERR_DB;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)limit);
	*names = arena_alloc(a, (limit + 1) * sizeof **names);
	*counts = arena_alloc(a, (limit + 1) * sizeof **counts);
	size_t k = 0;
	int rc = SQLITE_DONE;
	while (*names && *counts && k < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		(*names)[k] = col_text(s, 0, a);
		(*counts)[k] = sqlite3_column_int64(s, 1);
		k++;
	}
	sqlite3_reset(s);
	if (!*names || !*counts)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, err, "categories");
	*n = k;
	return CH_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Batches
 *
 * Ingesting a crawl or a benchmark corpus one transaction per article pays a commit per
 * article; a batch pays one (see bench/search/RESULTS.md).
 */

enum ch_status store_article_put_many(struct store *st, struct article *a, size_t n, size_t *created,
				      struct ch_error *err)
{
	size_t made = 0;
	enum ch_status r = tx_begin(st, err);
	if (r == CH_OK) {
		for (size_t i = 0; r == CH_OK && i < n; i++) {
			bool new_one = false;
			r = put_in_tx(st, &a[i], &new_one, err);
			made += new_one;
		}
		r = tx_end(st, r, err);
	}
	if (r == CH_OK && created)
		*created = made;
	return r;
}
