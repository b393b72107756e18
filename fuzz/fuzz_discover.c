/*
 * fuzz_discover.c — libFuzzer target for feed discovery: arbitrary bytes as an HTML page
 * (discover_links, with and without a page URL) and as a response to sniff (discover_sniff).
 * Every link found must be an absolute http(s) URL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/discover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	(void)discover_sniff(p, size, NULL);
	(void)discover_sniff(p, size, "application/rss+xml");
	struct discover_list *l = NULL;
	const char *urls[] = { "https://example.org/a/b.html", NULL };
	for (size_t u = 0; u < 2; u++) {
		if (discover_links(p, size, urls[u], &l, NULL) != CH_OK)
			continue;
		for (size_t i = 0; i < l->n; i++)
			if (strncmp(l->links[i].url, "http", 4) != 0 || !discover_is_feed(l->links[i].kind))
				abort();
		discover_list_free(l);
	}
	return 0;
}
