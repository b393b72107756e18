/*
 * charclass.h — classes of the characters the normalizer and folder care about, from one
 * 256-entry table over U+0600–U+06FF plus a few ranges. Internal to src/text.
 */
#ifndef CHAPAR_TEXT_CHARCLASS_H
#define CHAPAR_TEXT_CHARCLASS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum char_class_bits {
	CC_LETTER = 1,  /* Arabic-script letter */
	CC_JOINS = 2,   /* letter that joins to the following letter */
	CC_MARK = 4,    /* combining mark (harakat, hamza above, superscript alef) */
	CC_DIGIT = 8,   /* Arabic-Indic or Persian digit */
};

extern const uint8_t text_arabic_class[256];

/* arabic_class: the class bits of cp (0 for anything outside the Arabic block). */
static inline unsigned arabic_class(uint32_t cp)
{
	return cp >= 0x0600 && cp <= 0x06FF ? text_arabic_class[cp - 0x0600] : 0;
}

/* is_word_cp: part of a Persian word for ZWNJ purposes (letter or mark). */
static inline bool is_word_cp(uint32_t cp)
{
	return (arabic_class(cp) & (CC_LETTER | CC_MARK)) != 0;
}

/* is_ignorable_cp: invisible controls removed by display normalization: bidi marks and
 * embeddings, ZWSP, ZWJ, BOM, soft hyphen, tatweel. */
static inline bool is_ignorable_cp(uint32_t cp)
{
	return cp == 0x0640 || cp == 0x200B || cp == 0x200D || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
	       cp == 0x00AD || cp == 0x061C;
}

/* text_load16: the two bytes at p as one number (the host's byte order), the index of the
 * 64 KiB tables that classify a two-byte UTF-8 character with one load. */
static inline unsigned text_load16(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

#endif
