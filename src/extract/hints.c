/*
 * hints.c — the class/id hint table and the boilerplate phrase table, parsed once from the
 * data files compiled into the library (data/class-hints.txt, data/phrases.txt), and the
 * folding that makes phrase comparison blind to spacing, ZWNJ, punctuation and the Arabic and
 * Persian letter variants.
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

extern const unsigned char extract_data_class_hints[];
extern const size_t extract_data_class_hints_len;
extern const unsigned char extract_data_phrases[];
extern const size_t extract_data_phrases_len;

/* The Persian confusables the folding treats specially, by name (STYLE.md: never invisible
 * literals). */
enum {
	CP_ARABIC_YEH = 0x064A,
	CP_ALEF_MAKSURA = 0x0649,
	CP_FARSI_YEH = 0x06CC,
	CP_ARABIC_KAF = 0x0643,
	CP_KEHEH = 0x06A9,
	CP_TEH_MARBUTA = 0x0629,
	CP_HEH = 0x0647,
	CP_HEH_YEH_ABOVE = 0x06C0,
	CP_TATWEEL = 0x0640,
	CP_ZWNJ = 0x200C,
	CP_HARAKAT_FIRST = 0x064B,
	CP_HARAKAT_LAST = 0x065F,
	CP_SUPERSCRIPT_ALEF = 0x0670,
	CP_ARABIC_LETTERS_FIRST = 0x0620,
	CP_ARABIC_LETTERS_LAST = 0x06D3,
};

#define MAX_ENTRIES 512

struct entry {
	const char *s; /* lower-cased pattern or folded phrase, NUL-terminated, static for life */
	size_t n;
	bool whole_token;
};

struct table {
	struct entry e[MAX_ENTRIES];
	size_t count;
	uint16_t start[257]; /* entries with first byte c are e[start[c]] .. e[start[c + 1] - 1] */
	/* pairs[c]: bit b & 63 set when some entry begins with the bytes c, b (every bit for an
	 * entry of the one byte c; none when no entry begins with c) */
	uint64_t pairs[256];
};

static struct table hint_tables[HINT_KIND_COUNT];
static struct table phrase_tables[PHRASE_KIND_COUNT];
static struct buf storage; /* owns every string of the tables; never released */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* fold_cp: the folded form of a code point: 0 when it is dropped, else the letter to keep. */
static uint32_t fold_cp(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return cp + 32;
		return (cp >= 'a' && cp <= 'z') ? cp : 0;
	}
	switch (cp) {
	case CP_ARABIC_YEH:
	case CP_ALEF_MAKSURA:
		return CP_FARSI_YEH;
	case CP_ARABIC_KAF:
		return CP_KEHEH;
	case CP_TEH_MARBUTA:
	case CP_HEH_YEH_ABOVE:
		return CP_HEH;
	case CP_TATWEEL:
	case CP_ZWNJ:
	case CP_SUPERSCRIPT_ALEF:
		return 0;
	}
	if (cp >= CP_HARAKAT_FIRST && cp <= CP_HARAKAT_LAST)
		return 0;
	if (cp >= 0x0660 && cp <= 0x0669) /* Arabic-Indic digits */
		return 0;
	if (cp >= 0x06F0 && cp <= 0x06F9) /* Persian digits */
		return 0;
	if (cp >= CP_ARABIC_LETTERS_FIRST && cp <= CP_ARABIC_LETTERS_LAST)
		return cp;
	if (cp >= 0x00C0 && cp < 0x0250) /* Latin letters with accents: kept as they are */
		return cp;
	return 0; /* punctuation, spaces, symbols */
}

/* fold_cp for every code point below U+0800 (ASCII, Latin, Arabic: what folded text is made
 * of), filled once. */
static uint16_t fold_table[0x800];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

/* fill_fold_table: the pthread_once body of fold_table. */
static void fill_fold_table(void)
{
	for (uint32_t cp = 0; cp < 0x800; cp++)
		fold_table[cp] = (uint16_t)fold_cp(cp);
}

