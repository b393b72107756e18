/*
 * discover.c — feed discovery (see discover.h): sniffing a response's kind, reading the
 * <link rel="alternate"> feeds an HTML page announces (libxml2's HTML parser, behind a UTF-8
 * repair step, walked iteratively), guessing the usual feed paths, and the whole flow over the
 * fetcher. It never decides what a feed says; that is feed_parse's job.
 */
#include "feed/discover.h"

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

/* HTML beyond this is not read: <link> elements live in <head>, and a cap bounds the work a
 * hostile page can cause. */
#define HTML_CAP ((size_t)2 << 20)
/* How much of a body sniffing looks at. */
#define SNIFF_WINDOW 4096

/* The usual feed paths, most likely first. Sources: the defaults of WordPress (/feed,
 * /?feed=rss2), Blogger (/feeds/posts/default), Ghost (/rss/), Hugo (/index.xml), Jekyll
 * (/feed.xml), static site generators (/atom.xml, /rss.xml), and Iranian news agencies'
 * CMSs, which mostly serve /rss or /fa/rss. */
static const char *const COMMON_PATHS[] = {
	"/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/feed/", "/rss/",
	"/?feed=rss2", "/feeds/posts/default", "/fa/rss", "/fa/feed",
};
#define N_COMMON_PATHS (sizeof COMMON_PATHS / sizeof COMMON_PATHS[0])

bool discover_is_feed(enum discover_kind k)
{
	return k == DISCOVER_RSS || k == DISCOVER_RDF || k == DISCOVER_ATOM ||
	       k == DISCOVER_JSON_FEED || k == DISCOVER_XML_FEED;
}

const char *discover_kind_name(enum discover_kind k)
{
	switch (k) {
	case DISCOVER_HTML: return "html";
	case DISCOVER_RSS: return "rss";
	case DISCOVER_RDF: return "rdf";
	case DISCOVER_ATOM: return "atom";
	case DISCOVER_JSON_FEED: return "json";
	case DISCOVER_XML_FEED: return "xml";
	case DISCOVER_UNKNOWN: break;
	}
	return "unknown";
}

/* ---------------------------------------------------------------------------------------------
 * Sniffing
 * ------------------------------------------------------------------------------------------- */

/* contains_ci: true when needle occurs in s (NUL-terminated), ignoring ASCII case. */
static bool contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; s && *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

/* find: the index of needle in p[from, n), or n when absent. */
static size_t find(const char *p, size_t from, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = from; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return i;
	return n;
}

/* kind_of_type: the feed kind a MIME type names, DISCOVER_HTML for HTML, else UNKNOWN. Plain
 * application/json is not a feed: WordPress announces its REST API with it. */
static enum discover_kind kind_of_type(const char *t)
{
	if (!t)
		return DISCOVER_UNKNOWN;
	if (contains_ci(t, "rss"))
		return DISCOVER_RSS;
	if (contains_ci(t, "atom"))
		return DISCOVER_ATOM;
	if (contains_ci(t, "rdf"))
		return DISCOVER_RDF;
	if (contains_ci(t, "feed+json") || contains_ci(t, "json+feed"))
		return DISCOVER_JSON_FEED;
	if (contains_ci(t, "html"))
		return DISCOVER_HTML;
	if (contains_ci(t, "text/xml") || contains_ci(t, "application/xml"))
		return DISCOVER_XML_FEED;
	return DISCOVER_UNKNOWN;
}

