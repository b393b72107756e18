/*
 * util.c — small helpers over libxml2 trees shared by the extractor, the metadata reader and
 * the sanitiser: attribute lookup, whitespace-collapsed text of a subtree (iterative: trees
 * 250,000 deep occur), URL resolution with a scheme allowlist.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "extract/internal.h"

const char *node_attr(xmlNodePtr node, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	/* names in the tree are lower case (libxml2's HTML parser folds them, and so do the
	 * builder and extract_set_attr), and so are the names asked for: compared as they are,
	 * the first byte first (most attributes differ there) */
	for (xmlAttrPtr a = node->properties; a; a = a->next) {
		if (a->name && a->name[0] == (xmlChar)name[0] && strcmp((const char *)a->name, name) == 0)
			return (a->children && a->children->content) ? (const char *)a->children->content : "";
	}
	return NULL;
}

/* space_len: the length of the whitespace character at s (ASCII space or NBSP), or 0. */
static size_t space_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return 1;
	if (c == 0xC2 && n > 1 && (unsigned char)s[1] == 0xA0)
		return 2;
	return 0;
}

/* add_collapsed: append s to out, whitespace runs as one space, no space at out's start and
 * none doubled across calls. */
static enum ch_status add_collapsed(struct buf *out, const char *s, size_t n)
{
	/* the result is never longer than s: with room for all of it, one pass writes in place
	 * (this runs over every text node the statistics and the polish read) */
	if (n && buf_grow(out, n) == CH_OK) {
		char *o = out->p + out->n;
		for (size_t i = 0; i < n;) {
			/* eight bytes at once while they need no change */
			uint64_t w;
			while (i + 8 <= n && (memcpy(&w, s + i, 8), text_word_plain(w))) {
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
			}
			if (i >= n)
				break;
			unsigned char c = (unsigned char)s[i];
			if (c > ' ' && c != 0xC2) {
				*o++ = (char)c;
				i++;
				continue;
			}
			size_t k = space_len(s + i, n - i);
			if (!k) {
				*o++ = (char)c;
				i++;
				continue;
			}
			while (i < n && (k = space_len(s + i, n - i)) > 0)
				i += k;
			if (o > out->p && o[-1] != ' ')
				*o++ = ' ';
		}
		out->n = (size_t)(o - out->p);
		out->p[out->n] = '\0';
		return CH_OK;
	}
	enum ch_status st = CH_OK;
	size_t i = 0;
	while (i < n && st == CH_OK) {
		size_t k = space_len(s + i, n - i);
		if (k) {
			while (i < n && (k = space_len(s + i, n - i)) > 0)
				i += k;
			if (out->n > 0 && out->p[out->n - 1] != ' ')
				st = buf_addc(out, ' ');
			continue;
		}
		size_t start = i;
		while (i < n && space_len(s + i, n - i) == 0)
			i++;
		st = buf_add(out, s + start, i - start);
	}
	return st;
}

enum ch_status trim_collapse(struct buf *out, const char *s, size_t n)
{
	size_t base = out->n;
	struct buf tmp;
	buf_init(&tmp, BUF_NO_LIMIT);
	enum ch_status st = add_collapsed(&tmp, s, n);
	size_t len = tmp.n;
	while (len > 0 && tmp.p[len - 1] == ' ')
		len--;
	if (st == CH_OK && len > 0)
		st = buf_add(out, tmp.p, len);
	buf_release(&tmp);
	(void)base;
	return st;
}

enum ch_status node_text(xmlNodePtr node, struct buf *out)
{
	enum ch_status st = CH_OK;
	if (!node)
		return st;
	if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
		return node->content ? add_collapsed(out, (const char *)node->content,
						     strlen((const char *)node->content)) : CH_OK;
	xmlNodePtr cur = node->children;
	while (cur && st == CH_OK) {
		if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) && cur->content)
			st = add_collapsed(out, (const char *)cur->content, strlen((const char *)cur->content));
		if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
			continue;
		}
		while (cur && cur != node && !cur->next)
			cur = cur->parent;
		if (!cur || cur == node)
			break;
		cur = cur->next;
	}
	return st;
}

/* clean_url: copy url into out without ASCII whitespace and control characters (browsers
 * ignore them inside URLs, so "java\tscript:" is javascript:). */
static void clean_url(const char *url, struct buf *out)
{
	size_t n = strlen(url);
	if (buf_grow(out, n) == CH_OK) { /* room for all of it: written in place */
		char *o = out->p + out->n;
		for (const char *s = url; *s; s++)
			if ((unsigned char)*s > 0x20 && *s != 0x7F)
				*o++ = *s;
		out->n = (size_t)(o - out->p);
		out->p[out->n] = '\0';
		return;
	}
	for (const char *s = url; *s; s++)
		if ((unsigned char)*s > 0x20 && *s != 0x7F)
			buf_addc(out, *s);
}

