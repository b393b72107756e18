/*
 * build.c — libxml2's HTML parser driven through SAX callbacks that build the tree in a pool.
 * The nodes are libxml2's own structs (xmlNode, xmlAttr, xmlDoc), so every walker in this
 * module reads them as before, but none is allocated with malloc and none is freed one by one:
 * they come from blocks freed at once, and a thread keeps a few blocks from one document to the
 * next (the parse's tree building, malloc and xmlFreeDoc were about half of the extractor's
 * time; fresh blocks every time cost as much again in page faults). The shape is the one
 * libxml2's SAX2 tree builder (SAX2.c, 2.9) gives: the same parent for every node, adjacent
 * text of one kind merged, boolean attributes given their name as value, "prefix:" dropped
 * from element names, a DOCTYPE as the document's first child, an element arriving after the
 * root was closed placed under the document's first child; tests/unit/extract/build.c and
 * fuzz/fuzz_extract_tree.c compare the two builders. Parser state (auto-closing, implied
 * html/body/p, depth) stays libxml2's. Not here: the input pipeline (input.c).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/parserInternals.h>

#include "extract/tree.h"

/* ---------------------------------------------------------------------------------------------
 * Memory: bump allocation in blocks, a few blocks cached per thread
 * ------------------------------------------------------------------------------------------- */

#define BLOCK_SIZE ((size_t)256 << 10)
#define CACHED_BLOCKS 32 /* 8 MB a thread at most */
/* A whole tree's cap, statistics included: about 250 bytes an element, so 5 MB of markup
 * (EXTRACT_MAX_MARKUP) of nothing but empty elements fits. */
#define POOL_LIMIT ((size_t)1 << 30)

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

struct pool {
	struct block *head;
	size_t total;
};

/* The thread's spare blocks (all BLOCK_SIZE), freed when the thread ends. */
struct spare {
	struct block *head;
	size_t n;
};

static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

/* free_spare: the thread-exit destructor of the spare blocks. */
static void free_spare(void *v)
{
	struct spare *sp = v;
	while (sp->head) {
		struct block *next = sp->head->next;
		free(sp->head);
		sp->head = next;
	}
	free(sp);
}

/* make_spare_key: once per process. */
static void make_spare_key(void)
{
	pthread_key_create(&spare_key, free_spare);
}

/* spare_of_thread: the calling thread's spare list, created on first use; NULL when out of
 * memory (then nothing is cached). */
static struct spare *spare_of_thread(void)
{
	pthread_once(&spare_once, make_spare_key);
	struct spare *sp = pthread_getspecific(spare_key);
	if (!sp) {
		sp = calloc(1, sizeof *sp);
		if (sp && pthread_setspecific(spare_key, sp) != 0) {
			free(sp);
			sp = NULL;
		}
	}
	return sp;
}

/* pool_take_slow: pool_take when the current block has no room (or there is none). */
static void *pool_take_slow(struct pool *p, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n || need > POOL_LIMIT - p->total)
		return NULL;
	struct block *b = p->head;
	if (!b || b->size - b->used < need) {
		struct spare *sp = need <= BLOCK_SIZE ? spare_of_thread() : NULL;
		if (sp && sp->head) {
			b = sp->head;
			sp->head = b->next;
			sp->n--;
		} else {
			size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
			b = malloc(sizeof *b + size);
			if (!b)
				return NULL;
			b->size = size;
		}
		b->used = 0;
		if (p->head && need > BLOCK_SIZE) {
			/* an outsize block goes second: the current one keeps serving small requests */
			b->next = p->head->next;
			p->head->next = b;
		} else {
			b->next = p->head;
			p->head = b;
		}
	}
	void *r = b->data + b->used;
	b->used += need;
	p->total += need;
	return r;
}

/* pool_take: n bytes (not zeroed: for what is written whole at once), 16-aligned, until
 * pool_release; NULL when out of memory or past POOL_LIMIT. The common case, room in the
 * current block, inline: a tree takes a few allocations per node. */
static inline void *pool_take(struct pool *p, size_t n)
{
	struct block *b = p->head;
	size_t need = (n + 15) & ~(size_t)15;
	if (b && need >= n && need <= b->size - b->used && need <= POOL_LIMIT - p->total) {
		void *r = b->data + b->used;
		b->used += need;
		p->total += need;
		return r;
	}
	return pool_take_slow(p, n);
}

