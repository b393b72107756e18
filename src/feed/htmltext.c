/*
 * htmltext.c — the HTML side of feed text: the named character reference table (compiled in
 * from data/html_entities.tsv), entity decoding, and turning an HTML fragment into the plain
 * text chapar stores for titles, authors and summaries. Not a sanitiser and not an HTML
 * parser: a single forgiving scan that knows tags, comments, and the raw-text elements whose
 * contents are never text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "feed/parse_internal.h"

extern const unsigned char feed_html_entities_tsv[];
extern const size_t feed_html_entities_tsv_len;

/* ---------------------------------------------------------------------------------------------
 * The entity table: the embedded TSV is sorted by name; an index of line starts is built once.
 * ------------------------------------------------------------------------------------------- */

static const char **entity_lines;
static size_t entity_count;
static pthread_once_t entity_once = PTHREAD_ONCE_INIT;

/* index_entities: fill entity_lines with the start of every data line (comments skipped). */
static void index_entities(void)
{
	const char *p = (const char *)feed_html_entities_tsv;
	const char *end = p + feed_html_entities_tsv_len;
	size_t cap = 2300;
	entity_lines = malloc(cap * sizeof *entity_lines);
	if (!entity_lines)
		return;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (*p != '#' && nl > p && entity_count < cap)
			entity_lines[entity_count++] = p;
		p = nl + 1;
	}
}

/* name_cmp: compare name[0..n) with the name field (up to the tab) of an entity line. */
static int name_cmp(const char *name, size_t n, const char *line)
{
	size_t i = 0;
	for (; i < n && line[i] != '\t'; i++)
		if (name[i] != line[i])
			return (unsigned char)name[i] < (unsigned char)line[i] ? -1 : 1;
	if (i == n)
		return line[i] == '\t' ? 0 : -1;
	return 1;
}

size_t feed_entity_lookup(const char *name, size_t n, char out[16])
{
	pthread_once(&entity_once, index_entities);
	if (n == 0 || n > 40 || !entity_lines)
		return 0;
	size_t lo = 0, hi = entity_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(name, n, entity_lines[mid]);
		if (c == 0) {
			const char *p = entity_lines[mid] + n + 1;
			size_t len = 0;
			while (*p != '\n' && len <= 8) {
				char *endp;
				unsigned long cp = strtoul(p, &endp, 16);
				if (endp == p)
					break;
				len += utf8_encode((uint32_t)cp, out + len);
				p = endp;
				while (*p == ' ')
					p++;
			}
			out[len] = '\0';
			return len;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Character references
 * ------------------------------------------------------------------------------------------- */

const uint16_t feed_cp1252_c1[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* decode_ref: s[0] is '&'; when a reference follows, write its UTF-8 to out (16 bytes room)
 * and return the bytes of s it spans (with the ';' if any); 0 when it is not a reference.
 * Numeric references need no ';' at the end of the digits, like browsers. */
static size_t decode_ref(const char *s, size_t n, char out[16], size_t *outlen)
{
	size_t i = 1;
	if (i < n && s[i] == '#') {
		i++;
		bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		size_t start = i;
		uint32_t cp = 0;
		while (i < n && i - start < 8) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			i++;
		}
		if (i == start)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (cp >= 0x80 && cp < 0xA0 && feed_cp1252_c1[cp - 0x80])
			cp = feed_cp1252_c1[cp - 0x80];
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = UTF8_REPLACEMENT;
		*outlen = utf8_encode(cp, out);
		return i;
	}
	while (i < n && i < 42 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
				   (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	size_t len = feed_entity_lookup(s + 1, i - 1, out);
	if (!len)
		return 0;
	*outlen = len;
	return i + 1;
}

enum ch_status feed_decode_entities(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t stop = amp ? (size_t)(amp - s) : n;
		enum ch_status st = buf_add(out, s + i, stop - i);
		if (st != CH_OK || !amp)
			return st;
		char u[16];
		size_t ulen = 0, used = decode_ref(s + stop, n - stop, u, &ulen);
		if (used) {
			st = buf_add(out, u, ulen);
			i = stop + used;
		} else {
			st = buf_addc(out, '&');
			i = stop + 1;
		}
		if (st != CH_OK)
			return st;
	}
	return CH_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Plain text
 * ------------------------------------------------------------------------------------------- */

/* is_ascii_alpha: [A-Za-z]. */
static bool is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool feed_looks_html(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '<') {
			char c = s[i + 1];
			if (is_ascii_alpha(c) || c == '/' || c == '!')
				return true;
		} else if (s[i] == '&') {
			char u[16];
			size_t j = i + 1;
			if (s[j] == '#') {
				j++;
				bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
				j += hex;
				size_t st = j;
				while (j < n && ((s[j] >= '0' && s[j] <= '9') ||
						 (hex && strchr("abcdefABCDEF", s[j]))))
					j++;
				if (j > st && j < n && s[j] == ';')
					return true;
			} else {
				while (j < n && is_ascii_alpha(s[j]))
					j++;
				if (j > i + 1 && j < n && s[j] == ';')
					return true;
				(void)u;
			}
		}
	}
	return false;
}

/* is_ws: the whitespace Python's str.split() splits on that occurs in feeds (ASCII, NBSP is
 * not included on purpose: feedparser keeps it; U+3000 and friends are rare). */
static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ws_len: bytes of whitespace at s (ASCII whitespace, or the UTF-8 of U+00A0, U+2000–U+200A,
 * U+2028/2029, U+202F, U+205F, U+3000, U+0085 — what Python's split() treats as space). */
static size_t ws_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (is_ws(c) || (c >= 0x1c && c <= 0x1f))
		return 1;
	if (c == 0xC2 && n >= 2 && ((unsigned char)s[1] == 0xA0 || (unsigned char)s[1] == 0x85))
		return 2;
	if (c == 0xE2 && n >= 3) {
		unsigned char b = (unsigned char)s[1], d = (unsigned char)s[2];
		if (b == 0x80 && ((d >= 0x80 && d <= 0x8A) || d == 0xA8 || d == 0xA9 || d == 0xAF))
			return 3;
		if (b == 0x81 && d == 0x9F)
			return 3;
	}
	if (c == 0xE3 && n >= 3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

enum ch_status feed_collapse_ws(struct buf *out, const char *s, size_t n)
{
	if (buf_grow(out, n + 1) != CH_OK)
		return CH_ERR_NOMEM;
	char *o = out->p + out->n, *start = o;
	bool pending = false;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c > ' ' && c < 0x80) { /* the common case: a visible ASCII byte */
			if (pending) {
				*o++ = ' ';
				pending = false;
			}
			*o++ = (char)c;
			i++;
			continue;
		}
		size_t w = ws_len(s + i, n - i);
		if (w) {
			pending = o > start;
			i += w;
			continue;
		}
		if (pending) {
			*o++ = ' ';
			pending = false;
		}
		*o++ = (char)c;
		i++;
	}
	out->n = (size_t)(o - out->p);
	out->p[out->n] = '\0';
	return CH_OK;
}

/* Elements after which text is a new block (a space separates it from what came before).
 * Sorted: tag_in searches it. */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog",
	"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
	"summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
};
/* Elements whose contents are never visible text. */
static const char *const raw_tags[] = { "script", "style", "template" };

/* cmp_name: bsearch comparison of a tag name with a list entry. */
static int cmp_name(const void *key, const void *entry)
{
	return strcmp((const char *)key, *(const char *const *)entry);
}

/* tag_in: true when the tag name t[0..n) (any case) is one of list (sorted). */
static bool tag_in(const char *t, size_t n, const char *const *list, size_t count)
{
	char low[16];
	if (n == 0 || n >= sizeof low)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((t[i] >= 'A' && t[i] <= 'Z') ? t[i] + 32 : t[i]);
	low[n] = '\0';
	return bsearch(low, list, count, sizeof *list, cmp_name) != NULL;
}

/* find_ci: position of the ASCII string needle (lower case) in s[0..n), any case; n if none. */
static size_t find_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m && (s[i + k] | 0x20) == needle[k])
			k++;
		if (k == m)
			return i;
	}
	return n;
}

