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
echo "web pages: ok"
