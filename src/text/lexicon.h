/*
 * lexicon.h — the compiled-in Persian word table (src/text/data/lexicon.tsv, derived by
 * gen/make_lexicon.py from the Hazm and Shekar lists): for a word spelled without ZWNJ, its
 * flags and where its ZWNJs go. Internal to src/text. The hash table and its Bloom filters
 * are built at compile time (gen/lexgen.c writes them as constant C data), so there is no
 * start-up work; lookups allocate nothing and are thread-safe.
 */
#ifndef CHAPAR_TEXT_LEXICON_H
#define CHAPAR_TEXT_LEXICON_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum lex_flag {
	LEX_WORD = 1,      /* a lexical word: the affix rules must not split it */
	LEX_ADJ = 2,       /* adjective: takes تر / ترین */
	LEX_NOUN = 4,      /* noun */
	LEX_VERB_FORM = 8, /* verb form without prefix: می / نمی + it is a verb */
	LEX_ZWNJ = 16,     /* the word takes ZWNJs at zwnj_at[] */
	LEX_FREQ_SHIFT = 5, /* bits 5-7: frequency class 0-7 of a lexical word */
	LEX_LEFT_PART = 256, /* the part before a ZWNJ of some compound in the lexicon */
	LEX_PRODUCTIVE = 1024, /* ends many compounds (گذاری, بندی, نامه) */
	LEX_ALWAYS_JOIN = 2048, /* a compound joined even when written as two words (سه‌شنبه) */
};

enum { LEX_MAX_ZWNJ = 6 };

enum { LEX_INLINE_KEY = 20 };

/* One slot of the table: 32 bytes, the key inline when it fits (nearly all words), so a
 * lookup touches one cache line. */
struct lex_entry {
	union {
		char inline_key[LEX_INLINE_KEY]; /* key_len <= LEX_INLINE_KEY */
		uint32_t key_off;                /* else: offset in the embedded table */
	} k;
	uint16_t flags;    /* enum lex_flag */
	uint8_t key_len;   /* 0 = empty slot */
	uint8_t nzwnj;     /* entries used in zwnj_at */
	uint8_t zwnj_at[LEX_MAX_ZWNJ]; /* byte offsets in the joined key, ascending */
	uint8_t freq;      /* corpus frequency: bits of the count (0-31), 0 when unknown */
	uint8_t pad;
};

/* lex_lookup: the entry for the joined word w (n bytes), or NULL. */
const struct lex_entry *lex_lookup(const char *w, size_t n);

/* lex_load64 / lex_load32: unaligned little-endian loads. */
static inline uint64_t lex_load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t lex_load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* lex_hash: the hash of a short byte string that the table (slot lex_hash & mask, linear
 * probing) and the filters take, eight bytes at a time (multiply-xorshift mixing). The tail
 * is read with fixed-size loads that overlap bytes already mixed (never a variable-length
 * copy, which stalls on store forwarding). Inline: it runs once per word. */
static inline uint32_t lex_hash(const char *w, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	uint64_t v;
	if (n >= 8) {
		const char *end = w + n;
		while (end - w > 8) {
			h = (h ^ lex_load64(w)) * 0xFF51AFD7ED558CCDull;
			h ^= h >> 29;
			w += 8;
		}
		v = lex_load64(end - 8);
	} else if (n >= 4) {
		v = lex_load32(w) | lex_load32(w + n - 4) << 32;
	} else {
		v = 0;
		for (size_t i = 0; i < n; i++)
			v |= (uint64_t)(unsigned char)w[i] << (8 * i);
	}
	h = (h ^ v) * 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* lex_tag: the tag of a key with hash h: bits the slot index (h & mask, at most 17 bits)
 * leaves, never 0. */
static inline uint16_t lex_tag(uint32_t h)
{
	return (uint16_t)(h >> 17 | 0x8000);
}

/* The Bloom filters: LEX_BLOOM_WORDS 64-bit words; a key sets two bits of one word chosen by
 * its hash (a blocked filter: one memory access per test). */
enum { LEX_BLOOM_WORDS = (1 << 18) / 64 };

/* lex_bloom_word / lex_bloom_bits: the word and the two bits of hash h. */
static inline uint32_t lex_bloom_word(uint32_t h)
{
	return (h >> 12) & (LEX_BLOOM_WORDS - 1);
}

static inline uint64_t lex_bloom_bits(uint32_t h)
{
	return 1ull << (h & 63) | 1ull << (h >> 6 & 63);
}

/* The generated table (gen/lexgen.c): text_lex_mask + 1 slots, key_len 0 = empty; keys
 * longer than LEX_INLINE_KEY at k.key_off in text_lex_long_keys. text_lex_tags holds a tag
 * per slot (0 = empty, else lex_tag of the key's hash): a probe reads the 2-byte tag array
 * (small enough to stay in cache) and touches a 32-byte slot only when the tag matches. */
extern const struct lex_entry text_lex_slots[];
/* FNV-1a of the whole lexicon.tsv the table was made from: changes with any entry */
extern const uint64_t text_lex_fingerprint;
extern const uint16_t text_lex_tags[];
extern const uint32_t text_lex_mask;
extern const char text_lex_long_keys[];
extern const uint64_t text_lex_zwnj_filter[LEX_BLOOM_WORDS];
extern const uint64_t text_lex_compound_filter[LEX_BLOOM_WORDS];
/* the parts after each ZWNJ of the LEX_ZWNJ entries (the compound's key from that offset) */
extern const uint64_t text_lex_end_filter[LEX_BLOOM_WORDS];
/* lex_lookup_hashed: lex_lookup with the hash already computed. */
const struct lex_entry *lex_lookup_hashed(uint32_t h, const char *w, size_t n);
/* lex_may_take_zwnj / lex_may_start_compound: quick filters (Bloom bitsets that stay in
 * cache): false means the word surely has no LEX_ZWNJ / LEX_LEFT_PART entry; true means it
 * may (look it up). */
static inline bool lex_may_take_zwnj(uint32_t h)
{
	uint64_t bits = lex_bloom_bits(h);
	return (text_lex_zwnj_filter[lex_bloom_word(h)] & bits) == bits;
}

static inline bool lex_may_start_compound(uint32_t h)
{
	uint64_t bits = lex_bloom_bits(h);
	return (text_lex_compound_filter[lex_bloom_word(h)] & bits) == bits;
}

/* lex_may_end_compound: false means no LEX_ZWNJ entry has a ZWNJ before a tail whose hash
 * is h (a word with this hash never ends a compound of the lexicon). */
static inline bool lex_may_end_compound(uint32_t h)
{
	uint64_t bits = lex_bloom_bits(h);
	return (text_lex_end_filter[lex_bloom_word(h)] & bits) == bits;
}

/* lex_flags: the flags of w, 0 when unknown. */
unsigned lex_flags(const char *w, size_t n);

/* lex_freq: the corpus frequency of w (bits of its count, 0-31), 0 when unknown. */
unsigned lex_freq(const char *w, size_t n);

#endif
