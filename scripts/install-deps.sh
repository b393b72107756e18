#!/bin/sh
# install-deps.sh — install every Debian 12 package chapar needs to build, test and benchmark.
# Idempotent: installs only what is missing, so running it twice is cheap. Needs root (or sudo).
set -eu

PACKAGES="build-essential cmake pkg-config git ca-certificates python3 \
  libsqlite3-dev libcurl4-openssl-dev libxml2-dev libmicrohttpd-dev libjansson-dev \
  libutf8proc-dev libxxhash-dev libpq-dev libcmocka-dev libicu-dev \
  clang libclang-rt-14-dev \
  chromium curl tzdata libxml2-utils \
  wrk nginx-light python3-feedparser"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

# Node.js (only the benchmarks use it, to run peers such as Readability.js): any installed
# node/npm will do; Debian's packages only when there is none (they conflict with others').
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "install-deps: installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends $missing
  # Debian starts nginx on install; chapar's benchmarks start their own instance.
  $SUDO service nginx stop >/dev/null 2>&1 || true
else
  echo "install-deps: all packages present"
fi
