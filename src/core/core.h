/*
 * core.h — chapar's foundation: status codes and errors, string slices, size-capped growable
 * buffers, arenas, UTF-8 checking and repair, JSON and HTML writers, logging and time helpers.
 * Depends on libc only; every other module builds on it.
 *
 * Conventions used throughout chapar:
 *  - Functions that can fail return `enum ch_status` and, when given a non-NULL
 *    `struct ch_error *`, leave a human-readable message in it. The library never prints
 *    (except through the log sink the program installs) and never aborts.
 *  - `struct slice` borrows; `struct buf` owns. Ownership of every returned pointer is stated
 *    on the declaration.
 */
#ifndef CHAPAR_CORE_H
#define CHAPAR_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------------
 * Status and errors
 * ------------------------------------------------------------------------------------------- */

enum ch_status {
	CH_OK = 0,
	CH_ERR_NOMEM,    /* allocation failed */
	CH_ERR_INVALID,  /* bad argument or input (usage, malformed request, bad UTF-8 in strict mode) */
	CH_ERR_IO,       /* file or socket error */
	CH_ERR_NOTFOUND, /* no such row / file / id */
	CH_ERR_LIMIT,    /* a size or time cap was reached */
	CH_ERR_PARSE,    /* input could not be parsed at all */
	CH_ERR_NET,      /* network / HTTP failure */
	CH_ERR_DB,       /* database failure */
	CH_ERR_BUSY,     /* resource busy; try again */
	CH_ERR_EXISTS,   /* already present */
};

/* A status plus a message for people. Fixed size: never allocates. */
struct ch_error {
	enum ch_status code;
	char msg[512];
};

/* ch_status_name: a short English name for a status ("out of memory"); static storage. */
const char *ch_status_name(enum ch_status s);

/* ch_fail: record code and a printf-style message in err (which may be NULL) and return code,
 * so callers can write `return ch_fail(err, CH_ERR_PARSE, "bad date '%s'", s);`. */
enum ch_status ch_fail(struct ch_error *err, enum ch_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ch_error_clear: reset err to CH_OK with an empty message. err may be NULL. */
void ch_error_clear(struct ch_error *err);

/* ---------------------------------------------------------------------------------------------
 * Slices: borrowed byte ranges, not NUL-terminated in general.
 * ------------------------------------------------------------------------------------------- */

struct slice {
	const char *p;
	size_t n;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })
/* slice_from: a slice over a NUL-terminated string (NULL gives an empty slice). */
struct slice slice_from(const char *s);
bool slice_eq(struct slice a, struct slice b);
bool slice_eq_str(struct slice a, const char *s);
bool slice_starts_with(struct slice a, const char *prefix);
/* slice_trim: without leading and trailing ASCII whitespace. */
struct slice slice_trim(struct slice a);

/* ---------------------------------------------------------------------------------------------
 * Buffers: owned, growable, always NUL-terminated, with a hard size cap (like curl's dynbuf).
 * A zeroed struct buf is not usable: call buf_init.
 * ------------------------------------------------------------------------------------------- */

struct buf {
	char *p;      /* owned; NUL-terminated when non-NULL; NULL until the first add */
	size_t n;     /* bytes used, excluding the terminating NUL */
	size_t cap;   /* bytes allocated */
	size_t limit; /* adds that would make n exceed limit fail with CH_ERR_LIMIT */
};

#define BUF_NO_LIMIT ((size_t)-1)

void buf_init(struct buf *b, size_t limit);
/* buf_release: free the memory; b can be reused after buf_init. */
void buf_release(struct buf *b);
/* buf_reset: n = 0, keeps the memory. */
void buf_reset(struct buf *b);
/* buf_detach: hand the string to the caller (caller frees; never NULL unless out of memory) and
 * leave b empty and initialised. */
char *buf_detach(struct buf *b, size_t *len);
/* buf_grow: make room for extra more bytes. */
enum ch_status buf_grow(struct buf *b, size_t extra);
enum ch_status buf_add(struct buf *b, const void *p, size_t n);
enum ch_status buf_adds(struct buf *b, const char *s);
enum ch_status buf_addc(struct buf *b, char c);
enum ch_status buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum ch_status buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* buf_str: the contents as a NUL-terminated string; "" when empty; borrowed until b changes. */
const char *buf_str(const struct buf *b);
struct slice buf_slice(const struct buf *b);

