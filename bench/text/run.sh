#!/bin/sh
# bench/text/run.sh [BUILD] [MB] — throughput and memory of `chapar normalize` on Persian news
# text (the zwnj-dev inputs repeated to MB megabytes, default 50), interleaved with a peer
# measured in the same run: a letters-only sed normalizer (ي→ی, ك→ک, kashida) and cat (I/O).
# Prints MB/s per round (best of 3) and the peak RSS; then the peak RSS on a 1 GB stream
# when BIG=1. With PEER=/path/to/another/chapar (e.g. a build of main), also the CPU time
# (perf stat -e task-clock, best of 5, interleaved) of both binaries: on a shared machine CPU
# time is steadier than wall time.
set -eu
build=${1:-build}
mb=${2:-50}
shared=${SHARED:-$(dirname "$0")/../../../shared}
data="$shared/data/zwnj-dev"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
in="$tmp/in.txt"
: > "$in"
while [ "$(wc -c < "$in")" -lt $((mb * 1000000)) ]; do
  cat "$data/input-del.txt" "$data/input-space.txt" "$data/input-mixed.txt" >> "$in"
done
bytes=$(wc -c < "$in")
echo "input: $bytes bytes (zwnj-dev del+space+mixed, repeated)"

# run CMD...: wall seconds and peak KB of one run, stdin from $in
run() {
  /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" < "$in" > /dev/null
  cat "$tmp/t"
}
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / 1e6 / s }'; }

for round in 1 2 3; do
  set -- $(run "$build/chapar" normalize); c_s=$1; c_kb=$2
  set -- $(run sed -e 's/ي/ی/g; s/ك/ک/g; s/ـ//g'); s_s=$1
  set -- $(run cat); k_s=$1
  echo "round $round: chapar normalize $(rate "$c_s") MB/s (peak ${c_kb} KB) | sed letters-only $(rate "$s_s") MB/s | cat $(rate "$k_s") MB/s"
done

# cpu_ms BIN: CPU milliseconds of one `BIN normalize` run over $in (perf stat task-clock)
cpu_ms() {
  perf stat -x, -e task-clock "$1" normalize < "$in" 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }'
}
if [ -n "${PEER:-}" ] && command -v perf > /dev/null; then
  best_c=999999; best_p=999999
  for round in 1 2 3 4 5; do
    c=$(cpu_ms "$build/chapar"); p=$(cpu_ms "$PEER")
    best_c=$(awk -v a="$best_c" -v b="$c" 'BEGIN { print (b < a) ? b : a }')
    best_p=$(awk -v a="$best_p" -v b="$p" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "CPU time, best of 5: chapar normalize $best_c ms = $(rate "$(awk -v m="$best_c" 'BEGIN { print m / 1000 }')") MB/s | peer $PEER $best_p ms = $(rate "$(awk -v m="$best_p" 'BEGIN { print m / 1000 }')") MB/s"
fi

if [ "${BIG:-0}" = 1 ]; then
  # 1 GB through a pipe: memory must stay flat
  /usr/bin/time -f '%e %M' -o "$tmp/t" sh -c \
    "i=0; while [ \$i -lt $((1000 / mb + 1)) ]; do cat '$in'; i=\$((i+1)); done | '$build/chapar' normalize > /dev/null"
  set -- $(cat "$tmp/t")
  echo "1 GB stream: $1 s, peak RSS of the pipeline's largest process ${2} KB"
fi
