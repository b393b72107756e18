#!/bin/sh
# bench_speed.sh — story clustering throughput: `chapar stories` over ROUNDS copies of the
# labelled set (each round re-generated with another seed and shifted by 30 days, so every
# round is a fresh 3-day window of ~3,150 realistic Persian articles), timed end to end (JSON
# parsing, signatures, the incremental index, output), interleaved with the TF-IDF baseline on
# one round as the peer measured in the same run. --stats adds chapar's own split: signatures
# (tokenize, shingle, hash) and the story index (candidates, verification, assignment).
# usage: bench/rank/bench_speed.sh [BUILD_DIR] [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rounds=${2:-10}
chapar="$build/chapar"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rank_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

i=0
while [ $i -lt "$rounds" ]; do
	python3 "$here/make_eval.py" --out "$tmp/r$i" --seed $((100 + i)) > /dev/null
	python3 - "$tmp/r$i/eval.jsonl" $i >> "$tmp/all.jsonl" <<'PY'
import json, sys
shift = int(sys.argv[2])
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    a["id"] = "%d-%s" % (shift, a["id"])
    a["published"] += shift * 30 * 86400
    sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
PY
	i=$((i + 1))
done
n=$(wc -l < "$tmp/all.jsonl")
mb=$(du -m "$tmp/all.jsonl" | cut -f1)
now() { python3 -c 'import time; print(time.time())'; }
for run in $(seq "${RUNS:-3}"); do
	t0=$(now)
	"$chapar" stories --stats --jsonl "$tmp/all.jsonl" > "$tmp/out.tsv"
	t1=$(now)
	python3 "$here/baseline_tfidf.py" "$tmp/r0/eval.jsonl" > "$tmp/base.tsv"
	t2=$(now)
	nb=$(wc -l < "$tmp/r0/eval.jsonl")
	python3 -c "print('run $run: chapar stories %d articles (%d MB) in %.2f s = %.0f articles/s;  tfidf baseline %d articles in %.2f s = %.0f articles/s' % ($n, $mb, $t1 - $t0, $n / ($t1 - $t0), $nb, $t2 - $t1, $nb / ($t2 - $t1)))"
done
