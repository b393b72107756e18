/*
 * normalize.c — display normalization of Persian text (text_normalize): a letter pass and a
 * word pass over chunks of the input. The letter pass decodes UTF-8 (invalid bytes become
 * U+FFFD, or the call fails in strict mode), maps Arabic yeh/kaf and presentation forms to
 * Persian letters, drops kashida and invisible controls, cleans ZWNJ runs and ZWNJ at word
 * edges, collapses repeated spaces, tidies spacing around punctuation and «», and converts
 * digits when asked. The word pass (zwnj.c) restores lost ZWNJs. Text that is already right
 * comes out byte-identical. Memory use is bounded: chunks of at most CHUNK_IN input bytes go
 * through a fixed stack buffer. On x86-64 CPUs with AVX2 (checked once at run time) the
 * letter pass takes 32 bytes a step with the same rules (letter_blocks_avx2); the scalar loop
 * is the fallback, forced by CHAPAR_TEXT_SCALAR=1 in the environment or text_letter_simd.
 */
#define _GNU_SOURCE /* memrchr */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/charclass.h"
#include "text/chars.h"
#include "text/text.h"
#include "text/text_internal.h"

enum { CHUNK_IN = 8192, CHUNK_OUT = 4 * CHUNK_IN, CHUNK_SLACK = 128 };

/* A letter-pass output under construction. */
struct lpass {
	char *p;
	size_t n, cap;
	bool pending_zwnj; /* a ZWNJ was read after a word character */
	unsigned flags;
};

/* is_space_cp: the characters that separate words (line breaks are kept apart). */
static bool is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == CP_NBSP;
}

/* is_closing_punct: marks written right after the word before them (no space before). */
static bool is_closing_punct(uint32_t cp)
{
	return cp == CP_ARABIC_COMMA || cp == CP_ARABIC_SEMICOLON || cp == CP_ARABIC_QUESTION ||
	       cp == '.' || cp == '!' || cp == ':' || cp == CP_RAQUO || cp == ')';
}

/* cp_before: the code point ending at p[end-1] (0 at the start); *start gets where it begins. */
static uint32_t cp_before(const char *p, size_t end, size_t *start)
{
	if (end == 0) {
		*start = 0;
		return 0;
	}
	size_t b = end - 1;
	while (b > 0 && end - b < 4 && ((unsigned char)p[b] & 0xC0) == 0x80)
		b--;
	uint32_t cp;
	utf8_decode(p + b, end - b, &cp, NULL);
	*start = b;
	return cp;
}

/* put: append cp, applying the ZWNJ and punctuation spacing rules, which look at the two code
 * points already written before it. */
static void put(struct lpass *lp, uint32_t cp)
{
	bool letter = (arabic_class(cp) & CC_LETTER) != 0;
	if (lp->pending_zwnj && letter)
		lp->n += utf8_encode(CP_ZWNJ, lp->p + lp->n);
	lp->pending_zwnj = false;
	size_t last_at, before_at;
	uint32_t last = cp_before(lp->p, lp->n, &last_at);
	if (cp == ' ') {
		if (last == ' ' || last == CP_LAQUO)
			return; /* one space; none after « */
	} else if (last == ' ' && is_closing_punct(cp)) {
		uint32_t before = cp_before(lp->p, last_at, &before_at);
		if (arabic_class(before) & CC_LETTER)
			lp->n--; /* "کلمه ،" -> "کلمه،" */
	} else if (letter && (last == CP_ARABIC_COMMA || last == CP_ARABIC_SEMICOLON ||
			      last == CP_ARABIC_QUESTION || last == ':')) {
		uint32_t before = cp_before(lp->p, last_at, &before_at);
		if (arabic_class(before) & CC_LETTER)
			lp->p[lp->n++] = ' '; /* "کلمه،کلمه" -> "کلمه، کلمه", "گفت:من" -> "گفت: من" */
	}
	lp->n += utf8_encode(cp, lp->p + lp->n);
}

/* map_digit: cp converted as the flags ask. */
static uint32_t map_digit(uint32_t cp, unsigned flags)
{
	int v = -1;
	if (cp >= '0' && cp <= '9')
		v = (int)(cp - '0');
	else if (cp >= CP_ARABIC_DIGIT_ZERO && cp <= CP_ARABIC_DIGIT_ZERO + 9)
		v = (int)(cp - CP_ARABIC_DIGIT_ZERO);
	else if (cp >= CP_PERSIAN_DIGIT_ZERO && cp <= CP_PERSIAN_DIGIT_ZERO + 9)
		v = (int)(cp - CP_PERSIAN_DIGIT_ZERO);
	if (v < 0)
		return cp;
	if (flags & TEXT_DIGITS_FA)
		return CP_PERSIAN_DIGIT_ZERO + (uint32_t)v;
	if (flags & TEXT_DIGITS_ASCII)
		return '0' + (uint32_t)v;
	return cp;
}

