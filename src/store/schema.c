/*
 * schema.c — the versioned schema of the SQLite store. Migration N takes the database from
 * user_version N-1 to N; migrations only ever append. Each runs in the same IMMEDIATE
 * transaction as the version bump, so two processes opening a fresh file migrate it once.
 */
#include <stddef.h>

#include "store/sqlite_internal.h"

/* Pieces of migration 7 (story_trend). LOG2_ADD: log2(2^a + 2^b), either may be NULL (nothing). */
#define LOG2_ADD(a, b) \
	" CASE WHEN " a " IS NULL THEN " b " WHEN " b " IS NULL THEN " a \
	" ELSE max(" a ", " b ") + log2(1 + pow(2, -abs(" a " - " b "))) END "
/* ARTICLE_HEAT: log2(sum of count * 2^(hour / 6)) over the views of the article id (NULL: none),
 * summed relative to its newest view hour m so that no power overflows. */
#define ARTICLE_HEAT(id) \
	" (SELECT r.m / 6.0 + log2(sum(v.count * pow(2, (v.hour - r.m) / 6.0))) FROM views v," \
	" (SELECT max(hour) AS m FROM views WHERE article_id = " id ") r WHERE v.article_id = " id \
	" AND v.count > 0) "
/* STORY_TREND_COVERAGE: the trigger body keeping a story's coverage key (new: the story row). */
#define STORY_TREND_COVERAGE \
	"  INSERT INTO story_trend(story_id, coverage, n_sources, updated) VALUES (new.id," \
	"    CASE WHEN new.n_sources > 1 THEN log2(2.0 * (new.n_sources - 1)) + new.updated / 43200.0 END," \
	"    new.n_sources, new.updated)" \
	"    ON CONFLICT(story_id) DO UPDATE SET coverage = excluded.coverage, n_sources = excluded.n_sources," \
	"    updated = excluded.updated; "
/* STORY_TREND_ADD_VIEWS: the trigger body adding `count` views at new.hour of new.article_id to
 * the heat of the article's story. */
#define STORY_TREND_ADD_VIEWS(count) \
	"  INSERT INTO story_trend(story_id, heat, last_view)" \
	"    SELECT story_id, log2(" count ") + new.hour / 6.0, new.hour FROM articles" \
	"    WHERE id = new.article_id AND story_id IS NOT NULL" \
	"    ON CONFLICT(story_id) DO UPDATE SET heat = " LOG2_ADD("heat", "excluded.heat") "," \
	"    last_view = max(last_view, excluded.last_view); "

/* Pieces of the article_categories migration. CATEGORIES_JSON(a): the article row a's own
 * categories (split at ", " or ",", as listings have always read them) as a JSON array of
 * strings; CATEGORY_ROWS(a, from, where): (category, published, id) of every category of the
 * articles a (from: more FROM items, where: more conditions): its own, and its outlet's. */
#define CATEGORIES_JSON(a) \
	" ('[\"' || replace(replace(replace(replace(coalesce(" a ".categories, ''), '\\', '\\\\'), '\"', '\\\"')," \
	" ', ', ','), ',', '\",\"') || '\"]') "
