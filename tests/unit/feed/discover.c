/*
 * Tests for src/feed/discover.c: sniffing, <link rel="alternate"> extraction from HTML (base
 * URLs, relative links, odd markup), the usual-path guesses, and the whole discovery flow
 * against the fixture server on 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feed/discover.h"
#include "../../fixtures/fixture_spawn.h"


/* links: discover_links over a literal page at a fixed URL; asserts success. */
static struct discover_list *links(const char *html, const char *page_url)
{
	struct discover_list *l = NULL;
	struct ch_error err;
	assert_int_equal(discover_links(html, strlen(html), page_url, &l, &err), CH_OK);
	assert_non_null(l);
	return l;
}

/* expect_link: the i-th link of l has this URL, kind, type and title (NULL: absent). */
static void expect_link(const struct discover_list *l, size_t i, const char *url,
			enum discover_kind kind, const char *type, const char *title)
{
	assert_true(i < l->n);
	const struct discover_link *k = &l->links[i];
	assert_string_equal(k->url, url);
	assert_int_equal(k->kind, kind);
	if (type)
		assert_string_equal(k->type, type);
	else
		assert_null(k->type);
	if (title)
		assert_string_equal(k->title, title);
	else
		assert_null(k->title);
}

/* The body decides before the Content-Type; BOMs, prologs and UTF-16 are seen through. */
static void test_sniff(void **state)
{
	(void)state;
	static const struct { const char *body, *type; enum discover_kind want; } cases[] = {
		{ "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", NULL, DISCOVER_RSS },
		{ "\xEF\xBB\xBF<rss>", "text/html", DISCOVER_RSS }, /* BOM; the body beats the header */
		{ "<?xml version='1.0'?><!-- c --><feed xmlns='http://www.w3.org/2005/Atom'>", NULL,
		  DISCOVER_ATOM },
		{ "<atom:feed xmlns:atom='x'>", NULL, DISCOVER_ATOM },
		{ "<?xml version='1.0'?><?xml-stylesheet href='a.xsl'?>\n<rdf:RDF>", NULL, DISCOVER_RDF },
		{ "  {\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}", NULL,
		  DISCOVER_JSON_FEED },
		{ "{\"version\": \"1\"}", "application/json", DISCOVER_UNKNOWN },
		{ "<!DOCTYPE html><html><head>", NULL, DISCOVER_HTML },
		{ "<!doctype html>", "application/rss+xml", DISCOVER_HTML },
		{ "\n<html lang=fa>", NULL, DISCOVER_HTML },
		{ "<!DOCTYPE rss PUBLIC \"-//Netscape\" \"x\"><rss version=\"0.91\">", NULL, DISCOVER_RSS },
		{ "garbage", "application/atom+xml; charset=utf-8", DISCOVER_ATOM },
		{ "garbage", "text/plain", DISCOVER_UNKNOWN },
		{ "", "text/html", DISCOVER_HTML },
		{ "", NULL, DISCOVER_UNKNOWN },
		{ "<", NULL, DISCOVER_UNKNOWN },
		{ "<?xml", NULL, DISCOVER_UNKNOWN },
		{ "<!--", NULL, DISCOVER_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum discover_kind got = discover_sniff(cases[i].body, strlen(cases[i].body), cases[i].type);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %s, want %s", i, cases[i].body,
				 discover_kind_name(got), discover_kind_name(cases[i].want));
	}
	/* UTF-16LE with a BOM: "<rss>" */
	const char utf16[] = "\xFF\xFE<\0r\0s\0s\0>\0";
	assert_int_equal(discover_sniff(utf16, sizeof utf16 - 1, NULL), DISCOVER_RSS);
	assert_true(discover_is_feed(DISCOVER_JSON_FEED));
	assert_false(discover_is_feed(DISCOVER_HTML));
	assert_false(discover_is_feed(DISCOVER_UNKNOWN));
}

/* Only rel=alternate links to feed types count, made absolute, deduplicated, in order. */
static void test_links_basic(void **state)
{
	(void)state;
	struct discover_list *l = links(
		"<html><head><title>t</title>"
		"<link rel=\"stylesheet\" href=\"/s.css\">"
		"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"خبرها\" href=\"/rss\">"
		"<LINK REL=\"Alternate Feed\" TYPE=\" application/atom+xml \" href=\"  atom.xml \">"
		"<link rel=\"alternate\" type=\"application/json\" href=\"/wp-json/wp/v2/pages/2\">"
		"<link rel=\"alternate\" type=\"application/feed+json\" href=\"https://cdn.example.org/f.json\">"
		"<link rel=\"alternate\" hreflang=\"en\" href=\"/en/\">"
		"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"javascript:alert(1)\">"
		"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss\">"
		"</head><body></body></html>",
		"https://news.example.org/section/page.html");
	assert_int_equal(l->n, 3);
	expect_link(l, 0, "https://news.example.org/rss", DISCOVER_RSS, "application/rss+xml",
		    "خبرها");
	expect_link(l, 1, "https://news.example.org/section/atom.xml", DISCOVER_ATOM,
		    "application/atom+xml", NULL);
	expect_link(l, 2, "https://cdn.example.org/f.json", DISCOVER_JSON_FEED,
		    "application/feed+json", NULL);
	discover_list_free(l);
}

