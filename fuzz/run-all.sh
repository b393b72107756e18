#!/bin/sh
# run-all.sh BUILD SECONDS [RUNS] — run every libFuzzer binary in BUILD/fuzz from its seed
# corpus (copied, so the committed corpus is not changed) for at most SECONDS each. With RUNS
# (as CI does) each does exactly RUNS executions from a fixed seed, so a run is repeatable and a
# finding is a finding of the code, not of the day. Fails on any crash, leak, timeout or
# undefined-behaviour report. SECONDS 0 means no time limit (libFuzzer's own meaning).
set -eu
build=$1; secs=$2; runs=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build"/fuzz/fuzz-*; do
  [ -x "$bin" ] || continue
  name=${bin##*/fuzz-}
  work=$(mktemp -d)
  cp -r "$here/corpus/$name/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${secs}s"
  fixed=""
  [ -n "$runs" ] && fixed="-seed=1403 -runs=$runs"
  if ! "$bin" -max_total_time="$secs" $fixed -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$here/crash-$name-" "$work" >"$work.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$work.log"; status=1
  elif grep -q "runtime error:" "$work.log"; then
    # UBSan reports and goes on inside libFuzzer: a report is a failure all the same
    echo "fuzz: $name FAILED (undefined behaviour)"; grep -m5 -A5 "runtime error:" "$work.log"; status=1
  else
    tail -1 "$work.log"
  fi
  rm -rf "$work" "$work.log"
done
exit $status
