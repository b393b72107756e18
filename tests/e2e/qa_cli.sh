#!/bin/sh
# qa_cli.sh — the command line as README.md describes it: every command of README's usage
# answers --help (exit 0, on stdout) and names the same options README gives it, both ways;
# `chapar search` finds a word however it is spelled (joined, half-spaced, apart), reads
# Jalali days in every spelling, includes the --to day as /search does, and says so when
# nothing matches. `chapar serve` names a wrong option and explains a port in use.
. "$SRC/tests/e2e/lib.inc"

python3 - "$SRC/README.md" "$CHAPAR" <<'PY' || fail "README's usage and the commands' --help differ"
import re, subprocess, sys
readme, chapar = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
block = readme.split("## Usage", 1)[1].split("```", 2)[1]
lines, cmd = {}, None
for line in block.splitlines():
    m = re.match(r"chapar (\w+)", line)
    if m:
        cmd = m.group(1)
    elif not line.startswith(" "):
        cmd = None
    if cmd:
        lines.setdefault(cmd, []).append(line.split("#", 1)[0])
assert len(lines) >= 11, sorted(lines)
bad = []
for cmd, text in lines.items():
    r = subprocess.run([chapar, cmd, "--help"], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.startswith("usage: chapar " + cmd):
        bad.append(f"{cmd} --help: exit {r.returncode}, stdout {r.stdout[:40]!r}")
        continue
    opts = lambda s: set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", s)) - {"--help", "--db", "--config"}
    documented, helped = opts(" ".join(text)), opts(r.stdout)
    if documented - helped:
        bad.append(f"{cmd}: README names {sorted(documented - helped)}, --help does not")
    if helped - documented:
        bad.append(f"{cmd}: --help names {sorted(helped - documented)}, README does not")
print("\n".join(bad), file=sys.stderr)
assert not bad
PY
"$CHAPAR" --help | grep -q '^usage: chapar' || fail "chapar --help"

make_demo_db "$WORK/demo.db"
hits() { "$CHAPAR" search --db "$WORK/demo.db" --limit 100 "$@" 2>"$WORK/err" | grep -v '^	' | cut -f1 | sort | tr '\n' ' '; }
ZWNJ=$(printf '\342\200\214')
with_zwnj=$(hits "می${ZWNJ}شود")
[ -n "$with_zwnj" ] || fail "no article has می‌شود"
[ "$(hits 'میشود')" = "$with_zwnj" ] || fail "میشود finds other articles than می‌شود"
[ "$(hits 'می شود')" = "$with_zwnj" ] || fail "«می شود» (written apart) finds [$(hits 'می شود')], می‌شود [$with_zwnj]"
day=$(hits --from 2024-11-28 --to 2024-11-28 باکو)
[ -n "$day" ] || fail "--to 2024-11-28 leaves out the articles of that day"
for d in 1403/09/08 1403-09-08 ۱۴۰۳/۰۹/۰۸ '8 آذر 1403'; do
  [ "$(hits --from "$d" --to "$d" باکو)" = "$day" ] || fail "--from/--to $d do not select 2024-11-28"
done
[ -z "$(hits --from 1403/09/09 باکو)" ] || fail "--from 1403/09/09 finds articles of the day before"
grep -q 'no article matches' "$WORK/err" || fail "an empty result is not said"
"$CHAPAR" search --db "$WORK/demo.db" --from someday باکو 2>"$WORK/err" && fail "a bad date is accepted"
grep -q 'not a date' "$WORK/err" || fail "a bad date is not explained"

# chapar serve says which option is wrong, and a port in use in its own words only
set +e; "$CHAPAR" serve --db "$WORK/demo.db" --threads 0 2>"$WORK/err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "serve --threads 0 exits $rc"
grep -q -- '--threads 0: ' "$WORK/err" || fail "serve --threads 0 does not name the option: $(head -1 "$WORK/err")"
start_server "$WORK/demo.db"
set +e; "$CHAPAR" serve --db "$WORK/demo.db" --listen "127.0.0.1:$PORT" --no-fetch --exit-after 5 2>"$WORK/err"; rc=$?; set -e
[ "$rc" = 1 ] || fail "serve on a port in use exits $rc"
grep -q "cannot listen on 127.0.0.1:$PORT" "$WORK/err" || fail "a port in use is not explained"
grep -q 'port 0' "$WORK/err" && fail "libmicrohttpd's misleading message reaches the operator: $(cat "$WORK/err")"
echo "qa_cli: ok"
