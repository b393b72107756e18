#!/bin/sh
# bench/search/run.sh [BUILD] — search latency on a generated database of N articles (default
# 1,000,000; made by bench/gen/run.sh if missing, outside the repository): Q realistic queries
# (default 1000; 1–3 words drawn by frequency, some typed without ZWNJ or with Arabic ي/ك), each
# run through store_search and through the peer (the one-statement bm25-over-every-match search),
# interleaved. Prints p50/p95/p99 for both, and the database's size per article.
# Environment: N, Q, DIR (default /tmp/chapar-bench), NO_PEER=1 to skip the peer.
set -eu
BUILD=${1:-build}
N=${N:-1000000}
Q=${Q:-1000}
DIR=${DIR:-/tmp/chapar-bench}
DB=${DB:-$DIR/$N.db}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ -f "$BUILD/libchapar.a" ] || { echo "run.sh: build first ($BUILD/libchapar.a missing)" >&2; exit 1; }
N=$N DB=$DB DIR=$DIR sh "$here/../gen/run.sh" "$BUILD"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCHAPAR_VERSION='"bench"' \
	-I "$src/src" -I "$src/include" "$here/bench_search.c" "$BUILD/libchapar.a" \
	$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl \
	-lm -lpthread -o "$DIR/bench_search"
bytes=$(stat -c %s "$DB")
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), N=$N Q=$Q, $DB: $bytes bytes = $((bytes / N)) bytes per article"
"$DIR/bench_search" "$DB" "$DIR/queries.txt" "$Q" ${NO_PEER:+--no-peer}
