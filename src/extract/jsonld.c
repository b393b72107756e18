/*
 * jsonld.c — a small, tolerant reader for the few JSON-LD keys article metadata needs
 * (headline, datePublished, dateModified, author.name, publisher.name, image, description).
 * Not a JSON parser: it finds `"key":` at any depth, and reads the string value after it, or
 * the first string of a wanted sub-key inside an object or array value. Malformed input gives
 * no value, never an error. jansson belongs to src/feed (layering), and JSON-LD blocks on news
 * pages are often broken (trailing commas, raw newlines), which a strict parser refuses.
 */
#include <string.h>

#include "extract/jsonld.h"

/* skip_string: s points at an opening quote; returns the position after the closing one (or
 * end when unterminated). */
static const char *skip_string(const char *s, const char *end)
{
	for (s++; s < end; s++) {
		if (*s == '\\')
			s++;
		else if (*s == '"')
			return s + 1;
	}
	return end;
}

/* hex4: the value of four hex digits at s, or -1. */
static long hex4(const char *s, const char *end)
{
	if (end - s < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1000);
	}
	return v < 0 ? -1 : v;
}

/* decode_string: append the JSON string starting at the quote at s to out, escapes decoded. */
static void decode_string(const char *s, const char *end, struct buf *out)
{
	for (s++; s < end && *s != '"'; s++) {
		if (*s != '\\') {
			buf_addc(out, (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s);
			continue;
		}
		if (++s >= end)
			break;
		switch (*s) {
		case 'n': case 'r': case 't': buf_addc(out, ' '); break;
		case 'b': case 'f': break;
		case 'u': {
			long cp = hex4(s + 1, end);
			if (cp < 0)
				break;
			s += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && end - s > 6 && s[1] == '\\' && s[2] == 'u') {
				long lo = hex4(s + 3, end);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					s += 6;
				}
			}
			if (cp >= 0xD800 && cp < 0xE000)
				cp = UTF8_REPLACEMENT;
			utf8_add(out, (uint32_t)cp);
			break;
		}
		default: buf_addc(out, *s);
		}
	}
}

/* value_end: the end of the JSON value starting at s (string, object, array or scalar). */
static const char *value_end(const char *s, const char *end)
{
	if (s < end && *s == '"')
		return skip_string(s, end);
	if (s < end && (*s == '{' || *s == '[')) {
		int depth = 0;
		while (s < end) {
			if (*s == '"') {
				s = skip_string(s, end);
				continue;
			}
			if (*s == '{' || *s == '[')
				depth++;
			else if ((*s == '}' || *s == ']') && --depth == 0)
				return s + 1;
			s++;
		}
		return end;
	}
	while (s < end && *s != ',' && *s != '}' && *s != ']')
		s++;
	return s;
}

/* find_key: the start of the value of the first `"key":` in [s, end), or NULL. */
static const char *find_key(const char *s, const char *end, const char *key)
{
	size_t m = strlen(key);
	while (s < end) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		if (!q)
			return NULL;
		const char *after = skip_string(q, end);
		if ((size_t)(after - q) == m + 2 && memcmp(q + 1, key, m) == 0) {
			const char *v = after;
			while (v < end && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
				v++;
			if (v < end && *v == ':') {
				v++;
				while (v < end && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
					v++;
				return v;
			}
		}
		s = after;
	}
	return NULL;
}

bool jsonld_get(const char *block, size_t n, const char *key, const char *subkey, struct buf *out)
{
	const char *end = block + n;
	const char *v = find_key(block, end, key);
	if (!v || v >= end)
		return false;
	if (*v == '[' && v + 1 < end) { /* an array: its first element */
		v++;
		while (v < end && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
			v++;
	}
	if (v < end && *v == '"') {
		size_t before = out->n;
		decode_string(v, end, out);
		return out->n > before;
	}
	if (v < end && *v == '{' && subkey) {
		const char *ve = value_end(v, end);
		const char *sv = find_key(v, ve, subkey);
		if (sv && sv < ve && *sv == '"') {
			size_t before = out->n;
			decode_string(sv, ve, out);
			return out->n > before;
		}
	}
	return false;
}
