/*
 * search.c — full-text search over the "persian" FTS5 index (see fts.c): the reader's query is
 * turned into an FTS5 expression of quoted terms (so FTS5 syntax is never passed through),
 * ranked by bm25 over title, lead and body, weighted towards recent articles, with a snippet.
 *
 * Speed (bench/search): scoring every match is what makes a search slow — a common word
 * matches half of a million articles. So a search ranks a pool: the newest matches, at least
 * POOL_MIN of them or POOL_PER_HIT per hit the page needs. FTS5 walks its doclists newest first
 * and stops at the pool's size, scoring each match on the way (one pass: the intersection of a
 * query's words is walked once); the pool is then sorted here. A page therefore holds the best
 * matches among the newest few hundred; an older article shows up when newer ones run out (or
 * through the date filter), which is what a reader of news expects, and the ranking already
 * discounts age (a week halves a score). A query with fewer matches than the pool is ranked
 * over all of them.
 * Common function words (STOP_WORDS) are dropped from a query unless it has nothing else,
 * since they match nearly every article and change no ranking. The page's articles are read
 * by id, and their snippets made here (see "Snippets"), only for the hits shown.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"

/* ---------------------------------------------------------------------------------------------
 * The query expression
 */

/* Grammatical words found in nearly every news article (chosen by hand among the 100 most
 * frequent words of ../shared/data/fa-news-dev; nouns and verbs with meaning are kept even when
 * frequent). Compared by their tokenizer keys, so every spelling of them counts. */
static const char *const stop_words[] = {
	"و", "در", "به", "از", "این", "که", "با", "را", "است", "برای", "تا", "بر", "آن", "یک",
	"هم", "شد", "شده", "بود", "کرد", "وی", "او", "خود", "نیز", "اما", "یا", "اگر", "هر",
	"می", "ها", "های", "ای", "آنها", "ما", "باید", "شود", "کند", "دارد", "بوده", "باشد",
	"کرده", "کنند", "نیست", "همه", "اینکه", "چه", "پس", "بین", "دیگر", "هیچ", "نه", "اند",
};

struct first_key {
	char key[64];
	size_t len;
	size_t count;
};

/* keep_first_key: text_token_fn keeping the first token's key and counting tokens. */
static int keep_first_key(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct first_key *k = ctx;
	if (k->count++ == 0 && key_len <= sizeof k->key) {
		memcpy(k->key, key, key_len);
		k->len = key_len;
	}
	return 0;
}

#define N_STOP_WORDS (sizeof stop_words / sizeof stop_words[0])

/* The stop words' tokenizer keys, made once per process (a query looks at them per word). */
static struct first_key stop_keys[N_STOP_WORDS];
static pthread_once_t stop_keys_once = PTHREAD_ONCE_INIT;

/* make_stop_keys: fill stop_keys (pthread_once). */
static void make_stop_keys(void)
{
	for (size_t i = 0; i < N_STOP_WORDS; i++)
		text_tokenize(stop_words[i], strlen(stop_words[i]), TEXT_TOK_QUERY, keep_first_key, &stop_keys[i]);
}

/* is_stop_key: whether a token key is the key of a stop word. */
static bool is_stop_key(const char *key, size_t len)
{
	pthread_once(&stop_keys_once, make_stop_keys);
	for (size_t i = 0; i < N_STOP_WORDS; i++)
		if (stop_keys[i].count == 1 && stop_keys[i].len == len && !memcmp(stop_keys[i].key, key, len))
			return true;
	return false;
}

struct term_tokens {
	size_t tokens, stops;
};

/* count_token: text_token_fn counting tokens and how many are stop words. */
static int count_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct term_tokens *t = ctx;
	t->tokens++;
	t->stops += is_stop_key(key, key_len);
	return 0;
}

/* add_term: append one reader's term to the FTS5 expression as a quoted string, unless it
 * holds nothing searchable, or only stop words when drop_stops. Returns whether it was added.
 * phrases (may be NULL) gets the quoted string too, NUL-terminated. */
