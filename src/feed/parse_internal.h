/*
 * parse_internal.h — helpers shared by the feed parsers (RSS/Atom, JSON Feed, OPML) inside
 * src/feed only: the HTML entity table, HTML-to-text, whitespace collapsing, charset decoding
 * and the XML clean-up pass. Not part of the module's API (that is feed.h).
 */
#ifndef CHAPAR_FEED_PARSE_INTERNAL_H
#define CHAPAR_FEED_PARSE_INTERNAL_H

#include "feed/feed.h"

/* Hard bounds on what one feed may cost. */
#define FEED_MAX_INPUT (16u << 20)   /* bytes of input considered */
#define FEED_MAX_ENTRIES 10000       /* entries kept per feed */
#define FEED_MAX_DEPTH 200           /* element nesting walked */
#define FEED_MAX_LIST 64             /* enclosures or categories kept per entry */
#define FEED_ARENA_LIMIT (256u << 20)

/* feed_entity_lookup: the code points (UTF-8, at most 8 bytes plus NUL, into out) of the HTML
 * named character reference name[0..n) (without '&' and ';'). Returns the UTF-8 length, or 0
 * when name is not an HTML entity. */
size_t feed_entity_lookup(const char *name, size_t n, char out[16]);

/* feed_cp1252_c1: what windows-1252 means by the bytes 0x80–0x9F (0 = nothing), the way
 * browsers read &#128;–&#159; and the C1 controls of mislabelled text. */
extern const uint16_t feed_cp1252_c1[32];

/* feed_decode_entities: append s with every character reference (named HTML entities, &#N;
 * and &#xH;) decoded; references that are not known stay as written. */
enum ch_status feed_decode_entities(struct buf *out, const char *s, size_t n);

/* feed_looks_html: true when s contains a tag or a character reference (the same test the
 * reference parser applies to RSS text whose type is not given). */
bool feed_looks_html(const char *s, size_t n);

/* feed_html_to_text: append the visible text of the HTML fragment s: tags dropped (block
 * elements become a space), script/style/template contents dropped, entities decoded,
 * whitespace collapsed to single spaces and trimmed. */
enum ch_status feed_html_to_text(struct buf *out, const char *s, size_t n);

/* feed_collapse_ws: append s with runs of whitespace turned into one space, trimmed. */
enum ch_status feed_collapse_ws(struct buf *out, const char *s, size_t n);

/* feed_decode: turn raw feed bytes into UTF-8 (BOM removed, invalid bytes repaired).
 * The charset comes from the HTTP Content-Type (may be NULL), the BOM, the XML declaration or
 * sniffing, with a declared-but-wrong charset recovered. enc (32 bytes) receives the name of
 * the charset actually used, lower case ("utf-8", "windows-1256"). *text is the result: a part
 * of data when it was valid UTF-8 already (no copy), else the contents of out. */
enum ch_status feed_decode(const char *data, size_t n, const char *http_content_type,
			   struct buf *out, char enc[32], struct slice *text, struct ch_error *err);

/* feed_xml_cleanup: the UTF-8 XML document s with what a browser would forgive made
 * well-formed: HTML named entities become numeric references, a bare '&' becomes "&amp;",
 * characters XML forbids become spaces, whitespace before the XML declaration goes. CDATA
 * sections and comments are left as they are. *result is the cleaned text: a part of s when
 * nothing needed changing (no copy is made), else the contents of out. */
enum ch_status feed_xml_cleanup(struct buf *out, const char *s, size_t n, struct slice *result);

/* feed_new: an empty feed with its arena (caller frees with feed_free); NULL when out of
 * memory. */
struct feed *feed_new(void);

/* Entry list under construction: grows in the heap, copied into the feed's arena at the end. */
struct entry_list {
	struct feed_entry *v;
	size_t n, cap;
};
/* entry_list_add: a new zeroed entry (published/updated 0, no lists); NULL when out of memory
 * or over FEED_MAX_ENTRIES. */
struct feed_entry *entry_list_add(struct entry_list *l);
/* entry_list_finish: move the entries into f (arena copy) and free the list. */
enum ch_status entry_list_finish(struct entry_list *l, struct feed *f);

/* str_list_add: append s (arena string) to a growable arena array *v of *n strings (at most
 * FEED_MAX_LIST); skips duplicates and empty strings. */
void str_list_add(struct arena *a, const char ***v, size_t *n, const char *s);
/* enclosure_add: append an enclosure unless its URL is already there (at most FEED_MAX_LIST). */
void enclosure_add(struct arena *a, struct feed_entry *e, const char *url, const char *type,
		   int64_t length);

/* Format parsers, called by feed_parse on the decoded UTF-8 text. */
enum ch_status feed_parse_xml(struct feed *f, const char *utf8, size_t n, const char *base_url,
			      struct ch_error *err);
enum ch_status feed_parse_json(struct feed *f, const char *utf8, size_t n, const char *base_url,
			       struct ch_error *err);

/* feed_libxml_init: one-time libxml2 set-up, and error handlers that print nothing installed
 * for the calling thread. */
void feed_libxml_init(void);

#endif