/* tag_end: index just past the '>' closing the tag that starts at s[i] ('<'), honouring
 * quoted attribute values; n when the tag never closes. */
static size_t tag_end(const char *s, size_t n, size_t i)
{
	char quote = 0;
	for (i++; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '>') {
			return i + 1;
		}
	}
	return n;
}

enum ch_status feed_html_to_text(struct buf *out, const char *s, size_t n)
{
	struct buf raw;
	buf_init(&raw, BUF_NO_LIMIT);
	enum ch_status st = CH_OK;
	size_t i = 0;
	while (i < n && st == CH_OK) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t stop = lt ? (size_t)(lt - s) : n;
		st = feed_decode_entities(&raw, s + i, stop - i);
		if (!lt || st != CH_OK)
			break;
		i = stop;
		if (i + 1 >= n) {
			st = buf_addc(&raw, '<');
			break;
		}
		if (s[i + 1] == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
			size_t e = find_ci(s + i + 4, n - i - 4, "-->");
			i = e == n - i - 4 ? n : i + 4 + e + 3;
			continue;
		}
		bool closing = s[i + 1] == '/';
		size_t ns = i + 1 + closing, ne = ns;
		while (ne < n && (is_ascii_alpha(s[ne]) || (ne > ns && s[ne] >= '0' && s[ne] <= '9')))
			ne++;
		if (ne == ns && s[i + 1] != '!' && s[i + 1] != '?' && !closing) {
			st = buf_addc(&raw, '<'); /* a lone '<' is text, as in browsers */
			i++;
			continue;
		}
		size_t end = tag_end(s, n, i);
		if (tag_in(s + ns, ne - ns, block_tags, sizeof block_tags / sizeof *block_tags))
			st = buf_addc(&raw, ' ');
		if (!closing && tag_in(s + ns, ne - ns, raw_tags, sizeof raw_tags / sizeof *raw_tags) &&
		    !(end >= 2 && s[end - 2] == '/')) {
			char close[16] = "</";
			memcpy(close + 2, s + ns, ne - ns);
			close[2 + ne - ns] = '\0';
			for (char *c = close; *c; c++)
				*c = (char)(*c | 0x20);
			size_t e = find_ci(s + end, n - end, close);
			end = end + e;
		}
		i = end;
	}
	if (st == CH_OK)
		st = feed_collapse_ws(out, raw.p ? raw.p : "", raw.n);
	buf_release(&raw);
	return st;
}
