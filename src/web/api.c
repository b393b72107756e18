/*
 * api.c — JSON API v1 and /healthz. Shapes are documented in README.md ("API"); every answer is
 * an object, errors are {"error": {"status": N, "message": "..."}} with a 4xx/5xx status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "web/web_internal.h"

#define API_DEFAULT_LIMIT 20
#define API_MAX_LIMIT 100

void api_error(struct response *rs, int status, const char *message)
{
	buf_reset(&rs->body);
	rs->status = status;
	rs->content_type = "application/json; charset=utf-8";
	rs->static_body = NULL;
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_key(&w, "error");
	jw_object_begin(&w);
	jw_kv_int(&w, "status", status);
	jw_kv_string(&w, "message", message);
	jw_object_end(&w);
	jw_object_end(&w);
}

void api_not_found(struct request *rq, struct response *rs)
{
	(void)rq;
	api_error(rs, 404, "no such API endpoint (v1 has /api/articles, /api/stories, /api/trending, /api/search)");
}

static void write_fetched_members(struct json_writer *w, const struct article *a);

/* write_next: "next": the URL of the following page of a listing (base?limit=&before=last
 * [&source=]), or null when more is false. */
static void write_next(struct json_writer *w, const char *base, bool more, size_t limit, int64_t last,
		       int64_t source_id)
{
	jw_key(w, "next");
	if (!more) {
		jw_null(w);
		return;
	}
	struct buf next;
	buf_init(&next, 256);
	buf_addf(&next, "%s?limit=%zu&before=%lld", base, limit, (long long)last);
	if (source_id)
		buf_addf(&next, "&source=%lld", (long long)source_id);
	jw_string(w, buf_str(&next));
	buf_release(&next);
}

/* write_article: one article object; with_body adds body_text and body_html. The members that
 * change only with a new fetch (all but story_id and views) and the body are kept as pieces
 * for a minute (a minute: an outlet's name may be edited). */
static void write_article(struct request *rq, struct json_writer *w, const struct article *a, bool with_body)
{
	const int64_t state[3] = { a->fetched, a->published, a->source_id };
	uint64_t version = hash_fnv1a64(state, sizeof state);
	jw_object_begin(w);
	if (w->status == CH_OK && piece_get(rq, PIECE_ARTICLE_JSON, a->id, version, w->out)) {
		w->need_comma[w->depth] = true; /* members were written */
	} else {
		size_t start = w->out->n;
		write_fetched_members(w, a);
		if (w->status == CH_OK)
			piece_put(rq, PIECE_ARTICLE_JSON, a->id, version, w->out->p + start, w->out->n - start, 60);
	}
	if (a->story_id)
		jw_kv_int(w, "story_id", a->story_id);
	jw_kv_int(w, "views", a->views);
	if (with_body && !(w->status == CH_OK && piece_get(rq, PIECE_BODY_JSON, a->id, version, w->out))) {
		size_t start = w->out->n;
		jw_kv_string_opt(w, "body_text", a->body_text);
		jw_kv_string_opt(w, "body_html", a->body_html);
		if (w->status == CH_OK)
			piece_put(rq, PIECE_BODY_JSON, a->id, version, w->out->p + start, w->out->n - start, 60);
	}
	char link[48];
	snprintf(link, sizeof link, "/article/%lld", (long long)a->id);
	jw_kv_string(w, "html_url", link);
	jw_object_end(w);
}

/* write_fetched_members: the members of an article object that change only when it is fetched
 * again (and when its outlet is edited). */
static void write_fetched_members(struct json_writer *w, const struct article *a)
{
	jw_kv_int(w, "id", a->id);
	jw_kv_string(w, "url", a->url);
	jw_kv_string_opt(w, "canonical_url", a->canonical_url);
	jw_kv_string(w, "title", a->title);
	jw_kv_string_opt(w, "uptitle", a->uptitle);
	jw_kv_string_opt(w, "lead", a->lead);
	jw_kv_string_opt(w, "author", a->author);
	jw_kv_string_opt(w, "image", a->image);
	jw_kv_string_opt(w, "language", a->language);
	jw_key(w, "source");
	jw_object_begin(w);
	jw_kv_int(w, "id", a->source_id);
	jw_kv_string(w, "name", a->source_name);
	jw_kv_string_opt(w, "site_url", a->source_site);
	jw_object_end(w);
	jw_kv_string_opt(w, "origin", a->origin);
	jw_kv_time(w, "published", a->published);
	jw_kv_time(w, "fetched", a->fetched);
}