/* persian_letter: Arabic variants as their Persian letter. */
static uint32_t persian_letter(uint32_t cp)
{
	switch (cp) {
	case CP_ARABIC_YEH:
	case CP_ALEF_MAKSURA:
		return CP_FARSI_YEH;
	case CP_ARABIC_KAF:
		return CP_KEHEH;
	default:
		return cp;
	}
}

/* put_presentation: a presentation form (U+FB50–U+FDFF, U+FE70–U+FEFF) as the letters it
 * stands for. */
static void put_presentation(struct lpass *lp, uint32_t cp)
{
	utf8proc_int32_t dec[24];
	int last = 0;
	utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, dec, 24,
						     UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &last);
	if (k <= 0 || k > 24) {
		put(lp, cp);
		return;
	}
	for (utf8proc_ssize_t i = 0; i < k; i++)
		if (!is_ignorable_cp((uint32_t)dec[i])) /* ﳳ is kashida + marks */
			put(lp, persian_letter((uint32_t)dec[i]));
}

/* is_stray_control: a C0 or C1 control other than the line and tab characters. */
static bool is_stray_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
}

/* put_special: the slow path for one code point the fast loop does not copy as is. */
static void put_special(struct lpass *lp, uint32_t cp)
{
	if (cp == CP_ZWNJ) {
		size_t at;
		if (is_word_cp(cp_before(lp->p, lp->n, &at)))
			lp->pending_zwnj = true;
	} else if (is_ignorable_cp(cp) || is_stray_control(cp)) {
		return;
	} else if (is_space_cp(cp)) {
		put(lp, cp == '\t' ? '\t' : ' ');
	} else if (cp >= 0xFE70 && cp <= 0xFE7F) {
		return; /* presentation forms of harakat: marks standing alone */
	} else if ((cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE80 && cp <= 0xFEFE)) {
		put_presentation(lp, cp);
	} else {
		put(lp, map_digit(persian_letter(cp), lp->flags));
	}
}

/* plain_ascii: an ASCII byte copied unchanged wherever it appears. */
static bool plain_ascii(unsigned char c, unsigned flags)
{
	if (c >= '0' && c <= '9')
		return !(flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII));
	if (c < 0x20 || c == 0x7F)
		return c == '\n' || c == '\r';
	return c != ' ' && c != '.' && c != '!' && c != ':' && c != ')';
}

/* plain_arabic: a U+0600–U+06FF code point copied unchanged (letters other than the Arabic
 * yeh/kaf variants, marks, digits when they are kept). */
static bool plain_arabic(uint32_t cp, unsigned flags)
{
	unsigned cls = arabic_class(cp);
	if (cls & CC_DIGIT)
		return !(flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII));
	return (cls & (CC_LETTER | CC_MARK)) && cp != CP_ARABIC_YEH && cp != CP_ALEF_MAKSURA &&
	       cp != CP_ARABIC_KAF;
}

/* word_tail: the output ends (last, before: its last two bytes, -1 for none) in a two-byte
 * letter or mark of U+0600–U+06FF, after which a ZWNJ is kept when a letter follows. */
static inline bool word_tail(int last, int before)
{
	return before >= 0xD8 && before <= 0xDB && (last & 0xC0) == 0x80 &&
	       (text_arabic_class[(unsigned)(before & 3) << 6 | (last & 0x3F)] & (CC_LETTER | CC_MARK));
}

/* letter_copied: p[0..2) is a letter copied as is (plain16: plain16_table's for the flags). */
static inline bool letter_copied(const unsigned char *p, const uint8_t *plain16)
{
	return plain16[text_load16(p)] &&
	       (text_arabic_class[(unsigned)(p[0] & 3) << 6 | (p[1] & 0x3F)] & CC_LETTER);
}

/* punct_kept: u[i..i+2) (i + 1 < lim) is a two-byte punctuation mark that put() writes
 * unchanged after an output ending in the byte last: « always (only a space after it is
 * dropped); » when last is no space (none to drop); ، ؛ ؟ when, besides, a space or line break
 * follows it in u[..lim) (no space to add before a letter right after it). */
static inline bool punct_kept(const unsigned char *u, size_t i, size_t lim, int last)
{
	if (u[i] == 0xC2)
		return u[i + 1] == (CP_LAQUO & 0xFF) || (u[i + 1] == (CP_RAQUO & 0xFF) && last != ' ');
	if (u[i] != 0xD8 || !(u[i + 1] == (0x80 | (CP_ARABIC_COMMA & 0x3F)) ||
			      u[i + 1] == (0x80 | (CP_ARABIC_SEMICOLON & 0x3F)) ||
			      u[i + 1] == (0x80 | (CP_ARABIC_QUESTION & 0x3F))))
		return false;
	return i + 2 < lim && (u[i + 2] == ' ' || u[i + 2] == '\n') && last != ' ';
}

