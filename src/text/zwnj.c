/*
 * zwnj.c — restoring lost half-spaces (ZWNJ, U+200C), the word pass of display
 * normalization. Each Persian word (a run of Arabic-script letters and marks, ZWNJ inside
 * allowed) is looked up without its marks in the lexicon (lexicon.c; most words are ruled out
 * by cheap tests and Bloom filters first):
 *  - a word the lexicon spells with ZWNJ (می‌شود, سه‌شنبه, بین‌المللی) gets them back;
 *  - a lexical word (میز, میان, بیمار, تنها) is left alone;
 *  - any other word is taken apart by morphology: the verb prefixes می / نمی (also after بر,
 *    در, فرو, باز, فرا, وا) before a known verb form, بی before a known noun or adjective; the
 *    suffixes ها / های… (plural), تر / ترین (comparative, after an adjective), the clitics and
 *    copulas ای ام ات اش ایم اید اند after a word ending in ه (or, singular, after ی); and a
 *    productive second part after a word ending in ه (چندجانبه‌گرایی, آماده‌سازی).
 * Two words separated by one space are joined with a ZWNJ when the first is a verb prefix
 * or بی, the second such a suffix, or the lexicon spells the pair as one compound that two
 * standalone words may form (productive second part, هم, or always_join.txt).
 * A word that already has a ZWNJ is kept as written, so a second pass changes nothing. A
 * line that writes a ZWNJ somewhere is taken to mean the words it writes joined (کتابها in
 * Bijankhan-style text): there only verb prefixes and lexicon compounds are restored, not
 * suffixes. Nothing here allocates; words longer than MAX_KEY bytes are copied unchanged.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text/charclass.h"
#include "text/chars.h"
#include "text/lexicon.h"
#include "text/text.h"
#include "text/text_internal.h"

enum { MAX_KEY = 160, MAX_BRK = 8 };
/* needs of compound_join besides a lexicon flag (LEX_ALWAYS_JOIN) */
enum { LEX_COMMON_COMPOUND = 1, LEX_LISTED_JOIN = 3 };
/* Flags of lexicon.tsv that only the join rules read (make_lexicon.py derives them from how a
 * news corpus writes each compound); the lead may move them into enum lex_flag. */
enum {
	LEX_SPACED_LOST = 512,   /* ZWNJ-typing editors write it with a ZWNJ, rarely apart:
				  * join when spaced where spaces may be lost ZWNJs */
	LEX_SPACED_JOIN = 4096,  /* two standalone words, yet written as one: join when spaced */
	LEX_SPACED_APART = 8192, /* written as two words far more often: never join when spaced */
	LEX_JOINED_SEEN = 16384, /* a compound the news corpus also writes joined (خرمشهر) */
	LEX_AFFIXED = 32768,     /* an inflected form the news counts resolve (نامه‌ای, not نام‌های) */
};

/* One word of the input: its letters without ZWNJ and marks (the key; the word itself when
 * it has neither, which is the common case), where each key byte came from, and the key
 * offsets before which a ZWNJ goes. */
struct word {
	const char *src;  /* the word in the input */
	size_t len;       /* its bytes */
	const char *key;  /* src when simple, else kbuf */
	size_t klen;
	bool simple;      /* no marks or ZWNJ: key == src */
	bool too_long;    /* longer than MAX_KEY: copied unchanged */
	bool looked_up;   /* flags is known */
	bool starts_compound_known; /* starts_compound is set */
	bool starts_compound; /* lex_may_start_compound(hash) */
	bool ends_compound_known; /* ends_compound is set */
	bool ends_compound; /* may_end_compound(w) */
	bool pair_known;  /* pair is set */
	uint8_t pair;     /* PAIR_* bits of pair_bits */
	unsigned flags;   /* lexicon flags of the whole key (0 when unknown) */
	uint32_t hash;    /* lex_hash of the key */
	bool hashed;      /* hash is already set (by fill_word) */
	unsigned nbrk;
	uint8_t brk[MAX_BRK]; /* ascending key offsets */
	char kbuf[MAX_KEY];
	uint16_t kpos[MAX_KEY + 1]; /* key offset -> offset in src, when not simple */
};

/* Persian spellings of the affixes, in UTF-8. */
#define MI "\xd9\x85\xdb\x8c"         /* می */
#define NA "\xd9\x86"                 /* ن */
#define BI "\xd8\xa8\xdb\x8c"         /* بی */
#define HEH "\xd9\x87"                /* ه */
#define YEH "\xdb\x8c"                /* ی */
#define ALEF "\xd8\xa7"               /* ا */
#define ARABIC_COMMA "\xd8\x8c"       /* ، */

enum suffix_kind { SUF_PLURAL, SUF_COMPARATIVE, SUF_CLITIC };

static const struct suffix {
	const char *s;
	size_t len; /* bytes */
	enum suffix_kind kind;
} suffixes[] = {
#define SUF(lit, kind) { lit, sizeof lit - 1, kind }
	/* longest first */
	SUF("هایشان", SUF_PLURAL), SUF("هایتان", SUF_PLURAL), SUF("هایمان", SUF_PLURAL),
	SUF("هایی", SUF_PLURAL),   SUF("هایم", SUF_PLURAL),   SUF("هایت", SUF_PLURAL),
	SUF("هایش", SUF_PLURAL),   SUF("ترین", SUF_COMPARATIVE), SUF("های", SUF_PLURAL),
	SUF("ایم", SUF_CLITIC),    SUF("اید", SUF_CLITIC),    SUF("اند", SUF_CLITIC),
	SUF("شان", SUF_CLITIC),    SUF("تان", SUF_CLITIC),    SUF("مان", SUF_CLITIC),
	SUF("تری", SUF_COMPARATIVE), SUF("ها", SUF_PLURAL),   SUF("تر", SUF_COMPARATIVE),
	SUF("ای", SUF_CLITIC),     SUF("ام", SUF_CLITIC),     SUF("ات", SUF_CLITIC),
	SUF("اش", SUF_CLITIC),
#undef SUF
};
enum { SUFFIX_MAX_LEN = 12 };

/* suffix_from[n / 2]: the first index of suffixes[] whose length is n bytes (the table is
 * sorted by length, longest first, so those of one length are together), or the index of
 * the first shorter one when none has that length; filled once by suffix_from_build. */
static uint8_t suffix_from[SUFFIX_MAX_LEN / 2 + 1];
static pthread_once_t suffix_from_once = PTHREAD_ONCE_INIT;
/* suffix_by_last[c]: bit i set when suffixes[i] ends with byte c (in table order, so the
 * lowest bit is the longest); filled by suffix_from_build with suffix_from */
static uint32_t suffix_by_last[256];

/* suffix_from_build: fill suffix_from: for each k, the first suffix of at most 2k bytes (an
 * odd length then starts at a shorter suffix and stops at once: every suffix is of two-byte
 * letters). */
static void suffix_from_build(void)
{
	size_t count = sizeof suffixes / sizeof suffixes[0];
	for (size_t k = 0; k <= SUFFIX_MAX_LEN / 2; k++) {
		size_t i = 0;
		while (i < count && suffixes[i].len > 2 * k)
			i++;
		suffix_from[k] = (uint8_t)i;
	}
	for (size_t i = 0; i < count; i++)
		suffix_by_last[(unsigned char)suffixes[i].s[suffixes[i].len - 1]] |= 1u << i;
}

/* Preverbs written joined to می (برمی‌گردد, درمی‌آید). */
static const struct {
	const char *s;
	size_t len;
} preverbs[] = {
#define PV(lit) { lit, sizeof lit - 1 }
	PV("بر"), PV("در"), PV("فرو"), PV("باز"), PV("فرا"), PV("وا"),
#undef PV
};

/* bytes_eq: n bytes equal; affixes are a few bytes long. */
static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
	/* fixed sizes become single integer compares */
	switch (n) {
	case 2:
		return memcmp(a, b, 2) == 0;
	case 3:
		return memcmp(a, b, 3) == 0;
	case 4:
		return memcmp(a, b, 4) == 0;
	case 6:
		return memcmp(a, b, 6) == 0;
	case 8:
		return memcmp(a, b, 8) == 0;
	default:
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
}

/* ends_with / starts_with / key_is: byte-string tests on a key. */
static inline bool ends_with(const char *k, size_t n, const char *suf, size_t sn)
{
	return n >= sn && bytes_eq(k + n - sn, suf, sn);
}

static inline bool starts_with(const char *k, size_t n, const char *pre, size_t pn)
{
	return n >= pn && bytes_eq(k, pre, pn);
}

#define key_is(k, n, lit) ((n) == sizeof(lit) - 1 && bytes_eq((k), (lit), sizeof(lit) - 1))

/* letter_joins: the letter whose UTF-8 ends at k[n-1] joins to the next letter. */
static bool letter_joins(const char *k, size_t n)
{
	if (n < 2)
		return false;
	uint32_t cp;
	utf8_decode(k + n - 2, 2, &cp, NULL);
	return (arabic_class(cp) & CC_JOINS) != 0;
}

/* add_break: a ZWNJ goes before key byte k (kept sorted, no duplicates). */
static void add_break(struct word *w, size_t k)
{
	if (k == 0 || k >= w->klen || w->nbrk >= MAX_BRK)
		return;
	unsigned i = w->nbrk;
	while (i > 0 && w->brk[i - 1] > k)
		i--;
	if (i > 0 && w->brk[i - 1] == k)
		return;
	memmove(w->brk + i + 1, w->brk + i, w->nbrk - i);
	w->brk[i] = (uint8_t)k;
	w->nbrk++;
}

/* mark_lexicon: set the ZWNJ breaks an entry spells. */
static void mark_lexicon(struct word *w, const struct lex_entry *e)
{
	for (unsigned i = 0; i < e->nzwnj; i++)
		add_break(w, e->zwnj_at[i]);
}

/* prefix_end: the key offset after a verb prefix (می, نمی, preverb + می or نمی) at the start of
 * k, or 0. */
static size_t prefix_end(const char *k, size_t n)
{
	size_t mi = sizeof MI - 1;
	/* the prefixes start with م ن ب د ف و: a cheap test on the first letter */
	unsigned char b0 = (unsigned char)k[0], b1 = n > 1 ? (unsigned char)k[1] : 0;
	if (!((b0 == 0xD9 && (b1 == 0x85 || b1 == 0x86 || b1 == 0x81 || b1 == 0x88)) ||
	      (b0 == 0xD8 && (b1 == 0xA8 || b1 == 0xAF))))
		return 0;
	if (starts_with(k, n, NA MI, sizeof NA MI - 1))
		return sizeof NA MI - 1;
	if (starts_with(k, n, MI, mi))
		return mi;
	for (size_t i = 0; i < sizeof preverbs / sizeof preverbs[0]; i++) {
		size_t pn = preverbs[i].len;
		if (!starts_with(k, n, preverbs[i].s, pn))
			continue;
		if (starts_with(k + pn, n - pn, MI, mi))
			return pn + mi;
		if (starts_with(k + pn, n - pn, NA MI, sizeof NA MI - 1))
			return pn + sizeof NA MI - 1; /* برنمی‌گردد */
	}
	return 0;
}

/* may_end_suffix: whether a word whose last byte is c can end with a suffix: the suffixes
 * end in ا ر ت د ش م ن ی, whose UTF-8 ends in these bytes. */
static bool may_end_suffix(unsigned char c)
{
	switch (c) {
	case 0xA7: /* ا */
	case 0xB1: /* ر */
	case 0xAA: /* ت */
	case 0xAF: /* د */
	case 0xB4: /* ش */
	case 0x85: /* م */
	case 0x86: /* ن */
	case 0x8C: /* ی */
		return true;
	default:
		return false;
	}
}

/* has_suffix: k ends with one of the suffixes (a cheap test before any lookup). */
static bool has_suffix(const char *k, size_t n)
{
	if (n < 8 || !may_end_suffix((unsigned char)k[n - 1]))
		return false;
	/* only the suffixes ending in k's last byte */
	for (uint32_t m = suffix_by_last[(unsigned char)k[n - 1]]; m; m &= m - 1) {
		const struct suffix *sf = &suffixes[__builtin_ctz(m)];
		if (n >= sf->len + 4 && bytes_eq(k + n - sf->len, sf->s, sf->len))
			return true;
	}
	return false;
}

/* has_inner_heh: k has a ه after its second letter and before its last three. */
static bool has_inner_heh(const char *k, size_t n)
{
	for (size_t at = 6; at + 6 <= n; at += 2)
		if (k[at - 2] == HEH[0] && k[at - 1] == HEH[1])
			return true;
	return false;
}

/* participle_copula: k (n bytes) is a past participle and a copula (کرده‌اند, داشته‌ام, as
 * after می in the past progressive می‌کرده‌اند): the participle's length, else 0. */
static size_t participle_copula(const char *k, size_t n)
{
	static const struct {
		const char *s;
		size_t len;
	} copulas[] = { { "اند", 6 }, { "ایم", 6 }, { "اید", 6 }, { "ام", 4 }, { "ای", 4 } };
	for (size_t i = 0; i < sizeof copulas / sizeof copulas[0]; i++) {
		size_t stem = n - copulas[i].len;
		if (n >= copulas[i].len + 6 && bytes_eq(k + stem, copulas[i].s, copulas[i].len) &&
		    ends_with(k, stem, HEH, sizeof HEH - 1) && (lex_flags(k, stem) & LEX_VERB_FORM))
			return stem;
	}
	return 0;
}