/* fold_in_place: fold_key's work written straight into out when it has room for n more bytes
 * (a folded letter never takes more bytes than the letter it comes from); false when it has
 * not, and then nothing is written. */
static bool fold_in_place(struct buf *out, const char *s, size_t n)
{
	if (buf_grow(out, n) != CH_OK)
		return false;
	pthread_once(&fold_once, fill_fold_table);
	unsigned char *o = (unsigned char *)out->p + out->n;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		uint32_t c = *p, f;
		if (c < 0x80) {
			f = fold_table[c];
			p++;
		} else if (c >= 0xC2 && c < 0xE0 && end - p > 1 && (p[1] & 0xC0) == 0x80) {
			f = fold_table[((c & 0x1F) << 6) | (p[1] & 0x3Fu)];
			p += 2;
		} else {
			uint32_t cp;
			p += utf8_decode((const char *)p, (size_t)(end - p), &cp, NULL);
			f = fold_cp(cp);
		}
		if (!f)
			continue;
		if (f < 0x80) {
			*o++ = (unsigned char)f;
		} else if (f < 0x800) {
			*o++ = (unsigned char)(0xC0 | (f >> 6));
			*o++ = (unsigned char)(0x80 | (f & 0x3F));
		} else {
			o += utf8_encode(f, (char *)o);
		}
	}
	out->n = (size_t)((char *)o - out->p);
	out->p[out->n] = '\0';
	return true;
}

enum ch_status fold_key(struct buf *out, const char *s, size_t n)
{
	if (fold_in_place(out, s, n))
		return CH_OK;
	/* folded letters gather in a small chunk appended a few hundred bytes at a time, and the
	 * two-byte sequences Persian text is made of are decoded here: this runs over every
	 * paragraph of every article */
	char chunk[512];
	size_t used = 0;
	enum ch_status st = CH_OK;
	for (size_t i = 0; i < n && st == CH_OK;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		if (c < 0x80) {
			cp = c;
			i++;
		} else if (c >= 0xC2 && c < 0xE0 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
			cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
			i += 2;
		} else {
			i += utf8_decode(s + i, n - i, &cp, NULL);
		}
		uint32_t f = fold_cp(cp);
		if (!f)
			continue;
		if (used > sizeof chunk - 4) {
			st = buf_add(out, chunk, used);
			used = 0;
		}
		used += utf8_encode(f, chunk + used);
	}
	if (st == CH_OK && used)
		st = buf_add(out, chunk, used);
	return st;
}

/* add_entry: store one pattern (already in its final form) into table t. */
static void add_entry(struct table *t, const char *s, size_t n, bool whole)
{
	if (n == 0 || t->count >= MAX_ENTRIES)
		return;
	size_t at = storage.n;
	if (buf_add(&storage, s, n) != CH_OK || buf_addc(&storage, '\0') != CH_OK)
		return;
	/* offsets now, pointers after the storage stops growing (see fix_pointers) */
	t->e[t->count++] = (struct entry){ (const char *)(uintptr_t)at, n, whole };
}

/* section_index: the index of "[name]" among names, or -1. */
static int section_index(const char *line, size_t n, const char *const *names, int count)
{
	for (int k = 0; k < count; k++) {
		size_t m = strlen(names[k]);
		if (n == m + 2 && line[0] == '[' && memcmp(line + 1, names[k], m) == 0)
			return k;
	}
	return -1;
}

/* load: parse one data file into tables (count of them, section names given); phrases are
 * folded, hints lower-cased. */
static void load(const unsigned char *data, size_t len, struct table *tables,
		 const char *const *names, int count, bool fold)
{
	int current = -1;
	const char *p = (const char *)data, *end = p + len;
	struct buf tmp;
	buf_init(&tmp, 4096);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct slice line = slice_trim((struct slice){ p, (size_t)((nl ? nl : end) - p) });
		p = nl ? nl + 1 : end;
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (line.p[0] == '[') {
			current = section_index(line.p, line.n, names, count);
			continue;
		}
		if (current < 0)
			continue;
		bool whole = line.p[0] == '=';
		buf_reset(&tmp);
		if (fold)
			fold_key(&tmp, line.p, line.n);
		else
			buf_add(&tmp, line.p + whole, line.n - whole);
		add_entry(&tables[current], tmp.p ? tmp.p : "", tmp.n, whole);
	}
	buf_release(&tmp);
}

