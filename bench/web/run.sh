#!/bin/sh
# bench/web/run.sh [BUILD] [SECONDS] [ROUNDS] — article page requests/s: chapar serving the seed
# article's page from the demo database, against nginx (Debian) serving the very same bytes as a
# static file, both on 127.0.0.1, measured with wrk in alternating rounds in one run.
# Prints one line per round and the median ratio. Needs wrk and nginx (scripts/install-deps.sh).
set -eu
BUILD=${1:-build}; SECS=${2:-10}; ROUNDS=${3:-3}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHAPAR="$SRC/$BUILD/chapar"
[ -x "$CHAPAR" ] || CHAPAR="$BUILD/chapar"
W=$(mktemp -d /tmp/chapar-bench-web.XXXXXX)
chmod 755 "$W"
cleanup() { kill $CPID $NPID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT INT TERM

"$CHAPAR" demo --no-serve --db "$W/demo.db" >/dev/null 2>&1
"$CHAPAR" serve --db "$W/demo.db" --listen 127.0.0.1:0 --exit-after $((ROUNDS * SECS * 4 + 120)) --no-fetch ${CHAPAR_SERVE_ARGS:-} 2>"$W/chapar.log" &
CPID=$!
sleep 1
CPORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$W/chapar.log")
ID=$(curl -s "http://127.0.0.1:$CPORT/api/articles?limit=100" | python3 -c '
import json, sys
print([a["id"] for a in json.load(sys.stdin)["articles"] if a["title"].startswith("سفر مهم")][0])')
PAGE="/article/$ID"
mkdir -p "$W/www/article"
curl -s -A Mozilla/5.0 "http://127.0.0.1:$CPORT$PAGE" >"$W/www/article/$ID"
chmod -R a+rX "$W/www"
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
  types { text/html html; }
  default_type "text/html; charset=utf-8";
  server { listen 127.0.0.1:$NPORT; root $W/www; }
}
NGINX
nginx -p "$W" -c "$W/nginx.conf" &
NPID=$!
sleep 1
cmp -s "$W/www/article/$ID" "$(curl -s -o "$W/check" "http://127.0.0.1:$NPORT$PAGE"; echo "$W/check")" \
  || { echo "nginx does not serve the same bytes"; exit 1; }
echo "page: $PAGE ($(wc -c <"$W/www/article/$ID") bytes); wrk -t2 -c50 -d${SECS}s; $(nproc) cores"

rate() { wrk -t2 -c50 -d"${SECS}s" -H 'User-Agent: Mozilla/5.0 (bench)' "$1" | awk '/Requests\/sec/ {print $2}'; }
ratios=""
r=1
while [ $r -le "$ROUNDS" ]; do
  c=$(rate "http://127.0.0.1:$CPORT$PAGE")
  n=$(rate "http://127.0.0.1:$NPORT$PAGE")
  ratio=$(python3 -c "print(f'{$c/$n:.2f}')")
  echo "round $r: chapar $c req/s, nginx $n req/s, ratio $ratio"
  ratios="$ratios $ratio"
  r=$((r + 1))
done
python3 -c "import statistics,sys; print('median ratio chapar/nginx:', statistics.median(map(float, sys.argv[1:])))" $ratios
