#!/bin/sh
# qa_demo.sh — `chapar demo --db FILE` makes a fresh demo database, again and again, but never
# replaces a database of the operator's own given by mistake (a source fetched or due) nor a
# file that is no chapar database: it says so and leaves the file as it was. The demo's own
# sources are parked and carry the time their articles were read from the files.
. "$SRC/tests/e2e/lib.inc"
"$CHAPAR" demo --no-serve --db "$WORK/demo.db" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "demo"; }
"$CHAPAR" demo --no-serve --db "$WORK/demo.db" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "the demo over its own database"; }
# the demo's sources are parked (never polled) but say when their articles arrived
"$CHAPAR" source --db "$WORK/demo.db" list >"$WORK/list"
grep -q 'last success never' "$WORK/list" && fail "a demo source with articles says 'last success never': $(cat "$WORK/list")"
[ "$(grep -c 'last success 20' "$WORK/list")" -ge 3 ] || fail "demo sources lack their last success: $(cat "$WORK/list")"
grep -q 'next check none planned' "$WORK/list" || fail "demo sources are not parked: $(cat "$WORK/list")"
printf '<?xml version="1.0"?><opml version="2.0"><body><outline text="mine" xmlUrl="https://news.example/rss"/></body></opml>' >"$WORK/mine.opml"
"$CHAPAR" source --db "$WORK/mine.db" import "$WORK/mine.opml" >/dev/null || fail "import into a database of one's own"
before=$(cksum <"$WORK/mine.db")
set +e; "$CHAPAR" demo --no-serve --db "$WORK/mine.db" 2>"$WORK/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "the demo replaced a database of the operator's own (exit $rc)"
grep -q 'mine.db holds 1 source' "$WORK/err" || fail "the refusal does not say why: $(cat "$WORK/err")"
[ "$(cksum <"$WORK/mine.db")" = "$before" ] || fail "the operator's database changed"
"$CHAPAR" source --db "$WORK/mine.db" list | grep -q 'news.example/rss' || fail "the operator's source is gone"
echo 'not a database' >"$WORK/notes.txt"
set +e; "$CHAPAR" demo --no-serve --db "$WORK/notes.txt" 2>"$WORK/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "the demo replaced a file that is no database (exit $rc)"
[ "$(cat "$WORK/notes.txt")" = 'not a database' ] || fail "the file was changed"
echo "qa_demo: ok"
