/*
 * sanitize.c — the allowlist HTML writer: every fragment of article HTML chapar displays goes
 * through here. Only listed tags and attributes survive; script, style, forms, frames, objects
 * and SVG/MathML go with their content; sectioning tags become plain divs; other unknown tags
 * are unwrapped (their text stays);
 * links and images are made absolute against the base URL and anything but http(s), mailto,
 * tel and ftp URLs is dropped (so no javascript:, vbscript: or data:); every link gets
 * rel="noopener noreferrer nofollow". The output is built by our own serialiser from libxml2's
 * tree, so attribute quoting and escaping are ours, not the input's.
 */
#include <string.h>
#include <strings.h>

#include "extract/sanitize.h"
#include "extract/tree.h"

/* Tags kept as they are, sorted (bsearch). */
static const char *const kept_tags[] = {
	"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
	"dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
	"img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
	"strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
};

/* Tags dropped with everything inside, sorted. */
static const char *const dropped_tags[] = {
	"applet", "base", "basefont", "button", "datalist", "dialog", "fieldset", "form", "frame",
	"frameset", "head", "iframe", "input", "isindex", "keygen", "link", "math", "menu", "meta",
	"noembed", "noframes", "noscript", "optgroup", "option", "param", "plaintext", "script",
	"select", "style", "svg", "template", "textarea", "title", "xmp",
};

/* Sectioning and other block tags written as a plain <div> (no attributes), sorted; any other
 * unknown tag (font, object, embed, video, custom elements) is unwrapped: its children stay,
 * the tag goes (libxml2 may nest following content inside an <embed>). */
static const char *const div_tags[] = {
	"address", "article", "aside", "center", "details", "footer", "header", "hgroup", "main",
	"nav", "section", "summary",
};

/* cmp_name: bsearch comparator over an array of names. */
static int cmp_name(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

/* in_list: name is one of the sorted names. */
static bool in_list(const xmlChar *name, const char *const *list, size_t n)
{
	return name && bsearch(name, list, n, sizeof *list, cmp_name) != NULL;
}

#define KEPT(name) in_list((name), kept_tags, sizeof kept_tags / sizeof *kept_tags)
#define DROPPED(name) in_list((name), dropped_tags, sizeof dropped_tags / sizeof *dropped_tags)
#define AS_DIV(name) in_list((name), div_tags, sizeof div_tags / sizeof *div_tags)

/* is_void: elements with no end tag. */
static bool is_void(const xmlChar *name)
{
	return !strcmp((const char *)name, "br") || !strcmp((const char *)name, "hr") ||
	       !strcmp((const char *)name, "img");
}

/* add_attr: write ` name="value"` with the value escaped. */
static void add_attr(struct buf *out, const char *name, const char *value, size_t n)
{
	buf_addc(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	html_escape(out, value, n);
	buf_addc(out, '"');
}

/* add_url_attr: write a URL attribute made absolute; false when the URL is not allowed. */
static bool add_url_attr(struct buf *out, const char *name, const char *url, const char *base)
{
	struct buf u;
	buf_init(&u, 1 << 16);
	bool ok = url && url_resolve(&u, url, base) && u.n > 0;
	if (ok)
		add_attr(out, name, u.p, u.n);
	buf_release(&u);
	return ok;
}

/* plain_attr: copy attribute name of e when present and short. */
static void plain_attr(struct buf *out, xmlNodePtr e, const char *name)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "data:" };
	const char *v = node_attr(e, name);
	if (!v || strlen(v) >= 2048)
		return;
	/* text that reads as a script URL is not worth keeping anywhere */
	const char *t = v;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	for (size_t k = 0; k < sizeof schemes / sizeof *schemes; k++)
		if (strncasecmp(t, schemes[k], strlen(schemes[k])) == 0)
			return;
	add_attr(out, name, v, strlen(v));
}

