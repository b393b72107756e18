#!/bin/sh
# run-all.sh BUILD SECONDS — run every libFuzzer binary in BUILD/fuzz for SECONDS each, starting
# from its seed corpus (copied, so the committed corpus is not changed). Fails on any crash.
set -eu
build=$1; secs=$2
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build"/fuzz/fuzz-*; do
  [ -x "$bin" ] || continue
  name=${bin##*/fuzz-}
  work=$(mktemp -d)
  cp -r "$here/corpus/$name/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$here/crash-$name-" "$work" >"$work.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$work.log"; status=1
  else
    tail -1 "$work.log"
  fi
  rm -rf "$work" "$work.log"
done
exit $status
