/*
 * meta.c — article metadata from a parsed page: title, lead, uptitle (روتیتر), times,
 * author, image, canonical URL, site name, language. Sources in order of trust: JSON-LD, then
 * <meta> properties (Open Graph, article:*, Dublin Core, twitter:*), then the markup itself
 * (<title> less the site name, lead and uptitle blocks by their CMS class names, <time>,
 * Persian date strings through text_parse_date).
 */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "extract/jsonld.h"
#include "extract/tree.h"
#include "text/text.h"

/* Everything read from <meta> and <link> in one pass. Values borrowed from the tree. */
struct head_values {
	const char *og_title, *tw_title, *dc_title, *title_tag;
	const char *description, *og_description;
	const char *published, *modified, *author, *image, *canonical, *og_url, *site_name, *lang;
};

/* set_once: keep the first non-empty value. */
static void set_once(const char **slot, const char *v)
{
	if (!*slot && v && *v)
		*slot = v;
}

/* read_meta: record one <meta> element. */
static void read_meta(xmlNodePtr e, struct head_values *h)
{
	const char *key = node_attr(e, "property");
	if (!key)
		key = node_attr(e, "name");
	if (!key)
		key = node_attr(e, "itemprop");
	const char *v = node_attr(e, "content");
	if (!key || !v)
		return;
	static const struct {
		const char *key;
		size_t field;
	} map[] = {
		{ "og:title", offsetof(struct head_values, og_title) },
		{ "twitter:title", offsetof(struct head_values, tw_title) },
		{ "dc.title", offsetof(struct head_values, dc_title) },
		{ "dcterm:title", offsetof(struct head_values, dc_title) },
		{ "description", offsetof(struct head_values, description) },
		{ "og:description", offsetof(struct head_values, og_description) },
		{ "twitter:description", offsetof(struct head_values, og_description) },
		{ "article:published_time", offsetof(struct head_values, published) },
		{ "datepublished", offsetof(struct head_values, published) },
		{ "og:published_time", offsetof(struct head_values, published) },
		{ "pubdate", offsetof(struct head_values, published) },
		{ "publish-date", offsetof(struct head_values, published) },
		{ "dc.date.issued", offsetof(struct head_values, published) },
		{ "dc.date", offsetof(struct head_values, published) },
		{ "date", offsetof(struct head_values, published) },
		{ "parsely-pub-date", offsetof(struct head_values, published) },
		{ "article:modified_time", offsetof(struct head_values, modified) },
		{ "og:updated_time", offsetof(struct head_values, modified) },
		{ "datemodified", offsetof(struct head_values, modified) },
		{ "author", offsetof(struct head_values, author) },
		{ "dc.creator", offsetof(struct head_values, author) },
		{ "article:author", offsetof(struct head_values, author) },
		{ "og:image", offsetof(struct head_values, image) },
		{ "og:image:url", offsetof(struct head_values, image) },
		{ "twitter:image", offsetof(struct head_values, image) },
		{ "og:url", offsetof(struct head_values, og_url) },
		{ "og:site_name", offsetof(struct head_values, site_name) },
		{ "application-name", offsetof(struct head_values, site_name) },
		{ "content-language", offsetof(struct head_values, lang) },
	};
	/* property may hold several space-separated names ("og:title twitter:title") */
	char name[64];
	for (const char *s = key; *s;) {
		while (*s == ' ')
			s++;
		size_t k = 0;
		while (*s && *s != ' ')
			name[k < sizeof name - 1 ? k++ : k] = (char)tolower((unsigned char)*s), s++;
		name[k] = '\0';
		for (size_t i = 0; k && i < sizeof map / sizeof *map; i++) {
			if (strcmp(name, map[i].key) == 0) {
				/* article:author is often a profile URL, not a name */
				if (map[i].field == offsetof(struct head_values, author) && strncmp(v, "http", 4) == 0)
					continue;
				set_once((const char **)((char *)h + map[i].field), v);
			}
		}
	}
	const char *equiv = node_attr(e, "http-equiv");
	if (equiv && !strcasecmp(equiv, "content-language"))
		set_once(&h->lang, v);
}

/* read_head: walk the document once for <meta>, <link>, <title> and <html lang>. */
static void read_head(xmlDocPtr doc, struct head_values *h)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root)
		return;
	set_once(&h->lang, node_attr(root, "lang"));
	for (xmlNodePtr e = root; e; e = next_node(e, is_tag(e, "body"))) {
		if (is_tag(e, "meta")) {
			read_meta(e, h);
		} else if (is_tag(e, "link")) {
			const char *rel = node_attr(e, "rel");
			if (rel && !strcasecmp(rel, "canonical"))
				set_once(&h->canonical, node_attr(e, "href"));
			else if (rel && !strcasecmp(rel, "image_src"))
				set_once(&h->image, node_attr(e, "href"));
		} else if (is_tag(e, "title") && !h->title_tag) {
			h->title_tag = e->children && e->children->content ? (const char *)e->children->content : NULL;
		}
	}
}