static bool add_term(struct buf *expr, struct buf *phrases, const char *p, size_t n, bool negate,
		     bool drop_stops)
{
	struct term_tokens t = { 0, 0 };
	text_tokenize(p, n, TEXT_TOK_QUERY, count_token, &t);
	if (!t.tokens || (drop_stops && t.stops == t.tokens))
		return false;
	buf_adds(expr, negate ? " NOT " : (expr->n ? " " : ""));
	size_t from = expr->n;
	buf_addc(expr, '"');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(expr, '"');
		buf_addc(expr, p[i]);
	}
	buf_addc(expr, '"');
	if (phrases) {
		buf_add(phrases, expr->p + from, expr->n - from);
		buf_addc(phrases, 0);
	}
	return true;
}

/* build_match: the FTS5 MATCH expression for the reader's query: positive terms and phrases
 * first (all must match), then NOT terms. FTS5 syntax in the input is never passed through.
 * With drop_stops, unquoted terms that are stop words are left out. */
static enum ch_status build_match_with(const char *q, bool drop_stops, struct buf *expr,
				       struct buf *phrases, struct ch_error *err)
{
	struct buf neg;
	buf_init(&neg, 4096);
	size_t positives = 0, i = 0, n = strlen(q);
	while (i < n) {
		while (i < n && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r'))
			i++;
		if (i >= n)
			break;
		bool negate = q[i] == '-' && i + 1 < n && q[i + 1] != ' ';
		if (negate)
			i++;
		size_t start = i;
		bool quoted = q[i] == '"';
		if (quoted) {
			start = ++i;
			while (i < n && q[i] != '"')
				i++;
		} else {
			while (i < n && q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r')
				i++;
		}
		size_t len = i - start;
		if (i < n && q[i] == '"')
			i++;
		if (negate)
			add_term(&neg, NULL, q + start, len, true, false);
		else if (add_term(expr, phrases, q + start, len, false, drop_stops && !quoted))
			positives++;
	}
	enum ch_status s = CH_OK;
	if (!positives)
		s = ch_fail(err, CH_ERR_INVALID, "the query has no word to search for");
	else if (neg.n)
		s = buf_add(expr, neg.p, neg.n);
	if (s == CH_OK && expr->n > 4000)
		s = ch_fail(err, CH_ERR_INVALID, "the query is too long");
	buf_release(&neg);
	return s;
}

/* build_match: the expression without stop words, or with them when the query has nothing
 * else (a reader searching for «این» gets what they asked for); phrases gets its positive
 * phrases in order, each NUL-terminated. */
static enum ch_status build_match(const char *q, struct buf *expr, struct buf *phrases,
				  struct ch_error *err)
{
	if (build_match_with(q, true, expr, phrases, NULL) == CH_OK)
		return CH_OK;
	buf_reset(expr);
	buf_reset(phrases);
	return build_match_with(q, false, expr, phrases, err);
}

/* ---------------------------------------------------------------------------------------------
 * Snippets: a window of the text around the first match, its matches marked
 *
 * FTS5's snippet() tokenizes title, lead and body of every hit in full and scores each window;
 * at a million articles that was a third of a search's time. Here the lead, then the body, is
 * tokenized (by src/text's tokenizer, as the index was) only until SNIPPET_TOKENS positions
 * past the first place a query phrase matches; a match in the title alone gives the title.
 * Tokens are compared by a hash of their search keys, so every spelling the index folds
 * together is marked.
 */

#define MAX_PHRASES 64 /* phrases of a query that are ranked and marked */
#define SNIPPET_TOKENS 24 /* positions in a snippet, as snippet(…, 24) had */
#define SNIPPET_LEAD_IN 4 /* positions shown before the first match */
#define SNIPPET_MAX_KEYS 64

/* The query's phrases as key hashes: phrase i is keys[first[i] .. first[i + 1]). */
struct snippet_query {
	uint64_t keys[SNIPPET_MAX_KEYS];
	size_t n_keys;
	size_t first[MAX_PHRASES + 1];
	size_t phrases;
};

/* key_hash: FNV-1a of a token key. */
static uint64_t key_hash(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	return h;
}

/* add_query_key: text_token_fn appending a query token's hash to sq's keys. */
static int add_query_key(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct snippet_query *sq = ctx;
	if (sq->n_keys >= SNIPPET_MAX_KEYS)
		return 1;
	sq->keys[sq->n_keys++] = key_hash(key, key_len);
	return 0;
}

/* snippet_query_init: the key hashes of each positive phrase (phrases: quoted strings as in
 * the MATCH expression, each NUL-terminated); phrases without a token are left out. */
static void snippet_query_init(struct snippet_query *sq, const struct buf *phrases)
{
	sq->phrases = sq->n_keys = 0;
	sq->first[0] = 0;
	struct buf raw;
	buf_init(&raw, 8192);
	for (size_t at = 0; at < phrases->n && sq->phrases < MAX_PHRASES; at += strlen(phrases->p + at) + 1) {
		const char *p = phrases->p + at;
		size_t len = strlen(p);
		buf_reset(&raw);
		for (size_t i = 1; i + 1 < len; i++) /* unquote: "" is one " */
			if (buf_addc(&raw, p[i]) == CH_OK && p[i] == '"')
				i++;
		size_t before = sq->n_keys;
		if (raw.n)
			text_tokenize(raw.p, raw.n, TEXT_TOK_QUERY, add_query_key, sq);
		if (sq->n_keys > before)
			sq->first[++sq->phrases] = sq->n_keys;
	}
	buf_release(&raw);
}

#define SNIPPET_HISTORY 256 /* tokens kept to match phrases and place windows (≥ 80 positions) */
#define SNIPPET_MATCHES 128 /* phrase matches looked at in one column */
#define SNIPPET_LOOK_AHEAD 96 /* positions looked past a column's first window for a better one */

/* A snippet's window: positions [from_pos, from_pos + SNIPPET_TOKENS) of a column. */
struct snippet_window {
	size_t from_pos, from_byte, to_byte;
	bool more;      /* text after the window */
	size_t phrases; /* how many of the query's phrases it shows */
	struct { size_t start, end; } marks[SNIPPET_TOKENS * 2];
	size_t n_marks;
};

/* One column's scan: the tokens kept, the phrase matches, and the best window so far (the
 * first one showing the most distinct phrases, as FTS5's snippet() prefers). */
struct snippet_scan {
	const struct snippet_query *sq;
	struct {
		uint64_t key;
		size_t start, end, pos;
	} tok[SNIPPET_HISTORY];
	size_t n_tok; /* tokens seen (the last SNIPPET_HISTORY kept, by n % SNIPPET_HISTORY) */
	size_t pos;   /* position of the latest token */
	struct {
		size_t first_pos, last_pos, start, end;
		uint64_t phrase_bit;
	} match[SNIPPET_MATCHES];
	size_t n_match, next_window; /* the first match whose window is not looked at yet */
	size_t first_window_end;     /* the position after the first window */
	bool have_best;
	struct snippet_window best;
};

/* token_at: whether a kept token of position pos has the key hash key. */
static bool token_at(const struct snippet_scan *sc, size_t pos, uint64_t key)
{
	size_t kept = sc->n_tok < SNIPPET_HISTORY ? sc->n_tok : SNIPPET_HISTORY;
	for (size_t k = 1; k <= kept; k++) {
		size_t i = (sc->n_tok - k) % SNIPPET_HISTORY;
		if (sc->tok[i].pos < pos)
			break;
		if (sc->tok[i].pos == pos && sc->tok[i].key == key)
			return true;
	}
	return false;
}

/* position_span: the first byte (start) or the end of the kept tokens of position pos, which
 * spans a whole compound when its parts share the position. */
static size_t position_span(const struct snippet_scan *sc, size_t pos, bool start)
{
	size_t kept = sc->n_tok < SNIPPET_HISTORY ? sc->n_tok : SNIPPET_HISTORY, at = start ? SIZE_MAX : 0;
	for (size_t k = 1; k <= kept; k++) {
		size_t i = (sc->n_tok - k) % SNIPPET_HISTORY;
		if (sc->tok[i].pos < pos)
			break;
		if (sc->tok[i].pos == pos)
			at = start ? (sc->tok[i].start < at ? sc->tok[i].start : at)
				   : (sc->tok[i].end > at ? sc->tok[i].end : at);
	}
	return at;
}

/* add_mark: mark the bytes [start, end) of w (merged with the previous mark when they touch). */
static void add_mark(struct snippet_window *w, size_t start, size_t end)
{
	if (w->n_marks && start <= w->marks[w->n_marks - 1].end) {
		if (end > w->marks[w->n_marks - 1].end)
			w->marks[w->n_marks - 1].end = end;
		if (start < w->marks[w->n_marks - 1].start)
			w->marks[w->n_marks - 1].start = start;
	} else if (w->n_marks < sizeof w->marks / sizeof w->marks[0]) {
		w->marks[w->n_marks].start = start;
		w->marks[w->n_marks++].end = end;
	}
}

/* consider_window: the window of the next match not looked at (from SNIPPET_LEAD_IN positions
 * before it), through position last (the latest there is): kept as the best when it shows
 * more distinct phrases than the best so far. */
static void consider_window(struct snippet_scan *sc, size_t last, bool more)
{
	size_t first = sc->match[sc->next_window++].first_pos;
	struct snippet_window w = { .from_pos = first > SNIPPET_LEAD_IN ? first - SNIPPET_LEAD_IN : 0 };
	size_t to_pos = w.from_pos + SNIPPET_TOKENS - 1 < last ? w.from_pos + SNIPPET_TOKENS - 1 : last;
	uint64_t shown = 0;
	for (size_t m = 0; m < sc->n_match; m++) {
		if (sc->match[m].first_pos >= w.from_pos && sc->match[m].last_pos <= to_pos) {
			shown |= sc->match[m].phrase_bit;
			add_mark(&w, sc->match[m].start, sc->match[m].end);
		}
	}
	for (; shown; shown &= shown - 1)
		w.phrases++;
	if (sc->have_best && w.phrases <= sc->best.phrases)
		return;
	w.from_byte = position_span(sc, w.from_pos, true);
	w.to_byte = position_span(sc, to_pos, false);
	w.more = more;
	if (w.from_byte == SIZE_MAX || w.to_byte <= w.from_byte)
		return;
	if (!sc->have_best)
		sc->first_window_end = to_pos + 1;
	sc->best = w;
	sc->have_best = true;
}

/* match_phrases: record every phrase that ends with the token just kept. */
static void match_phrases(struct snippet_scan *sc)
{
	const struct snippet_query *sq = sc->sq;
	size_t last = (sc->n_tok - 1) % SNIPPET_HISTORY;
	for (size_t p = 0; p < sq->phrases && sc->n_match < SNIPPET_MATCHES; p++) {
		size_t len = sq->first[p + 1] - sq->first[p];
		if (sq->keys[sq->first[p + 1] - 1] != sc->tok[last].key || len > sc->pos + 1)
			continue;
		bool whole = true;
		for (size_t j = 0; whole && j < len; j++)
			whole = token_at(sc, sc->pos - (len - 1 - j), sq->keys[sq->first[p] + j]);
		if (!whole)
			continue;
		size_t first = sc->pos - (len - 1);
		/* marked as whole words: a compound, not just its matching part */
		sc->match[sc->n_match].first_pos = first;
		sc->match[sc->n_match].last_pos = sc->pos;
		sc->match[sc->n_match].start = position_span(sc, first, true);
		sc->match[sc->n_match].end = position_span(sc, sc->pos, false);
		sc->match[sc->n_match++].phrase_bit = 1ULL << p;
	}
}

/* scan_token: text_token_fn for a column: keep the token, look at the windows it completes,
 * match phrases; stops once a window shows every phrase, SNIPPET_LOOK_AHEAD positions after
 * the first window (a better one is rarely further and the rest of a long body costs), or
 * when matches are too many. */
static int scan_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct snippet_scan *sc = ctx;
	if (sc->n_tok && !colocated)
		sc->pos++;
	while (sc->next_window < sc->n_match) {
		size_t first = sc->match[sc->next_window].first_pos;
		size_t from = first > SNIPPET_LEAD_IN ? first - SNIPPET_LEAD_IN : 0;
		if (sc->pos < from + SNIPPET_TOKENS)
			break;
		consider_window(sc, sc->pos - 1, true);
	}
	if ((sc->have_best && (sc->best.phrases == sc->sq->phrases ||
			       sc->pos >= sc->first_window_end + SNIPPET_LOOK_AHEAD)) ||
	    sc->n_match == SNIPPET_MATCHES)
		return 1;
	size_t i = sc->n_tok++ % SNIPPET_HISTORY;
	sc->tok[i].key = key_hash(key, key_len);
	sc->tok[i].start = start;
	sc->tok[i].end = end;
	sc->tok[i].pos = sc->pos;
	match_phrases(sc);
	return 0;
}

/* scan_column: tokenize text until a window shows every phrase (or to its end); whether a
 * phrase matched (sc->best is then the window to show). */
static bool scan_column(struct snippet_scan *sc, const struct snippet_query *sq, const char *text)
{
	sc->sq = sq;
	sc->n_tok = sc->pos = sc->n_match = sc->next_window = 0;
	sc->have_best = false;
	if (!text || !*text || !sq->phrases)
		return false;
	bool stopped = text_tokenize(text, strlen(text), TEXT_TOK_DOCUMENT, scan_token, sc) != 0;
	while (sc->next_window < sc->n_match) /* windows cut short by the end of the text */
		consider_window(sc, sc->pos, stopped);
	return sc->have_best;
}

/* add_text: append n bytes of stored text, leaving out any byte that is one of the snippet's
 * marks (an article's own control characters must not open or close a mark). */
static void add_text(struct buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != SEARCH_MARK_OPEN && p[i] != SEARCH_MARK_CLOSE)
			buf_addc(b, p[i]);
}

