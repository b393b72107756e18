#!/bin/sh
# fetch_faults.sh — `chapar fetch --once` over good feeds and every fault the fixture server
# injects (500, 503 with Retry-After, connection refused, a timeout, a slow drip, a body over
# the cap, a gzip bomb, a redirect loop, a wrong Content-Type, invalid XML, a windows-1256 feed
# without a charset header, article pages that fail): the round ends quickly with exit 0, each
# fault is a stored error in words on its own source only (in `source list` and `--json`), and
# every entry of the good feeds arrives — the Persian windows-1256 titles decoded. The two
# faults that need a short --timeout (a server that never answers, a slow drip) get a round of
# their own, so the big transfers of the first round (an 11 MB body, a 64 MiB gzip bomb) have
# time to reach the size cap even under ASan on a loaded machine.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
P=$FIXTURE_PORT
DB="$WORK/t.db"
{
  for h in 1 2 3; do for f in a b; do printf 'news\tgood%s%s\thttp://h%s.localhost:%s/news/g%s%s?n=6\n' $h $f $h $P $h $f; done; done
  printf 'faults\te500\thttp://f1.localhost:%s/status/500\n' $P
  printf 'faults\te503\thttp://f1.localhost:%s/status/503?retry_after=900\n' $P
  printf 'faults\trefused\thttp://127.0.0.1:1/feed\n'
  printf 'faults\tbig\thttp://f4.localhost:%s/big\n' $P
  printf 'faults\tbomb\thttp://f4.localhost:%s/bomb\n' $P
  printf 'faults\tloop\thttp://f5.localhost:%s/loop\n' $P
  printf 'faults\twrongtype\thttp://f5.localhost:%s/wrongtype\n' $P
  printf 'faults\tinvalid\thttp://f6.localhost:%s/invalid\n' $P
  printf 'faults\tcp1256\thttp://f6.localhost:%s/cp1256news\n' $P
  printf 'faults\tpagefail\thttp://f7.localhost:%s/news/pagefail?n=3\n' $P
} | opml "$WORK/s.opml"
"$CHAPAR" source --db "$DB" import "$WORK/s.opml" >/dev/null || fail "import"

timeout 120 "$CHAPAR" fetch --db "$DB" --once --timeout 30 >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "fetch --once exit $?"; }
end=$(date +%s)
grep -q 'sources 16: changed 10, unchanged 0, failed 6' "$WORK/out" || fail "round summary: $(cat "$WORK/out")"

# the slow faults: only they are due now, and the round ends soon after the 3 s timeout
{
  printf 'faults\ttimeout\thttp://f2.localhost:%s/sleep?s=30\n' $P
  printf 'faults\tdrip\thttp://f3.localhost:%s/drip?n=100&every=0.5\n' $P
} | opml "$WORK/slow.opml"
"$CHAPAR" source --db "$DB" import "$WORK/slow.opml" >/dev/null || fail "import the slow faults"
start=$(date +%s)
timeout 60 "$CHAPAR" fetch --db "$DB" --once --timeout 3 >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "slow round: fetch --once exit $?"; }
took=$(( $(date +%s) - start ))
[ "$took" -le 20 ] || fail "the slow round took $took s with a 3 s timeout"
grep -q 'sources 2: changed 0, unchanged 0, failed 2' "$WORK/out" || fail "slow round summary: $(cat "$WORK/out")"

# each fault: an error in words on that source, counted, and a retry scheduled
check_error() { # NAME PATTERN
  e=$(src_field "$DB" "$1" last_error); n=$(src_field "$DB" "$1" error_count)
  echo "$e" | grep -Eq "$2" || fail "$1: last_error '$e' does not match '$2'"
  [ "$n" = 1 ] || fail "$1: error_count $n"
  [ "$(src_field "$DB" "$1" articles)" = 0 ] || fail "$1 has articles"
  [ "$(src_field "$DB" "$1" last_success)" = 0 ] || fail "$1 has a success"
}
check_error e500 '^HTTP 500$'
check_error e503 '^HTTP 503$'
check_error refused '^connection refused$'
check_error timeout 'timed out|within 3 s'
check_error drip 'timed out after 3 s'
check_error big 'larger than 10 MiB'
check_error bomb 'larger than 10 MiB'
check_error loop 'too many redirects'
# next checks are measured from the first round's end, not from now: under ASan on a loaded
# machine the checks above take tens of seconds themselves
now=$end
[ $(( $(src_field "$DB" e503 next_check) - now )) -ge 850 ] || fail "Retry-After 900 not honoured"
d500=$(( $(src_field "$DB" e500 next_check) - now )); [ "$d500" -ge 10 ] || fail "no backoff after a 500 ($d500 s)"

# oddities that do not stop a feed are noted on it, with error_count 0
src_field "$DB" wrongtype last_error | grep -q 'served as image/png' || fail "wrong type not noted"
[ "$(src_field "$DB" wrongtype articles)" = 5 ] || fail "the mistyped feed was not read"
src_field "$DB" invalid last_error | grep -q 'no entries' || fail "invalid XML not noted"

# the same words in the plain listing
"$CHAPAR" source --db "$DB" list >"$WORK/list"
grep -A2 '	bomb	' "$WORK/list" | grep -q 'last error (1 in a row, 20.*Z): response larger than 10 MiB' || fail "list lacks the bomb's error"
grep -A2 '	e503	' "$WORK/list" | grep -q 'last error (1 in a row, 20.*Z): HTTP 503' || fail "list lacks the 503"

# every good entry arrived, once; good sources carry no error
for h in 1 2 3; do for f in a b; do
  [ "$(src_field "$DB" good$h$f articles)" = 6 ] || fail "good$h$f: $(src_field "$DB" good$h$f articles) articles"
  [ -z "$(src_field "$DB" good$h$f last_error)" ] || fail "good$h$f has an error"
done; done
[ "$(sql "$DB" 'SELECT count(*) FROM articles')" = $((36 + 5 + 2 + 3)) ] || fail "article count $(sql "$DB" 'SELECT count(*) FROM articles')"

# pages that fail leave the feed's own text in place
[ "$(sql "$DB" "SELECT count(*) FROM articles WHERE guid LIKE 'pagefail-%' AND body_text LIKE 'text of story %'")" = 3 ] ||
  fail "pagefail articles lack the feed's text"

# windows-1256 without a header: decoded Persian (Arabic yeh/kaf may be folded to Persian ones)
sql "$DB" "SELECT title FROM articles WHERE guid LIKE 'cp1256-%' ORDER BY guid" >"$WORK/titles"
python3 - "$WORK/titles" <<'PY' || fail "windows-1256 titles"
import sys
got = [l.rstrip("\n").replace("\u064a", "\u06cc").replace("\u0643", "\u06a9") for l in open(sys.argv[1], encoding="utf-8")]
want = ["\u062e\u0628\u0631 \u0641\u0648\u0631\u06cc \u0627\u0632 \u062a\u0647\u0631\u0627\u0646",
        "\u06af\u0632\u0627\u0631\u0634 \u0686\u0627\u067e\u0627\u0631 \u062f\u0631\u0628\u0627\u0631\u0647 \u06a9\u062a\u0627\u0628"]
assert got == want, got
PY
echo "ok: faults isolated in $took s"
