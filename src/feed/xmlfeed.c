/*
 * xmlfeed.c — RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 on libxml2's tree. The document
 * is cleaned (xmlfix.c), parsed in recovery mode with network access off and every message
 * silenced, and walked once. Elements are recognised by namespace (or, when a feed forgot to
 * declare one, by its usual prefix) and local name, case-insensitively, so one walker serves
 * every dialect the way python3-feedparser — the reference chapar is measured against —
 * does: the same element names, the same "which value wins" rules, the same text/HTML guess.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include "feed/parse_internal.h"

/* ---------------------------------------------------------------------------------------------
 * libxml2 set-up
 * ------------------------------------------------------------------------------------------- */

/* silent_generic: swallow libxml2's generic error messages. */
static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* silent_structured: swallow libxml2's structured errors. */
static void silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

/* init_once: xmlInitParser is not safe to race. */
static void init_once(void)
{
	xmlInitParser();
}

void feed_libxml_init(void)
{
	pthread_once(&libxml_once, init_once);
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
}

/* ---------------------------------------------------------------------------------------------
 * Element names
 * ------------------------------------------------------------------------------------------- */

enum ns { NS_CORE, NS_DC, NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_ITUNES, NS_RDF, NS_XHTML, NS_OTHER };

static const struct { const char *uri; enum ns ns; } ns_uris[] = {
	{ "http://www.w3.org/2005/Atom", NS_CORE },
	{ "http://purl.org/atom/ns#", NS_CORE },
	{ "http://purl.org/rss/1.0/", NS_CORE },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_CORE },
	{ "http://backend.userland.com/rss2", NS_CORE },
	{ "http://backend.userland.com/rss", NS_CORE },
	{ "http://blogs.law.harvard.edu/tech/rss", NS_CORE },
	{ "http://purl.org/net/rss1.1#", NS_CORE },
	{ "http://purl.org/dc/elements/1.1/", NS_DC },
	{ "http://purl.org/dc/elements/1.0/", NS_DC },
	{ "http://purl.org/dc/terms/", NS_DCTERMS },
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA },
	{ "http://search.yahoo.com/mrss", NS_MEDIA },
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML },
};

static const struct { const char *prefix; enum ns ns; } ns_prefixes[] = {
	{ "dc", NS_DC }, { "dcterms", NS_DCTERMS }, { "content", NS_CONTENT },
	{ "media", NS_MEDIA }, { "itunes", NS_ITUNES }, { "rdf", NS_RDF }, { "atom", NS_CORE },
	{ "xhtml", NS_XHTML },
};

/* ns_of_prefix: the namespace a conventional prefix p[0..n) stands for; NS_OTHER if none. */
static enum ns ns_of_prefix(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof ns_prefixes / sizeof *ns_prefixes; i++)
		if (strlen(ns_prefixes[i].prefix) == n && strncasecmp(p, ns_prefixes[i].prefix, n) == 0)
			return ns_prefixes[i].ns;
	return NS_OTHER;
}

/* name_of: the namespace and local name of element n. */
static enum ns name_of(xmlNodePtr n, const char **local)
{
	const char *name = (const char *)n->name;
	*local = name;
	if (n->ns && n->ns->href) {
		const char *uri = (const char *)n->ns->href;
		for (size_t i = 0; i < sizeof ns_uris / sizeof *ns_uris; i++)
			if (strcasecmp(uri, ns_uris[i].uri) == 0)
				return ns_uris[i].ns;
		if (n->ns->prefix)
			return ns_of_prefix((const char *)n->ns->prefix,
					    strlen((const char *)n->ns->prefix));
		return NS_OTHER;
	}
	const char *colon = strchr(name, ':');
	if (colon) { /* a prefix nobody declared */
		*local = colon + 1;
		return ns_of_prefix(name, (size_t)(colon - name));
	}
	return NS_CORE;
}

/* is: element n is ns:local (local compared without regard to case). */
static bool is(enum ns have, const char *have_local, enum ns want, const char *want_local)
{
	return have == want && (have_local[0] | 0x20) == (want_local[0] | 0x20) &&
	       strcasecmp(have_local, want_local) == 0;
}

/* attr: the value of attribute name (any namespace) on n, or NULL; libxml2 owns nothing we
 * return: the pointer is into the tree (the text child of the attribute) when simple. */
