/*
 * search.c — full-text search over the "persian" FTS5 index (see fts.c): the reader's query is
 * turned into an FTS5 expression of quoted terms (so FTS5 syntax is never passed through),
 * ranked by bm25 over title, lead and body, weighted towards recent articles, with a snippet.
 *
 * Speed (bench/search): scoring every match is what makes a search slow — a common word
 * matches half of a million articles. So a search ranks a pool: the newest matches, at least
 * POOL_MIN of them or POOL_PER_HIT per hit the page needs. FTS5 finds the pool's oldest id by
 * walking its doclists newest first without scoring (cheap), then scores only the matches from
 * that id on. A page therefore holds the best matches among the newest few hundred; an older
 * article shows up when newer ones run out (or through the date filter), which is what a reader
 * of news expects, and the ranking already discounts age (a week halves a score). A query with
 * fewer matches than the pool is ranked over all of them, exactly as before.
 * Common function words (STOP_WORDS) are dropped from a query unless it has nothing else,
 * since they match nearly every article and change no ranking. The page's articles and
 * snippets are read only for the hits shown, not for every match.
 */
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

/* is_stop_key: whether a token key is the key of a stop word. */
static bool is_stop_key(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
		struct first_key k = { .len = 0 };
		text_tokenize(stop_words[i], strlen(stop_words[i]), TEXT_TOK_QUERY, keep_first_key, &k);
		if (k.count == 1 && k.len == len && !memcmp(k.key, key, len))
			return true;
	}
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
 * Ranking by recency windows, then reading the page
 */

#define POOL_MIN 400        /* the fewest newest matches a page is ranked from */
#define POOL_PER_HIT 8      /* … or this many per hit the page needs, if more */

/* The filters shared by both statements (?2 outlet, ?3 and ?4 dates, ?5 category). */
#define SEARCH_FILTERS \
	" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid" \
	" JOIN sources s ON s.id = a.source_id" \
	" WHERE articles_fts MATCH ?1 AND (?2 = 0 OR a.source_id = ?2)" \
	" AND (?3 = 0 OR a.published >= ?3) AND (?4 = 0 OR a.published < ?4)" \
	" AND (?5 IS NULL OR s.category = ?5 OR ',' || replace(a.categories, ', ', ',') || ',' LIKE '%,' || ?5 || ',%')"

/* The id of the ?9-th newest match (no row when there are fewer): FTS5 walks its doclists
 * newest first without scoring anything. */
static const char pool_sql[] =
	"SELECT articles_fts.rowid" SEARCH_FILTERS " ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET ?9";

/* The ranking of the matches with id >= ?8 (the pool), best first: BM25 (chapar_rank, in
 * fts.c: title 4, lead 2, body 1, each phrase's frequency in ?10); a week's age halves it. */
static const char rank_sql[] =
	"SELECT a.id, chapar_rank(articles_fts, ?10) / (1.0 + max(0, ?6 - a.published) / 604800.0) AS score"
	SEARCH_FILTERS " AND articles_fts.rowid >= ?8 ORDER BY score LIMIT ?7";

/* The page's articles (the columns read_article expects, as sqlite.c's listings select them)
 * and snippets: one walk over the matches with ids in [?2, ?3], keeping those in the list ?4
 * (",id,id,"). Walking the range costs about what the pool did; looking each hit up by id costs
 * a seek into every index segment per hit. */
static const char hits_sql[] =
	"SELECT a.id, a.source_id, a.story_id, a.url, a.canonical_url, a.guid, a.title,"
	" a.uptitle, a.lead, a.author, a.image, a.language, a.origin, a.categories, a.published,"
	" a.fetched, s.name, s.site_url,"
	" (SELECT coalesce(sum(count), 0) FROM views v WHERE v.article_id = a.id),"
	" snippet(articles_fts, -1, char(1), char(2), '…', 24)"
	" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
	" JOIN sources s ON s.id = a.source_id"
	" WHERE articles_fts MATCH ?1 AND articles_fts.rowid BETWEEN ?2 AND ?3"
	" AND instr(?4, ',' || articles_fts.rowid || ',') > 0";

struct ranked {
	int64_t id;
	double score;
};

/* prepare: a statement for this search (finalized by the caller); NULL with err filled. */
static sqlite3_stmt *prepare(struct store *st, const char *sql, struct ch_error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "prepare a search");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

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

/* step_error: the reader's message for a search statement that failed. */
static enum ch_status step_error(struct store *st, struct ch_error *err)
{
	return ch_fail(err, CH_ERR_INVALID, "the search could not run: %s", sqlite3_errmsg(st->db));
}

/* pool_floor: the lowest id of the newest `pool` matches (0 when there are no more than that). */
static enum ch_status pool_floor(struct store *st, const struct search_query *q, const char *expr,
				 size_t pool, int64_t *floor, struct ch_error *err)
{
	sqlite3_stmt *s = prepare(st, pool_sql, err);
	if (!s)
		return CH_ERR_DB;
	bind_query(s, q, expr);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)pool - 1);
	int rc = sqlite3_step(s);
	*floor = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	enum ch_status res = rc == SQLITE_ROW || rc == SQLITE_DONE ? CH_OK : step_error(st, err);
	sqlite3_finalize(s);
	return res;
}

#define DF_SAMPLE 64 /* matches looked at to estimate a phrase's document frequency */
#define MAX_PHRASES 64

/* phrase_frequencies: each phrase's document frequency into df (at most MAX_PHRASES;
 * *n gets how many): exact below DF_SAMPLE matches, otherwise estimated from how densely its
 * newest DF_SAMPLE matches lie among the newest ids. Cheap: no phrase is scanned to its end. */
