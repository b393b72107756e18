/*
 * sqlite_internal.h — shared between the files of the SQLite store; not part of the API.
 */
#ifndef CHAPAR_STORE_SQLITE_INTERNAL_H
#define CHAPAR_STORE_SQLITE_INTERNAL_H

/* sqlite_schema_latest: the newest schema version. */
int sqlite_schema_latest(void);
/* sqlite_schema_migration: the SQL taking the schema from version-1 to version; NULL if none. */
const char *sqlite_schema_migration(int version);

/* sqlite_register_persian_tokenizer: make the "persian" FTS5 tokenizer known to db. */
struct sqlite3;
int sqlite_register_persian_tokenizer(struct sqlite3 *db);

/* The version of the full-text index's tokenization. Bump it whenever src/text's tokenizer
 * changes what it emits: databases indexed with another version are re-indexed on open. */
#define STORE_FTS_VERSION 1

#endif
