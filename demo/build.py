#!/usr/bin/env python3
"""build.py — makes chapar's bundled demo sources from ../shared/data/fa-news-dev and the seed.

Run from the repository root: python3 demo/build.py [SHARED_DIR]. It writes demo/sources.tsv,
demo/feeds/*.xml (RSS 2.0) and demo/pages/*/*.html (article pages laid out like the outlets'
sites), and demo/pages.tsv (URL -> file), deterministically. The output is committed; this
script documents where every piece came from (see demo/README.md).
"""
import html
import json
import os
import sys
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "..", "shared")
TEHRAN = timezone(timedelta(hours=3, minutes=30))
DAY = datetime(2024, 11, 28, 7, 0, tzinfo=TEHRAN)  # Thursday 8 Azar 1403, the seed's date
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FA_WEEKDAY = "پنجشنبه"

OUTLETS = {
    "fars": ("خبرگزاری فارس", "https://www.farsnews.ir", "سیاسی"),
    "varzesh3": ("ورزش سه", "https://www.varzesh3.com", "ورزشی"),
    "arsheh": ("عرشه آنلاین", "https://www.arshehonline.ir", "عمومی"),
}


def esc(s):
    return html.escape(s, quote=True)


def rfc822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S +0330")


def fa_date(t):
    return f"{FA_WEEKDAY} 8 آذر 1403 - {t.strftime('%H:%M')}".translate(FA_DIGITS)


def seed_article():
    """The seed page's article: title, the lead (its first paragraph) and the body paragraphs,
    without the aggregator's widgets and without the repeated first paragraph."""
    lines = [l.strip() for l in open(os.path.join(SHARED, "seed", "000_02f99fe4b705e8eb.txt"), encoding="utf-8")]
    lines = [l for l in lines if l]
    title = lines[1]
    paras = []
    for l in lines[4:]:
        if l.startswith("منبع:") or l == "بیشتر بخوانید" or l.startswith(title):
            continue
        if l not in paras:
            paras.append(l)
    return {"title": title, "abstract": paras[0], "paragraphs": paras[1:], "tags": ["امیرعبداللهیان", "باکو", "جنبش عدم تعهد"]}


NAV = {
    "fars": ["صفحه نخست", "سیاسی", "اقتصادی", "اجتماعی", "بین‌الملل", "ورزشی", "فرهنگی", "استان‌ها"],
    "varzesh3": ["خانه", "فوتبال ایران", "فوتبال جهان", "کشتی", "والیبال", "ویدیو"],
    "arsheh": ["صفحه اصلی", "آخرین اخبار", "سیاسی", "اقتصادی", "ورزشی", "پربازدیدها"],
}


