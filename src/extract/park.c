/*
 * park.c — text and attribute values put aside before parsing and put back in the tree.
 *
 * libxml2's HTML parser reads text and attribute values a character at a time, through one or
 * two function calls per character (htmlCurrentChar, xmlNextChar): after everything else was
 * made cheaper, that was the largest cost left. Yet the parser never looks inside a run of text
 * or a quoted value: it only needs to know where they end and whether a run is blank. So each
 * long run of text and each long quoted value is replaced in the markup by a placeholder of two
 * to four private-use characters that names it (a lead character, then its index in base 64),
 * and the builder (build.c) puts the original bytes back when it stores a text node or an
 * attribute value. The tree comes out the same, node for node (tests/unit/extract/build.c and
 * fuzz/fuzz_extract_tree.c check it).
 *
 * Safety rests on two things. (1) A placeholder must mean nothing else: its code points come
 * from a block of 128 private-use code points (of 32 in U+E000-U+EFFF) that the page holds
 * nowhere, literally or as a numeric reference; a page that touches all 32 is left as it is.
 * (2) Only what libxml2 certainly reads as text or as a quoted value is touched: the scan below
 * follows start tags by the plain grammar of input.c's attribute stripping, end tags and plain
 * DOCTYPEs to their '>', copies a start tag outside that grammar as it is up to where libxml2
 * ends it (odd_tag_end), and gives up (copying the rest as it is) at anything else: a comment,
 * a processing instruction, a script or style, a '<' that opens no tag, a tag that runs to the
 * end, a NUL byte anywhere. Blanks at either end of a run stay in the markup, so the parser's test for
 * blank text sees what it saw before; bytes right after '&' that an entity name could take stay
 * too. Values of <meta> tags (the parser reads their charset) are never parked.
 *
 * A start tag whose values are all plain (none holds a character libxml2 reads specially but
 * for the five references of extract_simple_ref, which the builder decodes itself) goes further:
 * its whole attribute list is taken out ("<div class=x id=y>" becomes "<div>") and stashed with
 * the offset in the new markup where its name ends. When libxml2 reports the start
 * of an element, its input stands right there, so the builder takes the stashed list for an
 * element of that name at that offset (an element libxml2 implies at the same place has
 * another name). Every stashed list must be taken, in order; if one is not, the builder parses
 * the markup as it was instead (extract_stash_redos counts that; the tests and the fuzz target
 * require it never to happen). libxml2's reading of attributes (names and values a character at
 * a time, an allocation and reallocation per value, a search for repeats) was then the largest
 * part of a tag's cost.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/internal.h"

/* A placeholder: a lead character, then 1-3 digits, most significant first, all private-use
 * code points of one block of 128 in U+E000-U+EFFF chosen per page (struct extract_parked's
 * block, the first the page does not use: icon fonts put their glyphs at U+E000 and on): digit d
 * is U+E000 + 128 * block + d (d < 64), the lead U+E040 + 128 * block. In UTF-8 all are three
 * bytes, 0xEE, a second byte naming the block (0x80 + 2 * block for digits, one more for the
 * lead), then 0x80 + d (0x80 for the lead). */
#define PLACEHOLDER_BLOCKS 32
#define PARK_MAX_SPANS ((size_t)1 << 18) /* three digits */
/* Shorter runs and values are cheaper to parse than to park and put back. */
#define PARK_MIN_TEXT 16
#define PARK_MIN_VALUE 8

#define is_blank markup_blank
#define is_name_start markup_name_start
#define is_name_char markup_name_char

