/*
 * core.c — tests src/core: buffers and their cap, arenas, UTF-8 decode/repair, escaping, the
 * JSON writer and ISO 8601 times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chapar.h"

static void buf_grows_and_caps(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "hello"), CH_OK);
	assert_int_equal(buf_addf(&b, "%d", 1234), CH_OK);
	assert_string_equal(buf_str(&b), "hello1234");
	assert_int_equal(buf_adds(&b, "xy"), CH_ERR_LIMIT);
	assert_string_equal(buf_str(&b), "hello1234"); /* a failed add changes nothing */
	assert_int_equal(buf_addc(&b, '!'), CH_OK);
	assert_int_equal(buf_addc(&b, '!'), CH_ERR_LIMIT);
	size_t n;
	char *s = buf_detach(&b, &n);
	assert_int_equal(n, 10);
	assert_string_equal(s, "hello1234!");
	free(s);
	assert_null(b.p);
	buf_release(&b);
}

static void buf_formats_long_strings(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	char big[1000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(buf_addf(&b, "[%s]", big), CH_OK);
	assert_int_equal(b.n, 1001);
	assert_int_equal(b.p[1000], ']');
	buf_release(&b);
}

static void arena_allocates_and_limits(void **state)
{
	struct arena a;
	arena_init(&a, 100000);
	char *s = arena_strdup(&a, "سلام");
	assert_string_equal(s, "سلام");
	for (int i = 0; i < 50; i++)
		assert_non_null(arena_alloc(&a, 1000));
	assert_null(arena_alloc(&a, 200000));
	assert_null(arena_strdup(&a, NULL));
	void *p = arena_alloc(&a, 24);
	assert_int_equal((uintptr_t)p % 16, 0);
	arena_release(&a);
}

static void utf8_decodes_and_rejects(void **state)
{
	uint32_t cp;
	bool bad = false;
	assert_int_equal(utf8_decode("\xD8\xB3", 2, &cp, &bad), 2);
	assert_int_equal(cp, 0x0633);
	assert_false(bad);
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp, &bad), 1); /* overlong */
	assert_true(bad);
	bad = false;
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp, &bad), 1); /* surrogate */
	assert_true(bad);
	bad = false;
	assert_int_equal(utf8_decode("\xE2\x80", 2, &cp, &bad), 1); /* truncated */
	assert_true(bad);
	assert_true(utf8_valid("می‌شود", strlen("می‌شود")));
	assert_false(utf8_valid("a\xFF" "b", 3));
}

static void utf8_repair_replaces_bad_bytes(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	assert_int_equal(utf8_repair(&b, "a\xFFم\xC3", 5), CH_OK);
	assert_string_equal(buf_str(&b), "a\xEF\xBF\xBDم\xEF\xBF\xBD");
	assert_true(utf8_valid(b.p, b.n));
	buf_release(&b);
}

static void escapes_html_and_json(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	const char *in = "<a href=\"x\">'&'</a>";
	html_escape(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	json_escape(&b, "a\"b\\c\n\x01\xFF", 8);
	assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\"");
	buf_reset(&b);
	url_encode(&b, "a b/ف", strlen("a b/ف"));
	assert_string_equal(buf_str(&b), "a%20b%2F%D9%81");
	buf_release(&b);
}

static void json_writer_nests(void **state)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	struct json_writer w;
	jw_init(&w, &b);
	jw_object_begin(&w);
	jw_kv_string(&w, "a", "x");
	jw_key(&w, "list");
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_object_begin(&w);
	jw_kv_int(&w, "n", -2);
	jw_object_end(&w);
	jw_null(&w);
	jw_array_end(&w);
	jw_kv_string_opt(&w, "skip", "");
	jw_key(&w, "t");
	jw_bool(&w, true);
	jw_object_end(&w);
	assert_int_equal(w.status, CH_OK);
	assert_string_equal(buf_str(&b), "{\"a\":\"x\",\"list\":[1,{\"n\":-2},null],\"t\":true}");
	buf_release(&b);
}

static void parses_and_formats_iso_times(void **state)
{
	int64_t t;
	assert_int_equal(time_parse_iso("2024-11-28T10:30:00Z", &t), CH_OK);
	assert_int_equal(t, 1732789800);
	assert_int_equal(time_parse_iso("2024-11-28T14:00:00+03:30", &t), CH_OK);
	assert_int_equal(t, 1732789800);
	assert_int_equal(time_parse_iso("2024-11-28 10:30:00.123Z", &t), CH_OK);
	assert_int_equal(t, 1732789800);
	assert_int_equal(time_parse_iso("2024-11-28", &t), CH_OK);
	assert_int_equal(t, 1732752000);
	assert_int_equal(time_parse_iso("1969-12-31T23:59:59Z", &t), CH_OK);
	assert_int_equal(t, -1);
	assert_int_equal(time_parse_iso("28 Nov 2024", &t), CH_ERR_PARSE);
	assert_int_equal(time_parse_iso("2024-13-01", &t), CH_ERR_PARSE);
	assert_int_equal(time_parse_iso("2024-11-28T10:30:00Zjunk", &t), CH_ERR_PARSE);
	struct buf b;
	buf_init(&b, 64);
	time_format_iso(&b, 1732789800);
	assert_string_equal(buf_str(&b), "2024-11-28T10:30:00Z");
	buf_release(&b);
	assert_int_equal(time_from_utc(124, 10, 28, 10, 30, 0), 1732789800);
}

static void errors_carry_messages(void **state)
{
	struct ch_error err = { 0 };
	assert_int_equal(ch_fail(&err, CH_ERR_PARSE, "bad %s", "date"), CH_ERR_PARSE);
	assert_string_equal(err.msg, "bad date");
	assert_int_equal(err.code, CH_ERR_PARSE);
	assert_int_equal(ch_fail(NULL, CH_ERR_IO, "ignored"), CH_ERR_IO);
	ch_error_clear(&err);
	assert_int_equal(err.code, CH_OK);
	assert_string_equal(ch_status_name(CH_ERR_NOMEM), "out of memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_caps),
		cmocka_unit_test(buf_formats_long_strings),
		cmocka_unit_test(arena_allocates_and_limits),
		cmocka_unit_test(utf8_decodes_and_rejects),
		cmocka_unit_test(utf8_repair_replaces_bad_bytes),
		cmocka_unit_test(escapes_html_and_json),
		cmocka_unit_test(json_writer_nests),
		cmocka_unit_test(parses_and_formats_iso_times),
		cmocka_unit_test(errors_carry_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
