/*
 * input.c — from the bytes of a page to UTF-8 markup libxml2 can parse safely, following
 * LIBRARIES.md §1: charset from the HTTP header, then a BOM, then a <meta> prescan, then
 * sniffing; iconv to UTF-8; invalid bytes repaired to U+FFFD; a byte-level prefilter that drops
 * <script>, <style>, <svg>, <noscript> and comments before parsing (they are half the bytes of a
 * modern page and never article text), keeping JSON-LD bodies for the metadata step; a size cap.
 * The parse itself is build.c's.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "extract/internal.h"

/* ---------------------------------------------------------------------------------------------
 * Charset detection
 * ------------------------------------------------------------------------------------------- */

/* copy_charset_name: copy the charset token at s (up to a quote, ';', space or end) into out,
 * lower case; false when empty. */
static bool copy_charset_name(const char *s, const char *end, char *out, size_t cap)
{
	while (s < end && (*s == ' ' || *s == '"' || *s == '\'' || *s == '='))
		s++;
	size_t k = 0;
	while (s < end && k + 1 < cap && (isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
					  *s == ':' || *s == '.'))
		out[k++] = (char)tolower((unsigned char)*s++);
	out[k] = '\0';
	return k > 0;
}

/* find_ci: first case-insensitive occurrence of needle (lower case) in [s, end), or NULL. */
static const char *find_ci(const char *s, const char *end, const char *needle)
{
	size_t m = strlen(needle);
	for (; s + m <= end; s++) {
		if (tolower((unsigned char)*s) == needle[0] && strncasecmp(s, needle, m) == 0)
			return s;
	}
	return NULL;
}

/* charset_from_content_type: the charset parameter of a Content-Type value. */
static bool charset_from_content_type(const char *ct, size_t n, char *out, size_t cap)
{
	const char *at = find_ci(ct, ct + n, "charset");
	return at && copy_charset_name(at + 7, ct + n, out, cap);
}

/* charset_from_meta: the prescan: the first <meta charset=...> or <meta http-equiv
 * content="...charset=..."> within the first bytes of the page. */
static bool charset_from_meta(const char *p, size_t n, char *out, size_t cap)
{
	const char *end = p + (n < 8192 ? n : 8192);
	for (const char *s = p; (s = find_ci(s, end, "<meta")) != NULL; s += 5) {
		const char *close = memchr(s, '>', (size_t)(end - s));
		if (!close)
			return false;
		const char *at = find_ci(s, close, "charset");
		if (at && copy_charset_name(at + 7, close, out, cap))
			return true;
	}
	return false;
}

/* looks_rtl: true when the head of the page says it is Persian or Arabic, so that undeclared
 * legacy bytes are read as windows-1256 rather than windows-1252. */
static bool looks_rtl(const char *p, size_t n)
{
	const char *end = p + (n < 8192 ? n : 8192);
	return find_ci(p, end, "lang=\"fa") || find_ci(p, end, "lang=\"ar") ||
	       find_ci(p, end, "lang=fa") || find_ci(p, end, "dir=\"rtl") || find_ci(p, end, "dir=rtl");
}

/* is_utf8_name: true for the names that mean UTF-8. */
static bool is_utf8_name(const char *cs)
{
	return strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0;
}

/* detect_charset: the page's charset, lower case, into out (48 bytes). Valid UTF-8 with any
 * non-ASCII byte wins over a declaration: pages that lie about their charset are common, and
 * legacy bytes almost never form valid UTF-8 by accident. */