/* pool_alloc: pool_take, zeroed. */
static void *pool_alloc(struct pool *p, size_t n)
{
	void *r = pool_take(p, n);
	if (r)
		memset(r, 0, n);
	return r;
}

/* pool_release: every block back to the thread's spares (up to CACHED_BLOCKS) or to malloc. */
static void pool_release(struct pool *p)
{
	struct spare *sp = spare_of_thread();
	while (p->head) {
		struct block *b = p->head;
		p->head = b->next;
		if (sp && b->size == BLOCK_SIZE && sp->n < CACHED_BLOCKS) {
			b->next = sp->head;
			sp->head = b;
			sp->n++;
		} else {
			free(b);
		}
	}
	p->total = 0;
}

/* pool_strndup: a NUL-terminated copy of n bytes of s; NULL when out of memory. */
static char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *r = n < SIZE_MAX ? pool_take(p, n + 1) : NULL;
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

/* pool_strdup: pool_strndup of a whole string. */
static char *pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

/* Interned names: libxml2 hands names out of the parser context's dictionary, which dies with
 * the context; each distinct one is mapped once to a string that lives as long as the tree (a
 * known HTML tag: libxml2's static table entry; other names: a copy in the pool). */
#define NAME_SLOTS 512

/* On an element opened while nothing was open (xmlNode.extra): it may be linked under the
 * document's first child, but closing it leaves nothing open, as libxml2's node stack does. */
#define OPENED_AT_TOP 1

struct name_slot {
	const xmlChar *key; /* the dictionary's pointer */
	const xmlChar *name;
};

/* The attributes anything in this module reads (node_attr and the sanitiser's lists): the rest
 * are not kept in the tree unless EXTRACT_PARSE_ALL_ATTRS. Sorted (bsearch). A name missing
 * here reads as absent: add it when some code starts reading it. */
static const char *const read_attrs[] = {
	"alt", "aria-hidden", "aria-modal", "cite", "class", "colspan", "content", LEAD_MARK,
	"data-lazy-src", "data-original", "data-src", "data-url", "datatable", "datetime", "dir",
	"height", "hidden", "href", "http-equiv", "id", "itemprop", "lang", "name", "property",
	"rel", "role", "rowspan", "src", "start", "style", "summary", "title", "width",
};

#define ATTR_SLOTS 256

struct attr_slot {
	const xmlChar *key; /* the dictionary's pointer */
	bool keep;
};

/* Names of stashed attributes (park.c) as they are written in the markup, each mapped once to
 * its dictionary entry (lower-cased), as libxml2 would look it up. */
#define STASHED_NAME_SLOTS 128

struct stashed_name_slot {
	uint32_t at, len; /* the name as written: in the parked source */
	const xmlChar *key;
};

struct builder {
	struct pool *pool;
	bool all_attrs;
	xmlDocPtr doc;
	xmlNodePtr cur;     /* the open element (ctxt->node in SAX2), NULL outside the root */
	xmlNodePtr pending; /* the text node whose content is still in text */
	struct buf text;
	const struct extract_parked *parked; /* NULL when nothing was parked */
	struct buf scratch;                  /* text or a value with its parked runs put back */
	bool failed;        /* out of memory: the parse was stopped */
	size_t next_tag;    /* the first of parked->tags not given its attributes yet */
	bool stash_lost;    /* stashed attributes met an element that had some of its own */
	struct name_slot names[NAME_SLOTS];
	struct attr_slot attrs[ATTR_SLOTS];
	struct stashed_name_slot stashed_names[STASHED_NAME_SLOTS];
};

/* ---------------------------------------------------------------------------------------------
 * Allocation and linking
 * ------------------------------------------------------------------------------------------- */

/* fail: record out of memory and stop the parser (no more callbacks after this one). */
static void fail(htmlParserCtxtPtr ctxt, struct builder *b)
{
	b->failed = true;
	xmlStopParser(ctxt);
}

