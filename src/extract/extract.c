/*
 * extract.c — extract_article(): bytes of a page in, the article out. The page is made UTF-8
 * and parsed (input.c), metadata read (meta.c), the article found (grab.c) — retried with
 * looser rules when what is found is too short, keeping the longest attempt — then polished
 * (repeated paragraphs and a repeated title dropped, widget lines dropped, a "منبع: ..." line
 * taken as the source credit) and written out as text (one paragraph per line) and as
 * sanitised HTML.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/grab.h"
#include "extract/sanitize.h"

#define MIN_ARTICLE_CHARS 500  /* shorter: try again with looser rules */
#define MAX_SOURCE_CHARS 60    /* a source credit longer than this is a sentence, not a credit */
#define MAX_SEEN 256           /* paragraphs remembered for the repeat test */
#define TEASER_BLOCKS 2        /* a repeat of one of the first blocks is a teaser shown twice */
#define ARTICLE_ARENA_LIMIT ((size_t)256 << 20)

/* ---------------------------------------------------------------------------------------------
 * Polish: repeated paragraphs, repeated title, widget lines, source line
 * ------------------------------------------------------------------------------------------- */

struct polish {
	struct grab *g;
	struct extract_article *a;
	struct buf title_key, text, key;
	uint64_t lead; /* hash of the lead's key (0 when none) */
	bool lead_seen;
	struct seen {
		uint64_t hash; /* of a kept paragraph's key */
		xmlNodePtr parent;
	} seen[MAX_SEEN];
	size_t nseen;
};

/* source_credit: when text is a "منبع: فارس" line, the outlet part (in out); else false. */
static bool source_credit(struct polish *p, const char *text, size_t n, struct buf *out)
{
	const char *colon = memchr(text, ':', n);
	if (!colon || n > 3 * MAX_SOURCE_CHARS)
		return false;
	buf_reset(&p->key);
	fold_key(&p->key, text, (size_t)(colon - text));
	if (!p->key.n || !phrase_match(PHRASE_SOURCE, p->key.p, p->key.n, NULL))
		return false;
	buf_reset(out);
	trim_collapse(out, colon + 1, n - (size_t)(colon + 1 - text));
	while (out->n && (out->p[out->n - 1] == '.' || out->p[out->n - 1] == ' '))
		out->p[--out->n] = '\0';
	return out->n > 0 && out->n <= MAX_SOURCE_CHARS * 2;
}

/* inside: top is e or an ancestor of it (false for a NULL top). */
static bool inside(xmlNodePtr top, xmlNodePtr e)
{
	for (; top && e && e->type == XML_ELEMENT_NODE; e = e->parent)
		if (e == top)
			return true;
	return false;
}

/* polish_block: decide about one leaf block: true to remove it. */
static bool polish_block(struct polish *p, xmlNodePtr e)
{
	/* the lead block is a field of its own when it stands beside the article's main block; a
	 * lead inside the main block is part of the text */
	int depth = 0;
	for (xmlNodePtr up = e; up && up->type == XML_ELEMENT_NODE && depth++ < 4; up = up->parent)
		if (node_attr(up, LEAD_MARK))
			return !inside(p->g->top, e);
	buf_reset(&p->text);
	node_text(e, &p->text);
	if (!p->text.n)
		return false;
	struct buf credit;
	buf_init(&credit, 4096);
	bool is_source = source_credit(p, p->text.p, p->text.n, &credit);
	if (is_source && !p->a->source_credit)
		p->a->source_credit = arena_strndup(&p->a->arena, credit.p, credit.n);
	buf_release(&credit);
	if (is_source)
		return true;
	buf_reset(&p->key);
	fold_key(&p->key, p->text.p, p->text.n);
	if (!p->key.n)
		return false;
	if (p->key.n < 120 && phrase_match(PHRASE_LINE, p->key.p, p->key.n, NULL))
		return true;
	if (p->title_key.n && p->key.n == p->title_key.n && !memcmp(p->key.p, p->title_key.p, p->key.n))
		return true;
	/* a repeated paragraph: the teaser shown again in the body — the page's lead, or one of
	 * the article's first blocks repeated from another block. Other repeats stay: documents do
	 * repeat themselves. */
	uint64_t h = hash_fnv1a64(p->key.p, p->key.n);
	if (h == p->lead && p->lead_seen)
		return true;
	p->lead_seen |= h == p->lead;
	size_t index = p->nseen;
	for (size_t i = 0; i < p->nseen; i++)
		if (p->seen[i].hash == h)
			return i < TEASER_BLOCKS && p->seen[i].parent != e->parent;
	if (index < MAX_SEEN)
		p->seen[p->nseen++] = (struct seen){ h, e->parent };
	return false;
}

/* is_leaf_block: e is a block element with no block inside (statistics are current: the
 * grab pass recomputes them for the article before polishing). */
static bool is_leaf_block(xmlNodePtr e)
{
	if (!(elem_flags(e) & TF_BLOCK) || is_tag(e, "br") || is_tag(e, "hr"))
		return false;
	const struct nstat *s = e->_private;
	return s && !s->has_any_block;
}

