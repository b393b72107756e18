#!/bin/sh
# web_chromium.sh — the seed article's page loaded in headless Chromium (Debian's `chromium`):
# the rendered DOM has the title, today's Jalali date in the header, the article's Jalali date,
# the outlet, the view-at-source link and right-to-left layout; a phone-sized screenshot is
# kept in $BUILD/screenshots/ for people to look at.
. "$SRC/tests/e2e/lib.inc"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh installs it)"
make_demo_db "$WORK/demo.db"
start_server "$WORK/demo.db" --threads 2

FARS=$(curl -s "$BASE/api/articles?limit=100" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([a["id"] for a in d["articles"] if a["title"].startswith("سفر مهم امیرعبداللهیان") and a["source"]["name"] == "خبرگزاری فارس"][0])')

browse() { # URL OUTFILE [extra flags]
  url=$1; out=$2; shift 2
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --user-data-dir="$WORK/chrome" "$@" "$url" >"$out" 2>"$WORK/chrome.log"
}
browse "$BASE/article/$FARS" "$WORK/dom.html" --dump-dom || { tail -20 "$WORK/chrome.log"; fail "chromium --dump-dom"; }

python3 - "$WORK/dom.html" <<'PY' || fail "the rendered page is not as expected"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
checks = {
    "rtl layout": re.search(r'<html[^>]*dir="rtl"[^>]*lang="fa"', dom),
    "title": "<h1>سفر مهم امیرعبداللهیان به جمهوری آذربایجان / در باکو چه خبر است؟</h1>" in dom,
    "today's Jalali date": re.search(r'<time class="today">(شنبه|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه) [۰-۹]{1,2} '
                                     r'(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}</time>', dom),
    "article's Jalali date": "پنجشنبه ۸ آذر ۱۴۰۳" in dom,
    "outlet": re.search(r'class="outlet"[^>]*>خبرگزاری فارس<', dom),
    "view at source": re.search(r'<a class="view-source"[^>]*href="https://www\.farsnews\.ir/news/14030908000123"[^>]*>مشاهده در مرجع</a>', dom)
                      or re.search(r'href="https://www\.farsnews\.ir/news/14030908000123"[^>]*>مشاهده در مرجع</a>', dom),
    "others are reading": "هم اکنون دیگران می‌خوانند" in dom,
    "read more": "بیشتر بخوانید" in dom,
}
bad = [k for k, v in checks.items() if not v]
for k in bad:
    print("missing:", k)
sys.exit(1 if bad else 0)
PY

mkdir -p "$BUILD/screenshots"
browse "$BASE/article/$FARS" /dev/null --screenshot="$BUILD/screenshots/seed-article.png" --window-size=412,1400 --hide-scrollbars \
  || fail "chromium --screenshot"
browse "$BASE/" /dev/null --screenshot="$BUILD/screenshots/home.png" --window-size=1280,1000 --hide-scrollbars || fail "home screenshot"
[ -s "$BUILD/screenshots/seed-article.png" ] || fail "no screenshot"
echo "chromium: ok"
