#!/bin/sh
# run.sh [BUILD_DIR] — fetch throughput and the per-host limit, measured at the server.
#
# Builds bench/fetch/bench_fetch.c against BUILD_DIR/libchapar.a (default: build), starts
# tests/fixtures/fixture_server.py on 127.0.0.1, and for each scenario runs, interleaved for
# ROUNDS rounds: chapar's fetcher (32 in flight, 2 per host) and the peer, the curl tool with
# --parallel --parallel-max 32 over the same URLs (curl's CLI has no per-host limit). After each
# run it reads the server's own figures: the most requests in flight at once on any one Host
# and the most connections open at once to any one Host.
#
# Scenarios (FEEDS feeds each, default 3000; every feed answer waits DELAY s, default 0.02,
# like a remote server's think time):
#   many: 100 hosts — the global limit (32) binds
#   few:    4 hosts — the per-host limit (2) binds
# Environment: FEEDS, ROUNDS (default 3), DELAY. Needs python3 and curl. Loopback only.
set -eu
BUILD=${1:-build}
FEEDS=${FEEDS:-3000}
ROUNDS=${ROUNDS:-3}
DELAY=${DELAY:-0.02}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ -f "$BUILD/libchapar.a" ] || { echo "run.sh: build first ($BUILD/libchapar.a missing)" >&2; exit 1; }

tmp=$(mktemp -d)
SRC=$src
. "$src/tests/fixtures/fixture_env.sh"
trap 'fixture_stop; rm -rf "$tmp"' EXIT INT TERM
port=$FIXTURE_PORT

cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCHAPAR_VERSION='"bench"' \
	-I "$src/src" -I "$src/include" "$here/bench_fetch.c" "$BUILD/libchapar.a" \
	$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl \
	-lm -lpthread -o "$tmp/bench_fetch"

# server_max KIND: the largest per-Host figure the server recorded (our own /_stats calls,
# on 127.0.0.1, excluded).
server_max() {
	curl -s "http://127.0.0.1:$port/_stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)[sys.argv[1]]
print(max([v for h, v in d.items() if not h.startswith("127.0.0.1")] or [0]))' "$1"
}
reset() { curl -s "http://127.0.0.1:$port/_reset" >/dev/null; }
now() { date +%s.%N; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), feeds=$FEEDS delay=${DELAY}s rounds=$ROUNDS"
for round in $(seq "$ROUNDS"); do
	for scenario in many:100 few:4; do
		name=${scenario%%:*}
		hosts=${scenario##*:}
		reset
		line=$("$tmp/bench_fetch" "$port" "$FEEDS" "$hosts" "$DELAY" 2 32)
		echo "round=$round scenario=$name $line server_max_active_per_host=$(server_max max_active) server_max_conns_per_host=$(server_max max_conns)"

		"$tmp/bench_fetch" --urls "$port" "$FEEDS" "$hosts" "$DELAY" >"$tmp/urls.cfg"
		reset
		t0=$(now)
		curl -s --no-progress-meter --parallel --parallel-max 32 -K "$tmp/urls.cfg" 2>/dev/null
		t1=$(now)
		echo "round=$round scenario=$name peer=curl-parallel-32 feeds=$FEEDS hosts=$hosts" \
			"wall=$(echo "$t1 - $t0" | bc)s feeds_per_min=$(echo "$FEEDS * 60 / ($t1 - $t0)" | bc)" \
			"server_max_active_per_host=$(server_max max_active) server_max_conns_per_host=$(server_max max_conns)"
	done
done
