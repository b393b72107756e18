/*
 * charset.c — from feed bytes to UTF-8. The charset is chosen the way browsers and careful
 * feed readers do: a byte-order mark first, then the HTTP Content-Type charset, then the XML
 * declaration, then sniffing (UTF-16/32 without a BOM, legacy single-byte text without any
 * declaration). A declaration that the bytes contradict is recovered: a legacy label on valid
 * multi-byte UTF-8 is read as UTF-8, a UTF-8 label (or none) on bytes that are not UTF-8 is
 * read as the legacy charset the bytes look like (windows-1256 for Persian, windows-1251 for
 * Cyrillic, windows-1252 otherwise). Conversion is glibc iconv; what it cannot convert
 * becomes U+FFFD.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "feed/parse_internal.h"

/* lower_copy: copy at most cap-1 bytes of s[0..n) into dst in lower case, trimmed of quotes
 * and spaces. */
static void lower_copy(char *dst, size_t cap, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ';'))
		n--;
	size_t i = 0;
	for (; i < n && i + 1 < cap; i++)
		dst[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	dst[i] = '\0';
}

/* http_charset: the charset parameter of a Content-Type value into dst ("" when none). */
static void http_charset(const char *ct, char *dst, size_t cap)
{
	dst[0] = '\0';
	if (!ct)
		return;
	const char *p = ct;
	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) == 0) {
			p += 8;
			size_t n = strcspn(p, "; \t");
			lower_copy(dst, cap, p, n);
			return;
		}
	}
}

/* xml_decl_charset: the encoding="…" of an XML declaration at the start of s (ASCII-compatible
 * bytes), into dst ("" when none). */
static void xml_decl_charset(const char *s, size_t n, char *dst, size_t cap)
{
	dst[0] = '\0';
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (n - i < 6 || memcmp(s + i, "<?xml", 5) != 0)
		return;
	size_t lim = n - i < 512 ? n : i + 512;
	for (size_t j = i + 5; j + 8 < lim && !(s[j] == '?' && s[j + 1] == '>'); j++) {
		if (strncmp(s + j, "encoding", 8) != 0)
			continue;
		j += 8;
		while (j < lim && (s[j] == ' ' || s[j] == '='))
			j++;
		if (j >= lim || (s[j] != '"' && s[j] != '\''))
			return;
		char q = s[j++];
		size_t k = j;
		while (k < lim && s[k] != q && k - j < 40)
			k++;
		lower_copy(dst, cap, s + j, k - j);
		return;
	}
}

/* canonical: map a charset label to the name iconv knows and chapar reports, or NULL when the
 * label means UTF-8. Latin-1 and ASCII labels read as windows-1252 (as the WHATWG Encoding
 * standard and browsers do). Unknown labels are returned as given. */
static const char *canonical(const char *label)
{
	static const struct { const char *label, *name; } map[] = {
		{ "utf-8", NULL }, { "utf8", NULL }, { "unicode-1-1-utf-8", NULL },
		{ "us-ascii", "windows-1252" }, { "ascii", "windows-1252" },
		{ "iso-8859-1", "windows-1252" }, { "iso8859-1", "windows-1252" },
		{ "latin1", "windows-1252" }, { "l1", "windows-1252" }, { "cp1252", "windows-1252" },
		{ "iso_8859-1", "windows-1252" }, { "x-cp1252", "windows-1252" },
		{ "cp1256", "windows-1256" }, { "x-cp1256", "windows-1256" },
		{ "cp1251", "windows-1251" }, { "x-cp1251", "windows-1251" },
		{ "koi8r", "koi8-r" }, { "utf-16", "utf-16" }, { "utf16", "utf-16" },
		{ "unicode", "utf-16" }, { "iso-10646-ucs-2", "utf-16" }, { "ucs-2", "utf-16" },
		{ "gb2312", "gbk" }, { "x-sjis", "shift_jis" }, { "sjis", "shift_jis" },
		{ "x-euc-jp", "euc-jp" }, { "tis-620", "windows-874" }, { "iso-8859-9", "windows-1254" },
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(label, map[i].label) == 0)
			return map[i].name;
	return label;
}

/* has_multibyte_utf8: true when s holds at least one multi-byte UTF-8 sequence. */
static bool has_multibyte_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xC2)
			return true;
	return false;
}

/* sniff_legacy: which single-byte charset non-UTF-8 bytes look like. Persian and Russian text
 * is mostly high bytes in runs (words); Western text has a high byte here and there between
 * ASCII letters. windows-1256 keeps French letters at E0, E7–EB, EE, EF, F4, F9, FB, FC, which
 * Russian windows-1251 uses for its commonest letters. */
static const char *sniff_legacy(const char *s, size_t n)
{
	size_t high = 0, paired = 0, french = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			continue;
		high++;
		if ((i > 0 && (unsigned char)s[i - 1] >= 0x80) ||
		    (i + 1 < n && (unsigned char)s[i + 1] >= 0x80))
			paired++;
		if (c == 0xE0 || c == 0xE2 || (c >= 0xE7 && c <= 0xEB) || c == 0xEE || c == 0xEF ||
		    c == 0xF4 || c == 0xF9 || c == 0xFB || c == 0xFC)
			french++;
	}
	if (high < 8 || paired * 2 < high)
		return "windows-1252";
	return french * 6 > high ? "windows-1251" : "windows-1256";
}

/* repair_from: make out[start..) valid UTF-8 (each invalid byte U+FFFD). iconv's own UTF-8
 * decoder, reached through a label canonical() does not list ("utf8`", "ISO-10646/UTF8/"),
 * passes sequences beyond U+10FFFF (F4 A2 A2 A2) through unchanged. */
