#!/usr/bin/env python3
"""Build chapar's Persian extraction test pages (python3 stdlib only; deterministic).

Each page puts one article of ../shared/data/fa-news-dev (Fars News or Varzesh3, as scraped by
language-ml/course-nlp-ir-1-text-exploring, Apache-2.0; texts belong to the agencies) into a
realistic full page of an Iranian news site: menus, breadcrumbs, روتیتر, lead, share bar, short
link, tags, related and most-read boxes, comments and a comment form, footer, Jalali dates. The
page kinds follow the CMSs most Iranian outlets run (Asam, Nastooh, IranSamaneh), a sports site
written entirely in numeric character references, and an aggregator that republishes another
outlet's story like the seed page (teaser shown twice, "منبع: فارس", "هم اکنون دیگران می خوانند").
Some pages are windows-1256. Writes NN-kind/{page.html, expected.txt, meta.json} beside itself:
expected.txt is the article body (paragraphs, one per line; no title, no lead block unless the
page prints the lead inside the body), meta.json the title, publication time, source credit
and whether the date is only in Persian text on the page.

Usage: python3 gen.py [path/to/fa-news-dev]
"""
import html, json, os, random, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / '..' / 'shared' / 'data' / 'fa-news-dev'
TEHRAN = timezone(timedelta(hours=3, minutes=30))
MONTHS = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی',
          'بهمن', 'اسفند']
WEEKDAYS = ['دوشنبه', 'سه\u200cشنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه', 'شنبه', 'یکشنبه']  # Monday first
FA_DIGITS = str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹')


def jalali(g):
    """Gregorian date -> (jy, jm, jd): day count from 1 Farvardin 1 AP with the 33-year rule
    (exact for 1300-1500 AP, which is all this script makes)."""
    # count from a known anchor: 1 Farvardin 1403 = 2024-03-20
    anchor = datetime(2024, 3, 20).date()
    d = (g - anchor).days
    jy, doy = 1403, d
    def ylen(y):  # leap years of the 33-year cycle used by the Iranian calendar for this range
        return 366 if y in (1399, 1403, 1408) else 365
    while doy < 0:
        jy -= 1
        doy += ylen(jy)
    while doy >= ylen(jy):
        doy -= ylen(jy)
        jy += 1
    if doy < 186:
        return jy, doy // 31 + 1, doy % 31 + 1
    doy -= 186
    return jy, doy // 30 + 7, doy % 30 + 1


def fa_date(dt, digits=True, time=True):
    jy, jm, jd = jalali(dt.date())
    s = f'{WEEKDAYS[dt.weekday()]} {jd} {MONTHS[jm - 1]} {jy}'
    if time:
        s += f' - {dt.hour:02d}:{dt.minute:02d}'
    return s.translate(FA_DIGITS) if digits else s


def esc(s):
    return html.escape(s, quote=True)


def menu(items, cls='menu'):
    return f'<ul class="{cls}">' + ''.join(f'<li><a href="/{i}">{esc(t)}</a></li>' for i, t in enumerate(items)) + '</ul>'


ZWNJ = '\u200c'  # zero-width non-joiner, written by name so it shows in the source
MOST_COMMENTED = 'پربحث' + ZWNJ + 'ترین' + ZWNJ + 'ها'
MOST_VISITED = 'پربازدیدترین' + ZWNJ + 'ها'
NAV = ['صفحه نخست', 'سیاسی', 'اقتصادی', 'اجتماعی', 'فرهنگی', 'ورزشی', 'بین\u200cالملل', 'استان\u200cها', 'عکس', 'فیلم']


def link_box(heading, titles, cls, tag='h3'):
    lis = ''.join(f'<li><a href="/news/{1000 + i}">{esc(t)}</a></li>' for i, t in enumerate(titles))
    return f'<div class="{cls}"><{tag} class="box-title">{esc(heading)}</{tag}><ul>{lis}</ul></div>'


