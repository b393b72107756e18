/*
 * parse.c — feed_parse: the entry point that turns feed bytes of any supported format into a
 * struct feed. It bounds the input, decodes it to UTF-8 (charset.c), and hands the text to the
 * XML (xmlfeed.c) or JSON Feed (jsonfeed.c) parser; it also holds the small growable lists the
 * parsers fill.
 */
#include <stdlib.h>
#include <string.h>

#include "feed/parse_internal.h"

struct feed *feed_new(void)
{
	struct feed *f = calloc(1, sizeof *f);
	if (f)
		arena_init(&f->arena, FEED_ARENA_LIMIT);
	return f;
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	arena_release(&f->arena);
	free(f);
}

struct feed_entry *entry_list_add(struct entry_list *l)
{
	if (l->n >= FEED_MAX_ENTRIES)
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct feed_entry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	struct feed_entry *e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	return e;
}

enum ch_status entry_list_finish(struct entry_list *l, struct feed *f)
{
	enum ch_status st = CH_OK;
	if (l->n) {
		f->entries = arena_alloc(&f->arena, l->n * sizeof *f->entries);
		if (f->entries) {
			memcpy(f->entries, l->v, l->n * sizeof *f->entries);
			f->n_entries = l->n;
		} else {
			st = CH_ERR_NOMEM;
		}
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
	return st;
}

/* grow_array: make room for one more element in an arena array of *n elements of size sz,
 * doubling from 4; returns the (possibly moved) array or NULL. */
static void *grow_array(struct arena *a, void *v, size_t n, size_t sz)
{
	if (n && (n & (n - 1)) == 0 && n >= 4) {
		void *w = arena_alloc(a, 2 * n * sz);
		if (w)
			memcpy(w, v, n * sz);
		return w;
	}
	if (!v)
		return arena_alloc(a, 4 * sz);
	return v;
}

void str_list_add(struct arena *a, const char ***v, size_t *n, const char *s)
{
	if (!s || !*s || *n >= FEED_MAX_LIST)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	const char **w = grow_array(a, (void *)*v, *n, sizeof *w);
	if (!w)
		return;
	w[(*n)++] = s;
	*v = w;
}

void enclosure_add(struct arena *a, struct feed_entry *e, const char *url, const char *type,
		   int64_t length)
{
	if (!url || !*url || e->n_enclosures >= FEED_MAX_LIST)
		return;
	for (size_t i = 0; i < e->n_enclosures; i++)
		if (strcmp(e->enclosures[i].url, url) == 0)
			return;
	struct feed_enclosure *w = grow_array(a, e->enclosures, e->n_enclosures, sizeof *w);
	if (!w)
		return;
	w[e->n_enclosures].url = url;
	w[e->n_enclosures].type = type && *type ? type : NULL;
	w[e->n_enclosures].length = length > 0 ? length : -1;
	e->n_enclosures++;
	e->enclosures = w;
}

/* is_json: the first byte that is not whitespace is '{'. */
static bool is_json(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return c == '{';
	}
	return false;
}

enum ch_status feed_parse(const char *data, size_t n, const char *http_content_type,
			  const char *base_url, struct feed **out, struct ch_error *err)
{
	*out = NULL;
	if (!data)
		return ch_fail(err, CH_ERR_INVALID, "no data");
	if (n > FEED_MAX_INPUT)
		return ch_fail(err, CH_ERR_LIMIT, "feed is %zu bytes, over the %u-byte limit", n,
			       FEED_MAX_INPUT);
	struct feed *f = feed_new();
	if (!f)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	struct buf text;
	buf_init(&text, FEED_MAX_INPUT * 4u);
	char enc[32];
	struct slice utf8;
	enum ch_status st = feed_decode(data, n, http_content_type, &text, enc, &utf8, err);
	if (st == CH_OK) {
		f->encoding = arena_strdup(&f->arena, enc);
		if (is_json(utf8.p, utf8.n))
			st = feed_parse_json(f, utf8.p, utf8.n, base_url, err);
		else
			st = feed_parse_xml(f, utf8.p, utf8.n, base_url, err);
	}
	buf_release(&text);
	if (st != CH_OK) {
		feed_free(f);
		return st;
	}
	*out = f;
	return CH_OK;
}
