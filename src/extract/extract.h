/*
 * extract.h — article extraction from news pages (readability-class scoring on libxml2's HTML
 * parser), page metadata, and the allowlist HTML sanitiser every displayed fragment goes
 * through. libxml2 is included here and in src/feed only.
 */
#ifndef CHAPAR_EXTRACT_H
#define CHAPAR_EXTRACT_H

#include "core/core.h"

/* One extracted article. Strings are UTF-8, owned by the article's arena, NULL when absent.
 * body_text has one paragraph per line; body_html is already sanitised. */
struct extract_article {
	struct arena arena;
	const char *title, *uptitle, *lead, *author, *image, *canonical_url, *site_name, *language;
	const char *source_credit; /* the outlet named in a "منبع: فارس" line, when the page has one */
	const char *body_text, *body_html;
	int64_t published, modified; /* Unix seconds UTC, 0 when unknown */
};

/* Field notes. title: og:title / JSON-LD headline, else <title> without the site name (or the
 * <h1> it contains). lead: the CMS lead block (class lead, subtitle, introtext, item-summary,
 * ...), else the meta description; a lead block standing beside the main text block is left
 * out of body_text (one inside it stays). uptitle: the روتیتر block (class rutitr, uptitle,
 * kicker, ...). published: JSON-LD datePublished, article:published_time and kin,
 * <time datetime>, else a date in the page's text through text_parse_date (Tehran time).
 * source_credit: "فارس" from a "منبع: فارس" line, which is then left out of body_text. */

/* extract_article: extract html (n bytes). http_content_type (the HTTP Content-Type header,
 * for its charset) may be NULL; base_url resolves links and images (NULL: the page's canonical
 * URL when it is absolute). Never fails on bad markup: an unreadable page gives empty text.
 * On CH_OK *out is new (caller frees with extract_article_free). */
enum ch_status extract_article(const char *html, size_t n, const char *http_content_type,
			       const char *base_url, struct extract_article **out, struct ch_error *err);
void extract_article_free(struct extract_article *a);

/* extract_sanitize_html: append to out a safe version of the HTML fragment html (n bytes):
 * allowlisted tags and attributes only, links and images made absolute against base_url (may be
 * NULL), no script, style, event handlers, forms or javascript:/data: URLs; links get
 * rel="noopener noreferrer nofollow". CH_ERR_LIMIT (and nothing appended) when the result does
 * not fit out's limit. */
enum ch_status extract_sanitize_html(const char *html, size_t n, const char *base_url,
				     struct buf *out, struct ch_error *err);

#endif
