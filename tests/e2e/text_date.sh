#!/bin/sh
# text_date.sh — `chapar date` both ways: Gregorian -> Jalali (long, numeric), Jalali ->
# Gregorian, Persian news-page date -> UTC, and a clean failure on text without a date.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$("$CHAPAR" date --now 1732780500 2024-11-28)
[ "$out" = "$(printf 'پنجشنبه ۸ آذر ۱۴۰۳\t۱۴۰۳/۰۹/۰۸\t۳۵ دقیقه بعد')" ] || fail "gregorian: $out"
out=$("$CHAPAR" date --now 1732780500 2024-11-28T07:50:00Z)
[ "$out" = "$(printf 'پنجشنبه ۸ آذر ۱۴۰۳\t۱۴۰۳/۰۹/۰۸\t۵ دقیقه پیش')" ] || fail "relative: $out"
out=$("$CHAPAR" date 1403/09/08)
[ "$out" = "2024-11-28" ] || fail "jalali: $out"
out=$("$CHAPAR" date "۸ آذر ۱۴۰۳ ساعت ۱۰:۳۰")
[ "$out" = "2024-11-28T07:00:00Z" ] || fail "persian: $out"
if "$CHAPAR" date "بدون تاریخ" 2>/dev/null; then fail "no date accepted"; fi
"$CHAPAR" date --help | grep -q usage || fail "help"
echo ok
