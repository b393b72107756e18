/*
 * Tests for src/feed/parse.c, xmlfeed.c, jsonfeed.c and charset.c: each format (RSS 0.91,
 * 2.0, 1.0/RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1), the "which value wins" rules, entities,
 * CDATA, xml:base, broken and truncated XML, limits, and the Persian feeds of
 * tests/data/feed (made by make_persian.py from shared/data/fa-news-dev) in every encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feed/feed.h"

/* parse: feed_parse over a literal; asserts success. */
static struct feed *parse(const char *doc, const char *ctype, const char *base)
{
	struct feed *f = NULL;
	struct ch_error err = { 0 };
	enum ch_status st = feed_parse(doc, strlen(doc), ctype, base, &f, &err);
	if (st != CH_OK)
		fail_msg("feed_parse: %s", err.msg);
	assert_non_null(f);
	return f;
}

/* parse_file: feed_parse over a file of tests/data/feed; asserts success. */
static struct feed *parse_file(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/feed/%s", TEST_DATA_DIR, name);
	struct buf b;
	buf_init(&b, 1 << 24);
	struct ch_error err = { 0 };
	if (file_read(path, &b, &err) != CH_OK)
		fail_msg("%s: %s", path, err.msg);
	struct feed *f = NULL;
	if (feed_parse(b.p, b.n, NULL, NULL, &f, &err) != CH_OK)
		fail_msg("%s: %s", path, err.msg);
	buf_release(&b);
	return f;
}

/* iso: t as ISO 8601 in a static buffer. */
static const char *iso(int64_t t)
{
	static char s[64];
	struct buf b;
	buf_init(&b, 64);
	time_format_iso(&b, t);
	snprintf(s, sizeof s, "%s", buf_str(&b));
	buf_release(&b);
	return s;
}

static void test_rss2(void **state)
{
	(void)state;
	struct feed *f = parse(
		"<?xml version='1.0'?><rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'"
		" xmlns:content='http://purl.org/rss/1.0/modules/content/'"
		" xmlns:media='http://search.yahoo.com/mrss/'><channel>"
		"<title>T &amp; U</title><link>http://example.com/</link><language>fa-IR</language>"
		"<lastBuildDate>Thu, 28 Nov 2024 10:30:00 GMT</lastBuildDate><ttl>30</ttl>"
		"<image><title>not the title</title><link>http://img/</link></image>"
		"<item><title>One</title><link> http://example.com/1 </link>"
		"<guid isPermaLink='false'>id-1</guid><pubDate>Thu, 28 Nov 2024 10:30:00 +0330</pubDate>"
		"<dc:creator>Ali</dc:creator><author>x@y.com (Other)</author>"
		"<category>A</category><category>B</category><category>A</category>"
		"<description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description>"
		"<content:encoded><![CDATA[<p>Full <i>text</i></p>]]></content:encoded>"
		"<enclosure url='http://example.com/a.mp3' type='audio/mpeg' length='123'/>"
		"<media:content url='http://example.com/b.jpg' type='image/jpeg' fileSize='9'/>"
		"<media:content url='http://example.com/a.mp3'/></item>"
		"<item><title>Two</title><guid>http://example.com/2</guid><dc:date>2024-11-27T10:00:00Z</dc:date></item>"
		"</channel></rss>", NULL, NULL);
	assert_string_equal(f->title, "T & U");
	assert_string_equal(f->link, "http://example.com/");
	assert_string_equal(f->language, "fa-IR");
	assert_string_equal(iso(f->updated), "2024-11-28T10:30:00Z");
	assert_int_equal(f->ttl_minutes, 30);
	assert_int_equal(f->n_entries, 2);
	struct feed_entry *e = &f->entries[0];
	assert_string_equal(e->title, "One");
	assert_string_equal(e->link, "http://example.com/1");
	assert_string_equal(e->id, "id-1");
	assert_string_equal(iso(e->published), "2024-11-28T07:00:00Z");
	assert_int_equal(e->updated, e->published);
	assert_string_equal(e->author, "Ali"); /* the first author string wins */
	assert_int_equal(e->n_categories, 2);
	assert_string_equal(e->categories[1], "B");
	assert_string_equal(e->summary, "Hello world");
	assert_string_equal(e->content, "<p>Full <i>text</i></p>");
	assert_int_equal(e->n_enclosures, 2); /* the duplicate media:content is dropped */
	assert_string_equal(e->enclosures[0].url, "http://example.com/a.mp3");
	assert_string_equal(e->enclosures[0].type, "audio/mpeg");
	assert_int_equal(e->enclosures[0].length, 123);
	assert_string_equal(e->enclosures[1].url, "http://example.com/b.jpg");
	assert_int_equal(e->enclosures[1].length, 9);
	e = &f->entries[1];
	assert_string_equal(e->link, "http://example.com/2"); /* a permalink guid is the link */
	assert_string_equal(iso(e->published), "2024-11-27T10:00:00Z");
	assert_null(e->summary);
	assert_null(e->content);
	feed_free(f);
}

