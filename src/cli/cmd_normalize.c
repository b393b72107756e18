/*
 * cmd_normalize.c — `chapar normalize`: display-normalize Persian text from stdin (or files)
 * to stdout, line by line. Memory stays bounded whatever the input size: a stream is read in
 * pieces of at most READ_MAX bytes, and a piece that ends inside a line ends at a space.
 *
 * text_normalize's output depends on where each call starts (it works in chunks counted from
 * the start of its input, and a line longer than a chunk is cut at a space), so every mode
 * calls it on exactly the same pieces: the cutting (cut_pieces) is one function, and only what
 * happens to a piece differs. With one thread each piece is normalized and written at once.
 * With more, the main thread cuts pieces and packs consecutive ones into blocks of about
 * BLOCK_IN bytes, worker threads normalize blocks (each piece by its own text_normalize call),
 * and a writer thread writes the blocks in input order; a ring of NSLOTS blocks bounds memory.
 * The output is therefore byte-identical whatever the thread count, and so is a failure: an
 * error (invalid UTF-8 under --strict, a file that cannot be opened or read) is reported after
 * writing the output of every piece before it and nothing after.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "text/text.h"

enum {
	READ_MAX = 1 << 16,     /* a piece is at most this long */
	BLOCK_IN = 1 << 18,     /* a block holds pieces of at most this many bytes in all */
	BLOCK_PIECES = 2048,    /* and at most this many pieces */
	THREADS_CAP = 8,        /* the default thread count is the online CPUs, at most this */
	THREADS_MAX = 64,       /* --threads accepts 1..THREADS_MAX */
};

static const char usage[] =
	"usage: chapar normalize [--digits fa|ascii] [--strict] [--threads N] [FILE...]\n"
	"  Repairs Persian text for display (Arabic yeh/kaf, kashida, invisible controls, lost\n"
	"  half-spaces, punctuation spacing) from FILEs or stdin to stdout, line by line.\n"
	"  --digits fa|ascii  convert every digit to Persian or ASCII (default: as written)\n"
	"  --strict           fail on invalid UTF-8 instead of writing U+FFFD; the output then\n"
	"                     stops before the 64 KiB piece that holds the first invalid byte\n"
	"  --threads N        normalize on N threads (default: the online CPUs, at most 8);\n"
	"                     the same output for every N\n";

/* piece_fn: what to do with one piece of a stream; returns EXIT_OK to go on. */
typedef int (*piece_fn)(void *ctx, const char *p, size_t n, const char *name);

/* last_byte: the last c in p[0..n), or NULL. */
static char *last_byte(char *p, char c, size_t n)
{
	while (n > 0)
		if (p[--n] == c)
			return p + n;
	return NULL;
}

/* cut_pieces: read a stream through rd (READ_MAX bytes) and hand it to fn in pieces: up to
 * the last line break of a full rd, else up to its last space, else all of it; the rest of
 * the stream at its end. Returns EXIT_OK, fn's failure, or EXIT_FAIL on a read error (*read_error
 * set; the caller reports it). */
