/*
 * fuzz_form.c — libFuzzer target for the admin forms' urlencoded body parser (src/web/form.c):
 * any bytes, any field name; the value must come back as valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "csrf", "password", "url", "opml", "", "a b", "%" };
	char *body = malloc(size + 1);
	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	struct arena a;
	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = form_value(&a, body, size, names[i]);
		if (v && !utf8_valid(v, strlen(v)))
			abort();
	}
	arena_release(&a);
	free(body);
	return 0;
}
