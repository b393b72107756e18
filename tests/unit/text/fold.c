/*
 * fold.c — tests of src/text/fold.c: folding, stemming and tokenizing on real Persian word
 * pairs (tests/data/text/stems.txt must share keys, stems_differ.txt must not), token offsets
 * and the colocated parts of compounds, and invalid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

struct collected {
	struct buf keys; /* keys joined by '|' (colocated ones prefixed with '+') */
	size_t count;
	size_t last_end;
	bool offsets_ok;
	const char *src;
	size_t src_n;
};

/* collect: a text_token_fn that records each key. */
static int collect(void *ctx, const char *key, size_t n, size_t start, size_t end, bool colocated)
{
	struct collected *c = ctx;
	if (c->count++)
		buf_addc(&c->keys, '|');
	if (colocated)
		buf_addc(&c->keys, '+');
	buf_add(&c->keys, key, n);
	if (start >= end || end > c->src_n)
		c->offsets_ok = false;
	return 0;
}

/* keys_of: the query-mode keys of s, "|"-joined, into out (reset first). */
static void keys_of(const char *s, enum text_tok_mode mode, struct collected *c)
{
	buf_reset(&c->keys);
	c->count = 0;
	c->offsets_ok = true;
	c->src = s;
	c->src_n = strlen(s);
	text_tokenize(s, strlen(s), mode, collect, c);
}

/* pairs: run a pairs file; same says whether the two sides must share their keys. */
static void pairs(const char *file, bool same)
{
	struct buf data, a;
	buf_init(&data, 1 << 20);
	buf_init(&a, 4096);
	assert_int_equal(file_read(file, &data, NULL), CH_OK);
	struct collected c;
	buf_init(&c.keys, 4096);
	int n = 0, failed = 0;
	char *save = NULL;
	for (char *line = strtok_r(data.p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = 0;
		keys_of(line, TEXT_TOK_QUERY, &c);
		buf_reset(&a);
		buf_adds(&a, buf_str(&c.keys));
		keys_of(tab + 1, TEXT_TOK_QUERY, &c);
		assert_true(c.offsets_ok);
		if ((strcmp(buf_str(&a), buf_str(&c.keys)) == 0) != same) {
			print_error("%s -> %s vs %s -> %s\n", line, buf_str(&a), tab + 1, buf_str(&c.keys));
			failed++;
		}
		n++;
	}
	assert_true(n >= 5);
	assert_int_equal(failed, 0);
	buf_release(&data);
	buf_release(&a);
	buf_release(&c.keys);
}

static void same_keys(void **state)
{
	pairs(TEST_DATA_DIR "/text/stems.txt", true);
}

static void different_keys(void **state)
{
	pairs(TEST_DATA_DIR "/text/stems_differ.txt", false);
}

/* document_mode: compound parts come colocated after the joined key; offsets are right. */
static void document_mode(void **state)
{
	struct collected c;
	buf_init(&c.keys, 4096);
	keys_of("روز سه‌شنبه در Tehran2024", TEXT_TOK_DOCUMENT, &c);
	assert_string_equal(buf_str(&c.keys), "روز|سهشنبه|+سه|+شنبه|در|tehran2024");
	assert_true(c.offsets_ok);
	keys_of("روز سه‌شنبه", TEXT_TOK_QUERY, &c);
	assert_string_equal(buf_str(&c.keys), "روز|سهشنبه");
	keys_of("می‌شود", TEXT_TOK_DOCUMENT, &c);
	assert_string_equal(buf_str(&c.keys), "میشود");
	keys_of("«سلام»، دنیا! \xff\xfe", TEXT_TOK_QUERY, &c);
	assert_string_equal(buf_str(&c.keys), "سلام|دنیا");
	buf_release(&c.keys);
}

/* fold_forms: text_fold on its own. */
static void fold_forms(void **state)
{
	struct buf b;
	buf_init(&b, 4096);
	text_fold("يك ۱۲٣ ABC ـــ \xe2\x80\x8f", strlen("يك ۱۲٣ ABC ـــ \xe2\x80\x8f"), &b);
	assert_string_equal(buf_str(&b), "یک 123 abc  ");
	buf_reset(&b);
	text_fold("\xff", 1, &b);
	assert_string_equal(buf_str(&b), "\xef\xbf\xbd");
	buf_reset(&b);
	text_stem("کتابها", strlen("کتابها"), &b);
	assert_string_equal(buf_str(&b), "کتاب");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_keys),
		cmocka_unit_test(different_keys),
		cmocka_unit_test(document_mode),
		cmocka_unit_test(fold_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
