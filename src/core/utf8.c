/*
 * utf8.c — strict UTF-8 decoding (no overlongs, no surrogates, nothing above U+10FFFF) and the
 * repair pass that replaces each invalid byte by U+FFFD, as browsers do. Everything chapar
 * stores or serves has been through one of these.
 */
#include <string.h>

#include "core/core.h"

size_t utf8_decode(const char *s, size_t n, uint32_t *cp, bool *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		goto invalid;
	}
	if (n < len)
		goto invalid;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto invalid;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto invalid;
	*cp = v;
	return len;
invalid:
	*cp = UTF8_REPLACEMENT;
	if (bad)
		*bad = true;
	return 1;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ascii_run: how many bytes from p (n available) are ASCII, counted eight at a time while
 * eight remain (a word with no high bit set holds no lead or continuation byte). */
static size_t ascii_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
		i += 8;
	}
	while (i < n && p[i] < 0x80)
		i++;
	return i;
}

/* utf8_valid: ASCII is skipped a word at a time and two-byte sequences (Persian letters) are
 * checked inline; everything else goes through utf8_decode, so the verdict is utf8_decode's. */
bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		i += ascii_run(p + i, n - i);
		while (i + 1 < n && p[i] >= 0xC2 && p[i] <= 0xDF && (p[i + 1] & 0xC0) == 0x80)
			i += 2;
		if (i >= n || p[i] < 0x80)
			continue;
		bool bad = false;
		uint32_t cp;
		i += utf8_decode(s + i, n - i, &cp, &bad);
		if (bad)
			return false;
	}
	return true;
}

enum ch_status utf8_add(struct buf *out, uint32_t cp)
{
	char tmp[4];
	return buf_add(out, tmp, utf8_encode(cp, tmp));
}

enum ch_status utf8_repair(struct buf *out, const char *p, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		if ((unsigned char)p[i] < 0x80) {
			i += ascii_run((const unsigned char *)p + i, n - i);
			continue;
		}
		bool bad = false;
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp, &bad);
		if (bad) {
			enum ch_status st = buf_add(out, p + run, i - run);
			if (st == CH_OK)
				st = utf8_add(out, UTF8_REPLACEMENT);
			if (st != CH_OK)
				return st;
			run = i + len;
		}
		i += len;
	}
	return buf_add(out, p + run, n - run);
}
