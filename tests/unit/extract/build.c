/*
 * build.c — tests of src/extract/build.c: the tree it builds through SAX callbacks must be the
 * tree libxml2's own SAX2 builder (htmlReadMemory, the options the extractor used before) makes
 * of the same markup, node for node: types, names, attributes, text. Inputs: the Persian pages
 * and behaviour cases in tests/data/extract, the extract fuzz corpus, the extract-dev pages when
 * ../shared is there, and hand-made markup for the placement rules SAX2 has (content after
 * </html>, a DOCTYPE, a misplaced <html>, text outside the root, boolean attributes); that
 * the attributes the extractor reads are kept when the others are left out; and that parking
 * (park.c: long text and values replaced by placeholders before the parse, put back by the
 * builder) gives the same tree as parsing the markup as it is.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "extract/internal.h"

#define DATA TEST_DATA_DIR "/extract"

/* same_dump: the dumps of trees a and b (NULL: empty) are equal; prints the first difference,
 * the trees named as what_a and what_b. */
static bool same_dump(const char *label, xmlDocPtr a, const char *what_a, xmlDocPtr b, const char *what_b)
{
	struct buf da, db;
	buf_init(&da, BUF_NO_LIMIT);
	buf_init(&db, BUF_NO_LIMIT);
	if (a)
		extract_dump_tree(a, &da);
	if (b)
		extract_dump_tree(b, &db);
	bool same = da.n == db.n && (da.n == 0 || memcmp(da.p, db.p, da.n) == 0);
	if (!same) {
		size_t i = 0;
		while (i < da.n && i < db.n && da.p[i] == db.p[i])
			i++;
		size_t from = i > 200 ? i - 200 : 0;
		print_message("%s: trees differ at byte %zu\n %s: %.300s\n %s: %.300s\n", label, i, what_a,
			      buf_str(&da) + from, what_b, buf_str(&db) + from);
	}
	buf_release(&da);
	buf_release(&db);
	return same;
}