/* kind_of_element: what a document whose first element is called name (len bytes) is. */
static enum discover_kind kind_of_element(const char *name, size_t len)
{
	const char *colon = memchr(name, ':', len);
	if (colon) { /* <atom:feed>, <rdf:RDF>: the local name decides */
		len -= (size_t)(colon + 1 - name);
		name = colon + 1;
	}
	static const struct { const char *name; enum discover_kind kind; } roots[] = {
		{ "rss", DISCOVER_RSS }, { "feed", DISCOVER_ATOM }, { "RDF", DISCOVER_RDF },
		{ "html", DISCOVER_HTML }, { "head", DISCOVER_HTML }, { "body", DISCOVER_HTML },
		{ "meta", DISCOVER_HTML }, { "title", DISCOVER_HTML }, { "link", DISCOVER_HTML },
		{ "script", DISCOVER_HTML }, { "div", DISCOVER_HTML }, { "p", DISCOVER_HTML },
	};
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (strlen(roots[i].name) == len && strncasecmp(roots[i].name, name, len) == 0)
			return roots[i].kind;
	return DISCOVER_UNKNOWN;
}

/* sniff_markup: the kind from the first element of p (n bytes), skipping the XML declaration,
 * processing instructions, comments and doctypes; UNKNOWN when there is no element. */
static enum discover_kind sniff_markup(const char *p, size_t n)
{
	size_t i = 0;
	for (;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
			i++;
		if (i + 1 >= n || p[i] != '<')
			return DISCOVER_UNKNOWN;
		if (p[i + 1] == '?') {
			i = find(p, i, n, "?>") + 2;
		} else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			i = find(p, i, n, "-->") + 3;
		} else if (p[i + 1] == '!') {
			if (n - i >= 14 && strncasecmp(p + i, "<!doctype html", 14) == 0)
				return DISCOVER_HTML;
			i = find(p, i, n, ">") + 1;
		} else {
			size_t start = ++i;
			while (i < n && (p[i] == ':' || p[i] == '-' || p[i] == '_' || p[i] == '.' ||
					 (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
					 (p[i] >= '0' && p[i] <= '9')))
				i++;
			return i > start ? kind_of_element(p + start, i - start) : DISCOVER_UNKNOWN;
		}
		if (i > n)
			return DISCOVER_UNKNOWN;
	}
}

enum discover_kind discover_sniff(const char *body, size_t n, const char *content_type)
{
	char narrow[SNIFF_WINDOW];
	const unsigned char *u = (const unsigned char *)body;
	size_t m = n < SNIFF_WINDOW ? n : SNIFF_WINDOW;
	const char *p = body;
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
		       u[0] == 0 || u[1] == 0)) {
		/* UTF-16 (with or without a BOM): the markup is ASCII, so dropping the zero bytes
		 * and the BOM leaves something we can read */
		size_t k = 0;
		for (size_t i = 0; i < m; i++)
			if (u[i] != 0 && u[i] != 0xFF && u[i] != 0xFE)
				narrow[k++] = body[i];
		p = narrow;
		m = k;
	} else if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		p += 3;
		m -= 3;
	}
	size_t i = 0;
	while (i < m && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < m && p[i] == '{') {
		if (find(p, i, m, "jsonfeed.org/version") < m)
			return DISCOVER_JSON_FEED;
	} else {
		enum discover_kind k = sniff_markup(p + i, m - i);
		if (k != DISCOVER_UNKNOWN)
			return k;
	}
	return kind_of_type(content_type);
}

/* ---------------------------------------------------------------------------------------------
 * Lists
 * ------------------------------------------------------------------------------------------- */

/* list_new: an empty list with its arena; NULL when out of memory. */
static struct discover_list *list_new(void)
{
	struct discover_list *l = calloc(1, sizeof *l);
	if (l)
		arena_init(&l->arena, 0);
	return l;
}

void discover_list_free(struct discover_list *l)
{
	if (!l)
		return;
	arena_release(&l->arena);
	free(l);
}

/* list_add: append a link (strings copied into the arena) unless its URL is already there.
 * False when out of memory. */
