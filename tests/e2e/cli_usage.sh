#!/bin/sh
# cli_usage.sh — every command answers --help (exit 0, usage on stdout); unknown commands and
# options are usage errors (exit 2); failures say what went wrong on stderr (exit 1); settings
# come from a config file and flags, and a bad config is refused.
. "$SRC/tests/e2e/lib.inc"
for c in normalize date feed extract source fetch ingest stories search serve demo; do
  "$CHAPAR" "$c" --help >"$WORK/out" 2>&1 || fail "chapar $c --help exits non-zero"
  grep -qi usage "$WORK/out" || fail "chapar $c --help prints no usage"
done
"$CHAPAR" --help | grep -q 'commands:' || fail "chapar --help"
code() { set +e; "$@" >"$WORK/out" 2>"$WORK/err"; c=$?; set -e; echo $c; }
[ "$(code "$CHAPAR")" = 2 ] || fail "no command is not a usage error"
[ "$(code "$CHAPAR" frobnicate)" = 2 ] || fail "an unknown command is not a usage error"
[ "$(code "$CHAPAR" serve --frobnicate)" = 2 ] || fail "an unknown option is not a usage error"
[ "$(code "$CHAPAR" search --db "$WORK/nodir/x.db" باکو)" = 1 ] || fail "an unopenable database is not a failure"
grep -q 'x.db' "$WORK/err" || fail "the error does not name the database"
printf 'listen = 127.0.0.1:0\nthreads = 999999\n' >"$WORK/bad.conf"
[ "$(code "$CHAPAR" --config "$WORK/bad.conf" serve --help)" = 1 ] || fail "a bad config value is accepted"
grep -q 'bad.conf:2' "$WORK/err" || fail "the config error does not say where"
printf 'nonsense_key = 1\n' >"$WORK/bad2.conf"
[ "$(code "$CHAPAR" --config "$WORK/bad2.conf" serve --help)" = 1 ] || fail "an unknown config key is accepted"
printf '# comment\ndb = %s/from-config.db\n' "$WORK" >"$WORK/good.conf"
"$CHAPAR" --config "$WORK/good.conf" demo --no-serve --db "$WORK/flag.db" >/dev/null 2>&1 || fail "demo with a config"
[ -f "$WORK/flag.db" ] || fail "the --db flag did not win over the config file"
"$CHAPAR" --config "$WORK/good.conf" ingest "$SRC/demo" >/dev/null 2>&1 || fail "ingest with a config"
[ -f "$WORK/from-config.db" ] || fail "the config file's db was not used"
echo "cli usage: ok"
