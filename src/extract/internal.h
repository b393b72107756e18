/*
 * internal.h — what the files of src/extract share and nobody else sees: the input pipeline
 * (charset detection, conversion to UTF-8, the byte-level prefilter, the libxml2 parse), the
 * hint and phrase tables compiled in from data/, and small tree helpers. libxml2 types appear
 * here, so only src/extract includes this header.
 */
#ifndef CHAPAR_EXTRACT_INTERNAL_H
#define CHAPAR_EXTRACT_INTERNAL_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "extract/extract.h"

/* Input caps (LIBRARIES.md §1): raw bytes we convert at all, and the markup handed to libxml2
 * after scripts, styles and comments are stripped. Beyond them the page is truncated. */
#define EXTRACT_MAX_RAW ((size_t)64 << 20)
#define EXTRACT_MAX_MARKUP ((size_t)5 << 20)
/* JSON-LD blocks kept from the prefilter, in total. */
#define EXTRACT_MAX_JSONLD ((size_t)256 << 10)

/* ---- input pipeline (input.c) ---------------------------------------------------------------- */

/* The blanks libxml2's HTML parser skips between attributes and tests text for (IS_BLANK_CH),
 * and the ASCII name grammar it reads tag and attribute names by: shared by the byte-level
 * passes that must see tags as it does (input.c, park.c). */
static inline bool markup_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool markup_name_start(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == ':';
}

static inline bool markup_name_char(char c)
{
	return markup_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* zero_bytes: the high bit of each byte of x that is zero, exactly (no borrow between bytes):
 * for scanning markup eight bytes at a time. */
static inline uint64_t zero_bytes(uint64_t x)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fu;
	return ~(((x & low7) + low7) | x | low7);
}

/* lower_ascii_in_place: the ASCII capitals of s (n bytes) in lower case, eight bytes at once
 * (what tolower does in the C locale, which the library runs in; other bytes as they are). */
static inline void lower_ascii_in_place(char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t low7 = w & ~high;
		/* per byte: ASCII, at least 'A', not past 'Z' (no carry crosses a byte) */
		uint64_t upper = ~w & (low7 + ones * (0x80 - 'A')) & ~(low7 + ones * (0x7F - 'Z')) & high;
		w |= upper >> 2;
		memcpy(s + i, &w, 8);
	}
	for (; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] + 32);
}

/* flags_count: how many bytes zero_bytes (or another per-byte test) flagged in flags, without
 * a population count (not an instruction of the baseline x86-64 the build targets). */
static inline unsigned flags_count(uint64_t flags)
{
	return (unsigned)(((flags >> 7) * 0x0101010101010101u) >> 56);
}

/* text_word_plain: the eight bytes w of text hold no whitespace a collapsing copy would change:
 * no control byte, no 0xC2 (the lead of NBSP), no space first, last or after a space (single
 * spaces inside are copied as they are), so they can be copied as they are at once. */
static inline bool text_word_plain(uint64_t w)
{
	uint64_t sp = zero_bytes(w ^ 0x2020202020202020u);
	return (zero_bytes(w & 0xE0E0E0E0E0E0E0E0u) | zero_bytes(w ^ 0xC2C2C2C2C2C2C2C2u) |
		(sp & ((sp << 8) | 0x80u | 0x8000000000000000u))) == 0;
}

/* Runs of text and attribute values put aside from the markup before parsing (park.c): span i
 * is source.p[spans[2i] .. +spans[2i+1]), named in the markup by a placeholder of private-use
 * characters. Owned; n == 0 when nothing was parked. */
struct extract_parked {
	struct buf source; /* the markup as it was */
	uint32_t *spans;
	size_t n, cap;
	/* Start tags whose whole attribute list was taken out of the markup ("<div class=x>" became
	 * "<div>"): tag i's attributes are attrs[tags[i].first .. + tags[i].count), in order, later
	 * repeats of a name already left out (libxml2 drops them); the builder gives them back to
	 * the element libxml2 reports with that name when its parser stands at tags[i].at. */
	struct extract_stashed_tag {
		uint32_t at;       /* offset in the parked markup right after the tag's name */
		uint32_t name;     /* the name in source: offset, length */
		uint32_t name_len;
		uint32_t first, count;
	} *tags;
	struct extract_stashed_attr {
		uint32_t name, name_len;   /* in source */
		uint32_t value, value_len; /* in source; value == UINT32_MAX: no value */
		bool refs; /* the value holds references of extract_simple_ref, decoded when given back */
	} *attrs;
	size_t ntags, tags_cap, nattrs, attrs_cap;
	unsigned char block; /* the private-use block the placeholders are taken from (park.c) */
};

/* A page turned into parseable UTF-8 markup. Both bufs are owned. */
struct extract_input {
	struct buf markup; /* UTF-8 HTML, scripts/styles/comments removed, long runs parked */
	struct extract_parked parked;
	struct buf jsonld; /* the bodies of <script type="application/ld+json">, NUL-separated */
	char charset[48];  /* the charset the page was read in, lower case */
};

