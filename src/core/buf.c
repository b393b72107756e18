/*
 * buf.c — owned growable byte buffers with a hard cap. The cap is what keeps a hostile feed,
 * page or request from growing memory without bound: every producer of unbounded data writes
 * into a buf whose limit it chose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

void buf_init(struct buf *b, size_t limit)
{
	b->p = NULL;
	b->n = 0;
	b->cap = 0;
	b->limit = limit;
}

void buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	if (!b->p && buf_grow(b, 0) != CH_OK)
		return NULL;
	char *p = b->p;
	if (len)
		*len = b->n;
	b->p = NULL;
	b->n = 0;
	b->cap = 0;
	return p;
}

enum ch_status buf_grow(struct buf *b, size_t extra)
{
	if (extra > b->limit || b->n > b->limit - extra)
		return CH_ERR_LIMIT;
	size_t need = b->n + extra + 1;
	if (need <= b->cap)
		return CH_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return CH_ERR_NOMEM;
	if (!b->p)
		p[0] = '\0';
	b->p = p;
	b->cap = cap;
	return CH_OK;
}

enum ch_status buf_add(struct buf *b, const void *p, size_t n)
{
	enum ch_status st = buf_grow(b, n);
	if (st != CH_OK)
		return st;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return CH_OK;
}

enum ch_status buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum ch_status buf_addc(struct buf *b, char c)
{
	if (b->n + 1 < b->cap && b->n < b->limit) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
		return CH_OK;
	}
	return buf_add(b, &c, 1);
}

enum ch_status buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	char small[256];
	int len = vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	if (len < 0)
		return CH_ERR_INVALID;
	if ((size_t)len < sizeof small)
		return buf_add(b, small, (size_t)len);
	enum ch_status st = buf_grow(b, (size_t)len);
	if (st != CH_OK)
		return st;
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	b->n += (size_t)len;
	return CH_OK;
}

enum ch_status buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum ch_status st = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return st;
}

const char *buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}

struct slice buf_slice(const struct buf *b)
{
	return (struct slice){ buf_str(b), b->n };
}
