#!/bin/sh
# web_request_fuzz.sh — hostile requests get only 4xx answers and the server stays up.
. "$SRC/tests/e2e/lib.inc"
make_demo_db "$WORK/demo.db"
start_server "$WORK/demo.db" --threads 2
python3 "$SRC/tests/e2e/request_fuzz.py" "$PORT"
kill -0 "$SERVER_PID" || fail "the server died"
curl -sf "$BASE/healthz" >/dev/null || fail "/healthz does not answer after the fuzz"
echo "web request fuzz: ok"