static void test_rss091_and_rdf(void **state)
{
	(void)state;
	struct feed *f = parse("<rss version='0.91'><channel><title>Old</title>"
			       "<item><title>A</title><link>http://a/</link><description>d</description></item>"
			       "</channel></rss>", NULL, NULL);
	assert_string_equal(f->title, "Old");
	assert_int_equal(f->n_entries, 1);
	assert_string_equal(f->entries[0].summary, "d");
	feed_free(f);
	f = parse("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'"
		  " xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
		  "<channel rdf:about='http://x/'><title>R</title><link>http://x/</link></channel>"
		  "<item rdf:about='http://x/1'><title>I1</title><link>http://x/1</link>"
		  "<dc:date>2024-11-28T10:30:00+03:30</dc:date><dc:subject>S</dc:subject></item>"
		  "<item rdf:about='http://x/2'><title>I2</title><link>http://x/2</link></item>"
		  "</rdf:RDF>", NULL, NULL);
	assert_string_equal(f->title, "R");
	assert_int_equal(f->n_entries, 2);
	assert_string_equal(f->entries[0].id, "http://x/1");
	assert_string_equal(iso(f->entries[0].published), "2024-11-28T07:00:00Z");
	assert_string_equal(f->entries[0].categories[0], "S");
	assert_string_equal(f->entries[1].link, "http://x/2");
	feed_free(f);
}

static void test_atom(void **state)
{
	(void)state;
	struct feed *f = parse(
		"<feed xmlns='http://www.w3.org/2005/Atom' xml:lang='fa' xml:base='http://example.com/blog/'>"
		"<title type='text'>a &lt;b&gt; c</title><link rel='self' href='/feed'/>"
		"<link href='./'/><updated>2024-11-28T07:00:00Z</updated>"
		"<entry><id>urn:uuid:1</id><title type='html'>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; co</title>"
		"<link rel='alternate' type='text/html' href='post/1'/>"
		"<link rel='enclosure' href='/a.mp3' type='audio/mpeg' length='5'/>"
		"<published>2024-11-27T10:00:00+03:30</published><updated>2024-11-28T10:00:00Z</updated>"
		"<author><name>Sara</name><email>s@x</email></author><category term='t1' label='L'/>"
		"<content type='xhtml' xml:base='http://other.org/x/'><div xmlns='http://www.w3.org/1999/xhtml'>"
		"<p>Hi <a href='y.html'>there</a></p></div></content></entry>"
		"<entry><title>Plain</title><id>2</id><summary type='html'>&lt;p&gt;S&lt;/p&gt;</summary>"
		"<content type='text'>1 &lt; 2</content></entry>"
		"</feed>", NULL, NULL);
	assert_string_equal(f->title, "a <b> c"); /* type text: no HTML guessing */
	assert_string_equal(f->link, "http://example.com/blog/");
	assert_string_equal(f->language, "fa");
	assert_int_equal(f->n_entries, 2);
	struct feed_entry *e = &f->entries[0];
	assert_string_equal(e->title, "Bold & co");
	assert_string_equal(e->link, "http://example.com/blog/post/1");
	assert_string_equal(e->enclosures[0].url, "http://example.com/a.mp3");
	assert_string_equal(iso(e->published), "2024-11-27T06:30:00Z");
	assert_string_equal(iso(e->updated), "2024-11-28T10:00:00Z");
	assert_string_equal(e->author, "Sara");
	assert_string_equal(e->categories[0], "t1");
	assert_non_null(strstr(e->content, "http://other.org/x/y.html"));
	assert_string_equal(e->summary, "Hi there"); /* from the content when there is no summary */
	e = &f->entries[1];
	assert_string_equal(e->summary, "S");
	assert_string_equal(e->content, "1 &lt; 2");
	feed_free(f);
}

static void test_atom03(void **state)
{
	(void)state;
	struct feed *f = parse(
		"<feed version='0.3' xmlns='http://purl.org/atom/ns#'><title>Old Atom</title>"
		"<link rel='alternate' type='text/html' href='http://x/'/><modified>2004-01-05T05:15:10Z</modified>"
		"<entry><title>E</title><link rel='alternate' type='text/html' href='http://x/e'/>"
		"<id>tag:x,2004:e</id><issued>2004-01-04T12:00:00-05:00</issued>"
		"<modified>2004-01-05T05:15:10Z</modified>"
		"<content type='text/html' mode='base64'>PHA+U29tZSB0ZXh0LjwvcD4=</content></entry></feed>",
		NULL, NULL);
	assert_string_equal(f->link, "http://x/");
	assert_string_equal(iso(f->updated), "2004-01-05T05:15:10Z");
	assert_string_equal(iso(f->entries[0].published), "2004-01-04T17:00:00Z");
	assert_string_equal(f->entries[0].content, "<p>Some text.</p>");
	assert_string_equal(f->entries[0].summary, "Some text.");
	feed_free(f);
}

