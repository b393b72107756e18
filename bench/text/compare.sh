#!/bin/sh
# bench/text/compare.sh REF NEW [FILE...] — byte-identity check of two `chapar normalize`
# binaries (e.g. main's and a work branch's) on the zwnj-dev inputs, the seed page, each
# normalize fuzz seed and the given files, with default flags, --digits fa and --digits ascii.
# Prints each difference; exits 1 when there is one. Speed work must keep the output the same.
set -eu
ref=$1; new=$2; shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$src/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in "$shared"/data/zwnj-dev/input-*.txt "$shared"/data/zwnj-dev/gold.txt \
         "$shared"/seed/*.txt "$src"/fuzz/corpus/normalize/* "$@"; do
  for flags in "" "--digits fa" "--digits ascii"; do
    # shellcheck disable=SC2086
    "$ref" normalize $flags < "$f" > "$tmp/a" || true
    # shellcheck disable=SC2086
    "$new" normalize $flags < "$f" > "$tmp/b" || true
    if ! cmp -s "$tmp/a" "$tmp/b"; then
      echo "DIFFERENT: $f $flags"
      fail=1
    fi
  done
done
[ $fail = 0 ] && echo "identical"
exit $fail
