#!/bin/sh
# bench/text/rss.sh FILE TIMES BIN... — memory of `BIN normalize` on FILE repeated TIMES times
# through a pipe (e.g. 50 × 20 MB = 1 GB): maximum resident set size, wall, user and system
# time from /usr/bin/time -v, one binary after the other. A BIN written PATH,ARG,ARG… runs
# `PATH normalize ARG…` (e.g. build/chapar,--threads,2). Memory must stay flat whatever the
# input size: compare with a run of TIMES 1.
set -eu
f=$1; times=$2; shift 2
bytes=$(( $(wc -c < "$f") * times ))
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for b in "$@"; do
  i=0
  # shellcheck disable=SC2046
  while [ "$i" -lt "$times" ]; do cat "$f"; i=$((i + 1)); done |
    /usr/bin/time -v $(echo "$b" | sed 's/,/ normalize /; s/,/ /g; t; s/$/ normalize/') 2> "$tmp" > /dev/null
  awk -v b="$b" -v bytes="$bytes" -F': ' '
    /Maximum resident/ { rss = $2 } /Elapsed/ { wall = $2 } /User time/ { user = $2 } /System time/ { sys = $2 }
    END { printf "%s: %.0f MB in, max RSS %d KB, wall %s, user %s s, system %s s\n", b, bytes / 1e6, rss, wall, user, sys }' "$tmp"
done
