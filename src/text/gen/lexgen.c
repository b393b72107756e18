/*
 * lexgen.c — build-time tool (target chapar-lexgen, run by src/text/module.cmake): reads the
 * word table src/text/data/lexicon.tsv and writes it as C source: the open-addressing hash
 * table of struct lex_entry slots (lexicon.h) with every entry already in its slot, the two
 * Bloom filters, and the keys too long to sit inline in a slot. lexicon.c then looks words up
 * in constant data: no start-up indexing, and the pages of the table are read from the binary
 * only where lookups touch them.
 *
 * Usage: chapar-lexgen INPUT.tsv OUTPUT.c
 *
 * The insertion order and probing are those lookups expect (linear probing from
 * lex_hash & mask, entries inserted in file order, so of two lines with the same key the
 * first one is found).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/lexicon.h"

/* parse_entry: fill e from one "word<TAB>flags<TAB>offsets<TAB>freq" line at p (len bytes);
 * false on a malformed line (it is skipped). A key longer than LEX_INLINE_KEY gets key_off 0:
 * the caller places it. */
static bool parse_entry(const char *p, size_t len, struct lex_entry *e)
{
	const char *tab = memchr(p, '\t', len);
	if (!tab || tab == p || tab - p > 255)
		return false;
	memset(e, 0, sizeof *e);
	e->key_len = (uint8_t)(tab - p);
	if (e->key_len <= LEX_INLINE_KEY)
		memcpy(e->k.inline_key, p, e->key_len);
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

/* read_all: the whole file at path (NUL-terminated, *len bytes), or NULL. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *p = malloc(cap + 1);
	while (p) {
		n += fread(p + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *q = realloc(p, 2 * cap + 1);
		if (!q) {
			free(p);
			p = NULL;
			break;
		}
		p = q;
		cap *= 2;
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || !p) {
		free(p);
		return NULL;
	}
	p[n] = 0;
	*len = n;
	return p;
}

/* fingerprint: FNV-1a (64 bits) of the n bytes at p: the lexicon's identity, so that what
 * was computed with one lexicon (a search index's keys) can tell it was another. */
static uint64_t fingerprint(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
	return h;
}

/* The table under construction. */
struct gen {
	uint64_t fingerprint; /* of the whole input file */
	struct lex_entry *slots;
	const char **long_key; /* per slot: the key text of a long key (else NULL) */
	uint32_t mask;
	uint64_t zwnj_filter[LEX_BLOOM_WORDS];
	uint64_t compound_filter[LEX_BLOOM_WORDS];
	uint64_t end_filter[LEX_BLOOM_WORDS];
};

/* bloom_add: set the two bits of h in filter f (see lex_bloom_has). */
static void bloom_add(uint64_t *f, uint32_t h)
{
	f[lex_bloom_word(h)] |= lex_bloom_bits(h);
}

/* put: insert e (key text p) at its first free slot of the probe sequence. */
static void put(struct gen *g, const struct lex_entry *e, const char *p)
{
	uint32_t h = lex_hash(p, e->key_len);
	uint32_t i = h & g->mask;
	while (g->slots[i].key_len)
		i = (i + 1) & g->mask;
	g->slots[i] = *e;
	if (e->key_len > LEX_INLINE_KEY)
		g->long_key[i] = p;
	if (e->flags & LEX_ZWNJ)
		bloom_add(g->zwnj_filter, h);
	if (e->flags & LEX_LEFT_PART)
		bloom_add(g->compound_filter, h);
	/* every part after a ZWNJ of a compound: what a second word must be for the pair to
	 * join as this compound */
	if (e->flags & LEX_ZWNJ)
		for (unsigned z = 0; z < e->nzwnj; z++)
			bloom_add(g->end_filter, lex_hash(p + e->zwnj_at[z], e->key_len - e->zwnj_at[z]));
}

/* write_bytes: n bytes as a C initializer list. */
static void write_bytes(FILE *out, const unsigned char *b, size_t n)
{
	fputc('{', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%u", i ? "," : "", b[i]);
	fputc('}', out);
}

/* write_filter: one Bloom filter as a const array. */
static void write_filter(FILE *out, const char *name, const uint64_t *f)
{
	fprintf(out, "const uint64_t %s[LEX_BLOOM_WORDS] = {\n", name);
	for (size_t i = 0; i < LEX_BLOOM_WORDS; i++)
		fprintf(out, "0x%llxu,%s", (unsigned long long)f[i], i % 8 == 7 ? "\n" : "");
	fputs("};\n", out);
}

/* write_table: the generated C source. */
static bool write_table(const struct gen *g, const char *in_path, FILE *out)
{
	fprintf(out, "/* generated by chapar-lexgen from %s; do not edit */\n", in_path);
	fputs("#include \"text/lexicon.h\"\n\n", out);
	fprintf(out, "const uint64_t text_lex_fingerprint = 0x%016llxu;\n\n", (unsigned long long)g->fingerprint);
	/* the long keys first: one blob the slots point into */
	fputs("const char text_lex_long_keys[] = {\n", out);
	size_t off = 0;
	uint32_t *key_off = calloc((size_t)g->mask + 1, sizeof *key_off);
	if (!key_off)
		return false;
	for (size_t i = 0; i <= g->mask; i++) {
		if (!g->long_key[i])
			continue;
		key_off[i] = (uint32_t)off;
		for (size_t b = 0; b < g->slots[i].key_len; b++)
			fprintf(out, "%u,", (unsigned char)g->long_key[i][b]);
		fputc('\n', out);
		off += g->slots[i].key_len;
	}
	fputs("0};\n\n", out);
	fprintf(out, "const uint32_t text_lex_mask = %uu;\n", (unsigned)g->mask);
	fprintf(out, "const struct lex_entry text_lex_slots[%zu] = {\n", (size_t)g->mask + 1);
	for (size_t i = 0; i <= g->mask; i++) {
		const struct lex_entry *e = &g->slots[i];
		if (!e->key_len)
			continue;
		fprintf(out, "[%zu] = {", i);
		if (e->key_len <= LEX_INLINE_KEY) {
			fputs(".k.inline_key = ", out);
			write_bytes(out, (const unsigned char *)e->k.inline_key, e->key_len);
		} else {
			fprintf(out, ".k.key_off = %uu", (unsigned)key_off[i]);
		}
		fprintf(out, ", .flags = %u, .key_len = %u, .nzwnj = %u, .zwnj_at = ", e->flags,
			e->key_len, e->nzwnj);
		write_bytes(out, e->zwnj_at, LEX_MAX_ZWNJ);
		fprintf(out, ", .freq = %u},\n", e->freq);
	}
	fputs("};\n\n", out);
	free(key_off);
	fprintf(out, "const uint16_t text_lex_tags[%zu] = {\n", (size_t)g->mask + 1);
	for (size_t i = 0; i <= g->mask; i++) {
		const struct lex_entry *e = &g->slots[i];
		unsigned tag = 0;
		if (e->key_len)
			tag = lex_tag(lex_hash(e->key_len <= LEX_INLINE_KEY ? e->k.inline_key
									     : g->long_key[i],
					       e->key_len));
		fprintf(out, "%u,%s", tag, i % 16 == 15 ? "\n" : "");
	}
	fputs("};\n\n", out);
	write_filter(out, "text_lex_zwnj_filter", g->zwnj_filter);
	write_filter(out, "text_lex_compound_filter", g->compound_filter);
	write_filter(out, "text_lex_end_filter", g->end_filter);
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s INPUT.tsv OUTPUT.c\n", argv[0]);
		return 2;
	}
	size_t len;
	char *text = read_all(argv[1], &len);
	if (!text) {
		perror(argv[1]);
		return 1;
	}
	/* slots for the lines at a load of at most one half */
	size_t lines = 0, cap = 1024;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	while (cap < (lines + 1) * 2)
		cap *= 2;
	static struct gen g;
	g.slots = calloc(cap, sizeof *g.slots);
	g.long_key = calloc(cap, sizeof *g.long_key);
	g.mask = (uint32_t)(cap - 1);
	g.fingerprint = fingerprint(text, len);
	if (!g.slots || !g.long_key) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct lex_entry e;
		if (n > 0 && p[0] != '#' && parse_entry(p, n, &e))
			put(&g, &e, p);
		p += n + 1;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	bool ok = write_table(&g, argv[1], out);
	if (fclose(out) != 0 || !ok) {
		fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
		remove(argv[2]);
		return 1;
	}
	free(g.slots);
	free(g.long_key);
	free(text);
	return 0;
}