static const char *attr(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
	return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The walker
 * ------------------------------------------------------------------------------------------- */

struct walker {
	struct feed *f;
	struct arena *a;
	xmlDocPtr doc;
	bool atom;      /* the root is an Atom <feed>: no text/HTML guessing */
	bool has_base;  /* a base URL or xml:base exists, so links may need resolving */
	bool utf8;      /* the document was UTF-8: undo double-encoded text */
	struct buf raw, out;
	struct entry_list entries;
};

enum text_type { TT_TEXT, TT_HTML, TT_GUESS };

/* is_base64: Atom content that holds base64: mode="base64", or a type that is neither text
 * nor XML (RFC 4287 §4.1.3.3). */
static bool is_base64(xmlNodePtr n)
{
	const char *mode = attr(n, "mode"), *type;
	if (mode)
		return strcasecmp(mode, "base64") == 0;
	if (!(type = attr(n, "type")) || !strchr(type, '/'))
		return false;
	size_t len = strlen(type);
	return strncasecmp(type, "text/", 5) != 0 &&
	       !(len >= 4 && strcasecmp(type + len - 4, "+xml") == 0) &&
	       !(len >= 4 && strcasecmp(type + len - 4, "/xml") == 0);
}

/* base64_decode_in_place: decode b as base64 (whitespace skipped); b is left as it was when
 * it is not base64 or does not decode to UTF-8 text. */
static void base64_decode_in_place(struct buf *b)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	if (b->n == 0)
		return;
	char *tmp = malloc(b->n + 1);
	if (!tmp)
		return;
	for (size_t i = 0; i < b->n; i++) {
		char c = b->p[i];
		if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		const char *p = c ? strchr(alphabet, c) : NULL;
		if (!p) {
			free(tmp);
			return;
		}
		acc = (acc << 6) | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			tmp[o++] = (char)((acc >> bits) & 0xFF);
		}
	}
	if (utf8_valid(tmp, o)) {
		memcpy(b->p, tmp, o);
		b->n = o;
		b->p[o] = '\0';
	}
	free(tmp);
}

/* inner: append the contents of n to w->raw: the text when n holds only text (CDATA merged),
 * else the children serialised as markup (so entities stay escaped). Returns true for markup. */
static bool inner(struct walker *w, xmlNodePtr n)
{
	buf_reset(&w->raw);
	bool markup = false;
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			markup = true;
	if (!markup) {
		for (xmlNodePtr c = n->children; c; c = c->next)
			if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
				buf_adds(&w->raw, (const char *)c->content);
		if (is_base64(n))
			base64_decode_in_place(&w->raw);
		return false;
	}
	xmlBufferPtr xb = xmlBufferCreate();
	if (!xb)
		return true;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_CDATA_SECTION_NODE && c->content)
			xmlBufferCat(xb, c->content); /* already HTML by intent */
		else if (c->type != XML_COMMENT_NODE)
			xmlNodeDump(xb, w->doc, c, 0, 0);
	}
	buf_add(&w->raw, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return true;
}

/* type_of: the text type an element declares (Atom type=, RSS content rules), defaulting to
 * dflt. */
static enum text_type type_of(xmlNodePtr n, enum text_type dflt)
{
	const char *t = attr(n, "type");
	if (!t)
		return dflt;
	if (strcasecmp(t, "html") == 0 || strcasecmp(t, "text/html") == 0 ||
	    strcasecmp(t, "xhtml") == 0 || strcasecmp(t, "application/xhtml+xml") == 0)
		return TT_HTML;
	if (strcasecmp(t, "text") == 0 || strcasecmp(t, "text/plain") == 0)
		return dflt == TT_GUESS ? TT_GUESS : TT_TEXT;
	return dflt;
}


/* fix_mojibake: in place on b: UTF-8 that was once read as Latin-1 and re-encoded (every code
 * point below U+0100, and their low bytes forming valid multi-byte UTF-8) is decoded once more;
 * C1 controls become their windows-1252 characters. */
static void fix_mojibake(struct buf *b)
{
	bool any_high = false, latin_only = true;
	for (size_t i = 0; i < b->n; i++) {
		unsigned char c = (unsigned char)b->p[i];
		if (c >= 0x80) {
			any_high = true;
			if (c != 0xC2 && c != 0xC3) {
				latin_only = false;
				break;
			}
			i++;
		}
	}
	if (!any_high)
		return;
	if (latin_only) {
		/* the Latin-1 bytes the text would have as ISO-8859-1 */
		char *tmp = malloc(b->n + 1);
		if (!tmp)
			return;
		size_t m = 0;
		for (size_t i = 0; i < b->n; i++) {
			unsigned char c = (unsigned char)b->p[i];
			if (c >= 0x80 && i + 1 < b->n) {
				tmp[m++] = (char)(((c & 0x03) << 6) | ((unsigned char)b->p[i + 1] & 0x3F));
				i++;
			} else {
				tmp[m++] = (char)c;
			}
		}
		if (utf8_valid(tmp, m)) {
			memcpy(b->p, tmp, m);
			b->n = m;
			b->p[m] = '\0';
			free(tmp);
			return;
		}
		free(tmp);
	}
	/* C1 controls (C2 80–C2 9F) to windows-1252 */
	if (!memchr(b->p, 0xC2, b->n))
		return;
	struct buf fixed;
	buf_init(&fixed, BUF_NO_LIMIT);
	for (size_t i = 0; i < b->n; i++) {
		unsigned char c = (unsigned char)b->p[i];
		unsigned char d = i + 1 < b->n ? (unsigned char)b->p[i + 1] : 0;
		if (c == 0xC2 && d >= 0x80 && d < 0xA0 && feed_cp1252_c1[d - 0x80]) {
			utf8_add(&fixed, feed_cp1252_c1[d - 0x80]);
			i++;
		} else {
			buf_addc(&fixed, (char)c);
		}
	}
	buf_release(b);
	*b = fixed;
}

