/*
 * gen.c — a generator of realistic Persian news articles (or search queries) for benchmarks.
 *
 *   gen MODEL OUTLETS N [SEED]            N articles as TSV lines on stdout
 *   gen MODEL OUTLETS --queries N [SEED]  N search queries, one a line
 *
 * MODEL is bench/gen/model.py's word/bigram model of ../shared/data/fa-news-dev; OUTLETS is
 * bench/gen/outlets.tsv. Sentences walk the bigrams and jump to a frequency-weighted (Zipf-like)
 * word now and then, so text reads like news without repeating source sentences; some words gain
 * ZWNJ compounds (plural, comparative, possessive suffixes) and numbers, widening the vocabulary
 * as a year of news does. Like real feeds, some articles are typed with Arabic ي/ك and some
 * without ZWNJ. Outlets publish at Zipf-like rates; publication times rise over one year, so
 * article ids follow time as they do when chapar ingests.
 *
 * Article line: outlet index (0-based, outlets.tsv order), published (Unix s), category, URL,
 * title, lead, body — tab-separated; the body's paragraphs are separated by the two characters
 * backslash and n. The text never holds a tab or a backslash.
 * This is a benchmark tool, not part of libchapar: it stands alone (libc only).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* The confusables the generator spoils text with, as UTF-8 bytes (STYLE: no invisible literals). */
#define ZWNJ "\xe2\x80\x8c"          /* U+200C ZERO WIDTH NON-JOINER */
#define FARSI_YEH "\xdb\x8c"         /* U+06CC ی */
#define ARABIC_YEH "\xd9\x8a"        /* U+064A ي */
#define KEHEH "\xda\xa9"             /* U+06A9 ک */
#define ARABIC_KAF "\xd9\x83"        /* U+0643 ك */

#define YEAR_START 1735689600        /* 2025-01-01T00:00:00Z */
#define YEAR_SECONDS (365 * 86400)
#define FUNCTION_WORDS 120           /* the most frequent words: never given a suffix */

/* ---------------------------------------------------------------------------------------------
 * Random numbers and weighted draws
 */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* rnd: the next 64-bit pseudo-random number (xorshift64*). */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* below: a uniform integer in [0, n). */
static uint32_t below(uint32_t n) { return (uint32_t)((rnd() >> 32) * n >> 32); }

/* chance: true with probability p. */
static bool chance(double p) { return (double)(rnd() >> 11) * 0x1.0p-53 < p; }

/* draw: an index into a cumulative-weight array cum[0..n) (cum[n-1] is the total). */
static uint32_t draw(const uint64_t *cum, uint32_t n)
{
	uint64_t x = rnd() % cum[n - 1];
	uint32_t lo = 0, hi = n - 1;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---------------------------------------------------------------------------------------------
 * The model
 */

struct model {
	char **word;            /* word[0] is the sentence boundary "." */
	uint64_t *uni_cum;      /* cumulative unigram counts over words 1..n (index i-1 = word i) */
	uint32_t n;
	uint32_t *bi_start;     /* successors of word i: bi_next[bi_start[i] .. bi_start[i+1]) */
	uint32_t *bi_next;
	uint64_t *bi_cum;       /* cumulative counts within each word's run */
	uint32_t n_bi;
	uint32_t *title_word;   /* the title vocabulary with cumulative counts */
	uint64_t *title_cum;
	uint32_t n_title;
};

struct outlet {
	char *name, *host, *category;
};

/* die: report a fatal error on stderr and exit. */
static void die(const char *what, const char *detail)
{
	fprintf(stderr, "gen: %s: %s\n", what, detail);
	exit(1);
}

/* xrealloc: realloc that exits on failure. */
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory", "");
	return p;
}

