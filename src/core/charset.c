/*
 * charset.c — what a declared charset label says about bytes that are plainly ASCII markup.
 *
 * Feeds and pages declare charsets that their bytes contradict: <meta charset="utf-16"> on an
 * ASCII page, an EBCDIC or UTF-7 label on a feed. Both the feed reader and the extractor ask
 * here before trusting a label; iconv (glibc) is asked directly, so every alias it accepts is
 * covered.
 */
#include <iconv.h>
#include <string.h>

#include "core/core.h"

/* charset_reads_ascii: a probe of markup characters (and UTF-7's "+-", which it reads as "+")
 * converted through cs must come back unchanged. */
bool charset_reads_ascii(const char *cs)
{
	static const char probe[] = "<?xml a=\"1\"?>+-";
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return true;
	char got[64];
	char *in = (char *)probe, *o = got;
	size_t inleft = sizeof probe - 1, oleft = sizeof got;
	size_t r = iconv(cd, &in, &inleft, &o, &oleft);
	iconv_close(cd);
	return r != (size_t)-1 && inleft == 0 && (size_t)(o - got) == sizeof probe - 1 &&
	       memcmp(got, probe, sizeof probe - 1) == 0;
}

