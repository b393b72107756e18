/*
 * escape.c — escaping for the three outputs chapar writes: HTML text and attributes, URL query
 * values, and JSON strings. Each output is valid whatever the input: invalid UTF-8 becomes
 * U+FFFD on the way out.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

/* The ASCII bytes each output must look at; every other ASCII byte is copied as it is. */
static const bool html_special[128] = { [0] = true, ['&'] = true, ['<'] = true, ['>'] = true,
					['"'] = true, ['\''] = true };
static const bool json_special[128] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					['"'] = true, ['\\'] = true };

/* skip_plain: the first index >= i of s (n bytes) that the output must look at: an ASCII byte
 * marked in special, or a byte >= 0x80 that does not begin a well-formed two-byte sequence.
 * Persian and Arabic letters are two-byte sequences, which no output changes, so a Persian
 * text is mostly stepped over here, copied later as one run. */
static size_t skip_plain(const char *s, size_t i, size_t n, const bool special[128])
{
	const unsigned char *u = (const unsigned char *)s;
	while (i < n) {
		unsigned c = u[i];
		if (c < 0x80) {
			if (special[c])
				break;
			i++;
		} else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

enum ch_status html_escape(struct buf *out, const char *s, size_t n)
{
	size_t run = 0, i = 0;
	enum ch_status st = buf_grow(out, n);
	while (st == CH_OK && (i = skip_plain(s, i, n, html_special)) < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t len = 1;
		bool bad = false;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case 0: rep = "\xEF\xBF\xBD"; break;
		default:
			if (c >= 0x80) {
				uint32_t cp;
				len = utf8_decode(s + i, n - i, &cp, &bad);
				if (bad)
					rep = "\xEF\xBF\xBD";
			}
		}
		if (rep) {
			st = buf_add(out, s + run, i - run);
			if (st == CH_OK)
				st = buf_adds(out, rep);
			run = i + len;
		}
		i += len;
	}
	return st == CH_OK ? buf_add(out, s + run, n - run) : st;
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum ch_status url_encode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	enum ch_status st = CH_OK;
	for (size_t i = 0; st == CH_OK && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			st = buf_addc(out, (char)c);
		} else {
			char tmp[3] = { '%', hex[c >> 4], hex[c & 15] };
			st = buf_add(out, tmp, 3);
		}
	}
	return st;
}

enum ch_status json_escape(struct buf *out, const char *s, size_t n)
{
	enum ch_status st = buf_grow(out, n + 2);
	if (st == CH_OK)
		st = buf_addc(out, '"');
	size_t run = 0, i = 0;
	while (st == CH_OK && (i = skip_plain(s, i, n, json_special)) < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1;
		char tmp[8];
		const char *rep = NULL;
		if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c == '\t') {
			rep = "\\t";
		} else if (c < 0x20) {
			snprintf(tmp, sizeof tmp, "\\u%04x", c);
			rep = tmp;
		} else if (c >= 0x80) {
			uint32_t cp;
			bool bad = false;
			len = utf8_decode(s + i, n - i, &cp, &bad);
			if (bad)
				rep = "\xEF\xBF\xBD";
			else if (cp == 0x2028)
				rep = "\\u2028";
			else if (cp == 0x2029)
				rep = "\\u2029";
		}
		if (rep) {
			st = buf_add(out, s + run, i - run);
			if (st == CH_OK)
				st = buf_adds(out, rep);
			run = i + len;
		}
		i += len;
	}
	if (st == CH_OK)
		st = buf_add(out, s + run, n - run);
	if (st == CH_OK)
		st = buf_addc(out, '"');
	return st;
}
