/*
 * fuzz_opml.c — libFuzzer target for the OPML reader and writer: whatever parses must write
 * out and parse back to the same number of subscriptions.
 */
#include <stdint.h>
#include <stdlib.h>

#include "feed/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_opml *o = NULL;
	if (feed_opml_parse((const char *)data, size, &o, NULL) != CH_OK)
		return 0;
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	if (feed_opml_write(&b, o->title, o->outlines, o->n_outlines, NULL) == CH_OK) {
		struct feed_opml *back = NULL;
		if (feed_opml_parse(b.p, b.n, &back, NULL) != CH_OK || back->n_outlines != o->n_outlines)
			abort();
		feed_opml_free(back);
	}
	buf_release(&b);
	feed_opml_free(o);
	return 0;
}