/* analyze_prefix: می / نمی / preverb+می before a verb form, بی before a noun or adjective.
 * True when a break was set. */
static bool analyze_prefix(struct word *w)
{
	const char *k = w->key;
	size_t n = w->klen;
	size_t at = prefix_end(k, n);
	if (at && n >= at + 4 && (lex_flags(k + at, n - at) & LEX_VERB_FORM)) {
		add_break(w, at);
		return true;
	}
	size_t pl = at && n >= at + 8 ? participle_copula(k + at, n - at) : 0;
	if (pl) {
		add_break(w, at); /* می‌کرده‌اند, می‌داشته‌ام */
		add_break(w, at + pl);
		return true;
	}
	if (starts_with(k, n, BI, sizeof BI - 1) && n - (sizeof BI - 1) >= 6) {
		unsigned f = lex_flags(k + 4, n - 4);
		if ((f & LEX_WORD) && (f & (LEX_NOUN | LEX_ADJ))) {
			add_break(w, 4);
			return true;
		}
	}
	return false;
}

/* relational_adjective: the stem (stem_len bytes of k) is a word + ی (بعثی from بعث,
 * اقتصادی from اقتصاد), which takes plurals and ترین although the lexicon may not list it. */
static bool relational_adjective(const char *k, size_t stem_len)
{
	return stem_len >= 8 && ends_with(k, stem_len, YEH, sizeof YEH - 1) &&
	       (lex_flags(k, stem_len - 2) & LEX_WORD);
}

/* participle_shape: the stem (stem_len bytes of k) ends like a past participle: د or ت,
 * then ه (کرده, برتابانده, گفته). */
static bool participle_shape(const char *k, size_t stem_len)
{
	return ends_with(k, stem_len, HEH, sizeof HEH - 1) &&
	       (ends_with(k, stem_len - 2, "د", 2) || ends_with(k, stem_len - 2, "ت", 2));
}

/* suffix_fits: whether stem (stem_len bytes of the key) can take suffix sf. */
static bool suffix_fits(const char *k, size_t stem_len, const struct suffix *sf, unsigned *flags)
{
	const struct lex_entry *e = lex_lookup(k, stem_len);
	unsigned f = e ? e->flags : 0;
	*flags = f;
	switch (sf->kind) {
	case SUF_PLURAL:
		if (f & (LEX_WORD | LEX_ZWNJ | LEX_NOUN | LEX_ADJ))
			return true;
		/* a stem of four letters or more that the lexicon lacks (تکنیک, پیامک, مؤلفه) is
		 * taken for a noun: its plural is its likeliest reading */
		if (!e && stem_len >= 8 && sf->len <= 8)
			return true;
		return relational_adjective(k, stem_len);
	case SUF_COMPARATIVE:
		/* کلانتری, بستری: a lexical noun in تر (not an adjective) and ی, no comparative */
		if (sf->len == 6 && (lex_flags(k, stem_len + 4) & (LEX_WORD | LEX_NOUN | LEX_ADJ)) ==
					    (LEX_WORD | LEX_NOUN))
			return false;
		if (f & LEX_ZWNJ)
			return true; /* a compound adjective: دوست‌داشتنی‌ترین, خوش‌آهنگ‌تر */
		if (sf->len == 8)
			return (f & (LEX_WORD | LEX_ADJ | LEX_NOUN)) != 0 ||
			       relational_adjective(k, stem_len);
		return (f & LEX_ADJ) != 0;
	case SUF_CLITIC:
		/* شان تان مان: Xه‌مان is rather the plural in ان of a word Xهم (متهمان) */
		if (sf->len == 6 && bytes_eq(sf->s + 2, "ان", 4) &&
		    (lex_flags(k, stem_len + 2) & LEX_WORD))
			return false;
		if (stem_len >= 6 && (f & (LEX_WORD | LEX_ZWNJ | LEX_VERB_FORM)) &&
		    ends_with(k, stem_len, HEH, sizeof HEH - 1))
			return true;
		/* the perfect of a verb the lists lack (برتابانده‌اند, پی‌برده‌اند): a participle
		 * shape (past stem in د or ت, then ه) and a copula other than ای, which may be the
		 * plural های of a stem without ه (کرده+ای or کرد+های: prefer_clitic decides) */
		if (stem_len >= 8 && !e && participle_shape(k, stem_len) &&
		    !(sf->len == 4 && bytes_eq(sf->s, "ای", 4)))
			return true;
		/* a negated participle takes the copula too: نکشته‌ام, نرفته‌اند */
		if (sf->len <= 6 && stem_len >= 8 && starts_with(k, stem_len, NA, sizeof NA - 1) &&
		    ends_with(k, stem_len, HEH, sizeof HEH - 1) &&
		    (lex_flags(k + 2, stem_len - 2) & LEX_VERB_FORM))
			return true;
		/* بعله‌اش, پسرخاله‌اش, روحیه‌شان: اش or شان after a word the lists lack, ending in ه
		 * (not ام, مان: تاتنهام, میهمان) */
		if (!e && stem_len >= 6 && ends_with(k, stem_len, HEH, sizeof HEH - 1) &&
		    (key_is(sf->s, sf->len, "اش") || key_is(sf->s, sf->len, "شان")))
			return true;
		/* صندلی‌ام, هنری‌اش: a singular clitic after a word of four letters ending in ی */
		return stem_len >= 8 && (f & LEX_WORD) && sf->len == 4 &&
		       ends_with(k, stem_len, YEH, sizeof YEH - 1);
	}
	return false;
}

/* prefer_clitic: for X+های / X+هایم…, whether Xه + ای / ایم… is the likelier reading
 * (خانه‌ای rather than خان‌های): the stem Xه is the more frequent word in the corpus counts. */
static bool prefer_clitic(const char *k, size_t stem, const struct suffix *sf, unsigned stem_flags)
{
	size_t sn = sf->len;
	if (sn <= 2 || k[stem] != HEH[0] || k[stem + 1] != HEH[1])
		return false;
	unsigned f2 = lex_flags(k, stem + 2);
	if (!(f2 & (LEX_WORD | LEX_VERB_FORM)))
		return false;
	for (size_t j = 0; j < sizeof suffixes / sizeof suffixes[0]; j++) {
		if (suffixes[j].kind != SUF_CLITIC || suffixes[j].len != sn - 2 ||
		    !bytes_eq(suffixes[j].s, sf->s + 2, sn - 2))
			continue;
		unsigned dummy;
		/* a participle takes the copula: کرده‌اند, شده‌ایم; but before ای a noun stem is
		 * the likelier plural (نهادهای, درآمدهای) */
		bool participle = (f2 & LEX_VERB_FORM) &&
				  !(sn == 6 && (stem_flags & LEX_NOUN));
		return suffix_fits(k, stem + 2, &suffixes[j], &dummy) &&
		       (participle || lex_freq(k, stem + 2) > lex_freq(k, stem));
	}
	return false;
}

/* comparative_before: the stem (stem bytes of w's key) of a plural, unknown to the lexicon,
 * is an adjective + تر (بزرگ‌ترها): its ZWNJ goes before تر too. */
static void comparative_before(struct word *w, size_t stem)
{
	static const char tar[] = "تر";
	size_t tn = sizeof tar - 1;
	if (stem >= tn + 4 && ends_with(w->key, stem, tar, tn) &&
	    (lex_flags(w->key, stem - tn) & LEX_ADJ) && letter_joins(w->key, stem - tn))
		add_break(w, stem - tn);
}

/* short_heh_word: the stem (stem bytes, ending in ه) is a word of two letters (ده, مه), whose
 * ه is pronounced: a writer who joins plurals joins it like any consonant (دهها), so the
 * rule of a line that writes ZWNJs (a final ه always takes its ZWNJ) does not hold for it.
 * (Longer words with a pronounced ه after ا or و, گروهها, باشگاههای, were tried too: they
 * lost on the news check's mixed input, bench/text/RESULTS-zwnj.md.) */
static bool short_heh_word(size_t stem)
{
	return stem < 6;
}

/* analyze_suffix: stem + suffix, the stem known to the lexicon. True when a break was set.
 * after_heh: only a stem ending in ه is split (the reading is chosen as usual, and dropped
 * when its stem ends otherwise): the rule of a line that writes ZWNJs, whose writer may join
 * a plural (سالهای) but never a suffix to a final ه (پرونده‌های, کرده‌اند, موزه‌ای). */
static bool analyze_suffix(struct word *w, bool after_heh)
{
	const char *k = w->key;
	size_t n = w->klen;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		const struct suffix *sf = &suffixes[i];
		size_t sn = sf->len;
		if (n < sn + 4 || k[n - 1] != sf->s[sn - 1] || !bytes_eq(k + n - sn, sf->s, sn))
			continue;
		size_t stem = n - sn;
		unsigned f;
		if (!suffix_fits(k, stem, sf, &f))
			continue;
		if (sf->kind == SUF_PLURAL && prefer_clitic(k, stem, sf, f))
			continue;
		/* آنهایی, تنهایش: a word ending in ها (آنها, تنها) and an ending, not stem + های */
		if (sf->kind == SUF_PLURAL && sf->len > 4 &&
		    (lex_flags(k, stem + 4) & (LEX_WORD | LEX_ZWNJ)) == LEX_WORD)
			return false;
		if (after_heh && !ends_with(k, stem, HEH, sizeof HEH - 1))
			return false;
		if (after_heh && short_heh_word(stem))
			return false;
		if (letter_joins(k, stem))
			add_break(w, stem);
		if (f & LEX_ZWNJ)
			mark_lexicon(w, lex_lookup(k, stem));
		else if (!f && sf->kind == SUF_PLURAL)
			comparative_before(w, stem);
		return true;
	}
	return false;
}

/* closes_phrase: the text at p (left bytes) starts with a mark that closes a phrase:
 * . ! ? : ; , ) or ، ؛ ؟ » (not an opening quote: نام‌های «...» is a plural before its noun). */
static bool closes_phrase(const unsigned char *p, size_t left)
{
	if (left == 0)
		return false;
	switch (p[0]) {
	case '.': case '!': case '?': case ':': case ';': case ',': case ')':
		return true;
	case 0xD8: /* ، ؛ ؟ */
		return left > 1 && (p[1] == 0x8C || p[1] == 0x9B || p[1] == 0x9F);
	case 0xC2: /* » */
		return left > 1 && p[1] == 0xBB;
	default:
		return false;
	}
}

/* ezafe_break: the key offset to write instead of brk, the last break of a word whose key k
 * (n bytes) is followed in the text by after (left bytes): brk itself, or n - 4 when brk
 * splits a plural های right before a mark that closes a phrase. The plural in های is an ezafe
 * form that a word must follow (کتاب‌های ایران), so there the word is Xه + ای (ساخته‌ای.,
 * دوره‌ای،): so in every such word of zwnj-dev's gold and of the fa-news-dev editors' text.
 * Read at emission, outside the word cache: the next byte is no part of its key.
 * (ezafe_break_slow: the same, once the break is known to sit six bytes before the end.) */
static size_t ezafe_break_slow(const char *k, size_t n, size_t brk, const unsigned char *after,
			       size_t left)
{
	if (!ends_with(k, n, "های", 6) || !closes_phrase(after, left))
		return brk;
	return n - 4;
}

static inline size_t ezafe_break(const char *k, size_t n, size_t brk, const unsigned char *after,
				 size_t left)
{
	return brk + 6 != n ? brk : ezafe_break_slow(k, n, brk, after, left);
}

/* has_zwnj / written_zwnj: whether w has a ZWNJ before key byte k in the text. */
static bool written_zwnj(const struct word *w, size_t k)
{
	size_t at = w->kpos[k];
	return at >= ZWNJ_LEN && bytes_eq(w->src + at - ZWNJ_LEN, ZWNJ_UTF8, ZWNJ_LEN);
}

static bool has_zwnj(const struct word *w)
{
	for (size_t k = 1; k < w->klen; k++)
		if (written_zwnj(w, k))
			return true;
	return false;
}

/* word_flags: the lexicon flags of w's key, looked up on first need. */
static unsigned word_flags(struct word *w)
{
	if (!w->looked_up) {
		w->flags = lex_flags(w->key, w->klen);
		w->looked_up = true;
	}
	return w->flags;
}

/* productive_key: k is a productive second part that is not a common word by itself. */
static bool productive_key(const char *k, size_t n)
{
	unsigned f = lex_flags(k, n);
	return (f & LEX_PRODUCTIVE) && (f >> LEX_FREQ_SHIFT & 7) == 0 &&
	       !ends_with(k, n, HEH, sizeof HEH - 1);
}

/* analyze_heh_compound: X + P where X ends in ه and P is a productive second part
 * (چندجانبه‌گرایی, آماده‌سازی, برنامه‌ریزی). True when a break was set. */
static bool analyze_heh_compound(struct word *w)
{
	const char *k = w->key;
	size_t n = w->klen;
	for (size_t at = 6; at + 6 <= n; at += 2) {
		if (k[at - 2] != HEH[0] || k[at - 1] != HEH[1])
			continue;
		if (productive_key(k + at, n - at)) {
			add_break(w, at);
			return true;
		}
	}
	return false;
}