/* render: the window w of text as the snippet, with its marks and an ellipsis where it was cut. */
static const char *render(const struct snippet_window *w, const char *text, struct arena *a)
{
	struct buf b;
	buf_init(&b, BUF_NO_LIMIT);
	if (w->from_pos > 0)
		buf_adds(&b, "…");
	size_t at = w->from_byte;
	for (size_t m = 0; m < w->n_marks; m++) {
		size_t start = w->marks[m].start < at ? at : w->marks[m].start;
		size_t end = w->marks[m].end > w->to_byte ? w->to_byte : w->marks[m].end;
		if (start >= end)
			continue;
		add_text(&b, text + at, start - at);
		buf_addc(&b, SEARCH_MARK_OPEN);
		add_text(&b, text + start, end - start);
		buf_addc(&b, SEARCH_MARK_CLOSE);
		at = end;
	}
	if (w->to_byte > at)
		add_text(&b, text + at, w->to_byte - at);
	if (w->more)
		buf_adds(&b, "…");
	char *out = arena_alloc(a, b.n + 1);
	if (out) {
		memcpy(out, b.p ? b.p : "", b.n);
		out[b.n] = 0;
	}
	buf_release(&b);
	return out;
}

/* snippet_make: the snippet of a hit (in the arena): the lead's best window, or the body's
 * when it shows more of the query's phrases; the title's when neither has a match; NULL when
 * nothing matches (a hit found through a spelling the tokenizer no longer folds the same way). */
