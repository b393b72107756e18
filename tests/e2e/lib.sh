# lib.sh — shared by the end-to-end tests (sourced, not run). Gives each test a private
# temporary directory and starts `chapar serve` on 127.0.0.1 with a port the kernel picks; the
# server stops by itself (--exit-after) even if the test is killed, and at the test's exit.
set -eu
: "${CHAPAR:?CHAPAR must name the chapar binary}"
: "${SRC:?SRC must name the checkout}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chapar-e2e.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }

# make_demo_db FILE: the bundled demo sources ingested into FILE.
make_demo_db() {
  "$CHAPAR" demo --no-serve --db "$1" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; fail "chapar demo --no-serve"; }
}

# start_server DB [extra serve args]: sets PORT and SERVER_PID; waits until /healthz answers.
start_server() {
  db=$1; shift
  "$CHAPAR" serve --db "$db" --listen 127.0.0.1:0 --exit-after 300 "$@" 2>"$WORK/server.log" &
  SERVER_PID=$!
  i=0
  PORT=""
  while [ $i -lt 100 ]; do
    PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$WORK/server.log" | head -1)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "server did not start"; }
    sleep 0.1; i=$((i + 1))
  done
  [ -n "$PORT" ] || fail "server printed no port"
  BASE="http://127.0.0.1:$PORT"
}
