/*
 * pages.c — the site's HTML: home (latest articles), article (laid out like the seed page:
 * date, title, outlet, "view at source", lead, body, source line, "others are reading now" and
 * "read more"), outlet pages and error pages. Right-to-left Persian, Persian digits, Jalali
 * dates, no JavaScript. Every value goes through html_escape; article bodies are rendered from
 * the repaired plain text, so no stored HTML reaches a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "web/web_internal.h"

#define LIST_LIMIT 30
#define BOX_LIMIT 8

/* ---------------------------------------------------------------------------------------------
 * Writing helpers: all append to the response body; failures stick in the buf (capped).
 * ------------------------------------------------------------------------------------------- */

/* out: append a literal piece of markup. */
static void out(struct response *rs, const char *s)
{
	buf_adds(&rs->body, s);
}

/* esc: append s HTML-escaped (NULL appends nothing). */
static void esc(struct response *rs, const char *s)
{
	if (s)
		html_escape(&rs->body, s, strlen(s));
}

static void esc_fa(struct response *rs, const char *s);

/* tagged: when value is non-NULL, append open, value escaped, close. */
static void tagged(struct response *rs, const char *open, const char *value, const char *close)
{
	if (!value)
		return;
	out(rs, open);
	esc_fa(rs, value);
	out(rs, close);
}

/* ---------------------------------------------------------------------------------------------
 * Persian digits in Persian text. Outlets write digits either way (the seed page has «14 و 15
 * تیر»); the site shows Persian digits in every Persian word, as it does in its own dates.
 * Digits in a word with Latin letters (G7, mp3, COVID-19, a URL) stay as written.
 * ------------------------------------------------------------------------------------------- */

/* is_ascii_digit / is_ascii_letter / is_blank: byte classes of the rule above. */
static bool is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* run_end: the end of the run of bytes from i on (before n) for which is(byte) == want. */
static size_t run_end(const char *s, size_t i, size_t n, bool (*is)(char), bool want)
{
	while (i < n && is(s[i]) == want)
		i++;
	return i;
}

typedef enum ch_status (*append_fn)(struct buf *out, const char *s, size_t n);

/* by_runs: append s (n bytes) run by run, alternating between runs of bytes that are not
 * is(byte) (through outside) and runs that are (through inside). */
static void by_runs(struct buf *out, const char *s, size_t n, bool (*is)(char), append_fn outside,
		    append_fn inside)
{
	for (size_t i = 0, j; i < n; i = j) {
		j = run_end(s, i, n, is, false);
		outside(out, s + i, j - i);
		i = j;
		j = run_end(s, i, n, is, true);
		inside(out, s + i, j - i);
	}
}

/* copy_bytes: append s as it is (an append_fn). */
static enum ch_status copy_bytes(struct buf *out, const char *s, size_t n)
{
	return buf_add(out, s, n);
}

/* escape_word: append word w (n bytes, no blanks) escaped, its digits Persian unless it has a
 * Latin letter (an append_fn). */
static enum ch_status escape_word(struct buf *out, const char *w, size_t n)
{
	bool latin = false;
	for (size_t i = 0; i < n && !latin; i++)
		latin = is_ascii_letter(w[i]);
	if (latin)
		return html_escape(out, w, n);
	by_runs(out, w, n, is_ascii_digit, html_escape, text_digits_fa);
	return CH_OK; /* a failed append shows as a short page, as every append's does */
}

void html_escape_fa(struct buf *out, const char *s, size_t n)
{
	if (run_end(s, 0, n, is_ascii_digit, false) == n) { /* the common case: no digit at all */
		html_escape(out, s, n);
		return;
	}
	by_runs(out, s, n, is_blank, escape_word, copy_bytes);
}

/* esc_fa: append s (NULL appends nothing) escaped, with Persian digits (html_escape_fa). */
static void esc_fa(struct response *rs, const char *s)
{
	if (s)
		html_escape_fa(&rs->body, s, strlen(s));
}

/* in_persian: whether article a is written in Persian (its language, when known, says so):
 * only then are its digits shown as Persian digits. */
static bool in_persian(const struct article *a)
{
	return !a->language || !*a->language || !strncmp(a->language, "fa", 2);
}

/* text_of: append s, a text of article a, escaped, with Persian digits when a is Persian. */
static void text_of(struct response *rs, const struct article *a, const char *s)
{
	if (in_persian(a))
		esc_fa(rs, s);
	else
		esc(rs, s);
}

/* tagged_of: tagged for a text of article a (text_of). */
static void tagged_of(struct response *rs, const struct article *a, const char *open, const char *value,
		      const char *close)
{
	if (!value)
		return;
	out(rs, open);
	text_of(rs, a, value);
	out(rs, close);
}

/* num_fa: append v in Persian digits. */
static void num_fa(struct response *rs, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	text_digits_fa(&rs->body, tmp, (size_t)n);
}

