/*
 * normalize_simd.c — the letter pass's vector step (AVX2, normalize.c) against its scalar
 * loop: the same inputs normalized with the vector step and with the scalar loop forced
 * (text_letter_simd) must give the same bytes and status, for every flag combination. Inputs:
 * crafted snippets (each case of the vector step: ي ى ك, spaces after spaces or «, . ! ) :,
 * ZWNJ, ، ؛ ؟, « », characters cut by a block's end, invalid bytes, controls) put at every
 * offset of a 32-byte block, and pseudo-random mixes of Persian, Arabic, ASCII, controls and
 * invalid bytes. On a CPU without AVX2 both runs take the scalar loop (the test still runs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"
#include "text/text_internal.h"

/* The pieces inputs are made of (UTF-8 escapes: no invisible literals). */
static const char *const pieces[] = {
	"\xd9\x85\xdb\x8c", /* می */
	"\xd8\xb4\xd9\x88\xd8\xaf", /* شود */
	"\xda\xa9\xd8\xaa\xd8\xa7\xd8\xa8", /* کتاب */
	"\xd9\x87\xd8\xa7", /* ها */
	"\xd9\x8a", "\xd9\x83", "\xd9\x89", /* ي ك ى */
	"\xdb\x8c", "\xda\xa9", /* ی ک */
	"\xe2\x80\x8c", /* ZWNJ */
	"\xe2\x80\x8d", "\xe2\x80\x8b", "\xe2\x80\x8f", "\xef\xbb\xbf", /* ZWJ ZWSP RLM BOM */
	"\xd9\x80", /* kashida */
	"\xd9\x8e", "\xd9\x90", "\xd9\x94", /* fatha kasra hamza above */
	"\xd8\x8c", "\xd8\x9b", "\xd8\x9f", /* ، ؛ ؟ */
	"\xc2\xab", "\xc2\xbb", "\xc2\xa0", "\xc2\xad", "\xc2\x85", /* « » NBSP SHY NEL */
	"\xd9\xa3", "\xdb\xb5", "7", /* digits */
	"\xdb\x94", "\xdb\x9d", "\xd8\x80", "\xd9\xaa", /* Arabic-block non-letters */
	"\xef\xba\x8e", "\xef\xbb\xb5", "\xef\xb7\xb2", "\xef\xb9\xb0", /* presentation forms */
	"\xda\xab", /* ګ (second byte AB, like «) */
	" ", " ", " ", "  ", "\n", "\r\n", "\t", ".", "!", ":", ")", "(", "a", "Word", "x1",
	"\x01", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", /* é € emoji */
	"\x80", "\xbf", "\xd8", "\xd9\x8a\x8a", "\xe2\x80", "\xc0\x80", "\xff", "\xdb", /* invalid */
	/* ZWNJs and spaces dropped next to punctuation, letters, controls */
	":\xe2\x80\x8c\xd8\xa8", "\xd8\x8c\xe2\x80\x8c\xd8\xa8", ":\xe2\x80\x8c\xe2\x80\x8c\xd8\xa8",
	"\xd8\xa8\xe2\x80\x8c\xe2\x80\x8c\xd8\xa8", "\xd8\xa8\xe2\x80\x8c \xd8\xa8",
	" \xe2\x80\x8c\xd8\xa8", "\xd8\xa8\xe2\x80\x8c.", "\xd8\xa8\xe2\x80\x8c\x01\xd8\xa8",
	"\xd8\xa8\xe2\x80\x8c\xd9\x8a", "\xc2\xab  \xd8\xa8", "\xd8\xa8   \xd8\xa8", ": \xd8\xa8",
	"\xd8\xa8\xe2\x80\x8c\t\xd8\xa8", "\xd9\x8e\xe2\x80\x8c\xd8\xa8", "\xc3\xa9\xe2\x80\x8c\xd8\xa8",
};
enum { NPIECES = sizeof pieces / sizeof pieces[0] };

static const unsigned flag_sets[] = {
	TEXT_NORM_DEFAULT, TEXT_DIGITS_FA, TEXT_DIGITS_ASCII,
	TEXT_STRICT_UTF8, TEXT_STRICT_UTF8 | TEXT_DIGITS_FA, TEXT_STRICT_UTF8 | TEXT_DIGITS_ASCII,
};