/* extract_input_prepare: detect the charset of raw (HTTP header, BOM, <meta> prescan, sniffing),
 * convert to UTF-8, repair invalid bytes, strip script/style/comments (keeping JSON-LD) and cap
 * the size. in must be released with extract_input_release, also on failure. */
enum ch_status extract_input_prepare(const char *raw, size_t n, const char *http_content_type,
				     struct extract_input *in, struct ch_error *err);
void extract_input_release(struct extract_input *in);
/* extract_park: replace the long runs of text and quoted attribute values of markup that libxml2
 * certainly reads as such by placeholders, and the attribute lists of plain start tags by
 * nothing, recording them in pk (which takes the old markup); leaves markup as it is
 * (!extract_parked_any(pk)) where that is not certain. With EXTRACT_PARK_DROP_UNREAD, the
 * attributes of those tags that nothing here reads (extract_attr_is_read) are not recorded
 * either: the tree then holds what extract_parse_html without EXTRACT_PARSE_ALL_ATTRS gives.
 * Release pk with extract_parked_release. */
enum { EXTRACT_PARK_DROP_UNREAD = 1 }; /* flags of extract_park */
void extract_park(struct buf *markup, struct extract_parked *pk, unsigned flags);
/* extract_simple_ref: when [s, e) starts with one of the few references that libxml2 decodes in
 * an attribute value the same way whatever follows ("&amp;", "&quot;", "&lt;", "&gt;",
 * "&nbsp;", spelt exactly so), its length, with its UTF-8 in *utf8 (*utf8_len bytes); else 0. */
size_t extract_simple_ref(const char *s, const char *e, const char **utf8, size_t *utf8_len);
void extract_parked_release(struct extract_parked *pk);
/* extract_parked_any: pk holds parked runs or stashed attributes (pk->source is the markup as
 * it was). */
static inline bool extract_parked_any(const struct extract_parked *pk)
{
	return pk->n > 0 || pk->ntags > 0;
}
/* extract_attr_value_end: for the attribute whose name ends at t, where it ends (after its
 * value; t itself when it has none) and, when the value is quoted, its inside in [*q0, *q1)
 * (else both NULL); NULL when it does not follow the plain grammar (an unterminated value,
 * nothing after it). */
const char *extract_attr_value_end(const char *t, const char *end, const char **q0, const char **q1);
/* extract_plain_tag_end: the position after the start tag at s ('<' and a letter) when it
 * follows the plain grammar (a name, then blank-separated names each with no value, an
 * unquoted one or a quoted one, then '>' or "/>"), so that libxml2 certainly ends it there;
 * NULL otherwise. */
const char *extract_plain_tag_end(const char *s, const char *end);
/* extract_plain_doctype: the end of the DOCTYPE declaration at s ("<!DOCTYPE", any case) when
 * libxml2 certainly ends it at its first '>': nothing in it but the characters of public
 * identifiers and paired double quotes, so no quoted literal runs on past the '>'; NULL when
 * s holds no such declaration. */
const char *extract_plain_doctype(const char *s, const char *end);
/* extract_has_placeholder: s (n bytes) holds a placeholder lead of extract_park's pk. */
bool extract_has_placeholder(const struct extract_parked *pk, const char *s, size_t n);
/* extract_unpark: append s (n bytes) to out with each placeholder of pk replaced by its run. */
enum ch_status extract_unpark(const struct extract_parked *pk, const char *s, size_t n, struct buf *out);

/* ---- tree building (build.c) ------------------------------------------------------------------ */

/* extract_parse_html: libxml2 HTML parse of UTF-8 markup with the hardened options and silenced
 * error output, keeping only the attributes this module reads (build.c's read_attrs) unless
 * flags has EXTRACT_PARSE_ALL_ATTRS; its tree built in memory of its own (libxml2's node structs, none freed one by
 * one: never call xmlFreeDoc on it, nor any libxml2 function that frees or reallocates a node,
 * a name or an attribute). Caller frees with extract_free_doc; every node, name and string in
 * it is borrowed until then. NULL when out of memory. */
enum { EXTRACT_PARSE_ALL_ATTRS = 1 };
/* extract_attr_is_read: the attribute name (n bytes, any case) is one this module reads. */
bool extract_attr_is_read(const char *name, size_t n);
/* A page's attribute names repeat: the answers of extract_attr_is_read for the names met so far,
 * by their exact bytes (direct-mapped; longer names are not kept). Zero it before use. */
#define EXTRACT_NAME_CACHE_SLOTS 64
#define EXTRACT_NAME_CACHE_LEN 24
struct extract_name_cache {
	struct {
		unsigned char len; /* 0: empty */
		bool read;
		char name[EXTRACT_NAME_CACHE_LEN];
	} slot[EXTRACT_NAME_CACHE_SLOTS];
};
/* extract_attr_is_read_cached: extract_attr_is_read(name, n), through the cache. */
bool extract_attr_is_read_cached(struct extract_name_cache *cache, const char *name, size_t n);
xmlDocPtr extract_parse_html(const char *utf8, size_t n, unsigned flags);
/* extract_parse_parked: extract_parse_html of markup from extract_park, the parked runs put back
 * (parked may be NULL or empty: then the same as extract_parse_html). */
