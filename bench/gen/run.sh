#!/bin/sh
# bench/gen/run.sh [BUILD] — make a generated chapar database: N articles of realistic Persian
# news (bench/gen/gen.c over a word/bigram model of ../shared/data/fa-news-dev) loaded through
# the store with its full-text index on (bench/gen/load.c), reporting the ingest rate.
#
# Environment: N (default 1000000), DB (default /tmp/chapar-bench/N.db; an existing file is
# reused, FORCE=1 rebuilds it), BATCH (articles per transaction, default 1000; 1 = one
# store_article_put per article), SEED. The database stays outside the repository.
# Also writes DIR/queries.txt (QUERIES search queries, default 2000) for bench/search/run.sh.
set -eu
BUILD=${1:-build}
N=${N:-1000000}
BATCH=${BATCH:-1000}
SEED=${SEED:-1}
QUERIES=${QUERIES:-2000}
DIR=${DIR:-/tmp/chapar-bench}
DB=${DB:-$DIR/$N.db}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
shared=${SHARED:-$src/../shared}
[ -f "$BUILD/libchapar.a" ] || { echo "run.sh: build first ($BUILD/libchapar.a missing)" >&2; exit 1; }
mkdir -p "$DIR"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$DIR/gen" "$here/gen.c" -lm
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCHAPAR_VERSION='"bench"' \
	-I "$src/src" -I "$src/include" "$here/load.c" "$BUILD/libchapar.a" \
	$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl \
	-lm -lpthread -o "$DIR/load"
python3 "$here/model.py" "$shared/data/fa-news-dev" "$DIR/model.tsv"
"$DIR/gen" "$DIR/model.tsv" "$here/outlets.tsv" --queries "$QUERIES" 7 > "$DIR/queries.txt"

if [ -f "$DB" ] && [ "${FORCE:-0}" != 1 ]; then
	echo "run.sh: $DB exists (FORCE=1 rebuilds it)" >&2
	exit 0
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), N=$N batch=$BATCH"
"$DIR/gen" "$DIR/model.tsv" "$here/outlets.tsv" "$N" "$SEED" | "$DIR/load" "$DB" "$here/outlets.tsv" --batch "$BATCH"
bytes=$(stat -c %s "$DB")
echo "database: $bytes bytes, $((bytes / N)) bytes per article ($DB)"
