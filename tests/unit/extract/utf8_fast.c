/*
 * utf8_fast.c — core's utf8_valid and utf8_repair take words of ASCII and two-byte letters in
 * one step (the extractor validates every page with them); this checks both against a plain
 * byte-by-byte reference built on utf8_decode, on random input biased towards the cases the
 * fast paths touch: ASCII runs of every length across word boundaries, Persian letters, and
 * broken, overlong, surrogate and truncated sequences at every position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

/* ref_valid: the definition, one utf8_decode per code point. */
static bool ref_valid(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		bool bad = false;
		uint32_t cp;
		i += utf8_decode(p + i, n - i, &cp, &bad);
		if (bad)
			return false;
	}
	return true;
}

/* ref_repair: the definition, each byte utf8_decode rejects becomes U+FFFD. */
static void ref_repair(struct buf *out, const char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		bool bad = false;
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp, &bad);
		if (bad)
			assert_int_equal(utf8_add(out, UTF8_REPLACEMENT), CH_OK);
		else
			assert_int_equal(buf_add(out, p + i, len), CH_OK);
		i += len;
	}
}

/* rnd: a small deterministic generator (xorshift), so a failure can be replayed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* fill: n bytes of mostly ASCII runs and Persian letters, with a few bytes of anything. */
static void fill(unsigned char *p, size_t n, uint64_t *s)
{
	static const unsigned char pieces[][4] = {
		{ 0xD8, 0xA7 }, { 0xDB, 0x8C }, { 0xE2, 0x80, 0x8C }, { 0xF0, 0x9F, 0x98, 0x80 },
		{ 0xC0, 0x80 }, { 0xED, 0xA0, 0x80 }, { 0xF4, 0x90, 0x80, 0x80 }, { 0xDF }, { 0x80 },
	};
	static const size_t lens[] = { 2, 2, 3, 4, 2, 3, 4, 1, 1 };
	size_t i = 0;
	while (i < n) {
		uint64_t r = rnd(s);
		switch (r % 4) {
		case 0:
		case 1: {
			size_t run = (size_t)(r >> 8) % 20;
			for (; run > 0 && i < n; run--)
				p[i++] = (unsigned char)('a' + (rnd(s) % 26));
			break;
		}
		case 2: {
			size_t k = (size_t)(r >> 8) % (sizeof lens / sizeof lens[0]);
			if ((r >> 20) % 8 != 0)
				k %= 4; /* valid pieces most of the time */
			for (size_t j = 0; j < lens[k] && i < n; j++)
				p[i++] = pieces[k][j];
			break;
		}
		default:
			p[i++] = (unsigned char)(r >> 16);
			break;
		}
	}
}

/* random_input: utf8_valid and utf8_repair agree with the references on every prefix
 * length and alignment of many random buffers. */
static void random_input(void **state)
{
	(void)state;
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	unsigned char data[256];
	size_t valid_seen = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rnd(&seed) % sizeof data);
		fill(data, n, &seed);
		size_t start = n ? (size_t)(rnd(&seed) % 9) % (n + 1) : 0;
		const char *p = (const char *)data + start;
		size_t len = n - start;
		bool want = ref_valid(p, len);
		valid_seen += want;
		assert_int_equal(utf8_valid(p, len), want);
		struct buf a, b;
		buf_init(&a, BUF_NO_LIMIT);
		buf_init(&b, BUF_NO_LIMIT);
		assert_int_equal(utf8_repair(&a, p, len), CH_OK);
		ref_repair(&b, p, len);
		assert_int_equal(a.n, b.n);
		assert_memory_equal(a.n ? a.p : "", b.n ? b.p : "", a.n);
		assert_true(utf8_valid(a.p ? a.p : "", a.n));
		buf_release(&a);
		buf_release(&b);
	}
	assert_true(valid_seen > 100); /* both verdicts were exercised */
}

/* edges: truncated sequences at the very end and a bad byte right after a full ASCII word. */
static void edges(void **state)
{
	(void)state;
	assert_true(utf8_valid("abcdefgh\xD8\xA7", 10));
	assert_false(utf8_valid("abcdefgh\xD8", 9));
	assert_false(utf8_valid("abcdefgh\x80xyz", 12));
	assert_false(utf8_valid("\xD8\xA7\xD8\xA7\xC1\xBF", 6));
	assert_false(utf8_valid("abcdefg\xE2\x80", 9));
	assert_true(utf8_valid("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_input),
		cmocka_unit_test(edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