/* ---- The vector step of the letter pass (x86-64 with AVX2, chosen at run time) ----
 *
 * letter_blocks_avx2 looks at 32 input bytes at a time and copies at once all of them up to
 * the first one that is not one of the common cases: an ASCII byte copied wherever it
 * appears, a space or . ! ) not after a space, a two-byte character of U+0600–U+06FF copied
 * as is, or ي ى ك, which it rewrites in the vector as ی ک (same length). Anything else (ZWNJ,
 * ، ؛ ؟ :, « », other multi-byte characters, invalid bytes) stops it; the scalar fast loop
 * takes that character, with its rules, and the vector step resumes after it. */

/* Bit sets: over the index k = (lead & 3) << 6 | (second & 0x3F) of a two-byte character of
 * U+0600–U+06FF (bit k & 7 of byte k >> 3), and over ASCII bytes c (bit c & 7 of byte
 * c >> 3); one per digit flag (digits kept, digits converted). */
struct simd_sets {
	uint8_t copied[32];     /* two-byte characters copied as they are, or ي ى ك */
	uint8_t ascii[16];      /* ASCII bytes copied wherever they appear */
};
static struct simd_sets simd_sets[2];
static uint8_t simd_variant_second[16]; /* by the low 4 bits of a second byte: that of ي ى ك
					* with those bits, else a byte without them */
static uint8_t simd_close[16];   /* . ! ): copied unless a space is before them */
static uint8_t simd_pow2[16];    /* 1 << (k & 7) */
static uint8_t simd_map_lead[16], simd_map_cont[16]; /* by the low 4 bits of the second byte
						      * of ي ى ك: the bytes of ی ک */
static bool letter_simd;         /* the vector step is in use */

/* set_bit: set bit k of the bit set bits. */
static void set_bit(uint8_t *bits, unsigned k)
{
	bits[k >> 3] |= (uint8_t)(1u << (k & 7));
}

/* simd_sets_build: fill the bit sets from the scalar rules (once, from plain_tabs_build). */
static void simd_sets_build(void)
{
	for (unsigned t = 0; t < 2; t++) {
		unsigned flags = t ? TEXT_DIGITS_FA : 0;
		for (unsigned k = 0; k < 256; k++)
			if (plain_arabic(0x0600 + k, flags) || persian_letter(0x0600 + k) != 0x0600 + k)
				set_bit(simd_sets[t].copied, k);
		for (unsigned c = 0; c < 128; c++)
			if (plain_ascii((unsigned char)c, flags))
				set_bit(simd_sets[t].ascii, c);
	}
	for (unsigned c = 0; c < 128; c++)
		if (is_closing_punct(c) && c != ':')
			set_bit(simd_close, c);
	for (unsigned k = 0; k < 16; k++) {
		simd_pow2[k] = (uint8_t)(1u << (k & 7));
		simd_variant_second[k] = (uint8_t)(k ^ 1);
	}
	const uint32_t variants[] = { CP_ARABIC_YEH, CP_ALEF_MAKSURA, CP_ARABIC_KAF };
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		uint32_t to = persian_letter(variants[v]);
		simd_map_lead[variants[v] & 0x0F] = (uint8_t)(0xC0 | to >> 6);
		simd_map_cont[variants[v] & 0x0F] = (uint8_t)(0x80 | (to & 0x3F));
		simd_variant_second[variants[v] & 0x0F] = (uint8_t)(0x80 | (variants[v] & 0x3F));
	}
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LETTER_SIMD_AVAILABLE 1
#define AVX2 __attribute__((target("avx2")))
#define AVX2_INLINE __attribute__((target("avx2"), always_inline)) static inline

/* both_lanes: the 16 bytes at p in both 128-bit lanes (pshufb looks up within a lane). */
AVX2_INLINE __m256i both_lanes(const uint8_t *p)
{
	return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)p));
}

/* in_set: bit j = whether byte j's entry is in the 256-bit set lo:hi: idx its byte in the set
 * (0–31), hi_sel bit 4 of idx in bit 7, bit its bit's mask. */
AVX2_INLINE uint32_t in_set(__m256i lo, __m256i hi, __m256i idx, __m256i hi_sel, __m256i bit)
{
	__m256i v = _mm256_blendv_epi8(_mm256_shuffle_epi8(lo, idx), _mm256_shuffle_epi8(hi, idx),
				       hi_sel);
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(v, bit), bit));
}

/* in_set16: the same for a 128-bit set (idx 0–15). */
AVX2_INLINE uint32_t in_set16(__m256i set, __m256i idx, __m256i bit)
{
	__m256i v = _mm256_shuffle_epi8(set, idx);
	return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(v, bit), bit));
}

