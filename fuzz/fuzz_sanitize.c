/*
 * fuzz_sanitize.c — libFuzzer target for extract_sanitize_html: any bytes as a fragment. The
 * output must be valid UTF-8 and never contain a script element, an event-handler attribute
 * or a javascript: URL (tags and attributes are written by our serialiser, so a '<' followed
 * by "script" or an attribute " on..." can only come from a bug).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/extract.h"

/* has_ci: needle occurs in [p, p+n) ignoring ASCII case. */
static int has_ci(const char *p, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(p + i, needle, m) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	if (extract_sanitize_html((const char *)data, size, "https://news.example.ir/a/", &out, NULL) == CH_OK) {
		if (!utf8_valid(out.p ? out.p : "", out.n) || has_ci(buf_str(&out), out.n, "<script") ||
		    has_ci(buf_str(&out), out.n, "javascript:") || has_ci(buf_str(&out), out.n, "<iframe") ||
		    has_ci(buf_str(&out), out.n, "<style"))
			abort();
	}
	buf_release(&out);
	return 0;
}
