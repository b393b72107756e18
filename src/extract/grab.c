/*
 * grab.c — finding the article in a parsed page: readability-class scoring. The page is
 * walked once to drop what is never content (hidden elements, navigation and other blocks
 * whose class or id says so, related / most-read boxes by their Persian or English heading,
 * widget lines) and to turn text-only divs into paragraphs; every paragraph then scores its
 * ancestors (commas, length), scores are cut by link density, the best candidate and its
 * qualifying siblings are gathered into one container, and that is cleaned (forms, share bars,
 * link-heavy lists and boxes, empty blocks). What this does is in the spirit of Mozilla
 * Readability's published algorithm; the code and the Persian parts are chapar's own.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/grab.h"

#define TOP_CANDIDATES 5
#define MIN_PARAGRAPH_CHARS 25
#define SHORT_BOX_TEXT 80 /* characters: longer blocks are never boilerplate headings */

/* ---------------------------------------------------------------------------------------------
 * Class weights
 * ------------------------------------------------------------------------------------------- */

/* weight_of: +25 / -25 for positive / negative class, and again for the id. */
static int weight_of(struct grab *g, xmlNodePtr e)
{
	if (!(g->flags & GRAB_WEIGHT_CLASSES))
		return 0;
	int w = 0;
	static const char *const attrs[] = { "class", "id" };
	for (int k = 0; k < 2; k++) {
		const char *v = node_attr(e, attrs[k]);
		if (!v || !*v)
			continue;
		buf_reset(&g->scratch);
		size_t n = strlen(v); /* (what fits under the limit, as one character at a time gave) */
		if (buf_add(&g->scratch, v, n < g->scratch.limit ? n : g->scratch.limit) == CH_OK)
			lower_ascii_in_place(g->scratch.p, g->scratch.n);
		if (hint_match(HINT_NEGATIVE, g->scratch.p, g->scratch.n))
			w -= 25;
		if (hint_match(HINT_POSITIVE, g->scratch.p, g->scratch.n))
			w += 25;
	}
	return w;
}

/* tag_score: the starting score of a candidate by its tag. */
static double tag_score(xmlNodePtr e)
{
	const char *n = (const char *)e->name;
	if (!strcmp(n, "div"))
		return 5;
	if (!strcmp(n, "pre") || !strcmp(n, "td") || !strcmp(n, "blockquote"))
		return 3;
	if (!strcmp(n, "address") || !strcmp(n, "ol") || !strcmp(n, "ul") || !strcmp(n, "dl") ||
	    !strcmp(n, "dd") || !strcmp(n, "dt") || !strcmp(n, "li") || !strcmp(n, "form"))
		return -3;
	if ((elem_flags(e) & TF_HEADING) || !strcmp(n, "th"))
		return -5;
	return 0;
}

/* init_candidate: give e its starting score once. */
static struct nstat *init_candidate(struct grab *g, xmlNodePtr e)
{
	struct nstat *s = stat_of(&g->tree, e);
	if (s && !s->scored) {
		s->scored = true;
		s->score = tag_score(e) + weight_of(g, e);
	}
	return s;
}

/* link_density: the share of s's text inside links (0 for no text). */
static double link_density(const struct nstat *s)
{
	return s && s->text ? (double)s->link / s->text : 0;
}

/* ---------------------------------------------------------------------------------------------
 * Text of small elements, folded for phrase tests
 * ------------------------------------------------------------------------------------------- */

/* folded_text: the fold_key of e's text into g->key; false when e has more than limit chars. */
static bool folded_text(struct grab *g, xmlNodePtr e, uint32_t limit)
{
	struct nstat *s = stat_of(&g->tree, e);
	if (!s || s->text > limit || s->n_elems > 20)
		return false;
	/* no text but blanks when tree_stats counted it (flags_of set; a new element has none
	 * counted yet), and elements only lose text after that: nothing to fold */
	if (s->flags_of && s->text == 0)
		return false;
	buf_reset(&g->scratch);
	buf_reset(&g->key);
	node_text(e, &g->scratch);
	fold_key(&g->key, g->scratch.p ? g->scratch.p : "", g->scratch.n);
	return g->key.n > 0;
}

#define MAX_TOKENS 256

/* is_word_byte: ASCII letters and digits and every non-ASCII byte (letters of other scripts). */
static bool is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_';
}

/* tokenize: split s into at most MAX_TOKENS word slices; returns the count. */
static size_t tokenize(const char *s, struct slice *tok)
{
	size_t n = 0;
	while (*s && n < MAX_TOKENS) {
		while (*s && !is_word_byte((unsigned char)*s))
			s++;
		const char *w = s;
		while (*s && is_word_byte((unsigned char)*s))
			s++;
		if (s > w)
			tok[n++] = (struct slice){ w, (size_t)(s - w) };
	}
	return n;
}