/* parse_limit: the ?limit= value within [1, API_MAX_LIMIT]; 0 when present but invalid. */
static size_t parse_limit(const char *s)
{
	if (!s)
		return API_DEFAULT_LIMIT;
	int64_t v = parse_id(s);
	return v >= 1 && v <= API_MAX_LIMIT ? (size_t)v : 0;
}

void api_articles(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	size_t limit = parse_limit(request_query(rq, "limit"));
	if (!limit) {
		api_error(rs, 400, "limit must be a whole number from 1 to 100");
		return;
	}
	const char *before = request_query(rq, "before");
	struct article_query q = { .limit = limit };
	if (before && !(q.before_id = parse_id(before))) {
		api_error(rs, 400, "before must be an article id");
		return;
	}
	const char *source = request_query(rq, "source");
	if (source && !(q.source_id = parse_id(source))) {
		api_error(rs, 400, "source must be a source id");
		return;
	}
	struct article *v = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	enum ch_status s = store_article_list(rq->store, &q, &rq->arena, &v, &n, &err);
	if (s != CH_OK) {
		api_error(rs, s == CH_ERR_NOTFOUND ? 400 : 500,
			  s == CH_ERR_NOTFOUND ? "before names no stored article" : "could not read articles");
		return;
	}
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_key(&w, "articles");
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		write_article(rq, &w, &v[i], false);
	jw_array_end(&w);
	write_next(&w, "/api/articles", n == limit, limit, n ? v[n - 1].id : 0, q.source_id);
	jw_object_end(&w);
	if (w.status != CH_OK)
		api_error(rs, 500, "response too large");
}

void api_article(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	int64_t id = parse_id(rq->path + strlen("/api/articles/"));
	if (!id) {
		api_error(rs, 400, "the article id must be a positive whole number");
		return;
	}
	struct article a;
	enum ch_status s = store_article_get(rq->store, id, &rq->arena, &a, NULL);
	if (s != CH_OK) {
		api_error(rs, s == CH_ERR_NOTFOUND ? 404 : 500,
			  s == CH_ERR_NOTFOUND ? "no such article" : "could not read the article");
		return;
	}
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_key(&w, "article");
	write_article(rq, &w, &a, true);
	jw_object_end(&w);
	if (w.status != CH_OK)
		api_error(rs, 500, "response too large");
}

/* article_count: how many articles are stored, counted at most once a second (counting reads
 * the whole table, so it grows with the store); false when the store cannot say. */
static bool article_count(struct request *rq, int64_t *n)
{
	struct buf kept;
	buf_init(&kept, 64);
	bool ok = fragment_get(rq, FRAGMENT_ARTICLE_COUNT, &kept);
	if (ok)
		*n = strtoll(buf_str(&kept), NULL, 10);
	else if ((ok = store_article_count(rq->store, n, NULL) == CH_OK)) {
		buf_addf(&kept, "%lld", (long long)*n);
		fragment_put(rq, FRAGMENT_ARTICLE_COUNT, buf_str(&kept), kept.n, 1);
	}
	buf_release(&kept);
	return ok;
}

void api_healthz(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	int64_t n = 0;
	if (!rq->store || !article_count(rq, &n)) {
		api_error(rs, 503, "store unavailable");
		return;
	}
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_kv_string(&w, "status", "ok");
	jw_kv_string(&w, "version", CHAPAR_VERSION);
	jw_kv_int(&w, "articles", n);
	jw_object_end(&w);
}

void snippet_to_html(struct buf *out, const char *s, bool persian_digits)
{
	while (s && *s) {
		size_t run = strcspn(s, "\x01\x02");
		if (persian_digits)
			html_escape_fa(out, s, run);
		else
			html_escape(out, s, run);
		s += run;
		if (*s)
			buf_adds(out, *s++ == SEARCH_MARK_OPEN ? "<mark>" : "</mark>");
	}
}