def page(outlet, url, a, t, related, uptitle=None, republished_from=None):
    name, site, cat = OUTLETS[outlet]
    nav = "".join(f'<li><a href="{site}/{i}">{esc(x)}</a></li>' for i, x in enumerate(NAV[outlet]))
    rel = "".join(f'<li><a href="{esc(r[0])}">{esc(r[1])}</a></li>' for r in related)
    body = "".join(f"<p>{esc(p)}</p>\n" for p in a["paragraphs"])
    tags = "".join(f'<a href="{site}/tag/{esc(x)}" rel="tag">{esc(x)}</a> ' for x in a.get("tags", [])[:5])
    up = f'<h3 class="rutitr">{esc(uptitle)}</h3>' if uptitle else ""
    if republished_from:
        # an aggregator page like the seed: title, outlet + "view at source", the teaser, the
        # body with the first paragraph repeated, then "منبع: ..." and its own widgets
        body = (f'<div class="teaser"><p>{esc(a["abstract"])}</p></div><div class="news-body">'
                f'<p>{esc(a["abstract"])}</p>\n{body}<p class="source">منبع: {esc(republished_from[0])}</p></div>')
        main = (f'<div class="news"><h1 class="news-title">{esc(a["title"])}</h1>'
                f'<div class="news-info"><span class="site">وبگاه {esc(name)}</span> '
                f'<a class="ref" href="{esc(republished_from[1])}">مشاهده در مرجع</a> '
                f'<span class="date">{fa_date(t)}</span></div>{body}</div>'
                f'<div class="widget others"><h4>هم اکنون دیگران می خوانند --></h4><ul>{rel}</ul></div>'
                f'<div class="widget more"><h4>بیشتر بخوانید</h4><ul>{rel}</ul></div>')
    else:
        main = (f'<article class="news-detail">{up}<h1 class="title">{esc(a["title"])}</h1>'
                f'<div class="news-date"><time datetime="{t.isoformat()}">{fa_date(t)}</time></div>'
                f'<p class="lead">{esc(a["abstract"])}</p>'
                f'<div class="item-text">{body}</div><div class="tags">برچسب‌ها: {tags}</div>'
                f'<div class="share"><span>اشتراک‌گذاری:</span> <a href="#">تلگرام</a> <a href="#">واتساپ</a> '
                f'<a href="#">توییتر</a></div></article>'
                f'<section class="related-news"><h3>اخبار مرتبط</h3><ul>{rel}</ul></section>'
                f'<section class="comments"><h3>نظرات</h3><p>نظر شما پس از تایید منتشر می‌شود.</p>'
                f'<form action="{site}/comment" method="post"><textarea name="c"></textarea><button>ارسال</button></form></section>')
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>{esc(a["title"])} | {esc(name)}</title>
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:site_name" content="{esc(name)}">
<meta property="og:description" content="{esc(a["abstract"])}">
<meta property="article:published_time" content="{t.isoformat()}">
<link rel="canonical" href="{esc(url)}">
</head><body>
<header class="header"><a class="logo" href="{site}">{esc(name)}</a><nav class="menu"><ul>{nav}</ul></nav>
<form class="search" action="{site}/search"><input name="q" placeholder="جستجو"></form></header>
<main class="container">{main}
<aside class="most-visited"><h3>پربازدیدترین</h3><ol>{rel}</ol></aside></main>
<footer class="footer"><p>تمامی حقوق برای {esc(name)} محفوظ است.</p><ul><li><a href="{site}/about">درباره ما</a></li><li><a href="{site}/contact">تماس با ما</a></li></ul></footer>
</body></html>
"""


def rss(outlet, items):
    name, site, cat = OUTLETS[outlet]
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{esc(name)}</title>'
           f'<link>{site}/</link><description>{esc(name)}</description><language>fa</language>']
    for url, a, t, category in items:
        out.append(f"<item><title>{esc(a['title'])}</title><link>{esc(url)}</link><guid>{esc(url)}</guid>"
                   f"<pubDate>{rfc822(t)}</pubDate><category>{esc(category)}</category>"
                   f"<description>{esc(a['abstract'])}</description></item>")
    out.append("</channel></rss>\n")
    return "\n".join(out)


def main():
    fars = json.load(open(os.path.join(SHARED, "data", "fa-news-dev", "fars-news-1.json"), encoding="utf-8"))
    v3 = json.load(open(os.path.join(SHARED, "data", "fa-news-dev", "varzesh3-1.json"), encoding="utf-8"))
    fars = [a for a in fars if a["cat"] in ("politics", "world") and 2 <= len(a["paragraphs"]) <= 12][:9]
    v3 = [a for a in v3 if 2 <= len(a["paragraphs"]) <= 10][:8]
    seed = seed_article()
    os.makedirs(os.path.join(ROOT, "feeds"), exist_ok=True)
    mapping, feeds = [], {k: [] for k in OUTLETS}

    def add(outlet, url, a, t, category, related, **kw):
        path = os.path.join("pages", outlet, url.rstrip("/").rsplit("/", 1)[-1] + ".html")
        os.makedirs(os.path.join(ROOT, "pages", outlet), exist_ok=True)
        with open(os.path.join(ROOT, path), "w", encoding="utf-8") as f:
            f.write(page(outlet, url, a, t, related, **kw))
        mapping.append((url, path))
        feeds[outlet].append((url, a, t, category))

    fars_items = [(a["link"], a) for a in fars]
    seed_url = "https://www.farsnews.ir/news/14030908000123"
    fars_items.insert(3, (seed_url, seed))
    related_fars = [(u, a["title"]) for u, a in fars_items[:4]]
    for i, (url, a) in enumerate(fars_items):
        t = DAY + timedelta(minutes=25 * i)
        add("fars", url, a, t, "سیاسی", [r for r in related_fars if r[0] != url],
            uptitle="وزیر امور خارجه در نشست عدم تعهد" if a is seed else None)
    related_v3 = [(a["link"], a["title"]) for a in v3[:4]]
    for i, a in enumerate(v3):
        add("varzesh3", a["link"], a, DAY + timedelta(minutes=10 + 30 * i), "ورزشی",
            [r for r in related_v3 if r[0] != a["link"]])
    # the aggregator republishes the seed story and two other Fars stories, crediting Fars
    for i, (url, a) in enumerate([fars_items[3], fars_items[0], fars_items[5]]):
        arsheh_url = f"https://www.arshehonline.ir/news/{880100 + i}"
        t = DAY + timedelta(minutes=25 * fars_items.index((url, a)) + 35)
        add("arsheh", arsheh_url, a, t, "عمومی", related_fars[:3], republished_from=("فارس", url))

    with open(os.path.join(ROOT, "sources.tsv"), "w", encoding="utf-8") as f:
        f.write("# name\tsite_url\tfeed_url\tfeed_file\tcategory\n")
        for k, (name, site, cat) in OUTLETS.items():
            fn = f"feeds/{k}.xml"
            with open(os.path.join(ROOT, fn), "w", encoding="utf-8") as g:
                g.write(rss(k, sorted(feeds[k], key=lambda x: x[2], reverse=True)))
            f.write(f"{name}\t{site}\t{site}/rss\t{fn}\t{cat}\n")
    with open(os.path.join(ROOT, "pages.tsv"), "w", encoding="utf-8") as f:
        f.write("# url\tfile\n")
        for url, path in mapping:
            f.write(f"{url}\t{path}\n")
    print(f"demo: {len(mapping)} pages, {len(OUTLETS)} outlets")


main()
