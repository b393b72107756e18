#!/bin/sh
# cli_lazy_libs.sh — libcurl and libmicrohttpd are loaded on first use (core's dynlib): a
# command that neither fetches nor serves starts without them (and without their dependency
# trees), `chapar serve --no-fetch` loads libmicrohttpd only, and `chapar fetch` loads libcurl
# and stores what it fetched from the fixture server. The dynamic loader's own log
# (LD_DEBUG=files) says which libraries a process opened.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
opened() { # opened LOG: the chapar-relevant libraries the loader opened, one per line
  sed -n 's/.*file=\(lib[a-z0-9]*\)\.so.*/\1/p' "$1" | sort -u | grep -E '^lib(curl|microhttpd|gnutls|xml2|sqlite3)$' || true
}

echo 'کتابها' | LD_DEBUG=files "$CHAPAR" normalize >"$WORK/norm.out" 2>"$WORK/norm.log" || fail "normalize"
grep -q 'کتاب‌ها' "$WORK/norm.out" || fail "normalize output: $(cat "$WORK/norm.out")"
libs=$(opened "$WORK/norm.log")
[ -n "$libs" ] || fail "LD_DEBUG gave no loader log (cannot check)"
echo "$libs" | grep -qE 'curl|microhttpd|gnutls' && fail "normalize loaded: $(echo $libs)"

DB="$WORK/t.db"
make_demo_db "$DB"
export LD_DEBUG=files
start_server "$DB"
unset LD_DEBUG
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] || fail "healthz"
libs=$(opened "$WORK/server.log")
echo "$libs" | grep -q microhttpd || fail "serve did not load libmicrohttpd: $(echo $libs)"
echo "$libs" | grep -q curl && fail "serve --no-fetch loaded libcurl"

P=$FIXTURE_PORT
F="$WORK/f.db"
printf 'n\ta\thttp://h1.localhost:%s/news/a?n=3\n' $P | opml "$WORK/s.opml"
"$CHAPAR" source --db "$F" import "$WORK/s.opml" >/dev/null || fail "import"
LD_DEBUG=files timeout 60 "$CHAPAR" fetch --db "$F" --once --all >"$WORK/out" 2>"$WORK/fetch.log" ||
  { grep -v 'file=' "$WORK/fetch.log" >&2; fail "fetch"; }
opened "$WORK/fetch.log" | grep -q curl || fail "fetch did not load libcurl"
[ "$(sql "$F" 'SELECT count(*) FROM articles')" = 3 ] || fail "fetch stored $(sql "$F" 'SELECT count(*) FROM articles') articles, not 3"
echo "ok: normalize opens neither library; serve libmicrohttpd only; fetch libcurl"
