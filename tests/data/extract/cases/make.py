#!/usr/bin/env python3
"""Write the behaviour cases of tests/unit/extract/extract.c (python3 stdlib; run from anywhere).

Each case is NAME.html (the page bytes), NAME.expected (the body text, one paragraph per line)
and NAME.meta ("field: value" lines the extracted article must have; "ctype:" is the HTTP
Content-Type given to extract_article). Encodings are the point of most cases: windows-1256
declared by <meta>, by the HTTP header only, not at all (sniffed from lang="fa"), declared after
<title>; numeric references; a UTF-8 BOM; a page declaring windows-1256 but written in UTF-8;
UTF-16; stray invalid bytes. The Persian sentences are written for these tests.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
P = ['خبرگزاری فارس گزارش داد که نشست وزرای خارجه کشورهای منطقه امروز در تهران برگزار شد و نمایندگان ده کشور در آن شرکت کردند.',
     'در این نشست درباره همکاری\u200cهای اقتصادی، امنیت مرزها و گسترش روابط فرهنگی میان کشورهای همسایه گفت\u200cوگو شد و چند سند همکاری امضا شد.',
     'سخنگوی وزارت امور خارجه گفت: نتایج این نشست در روزهای آینده به اطلاع مردم خواهد رسید و نشست بعدی سال آینده در باکو برگزار می\u200cشود.',
     'کارشناسان این نشست را گامی مهم در جهت تقویت همکاری\u200cهای منطقه\u200cای دانستند و بر ادامه گفت\u200cوگوها میان کشورهای عضو تأکید کردند.']
TITLE = 'نشست وزرای خارجه منطقه در تهران برگزار شد'


def page(paras, head='', lang='fa', extra_body=''):
    ps = ''.join(f'<p>{p}</p>\n' for p in paras)
    return (f'<html lang="{lang}" dir="rtl"><head>{head}</head><body>'
            f'<ul class="menu"><li><a href="/">خانه</a></li><li><a href="/p">سیاست</a></li></ul>'
            f'<div class="news-text">\n{ps}</div>{extra_body}'
            f'<div class="footer">همه حقوق محفوظ است</div></body></html>')


def cp(s):
    """As a windows-1256 site stores it: Arabic yeh, ASCII digits."""
    return s.replace('ی', 'ي')


def write(name, data, paras, meta):
    (HERE / f'{name}.html').write_bytes(data)
    (HERE / f'{name}.expected').write_text(''.join(p + '\n' for p in paras), encoding='utf-8')
    (HERE / f'{name}.meta').write_text(''.join(f'{k}: {v}\n' for k, v in meta.items()), encoding='utf-8')


def main():
    title = f'<title>{TITLE} - خبرگزاری نمونه</title>'
    cps = [cp(p) for p in P]
    write('cp1256-meta', cp(page(cps, '<meta charset="windows-1256">' + cp(title))).encode('cp1256'), cps,
          {'title': cp(TITLE)})
    write('cp1256-http', cp(page(cps, cp(title))).encode('cp1256'), cps,
          {'ctype': 'text/html; charset=windows-1256', 'title': cp(TITLE)})
    write('cp1256-sniffed', cp(page(cps, cp(title))).encode('cp1256'), cps, {'title': cp(TITLE)})
    write('cp1256-title-first', cp(page(cps, cp(title) + '<meta http-equiv="Content-Type" '
                                        'content="text/html; charset=windows-1256">')).encode('cp1256'),
          cps, {'title': cp(TITLE)})
    write('entities', page(P, title).encode('ascii', 'xmlcharrefreplace'), P, {'title': TITLE})
    hexed = page(P, title).encode('ascii', 'xmlcharrefreplace').decode('ascii')
    hexed = __import__('re').sub(r'&#(\d+);', lambda m: '&#x%X;' % int(m.group(1)), hexed)
    write('entities-hex', hexed.encode('ascii'), P, {'title': TITLE})
    write('bom-utf8', b'\xef\xbb\xbf' + page(P, '<meta charset="utf-8">' + title).encode('utf-8'), P,
          {'title': TITLE})
    write('lying-meta', page(P, '<meta charset="windows-1256">' + title).encode('utf-8'), P, {'title': TITLE})
    write('utf16le', page(P, title).encode('utf-16'), P, {'title': TITLE})
    bad = page(P, '<meta charset="utf-8">' + title).encode('utf-8').replace('گزارش داد'.encode(), b'\xff\xfe')
    write('invalid-utf8', bad, [P[0].replace('گزارش داد', '\ufffd\ufffd')] + P[1:], {'title': TITLE})
    ld = {'@context': 'https://schema.org', '@type': 'NewsArticle', 'headline': TITLE,
          'datePublished': '2024-11-28T10:30:00+03:30', 'dateModified': '2024-11-28T12:00:00+03:30',
          'author': {'@type': 'Person', 'name': 'مریم رضایی'},
          'publisher': {'@type': 'Organization', 'name': 'خبرگزاری نمونه'},
          'image': {'@type': 'ImageObject', 'url': '/images/main.jpg'}}
    head = (f'<meta charset="utf-8">{title}<link rel="canonical" href="/news/123">'
            f'<meta property="og:image" content="/og.jpg"><meta name="description" content="خلاصه خبر">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=True)}</script>')
    body = '<div class="rutitr">در نشست امروز</div>'
    write('metadata', page(P, head, extra_body='').replace('<body>', '<body>' + body).encode('utf-8'), P,
          {'title': TITLE, 'uptitle': 'در نشست امروز', 'published': '2024-11-28T07:00:00Z',
           'modified': '2024-11-28T08:30:00Z', 'author': 'مریم رضایی', 'site_name': 'خبرگزاری نمونه',
           'image': 'https://news.example.ir/images/main.jpg', 'canonical_url': 'https://news.example.ir/news/123',
           'language': 'fa'})
    # what the prefilter drops before parsing: nested <nav>s, an <aside>, a <footer> holding the
    # page's JSON-LD (kept) and a script whose string holds "</nav>"; an unclosed <nav> is kept
    ld_footer = {'@context': 'https://schema.org', '@type': 'NewsArticle', 'headline': TITLE,
                 'author': {'@type': 'Person', 'name': 'مریم رضایی'}}
    dropped = page(P, f'<meta charset="utf-8">{title}',
                   extra_body=f'<footer><p>درباره ما</p><script type="application/ld+json">'
                              f'{json.dumps(ld_footer, ensure_ascii=True)}</script></footer>')
    dropped = dropped.replace('<body>', '<body><nav><ul><li><a href="/">خانه</a></li><nav><a href="/x">'
                              'ورزشی</a></nav><li><script>var s = "</nav>";</script><a href="/y">فرهنگی'
                              '</a></li></ul></nav><aside><p>پربازدیدترین خبرها</p></aside><nav class="crumbs">'
                              '<a href="/">خانه</a>')
    write('dropped-blocks', dropped.encode('utf-8'), P, {'title': TITLE, 'author': 'مریم رضایی'})
    # runs of spaces are collapsed before parsing, but not inside <pre>
    spaced = page(P, f'<meta charset="utf-8">{title}').replace(
        f'<p>{P[3]}</p>', f'<p>{P[3]}</p>\n    \n   <PRE class="code">x   =   1\n\ty  =  2</PRE>   <p>پایان   خبر</p>')
    write('pre-spaces', spaced.encode('utf-8'), P + ['x   =   1', 'y  =  2', 'پایان خبر'], {'title': TITLE})
    # the seed's shape: teaser, the same paragraph again, a source line and the aggregator's widgets
    seed = (f'<html lang="fa"><head><meta charset="utf-8">{title}'
            f'<meta property="og:title" content="{TITLE}"></head><body>'
            f'<div class="top">پنجشنبه 8 آذر 1403</div>'
            f'<div class="post"><h2>{TITLE}</h2><div class="src">وبگاه عرشه آنلاین <a href="https://farsnews.ir/x">مشاهده در مرجع</a></div>'
            f'<div class="teaser"><p>{P[0]}</p></div>'
            f'<div class="content"><h1>{TITLE}</h1><p>{P[1]}</p><p>{P[0]}</p><p>{P[2]}</p><p>{P[3]}</p>'
            f'<p>منبع: فارس</p></div>'
            f'<div class="widget"><span>هم اکنون دیگران می خوانند --&gt;</span><ul><li><a href="/1">خبر یک</a></li><li><a href="/2">خبر دو</a></li></ul></div>'
            f'<div class="widget2"><h4>بیشتر بخوانید</h4><ul><li><a href="/3">خبر سه</a></li><li><a href="/4">خبر چهار</a></li></ul></div>'
            f'</div></body></html>')
    # the teaser is the lead (a field of its own), so the body is the content block as it stands
    write('seed-aggregator', seed.encode('utf-8'), [P[1], P[0], P[2], P[3]],
          {'title': TITLE, 'source_credit': 'فارس', 'lead': P[0]})


def seed_unmarked():
    """The seed's shape with a teaser block no lead class names and no description: the body's
    repeat of the teaser goes, by the repeated-first-block rule."""
    title = f'<title>{TITLE}</title>'
    html_ = (f'<html lang="fa"><head><meta charset="utf-8">{title}</head><body>'
             f'<div class="post"><div class="box-a"><p>{P[0]}</p></div>'
             f'<div class="box-b"><p>{P[1]}</p><p>{P[0]}</p><p>{P[2]}</p><p>{P[3]}</p></div></div>'
             f'</body></html>')
    write('seed-unmarked', html_.encode('utf-8'), [P[0], P[1], P[2], P[3]], {'title': TITLE})


if __name__ == '__main__':
    seed_unmarked()
    main()
