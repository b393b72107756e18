#!/bin/sh
# normalize_threads.sh — `chapar normalize --threads N` writes exactly what --threads 1 writes
# (the single-thread path), on inputs made to stress the edges of its 64 KiB pieces and 256 KiB
# blocks: many short lines, a 3 MB line, lines of 4 KiB, 8 KiB and 64 KiB ± 1 (text_normalize's
# chunks and the pieces), a long line without spaces, CRLF, invalid UTF-8, no final line break,
# empty input, several FILE arguments and "-"; and fails the same way: --strict on invalid
# UTF-8 (same message, same exit status, the same output before it), a file that cannot be
# opened. A regular file (stdin or FILE) is mapped and a pipe is read: both must write the
# same bytes, also from stdin at an offset, for a file whose size is a multiple of the page
# size, and stdin named twice; a mapped stdin is left at its end.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT
lines="$SRC/tests/data/text/seed_000_02f99fe4b705e8eb.txt"
for f in "${SHARED:-/nonexistent}"/data/zwnj-dev/input-*.txt; do
  [ -f "$f" ] && cat "$f" >> "$TMPDIR/lines.txt"
done
[ -s "$TMPDIR/lines.txt" ] || cp "$lines" "$TMPDIR/lines.txt"
python3 - "$TMPDIR/lines.txt" "$TMPDIR" <<'EOF'
import random, sys
random.seed(3)
src = [l for l in open(sys.argv[1], 'rb').read().split(b'\n') if l]
out = sys.argv[2]
def text(n):
    """about n bytes of real lines joined by spaces, cut at n"""
    parts, size = [], 0
    while size < n:
        parts.append(random.choice(src)); size += len(parts[-1]) + 1
    return b' '.join(parts)[:n]
parts = [random.choice(src) for _ in range(4000)]
parts.append(text(3_000_000))                       # a line of 3 MB
parts += [random.choice(src) for _ in range(1500)]
for n in (4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537, 131072):
    parts.append(text(n))                           # around chunk and piece sizes
    parts += [random.choice(src) for _ in range(random.randint(0, 30))]
parts.append(b'x' * 70000)                          # no space to cut at
parts.append('م'.encode() * 40000)                   # two-byte letters, no space
parts.append(b'  ' + text(66000).replace(b' ', b'   '))  # runs of spaces at the cuts
parts.append(text(300) + b'\r')                     # CRLF
parts.append(text(200) + b'\xff\xfe' + text(200))   # invalid UTF-8
data = b'\n'.join(parts)                            # no final line break
open(out + '/big.txt', 'wb').write(data)
# invalid UTF-8 past the first block, for --strict
cut = 2_400_000
open(out + '/bad.txt', 'wb').write(data[:cut] + b'\xc3' + data[cut:])
open(out + '/tail.txt', 'wb').write(text(5000))     # a file ending without a line break
EOF
# same_as_one FLAGS...: each thread count writes what --threads 1 writes on big.txt
same_as_one() {
  "$CHAPAR" normalize --threads 1 "$@" < "$TMPDIR/big.txt" > "$TMPDIR/one"
  [ -s "$TMPDIR/one" ] || fail "no output"
  for t in 2 3 4; do
    "$CHAPAR" normalize --threads $t "$@" < "$TMPDIR/big.txt" | cmp -s - "$TMPDIR/one" ||
      fail "--threads $t $* differs from --threads 1"
  done
  "$CHAPAR" normalize "$@" < "$TMPDIR/big.txt" | cmp -s - "$TMPDIR/one" ||
    fail "default threads $* differs from --threads 1"
}
same_as_one
same_as_one --digits fa
same_as_one --digits ascii
# a pipe (read) writes what a regular file (mapped) writes, for every thread count
"$CHAPAR" normalize --threads 1 < "$TMPDIR/big.txt" > "$TMPDIR/one"
for t in 1 2 3; do
  cat "$TMPDIR/big.txt" | "$CHAPAR" normalize --threads $t | cmp -s - "$TMPDIR/one" ||
    fail "pipe --threads $t differs from a regular file"
done
# stdin at an offset (dd reads exactly 1000 bytes): what follows, as a pipe gives it
tail -c +1001 "$TMPDIR/big.txt" | "$CHAPAR" normalize --threads 1 > "$TMPDIR/off.pipe"
for t in 1 2; do
  (dd bs=1000 count=1 of=/dev/null 2>/dev/null; "$CHAPAR" normalize --threads $t) \
    < "$TMPDIR/big.txt" | cmp -s - "$TMPDIR/off.pipe" || fail "stdin at an offset, --threads $t"
