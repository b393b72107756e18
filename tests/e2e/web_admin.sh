#!/bin/sh
# web_admin.sh — the admin area: off without a password; a wrong password refused; a session
# cookie after the right one; sources listed with their state; a form without the CSRF token
# refused; disable, import OPML, export OPML and logout work.
. "$SRC/tests/e2e/lib.inc"
make_demo_db "$WORK/demo.db"
start_server "$WORK/demo.db" --cache-ttl 0
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/admin")" = 404 ] || fail "the admin area is on without a password"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

printf 'admin_password = s3cret-گذرواژه\n' >"$WORK/chapar.conf"
CHAPAR_CONFIG="$WORK/chapar.conf"; export CHAPAR_CONFIG
start_server "$WORK/demo.db" --cache-ttl 0
J="$WORK/cookies"
post() { curl -s -o "$WORK/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }

[ "$(post "$BASE/admin")" = 200 ] || fail "login page"
grep -q 'type="password"' "$WORK/body" || fail "no password field"
[ "$(post --data-urlencode 'password=wrong' "$BASE/admin/login")" = 403 ] || fail "a wrong password was accepted"
[ "$(post --data-urlencode 'password=s3cret-گذرواژه' "$BASE/admin/login")" = 303 ] || fail "the right password was refused"
grep -q chapar_admin "$J" || fail "no session cookie"
[ "$(post "$BASE/admin")" = 200 ] || fail "dashboard"
grep -q 'خبرگزاری فارس' "$WORK/body" || fail "the dashboard does not list the sources"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
[ -n "$CSRF" ] || fail "no CSRF token in the forms"

[ "$(post -X POST "$BASE/admin/source/1/disable")" = 403 ] || fail "a form without the CSRF token was accepted"
[ "$(post --data "csrf=0123" "$BASE/admin/source/1/disable")" = 403 ] || fail "a wrong CSRF token was accepted"
[ "$(post --data "csrf=$CSRF" "$BASE/admin/source/1/disable")" = 303 ] || fail "disable"
"$CHAPAR" source --db "$WORK/demo.db" list --json | python3 -c '
import json, sys
s = {x["id"]: x for x in map(json.loads, sys.stdin)}
assert s[1]["enabled"] is False and s[2]["enabled"] is True, s' || fail "the source was not disabled"

OPML='<?xml version="1.0"?><opml version="2.0"><body><outline text="خبرگزاری مهر" xmlUrl="https://www.mehrnews.com/rss" category="سیاسی"/></body></opml>'
[ "$(post --data "csrf=$CSRF" --data-urlencode "opml=$OPML" "$BASE/admin/source/import")" = 303 ] || fail "import"
"$CHAPAR" source --db "$WORK/demo.db" list | grep -q 'mehrnews.com/rss' || fail "the imported source is missing"
[ "$(post "$BASE/admin/export.opml")" = 200 ] || fail "export"
grep -q 'xmlUrl="https://www.mehrnews.com/rss"' "$WORK/body" || fail "the export lacks the imported source"

[ "$(post --data "csrf=$CSRF" "$BASE/admin/logout")" = 303 ] || fail "logout"
[ "$(post "$BASE/admin/export.opml")" = 403 ] || fail "still logged in after logout"
echo "admin: ok"
