/*
 * tree.c — element statistics and safe tree edits for the extractor (see tree.h). Every walk
 * here is iterative: pages nest 100,000 levels deep.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "extract/tree.h"
#include "text/chars.h"

/* ---------------------------------------------------------------------------------------------
 * Tag classes
 * ------------------------------------------------------------------------------------------- */

struct tag_class {
	const char *name;
	unsigned flags;
};

/* Looked up through a hash table built on first use. */
static const struct tag_class tag_classes[] = {
	{ "a", TF_PHRASING_IF | TF_A },
	{ "abbr", TF_PHRASING },
	{ "address", TF_BLOCK },
	{ "article", TF_BLOCK },
	{ "aside", TF_BLOCK },
	{ "audio", TF_PHRASING },
	{ "b", TF_PHRASING },
	{ "bdo", TF_PHRASING },
	{ "blockquote", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH },
	{ "br", TF_PHRASING | TF_RULE },
	{ "button", TF_PHRASING | TF_DROP },
	{ "caption", TF_BLOCK },
	{ "center", TF_BLOCK },
	{ "cite", TF_PHRASING },
	{ "code", TF_PHRASING },
	{ "data", TF_PHRASING },
	{ "datalist", TF_PHRASING | TF_DROP },
	{ "dd", TF_BLOCK },
	{ "del", TF_PHRASING_IF },
	{ "details", TF_BLOCK },
	{ "dfn", TF_PHRASING },
	{ "div", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH },
	{ "dl", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH },
	{ "dt", TF_BLOCK },
	{ "em", TF_PHRASING },
	{ "embed", TF_PHRASING | TF_EMBED },
	{ "fieldset", TF_BLOCK },
	{ "figcaption", TF_BLOCK },
	{ "figure", TF_BLOCK },
	{ "footer", TF_BLOCK },
	{ "form", TF_BLOCK },
	{ "h1", TF_BLOCK | TF_HEADING },
	{ "h2", TF_BLOCK | TF_HEADING | TF_SCORE },
	{ "h3", TF_BLOCK | TF_HEADING | TF_SCORE },
	{ "h4", TF_BLOCK | TF_HEADING | TF_SCORE },
	{ "h5", TF_BLOCK | TF_HEADING | TF_SCORE },
	{ "h6", TF_BLOCK | TF_HEADING | TF_SCORE },
	{ "header", TF_BLOCK },
	{ "hr", TF_BLOCK | TF_RULE },
	{ "i", TF_PHRASING },
	{ "iframe", TF_EMBED },
	{ "img", TF_DIV_TO_P | TF_PHRASING | TF_TEXTISH | TF_IMG },
	{ "input", TF_PHRASING | TF_INPUT },
	{ "ins", TF_PHRASING_IF },
	{ "kbd", TF_PHRASING },
	{ "label", TF_PHRASING },
	{ "legend", TF_BLOCK },
	{ "li", TF_BLOCK | TF_TEXTISH | TF_LI },
	{ "link", TF_DROP },
	{ "main", TF_BLOCK },
	{ "mark", TF_PHRASING },
	{ "math", TF_PHRASING },
	{ "meta", TF_DROP },
	{ "meter", TF_PHRASING },
	{ "nav", TF_BLOCK },
	{ "noscript", TF_PHRASING | TF_DROP },
	{ "object", TF_PHRASING | TF_EMBED },
	{ "ol", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH | TF_LIST },
	{ "option", TF_DROP },
	{ "output", TF_PHRASING },
	{ "p", TF_DIV_TO_P | TF_BLOCK | TF_SCORE | TF_TEXTISH | TF_P },
	{ "pre", TF_DIV_TO_P | TF_BLOCK | TF_SCORE | TF_TEXTISH },
	{ "progress", TF_PHRASING },
	{ "q", TF_PHRASING },
	{ "ruby", TF_PHRASING },
	{ "samp", TF_PHRASING },
	{ "script", TF_PHRASING | TF_DROP },
	{ "section", TF_BLOCK | TF_SCORE },
	{ "select", TF_PHRASING | TF_DROP },
	{ "small", TF_PHRASING },
	{ "span", TF_PHRASING | TF_TEXTISH },
	{ "strong", TF_PHRASING },
	{ "style", TF_DROP },
	{ "sub", TF_PHRASING },
	{ "summary", TF_BLOCK },
	{ "sup", TF_PHRASING },
	{ "svg", TF_DROP },
	{ "table", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH },
	{ "tbody", TF_BLOCK },
	{ "td", TF_BLOCK | TF_SCORE | TF_TEXTISH },
	{ "template", TF_DROP },
	{ "textarea", TF_PHRASING | TF_DROP },
	{ "tfoot", TF_BLOCK },
	{ "th", TF_BLOCK },
	{ "thead", TF_BLOCK },
	{ "time", TF_PHRASING },
	{ "title", TF_DROP },
	{ "tr", TF_BLOCK },
	{ "ul", TF_DIV_TO_P | TF_BLOCK | TF_TEXTISH | TF_LIST },
	{ "var", TF_PHRASING },
	{ "wbr", TF_PHRASING },
};