/* load_model: read bench/gen/model.py's output into m. */
static void load_model(const char *path, struct model *m)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path, "cannot open the model");
	memset(m, 0, sizeof *m);
	size_t cap_w = 0, cap_b = 0, cap_t = 0;
	uint32_t *bi_from = NULL;
	char *line = NULL;
	size_t line_cap = 0;
	while (getline(&line, &line_cap, f) > 0) {
		char *fields[4] = { 0 };
		int nf = 0;
		for (char *p = line, *tok; nf < 4 && (tok = strsep(&p, "\t\n")) != NULL;)
			if (*tok || nf == 0)
				fields[nf++] = tok;
		if (line[0] == 'W' && nf == 3) {
			if (m->n == cap_w) {
				cap_w = cap_w ? cap_w * 2 : 4096;
				m->word = xrealloc(m->word, cap_w * sizeof *m->word);
				m->uni_cum = xrealloc(m->uni_cum, cap_w * sizeof *m->uni_cum);
			}
			m->word[m->n] = strdup(fields[1]);
			m->uni_cum[m->n] = strtoull(fields[2], NULL, 10);
			m->n++;
		} else if (line[0] == 'B' && nf == 4) {
			if (m->n_bi == cap_b) {
				cap_b = cap_b ? cap_b * 2 : 65536;
				bi_from = xrealloc(bi_from, cap_b * sizeof *bi_from);
				m->bi_next = xrealloc(m->bi_next, cap_b * sizeof *m->bi_next);
				m->bi_cum = xrealloc(m->bi_cum, cap_b * sizeof *m->bi_cum);
			}
			bi_from[m->n_bi] = (uint32_t)strtoul(fields[1], NULL, 10);
			m->bi_next[m->n_bi] = (uint32_t)strtoul(fields[2], NULL, 10);
			m->bi_cum[m->n_bi] = strtoull(fields[3], NULL, 10);
			m->n_bi++;
		} else if (line[0] == 'T' && nf == 3) {
			if (m->n_title == cap_t) {
				cap_t = cap_t ? cap_t * 2 : 4096;
				m->title_word = xrealloc(m->title_word, cap_t * sizeof *m->title_word);
				m->title_cum = xrealloc(m->title_cum, cap_t * sizeof *m->title_cum);
			}
			m->title_word[m->n_title] = (uint32_t)strtoul(fields[1], NULL, 10);
			m->title_cum[m->n_title] = strtoull(fields[2], NULL, 10) +
						   (m->n_title ? m->title_cum[m->n_title - 1] : 0);
			m->n_title++;
		}
	}
	free(line);
	fclose(f);
	if (m->n < 100 || !m->n_bi || !m->n_title)
		die(path, "not a model (too few words, bigrams or title words)");
	/* unigram cumulative over words 1..n-1 (the boundary is never drawn on its own) */
	for (uint32_t i = 1; i < m->n; i++)
		m->uni_cum[i - 1] = m->uni_cum[i] + (i > 1 ? m->uni_cum[i - 2] : 0);
	/* bigram runs: model.py writes them grouped by their first word */
	m->bi_start = xrealloc(NULL, (m->n + 1) * sizeof *m->bi_start);
	uint32_t j = 0;
	for (uint32_t i = 0; i <= m->n; i++) {
		while (j < m->n_bi && bi_from[j] < i)
			j++;
		m->bi_start[i] = j;
	}
	for (uint32_t i = 0; i < m->n; i++)
		for (uint32_t k = m->bi_start[i] + 1; k < m->bi_start[i + 1]; k++)
			m->bi_cum[k] += m->bi_cum[k - 1];
	free(bi_from);
}

/* load_outlets: read outlets.tsv (comment lines start with #). Returns how many. */
static uint32_t load_outlets(const char *path, struct outlet *o, uint32_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path, "cannot open the outlets");
	char *line = NULL;
	size_t line_cap = 0;
	uint32_t n = 0;
	while (n < cap && getline(&line, &line_cap, f) > 0) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *p = line;
		o[n].name = strdup(strsep(&p, "\t\n"));
		o[n].host = strdup(p ? strsep(&p, "\t\n") : "example");
		o[n].category = strdup(p ? strsep(&p, "\t\n") : "");
		n++;
	}
	free(line);
	fclose(f);
	if (!n)
		die(path, "no outlets");
	return n;
}

/* ---------------------------------------------------------------------------------------------
 * Text
 */

struct text {
	char *p;
	size_t n, cap;
};

/* put: append n bytes to t. */
static void put(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = 0;
}

static void puts_(struct text *t, const char *s) { put(t, s, strlen(s)); }

/* is_punct: whether word is a punctuation mark (no letter or digit). */
static bool is_punct(const char *w)
{
	return !strcmp(w, "،") || !strcmp(w, "؛") || !strcmp(w, ":") || !strcmp(w, "(") ||
	       !strcmp(w, ")") || !strcmp(w, "«") || !strcmp(w, "»") || !strcmp(w, "\"") ||
	       !strcmp(w, "[") || !strcmp(w, "]") || !strcmp(w, "!") || !strcmp(w, "؟") ||
	       !strcmp(w, "?") || !strcmp(w, "-") || !strcmp(w, "/") || !strcmp(w, "%") || !strcmp(w, ".");
}