/* version_of: a piece's version from a few stored values that change whenever it must (a
 * collision only keeps a stale piece until its ttl). */
static uint64_t version_of(int64_t a, int64_t b, int64_t c, int64_t d)
{
	const int64_t v[4] = { a, b, c, d };
	return hash_fnv1a64(v, sizeof v);
}

/* category_nav: links to the busiest categories of the last month (rendered once a minute). */
static void category_nav(struct request *rq, struct response *rs)
{
	if (!rq->store || fragment_get(rq, FRAGMENT_CATEGORY_NAV, &rs->body))
		return;
	const char **names = NULL;
	int64_t *counts = NULL;
	size_t n = 0;
	if (store_category_list(rq->store, rq->now - 30 * 86400, 12, &rq->arena, &names, &counts, &n, NULL) != CH_OK)
		return;
	if (n == 0 && store_category_list(rq->store, 0, 12, &rq->arena, &names, &counts, &n, NULL) != CH_OK)
		return;
	size_t start = rs->body.n;
	if (n) {
		out(rs, "<nav class=\"cats\">");
		for (size_t i = 0; i < n; i++) {
			out(rs, "<a href=\"/category/");
			url_encode(&rs->body, names[i], strlen(names[i]));
			out(rs, "\">");
			esc(rs, names[i]);
			out(rs, "</a>");
		}
		out(rs, "</nav>");
	}
	fragment_put(rq, FRAGMENT_CATEGORY_NAV, buf_str(&rs->body) + start, rs->body.n - start, 60);
}

/* head_with_feed: the document start (its Atom link: feed_href, markup ready, for the page's
 * own listing), the header with today's Jalali date, and the opening of main. */
static void head_with_feed(struct request *rq, struct response *rs, const char *title, const char *feed_href)
{
	out(rs, "<!DOCTYPE html>\n<html dir=\"rtl\" lang=\"fa\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<link rel=\"stylesheet\" href=\"/assets/style.css\">"
		"<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
	if (title && *title) {
		esc_fa(rs, title);
		out(rs, " | ");
	}
	out(rs, "چاپار\" href=\"");
	out(rs, feed_href);
	out(rs, "\"><title>");
	if (title && *title) {
		esc_fa(rs, title);
		out(rs, " | ");
	}
	out(rs, "چاپار</title></head><body><header class=\"top\"><a class=\"brand\" href=\"/\">چاپار</a>"
		"<form class=\"search\" action=\"/search\" role=\"search\"><input name=\"q\" type=\"search\" "
		"placeholder=\"جستجو در خبرها\" aria-label=\"جستجو\"></form><time class=\"today\">");
	jalali_format_long(&rs->body, rq->now);
	out(rs, "</time></header>\n");
	category_nav(rq, rs);
	out(rs, "<div class=\"wrap\"><main>");
}

/* head: head_with_feed with the site's feed of the latest articles. */
static void head(struct request *rq, struct response *rs, const char *title)
{
	head_with_feed(rq, rs, title, "/feed");
}

/* feed_link: a visible link to the listing's Atom feed (href markup ready), under its heading. */
static void feed_link(struct response *rs, const char *href)
{
	out(rs, "<p class=\"feed\"><a href=\"");
	out(rs, href);
	out(rs, "\" type=\"application/atom+xml\">خوراک Atom این فهرست</a></p>");
}

/* foot: close main, the side boxes already written by the caller, and the document. */
static void foot(struct response *rs)
{
	out(rs, "</div><footer>چاپار — خبرخوان فارسی</footer></body></html>\n");
}

/* article_link: <a href="/article/ID">title</a>. */
static void article_link(struct response *rs, const struct article *a, const char *cls)
{
	char href[48];
	snprintf(href, sizeof href, "/article/%lld", (long long)a->id);
	out(rs, "<a ");
	if (cls) {
		out(rs, "class=\"");
		out(rs, cls);
		out(rs, "\" ");
	}
	out(rs, "href=\"");
	out(rs, href);
	out(rs, "\">");
	text_of(rs, a, a->title);
	out(rs, "</a>");
}

/* meta_line: "outlet · 5 minutes ago" under a list item. */
static void meta_line(struct request *rq, struct response *rs, const struct article *a)
{
	out(rs, "<span class=\"meta\">");
	esc(rs, a->source_name);
	out(rs, " · ");
	jalali_format_relative(&rs->body, a->published, rq->now);
	out(rs, "</span>");
}

/* box: an aside section with a heading and a short list of articles. */
static void box(struct request *rq, struct response *rs, const char *cls, const char *heading,
		const struct article *v, size_t n)
{
	out(rs, "<section class=\"");
	out(rs, cls);
	out(rs, "\"><h2>");
	out(rs, heading);
	out(rs, "</h2><ol>");
	for (size_t i = 0; i < n; i++) {
		out(rs, "<li>");
		article_link(rs, &v[i], NULL);
		meta_line(rq, rs, &v[i]);
		out(rs, "</li>");
	}
	if (n == 0)
		out(rs, "<li>هنوز خبری نیست.</li>");
	out(rs, "</ol></section>");
}

/* has_article: whether v[0..n) holds article x, or another article of x's story. */
static bool has_article(const struct article *v, size_t n, const struct article *x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == x->id || (x->story_id && v[i].story_id == x->story_id))
			return true;
	return false;
}