/* token_attr: copy attribute name only when its value is a short token of letters, digits and
 * '-' (a language tag, a number): such attributes never need anything else, and a value like
 * "javascript:…" in them is an attack or garbage (a fuzz finding). */
static void token_attr(struct buf *out, xmlNodePtr e, const char *name)
{
	const char *v = node_attr(e, name);
	if (!v)
		return;
	size_t n = strlen(v);
	if (n == 0 || n > 35)
		return;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9') ||
		      v[i] == '-'))
			return;
	add_attr(out, name, v, n);
}

/* image_source: the image URL of an <img>, preferring a lazy-loading attribute when src is
 * missing or a data: placeholder. */
static const char *image_source(xmlNodePtr e)
{
	const char *src = node_attr(e, "src");
	if (src && *src && strncasecmp(src, "data:", 5) != 0)
		return src;
	static const char *const lazy[] = { "data-src", "data-original", "data-lazy-src", "data-url" };
	for (size_t k = 0; k < sizeof lazy / sizeof *lazy; k++) {
		const char *v = node_attr(e, lazy[k]);
		if (v && *v)
			return v;
	}
	return src;
}

/* open_tag: write the start tag of kept element e with its allowed attributes; false when the
 * element is dropped after all (an image without a usable source). */
static bool open_tag(struct buf *out, xmlNodePtr e, const char *base)
{
	const char *name = (const char *)e->name;
	size_t mark = out->n;
	buf_addc(out, '<');
	buf_adds(out, name);
	if (!strcmp(name, "a")) {
		if (add_url_attr(out, "href", node_attr(e, "href"), base))
			buf_adds(out, " rel=\"noopener noreferrer nofollow\"");
		plain_attr(out, e, "title");
	} else if (!strcmp(name, "img")) {
		if (!add_url_attr(out, "src", image_source(e), base)) {
			out->n = mark;
			out->p[mark] = '\0';
			return false;
		}
		plain_attr(out, e, "alt");
		plain_attr(out, e, "title");
		token_attr(out, e, "width");
		token_attr(out, e, "height");
	} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
		token_attr(out, e, "colspan");
		token_attr(out, e, "rowspan");
	} else if (!strcmp(name, "time")) {
		plain_attr(out, e, "datetime");
	} else if (!strcmp(name, "ol")) {
		token_attr(out, e, "start");
	} else if (!strcmp(name, "blockquote") || !strcmp(name, "q")) {
		add_url_attr(out, "cite", node_attr(e, "cite"), base);
	}
	const char *dir = node_attr(e, "dir");
	if (dir && (!strcasecmp(dir, "rtl") || !strcasecmp(dir, "ltr") || !strcasecmp(dir, "auto")))
		add_attr(out, "dir", dir, strlen(dir));
	token_attr(out, e, "lang");
	buf_addc(out, '>');
	return true;
}

/* What the lists above say of a tag name (kind_of). */
enum { TAG_KEPT = 1, TAG_DROPPED = 2, TAG_AS_DIV = 4, TAG_VOID = 8 };

/* The kinds of the names met in one sanitize_children call, by the name's pointer (a tree's
 * names are shared strings: a page has a few dozen), direct-mapped. */
#define KIND_SLOTS 64
struct kinds {
	const xmlChar *name[KIND_SLOTS];
	unsigned char kind[KIND_SLOTS];
};

/* kind_of: the TAG_* bits of the element name (not NULL), through the cache. */
static unsigned kind_of(struct kinds *c, const xmlChar *name)
{
	size_t h = ((uintptr_t)name >> 3) % KIND_SLOTS;
	if (c->name[h] == name)
		return c->kind[h];
	unsigned k = (KEPT(name) ? TAG_KEPT : 0) | (DROPPED(name) ? TAG_DROPPED : 0) |
		     (AS_DIV(name) ? TAG_AS_DIV : 0) | (is_void(name) ? TAG_VOID : 0);
	c->name[h] = name;
	c->kind[h] = (unsigned char)k;
	return k;
}

