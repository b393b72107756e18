/*
 * url_resolve.c — util.c's url_resolve leaves a URL that begins with a scheme as it is without
 * asking libxml2's xmlBuildURI: this checks that xmlBuildURI itself gives every such URL back
 * unchanged or not at all (when it cannot parse it; url_resolve keeps the URL then too), on
 * hand-picked odd URLs and random ones, and that url_resolve gives what the plain call to
 * xmlBuildURI gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/uri.h>

#include "extract/internal.h"

#define BASE "https://news.example.ir/a/b.html?x=1#f"

/* ref_resolve: url_resolve's result for a URL with an allowed scheme or none, as it was
 * written before: xmlBuildURI for everything, the URL as it is when that gives nothing. */
static void ref_resolve(struct buf *out, const char *clean)
{
	xmlChar *abs = xmlBuildURI((const xmlChar *)clean, (const xmlChar *)BASE);
	buf_adds(out, abs ? (const char *)abs : clean);
	xmlFree(abs);
}

/* check: url_resolve and the reference agree on u (which holds no blank or control byte, so
 * that url_resolve's cleaning leaves it as it is). */
static void check(const char *u)
{
	struct buf got, want;
	buf_init(&got, BUF_NO_LIMIT);
	buf_init(&want, BUF_NO_LIMIT);
	bool ok = url_resolve(&got, u, BASE);
	ref_resolve(&want, u);
	if (ok && strcmp(got.p ? got.p : "", want.p ? want.p : ""))
		fail_msg("%s: got %s, xmlBuildURI gives %s", u, got.p, want.p);
	buf_release(&got);
	buf_release(&want);
}

static void odd_urls(void **state)
{
	(void)state;
	static const char *const urls[] = {
		"http://a.ir/x/../y", "HTTPS://A.ir/./x", "http:relative/path", "http:", "http:/x/../y",
		"https://a.ir:99999999999/x", "http://[::1/x", "http://a.ir/%zz", "https://a.ir/#a#b",
		"mailto:x@y.ir", "tel:+98-21", "ftp://h/p", "http+x://h/", "h.t-t+p://x", "x1:y",
		"page.html", "../up", "/root", "//host/p", "?q=1", "#frag", "", "a:b:c", "1http://x",
		"http://a.ir/\xD9\x85\xD8\xAA\xD9\x86", "http://a.ir/?q=\"<x>\"", "http://a.ir/%",
		"https://user:pw@a.ir/p;par?q#f", "http://a.ir/\\x\\y", "http://a.ir/{x}|^`",
	};
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++)
		check(urls[i]);
}

static void random_urls(void **state)
{
	(void)state;
	static const char *const pieces[] = { "http", "https", "HTTP", "ftp", ":", "//", "/", "a.ir",
					      "..", ".", "%2", "%zz", "?", "#", "[", "]", "@", "x", "+",
					      "-", "\xD8\xA7", "\"", "<", "\\", "|", ";", "=", "&", "9" };
	srand(11);
	char u[256];
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		int parts = 1 + rand() % 10;
		for (int i = 0; i < parts; i++) {
			const char *p = pieces[(size_t)rand() % (sizeof pieces / sizeof *pieces)];
			size_t len = strlen(p);
			if (n + len + 1 >= sizeof u)
				break;
			memcpy(u + n, p, len);
			n += len;
		}
		u[n] = '\0';
		check(u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(odd_urls),
		cmocka_unit_test(random_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
