/*
 * sqlite_internal.h — shared between the files of the SQLite store; not part of the API.
 */
#ifndef CHAPAR_STORE_SQLITE_INTERNAL_H
#define CHAPAR_STORE_SQLITE_INTERNAL_H

/* sqlite_schema_latest: the newest schema version. */
int sqlite_schema_latest(void);
/* sqlite_schema_migration: the SQL taking the schema from version-1 to version; NULL if none. */
const char *sqlite_schema_migration(int version);

#endif
