/*
 * fuzz_webquery.c — libFuzzer target for what src/web reads from a request's URL besides the
 * form bodies (fuzz_form): the search filters' days (web_search_day, ?from= and ?to=), the
 * query text repair (web_search_text, ?q=), ids and limits (parse_id), and the escaping of
 * text and snippets into pages (html_escape_fa, snippet_to_html). No crash, no sanitizer
 * report; ids are positive; what is escaped is valid UTF-8 when its input was and carries no
 * raw '<' or '"' from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cstring.h"
#include "web/web_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_escaped: abort when out holds a raw '<' or '"' beyond the <mark> tags snippet_to_html
 * adds itself. */
static void check_escaped(const struct buf *out)
{
	for (size_t i = 0; i < out->n; i++) {
		if (out->p[i] == '"')
			abort();
		if (out->p[i] == '<' && strncmp(out->p + i, "<mark>", 6) && strncmp(out->p + i, "</mark>", 7))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	if (!s)
		return 0;
	int64_t t = 0;
	(void)web_search_day(s, &t);
	if (parse_id(s) < 0)
		abort();

	struct buf out;
	buf_init(&out, 1 << 22);
	if (web_search_text(s, &out) == CH_OK && !utf8_valid(out.p, out.n))
		abort();
	buf_reset(&out);
	html_escape_fa(&out, s, size);
	check_escaped(&out);
	if (utf8_valid(s, size) && !utf8_valid(out.p, out.n))
		abort();
	buf_reset(&out);
	snippet_to_html(&out, s, size & 1);
	check_escaped(&out);
	buf_release(&out);
	free(s);
	return 0;
}
