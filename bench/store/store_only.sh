#!/bin/sh
# bench/store/store_only.sh NAME... — storing alone (no clustering) of NEW into a fresh copy of
# BIG for each `load` build DIR/load-NAME (as bench/store/ab.sh), alternately, printing the
# process's CPU seconds and the bytes it wrote (wchar, from /proc/self/io at exit through
# bench/store/io_at_exit.c) and the database size. With SQL set, that statement runs on the copy
# before the load, through DIR/setcfg (store_open + sqlite3_exec, built here against
# LIB, default build/libchapar.a), e.g. SQL="INSERT INTO articles_fts(articles_fts, rank)
# VALUES ('automerge', 0)" to see what FTS5's merging costs. BIG itself is never written; its
# copy is DIR/big.db, removed at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/fresh_copy.sh"
src=$(cd "$here/../.." && pwd)
DIR=${DIR:-/tmp/chapar-ab}
OUTLETS=${OUTLETS:-$here/../gen/outlets.tsv}
: "${BIG:?BIG=the large store}" "${NEW:?NEW=the new articles}"
[ $# -gt 0 ] || { echo "usage: DIR=... BIG=... NEW=... [SQL=...] sh bench/store/store_only.sh NAME..." >&2; exit 2; }
cc -O2 -shared -fPIC -o "$DIR/io_at_exit.so" "$here/io_at_exit.c"
if [ -n "${SQL:-}" ]; then
	cat > "$DIR/setcfg.c" <<'C'
#include <stdio.h>
#include "store/sqlite_internal.h"
int main(int argc, char **argv)
{
	struct store *st;
	struct ch_error err = { 0 };
	char *msg = NULL;
	if (argc < 3 || store_open(argv[1], &st, &err) != CH_OK)
		return fprintf(stderr, "setcfg: %s\n", err.msg), 1;
	if (sqlite3_exec(st->db, argv[2], NULL, NULL, &msg) != SQLITE_OK)
		return fprintf(stderr, "setcfg: %s\n", msg), 1;
	store_close(st);
	return 0;
}
C
	cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I "$src/src" -I "$src/include" \
		"$DIR/setcfg.c" "${LIB:-$src/build/libchapar.a}" \
		$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl -lm -lpthread \
		-o "$DIR/setcfg"
fi
for name in "$@"; do
	db="$DIR/big.db"
	fresh_copy "$BIG" "$db"
	[ -z "${SQL:-}" ] || "$DIR/setcfg" "$db" "$SQL"
	echo "## $(date -u +%H:%M:%S) $name${SQL:+ ($SQL)}, load $(cut -d' ' -f1-3 /proc/loadavg)"
	LD_PRELOAD="$DIR/io_at_exit.so" "$DIR/load-$name" "$db" "$OUTLETS" < "$NEW" 2>&1 |
		grep -E '^(load: [0-9]+ articles in|io:)'
	echo "   $(stat -c %s "$db") bytes"
done
rm -f "$DIR/big.db" "$DIR/big.db-wal" "$DIR/big.db-shm"
