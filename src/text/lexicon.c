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

/* The lexicon (open addressing, linear probing), and two Bloom filters (two bits per key,
 * taken from the word hash) that let most words skip the table. */
struct table {
	struct lex_entry *slots;
	uint32_t mask;
};
enum { BLOOM_BITS = 1 << 18 };

static struct {
	struct table all;
	uint64_t zwnj_filter[BLOOM_BITS / 64];     /* keys with LEX_ZWNJ */
	uint64_t compound_filter[BLOOM_BITS / 64]; /* keys with LEX_LEFT_PART */
} lex;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

/* load64 / load32: unaligned little-endian loads. */
static inline uint64_t load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* word_hash: a fast 32-bit hash of a short byte string, eight bytes at a time
 * (multiply-xorshift mixing). The tail is read with fixed-size loads that overlap bytes
 * already mixed (never a variable-length copy, which stalls on store forwarding). */
static uint32_t word_hash(const char *w, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	uint64_t v;
	if (n >= 8) {
		const char *end = w + n;
		while (end - w > 8) {
			h = (h ^ load64(w)) * 0xFF51AFD7ED558CCDull;
			h ^= h >> 29;
			w += 8;
		}
		v = load64(end - 8);
	} else if (n >= 4) {
		v = load32(w) | load32(w + n - 4) << 32;
	} else {
		v = 0;
		for (size_t i = 0; i < n; i++)
			v |= (uint64_t)(unsigned char)w[i] << (8 * i);
	}
	h = (h ^ v) * 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* same_key: the n bytes at a and b are equal (short keys: no library call). */
static bool same_key(const char *a, const char *b, size_t n)
{
	while (n >= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
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
	return e->key_len <= LEX_INLINE_KEY ? e->k.inline_key
					    : (const char *)text_lexicon_data + e->k.key_off;
}

/* parse_entry: fill e from one "word<TAB>flags<TAB>offsets" line at p (len bytes); false on a
 * malformed line (it is skipped). */
static bool parse_entry(const char *base, const char *p, size_t len, struct lex_entry *e)
{
	const char *tab = memchr(p, '\t', len);
	if (!tab || tab == p || tab - p > 255)
		return false;
	memset(e, 0, sizeof *e);
	e->key_len = (uint8_t)(tab - p);
	if (e->key_len <= LEX_INLINE_KEY)
		memcpy(e->k.inline_key, p, e->key_len);
	else
		e->k.key_off = (uint32_t)(p - base);
	const char *q = tab + 1, *end = p + len;
	unsigned flags = 0;
	while (q < end && *q >= '0' && *q <= '9')
		flags = flags * 10 + (unsigned)(*q++ - '0');
	e->flags = (uint16_t)flags;
	if (q < end && *q == '\t')
		q++;
	while (q < end && *q != '\t' && e->nzwnj < LEX_MAX_ZWNJ) {
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
	while (q < end && *q != '\t')
		q++;
	if (q < end && *q == '\t') {
		unsigned freq = 0;
		for (q++; q < end && *q >= '0' && *q <= '9'; q++)
			freq = freq * 10 + (unsigned)(*q - '0');
		e->freq = (uint8_t)(freq > 31 ? 31 : freq);
	}
	if (e->nzwnj == 0)
		e->flags &= (uint16_t)~LEX_ZWNJ;
	return true;
}

/* table_init: slots for n entries at a load of at most one half; false when out of memory. */
static bool table_init(struct table *t, size_t n)
{
	size_t cap = 1024;
	while (cap < n * 2)
		cap *= 2;
	t->slots = calloc(cap, sizeof *t->slots);
	t->mask = (uint32_t)(cap - 1);
	return t->slots != NULL;
}

/* table_put: insert e (its key is not in t yet). */
static void table_put(struct table *t, const struct lex_entry *e)
{
	uint32_t i = word_hash(entry_key(e), e->key_len) & t->mask;
	while (t->slots[i].key_len)
		i = (i + 1) & t->mask;
	t->slots[i] = *e;
}

/* table_get: the entry for w in t, or NULL. */
static const struct lex_entry *table_get(const struct table *t, uint32_t h, const char *w, size_t n)
{
	uint32_t i = h & t->mask;
	for (;;) {
		const struct lex_entry *e = &t->slots[i];
		if (!e->key_len)
			return NULL;
		if (e->key_len == n && same_key(entry_key(e), w, n))
			return e;
		i = (i + 1) & t->mask;
	}
}

/* bloom_add / bloom_has: two bits of a filter chosen by the hash, both in the same 64-bit
 * word (a blocked filter: one memory access per test). */
static void bloom_add(uint64_t *f, uint32_t h)
{
	uint32_t word = (h >> 12) & (BLOOM_BITS / 64 - 1);
	f[word] |= 1ull << (h & 63) | 1ull << (h >> 6 & 63);
}

static bool bloom_has(const uint64_t *f, uint32_t h)
{
	uint32_t word = (h >> 12) & (BLOOM_BITS / 64 - 1);
	uint64_t bits = 1ull << (h & 63) | 1ull << (h >> 6 & 63);
	return (f[word] & bits) == bits;
}

/* build: index the embedded table (once). On allocation failure the table stays empty and
 * every lookup misses: normalization then only does the letter-level repairs. */
static void build(void)
{
	const char *base = (const char *)text_lexicon_data;
	size_t len = text_lexicon_data_len, lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += base[i] == '\n';
	if (!table_init(&lex.all, lines + 1))
		return;
	const char *p = base, *end = base + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct lex_entry e;
		if (n > 0 && p[0] != '#' && parse_entry(base, p, n, &e)) {
			table_put(&lex.all, &e);
			uint32_t h = word_hash(p, e.key_len);
			if (e.flags & LEX_ZWNJ)
				bloom_add(lex.zwnj_filter, h);
			if (e.flags & LEX_LEFT_PART)
				bloom_add(lex.compound_filter, h);
		}
		p += n + 1;
	}
}

uint32_t lex_hash(const char *w, size_t n)
{
	return word_hash(w, n);
}

const struct lex_entry *lex_lookup_hashed(uint32_t h, const char *w, size_t n)
{
	pthread_once(&lex_once, build);
	if (!lex.all.slots || n == 0 || n > 255)
		return NULL;
	return table_get(&lex.all, h, w, n);
}

const struct lex_entry *lex_lookup(const char *w, size_t n)
{
	return lex_lookup_hashed(word_hash(w, n), w, n);
}

bool lex_may_take_zwnj(uint32_t h)
{
	pthread_once(&lex_once, build);
	return bloom_has(lex.zwnj_filter, h);
}

bool lex_may_start_compound(uint32_t h)
{
	pthread_once(&lex_once, build);
	return bloom_has(lex.compound_filter, h);
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
