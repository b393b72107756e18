/*
 * cstring.h — what the libFuzzer targets that read the input as a C string share: the input
 * copied into a NUL-terminated buffer (an embedded NUL simply ends the string early).
 */
#ifndef CHAPAR_FUZZ_CSTRING_H
#define CHAPAR_FUZZ_CSTRING_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* fuzz_cstring: data[0..size) and a NUL in a new malloc'd buffer (caller frees); NULL when out
 * of memory. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
