/*
 * urlcanon.c — one URL per article: rank_url_canonical() rewrites the spellings under which
 * outlets, aggregators and share buttons hand out the same page (http/https, www./m./amp.
 * hosts, /amp paths, tracking parameters, trailing slashes, escape case, parameter order) into
 * one string, so that the story index can merge exact duplicates by comparing it. It is not a
 * validating URL parser: it splits scheme, authority, path and query by RFC 3986's delimiters
 * and normalises each part.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rank/rank.h"

extern const unsigned char rank_tracking_params[];
extern const size_t rank_tracking_params_len;

/* Host labels that only name a mobile or AMP edition of the same site. */
static const char *const EDITION_PREFIXES[] = { "www.", "m.", "mobile.", "amp." };

/* The path segment that marks an AMP edition of a page. */
static const char AMP_SEGMENT[] = "amp";

/* hexval: the value of hex digit c, or -1. */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* is_unreserved: RFC 3986 unreserved characters, which never need an escape. */
static bool is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_' || c == '~';
}

/* is_plain: bytes kept as they are in a path or query (unreserved, sub-delims, ':', '@', '/',
 * '?'); everything else is escaped. */
static bool is_plain(unsigned char c)
{
	return is_unreserved(c) || (c != 0 && strchr("!$&'()*+,;=:@/?", c) != NULL);
}

/* add_escaped: append s[0..n) with escapes normalised: unreserved characters decoded, other
 * escapes uppercased, stray '%' and bytes that must be escaped (non-ASCII, space, quotes)
 * escaped in uppercase. */
static enum ch_status add_escaped(struct buf *out, const char *s, size_t n)
{
	static const char HEX[] = "0123456789ABCDEF";
	enum ch_status st = CH_OK;
	for (size_t i = 0; st == CH_OK && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			unsigned char v = (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
							  hexval((unsigned char)s[i + 2]));
			i += 2;
			if (is_unreserved(v)) {
				st = buf_addc(out, (char)v);
				continue;
			}
			c = v;
		} else if (is_plain(c)) {
			st = buf_addc(out, (char)c);
			continue;
		}
		char esc[3] = { '%', HEX[c >> 4], HEX[c & 15] };
		st = buf_add(out, esc, 3);
	}
	return st;
}

/* is_tracking: whether the query key (already escape-normalised, n bytes) is listed in
 * tracking_params.txt, case-insensitively, a trailing '*' there matching any suffix. */
static bool is_tracking(const char *key, size_t n)
{
	const char *p = (const char *)rank_tracking_params;
	const char *end = p + rank_tracking_params_len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		size_t len = (size_t)(eol - p);
		if (len > 0 && p[0] != '#') {
			bool prefix = p[len - 1] == '*';
			size_t want = prefix ? len - 1 : len;
			if ((prefix ? n >= want : n == want) && strncasecmp(p, key, want) == 0)
				return true;
		}
		p = eol + 1;
	}
	return false;
}

/* add_host: append the host h[0..n) lowercased, without a trailing dot and without edition
 * labels (www., m., mobile., amp.) as long as a dotted name remains. CH_ERR_INVALID if empty. */
static enum ch_status add_host(struct buf *out, const char *h, size_t n)
{
	while (n > 0 && h[n - 1] == '.')
		n--;
	bool stripped = true;
	while (stripped) {
		stripped = false;
		for (size_t i = 0; i < sizeof EDITION_PREFIXES / sizeof *EDITION_PREFIXES; i++) {
			size_t len = strlen(EDITION_PREFIXES[i]);
			if (n > len && strncasecmp(h, EDITION_PREFIXES[i], len) == 0 &&
			    memchr(h + len, '.', n - len) != NULL) {
				h += len;
				n -= len;
				stripped = true;
			}
		}
	}
	if (n == 0)
		return CH_ERR_INVALID;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		enum ch_status st = buf_addc(out, c);
		if (st != CH_OK)
			return st;
	}
	return CH_OK;
}

/* is_amp: whether the path segment p[0..n) is the AMP marker. */
static bool is_amp(const char *p, size_t n)
{
	return n == strlen(AMP_SEGMENT) && strncasecmp(p, AMP_SEGMENT, n) == 0;
}

/* next_segment: the next non-empty segment of p[0..n) at or after *i; false when none. */
static bool next_segment(const char *p, size_t n, size_t *i, struct slice *seg)
{
	while (*i < n && p[*i] == '/')
		(*i)++;
	size_t s = *i;
	while (*i < n && p[*i] != '/')
		(*i)++;
	*seg = (struct slice){ p + s, *i - s };
	return *i > s;
}

/* add_path: append the normalised path p[0..n): empty segments dropped, escapes normalised,
 * "amp" segments at the start and at the end dropped; "/" when nothing remains. */
static enum ch_status add_path(struct buf *out, const char *p, size_t n)
{
	size_t first = SIZE_MAX, last_end = 0, i = 0;
	struct slice seg;
	while (next_segment(p, n, &i, &seg))
		if (!is_amp(seg.p, seg.n)) {
			if (first == SIZE_MAX)
				first = (size_t)(seg.p - p);
			last_end = i;
		}
	if (first == SIZE_MAX)
		return buf_addc(out, '/');
	enum ch_status st = CH_OK;
	i = first;
	while (st == CH_OK && i < last_end && next_segment(p, last_end, &i, &seg)) {
		st = buf_addc(out, '/');
		if (st == CH_OK)
			st = add_escaped(out, seg.p, seg.n);
	}
	return st;
}

