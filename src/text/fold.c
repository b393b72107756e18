/*
 * fold.c — search keys: index folding (text_fold), the light stemmer (text_stem) and the
 * tokenizer the FTS5 tokenizer is built on (text_tokenize). Folding gives every spelling of a
 * word one key: Arabic yeh/kaf, heh and alef variants, hamza seats, diacritics, kashida,
 * ZWNJ and invisible controls, presentation forms, digits of any script (to ASCII), Latin
 * case. The tokenizer joins what Persian writes three ways (میشود, می‌شود, می شود; کتابها,
 * کتاب‌ها, کتاب ها) into one token before folding and stemming, so index and query agree.
 */
#include <string.h>
#include <utf8proc.h>

#include "text/charclass.h"
#include "text/chars.h"
#include "text/lexicon.h"
#include "text/text.h"

/* fold_cp: the search form of one code point; 0 to drop it. */
static uint32_t fold_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	switch (cp) {
	case CP_ARABIC_YEH:
	case CP_ALEF_MAKSURA:
	case CP_YEH_HAMZA:
		return CP_FARSI_YEH;
	case CP_ARABIC_KAF:
		return CP_KEHEH;
	case CP_TEH_MARBUTA:
	case CP_HEH_YEH:
	case CP_AE:
	case CP_HEH_GOAL:
		return CP_HEH;
	case CP_ALEF_MADDA:
	case CP_ALEF_HAMZA_ABOVE:
	case CP_ALEF_HAMZA_BELOW:
	case CP_ALEF_WASLA:
		return CP_ALEF;
	case CP_WAW_HAMZA:
		return CP_WAW;
	case CP_HAMZA:
	case CP_ZWNJ:
		return 0;
	default:
		break;
	}
	if (cp >= CP_ARABIC_DIGIT_ZERO && cp <= CP_ARABIC_DIGIT_ZERO + 9)
		return '0' + cp - CP_ARABIC_DIGIT_ZERO;
	if (cp >= CP_PERSIAN_DIGIT_ZERO && cp <= CP_PERSIAN_DIGIT_ZERO + 9)
		return '0' + cp - CP_PERSIAN_DIGIT_ZERO;
	if ((arabic_class(cp) & CC_MARK) || is_ignorable_cp(cp))
		return 0;
	return cp;
}

/* fold_add: append the folded form of cp (presentation forms and other letters through
 * utf8proc's compatibility mapping and case folding). */
static enum ch_status fold_add(struct buf *out, uint32_t cp)
{
	if ((cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x80 && cp < 0x0600)) {
		utf8proc_int32_t dec[24];
		int last = 0;
		utf8proc_ssize_t k = utf8proc_decompose_char(
			(utf8proc_int32_t)cp, dec, 24,
			UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
			&last);
		if (k > 0 && k <= 24) {
			enum ch_status st = CH_OK;
			for (utf8proc_ssize_t i = 0; i < k && st == CH_OK; i++) {
				uint32_t f = fold_cp((uint32_t)dec[i]);
				if (f)
					st = utf8_add(out, f);
			}
			return st;
		}
	}
	uint32_t f = fold_cp(cp);
	return f ? utf8_add(out, f) : CH_OK;
}

enum ch_status text_fold(const char *s, size_t n, struct buf *out)
{
	enum ch_status st = CH_OK;
	size_t i = 0;
	while (i < n && st == CH_OK) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			st = buf_addc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
			i++;
			continue;
		}
		uint32_t cp;
		i += utf8_decode(s + i, n - i, &cp, NULL);
		st = fold_add(out, cp);
	}
	return st;
}

/* ---- stemmer ------------------------------------------------------------------------------ */

static const struct {
	const char *s;
	size_t len;
	bool needs_lexicon; /* strip only when the stem is a known word */
} stem_suffixes[] = {
#define SS(lit, lex) { lit, sizeof lit - 1, lex }
	SS("هایشان", false), SS("هایتان", false), SS("هایمان", false), SS("هایی", false),
	SS("هایم", false),   SS("هایت", false),   SS("هایش", false),   SS("ترین", true),
	SS("های", false),    SS("ها", false),     SS("تر", true),      SS("شان", true),
	SS("تان", true),     SS("مان", true),     SS("ان", true),      SS("ات", true),
	SS("ای", true),      SS("ام", true),      SS("اش", true),      SS("ی", true),
#undef SS
};

