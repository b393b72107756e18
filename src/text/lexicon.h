/*
 * lexicon.h — the compiled-in Persian word table (src/text/data/lexicon.tsv, derived by
 * gen/make_lexicon.py from the Hazm and Shekar lists): for a word spelled without ZWNJ, its
 * flags and where its ZWNJs go. Internal to src/text. Built once on first use (thread-safe),
 * never freed; lookups allocate nothing.
 */
#ifndef CHAPAR_TEXT_LEXICON_H
#define CHAPAR_TEXT_LEXICON_H

#include <stddef.h>
#include <stdint.h>

enum lex_flag {
	LEX_WORD = 1,      /* a lexical word: the affix rules must not split it */
	LEX_ADJ = 2,       /* adjective: takes تر / ترین */
	LEX_NOUN = 4,      /* noun */
	LEX_VERB_FORM = 8, /* verb form without prefix: می / نمی + it is a verb */
	LEX_ZWNJ = 16,     /* the word takes ZWNJs at zwnj_at[] */
	LEX_FREQ_SHIFT = 5, /* bits 5-7: frequency class 0-7 of a lexical word */
};

enum { LEX_MAX_ZWNJ = 6 };

struct lex_entry {
	uint32_t key_off;  /* into the embedded table */
	uint8_t key_len;
	uint8_t flags;     /* enum lex_flag */
	uint8_t nzwnj;     /* entries used in zwnj_at */
	uint8_t zwnj_at[LEX_MAX_ZWNJ]; /* byte offsets in the joined key, ascending */
};

/* lex_lookup: the entry for the joined word w (n bytes), or NULL. */
const struct lex_entry *lex_lookup(const char *w, size_t n);

/* lex_flags: the flags of w, 0 when unknown. */
unsigned lex_flags(const char *w, size_t n);

#endif
