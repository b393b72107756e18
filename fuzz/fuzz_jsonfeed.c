/*
 * fuzz_jsonfeed.c — libFuzzer target for the JSON Feed parser: input is forced to look like
 * JSON (a leading '{'), so the fuzzer spends its time in jsonfeed.c rather than in XML.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *doc = malloc(size + 1);
	if (!doc)
		return 0;
	doc[0] = '{';
	memcpy(doc + 1, data, size);
	struct feed *f = NULL;
	if (feed_parse(doc, size + 1, NULL, NULL, &f, NULL) == CH_OK) {
		for (size_t i = 0; i < f->n_entries; i++)
			if (f->entries[i].title && !utf8_valid(f->entries[i].title, strlen(f->entries[i].title)))
				abort();
		feed_free(f);
	}
	free(doc);
	return 0;
}