/* leave: after the subtree of e: its end tag when it was written. */
static void leave(struct buf *out, struct kinds *kinds, xmlNodePtr e, xmlNodePtr skipped_img)
{
	if (e->type != XML_ELEMENT_NODE || e == skipped_img)
		return;
	unsigned k = kind_of(kinds, e->name);
	if ((k & TAG_KEPT) && !(k & TAG_VOID)) {
		buf_adds(out, "</");
		buf_adds(out, (const char *)e->name);
		buf_addc(out, '>');
	} else if (k & TAG_AS_DIV) {
		buf_adds(out, "</div>");
	}
}

void sanitize_children(xmlNodePtr root, const char *base, struct buf *out)
{
	struct kinds kinds;
	memset(&kinds, 0, sizeof kinds);
	xmlNodePtr cur = root ? root->children : NULL;
	while (cur) {
		bool descend = false;
		xmlNodePtr skipped = NULL;
		unsigned k = cur->type == XML_ELEMENT_NODE ? kind_of(&kinds, cur->name) : 0;
		if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
			if (cur->content)
				html_escape(out, (const char *)cur->content, strlen((const char *)cur->content));
		} else if (cur->type == XML_ELEMENT_NODE && !(k & TAG_DROPPED)) {
			if (k & TAG_KEPT) {
				if (!open_tag(out, cur, base))
					skipped = cur;
			} else if (k & TAG_AS_DIV) {
				buf_adds(out, "<div>");
			}
			descend = cur->children != NULL && !(k & TAG_VOID);
		}
		if (descend) {
			cur = cur->children;
			continue;
		}
		if (cur->type == XML_ELEMENT_NODE && !(k & TAG_DROPPED))
			leave(out, &kinds, cur, skipped);
		while (cur != root && !cur->next) {
			cur = cur->parent;
			if (cur == root || !cur)
				return;
			leave(out, &kinds, cur, NULL);
		}
		if (cur == root)
			return;
		cur = cur->next;
	}
}

enum ch_status extract_sanitize_html(const char *html, size_t n, const char *base_url,
				     struct buf *out, struct ch_error *err)
{
	struct buf in;
	buf_init(&in, EXTRACT_MAX_MARKUP + 64);
	enum ch_status st = buf_adds(&in, "<html><body>");
	if (st == CH_OK)
		st = utf8_repair(&in, html, n < EXTRACT_MAX_MARKUP ? n : EXTRACT_MAX_MARKUP);
	if (st != CH_OK) {
		buf_release(&in);
		return ch_fail(err, st, "cannot sanitise fragment: %s", ch_status_name(st));
	}
	xmlDocPtr doc = extract_parse_html(in.p, in.n, 0);
	buf_release(&in);
	if (!doc)
		return ch_fail(err, CH_ERR_NOMEM, "cannot parse fragment");
	xmlNodePtr root = xmlDocGetRootElement(doc), body = NULL;
	for (xmlNodePtr c = first_element_child(root); c; c = next_element_sibling(c))
		if (is_tag(c, "body"))
			body = c;
	/* written to a scratch buf first: a fragment cut short by out's limit could end inside an
	 * attribute, so a fragment that does not fit whole is not written at all */
	struct buf tmp;
	buf_init(&tmp, out->limit == BUF_NO_LIMIT ? BUF_NO_LIMIT : out->limit - out->n);
	if (body)
		sanitize_children(body, base_url, &tmp);
	extract_free_doc(doc);
	bool full = tmp.limit != BUF_NO_LIMIT && tmp.n + 64 > tmp.limit;
	st = full ? CH_ERR_LIMIT : buf_add(out, tmp.p ? tmp.p : "", tmp.n);
	buf_release(&tmp);
	if (st != CH_OK)
		return ch_fail(err, st, "sanitised fragment does not fit: %s", ch_status_name(st));
	return CH_OK;
}
