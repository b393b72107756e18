/*
 * grab.h — the article-finding pass over a parsed page (grab.c).
 */
#ifndef CHAPAR_EXTRACT_GRAB_H
#define CHAPAR_EXTRACT_GRAB_H

#include "extract/tree.h"

enum {
	GRAB_STRIP_UNLIKELY = 1 << 0,      /* remove blocks whose class/id says boilerplate */
	GRAB_WEIGHT_CLASSES = 1 << 1,      /* class/id hints move scores */
	GRAB_CLEAN_CONDITIONALLY = 1 << 2, /* remove link-heavy / image-heavy blocks at the end */
	GRAB_ALL = 7,
};

struct grab {
	xmlDocPtr doc;
	struct arena *arena;
	unsigned flags;
	const char *title;      /* the page title, to drop a heading repeating it; may be NULL */
	bool drop_title_header; /* until the first such heading is dropped */
	const char *byline;     /* found in the page (arena), or NULL */
	bool byline_found;
	long budget;            /* work left for statistics updates: pathological pages stop early */
	struct tree tree;
	struct buf scratch, key;
	struct buf match;       /* match_string of the element visit looks at (grab.c, match_of) */
	xmlNodePtr body, article;
	xmlNodePtr top;         /* the chosen candidate inside article (NULL: the whole body) */
	xmlNodePtr *to_score, *cands, *coll;
	size_t nscore, capscore, ncand, capcand, ncoll, capcoll;
};

/* grab_init: prepare a pass over doc (from extract_parse_html: statistics and new nodes are
 * allocated with it); strings kept in the result are allocated from arena. */
void grab_init(struct grab *g, xmlDocPtr doc, struct arena *arena, unsigned flags, const char *title);
/* grab_article: find and clean the article; returns a detached container element (freed with doc)
 * whose children are the article, or NULL. */
xmlNodePtr grab_article(struct grab *g);
/* grab_release: free the pass's memory (the nodes are the document's). */
void grab_release(struct grab *g);

#endif
