#!/bin/sh
# run.sh [BUILD] [ROUNDS] — chapar extract vs @mozilla/readability (on linkedom) over
# ../shared/data/extract-dev, side by side, interleaved (chapar, readability, readability,
# chapar, ...) because the machine is shared. Both run as extract_score.py anchors: one process
# for the whole set, start-up included; F1 from the scorer, pages per CPU-second from the
# extractor's user+sys time as /usr/bin/time reports it (the scorer prints only one decimal).
# Installs the peer with npm on first use.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
rounds=${2:-3}
shared=${SHARED:-$src/../shared}
score="python3 $shared/tools/extract_score.py"
[ -d "$here/node_modules/@mozilla/readability" ] || (cd "$here" && npm install --no-audit --no-fund >/dev/null)
chapar="xargs $build/chapar extract --json"
peer="node $here/readability.mjs"
out=$(mktemp)
times=$(mktemp)
trap 'rm -f "$out" "$times"' EXIT
i=1
while [ "$i" -le "$rounds" ]; do
  if [ $((i % 2)) = 1 ]; then order="chapar peer"; else order="peer chapar"; fi
  for who in $order; do
    if [ "$who" = chapar ]; then cmd=$chapar; label=chapar; else cmd=$peer; label=readability.js+linkedom; fi
    $score anchor "/usr/bin/time -a -o $times -f '$label %U %S' $cmd" --sets extract-dev --bootstrap 200 \
      --label "$label" | tail -n 1 | tee -a "$out"
  done
  i=$((i + 1))
done
echo
pages=$(ls -d "$shared"/data/extract-dev/*/ | wc -l)
echo "pages per CPU-second ($pages pages; start-up included; median over $rounds rounds):"
awk -v pages="$pages" '{ cpu = $2 + $3; v[$1] = v[$1] " " sprintf("%.1f", pages / cpu) }
     END { for (n in v) { k = split(v[n], a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
           printf "  %-26s %8.1f pages/CPU-s  (rounds:%s)\n", n, a[int((k + 1) / 2)], v[n] } }' "$times"
