/*
 * fuzz_sanitize.c — libFuzzer target for extract_sanitize_html: any bytes as a fragment. The
 * output must be valid UTF-8 and never contain a script, iframe or style element or an
 * attribute value starting with javascript:, vbscript: or data: (tags and attributes are
 * written by our serialiser, values always in double quotes, so these can only come from a
 * bug; a "javascript:" inside an https URL's path is harmless and allowed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/extract.h"

/* bad_url_value: some attribute value (after '="') starts with an executable scheme. */
static int bad_url_value(const char *p, size_t n)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "data:" };
	for (size_t i = 0; i + 2 < n; i++) {
		if (p[i] != '=' || p[i + 1] != '"')
			continue;
		for (size_t k = 0; k < 3; k++)
			if (strncasecmp(p + i + 2, schemes[k], strlen(schemes[k])) == 0)
				return 1;
	}
	return 0;
}

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
		    bad_url_value(buf_str(&out), out.n) || has_ci(buf_str(&out), out.n, "<iframe") ||
		    has_ci(buf_str(&out), out.n, "<style"))
			abort();
	}
	buf_release(&out);
	return 0;
}
