/*
 * fuzz_urlresolve.c — libFuzzer target for URL resolution of links found in pages
 * (url_resolve in src/extract/util.c, over libxml2's xmlBuildURI): the input is the link, a
 * newline, then the base URL. No crash, no sanitizer report, and a link that resolves never
 * has a scheme other than http, https, mailto, tel or ftp (javascript: in any disguise must
 * not reach a page).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cstring.h"
#include "extract/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* safe_scheme: true when u has no scheme or an allowed one (written independently of the
 * code under test: a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) before ':'). */
static bool safe_scheme(const char *u)
{
	if (!isalpha((unsigned char)u[0]))
		return true;
	size_t i = 1;
	while (isalnum((unsigned char)u[i]) || (u[i] && strchr("+-.", u[i])))
		i++;
	if (u[i] != ':')
		return true;
	return (i == 4 && !strncasecmp(u, "http", 4)) || (i == 5 && !strncasecmp(u, "https", 5)) ||
	       (i == 6 && !strncasecmp(u, "mailto", 6)) || (i == 3 && !strncasecmp(u, "tel", 3)) ||
	       (i == 3 && !strncasecmp(u, "ftp", 3));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	if (!s)
		return 0;
	char *nl = strchr(s, '\n');
	const char *base = NULL;
	if (nl) {
		*nl = '\0';
		base = nl + 1;
	}
	struct buf out;
	buf_init(&out, 1 << 20);
	if (url_resolve(&out, s, base) && out.n && !safe_scheme(out.p))
		abort();
	buf_reset(&out);
	if (url_resolve(&out, s, "http://example.com/a/b/c?x=1#f") && out.n && !safe_scheme(out.p))
		abort();
	buf_release(&out);
	free(s);
	return 0;
}
