#!/bin/sh
# qa_empty.sh — a new installation, before any source: the home page says how news arrives,
# every listing and feed answers (empty, not an error), the API answers empty lists, a search
# says it found nothing, unknown outlets and categories are 404 pages, and `chapar source
# list` says there are no sources and how to add one.
. "$SRC/tests/e2e/lib.inc"
"$CHAPAR" source --db "$WORK/empty.db" list >"$WORK/out" 2>"$WORK/err" || fail "source list on a new database"
[ -s "$WORK/out" ] && fail "source list printed sources of an empty database"
grep -q 'chapar source add URL' "$WORK/err" || fail "source list does not say how to add a source"
start_server "$WORK/empty.db" --cache-ttl 0
fetch() { curl -s -o "$WORK/body" -w '%{http_code}' -A 'Mozilla/5.0 (qa)' "$BASE$1"; }
[ "$(fetch /)" = 200 ] || fail "home"
grep -q 'chapar source add URL' "$WORK/body" || fail "the empty home page does not say how to add sources"
grep -q 'rel="next"' "$WORK/body" && fail "the empty home page offers older news"
for p in /api/articles /api/stories /api/trending; do
  [ "$(fetch $p)" = 200 ] || fail "$p"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["next"] is None and not list(d.values())[0], d' "$WORK/body" ||
    fail "$p is not an empty list"
done
[ "$(fetch /feed)" = 200 ] || fail "/feed"
/usr/bin/python3 -c 'import feedparser,sys; d=feedparser.parse(open(sys.argv[1],"rb").read()); assert not d.bozo and not d.entries, d.bozo_exception' "$WORK/body" ||
  fail "the empty /feed is not a valid empty Atom feed"
Q=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("باکو"))')
[ "$(fetch "/search?q=$Q")" = 200 ] || fail "search"
grep -q 'class="empty">خبری با این واژه‌ها پیدا نشد' "$WORK/body" || fail "an empty search does not say so"
[ "$(fetch /source/1)" = 404 ] || fail "an unknown outlet is not a 404"
[ "$(fetch /category/$Q)" = 404 ] || fail "an unknown category is not a 404"
[ "$(fetch /healthz)" = 200 ] || fail "/healthz"
echo "qa_empty: ok"
