/*
 * jsonl.c — a small strict reader for the JSON lines of `chapar stories --jsonl`: one flat
 * object per line whose values are strings, numbers, true, false or null. It is not a general
 * JSON parser (jansson belongs to src/feed): nesting is refused, which keeps it short enough to
 * check by eye and by fuzzing. Strings are unescaped into the record's own buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rank/rank.h"

/* The keys the reader knows, in the order of the fields they fill. */
enum field { F_ID, F_SOURCE, F_CREDIT, F_URL, F_TITLE, F_LEAD, F_BODY, F_PUBLISHED, F_COUNT };
static const char *const FIELD_NAMES[F_COUNT] = { "id", "source", "source_credit", "url",
						  "title", "lead", "body", "published" };

/* A cursor over one line. */
struct cursor {
	const char *p;
	size_t n, i;
	struct ch_error *err;
};

/* fail: a parse error at the cursor's column. */
static enum ch_status fail(struct cursor *c, const char *what)
{
	return ch_fail(c->err, CH_ERR_PARSE, "JSON line, column %zu: %s", c->i + 1, what);
}

/* skip_ws: past JSON whitespace. */
static void skip_ws(struct cursor *c)
{
	while (c->i < c->n && (c->p[c->i] == ' ' || c->p[c->i] == '\t' || c->p[c->i] == '\r' ||
			       c->p[c->i] == '\n'))
		c->i++;
}

/* hex4: four hex digits at the cursor into *v. */
static bool hex4(struct cursor *c, uint32_t *v)
{
	if (c->n - c->i < 4)
		return false;
	*v = 0;
	for (int k = 0; k < 4; k++) {
		char h = c->p[c->i + (size_t)k];
		int d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
						: (h >= 'A' && h <= 'F')   ? h - 'A' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v * 16 + (uint32_t)d;
	}
	c->i += 4;
	return true;
}

/* parse_string: the string at the cursor (opening quote included), unescaped and appended to
 * out with a terminating NUL kept in out (out->n then points past the NUL). */
static enum ch_status parse_string(struct cursor *c, struct buf *out)
{
	if (c->i >= c->n || c->p[c->i] != '"')
		return fail(c, "expected a string");
	c->i++;
	enum ch_status st = CH_OK;
	for (;;) {
		if (c->i >= c->n)
			return fail(c, "unterminated string");
		unsigned char ch = (unsigned char)c->p[c->i];
		if (ch == '"') {
			c->i++;
			break;
		}
		if (ch < 0x20)
			return fail(c, "control character in string");
		if (ch == '\\') {
			c->i++;
			if (c->i >= c->n)
				return fail(c, "unterminated escape");
			char e = c->p[c->i++];
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *k = e ? strchr(from, e) : NULL;
			if (k) {
				st = buf_addc(out, to[k - from]);
			} else if (e == 'u') {
				uint32_t cp, lo;
				if (!hex4(c, &cp))
					return fail(c, "bad \\u escape");
				if (cp >= 0xDC00 && cp <= 0xDFFF)
					return fail(c, "lone low surrogate");
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (c->n - c->i < 2 || c->p[c->i] != '\\' || c->p[c->i + 1] != 'u')
						return fail(c, "lone high surrogate");
					c->i += 2;
					if (!hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						return fail(c, "bad low surrogate");
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				}
				if (cp == 0)
					return fail(c, "NUL in string");
				st = utf8_add(out, cp);
			} else {
				return fail(c, "bad escape");
			}
		} else {
			/* a run of plain bytes, copied at once */
			size_t run = c->i;
			while (run < c->n && c->p[run] != '"' && c->p[run] != '\\' &&
			       (unsigned char)c->p[run] >= 0x20)
				run++;
			if (!utf8_valid(c->p + c->i, run - c->i)) {
				while (c->i < run) { /* find the column of the bad byte */
					uint32_t cp;
					bool bad = false;
					size_t len = utf8_decode(c->p + c->i, run - c->i, &cp, &bad);
					if (bad)
						return fail(c, "invalid UTF-8");
					c->i += len;
				}
			}
			st = buf_add(out, c->p + c->i, run - c->i);
			c->i = run;
		}
		if (st != CH_OK)
			return ch_fail(c->err, st, "JSON line: %s", ch_status_name(st));
	}
	st = buf_addc(out, '\0');
	return st == CH_OK ? CH_OK : ch_fail(c->err, st, "JSON line: %s", ch_status_name(st));
}

