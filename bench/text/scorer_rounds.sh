#!/bin/sh
# bench/text/scorer_rounds.sh ROUNDS BIN... — the scorer's wall MB/s (`zwnj_score.py --bench-mb
# 20`: process start included, stdin a regular file, stdout discarded) for each binary, the
# binaries alternated round after round so they share the machine's load; prints each round
# with the load average, then best and median per binary and input. A BIN written
# PATH,ARG,ARG… runs `PATH normalize ARG…` (e.g. build/chapar,--threads,1).
set -eu
rounds=$1; shift
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$src/../shared}
i=0
while [ "$i" -lt "$rounds" ]; do
  for b in "$@"; do
    # shellcheck disable=SC2046
    python3 "$shared/tools/zwnj_score.py" --data "$shared/data/zwnj-dev" --bench-mb 20 -- \
      $(echo "$b" | sed 's/,/ normalize /; s/,/ /g; t; s/$/ normalize/') 2>&1 |
      awk -v b="$b" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
        '/bench/ { sub(":", "", $2); print b, $2, $(NF - 1), "load", load }'
  done
  i=$((i + 1))
done | tee /dev/stderr | sort -k1,1 -k2,2 -k3,3n | awk '
  { k = $1 " " $2; v[k, ++n[k]] = $3 }
  END { for (k in n) printf "%s best %.1f median %.1f MB/s (%d rounds)\n", k, v[k, n[k]], v[k, int((n[k] + 1) / 2)], n[k] }' | sort