/* plural_an_end: the length of a plural ending ان / انی that k (n bytes) ends with after a
 * stem of at least min_stem bytes (0 when none). */
static size_t plural_an_end(const char *k, size_t n, size_t min_stem)
{
	if (n >= min_stem + 6 && ends_with(k, n, "انی", 6))
		return 6;
	if (n >= min_stem + 4 && ends_with(k, n, "ان", 4))
		return 4;
	return 0;
}

/* analyze_compound_plural: w, unknown to the lexicon, is the plural in ان of a compound the
 * lexicon spells with ZWNJs (علاقه‌مندان, صاحب‌نظرانی): it takes the compound's ZWNJs. True
 * when breaks were set. */
static bool analyze_compound_plural(struct word *w)
{
	size_t en = plural_an_end(w->key, w->klen, 8);
	if (!en)
		return false;
	const struct lex_entry *e = lex_lookup(w->key, w->klen - en);
	if (!e || !(e->flags & LEX_ZWNJ))
		return false;
	mark_lexicon(w, e);
	return true;
}

/* kept_joined: in a line that writes ZWNJs, w (entry e) written joined is meant so: a compound
 * that is also written joined (خرمشهر, غلامحسین) or an inflected form (the affix rules are off
 * in such a line), not a verb prefix (میشود is a lost ZWNJ), nor an inflected form whose ZWNJ
 * follows a final ه (موزه‌ای, نامه‌ای): a writer who types ZWNJs never joins a suffix to a
 * final ه (the after_heh rule of analyze_suffix), so there the ZWNJ was lost. */
static bool kept_joined(const struct word *w, const struct lex_entry *e)
{
	if ((e->flags & LEX_AFFIXED) && e->nzwnj &&
	    ends_with(w->key, e->zwnj_at[e->nzwnj - 1], HEH, sizeof HEH - 1))
		return false;
	return (e->flags & (LEX_JOINED_SEEN | LEX_AFFIXED)) &&
	       prefix_end(w->key, w->klen) != e->zwnj_at[0];
}

/* compound_plural: w's key is a lexicon compound and a plural (لاش‌خورهای, فاصله‌گذاریها)
 * whose plural ending lies after key offset from (w's last written ZWNJ): such a word is read
 * whole, as the first pass read it joined; its last part alone may read otherwise (خوره‌ای). */
static bool compound_plural(const struct word *w, size_t from)
{
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t sn = suffixes[i].len;
		if (suffixes[i].kind == SUF_PLURAL && w->klen > sn + from &&
		    ends_with(w->key, w->klen, suffixes[i].s, sn) &&
		    (lex_flags(w->key, w->klen - sn) & LEX_ZWNJ))
			return true;
	}
	return false;
}

/* analyze_last_part: w writes a ZWNJ; the part after its last one, when no word of the
 * lexicon, is read by the suffix rules as a word of its own (میان‌دورهای → میان‌دوره‌ای,
 * می‌کردهاند → می‌کرده‌اند: a writer who kept one ZWNJ of a word and lost the next, or a
 * kept ZWNJ beside a lost one). The breaks it finds are after the last written ZWNJ, so
 * what a second pass reads there is a bare suffix, which takes none. */
static void analyze_last_part(struct word *w, bool trusting)
{
	size_t from = 0;
	for (size_t k = w->klen - 1; k > 0; k--)
		if (written_zwnj(w, k)) {
			from = k;
			break;
		}
	if (from == 0 || w->klen - from < 8 || !may_end_suffix((unsigned char)w->key[w->klen - 1]))
		return;
	struct word t; /* the suffix rules read only its key and length and set its breaks */
	t.key = w->key + from;
	t.klen = w->klen - from;
	t.nbrk = 0;
	if (lex_flags(t.key, t.klen) & (LEX_WORD | LEX_VERB_FORM | LEX_ZWNJ))
		return;
	analyze_suffix(&t, trusting);
	size_t start = from; /* where the key the breaks were found in starts */
	if (t.nbrk && compound_plural(w, from)) {
		start = 0;
		t.key = w->key;
		t.klen = w->klen;
		t.nbrk = 0;
		analyze_suffix(&t, trusting);
	}
	for (unsigned i = 0; i < t.nbrk; i++)
		if (start + t.brk[i] > from)
			add_break(w, start + t.brk[i]);
}

/* analyze_uncached: decide the ZWNJ breaks of w (at least four key bytes, hash set) from the
 * lexicon; trusting: its line already writes ZWNJs. */
static void analyze_uncached(struct word *w, bool trusting)
{
	/* most words have no lexicon ZWNJ, no prefix and no suffix: no lookup needed */
	if (!lex_may_take_zwnj(w->hash) && !prefix_end(w->key, w->klen) &&
	    !starts_with(w->key, w->klen, BI, sizeof BI - 1) && !has_suffix(w->key, w->klen) &&
	    !has_inner_heh(w->key, w->klen) && !plural_an_end(w->key, w->klen, 8)) {
		w->looked_up = false;
		return;
	}
	const struct lex_entry *e = lex_lookup_hashed(w->hash, w->key, w->klen);
	w->flags = e ? e->flags : 0;
	if (!w->simple && has_zwnj(w)) {
		/* ZWNJs written in the text are kept as they are; only the part after the last
		 * one may take a suffix */
		analyze_last_part(w, trusting);
		return;
	}
	if (e && (e->flags & LEX_ZWNJ)) {
		if (!(trusting && kept_joined(w, e)))
			mark_lexicon(w, e);
		return;
	}
	if (e && (e->flags & (LEX_WORD | LEX_VERB_FORM)))
		return;
	if (analyze_compound_plural(w))
		return;
	/* a line that writes ZWNJs elsewhere means its joined plurals and compounds (Bijankhan
	 * style): only verb prefixes and the lexicon's compounds are restored there */
	if (analyze_prefix(w))
		return;
	if (trusting) {
		analyze_suffix(w, true);
		return;
	}
	if (!analyze_suffix(w, false))
		analyze_heh_compound(w);
}

/* What a line's spaces say about its writer (affixes_apart). */
enum {
	APART_SPACES = 1, /* it writes an affix as a word (می شود, کتاب ها): its spaces may be
			   * lost ZWNJs */
	APART_PLURAL = 2, /* it writes a plural suffix as a word (کتاب ها): the words it writes
			   * joined (سالهای, بزرگترین) are meant joined */
	APART_JOINABLE = 4, /* such a plural after a word of three letters or more (not نمی),
			     * which should_join always joins to it */
};

/* affix_apart_at: p (left bytes, just after a space) starts an affix standing as a word of
 * its own, which text written correctly never has (می as a word, "wine" or the month May, is
 * rare): APART_SPACES | APART_PLURAL for ها های هایی, APART_SPACES for می نمی, else 0; the
 * token must be followed by the end, an ASCII byte (space, punctuation) or an Arabic comma.
 * Only a spaced plural says that the joined words are meant: writers who never type a ZWNJ
 * space می and join their plurals (مي خواندند beside کتابهاي). The token ends where the next
 * byte is no letter byte, tested at the affixes' three lengths (4, 6, 8 bytes), so most
 * words are ruled out by three byte tests. */
static unsigned affix_apart_at(const char *p, size_t left)
{
	const unsigned char *u = (const unsigned char *)p;
	for (size_t t = 4; t <= 8 && t <= left; t += 2) {
		if (t < left && u[t] >= 0x80 &&
		    !(u[t] == (unsigned char)ARABIC_COMMA[0] && t + 1 < left &&
		      u[t + 1] == (unsigned char)ARABIC_COMMA[1]))
			continue; /* a letter follows: the token is longer */
		bool plural = (t == 4 && bytes_eq(p, "ها", 4)) || (t == 6 && bytes_eq(p, "های", 6)) ||
			      (t == 8 && bytes_eq(p, "هایی", 8));
		if (plural)
			return APART_SPACES | APART_PLURAL;
		bool prefix = (t == 4 && bytes_eq(p, MI, 4)) || (t == 6 && bytes_eq(p, NA MI, 6));
		return prefix ? APART_SPACES : 0;
	}
	return 0;
}

/* affix_start: p[0..2) (readable) is the first letter of an affix word: م ن ه. */
static inline bool affix_start(const char *p)
{
	unsigned char b0 = (unsigned char)p[0], b1 = (unsigned char)p[1];
	return b0 == 0xD9 && b1 >= 0x85 && b1 <= 0x87;
}

/* affix_second: p[0..2) is م ن or ه (affix_start) and p[2..4) (readable) the letter an affix
 * word or a می/نمی word goes on with after it (ی after م, م after ن, ا after ه): the words
 * read_candidate would read for nothing (من, ما, نیز, همه: most candidates) fail this, with
 * no call and no branch on their length. */
static inline bool affix_second(const char *p)
{
	static const char *const second[3] = { YEH, MI, ALEF }; /* after م, ن, ه (MI: its م) */
	const char *want = second[(unsigned char)p[1] - 0x85];
	uint16_t a, b;
	memcpy(&a, p + 2, 2);
	memcpy(&b, want, 2);
	return a == b;
}

/* What affixes_apart finds in a line: its APART_* bits, and where the words that start with
 * می or نمی and go on with more letters are (the first MI_WORDS of them; joined_prefix_verb
 * reads them). */
enum { MI_WORDS = 8 };
struct line_scan {
	unsigned apart;
	unsigned nmi;
	size_t mi[MI_WORDS];
};

/* note_mi_word: record p (offset i of the line s, n bytes) when it starts with می or نمی. */
static inline void note_mi_word(struct line_scan *ls, const char *s, size_t n, size_t i)
{
	if (ls->nmi < MI_WORDS && (starts_with(s + i, n - i, MI, sizeof MI - 1) ||
				   starts_with(s + i, n - i, NA MI, sizeof NA MI - 1)))
		ls->mi[ls->nmi++] = i;
}

static inline bool letter_at(const unsigned char *p);

/* plural_joinable: the plural word at offset i of the line s (just after a space) follows a
 * word of three letters or more that is not نمی, read off the bytes before the space: such a
 * pair is always joined by should_join (so a first pass leaves none of them). */
static bool plural_joinable(const char *s, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i < 7 || !letter_at(u + i - 3) || !letter_at(u + i - 5) || !letter_at(u + i - 7))
		return false;
	bool three = i < 9 || !letter_at(u + i - 9); /* nothing before the line: i == 8 is a word at 1 */
	return !(three && bytes_eq(s + i - 7, NA MI, sizeof NA MI - 1));
}

/* read_candidate: a word starting at i (after a space) with م ن or ه: note what it says.
 * False once the line is known to write a joinable plural apart, after which nothing else
 * matters (line_trusting reads no می word then). */
static inline bool read_candidate(struct line_scan *ls, const char *s, size_t n, size_t i)
{
	unsigned bits = affix_apart_at(s + i, n - i);
	if ((bits & APART_PLURAL) && plural_joinable(s, i))
		bits |= APART_JOINABLE;
	ls->apart |= bits;
	if (ls->apart & APART_JOINABLE)
		return false;
	if (!bits)
		note_mi_word(ls, s, n, i);
	return true;
}

/* affixes_apart: fill ls for the line (n bytes): the affixes it writes as words, and its
 * words that start with می or نمی. Every line is read, so the candidates (a space, then the
 * first letter of an affix or of می/نمی: م ن ه, which all begin with the byte D9) are found
 * sixteen positions at a time with SSE2 compares of the line at three offsets; only a
 * candidate whose second letter fits (affix_second) is read further,
 * in the line's order (the first MI_WORDS are kept). */
static void affixes_apart(const char *s, size_t n, struct line_scan *ls)
{
	ls->apart = 0;
	ls->nmi = 0;
	note_mi_word(ls, s, n, 0);
	size_t at = 0; /* where a space may start a candidate not yet read */
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(' '), d9 = _mm_set1_epi8((char)0xD9),
		      mim = _mm_set1_epi8((char)0x85), two = _mm_set1_epi8(2);
	for (; at + 20 <= n; at += 16) {
		__m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + at + 1));
		__m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + at + 2));
		__m128i d = _mm_sub_epi8(v2, mim); /* 0, 1, 2 for م ن ه */
		__m128i hit = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, space), _mm_cmpeq_epi8(v1, d9)),
					    _mm_cmpeq_epi8(_mm_min_epu8(d, two), d));
		for (unsigned m = (unsigned)_mm_movemask_epi8(hit); m; m &= m - 1) {
			size_t i = at + (size_t)__builtin_ctz(m) + 1; /* i + 4 <= n */
			if (affix_second(s + i) && !read_candidate(ls, s, n, i))
				return;
		}
	}
#endif
	for (; at + 2 < n; at++)
		if (s[at] == ' ' && affix_start(s + at + 1) && !read_candidate(ls, s, n, at + 1))
			return;
}

/* Whether the line being restored writes affixes as words (APART_SPACES): set by
 * line_trusting at each line's start, read by should_join. */
static _Thread_local bool line_spaces_zwnj;
/* Whether the line being restored is trusting (line_trusting's result), read by should_join. */
static _Thread_local bool line_trusts;
/* Whether the line being restored deletes ZWNJs rather than spacing them: it writes no ZWNJ
 * and no affix as a word, and joins a verb prefix (میشود): its spaces are meant. Set by
 * line_trusting, read by should_join (a bit of pair_context). */
static _Thread_local bool line_deletes;

static bool line_has_zwnj(const char *s, size_t n);