/* new_node: a zeroed node of the type in the pool, of the document; NULL when out of memory. */
static xmlNodePtr new_node(struct builder *b, xmlElementType type, const xmlChar *name)
{
	xmlNodePtr n = pool_alloc(b->pool, type == XML_DTD_NODE ? sizeof(xmlDtd) : sizeof(xmlNode));
	if (n) {
		n->type = type;
		n->name = name;
		n->doc = b->doc;
	}
	return n;
}

/* place: link a new element, comment or PI where SAX2 does: under the open element; at the end
 * of the document when nothing is open (an element: under the document's first child when that
 * is an element, else after the last top-level node). */
static void place(struct builder *b, xmlNodePtr n, bool element)
{
	xmlNodePtr doc = (xmlNodePtr)b->doc, parent = b->cur;
	if (!parent && element && doc->children && doc->children->type == XML_ELEMENT_NODE)
		parent = doc->children;
	tree_link_last(parent ? parent : doc, n);
}

/* has_placeholder: s (n bytes) may hold a placeholder of park.c (its lead character). */
static bool has_placeholder(const struct builder *b, const char *s, size_t n)
{
	return b->parked && n >= 6 && extract_has_placeholder(b->parked, s, n);
}

/* pool_unparked: a pool copy of s (n bytes) with its parked runs put back; NULL when out of
 * memory. */
static char *pool_unparked(struct builder *b, const char *s, size_t n)
{
	if (!has_placeholder(b, s, n))
		return pool_strndup(b->pool, s, n);
	buf_reset(&b->scratch);
	if (extract_unpark(b->parked, s, n, &b->scratch) != CH_OK)
		return NULL;
	return pool_strndup(b->pool, b->scratch.p ? b->scratch.p : "", b->scratch.n);
}

/* pool_decoded: a pool copy of s (n bytes, a stashed value: park.c's value_refs) with its
 * references decoded as libxml2 decodes them; NULL when out of memory. */
static char *pool_decoded(struct builder *b, const char *s, size_t n)
{
	char *r = pool_take(b->pool, n + 1), *o = r; /* decoding never lengthens */
	if (!r)
		return NULL;
	const char *end = s + n;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *stop = amp ? amp : end;
		memcpy(o, s, (size_t)(stop - s));
		o += stop - s;
		s = stop;
		if (!amp)
			break;
		const char *utf8;
		size_t len, k = extract_simple_ref(s, end, &utf8, &len);
		if (!k) { /* (park.c stashes no other '&') */
			*o++ = *s++;
			continue;
		}
		memcpy(o, utf8, len);
		o += len;
		s += k;
	}
	*o = '\0';
	return r;
}

/* flush_text: give the pending text node its content (the merged text so far). */
static void flush_text(htmlParserCtxtPtr ctxt, struct builder *b)
{
	if (!b->pending)
		return;
	xmlChar *s = (xmlChar *)pool_unparked(b, b->text.p ? b->text.p : "", b->text.n);
	if (!s)
		fail(ctxt, b);
	b->pending->content = s;
	b->pending = NULL;
	buf_reset(&b->text);
}

/* intern: the lasting copy of a dictionary name (see NAME_SLOTS); NULL when out of memory. */
static const xmlChar *intern(struct builder *b, const xmlChar *key, bool tag)
{
	struct name_slot *s = &b->names[((uintptr_t)key >> 3) % NAME_SLOTS];
	if (s->key == key)
		return s->name;
	const htmlElemDesc *d = tag ? htmlTagLookup(key) : NULL;
	const xmlChar *name = d && strcmp(d->name, (const char *)key) == 0 ?
				      (const xmlChar *)d->name :
				      (const xmlChar *)pool_strdup(b->pool, (const char *)key);
	if (name) {
		s->key = key;
		s->name = name;
	}
	return name;
}

