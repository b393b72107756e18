/*
 * fuzz_feed.c — libFuzzer target for the RSS/Atom/RDF parser (feed_parse on XML input, with
 * and without an HTTP charset): it must never crash, leak or hang, and every string it
 * returns must be valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"

/* check_utf8: abort on a returned string that is not valid UTF-8 (a bug worth a crash). */
static void check_utf8(const char *s)
{
	if (s && !utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the HTTP Content-Type the feed came with */
	static const char *const types[] = { NULL, "text/xml; charset=windows-1256",
					     "application/rss+xml; charset=utf-16", "text/xml" };
	const char *ctype = size ? types[data[0] & 3] : NULL;
	struct feed *f = NULL;
	if (feed_parse((const char *)data, size, ctype, "http://example.com/a/", &f, NULL) != CH_OK)
		return 0;
	check_utf8(f->title);
	check_utf8(f->link);
	for (size_t i = 0; i < f->n_entries; i++) {
		const struct feed_entry *e = &f->entries[i];
		check_utf8(e->title);
		check_utf8(e->summary);
		check_utf8(e->content);
		check_utf8(e->link);
		check_utf8(e->author);
		for (size_t k = 0; k < e->n_categories; k++)
			check_utf8(e->categories[k]);
	}
	feed_free(f);
	return 0;
}
