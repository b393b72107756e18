#!/bin/sh
# bench/lookups/run.sh [BUILD] — trending and related lookups on an existing clustered database
# (default /tmp/chapar-search/1000000.db, e.g. a copy of bench/gen's 1M database after
# bench/store's --assign). The database is written to: store_open migrates it, and 5,000 page
# views are recorded. Environment: DB, Q (default 1000), DIR (where the binary goes), NO_PEER=1
# to leave out the per-request formula of before (whose scans take the cache and the CPU).
set -eu
BUILD=${1:-build}
DB=${DB:-/tmp/chapar-search/1000000.db}
Q=${Q:-1000}
DIR=${DIR:-$(dirname "$DB")}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ -f "$BUILD/libchapar.a" ] || { echo "run.sh: build first ($BUILD/libchapar.a missing)" >&2; exit 1; }
libs="$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl -lm -lpthread"
cc -O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCHAPAR_VERSION='"bench"' \
	-I "$src/src" -I "$src/include" "$here/bench_lookups.c" "$BUILD/libchapar.a" $libs -o "$DIR/bench_lookups"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), $DB, Q=$Q"
"$DIR/bench_lookups" "$DB" "$Q" ${NO_PEER:+--no-peer}
