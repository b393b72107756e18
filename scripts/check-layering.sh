#!/bin/sh
# check-layering.sh SRC — each third-party library is included by its one module only, and
# modules include only modules below them (core <- text <- feed/extract <- store <- ingest <-
# rank <- web <- cli). Prints each violation; exits 1 if there is any.
set -u
src=${1:-.}/src
bad=0
check_lib() { # header-pattern allowed-modules...
  pat=$1; shift
  for f in $(grep -rlE "#include <$pat" "$src" 2>/dev/null); do
    mod=$(echo "$f" | sed "s|$src/||; s|/.*||")
    ok=0; for m in "$@"; do [ "$mod" = "$m" ] && ok=1; done
    [ $ok = 1 ] || { echo "layering: $f includes <$pat> (allowed only in: $*)"; bad=1; }
  done
}
check_lib 'libxml/' feed extract
check_lib 'curl/' feed
check_lib 'jansson' feed
check_lib 'sqlite3' store
check_lib 'libpq' store
check_lib 'microhttpd' web
check_lib 'utf8proc' text
check_lib 'xxhash' rank

rank_of() {
  case $1 in core) echo 0;; text) echo 1;; feed|extract) echo 2;; store) echo 3;; ingest) echo 4;;
  rank) echo 5;; web) echo 6;; cli) echo 7;; *) echo 9;; esac
}
for f in $(find "$src" -name '*.[ch]'); do
  mod=$(echo "$f" | sed "s|$src/||; s|/.*||")
  r=$(rank_of "$mod")
  for dep in $(grep -oE '#include "(core|text|feed|extract|store|ingest|rank|web)/' "$f" | sed 's|.*"||; s|/||'); do
    d=$(rank_of "$dep")
    if [ "$dep" != "$mod" ] && [ "$d" -ge "$r" ]; then
      echo "layering: $f ($mod) includes $dep, which is not below it"; bad=1
    fi
  done
done
[ $bad = 0 ] && echo "layering: ok"
exit $bad
