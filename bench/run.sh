#!/bin/sh
# bench/run.sh [BUILD] — every benchmark in bench/*/run.sh, one after the other. Figures and
# the commands that produced them are kept in bench/RESULTS.md.
set -u
BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/*/run.sh; do
  echo "== $b"
  sh "$b" "$BUILD" || echo "(benchmark $b failed)"
done