/* zwnj_run_step: the ZWNJs at u[i..] (at least one), in a run, as put_special and put() treat
 * them: after a character that is no letter or mark (last, before: the output's last two
 * bytes, -1 for none) all dropped (unless that is : ، ؛ ؟); after one, one ZWNJ written when a letter copied as is
 * follows, all dropped when an ASCII byte other than a stray control follows. Returns the
 * input bytes taken (0: the scalar loop's) and sets *made to the bytes written at o. */
static inline size_t zwnj_run_step(const unsigned char *u, size_t i, size_t lim, unsigned char *o,
				   int last, int before, const uint8_t *plain16, size_t *made)
{
	size_t end = i;
	while (end + ZWNJ_LEN <= lim && memcmp(u + end, ZWNJ_UTF8, ZWNJ_LEN) == 0)
		end += ZWNJ_LEN;
	if (end + 2 > lim)
		return 0;
	*made = 0;
	if (!word_tail(last, before)) {
		/* dropped, unless the output ends in : ، ؛ ؟ (a letter next may need a space) */
		bool punct = last == ':' || (before == 0xD8 && (last == (0x80 | (CP_ARABIC_COMMA & 0x3F)) ||
								last == (0x80 | (CP_ARABIC_SEMICOLON & 0x3F)) ||
								last == (0x80 | (CP_ARABIC_QUESTION & 0x3F))));
		return punct ? 0 : end - i;
	}
	const unsigned char *next = u + end;
	if (next[0] < 0x80)
		return is_stray_control(next[0]) ? 0 : end - i;
	if (!letter_copied(next, plain16))
		return 0;
	memcpy(o, ZWNJ_UTF8, ZWNJ_LEN);
	*made = ZWNJ_LEN;
	return end - i;
}

/* stop_step: the character at u[i], where the vector step stopped, when the scalar rules
 * need no state but the output's last two bytes (o[-have..0) is the output so far): ، ؛ ؟
 * not after a space and before a space or line break, : not after a space nor before an
 * Arabic-script character, «, » not after a space (all copied: punct_kept and the colon
 * rule of letter_pass, read off the output instead of a run), a space after a space
 * or « (dropped), ZWNJs (zwnj_run_step). Returns the input bytes taken (0: the scalar loop's)
 * and sets *made to the bytes written at o. */
static inline size_t stop_step(const unsigned char *u, size_t i, size_t lim, unsigned char *o,
			       size_t have, const uint8_t *plain16, size_t *made)
{
	if (i + ZWNJ_LEN + 2 > lim)
		return 0;
	int last = have >= 1 ? o[-1] : -1, before = have >= 2 ? o[-2] : -1;
	const unsigned char *c = u + i;
	size_t len = 0;
	if (c[0] == ':') {
		len = last != ' ' && (c[1] & 0xFC) != 0xD8;
	} else if (c[0] == 0xC2 || c[0] == 0xD8) {
		len = punct_kept(u, i, lim, last) ? 2 : 0;
	} else if (c[0] == ' ') {
		*made = 0;
		return last == ' ' || (last == (CP_LAQUO & 0xFF) && before == 0xC2);
	} else if (c[0] == 0xE2 && memcmp(c, ZWNJ_UTF8, ZWNJ_LEN) == 0) {
		return zwnj_run_step(u, i, lim, o, last, before, plain16, made);
	}
	memcpy(o, c, 4);
	*made = len;
	return len;
}

/* spaceish_tail: 1 when the output o[-have..0) ends in a space or in a byte AB (« or ګ),
 * else 0. */
static inline uint32_t spaceish_tail(const unsigned char *o, size_t have)
{
	return have && (o[-1] == ' ' || o[-1] == (CP_LAQUO & 0xFF));
}

/* letter_blocks_avx2: the vector step from u[i] (in a run: run_may_start held and every
 * byte since went out as it is) while u[i..i+33) is inside lim; writes to lp (which has room
 * for lim - i more bytes and 32 of slack) and returns where it stopped: at a character the
 * scalar loop must take, or near lim. plain16: plain16_table's for lp->flags. */
