/*
 * json.c — a streaming JSON writer. It places commas and colons; the caller nests correctly.
 * The first failure (size cap, memory) sticks in w->status and later calls do nothing, so a
 * writer can be driven without checking every call.
 */
#include <math.h>
#include <string.h>

#include "core/core.h"

void jw_init(struct json_writer *w, struct buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

/* before_value: the comma that separates this value from the previous sibling. */
static void before_value(struct json_writer *w)
{
	if (w->status != CH_OK)
		return;
	if (w->need_comma[w->depth])
		w->status = buf_addc(w->out, ',');
	w->need_comma[w->depth] = true;
}

/* open: start an object or array. */
static void open_container(struct json_writer *w, char c)
{
	before_value(w);
	if (w->status != CH_OK)
		return;
	if (w->depth + 1 >= (int)(sizeof w->need_comma / sizeof w->need_comma[0])) {
		w->status = CH_ERR_LIMIT;
		return;
	}
	w->status = buf_addc(w->out, c);
	w->need_comma[++w->depth] = false;
}

/* close: end an object or array. */
static void close_container(struct json_writer *w, char c)
{
	if (w->status != CH_OK)
		return;
	if (w->depth > 0)
		w->depth--;
	w->status = buf_addc(w->out, c);
}

void jw_object_begin(struct json_writer *w) { open_container(w, '{'); }
void jw_object_end(struct json_writer *w) { close_container(w, '}'); }
void jw_array_begin(struct json_writer *w) { open_container(w, '['); }
void jw_array_end(struct json_writer *w) { close_container(w, ']'); }

void jw_key(struct json_writer *w, const char *key)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = json_escape(w->out, key, strlen(key));
	if (w->status == CH_OK)
		w->status = buf_addc(w->out, ':');
	/* the value that follows needs no comma */
	w->need_comma[w->depth] = false;
}

/* done_value: restore the comma flag after a value that followed a key. */
static void done_value(struct json_writer *w)
{
	w->need_comma[w->depth] = true;
}

void jw_string_n(struct json_writer *w, const char *s, size_t n)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = json_escape(w->out, s, n);
	done_value(w);
}

void jw_string(struct json_writer *w, const char *s)
{
	if (!s)
		jw_null(w);
	else
		jw_string_n(w, s, strlen(s));
}

void jw_int(struct json_writer *w, int64_t v)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = buf_addf(w->out, "%lld", (long long)v);
	done_value(w);
}

void jw_double(struct json_writer *w, double v)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = isfinite(v) ? buf_addf(w->out, "%.17g", v) : buf_adds(w->out, "null");
	done_value(w);
}

void jw_bool(struct json_writer *w, bool v)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = buf_adds(w->out, v ? "true" : "false");
	done_value(w);
}

void jw_null(struct json_writer *w)
{
	before_value(w);
	if (w->status == CH_OK)
		w->status = buf_adds(w->out, "null");
	done_value(w);
}

void jw_kv_string(struct json_writer *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_string(w, s);
}

void jw_kv_string_opt(struct json_writer *w, const char *key, const char *s)
{
	if (s && *s)
		jw_kv_string(w, key, s);
}

void jw_kv_int(struct json_writer *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kv_time(struct json_writer *w, const char *key, int64_t t)
{
	if (!t)
		return;
	struct buf b;
	buf_init(&b, 64);
	time_format_iso(&b, t);
	jw_kv_string(w, key, buf_str(&b));
	buf_release(&b);
}