static const char *snippet_make(const struct snippet_query *sq, const char *title, const char *lead,
				const char *body, struct arena *a)
{
	struct snippet_scan *sc = malloc(sizeof *sc);
	struct snippet_window *lead_best = malloc(sizeof *lead_best);
	const char *out = NULL;
	if (sc && lead_best) {
		bool in_lead = scan_column(sc, sq, lead);
		*lead_best = sc->best;
		if (in_lead && lead_best->phrases == sq->phrases)
			out = render(lead_best, lead, a);
		else if (scan_column(sc, sq, body) && (!in_lead || sc->best.phrases > lead_best->phrases))
			out = render(&sc->best, body, a);
		else if (in_lead)
			out = render(lead_best, lead, a);
		else if (scan_column(sc, sq, title))
			out = render(&sc->best, title, a);
	}
	free(sc);
	free(lead_best);
	return out;
}

/* ---------------------------------------------------------------------------------------------
 * Ranking by recency windows, then reading the page
 */

#define POOL_MIN 400        /* the fewest newest matches a page is ranked from */
#define POOL_PER_HIT 8      /* … or this many per hit the page needs, if more */

/* The filters of the pool (?2 outlet, ?3 and ?4 dates, ?5 category: the article's own or its
 * outlet's, looked up in article_categories as the category listing does). */
