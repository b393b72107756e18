#!/bin/sh
# source_cli.sh — `chapar source` against the fixture server: add by feed URL (named after the
# feed's title) and by site URL (discovery through <link rel="alternate">, then the usual
# paths); clear errors and exit codes (0 ok, 1 failure, 2 usage); list with each source's
# state (text and --json) before and after a fetch; disable/enable/remove; an OPML
# export → import → export round trip with categories.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
P=$FIXTURE_PORT
DB="$WORK/c.db"
src() { "$CHAPAR" source --db "$DB" "$@"; }
# expect CODE WHAT CMD...: run CMD, which must exit with CODE; stdout in $WORK/o, stderr in $WORK/e.
expect() {
  code=$1; what=$2; shift 2
  set +e; "$@" >"$WORK/o" 2>"$WORK/e"; rc=$?; set -e
  [ "$rc" = "$code" ] || { cat "$WORK/e" >&2; fail "$what: exit $rc, not $code"; }
}

expect 0 "add a feed URL" src add "http://h1.localhost:$P/news/a?n=3"
grep -q "^1	news a	http://h1.localhost:$P/news/a?n=3$" "$WORK/o" || fail "add printed: $(cat "$WORK/o")"
expect 0 "add a site URL" src add --category 'سیاسی' "http://h2.localhost:$P/site"
grep -q "^2	feed site	http://h2.localhost:$P/feed/site$" "$WORK/o" || fail "discovery by <link>: $(cat "$WORK/o")"
grep -q "also has the feed http://h2.localhost:$P/atom.xml" "$WORK/e" || fail "the other announced feed is not mentioned"
expect 0 "add a site without <link>" src add --name 'بی‌لینک' "http://h3.localhost:$P/site-nolink/"
grep -q "^3	بی‌لینک	http://h3.localhost:$P/\(feed\|rss.xml\)$" "$WORK/o" || fail "discovery by usual paths: $(cat "$WORK/o")"

expect 1 "a site with no feed" src add "http://bare.localhost:$P/"
grep -q "chapar source add: http://bare.localhost:$P/: no feed found" "$WORK/e" || fail "no-feed message: $(cat "$WORK/e")"
expect 1 "an unreachable site" src add "http://127.0.0.1:1/"
grep -q 'connection refused' "$WORK/e" || fail "refused message: $(cat "$WORK/e")"
expect 1 "a duplicate" src add "http://h1.localhost:$P/news/a?n=3"
grep -q 'exists already' "$WORK/e" || fail "duplicate message: $(cat "$WORK/e")"
expect 2 "add without a URL" src add
expect 2 "an unknown subcommand" src frobnicate
expect 2 "remove without a source" src remove
expect 2 "an unknown option" src add --frob x
expect 0 "--help" src --help
grep -q '^usage: chapar source' "$WORK/o" || fail "--help goes to stdout"
expect 1 "remove an unknown source" src remove nothere
grep -q 'nothere' "$WORK/e" || fail "unknown source message"
expect 1 "import a missing file" src import "$WORK/missing.opml"
grep -q "missing.opml" "$WORK/e" || fail "import names the missing file"
printf 'not xml at all <<<' >"$WORK/bad.opml"
expect 1 "import a broken file" src import "$WORK/bad.opml"
grep -q "bad.opml" "$WORK/e" || fail "import names the broken file"

# state before and after a fetch
expect 0 "list" src list
[ "$(grep -c 'last success never, next check due now' "$WORK/o")" = 3 ] || fail "fresh list: $(cat "$WORK/o")"
expect 0 "disable" src disable 'feed site'
"$CHAPAR" fetch --db "$DB" --once >"$WORK/f" 2>&1 || fail "fetch"
grep -q '^sources 2:' "$WORK/f" || fail "a disabled source was polled: $(cat "$WORK/f")"
expect 0 "list --json" src list --json
python3 - "$WORK/o" "$P" <<'PY' || fail "list --json"
import json, sys, time
rows = {r["name"]: r for r in map(json.loads, open(sys.argv[1]))}
assert set(rows) == {"news a", "feed site", "بی‌لینک"}, rows.keys()
a = rows["news a"]
assert a["enabled"] and a["articles"] == 3 and a["error_count"] == 0 and "last_error" not in a, a
assert abs(a["last_success"] - time.time()) < 60 and a["next_check"] > time.time(), a
assert a["site_url"] == "http://h1.localhost:%s/" % sys.argv[2], a   # the feed's own <link>
s = rows["feed site"]
assert not s["enabled"] and s["last_success"] == 0 and s["category"] == "سیاسی", s
PY
expect 0 "list" src list
grep -A1 '	news a	' "$WORK/o" | grep -q 'articles 3, last success 20..-..-..T..:..:..Z, next check 20' || fail "list after fetch: $(cat "$WORK/o")"
grep -A1 '	feed site	' "$WORK/o" | grep -q 'disabled' || fail "disabled not shown"
expect 0 "enable" src enable 2
expect 0 "list" src list
grep '	feed site	' "$WORK/o" | grep -q 'enabled' || fail "enable not shown"

# OPML round trip, categories kept
expect 0 "export" src export
cp "$WORK/o" "$WORK/one.opml"
grep -q 'text="سیاسی"' "$WORK/one.opml" || fail "export lacks the category folder"
"$CHAPAR" source --db "$WORK/d.db" import "$WORK/one.opml" >"$WORK/o" || fail "import the export"
grep -q 'added 3, already present 0, failed 0' "$WORK/o" || fail "import: $(cat "$WORK/o")"
"$CHAPAR" source --db "$WORK/d.db" export >"$WORK/two.opml"
cmp "$WORK/one.opml" "$WORK/two.opml" || fail "export → import → export differs"
"$CHAPAR" source --db "$WORK/d.db" import "$WORK/one.opml" >"$WORK/o"
grep -q 'added 0, already present 3' "$WORK/o" || fail "re-import: $(cat "$WORK/o")"

# remove takes the articles with it
expect 0 "remove" src remove 'news a'
[ "$(sql "$DB" 'SELECT count(*) FROM articles WHERE source_id = 1')" = 0 ] || fail "articles outlived their source"
expect 0 "list" src list
grep -q 'news a' "$WORK/o" && fail "removed source still listed"
echo "ok: source CLI"
