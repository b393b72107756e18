#!/bin/sh
# slow_fetch_rate.sh — the fetching bar as a test: bench/fetch/run.sh (small) against the
# fixture server on 127.0.0.1 must show ≥ 1,000 feeds a minute, no failures, and the server
# must never see more than 2 requests or 2 connections at once on one Host (the per-host limit).
# Env from ctest: SRC (checkout), BUILD (build dir). Slow_: it compiles a program against
# libchapar.a, which an ASan build cannot link without the sanitizer flags.
set -eu
out=$(FEEDS=${FEEDS:-1000} ROUNDS=1 DELAY=0.01 sh "$SRC/bench/fetch/run.sh" "$BUILD")
echo "$out"
echo "$out" | grep ' chapar ' | awk '
{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	if (v["failed"] != 0) { print "FAIL: " v["failed"] " feeds failed"; bad = 1 }
	if (v["feeds_per_min"] + 0 < 1000) { print "FAIL: " v["feeds_per_min"] " feeds/min < 1000"; bad = 1 }
	if (v["server_max_active_per_host"] + 0 > 2) { print "FAIL: server saw " v["server_max_active_per_host"] " requests at once on one host"; bad = 1 }
	if (v["server_max_conns_per_host"] + 0 > 2) { print "FAIL: server saw " v["server_max_conns_per_host"] " connections at once to one host"; bad = 1 }
	n++
}
END { if (n != 2) { print "FAIL: expected 2 chapar lines, got " n; bad = 1 } exit bad }'
