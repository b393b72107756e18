#!/bin/sh
# slow_ingest_kill.sh — `kill -9` of `chapar fetch --once` in the middle of ingesting loses and
# duplicates nothing: 40 feeds of 25 entries on 4 hosts (1,000 article pages at 50 ms each under
# the per-host limit: seconds a round, so a kill lands mid-round however fast the rest is),
# killed three times at different moments; each rerun polls only what is still due, and the
# final set is exactly the 1,000 entries, each once.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
P=$FIXTURE_PORT
DB="$WORK/k.db"
for i in $(seq 40); do printf 'n\tfeed%s\thttp://h%s.localhost:%s/news/k%s?n=25\n' $i $((i % 4)) $P $i; done | opml "$WORK/s.opml"
"$CHAPAR" source --db "$DB" import "$WORK/s.opml" >/dev/null || fail "import"
count() { sql "$DB" 'SELECT count(*) FROM articles'; }

prev=0
for extra in 0.3 0.1 0.2; do
  "$CHAPAR" fetch --db "$DB" --once >/dev/null 2>&1 &
  pid=$!
  i=0 # wait until this run has stored something, then a moment more, and kill it
  while [ "$(count)" -le "$prev" ]; do
    i=$((i + 1)); [ $i -lt 400 ] || fail "nothing stored within 20 s"; sleep 0.05
  done
  sleep $extra
  kill -9 $pid 2>/dev/null || fail "fetch finished before the kill (make the set larger)"
  wait $pid 2>/dev/null || true
  n=$(count)
  echo "killed $extra s after its first article: $n articles stored"
  [ "$n" -gt "$prev" ] || fail "articles were lost: $prev then $n"
  [ "$n" -lt 1000 ] || fail "the set completed before the kill"
  prev=$n
done
[ "$prev" -gt 0 ] || fail "nothing was stored before the kills"
timeout 120 "$CHAPAR" fetch --db "$DB" --once >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; fail "rerun"; }
cat "$WORK/out"
[ "$(count)" = 1000 ] || fail "after the rerun: $(count) articles, not 1000"
[ "$(sql "$DB" 'SELECT count(*) FROM (SELECT DISTINCT source_id, guid FROM articles)')" = 1000 ] || fail "duplicate GUIDs"
[ "$(sql "$DB" 'SELECT count(*) FROM (SELECT DISTINCT url FROM articles)')" = 1000 ] || fail "duplicate links"
[ "$(sql "$DB" 'SELECT count(*) FROM sources WHERE last_success > 0 AND error_count = 0')" = 40 ] || fail "not every source completed"
[ "$(sql "$DB" 'SELECT min(n) || " " || max(n) FROM (SELECT count(*) AS n FROM articles GROUP BY source_id)')" = "25 25" ] ||
  fail "uneven sources"
# and one more round stores nothing
"$CHAPAR" fetch --db "$DB" --once --all >"$WORK/out" 2>&1
grep -q 'new 0, updated 0' "$WORK/out" || fail "a final round changed something: $(cat "$WORK/out")"
echo "ok: kill -9 loses and duplicates nothing"