/* trending_lines: the candidates of the "others are reading now" box, best first and one per
 * story: the lead articles of the trending stories (views decayed over hours, plus how many
 * outlets carry them), then the latest articles. One line each, "story<TAB>article<TAB><li>…",
 * rendered once for every page and kept 5 s. */
static void trending_lines(struct request *rq, struct buf *lines)
{
	if (fragment_get(rq, FRAGMENT_TRENDING, lines))
		return;
	struct article shown[3 * BOX_LIMIT + 2];
	size_t k = 0, n = 0;
	struct story *stories = NULL;
	if (store_story_trending(rq->store, rq->now, BOX_LIMIT + 2, &rq->arena, &stories, &n, NULL) != CH_OK)
		n = 0;
	for (size_t i = 0; i < n; i++)
		shown[k++] = stories[i].lead;
	struct article *v = NULL;
	struct article_query q = { .limit = 2 * BOX_LIMIT };
	if (store_article_list(rq->store, &q, &rq->arena, &v, &n, NULL) != CH_OK)
		n = 0;
	for (size_t i = 0; i < n && k < sizeof shown / sizeof shown[0]; i++)
		if (!has_article(shown, k, &v[i]))
			shown[k++] = v[i];
	struct response item = { 0 };
	buf_init(&item.body, 1u << 20);
	for (size_t i = 0; i < k; i++) {
		buf_reset(&item.body);
		out(&item, "<li>");
		article_link(&item, &shown[i], NULL);
		meta_line(rq, &item, &shown[i]);
		out(&item, "</li>");
		buf_addf(lines, "%lld\t%lld\t%s\n", (long long)shown[i].story_id, (long long)shown[i].id,
			 buf_str(&item.body));
	}
	buf_release(&item.body);
	fragment_put(rq, FRAGMENT_TRENDING, buf_str(lines), lines->n, 5);
}

/* trending_box: the box itself: the first BOX_LIMIT candidates that are not the page's own
 * article or story. */
static void trending_box(struct request *rq, struct response *rs, const struct article *self)
{
	struct buf lines;
	buf_init(&lines, 1u << 20);
	trending_lines(rq, &lines);
	out(rs, "<section class=\"trending\"><h2>هم اکنون دیگران می‌خوانند</h2><ol>");
	size_t shown = 0;
	for (char *p = lines.p; p && *p && shown < BOX_LIMIT;) {
		char *end = strchr(p, '\n');
		if (!end)
			break;
		*end = '\0';
		char *rest;
		long long story = strtoll(p, &rest, 10), id = strtoll(rest + 1, &rest, 10);
		bool mine = self && (id == self->id || (story && story == self->story_id));
		if (!mine) {
			out(rs, rest + 1);
			shown++;
		}
		p = end + 1;
	}
	if (!shown)
		out(rs, "<li>هنوز خبری نیست.</li>");
	out(rs, "</ol></section>");
	buf_release(&lines);
}

/* ---------------------------------------------------------------------------------------------
 * Pages
 * ------------------------------------------------------------------------------------------- */

void page_error(struct request *rq, struct response *rs, int status, const char *message)
{
	buf_reset(&rs->body);
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	rs->static_body = NULL;
	rs->max_age = 0;
	head(rq, rs, "خطا");
	out(rs, "<h1>خطای ");
	num_fa(rs, status);
	out(rs, "</h1><p>");
	esc(rs, message);
	out(rs, "</p><p><a href=\"/\">بازگشت به صفحهٔ اصلی</a></p></main>");
	foot(rs);
}

/* pager: the links between a listing's pages: "newer" back to its first page when this page is
 * an older one (the cursor only walks back in time), "older" when there are more (older_than:
 * the cursor for them, 0 when this is the last page). base: the listing's path, markup ready. */
static void pager(struct response *rs, const char *base, int64_t before, int64_t older_than)
{
	if (!before && !older_than)
		return;
	out(rs, "<p class=\"pager\">");
	if (before) {
		out(rs, "<a rel=\"first\" href=\"");
		out(rs, base);
		out(rs, "\">تازه‌ترین خبرها</a>");
	}
	if (older_than) {
		out(rs, before ? " · " : "");
		out(rs, "<a rel=\"next\" href=\"");
		out(rs, base);
		buf_addf(&rs->body, "?before=%lld\">خبرهای قدیمی‌تر</a>", (long long)older_than);
	}
	out(rs, "</p>");
}