AVX2 static size_t letter_blocks_avx2(const unsigned char *u, size_t i, size_t lim, struct lpass *lp,
				      const struct simd_sets *ss, const uint8_t *plain16)
{
	const __m256i copied_lo = both_lanes(ss->copied), copied_hi = both_lanes(ss->copied + 16);
	const __m256i ascii = both_lanes(ss->ascii), close = both_lanes(simd_close);
	const __m256i pow2 = both_lanes(simd_pow2), map_lead = both_lanes(simd_map_lead);
	const __m256i map_cont = both_lanes(simd_map_cont);
	const __m256i variant_second = both_lanes(simd_variant_second);
	const __m256i low3 = _mm256_set1_epi8(7), low4 = _mm256_set1_epi8(0x0F);
	const __m256i cont_top = _mm256_set1_epi8((char)0xC0);
	unsigned char *const out0 = (unsigned char *)lp->p;
	unsigned char *out = out0 + lp->n;
	/* 1 when the output byte before the block is a space or the end of « (a space after
	 * either is stop_step's) */
	uint32_t after_tail = spaceish_tail(out, lp->n);
	/* a copied two-byte character cut by the last block's end: its second byte is u[i] (bit
	 * 0), and whether it was ي ى ك (the vector's top byte) */
	uint32_t carry = 0;
	__m256i var_carry = _mm256_setzero_si256();
	while (i + 33 <= lim) {
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(u + i));
		__m256i q = _mm256_loadu_si256((const __m256i *)(const void *)(u + i + 1));
		/* two-byte characters: set index from the lead's low two bits and the second byte */
		__m256i idx = _mm256_or_si256(
			_mm256_and_si256(_mm256_slli_epi16(b, 3), _mm256_set1_epi8(0x18)),
			_mm256_and_si256(_mm256_srli_epi16(q, 3), low3));
		__m256i hi_sel = _mm256_slli_epi16(b, 6);
		__m256i bit = _mm256_shuffle_epi8(pow2, _mm256_and_si256(q, low3));
		uint32_t lead2 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			_mm256_and_si256(b, _mm256_set1_epi8((char)0xFC)), _mm256_set1_epi8((char)0xD8)));
		uint32_t nonascii = (uint32_t)_mm256_movemask_epi8(b);
		uint32_t cont = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(cont_top, b)) & nonascii;
		uint32_t next_cont = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(cont_top, q)) &
				     (uint32_t)_mm256_movemask_epi8(q);
		uint32_t pair = in_set(copied_lo, copied_hi, idx, hi_sel, bit) & lead2 & next_cont;
		/* ASCII: set index b >> 3 */
		__m256i aidx = _mm256_and_si256(_mm256_srli_epi16(b, 3), low4);
		__m256i abit = _mm256_shuffle_epi8(pow2, _mm256_and_si256(b, low3));
		uint32_t space = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, _mm256_set1_epi8(' ')));
		uint32_t after_space = space << 1 | after_tail;
		uint32_t fine = ((in_set16(ascii, aidx, abit) |
				  ((space | in_set16(close, aidx, abit)) & ~after_space)) & ~nonascii) |
				pair | (cont & (lead2 << 1 | carry));
		/* ي ى ك: first byte D9 -> DB/DA, second byte -> 8C/A9 (one byte later: the vector
		 * shifted by a byte across the lanes, the last block's top byte first) */
		__m256i q_low = _mm256_and_si256(q, low4);
		__m256i var = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(variant_second, q_low), q),
					       _mm256_cmpeq_epi8(b, _mm256_set1_epi8((char)0xD9)));
		__m256i var_next =
			_mm256_alignr_epi8(var, _mm256_permute2x128_si256(var, var_carry, 0x03), 15);
		__m256i o = _mm256_blendv_epi8(b, _mm256_shuffle_epi8(map_lead, q_low), var);
		o = _mm256_blendv_epi8(o, _mm256_shuffle_epi8(map_cont, _mm256_and_si256(b, low4)),
				       var_next);
		_mm256_storeu_si256((__m256i *)(void *)out, o);
		if (~fine) {
			/* the first character the vector step does not take: stop_step's, or the
			 * scalar loop's */
			size_t at = (size_t)__builtin_ctz(~fine);
			i += at;
			out += at;
			carry = 0;
			var_carry = _mm256_setzero_si256();
			size_t made, took = stop_step(u, i, lim, out, (size_t)(out - out0), plain16, &made);
			if (!took)
				break;
			i += took;
			out += made;
			after_tail = spaceish_tail(out, (size_t)(out - out0));
		} else {
			i += 32;
			out += 32;
			carry = pair >> 31;
			var_carry = var;
			/* a byte AB ending a block taken whole is ګ's, not «'s (C2 stops it) */
			after_tail = space >> 31;
		}
	}
	if (carry) {
		/* stopped inside a character: the scalar loop takes it whole */
		i--;
		out--;
	}
	lp->n = (size_t)(out - out0);
	return i;
}
#endif

/* The fast loop of letter_pass classifies each byte with one table read: for an ASCII byte
 * (index c) and for a two-byte character of U+0600–U+06FF (index 128 + low 8 bits of the code
 * point) whether it is copied as is. Two tables: digits kept, digits converted. */
