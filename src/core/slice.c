/*
 * slice.c — borrowed byte ranges.
 */
#include <string.h>

#include "core/core.h"

struct slice slice_from(const char *s)
{
	return (struct slice){ s ? s : "", s ? strlen(s) : 0 };
}

bool slice_eq(struct slice a, struct slice b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool slice_eq_str(struct slice a, const char *s)
{
	return slice_eq(a, slice_from(s));
}

bool slice_starts_with(struct slice a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.n >= n && memcmp(a.p, prefix, n) == 0;
}

/* is_space: ASCII whitespace only; Unicode spaces are text's business. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct slice slice_trim(struct slice a)
{
	while (a.n && is_space(a.p[0])) {
		a.p++;
		a.n--;
	}
	while (a.n && is_space(a.p[a.n - 1]))
		a.n--;
	return a;
}