/* scheme_allowed: true when the URL has no scheme (relative) or http, https, mailto, tel, ftp. */
static bool scheme_allowed(const char *u)
{
	size_t i = 0;
	while (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.')
		i++;
	if (u[i] != ':' || i == 0 || !isalpha((unsigned char)u[0]))
		return true; /* no scheme: relative */
	static const char *const ok[] = { "http", "https", "mailto", "tel", "ftp" };
	for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
		if (strlen(ok[k]) == i && strncasecmp(u, ok[k], i) == 0)
			return true;
	return false;
}

/* has_scheme: u begins with a scheme and ':' as RFC 3986 (and libxml2's URI parser) reads
 * one: an ASCII letter, then letters, digits, '+', '-' and '.'. xmlBuildURI gives such a URL
 * back as it is (or nothing, when it cannot parse it: then it is kept as it is too), so it
 * need not be called for it. */
static bool has_scheme(const char *u)
{
	if (!((*u | 0x20) >= 'a' && (*u | 0x20) <= 'z'))
		return false;
	size_t i = 1;
	while (((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z') || (u[i] >= '0' && u[i] <= '9') ||
	       u[i] == '+' || u[i] == '-' || u[i] == '.')
		i++;
	return u[i] == ':';
}

/* URL characters that libxml2's URI parser keeps and its writer (xmlSaveUri) gives back as they
 * are, in a path and in a fragment: unreserved and reserved ones but '%' (unescaped when parsed),
 * '#', ':' in a path and '[' ']' (both kept, but left to libxml2 here). */
#define URL_PLAIN "-_.!~*'()/;@&=+$,"

/* plain_url_char: c is a letter, a digit or one of URL_PLAIN (':' and '?' too when colon_ok). */
static bool plain_url_char(unsigned char c, bool colon_ok)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr(URL_PLAIN, c)) || (colon_ok && (c == ':' || c == '?'));
}

/* plain_absolute_path: u is an absolute path (one '/' first) with an optional query and no
 * fragment, of plain characters (no ':' in the path), with no "." or ".." segment: xmlBuildURI
 * turns it into the base's scheme and authority followed by u itself. */
static bool plain_absolute_path(const char *u)
{
	if (u[0] != '/' || u[1] == '/')
		return false;
	bool query = false;
	for (const char *p = u; *p; p++) {
		if (*p == '.' && !query && p[-1] == '/')
			return false;
		query |= *p == '?';
		if (*p != '?' && !plain_url_char((unsigned char)*p, query))
			return false;
	}
	return true;
}

/* plain_fragment: u is a fragment alone ('#' first) of plain characters: xmlBuildURI turns it
 * into the base without its fragment followed by u itself. */
static bool plain_fragment(const char *u)
{
	if (u[0] != '#')
		return false;
	for (const char *p = u + 1; *p; p++)
		if (!plain_url_char((unsigned char)*p, true))
			return false;
	return true;
}

/* What xmlBuildURI puts before a plain reference of one kind ("/" absolute paths, "#"
 * fragments) resolved against one base (the base of the page being sanitised, kept per
 * thread). */
struct base_prefix {
	char base[512];
	char prefix[2][1024];
	bool usable[2];
};

/* base_prefix_of: what xmlBuildURI puts before a plain reference starting with lead ('/' or
 * '#') resolved against base (its answer for lead alone, less the lead), or NULL when that
 * cannot be had (then the caller asks xmlBuildURI itself). */
static const char *base_prefix_of(const char *base, char lead)
{
	static _Thread_local struct base_prefix bp;
	size_t n = strlen(base);
	if (n >= sizeof bp.base)
		return NULL;
	if (strcmp(bp.base, base) != 0 || !bp.base[0]) {
		memcpy(bp.base, base, n + 1);
		for (int k = 0; k < 2; k++) {
			const char ref[2] = { k ? '#' : '/', '\0' };
			xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
			size_t m = r ? strlen((const char *)r) : 0;
			bp.usable[k] = m > 0 && m <= sizeof bp.prefix[k] && r[m - 1] == ref[0];
			if (bp.usable[k]) {
				memcpy(bp.prefix[k], r, m - 1);
				bp.prefix[k][m - 1] = '\0';
			}
			xmlFree(r);
		}
	}
	int k = lead == '#';
	return bp.usable[k] ? bp.prefix[k] : NULL;
}

bool url_resolve(struct buf *out, const char *url, const char *base)
{
	if (!url)
		return false;
	struct buf clean;
	buf_init(&clean, 1 << 16);
	clean_url(url, &clean);
	bool ok = clean.n > 0 && scheme_allowed(clean.p);
	const char *prefix = NULL;
	if (ok && base && *base && (plain_absolute_path(clean.p) || plain_fragment(clean.p)))
		prefix = base_prefix_of(base, clean.p[0]);
	if (prefix) { /* what xmlBuildURI would give, without parsing both URLs again */
		size_t at = out->n;
		buf_adds(out, prefix);
		buf_add(out, clean.p, clean.n);
		if (out->p && !scheme_allowed(out->p + at)) {
			out->n = at;
			out->p[at] = '\0';
			ok = false;
		}
	} else if (ok && base && *base && !has_scheme(clean.p)) {
		xmlChar *abs = xmlBuildURI((const xmlChar *)clean.p, (const xmlChar *)base);
		if (abs && scheme_allowed((const char *)abs))
			buf_adds(out, (const char *)abs);
		else if (!abs)
			buf_add(out, clean.p, clean.n);
		else
			ok = false;
		xmlFree(abs);
	} else if (ok) {
		buf_add(out, clean.p, clean.n);
	}
	buf_release(&clean);
	return ok;
}