/* same_both_ways: s[0..n) normalized with the vector step and with the scalar loop, under
 * every flag set: same status and bytes; prints the first difference. */
static bool same_both_ways(const char *s, size_t n, const char *what)
{
	bool ok = true;
	for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
		struct buf vec, sca;
		buf_init(&vec, 1 << 26);
		buf_init(&sca, 1 << 26);
		text_letter_simd(true);
		enum ch_status sv = text_normalize(s, n, flag_sets[f], &vec);
		text_letter_simd(false);
		enum ch_status ss = text_normalize(s, n, flag_sets[f], &sca);
		text_letter_simd(true);
		if (sv != ss || vec.n != sca.n || (vec.n && memcmp(vec.p, sca.p, vec.n) != 0)) {
			size_t at = 0;
			while (at < vec.n && at < sca.n && vec.p[at] == sca.p[at])
				at++;
			print_error("%s, flags %u: vector %d / %zu bytes, scalar %d / %zu bytes, first "
				    "difference at %zu\n",
				    what, flag_sets[f], (int)sv, vec.n, (int)ss, sca.n, at);
			ok = false;
		}
		buf_release(&vec);
		buf_release(&sca);
	}
	return ok;
}

/* the_hook: forcing the scalar loop is seen, and the default comes back. */
static void the_hook(void **state)
{
	(void)state;
	assert_false(text_letter_simd(false));
	bool vec = text_letter_simd(true);
#if defined(__x86_64__)
	assert_int_equal(vec, __builtin_cpu_supports("avx2") != 0);
#else
	assert_false(vec);
#endif
}

/* crafted: each piece, and each pair of pieces, after 0–40 fillers of Persian or ASCII text and
 * before more of it, so that it falls at every place of a block; the lines repeated. */
static void crafted(void **state)
{
	(void)state;
	static const char *const fillers[] = { "\xd8\xa8", "b", "\xd8\xa8 ", "b " };
	struct buf in;
	buf_init(&in, 1 << 26);
	bool ok = true;
	for (size_t fi = 0; fi < sizeof fillers / sizeof fillers[0]; fi++) {
		buf_reset(&in);
		for (size_t p = 0; p < NPIECES; p++)
			for (size_t q = 0; q < NPIECES; q += 13)
				for (size_t lead = 0; lead < 40; lead++) {
					for (size_t k = 0; k < lead; k++)
						buf_adds(&in, fillers[fi]);
					buf_adds(&in, pieces[p]);
					buf_adds(&in, pieces[q]);
					for (size_t k = 0; k < 40; k++)
						buf_adds(&in, fillers[fi]);
					buf_addc(&in, '\n');
				}
		char what[64];
		snprintf(what, sizeof what, "crafted, filler %zu", fi);
		ok &= same_both_ways(in.p, in.n, what);
	}
	buf_release(&in);
	assert_true(ok);
}

/* next_random: xorshift64. */
static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* random_mixes: pseudo-random sequences of pieces (Persian-heavy, with runs of plain words and
 * long lines) and some of random bytes. */
static void random_mixes(void **state)
{
	(void)state;
	struct buf in;
	buf_init(&in, 1 << 26);
	bool ok = true;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < 24; round++) {
		buf_reset(&in);
		size_t size = 20000 + (size_t)(next_random(&x) % 60000);
		bool bytes = round % 6 == 5;
		while (in.n < size) {
			uint64_t r = next_random(&x);
			if (bytes) {
				buf_addc(&in, (char)(r >> 8));
			} else if (r % 10 < 6) {
				buf_adds(&in, pieces[r % 4]); /* plain Persian */
				buf_addc(&in, ' ');
			} else {
				buf_adds(&in, pieces[(r >> 8) % NPIECES]);
			}
		}
		char what[64];
		snprintf(what, sizeof what, "random round %d", round);
		ok &= same_both_ways(in.p, in.n, what);
	}
	buf_release(&in);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_hook),
		cmocka_unit_test(crafted),
		cmocka_unit_test(random_mixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
