#!/bin/sh
# bench/gen/tokens.sh [BUILD] — proof that the tokenizer's output is unchanged: every token
# (both modes, with offsets and colocation) and every line's text_fold, over the fa-news-dev
# texts, N generated articles (bench/gen) and every code point below U+10000 alone and inside
# words, from this build and from a reference build of REF (default main), compared byte for
# byte; then both timed over the same input. An index built by the reference stays valid
# exactly when this prints "identical".
# Environment: REF (git revision, default main), REF_LIB (a libchapar.a to use instead of
# building REF), N (generated articles, default 20000), DIR (default /tmp/chapar-bench/tokens).
set -eu
BUILD=${1:-build}
REF=${REF:-main}
N=${N:-20000}
DIR=${DIR:-/tmp/chapar-bench/tokens}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
shared=${SHARED:-$src/../shared}
mkdir -p "$DIR"
libs="$(pkg-config --libs libxml-2.0 sqlite3 jansson libutf8proc libxxhash) -ldl -lm -lpthread"
if [ -z "${REF_LIB:-}" ]; then
	rm -rf "$DIR/ref-src" && mkdir -p "$DIR/ref-src"
	git -C "$src" archive "$REF" | tar -x -C "$DIR/ref-src"
	cmake -S "$DIR/ref-src" -B "$DIR/ref-build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$DIR/ref-build" -j2 --target chapar_lib >/dev/null 2>&1 ||
		cmake --build "$DIR/ref-build" -j2 >/dev/null
	REF_LIB=$DIR/ref-build/libchapar.a
fi
for which in ref new; do
	lib=$REF_LIB
	[ "$which" = new ] && lib=$BUILD/libchapar.a
	cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I "$src/src" -I "$src/include" \
		"$here/tokdump.c" "$lib" $libs -o "$DIR/tokdump-$which"
done
# the input: news texts, generated articles, every code point (alone, and between letters)
python3 - "$shared/data/fa-news-dev" > "$DIR/input.txt" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if name.endswith(".json"):
        for a in json.load(open(os.path.join(d, name))):
            for k in ("title", "abstract"):
                print((a.get(k) or "").replace("\n", " "))
            for p in a.get("paragraphs") or []:
                print(p.replace("\n", " "))
            print(" ".join(a.get("tags") or []))
for cp in range(1, 0x10000):
    if 0xD800 <= cp < 0xE000 or cp == 10:
        continue
    c = chr(cp)
    print(f"{c}|a{c}b|\u0628{c}\u0631 \u0645\u06cc{c}\u200c\u0634\u0648\u062f \u06a9\u062a\u0627\u0628{c} \u0647\u0627")
PY
[ -x "$DIR/gen" ] || cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$DIR/gen" "$here/gen.c" -lm
[ -f "$DIR/model.tsv" ] || python3 "$here/model.py" "$shared/data/fa-news-dev" "$DIR/model.tsv"
"$DIR/gen" "$DIR/model.tsv" "$here/outlets.tsv" "$N" 3 >> "$DIR/input.txt"
printf 'bad utf-8: \377\376 \300\200 \355\240\200 \340\200 \360\220\200 end\n' >> "$DIR/input.txt"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), $(wc -l < "$DIR/input.txt") lines, $(wc -c < "$DIR/input.txt") bytes"
for which in ref new; do
	"$DIR/tokdump-$which" < "$DIR/input.txt" > "$DIR/out-$which.txt"
done
# timing: tokenizing only (both modes) and folding, interleaved
for which in ref new ref new ref new; do
	t0=$(date +%s.%N)
	"$DIR/tokdump-$which" --count < "$DIR/input.txt" >/dev/null
	t1=$(date +%s.%N)
	echo "$which: $(echo "$t1 - $t0" | bc) s, $(echo "$(wc -c < "$DIR/input.txt") / ($t1 - $t0) / 1000000" | bc) MB/s"
done
if cmp -s "$DIR/out-ref.txt" "$DIR/out-new.txt"; then
	echo "identical: $(wc -l < "$DIR/out-new.txt") lines of tokens and folds"
else
	echo "DIFFERENT:"; diff "$DIR/out-ref.txt" "$DIR/out-new.txt" | head -20
	exit 1
fi