/* ---------------------------------------------------------------------------------------------
 * Arenas: bump allocation for one unit of work (a request, a parsed feed); freed at once.
 * ------------------------------------------------------------------------------------------- */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out so far */
	size_t limit; /* 0 = no limit; beyond it allocations return NULL */
};

void arena_init(struct arena *a, size_t limit);
/* arena_release: free every allocation at once; a can be reused after arena_init. */
void arena_release(struct arena *a);
/* arena_alloc: n bytes, 16-aligned, zeroed; borrowed until arena_release; NULL when out of
 * memory or over the limit. */
void *arena_alloc(struct arena *a, size_t n);
/* arena_grow_array: make room for one more element in an arena array of *cap elements of size
 * elem holding count: returns v itself while there is room, else a copy twice as large (the old
 * one stays in the arena until release); NULL when out of memory. */
void *arena_grow_array(struct arena *a, void *v, size_t *cap, size_t elem, size_t count);
/* arena_strndup / arena_strdup: copies, NUL-terminated, owned by the arena. NULL in gives NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

/* ---------------------------------------------------------------------------------------------
 * UTF-8
 * ------------------------------------------------------------------------------------------- */

#define UTF8_REPLACEMENT 0xFFFDu

/* utf8_decode: decode one code point at p (n bytes available). Returns the number of bytes
 * consumed (1–4) and stores the code point in *cp; for an invalid or truncated sequence
 * (overlong, surrogate, > U+10FFFF) returns 1 and stores UTF8_REPLACEMENT in *cp (and sets
 * *bad to true when bad is non-NULL). n must be > 0. */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp, bool *bad);
/* utf8_encode: write cp (< 0x110000, not a surrogate) to out (4 bytes room); returns bytes. */
size_t utf8_encode(uint32_t cp, char *out);
/* utf8_valid: true when the n bytes are well-formed UTF-8. */
bool utf8_valid(const char *p, size_t n);
/* utf8_repair: append p to out with each invalid byte replaced by U+FFFD. */
enum ch_status utf8_repair(struct buf *out, const char *p, size_t n);
/* charset_reads_ascii: true when the charset label cs reads ASCII bytes as ASCII (windows-125x,
 * ISO-8859-*, KOI8-R, Shift_JIS…), false for one that does not (UTF-16/32 and UCS-2/4 under any
 * of their labels, EBCDIC code pages, UTF-7): such a label declared on bytes that are markup in
 * ASCII is wrong. A label iconv does not know counts as reading ASCII. */
bool charset_reads_ascii(const char *cs);
/* utf8_add: append the encoding of cp to out. */
enum ch_status utf8_add(struct buf *out, uint32_t cp);

/* ---------------------------------------------------------------------------------------------
 * Escaping and JSON writing
 * ------------------------------------------------------------------------------------------- */

/* html_escape: append s with & < > " ' escaped, invalid UTF-8 replaced by U+FFFD. */
enum ch_status html_escape(struct buf *out, const char *s, size_t n);
/* hex_digit_value: the value of one hexadecimal digit (0-9, a-f, A-F), or -1. */
int hex_digit_value(char c);
/* url_encode: append s percent-encoded for use in a query value. */
enum ch_status url_encode(struct buf *out, const char *s, size_t n);

/* A streaming JSON writer onto a buf: it tracks commas; the caller keeps nesting right.
 * Strings are escaped; invalid UTF-8 is replaced by U+FFFD, so the output is always valid. */
struct json_writer {
	struct buf *out;
	int depth;
	bool need_comma[64];
	enum ch_status status; /* first failure; later calls do nothing */
};