/* sticks_left: punctuation written without a space before it. */
static bool sticks_left(const char *w)
{
	return !strcmp(w, "،") || !strcmp(w, "؛") || !strcmp(w, ":") || !strcmp(w, ")") ||
	       !strcmp(w, "»") || !strcmp(w, ".") || !strcmp(w, "!") || !strcmp(w, "؟");
}

/* sticks_right: punctuation written without a space after it. */
static bool sticks_right(const char *w) { return !strcmp(w, "(") || !strcmp(w, "«"); }

static const char *const suffixes[] = { "ها", "ها", "های", "های", "ترین", "تر", "اش", "ای" };

/* append_word: append word id w to t with the spacing Persian punctuation wants; now and then
 * as a ZWNJ compound with a suffix, or replaced by a number. */
static void append_word(struct text *t, const struct model *m, uint32_t w, bool *glue)
{
	const char *s = m->word[w];
	char before = t->n ? t->p[t->n - 1] : '\t';
	bool paragraph_start = t->n >= 2 && t->p[t->n - 2] == '\\' && before == 'n';
	if (before != '\t' && before != ' ' && !paragraph_start && !*glue && !sticks_left(s))
		put(t, " ", 1);
	char num[16];
	if (!is_punct(s) && w > FUNCTION_WORDS && chance(0.015)) {
		snprintf(num, sizeof num, "%u", below(chance(0.5) ? 100 : 100000));
		s = num;
	}
	puts_(t, s);
	if (s != num && w > FUNCTION_WORDS && !is_punct(s) && !strstr(s, ZWNJ) && chance(0.03)) {
		puts_(t, ZWNJ);
		puts_(t, suffixes[below(sizeof suffixes / sizeof suffixes[0])]);
	}
	*glue = sticks_right(s);
}

/* next_word: the word after prev: usually a bigram successor, sometimes a unigram draw. */
static uint32_t next_word(const struct model *m, uint32_t prev)
{
	uint32_t lo = m->bi_start[prev], hi = m->bi_start[prev + 1];
	if (hi > lo && !chance(0.12)) {
		uint64_t x = rnd() % m->bi_cum[hi - 1];
		uint32_t a = lo, b = hi - 1;
		while (a < b) {
			uint32_t mid = (a + b) / 2;
			if (m->bi_cum[mid] > x)
				b = mid;
			else
				a = mid + 1;
		}
		return m->bi_next[a];
	}
	return draw(m->uni_cum, m->n - 1) + 1;
}

/* sentence: append one sentence of 6–40 words ending in a full stop. */
static void sentence(struct text *t, const struct model *m)
{
	uint32_t prev = 0, len = 0;
	bool glue = false;
	for (;;) {
		uint32_t w = next_word(m, prev);
		if (w == 0 && len < 6)
			w = draw(m->uni_cum, m->n - 1) + 1;
		if (w == 0 || len >= 40)
			break;
		if (!(len == 0 && is_punct(m->word[w])))
			append_word(t, m, w, &glue), len++;
		prev = w;
	}
	put(t, ".", 1);
}

/* title: append a headline of 4–12 words, no punctuation, starting from a title word. */
static void title(struct text *t, const struct model *m)
{
	uint32_t want = 4 + below(9), len = 0;
	uint32_t w = m->title_word[draw(m->title_cum, m->n_title)];
	bool glue = false;
	while (len < want) {
		if (w != 0 && !is_punct(m->word[w]))
			append_word(t, m, w, &glue), len++;
		w = next_word(m, w);
	}
}

/* spoil: retype t[from..] as some feeds do: Arabic ي/ك for ی/ک, or with ZWNJ dropped (as
 * nothing or as a space). */
