/* interim.c — TEMPORARY: stands in for the extractor until it lands. Delete then. */
#include "extract/extract.h"

enum ch_status extract_article(const char *html, size_t n, const char *http_content_type, const char *base_url,
			       struct extract_article **out, struct ch_error *err)
{
	return ch_fail(err, CH_ERR_PARSE, "the extractor is not built yet");
}

void extract_article_free(struct extract_article *a)
{
}

enum ch_status extract_sanitize_html(const char *html, size_t n, const char *base_url, struct buf *out,
				     struct ch_error *err)
{
	return ch_fail(err, CH_ERR_INVALID, "the sanitiser is not built yet");
}
