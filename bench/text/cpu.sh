#!/bin/sh
# bench/text/cpu.sh FILE ROUNDS BIN... — CPU time of `BIN normalize < FILE` for each binary
# (perf stat -e task-clock), the binaries interleaved round after round so that they share
# the machine's load; prints best, median and mean milliseconds and MB/s of the best and the
# median per binary, and the best and median wall times. A BIN written PATH,ARG,ARG… runs
# `PATH normalize ARG…` (e.g. build/chapar,--threads,2): with several threads task-clock sums
# the CPU time of all of them, so its MB/s is per core. On a shared machine CPU time is
# steadier than wall time, and under load the median says more than the best (the best is
# the round the others left the caches alone); compare binaries of the same run.
set -eu
f=$1; rounds=$2; shift 2
bytes=$(wc -c < "$f")
i=0
while [ "$i" -lt "$rounds" ]; do
  for b in "$@"; do
    # shellcheck disable=SC2046
    ms=$(perf stat -x, -e task-clock,duration_time $(echo "$b" | sed 's/,/ normalize /; s/,/ /g; t; s/$/ normalize/') < "$f" 2>&1 >/dev/null |
         awk -F, '/task-clock/ { c = $1 } /duration_time/ { w = $1 / 1e6 } END { print c, w }')
    echo "$b $ms"
  done
  i=$((i + 1))
done | sort -k1,1 -k2,2n | awk -v bytes="$bytes" '
  { v[$1, ++n[$1]] = $2; s[$1] += $2; w[$1, n[$1]] = $3 }
  END {
    for (k in n) {
      m = v[k, int((n[k] + 1) / 2)]
      for (j = 1; j <= n[k]; j++) { x = w[k, j]; for (i = j - 1; i >= 1 && ws[i] > x; i--) ws[i + 1] = ws[i]; ws[i + 1] = x }
      mw = ws[int((n[k] + 1) / 2)]
      printf "%s best %.1f ms (%.1f MB/s) median %.1f ms (%.1f MB/s) mean %.1f ms; wall best %.1f ms (%.1f MB/s) median %.1f ms (%.1f MB/s)\n", k, v[k, 1], bytes / 1000 / v[k, 1], m, bytes / 1000 / m, s[k] / n[k], ws[1], bytes / 1000 / ws[1], mw, bytes / 1000 / mw
    }
  }'