#define TAG_SLOTS 512
static int16_t tag_slots[TAG_SLOTS]; /* open addressing: index into tag_classes + 1, 0 = empty */
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

/* tag_hash: a small hash of a tag name. */
static unsigned tag_hash(const char *s)
{
	unsigned h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h & (TAG_SLOTS - 1);
}

/* build_tag_slots: the pthread_once body filling tag_slots. */
static void build_tag_slots(void)
{
	for (size_t i = 0; i < sizeof tag_classes / sizeof *tag_classes; i++) {
		unsigned h = tag_hash(tag_classes[i].name);
		while (tag_slots[h])
			h = (h + 1) & (TAG_SLOTS - 1);
		tag_slots[h] = (int16_t)(i + 1);
	}
}

unsigned tag_flags(const xmlChar *name)
{
	if (!name)
		return 0;
	pthread_once(&tag_once, build_tag_slots);
	for (unsigned h = tag_hash((const char *)name); tag_slots[h]; h = (h + 1) & (TAG_SLOTS - 1)) {
		const struct tag_class *c = &tag_classes[tag_slots[h] - 1];
		if (strcmp(c->name, (const char *)name) == 0)
			return c->flags;
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------------------------------- */

void tree_init(struct tree *t, xmlDocPtr doc)
{
	memset(t, 0, sizeof *t);
	t->doc = doc;
}

struct nstat *stat_of(struct tree *t, xmlNodePtr e)
{
	if (!e->_private) {
		e->_private = extract_doc_alloc(t->doc, sizeof(struct nstat));
		if (!e->_private)
			t->nomem = true;
	}
	return e->_private;
}

/* is_comma: true when the code point is a comma (Latin, Arabic, full-width, small forms). */
static bool is_comma(uint32_t cp)
{
	return cp == ',' || cp == 0x060C || cp == 0xFE50 || cp == 0xFE10 || cp == 0xFE11 ||
	       cp == 0x2E41 || cp == 0x2E34 || cp == 0x2E32 || cp == 0xFF0C;
}

void count_text(const char *s, uint32_t *chars, uint32_t *commas)
{
	uint32_t c = 0, runs = 0, k = 0;
	bool in_space = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f') {
			runs += !in_space;
			in_space = true;
			continue;
		}
		in_space = false;
		if ((*p & 0xC0) == 0x80)
			continue; /* continuation byte */
		c++;
		if (*p == ',') {
			k++;
		} else if (*p >= 0xC0 && *p < 0xE0) {
			/* of the two-byte code points, only U+060C is a comma (Persian text is made of
			 * these: no decoding for the rest) */
			k += (p[1] & 0xC0) == 0x80 &&
			     (((uint32_t)(*p & 0x1F) << 6) | (p[1] & 0x3F)) == CP_ARABIC_COMMA;
		} else if (*p >= 0xE0) {
			uint32_t cp;
			utf8_decode((const char *)p, strnlen((const char *)p, 4), &cp, NULL);
			k += is_comma(cp);
		}
	}
	*chars = c ? c + runs : 0; /* whitespace-only text counts nothing */
	*commas = k;
}

