#!/bin/sh
# fetch_scheduler.sh — the polling loops: `chapar serve` runs the fetch scheduler in a thread
# (articles arrive while it serves; --no-fetch turns it off), and `chapar fetch` without --once
# polls until SIGTERM. Both stop promptly and cleanly (exit 0) even with a transfer hanging
# (a source that sleeps 30 s), and the hung source stays due for the next run. The demo's
# sources (files) are never polled.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
P=$FIXTURE_PORT
printf 'n\ta\thttp://h1.localhost:%s/news/a?n=4\nn\tb\thttp://h2.localhost:%s/news/b?n=4\nn\tslow\thttp://h3.localhost:%s/sleep?s=30\n' $P $P $P |
  opml "$WORK/s.opml"
count() { sql "$1" 'SELECT count(*) FROM articles'; }
# wait_count DB N: wait (at most 30 s) until DB holds N articles.
wait_count() {
  i=0
  while [ "$(count "$1")" != "$2" ]; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "$1 holds $(count "$1") articles, not $2"; sleep 0.1
  done
}
# stop_within PID SECONDS WHAT: SIGTERM, then the process must be gone (exit 0) in time.
stop_within() {
  kill -TERM "$1"; i=0
  while kill -0 "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt $(($2 * 10)) ] || { kill -9 "$1"; fail "$3 did not stop within $2 s"; }; sleep 0.1
  done
  wait "$1" || fail "$3 exited with $?"
}

# the scheduler inside serve
"$CHAPAR" source --db "$WORK/s.db" import "$WORK/s.opml" >/dev/null
start_server "$WORK/s.db" --fetch-every 1
wait_count "$WORK/s.db" 8
grep -q 'fetching due sources' "$WORK/server.log" || fail "serve did not announce its fetcher"
curl -s "$BASE/api/articles?limit=50" | python3 -c 'import json,sys; n=len(json.load(sys.stdin)["articles"]); assert n == 8, n' ||
  fail "the served API lacks the fetched articles"
sleep 0.5 # the slow source is still in flight
stop_within "$SERVER_PID" 5 "chapar serve"
SERVER_PID=""
grep -q 'stopping' "$WORK/server.log" || fail "no clean stop"
[ "$(sql "$WORK/s.db" "SELECT last_success, error_count FROM sources WHERE name = 'slow'")" = "0	0" ] ||
  fail "the interrupted source was marked: $(sql "$WORK/s.db" "SELECT * FROM sources WHERE name = 'slow'")"

# a round's articles are clustered into stories once it ends: restarted without the hanging
# source, the first round does it
[ "$(sql "$WORK/s.db" 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 8 ] ||
  fail "the stopped round clustered its articles (it should leave that to the next)"
"$CHAPAR" source --db "$WORK/s.db" disable slow >/dev/null
start_server "$WORK/s.db" --fetch-every 1
i=0
while [ "$(sql "$WORK/s.db" 'SELECT count(*) FROM articles WHERE story_id IS NULL')" != 0 ]; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "serve's fetcher left articles out of stories"; sleep 0.1
done
stop_within "$SERVER_PID" 5 "chapar serve"
SERVER_PID=""

# --no-fetch: nothing arrives
"$CHAPAR" source --db "$WORK/n.db" import "$WORK/s.opml" >/dev/null
start_server "$WORK/n.db" --no-fetch
sleep 2
[ "$(count "$WORK/n.db")" = 0 ] || fail "--no-fetch fetched"
stop_within "$SERVER_PID" 5 "chapar serve --no-fetch"
SERVER_PID=""

# chapar fetch, looping until SIGTERM
"$CHAPAR" source --db "$WORK/f.db" import "$WORK/s.opml" >/dev/null
set +e; "$CHAPAR" fetch --db "$WORK/f.db" --every 0 2>/dev/null; rc=$?; set -e
[ "$rc" = 2 ] || fail "--every 0 exit $rc, not 2"
"$CHAPAR" fetch --db "$WORK/f.db" --every 1 2>"$WORK/fetch.log" &
FETCH_PID=$!
wait_count "$WORK/f.db" 8
sleep 0.5
stop_within "$FETCH_PID" 5 "chapar fetch"
[ "$(sql "$WORK/f.db" "SELECT count(*) FROM sources WHERE last_success > 0")" = 2 ] || fail "fetch loop: sources not marked"
# the demo's sources are files: a fetcher (serve runs one) polls none of them
make_demo_db "$WORK/demo.db"
"$CHAPAR" fetch --db "$WORK/demo.db" --once >"$WORK/out" 2>&1 || fail "fetch on the demo"
grep -q '^sources 0:' "$WORK/out" || fail "the demo's sources were polled: $(cat "$WORK/out")"
echo "ok: scheduler"
