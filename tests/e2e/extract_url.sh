#!/bin/sh
# extract_url.sh — `chapar extract URL...`: pages fetched from the fixture server (127.0.0.1)
# by the same fetcher as ingest; the charset comes from the HTTP header (a windows-1256 page
# without <meta charset>), links resolve against the address fetched, output keeps the
# arguments' order, and a page that cannot be had (HTTP 404, a refused connection) is reported
# by name while the other inputs are still printed (exit 1).
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"

"$CHAPAR" extract --html "$FX/page1256" >"$WORK/out.html" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "extract URL"; }
grep -q 'در تهران باران آمد و هوا سرد شد' "$WORK/out.html" || fail "windows-1256 page not decoded: $(head -c 300 "$WORK/out.html")"
grep -q "href=\"$FX/more/1\"" "$WORK/out.html" || fail "link not resolved against the fetched address: $(grep -o 'href="[^"]*"' "$WORK/out.html")"

printf '<html><body><article><h1>t</h1><p>%s</p></article></body></html>' 'a local file, long enough to be read as the article of its page.' >"$WORK/local.html"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if "$CHAPAR" extract --json "$FX/story/one" "$FX/status/404" "$WORK/local.html" "http://127.0.0.1:$closed/x" "$FX/story/two" \
    >"$WORK/out.jsonl" 2>"$WORK/err"; then fail "a missing page did not make extract fail"; fi
grep -q "$FX/status/404: HTTP 404" "$WORK/err" || fail "404 not reported by URL: $(cat "$WORK/err")"
grep -q "127.0.0.1:$closed/x: " "$WORK/err" || fail "refused connection not reported: $(cat "$WORK/err")"
python3 - "$WORK/out.jsonl" "$FX" "$WORK/local.html" <<'PY' || fail "JSON lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
fx, local = sys.argv[2], sys.argv[3]
assert [r["file"] for r in rows] == [fx + "/story/one", local, fx + "/story/two"], [r["file"] for r in rows]
assert rows[0]["title"] == "/story/one" and "page body of /story/one" in rows[0]["text"], rows[0]
assert rows[2]["title"] == "/story/two", rows[2]
assert "a local file" in rows[1]["text"], rows[1]
PY
echo "extract_url: ok"