void jw_init(struct json_writer *w, struct buf *out);
void jw_object_begin(struct json_writer *w);
void jw_object_end(struct json_writer *w);
void jw_array_begin(struct json_writer *w);
void jw_array_end(struct json_writer *w);
void jw_key(struct json_writer *w, const char *key);
void jw_string(struct json_writer *w, const char *s);            /* NULL writes null */
void jw_string_n(struct json_writer *w, const char *s, size_t n);
void jw_int(struct json_writer *w, int64_t v);
void jw_double(struct json_writer *w, double v);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* jw_kv_*: key plus value; the _opt forms write nothing for NULL/empty values. */
void jw_kv_string(struct json_writer *w, const char *key, const char *s);
void jw_kv_string_opt(struct json_writer *w, const char *key, const char *s);
void jw_kv_int(struct json_writer *w, const char *key, int64_t v);
/* jw_kv_time: "key": "2024-11-28T10:30:00Z" for Unix time t; nothing when t is 0 (unknown). */
void jw_kv_time(struct json_writer *w, const char *key, int64_t t);
/* json_escape: append s as a JSON string literal (with quotes) to out. */
enum ch_status json_escape(struct buf *out, const char *s, size_t n);

/* ---------------------------------------------------------------------------------------------
 * Logging: the library logs through a sink the program installs; none by default.
 * ------------------------------------------------------------------------------------------- */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
typedef void (*log_sink_fn)(enum log_level level, const char *msg, void *ctx);
void log_set_sink(log_sink_fn fn, void *ctx, enum log_level min_level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
/* log_stderr_sink: a ready sink that writes "chapar: level: msg" lines to stderr. */
void log_stderr_sink(enum log_level level, const char *msg, void *ctx);

/* ---------------------------------------------------------------------------------------------
 * Time and files
 * ------------------------------------------------------------------------------------------- */

/* time_now_ms: wall-clock milliseconds since the Unix epoch. */
int64_t time_now_ms(void);
/* time_mono_ns: monotonic nanoseconds, for measuring durations. */
int64_t time_mono_ns(void);
/* time_format_iso: append t (Unix seconds) as "2024-11-28T10:30:00Z". */
enum ch_status time_format_iso(struct buf *out, int64_t t);
/* time_parse_iso: parse RFC 3339 / ISO 8601 ("2024-11-28", "2024-11-28T10:30:00+03:30",
 * fractional seconds, "Z", space for "T") into Unix seconds. CH_ERR_PARSE when it is not one. */
enum ch_status time_parse_iso(const char *s, int64_t *out);
/* time_from_utc: timegm() without the GNU extension: fields as in struct tm (year since 1900,
 * month 0–11), UTC. */
int64_t time_from_utc(int year, int mon, int mday, int hour, int min, int sec);

/* file_read: the whole file into out (appended), up to out->limit. */
enum ch_status file_read(const char *path, struct buf *out, struct ch_error *err);
/* file_write_atomic: write data to path via a temporary file and rename. */
enum ch_status file_write_atomic(const char *path, const void *data, size_t n, struct ch_error *err);

/* hash_fnv1a64: 64-bit FNV-1a of n bytes (stable across runs and machines). */
uint64_t hash_fnv1a64(const void *p, size_t n);

/* ---------------------------------------------------------------------------------------------
 * Libraries loaded when first needed. A module whose library only some commands use (libcurl
 * for fetching, libmicrohttpd for serving) loads it with dlopen on first use, so every other
 * command starts without the dynamic loader relocating that library's dependency tree
 * (measured: 6-9 ms of a 10 ms start-up). The module lists the functions it calls; its
 * same-named forwarding functions call through the slots (see src/feed/curl_lib.c).
 * ------------------------------------------------------------------------------------------- */

struct dynlib_symbol {
	const char *name; /* the function's name in the library */
	void **slot;      /* where its address goes */
};
struct dynlib {
	const char *soname; /* "libcurl.so.4": the runtime name, as the Debian package installs it */
	const struct dynlib_symbol *symbols;
	size_t n_symbols;
	int state;          /* 0 not tried, 1 loaded, -1 failed; guarded by core's lock */
	char why[256];      /* dlerror's words when it failed */
};
/* dynlib_load: load lib and fill every slot, once per process (thread-safe; later calls cost
 * an atomic read). CH_ERR_IO with the loader's words in err when the library or one of its
 * functions is missing; every later call fails the same way. */
enum ch_status dynlib_load(struct dynlib *lib, struct ch_error *err);

#endif