static inline bool is_letter(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* lead_byte, digit_byte: the second UTF-8 byte of the lead and of the digits of block. */
static inline unsigned char lead_byte(unsigned block)
{
	return (unsigned char)(0x81 + 2 * block);
}

static inline unsigned char digit_byte(unsigned block)
{
	return (unsigned char)(0x80 + 2 * block);
}

/* find_lead: the first placeholder lead character of block in [s, s + n), or NULL (memchr for
 * its first byte, which Persian and Latin text never hold: faster than memmem). */
static const char *find_lead(unsigned block, const char *s, size_t n)
{
	const char *end = s + n;
	unsigned char second = lead_byte(block);
	while ((s = memchr(s, 0xEE, (size_t)(end - s))) != NULL) {
		if (end - s >= 3 && (unsigned char)s[1] == second && (unsigned char)s[2] == 0x80)
			return s;
		s++;
	}
	return NULL;
}

/* block_of: the bit of the placeholder block that code point cp falls in (0 outside them). */
static inline uint32_t block_of(unsigned long cp)
{
	return cp >= 0xE000 && cp <= 0xEFFF ? (uint32_t)1 << ((cp - 0xE000) >> 7) : 0;
}

/* blocks_held: the placeholder blocks of which [s, s + n) holds a code point (UTF-8 0xEE, then
 * the block's second bytes). */
static uint32_t blocks_held(const char *s, size_t n)
{
	const char *end = s + n;
	uint32_t held = 0;
	while ((s = memchr(s, 0xEE, (size_t)(end - s))) != NULL) {
		if (end - s >= 2 && ((unsigned char)s[1] & 0xC0) == 0x80)
			held |= (uint32_t)1 << (((unsigned char)s[1] & 0x3F) >> 1);
		s++;
	}
	return held;
}

/* blocks_referred: the placeholder blocks of which some numeric character reference in
 * [p, end) names a code point, read as libxml2 reads it (digits up to the first other byte,
 * the value saturating). */
static uint32_t blocks_referred(const char *p, const char *end)
{
	uint32_t held = 0;
	for (const char *s = p; (s = memchr(s, '&', (size_t)(end - s))) != NULL;) {
		if (++s >= end || *s != '#')
			continue;
		s++;
		bool hex = s < end && (*s | 0x20) == 'x';
		s += hex;
		unsigned long v = 0;
		for (; s < end; s++) {
			int d;
			char c = *s;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				d = (c | 0x20) - 'a' + 10;
			else
				break;
			if (v < 0x110000)
				v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		held |= block_of(v);
	}
	return held;
}

/* Scan state: the markup being read, the parked markup being written, the spans. */
struct scan {
	const char *base; /* the original markup (pk->source) */
	struct buf *out;
	struct extract_parked *pk;
	bool full; /* no more spans fit: copy from here on */
	bool no_stash; /* attributes stay in the markup (see extract_park) */
	bool drop_unread; /* EXTRACT_PARK_DROP_UNREAD */
	struct extract_name_cache names;
};

/* copy: append [s, e) to the output as it is (the output has room for the whole markup, and
 * parking never makes it longer). */
static bool copy(struct scan *sc, const char *s, const char *e)
{
	memcpy(sc->out->p + sc->out->n, s, (size_t)(e - s));
	sc->out->n += (size_t)(e - s);
	return true;
}

/* park: append a placeholder for [s, e) (a span of the original) and record the span; when the
 * span table is full or cannot grow, the bytes themselves. */
static bool park(struct scan *sc, const char *s, const char *e)
{
	struct extract_parked *pk = sc->pk;
	if (!sc->full && pk->n == pk->cap) {
		size_t cap = pk->cap ? pk->cap * 2 : 256;
		uint32_t *spans = cap <= PARK_MAX_SPANS ? realloc(pk->spans, cap * 2 * sizeof *spans) : NULL;
		if (spans) {
			pk->spans = spans;
			pk->cap = cap;
		} else {
			sc->full = true;
		}
	}
	size_t i = pk->n;
	size_t len = 3 + 3 * (i < 64 ? 1 : i < 64 * 64 ? 2 : 3);
	if (sc->full || len > (size_t)(e - s))
		return copy(sc, s, e);
	pk->n++;
	pk->spans[2 * i] = (uint32_t)(s - sc->base);
	pk->spans[2 * i + 1] = (uint32_t)(e - s);
	char tmp[3 + 3 * 3];
	size_t k = 0;
	tmp[0] = (char)0xEE;
	tmp[1] = (char)lead_byte(pk->block);
	tmp[2] = (char)0x80;
	k = 3;
	int digits = i < 64 ? 1 : i < 64 * 64 ? 2 : 3;
	for (int d = digits - 1; d >= 0; d--) {
		tmp[k] = (char)0xEE;
		tmp[k + 1] = (char)digit_byte(pk->block);
		tmp[k + 2] = (char)(0x80 + ((i >> (6 * d)) & 63));
		k += 3;
	}
	return copy(sc, tmp, tmp + k);
}

/* text_run: a run of text holding no '&': blanks at its ends copied, the middle parked when
 * long enough. */
static bool text_run(struct scan *sc, const char *s, const char *e)
{
	const char *a = s, *b = e;
	while (a < b && is_blank(*a))
		a++;
	while (b > a && is_blank(b[-1]))
		b--;
	if (b - a < PARK_MIN_TEXT)
		return copy(sc, s, e);
	return copy(sc, s, a) && park(sc, a, b) && copy(sc, b, e);
}

/* special_at: the length of a character at s (before e) that libxml2 leaves out of text or
 * reads specially (a reference's '&'; a control character, U+FFFE and U+FFFF, which it drops),
 * or 0 for one it copies as it is. */
static inline size_t special_at(const char *s, const char *e)
{
	unsigned char c = (unsigned char)*s;
	if (c == '&' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
		return 1;
	if (c == 0xEF && e - s >= 3 && (unsigned char)s[1] == 0xBF && ((unsigned char)s[2] & 0xFE) == 0xBE)
		return 3;
	return 0;
}

/* value_run: a run of a quoted attribute value holding no '&': parked when long enough. */
static bool value_run(struct scan *sc, const char *s, const char *e)
{
	return e - s < PARK_MIN_VALUE ? copy(sc, s, e) : park(sc, s, e);
}

/* skip_plain8: s moved on eight bytes at a time (before e) while none of them can be special
 * (see special_at): none is '&', a control byte or 0xEF. */
static inline const char *skip_plain8(const char *s, const char *e)
{
	uint64_t w;
	while (e - s >= 8 && (memcpy(&w, s, 8), (zero_bytes(w & 0xe0e0e0e0e0e0e0e0u) |
						 zero_bytes(w ^ 0x2626262626262626u) |
						 zero_bytes(w ^ 0xefefefefefefefefu)) == 0))
		s += 8;
	return s;
}

/* pieces: [s, e), text between two tags or a quoted attribute value: the runs between special
 * characters (see special_at) go to run (text_run or value_run); each '&' with what an entity
 * name or number after it could take (and a ';') is copied, and so is each dropped character.
 * libxml2 decodes the references itself and the builder puts the runs back around them. */
static bool pieces(struct scan *sc, const char *s, const char *e,
		   bool (*run_of)(struct scan *, const char *, const char *))
{
	const char *run = s;
	while (s < e) {
		s = skip_plain8(s, e);
		if (s >= e)
			break;
		size_t k = special_at(s, e);
		if (!k) {
			s++;
			continue;
		}
		if (!run_of(sc, run, s))
			return false;
		const char *t = s + k;
		if (*s == '&') {
			while (t < e && ((unsigned char)*t >= 0x80 || is_name_char(*t) || *t == '#'))
				t++;
			if (t < e && *t == ';')
				t++;
		}
		if (!copy(sc, s, t))
			return false;
		s = run = t;
	}
	return run_of(sc, run, e);
}

const char *extract_attr_value_end(const char *t, const char *end, const char **q0, const char **q1)
{
	*q0 = *q1 = NULL;
	const char *u = t;
	while (u < end && is_blank(*u))
		u++;
	if (u >= end)
		return NULL;
	if (*u != '=')
		return t;
	u++;
	while (u < end && is_blank(*u))
		u++;
	if (u >= end)
		return NULL;
	if (*u == '"' || *u == '\'') {
		const char *q = memchr(u + 1, *u, (size_t)(end - u - 1));
		if (!q)
			return NULL;
		*q0 = u + 1;
		*q1 = q;
		return q + 1;
	}
	const char *v = u;
	while (v < end && !is_blank(*v) && *v != '>')
		v++;
	return v > u && v < end ? v : NULL;
}

const char *extract_plain_tag_end(const char *s, const char *end)
{
	const char *u = s + 1;
	while (u < end && is_name_char(*u))
		u++;
	for (;;) {
		const char *ws = u;
		while (u < end && is_blank(*u))
			u++;
		if (u < end && *u == '>')
			return u + 1;
		if (u + 1 < end && *u == '/' && u[1] == '>')
			return u + 2;
		if (u == ws || u >= end || !is_name_start(*u))
			return NULL;
		const char *name = u;
		while (u < end && is_name_char(*u))
			u++;
		const char *q0, *q1;
		const char *after = u - name < 100 ? extract_attr_value_end(u, end, &q0, &q1) : NULL;
		/* libxml2 ends the tag at "/>" right after a value or name too */
		if (!after || after >= end ||
		    (!is_blank(*after) && *after != '>' && !(*after == '/' && after + 1 < end && after[1] == '>')))
			return NULL;
		u = after;
	}
}

/* plain_value: [s, e) holds no character that libxml2 reads specially in a value (see
 * special_at): it gives the bytes back as they are. */
static bool plain_value(const char *s, const char *e)
{
	while (s < e) {
		s = skip_plain8(s, e);
		if (s < e && special_at(s, e))
			return false;
		s += s < e;
	}
	return true;
}

size_t extract_simple_ref(const char *s, const char *e, const char **utf8, size_t *utf8_len)
{
	/* libxml2 (htmlParseHTMLAttribute) reads '&', a name, and when a ';' follows and the name
	 * is an entity of its table (case matters), the entity's character: a name ends at the
	 * first byte that cannot continue it, so these five decode alike in any value */
	static const struct {
		char ref[7];
		unsigned char len;
		char utf8[3];
		unsigned char utf8_len;
	} refs[] = {
		{ "&amp;", 5, "&", 1 }, { "&quot;", 6, "\"", 1 }, { "&lt;", 4, "<", 1 },
		{ "&gt;", 4, ">", 1 },  { "&nbsp;", 6, "\xC2\xA0", 2 },
	};
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
		if ((size_t)(e - s) >= refs[i].len && s[1] == refs[i].ref[1] && memcmp(s, refs[i].ref, refs[i].len) == 0) {
			*utf8 = refs[i].utf8;
			*utf8_len = refs[i].utf8_len;
			return refs[i].len;
		}
	return 0;
}

/* value_refs: [s, e) holds no character that libxml2 reads specially in a value but for
 * references of extract_simple_ref, and at least one of those (plain_value is false). */
static bool value_refs(const char *s, const char *e)
{
	while (s < e) {
		s = skip_plain8(s, e);
		if (s >= e)
			break;
		size_t k = special_at(s, e);
		if (k && *s != '&')
			return false;
		if (k) {
			const char *utf8;
			size_t n;
			if (!(k = extract_simple_ref(s, e, &utf8, &n)))
				return false;
			s += k;
			continue;
		}
		s++;
	}
	return true;
}

/* grow: room for one more entry in *v (n used of *cap, each size bytes); false when out of
 * memory or past PARK_MAX_SPANS entries. */
static bool grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 256;
	void *r = c <= PARK_MAX_SPANS ? realloc(*v, c * size) : NULL;
	if (!r)
		return false;
	*v = r;
	*cap = c;
	return true;
}

/* Tags whose attributes stay in the markup: libxml2 drops a misplaced html, head or body tag
 * without a word to the builder, which would then wait for it in vain (and parse again). The
 * attributes of <meta> are no such case: libxml2 reads its charset, but ignores it under
 * HTML_PARSE_IGNORE_ENC (htmlCheckEncodingDirect), as the extractor parses. */
static bool keeps_attributes(const char *name, size_t n)
{
	return (n == 4 && (strncasecmp(name, "html", 4) == 0 || strncasecmp(name, "head", 4) == 0 ||
			   strncasecmp(name, "body", 4) == 0));
}

/* stash_tag: the start tag at s (its name ending at t), when it follows the plain grammar
 * (extract_plain_tag_end) and each value recorded is plain (plain_value), written as "<name>"
 * or "<name/>" with its attributes recorded in the stash (but for unread ones when
 * sc->drop_unread); returns the position after it. NULL (nothing written, nothing recorded)
 * otherwise. The grammar is followed here as extract_plain_tag_end follows it, so that the tag
 * is read once. libxml2 reads an attribute value a character at a time with a reallocation
 * each: this is what the parse of a tag costs most. */
static const char *stash_tag(struct scan *sc, const char *s, const char *t, const char *end)
{
	struct extract_parked *pk = sc->pk;
	size_t name_len = (size_t)(t - s - 1);
	if (sc->no_stash || name_len >= 100 || keeps_attributes(s + 1, name_len))
		return NULL;
	size_t first = pk->nattrs;
	const char *u = t, *close = NULL;
	for (;;) {
		const char *ws = u;
		while (u < end && is_blank(*u))
			u++;
		if ((u < end && *u == '>') || (u + 1 < end && *u == '/' && u[1] == '>')) {
			close = u;
			break;
		}
		if (u == ws || u >= end || !is_name_start(*u))
			break;
		const char *name = u;
		while (u < end && is_name_char(*u))
			u++;
		size_t n = (size_t)(u - name);
		const char *q0, *q1;
		const char *after = n < 100 ? extract_attr_value_end(u, end, &q0, &q1) : NULL;
		/* libxml2 ends the tag at "/>" right after a value or name too */
		if (!after || after >= end ||
		    (!is_blank(*after) && *after != '>' && !(*after == '/' && after + 1 < end && after[1] == '>')))
			break;
		if (sc->drop_unread && !extract_attr_is_read_cached(&sc->names, name, n)) {
			u = after;
			continue;
		}
		uint32_t value = UINT32_MAX, value_len = 0;
		bool refs = false;
		if (after != u) {
			if (!q0) { /* unquoted: after '=' and blanks, up to after */
				q0 = u;
				while (is_blank(*q0))
					q0++;
				q0++; /* '=' */
				while (is_blank(*q0))
					q0++;
				q1 = after;
			}
			if (!plain_value(q0, q1)) {
				if (!value_refs(q0, q1))
					break;
				refs = true;
			}
			value = (uint32_t)(q0 - sc->base);
			value_len = (uint32_t)(q1 - q0);
		}
		bool repeat = false;
		for (size_t i = first; i < pk->nattrs && !repeat; i++)
			repeat = pk->attrs[i].name_len == n && strncasecmp(sc->base + pk->attrs[i].name, name, n) == 0;
		if (!repeat) {
			if (!grow((void **)&pk->attrs, pk->nattrs, &pk->attrs_cap, sizeof *pk->attrs))
				break;
			pk->attrs[pk->nattrs++] = (struct extract_stashed_attr){
				(uint32_t)(name - sc->base), (uint32_t)n, value, value_len, refs };
		}
		u = after;
	}
	if (!close || !(pk->nattrs == first || grow((void **)&pk->tags, pk->ntags, &pk->tags_cap, sizeof *pk->tags))) {
		pk->nattrs = first;
		return NULL;
	}
	copy(sc, s, t);
	if (pk->nattrs > first) /* (a tag left with no attributes needs no entry) */
		pk->tags[pk->ntags++] = (struct extract_stashed_tag){
			(uint32_t)sc->out->n, (uint32_t)(s + 1 - sc->base), (uint32_t)name_len,
			(uint32_t)first, (uint32_t)(pk->nattrs - first) };
	static const char self_closing[] = "/>";
	bool self = *close == '/';
	copy(sc, self_closing + !self, self_closing + 2);
	return close + 1 + self;
}

/* raw_text_name: the element name at s (n bytes) is script or style, whose content libxml2
 * reads as raw text. */
static bool raw_text_name(const char *s, size_t n)
{
	return (n == 6 && strncasecmp(s, "script", 6) == 0) || (n == 5 && strncasecmp(s, "style", 5) == 0);
}

/* libxml2_name_start, libxml2_name_char: the bytes libxml2's htmlParseHTMLName takes at the start
 * of an element or attribute name and after it. */
static inline bool libxml2_name_start(char c)
{
	return is_letter(c) || c == '_' || c == ':' || c == '.';
}

static inline bool libxml2_name_char(char c)
{
	return libxml2_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* odd_tag_end: where libxml2 (htmlParseStartTag, 2.9) ends the start tag at s ('<' and a letter)
 * that the plain grammar refused ("<a b"="c">, '<p "x">'), so that the scan goes on after it
 * instead of leaving the rest of the page as it is: it reads names, '=' and a value (quoted: up
 * to the same quote; bare: up to a blank or '>'), and steps over anything else up to a blank,
 * '>' or "/>". NULL when the tag runs to the end of the markup or its name is longer than the
 * parser reads at once (100 bytes). */
static const char *odd_tag_end(const char *s, const char *end)
{
	const char *u = s + 1;
	while (u < end && libxml2_name_char(*u))
		u++;
	if (u - s - 1 >= 100)
		return NULL;
	for (;;) {
		while (u < end && is_blank(*u))
			u++;
		if (u >= end)
			return NULL;
		if (*u == '>')
			return u + 1;
		if (*u == '/' && u + 1 < end && u[1] == '>')
			return u + 2;
		if (!libxml2_name_start(*u)) { /* a bogus attribute: dropped up to a blank or the end */
			while (u < end && !is_blank(*u) && *u != '>' && !(*u == '/' && u + 1 < end && u[1] == '>'))
				u++;
			continue;
		}
		while (u < end && libxml2_name_char(*u))
			u++;
		while (u < end && is_blank(*u))
			u++;
		if (u >= end || *u != '=')
			continue;
		u++;
		while (u < end && is_blank(*u))
			u++;
		if (u < end && (*u == '"' || *u == '\'')) {
			const char *q = memchr(u + 1, *u, (size_t)(end - u - 1));
			if (!q)
				return NULL;
			u = q + 1;
		} else {
			while (u < end && !is_blank(*u) && *u != '>')
				u++;
		}
	}
}

/* start_tag: the start tag at s ('<' and a letter) copied with its long quoted values parked;
 * returns the position after it, or NULL when it is not plain (nothing written then) or when
 * libxml2 would read raw text after it (script, style). */
static const char *start_tag(struct scan *sc, const char *s, const char *end)
{
	const char *t = s + 1;
	while (t < end && is_name_char(*t))
		t++;
	size_t name_len = (size_t)(t - s - 1);
	if (raw_text_name(s + 1, name_len))
		return NULL;
	const char *stashed = stash_tag(sc, s, t, end);
	if (stashed)
		return stashed;
	const char *tag_end = extract_plain_tag_end(s, end);
	if (!tag_end)
		return NULL;
	if (name_len == 4 && strncasecmp(s + 1, "meta", 4) == 0) /* values left as they are */
		return copy(sc, s, tag_end) ? tag_end : NULL;
	/* write it, values parked (unread attributes left out with the blanks before them but one,
	 * when sc->drop_unread: in a plain tag each is set off by blanks, '>' or "/>"; the blank
	 * kept ends a bare value before it, which would otherwise run into a "/>" after it) */
	const char *from = s;
	for (const char *u = t; u < tag_end;) {
		const char *ws = u;
		while (u < tag_end && (is_blank(*u) || *u == '>' || *u == '/'))
			u++;
		if (u >= tag_end)
			break;
		const char *name = u;
		while (is_name_char(*u))
			u++;
		const char *q0, *q1;
		const char *after = extract_attr_value_end(u, end, &q0, &q1);
		if (sc->drop_unread && !extract_attr_is_read_cached(&sc->names, name, (size_t)(u - name))) {
			if (!copy(sc, from, ws + 1))
				return NULL;
			from = u = after;
			continue;
		}
		if (q0 && q1 - q0 >= PARK_MIN_VALUE) {
			if (!copy(sc, from, q0) || !pieces(sc, q0, q1, value_run))
				return NULL;
			from = q1;
		}
		u = after;
	}
	return copy(sc, from, tag_end) ? tag_end : NULL;
}

const char *extract_plain_doctype(const char *s, const char *end)
{
	if (end - s < 10 || strncasecmp(s + 2, "doctype", 7) != 0)
		return NULL;
	const char *gt = memchr(s, '>', (size_t)(end - s));
	if (!gt)
		return NULL;
	static const char pubid[] = " \r\n-()+,./:=?;!*#@$_%\"";
	unsigned quotes = 0;
	for (const char *u = s + 2; u < gt; u++) {
		char c = *u;
		if (!is_letter(c) && !(c >= '0' && c <= '9') && !strchr(pubid, c))
			return NULL;
		quotes += c == '"';
	}
	return quotes % 2 == 0 ? gt + 1 : NULL;
}

/* scan: the whole markup; false when out of memory. */
static bool scan(struct scan *sc, const char *p, const char *end)
{
	const char *s = p;
	while (s < end) {
		const char *lt = memchr(s, '<', (size_t)(end - s));
		if (!pieces(sc, s, lt ? lt : end, text_run))
			return false;
		if (!lt)
			return true;
		const char *next = NULL;
		if (lt + 1 < end && is_letter(lt[1])) {
			next = start_tag(sc, lt, end);
			if (!next) { /* not plain: copied as it is where libxml2 ends it */
				const char *t = lt + 1;
				while (t < end && is_name_char(*t))
					t++;
				const char *e = raw_text_name(lt + 1, (size_t)(t - lt - 1)) ? NULL : odd_tag_end(lt, end);
				next = e && copy(sc, lt, e) ? e : NULL;
			}
		} else if (lt + 2 < end && lt[1] == '/' && is_letter(lt[2])) {
			const char *gt = memchr(lt, '>', (size_t)(end - lt));
			next = gt && copy(sc, lt, gt + 1) ? gt + 1 : NULL;
		} else if (lt + 1 < end && lt[1] == '!') {
			const char *gt = extract_plain_doctype(lt, end);
			next = gt && copy(sc, lt, gt) ? gt : NULL;
		}
		if (!next) /* not plain: the rest as it is */
			return copy(sc, lt, end);
		s = next;
	}
	return true;
}

void extract_park(struct buf *markup, struct extract_parked *pk, unsigned flags)
{
	memset(pk, 0, sizeof *pk);
	buf_init(&pk->source, BUF_NO_LIMIT);
	const char *p = markup->p, *end = markup->p + markup->n;
	if (!p || markup->n > UINT32_MAX || memchr(p, '\0', markup->n))
		return;
	/* the placeholders come from a block of code points the page does not use */
	uint32_t held = blocks_held(p, markup->n) | blocks_referred(p, end);
	if (held == UINT32_MAX)
		return;
	unsigned block = (unsigned)__builtin_ctz(~held);
	struct buf out;
	buf_init(&out, markup->limit);
	if (buf_grow(&out, markup->n) != CH_OK)
		return;
	/* libxml2 skips a leading byte order mark, and a second one right after it (a third is
	 * text): they stay in front, out of the first run of text (which they would otherwise
	 * begin), and as the parser does not count them in its input position, by which the
	 * builder finds the stashed tags, nothing is stashed then */
	bool bom = markup->n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0;
	size_t boms = !bom ? 0 : markup->n >= 6 && memcmp(p + 3, "\xEF\xBB\xBF", 3) == 0 ? 6 : 3;
	pk->block = (unsigned char)block;
	struct scan sc = { .base = p, .out = &out, .pk = pk, .no_stash = bom,
			   .drop_unread = (flags & EXTRACT_PARK_DROP_UNREAD) != 0 };
	copy(&sc, p, p + boms);
	if (!scan(&sc, p + boms, end) || !extract_parked_any(pk)) {
		buf_release(&out);
		free(pk->spans);
		free(pk->tags);
		free(pk->attrs);
		memset(pk, 0, sizeof *pk);
		buf_init(&pk->source, BUF_NO_LIMIT);
		return;
	}
	out.p[out.n] = '\0';
	pk->source = *markup;
	*markup = out;
}

void extract_parked_release(struct extract_parked *pk)
{
	buf_release(&pk->source);
	free(pk->spans);
	free(pk->tags);
	free(pk->attrs);
	memset(pk, 0, sizeof *pk);
}

/* digit_at: the digit (0-63) of block encoded at s (3 bytes available), or -1. */
static inline int digit_at(unsigned block, const unsigned char *s)
{
	return s[0] == 0xEE && s[1] == digit_byte(block) && s[2] >= 0x80 && s[2] < 0xC0 ? s[2] - 0x80 : -1;
}

bool extract_has_placeholder(const struct extract_parked *pk, const char *s, size_t n)
{
	return find_lead(pk->block, s, n) != NULL;
}

enum ch_status extract_unpark(const struct extract_parked *pk, const char *s, size_t n, struct buf *out)
{
	size_t run = 0, i = 0;
	while (i + 6 <= n) {
		const char *lead = find_lead(pk->block, s + i, n - i);
		if (!lead)
			break;
		size_t at = (size_t)(lead - s), j = at + 3;
		size_t index = 0;
		int digits = 0, d;
		while (digits < 3 && j + 3 <= n && (d = digit_at(pk->block, (const unsigned char *)s + j)) >= 0) {
			index = index * 64 + (size_t)d;
			digits++;
			j += 3;
		}
		if (digits == 0 || index >= pk->n) {
			i = at + 3;
			continue;
		}
		enum ch_status st = buf_add(out, s + run, at - run);
		if (st == CH_OK)
			st = buf_add(out, pk->source.p + pk->spans[2 * index], pk->spans[2 * index + 1]);
		if (st != CH_OK)
			return st;
		run = i = j;
	}
	return buf_add(out, s + run, n - run);
}