/* to_text: the plain text of element n (type t), as an arena string; NULL when empty. */
static const char *to_text(struct walker *w, xmlNodePtr n, enum text_type t)
{
	bool markup = inner(w, n);
	buf_reset(&w->out);
	bool html = t == TT_HTML || markup ||
		    (t == TT_GUESS && feed_looks_html(buf_str(&w->raw), w->raw.n));
	if (html)
		feed_html_to_text(&w->out, buf_str(&w->raw), w->raw.n);
	if (!html || (t == TT_GUESS && !markup && w->out.n == 0)) /* "</x>" guessed wrong */
		feed_collapse_ws(&w->out, buf_str(&w->raw), w->raw.n);
	if (w->utf8)
		fix_mojibake(&w->out);
	return w->out.n ? arena_strndup(w->a, w->out.p, w->out.n) : NULL;
}

/* uri_escape: append s with the bytes a URI may not hold raw (non-ASCII, space, controls,
 * "<>\^`{|}) percent-encoded. */
static void uri_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || c <= ' ' || strchr("\"<>\\^`{|}", c))
			buf_addf(out, "%%%02X", c);
		else
			buf_addc(out, (char)c);
	}
}

/* hex_value: the value of a hex digit, -1 for anything else. */
static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* valid_url: url (malloc'd, consumed) with every byte that is not part of valid UTF-8
 * percent-escaped, malloc'd (caller frees). libxml2 decodes a stray escape such as the %fa of
 * "https://www%farsnews.ir/" into a lone byte (a fuzz finding). */
static char *valid_url(char *url)
{
	size_t n = url ? strlen(url) : 0;
	if (!url || utf8_valid(url, n))
		return url;
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		bool bad = false;
		size_t len = utf8_decode(url + i, n - i, &cp, &bad);
		if (bad)
			buf_addf(&b, "%%%02X", (unsigned char)url[i]);
		else
			buf_add(&b, url + i, len);
		i += len;
	}
	free(url);
	return buf_detach(&b, NULL);
}

/* build_uri: rel resolved against base (RFC 3986), malloc'd (caller frees), NULL when it
 * cannot be. libxml2 refuses raw non-ASCII, so Persian paths ("/news/خبر") are escaped for
 * it and their bytes decoded again after, keeping the IRI as the feed wrote it. */