/* compare_names: strcmp for bsearch over read_attrs. */
static int compare_names(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

bool extract_attr_is_read(const char *name, size_t n)
{
	char lower[128];
	if (n >= sizeof lower)
		return false;
	for (size_t i = 0; i < n; i++)
		lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	lower[n] = '\0';
	return bsearch(lower, read_attrs, sizeof read_attrs / sizeof *read_attrs, sizeof *read_attrs,
		       compare_names) != NULL;
}

/* keep_attr: whether the attribute named key (a dictionary pointer) goes into the tree. */
static bool keep_attr(struct builder *b, const xmlChar *key)
{
	if (b->all_attrs)
		return true;
	struct attr_slot *s = &b->attrs[((uintptr_t)key >> 3) % ATTR_SLOTS];
	if (s->key != key) {
		s->key = key;
		s->keep = extract_attr_is_read((const char *)key, strlen((const char *)key));
	}
	return s->keep;
}

/* local_name: the name SAX2 gives an element named "prefix:local" (rare in HTML: <g:plusone>,
 * <o:p>): the part after the first colon, by libxml2's own rule (xmlSplitQName); a copy in the
 * pool, NULL when out of memory. */
static const xmlChar *local_name(htmlParserCtxtPtr ctxt, struct builder *b, const xmlChar *name)
{
	xmlChar *prefix = NULL;
	xmlChar *local = xmlSplitQName(ctxt, name, &prefix);
	const xmlChar *r = local ? (const xmlChar *)pool_strdup(b->pool, (const char *)local) : NULL;
	xmlFree(local);
	xmlFree(prefix);
	return r;
}

/* ---------------------------------------------------------------------------------------------
 * SAX callbacks (ctx is the parser context; its _private the builder)
 * ------------------------------------------------------------------------------------------- */

/* stashed_here: the stashed attributes (park.c) of the element name that libxml2 starts now,
 * when its parser stands where the next stashed tag's name ended and the names agree (an
 * element libxml2 implies there, such as <body> before a <div>, does not take them); else NULL. */
static const struct extract_stashed_tag *stashed_here(htmlParserCtxtPtr ctxt, struct builder *b,
						      const xmlChar *name)
{
	const struct extract_parked *pk = b->parked;
	if (!pk || b->next_tag >= pk->ntags)
		return NULL;
	const struct extract_stashed_tag *t = &pk->tags[b->next_tag];
	xmlParserInputPtr in = ctxt->input;
	if (!in || in->consumed + (size_t)(in->cur - in->base) != t->at)
		return NULL;
	const char *s = pk->source.p + t->name;
	for (uint32_t i = 0; i < t->name_len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
		if ((char)name[i] != c)
			return NULL;
	}
	if (name[t->name_len] != '\0')
		return NULL;
	b->next_tag++;
	return t;
}

/* The bytes of an attribute value as add_attr gets them: as libxml2 gives them, from the
 * parked markup (placeholders to put back), or stashed with references to decode. */
enum value_form { VALUE_PARSED, VALUE_UNPARKED, VALUE_REFS };

/* add_attr: append attribute key (a dictionary name) with value (n bytes in the given form;
 * NULL when absent) to e after *last, when it is kept; false when out of memory. */
static bool add_attr(struct builder *b, xmlNodePtr e, xmlAttrPtr *last, const xmlChar *key,
		     const char *value, size_t n, enum value_form form)
{
	if (!keep_attr(b, key))
		return true;
	if (!value && htmlIsBooleanAttr(key)) {
		value = (const char *)key;
		n = strlen(value);
	}
	xmlAttrPtr a = pool_alloc(b->pool, sizeof *a);
	const xmlChar *aname = intern(b, key, false);
	xmlNodePtr v = value ? new_node(b, XML_TEXT_NODE, xmlStringText) : NULL;
	if (v)
		v->content = (xmlChar *)(form == VALUE_UNPARKED ? pool_unparked(b, value, n)
					 : form == VALUE_REFS ? pool_decoded(b, value, n)
							      : pool_strndup(b->pool, value, n));
	if (!a || !aname || (value && (!v || !v->content)))
		return false;
	a->type = XML_ATTRIBUTE_NODE;
	a->name = aname;
	a->parent = e;
	a->doc = b->doc;
	if (v) {
		v->parent = (xmlNodePtr)a;
		a->children = a->last = v;
	}
	a->prev = *last;
	if (*last)
		(*last)->next = a;
	else
		e->properties = a;
	*last = a;
	return true;
}

/* stashed_name_key: the dictionary entry for the stashed attribute name at source offset at
 * (len bytes, less than 128), lower-cased; NULL when out of memory. */
static const xmlChar *stashed_name_key(htmlParserCtxtPtr ctxt, struct builder *b, uint32_t at, uint32_t len)
{
	const char *src = b->parked->source.p, *s = src + at;
	struct stashed_name_slot *slot =
		&b->stashed_names[(len * 31u + (unsigned char)s[0] * 7u + (unsigned char)s[len - 1]) % STASHED_NAME_SLOTS];
	if (slot->key && slot->len == len && memcmp(src + slot->at, s, len) == 0)
		return slot->key;
	xmlChar lower[128];
	for (uint32_t i = 0; i < len; i++)
		lower[i] = (xmlChar)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	const xmlChar *key = xmlDictLookup(ctxt->dict, lower, (int)len);
	if (key)
		*slot = (struct stashed_name_slot){ at, len, key };
	return key;
}

/* add_stashed: give e the attributes of stashed tag t, as libxml2 would have read them (names
 * lower-cased, values as they are: park.c stashes only values it reads so); false when out of
 * memory. */
static bool add_stashed(htmlParserCtxtPtr ctxt, struct builder *b, xmlNodePtr e, xmlAttrPtr *last,
			const struct extract_stashed_tag *t)
{
	const struct extract_parked *pk = b->parked;
	for (uint32_t k = 0; k < t->count; k++) {
		const struct extract_stashed_attr *sa = &pk->attrs[t->first + k];
		const xmlChar *key = stashed_name_key(ctxt, b, sa->name, sa->name_len);
		bool none = sa->value == UINT32_MAX;
		if (!key || !add_attr(b, e, last, key, none ? NULL : pk->source.p + sa->value,
				      none ? 0 : sa->value_len, sa->refs ? VALUE_REFS : VALUE_PARSED))
			return false;
	}
	return true;
}

/* on_start: a new element with its attributes (name/value pairs, a value NULL when absent). */
static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct builder *b = ctxt->_private;
	flush_text(ctxt, b);
	const struct extract_stashed_tag *stashed = stashed_here(ctxt, b, name);
	const xmlChar *tag = strchr((const char *)name, ':') ? local_name(ctxt, b, name) : intern(b, name, true);
	xmlNodePtr e = tag ? new_node(b, XML_ELEMENT_NODE, tag) : NULL;
	if (!e) {
		fail(ctxt, b);
		return;
	}
	xmlAttrPtr last = NULL;
	if (stashed) {
		b->stash_lost |= atts != NULL;
		if (!add_stashed(ctxt, b, e, &last, stashed)) {
			fail(ctxt, b);
			return;
		}
	}
	for (size_t i = 0; atts && atts[i]; i += 2) {
		const char *value = (const char *)atts[i + 1];
		if (!add_attr(b, e, &last, atts[i], value, value ? strlen(value) : 0, VALUE_UNPARKED)) {
			fail(ctxt, b);
			return;
		}
	}
	if (!b->cur)
		e->extra = OPENED_AT_TOP;
	place(b, e, true);
	b->cur = e;
}

