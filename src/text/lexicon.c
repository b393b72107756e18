/*
 * lexicon.c — the open-addressing hash table over the embedded lexicon. The table text stays
 * where the linker put it (keys point into it); the index is built on first use: one entry
 * array and a power-of-two slot array of {hash, entry} pairs, so a lookup is one hash of the
 * word and, nearly always, one slot probe and one memcmp.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text/lexicon.h"

extern const unsigned char text_lexicon_data[];
extern const size_t text_lexicon_data_len;

struct slot {
	uint32_t hash;
	uint32_t entry; /* index + 1; 0 = empty */
};

static struct {
	struct lex_entry *entries;
	size_t n;
	struct slot *slots;
	uint32_t mask;
} lex;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

/* word_hash: a fast 32-bit hash of a short byte string (FNV-1a variant, 32-bit). */
static uint32_t word_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h ^ (h >> 15);
}

/* parse_entry: fill e from one "word<TAB>flags<TAB>offsets" line at p (len bytes); false on a
 * malformed line (it is skipped). */
static bool parse_entry(const char *base, const char *p, size_t len, struct lex_entry *e)
{
	const char *tab = memchr(p, '\t', len);
	if (!tab || tab == p || tab - p > 255)
		return false;
	memset(e, 0, sizeof *e);
	e->key_off = (uint32_t)(p - base);
	e->key_len = (uint8_t)(tab - p);
	const char *q = tab + 1, *end = p + len;
	unsigned flags = 0;
	while (q < end && *q >= '0' && *q <= '9')
		flags = flags * 10 + (unsigned)(*q++ - '0');
	e->flags = (uint8_t)flags;
	if (q < end && *q == '\t')
		q++;
	while (q < end && e->nzwnj < LEX_MAX_ZWNJ) {
		unsigned off = 0;
		while (q < end && *q >= '0' && *q <= '9')
			off = off * 10 + (unsigned)(*q++ - '0');
		if (off > 0 && off < e->key_len)
			e->zwnj_at[e->nzwnj++] = (uint8_t)off;
		if (q < end && *q == ',')
			q++;
		else
			break;
	}
	if (e->nzwnj == 0)
		e->flags &= (uint8_t)~LEX_ZWNJ;
	return true;
}

/* build: index the embedded table (once). On allocation failure the table stays empty and
 * every lookup misses: normalization then only does the letter-level repairs. */
static void build(void)
{
	const char *base = (const char *)text_lexicon_data;
	size_t len = text_lexicon_data_len, lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += base[i] == '\n';
	lex.entries = malloc((lines + 1) * sizeof *lex.entries);
	size_t cap = 1024;
	while (cap < (lines + 1) * 2)
		cap *= 2;
	lex.slots = calloc(cap, sizeof *lex.slots);
	if (!lex.entries || !lex.slots) {
		free(lex.entries);
		free(lex.slots);
		lex.entries = NULL;
		lex.slots = NULL;
		return;
	}
	lex.mask = (uint32_t)(cap - 1);
	const char *p = base, *end = base + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct lex_entry *e = &lex.entries[lex.n];
		if (n > 0 && p[0] != '#' && parse_entry(base, p, n, e)) {
			uint32_t h = word_hash(p, e->key_len), i = h & lex.mask;
			while (lex.slots[i].entry)
				i = (i + 1) & lex.mask;
			lex.slots[i].hash = h;
			lex.slots[i].entry = (uint32_t)++lex.n;
		}
		p += n + 1;
	}
}

const struct lex_entry *lex_lookup(const char *w, size_t n)
{
	pthread_once(&lex_once, build);
	if (!lex.slots || n == 0 || n > 255)
		return NULL;
	uint32_t h = word_hash(w, n), i = h & lex.mask;
	const char *base = (const char *)text_lexicon_data;
	for (;;) {
		const struct slot *s = &lex.slots[i];
		if (!s->entry)
			return NULL;
		if (s->hash == h) {
			const struct lex_entry *e = &lex.entries[s->entry - 1];
			if (e->key_len == n && memcmp(base + e->key_off, w, n) == 0)
				return e;
		}
		i = (i + 1) & lex.mask;
	}
}

unsigned lex_flags(const char *w, size_t n)
{
	const struct lex_entry *e = lex_lookup(w, n);
	return e ? e->flags : 0;
}