static void test_json_feed(void **state)
{
	(void)state;
	struct feed *f = parse(
		"{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\" J  F \","
		"\"home_page_url\":\"http://j/\",\"items\":[{\"id\":7,\"url\":\"http://j/7\","
		"\"title\":\"Seven\",\"content_text\":\"a < b\",\"date_modified\":\"2024-11-28T10:30:00+03:30\","
		"\"author\":{\"name\":\"Old style\"},\"tags\":[\"x\",5,\"y\"]},"
		"{\"id\":\"s\",\"content_html\":\"<p>H <b>i</b></p>\",\"authors\":[{\"name\":\"New\"}],"
		"\"attachments\":[{\"url\":\"http://j/a\",\"mime_type\":\"audio/mpeg\",\"size_in_bytes\":10}]},"
		"\"not an item\"]}", NULL, NULL);
	assert_string_equal(f->title, "J F");
	assert_string_equal(f->link, "http://j/");
	assert_int_equal(f->n_entries, 2);
	struct feed_entry *e = &f->entries[0];
	assert_string_equal(e->id, "7");
	assert_string_equal(e->content, "a &lt; b");
	assert_string_equal(e->summary, "a < b");
	assert_string_equal(iso(e->published), "2024-11-28T07:00:00Z"); /* modified stands in */
	assert_string_equal(e->author, "Old style");
	assert_int_equal(e->n_categories, 2);
	e = &f->entries[1];
	assert_string_equal(e->summary, "H i");
	assert_string_equal(e->author, "New");
	assert_int_equal(e->enclosures[0].length, 10);
	feed_free(f);
	struct feed *bad = NULL;
	struct ch_error err;
	assert_int_equal(feed_parse("{\"items\": [", 11, NULL, NULL, &bad, &err), CH_ERR_PARSE);
	assert_null(bad);
}

static void test_broken_xml(void **state)
{
	(void)state;
	/* HTML entities XML lacks, a bare &, an unknown entity, control characters, CDATA holding
	 * an &nbsp; that must stay as written, and a document cut off mid-item */
	struct feed *f = parse("<rss><channel><title>A&nbsp;B &zwnj; &raquo; C & D &bogus; \x01" "E</title>"
			       "<item><title>x</title><link>http://e/?a=1&b=2</link>"
			       "<description><![CDATA[<p>&nbsp;kept</p>]]></description></item>"
			       "<item><title>cut", NULL, NULL);
	/* NBSP is whitespace to collapse, as in the reference; ZWNJ is kept */
	assert_string_equal(f->title, "A B \xE2\x80\x8C \xC2\xBB C & D &bogus; E");
	assert_int_equal(f->n_entries, 2);
	assert_string_equal(f->entries[0].link, "http://e/?a=1&b=2");
	assert_string_equal(f->entries[0].summary, "kept");
	assert_string_equal(f->entries[1].title, "cut");
	feed_free(f);
	/* an item wrongly nested in another is an entry of its own, after it */
	f = parse("<rss><channel><item><title>outer</title><item><title>inner</title></item>"
		  "<link>http://o/</link></item><item><title>next</title></item></channel></rss>", NULL, NULL);
	assert_int_equal(f->n_entries, 3);
	assert_string_equal(f->entries[0].link, "http://o/");
	assert_string_equal(f->entries[1].title, "inner");
	assert_string_equal(f->entries[2].title, "next");
	feed_free(f);
}

static void test_not_a_feed(void **state)
{
	(void)state;
	struct feed *f = NULL;
	struct ch_error err;
	const char *html = "<!DOCTYPE html><html><body>hi</body></html>";
	assert_int_equal(feed_parse(html, strlen(html), NULL, NULL, &f, &err), CH_ERR_PARSE);
	assert_non_null(strstr(err.msg, "html"));
	assert_int_equal(feed_parse("", 0, NULL, NULL, &f, &err), CH_ERR_PARSE);
	assert_int_equal(feed_parse("\xff\xfe\x00", 3, NULL, NULL, &f, &err), CH_ERR_PARSE);
	assert_null(f);
}

static void test_limits(void **state)
{
	(void)state;
	/* deep nesting and many entries stay bounded */
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	buf_adds(&b, "<rss><channel>");
	for (int i = 0; i < 12000; i++)
		buf_adds(&b, "<item><title>t</title></item>");
	for (int i = 0; i < 5000; i++)
		buf_adds(&b, "<x>");
	buf_adds(&b, "</channel></rss>");
	struct feed *f = NULL;
	struct ch_error err;
	assert_int_equal(feed_parse(b.p, b.n, NULL, NULL, &f, &err), CH_OK);
	assert_int_equal(f->n_entries, 10000);
	feed_free(f);
	buf_release(&b);
}