/* on_end: the open element ends (libxml2 has already matched the name). */
static void on_end(void *ctx, const xmlChar *name)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct builder *b = ctxt->_private;
	flush_text(ctxt, b);
	if (b->cur) {
		xmlNodePtr p = b->cur->parent;
		b->cur = p && p->type == XML_ELEMENT_NODE && !(b->cur->extra & OPENED_AT_TOP) ? p : NULL;
	}
}

/* add_text: text of the type (text or CDATA) in the open element, merged into a text node of the
 * same type just before it; dropped outside the root element, as SAX2 does. */
static void add_text(htmlParserCtxtPtr ctxt, const xmlChar *s, int len, xmlElementType type)
{
	struct builder *b = ctxt->_private;
	if (!b->cur || len < 0)
		return;
	xmlNodePtr last = b->cur->last;
	if (!last || last->type != type) {
		flush_text(ctxt, b);
		last = new_node(b, type, type == XML_TEXT_NODE ? xmlStringText : NULL);
		if (!last) {
			fail(ctxt, b);
			return;
		}
		tree_link_last(b->cur, last);
	}
	if (last != b->pending) {
		/* merging into a node already written (not reached in practice: kept safe) */
		flush_text(ctxt, b);
		if (last->content && buf_adds(&b->text, (const char *)last->content) != CH_OK) {
			fail(ctxt, b);
			return;
		}
		b->pending = last;
	}
	if (buf_add(&b->text, (const char *)s, (size_t)len) != CH_OK)
		fail(ctxt, b);
}