static int cut_pieces(FILE *in, const char *name, char *rd, piece_fn fn, void *ctx, bool *read_error)
{
	size_t have = 0;
	*read_error = false;
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
		int rc = fn(ctx, rd, cut, name);
		if (rc != EXIT_OK)
			return rc;
		memmove(rd, rd + cut, have - cut);
		have -= cut;
		if (got == 0 && have == 0)
			break;
	}
	if (ferror(in)) {
		*read_error = true;
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* invalid_message: the error text for a failed text_normalize. */
static const char *invalid_message(enum ch_status st)
{
	return st == CH_ERR_INVALID ? "invalid UTF-8" : ch_status_name(st);
}

/* ---- one thread ---------------------------------------------------------------------------- */

struct serial {
	unsigned flags;
	struct buf out;
};

/* serial_piece: normalize one piece and write it (piece_fn). */
static int serial_piece(void *ctx, const char *p, size_t n, const char *name)
{
	struct serial *sr = ctx;
	buf_reset(&sr->out);
	enum ch_status st = text_normalize(p, n, sr->flags, &sr->out);
	if (st != CH_OK) {
		fprintf(stderr, "chapar normalize: %s: %s\n", name, invalid_message(st));
		return EXIT_FAIL;
	}
	if (fwrite(sr->out.p ? sr->out.p : "", 1, sr->out.n, stdout) != sr->out.n) {
		fprintf(stderr, "chapar normalize: write error\n");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* ---- several threads ----------------------------------------------------------------------- */

/* What the writer reports after a block's output (the reader found it at the block's end). */
enum block_event { EV_NONE, EV_CANNOT_OPEN, EV_READ_ERROR };

/* A block: consecutive pieces of one stream, their output, and where it is in the ring. */
struct block {
	char *in;                           /* BLOCK_IN bytes: the pieces, one after another */
	size_t in_n, npieces;
	uint32_t piece_len[BLOCK_PIECES];
	const char *name;                   /* the stream's name, for messages */
	struct buf out;                     /* the output of the pieces normalized */
	enum ch_status st;                  /* CH_OK, or why the piece after out failed */
	enum block_event event;
	const char *event_name;             /* the stream the event is about */
	bool last;                          /* no block follows */
	enum { B_FREE, B_READY, B_BUSY, B_DONE } state;
};

/* The ring shared by the reader (main thread), the workers and the writer. */
struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t changed; /* any block changed state, or stop was set */
	struct block *slots;
	size_t nslots;
	uint64_t next_fill, next_work, next_write; /* sequence numbers; slot = seq % nslots */
	bool reader_done;                          /* next_fill is final */
	bool stop;                                 /* the writer met an error: everyone ends */
	unsigned flags;
	int rc;                                    /* the writer's exit status */
	struct block *cur;                         /* the block the reader fills (owned by it) */
};

/* block_normalize: fill b->out with the output of its pieces, each by one text_normalize
 * call; on failure b->out keeps the output of the pieces before the failing one. */
static void block_normalize(struct block *b, unsigned flags)
{
	buf_reset(&b->out);
	b->st = CH_OK;
	size_t off = 0;
	for (size_t k = 0; k < b->npieces; k++) {
		size_t before = b->out.n;
		enum ch_status st = text_normalize(b->in + off, b->piece_len[k], flags, &b->out);
		if (st != CH_OK) {
			b->out.n = before;
			b->st = st;
			return;
		}
		off += b->piece_len[k];
	}
}

/* worker_main: normalize the blocks in the order they were filled until there are no more. */
static void *worker_main(void *arg)
{
	struct pipeline *pl = arg;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && pl->next_work == pl->next_fill && !pl->reader_done)
			pthread_cond_wait(&pl->changed, &pl->mu);
		if (pl->stop || pl->next_work == pl->next_fill)
			break;
		struct block *b = &pl->slots[pl->next_work++ % pl->nslots];
		b->state = B_BUSY;
		pthread_mutex_unlock(&pl->mu);
		block_normalize(b, pl->flags);
		pthread_mutex_lock(&pl->mu);
		b->state = B_DONE;
		pthread_cond_broadcast(&pl->changed);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* block_report: write b's output and report its error, if any; EXIT_OK to go on. */
static int block_report(const struct block *b)
{
	if (fwrite(b->out.p ? b->out.p : "", 1, b->out.n, stdout) != b->out.n) {
		fprintf(stderr, "chapar normalize: write error\n");
		return EXIT_FAIL;
	}
	if (b->st != CH_OK) {
		fprintf(stderr, "chapar normalize: %s: %s\n", b->name, invalid_message(b->st));
		return EXIT_FAIL;
	}
	if (b->event != EV_NONE) {
		fprintf(stderr, "chapar normalize: %s: %s\n", b->event_name,
			b->event == EV_CANNOT_OPEN ? "cannot open" : "read error");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* writer_main: write the blocks in input order as they are done; on an error, set stop. */
static void *writer_main(void *arg)
{
	struct pipeline *pl = arg;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		struct block *b = &pl->slots[pl->next_write % pl->nslots];
		while (!(pl->next_write < pl->next_fill && b->state == B_DONE) &&
		       !(pl->reader_done && pl->next_write == pl->next_fill))
			pthread_cond_wait(&pl->changed, &pl->mu);
		if (pl->next_write == pl->next_fill)
			break; /* the reader stopped without a last block (a failed dispatch) */
		pthread_mutex_unlock(&pl->mu);
		int rc = block_report(b);
		pthread_mutex_lock(&pl->mu);
		if (rc != EXIT_OK) {
			pl->rc = rc;
			pl->stop = true;
			pthread_cond_broadcast(&pl->changed);
			break;
		}
		bool last = b->last;
		b->state = B_FREE;
		pl->next_write++;
		pthread_cond_broadcast(&pl->changed);
		if (last)
			break;
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* block_take: wait for the next free slot and make it the reader's current block; false when
 * the pipeline is stopping. */
static bool block_take(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
	struct block *b = &pl->slots[pl->next_fill % pl->nslots];
	while (!pl->stop && b->state != B_FREE)
		pthread_cond_wait(&pl->changed, &pl->mu);
	bool ok = !pl->stop;
	pthread_mutex_unlock(&pl->mu);
	if (!ok)
		return false;
	b->in_n = b->npieces = 0;
	b->name = NULL;
	b->st = CH_OK;
	b->event = EV_NONE;
	b->event_name = NULL;
	b->last = false;
	pl->cur = b;
	return true;
}

/* block_dispatch: hand the current block to the workers (with last and event set as given)
 * and take the next one unless it was the last; false when the pipeline is stopping. */
static bool block_dispatch(struct pipeline *pl, bool last, enum block_event event, const char *name)
{
	struct block *b = pl->cur;
	b->last = last;
	b->event = event;
	b->event_name = name;
	pthread_mutex_lock(&pl->mu);
	bool ok = !pl->stop;
	if (ok) {
		b->state = B_READY;
		pl->next_fill++;
	}
	if (last || !ok)
		pl->reader_done = true;
	pthread_cond_broadcast(&pl->changed);
	pthread_mutex_unlock(&pl->mu);
	pl->cur = NULL;
	return ok && (last || block_take(pl));
}

/* block_piece: add one piece to the current block, dispatching it first when the piece would
 * not fit or it holds another stream's pieces (piece_fn). */
static int block_piece(void *ctx, const char *p, size_t n, const char *name)
{
	struct pipeline *pl = ctx;
	struct block *b = pl->cur;
	if (b->npieces > 0 && (b->in_n + n > BLOCK_IN || b->npieces == BLOCK_PIECES || b->name != name)) {
		if (!block_dispatch(pl, false, EV_NONE, NULL))
			return EXIT_FAIL;
		b = pl->cur;
	}
	b->name = name;
	memcpy(b->in + b->in_n, p, n);
	b->in_n += n;
	b->piece_len[b->npieces++] = (uint32_t)n;
	return EXIT_OK;
}

/* pipeline_read: cut every stream into the ring; the last block says how reading ended. */
static void pipeline_read(struct pipeline *pl, int nfiles, char **files, char *rd)
{
	enum block_event event = EV_NONE;
	const char *event_name = NULL;
	for (int k = 0; k < (nfiles ? nfiles : 1); k++) {
		const char *name = nfiles ? files[k] : "<stdin>";
		FILE *f = !nfiles || strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
		if (!f) {
			event = EV_CANNOT_OPEN;
			event_name = name;
			break;
		}
		bool read_error;
		int rc = cut_pieces(f, name, rd, block_piece, pl, &read_error);
		if (f != stdin)
			fclose(f);
		if (read_error) {
			event = EV_READ_ERROR;
			event_name = name;
		}
		if (rc != EXIT_OK)
			break;
	}
	if (pl->cur)
		block_dispatch(pl, true, event, event_name);
}

/* normalize_threaded: the whole command on nthreads workers; EXIT_OK or EXIT_FAIL. */
static int normalize_threaded(unsigned flags, int nthreads, int nfiles, char **files, char *rd)
{
	struct pipeline pl = { .flags = flags, .rc = EXIT_OK };
	pl.nslots = 2 * (size_t)nthreads + 2;
	pl.slots = calloc(pl.nslots, sizeof *pl.slots);
	pthread_t *workers = calloc((size_t)nthreads, sizeof *workers);
	bool ok = pl.slots && workers;
	for (size_t k = 0; ok && k < pl.nslots; k++) {
		pl.slots[k].in = malloc(BLOCK_IN);
		buf_init(&pl.slots[k].out, BUF_NO_LIMIT);
		ok = pl.slots[k].in != NULL;
	}
	int started = 0;
	pthread_t writer;
	bool writer_started = false;
	if (ok) {
		pthread_mutex_init(&pl.mu, NULL);
		pthread_cond_init(&pl.changed, NULL);
		writer_started = pthread_create(&writer, NULL, writer_main, &pl) == 0;
		while (writer_started && started < nthreads &&
		       pthread_create(&workers[started], NULL, worker_main, &pl) == 0)
			started++;
		ok = writer_started && started > 0;
	}
	int rc = EXIT_FAIL;
	if (ok && block_take(&pl))
		pipeline_read(&pl, nfiles, files, rd);
	if (ok)
		rc = pl.rc;
	else
		fprintf(stderr, "chapar normalize: cannot start threads\n");
	if (writer_started) {
		pthread_mutex_lock(&pl.mu);
		if (!ok) {
			pl.stop = true;
			pl.reader_done = true;
		}
		pthread_cond_broadcast(&pl.changed);
		pthread_mutex_unlock(&pl.mu);
		pthread_join(writer, NULL);
		for (int k = 0; k < started; k++)
			pthread_join(workers[k], NULL);
		rc = ok ? pl.rc : EXIT_FAIL;
		pthread_cond_destroy(&pl.changed);
		pthread_mutex_destroy(&pl.mu);
	}
	for (size_t k = 0; pl.slots && k < pl.nslots; k++) {
		free(pl.slots[k].in);
		buf_release(&pl.slots[k].out);
	}
	free(pl.slots);
	free(workers);
	return rc;
}

/* normalize_serial: the whole command on this thread; EXIT_OK or EXIT_FAIL. */
static int normalize_serial(unsigned flags, int nfiles, char **files, char *rd)
{
	struct serial sr = { .flags = flags };
	buf_init(&sr.out, BUF_NO_LIMIT);
	int rc = EXIT_OK;
	for (int k = 0; k < (nfiles ? nfiles : 1) && rc == EXIT_OK; k++) {
		const char *name = nfiles ? files[k] : "<stdin>";
		FILE *f = !nfiles || strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
		if (!f) {
			fprintf(stderr, "chapar normalize: %s: cannot open\n", name);
			rc = EXIT_FAIL;
			break;
		}
		bool read_error;
		rc = cut_pieces(f, name, rd, serial_piece, &sr, &read_error);
		if (read_error)
			fprintf(stderr, "chapar normalize: %s: read error\n", name);
		if (f != stdin)
			fclose(f);
	}
	buf_release(&sr.out);
	return rc;
}

/* default_threads: the online CPUs, at most THREADS_CAP, at least 1. */
static int default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > THREADS_CAP ? THREADS_CAP : (int)n;
}

/* parse_threads: s as a thread count 1..THREADS_MAX, or 0. */
static int parse_threads(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= THREADS_MAX ? (int)v : 0;
}

int cmd_normalize(int argc, char **argv, struct config *cfg)
{
	(void)cfg;
	unsigned flags = TEXT_NORM_DEFAULT;
	int threads = 0;
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
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc &&
			   parse_threads(argv[i + 1]) > 0) {
			threads = parse_threads(argv[++i]);
		} else {
			fprintf(stderr, "chapar normalize: bad option '%s'\n%s", argv[i], usage);
			return EXIT_USAGE;
		}
	}
	if (threads == 0)
		threads = default_threads();
	static char rd[READ_MAX];
	int rc = threads == 1 ? normalize_serial(flags, argc - i, argv + i, rd)
			      : normalize_threaded(flags, threads, argc - i, argv + i, rd);
	fflush(stdout);
	return rc;
}