/* parse_number: a JSON number at the cursor into *v: its integer part (a fraction is dropped);
 * exponents and integers outside int64 are refused. */
static enum ch_status parse_number(struct cursor *c, int64_t *v)
{
	size_t s = c->i;
	if (c->i < c->n && c->p[c->i] == '-')
		c->i++;
	if (c->i >= c->n || c->p[c->i] < '0' || c->p[c->i] > '9')
		return fail(c, "bad number");
	if (c->p[c->i] == '0' && c->i + 1 < c->n && c->p[c->i + 1] >= '0' && c->p[c->i + 1] <= '9')
		return fail(c, "leading zero in number");
	while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
		c->i++;
	size_t int_end = c->i;
	if (c->i < c->n && c->p[c->i] == '.') {
		c->i++;
		size_t d = c->i;
		while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9')
			c->i++;
		if (c->i == d)
			return fail(c, "bad fraction");
	}
	if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E'))
		return fail(c, "exponents are not accepted here");
	char digits[24];
	size_t len = int_end - s;
	if (len >= sizeof digits)
		return fail(c, "number out of range");
	memcpy(digits, c->p + s, len);
	digits[len] = '\0';
	errno = 0;
	*v = strtoll(digits, NULL, 10);
	return errno == 0 ? CH_OK : fail(c, "number out of range");
}

/* parse_literal: true, false or null at the cursor. */
static enum ch_status parse_literal(struct cursor *c, bool *is_null)
{
	static const char *const LITS[] = { "true", "false", "null" };
	for (int k = 0; k < 3; k++) {
		size_t len = strlen(LITS[k]);
		if (c->n - c->i >= len && memcmp(c->p + c->i, LITS[k], len) == 0) {
			c->i += len;
			*is_null = k == 2;
			return CH_OK;
		}
	}
	return fail(c, "expected a value");
}

void rank_jsonl_init(struct rank_jsonl_record *rec)
{
	memset(&rec->article, 0, sizeof rec->article);
	buf_init(&rec->text, (size_t)64 << 20);
}

void rank_jsonl_release(struct rank_jsonl_record *rec)
{
	buf_release(&rec->text);
	memset(&rec->article, 0, sizeof rec->article);
}

/* field_of: which known field a key names, or F_COUNT. */
static enum field field_of(const char *key)
{
	for (int f = 0; f < F_COUNT; f++)
		if (strcmp(key, FIELD_NAMES[f]) == 0)
			return (enum field)f;
	return F_COUNT;
}

/* parse_value: one value for field f (F_COUNT: skipped key); string offsets go to *off (or
 * SIZE_MAX for null), numbers to *num. */
static enum ch_status parse_value(struct cursor *c, struct rank_jsonl_record *rec, enum field f,
				  size_t *off, int64_t *num, bool *is_num)
{
	enum ch_status st;
	char ch = c->i < c->n ? c->p[c->i] : '\0';
	*off = SIZE_MAX;
	*is_num = false;
	if (ch == '"') {
		size_t mark = rec->text.n;
		st = parse_string(c, &rec->text);
		if (st == CH_OK)
			*off = mark;
		return st;
	}
	if (ch == '-' || (ch >= '0' && ch <= '9')) {
		*is_num = true;
		return parse_number(c, num);
	}
	if (ch == '{' || ch == '[')
		return fail(c, "nested objects and arrays are not accepted");
	bool is_null = false;
	st = parse_literal(c, &is_null);
	if (st == CH_OK && !is_null && f != F_COUNT)
		return fail(c, "true/false where a string is expected");
	return st;
}

