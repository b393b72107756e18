#!/bin/sh
# bench/text/run.sh [BUILD] [MB] — throughput and memory of `chapar normalize` on Persian news
# text (the zwnj-dev inputs repeated to MB megabytes, default 50), interleaved with a peer
# measured in the same run: a letters-only sed normalizer (ي→ی, ك→ک, kashida) and cat (I/O).
# Prints MB/s per round (best of 3) and the peak RSS; then the peak RSS on a 1 GB stream
# when BIG=1.
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

if [ "${BIG:-0}" = 1 ]; then
  # 1 GB through a pipe: memory must stay flat
  /usr/bin/time -f '%e %M' -o "$tmp/t" sh -c \
    "i=0; while [ \$i -lt $((1000 / mb + 1)) ]; do cat '$in'; i=\$((i+1)); done | '$build/chapar' normalize > /dev/null"
  set -- $(cat "$tmp/t")
  echo "1 GB stream: $1 s, peak RSS of the pipeline's largest process ${2} KB"
fi
