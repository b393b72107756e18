/*
 * chars.h — the one table of Persian confusables and invisible characters the text module
 * works with, as named constants (code points and their UTF-8 spellings), so no invisible or
 * look-alike literal appears anywhere else in the code. Internal to src/text.
 */
#ifndef CHAPAR_TEXT_CHARS_H
#define CHAPAR_TEXT_CHARS_H

enum persian_char {
	CP_ZWNJ = 0x200C,          /* zero-width non-joiner, the Persian half-space */
	CP_ZWJ = 0x200D,           /* zero-width joiner */
	CP_ZWSP = 0x200B,          /* zero-width space */
	CP_TATWEEL = 0x0640,       /* kashida */
	CP_ARABIC_YEH = 0x064A,    /* ي */
	CP_ALEF_MAKSURA = 0x0649,  /* ى */
	CP_FARSI_YEH = 0x06CC,     /* ی */
	CP_ARABIC_KAF = 0x0643,    /* ك */
	CP_KEHEH = 0x06A9,         /* ک (Persian kaf) */
	CP_HEH = 0x0647,           /* ه */
	CP_TEH_MARBUTA = 0x0629,   /* ة */
	CP_HEH_YEH = 0x06C0,       /* ۀ */
	CP_AE = 0x06D5,            /* ە */
	CP_HEH_GOAL = 0x06C1,      /* ہ */
	CP_ALEF = 0x0627,          /* ا */
	CP_ALEF_MADDA = 0x0622,    /* آ */
	CP_ALEF_HAMZA_ABOVE = 0x0623, /* أ */
	CP_ALEF_HAMZA_BELOW = 0x0625, /* إ */
	CP_ALEF_WASLA = 0x0671,    /* ٱ */
	CP_WAW = 0x0648,           /* و */
	CP_WAW_HAMZA = 0x0624,     /* ؤ */
	CP_YEH_HAMZA = 0x0626,     /* ئ */
	CP_HAMZA = 0x0621,         /* ء */
	CP_HAMZA_ABOVE = 0x0654,   /* combining hamza above */
	CP_SUPERSCRIPT_ALEF = 0x0670,
	CP_ARABIC_DIGIT_ZERO = 0x0660,  /* ٠ … ٩ */
	CP_PERSIAN_DIGIT_ZERO = 0x06F0, /* ۰ … ۹ */
	CP_ARABIC_COMMA = 0x060C,  /* ، */
	CP_ARABIC_SEMICOLON = 0x061B, /* ؛ */
	CP_ARABIC_QUESTION = 0x061F,  /* ؟ */
	CP_LAQUO = 0x00AB,         /* « */
	CP_RAQUO = 0x00BB,         /* » */
	CP_NBSP = 0x00A0,
	CP_SOFT_HYPHEN = 0x00AD,
	CP_BOM = 0xFEFF,
};

/* UTF-8 spellings of the ones written into output text. */
#define ZWNJ_UTF8 "\xe2\x80\x8c"
#define ZWNJ_LEN 3

#endif
