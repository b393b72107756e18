#!/bin/sh
# web_pages.sh — the demo database served: home, the seed article laid out like the seed page
# (title, outlet, view-at-source link, Jalali date, source line, both boxes), repaired text,
# the JSON API shapes and cursors, 4xx for unknown ids, page views counted.
. "$SRC/tests/e2e/lib.inc"
make_demo_db "$WORK/demo.db"
start_server "$WORK/demo.db" --cache-ttl 0 --threads 2

fetch() { curl -s -o "$WORK/body" -w '%{http_code}' -A 'Mozilla/5.0 (e2e)' "$BASE$1"; }

[ "$(fetch /)" = 200 ] || fail "home page"
grep -q 'dir="rtl" lang="fa"' "$WORK/body" || fail "home is not rtl/fa"
grep -q 'سفر مهم امیرعبداللهیان' "$WORK/body" || fail "home lacks the seed article"

# the seed story as Fars published it, found through the API
[ "$(fetch '/api/articles?limit=100')" = 200 ] || fail "/api/articles"
python3 - "$WORK/body" >"$WORK/ids" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["articles"], list) and "next" in d, "shape"
for a in d["articles"]:
    for k in ("id", "url", "title", "source", "published", "html_url", "views"):
        assert k in a, k
seed = [a for a in d["articles"] if a["title"].startswith("سفر مهم امیرعبداللهیان")]
assert len(seed) == 2, f"the seed story should appear twice (Fars and the aggregator), got {len(seed)}"
fars = [a for a in seed if a["source"]["name"] == "خبرگزاری فارس"][0]
agg = [a for a in seed if a["source"]["name"] == "عرشه آنلاین"][0]
print(fars["id"], agg["id"], len(d["articles"]))
PY
read FARS AGG TOTAL <"$WORK/ids"
[ "$TOTAL" -ge 20 ] || fail "only $TOTAL demo articles"

[ "$(fetch /article/$FARS)" = 200 ] || fail "seed article page"
for want in '<h1>سفر مهم امیرعبداللهیان به جمهوری آذربایجان / در باکو چه خبر است؟</h1>' \
            'class="outlet" href="/source/' 'خبرگزاری فارس' 'مشاهده در مرجع' \
            'پنجشنبه ۸ آذر ۱۴۰۳' 'منبع: ' 'هم اکنون دیگران می‌خوانند' 'بیشتر بخوانید' \
            'href="https://www.farsnews.ir/news/14030908000123"'; do
  grep -qF "$want" "$WORK/body" || fail "seed article page lacks: $want"
done
# the republished copy names the original outlet and carries none of the aggregator's widgets
[ "$(fetch /article/$AGG)" = 200 ] || fail "aggregator copy"
grep -qF 'منبع: فارس' "$WORK/body" || fail "the aggregator copy does not credit Fars"
body=$(sed -n 's/.*<div class="body">\(.*\)<\/div><p class="credit">.*/\1/p' "$WORK/body" | tr -d '\n')
case "$body" in *'مشاهده در مرجع'*|*'-->'*|*'بیشتر بخوانید'*) fail "aggregator widgets leaked into the body";; esac

# JSON for one article; 4xx for bad ids
[ "$(fetch /api/articles/$FARS)" = 200 ] || fail "/api/articles/ID"
python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['article']; assert a['id']==$FARS and a['body_text']" "$WORK/body" || fail "article JSON"
[ "$(fetch /api/articles/987654)" = 404 ] || fail "unknown API id is not 404"
[ "$(fetch /article/987654)" = 404 ] || fail "unknown article is not 404"
[ "$(fetch /article/x1)" = 400 ] || fail "malformed id is not 400"
[ "$(fetch '/api/articles?limit=500')" = 400 ] || fail "bad limit is not 400"
[ "$(fetch /healthz)" = 200 ] || fail "/healthz"
[ "$(fetch /assets/vazirmatn-regular.woff2)" = 200 ] || fail "font"

# keyset pagination: pages of 7 cover every article once
python3 - "$BASE" "$TOTAL" <<'PY' || fail "pagination"
import json, sys, urllib.request
base, total = sys.argv[1], int(sys.argv[2])
seen, url = [], "/api/articles?limit=7"
while url:
    d = json.load(urllib.request.urlopen(base + url))
    seen += [a["id"] for a in d["articles"]]
    url = d["next"]
assert len(seen) == len(set(seen)) == total, (len(seen), len(set(seen)), total)
PY

