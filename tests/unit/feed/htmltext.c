/*
 * Tests for src/feed/htmltext.c and xmlfix.c: the entity table, entity decoding, HTML to
 * plain text, whitespace collapsing, and the XML clean-up pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "feed/parse_internal.h"

/* text: feed_html_to_text of s, in a static buffer. */
static const char *text(const char *s)
{
	static struct buf b;
	buf_release(&b);
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(feed_html_to_text(&b, s, strlen(s)), CH_OK);
	return buf_str(&b);
}

/* cleanup: feed_xml_cleanup of s as a string, in a static buffer. */
static const char *cleanup(const char *s)
{
	static struct buf b, out;
	buf_release(&b);
	buf_release(&out);
	buf_init(&b, BUF_NO_LIMIT);
	buf_init(&out, BUF_NO_LIMIT);
	struct slice r;
	assert_int_equal(feed_xml_cleanup(&b, s, strlen(s), &r), CH_OK);
	buf_add(&out, r.p, r.n);
	return buf_str(&out);
}

static void test_entities(void **state)
{
	(void)state;
	char u[16];
	assert_int_equal(feed_entity_lookup("zwnj", 4, u), 3);
	assert_string_equal(u, "\xE2\x80\x8C");
	assert_int_equal(feed_entity_lookup("nbsp", 4, u), 2);
	assert_int_equal(feed_entity_lookup("raquo", 5, u), 2);
	assert_int_equal(feed_entity_lookup("AElig", 5, u), 2);
	assert_int_equal(feed_entity_lookup("zwj", 3, u), 3);
	assert_int_equal(feed_entity_lookup("NotNestedGreaterGreater", 23, u), 5); /* two code points */
	assert_int_equal(feed_entity_lookup("nosuch", 6, u), 0);
	assert_int_equal(feed_entity_lookup("", 0, u), 0);
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	const char *s = "&lt;&#1740;&#x6CC;&#150;&zwnj;&nope;&#;& x&amp";
	feed_decode_entities(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "<\xDB\x8C\xDB\x8C\xE2\x80\x93\xE2\x80\x8C&nope;&#;& x&amp");
	buf_release(&b);
}

static void test_html_to_text(void **state)
{
	(void)state;
	assert_string_equal(text("<p>One</p><p>Two&nbsp;&amp; three</p>"), "One Two & three");
	assert_string_equal(text("a<b>b</b>c<br>d"), "abc d");
	assert_string_equal(text("x<script>if (a<b) x()</script>y<style>p{}</style>z"), "xyz");
	assert_string_equal(text("<!-- hidden -->shown <a href='u' title=\"a>b\">link</a>"), "shown link");
	assert_string_equal(text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
	assert_string_equal(text("  \t\n "), "");
	assert_string_equal(text("<unclosed"), "");
	assert_string_equal(text("می&zwnj;شود"), "می\u200cشود");
	assert_true(feed_looks_html("a <b>x</b>", 10));
	assert_true(feed_looks_html("a &amp; b", 9));
	assert_false(feed_looks_html("a < b & c", 9));
}

static void test_collapse(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	const char *s = " \t a \n\n b\xC2\xA0\xC2\xA0" "c\xE2\x80\x8C" "d  ";
	feed_collapse_ws(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "a b c\xE2\x80\x8C" "d");
	buf_release(&b);
}

static void test_xml_cleanup(void **state)
{
	(void)state;
	assert_string_equal(cleanup("<a>x &nbsp; &amp; &#1740; & y</a>"),
			    "<a>x &#160; &amp; &#1740; &amp; y</a>");
	assert_string_equal(cleanup("<a href='?a=1&b=2'>&zwnj;</a>"), "<a href='?a=1&amp;b=2'>&#8204;</a>");
	assert_string_equal(cleanup("<![CDATA[&nbsp; & <b>]]><!-- & --><a>!&!</a>"),
			    "<![CDATA[&nbsp; & <b>]]><!-- & --><a>!&amp;!</a>");
	assert_string_equal(cleanup("\n  <?xml version='1.0'?><a>\x01\x02</a>"), "<?xml version='1.0'?><a>  </a>");
	assert_string_equal(cleanup("<!DOCTYPE x [<!ENTITY e 'v'>]><x>&e; &f;</x>"),
			    "<!DOCTYPE x [<!ENTITY e 'v'>]><x>&e; &f;</x>");
	assert_string_equal(cleanup("<a>&#0; &#xD800; &#9;</a>"), "<a>&#xFFFD; &#xFFFD; &#9;</a>");
	assert_string_equal(cleanup("<a b='x>y' c=\"&\">z</a"), "<a b='x>y' c=\"&amp;\">z</a");
	assert_string_equal(cleanup("<![CDATA[ never closed &"), "<![CDATA[ never closed &");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_collapse),
		cmocka_unit_test(test_xml_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
