/*
 * form.c — application/x-www-form-urlencoded bodies, as the admin area's forms send them:
 * `a=1&b=x+y%2F`. Decoding is strict about nothing (a browser's form is the only client) but
 * safe about everything: bad escapes are kept as written and invalid UTF-8 becomes U+FFFD.
 */
#include <string.h>

#include "web/web_internal.h"

/* hex_value: the value of one hex digit, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decode: append the form-decoded bytes of p (n) to out. */
static void decode(struct buf *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (p[i] == '+') {
			buf_addc(out, ' ');
		} else if (p[i] == '%' && i + 2 < n && (hi = hex_value(p[i + 1])) >= 0 &&
			   (lo = hex_value(p[i + 2])) >= 0) {
			buf_addc(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			buf_addc(out, p[i]);
		}
	}
}

const char *form_value(struct arena *a, const char *body, size_t n, const char *name)
{
	size_t name_len = strlen(name);
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && body[end] != '&')
			end++;
		const char *eq = memchr(body + i, '=', end - i);
		size_t key_end = eq ? (size_t)(eq - body) : end;
		struct buf key;
		buf_init(&key, 4096);
		decode(&key, body + i, key_end - i);
		bool match = key.n == name_len && memcmp(buf_str(&key), name, name_len) == 0;
		buf_release(&key);
		if (match) {
			struct buf raw, val;
			buf_init(&raw, 4u << 20);
			buf_init(&val, 4u << 20);
			if (eq)
				decode(&raw, eq + 1, end - key_end - 1);
			utf8_repair(&val, buf_str(&raw), raw.n);
			const char *r = arena_strndup(a, buf_str(&val), val.n);
			buf_release(&raw);
			buf_release(&val);
			return r;
		}
		i = end + 1;
	}
	return NULL;
}
