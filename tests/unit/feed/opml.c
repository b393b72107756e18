/*
 * Tests for src/feed/opml.c: nested folders become categories, attributes in any case,
 * broken XML and legacy encodings, and a write → read round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "feed/feed.h"

/* opml: feed_opml_parse over a literal; asserts success. */
static struct feed_opml *opml(const char *doc)
{
	struct feed_opml *o = NULL;
	struct ch_error err = { 0 };
	if (feed_opml_parse(doc, strlen(doc), &o, &err) != CH_OK)
		fail_msg("feed_opml_parse: %s", err.msg);
	return o;
}

static void test_nested(void **state)
{
	(void)state;
	struct feed_opml *o = opml(
		"<?xml version='1.0' encoding='utf-8'?><opml version='2.0'><head><title>Subs &amp; more</title></head><body>"
		"<outline text='Top' xmlUrl='http://top/feed' htmlUrl='http://top/'/>"
		"<outline text='اخبار'><outline text='Fars' title='ignored' xmlurl='http://fars/rss'/>"
		"<outline title='ورزش'><outline text='V3' xmlUrl=' http://v3/rss ' category='x'/></outline></outline>"
		"<outline text='Cat attr' xmlUrl='http://c/' category='/Tech/Linux'/>"
		"<outline text='No URL'/></body></opml>");
	assert_string_equal(o->title, "Subs & more");
	assert_int_equal(o->n_outlines, 4);
	assert_string_equal(o->outlines[0].xml_url, "http://top/feed");
	assert_string_equal(o->outlines[0].html_url, "http://top/");
	assert_null(o->outlines[0].category);
	assert_string_equal(o->outlines[1].title, "Fars");
	assert_string_equal(o->outlines[1].category, "اخبار");
	assert_string_equal(o->outlines[2].xml_url, "http://v3/rss");
	assert_string_equal(o->outlines[2].category, "اخبار/ورزش");
	assert_string_equal(o->outlines[3].category, "/Tech/Linux");
	feed_opml_free(o);
}

static void test_broken_and_not_opml(void **state)
{
	(void)state;
	struct feed_opml *o = opml("<opml><body><outline text='A &amp B' xmlUrl='http://a/?x=1&y=2'/>"
				   "<outline text='cut' xmlUrl='http://b/'");
	assert_true(o->n_outlines >= 1);
	assert_string_equal(o->outlines[0].title, "A &amp B");
	assert_string_equal(o->outlines[0].xml_url, "http://a/?x=1&y=2");
	feed_opml_free(o);
	struct ch_error err;
	o = NULL;
	assert_int_equal(feed_opml_parse("<rss/>", 6, &o, &err), CH_ERR_PARSE);
	assert_null(o);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct feed_outline v[] = {
		{ "Fars \"news\" & co", "http://fars/rss?a=1&b=2", "http://fars/", "اخبار" },
		{ "Plain", "http://plain/", NULL, NULL },
		{ "V3", "http://v3/rss", NULL, "ورزش" },
		{ "Fars 2", "http://fars/2", NULL, "اخبار" },
	};
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	struct ch_error err;
	assert_int_equal(feed_opml_write(&b, "chapar <subs>", v, 4, &err), CH_OK);
	struct feed_opml *o = opml(buf_str(&b));
	assert_string_equal(o->title, "chapar <subs>");
	assert_int_equal(o->n_outlines, 4);
	for (size_t i = 0; i < 4; i++) { /* order: uncategorised first, then by folder */
		size_t j = 0;
		while (j < 4 && strcmp(o->outlines[j].xml_url, v[i].xml_url) != 0)
			j++;
		assert_true(j < 4);
		assert_string_equal(o->outlines[j].title, v[i].title);
		if (v[i].category)
			assert_string_equal(o->outlines[j].category, v[i].category);
		else
			assert_null(o->outlines[j].category);
	}
	feed_opml_free(o);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_broken_and_not_opml),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
