#!/bin/sh
# qa_site.sh — the demo site as a reader meets it: every link of every page reachable from home
# (articles, stories, outlets, categories, pagers, feeds) answers 2xx; every Atom feed a page
# links to parses in python3-feedparser without a bozo flag; each listing page names its own
# feed; a search spelled three ways finds the same articles; a filtered, paged search keeps its
# filters both ways; Jalali and Gregorian date filters agree; errors are explained in Persian on
# the site and in JSON under /api/; article text shows Persian digits; a filtered search feed
# keeps its filters.
. "$SRC/tests/e2e/lib.inc"
make_demo_db "$WORK/demo.db"
start_server "$WORK/demo.db" --cache-ttl 0 --threads 2

# The crawl: internal href/src/action targets, breadth first, from /; feeds checked by
# feedparser when it is installed (Debian's python3-feedparser, /usr/bin/python3).
/usr/bin/python3 - "$BASE" <<'PY' || fail "crawl"
import html, re, sys, urllib.error, urllib.parse, urllib.request
base = sys.argv[1]
try:
    import feedparser
except ImportError:
    feedparser = None
seen, todo, bad, feeds = {}, ["/"], [], 0
while todo and len(seen) < 500:
    path = todo.pop(0)
    if path in seen:
        continue
    req = urllib.request.Request(base + path, headers={"User-Agent": "qa-crawler-bot"})
    try:
        r = urllib.request.urlopen(req)
        code, body, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        code, body, ctype = e.code, b"", ""
    seen[path] = code
    if code >= 400:
        bad.append(f"{code} {urllib.parse.unquote(path)} (linked from a page)")
        continue
    if "atom" in ctype:
        feeds += 1
        if feedparser:
            d = feedparser.parse(body)
            if d.bozo or d.version != "atom10":
                bad.append(f"feed {path}: {d.get('bozo_exception')}")
    if "html" not in ctype and "atom" not in ctype:
        continue
    text = body.decode("utf-8")
    if "html" in ctype and "<main>" in text:
        alt = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]*)"', text)
        if not alt:
            bad.append(f"{path}: no Atom link in its head")
        elif path.startswith(("/source/", "/category/")) and alt.group(1) != "/feed" + path.split("?")[0]:
            bad.append(f"{path}: its Atom link is {alt.group(1)}, not its own feed")
    for m in re.finditer(r'(?:href|src|action)="([^"]*)"', text):
        link = html.unescape(m.group(1))
        if not link or link.startswith(("http:", "https:", "//", "#", "mailto:")):
            continue
        link = urllib.parse.urljoin(path, link).split("#")[0]
        if link.startswith(base):
            link = link[len(base):]
        if link.startswith("/") and link not in seen:
            todo.append(link)
for b in bad:
    print("  " + b, file=sys.stderr)
assert not bad, f"{len(bad)} of {len(seen)} links failed"
assert len(seen) >= 30 and feeds >= 5, (len(seen), feeds)
PY

fetch() { curl -s -o "$WORK/body" -w '%{http_code}' -A 'Mozilla/5.0 (qa)' "$BASE$1"; }
# results URL: the article ids an /api/search answers, sorted, on one line
results() { curl -s -G "$BASE/api/search" --data-urlencode "q=$1" ${2:+--data-urlencode "$2"} ${3:+--data-urlencode "$3"} |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(str(r["article"]["id"]) for r in d["results"])) if "results" in d else d["error"]["message"])'; }

# a word written with a half-space, joined, and apart: the same articles
ZWNJ=$(printf '\342\200\214')
with_zwnj=$(results "می${ZWNJ}شود"); joined=$(results "میشود"); apart=$(results "می شود")
[ -n "$with_zwnj" ] || fail "no article has می‌شود"
[ "$joined" = "$with_zwnj" ] || fail "میشود finds [$joined], می‌شود finds [$with_zwnj]"
[ "$apart" = "$with_zwnj" ] || fail "«می شود» (written apart) finds [$apart], می‌شود finds [$with_zwnj]"

# a Jalali day and its Gregorian day, in every spelling, filter alike; 1403-09-08 is Jalali
day=$(results "باکو" "from=2024-11-28" "to=2024-11-28")
[ -n "$day" ] || fail "the seed story is not found on its day"
for d in 1403/09/08 ۱۴۰۳/۰۹/۰۸ 1403-09-08 '۸ آذر ۱۴۰۳'; do
  [ "$(results "باکو" "from=$d" "to=$d")" = "$day" ] || fail "date $d does not select the day 2024-11-28"