/* same_tree: the builder's tree of markup equals libxml2's; prints the first difference. */
static bool same_tree(const char *label, const char *markup, size_t n)
{
	xmlDocPtr ref = htmlReadMemory(markup, (int)n, NULL, "UTF-8",
				       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					       HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
	xmlDocPtr ours = extract_parse_html(markup, n, EXTRACT_PARSE_ALL_ATTRS);
	assert_non_null(ours);
	bool same = same_dump(label, ref, "libxml2", ours, "builder");
	if (ref)
		xmlFreeDoc(ref);
	extract_free_doc(ours);
	return same;
}

/* Markups that had something parked (to check that the parking tests test something), and
 * those whose stashed attributes the builder could not all give back (then it parses the markup
 * as it was: the same tree, but the time is lost). */
static int parked_markups, stash_redone;

/* same_tree_parked_as: markup parked (extract_park with park_flags) and parsed with
 * parse_flags gives the tree of markup parsed as it is with parse_flags; prints the first
 * difference, and counts a parse done again (stashed attributes not all given back). */
static bool same_tree_parked_as(const char *label, const char *markup, size_t n, unsigned park_flags,
				unsigned parse_flags)
{
	struct buf m;
	buf_init(&m, BUF_NO_LIMIT);
	assert_int_equal(buf_add(&m, markup, n), CH_OK);
	struct extract_parked pk;
	extract_park(&m, &pk, park_flags);
	parked_markups += extract_parked_any(&pk);
	xmlDocPtr plain = extract_parse_html(markup, n, parse_flags);
	unsigned long redos = extract_stash_redos();
	xmlDocPtr parked = extract_parse_parked(m.p ? m.p : "", m.n, parse_flags, &pk);
	if (extract_stash_redos() != redos) {
		print_message("%s: stashed attributes not given back, parsed again\n", label);
		stash_redone++;
	}
	assert_non_null(plain);
	assert_non_null(parked);
	bool same = same_dump(label, plain, "as it is", parked, "parked");
	extract_free_doc(plain);
	extract_free_doc(parked);
	extract_parked_release(&pk);
	buf_release(&m);
	return same;
}

/* same_tree_parked: all attributes kept, parked and as it is. */
static bool same_tree_parked(const char *label, const char *markup, size_t n)
{
	return same_tree_parked_as(label, markup, n, 0, EXTRACT_PARSE_ALL_ATTRS);
}

/* same_tree_parked_read_only: parked without the unread attributes (EXTRACT_PARK_DROP_UNREAD),
 * as the extractor does, against the tree of the read attributes only. */
static bool same_tree_parked_read_only(const char *label, const char *markup, size_t n)
{
	return same_tree_parked_as(label, markup, n, EXTRACT_PARK_DROP_UNREAD, 0);
}

/* same_tree_of_file: same_tree on a page as the extractor prepares it (UTF-8, prefiltered),
 * and same_tree_parked / same_tree_parked_read_only on the page as it is (repaired to UTF-8). */
static int same_tree_of_file(const char *path)
{
	struct buf raw;
	buf_init(&raw, (size_t)64 << 20);
	struct ch_error err;
	if (file_read(path, &raw, &err) != CH_OK) {
		buf_release(&raw);
		return 0;
	}
	struct extract_input in;
	int bad = 0;
	if (extract_input_prepare(raw.p ? raw.p : "", raw.n, NULL, &in, &err) == CH_OK) {
		/* the markup before parking, and parking it again */
		const struct buf *m = extract_parked_any(&in.parked) ? &in.parked.source : &in.markup;
		bad += !same_tree(path, m->p, m->n);
		bad += !same_tree_parked(path, m->p, m->n);
	}
	extract_input_release(&in);
	struct buf utf8;
	buf_init(&utf8, BUF_NO_LIMIT);
	if (utf8_repair(&utf8, raw.p ? raw.p : "", raw.n) == CH_OK) {
		bad += !same_tree_parked(path, utf8.p ? utf8.p : "", utf8.n);
		bad += !same_tree_parked_read_only(path, utf8.p ? utf8.p : "", utf8.n);
	}
	buf_release(&utf8);
	buf_release(&raw);
	return bad;
}

/* same_trees_under: same_tree_of_file on every file under dir whose name ends in suffix (one
 * level of subdirectories too); counts the files in *files. */
static int same_trees_under(const char *dir, const char *suffix, int *files)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int bad = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		size_t len = strlen(de->d_name), sl = strlen(suffix);
		if (len >= sl && !strcmp(de->d_name + len - sl, suffix)) {
			bad += same_tree_of_file(path);
			(*files)++;
		} else if (!strchr(de->d_name, '.')) {
			char page[4200];
			snprintf(page, sizeof page, "%s/page.html", path);
			FILE *f = fopen(page, "rb");
			if (f) {
				fclose(f);
				bad += same_tree_of_file(page);
				(*files)++;
			}
		}
	}
	closedir(d);
	return bad;
}

static void test_pages(void **state)
{
	(void)state;
	int files = 0, bad = 0;
	bad += same_trees_under(DATA "/fa", ".html", &files);
	bad += same_trees_under(DATA "/cases", ".html", &files);
	bad += same_trees_under(CHAPAR_SRC_DIR "/fuzz/corpus/extract", "", &files);
	bad += same_trees_under(CHAPAR_SRC_DIR "/../shared/data/extract-dev", ".html", &files);
	print_message("%d files, %d with a different tree, %d markups parked\n", files, bad,
		      parked_markups);
	assert_true(files >= 30);
	assert_true(parked_markups >= files / 2);
	assert_int_equal(bad, 0);
	assert_int_equal(stash_redone, 0);
}