enum { PLAIN_NO, PLAIN_YES, PLAIN_SPACE, PLAIN_CLOSE, PLAIN_TAB = 128 + 256 };
static uint8_t plain_tabs[2][PLAIN_TAB];
/* the same for the two-byte characters, by their two bytes read as one 16-bit number
 * (text_load16): 1 when v spells a character copied as is (of each 64 KiB table only the 64
 * cache lines of U+0600–U+06FF are ever read) */
static uint8_t plain16_tabs[2][1 << 16];
/* step16_tabs: plain16_tabs with STEP_SPACE added for a space followed by the first byte of a
 * two-byte character of U+0600–U+06FF (D8–DB), so that the fast loop takes the space at the
 * end of a Persian word in the same step as the letters. */
enum { STEP_CHAR = 1, STEP_SPACE = 2 };
static uint8_t step16_tabs[2][1 << 16];
/* step_adv: how far the fast loop's common step goes from u[i], indexed by the step16 values
 * a, b, c of u[i..i+2), u[i+2..i+4), u[i+4..i+6) as a | b << 2 | c << 4: after a character
 * copied as is (a = STEP_CHAR), also the next one (b = STEP_CHAR) and the space after them
 * (c = STEP_SPACE: it follows an Arabic character, so space_plain holds), or the space right
 * after the first (b = STEP_SPACE); 0 when u[i] is no such character. One table read instead
 * of branches on how long the words are. */
static uint8_t step_adv[64];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

/* plain_tabs_build: fill plain_tabs from plain_ascii and plain_arabic, and the vector step's
 * bit sets; choose the vector step when the CPU has AVX2 and CHAPAR_TEXT_SCALAR is not set in
 * the environment (once). */
static void plain_tabs_build(void)
{
	simd_sets_build();
#ifdef LETTER_SIMD_AVAILABLE
	letter_simd = __builtin_cpu_supports("avx2") && !getenv("CHAPAR_TEXT_SCALAR");
#endif
	for (unsigned t = 0; t < 2; t++) {
		unsigned flags = t ? TEXT_DIGITS_FA : 0;
		for (unsigned c = 0; c < 128; c++)
			plain_tabs[t][c] = c == ' '			  ? PLAIN_SPACE
					   : is_closing_punct(c)		  ? PLAIN_CLOSE
					   : plain_ascii((unsigned char)c, flags) ? PLAIN_YES
										  : PLAIN_NO;
		for (unsigned k = 0; k < 256; k++) {
			plain_tabs[t][128 + k] = plain_arabic(0x0600 + k, flags) ? PLAIN_YES : PLAIN_NO;
			unsigned char b[2] = { (unsigned char)(0xD8 | k >> 6), (unsigned char)(0x80 | (k & 0x3F)) };
			unsigned v = text_load16(b);
			plain16_tabs[t][v] = plain_tabs[t][128 + k] != PLAIN_NO;
			step16_tabs[t][v] = plain16_tabs[t][v];
		}
		for (unsigned lead = 0xD8; lead <= 0xDB; lead++) {
			unsigned char b[2] = { ' ', (unsigned char)lead };
			step16_tabs[t][text_load16(b)] = STEP_SPACE;
		}
	}
	for (unsigned x = 0; x < 64; x++) {
		unsigned a = x & 3, b = x >> 2 & 3, c = x >> 4 & 3;
		step_adv[x] = a != STEP_CHAR ? 0
			      : b == STEP_CHAR ? (c == STEP_SPACE ? 5 : 4)
			      : b == STEP_SPACE ? 3
						: 2;
	}
}

/* plain_table / plain16_table / step16_table: the tables for flags. */
static const uint8_t *plain_table(unsigned flags)
{
	pthread_once(&plain_once, plain_tabs_build);
	return plain_tabs[(flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII)) != 0];
}

static const uint8_t *plain16_table(unsigned flags)
{
	pthread_once(&plain_once, plain_tabs_build);
	return plain16_tabs[(flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII)) != 0];
}

static const uint8_t *step16_table(unsigned flags)
{
	pthread_once(&plain_once, plain_tabs_build);
	return step16_tabs[(flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII)) != 0];
}

/* Persian letters in UTF-8, for the variants mapped in the fast loop. */
#define FARSI_YEH_UTF8 "\xdb\x8c"
#define KEHEH_UTF8 "\xda\xa9"

/* variant_letter: the UTF-8 of the Persian letter for the Arabic yeh, alef maksura or kaf at
 * p[0..2), else NULL (persian_letter, read off the bytes). */
static inline const char *variant_letter(const unsigned char *p)
{
	if (p[0] != 0xD9)
		return NULL;
	if (p[1] == (0x80 | (CP_ARABIC_YEH & 0x3F)) || p[1] == (0x80 | (CP_ALEF_MAKSURA & 0x3F)))
		return FARSI_YEH_UTF8;
	if (p[1] == (0x80 | (CP_ARABIC_KAF & 0x3F)))
		return KEHEH_UTF8;
	return NULL;
}