/* joined_prefix_verb: the line (n bytes; ls its scan) writes a verb with its prefix می or نمی
 * joined (میشود, نمیتوان: a prefix, then a verb form the lexicon knows, and no lexical word),
 * which a writer who types ZWNJs never does: such a line's ZWNJs were kept at random, not
 * meant. Only the words ls found are read. */
static bool joined_prefix_verb(const char *s, size_t n, const struct line_scan *ls)
{
	const unsigned char *u = (const unsigned char *)s;
	for (unsigned j = 0; j < ls->nmi; j++) {
		size_t at = ls->mi[j];
		size_t p = starts_with(s + at, n - at, MI, sizeof MI - 1) ? sizeof MI - 1 : sizeof NA MI - 1;
		size_t e = at;
		while (e + 1 < n && e - at <= MAX_KEY && letter_at(u + e))
			e += 2;
		if (e >= at + p + 4 && e - at <= MAX_KEY && (e >= n || u[e] < 0x80) &&
		    (lex_flags(s + at + p, e - at - p) & LEX_VERB_FORM) &&
		    !(lex_flags(s + at, e - at) & LEX_WORD))
			return true;
	}
	return false;
}

/* line_trusting: read the line (n bytes) for what its writer does: trusting (the result)
 * when it writes a plural as a word, or writes a ZWNJ (line_has_zwnj) and no verb with its
 * prefix joined (joined_prefix_verb); line_spaces_zwnj when it writes an affix as a word.
 * Restoring may turn an untrusting line into a trusting one (it joins the prefixes), never
 * the reverse, and a trusting line's words are read as the untrusting line's were or left
 * alone: so a second pass changes nothing. (A spaced می is no sign here: after a first pass
 * it may still stand alone in a line trusted for its spaced plural, now joined.) */
static bool line_trusting(const char *s, size_t n)
{
	struct line_scan ls;
	affixes_apart(s, n, &ls);
	line_spaces_zwnj = ls.apart != 0;
	bool zwnj = line_has_zwnj(s, n);
	line_deletes = !zwnj && !ls.apart && joined_prefix_verb(s, n, &ls);
	line_trusts = zwnj ? !(ls.apart & APART_JOINABLE) &&
				     ((ls.apart & APART_PLURAL) || !joined_prefix_verb(s, n, &ls))
			   : (ls.apart & APART_PLURAL) != 0;
	return line_trusts;
}

/* The analysis of a word depends only on its key and on whether its line is trusting (and for
 * a word that writes a ZWNJ, on its bytes: analyze_uncached adds nothing to it), and a news
 * text repeats its common words again and again: each thread keeps the results for simple
 * words (no marks or ZWNJ, key up to CACHE_KEY bytes) and for words of up to CACHE_KEY bytes
 * that write a ZWNJ (keyed by those bytes, ZWNJ and marks included) in a four-way
 * set-associative cache of 2 MiB (allocated on the thread's first use, freed when it ends), so
 * a word seen before costs one hash and one compare, not the lexicon probes. 65,536 slots:
 * 4.6 MB of news text has 36,000 distinct words, many met in both kinds of line; with half as
 * many slots the second reading of that text still analysed 27,000 words afresh, with these
 * 11,300 (most of them longer than CACHE_KEY). */
enum { CACHE_KEY = 20, CACHE_BRK = 5, CACHE_SLOTS = 65536, CACHE_WAYS = 4 };
enum { SLOT_TRUSTING = 1, SLOT_LOOKED_UP = 2, SLOT_STARTS_COMPOUND = 4, SLOT_PAIR_SHIFT = 3 };
/* brk[0] of a slot keyed by a word's bytes with its ZWNJs (not by a simple word's key): such
 * a word is given no ZWNJ (nbrk 0), and fill_word scans it for its key. */
enum { SLOT_RAW_MARK = 0xFF };

/* What should_join may find about a word, as the first (A) or second (B) word of a pair:
 * when neither A_SPECIAL of the first nor B_SUFFIX of the second is set, and not both
 * A_COMPOUND and B_ENDS, the pair stays apart. Cached with the word's analysis. */
enum {
	PAIR_A_SPECIAL = 1,  /* its last part is می, نمی, بی or ends with می (a prefix rule applies) */
	PAIR_A_COMPOUND = 2, /* its last part may start a compound of the lexicon */
	PAIR_B_SUFFIX = 4,   /* it is a suffix word (ها, ترین, اند...) */
	PAIR_B_ENDS = 8,     /* it has no ZWNJ and may end a compound of the lexicon */
};

/* One cached analysis: 30 bytes. */
struct cache_slot {
	char key[CACHE_KEY];
	uint8_t klen; /* 0: empty */
	uint8_t bits; /* SLOT_* */
	uint16_t flags;
	uint8_t nbrk;
	uint8_t brk[CACHE_BRK];
};

/* One set of the word cache (two cache lines): a tag per way first (0: empty, else
 * slot_tag of the key's hash and the line's trust), so that a probe compares the four tags
 * at once and reads one slot's key, with no branch on which way holds it. */
struct cache_set {
	uint16_t tag[CACHE_WAYS];
	struct cache_slot slot[CACHE_WAYS];
};
_Static_assert(sizeof(struct cache_set) == 128, "a cache set is two cache lines");

/* The decisions of should_join for pairs of two quiet words (see struct peek) that its
 * first test could not settle (may_join): one per slot, direct-mapped, keyed by both keys
 * and the line's context (pair_context: its trust and whether it writes affixes apart).
 * should_join reads nothing but the two words' analyses, which depend only on their keys and
 * that trust, line_trusts (the same trust) and line_spaces_zwnj, so its answer for a pair is the same in every line of the
 * same context; a news text repeats its pairs (نشان داد, پیش از) as it repeats its words.
 * 65,536 slots (4 MiB): a news text has several times more distinct pairs than words; on
 * the second reading of 4.6 MB of news, should_join ran for 45,800 pairs with 16,384 slots,
 * 27,000 with these. */
enum { PAIR_SLOTS = 65536 };

/* One cached pair decision: 64 bytes. */
struct pair_slot {
	char a[CACHE_KEY], b[CACHE_KEY]; /* the first and second word's keys */
	uint8_t alen, blen;              /* 0: empty */
	uint8_t context;                 /* pair_context of the line */
	uint8_t join;                    /* should_join's answer */
	uint8_t unused[20];
};

static _Thread_local struct cache_set *word_cache; /* CACHE_SLOTS / CACHE_WAYS sets, or NULL */
static _Thread_local struct pair_slot *pair_cache;  /* PAIR_SLOTS slots after them, or NULL */
static _Thread_local bool word_cache_failed; /* no memory: analyse every word afresh */

/* The word and pair caches of a thread, in one block (thread_block) on a huge page boundary,
 * backed by huge pages where the kernel agrees: the probes land all over the 6 MiB, and with
 * 4 KiB pages nearly every one also missed the TLB (by perf's samples the prefetches of the
 * sets and pair slots waited as long as the loads they replaced). */
enum {
	CACHE_BLOCK = CACHE_SLOTS / CACHE_WAYS * sizeof(struct cache_set) + PAIR_SLOTS * sizeof(struct pair_slot),
};

/* word_cache_ready: make sure this thread has its caches; false when it has none (out of
 * memory: every word is then analysed afresh, with the same results). */
static bool word_cache_ready(void)
{
	if (word_cache || word_cache_failed)
		return word_cache != NULL;
	/* aligned to a huge page, so its slots are aligned to cache lines and none straddles two */
	char *block = thread_block(CACHE_BLOCK, true);
	word_cache_failed = !block;
	if (!block)
		return false;
	word_cache = (struct cache_set *)(void *)block;
	pair_cache = (struct pair_slot *)(void *)(word_cache + CACHE_SLOTS / CACHE_WAYS);
	return true;
}

/* cache_key_eq: the n key bytes at a and b are equal, 4 <= n <= CACHE_KEY: a few
 * overlapping fixed-size loads, no byte loop. */
static inline bool cache_key_eq(const char *a, const char *b, size_t n)
{
	if (n < 8)
		return lex_load32(a) == lex_load32(b) && lex_load32(a + n - 4) == lex_load32(b + n - 4);
	uint64_t d = (lex_load64(a) ^ lex_load64(b)) | (lex_load64(a + n - 8) ^ lex_load64(b + n - 8));
	if (n > 16)
		d |= lex_load64(a + 8) ^ lex_load64(b + 8);
	return d == 0;
}

/* The cache is four-way set associative: a word may sit in any slot of its set (two cache
 * lines), the most recently stored in the first; a word whose set other words share then
 * stays cached (direct mapping lost a third of a repeated text's vocabulary that way, two
 * ways still about one word in twenty of a page's vocabulary on every reading). */

/* cache_set_of: the set of a word with hash h in a line that is trusting or not. */
static inline struct cache_set *cache_set_of(uint32_t h, bool trusting)
{
	return &word_cache[(h ^ (trusting ? 0x5bd1u : 0)) % (CACHE_SLOTS / CACHE_WAYS)];
}

/* slot_tag: the tag of a key with hash h (bits the set index leaves) in a line that is
 * trusting or not; never 0. */
static inline uint16_t slot_tag(uint32_t h, bool trusting)
{
	return (uint16_t)((h >> 18) << 2 | 2 | (trusting ? 1 : 0));
}

/* A word cache key (4 to CACHE_KEY bytes) read as three words whose masks depend on its
 * length only through shifts and selects: the key's hash and its compares with the slots take
 * no branch on the length (word lengths are random, and a branch on them mispredicts about
 * once a word). w0 = bytes 0-7, w1 = the last 8 bytes (bytes 0-7 again below 8), w2 = bytes
 * 8-11 when the key is longer than 16; each masked to the key's bytes. The loads read
 * max(n, 12) bytes from the key. */
struct key_words {
	uint64_t w0, w1, w2, m0, m2;
	size_t off1;
};

/* The masks and the offset of key_words for each key length up to 31, read from one table
 * (fewer instructions on the path every word takes than the shifts and selects): m0 keeps
 * the first min(n, 8) bytes of a word, m2 is all ones when n > 16, off1 = max(n, 8) - 8. */
struct key_masks {
	uint64_t m0, m2;
	uint64_t off1;
	uint64_t unused;
};
/* the first min(n, 8) bytes; every shift below 64 even where it is not taken (compilers warn) */
#define KM_M0(n) ((n) >= 8 ? ~0ull : ~0ull >> 1 >> (63 - 8 * ((n) & 7)))
#define KM(n) { KM_M0(n), (n) > 16 ? ~0ull : 0, (n) < 8 ? 0 : (n) - 8, 0 }
static const struct key_masks key_masks_by_len[32] = {
	KM(0),	KM(1),	KM(2),	KM(3),	KM(4),	KM(5),	KM(6),	KM(7),	KM(8),	KM(9),	KM(10),
	KM(11), KM(12), KM(13), KM(14), KM(15), KM(16), KM(17), KM(18), KM(19), KM(20), KM(21),
	KM(22), KM(23), KM(24), KM(25), KM(26), KM(27), KM(28), KM(29), KM(30), KM(31),
};
#undef KM
#undef KM_M0
_Static_assert(CACHE_KEY < 32, "key_masks_by_len covers every key length");

/* key_words_of: the key_words of the n bytes at p (n < 32, a cache key has 4 to CACHE_KEY;
 * max(n, 12) readable). */
static inline struct key_words key_words_of(const char *p, size_t n)
{
	struct key_words k;
	const struct key_masks *km = &key_masks_by_len[n & 31];
	k.m0 = km->m0;
	k.m2 = km->m2;
	k.off1 = (size_t)km->off1;
	k.w0 = lex_load64(p) & k.m0;
	k.w1 = lex_load64(p + k.off1) & k.m0;
	k.w2 = lex_load32(p + 8) & k.m2;
	return k;
}