/* parse_day: a reader's day, Y-M-D or Y/M/D in ASCII or Persian digits: a year from 1700 on is
 * Gregorian, an earlier one Jalali (1403-09-08 is a Jalali day, as `chapar date` reads it);
 * either way the day starts at midnight Tehran time, the time every date on the site is shown
 * in. False when s is not such a day. */
static bool parse_day(const char *s, int64_t *t)
{
	struct buf ascii;
	buf_init(&ascii, 256);
	bool ok = false;
	int y, m, d, used = 0;
	char sep1, sep2;
	if (text_normalize(s, strlen(s), TEXT_DIGITS_ASCII, &ascii) == CH_OK && ascii.n < 64 &&
	    sscanf(buf_str(&ascii), "%4d%c%2d%c%2d%n", &y, &sep1, &m, &sep2, &d, &used) == 5 &&
	    used == (int)ascii.n && sep1 == sep2 && (sep1 == '-' || sep1 == '/')) {
		struct jdate j = { y, m, d };
		if (y >= 1700)
			j = jalali_from_gregorian(y, m, d);
		char day[32];
		int n = snprintf(day, sizeof day, "%d/%02d/%02d", j.year, j.month, j.day);
		ok = jalali_valid(j) && text_parse_date(day, (size_t)n, t) == CH_OK;
		/* a Gregorian day that does not exist (2024-02-30) is no day either */
		if (ok && y >= 1700) {
			int gy, gm, gd;
			gregorian_from_jalali(j, &gy, &gm, &gd);
			ok = gy == y && gm == m && gd == d;
		}
	}
	buf_release(&ascii);
	return ok;
}

bool web_search_day(const char *s, int64_t *t)
{
	if (parse_day(s, t))
		return true;
	if (strchr(s, 'T') && time_parse_iso(s, t) == CH_OK)
		return true;
	return text_parse_date(s, strlen(s), t) == CH_OK;
}

/* search_fail: the API's (English) message, with the reader's (Persian) one in *for_reader. */
static const char *search_fail(const char **for_reader, const char *api, const char *reader)
{
	if (for_reader)
		*for_reader = reader;
	return api;
}

enum ch_status web_search_text(const char *q, struct buf *out)
{
	return text_normalize(q, strlen(q), TEXT_NORM_DEFAULT, out);
}

/* query_text: web_search_text of q, in the arena; q itself when the repair fails. A query of
 * one word is taken as it is: the tokenizer already reads a word's every spelling (میشود,
 * ميشود), and only words written apart need joining. */
static const char *query_text(struct request *rq, const char *q)
{
	if (!strpbrk(q, " \t\n\r"))
		return q;
	struct buf b;
	buf_init(&b, 16384);
	const char *out = NULL;
	if (web_search_text(q, &b) == CH_OK && b.n)
		out = arena_strdup(&rq->arena, buf_str(&b));
	buf_release(&b);
	return out ? out : q;
}

const char *search_from_request(struct request *rq, struct search_query *q, const char **for_reader)
{
	memset(q, 0, sizeof *q);
	q->now = rq->now;
	q->text = request_query(rq, "q");
	q->limit = parse_limit(request_query(rq, "limit"));
	if (!q->limit)
		return search_fail(for_reader, "limit must be a whole number from 1 to 100",
				   "تعداد نتیجه‌ها (limit) باید عددی از ۱ تا ۱۰۰ باشد.");
	const char *page = request_query(rq, "page");
	if (page) {
		int64_t p = parse_id(page);
		if (!p || p > 1000)
			return search_fail(for_reader, "page must be a whole number from 1 to 1000",
					   "شمارهٔ صفحه باید عددی از ۱ تا ۱۰۰۰ باشد.");
		q->offset = (size_t)(p - 1) * q->limit;
	}
	const char *source = request_query(rq, "source");
	if (source && *source && !(q->source_id = parse_id(source)))
		return search_fail(for_reader, "source must be a source id", "منبع باید شناسهٔ یک منبع باشد.");
	q->category = request_query(rq, "category");
	if (q->category && !*q->category)
		q->category = NULL;
	const char *from = request_query(rq, "from"), *to = request_query(rq, "to");
	if (from && *from && !web_search_day(from, &q->from))
		return search_fail(for_reader, "from must be a date such as 2024-11-28 or 1403/09/08",
				   "تاریخ «از» خوانده نشد؛ مانند ۱۴۰۳/۰۹/۰۸ یا 2024-11-28 بنویسید.");
	if (to && *to) {
		if (!web_search_day(to, &q->to))
			return search_fail(for_reader, "to must be a date such as 2024-11-28 or 1403/09/08",
					   "تاریخ «تا» خوانده نشد؛ مانند ۱۴۰۳/۰۹/۰۸ یا 2024-11-28 بنویسید.");
		q->to += 86400; /* the whole of that day */
	}
	if (!q->text || !*q->text)
		return search_fail(for_reader, "q is empty: say what to search for", "چه چیزی را جستجو کنیم؟");
	q->text = query_text(rq, q->text);
	return NULL;
}