static void detect_charset(const char *p, size_t n, const char *ct, char *out, size_t cap)
{
	if (n >= 2 && ((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE)) {
		snprintf(out, cap, "utf-16le");
		return;
	}
	if (n >= 2 && ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF)) {
		snprintf(out, cap, "utf-16be");
		return;
	}
	size_t probe = n < 65536 ? n : 65536, multi = 0, bad = 0;
	for (size_t i = 0; i < probe;) {
		if ((unsigned char)p[i] < 0x80) {
			i++;
			/* markup is mostly ASCII: eight bytes at a time while no high bit is set */
			uint64_t w;
			while (i + 8 <= probe && (memcpy(&w, p + i, 8), (w & 0x8080808080808080u) == 0))
				i += 8;
			continue;
		}
		uint32_t cp;
		bool invalid = false;
		size_t k = utf8_decode(p + i, probe - i, &cp, &invalid);
		if (invalid && i + 4 < probe)
			bad++; /* (a sequence cut by the probe's end does not count) */
		else if (!invalid)
			multi++;
		i += k;
	}
	bool ascii = multi == 0 && bad == 0;
	/* UTF-8 with a few stray bytes is still UTF-8 (they are repaired); legacy text has almost
	 * no valid multi-byte sequences */
	bool valid = bad == 0 || multi >= 8 * bad;
	char declared[48] = "";
	if (!(ct && charset_from_content_type(ct, strlen(ct), declared, sizeof declared)))
		charset_from_meta(p, n, declared, sizeof declared);
	/* a wide or EBCDIC label (utf-16, ucs-4, cp037) on bytes with no NUL is wrong: they are
	 * ASCII markup (WHATWG reads a meta's utf-16 as utf-8) */
	if (declared[0] && !is_utf8_name(declared) && !charset_reads_ascii(declared) &&
	    !memchr(p, 0, probe))
		declared[0] = '\0';
	if ((valid && (!ascii || declared[0] == '\0')) || (is_utf8_name(declared) && (valid || multi > 0))) {
		snprintf(out, cap, "utf-8");
		return;
	}
	if (declared[0] && !is_utf8_name(declared)) {
		/* WHATWG: latin1 and ascii labels mean windows-1252 */
		if (strcmp(declared, "iso-8859-1") == 0 || strcmp(declared, "latin1") == 0 ||
		    strcmp(declared, "us-ascii") == 0 || strcmp(declared, "ascii") == 0)
			snprintf(out, cap, "windows-1252");
		else
			snprintf(out, cap, "%s", declared);
		return;
	}
	snprintf(out, cap, "%s", valid ? "utf-8" : (looks_rtl(p, n) ? "windows-1256" : "windows-1252"));
}

/* ---------------------------------------------------------------------------------------------
 * Conversion
 * ------------------------------------------------------------------------------------------- */

/* convert_to_utf8: append p (n bytes in charset cs) to out as UTF-8; a byte iconv cannot
 * convert becomes U+FFFD. An unknown charset is read as windows-1252. */
static enum ch_status convert_to_utf8(const char *cs, const char *p, size_t n, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1)
		return utf8_repair(out, p, n);
	enum ch_status st = buf_grow(out, n + n / 2 + 16);
	char *in = (char *)p;
	size_t left = n;
	while (st == CH_OK && left > 0) {
		if (out->cap - out->n < 64 && (st = buf_grow(out, left * 2 + 64)) != CH_OK)
			break;
		char *dst = out->p + out->n;
		size_t room = out->cap - out->n - 1;
		size_t r = iconv(cd, &in, &left, &dst, &room);
		out->n = (size_t)(dst - out->p);
		out->p[out->n] = '\0';
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				st = buf_grow(out, left * 2 + 64);
			else { /* EILSEQ or EINVAL (truncated at the end): replace one byte */
				st = utf8_add(out, UTF8_REPLACEMENT);
				in++;
				left--;
			}
		}
	}
	iconv_close(cd);
	return st;
}

/* ---------------------------------------------------------------------------------------------
 * Prefilter: drop raw-text elements and comments at the byte level
 * ------------------------------------------------------------------------------------------- */

/* tag_is: true when s (after '<' or '</') starts with the tag name (lower case) followed by a
 * delimiter, so that <scripts> or <style-x> do not match. */
