#!/bin/sh
# run.sh [BUILD_DIR] — end-to-end intake throughput: `chapar fetch --once` against the fixture
# server (tests/fixtures/fixture_server.py, 127.0.0.1 only) with FEEDS news feeds of ITEMS
# entries each spread over HOSTS hosts; every entry's article page waits PDELAY s (a remote
# server's think time). Per round, interleaved:
#   cold  a fresh database: every feed fetched and parsed, every page fetched, every article
#         stored (feeds/min and articles/s)
#   warm  the same database again with --all: every feed is a conditional request (304)
#   curl  the peer: the curl tool (--parallel-max 32, no per-host limit) over the same feed and
#         page URLs — transfer alone, no parsing, no storing: the floor for the cold round
# The per-host limit is checked at the server (most requests in flight on one Host).
# Environment: FEEDS (default 300), ITEMS (10), HOSTS (30), PDELAY (0.02), ROUNDS (2).
set -eu
BUILD=${1:-build}
FEEDS=${FEEDS:-300}
ITEMS=${ITEMS:-10}
HOSTS=${HOSTS:-30}
PDELAY=${PDELAY:-0.02}
ROUNDS=${ROUNDS:-2}
here=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$here/../.." && pwd)
CHAPAR=$(cd "$BUILD" && pwd)/chapar
[ -x "$CHAPAR" ] || { echo "run.sh: build first ($CHAPAR missing)" >&2; exit 1; }
tmp=$(mktemp -d)
. "$SRC/tests/fixtures/fixture_env.sh"
trap 'fixture_stop; rm -rf "$tmp"' EXIT INT TERM
P=$FIXTURE_PORT

# the sources as OPML, and every URL (feeds and pages) for the peer
python3 - "$tmp" "$P" "$FEEDS" "$ITEMS" "$HOSTS" "$PDELAY" <<'PY'
import sys
tmp, port, feeds, items, hosts, pdelay = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]), sys.argv[6]
opml = ['<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>']
urls = []
for f in range(feeds):
    host = f"h{f % hosts}.localhost:{port}"
    url = f"http://{host}/news/b{f}?n={items}&amp;pdelay={pdelay}"
    opml.append(f'<outline text="b{f}" xmlUrl="{url}"/>')
    urls.append(url.replace("&amp;", "&"))
    urls += [f"http://{host}/story/b{f}/{i}?delay={pdelay}" for i in range(items)]
opml.append("</body></opml>")
open(f"{tmp}/s.opml", "w").write("\n".join(opml))
open(f"{tmp}/urls.cfg", "w").write("".join(f'url = "{u}"\noutput = "/dev/null"\n' for u in urls))
PY
now() { date +%s.%N; }
per_host() { curl -s "http://127.0.0.1:$P/_stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)["max_active"]
print(max([v for h, v in d.items() if not h.startswith("127.0.0.1")] or [0]))'; }
reset() { curl -s "http://127.0.0.1:$P/_reset" >/dev/null; }
rate() { python3 -c "import sys; n, t0, t1 = map(float, sys.argv[1:]); print('%.0f' % (n / (t1 - t0)))" "$@"; }

articles=$((FEEDS * ITEMS))
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), feeds=$FEEDS items=$ITEMS hosts=$HOSTS pdelay=${PDELAY}s rounds=$ROUNDS"
for round in $(seq "$ROUNDS"); do
  db="$tmp/r$round.db"
  "$CHAPAR" source --db "$db" import "$tmp/s.opml" >/dev/null
  reset; t0=$(now)
  "$CHAPAR" fetch --db "$db" --once >"$tmp/out" 2>/dev/null
  t1=$(now)
  stored=$(grep -o 'new [0-9]*' "$tmp/out" | head -1 | cut -d' ' -f2)
  echo "round=$round cold: seconds=$(python3 -c "print('%.2f' % ($t1 - $t0))") feeds_per_min=$(rate $((FEEDS * 60)) $t0 $t1) articles_per_s=$(rate "$stored" $t0 $t1) stored=$stored/$articles server_max_active_per_host=$(per_host)"
  reset; t0=$(now)
  "$CHAPAR" fetch --db "$db" --once --all >"$tmp/out" 2>/dev/null
  t1=$(now)
  echo "round=$round warm: seconds=$(python3 -c "print('%.2f' % ($t1 - $t0))") feeds_per_min=$(rate $((FEEDS * 60)) $t0 $t1) $(grep -o 'unchanged [0-9]*' "$tmp/out") server_max_active_per_host=$(per_host)"
  reset; t0=$(now)
  curl -s --no-progress-meter --parallel --parallel-max 32 -K "$tmp/urls.cfg" 2>/dev/null || true
  t1=$(now)
  echo "round=$round curl (peer, transfers only): seconds=$(python3 -c "print('%.2f' % ($t1 - $t0))") requests_per_s=$(rate $((FEEDS + articles)) $t0 $t1) server_max_active_per_host=$(per_host)"
done