#define SEARCH_FILTERS \
	" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid" \
	" WHERE articles_fts MATCH ?1 AND (?2 = 0 OR a.source_id = ?2)" \
	" AND (?3 = 0 OR a.published >= ?3) AND (?4 = 0 OR a.published < ?4)" \
	" AND (?5 IS NULL OR EXISTS (SELECT 1 FROM article_categories c WHERE c.category = ?5" \
	" AND c.published = a.published AND c.article_id = a.id))"

/* bind_query: the expression and filters (?1–?6) of q. */
static void bind_query(sqlite3_stmt *s, const struct search_query *q, const char *expr)
{
	sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, q->source_id);
	sqlite3_bind_int64(s, 3, q->from);
	sqlite3_bind_int64(s, 4, q->to);
	sqlite3_bind_text(s, 5, q->category && *q->category ? q->category : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, q->now);
}

/* The newest ?9 matches with their BM25 (chapar_rank, in fts.c: title 4, lead 2, body 1, each
 * phrase's frequency in ?10; lower is better) and publication time: FTS5 walks its doclists
 * newest first and stops at the limit, so the pool is found and scored in one pass. */
static const char pool_sql[] =
	"SELECT a.id, chapar_rank(articles_fts, ?10), a.published"
	SEARCH_FILTERS " ORDER BY articles_fts.rowid DESC LIMIT ?9";