/* stem_len: the length of the stem of folded word w (n bytes). */
static size_t stem_len(const char *w, size_t n)
{
	unsigned f = lex_flags(w, n);
	if ((f & LEX_WORD) && !(f & LEX_ZWNJ))
		return n; /* a word in its own right: دفتر is not دف + تر */
	/* verb prefixes: میشود, نمیشود -> شود */
	static const struct {
		const char *s;
		size_t len;
	} prefixes[] = { { "نمی", sizeof "نمی" - 1 }, { "می", sizeof "می" - 1 } };
	for (size_t i = 0; i < 2; i++)
		if (n > prefixes[i].len + 2 && memcmp(w, prefixes[i].s, prefixes[i].len) == 0 &&
		    (lex_flags(w + prefixes[i].len, n - prefixes[i].len) & LEX_VERB_FORM))
			return n; /* keep the whole verb form: the prefix is part of its meaning */
	for (size_t i = 0; i < sizeof stem_suffixes / sizeof stem_suffixes[0]; i++) {
		size_t sl = stem_suffixes[i].len;
		if (n < sl + 4 || memcmp(w + n - sl, stem_suffixes[i].s, sl) != 0)
			continue;
		size_t stem = n - sl;
		unsigned sf = lex_flags(w, stem);
		if (stem_suffixes[i].needs_lexicon && !(sf & (LEX_WORD | LEX_ZWNJ)))
			continue;
		/* خانهای is خانه + ای rather than خان + های when خانه is the commoner word */
		if (!stem_suffixes[i].needs_lexicon && sl > 4) {
			unsigned f2 = lex_flags(w, stem + 2);
			if ((f2 & LEX_WORD) && (!(sf & LEX_WORD) || (f2 >> LEX_FREQ_SHIFT & 7) >=
								     (sf >> LEX_FREQ_SHIFT & 7)))
				return stem + 2;
		}
		/* کتابهایی -> کتاب; خانهای -> خانه */
		return stem;
	}
	return n;
}

enum ch_status text_stem(const char *w, size_t n, struct buf *out)
{
	return buf_add(out, w, stem_len(w, n));
}

/* ---- tokenizer ---------------------------------------------------------------------------- */

/* is_token_cp: part of a word: letters, marks and digits of any script, ZWNJ. */
static bool is_token_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp == CP_ZWNJ || cp == CP_TATWEEL)
		return true;
	if (cp >= 0x0600 && cp <= 0x06FF)
		return (arabic_class(cp) & (CC_LETTER | CC_MARK | CC_DIGIT)) != 0;
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MC) ||
	       c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

struct span {
	size_t start, end;
};

/* next_span: the next word at or after *pos; false at the end. */
static bool next_span(const char *s, size_t n, size_t *pos, struct span *sp)
{
	size_t i = *pos;
	uint32_t cp = 0;
	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp, NULL);
		if (is_token_cp(cp) && cp != CP_ZWNJ)
			break;
		i += len;
	}
	if (i >= n)
		return false;
	sp->start = i;
	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp, NULL);
		if (!is_token_cp(cp))
			break;
		i += len;
	}
	sp->end = i;
	*pos = i;
	return true;
}

/* key_in: whether folded key k is one of the listed affixes. */
static bool key_in(const char *k, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], k, n) == 0)
			return true;
	return false;
}

static const char *const prefix_words[] = { "می", "نمی" };
static const char *const suffix_words[] = { "ها", "های", "هایی", "هایم", "هایت", "هایش",
					    "هایمان", "هایتان", "هایشان", "تر", "ترین", "ای",
					    "ام", "اید", "ایم", "اند" };

/* only_spaces: s[a..b) is nothing but spaces (what a lost ZWNJ became). */
static bool only_spaces(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] != ' ')
			return false;
	return a < b;
}

/* The tokenizer's state: reusable buffers, no allocation per word after the first. */
struct tok_state {
	struct buf folded, part;
};