static void test_charset_header_and_declaration(void **state)
{
	(void)state;
	/* "Caf\xe9" in windows-1252; the header's charset beats the declaration */
	const char *doc = "<?xml version='1.0' encoding='utf-8'?><rss><channel><title>Caf\xe9</title></channel></rss>";
	struct feed *f = parse(doc, "application/rss+xml; charset=ISO-8859-1", NULL);
	assert_string_equal(f->title, "Caf\xc3\xa9");
	assert_string_equal(f->encoding, "windows-1252");
	feed_free(f);
	/* invalid UTF-8 under a UTF-8 label, Latin-looking: read as windows-1252 */
	f = parse(doc, NULL, NULL);
	assert_string_equal(f->title, "Caf\xc3\xa9");
	feed_free(f);
	/* KOI8-R declared */
	f = parse("<?xml version='1.0' encoding='koi8-r'?><rss><channel><title>\xf0\xd2\xc9\xd7\xc5\xd4</title></channel></rss>",
		  NULL, NULL);
	assert_string_equal(f->title, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	feed_free(f);
}

/* check_persian: the fields every Persian test feed shares, whatever its encoding. */
static void check_persian(const char *file, const char *encoding, size_t n_entries)
{
	struct feed *f = parse_file(file);
	assert_string_equal(f->encoding, encoding);
	assert_int_equal(f->n_entries, n_entries);
	assert_non_null(strstr(f->title, "فارس"));
	struct feed_entry *e = &f->entries[0];
	assert_non_null(strstr(e->title, "ارائه خدمات بر خط"));
	assert_string_equal(iso(e->published), "2024-11-28T07:00:00Z"); /* 10:30 IRST */
	assert_non_null(strstr(e->summary, "خبرگزاري فارس"));
	if (n_entries > 1)
		assert_string_equal(iso(f->entries[1].published), "2024-11-27T19:35:10Z");
	feed_free(f);
}

static void test_persian_encodings(void **state)
{
	(void)state;
	check_persian("fa-rss2-utf8.xml", "utf-8", 3);
	check_persian("fa-rss2-cp1256-declared.xml", "windows-1256", 3);
	check_persian("fa-rss2-cp1256-undeclared.xml", "windows-1256", 3);
	check_persian("fa-rss2-wrong-declaration.xml", "utf-8", 3);
	check_persian("fa-rss2-cp1256-as-latin1.xml", "windows-1256", 3);
	check_persian("fa-rss2-utf16.xml", "utf-16", 3);
	check_persian("fa-rss2-entities.xml", "utf-8", 3);
	check_persian("fa-rss2-truncated.xml", "utf-8", 3);
	/* entities: guillemets and ZWNJ from &laquo; &raquo; &zwnj; */
	struct feed *f = parse_file("fa-rss2-entities.xml");
	assert_non_null(strstr(f->entries[0].title, "«"));
	assert_non_null(strstr(f->entries[0].title, "مي\u200cشود»"));
	feed_free(f);
	f = parse_file("fa-rss2-truncated.xml");
	assert_string_equal(f->entries[0].link, "https://www.farsnews.ir/news/8707060255?a=1&b=2");
	assert_int_equal(f->entries[2].published, 0); /* cut off before its date */
	feed_free(f);
}

static void test_persian_atom_and_json(void **state)
{
	(void)state;
	struct feed *f = parse_file("fa-atom.xml");
	assert_string_equal(f->title, "فارس <خبر>");
	assert_string_equal(f->link, "https://www.farsnews.ir/");
	assert_string_equal(f->entries[0].link, "https://www.farsnews.ir/news/8707060255");
	assert_string_equal(f->entries[0].author, "فارس");
	assert_non_null(strstr(f->entries[0].content, "href=\"https://www.farsnews.ir/photo\""));
	feed_free(f);
	f = parse_file("fa-jsonfeed.json");
	assert_int_equal(f->n_entries, 3);
	assert_string_equal(f->entries[0].categories[1], "بانک");
	assert_string_equal(f->entries[0].enclosures[0].type, "audio/mpeg");
	feed_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss2),
		cmocka_unit_test(test_rss091_and_rdf),
		cmocka_unit_test(test_atom),
		cmocka_unit_test(test_atom03),
		cmocka_unit_test(test_json_feed),
		cmocka_unit_test(test_broken_xml),
		cmocka_unit_test(test_not_a_feed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_charset_header_and_declaration),
		cmocka_unit_test(test_persian_encodings),
		cmocka_unit_test(test_persian_atom_and_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