void api_search(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	struct search_query q;
	const char *bad = search_from_request(rq, &q, NULL);
	if (bad) {
		api_error(rs, 400, bad);
		return;
	}
	struct search_hit *hits = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	enum ch_status s = store_search(rq->store, &q, &rq->arena, &hits, &n, &err);
	if (s != CH_OK) {
		api_error(rs, s == CH_ERR_INVALID ? 400 : 500, err.msg);
		return;
	}
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_kv_string(&w, "query", request_query(rq, "q")); /* as the reader wrote it */
	jw_key(&w, "results");
	jw_array_begin(&w);
	struct buf snip;
	buf_init(&snip, 65536);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(&w);
		jw_key(&w, "article");
		write_article(rq, &w, &hits[i].article, false);
		/* the snippet's marks become HTML-safe <mark> tags around escaped text */
		buf_reset(&snip);
		snippet_to_html(&snip, hits[i].snippet, false);
		jw_kv_string(&w, "snippet_html", buf_str(&snip));
		jw_key(&w, "score");
		jw_double(&w, hits[i].score);
		jw_object_end(&w);
	}
	buf_release(&snip);
	jw_array_end(&w);
	jw_object_end(&w);
	if (w.status != CH_OK)
		api_error(rs, 500, "response too large");
}

/* write_story: one story object with its lead article and, with articles, every outlet's copy. */
static void write_story(struct request *rq, struct json_writer *w, const struct story *t, bool with_articles)
{
	jw_object_begin(w);
	jw_kv_int(w, "id", t->id);
	jw_kv_int(w, "articles_count", t->n_articles);
	jw_kv_int(w, "sources_count", t->n_sources);
	jw_kv_time(w, "first_seen", t->first_seen);
	jw_kv_time(w, "updated", t->updated);
	jw_key(w, "lead");
	write_article(rq, w, &t->lead, false);
	if (with_articles) {
		jw_key(w, "articles");
		/* the array changes with the story's articles, and its view counts with every flush:
		 * kept under the story's version for 5 s */
		const int64_t state[4] = { t->lead.id, t->n_articles, t->n_sources, t->updated };
		uint64_t version = hash_fnv1a64(state, sizeof state);
		if (w->status == CH_OK && piece_get(rq, PIECE_STORY_ARTICLES, t->id, version, w->out)) {
			w->need_comma[w->depth] = true; /* a value was written, as jw_array_end would mark */
		} else {
			struct article *v = NULL;
			size_t n = 0;
			if (store_story_articles(rq->store, t->id, &rq->arena, &v, &n, NULL) != CH_OK)
				n = 0;
			size_t start = w->out->n;
			jw_array_begin(w);
			for (size_t i = 0; i < n; i++)
				write_article(rq, w, &v[i], false);
			jw_array_end(w);
			if (w->status == CH_OK)
				piece_put(rq, PIECE_STORY_ARTICLES, t->id, version, w->out->p + start, w->out->n - start, 5);
		}
	}
	jw_object_end(w);
}

/* write_stories: {"stories": [...], "next": ...} for a listing. */
static void write_stories(struct request *rq, struct response *rs, const struct story *v, size_t n,
			  const char *next_base, size_t limit)
{
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_key(&w, "stories");
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		write_story(rq, &w, &v[i], true);
	jw_array_end(&w);
	write_next(&w, next_base, next_base && n == limit, limit, n ? v[n - 1].id : 0, 0);
	jw_object_end(&w);
	if (w.status != CH_OK)
		api_error(rs, 500, "response too large");
}