/* One hit shown: the article columns read_article expects (as sqlite.c's listings select
 * them), then the body for the snippet. A seek by id into articles, not into the index. */
static const char hit_sql[] =
	"SELECT a.id, a.source_id, a.story_id, a.url, a.canonical_url, a.guid, a.title,"
	" a.uptitle, a.lead, a.author, a.image, a.language, a.origin, a.categories, a.published,"
	" a.fetched, s.name, s.site_url,"
	" (SELECT coalesce(sum(count), 0) FROM views v WHERE v.article_id = a.id), a.body_text"
	" FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1";

static const char newest_sql[] = "SELECT coalesce(max(id), 0) FROM articles";
static const char sample_sql[] =
	"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2";

struct ranked {
	int64_t id;
	double score;
};

/* step_error: the reader's message for a search statement that failed. */
static enum ch_status step_error(struct store *st, struct ch_error *err)
{
	return ch_fail(err, CH_ERR_INVALID, "the search could not run: %s", sqlite3_errmsg(st->db));
}

#define DF_SAMPLE 64 /* matches looked at to estimate a phrase's document frequency */

/* phrase_frequencies: each phrase's document frequency into df (at most MAX_PHRASES;
 * *n gets how many): exact below DF_SAMPLE matches, otherwise estimated from how densely its
 * newest DF_SAMPLE matches lie among the newest ids (*newest_id gets the newest article id).
 * Cheap: no phrase is scanned to its end. */
static enum ch_status phrase_frequencies(struct store *st, const struct buf *phrases, double *df,
					 size_t *n, int64_t *newest_id, struct ch_error *err)
{
	sqlite3_stmt *s = sql_stmt(st, newest_sql, err);
	if (!s)
		return CH_ERR_DB;
	int64_t newest = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	*newest_id = newest;
	if (!(s = sql_stmt(st, sample_sql, err)))
		return CH_ERR_DB;
	size_t count = 0;
	for (size_t at = 0; at < phrases->n && count < MAX_PHRASES; at += strlen(phrases->p + at) + 1) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, phrases->p + at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, DF_SAMPLE);
		int64_t oldest = newest, seen = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			oldest = sqlite3_column_int64(s, 0);
			seen++;
		}
		double span = (double)(newest - oldest + 1);
		df[count++] = seen < DF_SAMPLE || span <= 0 ? (double)seen
			: (double)seen * (double)newest / span;
	}
	sqlite3_reset(s);
	*n = count;
	return CH_OK;
}

