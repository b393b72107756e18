#!/bin/sh
# web_chromium.sh — the seed article's page loaded in headless Chromium (Debian's `chromium`):
# the rendered DOM has the title, today's Jalali date in the header, the article's Jalali date,
# the outlet, the view-at-source link and right-to-left layout. Every main page (home, article,
# story, outlet, category, search) is checked in the DOM and drawn as a phone 390 px wide shows
# it, the screenshot kept in $BUILD/screenshots/ for people to look at. No page holds a script
# and the CSP forbids every script, so what Chromium draws is what a reader without JavaScript
# sees. (Headless Chromium cannot draw or dump a page with scripts turned off.)
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
browse "$BASE/article/$FARS" /dev/null --screenshot="$BUILD/screenshots/seed-article.png" --window-size=390,1400 --hide-scrollbars \
  || fail "chromium --screenshot"
browse "$BASE/" /dev/null --screenshot="$BUILD/screenshots/home.png" --window-size=1280,1000 --hide-scrollbars || fail "home screenshot"
[ -s "$BUILD/screenshots/seed-article.png" ] || fail "no screenshot"

# the other main pages render in the browser too (phone-sized), and their DOM is as expected
STORY=$(curl -s "$BASE/api/articles/$FARS" | python3 -c 'import json,sys; print(json.load(sys.stdin)["article"]["story_id"])')
for page in "home:/:href=\"/story/" "article:/article/$FARS:مشاهده در مرجع" "story:/story/$STORY:این خبر در ۲ رسانه" "search:/search?q=%D8%A8%D8%A7%DA%A9%D9%88:<mark>" \
            "source:/source/1:خبرگزاری فارس" "category:/category/%D9%88%D8%B1%D8%B2%D8%B4%DB%8C:ورزش سه"; do
  name=${page%%:*}; rest=${page#*:}; path=${rest%%:*}; want=${rest#*:}
  browse "$BASE$path" "$WORK/$name.html" --dump-dom || fail "chromium $name"
  grep -qF "$want" "$WORK/$name.html" || fail "the $name page lacks: $want"
  curl -s "$BASE$path" | grep -qi '<script' && fail "the $name page holds a script"
  browse "$BASE$path" /dev/null --screenshot="$BUILD/screenshots/$name-390.png" --window-size=390,1000 --hide-scrollbars \
    || fail "$name screenshot"
  [ -s "$BUILD/screenshots/$name-390.png" ] || fail "no $name screenshot"
done
echo "chromium: ok"
