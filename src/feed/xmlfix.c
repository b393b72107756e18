/*
 * xmlfix.c — the clean-up pass run on a feed before libxml2 sees it. Real feeds use HTML
 * entities XML does not define (&nbsp; &zwnj; &raquo;), bare ampersands in URLs and text, and
 * control characters XML forbids; libxml2 in recovery mode drops or truncates text at each of
 * these, so they are rewritten here the way a browser would read them. One linear scan that
 * knows comments, CDATA sections, processing instructions and the DOCTYPE (whose own entity
 * declarations, if any, are left to libxml2). Tags need no tracking: '&' is fixed the same
 * way in text and in attribute values, and '<' never belongs inside an attribute value; a
 * processing instruction is not skipped (an '&' in one becomes "&amp;", which is harmless).
 */
#include <stdio.h>
#include <string.h>

#include "feed/parse_internal.h"

/* Bytes the scan stops at: '&', '!', and C0 controls other than tab, LF, CR. */
static unsigned char stop_class[256];
static bool stop_ready;

/* init_stops: fill stop_class once (idempotent, so racing threads write the same bytes). */
static void init_stops(void)
{
	for (int c = 0; c < 0x20; c++)
		stop_class[c] = (c != '\t' && c != '\n' && c != '\r');
	stop_class['&'] = 1;
	stop_class['!'] = 1; /* "<!--", "<![CDATA[", "<!DOCTYPE": '<' itself is too common */
	stop_ready = true;
}

/* has_byte: SWAR test — some byte of the 8-byte word x equals the byte b. */
static inline bool has_byte(uint64_t x, uint64_t b)
{
	uint64_t y = x ^ (0x0101010101010101ull * b);
	return ((y - 0x0101010101010101ull) & ~y & 0x8080808080808080ull) != 0;
}

/* skip_plain: the index of the first byte at or after i that the scan must look at (see
 * stop_class), or n; eight bytes at a time while none is '!', '&' or below 0x20. */
static size_t skip_plain(const char *s, size_t n, size_t i)
{
	for (;;) {
		while (i + 8 <= n) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* a byte below 0x20: (x - 0x20…) borrows into its high bit where it was 0 */
			bool low = ((x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull) != 0;
			if (low || has_byte(x, '!') || has_byte(x, '&'))
				break;
			i += 8;
		}
		/* this word holds a tab or newline, or a byte to stop at: look byte by byte */
		size_t lim = i + 8 < n ? i + 8 : n;
		while (i < lim && !stop_class[(unsigned char)s[i]])
			i++;
		if (i < lim || i >= n)
			return i;
	}
}

/* skip_to: index just past the first occurrence of end (a short string) at or after i in s, or
 * n when it never occurs. */
static size_t skip_to(const char *s, size_t n, size_t i, const char *end)
{
	size_t m = strlen(end);
	while (i + m <= n) {
		const char *p = memchr(s + i, end[0], n - i);
		if (!p || (size_t)(p - s) + m > n)
			return n;
		if (memcmp(p, end, m) == 0)
			return (size_t)(p - s) + m;
		i = (size_t)(p - s) + 1;
	}
	return n;
}

/* doctype_end: index past the DOCTYPE at s[i] (with its [internal subset]); *has_entities is
 * set when the subset declares entities. */
static size_t doctype_end(const char *s, size_t n, size_t i, bool *has_entities)
{
	int bracket = 0;
	for (; i < n; i++) {
		if (s[i] == '[')
			bracket++;
		else if (s[i] == ']')
			bracket--;
		else if (s[i] == '>' && bracket <= 0)
			return i + 1;
		else if (s[i] == '<' && i + 8 < n && memcmp(s + i, "<!ENTITY", 8) == 0)
			*has_entities = true;
	}
	return n;
}

/* is_name_char: ASCII letters, digits (entity names never need more). */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

#define KEEP ((size_t)-1)

/* fix_amp: s[i] is '&'; put its well-formed form in rep (*rep_len bytes, or KEEP when the
 * reference is fine as written) and return the bytes of s it spans. */