static bool list_add(struct discover_list *l, const char *url, const char *type, const char *title,
		     enum discover_kind kind)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->links[i].url, url) == 0)
			return true;
	/* grow by doubling inside the arena; the old array is simply left behind */
	if ((l->n & (l->n - 1)) == 0) {
		size_t cap = l->n ? l->n * 2 : 4;
		struct discover_link *links = arena_alloc(&l->arena, cap * sizeof *links);
		if (!links)
			return false;
		if (l->n)
			memcpy(links, l->links, l->n * sizeof *links);
		l->links = links;
	}
	struct discover_link *k = &l->links[l->n];
	k->url = arena_strdup(&l->arena, url);
	k->type = arena_strdup(&l->arena, type);
	k->title = arena_strdup(&l->arena, title);
	k->kind = kind;
	if (!k->url || (type && !k->type) || (title && !k->title))
		return false;
	l->n++;
	return true;
}

/* ---------------------------------------------------------------------------------------------
 * <link rel="alternate"> in HTML
 * ------------------------------------------------------------------------------------------- */

/* has_token: true when the space-separated list s holds token, ignoring ASCII case. */
static bool has_token(const char *s, const char *token)
{
	size_t k = strlen(token);
	while (s && *s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')
			s++;
		size_t len = strcspn(s, " \t\n\r\f");
		if (len == k && strncasecmp(s, token, k) == 0)
			return true;
		s += len;
	}
	return false;
}

/* http_url_canon: whether u is an http(s) URL with a host; its scheme is lower-cased in place
 * (schemes are case-insensitive, RFC 3986 3.1: `Http://` is `http://`). */
static bool http_url_canon(char *u)
{
	size_t scheme;
	if (strncasecmp(u, "http://", 7) == 0)
		scheme = 4;
	else if (strncasecmp(u, "https://", 8) == 0)
		scheme = 5;
	else
		return false;
	for (size_t i = 0; i < scheme; i++)
		u[i] = (char)tolower((unsigned char)u[i]);
	char host = u[scheme + 3];
	return host != '\0' && host != '/' && host != '?' && host != '#';
}

/* resolve: href made absolute against base, as a malloc'd string (xmlFree), or NULL when it is
 * not an http(s) URL with a host. */
static xmlChar *resolve(const char *href, const char *base)
{
	struct slice h = slice_trim(slice_from(href));
	char *trimmed = strndup(h.p, h.n);
	if (!trimmed)
		return NULL;
	xmlChar *abs = xmlBuildURI((const xmlChar *)trimmed, (const xmlChar *)(base ? base : ""));
	free(trimmed);
	if (abs && !http_url_canon((char *)abs)) {
		xmlFree(abs);
		abs = NULL;
	}
	return abs;
}

/* attr: the value of attribute name on element e (xmlFree), or NULL. */
static char *attr(xmlNode *e, const char *name)
{
	return (char *)xmlGetProp(e, (const xmlChar *)name);
}

/* take_link: add e to l when it is a <link rel="alternate"> to a feed. False when out of
 * memory. */
static bool take_link(xmlNode *e, const char *base, struct discover_list *l)
{
	char *rel = attr(e, "rel"), *type = attr(e, "type"), *href = attr(e, "href");
	bool ok = true;
	enum discover_kind kind = kind_of_type(type);
	if (rel && href && has_token(rel, "alternate") && discover_is_feed(kind)) {
		xmlChar *abs = resolve(href, base);
		if (abs) {
			char *title = attr(e, "title");
			struct slice t = slice_trim(slice_from(type));
			char *clean_type = strndup(t.p, t.n);
			ok = clean_type && list_add(l, (const char *)abs, clean_type, title, kind);
			free(clean_type);
			xmlFree(title);
			xmlFree(abs);
		}
	}
	xmlFree(rel);
	xmlFree(type);
	xmlFree(href);
	return ok;
}

/* is_element: true when n is an element called name (ASCII case ignored). */
static bool is_element(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       strcasecmp((const char *)n->name, name) == 0;
}

/* next_node: the node after n in document order (iterative, so deep trees cannot overflow the
 * stack); NULL at the end. */