void api_stories(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	size_t limit = parse_limit(request_query(rq, "limit"));
	const char *before = request_query(rq, "before");
	int64_t before_id = before ? parse_id(before) : 0;
	if (!limit || (before && !before_id)) {
		api_error(rs, 400, !limit ? "limit must be a whole number from 1 to 100" : "before must be a story id");
		return;
	}
	struct story *v = NULL;
	size_t n = 0;
	if (store_story_list(rq->store, limit, before_id, &rq->arena, &v, &n, NULL) != CH_OK) {
		api_error(rs, 500, "could not read stories");
		return;
	}
	write_stories(rq, rs, v, n, "/api/stories", limit);
}

void api_trending(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	size_t limit = parse_limit(request_query(rq, "limit"));
	if (!limit) {
		api_error(rs, 400, "limit must be a whole number from 1 to 100");
		return;
	}
	struct story *v = NULL;
	size_t n = 0;
	if (store_story_trending(rq->store, rq->now, limit, &rq->arena, &v, &n, NULL) != CH_OK) {
		api_error(rs, 500, "could not read trending stories");
		return;
	}
	write_stories(rq, rs, v, n, NULL, limit);
}

void api_story(struct request *rq, struct response *rs)
{
	rs->content_type = "application/json; charset=utf-8";
	int64_t id = parse_id(rq->path + strlen("/api/stories/"));
	struct story t;
	enum ch_status s = id ? store_story_get(rq->store, id, &rq->arena, &t, NULL) : CH_ERR_INVALID;
	if (s != CH_OK) {
		api_error(rs, s == CH_ERR_INVALID ? 400 : s == CH_ERR_NOTFOUND ? 404 : 500,
			  s == CH_ERR_INVALID ? "the story id must be a positive whole number" : "no such story");
		return;
	}
	struct json_writer w;
	jw_init(&w, &rs->body);
	jw_object_begin(&w);
	jw_key(&w, "story");
	write_story(rq, &w, &t, true);
	jw_object_end(&w);
}

void api_metrics(struct request *rq, struct response *rs)
{
	const struct web_metrics *m = request_metrics(rq);
	int64_t articles = 0;
	if (rq->store)
		article_count(rq, &articles);
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_addf(&rs->body,
		 "# HELP chapar_http_requests_total HTTP requests answered.\n# TYPE chapar_http_requests_total counter\n"
		 "chapar_http_requests_total %llu\n"
		 "# HELP chapar_http_cache_hits_total Requests answered from the page cache.\n# TYPE chapar_http_cache_hits_total counter\n"
		 "chapar_http_cache_hits_total %llu\n"
		 "# HELP chapar_http_errors_total Error answers by class.\n# TYPE chapar_http_errors_total counter\n"
		 "chapar_http_errors_total{class=\"4xx\"} %llu\nchapar_http_errors_total{class=\"5xx\"} %llu\n"
		 "# HELP chapar_page_views_total Article page views counted (bots excluded).\n# TYPE chapar_page_views_total counter\n"
		 "chapar_page_views_total %llu\n"
		 "# HELP chapar_articles Articles stored.\n# TYPE chapar_articles gauge\nchapar_articles %lld\n"
		 "# HELP chapar_start_time_seconds When the server started.\n# TYPE chapar_start_time_seconds gauge\n"
		 "chapar_start_time_seconds %lld\n",
		 (unsigned long long)__atomic_load_n(&m->requests, __ATOMIC_RELAXED),
		 (unsigned long long)__atomic_load_n(&m->cache_hits, __ATOMIC_RELAXED),
		 (unsigned long long)__atomic_load_n(&m->errors_4xx, __ATOMIC_RELAXED),
		 (unsigned long long)__atomic_load_n(&m->errors_5xx, __ATOMIC_RELAXED),
		 (unsigned long long)__atomic_load_n(&m->views, __ATOMIC_RELAXED), (long long)articles,
		 (long long)m->started);
}