/* similarity: how far text b only repeats text a: 1 minus the share of b's characters in words
 * a does not have (case-insensitive); 0 when either has no words. */
static double similarity(const char *a, const char *b)
{
	struct slice ta[MAX_TOKENS], tb[MAX_TOKENS];
	size_t na = tokenize(a, ta), nb = tokenize(b, tb);
	if (!na || !nb)
		return 0;
	size_t total = 0, uniq = 0;
	for (size_t i = 0; i < nb; i++) {
		bool found = false;
		for (size_t j = 0; j < na && !found; j++)
			found = ta[j].n == tb[i].n && strncasecmp(ta[j].p, tb[i].p, tb[i].n) == 0;
		total += tb[i].n + (i > 0);
		if (!found)
			uniq += tb[i].n + (uniq > 0);
	}
	return 1.0 - (double)uniq / (double)total;
}

/* ---------------------------------------------------------------------------------------------
 * The first pass: drop, convert, collect
 * ------------------------------------------------------------------------------------------- */

/* ends_with_ci: the n bytes before p (not before start) spell word (lower case), ASCII case
 * aside. */
static bool ends_with_ci(const char *start, const char *p, const char *word, size_t n)
{
	if ((size_t)(p - start) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((char)tolower((unsigned char)p[i - n]) != word[i])
			return false;
	return true;
}

/* style_hides: style holds "display:none" or "visibility:hidden", with one space or none after
 * the colon, ASCII case aside, anywhere (one pass from colon to colon, not four searches). */
static bool style_hides(const char *style)
{
	for (const char *c = strchr(style, ':'); c; c = strchr(c + 1, ':')) {
		const char *v = c + 1 + (c[1] == ' ');
		if ((ends_with_ci(style, c, "display", 7) && strncasecmp(v, "none", 4) == 0) ||
		    (ends_with_ci(style, c, "visibility", 10) && strncasecmp(v, "hidden", 6) == 0))
			return true;
	}
	return false;
}

/* is_visible: false for display:none, visibility:hidden, [hidden] and aria-hidden. */
static bool is_visible(xmlNodePtr e)
{
	if (!e->properties) /* most elements: no attribute to look up four times */
		return true;
	const char *style = node_attr(e, "style");
	if (style && style_hides(style))
		return false;
	if (node_attr(e, "hidden"))
		return false;
	const char *aria = node_attr(e, "aria-hidden");
	const char *cls = node_attr(e, "class");
	if (aria && !strcmp(aria, "true") && !(cls && strstr(cls, "fallback-image")))
		return false;
	return true;
}

/* The match_string of the element visit looks at, computed at most once and only when asked
 * for (check_byline and is_unlikely both read it). */
struct lazy_match {
	xmlNodePtr e;
	bool done;
};

/* match_of: the match_string of m->e, in g->match (computed on the first call). */
static const struct buf *match_of(struct grab *g, struct lazy_match *m)
{
	if (!m->done) {
		match_string(m->e, &g->match);
		m->done = true;
	}
	return &g->match;
}

/* is_unlikely: e's class/id (m: its match string) or role marks boilerplate (when that
 * stripping is on). */
static bool is_unlikely(struct grab *g, xmlNodePtr e, struct lazy_match *m)
{
	if (!(g->flags & GRAB_STRIP_UNLIKELY))
		return false;
	const char *role = node_attr(e, "role");
	static const char *const roles[] = { "menu", "menubar", "complementary", "navigation",
					     "alert", "alertdialog", "dialog" };
	for (size_t k = 0; role && k < sizeof roles / sizeof *roles; k++)
		if (!strcasecmp(role, roles[k]))
			return true;
	if (is_tag(e, "body") || is_tag(e, "a"))
		return false;
	const struct buf *ms = match_of(g, m);
	if (ms->n <= 1)
		return false;
	if (!hint_match(HINT_UNLIKELY, ms->p, ms->n) || hint_match(HINT_MAYBE, ms->p, ms->n))
		return false;
	return !has_ancestor_tag(e, "table", 3) && !has_ancestor_tag(e, "code", 3);
}

/* is_empty_block: a div/section/header/heading with no text and only br/hr inside. */
static bool is_empty_block(struct grab *g, xmlNodePtr e)
{
	const char *n = (const char *)e->name;
	if (strcmp(n, "div") && strcmp(n, "section") && strcmp(n, "header") &&
	    !(elem_flags(e) & TF_HEADING))
		return false;
	struct nstat *s = stat_of(&g->tree, e);
	if (!s || s->text > 0)
		return false;
	for (xmlNodePtr c = first_element_child(e); c; c = next_element_sibling(c))
		if (!is_tag(c, "br") && !is_tag(c, "hr"))
			return false;
	return true;
}

/* drop_box: e is the heading of a related/most-read box (or a widget line): remove it with the
 * box. Returns the next node to visit. */
static xmlNodePtr drop_box(struct grab *g, xmlNodePtr e)
{
	xmlNodePtr parent = e->parent;
	struct nstat *ps = parent ? stat_of(&g->tree, parent) : NULL, *es = stat_of(&g->tree, e);
	/* the whole parent when the heading is all it has besides links */
	if (ps && es && parent != g->body && !is_tag(parent, "body") &&
	    (ps->text - es->text <= 3 || link_density(ps) > 0.5) && ps->text < 3000) {
		xmlNodePtr next = next_node(parent, true);
		tree_remove(&g->tree, parent);
		return next;
	}
	/* otherwise the heading and the link lists that follow it */
	xmlNodePtr sib = next_element_sibling(e);
	while (sib) {
		struct nstat *ss = stat_of(&g->tree, sib);
		bool listy = is_tag(sib, "ul") || is_tag(sib, "ol") || (ss && link_density(ss) > 0.5);
		if (!listy)
			break;
		xmlNodePtr after = next_element_sibling(sib);
		tree_remove(&g->tree, sib);
		sib = after;
	}
	xmlNodePtr next = next_node(e, true);
	tree_remove(&g->tree, e);
	return next;
}

/* wrap_phrasing: put each run of phrasing children of div into a new <p> (text directly in a
 * div beside blocks becomes a paragraph of its own). Returns true when it made any. */
static bool wrap_phrasing(struct grab *g, xmlNodePtr div)
{
	xmlNodePtr p = NULL, child = div->children;
	bool made = false;
	while (child) {
		xmlNodePtr next = child->next;
		if (is_phrasing(child)) {
			if (p) {
				tree_append(p, child);
			} else if (!is_whitespace_node(child)) {
				p = extract_new_element(div->doc, "p");
				if (!p) {
					g->tree.nomem = true;
					return made;
				}
				tree_insert_before(child, p);
				tree_append(p, child);
				made = true;
			}
		} else if (child->type == XML_ELEMENT_NODE && p) {
			while (p->last && is_whitespace_node(p->last))
				tree_remove(&g->tree, p->last);
			p = NULL;
		}
		child = next;
	}
	if (p)
		while (p->last && is_whitespace_node(p->last))
			tree_remove(&g->tree, p->last);
	return made;
}

/* single_p_child: div's only element child is a <p> and it has no text of its own. */
static xmlNodePtr single_p_child(xmlNodePtr div)
{
	xmlNodePtr only = NULL;
	for (xmlNodePtr c = div->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && !is_whitespace_node(c))
			return NULL;
		if (c->type == XML_ELEMENT_NODE) {
			if (only)
				return NULL;
			only = c;
		}
	}
	return is_tag(only, "p") ? only : NULL;
}