/* on_characters: character data (entities already decoded). */
static void on_characters(void *ctx, const xmlChar *s, int len)
{
	add_text(ctx, s, len, XML_TEXT_NODE);
}

/* on_cdata: the raw content of a script or style element. */
static void on_cdata(void *ctx, const xmlChar *s, int len)
{
	add_text(ctx, s, len, XML_CDATA_SECTION_NODE);
}

/* add_leaf: a comment or processing instruction with its content. */
static void add_leaf(htmlParserCtxtPtr ctxt, xmlElementType type, const xmlChar *name,
		     const xmlChar *content)
{
	struct builder *b = ctxt->_private;
	flush_text(ctxt, b);
	xmlNodePtr n = new_node(b, type, name);
	if (n && content)
		n->content = (xmlChar *)pool_strdup(b->pool, (const char *)content);
	if (!n || (content && !n->content)) {
		fail(ctxt, b);
		return;
	}
	place(b, n, false);
}

/* on_comment: a comment (most are gone before parsing; see input.c). */
static void on_comment(void *ctx, const xmlChar *value)
{
	add_leaf(ctx, XML_COMMENT_NODE, xmlStringComment, value);
}

/* on_pi: a processing instruction. */
static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	struct builder *b = ((htmlParserCtxtPtr)ctx)->_private;
	const xmlChar *name = intern(b, target, false);
	if (!name) {
		fail(ctx, b);
		return;
	}
	add_leaf(ctx, XML_PI_NODE, name, data);
}

/* on_doctype: a DOCTYPE becomes the document's first child, replacing an earlier one. Its place
 * matters: an element after the root element is closed goes under the first child. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct builder *b = ctxt->_private;
	flush_text(ctxt, b);
	xmlDocPtr doc = b->doc;
	if (doc->intSubset)
		xmlUnlinkNode((xmlNodePtr)doc->intSubset);
	xmlDtdPtr dtd = (xmlDtdPtr)new_node(b, XML_DTD_NODE, NULL);
	if (!dtd) {
		fail(ctxt, b);
		return;
	}
	dtd->name = name ? (const xmlChar *)pool_strdup(b->pool, (const char *)name) : NULL;
	dtd->ExternalID = external_id ? (const xmlChar *)pool_strdup(b->pool, (const char *)external_id) : NULL;
	dtd->SystemID = system_id ? (const xmlChar *)pool_strdup(b->pool, (const char *)system_id) : NULL;
	dtd->parent = doc;
	dtd->next = doc->children;
	if (doc->children)
		doc->children->prev = (xmlNodePtr)dtd;
	else
		doc->last = (xmlNodePtr)dtd;
	doc->children = (xmlNodePtr)dtd;
	doc->intSubset = dtd;
}

/* ---------------------------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------------------------- */

/* silent: an error sink for libxml2 that drops everything (the library must not print). */
static void silent(void *ctx, const char *msg, ...)
{
}

/* silent_structured: the structured-error counterpart of silent. */
static void silent_structured(void *ctx, xmlErrorPtr e)
{
}

static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

/* init_parser: libxml2's global set-up, once, before any thread parses (its lazy set-up in
 * 2.9 is not safe when two threads parse first at the same time). */
static void init_parser(void)
{
	xmlInitParser();
}

/* use_builder: replace the context's tree-building callbacks by the builder's; the rest of the
 * handler (errors, entity look-ups) stays libxml2's. */
static void use_builder(htmlParserCtxtPtr ctxt, struct builder *b)
{
	xmlSAXHandlerPtr sax = ctxt->sax;
	sax->startDocument = NULL;
	sax->endDocument = NULL;
	sax->internalSubset = on_doctype;
	sax->externalSubset = NULL;
	sax->startElement = on_start;
	sax->endElement = on_end;
	sax->characters = on_characters;
	sax->ignorableWhitespace = on_characters;
	sax->cdataBlock = on_cdata;
	sax->comment = on_comment;
	sax->processingInstruction = on_pi;
	sax->reference = NULL;
	ctxt->_private = b;
}

