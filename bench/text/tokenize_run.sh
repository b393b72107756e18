#!/bin/sh
# bench/text/tokenize_run.sh [BUILD] — the full-text tokenizer's speed (bench/text/tokenize_bench.c:
# text_tokenize, document mode, CPU time) on real news text: every title, abstract, paragraph and
# tag line of ../shared/data/fa-news-dev, plus the text fields of IN (a bench/gen TSV, optional).
# With REF_LIB (another libchapar.a, e.g. main's) both are run alternately, ROUNDS each, and
# their token checksums compared.
# Environment: DIR (default /tmp/chapar-bench/tokenize), IN, REF_LIB, ROUNDS (default 5), RUNS (3).
set -eu
BUILD=${1:-build}
DIR=${DIR:-/tmp/chapar-bench/tokenize}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
shared=${SHARED:-$src/../shared}
mkdir -p "$DIR"
libs="$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl -lm -lpthread"
names=new
for which in new ref; do
	lib=$BUILD/libchapar.a
	if [ "$which" = ref ]; then
		[ -n "${REF_LIB:-}" ] || continue
		lib=$REF_LIB
		names="ref new"
	fi
	cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I "$src/src" -I "$src/include" \
		"$here/tokenize_bench.c" "$lib" $libs -o "$DIR/tokenize-$which"
done
python3 "$here/tokenize_news.py" "$shared/data/fa-news-dev" > "$DIR/news.txt"
[ -z "${IN:-}" ] || cut -f5-7 "$IN" | sed 's/\\n/ /g' >> "$DIR/news.txt"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), $(wc -l < "$DIR/news.txt") lines, $(wc -c < "$DIR/news.txt") bytes"
i=0
while [ $i -lt "$RUNS" ]; do
	for which in $names; do
		echo "$which: $("$DIR/tokenize-$which" "$DIR/news.txt" "$ROUNDS")"
	done
	i=$((i + 1))
done