/* push_score: remember e as a paragraph to score. */
static void push_score(struct grab *g, xmlNodePtr e)
{
	if (g->nscore == g->capscore) {
		size_t cap = g->capscore ? g->capscore * 2 : 256;
		xmlNodePtr *v = realloc(g->to_score, cap * sizeof *v);
		if (!v) {
			g->tree.nomem = true;
			return;
		}
		g->to_score = v;
		g->capscore = cap;
	}
	g->to_score[g->nscore++] = e;
}

/* check_byline: e names the author (rel=author, itemprop author, byline class; m: e's match
 * string): take it as the byline when none is known yet and drop it from the text. */
static bool check_byline(struct grab *g, xmlNodePtr e, struct lazy_match *m)
{
	if (g->byline_found)
		return false;
	const char *rel = node_attr(e, "rel"), *itemprop = node_attr(e, "itemprop");
	bool hinted = (rel && !strcmp(rel, "author")) || (itemprop && strstr(itemprop, "author"));
	if (!hinted) {
		/* (a "p-author" holds "author") */
		const char *ms = match_of(g, m)->p;
		hinted = strstr(ms, "byline") || strstr(ms, "author") || strstr(ms, "dateline") ||
			 strstr(ms, "writtenby");
	}
	struct nstat *s = stat_of(&g->tree, e);
	if (!hinted || !s || s->text == 0 || s->text >= 100)
		return false;
	buf_reset(&g->scratch);
	node_text(e, &g->scratch);
	g->byline = arena_strndup(g->arena, g->scratch.p ? g->scratch.p : "", g->scratch.n);
	g->byline_found = true;
	return true;
}