static char *build_uri(const char *rel, const char *base)
{
	xmlChar *abs = xmlBuildURI((const xmlChar *)rel, (const xmlChar *)base);
	if (abs) {
		char *r = strdup((const char *)abs);
		xmlFree(abs);
		return valid_url(r);
	}
	struct buf er, eb;
	buf_init(&er, BUF_NO_LIMIT);
	buf_init(&eb, BUF_NO_LIMIT);
	uri_escape(&er, rel);
	uri_escape(&eb, base);
	abs = xmlBuildURI((const xmlChar *)buf_str(&er), (const xmlChar *)buf_str(&eb));
	buf_release(&er);
	buf_release(&eb);
	if (!abs)
		return NULL;
	/* decode the escapes of non-ASCII bytes back into UTF-8 (unless that would not be
	 * UTF-8: then the escaped form stays) */
	char *r = strdup((const char *)abs);
	if (!r) {
		xmlFree(abs);
		return NULL;
	}
	size_t o = 0;
	for (size_t i = 0; r[i]; i++) {
		int hi, lo;
		if (r[i] == '%' && (hi = hex_value(r[i + 1])) >= 8 && (lo = hex_value(r[i + 2])) >= 0) {
			r[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			r[o++] = r[i];
		}
	}
	r[o] = '\0';
	if (!utf8_valid(r, o)) {
		free(r);
		r = strdup((const char *)abs);
	}
	xmlFree(abs);
	return valid_url(r);
}

/* is_absolute: url starts with a scheme ("http:", "mailto:") or is a fragment/data URL. */
static bool is_absolute(const char *u, size_t n)
{
	size_t i = 0;
	while (i < n && ((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
			 (i > 0 && ((u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '-' ||
				    u[i] == '.'))))
		i++;
	return (i > 0 && i < n && u[i] == ':') || (n > 0 && u[0] == '#');
}

/* resolve_html: append html to out with each relative href= and src= value made absolute
 * against base (xml:base scoping reaches into embedded HTML, as the Atom spec says). */
static void resolve_html(struct buf *out, const char *html, size_t n, const xmlChar *base)
{
	size_t i = 0, run = 0;
	while (i + 5 < n) {
		size_t name = 0;
		char c = html[i];
		if ((c == 'h' || c == 'H') && strncasecmp(html + i, "href=", 5) == 0)
			name = 5;
		else if ((c == 's' || c == 'S') && strncasecmp(html + i, "src=", 4) == 0)
			name = 4;
		if (!name || i == 0 || !(html[i - 1] == ' ' || html[i - 1] == '\t' ||
					 html[i - 1] == '\n' || html[i - 1] == '\r')) {
			i++;
			continue;
		}
		size_t v = i + name;
		char q = v < n ? html[v] : 0;
		if (q != '"' && q != '\'') {
			i = v;
			continue;
		}
		const char *end = memchr(html + v + 1, q, n - v - 1);
		if (!end) {
			i = v;
			continue;
		}
		size_t vs = v + 1, ve = (size_t)(end - html);
		if (ve > vs && !is_absolute(html + vs, ve - vs)) {
			char *rel = strndup(html + vs, ve - vs);
			char *abs = rel ? build_uri(rel, (const char *)base) : NULL;
			if (abs) {
				buf_add(out, html + run, vs - run);
				buf_adds(out, (const char *)abs);
				run = ve;
				free(abs);
			}
			free(rel);
		}
		i = ve + 1;
	}
	buf_add(out, html + run, n - run);
}

/* to_html: the HTML of element n (type t): markup as written (relative links resolved when
 * a base is known), plain text escaped. */
static const char *to_html(struct walker *w, xmlNodePtr n, enum text_type t, bool *is_html)
{
	bool markup = inner(w, n);
	struct slice s = slice_trim(buf_slice(&w->raw));
	if (!s.n)
		return NULL;
	bool html = t == TT_HTML || markup || (t == TT_GUESS && feed_looks_html(s.p, s.n));
	*is_html = html;
	if (html && w->has_base) {
		xmlChar *base = xmlNodeGetBase(w->doc, n);
		if (base) {
			buf_reset(&w->out);
			resolve_html(&w->out, s.p, s.n, base);
			xmlFree(base);
			return arena_strndup(w->a, buf_str(&w->out), w->out.n);
		}
	}
	if (html)
		return arena_strndup(w->a, s.p, s.n);
	buf_reset(&w->out);
	html_escape(&w->out, s.p, s.n);
	return arena_strndup(w->a, w->out.p, w->out.n);
}

/* plain: the trimmed text of n (no HTML handling), as an arena string; NULL when empty. */
static const char *plain(struct walker *w, xmlNodePtr n)
{
	inner(w, n);
	struct slice s = slice_trim(buf_slice(&w->raw));
	return s.n ? arena_strndup(w->a, s.p, s.n) : NULL;
}

/* resolve: url (trimmed) made absolute against n's base (xml:base and the document URL) when
 * there is one; an arena string, NULL for an empty url. */
static const char *resolve(struct walker *w, xmlNodePtr n, const char *url)
{
	if (!url)
		return NULL;
	struct slice s = slice_trim(slice_from(url));
	if (!s.n)
		return NULL;
	char *u = arena_strndup(w->a, s.p, s.n);
	if (!w->has_base || !u)
		return u;
	xmlChar *base = xmlNodeGetBase(w->doc, n);
	if (!base)
		return u;
	char *abs = build_uri(u, (const char *)base);
	xmlFree(base);
	if (!abs)
		return u;
	const char *r = arena_strdup(w->a, abs);
	free(abs);
	return r;
}

/* date_of: the date in n's text, 0 when it has none or it cannot be read. */
static int64_t date_of(struct walker *w, xmlNodePtr n)
{
	inner(w, n);
	int64_t t;
	return feed_parse_date(buf_str(&w->raw), &t) == CH_OK ? t : 0;
}

/* is_html_type: an alternate link's type names an HTML page (absent counts as HTML). */
static bool is_html_type(const char *t)
{
	return !t || strcasecmp(t, "text/html") == 0 || strcasecmp(t, "html") == 0 ||
	       strcasecmp(t, "application/xhtml+xml") == 0 || strcasecmp(t, "xhtml") == 0;
}

/* length_of: a positive byte count from an attribute, -1 otherwise. */
static int64_t length_of(const char *s)
{
	if (!s)
		return -1;
	char *end;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	return end != s && !*end && v > 0 ? (int64_t)v : -1;
}

/* ---------------------------------------------------------------------------------------------
 * Entries
 * ------------------------------------------------------------------------------------------- */

/* What an entry has seen so far, for the reference's "which value wins" rules: a value found
 * at a shallower or equal depth replaces one found deeper (titles: the first at the
 * shallowest depth wins); links and dates: the last wins. */
struct entry_state {
	struct feed_entry *e;
	int title_depth, id_depth, summary_depth;
	bool author_structured; /* the author came from an Atom <name> */
	const char *guid_link;  /* a permalink guid, used when there is no <link> */
	bool have_link;
	bool has_content;       /* a content element was seen (description then means content) */
	int64_t published, updated;
	const char *summary;
	const char *content;
	bool content_html;
	struct feed_enclosure *media; /* media:content, listed after the enclosures */
	size_t n_media;
	xmlNodePtr nested[8]; /* items wrongly nested inside this one: entries of their own */
	size_t n_nested;
};

/* author_text: the name of an author element: Atom's <name> (else <email>; *structured is
 * set), or the element's text. */
static const char *author_text(struct walker *w, xmlNodePtr n, bool *structured)
{
	const char *name = NULL, *email = NULL;
	*structured = false;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *local;
		enum ns ns = name_of(c, &local);
		if ((ns == NS_CORE || ns == NS_ITUNES) && strcasecmp(local, "name") == 0) {
			name = to_text(w, c, TT_TEXT);
			*structured = true;
		} else if ((ns == NS_CORE || ns == NS_ITUNES) && strcasecmp(local, "email") == 0) {
			email = to_text(w, c, TT_TEXT);
			*structured = true;
		}
	}
	if (*structured)
		return name ? name : email;
	return to_text(w, n, TT_GUESS);
}

/* take_summary: description/summary seen at depth; before any content element it is the
 * summary, after a summary already exists it counts as content (the reference's rule). */
static void take_summary(struct walker *w, struct entry_state *s, xmlNodePtr c, int depth,
			 enum text_type dflt)
{
	if (s->summary && !s->has_content) {
		s->has_content = true;
		if (!s->content) {
			bool html = false;
			s->content = to_html(w, c, type_of(c, w->atom ? TT_TEXT : TT_GUESS), &html);
			s->content_html = html;
		}
		return;
	}
	if (s->summary_depth >= 0 && depth > s->summary_depth)
		return;
	const char *t = to_text(w, c, type_of(c, dflt));
	if (t || !s->summary) {
		s->summary = t ? t : "";
		s->summary_depth = depth;
	}
}

/* take_content: content:encoded, Atom content, xhtml:body. The first one is the content; it
 * also becomes the summary when there is none yet. */
static void take_content(struct walker *w, struct entry_state *s, xmlNodePtr c, enum text_type dflt)
{
	s->has_content = true;
	enum text_type t = type_of(c, dflt);
	const char *type = attr(c, "type");
	bool textual = !type || t != dflt || strcasecmp(type, "text") == 0 ||
		       strcasecmp(type, "text/plain") == 0;
	if (s->content)
		return;
	bool html = false;
	const char *h = to_html(w, c, t, &html);
	if (!h)
		return;
	s->content = h;
	s->content_html = html;
	if (textual && !s->summary) {
		buf_reset(&w->out);
		if (html)
			feed_html_to_text(&w->out, h, strlen(h));
		else
			feed_collapse_ws(&w->out, buf_str(&w->raw), w->raw.n);
		s->summary = arena_strndup(w->a, w->out.p ? w->out.p : "", w->out.n);
		s->summary_depth = 1 << 20;
	}
}

/* media_add: remember a media:content enclosure. */
static void media_add(struct walker *w, struct entry_state *s, xmlNodePtr c)
{
	const char *url = resolve(w, c, attr(c, "url"));
	if (!url || s->n_media >= FEED_MAX_LIST)
		return;
	struct feed_enclosure *v = arena_alloc(w->a, (s->n_media + 1) * sizeof *v);
	if (!v)
		return;
	if (s->n_media)
		memcpy(v, s->media, s->n_media * sizeof *v);
	const char *len = attr(c, "fileSize");
	v[s->n_media].url = url;
	v[s->n_media].type = arena_strdup(w->a, attr(c, "type"));
	v[s->n_media].length = length_of(len ? len : attr(c, "filesize"));
	s->media = v;
	s->n_media++;
}

/* category_add: a category, tag or subject: the term attribute, else the text. */
static void category_add(struct walker *w, struct feed_entry *e, xmlNodePtr c)
{
	const char *term = attr(c, "term");
	const char *t = NULL;
	if (term && *term) {
		buf_reset(&w->out);
		feed_collapse_ws(&w->out, term, strlen(term));
		t = w->out.n ? arena_strndup(w->a, w->out.p, w->out.n) : NULL;
	}
	if (!t)
		t = to_text(w, c, TT_TEXT);
	str_list_add(w->a, &e->categories, &e->n_categories, t);
}

/* keywords_add: media:keywords, a comma-separated list of tags. */
static void keywords_add(struct walker *w, struct feed_entry *e, xmlNodePtr c)
{
	const char *all = to_text(w, c, TT_TEXT);
	while (all && *all) {
		const char *comma = strchr(all, ',');
		size_t len = comma ? (size_t)(comma - all) : strlen(all);
		struct slice t = slice_trim((struct slice){ all, len });
		if (t.n)
			str_list_add(w->a, &e->categories, &e->n_categories,
				     arena_strndup(w->a, t.p, t.n));
		all = comma ? comma + 1 : NULL;
	}
}

/* entry_children: handle the children of an item/entry (or of a media:group inside one). */
static void entry_children(struct walker *w, struct entry_state *s, xmlNodePtr parent, int depth)
{
	struct feed_entry *e = s->e;
	for (xmlNodePtr c = parent->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *l;
		enum ns ns = name_of(c, &l);
		if (is(ns, l, NS_CORE, "title") || is(ns, l, NS_DC, "title") ||
		    is(ns, l, NS_MEDIA, "title")) {
			if (s->title_depth >= 0 && s->title_depth <= depth)
				continue;
			const char *t = to_text(w, c, type_of(c, w->atom ? TT_TEXT : TT_GUESS));
			if (t) {
				e->title = t;
				s->title_depth = depth;
			}
		} else if (is(ns, l, NS_CORE, "link")) {
			const char *href = attr(c, "href");
			if (href) {
				const char *rel = attr(c, "rel");
				if (!rel || strcasecmp(rel, "alternate") == 0) {
					if (is_html_type(attr(c, "type")))
						e->link = resolve(w, c, href);
				} else if (strcasecmp(rel, "enclosure") == 0) {
					enclosure_add(w->a, e, resolve(w, c, href),
						      arena_strdup(w->a, attr(c, "type")),
						      length_of(attr(c, "length")));
				}
			} else {
				inner(w, c);
				e->link = resolve(w, c, buf_str(&w->raw));
				s->have_link = true;
			}
		} else if (is(ns, l, NS_CORE, "guid") || is(ns, l, NS_CORE, "id")) {
			if (s->id_depth >= 0 && depth > s->id_depth)
				continue;
			const char *perm = attr(c, "isPermaLink");
			bool permalink = !perm || strcmp(perm, "true") == 0;
			const char *v = w->has_base && permalink ? resolve(w, c, plain(w, c)) : plain(w, c);
			e->id = v;
			s->id_depth = depth;
			if (permalink && is(ns, l, NS_CORE, "guid") && !e->link && !s->guid_link)
				s->guid_link = v;
		} else if (is(ns, l, NS_CORE, "pubDate") || is(ns, l, NS_CORE, "published") ||
			   is(ns, l, NS_CORE, "issued") || is(ns, l, NS_DCTERMS, "issued")) {
			s->published = date_of(w, c);
		} else if (is(ns, l, NS_CORE, "updated") || is(ns, l, NS_CORE, "modified") ||
			   is(ns, l, NS_DC, "date") || is(ns, l, NS_DCTERMS, "modified") ||
			   is(ns, l, NS_CORE, "lastBuildDate")) {
			s->updated = date_of(w, c);
		} else if (is(ns, l, NS_CORE, "author") || is(ns, l, NS_DC, "creator") ||
			   is(ns, l, NS_DC, "author") || is(ns, l, NS_ITUNES, "author")) {
			/* a structured name replaces what came before; a plain author string
			 * only fills an empty place (the reference keeps the first) */
			bool structured;
			const char *a = author_text(w, c, &structured);
			if (a && (structured || !e->author)) {
				if (!(s->author_structured && !structured))
					e->author = a;
				s->author_structured |= structured;
			}
		} else if (is(ns, l, NS_CORE, "description") || is(ns, l, NS_DC, "description") ||
			   is(ns, l, NS_MEDIA, "description")) {
			take_summary(w, s, c, depth, TT_HTML);
		} else if (is(ns, l, NS_CORE, "summary") || is(ns, l, NS_ITUNES, "summary")) {
			take_summary(w, s, c, depth, w->atom ? TT_TEXT : TT_GUESS);
		} else if (is(ns, l, NS_CONTENT, "encoded") || is(ns, l, NS_CORE, "fullitem")) {
			take_content(w, s, c, TT_HTML);
		} else if (is(ns, l, NS_CORE, "content")) {
			take_content(w, s, c, w->atom ? TT_TEXT : TT_GUESS);
		} else if (is(ns, l, NS_XHTML, "body")) {
			take_content(w, s, c, TT_HTML);
		} else if (is(ns, l, NS_CORE, "category") || is(ns, l, NS_DC, "subject") ||
			   is(ns, l, NS_MEDIA, "category")) {
			category_add(w, e, c);
		} else if (is(ns, l, NS_MEDIA, "thumbnail")) {
			if (!e->image)
				e->image = resolve(w, c, attr(c, "url"));
		} else if (is(ns, l, NS_MEDIA, "keywords")) {
			keywords_add(w, e, c);
		} else if (is(ns, l, NS_CORE, "enclosure")) {
			const char *url = attr(c, "url");
			enclosure_add(w->a, e, resolve(w, c, url ? url : attr(c, "href")),
				      arena_strdup(w->a, attr(c, "type")), length_of(attr(c, "length")));
			if (c->children && depth < 8)
				entry_children(w, s, c, depth + 1);
		} else if (is(ns, l, NS_MEDIA, "content")) {
			media_add(w, s, c);
			if (depth < FEED_MAX_DEPTH)
				entry_children(w, s, c, depth + 1);
		} else if (is(ns, l, NS_CORE, "item") || is(ns, l, NS_CORE, "entry")) {
			if (s->n_nested < sizeof s->nested / sizeof *s->nested)
				s->nested[s->n_nested++] = c;
		} else if (!is(ns, l, NS_CORE, "source") && depth < 8) {
			/* media:group, an enclosure with children, extension elements: what is
			 * inside still belongs to the entry (values found deeper lose to the
			 * entry's own) */
			entry_children(w, s, c, depth + 1);
		}
	}
}

/* link_named_by_id: when a link element under n (of any rel) points at id — Atom's <id> used
 * as the only address — id is the link, as the reference reads it; else NULL. */
static const char *link_named_by_id(struct walker *w, xmlNodePtr n, const char *id)
{
	if (!id)
		return NULL;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *l;
		enum ns ns = name_of(c, &l);
		const char *href = is(ns, l, NS_CORE, "link") ? resolve(w, c, attr(c, "href")) : NULL;
		if (href && strcmp(href, id) == 0)
			return id;
	}
	return NULL;
}

/* parse_entry: one item/entry into a new entry; items nested inside it (broken feeds) follow
 * as entries of their own, up to 8 levels. */
static void parse_entry(struct walker *w, xmlNodePtr n, int nesting)
{
	struct feed_entry *e = entry_list_add(&w->entries);
	if (!e)
		return;
	struct entry_state s = { .e = e, .title_depth = -1, .id_depth = -1,
				 .summary_depth = -1 };
	const char *about = NULL;
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "about") == 0 && a->children)
			about = (const char *)a->children->content;
	if (about) {
		e->id = arena_strdup(w->a, about);
		s.id_depth = 1 << 20;
	}
	entry_children(w, &s, n, 1);
	if (!e->link && s.guid_link)
		e->link = s.guid_link;
	if (!e->link && w->atom)
		e->link = link_named_by_id(w, n, e->id);
	e->published = s.published ? s.published : s.updated;
	e->updated = s.updated ? s.updated : s.published;
	e->summary = s.summary && *s.summary ? s.summary : NULL;
	e->content = s.content;
	for (size_t i = 0; i < s.n_media; i++)
		enclosure_add(w->a, e, s.media[i].url, s.media[i].type, s.media[i].length);
	for (size_t i = 0; i < e->n_enclosures && !e->image; i++)
		if (e->enclosures[i].type && strncmp(e->enclosures[i].type, "image/", 6) == 0)
			e->image = e->enclosures[i].url;
	/* after this one, as the reference lists them (e may move: not used below) */
	for (size_t i = 0; i < s.n_nested && nesting < 8; i++)
		parse_entry(w, s.nested[i], nesting + 1);
}