def comments(rng):
    names = ['علی', 'مریم', 'ناشناس', 'رضا', 'زهرا']
    texts = ['خیلی خوب بود، ممنون از گزارش کاملتان', 'این خبر درست نیست و باید پیگیری شود',
             'کی قرار است این وضعیت درست شود؟ ما منتظریم', 'دست مریزاد به خبرنگار']
    items = ''.join(f'<li class="comment"><span class="comment-author">{rng.choice(names)}</span>'
                    f'<p class="comment-text">{rng.choice(texts)}</p></li>' for _ in range(rng.randint(2, 4)))
    form = ('<form class="comment-form" action="/comment" method="post"><label>نام</label>'
            '<input name="name"><label>ایمیل</label><input name="email"><textarea name="body"></textarea>'
            '<button type="submit">ارسال نظر</button></form>')
    return f'<div id="comments" class="comments"><h3>نظرات</h3><ul>{items}</ul>{form}</div>'


FOOTER = ('<footer class="footer"><div class="footer-links">' + menu(['درباره ما', 'تماس با ما', 'آرشیو',
          'خبرنامه', 'آر اس اس']) + '</div><p class="copyright">کلیه حقوق این سایت محفوظ است. '
          'استفاده از مطالب با ذکر منبع بلامانع است.</p></footer>')


def paragraphs_html(paras):
    return ''.join(f'<p>{esc(p)}</p>\n' for p in paras)


def head(title, site, extra='', charset='utf-8'):
    return (f'<!DOCTYPE html>\n<html lang="fa" dir="rtl"><head><meta charset="{charset}">'
            f'<title>{esc(title)} - {esc(site)}</title>'
            f'<link rel="stylesheet" href="/css/site.css"><script>var _gaq=[["_setAccount","UA-1"]];'
            f'function share(u){{window.open(u)}}</script><style>.menu li{{float:right}}</style>{extra}</head>')


# ---- the page kinds ----------------------------------------------------------------------------

def page_asam(a, rng, others, dt, site='خبرگزاری تسنیم', meta_date=True, source=None):
    """Asam CMS (Tasnim, Mehr, ...): rutitr, lead in a header block, item-text body."""
    extra = ''
    if meta_date:
        extra = (f'<meta property="og:title" content="{esc(a["title"])}">'
                 f'<meta property="og:site_name" content="{esc(site)}">'
                 f'<meta property="article:published_time" content="{dt.isoformat()}">'
                 f'<meta name="description" content="{esc(a["abstract"])}">')
    up = a.get('uptitle')
    body = paragraphs_html(a['paragraphs'])
    if source:
        body += f'<p class="source">منبع: {esc(source)}</p>'
    return head(a['title'], site, extra) + f'''<body>
<div class="header"><div class="logo"><a href="/"><img src="/logo.png" alt="{esc(site)}"></a></div>
{menu(NAV)}<div class="search"><form action="/search"><input name="q"><button>جستجو</button></form></div></div>
<div class="breadcrumb"><a href="/">صفحه نخست</a> » <a href="/1">سیاسی</a></div>
<div class="container"><div class="col-main">
<article class="news-item">
<div class="item-header">
{f'<h3 class="rutitr">{esc(up)}</h3>' if up else ''}
<h1 class="title">{esc(a["title"])}</h1>
<div class="item-date"><span>{fa_date(dt)}</span></div>
<p class="lead">{esc(a["abstract"])}</p>
</div>
<div class="share-box"><a href="https://t.me/share?url=x">تلگرام</a> <a href="https://twitter.com/share">توییتر</a> <a href="#">اشتراک گذاری</a></div>
<div class="item-text">
{body}</div>
<div class="short-link"><span>لینک کوتاه:</span> <input value="https://tn.ai/{rng.randint(1000000, 9999999)}"> <a href="#">کپی شد</a></div>
<div class="tags"><span>برچسب\u200cها:</span> {" ".join(f'<a href="/tag/{i}">{esc(t)}</a>' for i, t in enumerate(a.get("tags") or ["ایران", "اخبار"]))}</div>
</article>
{link_box("اخبار مرتبط", others[:4], "related-news")}
{comments(rng)}
</div>
<div class="col-side">{link_box("پربازدیدترین", others[4:9], "most-visited")}{link_box("آخرین اخبار", others[9:14], "latest-news")}
<div class="ads"><a href="/ad"><img src="/ads/banner.gif"></a></div></div></div>
{FOOTER}</body></html>'''


