#!/bin/sh
# stories_cli.sh — `chapar stories`: help and usage errors, a missing file and a bad line named
# in the error, `id<TAB>story` output for a stream with a URL duplicate, a copy with no body and
# an unrelated article, and --lead naming the credited original outlet's article.
set -eu
: "${CHAPAR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stories_cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "stories_cli: $*" >&2; exit 1; }

"$CHAPAR" stories --help > "$tmp/help" || fail "--help did not exit 0"
grep -q -- "--jsonl FILE" "$tmp/help" || fail "--help prints no usage"
rc=0; "$CHAPAR" stories 2> /dev/null || rc=$?
[ $rc -eq 2 ] || fail "no --jsonl: exit $rc, want 2"
rc=0; "$CHAPAR" stories --jsonl x --bogus 2> /dev/null || rc=$?
[ $rc -eq 2 ] || fail "unknown option: exit $rc, want 2"
rc=0; "$CHAPAR" stories --jsonl "$tmp/none.jsonl" 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] || fail "missing file: exit $rc, want 1"
grep -q "none.jsonl" "$tmp/err" || fail "missing file not named: $(cat "$tmp/err")"

printf '{"id":"1","title":"x"}\n{"id":"2","title":\n' > "$tmp/bad.jsonl"
rc=0; "$CHAPAR" stories --jsonl "$tmp/bad.jsonl" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] || fail "bad line: exit $rc, want 1"
grep -q "bad.jsonl:2:" "$tmp/err" || fail "bad line not located: $(cat "$tmp/err")"

# a stream: g (an aggregator's copy crediting فارس), f (فارس's original, a later http://www.
# URL of the same page as u), n (no body), u (same canonical URL as f), z (unrelated)
python3 - "$tmp/in.jsonl" <<'PY'
import json, random, sys
rnd = random.Random(5)
vocab = ["واژه%d" % i for i in range(3000)]
def para(n): return " ".join(rnd.choice(vocab) for _ in range(n))
title, lead = para(9), para(30)
body = "\n\n".join(para(60) for _ in range(4))
t0 = 1704096000
arts = [
    dict(id="g", source="عرشه آنلاین", source_credit="فارس", url="https://arshe.ir/n/1",
         title=title, lead=lead, body="وبگاه عرشه آنلاین مشاهده در مرجع\n\n" + body, published=t0),
    dict(id="f", source="فارس", url="https://www.farsnews.ir/news/100/", title=title, lead=lead,
         body=body, published=t0 + 60),
    dict(id="n", source="تابناک", url="https://tabnak.ir/9", title=title, lead=lead, published=t0 + 120),
    dict(id="u", source="فارس", url="http://farsnews.ir/news/100?utm_source=tg", title=para(9),
         lead=para(30), published=t0 + 180),
    dict(id="z", source="ایسنا", url="https://isna.ir/1", title=para(9), lead=para(30),
         body=para(200), published=t0 + 240),
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for a in arts:
        f.write(json.dumps(a, ensure_ascii=False) + "\n")
PY
"$CHAPAR" stories --jsonl "$tmp/in.jsonl" > "$tmp/out"
printf 'g\tg\nf\tg\nn\tg\nu\tg\nz\tz\n' > "$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "stories output differs"
"$CHAPAR" stories --lead --jsonl - < "$tmp/in.jsonl" > "$tmp/out"
printf 'g\tg\tg\nf\tg\tf\nn\tg\tf\nu\tg\tf\nz\tz\tz\n' > "$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "--lead output differs"
echo "stories_cli: ok"
