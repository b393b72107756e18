/*
 * lexicon.h — the compiled-in Persian word table (src/text/data/lexicon.tsv, derived by
 * gen/make_lexicon.py from the Hazm and Shekar lists): for a word spelled without ZWNJ, its
 * flags and where its ZWNJs go. Internal to src/text. Built once on first use (thread-safe),
 * never freed; lookups allocate nothing.
 */
#ifndef CHAPAR_TEXT_LEXICON_H
#define CHAPAR_TEXT_LEXICON_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

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
	uint8_t pad[2];
};

/* lex_lookup: the entry for the joined word w (n bytes), or NULL. */
const struct lex_entry *lex_lookup(const char *w, size_t n);

/* lex_hash: the hash lex_lookup_hashed and the filters take. */
uint32_t lex_hash(const char *w, size_t n);
/* lex_lookup_hashed: lex_lookup with the hash already computed. */
const struct lex_entry *lex_lookup_hashed(uint32_t h, const char *w, size_t n);
/* lex_may_take_zwnj / lex_may_start_compound: quick filters (Bloom bitsets that stay in
 * cache): false means the word surely has no LEX_ZWNJ / LEX_LEFT_PART entry; true means it
 * may (look it up). */
bool lex_may_take_zwnj(uint32_t h);
bool lex_may_start_compound(uint32_t h);

/* lex_flags: the flags of w, 0 when unknown. */
unsigned lex_flags(const char *w, size_t n);

#endif