/* fold_into_parent: fold the finished statistics of e into its parent. */
static void fold_into_parent(struct tree *t, xmlNodePtr e, struct nstat *s)
{
	unsigned f = s->flags;
	if (f & TF_A) {
		const char *href = node_attr(e, "href");
		s->link = (href && href[0] == '#') ? (uint32_t)(s->text * 0.3) : s->text;
	}
	xmlNodePtr parent = e->parent;
	if (!parent || parent->type != XML_ELEMENT_NODE)
		return;
	struct nstat *ps = stat_of(t, parent);
	if (!ps)
		return;
	ps->text += s->text;
	ps->link += s->link;
	ps->commas += s->commas;
	ps->textish += (f & TF_TEXTISH) ? s->text : s->textish;
	ps->heading += (f & TF_HEADING) ? s->text : s->heading;
	ps->list += (f & TF_LIST) ? s->text : s->list;
	ps->n_p += s->n_p + ((f & TF_P) != 0);
	ps->n_img += s->n_img + ((f & TF_IMG) != 0);
	ps->n_li += s->n_li + ((f & TF_LI) != 0);
	ps->n_input += s->n_input + ((f & TF_INPUT) != 0);
	ps->n_embed += s->n_embed + ((f & TF_EMBED) != 0);
	ps->n_elems += s->n_elems + 1;
	ps->has_block |= s->has_block || (f & TF_DIV_TO_P);
	ps->has_any_block |= s->has_any_block || ((f & TF_BLOCK) && !(f & TF_RULE));
}

/* reset_stat: zero the counters of e, keeping score, flags and the candidate mark. */
static void reset_stat(struct tree *t, xmlNodePtr e)
{
	struct nstat *s = stat_of(t, e);
	if (!s)
		return;
	double score = s->score;
	bool scored = s->scored, dead = s->dead, data_table = s->data_table;
	/* an element keeps its name: its flags are looked up once, not on every tree_stats */
	unsigned flags = s->flags_of && s->flags_of == e->name ? s->flags : tag_flags(e->name);
	memset(s, 0, sizeof *s);
	s->flags = flags;
	s->flags_of = e->name;
	s->score = score;
	s->scored = scored;
	s->dead = dead;
	s->data_table = data_table;
}

/* Counts of one text node, cached on its _private (text content never changes here). */
struct tstat {
	uint32_t chars, commas;
};

/* add_text_node: count a text node into its parent element's statistics. */
static void add_text_node(struct tree *t, xmlNodePtr n)
{
	if (!n->content || !n->parent || n->parent->type != XML_ELEMENT_NODE)
		return;
	struct tstat *ts = n->_private;
	if (!ts) {
		ts = extract_doc_alloc(t->doc, sizeof *ts);
		if (!ts) {
			t->nomem = true;
			return;
		}
		count_text((const char *)n->content, &ts->chars, &ts->commas);
		n->_private = ts;
	}
	struct nstat *ps = stat_of(t, n->parent);
	if (ps) {
		ps->text += ts->chars;
		ps->commas += ts->commas;
	}
}

void tree_stats(struct tree *t, xmlNodePtr root)
{
	if (!root || root->type != XML_ELEMENT_NODE)
		return;
	reset_stat(t, root);
	xmlNodePtr cur = root;
	for (;;) {
		if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
			if (cur->type == XML_ELEMENT_NODE)
				reset_stat(t, cur);
			continue;
		}
		for (;;) {
			if (cur->type == XML_ELEMENT_NODE) {
				struct nstat *s = stat_of(t, cur);
				if (s && cur != root)
					fold_into_parent(t, cur, s);
			} else if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
				add_text_node(t, cur);
			}
			if (cur == root)
				return;
			if (cur->next) {
				cur = cur->next;
				if (cur->type == XML_ELEMENT_NODE)
					reset_stat(t, cur);
				break;
			}
			cur = cur->parent;
		}
	}
}

/* ---------------------------------------------------------------------------------------------
 * Edits
 * ------------------------------------------------------------------------------------------- */

