#!/bin/sh
# feed_parse.sh — `chapar feed parse --json` end to end: one line per file in argument order,
# errors on stderr naming the file while the other files still parse, exit status 1 when any
# failed, URLs refused with a pointer to `chapar fetch`, --list, and `chapar feed opml`.
set -u
: "${CHAPAR:?}" "${SRC:?}"
D="$SRC/tests/data/feed"
T=${TMPDIR:-/tmp}/feed_parse.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$CHAPAR" feed parse --help | grep -q "usage: chapar feed parse" || fail "--help"
"$CHAPAR" feed parse >/dev/null 2>&1; [ $? = 2 ] || fail "no files must be a usage error (2)"

# every Persian feed parses; one line each, in order
"$CHAPAR" feed parse --json "$D/fa-rss2-utf8.xml" "$D/fa-rss2-cp1256-undeclared.xml" \
	"$D/fa-rss2-utf16.xml" "$D/fa-atom.xml" "$D/fa-jsonfeed.json" >"$T/out" 2>"$T/err" || fail "exit status"
[ "$(wc -l <"$T/out")" = 5 ] || fail "want 5 lines"
[ -s "$T/err" ] && fail "stderr not empty: $(cat "$T/err")"
sed -n 2p "$T/out" | grep -q '"encoding":"windows-1256"' || fail "windows-1256 not detected"
sed -n 2p "$T/out" | grep -q '"published":"2024-11-28T07:00:00Z"' || fail "IRST date"
sed -n 3p "$T/out" | grep -q '"title":"خبرگزاری فارس"' || fail "utf-16 title"
sed -n 5p "$T/out" | grep -q '"categories":\["اقتصادی","بانک"\]' || fail "json feed tags"
grep -q '"summary":null\|"title":null' "$T/out" && fail "absent values must be omitted"

# a missing file, a non-feed and a URL fail alone; the others still parse
printf '<html><body>not a feed</body></html>' >"$T/page.html"
"$CHAPAR" feed parse --json "$T/missing.xml" "$D/fa-atom.xml" "$T/page.html" http://example.com/feed \
	>"$T/out" 2>"$T/err"
[ $? = 1 ] || fail "a failed file must give exit status 1"
[ "$(wc -l <"$T/out")" = 4 ] || fail "want one line per file"
sed -n 2p "$T/out" | grep -q '"entries":\[{' || fail "the good file must still parse"
grep -q "missing.xml" "$T/err" || fail "stderr must name the missing file"
grep -q "page.html: not a feed" "$T/err" || fail "stderr must say page.html is not a feed"
grep -q "URLs are fetched by chapar fetch" "$T/err" || fail "URL message"

# --list
ls "$D"/fa-*.xml >"$T/list"
n=$(wc -l <"$T/list")
"$CHAPAR" feed parse --json --list "$T/list" >"$T/out" || fail "--list"
[ "$(wc -l <"$T/out")" = "$n" ] || fail "--list: want $n lines"

# OPML
printf '<opml><body><outline text="اخبار"><outline text="فارس" xmlUrl="http://fars/rss"/></outline></body></opml>' >"$T/s.opml"
"$CHAPAR" feed opml "$T/s.opml" | grep -q '"category":"اخبار"' || fail "opml category"
echo "ok"