static bool tag_is(const char *s, const char *end, const char *name)
{
	/* the first letter first: this runs for every tag of the page, against a dozen names */
	if (s >= end || (*s | 0x20) != name[0])
		return false;
	size_t m = strlen(name);
	if ((size_t)(end - s) <= m || strncasecmp(s, name, m) != 0)
		return false;
	char c = s[m];
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* skip_to_close: the position after "</name...>" at or after s, or end when unterminated. */
static const char *skip_to_close(const char *s, const char *end, const char *name)
{
	while ((s = memchr(s, '<', (size_t)(end - s))) != NULL) {
		if (s + 1 < end && s[1] == '/' && tag_is(s + 2, end, name)) {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			return gt ? gt + 1 : end;
		}
		s++;
	}
	return end;
}

static const char *const dropped_elements[] = { "script", "style", "noscript", "svg", "template" };

/* Elements the article never keeps (grab.c removes them from its result) and whose subtrees
 * are a tenth of a page's nodes: dropped before parsing, which is most of the cost. Unlike the
 * raw-text elements above they nest, so their end is found by counting. */
static const char *const dropped_nesting[] = { "nav", "footer", "aside", "select", "button",
					       "textarea", "datalist" };

/* The first two letters of dropped_elements and dropped_nesting, as a bit mask of second letters
 * per first letter (both lower case): most tags ('<div', '<span', '<a ') are ruled out by it. */
struct drop_prefixes {
	uint32_t second[26];
};

/* add_prefix: record the first two letters of name in pre. */
static void add_prefix(struct drop_prefixes *pre, const char *name)
{
	pre->second[name[0] - 'a'] |= 1u << (name[1] - 'a');
}

/* drop_prefixes_init: the prefixes of every dropped name. */
static void drop_prefixes_init(struct drop_prefixes *pre)
{
	memset(pre, 0, sizeof *pre);
	for (size_t k = 0; k < sizeof dropped_elements / sizeof *dropped_elements; k++)
		add_prefix(pre, dropped_elements[k]);
	for (size_t k = 0; k < sizeof dropped_nesting / sizeof *dropped_nesting; k++)
		add_prefix(pre, dropped_nesting[k]);
}

/* may_be_dropped: the two bytes after the '<' at s begin some dropped name. */
static inline bool may_be_dropped(const struct drop_prefixes *pre, const char *s, const char *end)
{
	if (end - s < 3)
		return false;
	unsigned a = (unsigned)((s[1] | 0x20) - 'a'), b = (unsigned)((s[2] | 0x20) - 'a');
	return a < 26 && b < 26 && (pre->second[a] >> b & 1u);
}

/* add_capped: append what fits of p (n bytes) to out under its limit; CH_ERR_LIMIT when
 * something was cut. */
static enum ch_status add_capped(struct buf *out, const char *p, size_t n)
{
	size_t room = out->limit - out->n;
	enum ch_status st = buf_add(out, p, n < room ? n : room);
	return st == CH_OK && n > room ? CH_ERR_LIMIT : st;
}

/* comment_end: the position after the "-->" closing a comment opened at s, or end. */
static const char *comment_end(const char *s, const char *end)
{
	const char *c = memmem(s + 4, (size_t)(end - s - 4), "-->", 3);
	return c ? c + 3 : end;
}

/* keep_jsonld: when the script tag [s, gt] is JSON-LD, append its body to jsonld. */
static void keep_jsonld(const char *s, const char *gt, const char *end, struct buf *jsonld)
{
	if (!find_ci(s, gt, "ld+json") || jsonld->n >= EXTRACT_MAX_JSONLD)
		return;
	const char *body_end = find_ci(gt, end, "</script");
	if (!body_end)
		body_end = end;
	if (buf_add(jsonld, gt + 1, (size_t)(body_end - gt - 1)) == CH_OK)
		buf_addc(jsonld, '\0');
}

/* skip_nested: the position after the "</name>" that closes the element opened before s,
 * counting nested elements of the same name, or NULL when it is not closed. Scripts inside are
 * skipped whole (a "</nav>" in a string closes nothing), their JSON-LD bodies kept in jsonld. */
static const char *skip_nested(const char *s, const char *end, const char *name, struct buf *jsonld)
{
	int depth = 1;
	while ((s = memchr(s, '<', (size_t)(end - s))) != NULL) {
		if (s + 1 < end && s[1] == '/' && tag_is(s + 2, end, name) && --depth == 0) {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			return gt ? gt + 1 : NULL;
		}
		if (tag_is(s + 1, end, name)) {
			depth++;
		} else if (tag_is(s + 1, end, "script")) {
			const char *gt = memchr(s, '>', (size_t)(end - s));
			if (!gt)
				return NULL;
			keep_jsonld(s, gt, end, jsonld);
			s = skip_to_close(gt + 1, end, "script");
			continue;
		}
		s++;
	}
	return NULL;
}

/* dropped_end: when the markup at s ('<') opens a comment or a dropped element, the position
 * after its end; NULL otherwise. A nesting element found unclosed once is kept from then on
 * (its bit set in *unclosed): dropping would lose the rest of the page, and searching again
 * for every later one would take quadratic time. */
static const char *dropped_end(const char *s, const char *end, struct buf *jsonld, unsigned *unclosed,
			       const struct drop_prefixes *pre)
{
	if (end - s >= 4 && memcmp(s, "<!--", 4) == 0)
		return comment_end(s, end);
	/* most '<' open none of them: ruled out by the first two letters, before a dozen names */
	if (!may_be_dropped(pre, s, end))
		return NULL;
	for (size_t k = 0; k < sizeof dropped_elements / sizeof *dropped_elements; k++) {
		if (!tag_is(s + 1, end, dropped_elements[k]))
			continue;
		const char *gt = memchr(s, '>', (size_t)(end - s));
		if (!gt)
			return end;
		if (k == 0)
			keep_jsonld(s, gt, end, jsonld);
		if (gt[-1] == '/' && strcmp(dropped_elements[k], "svg") == 0)
			return gt + 1; /* <svg/> */
		return skip_to_close(gt + 1, end, dropped_elements[k]);
	}
	for (size_t k = 0; k < sizeof dropped_nesting / sizeof *dropped_nesting; k++) {
		if ((*unclosed & (1u << k)) || !tag_is(s + 1, end, dropped_nesting[k]))
			continue;
		const char *gt = memchr(s, '>', (size_t)(end - s));
		const char *after = gt && gt[-1] != '/' ? skip_nested(gt + 1, end, dropped_nesting[k], jsonld) : NULL;
		if (!after)
			*unclosed |= 1u << k;
		return after;
	}
	return NULL;
}

/* prefilter: copy markup p..p+n into out without comments and the dropped elements; the bodies
 * of JSON-LD scripts go to jsonld (NUL-separated). Stops quietly at out's limit. */
static enum ch_status prefilter(const char *p, size_t n, struct buf *out, struct buf *jsonld)
{
	const char *s = p, *end = p + n, *copied = p;
	enum ch_status st = CH_OK;
	unsigned unclosed = 0;
	struct drop_prefixes pre;
	drop_prefixes_init(&pre);
	/* room for all of it at once: growing by doubling copied the markup over and over (pages
	 * of memory never written are never touched either); without it, it grows as it goes */
	(void)buf_grow(out, n < out->limit ? n : out->limit);
	while (st == CH_OK && (s = memchr(s, '<', (size_t)(end - s))) != NULL) {
		const char *skip = dropped_end(s, end, jsonld, &unclosed, &pre);
		if (!skip) {
			s++;
			continue;
		}
		st = add_capped(out, copied, (size_t)(s - copied));
		/* a space keeps the words on either side of the dropped part apart */
		if (st == CH_OK)
			st = add_capped(out, " ", 1);
		copied = s = skip;
	}
	if (st == CH_OK)
		st = add_capped(out, copied, (size_t)(end - copied));
	return st == CH_ERR_LIMIT ? CH_OK : st;
}

/* is_space_byte: ASCII whitespace that HTML collapses (not \f: rare, and kept as it was). */
static inline bool is_space_byte(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* opens_verbatim: s (after '<', with '/' skipped) names an element whose whitespace shows. */
static bool opens_verbatim(const char *s, const char *end)
{
	char first = s < end ? (char)(*s | 0x20) : '\0';
	if (first != 'p' && first != 'l' && first != 'x')
		return false;
	return tag_is(s, end, "pre") || tag_is(s, end, "listing") || tag_is(s, end, "xmp") ||
	       tag_is(s, end, "plaintext");
}

/* special8: of the eight bytes w (as memcpy loads them), the high bit of each that
 * collapse_spaces must look at: a space before a space or a control byte (a run of blanks
 * starts there), a '<', a control byte, or a space at either end (its neighbour is in the next
 * eight). The rest
 * are copied as they are: single spaces between words are most of Persian text's blanks. */
static inline uint64_t special8(uint64_t w)
{
	uint64_t control = zero_bytes(w & 0xe0e0e0e0e0e0e0e0u);
	uint64_t open = zero_bytes(w ^ 0x3c3c3c3c3c3c3c3cu);
	uint64_t space = zero_bytes(w ^ 0x2020202020202020u);
	uint64_t ends = 0x8000000000000080u;
	return control | open | (space & ((space | control) >> 8)) | (space & ends);
}

/* blank_run_end: the end of the run of blanks (is_space_byte) at s, eight bytes at a time;
 * *newline set when it holds a '\n' (indentation runs are long). */
static const char *blank_run_end(const char *s, const char *end, bool *newline)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	while (end - s >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		uint64_t nl = zero_bytes(w ^ ones * '\n');
		uint64_t blank = nl | zero_bytes(w ^ ones * ' ') | zero_bytes(w ^ ones * '\t') |
				 zero_bytes(w ^ ones * '\r');
		uint64_t other = ~blank & high;
		if (!other) {
			*newline |= nl != 0;
			s += 8;
			continue;
		}
		unsigned bits = (unsigned)__builtin_ctzll(other) - 7; /* the bytes before it */
		*newline |= (nl & ((UINT64_C(1) << bits) - 1)) != 0;
		return s + bits / 8;
	}
	while (s < end && is_space_byte(*s))
		*newline |= *s++ == '\n';
	return s;
}

/* collapse_spaces: shrink every run of whitespace in b to one byte ('\n' when the run holds a
 * newline, else ' '), in place, except inside <pre> and its kin. A third of a page's markup is
 * indentation; the text and the sanitised HTML read the same without it, and libxml2 walks
 * blanks one character at a time. */
static void collapse_spaces(struct buf *b)
{
	if (!b->p)
		return;
	char *p = b->p, *end = b->p + b->n, *o = b->p;
	int verbatim = 0;
	for (const char *s = p; s < end;) {
		/* eight bytes at a time up to the first byte to look at (see special8) */
		while (end - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			uint64_t m = special8(w);
			/* (the store of all eight is safe while it cannot reach bytes not read yet) */
			size_t k = m ? (size_t)__builtin_ctzll(m) >> 3 : 8;
			if (o == s || s - o >= 8)
				memcpy(o, &w, 8);
			else
				memmove(o, s, k);
			o += k;
			s += k;
			if (k < 8)
				break;
		}
		if (s >= end)
			break;
		char c = *s;
		if ((unsigned char)c > ' ' && c != '<') { /* a byte special8 left at the end */
			*o++ = c;
			s++;
			continue;
		}
		if (c == '<' && s + 1 < end) {
			bool closing = s[1] == '/';
			if (opens_verbatim(s + 1 + closing, end))
				verbatim += closing ? (verbatim > 0 ? -1 : 0) : 1;
		} else if (!verbatim && is_space_byte(c) && s + 1 < end && is_space_byte(s[1])) {
			bool newline = false;
			s = blank_run_end(s, end, &newline);
			*o++ = newline ? '\n' : ' ';
			continue;
		}
		*o++ = c;
		s++;
	}
	b->n = (size_t)(o - p);
	b->p[b->n] = '\0';
}

/* ---------------------------------------------------------------------------------------------
 * Attributes nothing reads: which they are (park.c leaves them out, EXTRACT_PARK_DROP_UNREAD)
 * ------------------------------------------------------------------------------------------- */

bool extract_attr_is_read_cached(struct extract_name_cache *cache, const char *name, size_t n)
{
	if (n == 0 || n > EXTRACT_NAME_CACHE_LEN)
		return extract_attr_is_read(name, n);
	unsigned h = ((unsigned)n * 31u + (unsigned char)name[0] * 7u + (unsigned char)name[n - 1] +
		      (unsigned char)name[n / 2] * 3u) % EXTRACT_NAME_CACHE_SLOTS;
	if (cache->slot[h].len == n && memcmp(cache->slot[h].name, name, n) == 0)
		return cache->slot[h].read;
	bool read = extract_attr_is_read(name, n);
	cache->slot[h].len = (unsigned char)n;
	cache->slot[h].read = read;
	memcpy(cache->slot[h].name, name, n);
	return read;
}

/* ---------------------------------------------------------------------------------------------
 * The pipeline
 * ------------------------------------------------------------------------------------------- */

enum ch_status extract_input_prepare(const char *raw, size_t n, const char *http_content_type,
				     struct extract_input *in, struct ch_error *err)
{
	buf_init(&in->markup, EXTRACT_MAX_MARKUP);
	memset(&in->parked, 0, sizeof in->parked);
	buf_init(&in->jsonld, EXTRACT_MAX_JSONLD + 65536);
	if (n > EXTRACT_MAX_RAW)
		n = EXTRACT_MAX_RAW;
	detect_charset(raw, n, http_content_type, in->charset, sizeof in->charset);
	enum ch_status st;
	if (strcmp(in->charset, "utf-8") == 0) {
		if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
			raw += 3;
			n -= 3;
		}
		st = prefilter(raw, n, &in->markup, &in->jsonld);
		if (st == CH_OK && !utf8_valid(in->markup.p ? in->markup.p : "", in->markup.n)) {
			struct buf fixed;
			buf_init(&fixed, BUF_NO_LIMIT);
			st = utf8_repair(&fixed, in->markup.p, in->markup.n);
			buf_release(&in->markup);
			in->markup = fixed;
		}
	} else {
		struct buf utf8;
		buf_init(&utf8, BUF_NO_LIMIT);
		st = convert_to_utf8(in->charset, raw, n, &utf8);
		if (st == CH_OK)
			st = prefilter(utf8.p ? utf8.p : "", utf8.n, &in->markup, &in->jsonld);
		buf_release(&utf8);
	}
	/* the attributes nothing reads are left out by extract_park (EXTRACT_PARK_DROP_UNREAD) */
	if (st == CH_OK)
		collapse_spaces(&in->markup);
	if (st == CH_OK && in->markup.n == 0)
		st = buf_adds(&in->markup, "<html></html>");
	if (st == CH_OK)
		extract_park(&in->markup, &in->parked, EXTRACT_PARK_DROP_UNREAD);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "cannot read page: %s", ch_status_name(st));
}

void extract_input_release(struct extract_input *in)
{
	buf_release(&in->markup);
	buf_release(&in->jsonld);
	extract_parked_release(&in->parked);
}
