/*
 * charclass.c — the class table of charclass.h for U+0600–U+06FF, generated from Unicode
 * general categories (Lo letter, Mn mark, Nd digit) and the Arabic joining types (letters that
 * never join to the next: alef, dal, reh, waw and their variants, hamza, teh marbuta, ae).
 */
#include "text/charclass.h"

const uint8_t text_arabic_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
	3, 1, 1, 1, 1, 1, 3, 1, 3, 1, 3, 3, 3, 3, 3, 1,
	1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 3, 3, 3, 3, 3, 3, 3, 1, 3, 3, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 0, 0, 0, 0, 3, 3,
	4, 1, 1, 1, 3, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 3, 3, 3, 1,
	3, 3, 1, 1, 0, 1, 4, 4, 4, 4, 4, 4, 4, 0, 0, 4,
	4, 4, 4, 4, 4, 0, 0, 4, 4, 0, 4, 4, 4, 4, 3, 3,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 3, 3, 3, 0, 0, 3,
};