/* key_words_hash: the word cache's hash of a key of n bytes read as k. */
static inline uint32_t key_words_hash(const struct key_words *k, size_t n)
{
	uint64_t h = k->w0 * 0x9E3779B97F4A7C15ull ^ k->w1 * 0xC2B2AE3D27D4EB4Full ^
		     (k->w2 ^ (uint64_t)n << 40) * 0x165667B19E3779F9ull;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* cache_hash: the word cache's hash of the n bytes at p (max(n, 12) readable). */
static inline uint32_t cache_hash(const char *p, size_t n)
{
	struct key_words k = key_words_of(p, n);
	return key_words_hash(&k, n);
}

/* cache_hash_copy: cache_hash of the n bytes at p (4 <= n <= CACHE_KEY), reading only
 * those. */
static inline uint32_t cache_hash_copy(const char *p, size_t n)
{
	char k[CACHE_KEY + 12] = { 0 };
	memcpy(k, p, n);
	return cache_hash(k, n);
}

/* slot_holds: slot c holds the key k (klen bytes, 4 <= klen <= CACHE_KEY) for trusting. */
static inline bool slot_holds(const struct cache_slot *c, const struct key_words *k, size_t klen,
			      bool trusting)
{
	uint64_t d = (lex_load64(c->key) & k->m0) ^ k->w0;
	d |= (lex_load64(c->key + k->off1) & k->m0) ^ k->w1;
	d |= (lex_load32(c->key + 8) & k->m2) ^ k->w2;
	d |= (uint64_t)(c->klen ^ klen);
	d |= (uint64_t)((c->bits & SLOT_TRUSTING) ^ (trusting ? SLOT_TRUSTING : 0));
	return d == 0;
}

/* cache_find: the slot of set that holds the key (klen bytes at key_bytes, max(klen, 12)
 * readable, hash h) for trusting, or NULL. The four tags are compared at once (a 16-bit
 * lane of x is zero where the tag matches; the lowest lane the zero test flags is exact,
 * higher ones may be false alarms, and every candidate's key is compared). */
__attribute__((always_inline)) static inline struct cache_slot *
cache_find_kw(struct cache_set *set, const struct key_words *kw, size_t klen, bool trusting,
	      uint32_t h)
{
	const uint64_t lanes = 0x0001000100010001ull;
	uint64_t tags;
	memcpy(&tags, set->tag, sizeof tags);
	uint64_t x = tags ^ slot_tag(h, trusting) * lanes;
	uint64_t z = (x - lanes) & ~x & 0x8000800080008000ull;
	if (!z)
		return NULL;
	do {
		struct cache_slot *c = &set->slot[__builtin_ctzll(z) >> 4];
		if (slot_holds(c, kw, klen, trusting))
			return c;
		z &= z - 1;
	} while (z);
	return NULL;
}

/* cache_find: cache_find_kw of the key at key_bytes (klen bytes, max(klen, 12) readable). */
__attribute__((always_inline)) static inline struct cache_slot *
cache_find(struct cache_set *set, const char *key_bytes, size_t klen, bool trusting, uint32_t h)
{
	struct key_words kw = key_words_of(key_bytes, klen);
	return cache_find_kw(set, &kw, klen, trusting, h);
}

/* starts_compound: lex_may_start_compound of w's whole key, computed once. */
static bool starts_compound(struct word *w)
{
	if (!w->starts_compound_known) {
		w->starts_compound = lex_may_start_compound(w->hash);
		w->starts_compound_known = true;
	}
	return w->starts_compound;
}

/* plural_ending: the bytes of the plural ending انی or ان that inflected_compound strips
 * from a second word of n bytes (k), 0 when it takes none. */
static size_t plural_ending(const char *k, size_t n)
{
	return plural_an_end(k, n, 4);
}

/* ends_compound: whether w's whole key, or it without a plural ending (inflected_compound),
 * may be the part after a ZWNJ of a lexicon compound, computed once; false means w never
 * joins as the second word of a compound (compound_join then finds no entry). */
static bool ends_compound(struct word *w)
{
	if (!w->ends_compound_known) {
		size_t en = plural_ending(w->key, w->klen);
		w->ends_compound = lex_may_end_compound(w->hash) ||
				   (en && lex_may_end_compound(lex_hash(w->key, w->klen - en)));
		w->ends_compound_known = true;
	}
	return w->ends_compound;
}

static unsigned pair_bits(struct word *w);

/* load_slot: w's analysis from the cache slot c that holds its key. */
static inline void load_slot(struct word *w, const struct cache_slot *c)
{
	w->flags = c->flags;
	w->looked_up = (c->bits & SLOT_LOOKED_UP) != 0;
	w->nbrk = c->nbrk;
	memcpy(w->brk, c->brk, CACHE_BRK);
	w->starts_compound = (c->bits & SLOT_STARTS_COMPOUND) != 0;
	w->starts_compound_known = true;
	w->pair = (uint8_t)(c->bits >> SLOT_PAIR_SHIFT);
	w->pair_known = true;
}

/* analyze: decide the ZWNJ breaks of w; trusting: its line already writes ZWNJs. */
static void analyze(struct word *w, bool trusting)
{
	w->flags = 0;
	w->looked_up = true;
	w->starts_compound_known = false;
	w->ends_compound_known = false;
	w->pair_known = false;
	if (w->too_long || w->klen < 4)
		return;
	if (!w->hashed)
		w->hash = lex_hash(w->key, w->klen);
	/* the cache key: a simple word's key, or the bytes of a word that writes a ZWNJ (its
	 * analysis adds nothing to it, see analyze_uncached, and depends only on those bytes) */
	const char *ck = w->key;
	size_t cl = w->klen;
	bool raw = !w->simple;
	if (raw) {
		if (w->len > CACHE_KEY || !has_zwnj(w)) {
			analyze_uncached(w, trusting);
			return;
		}
		ck = w->src;
		cl = w->len;
	}
	if (cl > CACHE_KEY || !word_cache) {
		analyze_uncached(w, trusting);
		return;
	}
	char kcopy[CACHE_KEY + 12] = { 0 }; /* the key, readable past its end */
	memcpy(kcopy, ck, cl);
	uint32_t ch = cache_hash(kcopy, cl);
	struct cache_set *set = cache_set_of(ch, trusting);
	struct cache_slot *c = cache_find(set, kcopy, cl, trusting, ch);
	if (c) {
		load_slot(w, c);
		return;
	}
	analyze_uncached(w, trusting);
	/* a word cached by its bytes must be given no ZWNJ (its slot's breaks would be read as
	 * offsets in the text, which its ZWNJs and marks shift): today analyze_uncached adds
	 * none to a word that writes one, and if a rule ever does, such a word is not cached */
	if (w->nbrk > CACHE_BRK || (raw && w->nbrk != 0))
		return;
	/* the older words move down a way */
	memmove(set->tag + 1, set->tag, (CACHE_WAYS - 1) * sizeof set->tag[0]);
	memmove(set->slot + 1, set->slot, (CACHE_WAYS - 1) * sizeof set->slot[0]);
	set->tag[0] = slot_tag(ch, trusting);
	c = &set->slot[0];
	memcpy(c->key, ck, cl);
	c->klen = (uint8_t)cl;
	c->bits = (uint8_t)((trusting ? SLOT_TRUSTING : 0) | (w->looked_up ? SLOT_LOOKED_UP : 0) |
			    (starts_compound(w) ? SLOT_STARTS_COMPOUND : 0) |
			    pair_bits(w) << SLOT_PAIR_SHIFT);
	c->flags = (uint16_t)w->flags;
	c->nbrk = (uint8_t)w->nbrk;
	memcpy(c->brk, w->brk, CACHE_BRK);
	if (raw)
		c->brk[0] = SLOT_RAW_MARK;
}

/* arabic_pair_class: the class bits of the character at p[0..2) (both readable) when it is a
 * two-byte character of U+0600–U+06FF, else 0. */
static inline unsigned arabic_pair_class(const unsigned char *p)
{
	if (p[0] < 0xD8 || p[0] > 0xDB || (p[1] & 0xC0) != 0x80)
		return 0;
	return text_arabic_class[(unsigned)(p[0] & 3) << 6 | (p[1] & 0x3F)];
}

/* scan_word_slow: read a word with marks or ZWNJ inside into w; returns its length. The
 * text is valid UTF-8 (the letter pass wrote it), and only two-byte characters of
 * U+0600–U+06FF are letters or marks, so each character is classified from its bytes: a
 * letter goes into the key, a mark is skipped, a ZWNJ belongs to the word only when a letter
 * or mark follows it, anything else ends the word. */
static size_t scan_word_slow(const char *s, size_t n, struct word *w)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	w->simple = false;
	w->key = w->kbuf;
	while (i + 1 < n) {
		unsigned cls = arabic_pair_class(u + i);
		if (cls & CC_LETTER) {
			if (w->klen + 2 > MAX_KEY - 1) {
				w->too_long = true;
			} else {
				w->kpos[w->klen] = (uint16_t)i;
				w->kbuf[w->klen++] = s[i];
				w->kpos[w->klen] = (uint16_t)(i + 1);
				w->kbuf[w->klen++] = s[i + 1];
			}
		} else if (!(cls & CC_MARK)) {
			/* a ZWNJ is inside the word only when a letter or mark follows */
			if (!(i + 4 < n && bytes_eq(s + i, ZWNJ_UTF8, ZWNJ_LEN) &&
			      (arabic_pair_class(u + i + 3) & (CC_LETTER | CC_MARK))))
				break;
			i += ZWNJ_LEN;
			continue;
		}
		i += 2;
	}
	w->len = i;
	w->kpos[w->klen] = (uint16_t)i;
	if (i > 0xFFFF)
		w->too_long = true;
	return i;
}

/* lead_class: the class of the two-byte character b0 b1 when b0 is 0xD8-0xDB (U+0600-U+06FF):
 * its table index is read off the bytes, with no decoding or range test. */
static inline unsigned lead_class(unsigned char b0, unsigned char b1)
{
	return text_arabic_class[(unsigned)(b0 & 3) << 6 | (b1 & 0x3F)];
}

/* The two-byte letters of U+0600–U+06FF by their two UTF-8 bytes read as one 16-bit number
 * (text_load16): letter16[v] is 1 when v spells a letter, so the scanners test a character with
 * one load (of the 64 KiB, only the 64 cache lines of U+0600–U+06FF are ever read). Built
 * once. */
static uint8_t letter16[1 << 16];
static pthread_once_t letter16_once = PTHREAD_ONCE_INIT;

/* letter16_build: fill letter16 from the class table (once). */
static void letter16_build(void)
{
	for (unsigned cp = 0x0600; cp < 0x0700; cp++) {
		unsigned char b[2] = { (unsigned char)(0xC0 | cp >> 6), (unsigned char)(0x80 | (cp & 0x3F)) };
		unsigned v = text_load16(b);
		if (arabic_class(cp) & CC_LETTER)
			letter16[v] = 1;
	}
}

/* letter_at: p[0..2) (both readable) spells a Persian letter. */
static inline bool letter_at(const unsigned char *p)
{
	return letter16[text_load16(p)];
}

/* letters_at: p[0..4) (readable) spells two Persian letters. */
static inline bool letters_at(const unsigned char *p)
{
	return letter16[text_load16(p)] & letter16[text_load16(p + 2)];
}

/* simple_end: whether letters ending at u[i] (n bytes of text) end a simple word: no mark
 * or ZWNJ follows them. */
static inline bool simple_end(const unsigned char *u, size_t i, size_t n)
{
	if (i < n && u[i] < 0x80)
		return true; /* a space or ASCII ends the word (the common case) */
	if (i + 1 < n && u[i] >= 0xD8 && u[i] <= 0xDB)
		return !(lead_class(u[i], u[i + 1]) & CC_MARK);
	return !(i + 2 < n && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x8C);
}

/* scan_word: read the word starting at s[0] (a letter) into w; returns its length. The fast
 * path takes a run of two-byte Arabic letters; a mark or ZWNJ sends it to the slow path. */
static size_t scan_word(const char *s, size_t n, struct word *w)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	w->src = s;
	w->nbrk = 0;
	w->too_long = false;
	w->hashed = false;
	while (i + 3 < n && letters_at(u + i))
		i += 4;
	if (i + 1 < n && letter_at(u + i))
		i += 2;
	if (!simple_end(u, i, n) || i > MAX_KEY - 1) {
		w->klen = 0;
		return scan_word_slow(s, n, w);
	}
	w->simple = true;
	w->key = s;
	w->klen = i;
	w->len = i;
	return i;
}

/* key_pos: where key byte k of w is in its source. */
static size_t key_pos(const struct word *w, size_t k)
{
	return w->simple ? k : w->kpos[k];
}

/* The output side of zwnj_restore: input bytes are copied in spans, up to each change. */
struct emitter {
	const char *s;
	size_t n;      /* bytes of s */
	size_t copied; /* s[0..copied) is written */
	struct buf *out;
	enum ch_status st;
};

/* emit: append len bytes at p to the output: in place when the buffer has room and its limit
 * allows them (exactly when buf_add would neither grow it nor fail), else by buf_add. */
static inline void emit(struct emitter *em, const char *p, size_t len)
{
	struct buf *b = em->out;
	if (em->st != CH_OK)
		return;
	if (b->n + len < b->cap && b->n + len <= b->limit) {
		memcpy(b->p + b->n, p, len);
		b->n += len;
		b->p[b->n] = '\0';
		return;
	}
	em->st = buf_add(b, p, len);
}

/* flush_to: write the input up to offset at. */
static void flush_to(struct emitter *em, size_t at)
{
	if (at > em->copied)
		emit(em, em->s + em->copied, at - em->copied);
	em->copied = at;
}

/* add_zwnj: write a ZWNJ at the current position. */
static void add_zwnj(struct emitter *em)
{
	emit(em, ZWNJ_UTF8, ZWNJ_LEN);
}

static void apply_some_breaks(struct emitter *em, const struct word *w, size_t off);

/* apply_breaks: write w (at input offset off) with a ZWNJ before each break that lacks one
 * (most words have none: tested here, inline). */
static inline void apply_breaks(struct emitter *em, const struct word *w, size_t off)
{
	if (!w->too_long && w->nbrk)
		apply_some_breaks(em, w, off);
}

/* apply_some_breaks: apply_breaks of a word of at most MAX_KEY bytes given breaks. The last
 * one is read by ezafe_break, which reads the byte after the word. */
static void apply_some_breaks(struct emitter *em, const struct word *w, size_t off)
{
	size_t end = off + w->len;
	for (unsigned i = 0; i < w->nbrk; i++) {
		size_t k = w->brk[i];
		if (i + 1 == w->nbrk)
			k = ezafe_break(w->key, w->klen, k, (const unsigned char *)em->s + end,
					em->n - end);
		size_t at = off + key_pos(w, k);
		if (at >= ZWNJ_LEN && bytes_eq(em->s + at - ZWNJ_LEN, ZWNJ_UTF8, ZWNJ_LEN))
			continue; /* already there */
		flush_to(em, at);
		add_zwnj(em);
	}
}