static _Thread_local unsigned long stash_redos; /* see extract_stash_redos */

xmlDocPtr extract_parse_html(const char *utf8, size_t n, unsigned flags)
{
	return extract_parse_parked(utf8, n, flags, NULL);
}

xmlDocPtr extract_parse_parked(const char *utf8, size_t n, unsigned flags,
			       const struct extract_parked *parked)
{
	pthread_once(&parser_once, init_parser);
	/* per thread in libxml2: set on every call, the calling thread may be new */
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	if (n > INT32_MAX)
		n = INT32_MAX;
	struct builder *b = calloc(1, sizeof *b);
	struct pool *pool = calloc(1, sizeof *pool);
	htmlParserCtxtPtr ctxt = b && pool ? htmlNewParserCtxt() : NULL;
	xmlDocPtr doc = ctxt ? pool_alloc(pool, sizeof *doc) : NULL;
	if (!doc) {
		if (ctxt)
			htmlFreeParserCtxt(ctxt);
		free(pool);
		free(b);
		return NULL;
	}
	doc->type = XML_HTML_DOCUMENT_NODE;
	doc->doc = doc;
	doc->_private = pool;
	b->pool = pool;
	b->doc = doc;
	b->all_attrs = (flags & EXTRACT_PARSE_ALL_ATTRS) != 0;
	buf_init(&b->text, BUF_NO_LIMIT);
	buf_init(&b->scratch, BUF_NO_LIMIT);
	b->parked = parked && extract_parked_any(parked) ? parked : NULL;
	use_builder(ctxt, b);
	/* SAX2 would hand back a document; with these callbacks there is none (NULL) */
	xmlDocPtr none = htmlCtxtReadMemory(ctxt, utf8, (int)n, NULL, "UTF-8",
					    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
						    HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						    HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD |
						    XML_PARSE_HUGE);
	if (none)
		xmlFreeDoc(none);
	flush_text(ctxt, b);
	bool failed = b->failed;
	/* every stashed attribute list given back to its element, or the markup as it was */
	bool lost = b->parked && (b->stash_lost || b->next_tag != b->parked->ntags);
	htmlFreeParserCtxt(ctxt);
	buf_release(&b->text);
	buf_release(&b->scratch);
	free(b);
	if (failed || lost) {
		extract_free_doc(doc);
		if (failed)
			return NULL;
		stash_redos++;
		return extract_parse_parked(parked->source.p ? parked->source.p : "", parked->source.n, flags, NULL);
	}
	return doc;
}

unsigned long extract_stash_redos(void)
{
	return stash_redos;
}

/* copy_attrs: copies of e's attributes (and their value nodes; the strings are shared) for
 * copy, which is e's copy; false when out of memory. */
static bool copy_attrs(struct pool *pool, xmlNodePtr e, xmlNodePtr copy)
{
	xmlAttrPtr last = NULL;
	copy->properties = NULL;
	for (xmlAttrPtr a = e->properties; a; a = a->next) {
		xmlAttrPtr c = pool_take(pool, sizeof *c);
		if (!c)
			return false;
		*c = *a;
		c->parent = copy;
		c->doc = copy->doc;
		c->next = NULL;
		c->prev = last;
		if (a->children) {
			xmlNodePtr v = pool_take(pool, sizeof *v);
			if (!v)
				return false;
			*v = *a->children;
			v->parent = (xmlNodePtr)c;
			v->doc = copy->doc;
			c->children = c->last = v;
		}
		if (last)
			last->next = c;
		else
			copy->properties = c;
		last = c;
	}
	return true;
}

/* copy_node: a copy of n without links or statistics, its attributes copied; NULL when out of
 * memory. */
static xmlNodePtr copy_node(struct pool *pool, xmlDocPtr doc, xmlNodePtr n)
{
	size_t size = n->type == XML_DTD_NODE ? sizeof(xmlDtd) : sizeof(xmlNode);
	xmlNodePtr c = pool_take(pool, size);
	if (!c)
		return NULL;
	memcpy(c, n, size);
	c->_private = NULL;
	c->children = c->last = c->next = c->prev = NULL;
	c->doc = doc;
	if (n->type == XML_ELEMENT_NODE && n->properties && !copy_attrs(pool, n, c))
		return NULL;
	return c;
}