/* fix_pointers: turn the stored offsets of every entry into pointers into storage. */
static void fix_pointers(struct table *tables, int count)
{
	for (int k = 0; k < count; k++)
		for (size_t i = 0; i < tables[k].count; i++)
			tables[k].e[i].s = storage.p + (uintptr_t)tables[k].e[i].s;
}

/* cmp_entry: order entries by their first byte (then anything). */
static int cmp_entry(const void *a, const void *b)
{
	return (int)(unsigned char)((const struct entry *)a)->s[0] -
	       (int)(unsigned char)((const struct entry *)b)->s[0];
}

/* index_table: sort t's entries by first byte and fill t->start. */
static void index_table(struct table *t)
{
	qsort(t->e, t->count, sizeof *t->e, cmp_entry);
	size_t i = 0;
	for (int c = 0; c <= 256; c++) {
		while (i < t->count && (unsigned char)t->e[i].s[0] < c)
			i++;
		t->start[c] = (uint16_t)i;
	}
	memset(t->pairs, 0, sizeof t->pairs);
	for (size_t k = 0; k < t->count; k++) {
		const struct entry *e = &t->e[k];
		t->pairs[(unsigned char)e->s[0]] |= e->n > 1 ? (uint64_t)1 << ((unsigned char)e->s[1] & 63) : ~(uint64_t)0;
	}
}

/* load_all: the pthread_once body. */
static void load_all(void)
{
	static const char *const hint_names[] = { "unlikely", "maybe", "positive", "negative", "content" };
	static const char *const phrase_names[] = { "box", "line", "source" };
	buf_init(&storage, 1 << 20);
	load(extract_data_class_hints, extract_data_class_hints_len, hint_tables, hint_names,
	     HINT_KIND_COUNT, false);
	load(extract_data_phrases, extract_data_phrases_len, phrase_tables, phrase_names,
	     PHRASE_KIND_COUNT, true);
	fix_pointers(hint_tables, HINT_KIND_COUNT);
	fix_pointers(phrase_tables, PHRASE_KIND_COUNT);
	for (int k = 0; k < HINT_KIND_COUNT; k++)
		index_table(&hint_tables[k]);
}

/* is_token_char: characters that continue a class or id token. */
static bool is_token_char(char c)
{
	return c != ' ' && c != '\t' && c != '\n' && c != '\0';
}

bool hint_match(enum hint_kind kind, const char *s, size_t n)
{
	pthread_once(&once, load_all);
	const struct table *t = &hint_tables[kind];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* most positions begin no entry: ruled out by their first two bytes at once */
		if (i + 1 < n && !(t->pairs[c] >> ((unsigned char)s[i + 1] & 63) & 1))
			continue;
		for (size_t k = t->start[c]; k < t->start[c + 1]; k++) {
			const struct entry *e = &t->e[k];
			/* the first byte matches (the index); the second rules out most entries
			 * without a call */
			if (e->n > n - i || (e->n > 1 && s[i + 1] != e->s[1]) || memcmp(s + i, e->s, e->n) != 0)
				continue;
			if (!e->whole_token)
				return true;
			bool left = i == 0 || !is_token_char(s[i - 1]);
			bool right = i + e->n == n || !is_token_char(s[i + e->n]);
			if (left && right)
				return true;
		}
	}
	return false;
}

bool phrase_match(enum phrase_kind kind, const char *t, size_t n, size_t *tail_at)
{
	pthread_once(&once, load_all);
	const struct table *tab = &phrase_tables[kind];
	for (size_t i = 0; i < tab->count; i++) {
		const struct entry *e = &tab->e[i];
		if (n == e->n && memcmp(t, e->s, n) == 0) {
			if (tail_at)
				*tail_at = n;
			return true;
		}
	}
	return false;
}