/* tail_byte: the byte k places before u[i] in the output (k = 1, 2): in the run, or before
 * it in lp when the run starts at i; -1 when there is none. */
static inline int tail_byte(const struct lpass *lp, const unsigned char *u, size_t run, size_t i,
			    size_t k)
{
	if (i - run >= k)
		return u[i - k];
	k -= i - run;
	return lp->n >= k ? (unsigned char)lp->p[lp->n - k] : -1;
}

/* space_plain: a space at u[i] goes out as is: put() keeps it unless the character before it
 * in the output is a space or «. */
static inline bool space_plain(const struct lpass *lp, const unsigned char *u, size_t run, size_t i)
{
	int last = tail_byte(lp, u, run, i, 1);
	return last != ' ' && !(last == 0xAB && tail_byte(lp, u, run, i, 2) == 0xC2);
}

/* zwnj_plain: u[i..] is a ZWNJ between a letter or mark (before it in the output) and a
 * letter copied as is (u[i+3..i+5)): put_special and put() would write both unchanged. */
static inline bool zwnj_plain(const struct lpass *lp, const unsigned char *u, size_t run, size_t i,
			      size_t lim, const uint8_t *plain16)
{
	if (u[i] != 0xE2 || i + ZWNJ_LEN + 2 > lim || memcmp(u + i, ZWNJ_UTF8, ZWNJ_LEN) != 0)
		return false;
	return letter_copied(u + i + ZWNJ_LEN, plain16) &&
	       word_tail(tail_byte(lp, u, run, i, 1), tail_byte(lp, u, run, i, 2));
}

/* punct_plain: punct_kept after the output so far (the run u[run..i) and lp before it). */
static inline bool punct_plain(const struct lpass *lp, const unsigned char *u, size_t run, size_t i,
			       size_t lim)
{
	return punct_kept(u, i, lim, tail_byte(lp, u, run, i, 1));
}

/* run_may_start: whether the output tail lets a plain run start without the slow path (no
 * pending ZWNJ, not right after ، ؛ ؟ or : which may need a space). */
static bool run_may_start(const struct lpass *lp)
{
	if (lp->pending_zwnj)
		return false;
	if (lp->n < 2)
		return lp->n == 0 || lp->p[0] != ':';
	const unsigned char *t = (const unsigned char *)lp->p + lp->n - 2;
	if (t[1] == ':')
		return false;
	return !(t[0] == 0xD8 && (t[1] == 0x8C || t[1] == 0x9B || t[1] == 0x9F));
}

/* letter_pass: run the letter rules over s[0..n) into lp until the input ends or lp is nearly
 * full; returns the bytes consumed, or (size_t)-1 on invalid UTF-8 in strict mode. Runs of
 * bytes that need no change (most of any text) are found first and copied at once. */
