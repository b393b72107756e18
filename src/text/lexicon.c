/*
 * lexicon.c — lookups in the lexicon's open-addressing hash table, which gen/lexgen.c builds
 * at compile time from src/text/data/lexicon.tsv (constant data: nothing is indexed at start-up
 * and nothing is allocated). A lookup is one hash of the word and, nearly always, one slot
 * probe and one key compare.
 */
#include <stdbool.h>
#include <string.h>

#include "text/lexicon.h"

/* same_key: the n bytes at a and b are equal (short keys: no library call). */
static bool same_key(const char *a, const char *b, size_t n)
{
	while (n >= 8) {
		if (lex_load64(a) != lex_load64(b))
			return false;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

/* entry_key: the key bytes of a used slot. */
static const char *entry_key(const struct lex_entry *e)
{
	return e->key_len <= LEX_INLINE_KEY ? e->k.inline_key : text_lex_long_keys + e->k.key_off;
}

const struct lex_entry *lex_lookup_hashed(uint32_t h, const char *w, size_t n)
{
	if (n == 0 || n > 255)
		return NULL;
	uint32_t i = h & text_lex_mask;
	uint16_t tag = lex_tag(h);
	for (;;) {
		uint16_t t = text_lex_tags[i];
		if (!t)
			return NULL;
		if (t == tag) {
			const struct lex_entry *e = &text_lex_slots[i];
			if (e->key_len == n && same_key(entry_key(e), w, n))
				return e;
		}
		i = (i + 1) & text_lex_mask;
	}
}

const struct lex_entry *lex_lookup(const char *w, size_t n)
{
	return lex_lookup_hashed(lex_hash(w, n), w, n);
}

unsigned lex_freq(const char *w, size_t n)
{
	const struct lex_entry *e = lex_lookup(w, n);
	return e ? e->freq : 0;
}

unsigned lex_flags(const char *w, size_t n)
{
	const struct lex_entry *e = lex_lookup(w, n);
	return e ? e->flags : 0;
}