def page_nastooh(a, rng, others, dt, site='خبرگزاری ایسنا', meta_date=False, source=None):
    """Nastooh CMS (ISNA, IRNA, ...): item-summary lead, item-body > item-text, news code."""
    extra = f'<meta name="og:site_name" content="{esc(site)}">'
    if meta_date:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a['title'],
              "datePublished": dt.isoformat(), "publisher": {"@type": "Organization", "name": site},
              "description": a['abstract']}
        extra += f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    body = paragraphs_html(a['paragraphs'])
    if source:
        body += f'<p>منبع: {esc(source)}</p>'
    up = a.get('uptitle')
    return head(a['title'], site, extra) + f'''<body class="news">
<header id="header"><nav class="navbar" role="navigation">{menu(NAV, "nav")}</nav>
<div class="top-news-ticker"><a href="/t1">{esc(others[0])}</a></div></header>
<main id="main"><div class="row">
<section class="col-md-8">
<div class="item-nav"><ul class="breadcrumb"><li><a href="/">خانه</a></li><li><a href="/sport">ورزشی</a></li></ul></div>
<div class="item-header">
<div class="item-date"><span>{fa_date(dt)}</span></div>
<div class="item-code"><span>کد خبر: {rng.randint(100000, 999999)}</span></div>
{f'<div class="uptitle">{esc(up)}</div>' if up else ''}
<h1 class="first-title">{esc(a["title"])}</h1>
<p class="item-summary">{esc(a["abstract"])}</p>
</div>
<div class="item-body"><div class="item-text">
{body}</div></div>
<div class="item-footer"><div class="share"><a href="#">اشتراک گذاری</a><a href="#">نسخه چاپی</a></div>
<section class="box tags"><ul>{"".join(f'<li><a href="/tag/{i}">{esc(t)}</a></li>' for i, t in enumerate(a.get("tags") or ["ورزش"]))}</ul></section></div>
<section class="box related"><header><h2>خبرهای مرتبط</h2></header><ul>{"".join(f'<li><a href="/n/{i}">{esc(t)}</a></li>' for i, t in enumerate(others[1:5]))}</ul></section>
{comments(rng)}
</section>
<aside class="col-md-4">{link_box(MOST_COMMENTED, others[5:10], "box most-commented")}{link_box(MOST_VISITED, others[10:15], "box most-visited")}</aside>
</div></main>
{FOOTER}</body></html>'''


def page_iransamaneh(a, rng, others, dt, site='پایگاه خبری صبح', meta_date=False, source=None,
                     charset='windows-1256'):
    """IranSamaneh CMS (many provincial and older sites): table layout, news_body, uptitle,
    often windows-1256."""
    body = paragraphs_html(a['paragraphs'])
    if source:
        body += f'<div>منبع: {esc(source)}</div>'
    up = a.get('uptitle')
    extra = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    if meta_date:
        extra += f'<meta property="article:published_time" content="{dt.isoformat()}">'
    return (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">\n<html dir="rtl">'
            f'<head>{extra}<title>{esc(site)} - {esc(a["title"])}</title></head>') + f'''<body>
<table width="100%" class="main_table"><tr><td colspan="2" class="header_td">{menu(NAV, "top_menu")}</td></tr>
<tr><td class="right_col" width="25%">{link_box("آخرین مطالب", others[:6], "last_news", "div")}{link_box("پربازدیدترین اخبار", others[6:12], "most_view", "div")}</td>
<td class="center_col">
<div class="news_path"><a href="/">صفحه اصلی</a> &gt; <a href="/fa/service/1">اخبار</a></div>
<div class="news_nav news_pdate_c">تاریخ انتشار: {fa_date(dt, digits=False)}</div>
<div class="news_id_c">کد خبر: {rng.randint(10000, 99999)}</div>
{f'<div class="uptitle">{esc(up)}</div>' if up else ''}
<div class="title"><h1 style="display:inline">{esc(a["title"])}</h1></div>
<div class="subtitle">{esc(a["abstract"])}</div>
<div class="body"><div class="news_body">
{body}</div></div>
<div class="news_tags">کلید واژه ها: {" - ".join(esc(t) for t in (a.get("tags") or ["اخبار"]))}</div>
<div class="news_print_botton"><a href="/print">نسخه چاپی</a> <a href="/send">ارسال به دوستان</a></div>
{link_box("مطالب مرتبط", others[12:16], "related_news", "div")}
<div class="comments_box"><div>نظرات بینندگان</div>{comments(rng)}</div>
</td></tr></table>
<div class="footer">طراحی و تولید: ایران سامانه</div></body></html>'''