static size_t letter_pass(const char *s, size_t n, struct lpass *lp)
{
	const unsigned char *u = (const unsigned char *)s;
	const uint8_t *plain = plain_table(lp->flags);
	const uint8_t *plain16 = plain16_table(lp->flags);
	const uint8_t *step16 = step16_table(lp->flags);
	const bool simd = letter_simd;
#ifdef LETTER_SIMD_AVAILABLE
	const struct simd_sets *sets = &simd_sets[(lp->flags & (TEXT_DIGITS_FA | TEXT_DIGITS_ASCII)) != 0];
#endif
	size_t i = 0;
	while (i < n && lp->n + CHUNK_SLACK < lp->cap) {
		size_t run = i, lim = n;
		if (lim - i > lp->cap - CHUNK_SLACK - lp->n)
			lim = i + (lp->cap - CHUNK_SLACK - lp->n);
		if (run_may_start(lp)) {
			while (i < lim) {
#ifdef LETTER_SIMD_AVAILABLE
				if (simd && i + 33 <= lim) {
					/* the run so far (at most 16 bytes: a fixed-size copy, the
					 * output and the input have room), then the vector step */
					size_t k = i - run;
					if (k <= 16)
						memcpy(lp->p + lp->n, s + run, 16);
					else
						memcpy(lp->p + lp->n, s + run, k);
					lp->n += k;
					i = letter_blocks_avx2(u, i, lim, lp, sets, plain16);
					run = i;
				}
#endif
				while (!simd && i + 5 < lim) {
					unsigned adv = step_adv[step16[text_load16(u + i)] |
								step16[text_load16(u + i + 2)] << 2 |
								step16[text_load16(u + i + 4)] << 4];
					if (!adv)
						break;
					i += adv;
				}
				if (i + 3 < lim) {
					unsigned a = step16[text_load16(u + i)], b = step16[text_load16(u + i + 2)];
					if (a == STEP_CHAR && b != 0) {
						/* two characters, or one and a space after it (see below) */
						i += b == STEP_CHAR ? 4 : 3;
						continue;
					}
					/* a space before a letter */
					if (a == STEP_SPACE && space_plain(lp, u, run, i)) {
						i++;
						continue;
					}
				}
				/* a space after a two-byte Arabic character of the run (a byte D8-DB in the
				 * run is always such a character's first byte): space_plain holds */
				if (u[i] == ' ' && i >= run + 2 && (u[i - 2] & 0xFC) == 0xD8) {
					i++;
					continue;
				}
				if (i + 1 < lim) {
					if (plain16[text_load16(u + i)]) {
						i += 2;
						continue;
					}
					const char *persian = variant_letter(u + i);
					if (persian) {
						/* ي ى ك inside a run: their Persian letter, same length */
						memcpy(lp->p + lp->n, s + run, i - run);
						lp->n += i - run;
						memcpy(lp->p + lp->n, persian, 2);
						lp->n += 2;
						i += 2;
						run = i;
						continue;
					}
					if (zwnj_plain(lp, u, run, i, lim, plain16)) {
						i += ZWNJ_LEN + 2;
						continue;
					}
					if (punct_plain(lp, u, run, i, lim)) {
						i += 2;
						continue;
					}
				}
				unsigned char c = u[i];
				if (c >= 0x80)
					break;
				unsigned k = plain[c];
				/* . ! : ) go out as they are unless a space is before them (put drops it),
				 * : unless an Arabic-script character follows it (put may add a space) */
				if (k == PLAIN_YES || (k == PLAIN_SPACE && space_plain(lp, u, run, i)) ||
				    (k == PLAIN_CLOSE && tail_byte(lp, u, run, i, 1) != ' ' &&
				     !(c == ':' && (i + 1 >= lim || (u[i + 1] & 0xFC) == 0xD8)))) {
					i++;
					continue;
				}
				break;
			}
			memcpy(lp->p + lp->n, s + run, i - run);
			lp->n += i - run;
		}
		if (i >= lim)
			continue;
		uint32_t cp;
		bool bad = false;
		size_t len = utf8_decode(s + i, n - i, &cp, &bad);
		if (bad && (lp->flags & TEXT_STRICT_UTF8))
			return (size_t)-1;
		i += len;
		put_special(lp, cp);
	}
	return i;
}

/* after_last: one past the last byte c of s[from..to), or 0 when there is none. */
static size_t after_last(const char *s, size_t from, size_t to, char c)
{
	const char *p = memrchr(s + from, c, to - from);
	return p ? (size_t)(p - s) + 1 : 0;
}

/* chunk_end: where the chunk starting at pos should end: at most CHUNK_IN bytes, at a line
 * break or space when there is one, never inside a UTF-8 sequence. */
static size_t chunk_end(const char *s, size_t pos, size_t n)
{
	if (n - pos <= CHUNK_IN)
		return n;
	size_t lim = pos + CHUNK_IN;
	size_t k = after_last(s, pos + CHUNK_IN / 2, lim, '\n');
	if (!k)
		k = after_last(s, pos + CHUNK_IN / 2, lim, ' ');
	if (k)
		return k;
	while (lim > pos + 1 && ((unsigned char)s[lim] & 0xC0) == 0x80)
		lim--;
	return lim;
}

enum ch_status text_normalize(const char *s, size_t n, unsigned flags, struct buf *out)
{
	char tmp[CHUNK_OUT];
	struct lpass lp = { tmp, 0, sizeof tmp, false, flags & ~(unsigned)TEXT_STRICT_UTF8 };
	size_t pos = 0;
	if ((flags & TEXT_STRICT_UTF8) && !utf8_valid(s, n))
		return CH_ERR_INVALID;
	while (pos < n) {
		size_t end = chunk_end(s, pos, n);
		size_t used = letter_pass(s + pos, end - pos, &lp);
		enum ch_status st = zwnj_restore(tmp, lp.n, out);
		if (st != CH_OK)
			return st;
		pos += used;
		lp.n = 0;
	}
	return CH_OK;
}

enum ch_status text_digits_fa(struct buf *out, const char *s, size_t n)
{
	enum ch_status st = CH_OK;
	size_t i = 0;
	while (st == CH_OK && i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp, NULL);
		i += len;
		st = utf8_add(out, map_digit(cp, TEXT_DIGITS_FA));
	}
	return st;
}

bool text_letter_simd(bool use)
{
	pthread_once(&plain_once, plain_tabs_build);
#ifdef LETTER_SIMD_AVAILABLE
	letter_simd = use && __builtin_cpu_supports("avx2");
#else
	(void)use;
#endif
	return letter_simd;
}
