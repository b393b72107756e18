/*
 * text.h — Persian text: display normalization (letters, ZWNJ restoration, punctuation),
 * index folding, tokenizer and stemmer for search, the Jalali calendar and Persian dates.
 * Depends on src/core and utf8proc only. All input is UTF-8; invalid bytes become U+FFFD
 * unless a strict call says otherwise.
 */
#ifndef CHAPAR_TEXT_H
#define CHAPAR_TEXT_H

#include "core/core.h"

/* ---- display normalization -------------------------------------------------------------- */

enum text_norm_flags {
	TEXT_NORM_DEFAULT = 0,
	TEXT_DIGITS_FA = 1 << 0,    /* convert all digits to Persian ۰–۹ */
	TEXT_DIGITS_ASCII = 1 << 1, /* convert all digits to ASCII 0–9 */
	TEXT_STRICT_UTF8 = 1 << 2,  /* fail with CH_ERR_INVALID on invalid UTF-8 instead of U+FFFD */
};

/* text_normalize: append the display-normalized form of s (n bytes) to out: Arabic yeh/kaf
 * and presentation forms as Persian letters; kashida, bidi controls, ZWJ, ZWSP, BOM and soft
 * hyphens removed; repeated ZWNJ collapsed and ZWNJ beside spaces or at word edges removed;
 * lost ZWNJs restored (میشود and می شود -> می‌شود, کتابها -> کتاب‌ها, سهشنبه -> سه‌شنبه) —
 * in a line that already writes ZWNJs, joined suffixes (کتابها) are taken as meant;
 * repeated spaces collapsed; no space before ، ؛ ؟ . ! : ) » or after «, a space after ، ؛ ؟
 * before a letter; digits as written unless a TEXT_DIGITS_* flag is given. Line breaks are
 * kept; text that is already right comes out unchanged; normalizing twice changes nothing.
 * Invalid UTF-8 bytes become U+FFFD; with TEXT_STRICT_UTF8 the call fails with
 * CH_ERR_INVALID instead and appends nothing. Uses a fixed 32 KB of stack, no heap beyond out
 * (and the lexicon, built once per process on first use). Thread-safe. */
enum ch_status text_normalize(const char *s, size_t n, unsigned flags, struct buf *out);

/* text_digits_fa: append s with ASCII and Arabic-Indic digits turned into Persian digits. */
enum ch_status text_digits_fa(struct buf *out, const char *s, size_t n);

/* ---- index folding ------------------------------------------------------------------------ */

/* text_fold: append the search key of s (all spellings of a word fold to one key): yeh, kaf,
 * heh, alef and hamza variants unified, diacritics, kashida, ZWNJ and controls dropped,
 * presentation forms decomposed, every digit to ASCII, Latin lower-cased. Invalid UTF-8
 * becomes U+FFFD. */
enum ch_status text_fold(const char *s, size_t n, struct buf *out);

/* ---- tokenizer and stemmer (search) ----------------------------------------------------------- */

enum text_tok_mode {
	TEXT_TOK_DOCUMENT, /* ZWNJ/space compounds: the parts, plus the joined form colocated */
	TEXT_TOK_QUERY,    /* the parts only */
};

/* text_token_fn: one token: its search key (folded and stemmed, key_len bytes, borrowed for the
 * call), the byte range [start, end) it came from in the input, and whether it shares the
 * position of the previous token (FTS5_TOKEN_COLOCATED). Return non-zero to stop. */
typedef int (*text_token_fn)(void *ctx, const char *key, size_t key_len, size_t start, size_t end,
			     bool colocated);

/* text_tokenize: split s into words (ZWNJ-aware, mixed Persian/Latin), fold and stem each and
 * call fn per token in order. A verb prefix or suffix written apart (می شود, کتاب ها) is
 * joined to its word first, so میشود / می شود / می‌شود give one key. In TEXT_TOK_DOCUMENT mode
 * a ZWNJ compound (سه‌شنبه) is followed by its parts, colocated. Invalid UTF-8 never stops
 * it. Returns 0, or the first non-zero value fn returned. */
int text_tokenize(const char *s, size_t n, enum text_tok_mode mode, text_token_fn fn, void *ctx);

/* text_tokens_fingerprint: an identity of what text_tokenize and text_stem emit: it changes
 * with the compiled-in lexicon and with TEXT_TOKENIZER_REVISION (fold.c), so that a search
 * index built by another build can be recognised and rebuilt. */
uint64_t text_tokens_fingerprint(void);

/* text_stem: append the stem of one folded word w (plural, comparative and clitic suffixes
 * removed) to out: ها/های… always, ان/ات/تر/ترین/clitics only when the lexicon knows the
 * stem; lexical words (دفتر, تهران) and prefixed verb forms are left whole. */
enum ch_status text_stem(const char *w, size_t n, struct buf *out);

/* ---- Jalali calendar and Persian dates ----------------------------------------------------- */

struct jdate {
	int year, month, day; /* month 1–12 */
};

/* jalali_from_gregorian / gregorian_from_jalali: exact over 1–3000 AP. */
struct jdate jalali_from_gregorian(int gy, int gm, int gd);
void gregorian_from_jalali(struct jdate j, int *gy, int *gm, int *gd);

/* jalali_to_days / jalali_from_days: days since 1970-01-01 (proleptic Gregorian) of a Jalali
 * date and back. jalali_valid: the date exists (years 1–3000). jalali_is_leap: Esfand has 30 days. */
int64_t jalali_to_days(struct jdate j);
struct jdate jalali_from_days(int64_t days);
bool jalali_valid(struct jdate j);
bool jalali_is_leap(int jy);
/* jalali_month_name (1–12) / jalali_weekday_name (0 = Sunday, as tm_wday): static strings,
 * "" when out of range. */
const char *jalali_month_name(int month);
const char *jalali_weekday_name(int wday);

/* The formatters append nothing and return CH_ERR_INVALID for a time (or now) whose date is
 * not in years 1–3000 AP.
 * jalali_format_long: append t (Unix seconds) as Tehran local date: "پنجشنبه ۸ آذر ۱۴۰۳". */
enum ch_status jalali_format_long(struct buf *out, int64_t t);
/* jalali_format_short: append t as Tehran local date "۱۴۰۳/۰۹/۰۸". */
enum ch_status jalali_format_short(struct buf *out, int64_t t);
/* jalali_format_numeric: append j as "۱۴۰۳/۰۹/۰۸". */
enum ch_status jalali_format_numeric(struct buf *out, struct jdate j);
/* jalali_format_relative: append "۵ دقیقه پیش"-style relative time of t as seen at now:
 * "لحظاتی پیش" under a minute, then minutes, hours, days up to 30 days, then the long date;
 * "بعد" instead of "پیش" for times in the future. */
enum ch_status jalali_format_relative(struct buf *out, int64_t t, int64_t now);

/* text_parse_date: parse a Persian date as found on news pages ("پنجشنبه 8 آذر 1403",
 * "۱۴۰۳/۰۹/۰۸ - ۱۰:۳۰", "8 آذر 1403 ساعت 10:30"; Persian or Latin digits), read as Tehran
 * local time, into Unix seconds UTC. CH_ERR_PARSE when s holds no such date. */
enum ch_status text_parse_date(const char *s, size_t n, int64_t *utc);

#endif
