/*
 * tree.h — per-element statistics and tree edits for the extractor (tree.c): text and link
 * lengths, comma counts and descendant counts computed bottom-up in one iterative pass, moves
 * that never merge text nodes (libxml2's xmlAddChild frees a text node it merges, which would
 * leave dangling pointers in our lists), and removal by unlinking (the tree's memory is freed
 * at once, build.c: a removed node stays valid until then).
 */
#ifndef CHAPAR_EXTRACT_TREE_H
#define CHAPAR_EXTRACT_TREE_H

#include "extract/internal.h"

/* Tag classes (tag_flags). */
enum {
	TF_DIV_TO_P = 1 << 0,  /* a child like this keeps a div from becoming a p */
	TF_PHRASING = 1 << 1,  /* phrasing content */
	TF_PHRASING_IF = 1 << 2, /* a, del, ins: phrasing when their children are */
	TF_SCORE = 1 << 3,     /* scored as a paragraph */
	TF_BLOCK = 1 << 4,     /* ends a line in text output */
	TF_DROP = 1 << 5,      /* never content: removed on sight */
	TF_HEADING = 1 << 6,   /* h1–h6 */
	TF_TEXTISH = 1 << 7,   /* span, li, td and the TF_DIV_TO_P tags: text density */
	TF_EMBED = 1 << 8,     /* object, embed, iframe */
	TF_A = 1 << 9,         /* the tags the statistics count, one bit each */
	TF_P = 1 << 10,
	TF_IMG = 1 << 11,
	TF_LI = 1 << 12,
	TF_INPUT = 1 << 13,
	TF_LIST = 1 << 14,     /* ul, ol */
	TF_RULE = 1 << 15,     /* br, hr: blocks that hold nothing */
};

unsigned tag_flags(const xmlChar *name);

/* Per-element statistics, hung on xmlNode._private (allocated with the document). */
struct nstat {
	double score;
	uint32_t text;    /* characters of text, whitespace runs counted once */
	uint32_t link;    /* characters of that inside <a> (same-page links weigh 0.3) */
	uint32_t commas;
	uint32_t textish; /* characters inside TF_TEXTISH descendants */
	uint32_t heading; /* characters inside h1–h6 descendants */
	uint32_t list;    /* characters inside ul/ol descendants */
	uint32_t n_p, n_img, n_li, n_input, n_embed, n_elems;
	bool has_block;   /* some descendant has TF_DIV_TO_P */
	bool has_any_block; /* some descendant has TF_BLOCK (other than br/hr) */
	bool scored;      /* initialised as a candidate */
	bool dead;        /* removed */
	bool data_table;
	int alt_hits;     /* near-best candidates below it (choose_top) */
	unsigned flags;   /* tag_flags of the element, as of the last tree_stats */
	const xmlChar *flags_of; /* the name flags was computed for (kept across tree_stats) */
};

/* elem_flags: tag_flags of element e, from its statistics when they hold them for its present
 * name (tree_stats keeps them; a renamed element is looked up again). */
static inline unsigned elem_flags(xmlNodePtr e)
{
	const struct nstat *s = e->_private;
	return s && s->flags_of == e->name ? s->flags : tag_flags(e->name);
}

struct tree {
	xmlDocPtr doc; /* from extract_parse_html: the statistics are allocated with it */
	bool nomem;
};

void tree_init(struct tree *t, xmlDocPtr doc);

/* stat_of: the statistics of element e (created zeroed when missing); NULL when out of memory. */
struct nstat *stat_of(struct tree *t, xmlNodePtr e);
/* tree_stats: recompute the statistics of every element under root (iterative post-order). */
void tree_stats(struct tree *t, xmlNodePtr root);

/* tree_remove: unlink e; pointers to it stay valid until the document is freed. */
void tree_remove(struct tree *t, xmlNodePtr e);
/* tree_append / tree_insert_before: move n (without merging text nodes). */
void tree_append(xmlNodePtr parent, xmlNodePtr n);
/* tree_link_last: tree_append for an n linked to nothing in the tree (a new node, or a copy
 * whose child and sibling links are cleared; its parent pointer is overwritten unread): no
 * unlinking first, which is a libxml2 call per node. */
static inline void tree_link_last(xmlNodePtr parent, xmlNodePtr n)
{
	n->parent = parent;
	n->doc = parent->doc;
	n->next = NULL;
	n->prev = parent->last;
	if (parent->last)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
}
void tree_insert_before(xmlNodePtr ref, xmlNodePtr n);

/* Navigation over elements only, in document order, iterative. */
xmlNodePtr first_element_child(xmlNodePtr e);
xmlNodePtr next_element_sibling(xmlNodePtr e);
/* next_node: the next element after e in document order; skipping e's subtree when skip_kids. */
xmlNodePtr next_node(xmlNodePtr e, bool skip_kids);
/* next_node_within: like next_node, but NULL instead of leaving root's subtree. */
xmlNodePtr next_node_within(xmlNodePtr root, xmlNodePtr e, bool skip_kids);
/* is_tag: e is an element named name (lower case). */
bool is_tag(xmlNodePtr e, const char *name);
/* has_ancestor_tag: an ancestor within max_depth levels (0 = any) is named name. */
bool has_ancestor_tag(xmlNodePtr e, const char *name, int max_depth);
/* is_whitespace_node: a text node of whitespace only, or a <br>. */
bool is_whitespace_node(xmlNodePtr n);
/* is_phrasing: phrasing content (text, inline elements, a/del/ins of phrasing content). */
bool is_phrasing(xmlNodePtr n);
/* match_string: "class id" of e, lower case, into out (reset first). */
void match_string(xmlNodePtr e, struct buf *out);
/* count_text: characters of text (whitespace runs once) and commas in s. */
void count_text(const char *s, uint32_t *chars, uint32_t *commas);

#endif
