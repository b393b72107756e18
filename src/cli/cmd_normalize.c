/*
 * cmd_normalize.c — `chapar normalize`: display-normalize Persian text from stdin (or files)
 * to stdout, line by line. Memory stays bounded whatever the input size: lines are read in
 * pieces of at most READ_MAX bytes, and a piece that ends inside a line ends at a space.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "text/text.h"

enum { READ_MAX = 1 << 16 };

static const char usage[] =
	"usage: chapar normalize [--digits fa|ascii] [--strict] [FILE...]\n"
	"  Repairs Persian text for display (Arabic yeh/kaf, kashida, invisible controls, lost\n"
	"  half-spaces, punctuation spacing) from FILEs or stdin to stdout, line by line.\n"
	"  --digits fa|ascii  convert every digit to Persian or ASCII (default: as written)\n"
	"  --strict           fail on invalid UTF-8 instead of writing U+FFFD\n";

/* last_byte: the last c in p[0..n), or NULL. */
static char *last_byte(char *p, char c, size_t n)
{
	while (n > 0)
		if (p[--n] == c)
			return p + n;
	return NULL;
}

/* normalize_stream: filter one stream; EXIT_OK or EXIT_FAIL. */
static int normalize_stream(FILE *in, const char *name, unsigned flags, char *rd, struct buf *out)
{
	size_t have = 0;
	for (;;) {
		size_t got = fread(rd + have, 1, READ_MAX - have, in);
		have += got;
		if (have == 0)
			break;
		/* process up to the last newline; else up to the last space; else everything */
		size_t cut = have;
		if (got > 0 && have == READ_MAX) {
			char *nl = last_byte(rd, '\n', have);
			char *sp = nl ? NULL : last_byte(rd, ' ', have);
			if (nl)
				cut = (size_t)(nl - rd) + 1;
			else if (sp)
				cut = (size_t)(sp - rd) + 1;
		} else if (got > 0) {
			char *nl = last_byte(rd, '\n', have);
			if (!nl)
				continue; /* read more of this line */
			cut = (size_t)(nl - rd) + 1;
		}
		buf_reset(out);
		enum ch_status st = text_normalize(rd, cut, flags, out);
		if (st != CH_OK) {
			fprintf(stderr, "chapar normalize: %s: %s\n", name,
				st == CH_ERR_INVALID ? "invalid UTF-8" : ch_status_name(st));
			return EXIT_FAIL;
		}
		if (fwrite(out->p ? out->p : "", 1, out->n, stdout) != out->n) {
			fprintf(stderr, "chapar normalize: write error\n");
			return EXIT_FAIL;
		}
		memmove(rd, rd + cut, have - cut);
		have -= cut;
		if (got == 0 && have == 0)
			break;
	}
	if (ferror(in)) {
		fprintf(stderr, "chapar normalize: %s: read error\n", name);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_normalize(int argc, char **argv, struct config *cfg)
{
	unsigned flags = TEXT_NORM_DEFAULT;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--strict") == 0) {
			flags |= TEXT_STRICT_UTF8;
		} else if (strcmp(argv[i], "--digits") == 0 && i + 1 < argc &&
			   (strcmp(argv[i + 1], "fa") == 0 || strcmp(argv[i + 1], "ascii") == 0)) {
			flags |= strcmp(argv[++i], "fa") == 0 ? TEXT_DIGITS_FA : TEXT_DIGITS_ASCII;
		} else {
			fprintf(stderr, "chapar normalize: bad option '%s'\n%s", argv[i], usage);
			return EXIT_USAGE;
		}
	}
	static char rd[READ_MAX];
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	int rc = EXIT_OK;
	if (i >= argc) {
		rc = normalize_stream(stdin, "<stdin>", flags, rd, &out);
	} else {
		for (; i < argc && rc == EXIT_OK; i++) {
			FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
			if (!f) {
				fprintf(stderr, "chapar normalize: %s: cannot open\n", argv[i]);
				rc = EXIT_FAIL;
				break;
			}
			rc = normalize_stream(f, argv[i], flags, rd, &out);
			if (f != stdin)
				fclose(f);
		}
	}
	buf_release(&out);
	fflush(stdout);
	return rc;
}
