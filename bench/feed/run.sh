#!/bin/sh
# bench/feed/run.sh [BUILD] [ROUNDS] — feed parsing: agreement with python3-feedparser and
# speed against python3-feedparser and `xmllint --noout` (libxml2 parsing alone) over
# ../shared/data/feeds-dev, each tool in batch mode (one process for all files), interleaved
# round by round so machine noise hits all three alike. Prints the agreement table and, per
# round, each tool's wall time and the ratios; the median ratios at the end.
# Needs /usr/bin/python3 with python3-feedparser, and xmllint (Debian: libxml2-utils).
set -eu
BUILD=${1:-build}
ROUNDS=${2:-5}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$SRC/../shared}
SCORE="$SHARED/tools/feed_score.py"
ROOT=${FEED_SCORE_ROOT:-${TMPDIR:-/tmp}/chapar-feed-score}
CHAPAR="$SRC/$BUILD/chapar"
[ -x "$CHAPAR" ] || { echo "build chapar first ($CHAPAR)"; exit 1; }
command -v xmllint >/dev/null || { echo "xmllint missing: apt-get install libxml2-utils"; exit 1; }
mkdir -p "$ROOT"
ln -sfn "$SHARED/data/feeds-dev" "$ROOT/feeds"

echo "== agreement (per-file runs)"
/usr/bin/python3 "$SCORE" --root "$ROOT" score --cmd "$CHAPAR feed parse --json {file}" | sed -n '1,22p'

speed() { # label batch-command -> wall seconds (best of 3 inside the scorer)
	/usr/bin/python3 "$SCORE" --root "$ROOT" score --speed-only --repeat 3 --batch-cmd "$2" \
		--label "$1" --json "$ROOT/speed.json" >/dev/null
	/usr/bin/python3 -c "import json;print(json.load(open('$ROOT/speed.json'))['wall_s'])"
}
echo "== speed: $ROUNDS interleaved rounds, batch mode, wall seconds (best of 3 per round)"
echo "round chapar xmllint feedparser chapar/xmllint-speed feedparser/chapar-speed"
: >"$ROOT/ratios"
i=1
while [ $i -le "$ROUNDS" ]; do
	c=$(speed chapar "$CHAPAR feed parse --json --list {list}")
	x=$(speed xmllint "xargs xmllint --noout < {list} >/dev/null 2>&1; true")
	p=$(speed feedparser "/usr/bin/python3 $SCORE emit-batch {list}")
	r1=$(echo "$x $c" | awk '{printf "%.2f", $1/$2}')
	r2=$(echo "$p $c" | awk '{printf "%.1f", $1/$2}')
	echo "$i $c $x $p $r1 $r2"
	echo "$r1 $r2" >>"$ROOT/ratios"
	i=$((i + 1))
done
sort -n -k1 "$ROOT/ratios" | awk '{a[NR]=$1} END {print "median speed vs xmllint: " a[int((NR+1)/2)] "x (bar >= 0.5)"}'
sort -n -k2 "$ROOT/ratios" | awk '{a[NR]=$2} END {print "median speed vs feedparser: " a[int((NR+1)/2)] "x (bar >= 20)"}'