/* empty_item: the list item of a listing with nothing to show: nothing older than the cursor,
 * or nothing yet at all. */
static void empty_item(struct response *rs, int64_t before)
{
	out(rs, before ? "<li class=\"empty\">خبر قدیمی‌تری نیست.</li>"
		       : "<li class=\"empty\">هنوز خبری دریافت نشده است.</li>");
}

/* article_list: the main list of a listing page, and its pager. v holds up to limit + 1
 * articles: one more than is shown tells whether an older page exists. */
static void article_list(struct request *rq, struct response *rs, const struct article *v, size_t n,
			 size_t limit, const char *base, int64_t before)
{
	bool more = n > limit;
	if (more)
		n = limit;
	out(rs, "<ul class=\"list\">");
	for (size_t i = 0; i < n; i++) {
		out(rs, "<li>");
		tagged_of(rs, &v[i], "<p class=\"uptitle\">", v[i].uptitle, "</p>");
		article_link(rs, &v[i], "title");
		meta_line(rq, rs, &v[i]);
		out(rs, "</li>");
	}
	if (n == 0)
		empty_item(rs, before);
	out(rs, "</ul>");
	pager(rs, base, before, more ? v[n - 1].id : 0);
}

/* before_param: the ?before= cursor, 0 when absent; -1 when present but not an id. */
static int64_t before_param(struct request *rq)
{
	const char *b = request_query(rq, "before");
	if (!b)
		return 0;
	int64_t id = parse_id(b);
	return id ? id : -1;
}

/* story_outlets: "فارس، عرشه آنلاین" — every outlet of a story, the lead's first. */
static void story_outlets(struct request *rq, struct response *rs, const struct story *t)
{
	struct article *v = NULL;
	size_t n = 0;
	esc(rs, t->lead.source_name);
	if (t->n_sources < 2)
		return;
	/* the other outlets change only with the story's articles: kept under that version */
	uint64_t version = version_of(t->lead.id, t->n_articles, t->n_sources, t->updated);
	if (piece_get(rq, PIECE_OUTLETS, t->id, version, &rs->body))
		return;
	size_t start = rs->body.n;
	if (store_story_articles(rq->store, t->id, &rq->arena, &v, &n, NULL) != CH_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		bool seen = v[i].source_id == t->lead.source_id;
		for (size_t k = 0; k < i && !seen; k++)
			seen = v[k].source_id == v[i].source_id;
		if (!seen) {
			out(rs, "، ");
			esc(rs, v[i].source_name);
		}
	}
	piece_put(rq, PIECE_OUTLETS, t->id, version, rs->body.p + start, rs->body.n - start, 120);
}

/* story_items: stories as list items: the lead's title, every outlet, the latest time. */
static void story_items(struct request *rq, struct response *rs, const struct story *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out(rs, "<li>");
		tagged_of(rs, &v[i].lead, "<p class=\"uptitle\">", v[i].lead.uptitle, "</p>");
		if (v[i].n_articles > 1)
			buf_addf(&rs->body, "<a class=\"title\" href=\"/story/%lld\">", (long long)v[i].id);
		else
			buf_addf(&rs->body, "<a class=\"title\" href=\"/article/%lld\">", (long long)v[i].lead.id);
		text_of(rs, &v[i].lead, v[i].lead.title);
		out(rs, "</a><span class=\"meta\">");
		if (v[i].n_sources > 1) {
			num_fa(rs, v[i].n_sources);
			out(rs, " رسانه: ");
		}
		story_outlets(rq, rs, &v[i]);
		out(rs, " · ");
		jalali_format_relative(&rs->body, v[i].updated, rq->now);
		out(rs, "</span></li>");
	}
}

/* top_stories: the trending stories told by several outlets (first page of home only). */
static void top_stories(struct request *rq, struct response *rs)
{
	struct story *v = NULL;
	size_t n = 0, k = 0;
	/* shared by every request for 5 s, like the trending box (the same query behind both) */
	if (fragment_get(rq, FRAGMENT_TOP_STORIES, &rs->body))
		return;
	size_t start = rs->body.n;
	if (store_story_trending(rq->store, rq->now, 12, &rq->arena, &v, &n, NULL) != CH_OK)
		return;
	for (size_t i = 0; i < n; i++)
		if (v[i].n_sources > 1 && k < 5)
			v[k++] = v[i];
	if (k) {
		out(rs, "<h1>ماجراهای داغ</h1><ul class=\"list stories\">");
		story_items(rq, rs, v, k);
		out(rs, "</ul>");
	}
	fragment_put(rq, FRAGMENT_TOP_STORIES, rs->body.p + start, rs->body.n - start, 5);
}