/* fold_span: the folded form of s[sp] into b (reset first), without the spaces of a merged
 * token. */
static void fold_span(const char *s, struct span sp, struct buf *b)
{
	buf_reset(b);
	size_t a = sp.start;
	for (size_t i = sp.start; i <= sp.end; i++) {
		if (i < sp.end && s[i] != ' ')
			continue;
		text_fold(s + a, i - a, b);
		a = i + 1;
	}
}

/* has_affix_part: one of the ZWNJ-separated parts of s[sp] is a verb prefix or a suffix. */
static bool has_affix_part(const char *s, struct span sp, struct tok_state *ts)
{
	size_t a = sp.start;
	for (size_t i = sp.start; i <= sp.end; i++) {
		bool cut = i == sp.end ||
			   (i + ZWNJ_LEN <= sp.end && memcmp(s + i, ZWNJ_UTF8, ZWNJ_LEN) == 0);
		if (!cut)
			continue;
		fold_span(s, (struct span){ a, i }, &ts->part);
		const char *pk = ts->part.p ? ts->part.p : "";
		if (key_in(pk, ts->part.n, prefix_words, 2) ||
		    key_in(pk, ts->part.n, suffix_words, sizeof suffix_words / sizeof suffix_words[0]))
			return true;
		a = i + ZWNJ_LEN;
		i = a - 1;
	}
	return false;
}

/* emit_parts: the ZWNJ-separated parts of a compound (سه‌شنبه -> سه, شنبه), colocated. */
static int emit_parts(const char *s, struct span sp, struct tok_state *ts, text_token_fn fn, void *ctx)
{
	size_t a = sp.start;
	bool any = false;
	if (has_affix_part(s, sp, ts))
		return 0; /* می‌شود, کتاب‌ها: an inflected word, not a compound */
	for (size_t i = sp.start; i <= sp.end; i++) {
		bool cut = i == sp.end ||
			   (i + ZWNJ_LEN <= sp.end && memcmp(s + i, ZWNJ_UTF8, ZWNJ_LEN) == 0);
		if (!cut)
			continue;
		if (i == sp.end && !any)
			return 0; /* no ZWNJ: not a compound */
		struct span p = { a, i };
		fold_span(s, p, &ts->part);
		size_t k = stem_len(ts->part.p ? ts->part.p : "", ts->part.n);
		if (k > 0) {
			int rc = fn(ctx, ts->part.p, k, p.start, p.end, true);
			if (rc)
				return rc;
		}
		any = true;
		a = i + ZWNJ_LEN;
		i = a - 1;
	}
	return 0;
}

int text_tokenize(const char *s, size_t n, enum text_tok_mode mode, text_token_fn fn, void *ctx)
{
	struct tok_state ts;
	buf_init(&ts.folded, 1 << 16);
	buf_init(&ts.part, 1 << 16);
	size_t pos = 0;
	struct span cur, next;
	bool have = next_span(s, n, &pos, &cur);
	int rc = 0;
	while (have && rc == 0) {
		/* merge spaced affixes: می شود, کتاب ها */
		bool more = next_span(s, n, &pos, &next);
		while (more && only_spaces(s, cur.end, next.start)) {
			fold_span(s, cur, &ts.folded);
			bool prefix = key_in(ts.folded.p ? ts.folded.p : "", ts.folded.n, prefix_words, 2);
			fold_span(s, next, &ts.part);
			bool suffix = key_in(ts.part.p ? ts.part.p : "", ts.part.n, suffix_words,
					     sizeof suffix_words / sizeof suffix_words[0]);
			if (!prefix && !suffix)
				break;
			cur.end = next.end;
			more = next_span(s, n, &pos, &next);
		}
		fold_span(s, cur, &ts.folded);
		size_t k = stem_len(ts.folded.p ? ts.folded.p : "", ts.folded.n);
		if (k > 0)
			rc = fn(ctx, ts.folded.p, k, cur.start, cur.end, false);
		if (rc == 0 && mode == TEXT_TOK_DOCUMENT)
			rc = emit_parts(s, cur, &ts, fn, ctx);
		cur = next;
		have = more;
	}
	buf_release(&ts.folded);
	buf_release(&ts.part);
	return rc;
}
