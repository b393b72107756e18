#!/bin/sh
# bench/web/run.sh [BUILD] [SECONDS] [ROUNDS] — requests/s of every kind of page chapar serves,
# each against nginx (Debian) serving that page's very bytes as a static file, all on 127.0.0.1,
# measured with wrk in one run. Two chapar servers run side by side over the same database: one
# with the default settings (a rendered page is reused for 2 s) and one with --cache-ttl 0
# (every request rendered). For each page and round the three are measured one after another,
# the order rotated each round; the table gives medians and the median per-round ratio.
#
# Environment: DB (default: a fresh demo database), PAGES (space-separated names to keep, default
# all), THREADS (chapar worker threads, default 2), CONN (wrk connections, default 50).
# Needs wrk and nginx (scripts/install-deps.sh).
set -eu
BUILD=${1:-build}; SECS=${2:-3}; ROUNDS=${3:-2}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHAPAR="$SRC/$BUILD/chapar"
[ -x "$CHAPAR" ] || CHAPAR="$BUILD/chapar"
W=$(mktemp -d /tmp/chapar-bench-web.XXXXXX)
chmod 755 "$W"
CPID=""; UPID=""; NPID=""
cleanup() { kill $CPID $UPID $NPID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT INT TERM

if [ -z "${DB:-}" ]; then
  DB="$W/demo.db"
  "$CHAPAR" demo --no-serve --db "$DB" >/dev/null 2>&1
fi
LIFE=$((ROUNDS * SECS * 3 * 20 + 300))

# serve LOG ARGS...: start chapar serve in the background; prints nothing, sets LASTPID.
serve() {
  log=$1; shift
  "$CHAPAR" serve --db "$DB" --listen 127.0.0.1:0 --exit-after $LIFE --no-fetch --threads "${THREADS:-2}" "$@" 2>"$log" &
  LASTPID=$!
}
port_of() { # LOG: the port chapar printed
  i=0
  while [ $i -lt 100 ]; do
    p=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.1; i=$((i + 1))
  done
  echo "no port in $1" >&2; exit 1
}
serve "$W/cached.log"; CPID=$LASTPID
serve "$W/uncached.log" --cache-ttl 0; UPID=$LASTPID
CPORT=$(port_of "$W/cached.log"); UPORT=$(port_of "$W/uncached.log")
NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$W/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
error_log $W/nginx-error.log;
pid $W/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { text/html html; application/json json; application/atom+xml atom; }
  server { listen 127.0.0.1:$NPORT; root $W/www; }
}
NGINX
mkdir -p "$W/www"
nginx -p "$W" -c "$W/nginx.conf" &
NPID=$!
sleep 0.5

python3 "$SRC/bench/web/pages.py" "$W/www" "$CPORT" "$UPORT" "$NPORT" "$SECS" "$ROUNDS" "${CONN:-50}" \
  "$CPID" "$UPID" "$NPID" "${PAGES:-}"
