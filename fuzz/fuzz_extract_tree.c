/*
 * fuzz_extract_tree.c — differential libFuzzer target for src/extract/build.c: any bytes
 * (repaired to UTF-8, as the extractor hands them over) parsed by libxml2's own tree builder
 * (htmlReadMemory with the options the extractor used before) and by build.c's SAX builder must
 * give the same tree, node for node; and so must the markup before and after extract_park
 * (park.c: long runs replaced by placeholders and attribute lists taken out, put back by the
 * builder), also when it leaves the unread attributes out (against the tree build.c gives
 * without them). abort() on the first difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

/* differ: the dumps of x and y (into a and b, reset first) differ; either NULL differs. */
static bool differ(xmlDocPtr x, xmlDocPtr y, struct buf *a, struct buf *b)
{
	if (!x || !y)
		return true;
	buf_reset(a);
	buf_reset(b);
	extract_dump_tree(x, a);
	extract_dump_tree(y, b);
	return a->n != b->n || (a->n && memcmp(a->p, b->p, a->n) != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf in, a, b;
	buf_init(&in, BUF_NO_LIMIT);
	buf_init(&a, BUF_NO_LIMIT);
	buf_init(&b, BUF_NO_LIMIT);
	if (utf8_repair(&in, (const char *)data, size) != CH_OK || in.n > INT32_MAX)
		abort();
	struct buf again; /* the markup as it is, for the last comparison */
	buf_init(&again, BUF_NO_LIMIT);
	if (buf_add(&again, in.p ? in.p : "", in.n) != CH_OK)
		abort();
	xmlDocPtr ref = htmlReadMemory(in.p ? in.p : "", (int)in.n, NULL, "UTF-8",
				       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					       HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);
	xmlDocPtr ours = extract_parse_html(in.p ? in.p : "", in.n, EXTRACT_PARSE_ALL_ATTRS);
	if (!ours)
		abort();
	if (ref)
		extract_dump_tree(ref, &a);
	extract_dump_tree(ours, &b);
	if (a.n != b.n || (a.n && memcmp(a.p, b.p, a.n) != 0))
		abort();
	if (ref)
		xmlFreeDoc(ref);
	extract_free_doc(ours);
	/* parked and put back: the same tree (all attributes) as the markup as it is */
	xmlDocPtr plain = extract_parse_html(in.p ? in.p : "", in.n, EXTRACT_PARSE_ALL_ATTRS);
	struct extract_parked pk;
	extract_park(&in, &pk, 0);
	unsigned long redos = extract_stash_redos();
	xmlDocPtr parked = extract_parse_parked(in.p ? in.p : "", in.n, EXTRACT_PARSE_ALL_ATTRS, &pk);
	/* every stashed attribute list given back where it belongs (else the builder parses the
	 * markup again: the same tree, but a case park.c should not have stashed) */
	if (extract_stash_redos() != redos || differ(plain, parked, &a, &b))
		abort();
	extract_free_doc(plain);
	extract_free_doc(parked);
	extract_parked_release(&pk);
	/* the markup as it is, parked with the unread attributes left out, as the extractor
	 * does: the tree that keeps only the read ones */
	xmlDocPtr read_only = extract_parse_html(again.p ? again.p : "", again.n, 0);
	extract_park(&again, &pk, EXTRACT_PARK_DROP_UNREAD);
	redos = extract_stash_redos();
	parked = extract_parse_parked(again.p ? again.p : "", again.n, 0, &pk);
	if (extract_stash_redos() != redos || differ(read_only, parked, &a, &b))
		abort();
	extract_free_doc(read_only);
	extract_free_doc(parked);
	buf_release(&again);
	extract_parked_release(&pk);
	buf_release(&in);
	buf_release(&a);
	buf_release(&b);
	return 0;
}
