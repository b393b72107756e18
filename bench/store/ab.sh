#!/bin/sh
# bench/store/ab.sh NAME... — the whole ingest path (`load DB OUTLETS --assign`, bench/gen/load.c)
# for several builds of `load`, run alternately in the same minutes so that a loaded machine
# weighs on each alike: first each on a fresh store fed FRESH (20k articles), then each on a
# fresh copy of the large store BIG (its WAL too; read into the page cache first) fed NEW.
# For every run it prints the split load reports (store / cluster, wall and CPU), the database
# size and md5 digests of the related rows, stories and signatures written, so that builds
# meant to give the same output can be checked to.
#
# NAME is a `load` binary DIR/load-NAME (link one per library: bench/gen/run.sh's cc line),
# or NAME+FLAG to run it with --FLAG too (w+sequential: this library's clustering after each
# batch on the storing thread, the path before rank_clusterer; w+no-turn: the clustering
# thread without the write turn; w+yield=250: --yield 250).
# Environment: DIR (work directory, default /tmp/chapar-ab), OUTLETS (default
# bench/gen/outlets.tsv), FRESH, BIG, NEW (inputs; a step without its input is skipped).
# The copy of BIG lives in DIR/big.db and is replaced for every run: BIG itself is never written.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/fresh_copy.sh"
DIR=${DIR:-/tmp/chapar-ab}
OUTLETS=${OUTLETS:-$here/../gen/outlets.tsv}
FRESH=${FRESH:-}
BIG=${BIG:-}
NEW=${NEW:-}
[ $# -gt 0 ] || { echo "usage: DIR=... FRESH=... BIG=... NEW=... sh bench/store/ab.sh NAME..." >&2; exit 2; }

# digests DB FIRST: md5 prefixes of the related rows, stories and signatures of articles >= FIRST.
# The related rows are (article, rank, related article) from either layout: a row each (schema
# 4–10: `related`) or one JSON array an article (schema 11: `related_lists`), so both compare.
digests() {
	q() { sqlite3 -readonly "$1" "$2" | md5sum | cut -c1-10; }
	related="SELECT * FROM related WHERE article_id >= $2 ORDER BY 1, 2"
	[ "$(sqlite3 -readonly "$1" "SELECT count(*) FROM sqlite_master WHERE name = 'related_lists'")" = 0 ] ||
		related="SELECT r.article_id, j.key, j.value FROM related_lists r, json_each(r.ids) j
			WHERE r.article_id >= $2 ORDER BY 1, 2"
	echo "related $(q "$1" "$related")" \
		"stories $(q "$1" "SELECT id, story_id FROM articles WHERE id >= $2 ORDER BY 1")" \
		"sigs $(q "$1" "SELECT article_id, hex(sig) FROM article_sigs WHERE article_id >= $2 ORDER BY 1")"
}

# run NAME DB INPUT: DIR/load-NAME (or NAME+FLAG: see above) on DB fed INPUT; its report lines.
run() {
	bin=${1%%+*}
	flag=
	[ "$bin" = "$1" ] || flag=$(echo "--${1#*+}" | tr = ' ')
	"$DIR/load-$bin" "$2" "$OUTLETS" --assign $flag < "$3" 2>&1 | grep '^ingest:'
}

# stamp WHAT NAME: a header line with the time and the load average.
stamp() {
	echo "## $(date -u +%H:%M:%S) $1 $2, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [ -n "$FRESH" ]; then
	for name in "$@"; do
		db="$DIR/fresh-$name.db"
		rm -f "$db" "$db-wal" "$db-shm"
		stamp fresh "$name"
		run "$name" "$db" "$FRESH"
		echo "   $(stat -c %s "$db") bytes, $(digests "$db" 0)"
	done
fi
if [ -n "$BIG" ] && [ -n "$NEW" ]; then
	for name in "$@"; do
		db="$DIR/big.db"
		fresh_copy "$BIG" "$db"
		first=$(($(sqlite3 -readonly "$db" 'SELECT coalesce(max(id), 0) FROM articles') + 1))
		stamp big "$name"
		run "$name" "$db" "$NEW"
		echo "   $(stat -c %s "$db") bytes, $(sqlite3 -readonly "$db" 'SELECT count(*) FROM articles') articles, $(digests "$db" "$first")"
	done
	rm -f "$DIR/big.db" "$DIR/big.db-wal" "$DIR/big.db-shm"
fi
