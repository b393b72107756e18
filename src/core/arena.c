/*
 * arena.c — bump allocator for one unit of work, freed at once (as nginx's pools). Chunks grow
 * geometrically; large requests get a chunk of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n || (a->limit && (need > a->limit || a->total > a->limit - need)))
		return NULL;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t size = c ? c->size * 2 : 4096;
		if (size > (1u << 20))
			size = 1u << 20;
		if (size < need)
			size = need;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_grow_array(struct arena *a, void *v, size_t *cap, size_t elem, size_t count)
{
	if (v && count < *cap)
		return v;
	size_t want = *cap ? *cap * 2 : 16;
	if (want > SIZE_MAX / elem)
		return NULL;
	void *w = arena_alloc(a, want * elem);
	if (w && v && count)
		memcpy(w, v, count * elem);
	if (w)
		*cap = want;
	return w;
}