void page_home(struct request *rq, struct response *rs)
{
	int64_t before = before_param(rq);
	if (before < 0) {
		page_error(rq, rs, 400, "پارامتر before باید شناسهٔ یک ماجرا باشد.");
		return;
	}
	struct story *v = NULL;
	size_t n = 0;
	if (store_story_list(rq->store, LIST_LIMIT + 1, before, &rq->arena, &v, &n, NULL) != CH_OK) {
		page_error(rq, rs, 500, "خواندن خبرها ممکن نشد.");
		return;
	}
	head(rq, rs, NULL);
	if (!before)
		top_stories(rq, rs);
	bool more = n > LIST_LIMIT;
	if (more)
		n = LIST_LIMIT;
	out(rs, "<h1>تازه‌ترین خبرها</h1>");
	feed_link(rs, "/feed");
	out(rs, "<ul class=\"list\">");
	story_items(rq, rs, v, n);
	if (n == 0 && !before) /* a new installation: say how news arrives */
		out(rs, "<li class=\"empty\">هنوز خبری دریافت نشده است. منبع‌های خبر را با "
			"<code>chapar source add URL</code> یا در بخش مدیریت (<code>/admin</code>) بیفزایید؛ "
			"<code>chapar serve</code> آن‌ها را به نوبت می‌خواند.</li>");
	else if (n == 0)
		empty_item(rs, before);
	out(rs, "</ul>");
	pager(rs, "/", before, more ? v[n - 1].id : 0);
	out(rs, "</main><aside>");
	trending_box(rq, rs, NULL);
	out(rs, "</aside>");
	foot(rs);
}

/* body_paragraphs: the article's repaired text, one <p> per line; a paragraph that repeats
 * the lead (teaser then body, as in the seed page) is shown once. */
static void body_paragraphs(struct response *rs, const char *text, const char *lead, bool persian)
{
	if (!text)
		return;
	struct slice lead_s = slice_trim(slice_from(lead));
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct slice line = slice_trim((struct slice){ p, n });
		if (line.n && !slice_eq(line, lead_s)) {
			out(rs, "<p>");
			if (persian)
				html_escape_fa(&rs->body, line.p, line.n);
			else
				html_escape(&rs->body, line.p, line.n);
			out(rs, "</p>\n");
		}
		p = nl ? nl + 1 : NULL;
	}
}

/* also_reported: "also reported by": every other outlet's copy of the story, with its time. */
static void also_reported(struct request *rq, struct response *rs, const struct article *a)
{
	struct article *v = NULL;
	size_t n = 0;
	if (!a->story_id || store_story_articles(rq->store, a->story_id, &rq->arena, &v, &n, NULL) != CH_OK || n < 2)
		return;
	out(rs, "<section class=\"coverage\"><h2>این خبر در ");
	num_fa(rs, (int64_t)n);
	out(rs, " رسانه</h2><ul>");
	for (size_t i = 0; i < n; i++) {
		out(rs, "<li>");
		if (v[i].id == a->id) {
			out(rs, "<strong>");
			esc(rs, v[i].source_name);
			out(rs, "</strong>");
		} else {
			buf_addf(&rs->body, "<a href=\"/article/%lld\">", (long long)v[i].id);
			esc(rs, v[i].source_name);
			out(rs, "</a>");
		}
		tagged(rs, " (به نقل از ", v[i].origin, ")");
		out(rs, " <span class=\"meta\">");
		jalali_format_relative(&rs->body, v[i].published, rq->now);
		out(rs, "</span></li>");
	}
	out(rs, "</ul></section>");
}

static void read_more(struct request *rq, struct response *rs, const struct article *ap);