# the seed story: one story with both outlets, led by Fars's original
[ "$(fetch /api/articles/$FARS)" = 200 ] || fail "/api/articles/ID"
STORY=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['article']['story_id'])" "$WORK/body")
[ "$(fetch /api/stories/$STORY)" = 200 ] || fail "/api/stories/ID"
python3 - "$WORK/body" "$FARS" "$AGG" <<'PY' || fail "the seed story is not one story led by Fars"
import json, sys
s = json.load(open(sys.argv[1]))["story"]
ids = sorted(a["id"] for a in s["articles"])
assert ids == sorted([int(sys.argv[2]), int(sys.argv[3])]), ids
assert s["lead"]["id"] == int(sys.argv[2]) and s["sources_count"] == 2, s["lead"]["id"]
PY
[ "$(fetch /story/$STORY)" = 200 ] || fail "story page"
grep -qF 'این خبر در ۲ رسانه' "$WORK/body" || fail "the story page does not list both outlets"
[ "$(fetch '/api/stories?limit=5')" = 200 ] || fail "/api/stories"
[ "$(fetch '/api/trending?limit=5')" = 200 ] || fail "/api/trending"
[ "$(fetch /story/987654)" = 404 ] || fail "unknown story is not 404"

# search finds the seed story however it is typed (ZWNJ, Arabic letters)
[ "$(fetch '/api/search?q=%D8%A8%D8%A7%DA%A9%D9%88')" = 200 ] || fail "/api/search"
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; assert any(x['article']['id']==$FARS for x in r), r" "$WORK/body" || fail "search for باکو misses the seed article"
[ "$(fetch '/search?q=%DA%AF%D9%81%D8%AA%D9%88%DA%AF%D9%88')" = 200 ] || fail "search page"
grep -q '<mark>' "$WORK/body" || fail "the search page has no highlighted snippet"
[ "$(fetch '/api/search?q=%22')" = 400 ] || fail "a query with no word is not 400"

# Atom feeds parse with chapar's own feed parser; /metrics is Prometheus text; categories
for f in /feed /feed/source/1 "/feed/search?q=%D8%A8%D8%A7%DA%A9%D9%88"; do
  [ "$(fetch "$f")" = 200 ] || fail "$f"
  "$CHAPAR" feed parse --json "$WORK/body" >"$WORK/feed.json" || fail "$f does not parse as a feed"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['entries'] and all(e.get('title') and e.get('link') for e in d['entries'])" "$WORK/feed.json" || fail "$f entries"
done
[ "$(fetch /metrics)" = 200 ] || fail "/metrics"
grep -q '^chapar_http_requests_total [0-9]' "$WORK/body" || fail "/metrics lacks the request counter"
[ "$(fetch /category/%D8%B3%DB%8C%D8%A7%D8%B3%DB%8C)" = 200 ] || fail "category page"
[ "$(fetch /category/%D9%86%DB%8C%D8%B3%D8%AA)" = 404 ] || fail "unknown category is not 404"

# conditional GET: a page carries an ETag; asking again with it gives 304 and no body, with any
# other tag the page; a list of tags and the weak form match too
etag=$(curl -s -D - -o /dev/null "$BASE/article/$FARS" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r')
case "$etag" in '"'*'"') ;; *) fail "the article page has no ETag (got '$etag')";; esac
cond() { curl -s -o "$WORK/cond" -w '%{http_code}' -H "If-None-Match: $1" "$BASE/article/$FARS"; }
[ "$(cond "$etag")" = 304 ] || fail "If-None-Match with the page's ETag is not 304"
[ ! -s "$WORK/cond" ] || fail "a 304 carries a body"
[ "$(cond "\"0\", W/$etag")" = 304 ] || fail "a weak tag in a list does not match"
[ "$(cond '"0123456789abcdef"')" = 200 ] || fail "another ETag does not give the page"
grep -q '<h1>' "$WORK/cond" || fail "the page after a stale ETag is empty"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/admin")" != 304 ] || fail "a private page answered 304"

# page views: three human views and one bot view of the seed article are counted as three
views_of() {
  fetch /api/articles/$1 >/dev/null
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['article']['views'])" "$WORK/body"
}
sleep 1.5
before=$(views_of "$FARS")
for i in 1 2 3; do fetch /article/$FARS >/dev/null; done
curl -s -o /dev/null -A 'Googlebot/2.1' "$BASE/article/$FARS"
sleep 2.5
after=$(views_of "$FARS")
[ $((after - before)) = 3 ] || fail "expected 3 more views, got $before -> $after"
# the same from the page cache (default settings): the second request is a cache hit
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server "$WORK/demo.db" --threads 2
etag=$(curl -s -D - -o /dev/null "$BASE/source/1" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r')
[ -n "$etag" ] || fail "a cached page has no ETag"
[ "$(curl -s -o "$WORK/cond" -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/source/1")" = 304 ] \
  || fail "If-None-Match on a cached page is not 304"
[ "$(curl -s -o "$WORK/cond" -w '%{http_code}' -H 'If-None-Match: "1"' "$BASE/source/1")" = 200 ] \
  && grep -q '<h1>' "$WORK/cond" || fail "a cached page with another ETag is not the page"
curl -s "$BASE/metrics" | grep -q '^chapar_http_cache_hits_total [1-9]' || fail "no cache hits counted"
echo "web pages: ok"