done
# a size that is a multiple of the page size, ending inside a word; a mapped stdin is left
# at its end (cat after it reads nothing), and stdin named twice gives its text once
head -c 1048576 "$TMPDIR/big.txt" > "$TMPDIR/page.txt"
head -c 1048576 "$TMPDIR/big.txt" | "$CHAPAR" normalize --threads 1 > "$TMPDIR/page.pipe"
for t in 1 2; do
  "$CHAPAR" normalize --threads $t < "$TMPDIR/page.txt" | cmp -s - "$TMPDIR/page.pipe" ||
    fail "page-sized file --threads $t"
  [ -z "$( ("$CHAPAR" normalize --threads $t > /dev/null; cat) < "$TMPDIR/page.txt")" ] ||
    fail "stdin not left at its end, --threads $t"
  "$CHAPAR" normalize --threads $t - - < "$TMPDIR/page.txt" | cmp -s - "$TMPDIR/page.pipe" ||
    fail "stdin twice, --threads $t"
done
# several files, "-" among them, files without a final line break
# shellcheck disable=SC2094 # files.$t is not tail.txt
for t in 1 2 3; do
  "$CHAPAR" normalize --threads $t "$TMPDIR/tail.txt" - "$TMPDIR/big.txt" "$TMPDIR/tail.txt" \
    < "$TMPDIR/tail.txt" > "$TMPDIR/files.$t"
done
cmp -s "$TMPDIR/files.1" "$TMPDIR/files.2" || fail "several files: --threads 2 differs"
cmp -s "$TMPDIR/files.1" "$TMPDIR/files.3" || fail "several files: --threads 3 differs"
[ "$(wc -c < "$TMPDIR/files.1")" -gt "$(wc -c < "$TMPDIR/one")" ] || fail "several files: output short"
# empty input
[ -z "$("$CHAPAR" normalize --threads 2 < /dev/null)" ] || fail "empty input"
# --strict: the same exit status, message and output before the failing piece, which stops
# inside the input (past the first block)
for t in 1 2 4; do
  rc=0
  "$CHAPAR" normalize --strict --threads $t < "$TMPDIR/bad.txt" > "$TMPDIR/strict.$t" 2> "$TMPDIR/err.$t" || rc=$?
  [ "$rc" = 1 ] || fail "--strict --threads $t: exit status $rc"
  grep -q '^chapar normalize: <stdin>: invalid UTF-8$' "$TMPDIR/err.$t" || fail "--strict --threads $t: message"
done
cmp -s "$TMPDIR/strict.1" "$TMPDIR/strict.2" || fail "--strict: --threads 2 output differs"
cmp -s "$TMPDIR/strict.1" "$TMPDIR/strict.4" || fail "--strict: --threads 4 output differs"
n=$(wc -c < "$TMPDIR/strict.1")
if [ "$n" -lt 1000000 ] || [ "$n" -ge 2400000 ]; then fail "--strict: $n bytes written before the error"; fi
"$CHAPAR" normalize --threads 1 < "$TMPDIR/bad.txt" | head -c "$n" | cmp -s - "$TMPDIR/strict.1" ||
  fail "--strict: output is not what the input before the error gives"
# a file that cannot be opened: the files before it are written, then the message
for t in 1 2; do
  rc=0
  "$CHAPAR" normalize --threads $t "$TMPDIR/tail.txt" "$TMPDIR/missing" "$TMPDIR/big.txt" \
    > "$TMPDIR/open.$t" 2> "$TMPDIR/openerr.$t" || rc=$?
  [ "$rc" = 1 ] || fail "missing file --threads $t: exit status $rc"
  grep -q "cannot open" "$TMPDIR/openerr.$t" || fail "missing file --threads $t: message"
done
cmp -s "$TMPDIR/open.1" "$TMPDIR/open.2" || fail "missing file: outputs differ"
"$CHAPAR" normalize --threads 1 "$TMPDIR/tail.txt" | cmp -s - "$TMPDIR/open.1" || fail "missing file: output"
# bad thread counts are usage errors
for bad in 0 -1 x 65; do
  rc=0
  "$CHAPAR" normalize --threads "$bad" < /dev/null > /dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "--threads $bad: exit status $rc"
done
echo "ok"