def page_entities(a, rng, others, dt, site='ورزش سه'):
    """A sports page whose Persian is written entirely as numeric character references."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a['title'],
          "datePublished": dt.isoformat(), "author": {"@type": "Person", "name": "تحریریه"}}
    extra = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=True)}</script>'
    return head(a['title'], site, extra) + f'''<body>
<div id="top-menu">{menu(NAV)}</div>
<div class="page-wrapper"><div class="news-page">
<div class="news-info"><span class="date">{fa_date(dt)}</span></div>
<h1 class="headline">{esc(a["title"])}</h1>
<div class="lead">{esc(a["abstract"])}</div>
<div class="news-text">
{paragraphs_html(a['paragraphs'])}</div>
<div class="news-tags">{" ".join(f'<a href="/tag/{i}">{esc(t)}</a>' for i, t in enumerate(a.get("tags") or ["فوتبال"]))}</div>
{link_box("بیشتر بخوانید", others[:3], "read-more")}
</div><div class="sidebar">{link_box("پربازدیدترین", others[3:9], "most-viewed")}</div></div>
{FOOTER}</body></html>'''


def page_aggregator(a, rng, others, dt, outlet='فارس', site='عرشه آنلاین'):
    """An aggregator republishing an outlet's story, like the seed page: the teaser (first
    paragraph) shown, then the body repeating it, "منبع: فارس", and widgets."""
    paras = a['paragraphs']
    return head(a['title'], site, f'<meta property="og:title" content="{esc(a["title"])}">'
                f'<meta name="description" content="{esc(paras[0])}">') + f'''<body>
<div class="topbar"><span class="today">{fa_date(dt, time=False)}</span>{menu(NAV)}</div>
<div class="content-wrap"><div class="post">
<h2 class="post-title"><a href="/p/1">{esc(a["title"])}</a></h2>
<div class="post-source"><a href="https://www.{outlet}.ir">وبگاه {esc(outlet)}</a> <a class="btn" href="https://www.farsnews.ir/news/1">مشاهده در مرجع</a></div>
<div class="post-meta"><time datetime="{dt.isoformat()}">{fa_date(dt)}</time></div>
<h1>{esc(a["title"])}</h1>
<div class="summary"><p>{esc(paras[0])}</p></div>
<div class="post-content">
{paragraphs_html(paras)}
<p>منبع: {esc(outlet)}</p>
</div>
<div class="others-reading"><div>هم اکنون دیگران می خوانند --&gt;</div><ul>{"".join(f'<li><a href="/p/{i}">{esc(t)}</a></li>' for i, t in enumerate(others[:5]))}</ul></div>
<div class="more"><h4>بیشتر بخوانید</h4><ul>{"".join(f'<li><a href="/q/{i}">{esc(t)}</a></li>' for i, t in enumerate(others[5:9]))}</ul></div>
</div></div>
{FOOTER}</body></html>'''


def cp1256(s):
    """Text as a windows-1256 page would carry it: Persian yeh as Arabic yeh, Persian digits as
    ASCII; what the code page still lacks becomes a numeric reference."""
    return s.replace('ی', 'ي').translate(str.maketrans('۰۱۲۳۴۵۶۷۸۹', '0123456789'))


def main():
    fars = []
    for f in ('fars-news-1.json', 'fars-news-2.json', 'fars-news-3.json'):
        fars += json.loads((DATA / f).read_text(encoding='utf-8'))
    v3 = json.loads((DATA / 'varzesh3-1.json').read_text(encoding='utf-8'))
    rng = random.Random(1403)
    good = lambda a: 3 <= len(a['paragraphs']) <= 12 and 600 <= len(' '.join(a['paragraphs'])) <= 6000
    short = [a for a in fars if 1 <= len(a['paragraphs']) <= 2 and 120 <= len(' '.join(a['paragraphs'])) <= 450]
    fars = [a for a in fars if good(a)]
    v3 = [a for a in v3 if isinstance(a['paragraphs'], list) and good(a)]
    titles = [a['title'] for a in fars[-40:]]
    uptitles = ['در گفت\u200cوگو با فارس مطرح شد', 'گزارش', 'مسئول کشوری خبر داد', None, 'در نشست خبری عنوان شد']
    kinds = [('asam', True, None), ('asam', False, None), ('asam', True, 'ایرنا'), ('asam', True, None),
             ('asam', False, None),
             ('nastooh', True, None), ('nastooh', False, None), ('nastooh', True, 'فارس'),
             ('nastooh', False, None), ('nastooh', True, None),
             ('iransamaneh', False, None), ('iransamaneh', True, 'ایسنا'), ('iransamaneh', False, None),
             ('iransamaneh-utf8', True, None), ('iransamaneh', True, None),
             ('entities', True, None), ('entities', True, None), ('entities', True, None),
             ('entities', True, None),
             ('aggregator', True, 'فارس'), ('aggregator', True, 'فارس'), ('aggregator', True, 'تسنیم'),
             ('aggregator', True, 'فارس'), ('aggregator', True, 'مهر'),
             # short news items (under 500 characters), normal on Persian news sites
             ('asam-short', True, None), ('nastooh-short', False, None), ('asam-short', False, None)]
    for n, (kind, meta_date, source) in enumerate(kinds, 1):
        pool = v3 if kind == 'entities' else short if kind.endswith('-short') else fars
        a = dict(pool[rng.randrange(len(pool) - (0 if pool is short else 40))])
        a['uptitle'] = uptitles[n % len(uptitles)] if kind.split('-')[0] in ('asam', 'nastooh', 'iransamaneh') else None
        others = rng.sample(titles, 16)
        dt = datetime(2023, 1, 1, tzinfo=TEHRAN) + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        dt = dt.replace(second=0)
        charset = 'utf-8'
        if kind.startswith('asam'):
            page = page_asam(a, rng, others, dt, meta_date=meta_date, source=source)
        elif kind.startswith('nastooh'):
            page = page_nastooh(a, rng, others, dt, meta_date=meta_date, source=source)
        elif kind.startswith('iransamaneh'):
            charset = 'utf-8' if kind.endswith('utf8') else 'windows-1256'
            if charset != 'utf-8':
                a = {k: (cp1256(v) if isinstance(v, str) else [cp1256(x) for x in v] if isinstance(v, list) else v)
                     for k, v in a.items()}
                others = [cp1256(t) for t in others]
                source = cp1256(source) if source else None
            page = page_iransamaneh(a, rng, others, dt, meta_date=meta_date, source=source, charset=charset)
            if charset != 'utf-8':
                page = cp1256(page)
        elif kind == 'entities':
            page = page_entities(a, rng, others, dt)
        else:
            page = page_aggregator(a, rng, others, dt, outlet=source)
        out = HERE / f'{n:02d}-{kind}'
        out.mkdir(exist_ok=True)
        if kind == 'entities':
            data = page.encode('ascii', 'xmlcharrefreplace')
        elif charset == 'windows-1256':
            data = page.encode('cp1256', 'xmlcharrefreplace')
        else:
            data = page.encode('utf-8')
        (out / 'page.html').write_bytes(data)
        (out / 'expected.txt').write_text('\n'.join(a['paragraphs']) + '\n', encoding='utf-8')
        date_text_only = not meta_date and kind != 'aggregator'
        (out / 'meta.json').write_text(json.dumps({
            'kind': kind, 'charset': charset, 'title': a['title'], 'uptitle': a.get('uptitle'),
            'published': dt.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'date_in_text_only': date_text_only, 'source_credit': source if kind == 'aggregator' or source else None,
            'article': a.get('link')}, ensure_ascii=False, indent=1) + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
