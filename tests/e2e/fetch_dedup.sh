#!/bin/sh
# fetch_dedup.sh — nothing is stored twice, edits update, and a second round is conditional:
# three news feeds (two on one host) with their article pages on the fixture server. Checked at
# the server: the per-host limit of 2 holds for feeds and pages together; a second
# `fetch --once` sends conditional requests only (all 304) and stores nothing. Then the feeds
# re-order, re-publish (an entry under a new GUID with the same link, an entry twice) and edit
# an entry (same GUID, new title and text, newer updated date): the count never grows, the
# edited article is rewritten, and only the edited entry's page is fetched again.
. "$SRC/tests/e2e/lib.inc"
. "$SRC/tests/fixtures/ingest_env.sh"
P=$FIXTURE_PORT
DB="$WORK/t.db"
printf 'n\ta\thttp://h1.localhost:%s/news/a?n=8\nn\tb\thttp://h1.localhost:%s/news/b?n=8\nn\tc\thttp://h2.localhost:%s/news/c?n=8\n' $P $P $P |
  opml "$WORK/s.opml"
"$CHAPAR" source --db "$DB" import "$WORK/s.opml" >/dev/null || fail "import"
count() { sql "$DB" 'SELECT count(*) FROM articles'; }
round() { # round LABEL: fetch every source now; its summary line in $WORK/out
  fx /_reset >/dev/null
  timeout 60 "$CHAPAR" fetch --db "$DB" --once --all >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "$1: fetch"; }
}

round first
[ "$(count)" = 24 ] || fail "first round stored $(count) articles, not 24"
grep -q 'new 24, updated 0' "$WORK/out" || fail "first round: $(cat "$WORK/out")"
[ "$(sql "$DB" 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 0 ] || fail "new articles were not clustered into stories"
[ "$(fx_stat 'codes.get("200", 0)')" = 27 ] || fail "first round: $(fx_stat 'codes') (3 feeds + 24 pages expected)"
[ "$(fx_stat 'max(max_active.values())')" -le 2 ] || fail "per-host limit broken at the server: $(fx_stat max_active)"
[ "$(fx_stat 'max(max_conns.values())')" -le 2 ] || fail "per-host connections: $(fx_stat max_conns)"
[ "$(fx_stat 'max_active.get("h1.localhost:'$P'", 0)')" = 2 ] || fail "h1 never had 2 requests at once: $(fx_stat max_active)"

# right after, nothing is due: a plain --once polls nothing and says when the next check is
fx /_reset >/dev/null
"$CHAPAR" fetch --db "$DB" --once >"$WORK/out" 2>"$WORK/err" || fail "plain --once"
grep -q '^sources 0:' "$WORK/out" || fail "sources polled before they were due: $(cat "$WORK/out")"
grep -q 'no source is due; the next is at 20' "$WORK/err" || fail "no explanation: $(cat "$WORK/err")"
[ "$(fx_stat 'sum(codes.values())')" = 0 ] || fail "requests sent with nothing due: $(fx_stat codes)"

round second
[ "$(fx_stat 'codes')" = "{'304': 3}" ] || fail "second round was not conditional: $(fx_stat codes)"
grep -q 'unchanged 3' "$WORK/out" || fail "second round: $(cat "$WORK/out")"
[ "$(count)" = 24 ] || fail "second round changed the count to $(count)"

fx '/_mode?feed=a&m=reorder' >/dev/null
round reorder
[ "$(count)" = 24 ] || fail "a re-ordered feed changed the count to $(count)"
grep -q 'new 0, updated 0' "$WORK/out" || fail "reorder: $(cat "$WORK/out")"
[ "$(fx_stat 'codes.get("200", 0)')" = 1 ] || fail "reorder fetched pages again: $(fx_stat codes)"

fx '/_mode?feed=b&m=republish' >/dev/null
round republish
[ "$(count)" = 24 ] || fail "a re-published entry was stored again ($(count) articles)"
grep -q 'new 0, updated 0' "$WORK/out" || fail "republish: $(cat "$WORK/out")"

id=$(sql "$DB" "SELECT id FROM articles WHERE guid = 'c-0'")
fx '/_mode?feed=c&m=edit' >/dev/null
round edit
[ "$(count)" = 24 ] || fail "an edited entry was stored again ($(count) articles)"
grep -q 'new 0, updated 1' "$WORK/out" || fail "edit: $(cat "$WORK/out")"
[ "$(sql "$DB" "SELECT id, title FROM articles WHERE guid = 'c-0'")" = "$id	c story 0 (corrected)" ] ||
  fail "the edited article was not updated in place: $(sql "$DB" "SELECT id, title FROM articles WHERE guid = 'c-0'")"
[ "$(fx_stat 'codes.get("200", 0)')" = 2 ] || fail "edit: expected the feed and one page, got $(fx_stat codes)"

round again
[ "$(fx_stat 'codes')" = "{'304': 3}" ] || fail "after the edit, not conditional: $(fx_stat codes)"

fx '/_mode?feed=a&m=more' >/dev/null
round more
[ "$(count)" = 26 ] || fail "two new entries: $(count) articles, not 26"
[ "$(sql "$DB" 'SELECT count(*) FROM (SELECT DISTINCT source_id, url FROM articles)')" = 26 ] || fail "a URL is stored twice"
echo "ok: dedup"