/* last_part: the key offset after the last ZWNJ the word has or is given (0 when none): a
 * pair is judged by the parts it will have in the output, so the next pass, which reads
 * those ZWNJs, decides the same (idempotence: می‌کرده اند, not می‌کرده‌اند one pass later). */
static size_t last_part(const struct word *w)
{
	size_t planned = w->nbrk ? w->brk[w->nbrk - 1] : 0;
	if (w->simple)
		return planned;
	for (size_t k = w->klen; k > 1 && k - 1 > planned; k--) {
		size_t at = w->kpos[k - 1];
		if (at >= ZWNJ_LEN && bytes_eq(w->src + at - ZWNJ_LEN, ZWNJ_UTF8, ZWNJ_LEN))
			return k - 1;
	}
	return planned;
}

/* first_part: the key length before the first ZWNJ w has or is given (the whole key when
 * none); see last_part. */
static size_t first_part(const struct word *w)
{
	size_t planned = w->nbrk ? w->brk[0] : w->klen;
	if (!w->simple)
		for (size_t k = 1; k < planned; k++)
			if (written_zwnj(w, k))
				return k;
	return planned;
}

/* compound_join: the lexicon spells pair (a's pn - an bytes after its an) as one word with a
 * ZWNJ after the first an bytes, the news counts do not write it apart, and the entry meets
 * need: 0, LEX_COMMON_COMPOUND (frequency class 4 or more, LEX_SPACED_LOST or LEX_SPACED_JOIN),
 * LEX_ALWAYS_JOIN (also met by LEX_SPACED_JOIN) or LEX_LISTED_JOIN (LEX_ALWAYS_JOIN alone:
 * always_join.txt, سه‌شنبه).
 * h is the pair's lex_hash. */
static bool compound_join(const char *pair, size_t an, size_t pn, uint32_t h, unsigned need)
{
	const struct lex_entry *e = lex_lookup_hashed(h, pair, pn);
	if (!e || !(e->flags & LEX_ZWNJ) || (e->flags & LEX_SPACED_APART))
		return false;
	if (need == LEX_COMMON_COMPOUND && (e->flags >> LEX_FREQ_SHIFT & 7) < 4 &&
	    !(e->flags & (LEX_SPACED_LOST | LEX_SPACED_JOIN)))
		return false;
	if (need == LEX_ALWAYS_JOIN && !(e->flags & (LEX_ALWAYS_JOIN | LEX_SPACED_JOIN)))
		return false;
	if (need == LEX_LISTED_JOIN && !(e->flags & LEX_ALWAYS_JOIN))
		return false;
	for (unsigned i = 0; i < e->nzwnj; i++)
		if (e->zwnj_at[i] == an)
			return true;
	return false;
}

/* productive_part: b is a second part that makes compounds of words that stand alone: it
 * ends many compounds, is not itself a common word, and is not a participle (شده):
 * گذاری, بندی, شناسی, گیری, سازی. */
static bool productive_part(struct word *b)
{
	unsigned f = word_flags(b);
	return (f & LEX_PRODUCTIVE) && (f >> LEX_FREQ_SHIFT & 7) == 0 &&
	       !ends_with(b->key, b->klen, HEH, sizeof HEH - 1);
}

/* inflected_compound: b, unknown to the lexicon, is a plural in ان of a second part c
 * that the lexicon joins to a (علاقه مندان from علاقه‌مند, صاحب نظران from صاحب‌نظر):
 * the compound's plural is one word too. pair holds a's an key bytes and then b's. */
static bool inflected_compound(struct word *a, const char *ak, size_t an, struct word *b,
			       char *pair)
{
	size_t bn = b->klen, en = plural_ending(b->key, bn);
	if (!en)
		return false;
	if (word_flags(b) & LEX_WORD)
		return false;
	size_t cn = an + bn - en;
	uint32_t h = lex_hash(pair, cn);
	if (!lex_may_take_zwnj(h))
		return false;
	if (!((an == a->klen ? word_flags(a) : lex_flags(ak, an)) & LEX_LEFT_PART))
		return false;
	return compound_join(pair, an, cn, h, an <= 4 ? LEX_COMMON_COMPOUND : 0);
}

/* is_participle: b is a past participle (شده, کرده) or its negation (نشده, نکرده). */
static bool is_participle(struct word *b)
{
	const char *k = b->key;
	size_t n = b->klen;
	if (!ends_with(k, n, HEH, sizeof HEH - 1))
		return false;
	if (word_flags(b) & LEX_VERB_FORM)
		return true;
	return n >= 8 && starts_with(k, n, NA, sizeof NA - 1) &&
	       (lex_flags(k + 2, n - 2) & LEX_VERB_FORM);
}

/* pair_bits: the PAIR_* bits of w (analysed, key of 4 bytes or more), computed once: the
 * tests should_join makes of one word alone. */
static unsigned pair_bits(struct word *w)
{
	if (w->pair_known)
		return w->pair;
	unsigned bits = 0;
	size_t as = last_part(w);
	const char *ak = w->key + as;
	size_t an = w->klen - as;
	if (an <= 10 && (key_is(ak, an, "نمی") || ends_with(ak, an, MI, 4) || key_is(ak, an, "بی")))
		bits |= PAIR_A_SPECIAL;
	if (as == 0 ? starts_compound(w) : lex_may_start_compound(lex_hash(ak, an)))
		bits |= PAIR_A_COMPOUND;
	size_t bn = w->klen;
	if (bn <= SUFFIX_MAX_LEN)
		for (size_t i = suffix_from[bn / 2];
		     i < sizeof suffixes / sizeof suffixes[0] && suffixes[i].len == bn; i++)
			if (bytes_eq(w->key, suffixes[i].s, bn))
				bits |= PAIR_B_SUFFIX;
	if (first_part(w) == bn && ends_compound(w))
		bits |= PAIR_B_ENDS;
	w->pair = (uint8_t)bits;
	w->pair_known = true;
	return bits;
}

/* should_join: whether words a and b, written with one space between them, are one word
 * whose ZWNJ was lost. */
static bool should_join(struct word *a, struct word *b)
{
	if (a->too_long || b->too_long || a->klen < 4 || b->klen < 4)
		return false;
	/* most pairs: no rule can apply (see the PAIR_* bits) */
	unsigned ap = pair_bits(a), bp = pair_bits(b);
	if (!(ap & PAIR_A_SPECIAL) && !(bp & PAIR_B_SUFFIX) &&
	    !((ap & PAIR_A_COMPOUND) && (bp & PAIR_B_ENDS)))
		return false;
	size_t as = last_part(a);
	const char *ak = a->key + as, *bk = b->key;
	size_t an = a->klen - as, bn = b->klen;
	if (an <= 10) {
		if (key_is(ak, an, "می") || key_is(ak, an, "نمی")) {
			size_t bf = first_part(b);
			if (key_is(bk, bf, "می") || key_is(bk, bf, "نمی"))
				return false; /* never two prefixes */
			/* judge b by its first part: شب‌ها is شب, a word, not a verb */
			unsigned bfl = bf == bn ? word_flags(b) : lex_flags(bk, bf);
			return (bfl & LEX_VERB_FORM) || !(bfl & LEX_WORD);
		}
		/* a preverb and می or نمی: برمی گردد, برنمی زند */
		for (size_t i = 0; ends_with(ak, an, MI, 4) && i < sizeof preverbs / sizeof preverbs[0];
		     i++) {
			size_t pn = preverbs[i].len;
			if (starts_with(ak, an, preverbs[i].s, pn) &&
			    (an == pn + 4 || (an == pn + 6 && bytes_eq(ak + pn, NA, 2))))
				return true;
		}
		if (key_is(ak, an, "بی")) {
			/* بی is a prefix, never a word of its own in text written correctly: بی شک,
			 * بی انصافی, بی رحمانه, بی کاران; not بی بی سی (b judged by its first part) */
			size_t bf = first_part(b);
			return !key_is(bk, bf, "بی") && !key_is(bk, bf, "سی");
		}
	}
	/* every suffix word starts with ه, ت or ا */
	if (bn <= SUFFIX_MAX_LEN && (unsigned char)bk[0] >= 0xD8 && (unsigned char)bk[0] <= 0xD9 &&
	    ((unsigned char)bk[1] == 0x87 || (unsigned char)bk[1] == 0xAA ||
	     (unsigned char)bk[1] == 0xA7)) {
		for (size_t i = suffix_from[bn / 2]; i < sizeof suffixes / sizeof suffixes[0]; i++) {
			const struct suffix *sf = &suffixes[i];
			if (sf->len != bn)
				break; /* past the suffixes of b's length */
			if (!bytes_eq(bk, sf->s, bn))
				continue;
			unsigned f;
			if (an < 4)
				return false;
			if (sf->kind == SUF_PLURAL)
				return true;
			return suffix_fits(ak, an, sf, &f);
		}
	}
	/* only a word known to start a compound can start one; two words that stand alone are
	 * more likely two words (به طور, نزدیک شدن); a b that already has a ZWNJ (شب‌ها) joined
	 * its suffix in an earlier pass and is not the second part of a compound */
	if (first_part(b) != bn ||
	    !(as == 0 ? starts_compound(a) : lex_may_start_compound(lex_hash(ak, an))) ||
	    !ends_compound(b))
		return false;
	char pair[2 * MAX_KEY];
	if (an + bn > sizeof pair)
		return false;
	memcpy(pair, ak, an);
	memcpy(pair + an, bk, bn);
	/* in a line that writes affixes as words (its spaces may be lost ZWNJs), a productive
	 * second part that is no common word (شناسی, زدایی, سازی, گری) joins the word before it
	 * (پاک سازی, افسون زدایی) */
	if (line_spaces_zwnj && an >= 6 && productive_part(b) &&
	    ((as == 0 ? word_flags(a) : lex_flags(ak, an)) & LEX_WORD))
		return true;
	uint32_t ph = lex_hash(pair, an + bn);
	if (!lex_may_take_zwnj(ph))
		return inflected_compound(a, ak, an, b, pair); /* the Bloom filter: most pairs end
							       * here, without a lookup */
	bool both_words = (as == 0 ? word_flags(a) : lex_flags(ak, an)) & LEX_WORD &&
			  (word_flags(b) & LEX_WORD);
	/* a line that writes ZWNJs and no affix as a word comes from a writer who types ZWNJs:
	 * its spaces between two words are meant (پمپ بنزین, شاه عباس, هیئت داوران) */
	bool spaces_meant = (line_trusts && !line_spaces_zwnj) || line_deletes;
	/* two words that stand alone: a compound that is always joined (in a ZWNJ writer's line
	 * only a listed one: سه شنبه); in a line that writes affixes as words (its spaces may be
	 * lost ZWNJs), also a common compound (آیت‌الله, پیش‌بینی, هفته‌نامه) after a word of
	 * more than two letters, not before a participle */
	if (both_words && !productive_part(b) && !key_is(ak, an, "هم"))
		return compound_join(pair, an, an + bn, ph,
				     spaces_meant ? LEX_LISTED_JOIN : LEX_ALWAYS_JOIN) ||
		       (line_spaces_zwnj && an > 4 && !is_participle(b) &&
			compound_join(pair, an, an + bn, ph, LEX_COMMON_COMPOUND));
	if (is_participle(b))
		return false; /* a participle after a word is a passive: داده شده, ثبت نشده */
	if (!((as == 0 ? word_flags(a) : lex_flags(ak, an)) & LEX_LEFT_PART))
		return false;
	/* in a ZWNJ writer's line, a second part that is a word of its own and ends few
	 * compounds stands alone (تخته سیاه, مراوه تپه) unless the compound joins even when
	 * spaced; a bound or productive part (المللی, برداری, آمیز, دار) still joins: such a
	 * writer does not space those */
	if (spaces_meant && (word_flags(b) & (LEX_WORD | LEX_PRODUCTIVE)) == LEX_WORD)
		return compound_join(pair, an, an + bn, ph, LEX_ALWAYS_JOIN);
	/* after a two-letter word (به, سه, بی) only a common compound or one the news never
	 * writes apart (حق شناسی): به زودی stays apart;
	 * هم makes compounds freely (هم‌اکنون, هم‌میهن) */
	return compound_join(pair, an, an + bn, ph,
			     an <= 4 && !key_is(ak, an, "هم") ? LEX_COMMON_COMPOUND : 0);
}

/* is_word_start: s[i..] begins with a Persian letter. */
static bool is_word_start(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	return i + 1 < n && letter_at(u + i);
}

/* line_has_zwnj: the line (n bytes) already writes a ZWNJ somewhere. */
static bool line_has_zwnj(const char *s, size_t n)
{
	for (const char *p = s; (p = memchr(p, ZWNJ_UTF8[0], (size_t)(s + n - p))) != NULL; p++)
		if (p + ZWNJ_LEN <= s + n && bytes_eq(p, ZWNJ_UTF8, ZWNJ_LEN))
			return true;
	return false;
}

/* may_join: whether should_join can join a first word with PAIR_* bits ap and a second with
 * bp (both of four key bytes or more): its first test, read off the bits alone. */
