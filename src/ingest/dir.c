/*
 * dir.c — ingest sources stored as files (the demo, and tests): `sources.tsv` lists
 * name, site URL, feed URL, feed file and category; `pages.tsv` maps article URLs to page files.
 * Paths in both are relative to the directory. Lines starting with '#' are comments.
 * Sources added here are parked (next check in 2100): their feeds come from files, not from
 * the network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

#define FEED_LIMIT (10u << 20)
#define TSV_LIMIT (4u << 20)
#define DIR_SOURCE_NEVER 4102444800 /* 2100-01-01: the next check of a file-backed source */

/* The url -> file map of pages.tsv, as parallel arrays in an arena. */
struct page_map {
	const char *dir;
	char **urls, **files;
	size_t n;
};

/* split_tabs: split line in place at tabs into at most max fields; returns the count. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (n < max) {
		fields[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

/* next_line: the next line of *p (NUL-terminated in place, without \r\n), or NULL at the end. */
static char *next_line(char **p)
{
	if (!*p || !**p)
		return NULL;
	char *line = *p;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	size_t n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return line;
}

/* read_in_dir: read dir/rel into out. */
static enum ch_status read_in_dir(const char *dir, const char *rel, struct buf *out, struct ch_error *err)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
		return ch_fail(err, CH_ERR_INVALID, "path too long: %s/%s", dir, rel);
	return file_read(path, out, err);
}

/* load_pages: pages.tsv into map (strings in the arena); a missing file is an empty map. */
static enum ch_status load_pages(const char *dir, struct arena *a, struct page_map *map, struct ch_error *err)
{
	struct buf b;
	buf_init(&b, TSV_LIMIT);
	map->dir = dir;
	map->n = 0;
	enum ch_status s = read_in_dir(dir, "pages.tsv", &b, err);
	if (s == CH_ERR_NOTFOUND) {
		buf_release(&b);
		return CH_OK;
	}
	if (s != CH_OK) {
		buf_release(&b);
		return s;
	}
	size_t cap = 1;
	for (size_t i = 0; i < b.n; i++)
		cap += b.p[i] == '\n';
	map->urls = arena_alloc(a, cap * sizeof *map->urls);
	map->files = arena_alloc(a, cap * sizeof *map->files);
	char *p = b.p, *line;
	while (map->urls && map->files && (line = next_line(&p)) != NULL) {
		char *f[2];
		if (line[0] == '#' || !line[0] || split_tabs(line, f, 2) != 2)
			continue;
		map->urls[map->n] = arena_strdup(a, f[0]);
		map->files[map->n] = arena_strdup(a, f[1]);
		map->n++;
	}
	buf_release(&b);
	return map->urls && map->files ? CH_OK : ch_fail(err, CH_ERR_NOMEM, "out of memory");
}

/* page_from_file: page_get_fn over a page_map. */
static bool page_from_file(void *ctx, const char *url, struct buf *body, const char **content_type)
{
	const struct page_map *map = ctx;
	for (size_t i = 0; i < map->n; i++) {
		if (!strcmp(map->urls[i], url)) {
			struct ch_error err = { 0 };
			if (read_in_dir(map->dir, map->files[i], body, &err) != CH_OK) {
				log_warn("ingest: %s", err.msg);
				return false;
			}
			*content_type = "text/html";
			return true;
		}
	}
	return false;
}

/* park_source: schedule a new file-backed source's first check for DIR_SOURCE_NEVER, with a
 * note saying why, so that a fetcher (`chapar serve` runs one) never polls the outlet's real
 * address on the demo's behalf. Enabling it again (`chapar source enable`) makes it due.
 * ingested_at: when its articles were read from the files (its last success), 0 before that. */
static enum ch_status park_source(struct store *st, const struct source *src, int64_t ingested_at,
				  struct ch_error *err)
{
	struct source parked = { .id = src->id, .next_check = DIR_SOURCE_NEVER,
				 .last_success = ingested_at,
				 .last_error = "its articles come from files; not polled until enabled again" };
	return store_source_save_state(st, &parked, err);
}

/* ingest_source_line: add (or find) the source of one sources.tsv line and ingest its feed. */
static enum ch_status ingest_source_line(struct store *st, const char *dir, char **f, size_t nf,
					 const struct page_map *pages, struct ingest_stats *stats,
					 struct ch_error *err)
{
	struct source src = { .name = f[0], .site_url = f[1], .feed_url = f[2],
			      .category = nf > 4 && *f[4] ? f[4] : NULL, .language = "fa" };
	int64_t id = 0;
	enum ch_status s = store_source_add(st, &src, &id, err);
	if (s != CH_OK && s != CH_ERR_EXISTS)
		return s;
	src.id = id;
	bool added = s == CH_OK;
	if (added && (s = park_source(st, &src, 0, err)) != CH_OK)
		return s;

	struct buf data;
	buf_init(&data, FEED_LIMIT);
	s = read_in_dir(dir, f[3], &data, err);
	struct feed *feed = NULL;
	if (s == CH_OK)
		s = feed_parse(data.p ? data.p : "", data.n, NULL, src.feed_url, &feed, err);
	if (s == CH_OK)
		s = ingest_feed(st, &src, feed, page_from_file, (void *)pages, stats, err);
	if (s == CH_OK && added) /* parked still, but its articles did arrive: say when */
		s = park_source(st, &src, time_now_ms() / 1000, err);
	feed_free(feed);
	buf_release(&data);
	return s;
}

enum ch_status ingest_dir(struct store *st, const char *dir, struct ingest_stats *stats, struct ch_error *err)
{
	struct arena a;
	arena_init(&a, 0);
	struct page_map pages;
	enum ch_status s = load_pages(dir, &a, &pages, err);
	struct buf list;
	buf_init(&list, TSV_LIMIT);
	if (s == CH_OK)
		s = read_in_dir(dir, "sources.tsv", &list, err);
	char *p = list.p, *line;
	int lineno = 0;
	size_t failures = 0;
	while (s == CH_OK && (line = next_line(&p)) != NULL) {
		lineno++;
		char *f[5];
		if (line[0] == '#' || !line[0])
			continue;
		size_t nf = split_tabs(line, f, 5);
		if (nf < 4) {
			log_warn("ingest: %s/sources.tsv:%d: expected name, site, feed URL, feed file", dir, lineno);
			failures++;
			continue;
		}
		struct ch_error e2 = { 0 };
		if (ingest_source_line(st, dir, f, nf, &pages, stats, &e2) != CH_OK) {
			log_warn("ingest: %s: %s", f[0], e2.msg);
			failures++;
		}
	}
	if (s == CH_OK && failures)
		s = ch_fail(err, CH_ERR_PARSE, "%zu source(s) of %s could not be ingested", failures, dir);
	buf_release(&list);
	arena_release(&a);
	return s;
}