static void test_placement(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"<html><body><p>a</p></body></html><div>after</div>tail",
		"<!DOCTYPE html><html><body><p>a</p></body></html><div>after</div><p>x",
		"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html><body>  <p> a </p>  </body></html>",
		"text before<html lang=fa><body>x</body></html>",
		"<html><body><html dir=rtl class=x><p>misplaced html</p></body></html>",
		"<?xml version=\"1.0\"?><!-- c --><html><body><?pi data?><p>a<!-- in -->b</p></body></html>",
		"<p>one &amp; two &#1740; &nbsp;three</p><input checked disabled value=x><option selected>",
		"<table><tr><td>a<td>b</table><ul><li>x<li>y</ul><select><option>1</select>",
		"<head><title>t</title><p>para in head</p></head><body><b><i>x</b>y</i></body>",
		"<div><style>p{}</style><script>var a='<p>';</script><textarea><b>raw</b></textarea></div>",
		"</p></div></html>x<frameset><frame></frameset>",
		"<body><body class=second><p>b</p></body><head><meta name=x content=y></head>",
		"",
		"   ",
		"<!DOCTYPE html><!DOCTYPE html><p>twice",
		"<a href='x' href='y' title=\"\" data-x>dup</a><img src=a.png alt>",
		"<p a=b onclick=\"x\"/><p a=b onclick=x/><br a=b onclick=\"x\"c=d title=t><i x=1 >",
		"<div @click=\"a <p onclick='y' title=z>\" id=q>t</div><p ONCLICK=1 Class=K>u",
		"<a title='x' onclick=\"unterminated><b>bold</b>",
		"<input disabled checked/><input disabled data-x = 'a' name=n >z<p x=\"1\"\ty=2\nid=3>",
		"<img data-src=a srcset=\"a 1x, b 2x\" sizes=100w loading=lazy src=b alt=c><p x=",
		/* parking: runs around references, blanks at the ends, odd tags, refusals */
		"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">"
		"<html><head><meta charset=\"utf-8\"/><title>  a title long enough to park  </title></head>"
		"<body class=\"a long class value\"><p>first paragraph with words&amp;more words after it;&foo;bar"
		" baz and &#1740;&#x6cc; persian &nbsp;نشانی با متنی بلند&nbspمتن دیگری بلند</p></body></html>",
		"some long text at the very top level<html>more long text directly in html<head>"
		"long text in the head of it</head><body>   long text in the body itself   </body></html>",
		"<pre>\n\n   preformatted long text   \n  with blanks kept  \n</pre><p title='single quoted value'"
		" id=\"value with &amp; in it\" data-x=\"a\"/>after self-closing p with long text",
		"<p>a page that names the lead &#xE040; and a long text after it</p><a href=\"long/enough/href\">x</a>",
		"<p>a page that holds \xEE\x81\x80 itself, with a long text after it</p>",
		/* icon fonts: glyphs of the first placeholder blocks, literally and referred to */
		"<i class=\"icon\">\xEE\x80\x80</i><i>\xEE\x81\x80\xEE\x81\x81</i><p>a long text after icon "
		"glyphs of the first block, &#xE0A0; &#57600; of the second and third</p><a title=\"\xEE\x82\x80 "
		"a long value\" href=\"long/enough/href\">x</a>",
		"<p>a long text before a comment<!-- c --> and a long text after it</p><p>more long text here</p>",
		"<p>a long text before a stray less-than < and a long text after it</p>",
		"<p>a long text before an end tag</p foo=\"b>c\">and a long text after it, the end tag ends early",
		"<div class=\"long class value\"/><div \"=\"\">a long text after an odd tag</div>",
		"<p>a long text</p><script>var s = '<p>long text in a script</p>';</script><p>long text after</p>",
		"<p>a long text with a control \x13 character and a long text after it\xEF\xBF\xBF and after U+FFFF</p>"
		"<p title=\"a value with \x13 in it\">x</p>",
		"<option>a long text in an option</option><title>a long title text</title><textarea>long text in a textarea</textarea>",
		/* attribute lists stashed: implied elements at the same place, case, repeats, odd values */
		"<div class=x id=y>implied html and body before the div</div>",
		"<P CLASS=Up Id=1 class=again ID=2>upper case, repeats</P><br Class=b/><hr class=h />",
		"<a href=x/>unquoted value ending in a slash</a><a href = y/ >z</a><a b==c d= e>f</a>",
		"<input disabled class=i checked><option selected value=v>o</option><td nowrap width=1>",
		"<p class=a>auto-closed<div class=b>by a div<li class=c>one<li class=d>two</li></div>",
		"<table class=t><tr class=r><td class=d>cell<td class=e>cell</table><dl><dt class=x>t<dd class=y>d</dl>",
		"<title><b class=x>tag in a title</b></title><textarea><i class=y>in a textarea</i></textarea>",
		"<head><link rel=stylesheet href=a.css><base href=/x/></head><body><p class=p>x</body>",
		"<p class=\"\">empty</p><p class=''>empty</p><p data-a=\"&amp;\" class=k>ref</p><p title=\"x\x13y\">c</p>",
		"<frameset class=f><frame src=a></frameset><noframes class=n>x</noframes>",
		/* stashed values holding references: the five decoded alike, others left to libxml2 */
		"<a href=\"/q?a=1&amp;b=2&amp;c\" title='&quot;x&quot; &lt;&gt;&nbsp;y'>r</a>"
		"<a href=/q?a=1&amp;b=2 class=&quot;k>unquoted</a><p title=\"&amp;&amp;&quot;\">two</p>",
		"<a href=\"?a&amp\">no semicolon</a><a href=\"?a&AMP;b\">case</a><a href=\"?a&ampx;b\">"
		"longer name</a><a title=\"&amp;#38;\" href=\"&amp;amp;\">twice</a><a title=\"&amp\">end</a>",
		"<p title=\"&quot;&#39;&quot;\" class=\"&nbsp;&nbsp\">mixed</p><p title=\"&lt;&gt\" id=&amp;>x</p>",
		/* tags the plain grammar refuses: copied as libxml2 ends them, the scan going on after */
		"<meta content=\"a \" odd=\"\" words\"=\"\" end.\"=\"\"/><p class=\"x\">a long text after an odd meta</p>",
		"<LINK REL=\" s \"=\" \" href=\"a.css\"><div \"=\"\">a long text after two odd tags</div><p class=y>z</p>",
		"<a title=\"w \" l=\"\" i \":=\" \" h=\" \" '>'>a long text after an odd link</a><p class=\"q\">p</p>",
		"<p .dot=1 -x=2 9=3 =4 a=b/>a long text after odd names</p><p a = 'x>y' \"b c>d\">more long text here</p>",
		"<i a=\"x\"b=\"y\"/c>a long text after a slash</i><i a=x/>b</i><i / >c</i><p class=z>long text at the end",
		"<p \"unclosed>a long text in an odd tag that never ends",
		"<p a=\"unclosed>a long text in a value that never ends",
		"<script \"x\">var s = '<p class=a>long text in a script</p>';</script><p class=b>a long text after it</p>",
		/* an unread attribute left out between a bare value and "/>" (found by fuzzing) */
		"e long en/title><body class=a t=\"\"/><",
		"<p class=a title=\"&#39;\" onclick=\"x\"/>text<p class=b onclick=x/>c<p class=c onclick=x />d",
		"\xEF\xBB\xBF" "a long text after a byte order mark, before any tag<p class=x>y</p>",
		/* libxml2 skips a second mark right after the first, and keeps a third as text */
		"\xEF\xBB\xBF\xEF\xBB\xBF" "a long text after two byte order marks<p class=x>y</p>",
		"\xEF\xBB\xBF\xEF\xBB\xBF\xEF\xBB\xBF" "a long text after three byte order marks<p class=x>y</p>",
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		bad += !same_tree(cases[i], cases[i], strlen(cases[i]));
		bad += !same_tree_parked(cases[i], cases[i], strlen(cases[i]));
		bad += !same_tree_parked_read_only(cases[i], cases[i], strlen(cases[i]));
	}
	print_message("%d of the cases parsed again\n", stash_redone);
	/* long text in many pieces (libxml2 hands text over in chunks) and entities between them */
	struct buf big;
	buf_init(&big, BUF_NO_LIMIT);
	buf_adds(&big, "<p>");
	for (int i = 0; i < 5000; i++)
		buf_adds(&big, i % 7 ? "word " : "&amp; ");
	buf_adds(&big, "</p>");
	for (int i = 0; i < 3000; i++)
		buf_adds(&big, "<div><span>");
	buf_adds(&big, "deep");
	bad += !same_tree("long text, deep nesting", big.p, big.n);
	bad += !same_tree_parked("long text, deep nesting", big.p, big.n);
	buf_reset(&big);
	/* more placeholders than three digits name: the rest is left as it is */
	for (int i = 0; i < 270000; i++)
		buf_addf(&big, "<p class=\"c%08d\">text number %08d</p>", i, i);
	bad += !same_tree_parked("many runs", big.p, big.n);
	/* placeholders come from the first private-use block the page does not use; a page using
	 * all of them is left as it is */
	for (unsigned k = 0; k <= 32; k++) {
		buf_reset(&big);
		for (unsigned j = 0; j < k; j++)
			buf_addf(&big, "<i>&#x%X;</i>", 0xE000 + 128 * ((j + 5) % 32) + 64 * (j % 2));
		buf_adds(&big, "<p class=\"a long class value\">a long text that could be parked</p>");
		struct buf m;
		buf_init(&m, BUF_NO_LIMIT);
		buf_add(&m, big.p, big.n);
		struct extract_parked pk;
		extract_park(&m, &pk, 0);
		/* blocks 5, 6, ... are used, wrapping round to 0, 1, ... past the 27th */
		unsigned want = k >= 28 ? k - 27 : 0;
		if (extract_parked_any(&pk) != (k < 32) || (k < 32 && pk.block != want))
			bad++;
		extract_parked_release(&pk);
		buf_release(&m);
		bad += !same_tree_parked("icon glyphs in many blocks", big.p, big.n);
	}
	buf_release(&big);
	assert_int_equal(bad, 0);
}