/* ---------------------------------------------------------------------------------------------
 * The feed
 * ------------------------------------------------------------------------------------------- */

struct feed_state {
	int64_t published, updated;
	const char *id; /* Atom's feed <id> */
};

/* lang_of: the xml:lang of n, or NULL. */
static const char *lang_of(xmlNodePtr n)
{
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "lang") == 0 && a->children &&
		    a->children->content && a->children->content[0])
			return (const char *)a->children->content;
	return NULL;
}

/* parse_container: the children of <rss>, <channel>, <rdf:RDF> or <feed>. */
static void parse_container(struct walker *w, struct feed_state *fs, xmlNodePtr n, int depth)
{
	struct feed *f = w->f;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *l;
		enum ns ns = name_of(c, &l);
		if (ns == NS_CORE && (strcasecmp(l, "item") == 0 || strcasecmp(l, "entry") == 0)) {
			parse_entry(w, c, 0);
		} else if (ns == NS_CORE && (strcasecmp(l, "channel") == 0 || strcasecmp(l, "feed") == 0)) {
			if (depth < 8)
				parse_container(w, fs, c, depth + 1);
		} else if (is(ns, l, NS_CORE, "title") || is(ns, l, NS_DC, "title")) {
			const char *t = f->title ? NULL : to_text(w, c, type_of(c, w->atom ? TT_TEXT : TT_GUESS));
			if (t) /* the first title wins */
				f->title = t;
		} else if (is(ns, l, NS_CORE, "link")) {
			const char *href = attr(c, "href");
			if (href) {
				const char *rel = attr(c, "rel");
				if ((!rel || strcasecmp(rel, "alternate") == 0) &&
				    is_html_type(attr(c, "type")))
					f->link = resolve(w, c, href);
			} else {
				inner(w, c);
				f->link = resolve(w, c, buf_str(&w->raw));
			}
		} else if (is(ns, l, NS_CORE, "language") || is(ns, l, NS_DC, "language")) {
			const char *v = plain(w, c);
			if (v)
				f->language = v;
		} else if (is(ns, l, NS_CORE, "pubDate") || is(ns, l, NS_CORE, "published") ||
			   is(ns, l, NS_CORE, "issued") || is(ns, l, NS_DCTERMS, "issued")) {
			fs->published = date_of(w, c);
		} else if (is(ns, l, NS_CORE, "updated") || is(ns, l, NS_CORE, "modified") ||
			   is(ns, l, NS_DC, "date") || is(ns, l, NS_DCTERMS, "modified") ||
			   is(ns, l, NS_CORE, "lastBuildDate")) {
			fs->updated = date_of(w, c);
		} else if (w->atom && is(ns, l, NS_CORE, "id")) {
			fs->id = plain(w, c);
		} else if (is(ns, l, NS_CORE, "ttl")) {
			inner(w, c);
			long v = strtol(buf_str(&w->raw), NULL, 10);
			f->ttl_minutes = v > 0 && v < 1000000 ? (int)v : 0;
		}
	}
	if (w->atom && !f->link)
		f->link = link_named_by_id(w, n, fs->id);
}

