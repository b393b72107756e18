/*
 * atom.c — Atom 1.0 output for every listing: the latest articles (/feed), an outlet
 * (/feed/source/{id}), a category (/feed/category/{name}) and a search (/feed/search?q=), so
 * any feed reader can follow chapar. Text goes through html_escape, which is valid XML escaping.
 */
#include <string.h>

#include "web/web_internal.h"

#define ATOM_LIMIT 50

/* xml: append s escaped for XML text or attribute values (NULL appends nothing). */
static void xml(struct response *rs, const char *s)
{
	if (s)
		html_escape(&rs->body, s, strlen(s));
}

/* iso: append Unix time t as RFC 3339. */
static void iso(struct response *rs, int64_t t)
{
	time_format_iso(&rs->body, t);
}

static void write_entry(struct response *rs, const struct article *a, const char *base);

/* write_feed: a whole Atom document: feed metadata, then one entry per article. */
static void write_feed(struct request *rq, struct response *rs, const char *title, const char *self_path,
		       const char *html_path, const struct article *v, size_t n)
{
	const char *base = request_base_url(rq);
	rs->content_type = "application/atom+xml; charset=utf-8";
	buf_adds(&rs->body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fa\"><title>");
	xml(rs, title);
	buf_adds(&rs->body, "</title><id>");
	xml(rs, base);
	xml(rs, self_path);
	buf_adds(&rs->body, "</id><link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml(rs, base);
	xml(rs, self_path);
	buf_adds(&rs->body, "\"/><link rel=\"alternate\" type=\"text/html\" href=\"");
	xml(rs, base);
	xml(rs, html_path);
	buf_adds(&rs->body, "\"/><updated>");
	iso(rs, n ? v[0].fetched > v[0].published ? v[0].fetched : v[0].published : rq->now);
	buf_adds(&rs->body, "</updated><generator>chapar</generator>\n");
	/* an entry changes only with a new fetch (or an outlet's new name, hence 10 minutes at most) */
	uint64_t base_hash = hash_fnv1a64(base, strlen(base));
	for (size_t i = 0; i < n; i++) {
		const struct article *a = &v[i];
		const int64_t state[4] = { a->fetched, a->published, a->source_id, (int64_t)base_hash };
		uint64_t version = hash_fnv1a64(state, sizeof state);
		if (piece_get(rq, PIECE_ATOM_ENTRY, a->id, version, &rs->body))
			continue;
		size_t start = rs->body.n;
		write_entry(rs, a, base);
		piece_put(rq, PIECE_ATOM_ENTRY, a->id, version, rs->body.p + start, rs->body.n - start, 600);
	}
	buf_adds(&rs->body, "</feed>\n");
	rs->max_age = 60;
}

/* write_entry: one article as an Atom entry; base is the site's address. */
static void write_entry(struct response *rs, const struct article *a, const char *base)
{
	buf_adds(&rs->body, "<entry><title>");
	xml(rs, a->title);
	buf_addf(&rs->body, "</title><id>%s/article/%lld</id><link rel=\"alternate\" type=\"text/html\" href=\"%s/article/%lld\"/>",
		 base, (long long)a->id, base, (long long)a->id);
	buf_adds(&rs->body, "<link rel=\"via\" href=\"");
	xml(rs, a->url);
	buf_adds(&rs->body, "\"/><published>");
	iso(rs, a->published);
	buf_adds(&rs->body, "</published><updated>");
	iso(rs, a->published);
	buf_adds(&rs->body, "</updated><author><name>");
	xml(rs, a->source_name);
	buf_adds(&rs->body, "</name></author>");
	if (a->lead) {
		buf_adds(&rs->body, "<summary>");
		xml(rs, a->lead);
		buf_adds(&rs->body, "</summary>");
	}
	buf_adds(&rs->body, "</entry>\n");
}

/* feed_of: the latest articles matching q as a feed. */
static void feed_of(struct request *rq, struct response *rs, struct article_query *q, const char *title,
		    const char *self_path, const char *html_path)
{
	struct article *v = NULL;
	size_t n = 0;
	if (store_article_list(rq->store, q, &rq->arena, &v, &n, NULL) != CH_OK) {
		api_error(rs, 500, "could not read articles");
		return;
	}
	write_feed(rq, rs, title, self_path, html_path, v, n);
}

void atom_home(struct request *rq, struct response *rs)
{
	struct article_query q = { .limit = ATOM_LIMIT };
	feed_of(rq, rs, &q, "چاپار — تازه‌ترین خبرها", "/feed", "/");
}

void atom_source(struct request *rq, struct response *rs)
{
	int64_t id = parse_id(rq->path + strlen("/feed/source/"));
	struct source src;
	if (!id || store_source_get(rq->store, id, &rq->arena, &src, NULL) != CH_OK) {
		api_error(rs, id ? 404 : 400, id ? "no such source" : "the source id must be a positive whole number");
		return;
	}
	struct article_query q = { .limit = ATOM_LIMIT, .source_id = id };
	struct buf self, html, title;
	buf_init(&self, 64);
	buf_init(&html, 64);
	buf_init(&title, 1024);
	buf_addf(&self, "/feed/source/%lld", (long long)id);
	buf_addf(&html, "/source/%lld", (long long)id);
	buf_addf(&title, "چاپار — %s", src.name);
	feed_of(rq, rs, &q, buf_str(&title), buf_str(&self), buf_str(&html));
	buf_release(&self);
	buf_release(&html);
	buf_release(&title);
}

void atom_category(struct request *rq, struct response *rs)
{
	const char *name = path_rest(rq, "/feed/category/");
	if (!name) {
		api_error(rs, 400, "the category name is missing or too long");
		return;
	}
	struct article_query q = { .limit = ATOM_LIMIT, .category = name };
	struct buf self, html, title;
	buf_init(&self, 1024);
	buf_init(&html, 1024);
	buf_init(&title, 1024);
	buf_adds(&self, "/feed/category/");
	url_encode(&self, name, strlen(name));
	buf_adds(&html, "/category/");
	url_encode(&html, name, strlen(name));
	buf_addf(&title, "چاپار — %s", name);
	feed_of(rq, rs, &q, buf_str(&title), buf_str(&self), buf_str(&html));
	buf_release(&self);
	buf_release(&html);
	buf_release(&title);
}

void atom_search(struct request *rq, struct response *rs)
{
	struct search_query q;
	const char *bad = search_from_request(rq, &q, NULL);
	if (bad) {
		api_error(rs, 400, bad);
		return;
	}
	q.limit = ATOM_LIMIT;
	struct search_hit *hits = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	if (store_search(rq->store, &q, &rq->arena, &hits, &n, &err) != CH_OK) {
		api_error(rs, err.code == CH_ERR_INVALID ? 400 : 500, err.msg);
		return;
	}
	struct article *v = arena_alloc(&rq->arena, (n ? n : 1) * sizeof *v);
	if (!v) {
		api_error(rs, 500, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = hits[i].article;
	struct buf self, title;
	buf_init(&self, 4096);
	buf_init(&title, 4096);
	/* the feed is the search as asked: its filters and its words as the reader wrote them */
	buf_adds(&self, "/feed/search?");
	search_params(rq, &self, "&");
	buf_addf(&title, "چاپار — جستجوی «%s»", request_query(rq, "q"));
	write_feed(rq, rs, buf_str(&title), buf_str(&self), buf_str(&self) + strlen("/feed"), v, n);
	buf_release(&self);
	buf_release(&title);
}