/* visit: the first-pass decision for one element; returns the next element to visit. */
static xmlNodePtr visit(struct grab *g, xmlNodePtr e)
{
	unsigned f = elem_flags(e);
	if ((f & TF_DROP) || !is_visible(e)) {
		xmlNodePtr next = next_node(e, true);
		tree_remove(&g->tree, e);
		return next;
	}
	const char *role = node_attr(e, "role"), *modal = node_attr(e, "aria-modal");
	if (modal && !strcmp(modal, "true") && role && !strcmp(role, "dialog"))
		goto drop;
	struct lazy_match m = { e, false };
	if (check_byline(g, e, &m))
		goto drop;
	if (g->drop_title_header && (is_tag(e, "h1") || is_tag(e, "h2")) && g->title) {
		buf_reset(&g->scratch);
		node_text(e, &g->scratch);
		if (similarity(g->title, g->scratch.p ? g->scratch.p : "") > 0.75) {
			g->drop_title_header = false;
			goto drop;
		}
	}
	if (is_unlikely(g, e, &m))
		goto drop;
	if (folded_text(g, e, SHORT_BOX_TEXT)) {
		if (phrase_match(PHRASE_BOX, g->key.p, g->key.n, NULL))
			return drop_box(g, e);
		if (phrase_match(PHRASE_LINE, g->key.p, g->key.n, NULL))
			goto drop;
	}
	if (is_empty_block(g, e))
		goto drop;
	if (f & TF_SCORE)
		push_score(g, e);
	if (is_tag(e, "div")) {
		struct nstat *s = stat_of(&g->tree, e);
		bool had_block = s && s->has_block;
		bool made = wrap_phrasing(g, e);
		xmlNodePtr only = single_p_child(e);
		if (only && link_density(s) < 0.25) {
			if (node_attr(e, LEAD_MARK) && !extract_set_attr(only, LEAD_MARK, "1"))
				g->tree.nomem = true;
			tree_insert_before(e, only);
			tree_remove(&g->tree, e);
			push_score(g, only);
			return next_node(only, false);
		}
		if (!had_block && !made) {
			e->name = (const xmlChar *)"p";
			push_score(g, e);
		}
	}
	return next_node(e, false);
drop:;
	xmlNodePtr next = next_node(e, true);
	tree_remove(&g->tree, e);
	return next;
}

/* ---------------------------------------------------------------------------------------------
 * Scoring and choosing
 * ------------------------------------------------------------------------------------------- */

/* push_candidate: remember e among the scored ancestors (once). */
static void push_candidate(struct grab *g, xmlNodePtr e)
{
	if (g->ncand == g->capcand) {
		size_t cap = g->capcand ? g->capcand * 2 : 256;
		xmlNodePtr *v = realloc(g->cands, cap * sizeof *v);
		if (!v) {
			g->tree.nomem = true;
			return;
		}
		g->cands = v;
		g->capcand = cap;
	}
	g->cands[g->ncand++] = e;
}

/* score_paragraphs: each paragraph of 25+ characters gives 1 + commas + length/100 (max 3)
 * to its parent, half to its grandparent, and a third per level to three more ancestors. */
static void score_paragraphs(struct grab *g)
{
	for (size_t i = 0; i < g->nscore; i++) {
		xmlNodePtr e = g->to_score[i];
		struct nstat *s = e->_private;
		if (!s || s->dead || !e->parent || e->parent->type != XML_ELEMENT_NODE)
			continue;
		if (s->text < MIN_PARAGRAPH_CHARS)
			continue;
		double content = 1 + (s->commas + 1) + fmin(floor(s->text / 100.0), 3);
		int level = 0;
		for (xmlNodePtr a = e->parent; a && level < 5; a = a->parent, level++) {
			if (a->type != XML_ELEMENT_NODE || !a->parent || a->parent->type != XML_ELEMENT_NODE)
				break;
			struct nstat *as = a->_private;
			if (!as || !as->scored) {
				as = init_candidate(g, a);
				if (!as)
					return;
				push_candidate(g, a);
			}
			as->score += content / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
		}
	}
}