static size_t fix_amp(const char *s, size_t n, size_t i, bool keep_unknown, char rep[48],
		      size_t *rep_len)
{
	size_t j = i + 1;
	*rep_len = KEEP;
	if (j < n && s[j] == '#') {
		size_t k = j + 1;
		bool hex = k < n && (s[k] == 'x' || s[k] == 'X');
		k += hex;
		size_t start = k;
		uint32_t cp = 0;
		while (k < n && k - start < 8 &&
		       ((s[k] >= '0' && s[k] <= '9') ||
			(hex && ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'f')))) {
			int d = s[k] <= '9' ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10;
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			k++;
		}
		if (k > start && k < n && s[k] == ';') {
			bool ok = (cp >= 0x20 || cp == 9 || cp == 10 || cp == 13) && cp <= 0x10FFFF &&
				  !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
			if (!ok)
				*rep_len = (size_t)snprintf(rep, 48, "&#xFFFD;");
			return k + 1 - i;
		}
		*rep_len = (size_t)snprintf(rep, 48, "&amp;");
		return 1;
	}
	size_t k = j;
	while (k < n && k - j < 40 && is_name_char(s[k]))
		k++;
	if (k > j && k < n && s[k] == ';') {
		size_t len = k - j;
		const char *name = s + j;
		if ((len == 3 && (memcmp(name, "amp", 3) == 0)) ||
		    (len == 2 && (memcmp(name, "lt", 2) == 0 || memcmp(name, "gt", 2) == 0)) ||
		    (len == 4 && (memcmp(name, "quot", 4) == 0 || memcmp(name, "apos", 4) == 0)))
			return k + 1 - i;
		char u[16];
		size_t ulen = feed_entity_lookup(name, len, u);
		if (ulen) {
			size_t p = 0, r = 0;
			while (p < ulen && r < 32) {
				uint32_t cp;
				p += utf8_decode(u + p, ulen - p, &cp, NULL);
				r += (size_t)snprintf(rep + r, 48 - r, "&#%u;", (unsigned)cp);
			}
			*rep_len = r;
			return k + 1 - i;
		}
		if (keep_unknown)
			return k + 1 - i;
	}
	*rep_len = (size_t)snprintf(rep, 48, "&amp;");
	return 1;
}

enum ch_status feed_xml_cleanup(struct buf *out, const char *s, size_t n, struct slice *result)
{
	if (!stop_ready)
		init_stops();
	bool keep_unknown = false;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++; /* nothing may come before an XML declaration */
	size_t start = i, run = i; /* s[run..i) is still to be copied, once a change is made */
	bool changed = false;
	char rep[48];
	while (i < n) {
		i = skip_plain(s, n, i);
		if (i >= n)
			break;
		unsigned char c = (unsigned char)s[i];
		size_t rep_len = KEEP, used = 1;
		if (c == '&') {
			used = fix_amp(s, n, i, keep_unknown, rep, &rep_len);
		} else if (c < 0x20) {
			rep[0] = ' ';
			rep_len = 1;
		} else if (i > start && s[i - 1] == '<') { /* "<!": a comment, CDATA or DOCTYPE */
			size_t lt = i - 1, end = 0;
			if (lt + 4 <= n && memcmp(s + lt, "<!--", 4) == 0)
				end = skip_to(s, n, lt + 4, "-->");
			else if (lt + 9 <= n && memcmp(s + lt, "<![CDATA[", 9) == 0)
				end = skip_to(s, n, lt + 9, "]]>");
			else if (lt + 9 <= n && memcmp(s + lt, "<!DOCTYPE", 9) == 0)
				end = doctype_end(s, n, lt, &keep_unknown);
			if (end)
				used = end - i;
		}
		if (rep_len != KEEP) {
			if (!changed && buf_grow(out, n - start + n / 16 + 64) != CH_OK)
				return CH_ERR_NOMEM;
			changed = true;
			buf_add(out, s + run, i - run);
			buf_add(out, rep, rep_len);
			run = i + used;
		}
		i += used;
	}
	if (!changed) {
		*result = (struct slice){ s + start, n - start };
		return CH_OK;
	}
	if (buf_add(out, s + run, n - run) != CH_OK)
		return CH_ERR_NOMEM;
	*result = buf_slice(out);
	return CH_OK;
}