static inline bool may_join(unsigned ap, unsigned bp)
{
	/* with bit operations only: the bits are as good as random from word to word, and
	 * each && or || would be a branch that mispredicts (A_COMPOUND << 2 is B_ENDS) */
	_Static_assert(PAIR_A_COMPOUND << 2 == PAIR_B_ENDS, "the shift below");
	return ((ap & PAIR_A_SPECIAL) | (bp & PAIR_B_SUFFIX) | (ap << 2 & bp & PAIR_B_ENDS)) != 0;
}

/* QUIET_SHORT: the pair bits of a quiet word of fewer than four key bytes, which should_join
 * never joins to anything (no PAIR_* bit has this value). */
enum { QUIET_SHORT = 0x100 };

/* A word as the common path reads it, before (and mostly instead of) a struct word: most
 * words are letters only and in the word cache ("quiet": its ZWNJs and pair bits are in its
 * slot), and most pairs of quiet words cannot join (may_join) or are in the pair cache, so
 * zwnj_restore steps over such a pair with one scan, one hash and one cache probe, writing
 * from the slot the ZWNJs the first word is given, if any. */
struct peek {
	size_t end;                   /* where the word ends in the text */
	bool quiet;                   /* letters only, and short or cached */
	unsigned bits;                /* when quiet: PAIR_* bits from its slot, or QUIET_SHORT */
	const struct cache_slot *slot; /* when quiet and not short: its cache slot */
	uint32_t hash;                /* when slot: the key's cache_hash */
};

/* ascii_after: the offset of the first ASCII byte in u[b..b+32) (n >= b + 32), or b + 32 when
 * there is none: where a word of letters starting at b would end, read sixteen bytes at a
 * time. */
static inline size_t ascii_after(const unsigned char *u, size_t b)
{
#ifdef __SSE2__
	/* both halves at once, with no branch on whether the word is longer than sixteen bytes
	 * (eight letters: about one word in eight, at random, so such a branch mispredicted) */
	unsigned lo = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(u + b)));
	unsigned hi = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(u + b + 16)));
	uint64_t m = ~(uint64_t)(lo | hi << 16) & 0x1FFFFFFFFull; /* bit 32: none before b + 32 */
	return b + (size_t)__builtin_ctzll(m);
#else
	size_t e = b;
	while (e < b + 32 && u[e] >= 0x80)
		e++;
	return e;
#endif
}

/* peek_cached: fill pk for the word s[b..e) from the word cache; false when it is not
 * there. */
__attribute__((always_inline)) static inline bool peek_cached(const char *key, size_t b, size_t e,
								      bool trusting, struct peek *pk,
								      uint32_t h)
{
	size_t klen = e - b;
	if (klen < 4 || klen > CACHE_KEY || !word_cache)
		return false;
	const struct cache_slot *c = cache_find(cache_set_of(h, trusting), key, klen, trusting, h);
	if (!c)
		return false;
	pk->end = e;
	pk->quiet = true;
	pk->bits = c->bits >> SLOT_PAIR_SHIFT;
	pk->slot = c;
	pk->hash = h;
	return true;
}

/* key_hash: cache_hash of s[b..e) when it may be a cache key (4 to CACHE_KEY bytes), else 0;
 * s[b..b+32) readable. */
static inline uint32_t key_hash(const char *s, size_t b, size_t e)
{
	return e - b >= 4 && e - b <= CACHE_KEY ? cache_hash(s + b, e - b) : 0;
}

/* The word after the one peek_word reads, read one step early so that its cache set is on its
 * way while the current pair is decided (the sets are often out of the nearer caches): where
 * it starts (0: none), where peek_word's guess puts its end, and that key's hash. */
struct ahead {
	size_t off, end;
	uint32_t hash;
};

/* peek_word: read the word starting at s[b] (a letter) as the common path does. A word is
 * quiet when scan_word would find it simple (its letters end at an ASCII byte) and it is
 * shorter than four key bytes or in the word cache. Away from the end of the text the word
 * is not scanned letter by letter: it is taken to end at the next ASCII byte, and a cache
 * hit proves that what comes before is letters only (the cache holds simple words only,
 * compared byte for byte); anything else is not quiet. */
__attribute__((always_inline)) static inline void peek_word(const char *s, size_t n, size_t b,
								    bool trusting, struct peek *pk,
								    struct ahead *ah)
{
	const unsigned char *u = (const unsigned char *)s;
	pk->quiet = false;
	pk->slot = NULL;
	if (b + 32 <= n) {
		size_t guess;
		uint32_t h;
		if (ah->off == b) {
			guess = ah->end;
			h = ah->hash;
		} else {
			guess = ascii_after(u, b);
			h = key_hash(s, b, guess);
		}
		/* the word after this one, if one space follows: start fetching its set */
		ah->off = 0;
		if (guess + 33 <= n && u[guess] == ' ' && u[guess + 1] >= 0xD8 && u[guess + 1] <= 0xDB) {
			ah->off = guess + 1;
			ah->end = ascii_after(u, ah->off);
			ah->hash = key_hash(s, ah->off, ah->end);
			if (word_cache)
				__builtin_prefetch(cache_set_of(ah->hash, trusting));
		}
		/* u[b..b+2) is a letter (is_word_start), so a word of one letter ends at b + 2 */
		if (guess == b + 2) {
			pk->end = guess;
			pk->quiet = true;
			pk->bits = QUIET_SHORT;
			return;
		}
		if (peek_cached(s + b, b, guess, trusting, pk, h))
			return;
		/* a word written right before ، ؛ ؟ or a digit (a two-byte character neither letter
		 * nor mark, which ends a simple word): the same test without that character */
		if (guess >= b + 6 && guess < b + 32 && u[guess - 2] >= 0xD8 && u[guess - 2] <= 0xDB &&
		    !(lead_class(u[guess - 2], u[guess - 1]) & (CC_LETTER | CC_MARK)))
			peek_cached(s + b, b, guess - 2, trusting, pk, key_hash(s, b, guess - 2));
		return; /* else not in the cache: scan_word and analyze decide */
	}
	size_t e = b;
	while (e + 3 < n && letters_at(u + e))
		e += 4;
	if (e + 1 < n && letter_at(u + e))
		e += 2;
	if (e >= n || u[e] >= 0x80)
		return; /* a mark or ZWNJ follows, or the text ends: scan_word decides */
	if (e - b < 4) {
		pk->end = e;
		pk->quiet = true;
		pk->bits = QUIET_SHORT;
		return;
	}
	if (e - b > CACHE_KEY)
		return;
	char kcopy[CACHE_KEY + 12] = { 0 }; /* near the end of the text: the key, readable past it */
	memcpy(kcopy, s + b, e - b);
	peek_cached(kcopy, b, e, trusting, pk, cache_hash(kcopy, e - b));
}

/* quiet_pair: a first word with pair bits ap and a second with bp, both quiet, cannot join. */
static inline bool quiet_pair(unsigned ap, unsigned bp)
{
	return (((ap | bp) & QUIET_SHORT) != 0) | !may_join(ap, bp);
}

/* fill_word: w as scan_word and analyze make it, for the word at s[off..] (n bytes of text
 * from s): from its cache slot when it has one (the same fields analyze loads on a hit),
 * else scanned and analysed. The slot must be the one peek_word found, with no cache store
 * since. */
static void fill_word(struct word *w, const char *s, size_t n, size_t off,
		      const struct peek *pk, bool trusting)
{
	if (!pk->slot || (pk->slot->nbrk == 0 && pk->slot->brk[0] == SLOT_RAW_MARK)) {
		/* not cached, or cached by its bytes with ZWNJ: analyze finds its slot again */
		scan_word(s + off, n - off, w);
		analyze(w, trusting);
		return;
	}
	w->src = s + off;
	w->nbrk = 0;
	w->too_long = false;
	w->hashed = true;
	w->simple = true;
	w->key = w->src;
	w->klen = pk->end - off;
	w->len = w->klen;
	w->hash = lex_hash(w->key, w->klen); /* pk->hash is the word cache's */
	w->ends_compound_known = false;
	load_slot(w, pk->slot);
}

/* pair_context: what besides the two words should_join reads, as a pair cache key part:
 * the line's trust (bit 0), line_spaces_zwnj (bit 1) and line_deletes (bit 2). */
static inline unsigned pair_context(bool trusting)
{
	return (trusting ? 1u : 0u) | (line_spaces_zwnj ? 2u : 0u) | (line_deletes ? 4u : 0u);
}

/* pair_slot_of: the pair cache slot of a first word with hash ha and a second with hb, in a
 * line of pair_context ctx. */
static inline struct pair_slot *pair_slot_of(uint32_t ha, uint32_t hb, unsigned ctx)
{
	uint32_t h = ha * 0x9E3779B1u ^ hb ^ ctx * 0x7F4A7C15u;
	return &pair_cache[(h ^ h >> 16) % PAIR_SLOTS];
}

/* pair_slot_holds: p holds the pair of keys a (an bytes) and b (bn bytes), both of 4 to
 * CACHE_KEY bytes, for a line of pair_context ctx. */
static inline bool pair_slot_holds(const struct pair_slot *p, const char *a, size_t an,
				   const char *b, size_t bn, unsigned ctx)
{
	return p->alen == an && p->blen == bn && p->context == ctx &&
	       cache_key_eq(p->a, a, an) && cache_key_eq(p->b, b, bn);
}

/* pair_slot_store: p gets the decision join for the pair of keys a and b (see
 * pair_slot_holds). */
static void pair_slot_store(struct pair_slot *p, const char *a, size_t an, const char *b,
			    size_t bn, unsigned ctx, bool join)
{
	memcpy(p->a, a, an);
	memcpy(p->b, b, bn);
	p->alen = (uint8_t)an;
	p->blen = (uint8_t)bn;
	p->context = (uint8_t)ctx;
	p->join = join;
}

/* slot_breaks: write the ZWNJs of cache slot c for the simple word at input offset off (its
 * key offsets are text offsets), as apply_breaks does. */
static void slot_breaks(struct emitter *em, const struct cache_slot *c, size_t off)
{
	size_t end = off + c->klen;
	for (unsigned k = 0; k < c->nbrk; k++) {
		size_t brk = c->brk[k];
		if (k + 1 == c->nbrk)
			brk = ezafe_break(em->s + off, c->klen, brk, (const unsigned char *)em->s + end,
					  em->n - end);
		size_t at = off + brk;
		if (at >= ZWNJ_LEN && bytes_eq(em->s + at - ZWNJ_LEN, ZWNJ_UTF8, ZWNJ_LEN))
			continue; /* already there */
		flush_to(em, at);
		add_zwnj(em);
	}
}

/* finish_cur: write the ZWNJs the current word (at input offset off) is given, from its
 * struct when filled, else from the cache slot peek_word found for it (with no cache store
 * since). Most words have none. */
static inline void finish_cur(struct emitter *em, const struct word *cur, bool filled,
			      const struct peek *pk, size_t off)
{
	if (filled) {
		if (cur->nbrk)
			apply_breaks(em, cur, off);
	} else if (pk->slot && pk->slot->nbrk) {
		slot_breaks(em, pk->slot, off);
	}
}

/* quiet_bits: whether w (filled) can be stepped over as a quiet word, and then its pair
 * bits. */
static bool quiet_bits(struct word *w, unsigned *bits)
{
	if (w->too_long)
		return false;
	*bits = w->klen < 4 ? QUIET_SHORT : pair_bits(w);
	return true;
}

/* The word cache is larger than the core's own caches, so the set of a word read is mostly
 * far away, and the quiet run waited for it: by perf's samples, a third of the time of
 * `chapar normalize` was spent on the instructions right after the load of a set's tags and
 * of a pair slot. A prefetcher runs PREFETCH_AHEAD bytes ahead of the quiet run over the words
 * of the line: it reads each word as quiet_peek does (up to the next ASCII byte), hashes it,
 * starts fetching its set and the slot of its pair with the word before, and keeps the word's
 * end and hash for quiet_peek in a small ring. What it keeps is a
 * function of the text alone (a word's end and hash at a given offset, see quiet_peek), so
 * it decides nothing: a word it reads differently only costs the wait. */
enum { PREFETCH_AHEAD = 96, PREFETCH_RING = 16 };

/* A word read by the prefetcher: s[start..start + len) is a key of 4 to CACHE_KEY bytes,
 * start + len = ascii_after(start), hash = cache_hash of the key. */
struct pf_word {
	size_t start;
	uint32_t hash;
	uint32_t len;
};

struct prefetcher {
	size_t pos;	 /* the next byte to read from */
	size_t lim;	 /* the end of the line: its trust (part of the set index) holds up to it */
	uint32_t prev_hash; /* the hash of the last word read */
	unsigned ctx;	/* the line's pair_context */
	bool trusting;
	unsigned head, tail; /* ring[tail..head) (mod PREFETCH_RING): words read, in order */
	struct pf_word ring[PREFETCH_RING];
};

/* prefetch_line: start pf on the line s[at..lim) of a text of n bytes, whose trust is trusting
 * (line_trusting has read that line: line_spaces_zwnj is its own). Words are read only 32
 * bytes or more before the end of the text (ascii_after reads 32 bytes). */