static enum ch_status repair_from(struct buf *out, size_t start)
{
	if (utf8_valid(out->p + start, out->n - start))
		return CH_OK;
	struct buf fixed;
	buf_init(&fixed, out->limit);
	enum ch_status st = utf8_repair(&fixed, out->p + start, out->n - start);
	out->n = start;
	if (st == CH_OK)
		st = buf_add(out, fixed.p, fixed.n);
	buf_release(&fixed);
	return st;
}

/* convert: iconv s from charset cs to UTF-8, appending to out; what cannot be converted
 * becomes U+FFFD (skipping unit bytes). CH_ERR_INVALID when iconv does not know cs. */
static enum ch_status convert(const char *cs, size_t unit, const char *s, size_t n, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return CH_ERR_INVALID;
	size_t start = out->n;
	enum ch_status st = buf_grow(out, n + n / 2 + 16);
	char *in = (char *)s;
	size_t inleft = n;
	while (st == CH_OK && inleft > 0) {
		if (out->cap - out->n < 64 && (st = buf_grow(out, inleft * 2 + 64)) != CH_OK)
			break;
		char *o = out->p + out->n;
		size_t oleft = out->cap - out->n - 1;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->n = (size_t)(o - out->p);
		out->p[out->n] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			st = buf_grow(out, inleft * 2 + 64);
		} else { /* EILSEQ, or EINVAL at a truncated end */
			st = utf8_add(out, UTF8_REPLACEMENT);
			size_t skip = unit < inleft ? unit : inleft;
			in += skip;
			inleft -= skip;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	return st == CH_OK ? repair_from(out, start) : st;
}

/* bom: the charset a byte-order mark names and the mark's length (0 when there is none). */
static const char *bom(const unsigned char *s, size_t n, size_t *len)
{
	*len = 0;
	if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)
		return *len = 4, "utf-32be";
	if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0)
		return *len = 4, "utf-32le";
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return *len = 3, "utf-8";
	if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return *len = 2, "utf-16be";
	if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return *len = 2, "utf-16le";
	/* no mark: "<" or "<?" in a wide encoding */
	if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == '<')
		return "utf-32be";
	if (n >= 4 && s[0] == '<' && s[1] == 0 && s[2] == 0 && s[3] == 0)
		return "utf-32le";
	if (n >= 4 && s[0] == 0 && s[1] == '<' && s[2] == 0 && s[3] != 0)
		return "utf-16be";
	if (n >= 4 && s[0] == '<' && s[1] == 0 && s[2] != 0 && s[3] == 0)
		return "utf-16le";
	return NULL;
}

/* set_enc: copy name into enc (32 bytes). */
static void set_enc(char enc[32], const char *name)
{
	size_t n = strlen(name);
	if (n > 31)
		n = 31;
	memcpy(enc, name, n);
	enc[n] = '\0';
}

/* decode: feed_decode's work; *text is set to data's UTF-8 only when no copy was needed,
 * else left empty (the result is in out). */
static enum ch_status decode(const char *data, size_t n, const char *http_content_type,
			     struct buf *out, char enc[32], struct slice *text, struct ch_error *err)
{
	*text = (struct slice){ NULL, 0 };
	size_t bom_len;
	const char *wide = bom((const unsigned char *)data, n, &bom_len);
	data += bom_len;
	n -= bom_len;
	if (wide && strcmp(wide, "utf-8") != 0) {
		size_t unit = strstr(wide, "32") ? 4 : 2;
		set_enc(enc, wide[4] == '3' ? "utf-32" : "utf-16");
		if (convert(wide, unit, data, n, out) != CH_OK)
			return ch_fail(err, CH_ERR_NOMEM, "cannot convert from %s", wide);
		return CH_OK;
	}
	char label[40];
	http_charset(http_content_type, label, sizeof label);
	if (!label[0] && !wide)
		xml_decl_charset(data, n, label, sizeof label);
	const char *cs = label[0] ? canonical(label) : NULL;
	if (cs && !charset_reads_ascii(cs))
		cs = NULL; /* a wide (or EBCDIC) label on ASCII-compatible bytes: the label is wrong */
	bool valid = utf8_valid(data, n);
	if (cs && valid && has_multibyte_utf8(data, n) &&
	    (strncmp(cs, "windows-125", 11) == 0 || strncmp(cs, "iso-8859", 8) == 0))
		cs = NULL; /* a legacy label on real UTF-8: the bytes win */
	if (!cs && !valid)
		cs = sniff_legacy(data, n);
	else if (cs && !valid && strcmp(cs, "windows-1252") == 0 &&
		 strcmp(sniff_legacy(data, n), "windows-1256") == 0)
		cs = "windows-1256"; /* Persian bytes under a Latin-1 label: an old Iranian site */
	if (cs) {
		enum ch_status st = convert(cs, 1, data, n, out);
		if (st == CH_OK) {
			set_enc(enc, cs);
			return CH_OK;
		}
		if (st != CH_ERR_INVALID)
			return ch_fail(err, st, "cannot convert from %s", cs);
		buf_reset(out); /* unknown label: fall through to UTF-8 */
	}
	set_enc(enc, "utf-8");
	if (valid) {
		*text = (struct slice){ data, n };
		return CH_OK;
	}
	return utf8_repair(out, data, n) == CH_OK ? CH_OK
	       : ch_fail(err, CH_ERR_LIMIT, "feed too large");
}

enum ch_status feed_decode(const char *data, size_t n, const char *http_content_type,
			   struct buf *out, char enc[32], struct slice *text, struct ch_error *err)
{
	enum ch_status st = decode(data, n, http_content_type, out, enc, text, err);
	if (st == CH_OK && !text->p)
		*text = out->p ? buf_slice(out) : (struct slice){ "", 0 };
	return st;
}
