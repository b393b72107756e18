/*
 * search.c — full-text search over the "persian" FTS5 index (see fts.c): the reader's query is
 * turned into an FTS5 expression of quoted terms (so FTS5 syntax is never passed through),
 * ranked by bm25 over title, lead and body, weighted towards recent articles, with a snippet.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"


/* count_token: text_token_fn counting tokens. */
static int count_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	(*(size_t *)ctx)++;
	return 0;
}

/* add_term: append one reader's term to the FTS5 expression as a quoted string, unless it
 * holds nothing searchable. Returns whether it was added. */
static bool add_term(struct buf *expr, const char *p, size_t n, bool negate)
{
	size_t tokens = 0;
	text_tokenize(p, n, TEXT_TOK_QUERY, count_token, &tokens);
	if (!tokens)
		return false;
	buf_adds(expr, negate ? " NOT \"" : (expr->n ? " \"" : "\""));
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(expr, '"');
		buf_addc(expr, p[i]);
	}
	buf_addc(expr, '"');
	return true;
}

/* build_match: the FTS5 MATCH expression for the reader's query: positive terms and phrases
 * first (all must match), then NOT terms. FTS5 syntax in the input is never passed through. */
static enum ch_status build_match(const char *q, struct buf *expr, struct ch_error *err)
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
		if (q[i] == '"') {
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
			add_term(&neg, q + start, len, true);
		else if (add_term(expr, q + start, len, false))
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

enum ch_status store_search(struct store *st, const struct search_query *q, struct arena *a,
			    struct search_hit **out, size_t *n, struct ch_error *err)
{
	size_t limit = q->limit < 1 ? 1 : q->limit > 100 ? 100 : q->limit;
	struct buf expr;
	buf_init(&expr, 8192);
	enum ch_status r = build_match(q->text ? q->text : "", &expr, err);
	if (r != CH_OK) {
		buf_release(&expr);
		return r;
	}
	sqlite3_stmt *s = stmt(st, S_SEARCH, err);
	if (!s) {
		buf_release(&expr);
		return CH_ERR_DB;
	}
	sqlite3_bind_text(s, 1, buf_str(&expr), -1, SQLITE_TRANSIENT);
	buf_release(&expr);
	sqlite3_bind_int64(s, 2, q->source_id);
	sqlite3_bind_int64(s, 3, q->from);
	sqlite3_bind_int64(s, 4, q->to);
	bind_text(s, 5, q->category && *q->category ? q->category : NULL);
	sqlite3_bind_int64(s, 6, q->now);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)limit);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)q->offset);
	struct search_hit *v = arena_alloc(a, limit * sizeof *v);
	if (!v) {
		sqlite3_reset(s);
		return ch_fail(err, CH_ERR_NOMEM, "out of memory");
	}
	size_t count = 0;
	int rc;
	while (count < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_article(s, a, &v[count].article, false);
		v[count].snippet = col_text(s, 19, a);
		v[count].score = sqlite3_column_double(s, 20);
		count++;
	}
	if (count == limit)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ch_fail(err, CH_ERR_INVALID, "the search could not run: %s", sqlite3_errmsg(st->db));
	*out = v;
	*n = count;
	return CH_OK;
}
