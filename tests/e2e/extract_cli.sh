#!/bin/sh
# extract_cli.sh — `chapar extract` as users call it: --text prints the body only, one paragraph
# per line and no title; --json carries every field; several files in one call; --help; a
# missing file fails with a clear message naming it (URLs: extract_url.sh).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fa="$SRC/tests/data/extract/fa"
fail() { echo "extract_cli: $*" >&2; exit 1; }

"$CHAPAR" extract --help | grep -q 'usage: chapar extract' || fail "--help"

page="$fa/20-aggregator/page.html"
"$CHAPAR" extract --text "$page" > "$tmp/out.txt"
cmp -s "$tmp/out.txt" "$fa/20-aggregator/expected.txt" || { diff "$tmp/out.txt" "$fa/20-aggregator/expected.txt" >&2; fail "--text differs from expected"; }
title=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' "$fa/20-aggregator/meta.json")
grep -qxF "$title" "$tmp/out.txt" && fail "--text printed the title"
grep -q 'مشاهده در مرجع' "$tmp/out.txt" && fail "widget text left in"

"$CHAPAR" extract --json "$fa/01-asam/page.html" "$fa/16-entities/page.html" > "$tmp/out.json"
[ "$(wc -l < "$tmp/out.json")" -eq 2 ] || fail "--json: expected one line per file"
python3 - "$tmp/out.json" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    for k in ('file', 'title', 'published', 'text', 'html'):
        assert d.get(k), f'--json: {k} missing in {d.get("file")}'
PY

# standard input, --html, --base-url: links and images absolute, nothing executable
printf '%s' '<html><body><div class="news-text"><p>Text with a <a href="/x/1" onclick="evil()">link</a> and <img src="a.jpg" onerror="evil()"> an image, long enough to be the article.</p><script>evil()</script></div></body></html>' \
  | "$CHAPAR" extract --html --base-url https://www.example.ir/news/ - > "$tmp/out.html"
grep -q 'href="https://www.example.ir/x/1"' "$tmp/out.html" || fail "--base-url: link not absolute"
grep -q 'src="https://www.example.ir/news/a.jpg"' "$tmp/out.html" || fail "--base-url: image not absolute"
grep -q 'evil' "$tmp/out.html" && fail "--html kept script or handlers"

if "$CHAPAR" extract "$tmp/no-such-file.html" 2> "$tmp/err"; then fail "missing file succeeded"; fi
grep -q 'no-such-file.html' "$tmp/err" || fail "error does not name the file"
echo "extract_cli: ok"