static void test_links_base_and_mess(void **state)
{
	(void)state;
	/* <base> redirects relative links; links in <body>, unclosed tags and invalid UTF-8 cope */
	struct discover_list *l = links(
		"<head><base href=\"http://other.example/dir/\">"
		"<link rel=alternate type=application/rss+xml href=feed.xml></head>"
		"<body><div><p>\xff\xfe broken <link rel='alternate' type='text/xml' href='/x.xml'>",
		"http://site.example/");
	assert_int_equal(l->n, 2);
	expect_link(l, 0, "http://other.example/dir/feed.xml", DISCOVER_RSS, "application/rss+xml",
		    NULL);
	expect_link(l, 1, "http://other.example/x.xml", DISCOVER_XML_FEED, "text/xml", NULL);
	discover_list_free(l);

	/* a scheme in capitals is lower-cased; a URL without a host is no feed */
	l = links("<link rel=alternate type=application/rss+xml href='HTTPS://Site.example/Feed'>"
		  "<link rel=alternate type=application/rss+xml href='  Http:// '>"
		  "<link rel=alternate type=application/rss+xml href='http:///path'>",
		  "http://site.example/");
	assert_int_equal(l->n, 1);
	expect_link(l, 0, "https://Site.example/Feed", DISCOVER_RSS, "application/rss+xml", NULL);
	discover_list_free(l);

	l = links("", "http://site.example/");
	assert_int_equal(l->n, 0);
	discover_list_free(l);
	l = links("<html><head><title>no feeds</title></head></html>", "http://site.example/");
	assert_int_equal(l->n, 0);
	discover_list_free(l);
	/* deep nesting does not overflow anything */
	struct buf deep;
	buf_init(&deep, BUF_NO_LIMIT);
	for (int i = 0; i < 20000; i++)
		buf_adds(&deep, "<div>");
	buf_adds(&deep, "<link rel=alternate type=application/rss+xml href=/deep>");
	l = links(buf_str(&deep), "http://site.example/");
	assert_true(l->n <= 1);
	discover_list_free(l);
	buf_release(&deep);
}

/* The usual paths sit at the site's root, whatever page the user gave. */
static void test_guess_urls(void **state)
{
	(void)state;
	struct discover_list *l = NULL;
	struct ch_error err;
	assert_int_equal(discover_guess_urls("https://www.isna.ir/news/123?x=1", &l, &err), CH_OK);
	assert_true(l->n >= 8);
	assert_string_equal(l->links[0].url, "https://www.isna.ir/feed");
	bool has_rss = false;
	for (size_t i = 0; i < l->n; i++) {
		assert_true(strncmp(l->links[i].url, "https://www.isna.ir/", 20) == 0);
		has_rss |= strcmp(l->links[i].url, "https://www.isna.ir/rss") == 0;
	}
	assert_true(has_rss);
	discover_list_free(l);
	assert_int_equal(discover_guess_urls("mailto:x@example.org", &l, &err), CH_ERR_INVALID);
	assert_null(l);
}

/* discover: run discover_feeds on a path of the fixture server. */
static enum ch_status discover(const char *path, struct discover_list **l, struct ch_error *err)
{
	char u[256];
	snprintf(u, sizeof u, "http://d.localhost:%d%s", server.port, path);
	struct fetch_options o;
	fetch_options_default(&o);
	o.total_timeout_ms = 5000;
	return discover_feeds(u, &o, l, err);
}

/* The whole flow against the fixture server: feed URL, announced links, probed paths, errors. */
static void test_discover_over_http(void **state)
{
	(void)state;
	struct discover_list *l = NULL;
	struct ch_error err;
	char want[256];

	/* a feed's own URL is the answer, even when it is served with the wrong type */
	assert_int_equal(discover("/feed/direct", &l, &err), CH_OK);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->links[0].kind, DISCOVER_RSS);
	discover_list_free(l);
	assert_int_equal(discover("/wrongtype", &l, &err), CH_OK);
	assert_int_equal(l->n, 1);
	discover_list_free(l);

	/* redirects end at the feed's final URL */
	assert_int_equal(discover("/redirect?n=2", &l, &err), CH_OK);
	snprintf(want, sizeof want, "http://d.localhost:%d/feed/redirected", server.port);
	assert_string_equal(l->links[0].url, want);
	discover_list_free(l);

	/* a page that announces its feeds */
	assert_int_equal(discover("/site", &l, &err), CH_OK);
	assert_int_equal(l->n, 2);
	snprintf(want, sizeof want, "http://d.localhost:%d/feed/site", server.port);
	assert_string_equal(l->links[0].url, want);
	assert_string_equal(l->links[0].title, "RSS");
	discover_list_free(l);

	/* a page that announces nothing: the usual paths; /feed and /feed/ count once */
	assert_int_equal(discover("/site-nolink", &l, &err), CH_OK);
	assert_int_equal(l->n, 2);
	snprintf(want, sizeof want, "http://d.localhost:%d/feed", server.port);
	assert_string_equal(l->links[0].url, want);
	snprintf(want, sizeof want, "http://d.localhost:%d/rss.xml", server.port);
	assert_string_equal(l->links[1].url, want);
	assert_null(l->links[1].type);
	discover_list_free(l);

	/* failures say why */
	assert_int_equal(discover("/status/503", &l, &err), CH_ERR_NET);
	assert_string_equal(err.msg, "HTTP 503");
	assert_null(l);
	char refused[128];
	snprintf(refused, sizeof refused, "http://127.0.0.1:%d/", fixture_closed_port());
	assert_int_equal(discover_feeds(refused, NULL, &l, &err), CH_ERR_NET);
	assert_string_equal(err.msg, "connection refused");
	char bare[128];
	snprintf(bare, sizeof bare, "http://bare.localhost:%d/", server.port);
	assert_int_equal(discover_feeds(bare, NULL, &l, &err), CH_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "no feed found"));
	assert_null(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_links_basic),
		cmocka_unit_test(test_links_base_and_mess),
		cmocka_unit_test(test_guess_urls),
		cmocka_unit_test(test_discover_over_http),
	};
	return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