/* polish: walk the article's leaf blocks in order and drop what polish_block says. */
static void polish(struct grab *g, xmlNodePtr article, struct extract_article *a)
{
	struct polish p = { .g = g, .a = a };
	buf_init(&p.title_key, 1 << 16);
	buf_init(&p.text, 1 << 22);
	buf_init(&p.key, 1 << 22);
	if (a->title)
		fold_key(&p.title_key, a->title, strlen(a->title));
	if (a->lead) {
		fold_key(&p.key, a->lead, strlen(a->lead));
		p.lead = p.key.n ? hash_fnv1a64(p.key.p, p.key.n) : 0;
	}
	for (xmlNodePtr e = first_element_child(article); e;) {
		bool leaf = is_leaf_block(e);
		xmlNodePtr next = next_node_within(article, e, leaf);
		if (leaf && polish_block(&p, e))
			tree_remove(&g->tree, e);
		e = next;
	}
	buf_release(&p.title_key);
	buf_release(&p.text);
	buf_release(&p.key);
}

/* ---------------------------------------------------------------------------------------------
 * Text output: one paragraph per line
 * ------------------------------------------------------------------------------------------- */

/* newline: end the current line unless the output is at a line start. */
static void newline(struct buf *out)
{
	while (out->n && out->p[out->n - 1] == ' ')
		out->p[--out->n] = '\0';
	if (out->n && out->p[out->n - 1] != '\n')
		buf_addc(out, '\n');
}

/* add_text: text of a text node, whitespace collapsed (kept inside <pre>). */
static void add_text(struct buf *out, const char *s, bool pre)
{
	size_t len = strlen(s);
	if (!pre && buf_grow(out, len) == CH_OK) {
		/* the result is never longer than s: written in place, plain words eight bytes at
		 * once (this runs over all of the article's text) */
		char *o = out->p + out->n;
		const char *end = s + len;
		while (s < end) {
			uint64_t w;
			if (end - s >= 8 && (memcpy(&w, s, 8), text_word_plain(w))) {
				memcpy(o, &w, 8);
				o += 8;
				s += 8;
				continue;
			}
			unsigned char c = (unsigned char)*s;
			bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
				     (c == 0xC2 && (unsigned char)s[1] == 0xA0);
			if (!space) {
				*o++ = (char)c;
				s++;
				continue;
			}
			s += c == 0xC2 ? 2 : 1;
			if (o > out->p && o[-1] != ' ' && o[-1] != '\n')
				*o++ = ' ';
		}
		out->n = (size_t)(o - out->p);
		out->p[out->n] = '\0';
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (pre) {
			buf_addc(out, c == '\r' ? '\n' : (char)c);
			continue;
		}
		bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
			     (c == 0xC2 && (unsigned char)s[1] == 0xA0);
		if (!space) { /* the whole run up to the next possible space, in one append */
			size_t n = 1;
			while (s[n] && (unsigned char)s[n] > ' ' && (unsigned char)s[n] != 0xC2)
				n++;
			buf_add(out, s, n);
			s += n - 1;
			continue;
		}
		if (c == 0xC2)
			s++;
		if (out->n && out->p[out->n - 1] != ' ' && out->p[out->n - 1] != '\n')
			buf_addc(out, ' ');
	}
}

/* render_text: the text of root's children into out, blocks on their own lines (iterative). */
static void render_text(xmlNodePtr root, struct buf *out)
{
	int pre = 0;
	xmlNodePtr cur = root->children;
	while (cur) {
		if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
			if (cur->content)
				add_text(out, (const char *)cur->content, pre > 0);
		} else if (cur->type == XML_ELEMENT_NODE) {
			unsigned f = elem_flags(cur);
			if (is_tag(cur, "br")) {
				newline(out);
				if (out->n && pre)
					buf_addc(out, '\n');
			} else if (f & TF_BLOCK) {
				newline(out);
			}
			if (is_tag(cur, "pre"))
				pre++;
			if (cur->children && !(f & TF_DROP)) {
				cur = cur->children;
				continue;
			}
			if (is_tag(cur, "pre"))
				pre--;
		}
		while (cur != root && !cur->next) {
			cur = cur->parent;
			if (!cur || cur == root)
				return;
			if (elem_flags(cur) & TF_BLOCK)
				newline(out);
			if (is_tag(cur, "pre"))
				pre--;
		}
		cur = cur->next;
	}
}

/* tidy_lines: out with each line trimmed and empty lines removed, into the arena. */
static const char *tidy_lines(struct arena *ar, const struct buf *in, size_t *chars)
{
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	const char *s = in->p ? in->p : "", *end = s + in->n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		struct slice line = slice_trim((struct slice){ s, (size_t)(e - s) });
		if (line.n) {
			if (out.n)
				buf_addc(&out, '\n');
			buf_add(&out, line.p, line.n);
		}
		s = nl ? nl + 1 : end;
	}
	*chars = 0;
	size_t i = 0;
	for (uint64_t w; i + 8 <= out.n; i += 8) { /* characters: bytes not continuing one */
		memcpy(&w, out.p + i, 8);
		*chars += 8 - flags_count(zero_bytes((w & 0xC0C0C0C0C0C0C0C0u) ^ 0x8080808080808080u));
	}
	for (; i < out.n; i++)
		*chars += ((unsigned char)out.p[i] & 0xC0) != 0x80;
	const char *r = arena_strndup(ar, out.p ? out.p : "", out.n);
	buf_release(&out);
	return r;
}