xmlDocPtr extract_parse_parked(const char *utf8, size_t n, unsigned flags,
			       const struct extract_parked *parked);
void extract_free_doc(xmlDocPtr doc);
/* extract_stash_redos: how often this thread's extract_parse_parked found the stashed attributes
 * of park.c not all given back where they belong and parsed the markup as it was instead (never,
 * as far as the tests and the fuzz target see: they check this). */
unsigned long extract_stash_redos(void);
/* extract_copy_doc: a copy of doc (from extract_parse_html) without statistics, sharing none of
 * its nodes but its strings: free the copy (extract_free_doc) before doc. NULL when out of
 * memory. A copy costs a small part of a parse (no libxml2). */
xmlDocPtr extract_copy_doc(xmlDocPtr doc);
/* extract_doc_alloc: n zeroed bytes, 16-aligned, freed with doc; NULL when out of memory. */
void *extract_doc_alloc(xmlDocPtr doc, size_t n);
/* extract_new_element: a new unlinked element of doc named name (a string that outlives doc,
 * e.g. a literal); NULL when out of memory. */
xmlNodePtr extract_new_element(xmlDocPtr doc, const char *name);
/* extract_set_attr: set attribute name of e (an element of a document from extract_parse_html)
 * to a copy of value; false when out of memory. */
bool extract_set_attr(xmlNodePtr e, const char *name, const char *value);
/* extract_dump_tree: append to out a line per node of doc (any libxml2 HTML document) in
 * document order: depth, type, name, attributes, content; DTD nodes left out. For the tests that
 * hold this builder to libxml2's own. */
void extract_dump_tree(xmlDocPtr doc, struct buf *out);

/* ---- hint tables (hints.c, from the data files) ---------------------------------------------------- */

enum hint_kind {
	HINT_UNLIKELY,  /* class/id of boilerplate blocks: removed before scoring */
	HINT_MAYBE,     /* class/id that rescues an HINT_UNLIKELY match */
	HINT_POSITIVE,  /* class/id of content blocks: +25 */
	HINT_NEGATIVE,  /* class/id of non-content blocks: -25 */
	HINT_CONTENT,   /* class of a CMS's article body: a short article there is still the article */
	HINT_KIND_COUNT
};

/* hint_match: true when the lower-cased class/id string s matches a hint of the kind. */
bool hint_match(enum hint_kind kind, const char *s, size_t n);

enum phrase_kind {
	PHRASE_BOX,    /* heading of a related / most-read / read-more box: the box goes */
	PHRASE_LINE,   /* a widget line on its own ("مشاهده در مرجع"): the line goes */
	PHRASE_SOURCE, /* "منبع" and its kin: the line names the source outlet */
	PHRASE_KIND_COUNT
};

/* phrase_match: true when the folded text t (see fold_key) equals a phrase of kind; *tail_at
 * (when tail_at is not NULL) gets n. */
bool phrase_match(enum phrase_kind kind, const char *t, size_t n, size_t *tail_at);

/* fold_key: append to out a comparison key of s: letters only, Arabic yeh/kaf folded to Persian,
 * ZWNJ, spaces, punctuation and digits dropped, ASCII lower-cased. */
enum ch_status fold_key(struct buf *out, const char *s, size_t n);

/* ---- metadata (meta.c) ------------------------------------------------------------------------ */

/* The attribute extract_meta puts on the lead block it read, so the body leaves it out. */
#define LEAD_MARK "data-chapar-lead"

/* extract_meta: fill the metadata fields of a from the document head, JSON-LD blocks (jsonld,
 * NUL-separated) and page markup; strings are copied into a->arena. */
void extract_meta(xmlDocPtr doc, const struct buf *jsonld, const char *base_url,
		  struct extract_article *a);

/* ---- helpers (util.c) ------------------------------------------------------------------------ */

/* node_attr: value of attribute name (lower case) on node, borrowed from the tree; NULL when
 * absent. */
const char *node_attr(xmlNodePtr node, const char *name);
/* node_text: append the text of node's subtree, whitespace collapsed, to out (iterative). */
enum ch_status node_text(xmlNodePtr node, struct buf *out);
/* url_resolve: append url resolved against base (may be NULL) to out; false when url is empty
 * or has a disallowed scheme (javascript:, data:, vbscript:, ...). */
bool url_resolve(struct buf *out, const char *url, const char *base);
/* trim_collapse: copy s into out with whitespace runs (incl. NBSP) collapsed and trimmed. */
enum ch_status trim_collapse(struct buf *out, const char *s, size_t n);

#endif
