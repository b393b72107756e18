/*
 * url_resolve.c — util.c's url_resolve leaves a URL that begins with a scheme as it is without
 * asking libxml2's xmlBuildURI, and writes a plain absolute path or fragment itself after what
 * xmlBuildURI puts before it: this checks that xmlBuildURI itself gives every URL with a scheme
 * back unchanged or not at all (when it cannot parse it; url_resolve keeps the URL then too),
 * on hand-picked odd URLs and random ones (absolute paths and fragments against odd bases too),
 * and that url_resolve gives what the plain call to xmlBuildURI gives.
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
static void ref_resolve(struct buf *out, const char *clean, const char *base)
{
	xmlChar *abs = xmlBuildURI((const xmlChar *)clean, (const xmlChar *)base);
	buf_adds(out, abs ? (const char *)abs : clean);
	xmlFree(abs);
}

/* check_against: url_resolve and the reference agree on u (which holds no blank or control
 * byte, so that url_resolve's cleaning leaves it as it is) against base. */
static void check_against(const char *u, const char *base)
{
	struct buf got, want;
	buf_init(&got, BUF_NO_LIMIT);
	buf_init(&want, BUF_NO_LIMIT);
	bool ok = url_resolve(&got, u, base);
	ref_resolve(&want, u, base);
	if (ok && strcmp(got.p ? got.p : "", want.p ? want.p : ""))
		fail_msg("%s against %s: got %s, xmlBuildURI gives %s", u, base, got.p, want.p);
	buf_release(&got);
	buf_release(&want);
}

/* Bases for absolute paths and fragments (url_resolve writes plain ones itself, after what
 * xmlBuildURI gives for "/" or "#" alone): odd ones too. */
static const char *const bases[] = {
	BASE, "https://a.ir", "http://user:pw@a.ir:8080/x/y?q#f", "HTTP://A.IR/\xD9\x85", "file:///c:/x",
	"/relative/base", "page.html", "http://[::1]/x", "http://[::1/x", "https://a.ir/%zz/x",
	"mailto:x@y.ir", "x:y", "https://a.ir/a b", "//host/p", "http://a.ir:99999999999/",
};

/* check: check_against BASE, and against every base when u starts with '/' or '#'. */
static void check(const char *u)
{
	check_against(u, BASE);
	if (u[0] == '/' || u[0] == '#')
		for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
			check_against(u, bases[i]);
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
		/* absolute paths: written by url_resolve itself when plain */
		"/", "/a/b.html", "/a/b?x=1&y=2", "/a/./b", "/a/../b", "/.", "/..", "/a/.", "/a.b/c.d",
		"/a?b/../c", "/a?b:c", "/a:b", "/a?b#c", "/a%20b", "/(x)*!~'$,;@=+_-", "/a//b", "/?",
		"/a?x=/./", "/\xD8\xA7", "/a?q=\"x\"", "#", "#a", "#cite_note-1", "#a/b?c:d@e", "#a#b",
		"#a%20b", "#[x]", "#\xD8\xA7", "#a'(b)*!~$,;=+&",
	};
	for (size_t i = 0; i < sizeof urls / sizeof *urls; i++)
		check(urls[i]);
}

/* random_url: into u (cap bytes), prefix and then 1 to max_parts random pieces. */
static void random_url(char *u, size_t cap, const char *prefix, const char *const *pieces,
		       size_t npieces, int max_parts)
{
	size_t n = strlen(prefix);
	memcpy(u, prefix, n);
	int parts = 1 + rand() % max_parts;
	for (int i = 0; i < parts; i++) {
		const char *p = pieces[(size_t)rand() % npieces];
		size_t len = strlen(p);
		if (n + len + 1 >= cap)
			break;
		memcpy(u + n, p, len);
		n += len;
	}
	u[n] = '\0';
}

static void random_urls(void **state)
{
	(void)state;
	static const char *const pieces[] = { "http", "https", "HTTP", "ftp", ":", "//", "/", "a.ir",
					      "..", ".", "%2", "%zz", "?", "#", "[", "]", "@", "x", "+",
					      "-", "\xD8\xA7", "\"", "<", "\\", "|", ";", "=", "&", "9" };
	/* absolute paths of the characters url_resolve writes itself, and a few it does not */
	static const char *const path_pieces[] = { "/", "a", "Z9", ".", "..", "?", ":", "-", "_", "!",
						   "~", "*", "'", "(", ")", ";", "@", "&", "=", "+",
						   "$", ",", "%", "#", "//", "\xD8\xA7", "[" };
	srand(11);
	char u[256];
	for (int round = 0; round < 20000; round++) {
		random_url(u, sizeof u, "", pieces, sizeof pieces / sizeof *pieces, 10);
		check(u);
	}
	for (int round = 0; round < 20000; round++) {
		random_url(u, sizeof u, round % 4 ? "/" : "#", path_pieces, sizeof path_pieces / sizeof *path_pieces, 8);
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
