/*
 * sqlite_internal.h — shared between the files of the SQLite store; not part of the API.
 */
#ifndef CHAPAR_STORE_SQLITE_INTERNAL_H
#define CHAPAR_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* The statements, prepared on first use and kept for the connection's life. */
enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_SOURCE_INSERT, S_SOURCE_BY_URL, S_SOURCE_GET, S_SOURCE_FIND, S_SOURCE_LIST, S_SOURCE_DUE,
	S_SOURCE_REMOVE, S_SOURCE_ENABLE, S_SOURCE_STATE,
	S_ARTICLE_INSERT, S_ARTICLE_UPDATE, S_ARTICLE_GET, S_ARTICLE_CURSOR,
	S_ARTICLE_LIST, S_ARTICLE_LIST_BODY, S_ARTICLE_MOST_VIEWED, S_ARTICLE_COUNT,
	S_ARTICLE_HEAD, S_OUTLET_LIST, S_OUTLET_LIST_BODY,
	S_VIEW_ADD, S_SEARCH,
	S_UNASSIGNED, S_SIG_PUT, S_STORY_UPSERT, S_ARTICLE_SET_STORY, S_SIGS_SINCE, S_SIG_LATEST,
	S_STORY_GET, S_STORY_ARTICLES, S_STORY_LIST, S_STORY_TRENDING, S_CATEGORIES,
	S_COUNT
};

/* The tokens the full-text tokenizer made of recently stored articles (store_tokens_keep):
 * each token's key bytes in keys, the articles in storing order (ascending ids). */
struct token_rec {
	uint32_t key_off, key_len, start, end;
	uint8_t field;
	bool colocated;
};
struct token_doc {
	int64_t id; /* 0: dropped */
	size_t first, n;
	unsigned expect; /* columns (bit 0 title, 1 lead, 2 body) still to be tokenized */
	int field;       /* the column being tokenized, or (fts.c) complete or broken */
	size_t len[3];   /* bytes of each column (0: NULL), a check against text changed since */
};
struct token_tap {
	bool on, full;
	struct buf keys;
	struct token_rec *tok;
	size_t n_tok, cap_tok;
	struct token_doc *doc;
	size_t n_doc, cap_doc;
};

struct store {
	sqlite3 *db;
	struct token_tap tap;
	sqlite3_stmt *stmts[S_COUNT];
	int tx_depth; /* open transaction levels (see tx_begin in sqlite.c) */
	/* statements of other files, prepared once, found by their SQL's address (sql_stmt) */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} extra[32];
};

/* stmt: the prepared statement id, reset and with bindings cleared; NULL on error (in err). */
sqlite3_stmt *stmt(struct store *st, enum stmt_id id, struct ch_error *err);
/* sql_stmt: the statement for sql (a string with static storage: its address is the key),
 * prepared on first use and kept for the connection's life, reset and unbound; NULL on error. */
sqlite3_stmt *sql_stmt(struct store *st, const char *sql, struct ch_error *err);
/* db_fail: record the connection's last error with some context; returns the status. */
enum ch_status db_fail(struct store *st, struct ch_error *err, const char *what);
/* bind_text: bind a NUL-terminated string, NULL as SQL NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v);
/* col_text: column i copied into the arena; NULL for SQL NULL. */
const char *col_text(sqlite3_stmt *s, int i, struct arena *a);
/* read_article: the article columns (ARTICLE_COLS, 19 of them, then with_body the two body
 * columns) of the current row. */
void read_article(sqlite3_stmt *s, struct arena *a, struct article *o, bool with_body);
/* article_get: article id into out, with its bodies only when with_body (a listing's rows
 * leave them out: they live in overflow pages and cost most of a read). */
enum ch_status article_get(struct store *st, int64_t id, bool with_body, struct arena *a,
			   struct article *out, struct ch_error *err);

/* sqlite_schema_latest: the newest schema version. */
int sqlite_schema_latest(void);
/* sqlite_schema_migration: the SQL taking the schema from version-1 to version; NULL if none. */
const char *sqlite_schema_migration(int version);

/* sqlite_register_persian_tokenizer: make the "persian" FTS5 tokenizer known to db. */
int sqlite_register_persian_tokenizer(sqlite3 *db);

/* FTS5's automerge setting for articles_fts (why: fts.c, "Merge policy"). */
#define STORE_FTS_AUTOMERGE 8

/* fts_set_merge_policy: store FTS5's merge setting (automerge, see fts.c) in articles_fts's
 * configuration when it holds another value; a write only then. An SQLite result code. */
int fts_set_merge_policy(sqlite3 *db);

/* fts_tap_begin: record the tokens the "persian" tokenizer makes on this thread, in document mode,
 * as article id's (the full-text row about to be written, whose non-NULL columns are the bits
 * of fields: 1 title, 2 lead, 4 body); fts_tap_end stops and keeps the record when each of
 * them was tokenized (ok false: drop it, the write failed). */
void fts_tap_begin(struct token_tap *tap, int64_t id, unsigned fields);
void fts_tap_end(struct token_tap *tap, bool ok);
/* fts_tap_clear: drop every record, keeping the memory; fts_tap_release: free it. */
void fts_tap_clear(struct token_tap *tap);
void fts_tap_release(struct token_tap *tap);
/* fts_tap_forget: drop article id's record (its text changed). */
void fts_tap_forget(struct token_tap *tap, int64_t id);

/* The version of the full-text index's tokenization. Bump it whenever src/text's tokenizer
 * changes what it emits: databases indexed with another version are re-indexed on open. */
#define STORE_FTS_VERSION 1

#endif
