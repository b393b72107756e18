/* interim.c — TEMPORARY: stands in for the feed parser until it lands. Delete then. */
#include "feed/feed.h"

enum ch_status feed_parse(const char *data, size_t n, const char *http_content_type, const char *base_url,
			  struct feed **out, struct ch_error *err)
{
	return ch_fail(err, CH_ERR_PARSE, "the feed parser is not built yet");
}

void feed_free(struct feed *f)
{
}