/* by_score: qsort order of ranked hits, best (lowest) score first, then the newer. */
static int by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* ---------------------------------------------------------------------------------------------
 * Stopping the walk early
 *
 * The walk goes newest first, and a week's age halves a score, so once the page is full of
 * matches whose scores no older article could beat even with the best BM25 there is, the rest
 * of the walk cannot change the page. BM25 gives a phrase at most idf × (k1 + 1) however often
 * it occurs; idf is taken over max(id) rows, which is at least the index's row count, so the
 * bound is never too low. This is what ends the slow queries: 2–3 middling words whose
 * intersection holds fewer than POOL_MIN matches used to be walked to the oldest article.
 * The walk is by id, and an article's id follows its storing time, not its date: an article
 * stored before another but dated later by up to DATE_SLACK is still weighed as it would be.
 */

#define BM25_SATURATION 2.2 /* k1 + 1 of chapar_rank (fts.c): one phrase adds at most idf × this */
#define AGE_HALVING 604800.0 /* seconds of age that halve a score (one week) */
#define DATE_SLACK 21600     /* seconds an older id may be dated after a newer one (6 hours) */

/* best_possible: a bound on the lowest (best) score any match of these phrases can have:
 * -(sum over phrases of idf × BM25_SATURATION), each idf over `rows` articles; -INFINITY (no
 * bound) when the phrases are more than MAX_PHRASES (not all of them have a frequency). */
static double best_possible(const double *df, size_t n_df, size_t phrases, int64_t rows)
{
	if (phrases > n_df)
		return -INFINITY;
	double best = 0;
	for (size_t i = 0; i < n_df; i++) {
		double idf = log(((double)rows - df[i] + 0.5) / (df[i] + 0.5));
		best -= (idf > 1e-6 ? idf : 1e-6) * BM25_SATURATION;
	}
	return best;
}

/* A max-heap of the `want` best (lowest) scores met so far: top is the worst of them, the
 * score a match must beat to reach the page. */
struct page_heap {
	double *v;
	size_t n, cap;
};

/* heap_offer: keep score if the heap has room or it beats the top (replacing the top). */
static void heap_offer(struct page_heap *h, double score)
{
	size_t i;
	if (h->n < h->cap) {
		i = h->n++;
		while (i > 0 && h->v[(i - 1) / 2] < score) { /* sift up */
			h->v[i] = h->v[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		h->v[i] = score;
		return;
	}
	if (!h->cap || score >= h->v[0])
		return;
	i = 0;
	for (;;) { /* sift the new score down from the top */
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] > h->v[c])
			c++;
		if (h->v[c] <= score)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	h->v[i] = score;
}

/* walk_is_done: whether no match older than one published at `published` can reach a full
 * page: the best possible score, discounted for that age less DATE_SLACK, is no better than
 * the page's worst. */
static bool walk_is_done(const struct page_heap *h, double best, int64_t now, int64_t published)
{
	if (h->n < h->cap || !h->cap)
		return false;
	double age = (double)(now - published - DATE_SLACK);
	return best / (1.0 + (age > 0 ? age : 0) / AGE_HALVING) >= h->v[0];
}

/* count_phrases: how many NUL-terminated phrases the buffer holds. */
static size_t count_phrases(const struct buf *phrases)
{
	size_t n = 0;
	for (size_t at = 0; at < phrases->n; at += strlen(phrases->p + at) + 1)
		n++;
	return n;
}

/* rank: the best `want` matches among the newest pool of matches, best first (r has room for
 * the pool); *n gets how many. A week's age halves a score. The walk stops early once no
 * older match can reach the page (see "Stopping the walk early"): the page is the same. */
static enum ch_status rank(struct store *st, const struct search_query *q, const char *expr,
			   const struct buf *phrases, struct ranked *r, size_t pool, size_t want,
			   size_t *n, struct ch_error *err)
{
	double df[MAX_PHRASES];
	size_t n_df = 0;
	int64_t newest = 0;
	enum ch_status res = phrase_frequencies(st, phrases, df, &n_df, &newest, err);
	if (res != CH_OK)
		return res;
	struct page_heap heap = { .v = malloc(want * sizeof(double)), .cap = want };
	if (!heap.v)
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	double best = best_possible(df, n_df, count_phrases(phrases), newest);
	sqlite3_stmt *s = sql_stmt(st, pool_sql, err);
	if (!s) {
		free(heap.v);
		return CH_ERR_DB;
	}
	bind_query(s, q, expr);
	sqlite3_bind_blob(s, 10, df, (int)(n_df * sizeof df[0]), SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)pool);
	size_t count = 0;
	int rc;
	while (count < pool && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t published = sqlite3_column_int64(s, 2);
		if (walk_is_done(&heap, best, q->now, published)) {
			rc = SQLITE_DONE;
			break;
		}
		double age = (double)(q->now - published);
		r[count].id = sqlite3_column_int64(s, 0);
		r[count].score = sqlite3_column_double(s, 1) / (1.0 + (age > 0 ? age : 0) / AGE_HALVING);
		heap_offer(&heap, r[count].score);
		count++;
	}
	if (count == pool)
		rc = SQLITE_DONE;
	res = rc == SQLITE_DONE ? CH_OK : step_error(st, err);
	sqlite3_reset(s);
	free(heap.v);
	qsort(r, count, sizeof *r, by_score);
	*n = count < want ? count : want;
	return res;
}