static xmlNode *next_node(xmlNode *n)
{
	if (n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n) {
		if (n->next)
			return n->next;
		n = n->parent;
		if (n && n->type != XML_ELEMENT_NODE)
			return NULL;
	}
	return NULL;
}

enum ch_status discover_links(const char *html, size_t n, const char *page_url,
			      struct discover_list **out, struct ch_error *err)
{
	*out = NULL;
	struct buf clean;
	buf_init(&clean, BUF_NO_LIMIT);
	/* libxml2 switches to Latin-1 at the first invalid byte: hand it valid UTF-8 only */
	if (utf8_repair(&clean, html, n < HTML_CAP ? n : HTML_CAP) != CH_OK) {
		buf_release(&clean);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	struct discover_list *l = list_new();
	if (!l) {
		buf_release(&clean);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	htmlDocPtr doc = NULL;
	if (clean.n > 0 && clean.n <= INT32_MAX)
		doc = htmlReadMemory(buf_str(&clean), (int)clean.n, page_url, "UTF-8",
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				     HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	buf_release(&clean);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	/* <base href> changes what relative links mean; only the first one counts */
	xmlChar *base = NULL;
	for (xmlNode *e = root; e && !base; e = next_node(e))
		if (is_element(e, "base")) {
			char *href = attr(e, "href");
			if (href)
				base = resolve(href, page_url);
			xmlFree(href);
		}
	const char *base_url = base ? (const char *)base : page_url;

	bool ok = true;
	for (xmlNode *e = root; e && ok; e = next_node(e))
		if (is_element(e, "link"))
			ok = take_link(e, base_url, l);
	xmlFree(base);
	xmlFreeDoc(doc);
	if (!ok) {
		discover_list_free(l);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	*out = l;
	return CH_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Guessing and the whole flow
 * ------------------------------------------------------------------------------------------- */

enum ch_status discover_guess_urls(const char *url, struct discover_list **out,
				   struct ch_error *err)
{
	*out = NULL;
	struct discover_list *l = list_new();
	if (!l)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < N_COMMON_PATHS; i++) {
		xmlChar *abs = resolve(COMMON_PATHS[i], url);
		if (!abs) {
			discover_list_free(l);
			return ch_fail(err, CH_ERR_INVALID, "not an http(s) URL: %s", url);
		}
		bool ok = list_add(l, (const char *)abs, NULL, NULL, DISCOVER_UNKNOWN);
		xmlFree(abs);
		if (!ok) {
			discover_list_free(l);
			return ch_fail(err, CH_ERR_NOMEM, "out of memory");
		}
	}
	*out = l;
	return CH_OK;
}

/* What discover_feeds' callbacks fill in. */
struct probe {
	/* the first fetch: the user's URL */
	enum ch_status status;
	char error[256];
	char final_url[2048];
	char content_type[256];
	char *body; /* owned; NULL when empty */
	size_t body_len;
	/* the probes of common paths, by index */
	enum discover_kind kinds[N_COMMON_PATHS];
	uint64_t hashes[N_COMMON_PATHS];
	char finals[N_COMMON_PATHS][1024];
};

/* on_first: keep the user's URL's response (body taken over, not copied). */
static void on_first(struct fetch_result *r, void *ctx)
{
	struct probe *p = ctx;
	p->status = r->status;
	snprintf(p->error, sizeof p->error, "%s", r->error);
	snprintf(p->final_url, sizeof p->final_url, "%s", r->final_url[0] ? r->final_url : r->url);
	snprintf(p->content_type, sizeof p->content_type, "%s", r->content_type);
	free(p->body);
	p->body = r->body->n ? buf_detach(r->body, &p->body_len) : NULL;
	if (!p->body)
		p->body_len = 0;
}

/* on_probe: record whether a guessed path answered with a feed. */
static void on_probe(struct fetch_result *r, void *ctx)
{
	struct probe *p = ctx;
	size_t i = (size_t)(uintptr_t)r->user;
	if (r->status != CH_OK || r->body->n == 0)
		return;
	p->kinds[i] = discover_sniff(r->body->p, r->body->n, r->content_type);
	p->hashes[i] = r->body_hash;
	snprintf(p->finals[i], sizeof p->finals[i], "%s", r->final_url[0] ? r->final_url : r->url);
}

/* fetch_all: run one fetcher over the given requests, calling done for each. */
static enum ch_status fetch_all(const struct fetch_options *o, fetch_done_fn done, void *ctx,
				const struct fetch_request *reqs, size_t n, struct ch_error *err)
{
	struct fetcher *f = NULL;
	enum ch_status s = fetch_new(o, done, ctx, &f, err);
	for (size_t i = 0; s == CH_OK && i < n; i++)
		s = fetch_submit(f, &reqs[i], err);
	if (s == CH_OK)
		s = fetch_run(f, err);
	fetch_free(f);
	return s;
}

/* probe_common_paths: add to l the usual paths on url's site that answer with a feed. */
static enum ch_status probe_common_paths(const char *url, const struct fetch_options *o,
					 struct probe *p, struct discover_list *l,
					 struct ch_error *err)
{
	struct discover_list *guesses = NULL;
	enum ch_status s = discover_guess_urls(url, &guesses, err);
	if (s != CH_OK)
		return s;
	struct fetch_request reqs[N_COMMON_PATHS];
	for (size_t i = 0; i < guesses->n; i++)
		reqs[i] = (struct fetch_request){ .url = guesses->links[i].url,
						  .user = (void *)(uintptr_t)i };
	s = fetch_all(o, on_probe, p, reqs, guesses->n, err);
	for (size_t i = 0; s == CH_OK && i < guesses->n; i++) {
		if (!discover_is_feed(p->kinds[i]))
			continue;
		bool repeat = false; /* /feed and /feed/ are often the same document */
		for (size_t j = 0; j < i; j++)
			repeat |= discover_is_feed(p->kinds[j]) && p->hashes[j] == p->hashes[i];
		if (!repeat && !list_add(l, p->finals[i], NULL, NULL, p->kinds[i]))
			s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	discover_list_free(guesses);
	return s;
}

enum ch_status discover_feeds(const char *url, const struct fetch_options *o,
			      struct discover_list **out, struct ch_error *err)
{
	*out = NULL;
	struct probe *p = calloc(1, sizeof *p);
	struct discover_list *l = list_new();
	if (!p || !l) {
		free(p);
		discover_list_free(l);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	struct fetch_request first = { .url = url };
	enum ch_status s = fetch_all(o, on_first, p, &first, 1, err);
	if (s == CH_OK && p->status != CH_OK)
		s = ch_fail(err, CH_ERR_NET, "%s", p->error); /* the caller names the URL */
	if (s == CH_OK) {
		const char *body = p->body ? p->body : "";
		enum discover_kind k = discover_sniff(body, p->body_len, p->content_type);
		if (discover_is_feed(k)) {
			if (!list_add(l, p->final_url, p->content_type[0] ? p->content_type : NULL,
				      NULL, k))
				s = ch_fail(err, CH_ERR_NOMEM, "out of memory");
		} else {
			s = discover_links(body, p->body_len, p->final_url, out, err);
			if (s == CH_OK && (*out)->n > 0) {
				discover_list_free(l);
				l = *out;
			} else if (s == CH_OK) {
				discover_list_free(*out);
				s = probe_common_paths(p->final_url, o, p, l, err);
			}
			*out = NULL;
		}
	}
	if (s == CH_OK && l->n == 0)
		s = ch_fail(err, CH_ERR_NOTFOUND,
			    "no feed found (the page announces none with <link rel=\"alternate\">, "
			    "and none of %zu usual paths answers with one)", N_COMMON_PATHS);
	free(p->body);
	free(p);
	if (s != CH_OK) {
		discover_list_free(l);
		return s;
	}
	*out = l;
	return CH_OK;
}