static void spoil(struct text *t, size_t from, bool arabic, bool no_zwnj)
{
	char *p = t->p + from, *end = t->p + t->n, *o = p;
	bool as_space = chance(0.5);
	while (p < end) {
		if (arabic && !memcmp(p, FARSI_YEH, 2) && end - p >= 2) {
			memcpy(o, ARABIC_YEH, 2), o += 2, p += 2;
		} else if (arabic && !memcmp(p, KEHEH, 2) && end - p >= 2) {
			memcpy(o, ARABIC_KAF, 2), o += 2, p += 2;
		} else if (no_zwnj && end - p >= 3 && !memcmp(p, ZWNJ, 3)) {
			if (as_space)
				*o++ = ' ';
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	t->n = (size_t)(o - t->p);
	t->p[t->n] = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Articles and queries
 */

static const char *const categories[] = { "سیاسی", "بین‌الملل", "اقتصادی", "اجتماعی", "ورزشی",
					  "فرهنگی", "علمی", "استانی", "هنری" };

/* article: write article number i of n as one TSV line. */
static void article(struct text *t, const struct model *m, const struct outlet *o,
		    const uint64_t *outlet_cum, uint32_t n_outlets, uint64_t i, uint64_t n)
{
	uint32_t k = draw(outlet_cum, n_outlets);
	int64_t published = YEAR_START + (int64_t)((double)i / (double)n * YEAR_SECONDS) + below(1800);
	const char *cat = o[k].category[0] ? o[k].category
		: categories[below(sizeof categories / sizeof categories[0])];
	char head[512];
	snprintf(head, sizeof head, "%u\t%lld\t%s\thttps://%s/news/%llu\t", k, (long long)published, cat,
		 o[k].host, (unsigned long long)i + 1);
	t->n = 0;
	puts_(t, head);
	size_t text_from = t->n;
	title(t, m);
	put(t, "\t", 1);
	if (chance(0.5)) {
		puts_(t, "به گزارش ");
		puts_(t, o[k].name);
		puts_(t, "، ");
	}
	sentence(t, m);
	if (chance(0.4))
		put(t, " ", 1), sentence(t, m);
	put(t, "\t", 1);
	size_t body_from = t->n, want = 1100 + below(1500);
	while (t->n - body_from < want) {
		if (t->n > body_from)
			puts_(t, "\\n");
		for (uint32_t s = 1 + below(4); s > 0; s--) {
			sentence(t, m);
			if (s > 1)
				put(t, " ", 1);
		}
	}
	bool arabic = chance(0.15), no_zwnj = chance(0.10);
	if (arabic || no_zwnj)
		spoil(t, text_from, arabic, no_zwnj);
	put(t, "\n", 1);
}

/* query: write one search query of 1–3 words: words drawn by frequency past the commonest
 * function words (what readers look for), pairs often taken from the bigrams (names, phrases),
 * some typed without ZWNJ or with Arabic letters. A few keep a function word, as readers type. */
static void query(struct text *t, const struct model *m)
{
	t->n = 0;
	uint32_t words = chance(0.4) ? 1 : chance(0.67) ? 2 : 3, got = 0, w = 0;
	while (got < words) {
		if (got > 0 && chance(0.5))
			w = next_word(m, w);
		else
			w = draw(m->uni_cum, m->n - 1) + 1;
		if (w == 0 || is_punct(m->word[w]) || (w < 40 && !chance(0.05)))
			continue;
		if (got)
			put(t, " ", 1);
		puts_(t, m->word[w]);
		got++;
	}
	spoil(t, 0, chance(0.1), chance(0.1));
	put(t, "\n", 1);
}

int main(int argc, char **argv)
{
	if (argc < 4 || (!strcmp(argv[3], "--queries") && argc < 5)) {
		fprintf(stderr, "usage: gen MODEL OUTLETS N [SEED] | gen MODEL OUTLETS --queries N [SEED]\n");
		return 2;
	}
	bool queries = !strcmp(argv[3], "--queries");
	uint64_t n = strtoull(argv[queries ? 4 : 3], NULL, 10);
	const char *seed = argc > (queries ? 5 : 4) ? argv[queries ? 5 : 4] : NULL;
	if (seed)
		rng_state ^= strtoull(seed, NULL, 10) * 0x9e3779b97f4a7c15ULL + 1;
	struct model m;
	load_model(argv[1], &m);
	struct outlet o[64];
	uint32_t n_outlets = load_outlets(argv[2], o, 64);
	uint64_t outlet_cum[64];
	for (uint32_t k = 0; k < n_outlets; k++) /* Zipf-like rates: weight 1000 / (rank+1)^0.8 */
		outlet_cum[k] = (k ? outlet_cum[k - 1] : 0) + (uint64_t)(100000.0 / pow(k + 1, 0.8));
	static char out_buf[1 << 20];
	setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
	struct text t = { 0 };
	for (uint64_t i = 0; i < n; i++) {
		if (queries)
			query(&t, &m);
		else
			article(&t, &m, o, outlet_cum, n_outlets, i, n);
		if (fwrite(t.p, 1, t.n, stdout) != t.n)
			die("stdout", "write failed");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