/* render_article: the page of article a, laid out like the seed. */
static void render_article(struct request *rq, struct response *rs, const struct article *ap)
{
	struct article a = *ap;
	head(rq, rs, a.title);
	out(rs, "<article>");
	tagged_of(rs, &a, "<p class=\"uptitle\">", a.uptitle, "</p>");
	out(rs, "<h1>");
	text_of(rs, &a, a.title);
	buf_addf(&rs->body, "</h1><div class=\"byline\"><a class=\"outlet\" href=\"/source/%lld\">",
		 (long long)a.source_id);
	esc(rs, a.source_name);
	out(rs, "</a><a class=\"view-source\" rel=\"noopener nofollow\" href=\"");
	esc(rs, a.url);
	out(rs, "\">مشاهده در مرجع</a><time datetime=\"");
	time_format_iso(&rs->body, a.published);
	out(rs, "\">");
	jalali_format_long(&rs->body, a.published);
	out(rs, "</time>");
	tagged_of(rs, &a, "<span class=\"author\">", a.author, "</span>");
	out(rs, "</div>");
	tagged_of(rs, &a, "<p class=\"lead\">", a.lead, "</p>");
	out(rs, "<div class=\"body\">");
	/* the escaped body is kept: a stored article changes only with a new fetch time */
	uint64_t version = version_of(a.fetched, a.published, a.body_text ? (int64_t)strlen(a.body_text) : -1,
				      a.lead ? (int64_t)strlen(a.lead) : -1);
	if (!piece_get(rq, PIECE_BODY, a.id, version, &rs->body)) {
		size_t start = rs->body.n;
		body_paragraphs(rs, a.body_text, a.lead, in_persian(&a));
		piece_put(rq, PIECE_BODY, a.id, version, rs->body.p + start, rs->body.n - start, 600);
	}
	out(rs, "</div><p class=\"credit\">منبع: ");
	esc(rs, a.origin ? a.origin : a.source_name);
	out(rs, "</p></article>");
	/* the other outlets' copies and "read more" hold relative times: kept 5 s */
	if (!piece_get(rq, PIECE_COVERAGE, a.id, (uint64_t)a.story_id, &rs->body)) {
		size_t start = rs->body.n;
		also_reported(rq, rs, &a);
		piece_put(rq, PIECE_COVERAGE, a.id, (uint64_t)a.story_id, rs->body.p + start, rs->body.n - start, 5);
	}
	out(rs, "</main><aside>");
	trending_box(rq, rs, &a);

	if (!piece_get(rq, PIECE_MORE, a.id, 0, &rs->body)) {
		size_t start = rs->body.n;
		read_more(rq, rs, &a);
		piece_put(rq, PIECE_MORE, a.id, 0, rs->body.p + start, rs->body.n - start, 5);
	}
	out(rs, "</aside>");
	foot(rs);
}

/* read_more: the "read more" box: related articles kept at ingest, else the outlet's latest. */
static void read_more(struct request *rq, struct response *rs, const struct article *ap)
{
	struct article a = *ap;
	struct article *more = NULL;
	size_t n = 0;
	if (store_related_list(rq->store, a.id, BOX_LIMIT, &rq->arena, &more, &n, NULL) != CH_OK)
		n = 0;
	if (n == 0) {
		struct article_query q = { .limit = BOX_LIMIT, .source_id = a.source_id, .exclude_id = a.id };
		if (store_article_list(rq->store, &q, &rq->arena, &more, &n, NULL) != CH_OK)
			n = 0;
	}
	box(rq, rs, "more", "بیشتر بخوانید", more, n);
}

/* load_article: the article with this id into *a, or an error page (false). */
static bool load_article(struct request *rq, struct response *rs, int64_t id, struct article *a)
{
	if (!id) {
		page_error(rq, rs, 400, "شناسهٔ خبر نامعتبر است.");
		return false;
	}
	enum ch_status s = store_article_get(rq->store, id, &rq->arena, a, NULL);
	if (s != CH_OK) {
		page_error(rq, rs, s == CH_ERR_NOTFOUND ? 404 : 500,
			   s == CH_ERR_NOTFOUND ? "خبری با این شناسه پیدا نشد." : "خواندن خبر ممکن نشد.");
		return false;
	}
	return true;
}

void page_article(struct request *rq, struct response *rs)
{
	struct article a;
	if (load_article(rq, rs, parse_id(rq->path + strlen("/article/")), &a))
		render_article(rq, rs, &a);
}

void page_story(struct request *rq, struct response *rs)
{
	int64_t id = parse_id(rq->path + strlen("/story/"));
	struct story story;
	enum ch_status s = id ? store_story_get(rq->store, id, &rq->arena, &story, NULL) : CH_ERR_INVALID;
	if (s != CH_OK) {
		page_error(rq, rs, s == CH_ERR_NOTFOUND ? 404 : s == CH_ERR_INVALID ? 400 : 500,
			   s == CH_ERR_INVALID ? "شناسهٔ ماجرا نامعتبر است." : "ماجرایی با این شناسه پیدا نشد.");
		return;
	}
	/* the story's lead comes with it; read again only when it came without its body */
	if (story.lead.id == story.lead_article && story.lead.body_text) {
		render_article(rq, rs, &story.lead);
		return;
	}
	struct article a;
	if (load_article(rq, rs, story.lead_article, &a))
		render_article(rq, rs, &a);
}

/* source_named: the name and site of source id (src->name, src->site_url; the rest zero), read
 * from the store at most once a minute. */