void tree_remove(struct tree *t, xmlNodePtr e)
{
	if (!e)
		return;
	if (e->type == XML_ELEMENT_NODE && e->_private)
		((struct nstat *)e->_private)->dead = true;
	xmlUnlinkNode(e);
}

void tree_append(xmlNodePtr parent, xmlNodePtr n)
{
	xmlUnlinkNode(n);
	tree_link_last(parent, n);
}

void tree_insert_before(xmlNodePtr ref, xmlNodePtr n)
{
	xmlUnlinkNode(n);
	n->parent = ref->parent;
	n->doc = ref->doc;
	n->next = ref;
	n->prev = ref->prev;
	if (ref->prev)
		ref->prev->next = n;
	else if (ref->parent)
		ref->parent->children = n;
	ref->prev = n;
}

/* ---------------------------------------------------------------------------------------------
 * Navigation and tests
 * ------------------------------------------------------------------------------------------- */

xmlNodePtr first_element_child(xmlNodePtr e)
{
	for (xmlNodePtr c = e ? e->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNodePtr next_element_sibling(xmlNodePtr e)
{
	for (xmlNodePtr c = e ? e->next : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNodePtr next_node(xmlNodePtr e, bool skip_kids)
{
	xmlNodePtr c;
	if (!skip_kids && (c = first_element_child(e)) != NULL)
		return c;
	while (e && e->type == XML_ELEMENT_NODE) {
		if ((c = next_element_sibling(e)) != NULL)
			return c;
		e = e->parent;
	}
	return NULL;
}

xmlNodePtr next_node_within(xmlNodePtr root, xmlNodePtr e, bool skip_kids)
{
	xmlNodePtr c;
	if (!skip_kids && (c = first_element_child(e)) != NULL)
		return c;
	while (e && e != root && e->type == XML_ELEMENT_NODE) {
		if ((c = next_element_sibling(e)) != NULL)
			return c;
		e = e->parent;
	}
	return NULL;
}

bool is_tag(xmlNodePtr e, const char *name)
{
	/* the first byte first: called for most nodes of every walk, and most names differ there */
	return e && e->type == XML_ELEMENT_NODE && e->name && e->name[0] == (xmlChar)name[0] &&
	       strcmp((const char *)e->name, name) == 0;
}

bool has_ancestor_tag(xmlNodePtr e, const char *name, int max_depth)
{
	int depth = 0;
	for (xmlNodePtr p = e->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
		if (max_depth > 0 && depth++ >= max_depth)
			return false;
		if (is_tag(p, name))
			return true;
	}
	return false;
}

bool is_whitespace_node(xmlNodePtr n)
{
	if (n->type == XML_TEXT_NODE) {
		for (const xmlChar *s = n->content; s && *s; s++)
			if (!isspace(*s))
				return false;
		return true;
	}
	return is_tag(n, "br");
}

/* all_children_phrasing: every child of e is phrasing content (bounded: a deep chain of <a>
 * in <a> counts as not phrasing past a few levels rather than recursing). */
static bool all_children_phrasing(xmlNodePtr e, int depth)
{
	for (xmlNodePtr c = e->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE)
			continue;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		unsigned f = elem_flags(c);
		if (f & TF_PHRASING)
			continue;
		if ((f & TF_PHRASING_IF) && depth < 8 && all_children_phrasing(c, depth + 1))
			continue;
		return false;
	}
	return true;
}

bool is_phrasing(xmlNodePtr n)
{
	if (n->type == XML_TEXT_NODE)
		return true;
	if (n->type != XML_ELEMENT_NODE)
		return false;
	unsigned f = elem_flags(n);
	return (f & TF_PHRASING) || ((f & TF_PHRASING_IF) && all_children_phrasing(n, 0));
}

void match_string(xmlNodePtr e, struct buf *out)
{
	buf_reset(out);
	if (!e->properties) { /* most elements: nothing to look up twice */
		buf_addc(out, ' ');
		return;
	}
	const char *cls = node_attr(e, "class"), *id = node_attr(e, "id");
	if (cls)
		buf_adds(out, cls);
	buf_addc(out, ' ');
	if (id)
		buf_adds(out, id);
	if (out->p)
		lower_ascii_in_place(out->p, out->n);
}