xmlDocPtr extract_copy_doc(xmlDocPtr doc)
{
	struct pool *pool = calloc(1, sizeof *pool);
	xmlDocPtr copy = pool ? pool_alloc(pool, sizeof *copy) : NULL;
	if (!copy) {
		free(pool);
		return NULL;
	}
	copy->type = XML_HTML_DOCUMENT_NODE;
	copy->doc = copy;
	copy->_private = pool;
	/* iterative (trees are 100,000 deep): cur walks doc, into is cur's parent's copy */
	xmlNodePtr cur = doc->children, into = (xmlNodePtr)copy;
	while (cur) {
		xmlNodePtr c = copy_node(pool, copy, cur);
		if (!c) {
			extract_free_doc(copy);
			return NULL;
		}
		tree_link_last(into, c);
		if (cur->type == XML_DTD_NODE)
			copy->intSubset = (xmlDtdPtr)c;
		if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
			into = c;
			continue;
		}
		while (!cur->next && cur->parent != (xmlNodePtr)doc) {
			cur = cur->parent;
			into = into->parent;
		}
		cur = cur->next;
	}
	return copy;
}

void extract_free_doc(xmlDocPtr doc)
{
	if (!doc)
		return;
	struct pool *pool = doc->_private;
	pool_release(pool);
	free(pool);
}

void *extract_doc_alloc(xmlDocPtr doc, size_t n)
{
	return pool_alloc(doc->_private, n);
}

xmlNodePtr extract_new_element(xmlDocPtr doc, const char *name)
{
	xmlNodePtr e = extract_doc_alloc(doc, sizeof *e);
	if (e) {
		e->type = XML_ELEMENT_NODE;
		e->name = (const xmlChar *)name;
		e->doc = doc;
	}
	return e;
}

bool extract_set_attr(xmlNodePtr e, const char *name, const char *value)
{
	struct pool *pool = e->doc->_private;
	xmlChar *v = (xmlChar *)pool_strdup(pool, value);
	if (!v)
		return false;
	for (xmlAttrPtr a = e->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) == 0 && a->children) {
			a->children->content = v;
			return true;
		}
	}
	xmlAttrPtr a = pool_alloc(pool, sizeof *a);
	xmlNodePtr t = pool_alloc(pool, sizeof *t);
	if (!a || !t)
		return false;
	a->type = XML_ATTRIBUTE_NODE;
	a->name = (const xmlChar *)pool_strdup(pool, name);
	if (!a->name)
		return false;
	a->parent = e;
	a->doc = e->doc;
	t->type = XML_TEXT_NODE;
	t->name = xmlStringText;
	t->content = v;
	t->parent = (xmlNodePtr)a;
	t->doc = e->doc;
	a->children = a->last = t;
	xmlAttrPtr *tail = &e->properties;
	while (*tail) {
		a->prev = *tail;
		tail = &(*tail)->next;
	}
	*tail = a;
	return true;
}

void extract_dump_tree(xmlDocPtr doc, struct buf *out)
{
	xmlNodePtr cur = doc->children;
	int depth = 0;
	while (cur) {
		if (cur->type != XML_DTD_NODE) {
			buf_addf(out, "%d %d %s", depth, (int)cur->type, cur->name ? (const char *)cur->name : "-");
			for (xmlAttrPtr a = cur->type == XML_ELEMENT_NODE ? cur->properties : NULL; a; a = a->next)
				buf_addf(out, " [%s=%s]", (const char *)a->name,
					 a->children && a->children->content ? (const char *)a->children->content : "(none)");
			if (cur->content)
				buf_addf(out, " {%s}", (const char *)cur->content);
			buf_addc(out, '\n');
		}
		if (cur->type == XML_ELEMENT_NODE && cur->children) {
			cur = cur->children;
			depth++;
			continue;
		}
		while (cur && !cur->next) {
			cur = cur->parent;
			depth--;
			if (cur == (xmlNodePtr)doc)
				cur = NULL;
		}
		if (cur)
			cur = cur->next;
	}
}
