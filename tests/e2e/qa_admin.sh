#!/bin/sh
# qa_admin.sh — the admin area as an operator meets it: times shown as the site shows them
# (relative, Persian digits; the exact UTC time in the title), a source parked by `chapar
# ingest` shown with no next check and not as failing, and every import or add that does not
# work explained: an empty box, a document that is no OPML, an OPML without feeds, feeds already
# present, a URL that is not http(s). A parked source offers a button that makes it due;
# removing a source asks first; every action says what it did, once, through the session (a link
# with ?msg= shows nothing).
. "$SRC/tests/e2e/lib.inc"
make_demo_db "$WORK/demo.db"
printf 'admin_password = qa-pw\n' >"$WORK/chapar.conf"
CHAPAR_CONFIG="$WORK/chapar.conf"; export CHAPAR_CONFIG
start_server "$WORK/demo.db" --cache-ttl 0
J="$WORK/cookies"
req() { curl -s -o "$WORK/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }
# said: the notice the dashboard shows after the action's redirect (followed), its HTML
# unescaped and its Persian digits read as ASCII
said() {
  curl -s -L -o "$WORK/said" -b "$J" -c "$J" "$@"
  python3 - "$WORK/said" <<'PY'
import html, re, sys
m = re.search(r'<p class="notice">(.*?)</p>', open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m.group(1)).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) if m else "")
PY
}

[ "$(req --data-urlencode 'password=qa-pw' "$BASE/admin/login")" = 303 ] || fail "login"
[ "$(req "$BASE/admin")" = 200 ] || fail "dashboard"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
python3 - "$WORK/body" <<'PY' || fail "the dashboard's source rows"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r"<tr(?: class=\"(\w+)\")?><td>\d+</td>(.*?)</tr>", page)
assert len(rows) == 3, len(rows)
for cls, row in rows:
    cells = re.findall(r"<td>(.*?)</td>", row)
    # name, state, articles, last success, next check, last error
    assert cls != "failing", "a parked demo source is shown as failing"
    assert re.fullmatch("[۰-۹]+", cells[2]), f"article count not in Persian digits: {cells[2]}"
    assert cells[4] == "هرگز", f"a parked source shows a next check: {cells[4]}"
    assert not re.search(r"\d{4}-\d\d-\d\dT", re.sub(r'"[^"]*"', "", row)), "a raw ISO time is shown"
    assert "0×" not in row, "an error count of 0 is shown"
    assert re.search(r'action="/admin/source/\d+/enable"', row), "a parked source offers no way to poll it"
PY
# polling a parked source from the admin area makes it due
[ "$(req --data "csrf=$CSRF" "$BASE/admin/source/2/enable")" = 303 ] || fail "enable a parked source"
"$CHAPAR" source --db "$WORK/demo.db" list | grep -A1 '^2	' | grep -q 'next check due now' || fail "the parked source is not due after enable"

msg=$(said --data "csrf=$CSRF" --data "opml=" "$BASE/admin/source/import")
case "$msg" in *OPML*) ;; *) fail "an empty import is not explained: '$msg'";; esac
msg=$(said --data "csrf=$CSRF" --data-urlencode "opml=not xml at all" "$BASE/admin/source/import")
case "$msg" in *'خوانده نشد'*) ;; *) fail "a broken OPML is not explained: '$msg'";; esac
msg=$(said --data "csrf=$CSRF" --data-urlencode "opml=<opml version=\"2.0\"><body></body></opml>" "$BASE/admin/source/import")
case "$msg" in *'xmlUrl'*) ;; *) fail "an OPML without feeds is not explained: '$msg'";; esac
OPML='<opml version="2.0"><body><outline text="فارس" xmlUrl="https://www.farsnews.ir/rss"/><outline text="تازه" xmlUrl="https://new.example/rss"/></body></opml>'
msg=$(said --data "csrf=$CSRF" --data-urlencode "opml=$OPML" "$BASE/admin/source/import")
[ "$msg" = "از 2 خوراک: 1 افزوده شد، 1 پیش‌تر بود، 0 افزوده نشد." ] || fail "the import report: '$msg'"
grep -qF '<p class="notice">از ۲ خوراک: ۱ افزوده شد' "$WORK/said" || fail "the notice is not in Persian digits"
# a notice is shown once, and a link cannot bring one: notices wait in the session, not the URL
[ "$(req "$BASE/admin")" = 200 ] || fail "dashboard"
grep -q 'class="notice"' "$WORK/body" && fail "a notice was shown twice"
[ "$(req "$BASE/admin?msg=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("رمز خود را به این نشانی بفرستید"))')")" = 200 ] || fail "dashboard with ?msg="
grep -q 'class="notice"' "$WORK/body" && fail "a ?msg= in a link put words on the admin page"
msg=$(said --data "csrf=$CSRF" --data-urlencode "url=ftp://example.org/feed" "$BASE/admin/source/add")
case "$msg" in *'http://'*) ;; *) fail "a non-http URL is not explained: '$msg'";; esac
"$CHAPAR" source --db "$WORK/demo.db" list | grep -q 'new.example/rss' || fail "the imported feed is missing"

# removing a source asks first (its articles go with it, for good), then says what it did
NEW=$("$CHAPAR" source --db "$WORK/demo.db" list --json | python3 -c '
import json, sys
print([s["id"] for s in map(json.loads, sys.stdin) if s["feed_url"] == "https://new.example/rss"][0])')
[ "$(req --data "csrf=$CSRF" "$BASE/admin/source/$NEW/remove")" = 200 ] || fail "remove without confirmation"
grep -q 'name="confirm" value="1"' "$WORK/body" || fail "removing a source does not ask first"
"$CHAPAR" source --db "$WORK/demo.db" list | grep -q 'new.example/rss' || fail "the source was removed without confirmation"
msg=$(said --data "csrf=$CSRF" --data "confirm=1" "$BASE/admin/source/$NEW/remove")
[ "$msg" = "منبع «تازه» حذف شد." ] || fail "the removal says: '$msg'"
"$CHAPAR" source --db "$WORK/demo.db" list | grep -q 'new.example/rss' && fail "the confirmed removal did not remove"
msg=$(said --data "csrf=$CSRF" --data "confirm=1" "$BASE/admin/source/$NEW/remove")
case "$msg" in *'چنین منبعی نیست'*) ;; *) fail "removing a source that is gone: '$msg'";; esac
msg=$(said --data "csrf=$CSRF" "$BASE/admin/source/1/disable")
[ "$msg" = "منبع «خبرگزاری فارس» غیرفعال شد." ] || fail "disable says: '$msg'"
echo "qa_admin: ok"