enum ch_status rank_jsonl_parse(struct rank_jsonl_record *rec, const char *line, size_t n,
				struct ch_error *err)
{
	struct cursor c = { line, n, 0, err };
	size_t offs[F_COUNT];
	bool seen[F_COUNT] = { false };
	int64_t published = 0, id_num = 0;
	bool id_is_num = false;
	for (int f = 0; f < F_COUNT; f++)
		offs[f] = SIZE_MAX;
	buf_reset(&rec->text);
	memset(&rec->article, 0, sizeof rec->article);
	enum ch_status st = buf_grow(&rec->text, n + 32);
	if (st != CH_OK)
		return ch_fail(err, st, "JSON line: %s", ch_status_name(st));

	skip_ws(&c);
	if (c.i >= c.n || c.p[c.i] != '{')
		return fail(&c, "expected '{'");
	c.i++;
	skip_ws(&c);
	bool first = true;
	for (;;) {
		if (c.i < c.n && c.p[c.i] == '}' && first) {
			c.i++;
			break;
		}
		size_t key_off = rec->text.n;
		if ((st = parse_string(&c, &rec->text)) != CH_OK)
			return st;
		enum field f = field_of(rec->text.p + key_off);
		rec->text.n = key_off; /* keys are not kept */
		if (f != F_COUNT && seen[f])
			return fail(&c, "duplicate key");
		skip_ws(&c);
		if (c.i >= c.n || c.p[c.i] != ':')
			return fail(&c, "expected ':'");
		c.i++;
		skip_ws(&c);
		size_t off;
		int64_t num = 0;
		bool is_num;
		if ((st = parse_value(&c, rec, f, &off, &num, &is_num)) != CH_OK)
			return st;
		if (f != F_COUNT) {
			seen[f] = true;
			if (is_num && f == F_PUBLISHED) {
				published = num;
			} else if (is_num && f == F_ID) {
				id_num = num;
				id_is_num = true;
			} else if (is_num) {
				return fail(&c, "number where a string is expected");
			} else {
				offs[f] = off;
			}
		} else if (off != SIZE_MAX) {
			rec->text.n = off; /* unknown string value: drop it */
		}
		skip_ws(&c);
		first = false;
		if (c.i < c.n && c.p[c.i] == ',') {
			c.i++;
			skip_ws(&c);
			continue;
		}
		if (c.i < c.n && c.p[c.i] == '}') {
			c.i++;
			break;
		}
		return fail(&c, "expected ',' or '}'");
	}
	skip_ws(&c);
	if (c.i != c.n)
		return fail(&c, "trailing bytes after the object");
	if (!seen[F_ID] || (offs[F_ID] == SIZE_MAX && !id_is_num))
		return ch_fail(err, CH_ERR_PARSE, "JSON line: no \"id\"");
	if (id_is_num) {
		offs[F_ID] = rec->text.n;
		if ((st = buf_addf(&rec->text, "%lld", (long long)id_num)) != CH_OK ||
		    (st = buf_addc(&rec->text, '\0')) != CH_OK)
			return ch_fail(err, st, "JSON line: %s", ch_status_name(st));
	}
	if (offs[F_PUBLISHED] != SIZE_MAX &&
	    time_parse_iso(rec->text.p + offs[F_PUBLISHED], &published) != CH_OK)
		return ch_fail(err, CH_ERR_PARSE, "JSON line: \"published\" is not an ISO 8601 time: '%.64s'",
			       rec->text.p + offs[F_PUBLISHED]);
	/* the buffer no longer moves: turn offsets into pointers */
	const char **dst[F_COUNT] = { &rec->article.id, &rec->article.source, &rec->article.source_credit,
				     &rec->article.url, &rec->article.title, &rec->article.lead,
				     &rec->article.body, NULL };
	for (int f = 0; f < F_PUBLISHED; f++)
		*dst[f] = offs[f] == SIZE_MAX ? NULL : rec->text.p + offs[f];
	rec->article.published = published;
	return CH_OK;
}
