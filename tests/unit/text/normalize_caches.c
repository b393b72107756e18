/*
 * normalize_caches.c — unit test for the caches and the quiet run of the word pass (zwnj.c):
 * a word's cached analysis, a pair's cached decision and a pair stepped over without a test
 * must depend only on what the rules read (the words' keys, the line's trust and whether it
 * writes affixes apart). Each line below, and each input of tests/data/text/normalize.txt and
 * each line of the seed page, is normalized alone in a fresh thread (its own cold caches),
 * then all of them again in one text, many times over in a shuffled order, so that every
 * word and pair is met warm in lines of every kind: the text must come out as the lines did
 * alone. A decision cached or skipped on something else (the trust of another line, the
 * word before a punctuation mark, a pair's neighbours) makes a line differ.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

enum { MAX_LINES = 512, ROUNDS = 60 };

/* Lines whose words are read differently by their line: spaced affixes (the line's spaces may
 * be lost ZWNJs), a ZWNJ written (a trusting line), joined prefixes, the same pairs before
 * punctuation, one-letter words, and the words that join (pair cache answers of both kinds). */
static const char *const crafted[] = {
	"کتاب ها را می خواندند و کتابهای دیگر را هم خواندند",
	"کتابهای دیگر را میخواندند و کتابها را هم",
	"کتاب\xe2\x80\x8cهای دیگر را میخواندند و کتابها را هم",
	"کتاب\xe2\x80\x8cهای دیگر را می خواندند و کتابها را هم",
	"پاک سازی شد و می شود که بی شک پاک سازی شود",
	"پاک سازی شد و بعد پاک سازی نشد",
	"پاک سازی، شد و کتابها، دانشگاههای ما؛ می شود؟ آری.",
	"و کتابها و دانشگاهها و می شود و بی شک و سه شنبه",
	"سه شنبه روز گفت وگو درباره همکاریهای بین المللی بود",
	"سه\xe2\x80\x8cشنبه روز گفت\xe2\x80\x8cوگو درباره همکاریهای بین المللی بود",
	"آنها می گویند که این کتاب ها بهترین کتاب های سال اند",
	"آنها میگویند که این کتابها بهترینهای سال اند",
	"او  می   شود و  کتاب  ها  را (می شود) «کتاب ها» می شود.",
	"علاقه مندان و صاحب نظران و علاقهمندان و صاحب نظرانی",
	"خانه ای که در آن بودیم بزرگتر از خانه های دیگر بود",
	"خانهای که در آن بودیم بزرگتر از خانههای دیگر بود",
	"برنامه ریزی و آماده سازی و چندجانبه گرایی و هم اندیشی",
	"برنامهریزی و آمادهسازی و چندجانبهگرایی و هماندیشی",
};

/* one_line: a line and its normalization alone, for line_alone. */
struct one_line {
	const char *s;
	size_t n;
	struct buf out;
	enum ch_status st;
};

/* line_alone: normalize one line in this (fresh) thread. */
static void *line_alone(void *arg)
{
	struct one_line *l = arg;
	l->st = text_normalize(l->s, l->n, TEXT_NORM_DEFAULT, &l->out);
	return NULL;
}

/* add_line: copy s (n bytes, without its newline) as a line, the newline appended; ZWNJ
 * markers {zwnj} of the data file as the character. */
static void add_line(struct buf *store, size_t *starts, size_t *count, const char *s, size_t n)
{
	if (*count >= MAX_LINES || n == 0)
		return;
	starts[(*count)++] = store->n;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{' && i + 6 <= n && memcmp(s + i, "{zwnj}", 6) == 0) {
			buf_adds(store, "\xe2\x80\x8c");
			i += 5;
		} else {
			buf_addc(store, s[i]);
		}
	}
	buf_addc(store, '\n');
}

/* add_file_lines: the lines of path (the text before a tab when cases is set, skipping
 * comments), each as a line. */
static void add_file_lines(const char *path, bool cases, struct buf *store, size_t *starts,
			   size_t *count)
{
	struct buf file;
	buf_init(&file, 1 << 22);
	assert_int_equal(file_read(path, &file, NULL), CH_OK);
	const char *p = file.p, *end = file.p + file.n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *tab = cases ? memchr(p, '\t', (size_t)(e - p)) : NULL;
		if (!(cases && (p[0] == '#' || !tab)))
			add_line(store, starts, count, p, (size_t)((tab ? tab : e) - p));
		p = e + 1;
	}
	buf_release(&file);
}

/* warm_equals_alone: the check described at the top of the file. */
static void warm_equals_alone(void **state)
{
	(void)state;
	struct buf store;
	size_t starts[MAX_LINES + 1], count = 0;
	buf_init(&store, 1 << 24);
	for (size_t i = 0; i < sizeof crafted / sizeof crafted[0]; i++)
		add_line(&store, starts, &count, crafted[i], strlen(crafted[i]));
	add_file_lines(TEST_DATA_DIR "/text/normalize.txt", true, &store, starts, &count);
	add_file_lines(TEST_DATA_DIR "/text/seed_000_02f99fe4b705e8eb.txt", false, &store, starts,
		       &count);
	starts[count] = store.n;
	assert_true(count > 150);

	static struct one_line alone[MAX_LINES];
	for (size_t i = 0; i < count; i++) {
		alone[i].s = store.p + starts[i];
		alone[i].n = starts[i + 1] - starts[i];
		buf_init(&alone[i].out, 1 << 20);
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, line_alone, &alone[i]), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
		assert_int_equal(alone[i].st, CH_OK);
	}

	struct buf text, want, got;
	buf_init(&text, 1 << 26);
	buf_init(&want, 1 << 26);
	buf_init(&got, 1 << 26);
	uint32_t rng = 1403;
	for (int round = 0; round < ROUNDS; round++)
		for (size_t k = 0; k < count; k++) {
			rng = rng * 1664525u + 1013904223u;
			size_t i = (rng >> 8) % count;
			buf_add(&text, alone[i].s, alone[i].n);
			buf_add(&want, alone[i].out.p, alone[i].out.n);
		}
	assert_int_equal(text_normalize(text.p, text.n, TEXT_NORM_DEFAULT, &got), CH_OK);
	/* the first line that differs, for the message */
	size_t at = 0;
	while (at < got.n && at < want.n && got.p[at] == want.p[at])
		at++;
	if (at < got.n || at < want.n) {
		size_t from = at;
		while (from > 0 && want.p[from - 1] != '\n')
			from--;
		const char *wnl = memchr(want.p + from, '\n', want.n - from);
		print_error("differs from the line alone at byte %zu: want '%.*s'\n", at,
			    (int)(wnl ? wnl - (want.p + from) : 80), want.p + from);
	}
	assert_int_equal(got.n, want.n);
	assert_memory_equal(got.p, want.p, want.n);
	for (size_t i = 0; i < count; i++)
		buf_release(&alone[i].out);
	buf_release(&store);
	buf_release(&text);
	buf_release(&want);
	buf_release(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(warm_equals_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
