/*
 * fuzz_extract.c — libFuzzer target for extract_article: any bytes as a page, with the first
 * byte choosing an HTTP Content-Type (none, UTF-8, windows-1256, UTF-16, a bogus charset). The
 * result must be valid UTF-8 text and HTML, with no crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ctypes[] = { NULL, "text/html; charset=utf-8",
					      "text/html; charset=windows-1256", "text/html; charset=utf-16",
					      "text/html; charset=x-no-such" };
	const char *ctype = size ? ctypes[data[0] % 5] : NULL;
	struct extract_article *a = NULL;
	if (extract_article((const char *)data, size, ctype, "https://news.example.ir/a/b.html", &a, NULL) != CH_OK)
		return 0;
	if (!utf8_valid(a->body_text, strlen(a->body_text)) || !utf8_valid(a->body_html, strlen(a->body_html)))
		abort();
	extract_article_free(a);
	return 0;
}