/* cmp_params: qsort order of query parameters: bytewise on "key=value". */
static int cmp_params(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* add_query: append "?" and the query q[0..n) without tracking parameters, each parameter's
 * escapes normalised, sorted; nothing when no parameter remains. */
static enum ch_status add_query(struct buf *out, const char *q, size_t n)
{
	struct buf norm;
	buf_init(&norm, BUF_NO_LIMIT);
	size_t count = 0, cap = 0;
	struct slice *params = NULL; /* built once norm stops moving */
	size_t *offs = NULL;         /* offset, length pairs of kept parameters in norm */
	enum ch_status st = CH_OK;
	size_t i = 0;
	while (st == CH_OK && i < n) {
		size_t s = i;
		while (i < n && q[i] != '&' && q[i] != ';')
			i++;
		size_t e = i++;
		if (e == s)
			continue;
		size_t off = norm.n;
		st = add_escaped(&norm, q + s, e - s);
		if (st != CH_OK)
			break;
		const char *kv = norm.p + off;
		size_t kvn = norm.n - off;
		const char *eq = memchr(kv, '=', kvn);
		size_t keyn = eq ? (size_t)(eq - kv) : kvn;
		if (is_tracking(kv, keyn)) {
			norm.n = off;
			norm.p[off] = '\0';
			continue;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			size_t *grown = realloc(offs, cap * 2 * sizeof *offs);
			if (!grown) {
				st = CH_ERR_NOMEM;
				break;
			}
			offs = grown;
		}
		offs[2 * count] = off;
		offs[2 * count + 1] = kvn;
		count++;
	}
	if (st == CH_OK && count > 0) {
		params = malloc(count * sizeof *params);
		if (!params)
			st = CH_ERR_NOMEM;
	}
	if (st == CH_OK && count > 0) {
		for (size_t k = 0; k < count; k++)
			params[k] = (struct slice){ norm.p + offs[2 * k], offs[2 * k + 1] };
		qsort(params, count, sizeof *params, cmp_params);
		st = buf_addc(out, '?');
		for (size_t k = 0; st == CH_OK && k < count; k++) {
			if (k > 0)
				st = buf_addc(out, '&');
			if (st == CH_OK)
				st = buf_add(out, params[k].p, params[k].n);
		}
	}
	free(params);
	free(offs);
	buf_release(&norm);
	return st;
}

enum ch_status rank_url_canonical(const char *url, size_t n, struct buf *out, struct ch_error *err)
{
	struct slice u = slice_trim((struct slice){ url, n });
	size_t i = 0;
	while (i < u.n && u.p[i] != ':' && u.p[i] != '/' && u.p[i] != '?' && u.p[i] != '#')
		i++;
	bool http = (i == 4 && strncasecmp(u.p, "http", 4) == 0) ||
		    (i == 5 && strncasecmp(u.p, "https", 5) == 0);
	if (!http || i + 3 > u.n || u.p[i] != ':' || u.p[i + 1] != '/' || u.p[i + 2] != '/')
		return ch_fail(err, CH_ERR_INVALID, "not an absolute http(s) URL: '%.*s'",
			       (int)(u.n > 200 ? 200 : u.n), u.p);
	const char *auth = u.p + i + 3;
	const char *end = u.p + u.n;
	const char *auth_end = auth;
	while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
		auth_end++;
	const char *host = auth;
	for (const char *a = auth; a < auth_end; a++)
		if (*a == '@')
			host = a + 1;
	const char *host_end = auth_end;
	const char *port = NULL;
	const char *bracket = memchr(host, ']', (size_t)(auth_end - host));
	const char *colon = memchr(bracket ? bracket : host, ':', (size_t)(auth_end - (bracket ? bracket : host)));
	if (colon) {
		host_end = colon;
		port = colon + 1;
		for (const char *d = port; d < auth_end; d++)
			if (*d < '0' || *d > '9')
				return ch_fail(err, CH_ERR_INVALID, "bad port in URL '%.*s'",
					       (int)(u.n > 200 ? 200 : u.n), u.p);
	}
	const char *path = auth_end;
	const char *path_end = path;
	while (path_end < end && *path_end != '?' && *path_end != '#')
		path_end++;
	const char *query = path_end < end && *path_end == '?' ? path_end + 1 : path_end;
	const char *query_end = query;
	while (query_end < end && *query_end != '#')
		query_end++;

	size_t mark = out->n;
	enum ch_status st = buf_adds(out, "https://");
	if (st == CH_OK)
		st = add_host(out, host, (size_t)(host_end - host));
	if (st == CH_OK && port) {
		size_t pn = (size_t)(auth_end - port);
		while (pn > 1 && *port == '0') {
			port++;
			pn--;
		}
		bool dflt = pn == 0 || (pn == 2 && memcmp(port, "80", 2) == 0) ||
			    (pn == 3 && memcmp(port, "443", 3) == 0);
		if (!dflt) {
			st = buf_addc(out, ':');
			if (st == CH_OK)
				st = buf_add(out, port, pn);
		}
	}
	if (st == CH_OK)
		st = add_path(out, path, (size_t)(path_end - path));
	if (st == CH_OK)
		st = add_query(out, query, (size_t)(query_end - query));
	if (st != CH_OK) {
		out->n = mark;
		if (out->p)
			out->p[mark] = '\0';
		if (st == CH_ERR_INVALID)
			return ch_fail(err, st, "URL has no host: '%.*s'", (int)(u.n > 200 ? 200 : u.n), u.p);
		return ch_fail(err, st, "URL canonicalisation: %s", ch_status_name(st));
	}
	return CH_OK;
}
