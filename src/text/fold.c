/*
 * fold.c — search keys: index folding (text_fold), the light stemmer (text_stem) and the
 * tokenizer the FTS5 tokenizer is built on (text_tokenize). Folding gives every spelling of a
 * word one key: Arabic yeh/kaf, heh and alef variants, hamza seats, diacritics, kashida,
 * ZWNJ and invisible controls, presentation forms, digits of any script (to ASCII), Latin
 * case. The tokenizer joins what Persian writes three ways (میشود, می‌شود, می شود; کتابها,
 * کتاب‌ها, کتاب ها) into one token before folding and stemming, so index and query agree.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/charclass.h"
#include "text/chars.h"
#include "text/lexicon.h"
#include "text/text.h"
#include "text/text_internal.h"

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

/* ---- fast paths ---------------------------------------------------------------------------
 * Persian text is almost all two-byte UTF-8 (the Arabic block) and ASCII. The folded form and
 * the word-character class of every code point below U+0800 are kept in tables built once, at
 * first use, by the general functions above (fold_add, is_token_cp), so the fast path gives
 * exactly the bytes the general one would: an index built before these tables stays valid. */

enum { FAST_CPS = 0x800, FAST_FOLD_MAX = 14, FAST_FOLD_SLOW = 0xFF };

/* The folded bytes of one code point (len FAST_FOLD_SLOW: take the general path). */
struct fast_fold {
	uint8_t len;
	char s[FAST_FOLD_MAX];
};

static struct fast_fold fold_table[FAST_CPS];
static bool token_table[FAST_CPS];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static bool is_token_cp(uint32_t cp);

/* build_tables: fill fold_table and token_table from the general functions (pthread_once). */
static void build_tables(void)
{
	struct buf b;
	buf_init(&b, 256);
	for (uint32_t cp = 0; cp < FAST_CPS; cp++) {
		buf_reset(&b);
		struct fast_fold *f = &fold_table[cp];
		f->len = FAST_FOLD_SLOW;
		if (fold_add(&b, cp) == CH_OK && b.n <= FAST_FOLD_MAX) {
			f->len = (uint8_t)b.n;
			if (b.n)
				memcpy(f->s, b.p, b.n);
		}
		token_table[cp] = is_token_cp(cp);
	}
	buf_release(&b);
}

/* two_byte_cp: the code point of a well-formed two-byte sequence at s (n bytes left), or 0
 * when s does not start one (utf8_decode decodes exactly these the same way). */
static inline uint32_t two_byte_cp(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0xC2 || c > 0xDF || n < 2 || ((unsigned char)s[1] & 0xC0) != 0x80)
		return 0;
	return ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)s[1] & 0x3F);
}

/* flush_staged: append the k staged bytes (whole UTF-8 sequences) to out. At the size cap it
 * appends sequence by sequence until one does not fit, as adding code point by code point
 * would, so a capped key is the same prefix either way. */
static enum ch_status flush_staged(struct buf *out, const char *stage, size_t k)
{
	enum ch_status st = buf_add(out, stage, k);
	if (st != CH_ERR_LIMIT)
		return st;
	for (size_t i = 0; i < k;) {
		unsigned char c = (unsigned char)stage[i];
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (len > k - i || buf_add(out, stage + i, len) != CH_OK)
			break;
		i += len;
	}
	return CH_ERR_LIMIT;
}

enum ch_status text_fold(const char *s, size_t n, struct buf *out)
{
	pthread_once(&tables_once, build_tables);
	char stage[512];
	size_t k = 0, i = 0;
	enum ch_status st = CH_OK;
	while (i < n && st == CH_OK) {
		if (k > sizeof stage - FAST_FOLD_MAX) {
			st = flush_staged(out, stage, k);
			k = 0;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			stage[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		uint32_t cp = two_byte_cp(s + i, n - i);
		if (cp && fold_table[cp].len != FAST_FOLD_SLOW) {
			memcpy(stage + k, fold_table[cp].s, fold_table[cp].len);
			k += fold_table[cp].len;
			i += 2;
			continue;
		}
		if (k) { /* keep the order: what is staged goes first */
			st = flush_staged(out, stage, k);
			k = 0;
			if (st != CH_OK)
				break;
		}
		i += utf8_decode(s + i, n - i, &cp, NULL);
		st = fold_add(out, cp);
	}
	if (st == CH_OK && k)
		st = flush_staged(out, stage, k);
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

/* stem_len_lex: the length of the stem of folded word w (n bytes), from the lexicon. */
static size_t stem_len_lex(const char *w, size_t n)
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
			if ((f2 & LEX_WORD) && (!(sf & LEX_WORD) || lex_freq(w, stem + 2) > lex_freq(w, stem)))
				return stem + 2;
		}
		/* کتابهایی -> کتاب; خانهای -> خانه */
		return stem;
	}
	return n;
}