/* ---------------------------------------------------------------------------------------------
 * The whole
 * ------------------------------------------------------------------------------------------- */

struct attempt {
	const char *text, *html, *byline;
	size_t chars;
	bool cms_body; /* the article is (inside) a CMS's marked article body */
};

/* in_cms_body: article holds an element whose class marks a CMS article body (HINT_CONTENT). */
static bool in_cms_body(struct grab *g, xmlNodePtr article)
{
	for (xmlNodePtr e = first_element_child(article); e; e = next_node_within(article, e, false)) {
		const char *cls = node_attr(e, "class");
		if (!cls || !*cls)
			continue;
		match_string(e, &g->scratch);
		if (hint_match(HINT_CONTENT, g->scratch.p, g->scratch.n))
			return true;
	}
	return false;
}

/* one_attempt: find the article in doc (an untouched tree, freed here) with the given flags,
 * fill *at. On the first attempt (with_meta) the metadata is read first. */
static enum ch_status one_attempt(xmlDocPtr doc, struct extract_input *in, const char *base_url,
				  unsigned flags, bool with_meta, struct extract_article *a,
				  struct attempt *at)
{
	if (with_meta)
		extract_meta(doc, &in->jsonld, base_url, a);
	struct grab g;
	grab_init(&g, doc, &a->arena, flags, a->title);
	xmlNodePtr article = grab_article(&g);
	enum ch_status st = g.tree.nomem ? CH_ERR_NOMEM : CH_OK;
	memset(at, 0, sizeof *at);
	if (article && st == CH_OK) {
		polish(&g, article, a);
		struct buf b;
		buf_init(&b, BUF_NO_LIMIT);
		render_text(article, &b);
		at->text = tidy_lines(&a->arena, &b, &at->chars);
		buf_reset(&b);
		/* without a base URL, links resolve against the page's own canonical URL */
		sanitize_children(article, base_url ? base_url : a->canonical_url, &b);
		at->html = arena_strndup(&a->arena, b.p ? b.p : "", b.n);
		buf_release(&b);
		at->byline = g.byline;
		at->cms_body = in_cms_body(&g, article);
	}
	grab_release(&g);
	extract_free_doc(doc);
	return st;
}

enum ch_status extract_article(const char *html, size_t n, const char *http_content_type,
			       const char *base_url, struct extract_article **out, struct ch_error *err)
{
	*out = NULL;
	struct extract_article *a = calloc(1, sizeof *a);
	if (!a)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	arena_init(&a->arena, ARTICLE_ARENA_LIMIT);
	struct extract_input in;
	enum ch_status st = extract_input_prepare(html ? html : "", html ? n : 0, http_content_type, &in, err);
	static const unsigned tries[] = { GRAB_ALL, GRAB_ALL & ~GRAB_STRIP_UNLIKELY,
					  GRAB_CLEAN_CONDITIONALLY, 0 };
	struct attempt best = { 0 };
	/* parsed once: each attempt but the last possible one works on a copy (a retry would
	 * otherwise parse again; a copy costs about a twentieth of a parse) */
	xmlDocPtr pristine = NULL;
	if (st == CH_OK && !(pristine = extract_parse_parked(in.markup.p, in.markup.n, 0, &in.parked)))
		st = CH_ERR_NOMEM;
	size_t ntries = sizeof tries / sizeof *tries;
	for (size_t k = 0; st == CH_OK && k < ntries; k++) {
		struct attempt at;
		const char *credit = a->source_credit;
		a->source_credit = NULL;
		xmlDocPtr doc = k + 1 < ntries ? extract_copy_doc(pristine) : pristine;
		if (doc == pristine)
			pristine = NULL;
		st = doc ? one_attempt(doc, &in, base_url, tries[k], k == 0, a, &at) : CH_ERR_NOMEM;
		if (st != CH_OK)
			break;
		if (!best.text || at.chars > best.chars)
			best = at;
		if (!a->source_credit)
			a->source_credit = credit;
		/* short is fine inside a CMS's article body; otherwise retry with looser rules */
		if (at.chars >= MIN_ARTICLE_CHARS || (k == 0 && at.cms_body && at.chars > 0)) {
			best = at;
			break;
		}
	}
	extract_free_doc(pristine);
	extract_input_release(&in);
	if (st != CH_OK) {
		extract_article_free(a);
		return ch_fail(err, st, "cannot extract: %s", ch_status_name(st));
	}
	a->body_text = best.text ? best.text : "";
	a->body_html = best.html ? best.html : "";
	if (!a->author && best.byline)
		a->author = best.byline;
	*out = a;
	return CH_OK;
}

void extract_article_free(struct extract_article *a)
{
	if (!a)
		return;
	arena_release(&a->arena);
	free(a);
}
