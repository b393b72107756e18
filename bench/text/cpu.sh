#!/bin/sh
# bench/text/cpu.sh FILE ROUNDS BIN... — CPU time of `BIN normalize < FILE` for each binary
# (perf stat -e task-clock), the binaries interleaved round after round so that they share
# the machine's load; prints best and mean milliseconds and MB/s of the best per binary.
# On a shared machine CPU time is steadier than wall time; compare binaries of the same run.
set -eu
f=$1; rounds=$2; shift 2
bytes=$(wc -c < "$f")
i=0
while [ "$i" -lt "$rounds" ]; do
  for b in "$@"; do
    ms=$(perf stat -x, -e task-clock "$b" normalize < "$f" 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }')
    echo "$b $ms"
  done
  i=$((i + 1))
done | awk -v bytes="$bytes" '
  { n[$1]++; s[$1] += $2; if (!($1 in b) || $2 < b[$1]) b[$1] = $2 }
  END { for (k in n) printf "%s best %.1f ms (%.1f MB/s) mean %.1f ms\n", k, b[k], bytes / 1000 / b[k], s[k] / n[k] }'
