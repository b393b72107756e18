/*
 * fuzz_urlcanon.c — libFuzzer target for src/rank's input parsers: the input is given to
 * rank_url_canonical (whose output must be canonical already: canonicalising it again changes
 * nothing), to the JSON-lines reader rank_jsonl_parse, and to the signature blob reader
 * rank_sig_decode. Any crash, sanitizer report or broken invariant is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rank/rank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf once, twice;
	buf_init(&once, 1 << 20);
	buf_init(&twice, 1 << 20);
	if (rank_url_canonical(s, size, &once, NULL) == CH_OK) {
		if (rank_url_canonical(once.p, once.n, &twice, NULL) != CH_OK || once.n != twice.n ||
		    memcmp(once.p, twice.p, once.n) != 0)
			abort();
	} else if (once.n != 0) {
		abort();
	}
	buf_release(&once);
	buf_release(&twice);

	struct rank_jsonl_record rec;
	rank_jsonl_init(&rec);
	if (rank_jsonl_parse(&rec, s, size, NULL) == CH_OK) {
		if (!rec.article.id)
			abort();
		/* the fields are NUL-terminated strings inside the record */
		const char *fields[] = { rec.article.id, rec.article.source, rec.article.source_credit,
					 rec.article.url, rec.article.title, rec.article.lead, rec.article.body };
		for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
			if (fields[i] && !utf8_valid(fields[i], strlen(fields[i])))
				abort();
	}
	rank_jsonl_release(&rec);

	struct rank_sig *sig = malloc(sizeof *sig);
	if (sig && rank_sig_decode(data, size, sig, NULL) == CH_OK && sig->n > RANK_SKETCH_MAX)
		abort();
	free(sig);
	return 0;
}