/* has_xml_base: true when any element carries xml:base (checked on the text: cheap). */
static bool has_xml_base(const char *s, size_t n)
{
	for (const char *p = s, *end = s + n; end - p >= 8; p++) {
		p = memchr(p, 'x', (size_t)(end - p - 7));
		if (!p)
			return false;
		if (memcmp(p, "xml:base", 8) == 0)
			return true;
	}
	return false;
}

enum ch_status feed_parse_xml(struct feed *f, const char *utf8, size_t n, const char *base_url,
			      struct ch_error *err)
{
	feed_libxml_init();
	struct walker w = { .f = f, .a = &f->arena };
	buf_init(&w.raw, BUF_NO_LIMIT);
	buf_init(&w.out, BUF_NO_LIMIT);
	struct buf clean;
	buf_init(&clean, BUF_NO_LIMIT);
	struct slice doc;
	enum ch_status st = feed_xml_cleanup(&clean, utf8, n, &doc);
	if (st != CH_OK) {
		buf_release(&clean);
		return ch_fail(err, st, "out of memory");
	}
	int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		   XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT;
	if (doc.n > INT32_MAX)
		doc.n = INT32_MAX;
	/* no encoding argument: with IGNORE_ENC libxml2 reads UTF-8 directly, where naming
	 * "UTF-8" would make it run a UTF-8-to-UTF-8 copy */
	w.doc = xmlReadMemory(doc.p, (int)doc.n, base_url, NULL, opts);
	w.has_base = (base_url && *base_url) || has_xml_base(doc.p, doc.n);
	buf_release(&clean);
	xmlNodePtr root = w.doc ? xmlDocGetRootElement(w.doc) : NULL;
	if (!root) {
		if (w.doc)
			xmlFreeDoc(w.doc);
		buf_release(&w.raw);
		buf_release(&w.out);
		return ch_fail(err, CH_ERR_PARSE, "not a feed: no XML document element");
	}
	const char *l;
	enum ns ns = name_of(root, &l);
	bool lone_entry = ns == NS_CORE && strcasecmp(l, "entry") == 0;
	bool known = (ns == NS_CORE && (strcasecmp(l, "rss") == 0 || strcasecmp(l, "feed") == 0 ||
					strcasecmp(l, "channel") == 0)) || lone_entry ||
		     (ns == NS_RDF && strcasecmp(l, "RDF") == 0);
	if (!known) {
		ch_fail(err, CH_ERR_PARSE, "not a feed: the document element is <%.64s>",
			(const char *)root->name);
		xmlFreeDoc(w.doc);
		buf_release(&w.raw);
		buf_release(&w.out);
		return CH_ERR_PARSE;
	}
	w.atom = strcasecmp(l, "feed") == 0 || lone_entry;
	w.utf8 = f->encoding && strcmp(f->encoding, "utf-8") == 0;
	const char *lang = lang_of(root);
	if (lang)
		f->language = arena_strdup(w.a, lang);
	struct feed_state fs = { 0 };
	if (lone_entry) /* an Atom entry document: a feed of one */
		parse_entry(&w, root, 0);
	else
		parse_container(&w, &fs, root, 0);
	f->updated = fs.updated ? fs.updated : fs.published;
	xmlFreeDoc(w.doc);
	buf_release(&w.raw);
	buf_release(&w.out);
	st = entry_list_finish(&w.entries, f);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "out of memory");
}