/* keep: a collapsed, trimmed copy of s in the arena, or NULL when empty. */
static const char *keep(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	struct buf b;
	buf_init(&b, 1 << 20);
	trim_collapse(&b, s, strlen(s));
	const char *r = b.n ? arena_strndup(a, b.p, b.n) : NULL;
	buf_release(&b);
	return r;
}

/* ---------------------------------------------------------------------------------------------
 * Title
 * ------------------------------------------------------------------------------------------- */

static const char *const separators[] = { " | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » ",
					  " :: ", " « " };

/* word_count: words in s. */
static int word_count(const char *s)
{
	int n = 0;
	bool in = false;
	for (; *s; s++) {
		bool sp = *s == ' ';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* strip_site: the title without a " | Site" (or "Site | ") part; when the site is unknown,
 * the part before the last separator, unless that leaves fewer than three words. */
static const char *strip_site(struct arena *a, const char *title, const char *site)
{
	if (!title)
		return NULL;
	size_t n = strlen(title);
	const char *last = NULL, *first = NULL;
	size_t last_len = 0, first_len = 0;
	for (size_t k = 0; k < sizeof separators / sizeof *separators; k++) {
		size_t m = strlen(separators[k]);
		for (const char *p = strstr(title, separators[k]); p; p = strstr(p + 1, separators[k])) {
			if (!last || p > last)
				last = p, last_len = m;
			if (!first || p < first)
				first = p, first_len = m;
		}
	}
	if (!last)
		return title;
	if (site && *site) {
		const char *tail = last + last_len, *head_end = first;
		if (strcasecmp(tail, site) == 0 || strstr(site, tail) || strstr(tail, site))
			return arena_strndup(a, title, (size_t)(last - title));
		if ((size_t)(head_end - title) == strlen(site) && strncasecmp(title, site, strlen(site)) == 0)
			return first + first_len;
	}
	char *before = arena_strndup(a, title, (size_t)(last - title));
	if (before && word_count(before) >= 3)
		return before;
	const char *after = first + first_len;
	if (word_count(after) >= 3 && (size_t)(after - title) < n)
		return after;
	return title;
}

/* h1_in_title: when an <h1> of the page is one of the separator-delimited parts of title,
 * that h1's text (in the arena): "Site - Headline" pages name their headline so. */
static const char *h1_in_title(struct arena *a, xmlDocPtr doc, const char *title)
{
	struct buf t;
	buf_init(&t, 1 << 16);
	const char *found = NULL;
	int seen = 0;
	for (xmlNodePtr e = xmlDocGetRootElement(doc); e && !found && seen < 3; e = next_node(e, false)) {
		if (!is_tag(e, "h1"))
			continue;
		seen++;
		buf_reset(&t);
		node_text(e, &t);
		struct slice h = slice_trim(buf_slice(&t));
		const char *at = h.n ? strstr(title, buf_str(&t)) : NULL;
		if (!at || h.n == strlen(title))
			continue;
		/* it must stand between separators (or the ends), not inside a word */
		bool left = at == title || at[-1] == ' ', right = at[h.n] == '\0' || at[h.n] == ' ';
		if (left && right)
			found = arena_strndup(a, h.p, h.n);
	}
	buf_release(&t);
	return found;
}

/* ---------------------------------------------------------------------------------------------
 * Blocks found by class: lead, uptitle, date strings
 * ------------------------------------------------------------------------------------------- */

static const char *const lead_classes[] = { "lead", "introtext", "subtitle", "summary", "item-summary",
					   "news-lead", "abstract", "teaser", "lid" };
static const char *const uptitle_classes[] = { "rutitr", "uptitle", "up-title", "rotitr", "kicker",
					      "overtitle", "pretitle", "news-rutitr", "surtitle" };
static const char *const date_classes[] = { "date", "time", "publish", "published", "pdate", "news-date",
					   "datetime", "news_date", "item-date" };

/* The three lists above, as bits of class_kinds' answer. */
enum { CLASS_UPTITLE = 1, CLASS_LEAD = 2, CLASS_DATE = 4 };

/* lower: ASCII lower case (the tokens are ASCII; class strings are compared blind to case). */
static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* list_has: one of the count tokens starts at p (a part start), in any case, and ends where a
 * part ends. */
static bool list_has(const char *p, const char *const *tokens, size_t count)
{
	char first = lower(*p);
	for (size_t k = 0; k < count; k++) {
		const char *t = tokens[k];
		if (t[0] != first)
			continue;
		size_t m = 1;
		while (t[m] && lower(p[m]) == t[m])
			m++;
		char r = t[m] ? 'x' : p[m];
		if (r == '\0' || r == ' ' || r == '-' || r == '_')
			return true;
	}
	return false;
}

/* first_letters: a bit per letter a–z that starts one of the count tokens. */
static uint32_t first_letters(const char *const *tokens, size_t count)
{
	uint32_t m = 0;
	for (size_t k = 0; k < count; k++)
		m |= 1u << ((tokens[k][0] - 'a') & 31);
	return m;
}

/* The three lists with their bits, for class_kinds. */
static const struct class_list {
	const char *const *tokens;
	size_t count;
	unsigned kind;
} class_lists[] = {
	{ uptitle_classes, sizeof uptitle_classes / sizeof *uptitle_classes, CLASS_UPTITLE },
	{ lead_classes, sizeof lead_classes / sizeof *lead_classes, CLASS_LEAD },
	{ date_classes, sizeof date_classes / sizeof *date_classes, CLASS_DATE },
};

/* class_kinds: which of the lists (CLASS_* bits) the class string cls has a token of (in any
 * case), as a whole class or as a hyphen/underscore-separated part of one (tokens are tried only
 * where a part starts, and a list only when the part's letter starts one of its tokens). One
 * pass for the three lists: this runs on every element with a class.
 * starts[l] is first_letters of class_lists[l]. */
static unsigned class_kinds(const char *cls, const uint32_t starts[3])
{
	const struct class_list *lists = class_lists;
	unsigned kinds = 0;
	for (const char *p = cls; *p; p++) {
		if (p != cls && p[-1] != ' ' && p[-1] != '-' && p[-1] != '_')
			continue;
		char c = lower(*p);
		if (c < 'a' || c > 'z')
			continue;
		uint32_t bit = 1u << (c - 'a');
		for (size_t l = 0; l < 3; l++)
			if ((starts[l] & bit) && !(kinds & lists[l].kind) && list_has(p, lists[l].tokens, lists[l].count))
				kinds |= lists[l].kind;
	}
	return kinds;
}

/* block_text: e's text into out when between min and max characters. */
static bool block_text(xmlNodePtr e, struct buf *out, size_t min, size_t max)
{
	buf_reset(out);
	if (node_text(e, out) != CH_OK)
		return false;
	size_t chars = 0;
	for (size_t i = 0; i < out->n; i++)
		chars += ((unsigned char)out->p[i] & 0xC0) != 0x80;
	return chars >= min && chars <= max;
}

/* parse_time: an ISO date, else a Persian date string; 0 when neither. */
static int64_t parse_time(const char *s)
{
	int64_t t = 0;
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (time_parse_iso(s, &t) == CH_OK)
		return t;
	if (text_parse_date(s, strlen(s), &t) == CH_OK)
		return t;
	return 0;
}

#define MAX_CLASS ((size_t)1 << 16) /* bytes of a class string read_blocks reads */

/* read_blocks: lead, uptitle, <time> and date-class strings from the body. */
static void read_blocks(xmlDocPtr doc, struct extract_article *a, int64_t *time_found)
{
	struct buf t;
	buf_init(&t, 1 << 16);
	uint32_t starts[3];
	for (size_t l = 0; l < 3; l++)
		starts[l] = first_letters(class_lists[l].tokens, class_lists[l].count);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	for (xmlNodePtr e = root; e; e = next_node(e, false)) {
		if (is_tag(e, "head")) {
			e = next_node(e, true);
			if (!e)
				break;
		}
		const char *cls = node_attr(e, "class");
		/* (a class longer than MAX_CLASS is read as none, as it always was) */
		if (!cls || strnlen(cls, MAX_CLASS + 1) > MAX_CLASS)
			cls = "";
		if (!*cls && !is_tag(e, "time"))
			continue;
		unsigned kinds = class_kinds(cls, starts);
		if (!a->uptitle && (kinds & CLASS_UPTITLE) &&
		    block_text(e, &t, 2, 200))
			a->uptitle = arena_strndup(&a->arena, t.p, t.n);
		else if (!a->lead && (kinds & CLASS_LEAD) &&
			 block_text(e, &t, 30, 1500)) {
			a->lead = arena_strndup(&a->arena, t.p, t.n);
			/* the lead is a field of its own: the body leaves this block out */
			extract_set_attr(e, LEAD_MARK, "1");
		}
		if (*time_found)
			continue;
		if (is_tag(e, "time")) {
			*time_found = parse_time(node_attr(e, "datetime"));
			if (!*time_found && block_text(e, &t, 6, 80))
				*time_found = parse_time(t.p);
		} else if ((kinds & CLASS_DATE) &&
			   block_text(e, &t, 6, 80)) {
			*time_found = parse_time(t.p);
		}
	}
	buf_release(&t);
}

/* ---------------------------------------------------------------------------------------------
 * JSON-LD and the whole
 * ------------------------------------------------------------------------------------------- */

struct ld_values {
	struct buf headline, published, modified, author, publisher, image, description;
};

/* read_jsonld: the first value of each key over the NUL-separated blocks. */
static void read_jsonld(const struct buf *jsonld, struct ld_values *v)
{
	for (size_t at = 0; jsonld->p && at < jsonld->n;) {
		const char *block = jsonld->p + at;
		size_t n = strlen(block);
		if (!v->headline.n)
			jsonld_get(block, n, "headline", NULL, &v->headline);
		if (!v->published.n)
			jsonld_get(block, n, "datePublished", NULL, &v->published);
		if (!v->modified.n)
			jsonld_get(block, n, "dateModified", NULL, &v->modified);
		if (!v->author.n)
			jsonld_get(block, n, "author", "name", &v->author);
		if (!v->publisher.n)
			jsonld_get(block, n, "publisher", "name", &v->publisher);
		if (!v->image.n)
			jsonld_get(block, n, "image", "url", &v->image);
		if (!v->description.n)
			jsonld_get(block, n, "description", NULL, &v->description);
		at += n + 1;
	}
}

/* absolute: url resolved against base, in the arena; NULL when unusable. */
static const char *absolute(struct arena *a, const char *url, const char *base)
{
	if (!url)
		return NULL;
	struct buf b;
	buf_init(&b, 1 << 16);
	const char *r = NULL;
	struct buf t;
	buf_init(&t, 1 << 16);
	trim_collapse(&t, url, strlen(url));
	if (t.n && url_resolve(&b, t.p, base))
		r = arena_strndup(a, b.p, b.n);
	buf_release(&t);
	buf_release(&b);
	return r;
}

void extract_meta(xmlDocPtr doc, const struct buf *jsonld, const char *base_url,
		  struct extract_article *a)
{
	struct head_values h = { 0 };
	read_head(doc, &h);
	struct ld_values ld;
	struct buf *bufs[] = { &ld.headline, &ld.published, &ld.modified, &ld.author, &ld.publisher,
			       &ld.image, &ld.description };
	for (size_t k = 0; k < sizeof bufs / sizeof *bufs; k++)
		buf_init(bufs[k], 1 << 16);
	read_jsonld(jsonld, &ld);
	struct arena *ar = &a->arena;

	a->site_name = keep(ar, h.site_name ? h.site_name : (ld.publisher.n ? ld.publisher.p : NULL));
	const char *title = ld.headline.n ? ld.headline.p : h.og_title ? h.og_title : h.dc_title ? h.dc_title : h.tw_title;
	if (title)
		a->title = strip_site(ar, keep(ar, title), a->site_name);
	else if (h.title_tag) {
		const char *whole = keep(ar, h.title_tag);
		a->title = whole ? h1_in_title(ar, doc, whole) : NULL;
		if (!a->title)
			a->title = strip_site(ar, whole, a->site_name);
	}
	a->author = keep(ar, ld.author.n ? ld.author.p : h.author);
	a->image = absolute(ar, ld.image.n ? ld.image.p : h.image, base_url);
	a->canonical_url = absolute(ar, h.canonical ? h.canonical : h.og_url, base_url);
	a->language = keep(ar, h.lang);
	a->published = parse_time(ld.published.n ? ld.published.p : h.published);
	if (!a->published && h.published && ld.published.n)
		a->published = parse_time(h.published);
	a->modified = parse_time(ld.modified.n ? ld.modified.p : h.modified);
	int64_t from_page = 0;
	read_blocks(doc, a, &from_page);
	if (!a->published)
		a->published = from_page;
	if (!a->lead)
		a->lead = keep(ar, h.og_description ? h.og_description : h.description ? h.description
							  : (ld.description.n ? ld.description.p : NULL));
	for (size_t k = 0; k < sizeof bufs / sizeof *bufs; k++)
		buf_release(bufs[k]);
}
