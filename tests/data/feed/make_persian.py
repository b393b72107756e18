#!/usr/bin/python3
"""Builds the Persian test feeds in this folder from ../../../../shared/data/fa-news-dev
(Fars News articles, see that folder's README for provenance). Run from this folder:
    /usr/bin/python3 make_persian.py /work/shared/data/fa-news-dev
The outputs are committed; this script documents how they were made."""
import html, json, sys

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/fa-news-dev"
arts = json.load(open(src + "/fars-news-1.json", encoding="utf-8"))[:3]
dates = ["Thu, 28 Nov 2024 10:30:00 IRST", "Wed, 27 Nov 2024 23:05:10 +0330",
         "Tue, 26 Nov 2024 08:00:00 GMT"]
ZWNJ = "\u200c"


def rss(items_xml, decl):
    return (decl + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            '<title>خبرگزاری فارس</title>\n<link>https://www.farsnews.ir/</link>\n'
            '<language>fa-IR</language>\n<lastBuildDate>' + dates[0] + '</lastBuildDate>\n'
            + items_xml + '</channel>\n</rss>\n')


def item(a, d, with_entities):
    body = "".join("<p>%s</p>" % html.escape(p, quote=False) for p in a["paragraphs"][:2])
    title = html.escape(a["title"], quote=False)
    if with_entities:  # what real Persian feeds do: HTML entities XML does not define
        title = title.replace(ZWNJ, "&zwnj;").replace(" مي ", " مي&zwnj;", 1)
        title = "&laquo;" + title + "&raquo;&nbsp;"
    return ("<item>\n<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"false\">fars-%s</guid>\n"
            "<pubDate>%s</pubDate>\n<dc:creator>خبرگزاری فارس</dc:creator>\n"
            "<category>اقتصادی</category>\n<description>%s</description>\n"
            "<content:encoded><![CDATA[%s]]></content:encoded>\n"
            "<enclosure url=\"https://media.farsnews.ir/%s.jpg\" type=\"image/jpeg\" length=\"12345\"/>\n"
            "</item>\n") % (title, a["link"], a["link"].rsplit("/", 1)[1], d,
                            html.escape(a["abstract"], quote=False), body,
                            a["link"].rsplit("/", 1)[1])


items = "".join(item(a, d, False) for a, d in zip(arts, dates))
items_ent = "".join(item(a, d, True) for a, d in zip(arts, dates))
utf8 = rss(items, '<?xml version="1.0" encoding="utf-8"?>\n')
open("fa-rss2-utf8.xml", "w", encoding="utf-8").write(utf8)
open("fa-rss2-entities.xml", "w", encoding="utf-8").write(
    rss(items_ent, '<?xml version="1.0" encoding="utf-8"?>\n'))


def cp1256(s):  # windows-1256 has no Persian yeh: legacy feeds use Arabic yeh
    return s.replace("ی", "ي").encode("cp1256")


# windows-1256 with no charset anywhere (no HTTP header, no encoding in the declaration)
open("fa-rss2-cp1256-undeclared.xml", "wb").write(cp1256(rss(items, '<?xml version="1.0"?>\n')))
# windows-1256 declared in the XML declaration
open("fa-rss2-cp1256-declared.xml", "wb").write(
    cp1256(rss(items, '<?xml version="1.0" encoding="windows-1256"?>\n')))
# windows-1256 bytes under a wrong ISO-8859-1 declaration (old Iranian sites)
open("fa-rss2-cp1256-as-latin1.xml", "wb").write(
    cp1256(rss(items, '<?xml version="1.0" encoding="ISO-8859-1"?>\n')))
# UTF-8 bytes under a wrong iso-8859-1 declaration
open("fa-rss2-wrong-declaration.xml", "w", encoding="utf-8").write(
    rss(items, '<?xml version="1.0" encoding="iso-8859-1"?>\n'))
# UTF-16 LE with a BOM
open("fa-rss2-utf16.xml", "wb").write(
    b"\xff\xfe" + rss(items, '<?xml version="1.0" encoding="utf-16"?>\n').encode("utf-16-le"))
# truncated in the middle of the third item, with a bare & in a link
trunc = rss(items_ent, '<?xml version="1.0" encoding="utf-8"?>\n').replace(
    arts[0]["link"], arts[0]["link"] + "?a=1&b=2")
open("fa-rss2-truncated.xml", "w", encoding="utf-8").write(trunc[: trunc.index("<pubDate>" + dates[2])])

atom = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="fa" xml:base="https://www.farsnews.ir/">\n<title type="html">فارس &amp;lt;خبر&amp;gt;</title>\n'
        '<link href="/" rel="alternate" type="text/html"/>\n<updated>2024-11-28T07:00:00Z</updated>\n']
for a, d in zip(arts, ["2024-11-28T10:30:00+03:30", "2024-11-27T23:05:10+03:30", "2024-11-26T08:00:00Z"]):
    path = "/news/" + a["link"].rsplit("/", 1)[1]
    atom.append('<entry>\n<id>tag:farsnews.ir,2024:%s</id>\n<title>%s</title>\n'
                '<link href="%s"/>\n<published>%s</published>\n<updated>%s</updated>\n'
                '<author><name>فارس</name><email>info@farsnews.ir</email></author>\n'
                '<category term="اقتصادی"/>\n<summary>%s</summary>\n'
                '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>%s <a href="photo">عکس</a></p></div></content>\n'
                '</entry>\n' % (path, html.escape(a["title"], quote=False), path, d, d,
                                html.escape(a["abstract"], quote=False),
                                html.escape(a["paragraphs"][0], quote=False)))
atom.append("</feed>\n")
open("fa-atom.xml", "w", encoding="utf-8").write("".join(atom))

jf = {"version": "https://jsonfeed.org/version/1.1", "title": "خبرگزاری فارس",
      "home_page_url": "https://www.farsnews.ir/", "language": "fa-IR", "items": []}
for a, d in zip(arts, ["2024-11-28T10:30:00+03:30", "2024-11-27T23:05:10+03:30", "2024-11-26T08:00:00Z"]):
    jf["items"].append({"id": a["link"].rsplit("/", 1)[1], "url": a["link"], "title": a["title"],
                        "content_html": "<p>%s</p>" % html.escape(a["paragraphs"][0]),
                        "summary": a["abstract"], "date_published": d,
                        "authors": [{"name": "فارس"}], "tags": ["اقتصادی", "بانک"],
                        "attachments": [{"url": "https://media.farsnews.ir/a.mp3",
                                         "mime_type": "audio/mpeg", "size_in_bytes": 999}]})
json.dump(jf, open("fa-jsonfeed.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
