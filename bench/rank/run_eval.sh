#!/bin/sh
# run_eval.sh — story-clustering quality on the full labelled set, chapar beside the TF-IDF
# cosine baseline in the same run: both on the raw set, on the articles without ZWNJ/letter/
# digit transforms (what the interim pass-through text_fold can handle), and on the set passed
# through prefold.py (an ESTIMATE of chapar with real index folding; the baseline gets the same
# input). The baseline runs at cosine thresholds 0.4, 0.5 and 0.6.
# usage: bench/rank/run_eval.sh [BUILD_DIR] [SEED]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
seed=${2:-1403}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rank_eval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/make_eval.py" --out "$tmp" --seed "$seed"
python3 "$here/prefold.py" "$tmp/eval.jsonl" > "$tmp/folded.jsonl"
score() { python3 "$here/score.py" "$tmp/labels.tsv" "$@" || true; }

"$build/chapar" stories --stats --jsonl "$tmp/eval.jsonl" > "$tmp/chapar.tsv"
"$build/chapar" stories --jsonl "$tmp/folded.jsonl" > "$tmp/chapar-folded.tsv"
for t in 0.4 0.5 0.6; do
	python3 "$here/baseline_tfidf.py" --threshold $t "$tmp/eval.jsonl" > "$tmp/tfidf-$t.tsv"
	python3 "$here/baseline_tfidf.py" --threshold $t "$tmp/folded.jsonl" > "$tmp/tfidf-folded-$t.tsv"
done
echo "== raw set (interim text_fold)"
score "$tmp/chapar.tsv" --name chapar
for t in 0.4 0.5 0.6; do score "$tmp/tfidf-$t.tsv" --name "tfidf@$t"; done
echo "== without zwnj/letters transforms"
score "$tmp/chapar.tsv" --name chapar --exclude zwnj,letters
for t in 0.4 0.5 0.6; do score "$tmp/tfidf-$t.tsv" --name "tfidf@$t" --exclude zwnj,letters; done
echo "== prefolded set (estimate of real folding)"
score "$tmp/chapar-folded.tsv" --name chapar
for t in 0.4 0.5 0.6; do score "$tmp/tfidf-folded-$t.tsv" --name "tfidf@$t"; done