/* A cache of stems per thread: news text repeats its words, and each answer from the lexicon
 * costs one to four hash lookups (with 1,024 slots these were still a quarter of tokenizing:
 * a news vocabulary is larger). Direct-mapped, STEM_CACHE_SLOTS slots of words up to
 * STEM_CACHE_KEY bytes, allocated on a thread's first stem (most threads never stem) and freed
 * when the thread ends; without memory every stem goes to the lexicon. */
enum { STEM_CACHE_SLOTS = 1 << 14, STEM_CACHE_KEY = 30 };
struct stem_slot {
	uint8_t n, stem; /* n == 0: empty */
	char key[STEM_CACHE_KEY];
};
static _Thread_local struct stem_slot *stem_cache;
static _Thread_local bool stem_cache_failed;

/* thread_stem_cache: this thread's cache, made on first use (thread_block); NULL without
 * memory. */
static struct stem_slot *thread_stem_cache(void)
{
	if (stem_cache || stem_cache_failed)
		return stem_cache;
	stem_cache = thread_block(STEM_CACHE_SLOTS * sizeof *stem_cache, false);
	stem_cache_failed = !stem_cache;
	return stem_cache;
}

/* stem_len: stem_len_lex through this thread's cache. */
static size_t stem_len(const char *w, size_t n)
{
	struct stem_slot *cache = n == 0 || n > STEM_CACHE_KEY ? NULL : thread_stem_cache();
	if (!cache)
		return stem_len_lex(w, n);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	struct stem_slot *slot = &cache[(h ^ (h >> 16)) % STEM_CACHE_SLOTS];
	if (slot->n == n && memcmp(slot->key, w, n) == 0)
		return slot->stem;
	size_t stem = stem_len_lex(w, n);
	slot->n = (uint8_t)n;
	slot->stem = (uint8_t)stem;
	memcpy(slot->key, w, n);
	return stem;
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

/* token_cp_at: decode the code point at s (n > 0 bytes left) into *len bytes and say whether
 * it is part of a word (is_token_cp), through token_table for ASCII and two-byte sequences. */
static inline bool token_cp_at(const char *s, size_t n, size_t *len, uint32_t *cp)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80) {
		*len = 1;
		*cp = c;
		return token_table[c];
	}
	uint32_t two = two_byte_cp(s, n);
	if (two) {
		*len = 2;
		*cp = two;
		return token_table[two];
	}
	*len = utf8_decode(s, n, cp, NULL);
	return is_token_cp(*cp);
}

/* next_span: the next word at or after *pos; false at the end. */
static bool next_span(const char *s, size_t n, size_t *pos, struct span *sp)
{
	size_t i = *pos, len;
	uint32_t cp = 0;
	while (i < n) {
		if (token_cp_at(s + i, n - i, &len, &cp) && cp != CP_ZWNJ)
			break;
		i += len;
	}
	if (i >= n)
		return false;
	sp->start = i;
	while (i < n) {
		if (!token_cp_at(s + i, n - i, &len, &cp))
			break;
		i += len;
	}
	sp->end = i;
	*pos = i;
	return true;
}

/* A verb prefix or suffix that may be written apart from its word, with its length. */
struct affix {
	const char *s;
	size_t n;
};
#define AFFIX(lit) { lit, sizeof lit - 1 }
static const struct affix prefix_words[] = { AFFIX("می"), AFFIX("نمی") };
static const struct affix suffix_words[] = {
	AFFIX("ها"),     AFFIX("های"),    AFFIX("هایی"),   AFFIX("هایم"), AFFIX("هایت"), AFFIX("هایش"),
	AFFIX("هایمان"), AFFIX("هایتان"), AFFIX("هایشان"), AFFIX("تر"),   AFFIX("ترین"), AFFIX("ای"),
	AFFIX("ام"),     AFFIX("اید"),    AFFIX("ایم"),    AFFIX("اند"),
};
#undef AFFIX
#define N_PREFIX_WORDS (sizeof prefix_words / sizeof prefix_words[0])
#define N_SUFFIX_WORDS (sizeof suffix_words / sizeof suffix_words[0])
enum { AFFIX_MAX = sizeof "هایشان" - 1 }; /* the longest affix above */

