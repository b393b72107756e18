/*
 * jsonfeed.c — JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) with jansson. The
 * mapping onto struct feed: title/home_page_url/language; per item id, url, title, date_published/date_modified (each standing in for the other),
 * authors[0].name (1.1) or author.name (1.0), summary (else the text of content_text or
 * content_html), content_html (else content_text escaped), attachments, tags. Values of the
 * wrong JSON type are ignored, never fatal.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "feed/parse_internal.h"

/* str: the string value of key in o, or NULL when absent or not a string. */
static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* dup_text: s with whitespace collapsed, as an arena string; NULL when empty. */
static const char *dup_text(struct arena *a, struct buf *tmp, const char *s, bool html)
{
	if (!s)
		return NULL;
	buf_reset(tmp);
	if (html)
		feed_html_to_text(tmp, s, strlen(s));
	else
		feed_collapse_ws(tmp, s, strlen(s));
	return tmp->n ? arena_strndup(a, tmp->p, tmp->n) : NULL;
}

/* date: a JSON Feed date string as Unix seconds, 0 when absent or unreadable. */
static int64_t date(json_t *o, const char *key)
{
	int64_t t;
	const char *s = str(o, key);
	return s && feed_parse_date(s, &t) == CH_OK ? t : 0;
}

/* author_of: authors[0].name, else author.name. */
static const char *author_of(json_t *item)
{
	json_t *authors = json_object_get(item, "authors");
	if (json_is_array(authors) && json_array_size(authors) > 0) {
		json_t *a = json_array_get(authors, 0);
		if (json_is_object(a))
			return str(a, "name");
	}
	json_t *a = json_object_get(item, "author");
	return json_is_object(a) ? str(a, "name") : NULL;
}

/* parse_item: one item object into e. */
static void parse_item(struct feed *f, struct buf *tmp, json_t *it, struct feed_entry *e)
{
	struct arena *a = &f->arena;
	json_t *id = json_object_get(it, "id");
	if (json_is_string(id)) {
		e->id = arena_strdup(a, json_string_value(id));
	} else if (json_is_integer(id)) {
		char num[32];
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(id));
		e->id = arena_strdup(a, num);
	}
	e->link = arena_strdup(a, str(it, "url"));
	e->title = dup_text(a, tmp, str(it, "title"), false);
	int64_t pub = date(it, "date_published"), upd = date(it, "date_modified");
	e->published = pub ? pub : upd;
	e->updated = upd ? upd : pub;
	e->author = dup_text(a, tmp, author_of(it), false);
	const char *ch = str(it, "content_html"), *ct = str(it, "content_text");
	if (ch) {
		e->content = arena_strdup(a, ch);
	} else if (ct) {
		buf_reset(tmp);
		html_escape(tmp, ct, strlen(ct));
		e->content = arena_strndup(a, buf_str(tmp), tmp->n);
	}
	e->summary = dup_text(a, tmp, str(it, "summary"), false);
	if (!e->summary)
		e->summary = ct ? dup_text(a, tmp, ct, false) : dup_text(a, tmp, ch, true);
	json_t *att = json_object_get(it, "attachments");
	size_t i;
	json_t *x;
	if (json_is_array(att)) {
		json_array_foreach(att, i, x) {
			if (!json_is_object(x) || !str(x, "url"))
				continue;
			json_t *size = json_object_get(x, "size_in_bytes");
			int64_t len = json_is_integer(size) ? json_integer_value(size) : -1;
			enclosure_add(a, e, arena_strdup(a, str(x, "url")),
				      arena_strdup(a, str(x, "mime_type")), len);
		}
	}
	e->image = arena_strdup(a, str(it, "image"));
	if (!e->image)
		e->image = arena_strdup(a, str(it, "banner_image"));
	json_t *tags = json_object_get(it, "tags");
	if (json_is_array(tags)) {
		json_array_foreach(tags, i, x) {
			if (json_is_string(x))
				str_list_add(a, &e->categories, &e->n_categories,
					     dup_text(a, tmp, json_string_value(x), false));
		}
	}
}

enum ch_status feed_parse_json(struct feed *f, const char *utf8, size_t n, const char *base_url,
			       struct ch_error *err)
{
	(void)base_url;
	json_error_t jerr;
	json_t *root = json_loadb(utf8, n, JSON_ALLOW_NUL, &jerr);
	if (!root)
		return ch_fail(err, CH_ERR_PARSE, "JSON Feed: line %d: %s", jerr.line, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return ch_fail(err, CH_ERR_PARSE, "JSON Feed: the top level is not an object");
	}
	struct buf tmp;
	buf_init(&tmp, BUF_NO_LIMIT);
	f->title = dup_text(&f->arena, &tmp, str(root, "title"), false);
	f->link = arena_strdup(&f->arena, str(root, "home_page_url"));
	f->language = arena_strdup(&f->arena, str(root, "language"));
	struct entry_list list = { 0 };
	json_t *items = json_object_get(root, "items");
	size_t i;
	json_t *it;
	if (json_is_array(items)) {
		json_array_foreach(items, i, it) {
			if (!json_is_object(it))
				continue;
			struct feed_entry *e = entry_list_add(&list);
			if (!e)
				break;
			parse_item(f, &tmp, it, e);
		}
	}
	buf_release(&tmp);
	json_decref(root);
	enum ch_status st = entry_list_finish(&list, f);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "out of memory");
}