static enum ch_status phrase_frequencies(struct store *st, const struct buf *phrases, double *df,
					 size_t *n, struct ch_error *err)
{
	sqlite3_stmt *s = prepare(st, "SELECT coalesce(max(id), 0) FROM articles", err);
	if (!s)
		return CH_ERR_DB;
	int64_t newest = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	s = prepare(st, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1"
			" ORDER BY rowid DESC LIMIT ?2", err);
	if (!s)
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
	sqlite3_finalize(s);
	*n = count;
	return CH_OK;
}

/* rank: the best `want` matches among the newest pool of matches, best first; *n gets how many. */
static enum ch_status rank(struct store *st, const struct search_query *q, const char *expr,
			   const struct buf *phrases, struct ranked *r, size_t want, size_t *n,
			   struct ch_error *err)
{
	size_t pool = want * POOL_PER_HIT > POOL_MIN ? want * POOL_PER_HIT : POOL_MIN;
	int64_t floor = 0;
	double df[MAX_PHRASES];
	size_t n_df = 0;
	enum ch_status res = phrase_frequencies(st, phrases, df, &n_df, err);
	double fewest = n_df ? df[0] : 0;
	for (size_t i = 1; i < n_df; i++)
		fewest = df[i] < fewest ? df[i] : fewest;
	/* every match holds every phrase: when one phrase has fewer articles than the pool, so
	 * does the query, and the pool is all of it (no need to walk the matches to find its floor) */
	if (res == CH_OK && (!n_df || fewest >= (double)pool))
		res = pool_floor(st, q, expr, pool, &floor, err);
	if (res != CH_OK)
		return res;
	sqlite3_stmt *s = prepare(st, rank_sql, err);
	if (!s)
		return CH_ERR_DB;
	bind_query(s, q, expr);
	sqlite3_bind_blob(s, 10, df, (int)(n_df * sizeof df[0]), SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)want);
	sqlite3_bind_int64(s, 8, floor);
	size_t count = 0;
	int rc;
	while (count < want && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		r[count].id = sqlite3_column_int64(s, 0);
		r[count].score = sqlite3_column_double(s, 1);
		count++;
	}
	if (count == want)
		rc = SQLITE_DONE;
	*n = count;
	res = rc == SQLITE_DONE ? CH_OK : step_error(st, err);
	sqlite3_finalize(s);
	return res;
}

/* read_hits: the article and snippet of each ranked hit into out, in rank order (hits that
 * vanished since ranking are left out); *n gets how many. */
static enum ch_status read_hits(struct store *st, const char *expr, const struct ranked *r, size_t count,
				struct arena *a, struct search_hit *out, size_t *n, struct ch_error *err)
{
	*n = 0;
	if (!count)
		return CH_OK;
	int64_t lo = r[0].id, hi = r[0].id;
	struct buf ids;
	buf_init(&ids, BUF_NO_LIMIT);
	buf_addc(&ids, ',');
	for (size_t i = 0; i < count; i++) {
		lo = r[i].id < lo ? r[i].id : lo;
		hi = r[i].id > hi ? r[i].id : hi;
		buf_addf(&ids, "%lld,", (long long)r[i].id);
	}
	sqlite3_stmt *s = prepare(st, hits_sql, err);
	if (!s) {
		buf_release(&ids);
		return CH_ERR_DB;
	}
	sqlite3_bind_text(s, 1, expr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	sqlite3_bind_text(s, 4, buf_str(&ids), -1, SQLITE_STATIC);
	bool *found = arena_alloc(a, count * sizeof *found);
	int rc = SQLITE_NOMEM;
	if (found) {
		memset(found, 0, count * sizeof *found);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);
			for (size_t i = 0; i < count; i++) {
				if (r[i].id == id && !found[i]) {
					read_article(s, a, &out[i].article, false);
					out[i].snippet = col_text(s, 19, a);
					out[i].score = r[i].score;
					found[i] = true;
					break;
				}
			}
		}
	}
	enum ch_status res = rc == SQLITE_DONE ? CH_OK : db_fail(st, err, "read the search hits");
	sqlite3_finalize(s);
	buf_release(&ids);
	size_t got = 0;
	for (size_t i = 0; res == CH_OK && i < count; i++)
		if (found[i])
			out[got++] = out[i];
	*n = got;
	return res;
}

enum ch_status store_search(struct store *st, const struct search_query *q, struct arena *a,
			    struct search_hit **out, size_t *n, struct ch_error *err)
{
	size_t limit = q->limit < 1 ? 1 : q->limit > 100 ? 100 : q->limit;
	size_t offset = q->offset > 100000 ? 100000 : q->offset;
	struct buf expr, phrases;
	buf_init(&expr, 8192);
	buf_init(&phrases, 8192);
	enum ch_status r = build_match(q->text ? q->text : "", &expr, &phrases, err);
	struct ranked *ranked = NULL;
	struct search_hit *v = NULL;
	size_t ranked_n = 0;
	if (r == CH_OK) {
		ranked = calloc(offset + limit, sizeof *ranked);
		v = arena_alloc(a, limit * sizeof *v);
		if (!ranked || !v)
			r = ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	if (r == CH_OK)
		r = rank(st, q, buf_str(&expr), &phrases, ranked, offset + limit, &ranked_n, err);
	if (r == CH_OK) {
		size_t from = ranked_n < offset ? ranked_n : offset;
		r = read_hits(st, buf_str(&expr), ranked + from, ranked_n - from, a, v, n, err);
	}
	if (r == CH_OK)
		*out = v;
	free(ranked);
	buf_release(&expr);
	buf_release(&phrases);
	return r;
}