/* mark_alt_ancestors: add delta to the alt_hits of every (scored) ancestor of each alt[k]. */
static void mark_alt_ancestors(xmlNodePtr *alt, int nalt, int delta)
{
	for (int k = 0; k < nalt; k++)
		for (xmlNodePtr p = alt[k]->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
			if (p->_private)
				((struct nstat *)p->_private)->alt_hits += delta;
}

/* choose_top: the best candidate after link-density cuts, moved up where its parents hold
 * the article (several near-best candidates share an ancestor, or a parent scores higher).
 * NULL when nothing scored. */
static xmlNodePtr choose_top(struct grab *g)
{
	xmlNodePtr top[TOP_CANDIDATES] = { 0 };
	for (size_t i = 0; i < g->ncand; i++) {
		xmlNodePtr c = g->cands[i];
		struct nstat *s = c->_private;
		s->score *= 1 - link_density(s);
		for (int k = 0; k < TOP_CANDIDATES; k++) {
			if (!top[k] || s->score > ((struct nstat *)top[k]->_private)->score) {
				memmove(top + k + 1, top + k, (size_t)(TOP_CANDIDATES - k - 1) * sizeof *top);
				top[k] = c;
				break;
			}
		}
	}
	xmlNodePtr best = top[0];
	if (!best || is_tag(best, "body"))
		return NULL;
	double best_score = ((struct nstat *)best->_private)->score;
	/* near-best candidates (>= 75%): if three share an ancestor of best, that ancestor */
	xmlNodePtr alt[TOP_CANDIDATES];
	int nalt = 0;
	for (int k = 1; k < TOP_CANDIDATES && top[k]; k++)
		if (best_score > 0 && ((struct nstat *)top[k]->_private)->score / best_score >= 0.75)
			alt[nalt++] = top[k];
	if (nalt >= 3) {
		mark_alt_ancestors(alt, nalt, 1);
		for (xmlNodePtr p = best->parent; p && p->type == XML_ELEMENT_NODE && !is_tag(p, "body");
		     p = p->parent) {
			if (p->_private && ((struct nstat *)p->_private)->alt_hits >= 3) {
				best = p;
				break;
			}
		}
		mark_alt_ancestors(alt, nalt, -1);
	}
	struct nstat *bs = init_candidate(g, best);
	/* climb while the parents keep a third of the score; take one that scores higher */
	double last = bs->score, threshold = last / 3;
	for (xmlNodePtr p = best->parent; p && p->type == XML_ELEMENT_NODE && !is_tag(p, "body");
	     p = p->parent) {
		struct nstat *ps = p->_private;
		if (!ps || !ps->scored)
			continue;
		if (ps->score < threshold)
			break;
		if (ps->score > last) {
			best = p;
			break;
		}
		last = ps->score;
	}
	/* an only child stands for its parent */
	for (xmlNodePtr p = best->parent; p && p->type == XML_ELEMENT_NODE && !is_tag(p, "body") &&
					  first_element_child(p) == best && !next_element_sibling(best);
	     p = best->parent)
		best = p;
	init_candidate(g, best);
	return best;
}

/* same_class: a and b carry the same non-empty class attribute. */
static bool same_class(xmlNodePtr a, xmlNodePtr b)
{
	const char *ca = node_attr(a, "class"), *cb = node_attr(b, "class");
	return ca && cb && *ca && !strcmp(ca, cb);
}

/* ends_sentence: s holds a period followed by a space or the end. */
static bool has_sentence_end(const char *s)
{
	for (const char *p = s; (p = strchr(p, '.')) != NULL; p++)
		if (p[1] == ' ' || p[1] == '\0')
			return true;
	return false;
}

/* sibling_joins: sib, a sibling of top, belongs to the article too. */
static bool sibling_joins(struct grab *g, xmlNodePtr top, xmlNodePtr sib, double threshold)
{
	struct nstat *ts = top->_private, *ss = stat_of(&g->tree, sib);
	if (!ss)
		return false;
	double bonus = same_class(top, sib) ? ts->score * 0.2 : 0;
	if (ss->scored && ss->score + bonus >= threshold)
		return true;
	if (!is_tag(sib, "p"))
		return false;
	double ld = link_density(ss);
	if (ss->text > 80 && ld < 0.25)
		return true;
	if (ss->text < 80 && ss->text > 0 && ld == 0) {
		buf_reset(&g->scratch);
		node_text(sib, &g->scratch);
		return has_sentence_end(g->scratch.p ? g->scratch.p : "");
	}
	return false;
}

/* gather: a new container holding top and its qualifying siblings, in order. */
static xmlNodePtr gather(struct grab *g, xmlNodePtr top)
{
	xmlNodePtr article = extract_new_element(g->doc, "div");
	if (!article)
		return NULL;
	double threshold = fmax(10, ((struct nstat *)top->_private)->score * 0.2);
	xmlNodePtr sib = first_element_child(top->parent);
	while (sib) {
		xmlNodePtr next = next_element_sibling(sib);
		if (sib == top || sibling_joins(g, top, sib, threshold)) {
			const char *n = (const char *)sib->name;
			if (strcmp(n, "div") && strcmp(n, "article") && strcmp(n, "section") && strcmp(n, "p"))
				sib->name = (const xmlChar *)"div";
			tree_append(article, sib);
		}
		sib = next;
	}
	return article;
}

/* body_as_top: when no candidate stands out, the whole body, moved into a new container. */
static xmlNodePtr body_as_top(struct grab *g)
{
	xmlNodePtr article = extract_new_element(g->doc, "div");
	if (!article)
		return NULL;
	xmlNodePtr c = g->body->children;
	while (c) {
		xmlNodePtr next = c->next;
		tree_append(article, c);
		c = next;
	}
	return article;
}

/* ---------------------------------------------------------------------------------------------
 * Cleaning the gathered article
 * ------------------------------------------------------------------------------------------- */

/* collect: every element under root named name (or any, with name NULL), document order. */
static size_t collect(struct grab *g, xmlNodePtr root, const char *name)
{
	g->ncoll = 0;
	for (xmlNodePtr e = first_element_child(root); e; e = next_node_within(root, e, false)) {
		if (name && !is_tag(e, name))
			continue;
		if (g->ncoll == g->capcoll) {
			size_t cap = g->capcoll ? g->capcoll * 2 : 256;
			xmlNodePtr *v = realloc(g->coll, cap * sizeof *v);
			if (!v) {
				g->tree.nomem = true;
				break;
			}
			g->coll = v;
			g->capcoll = cap;
		}
		g->coll[g->ncoll++] = e;
	}
	return g->ncoll;
}

/* remove_named: drop every element under root named one of names[0..n), in one walk (what
 * one remove_all per name would drop: a match's subtree goes with it, unvisited). */
static void remove_named(struct grab *g, xmlNodePtr root, const char *const *names, size_t n)
{
	for (xmlNodePtr e = first_element_child(root); e;) {
		bool match = false;
		for (size_t k = 0; k < n && !match; k++)
			match = is_tag(e, names[k]);
		xmlNodePtr next = next_node_within(root, e, match);
		if (match)
			tree_remove(&g->tree, e);
		e = next;
	}
}

/* row_cols: the number of rows and the widest row (with spans) of a table. */
static void row_cols(xmlNodePtr table, int *rows, int *cols)
{
	*rows = *cols = 0;
	for (xmlNodePtr e = first_element_child(table); e; e = next_node_within(table, e, is_tag(e, "table"))) {
		if (!is_tag(e, "tr"))
			continue;
		const char *rs = node_attr(e, "rowspan");
		*rows += rs ? (atoi(rs) > 0 ? atoi(rs) : 1) : 1;
		int c = 0;
		for (xmlNodePtr td = first_element_child(e); td; td = next_element_sibling(td)) {
			const char *cs = node_attr(td, "colspan");
			c += cs ? (atoi(cs) > 0 ? atoi(cs) : 1) : 1;
		}
		if (c > *cols)
			*cols = c;
	}
}

/* mark_data_tables: flag the tables that hold data (kept whole) rather than layout. */
static void mark_data_tables(struct grab *g, xmlNodePtr root)
{
	collect(g, root, "table");
	for (size_t i = 0; i < g->ncoll; i++) {
		xmlNodePtr t = g->coll[i];
		struct nstat *s = stat_of(&g->tree, t);
		if (!s)
			continue;
		const char *role = node_attr(t, "role"), *dt = node_attr(t, "datatable");
		if ((role && !strcmp(role, "presentation")) || (dt && !strcmp(dt, "0")))
			continue;
		if (node_attr(t, "summary")) {
			s->data_table = true;
			continue;
		}
		bool data = false, nested = false;
		/* the walk stops at nested tables, so nested tables cost linear time in all */
		for (xmlNodePtr e = first_element_child(t); e;) {
			const char *n = (const char *)e->name;
			if ((!strcmp(n, "caption") && e->children) || !strcmp(n, "col") ||
			    !strcmp(n, "colgroup") || !strcmp(n, "tfoot") || !strcmp(n, "thead") ||
			    !strcmp(n, "th"))
				data = true;
			bool inner = !strcmp(n, "table");
			nested |= inner;
			e = next_node_within(t, e, inner);
		}
		if (data) {
			s->data_table = true;
			continue;
		}
		if (nested)
			continue;
		int rows, cols;
		row_cols(t, &rows, &cols);
		s->data_table = rows >= 10 || cols > 4 || rows * cols > 10;
	}
}

/* in_data_table: e sits inside a data table. */
static bool in_data_table(xmlNodePtr e)
{
	int depth = 0;
	for (xmlNodePtr p = e->parent; p && p->type == XML_ELEMENT_NODE && depth++ < 64; p = p->parent)
		if (is_tag(p, "table") && p->_private && ((struct nstat *)p->_private)->data_table)
			return true;
	return false;
}

/* only_ad_words: the whole text of e is "advertisement", "loading…" or the like. */
static bool only_ad_words(struct grab *g, xmlNodePtr e)
{
	struct nstat *s = e->_private;
	if (!s || s->text > 20 || s->n_elems > 20)
		return false;
	buf_reset(&g->scratch);
	node_text(e, &g->scratch);
	static const char *const words[] = { "ad", "advertising", "advertisement", "pub", "publicité",
					     "werbung", "werb", "loading", "loading...", "loading…",
					     "تبلیغات", "آگهی" };
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (g->scratch.p && !strcasecmp(g->scratch.p, words[k]))
			return true;
	return false;
}

/* shady: e (a table, list, div, form or fieldset in the article) looks like boilerplate: few
 * commas and too many images, list items, inputs, links or embeds for its text. */
static bool shady(struct grab *g, xmlNodePtr e, const char *tag)
{
	struct nstat *s = stat_of(&g->tree, e);
	if (!s)
		return false;
	bool is_list = !strcmp(tag, "ul") || !strcmp(tag, "ol");
	if (!is_list && s->text > 0)
		is_list = (double)s->list / s->text > 0.9;
	if (!strcmp(tag, "table") && s->data_table)
		return false;
	if (in_data_table(e) || has_ancestor_tag(e, "code", 3))
		return false;
	int weight = weight_of(g, e);
	if (weight < 0)
		return true;
	if (s->commas >= 10)
		return false;
	if (only_ad_words(g, e))
		return true;
	double p = s->n_p, img = s->n_img, li = (double)s->n_li - 100, input = s->n_input;
	double heading_density = s->text ? (double)s->heading / s->text : 0;
	double text_density = s->text ? (double)s->textish / s->text : 0;
	double ld = link_density(s);
	bool figure = has_ancestor_tag(e, "figure", 64);
	bool remove = (!figure && img > 1 && p / img < 0.5) || (!is_list && li > p) ||
		      (input > floor(p / 3)) ||
		      (!is_list && !figure && heading_density < 0.9 && s->text < 25 &&
		       (img == 0 || img > 2) && ld > 0) ||
		      (!is_list && weight < 25 && ld > 0.2) || (weight >= 25 && ld > 0.5) ||
		      ((s->n_embed == 1 && s->text < 75) || s->n_embed > 1) ||
		      (img == 0 && text_density == 0);
	if (is_list && remove) {
		for (xmlNodePtr c = first_element_child(e); c; c = next_element_sibling(c)) {
			xmlNodePtr gc = first_element_child(c);
			if (gc && next_element_sibling(gc))
				return true;
		}
		if (s->n_img == s->n_li)
			return false;
	}
	return remove;
}

/* clean_conditionally: remove the shady tag elements under root, innermost first, keeping the
 * statistics of their ancestors current. */
static void clean_conditionally(struct grab *g, xmlNodePtr root, const char *tag)
{
	if (!(g->flags & GRAB_CLEAN_CONDITIONALLY))
		return;
	collect(g, root, tag);
	for (size_t i = g->ncoll; i-- > 0;) {
		xmlNodePtr e = g->coll[i];
		if (!shady(g, e, tag))
			continue;
		struct nstat *s = e->_private;
		for (xmlNodePtr p = e->parent; s && p && p->type == XML_ELEMENT_NODE && g->budget > 0;
		     p = p->parent, g->budget--) {
			struct nstat *ps = p->_private;
			if (!ps)
				break;
			ps->text -= s->text < ps->text ? s->text : ps->text;
			ps->link -= s->link < ps->link ? s->link : ps->link;
			ps->commas -= s->commas < ps->commas ? s->commas : ps->commas;
			ps->textish -= s->textish < ps->textish ? s->textish : ps->textish;
			ps->list -= s->list < ps->list ? s->list : ps->list;
			ps->heading -= s->heading < ps->heading ? s->heading : ps->heading;
			ps->n_p -= s->n_p + is_tag(e, "p") <= ps->n_p ? s->n_p + is_tag(e, "p") : ps->n_p;
			ps->n_img -= s->n_img + is_tag(e, "img") <= ps->n_img ? s->n_img + is_tag(e, "img") : ps->n_img;
			ps->n_li -= s->n_li + is_tag(e, "li") <= ps->n_li ? s->n_li + is_tag(e, "li") : ps->n_li;
			if (p == root)
				break;
		}
		tree_remove(&g->tree, e);
	}
}

/* is_share: a class/id of a share bar. */
static bool is_share(const char *ms)
{
	for (const char *p = ms; (p = strstr(p, "share")) != NULL; p++) {
		bool left = p == ms || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
		char r = p[5];
		bool right = !((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) ||
			     !strncmp(p, "sharedaddy", 10);
		if (left && right)
			return true;
	}
	return false;
}

/* clean_shares: remove share bars (by class/id, under 500 characters) below the article's
 * children. */
static void clean_shares(struct grab *g, xmlNodePtr root)
{
	collect(g, root, NULL);
	for (size_t i = 0; i < g->ncoll; i++) {
		xmlNodePtr e = g->coll[i];
		if (e->parent == root)
			continue;
		struct nstat *s = stat_of(&g->tree, e);
		match_string(e, &g->scratch);
		if (s && !s->dead && s->text < 500 && is_share(g->scratch.p))
			tree_remove(&g->tree, e);
	}
}

/* clean_headers: remove h1/h2 whose class or id weighs negative. */
static void clean_headers(struct grab *g, xmlNodePtr root)
{
	static const char *const tags[] = { "h1", "h2" };
	for (int k = 0; k < 2; k++) {
		collect(g, root, tags[k]);
		for (size_t i = 0; i < g->ncoll; i++)
			if (weight_of(g, g->coll[i]) < 0)
				tree_remove(&g->tree, g->coll[i]);
	}
}

/* prepare_article: the cleaning of the gathered container. */
static void prepare_article(struct grab *g, xmlNodePtr article)
{
	tree_stats(&g->tree, article);
	mark_data_tables(g, article);
	clean_conditionally(g, article, "form");
	clean_conditionally(g, article, "fieldset");
	static const char *const never[] = { "object", "embed", "footer", "link", "aside", "iframe",
					     "input", "textarea", "select", "button" };
	remove_named(g, article, never, 5);
	clean_shares(g, article);
	remove_named(g, article, never + 5, 5);
	clean_headers(g, article);
	clean_conditionally(g, article, "table");
	clean_conditionally(g, article, "ul");
	clean_conditionally(g, article, "div");
}

/* ---------------------------------------------------------------------------------------------
 * The pass as a whole
 * ------------------------------------------------------------------------------------------- */

void grab_init(struct grab *g, xmlDocPtr doc, struct arena *arena, unsigned flags, const char *title)
{
	memset(g, 0, sizeof *g);
	g->doc = doc;
	g->arena = arena;
	g->flags = flags;
	g->title = title;
	g->drop_title_header = title && *title;
	g->budget = 20000000;
	tree_init(&g->tree, doc);
	buf_init(&g->scratch, 1 << 20);
	buf_init(&g->key, 1 << 20);
	buf_init(&g->match, 1 << 20);
}

void grab_release(struct grab *g)
{
	if (g->article)
		tree_remove(&g->tree, g->article);
	free(g->to_score);
	free(g->cands);
	free(g->coll);
	buf_release(&g->scratch);
	buf_release(&g->key);
	buf_release(&g->match);
}

/* find_body: the <body> element, or the root element when there is none. */
static xmlNodePtr find_body(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	for (xmlNodePtr c = first_element_child(root); c; c = next_element_sibling(c))
		if (is_tag(c, "body"))
			return c;
	return root;
}

/* replace_brs: a run of two or more <br> becomes a paragraph holding the phrasing content
 * after it (text laid out with <br><br> is paragraphs). */
static void replace_brs(struct grab *g, xmlNodePtr root)
{
	collect(g, root, "br");
	for (size_t i = 0; i < g->ncoll; i++) {
		xmlNodePtr br = g->coll[i];
		struct nstat *bs = br->_private;
		if ((bs && bs->dead) || !br->parent)
			continue;
		bool replaced = false;
		xmlNodePtr next = br->next;
		while (next && next->type == XML_TEXT_NODE && is_whitespace_node(next))
			next = next->next;
		while (next && is_tag(next, "br")) {
			replaced = true;
			xmlNodePtr after = next->next;
			stat_of(&g->tree, next);
			tree_remove(&g->tree, next);
			next = after;
			while (next && next->type == XML_TEXT_NODE && is_whitespace_node(next))
				next = next->next;
		}
		if (!replaced)
			continue;
		xmlNodePtr p = extract_new_element(g->doc, "p");
		if (!p)
			return;
		tree_insert_before(br, p);
		stat_of(&g->tree, br);
		tree_remove(&g->tree, br);
		next = p->next;
		while (next) {
			if (is_tag(next, "br")) {
				xmlNodePtr n2 = next->next;
				while (n2 && n2->type == XML_TEXT_NODE && is_whitespace_node(n2))
					n2 = n2->next;
				if (n2 && is_tag(n2, "br"))
					break;
			}
			if (!is_phrasing(next))
				break;
			xmlNodePtr sib = next->next;
			tree_append(p, next);
			next = sib;
		}
		while (p->last && is_whitespace_node(p->last))
			tree_remove(&g->tree, p->last);
		if (is_tag(p->parent, "p"))
			p->parent->name = (const xmlChar *)"div";
	}
}

xmlNodePtr grab_article(struct grab *g)
{
	g->body = find_body(g->doc);
	if (!g->body)
		return NULL;
	replace_brs(g, g->body);
	tree_stats(&g->tree, g->body);
	for (xmlNodePtr e = g->body; e && !g->tree.nomem;)
		e = visit(g, e);
	tree_stats(&g->tree, g->body);
	score_paragraphs(g);
	xmlNodePtr top = choose_top(g);
	g->top = top;
	xmlNodePtr article = top ? gather(g, top) : body_as_top(g);
	if (!article)
		return NULL;
	g->article = article;
	if (!top)
		init_candidate(g, article);
	prepare_article(g, article);
	tree_stats(&g->tree, article);
	return article;
}