static enum ch_status source_named(struct request *rq, int64_t id, struct source *src)
{
	struct buf kept;
	buf_init(&kept, 1u << 16);
	memset(src, 0, sizeof *src);
	enum ch_status s = CH_OK;
	/* kept as "name\0site\0" ("" for no site) */
	if (piece_get(rq, PIECE_SOURCE, id, 0, &kept) && kept.n >= 2 && kept.p[kept.n - 1] == '\0') {
		src->name = arena_strdup(&rq->arena, kept.p);
		const char *site = kept.p + strlen(kept.p) + 1;
		src->site_url = *site ? arena_strdup(&rq->arena, site) : NULL;
		if (!src->name)
			s = CH_ERR_NOMEM;
	} else if ((s = store_source_get(rq->store, id, &rq->arena, src, NULL)) == CH_OK && src->name) {
		buf_reset(&kept);
		buf_add(&kept, src->name, strlen(src->name) + 1);
		buf_add(&kept, src->site_url ? src->site_url : "", src->site_url ? strlen(src->site_url) + 1 : 1);
		piece_put(rq, PIECE_SOURCE, id, 0, kept.p, kept.n, 60);
	}
	buf_release(&kept);
	return s;
}

void page_source(struct request *rq, struct response *rs)
{
	int64_t id = parse_id(rq->path + strlen("/source/"));
	int64_t before = before_param(rq);
	if (!id || before < 0) {
		page_error(rq, rs, 400, "شناسهٔ منبع نامعتبر است.");
		return;
	}
	struct source src;
	enum ch_status s = source_named(rq, id, &src);
	if (s != CH_OK) {
		page_error(rq, rs, s == CH_ERR_NOTFOUND ? 404 : 500,
			   s == CH_ERR_NOTFOUND ? "منبعی با این شناسه پیدا نشد." : "خواندن منبع ممکن نشد.");
		return;
	}
	struct article_query q = { .limit = LIST_LIMIT + 1, .source_id = id, .before_id = before };
	struct article *v = NULL;
	size_t n = 0;
	s = store_article_list(rq->store, &q, &rq->arena, &v, &n, NULL);
	if (s != CH_OK) {
		page_error(rq, rs, s == CH_ERR_NOTFOUND ? 404 : 500, "خواندن خبرها ممکن نشد.");
		return;
	}
	char base[48], feed[64];
	snprintf(base, sizeof base, "/source/%lld", (long long)id);
	snprintf(feed, sizeof feed, "/feed/source/%lld", (long long)id);
	head_with_feed(rq, rs, src.name, feed);
	out(rs, "<h1>");
	esc(rs, src.name);
	out(rs, "</h1>");
	if (src.site_url) {
		out(rs, "<p><a rel=\"noopener nofollow\" href=\"");
		esc(rs, src.site_url);
		out(rs, "\">");
		esc(rs, src.site_url);
		out(rs, "</a></p>");
	}
	feed_link(rs, feed);
	article_list(rq, rs, v, n, LIST_LIMIT, base, before);
	out(rs, "</main><aside>");
	trending_box(rq, rs, NULL);
	out(rs, "</aside>");
	foot(rs);
}

void search_params(struct request *rq, struct buf *out, const char *sep)
{
	static const char *const keys[] = { "q", "source", "category", "from", "to", "limit" };
	const size_t start = out->n;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = request_query(rq, keys[i]);
		if (!v || !*v)
			continue;
		buf_addf(out, "%s%s=", out->n > start ? sep : "", keys[i]);
		url_encode(out, v, strlen(v));
	}
}

/* search_form: the search box with its filters, holding what the reader asked for (an outlet
 * chosen through ?source= is kept as a hidden field). */
static void search_form(struct request *rq, struct response *rs, const char *text)
{
	out(rs, "<h1>جستجو</h1><form action=\"/search\"><input name=\"q\" type=\"search\" value=\"");
	esc(rs, text);
	out(rs, "\"> <button>جستجو</button><p class=\"filters\"><label>از <input name=\"from\" size=\"10\" "
		"placeholder=\"۱۴۰۳/۰۹/۰۱\" value=\"");
	esc(rs, request_query(rq, "from"));
	out(rs, "\"></label> <label>تا <input name=\"to\" size=\"10\" placeholder=\"۱۴۰۳/۰۹/۳۰\" value=\"");
	esc(rs, request_query(rq, "to"));
	out(rs, "\"></label> <label>دسته <input name=\"category\" size=\"10\" value=\"");
	esc(rs, request_query(rq, "category"));
	out(rs, "\"></label>");
	const char *source = request_query(rq, "source");
	if (source && *source) {
		out(rs, "<input type=\"hidden\" name=\"source\" value=\"");
		esc(rs, source);
		out(rs, "\">");
	}
	out(rs, "</p></form>");
}

/* search_pager: links to the previous and the next page of results (page numbers, so both
 * ways work), keeping every filter. */
