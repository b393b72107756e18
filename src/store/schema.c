/*
 * schema.c — the versioned schema of the SQLite store. Migration N takes the database from
 * user_version N-1 to N; migrations only ever append. Each runs in the same IMMEDIATE
 * transaction as the version bump, so two processes opening a fresh file migrate it once.
 */
#include <stddef.h>

#include "store/sqlite_internal.h"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  site_url TEXT,"
	"  feed_url TEXT NOT NULL UNIQUE,"
	"  category TEXT,"
	"  language TEXT NOT NULL DEFAULT 'fa',"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  body_hash INTEGER NOT NULL DEFAULT 0,"
	"  last_success INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  last_error_at INTEGER NOT NULL DEFAULT 0,"
	"  error_count INTEGER NOT NULL DEFAULT 0,"
	"  next_check INTEGER NOT NULL DEFAULT 0,"
	"  interval_s INTEGER NOT NULL DEFAULT 600,"
	"  created INTEGER NOT NULL);"
	"CREATE INDEX sources_due ON sources(enabled, next_check);"
	"CREATE TABLE stories ("
	"  id INTEGER PRIMARY KEY,"
	"  lead_article INTEGER,"
	"  first_seen INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  n_articles INTEGER NOT NULL DEFAULT 0,"
	"  n_sources INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE articles ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	"  url TEXT NOT NULL,"
	"  canonical_url TEXT,"
	"  guid TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  uptitle TEXT,"
	"  lead TEXT,"
	"  body_text TEXT,"
	"  body_html TEXT,"
	"  author TEXT,"
	"  image TEXT,"
	"  language TEXT,"
	"  origin TEXT,"
	"  categories TEXT,"
	"  published INTEGER NOT NULL,"
	"  fetched INTEGER NOT NULL,"
	"  story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
	"  UNIQUE(source_id, guid));"
	"CREATE INDEX articles_published ON articles(published DESC, id DESC);"
	"CREATE INDEX articles_source ON articles(source_id, published DESC, id DESC);"
	"CREATE INDEX articles_canonical ON articles(canonical_url);"
	"CREATE INDEX articles_story ON articles(story_id);"
	"CREATE TABLE views ("
	"  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	"  hour INTEGER NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY(article_id, hour)) WITHOUT ROWID;"
	"CREATE INDEX views_hour ON views(hour);",

	/* 2: full-text search over title, lead and body, kept in step by triggers */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE VIRTUAL TABLE articles_fts USING fts5(title, lead, body_text, content='articles',"
	"  content_rowid='id', tokenize='persian');"
	"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
	"  INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (new.id, new.title, new.lead, new.body_text);"
	"END;"
	"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
	"  INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)"
	"  VALUES ('delete', old.id, old.title, old.lead, old.body_text);"
	"END;"
	"CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, lead, body_text ON articles BEGIN"
	"  INSERT INTO articles_fts(articles_fts, rowid, title, lead, body_text)"
	"  VALUES ('delete', old.id, old.title, old.lead, old.body_text);"
	"  INSERT INTO articles_fts(rowid, title, lead, body_text) VALUES (new.id, new.title, new.lead, new.body_text);"
	"END;"
	"INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');",

	/* 3: stories: each article's clustering signature, and what stories need to be listed */
	"CREATE TABLE article_sigs ("
	"  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
	"  published INTEGER NOT NULL,"
	"  sig BLOB NOT NULL);"
	"CREATE INDEX article_sigs_published ON article_sigs(published);"
	"CREATE INDEX articles_unassigned ON articles(published, id) WHERE story_id IS NULL;"
	"CREATE INDEX stories_updated ON stories(updated DESC, id DESC);",

	/* 4: related articles ("read more"), computed when an article is clustered */
	"CREATE TABLE related ("
	"  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	"  rank INTEGER NOT NULL,"
	"  related_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(article_id, rank)) WITHOUT ROWID;",

	/* 5: a hash of the feed entry an article came from, so an edited entry (same GUID, new
	 * title, content or date) is recognised and updates its article; 0 = unknown */
	"ALTER TABLE articles ADD COLUMN entry_hash INTEGER NOT NULL DEFAULT 0;",

	/* 6: how many articles hold each indexed term, so "read more" can pick an article's rarest
	 * (most telling) words */
	"CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, row);",
};

int sqlite_schema_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *sqlite_schema_migration(int version)
{
	if (version < 1 || version > sqlite_schema_latest())
		return NULL;
	return migrations[version - 1];
}
