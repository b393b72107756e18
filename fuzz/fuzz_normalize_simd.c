/*
 * fuzz_normalize_simd.c — libFuzzer target comparing the letter pass's vector step (AVX2,
 * normalize.c) with its scalar loop: text_normalize on the input (and on the input twice over,
 * so that runs cross the 32-byte blocks at every place) with the vector step and with the
 * scalar loop forced (text_letter_simd) must give the same status and bytes. The first byte
 * picks the flags (default, Persian or ASCII digits, each with or without strict UTF-8). On a
 * CPU without AVX2 both runs take the scalar loop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "text/text_internal.h"

/* same_both_ways: s[0..n) under flags normalized both ways; aborts on a difference. */
static void same_both_ways(const char *s, size_t n, unsigned flags)
{
	struct buf vec, sca;
	buf_init(&vec, 1 << 26);
	buf_init(&sca, 1 << 26);
	text_letter_simd(true);
	enum ch_status sv = text_normalize(s, n, flags, &vec);
	text_letter_simd(false);
	enum ch_status ss = text_normalize(s, n, flags, &sca);
	text_letter_simd(true);
	if (sv != ss || vec.n != sca.n || (vec.n && memcmp(vec.p, sca.p, vec.n) != 0))
		abort();
	buf_release(&vec);
	buf_release(&sca);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	static const unsigned flag_sets[] = {
		TEXT_NORM_DEFAULT, TEXT_DIGITS_FA, TEXT_DIGITS_ASCII,
		TEXT_STRICT_UTF8, TEXT_STRICT_UTF8 | TEXT_DIGITS_FA, TEXT_STRICT_UTF8 | TEXT_DIGITS_ASCII,
	};
	unsigned flags = flag_sets[data[0] % (sizeof flag_sets / sizeof flag_sets[0])];
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	same_both_ways(s, n, flags);
	char *twice = malloc(2 * n + 1);
	if (!twice)
		return 0;
	memcpy(twice, s, n);
	memcpy(twice + n, s, n);
	same_both_ways(twice, 2 * n, flags);
	free(twice);
	return 0;
}