static inline void prefetch_line(struct prefetcher *pf, size_t at, size_t lim, size_t n,
				 bool trusting)
{
	pf->pos = at;
	pf->lim = lim + 32 <= n ? lim : n >= 32 ? n - 32 : 0;
	pf->ctx = pair_context(trusting);
	pf->trusting = trusting;
	pf->head = pf->tail = 0;
}

/* prefetch_to: read the words of the line from max(where pf stopped, from) that start before
 * upto, while the ring has room. */
static inline void prefetch_to(struct prefetcher *pf, const char *s, size_t from, size_t upto)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t p = pf->pos, lim = pf->lim < upto ? pf->lim : upto;
	if (p >= lim)
		return;
	uint32_t prev_hash = pf->prev_hash;
	unsigned head = pf->head, full = pf->tail + PREFETCH_RING;
	if (p < from)
		p = from;
	while (p < lim && head != full) {
		if (u[p] < 0x80) {
			p++;
			continue;
		}
		/* every word, with no branch on its length (lengths are random from word to word):
		 * one the caches cannot hold (under 4 or over CACHE_KEY bytes) gets a useless
		 * prefetch and an entry whose hash quiet_peek does not use; so does the pair of
		 * words that are not one space apart */
		size_t e = ascii_after(u, p), len = (e - p) & 31;
		uint32_t h = cache_hash(s + p, len);
		__builtin_prefetch(cache_set_of(h, pf->trusting));
		__builtin_prefetch(pair_slot_of(prev_hash, h, pf->ctx));
		prev_hash = h;
		pf->ring[head++ % PREFETCH_RING] = (struct pf_word){ p, h, (uint32_t)(e - p) };
		/* a space after the word: step over it (the next word starts after it) */
		p = e + (u[e] == ' ');
	}
	pf->pos = p;
	pf->prev_hash = prev_hash;
	pf->head = head;
}

/* prefetch_take: the end and hash the prefetcher read for a word starting at b (b not
 * before any word still asked for), dropping the words before it; false when it has none. */
static inline bool prefetch_take(struct prefetcher *pf, size_t b, size_t *end, uint32_t *h)
{
	unsigned tail = pf->tail, head = pf->head;
	while (tail != head && pf->ring[tail % PREFETCH_RING].start < b)
		tail++;
	pf->tail = tail;
	if (tail == head)
		return false;
	const struct pf_word *w = &pf->ring[tail % PREFETCH_RING];
	if (w->start != b)
		return false;
	pf->tail = tail + 1;
	*end = b + w->len;
	*h = w->hash;
	return true;
}

/* The state of a quiet run (quiet_run): whether there is a current word (have), and if so
 * its offset and its peek (end, pair bits, slot, hash); it is quiet and only peeked. */
struct quiet_cur {
	bool have;
	size_t off;
	struct peek pk;
};

/* quiet_peek: the word cache's slot for the word of letters at s[b..) (b + 32 <= n), taken
 * to end at the next ASCII byte or, failing that, before a two-byte character that is neither
 * letter nor mark there (، ؛ ؟ a digit), as peek_word takes it: NULL when neither key is
 * cached; *end and *h get the key's end and lex_hash. */
static inline const struct cache_slot *quiet_peek(const char *s, size_t b, bool trusting,
						  size_t *end, uint32_t *h, struct prefetcher *pf)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t e;
	uint32_t ahead_hash = 0;
	/* read ahead (see struct prefetcher): the same end and hash as computed here */
	bool ahead = prefetch_take(pf, b, &e, &ahead_hash);
	if (!ahead)
		e = ascii_after(u, b);
	size_t len = e - b;
	if (len >= 4 && len <= CACHE_KEY) {
		struct key_words kw = key_words_of(s + b, len);
		*h = ahead ? ahead_hash : key_words_hash(&kw, len);
		const struct cache_slot *c = cache_find_kw(cache_set_of(*h, trusting), &kw, len, trusting, *h);
		if (c) {
			*end = e;
			return c;
		}
	}
	if (e >= b + 6 && e < b + 32 && u[e - 2] >= 0xD8 && u[e - 2] <= 0xDB &&
	    !(lead_class(u[e - 2], u[e - 1]) & (CC_LETTER | CC_MARK)) && e - 2 - b <= CACHE_KEY) {
		struct key_words kw = key_words_of(s + b, e - 2 - b);
		*h = key_words_hash(&kw, e - 2 - b);
		*end = e - 2;
		return cache_find_kw(cache_set_of(*h, trusting), &kw, e - 2 - b, trusting, *h);
	}
	return NULL;
}

/* quiet_run: from a current word that is quiet and only peeked (qc, which ends at i), go on
 * as the general loop of zwnj_restore would while every word is quiet, in one tight loop:
 *  - a word after one space: a one-letter word, or a key the word cache holds (quiet_peek);
 *    the pair stays apart when the pair bits say so (quiet_pair), else the pair cache's
 *    answer is taken (a ZWNJ in place of the space when it joins); no answer: stop;
 *  - after anything else (punctuation, several spaces), the current word is done and the
 *    next word of the same line starts afresh (no pair), when it is quiet; a line break:
 *    stop (the next line's trust is read by the general loop).
 * Each word left behind gets the ZWNJs of its slot, as finish_cur writes them. Stops at
 * least 33 bytes before the end of the text (the peek needs 32 readable bytes). Returns the
 * offset where the general loop goes on: the end of qc's word when qc->have, else a byte
 * where no word is current (the general loop skips to the next word from there). What
 * decides: only the word cache's and pair cache's contents (the analysis of each key for
 * the line's trust, should_join's answer for the pair in the line's pair_context) and the
 * pair bits, the same facts the general loop reads. */
static size_t quiet_run(const char *s, size_t n, size_t i, bool trusting, struct emitter *em,
			struct quiet_cur *qc, struct prefetcher *pf)
{
	const unsigned char *u = (const unsigned char *)s;
	const struct cache_slot *cs = qc->pk.slot;
	unsigned cb = qc->pk.bits;
	size_t off = qc->off;
	uint32_t ch = qc->pk.hash;
	const unsigned ctx = pair_context(trusting);
	for (;;) {
		if (i + 34 > n)
			break;
		prefetch_to(pf, s, i, i + PREFETCH_AHEAD);
		size_t b = i + 1;
		bool pair = u[i] == ' ' && letter_at(u + b);
		if (!pair) {
			/* the current word is done; the next word of the line, if quiet, is current */
			size_t j = i;
			while (j + 33 <= n && u[j] != '\n' && !letter_at(u + j))
				j++;
			if (j + 33 > n || u[j] == '\n') {
				if (cs && cs->nbrk)
					slot_breaks(em, cs, off);
				qc->have = false;
				return j;
			}
			b = j;
		}
		size_t e;
		const struct cache_slot *ns = NULL;
		unsigned nb;
		uint32_t h = 0;
		if (u[b + 2] < 0x80) {
			e = b + 2;
			nb = QUIET_SHORT;
		} else {
			ns = quiet_peek(s, b, trusting, &e, &h, pf);
			if (!ns) {
				if (pair)
					break;
				/* not quiet: the general loop reads it as a first word */
				if (cs && cs->nbrk)
					slot_breaks(em, cs, off);
				qc->have = false;
				return b;
			}
			nb = ns->bits >> SLOT_PAIR_SHIFT;
		}
		int join = 0;
		if (pair && !quiet_pair(cb, nb)) {
			const struct pair_slot *ps = pair_cache ? pair_slot_of(ch, h, ctx) : NULL;
			if (!ps || !pair_slot_holds(ps, s + off, i - off, s + b, e - b, ctx))
				break;
			join = ps->join;
		}
		if (cs && cs->nbrk)
			slot_breaks(em, cs, off);
		if (join) {
			flush_to(em, i);
			add_zwnj(em);
			em->copied = i + 1; /* drop the space */
		}
		off = b;
		i = e;
		cs = ns;
		cb = nb;
		ch = h;
	}
	qc->have = true;
	qc->off = off;
	qc->pk.end = i;
	qc->pk.quiet = true;
	qc->pk.bits = cb;
	qc->pk.slot = cs;
	qc->pk.hash = ch;
	return i;
}

enum ch_status zwnj_restore(const char *s, size_t n, struct buf *out)
{
	struct word words[2];
	struct word *cur = &words[0], *next = &words[1];
	struct emitter em = { s, n, 0, out, CH_OK };
	word_cache_ready();
	pthread_once(&letter16_once, letter16_build);
	pthread_once(&suffix_from_once, suffix_from_build);
	size_t i = 0, cur_off = 0;
	bool have_cur = false;
	/* the current word is either filled (cur) or, after a quiet step, only peeked (cur_pk):
	 * it is filled when a pair needs the full test */
	bool cur_filled = false, cur_quiet = false;
	unsigned cur_bits = 0;
	struct peek cur_pk = { 0 }, pk;
	struct ahead ah = { 0, 0, 0 };
	struct prefetcher pf;
	prefetch_line(&pf, 0, 0, n, false);
	bool trusting = false;
	size_t line_end = 0; /* trusting holds for the line ending here */
	while (i < n) {
		if (i >= line_end) {
			const char *nl = memchr(s + i, '\n', n - i);
			line_end = nl ? (size_t)(nl - s) + 1 : n;
			trusting = line_trusting(s + i, line_end - i);
			prefetch_line(&pf, i, line_end, n, trusting);
		}
		if (!have_cur) {
			while (i < n && !is_word_start(s, n, i)) {
				i++;
				if (i >= line_end)
					break;
			}
			if (i >= line_end)
				continue;
			if (i >= n)
				break;
			/* a word after a line break or punctuation: peeked first like the word after a
			 * space, and only scanned and analysed when it is not quiet */
			cur_off = i;
			have_cur = true;
			peek_word(s, n, i, trusting, &cur_pk, &ah);
			if (cur_pk.quiet) {
				i = cur_pk.end;
				cur_filled = false;
				cur_quiet = true;
				cur_bits = cur_pk.bits;
			} else {
				i += scan_word(s + i, n - i, cur);
				analyze(cur, trusting);
				cur_filled = true;
				cur_quiet = quiet_bits(cur, &cur_bits);
			}
		}
		/* cur ends at i; when it is only peeked, step over the quiet pairs that follow in the
		 * tight loop first */
		if (!cur_filled && word_cache) {
			struct quiet_cur qc = { true, cur_off, cur_pk };
			size_t to = quiet_run(s, n, i, trusting, &em, &qc, &pf);
			if (!qc.have) {
				i = to;
				have_cur = false;
				continue;
			}
			if (to != i) {
				i = to;
				cur_off = qc.off;
				cur_pk = qc.pk;
				cur_bits = qc.pk.bits;
				ah.off = 0;
			}
		}
		/* look at the word after one space */
		if (i + 1 < n && s[i] == ' ' && is_word_start(s, n, i + 1)) {
			size_t next_off = i + 1;
			peek_word(s, n, next_off, trusting, &pk, &ah);
			struct pair_slot *ps = NULL; /* the pair's slot in the pair cache, if it may have one */
			if (cur_quiet && pk.quiet) {
				/* both words are in the word cache (or short): the pair is settled by their
				 * pair bits or by the pair cache, or needs the full test */
				int join = quiet_pair(cur_bits, pk.bits) ? 0 : -1;
				size_t an = i - cur_off;
				if (join < 0 && pair_cache && (!cur_filled || cur->simple) && an <= CACHE_KEY) {
					ps = pair_slot_of(cur_filled ? cache_hash_copy(s + cur_off, an) : cur_pk.hash, pk.hash,
							  pair_context(trusting));
					if (pair_slot_holds(ps, s + cur_off, an, s + next_off, pk.end - next_off,
							    pair_context(trusting)))
						join = ps->join;
				}
				if (join >= 0) {
					/* as below, without filling either word */
					finish_cur(&em, cur, cur_filled, &cur_pk, cur_off);
					if (join) {
						flush_to(&em, i);
						add_zwnj(&em);
						em.copied = i + 1;
					}
					i = pk.end;
					cur_off = next_off;
					cur_filled = false;
					cur_bits = pk.bits;
					cur_pk = pk;
					continue;
				}
			}
			if (!cur_filled)
				fill_word(cur, s, n, cur_off, &cur_pk, trusting);
			fill_word(next, s, n, next_off, pk.quiet ? &pk : &(struct peek){ 0 },
				  trusting);
			bool join = should_join(cur, next);
			if (ps && cur->len <= CACHE_KEY && next->len <= CACHE_KEY)
				pair_slot_store(ps, cur->src, cur->len, next->src, next->len,
						pair_context(trusting), join);
			apply_breaks(&em, cur, cur_off);
			if (join) {
				/* the ZWNJ goes in even after a letter that does not join (د, ر, و…), where
				 * it is invisible: it records the boundary, so a second pass reads the word
				 * the same way instead of re-analysing the joined letters (normalizing is
				 * idempotent; a fuzz finding: مید های) */
				flush_to(&em, i);
				add_zwnj(&em);
				em.copied = i + 1; /* drop the space */
			}
			i = next_off + next->len;
			cur_off = next_off;
			struct word *t = cur;
			cur = next;
			next = t;
			cur_filled = true;
			cur_quiet = quiet_bits(cur, &cur_bits);
			continue;
		}
		finish_cur(&em, cur, cur_filled, &cur_pk, cur_off);
		have_cur = false;
	}
	if (have_cur)
		finish_cur(&em, cur, cur_filled, &cur_pk, cur_off);
	flush_to(&em, n);
	return em.st;
}
