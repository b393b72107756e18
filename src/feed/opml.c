/*
 * opml.c — OPML subscription lists in and out. Reading uses the same decoding and XML
 * clean-up as feeds, then walks <body> collecting every outline that names a feed (xmlUrl),
 * with the titles of the folders around it as its category. Writing groups subscriptions by
 * category into one folder outline each, escaping every attribute.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "feed/parse_internal.h"

#define OPML_MAX_OUTLINES 100000

struct opml_walk {
	struct feed_opml *o;
	struct feed_outline *v;
	size_t n, cap;
	struct buf path; /* the folder titles above the current outline, '/'-joined */
};

/* get: attribute name of n (ASCII case-insensitive), trimmed, as an arena string; NULL when
 * absent or empty. */
static const char *get(struct arena *a, xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr at = n->properties; at; at = at->next) {
		if (strcasecmp((const char *)at->name, name) != 0 || !at->children)
			continue;
		const char *v = (const char *)at->children->content;
		struct slice s = slice_trim(slice_from(v));
		return s.n ? arena_strndup(a, s.p, s.n) : NULL;
	}
	return NULL;
}

/* walk: the outlines under n, depth-first, folders extending the category path. */
static void walk(struct opml_walk *w, xmlNodePtr n, int depth)
{
	struct arena *a = &w->o->arena;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcasecmp((const char *)c->name, "outline") != 0)
			continue;
		const char *title = get(a, c, "text");
		if (!title)
			title = get(a, c, "title");
		const char *xml_url = get(a, c, "xmlUrl");
		if (xml_url && w->n < OPML_MAX_OUTLINES) {
			if (w->n == w->cap) {
				size_t cap = w->cap ? w->cap * 2 : 32;
				struct feed_outline *v = realloc(w->v, cap * sizeof *v);
				if (!v)
					return;
				w->v = v;
				w->cap = cap;
			}
			struct feed_outline *out = &w->v[w->n++];
			out->title = title;
			out->xml_url = xml_url;
			out->html_url = get(a, c, "htmlUrl");
			out->category = w->path.n ? arena_strndup(a, w->path.p, w->path.n)
						  : get(a, c, "category");
		}
		if (c->children && depth < FEED_MAX_DEPTH) {
			size_t keep = w->path.n;
			if (!xml_url && title) {
				if (w->path.n)
					buf_addc(&w->path, '/');
				buf_adds(&w->path, title);
			}
			walk(w, c, depth + 1);
			w->path.n = keep;
			if (w->path.p)
				w->path.p[keep] = '\0';
		}
	}
}

/* child: the first element child of n named name, or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcasecmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

void feed_opml_free(struct feed_opml *o)
{
	if (!o)
		return;
	arena_release(&o->arena);
	free(o);
}

enum ch_status feed_opml_parse(const char *data, size_t n, struct feed_opml **out,
			       struct ch_error *err)
{
	*out = NULL;
	if (n > FEED_MAX_INPUT)
		return ch_fail(err, CH_ERR_LIMIT, "OPML file is %zu bytes, over the limit", n);
	struct buf text, clean;
	buf_init(&text, BUF_NO_LIMIT);
	buf_init(&clean, BUF_NO_LIMIT);
	char enc[32];
	struct slice utf8, xml = { NULL, 0 };
	enum ch_status st = feed_decode(data, n, NULL, &text, enc, &utf8, err);
	if (st == CH_OK)
		st = feed_xml_cleanup(&clean, utf8.p, utf8.n, &xml);
	if (st != CH_OK) {
		buf_release(&text);
		buf_release(&clean);
		return ch_fail(err, st, "cannot read the OPML file");
	}
	feed_libxml_init();
	xmlDocPtr doc = xmlReadMemory(xml.p, (int)(xml.n > INT32_MAX ? INT32_MAX : xml.n), NULL,
				      NULL, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA);
	buf_release(&text);
	buf_release(&clean);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcasecmp((const char *)root->name, "opml") != 0) {
		if (doc)
			xmlFreeDoc(doc);
		return ch_fail(err, CH_ERR_PARSE, "not an OPML document (no <opml> element)");
	}
	struct feed_opml *o = calloc(1, sizeof *o);
	if (!o) {
		xmlFreeDoc(doc);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	arena_init(&o->arena, FEED_ARENA_LIMIT);
	xmlNodePtr title = child(child(root, "head"), "title");
	if (title) {
		xmlChar *t = xmlNodeGetContent(title);
		struct slice s = slice_trim(slice_from((const char *)t));
		o->title = s.n ? arena_strndup(&o->arena, s.p, s.n) : NULL;
		xmlFree(t);
	}
	struct opml_walk w = { .o = o };
	buf_init(&w.path, BUF_NO_LIMIT);
	xmlNodePtr body = child(root, "body");
	if (body)
		walk(&w, body, 0);
	buf_release(&w.path);
	xmlFreeDoc(doc);
	if (w.n) {
		o->outlines = arena_alloc(&o->arena, w.n * sizeof *o->outlines);
		if (o->outlines) {
			memcpy(o->outlines, w.v, w.n * sizeof *o->outlines);
			o->n_outlines = w.n;
		}
	}
	free(w.v);
	*out = o;
	return CH_OK;
}

/* attr_out: append ` name="value"` (escaped) when value is non-empty. */
static void attr_out(struct buf *out, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_addf(out, " %s=\"", name);
	html_escape(out, value, strlen(value));
	buf_addc(out, '"');
}

/* outline_out: one subscription outline at the given indent. */
static void outline_out(struct buf *out, const struct feed_outline *o, int indent)
{
	buf_addf(out, "%*s<outline", indent, "");
	const char *title = o->title ? o->title : o->xml_url;
	attr_out(out, "text", title);
	attr_out(out, "title", title);
	buf_adds(out, " type=\"rss\"");
	attr_out(out, "xmlUrl", o->xml_url);
	attr_out(out, "htmlUrl", o->html_url);
	buf_adds(out, "/>\n");
}

/* same_cat: the categories are equal (NULL equals NULL and ""). */
static bool same_cat(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

enum ch_status feed_opml_write(struct buf *out, const char *title, const struct feed_outline *v,
			       size_t n, struct ch_error *err)
{
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n"
		      "  <head>\n    <title>");
	html_escape(out, title ? title : "chapar", strlen(title ? title : "chapar"));
	buf_adds(out, "</title>\n  </head>\n  <body>\n");
	for (size_t i = 0; i < n; i++) { /* subscriptions without a category first */
		if (!v[i].xml_url)
			continue;
		if (!v[i].category || !*v[i].category)
			outline_out(out, &v[i], 4);
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].xml_url || !v[i].category || !*v[i].category)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = v[j].xml_url && same_cat(v[j].category, v[i].category);
		if (seen)
			continue;
		buf_adds(out, "    <outline");
		attr_out(out, "text", v[i].category);
		attr_out(out, "title", v[i].category);
		buf_adds(out, ">\n");
		for (size_t j = i; j < n; j++)
			if (v[j].xml_url && same_cat(v[j].category, v[i].category))
				outline_out(out, &v[j], 6);
		buf_adds(out, "    </outline>\n");
	}
	enum ch_status st = buf_adds(out, "  </body>\n</opml>\n");
	return st == CH_OK ? CH_OK : ch_fail(err, st, "OPML output too large");
}