static void search_pager(struct response *rs, const struct buf *params, const struct search_query *q,
			 size_t n)
{
	size_t page = q->offset / q->limit + 1;
	bool more = n == q->limit;
	if (page == 1 && !more)
		return;
	out(rs, "<p class=\"pager\">");
	if (page > 1) {
		out(rs, "<a rel=\"prev\" href=\"/search?");
		out(rs, buf_str(params));
		if (page > 2)
			buf_addf(&rs->body, "&amp;page=%zu", page - 1);
		out(rs, "\">نتیجه‌های پیشین</a>");
	}
	if (more) {
		out(rs, page > 1 ? " · " : "");
		out(rs, "<a rel=\"next\" href=\"/search?");
		out(rs, buf_str(params));
		buf_addf(&rs->body, "&amp;page=%zu\">نتیجه‌های بیشتر</a>", page + 1);
	}
	out(rs, "</p>");
}

void page_search(struct request *rq, struct response *rs)
{
	struct search_query q;
	const char *bad = NULL;
	const char *api_message = search_from_request(rq, &q, &bad);
	const char *text = request_query(rq, "q");
	bool asked = text && *text;
	/* no words yet is no error: the form, waiting for them */
	bool waiting = !asked && api_message && !strncmp(api_message, "q is empty", 10);
	bool invalid = api_message != NULL;
	if (invalid && !waiting)
		rs->status = 400;
	struct search_hit *hits = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	if (!invalid && store_search(rq->store, &q, &rq->arena, &hits, &n, &err) != CH_OK) {
		invalid = true;
		rs->status = err.code == CH_ERR_INVALID ? 400 : 500;
		bad = err.code == CH_ERR_INVALID ? "در این جستجو واژه‌ای برای یافتن نیست؛ دست‌کم یک واژه بنویسید "
						   "که خبر باید داشته باشد (واژه‌ای که با - آغاز شود کنار گذاشته می‌شود)."
						 : "جستجو ممکن نشد.";
	}
	struct buf params;
	buf_init(&params, 8192);
	search_params(rq, &params, "&amp;");
	struct buf feed;
	buf_init(&feed, 8192);
	buf_adds(&feed, asked ? "/feed/search?" : "/feed");
	if (asked)
		buf_add(&feed, params.p, params.n);
	head_with_feed(rq, rs, asked ? text : "جستجو", buf_str(&feed));
	search_form(rq, rs, text);
	if (rs->status != 200) {
		out(rs, "<p class=\"error\">");
		esc(rs, bad);
		out(rs, "</p>");
	} else if (!invalid) {
		feed_link(rs, buf_str(&feed));
		out(rs, "<ul class=\"list\">");
		for (size_t i = 0; i < n; i++) {
			out(rs, "<li>");
			article_link(rs, &hits[i].article, "title");
			meta_line(rq, rs, &hits[i].article);
			out(rs, "<p class=\"snippet\">");
			snippet_to_html(&rs->body, hits[i].snippet, in_persian(&hits[i].article));
			out(rs, "</p></li>");
		}
		if (n == 0)
			out(rs, q.offset ? "<li class=\"empty\">نتیجهٔ دیگری نیست.</li>"
					 : "<li class=\"empty\">خبری با این واژه‌ها پیدا نشد. واژهٔ کمتری بنویسید "
					   "یا بازهٔ تاریخ را بردارید.</li>");
		out(rs, "</ul>");
		search_pager(rs, &params, &q, n);
	}
	buf_release(&params);
	buf_release(&feed);
	out(rs, "</main><aside>");
	trending_box(rq, rs, NULL);
	out(rs, "</aside>");
	foot(rs);
}

void page_category(struct request *rq, struct response *rs)
{
	const char *name = path_rest(rq, "/category/");
	int64_t before = before_param(rq);
	if (!name || before < 0) {
		page_error(rq, rs, 400, "نام دسته نامعتبر است.");
		return;
	}
	struct article_query q = { .limit = LIST_LIMIT + 1, .category = name, .before_id = before };
	struct article *v = NULL;
	size_t n = 0;
	enum ch_status s = store_article_list(rq->store, &q, &rq->arena, &v, &n, NULL);
	if (s != CH_OK) {
		page_error(rq, rs, s == CH_ERR_NOTFOUND ? 404 : 500, "خواندن خبرها ممکن نشد.");
		return;
	}
	if (n == 0 && !before) {
		page_error(rq, rs, 404, "دسته‌ای با این نام پیدا نشد.");
		return;
	}
	struct buf base, feed;
	buf_init(&base, 1024);
	buf_init(&feed, 1024);
	buf_adds(&base, "/category/");
	url_encode(&base, name, strlen(name));
	buf_adds(&feed, "/feed");
	buf_add(&feed, base.p, base.n);
	head_with_feed(rq, rs, name, buf_str(&feed));
	out(rs, "<h1>");
	esc(rs, name);
	out(rs, "</h1>");
	feed_link(rs, buf_str(&feed));
	article_list(rq, rs, v, n, LIST_LIMIT, buf_str(&base), before);
	buf_release(&base);
	buf_release(&feed);
	out(rs, "</main><aside>");
	trending_box(rq, rs, NULL);
	out(rs, "</aside>");
	foot(rs);
}