/* read_hits: the article and snippet of each ranked hit into out, in rank order (hits that
 * vanished since ranking are left out); *n gets how many. */
static enum ch_status read_hits(struct store *st, const struct snippet_query *sq, const struct ranked *r,
				size_t count, struct arena *a, struct search_hit *out, size_t *n,
				struct ch_error *err)
{
	size_t got = 0;
	for (size_t i = 0; i < count; i++) {
		sqlite3_stmt *s = sql_stmt(st, hit_sql, err);
		if (!s)
			return CH_ERR_DB;
		sqlite3_bind_int64(s, 1, r[i].id);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			read_article(s, a, &out[got].article, false);
			out[got].score = r[i].score;
			out[got].snippet = snippet_make(sq, (const char *)sqlite3_column_text(s, 6),
							(const char *)sqlite3_column_text(s, 8),
							(const char *)sqlite3_column_text(s, 19), a);
			got++;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(st, err, "read the search hits");
	}
	*n = got;
	return CH_OK;
}

enum ch_status store_search(struct store *st, const struct search_query *q, struct arena *a,
			    struct search_hit **out, size_t *n, struct ch_error *err)
{
	size_t limit = q->limit < 1 ? 1 : q->limit > 100 ? 100 : q->limit;
	size_t offset = q->offset > 100000 ? 100000 : q->offset;
	size_t want = offset + limit;
	size_t pool = want * POOL_PER_HIT > POOL_MIN ? want * POOL_PER_HIT : POOL_MIN;
	struct buf expr, phrases;
	buf_init(&expr, 8192);
	buf_init(&phrases, 8192);
	enum ch_status r = build_match(q->text ? q->text : "", &expr, &phrases, err);
	struct ranked *ranked = NULL;
	struct search_hit *v = NULL;
	struct snippet_query *sq = NULL;
	size_t ranked_n = 0;
	if (r == CH_OK) {
		ranked = calloc(pool, sizeof *ranked);
		sq = malloc(sizeof *sq);
		v = arena_alloc(a, limit * sizeof *v);
		if (!ranked || !v || !sq)
			r = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	if (r == CH_OK)
		r = rank(st, q, buf_str(&expr), &phrases, ranked, pool, want, &ranked_n, err);
	if (r == CH_OK) {
		size_t from = ranked_n < offset ? ranked_n : offset;
		snippet_query_init(sq, &phrases);
		r = read_hits(st, sq, ranked + from, ranked_n - from, a, v, n, err);
	}
	if (r == CH_OK)
		*out = v;
	free(ranked);
	free(sq);
	buf_release(&expr);
	buf_release(&phrases);
	return r;
}