done
[ -z "$(results "باکو" "from=1403/09/09")" ] || fail "from=1403/09/09 still finds the articles of 1403/09/08"
[ "$(fetch '/api/search?q=x&from=2024-02-30')" = 400 ] || fail "a day that does not exist is not a 400"

# a paged, filtered search keeps its filters on the way forward and back
Q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("باکو"))')
[ "$(fetch "/search?q=$Q&limit=1&to=1403/09/30")" = 200 ] || fail "search page 1"
grep -qF "href=\"/search?q=$Q&amp;to=1403%2F09%2F30&amp;limit=1&amp;page=2\"" "$WORK/body" || fail "the next page drops the filters"
[ "$(fetch "/search?q=$Q&limit=1&to=1403/09/30&page=2")" = 200 ] || fail "search page 2"
grep -q 'rel="prev" href="/search?q=[^"]*limit=1"' "$WORK/body" || fail "page 2 has no link back to page 1"
grep -q '<li><a class="title" href="/article/' "$WORK/body" || fail "page 2 of a two-hit search is empty"
grep -qF 'href="/feed/search?q=' "$WORK/body" || fail "the search page does not link its feed"
[ "$(fetch "/search?q=$Q&from=yesterday")" = 400 ] || fail "a bad date is not a 400"
grep -q 'class="error">تاریخ' "$WORK/body" || fail "a bad date is not explained in Persian"
grep -q 'must be' "$WORK/body" && fail "the search page shows the API's English message"
[ "$(fetch "/search?q=-$Q")" = 400 ] || fail "a query of exclusions only is not a 400"
[ "$(fetch "/search")" = 200 ] || fail "the empty search form"
grep -q 'class="error"' "$WORK/body" && fail "the empty search form shows an error"
[ "$(fetch "/search?q=$Q&source=2")" = 200 ] || fail "search in one outlet"
grep -qF '<input type="hidden" name="source" value="2">' "$WORK/body" || fail "the form forgets the outlet"

# a filtered search's feed is that search: its self link keeps the filters, its title the words
# as the reader wrote them
APART=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("می شود"))')
[ "$(fetch "/feed/search?q=$APART&source=2")" = 200 ] || fail "a filtered search feed"
/usr/bin/python3 - "$WORK/body" <<'PY' || fail "the filtered search feed"
import sys, feedparser
d = feedparser.parse(open(sys.argv[1], "rb").read())
assert not d.bozo, d.bozo_exception
self = [l["href"] for l in d.feed.links if l["rel"] == "self"][0]
assert self.endswith("/feed/search?q=%D9%85%DB%8C%20%D8%B4%D9%88%D8%AF&source=2"), self
assert d.feed.title == "چاپار — جستجوی «می شود»", d.feed.title
assert d.entries and all(e.author == "ورزش سه" for e in d.entries), [e.author for e in d.entries]
PY

# under /api/ every answer is JSON, unknown paths too
[ "$(fetch /api/nothing)" = 404 ] || fail "/api/nothing is not a 404"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["status"] == 404' "$WORK/body" ||
  fail "/api/nothing does not answer JSON"

# past the last page: said so, with the way back to the newest
LAST=$(curl -s "$BASE/api/stories?limit=100" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stories"][-1]["id"])')
[ "$(fetch "/?before=$LAST")" = 200 ] || fail "home past its end"
grep -q 'خبر قدیمی‌تری نیست' "$WORK/body" || fail "the page past the end does not say there is nothing older"
grep -qF 'rel="first" href="/"' "$WORK/body" || fail "no way back to the newest from an older page"

# the seed article: the outlet's ASCII digits shown as Persian digits, URLs untouched
SEED=$(curl -s "$BASE/api/articles?limit=100" | python3 -c '
import json, sys
print([a["id"] for a in json.load(sys.stdin)["articles"] if a["title"].startswith("سفر مهم") and a["source"]["id"] == 1][0])')
[ "$(fetch /article/$SEED)" = 200 ] || fail "seed article"
grep -qF 'اول دی ماه ۱۴۰۰ نیز' "$WORK/body" || fail "the body's digits are not Persian"
grep -qF 'اول دی ماه 1400' "$WORK/body" && fail "the body still shows ASCII digits"
grep -qF 'href="https://www.farsnews.ir/news/14030908000123"' "$WORK/body" || fail "a URL's digits changed"
echo "qa_site: ok"