/* test_kept_attributes: without EXTRACT_PARSE_ALL_ATTRS, the attributes the extractor reads
 * are there (the list is searched by bisection: a name out of order would go missing) and
 * others are not. */
static void test_kept_attributes(void **state)
{
	(void)state;
	static const char *const read[] = { "alt", "aria-hidden", "class", "colspan", "content",
					    LEAD_MARK, "data-src", "data-url", "datetime", "dir",
					    "hidden", "href", "id", "itemprop", "lang", "property",
					    "role", "src", "style", "title", "width" };
	struct buf m;
	buf_init(&m, BUF_NO_LIMIT);
	buf_adds(&m, "<p onclick=x data-x=1 ");
	for (size_t i = 0; i < sizeof read / sizeof *read; i++)
		buf_addf(&m, "%s=\"v%zu\" ", read[i], i);
	buf_adds(&m, "srcset=a>text</p>");
	xmlDocPtr doc = extract_parse_html(m.p, m.n, 0);
	assert_non_null(doc);
	xmlNodePtr p = xmlDocGetRootElement(doc);
	while (p && strcmp((const char *)p->name, "p"))
		p = p->children;
	assert_non_null(p);
	for (size_t i = 0; i < sizeof read / sizeof *read; i++) {
		char want[16];
		snprintf(want, sizeof want, "v%zu", i);
		const char *v = node_attr(p, read[i]);
		assert_non_null(v);
		assert_string_equal(v, want);
	}
	assert_null(node_attr(p, "onclick"));
	assert_null(node_attr(p, "data-x"));
	assert_null(node_attr(p, "srcset"));
	extract_free_doc(doc);
	buf_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_kept_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
