#!/bin/sh
# text_normalize.sh — `chapar normalize` end to end: the seed page that lost its half-spaces
# gets them back (the listed words) and no other word changes; lines are preserved; stdin and
# files; --strict fails on invalid UTF-8; --digits; --help.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
seed="$SHARED/seed/000_02f99fe4b705e8eb.txt"
TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT
out="$TMPDIR/seed.out"
"$CHAPAR" normalize < "$seed" > "$out"
[ "$(wc -l < "$seed")" = "$(wc -l < "$out")" ] || fail "line count changed"
for w in 'می‌شود' 'گفت‌وگو' 'حوزه‌های' 'سه‌شنبه' 'چندجانبه‌گرایی' 'هم‌اندیشی' 'بین‌المللی' 'منطقه‌ای'; do
  grep -q "$w" "$out" || fail "seed: $w not restored"
done
for w in 'میشود' 'گفتوگو' 'حوزههای' 'سهشنبه' 'چندجانبهگرایی' 'هماندیشی' 'بینالمللی' 'منطقهای'; do
  if grep -q "$w" "$out"; then fail "seed: $w left joined"; fi
done
# no other word broken: without ZWNJs and spaces the letters are exactly the input's, and
# at most a few spaces became ZWNJs (spaced compounds such as "آماده سازی")
zw=$(printf '\342\200\214')
tr -d ' ' < "$seed" | sed "s/$zw//g" > "$TMPDIR/seed.in.letters"
tr -d ' ' < "$out" | sed "s/$zw//g" > "$TMPDIR/seed.out.letters"
cmp -s "$TMPDIR/seed.in.letters" "$TMPDIR/seed.out.letters" || fail "seed: letters changed"
joined=$(( $(tr -cd ' ' < "$seed" | wc -c) - $(tr -cd ' ' < "$out" | wc -c) ))
[ "$joined" -le 3 ] || fail "seed: $joined spaces removed"
# already-correct text passes through
printf 'این متن درست است و می‌شود خواند.\n' > "$TMPDIR/ok.txt"
"$CHAPAR" normalize "$TMPDIR/ok.txt" | cmp - "$TMPDIR/ok.txt" || fail "correct text changed"
# invalid UTF-8: repaired by default, refused with --strict
printf 'a\377b\n' | "$CHAPAR" normalize | grep -q "a$(printf '\357\277\275')b" || fail "no U+FFFD"
if printf 'a\377b\n' | "$CHAPAR" normalize --strict > /dev/null 2>&1; then fail "--strict accepted bad UTF-8"; fi
[ "$(printf 'سال 1403\n' | "$CHAPAR" normalize --digits fa)" = "سال ۱۴۰۳" ] || fail "--digits fa"
"$CHAPAR" normalize --help | grep -q usage || fail "--help"
if "$CHAPAR" normalize --bogus > /dev/null 2>&1; then fail "bad option accepted"; fi
echo ok