/* key_in: whether folded key k is one of the listed affixes. */
static bool key_in(const char *k, size_t n, const struct affix *list, size_t count)
{
	if (n > AFFIX_MAX)
		return false; /* most words: longer than any affix */
	for (size_t i = 0; i < count; i++)
		if (list[i].n == n && memcmp(list[i].s, k, n) == 0)
			return true;
	return false;
}

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
		if (key_in(pk, ts->part.n, prefix_words, N_PREFIX_WORDS) ||
		    key_in(pk, ts->part.n, suffix_words, N_SUFFIX_WORDS))
			return true;
		a = i + ZWNJ_LEN;
		i = a - 1;
	}
	return false;
}

/* has_zwnj: s[sp] holds a ZWNJ. */
static bool has_zwnj(const char *s, struct span sp)
{
	for (size_t i = sp.start; i + ZWNJ_LEN <= sp.end; i++)
		if (s[i] == ZWNJ_UTF8[0] && memcmp(s + i, ZWNJ_UTF8, ZWNJ_LEN) == 0)
			return true;
	return false;
}

/* emit_parts: the ZWNJ-separated parts of a compound (سه‌شنبه -> سه, شنبه), colocated. */
static int emit_parts(const char *s, struct span sp, struct tok_state *ts, text_token_fn fn, void *ctx)
{
	size_t a = sp.start;
	bool any = false;
	if (!has_zwnj(s, sp))
		return 0; /* no ZWNJ: not a compound (what the loop below would find, without folding) */
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

/* key_of: the folded text of b, never NULL. */
static inline const char *key_of(const struct buf *b)
{
	return b->p ? b->p : "";
}

int text_tokenize(const char *s, size_t n, enum text_tok_mode mode, text_token_fn fn, void *ctx)
{
	pthread_once(&tables_once, build_tables);
	struct tok_state ts;
	buf_init(&ts.folded, 1 << 16);
	buf_init(&ts.part, 1 << 16);
	/* each word is folded once: `folded` holds the current token's form, `ahead` the next
	 * word's (folded while deciding whether it merges) and becomes `folded` in turn */
	struct buf ahead;
	buf_init(&ahead, 1 << 16);
	size_t pos = 0;
	struct span cur, next;
	bool have = next_span(s, n, &pos, &cur);
	if (have)
		fold_span(s, cur, &ts.folded);
	int rc = 0;
	while (have && rc == 0) {
		/* merge spaced affixes: می شود, کتاب ها */
		bool more = next_span(s, n, &pos, &next);
		bool ahead_ok = false; /* ahead holds next's folded form */
		while (more && only_spaces(s, cur.end, next.start)) {
			bool prefix = key_in(key_of(&ts.folded), ts.folded.n, prefix_words, N_PREFIX_WORDS);
			fold_span(s, next, &ahead);
			ahead_ok = true;
			bool suffix = key_in(key_of(&ahead), ahead.n, suffix_words, N_SUFFIX_WORDS);
			if (!prefix && !suffix)
				break;
			cur.end = next.end;
			fold_span(s, cur, &ts.folded);
			ahead_ok = false;
			more = next_span(s, n, &pos, &next);
		}
		size_t k = stem_len(key_of(&ts.folded), ts.folded.n);
		if (k > 0)
			rc = fn(ctx, ts.folded.p, k, cur.start, cur.end, false);
		if (rc == 0 && mode == TEXT_TOK_DOCUMENT)
			rc = emit_parts(s, cur, &ts, fn, ctx);
		cur = next;
		have = more;
		if (have) {
			if (ahead_ok) {
				struct buf t = ts.folded;
				ts.folded = ahead;
				ahead = t;
			} else {
				fold_span(s, cur, &ts.folded);
			}
		}
	}
	buf_release(&ts.folded);
	buf_release(&ts.part);
	buf_release(&ahead);
	return rc;
}

/* The revision of the tokenizer's and stemmer's code: bump it whenever a change to this file
 * changes what text_tokenize or text_stem emit for some input (bench/gen/tokens.sh tells), so
 * that stores indexed by the old code are re-indexed when they are next opened. */
enum { TEXT_TOKENIZER_REVISION = 1 };

uint64_t text_tokens_fingerprint(void)
{
	return text_lex_fingerprint ^ ((uint64_t)TEXT_TOKENIZER_REVISION * 0x9e3779b97f4a7c15u);
}
