#!/bin/sh
# bench/store/run.sh [BUILD] — ingest with clustering and indexing, per stage, on a fresh
# generated database of N articles (default 100,000): stage 1 load (store_article_put_many,
# the full-text index kept by triggers; bench/gen/load.c), stage 2 rank_assign_all (signatures,
# stories, related articles; bench_store --assign), then Q trending and related lookups.
# Prints each stage's rate and the combined rate. Environment: N, Q (default 1000), DIR
# (default /tmp/chapar-bench), DB (default DIR/store-N.db, always rebuilt), SKIP_LOAD=1 to only
# run the later stages on an existing DB, PERF=1 to record stage 2 with perf (DIR/perf-assign.data).
set -eu
BUILD=${1:-build}
N=${N:-100000}
Q=${Q:-1000}
DIR=${DIR:-/tmp/chapar-bench}
DB=${DB:-$DIR/store-$N.db}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ -f "$BUILD/libchapar.a" ] || { echo "run.sh: build first ($BUILD/libchapar.a missing)" >&2; exit 1; }
mkdir -p "$DIR"
libs="$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl -lm -lpthread"
cc -O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCHAPAR_VERSION='"bench"' \
	-I "$src/src" -I "$src/include" "$here/bench_store.c" "$BUILD/libchapar.a" $libs -o "$DIR/bench_store"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), N=$N"
if [ "${SKIP_LOAD:-0}" != 1 ]; then
	# bench/gen/run.sh builds gen, load and the model; with N=0 it stops before loading
	N=1 DB=$DIR/none.db DIR=$DIR sh "$here/../gen/run.sh" "$BUILD" >/dev/null 2>&1 || true
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DIR/none.db"*
	"$DIR/gen" "$DIR/model.tsv" "$here/../gen/outlets.tsv" "$N" 1 > "$DIR/store-$N.tsv"
	t0=$(date +%s.%N)
	"$DIR/load" "$DB" "$here/../gen/outlets.tsv" --batch 1000 < "$DIR/store-$N.tsv" 2>&1 | tail -1
	t1=$(date +%s.%N)
	echo "stage 1 load: $(echo "$N / ($t1 - $t0)" | bc) articles/s (wall, with process start)"
fi
t1=$(date +%s.%N)
if [ "${PERF:-0}" = 1 ]; then
	perf record -q --call-graph dwarf -F 200 -o "$DIR/perf-assign.data" "$DIR/bench_store" "$DB" --assign
else
	"$DIR/bench_store" "$DB" --assign
fi
t2=$(date +%s.%N)
[ "${SKIP_LOAD:-0}" != 1 ] && echo "load + assign: $(echo "$N / ($t2 - $t0)" | bc) articles/s"
echo "# lookups, load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$DIR/bench_store" "$DB" --lookups "$Q"