#define CATEGORY_ROWS(a, from, where) \
	" SELECT j.value, " a ".published, " a ".id FROM " from " json_each(CASE WHEN json_valid(" \
	CATEGORIES_JSON(a) ") THEN " CATEGORIES_JSON(a) " ELSE '[]' END) j WHERE j.value <> ''" where \
	" UNION SELECT s.category, " a ".published, " a ".id FROM " from " sources s" \
	" WHERE s.id = " a ".source_id AND coalesce(s.category, '') <> ''" where " "

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

	/* 7: what trending ranks by, kept up to date by triggers so a lookup reads a few rows (see
	 * store_story_trending in sqlite.c). Per story: heat = log2(sum of count * 2^(hour / 6))
	 * over the views of its articles (its views now, halved every 6 hours, are
	 * 2^(heat - now_hour / 6); NULL: none), the hour of its newest view, and coverage =
	 * log2(2 * (n_sources - 1)) + updated / 43200 (its outlet points now, halved every 12 hours
	 * since its latest article, are 2^(coverage - now / 43200); NULL: one outlet). Both keys
	 * order stories the same way at every moment, so each has one index. Adding in log space:
	 * log2(2^a + 2^b) = max(a, b) + log2(1 + 2^-|a - b|). */
	"CREATE TABLE story_trend ("
	"  story_id INTEGER PRIMARY KEY,"
	"  heat REAL,"
	"  last_view INTEGER NOT NULL DEFAULT 0,"
	"  coverage REAL,"
	"  n_sources INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX story_trend_heat ON story_trend(heat DESC) WHERE heat IS NOT NULL;"
	"CREATE INDEX story_trend_coverage ON story_trend(coverage DESC) WHERE coverage IS NOT NULL;"
	"INSERT INTO story_trend(story_id, coverage, n_sources, updated)"
	"  SELECT id, CASE WHEN n_sources > 1 THEN log2(2.0 * (n_sources - 1)) + updated / 43200.0 END,"
	"  n_sources, updated FROM stories;"
	/* relative to the newest view hour m, so no power overflows (views older than 255 days
	 * underflow to nothing, as they would decay to anyway) */
	"WITH r AS (SELECT max(hour) AS m FROM views)"
	" UPDATE story_trend SET heat = x.k, last_view = x.lv FROM"
	"  (SELECT a.story_id AS s, log2(sum(v.count * pow(2, (v.hour - r.m) / 6.0))) + r.m / 6.0 AS k,"
	"   max(v.hour) AS lv FROM views v JOIN articles a ON a.id = v.article_id, r"
	"   WHERE a.story_id IS NOT NULL AND v.count > 0 GROUP BY a.story_id) x"
	" WHERE story_trend.story_id = x.s;"
	"CREATE TRIGGER stories_trend_insert AFTER INSERT ON stories BEGIN" STORY_TREND_COVERAGE "END;"
	"CREATE TRIGGER stories_trend_update AFTER UPDATE OF n_sources, updated ON stories BEGIN"
	STORY_TREND_COVERAGE "END;"
	"CREATE TRIGGER stories_trend_delete AFTER DELETE ON stories BEGIN"
	"  DELETE FROM story_trend WHERE story_id = old.id;"
	"END;"
	"CREATE TRIGGER views_trend_insert AFTER INSERT ON views WHEN new.count > 0 BEGIN"
	STORY_TREND_ADD_VIEWS("new.count") "END;"
	"CREATE TRIGGER views_trend_update AFTER UPDATE OF count ON views WHEN new.count > old.count BEGIN"
	STORY_TREND_ADD_VIEWS("new.count - old.count") "END;"
	/* an article moving between stories takes its views with it */
	"CREATE TRIGGER articles_trend_story AFTER UPDATE OF story_id ON articles"
	"  WHEN new.story_id IS NOT old.story_id AND EXISTS (SELECT 1 FROM views WHERE article_id = new.id) BEGIN"
	"  UPDATE story_trend SET heat = CASE WHEN heat IS NULL OR " ARTICLE_HEAT(" old.id") " >= heat - 1e-9 THEN NULL"
	"    ELSE heat + log2(1 - pow(2, " ARTICLE_HEAT("old.id") " - heat)) END"
	"    WHERE story_id = old.story_id;"
	"  INSERT INTO story_trend(story_id, heat, last_view)"
	"    SELECT new.story_id, " ARTICLE_HEAT("new.id") ", (SELECT max(hour) FROM views WHERE article_id = new.id)"
	"    WHERE new.story_id IS NOT NULL"
	"    ON CONFLICT(story_id) DO UPDATE SET heat = " LOG2_ADD("heat", "excluded.heat") ","
	"    last_view = max(last_view, excluded.last_view);"
	"END;",

	/* 8: each article's categories (its own and its outlet's) keyed by category and time, so
	 * a category page walks an index instead of testing every article with LIKE; kept by
	 * triggers on article updates and deletes and on an outlet's category, and by the store
	 * for a new article (categorize_article in sqlite.c: an insert trigger would make every
	 * article INSERT a multi-write statement with a savepoint, at which FTS5 flushes its
	 * pending rows; see 9). Written to run again harmlessly, like a test taking the schema
	 * back a version. */
	"CREATE TABLE IF NOT EXISTS article_categories ("
	"  category TEXT NOT NULL,"
	"  published INTEGER NOT NULL,"
	"  article_id INTEGER NOT NULL,"
	"  PRIMARY KEY(category, published, article_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS article_categories_article ON article_categories(article_id);"
	"INSERT OR IGNORE INTO article_categories(category, published, article_id)"
	CATEGORY_ROWS("a", "articles a,", "") ";"
	"CREATE TRIGGER IF NOT EXISTS articles_categories_update AFTER UPDATE OF categories, published, source_id ON articles"
	"  WHEN new.categories IS NOT old.categories OR new.published IS NOT old.published"
	"  OR new.source_id IS NOT old.source_id BEGIN"
	"  DELETE FROM article_categories WHERE article_id = old.id;"
	"  INSERT OR IGNORE INTO article_categories(category, published, article_id)"
	CATEGORY_ROWS("new", "", "") ";"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS articles_categories_delete AFTER DELETE ON articles BEGIN"
	"  DELETE FROM article_categories WHERE article_id = old.id;"
	"END;"
	"CREATE TRIGGER IF NOT EXISTS sources_categories_update AFTER UPDATE OF category ON sources"
	"  WHEN new.category IS NOT old.category BEGIN"
	"  DELETE FROM article_categories WHERE article_id IN (SELECT id FROM articles WHERE source_id = new.id);"
	"  INSERT OR IGNORE INTO article_categories(category, published, article_id)"
	CATEGORY_ROWS("a", "articles a,", " AND a.source_id = new.id") ";"
	"END;",

	/* 9: the store writes an article's full-text row itself, right after the article (see
	 * put_in_tx in sqlite.c), instead of the insert trigger: the trigger made every article
	 * INSERT a multi-write statement with a statement savepoint, at which FTS5 flushes its
	 * pending terms as a new index segment, one per article. Written directly, a batch's rows
	 * stay pending until its commit (or FTS5's 1 MB flush), a few segments per batch. The
	 * delete and update triggers stay (rare writes). */
	"DROP TRIGGER IF EXISTS articles_fts_insert;",

	/* 10: the distinct words (hashes, weights by field, token count: src/rank's
	 * rank_words_encode) of the articles of the clustering's recent window, kept by the
	 * clustering as it clusters them, so that a run's start reads the window's words instead of
	 * tokenizing the window's text again; pruned by publication time once out of every window
	 * (a cache: an article without them is tokenized). An article whose text changes loses
	 * them. Written to run again harmlessly (IF NOT EXISTS). */
	"CREATE TABLE IF NOT EXISTS article_words ("
	"  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
	"  published INTEGER NOT NULL,"
	"  words BLOB NOT NULL);"
	"CREATE INDEX IF NOT EXISTS article_words_published ON article_words(published);"
	"CREATE TRIGGER IF NOT EXISTS articles_words_stale AFTER UPDATE OF title, lead, body_text ON articles"
	"  WHEN new.title IS NOT old.title OR new.lead IS NOT old.lead OR new.body_text IS NOT old.body_text BEGIN"
	"  DELETE FROM article_words WHERE article_id = old.id;"
	"END;",

	/* 11: an article's related articles as one row, their ids best first as a JSON array of
	 * integers ("[12,7]"), instead of a row per related article: saving a list was a delete and
	 * one or two multi-row inserts into a WITHOUT ROWID table (about eight b-tree writes an
	 * article), now one row written. A listed article that is deleted later stays in the list
	 * (readers skip ids that no longer exist; the old rows were deleted with it). The old table
	 * stays, emptied (so the migration runs again harmlessly: there is nothing left to move). */
	"CREATE TABLE IF NOT EXISTS related_lists ("
	"  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
	"  ids TEXT NOT NULL);"
	/* related's key (article_id, rank) gives each group's rows in rank order */
	"INSERT OR IGNORE INTO related_lists(article_id, ids)"
	"  SELECT article_id, json_group_array(related_id) FROM"
	"  (SELECT article_id, related_id FROM related ORDER BY article_id, rank) GROUP BY article_id;"
	"DELETE FROM related;",
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
