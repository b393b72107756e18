/*
 * cmd_normalize.c — `chapar normalize`: display-normalize Persian text from stdin (or files)
 * to stdout, line by line. Memory stays bounded whatever the input size: a stream is cut in
 * pieces of at most READ_MAX bytes, and a piece that ends inside a line ends at a space.
 *
 * text_normalize's output depends on where each call starts (it works in chunks counted from
 * the start of its input, and a line longer than a chunk is cut at a space), so every mode
 * calls it on exactly the same pieces: the cutting (struct cutter) is one function for a
 * stream read through stdio and for a regular file mapped into memory, and only what happens
 * to a piece differs. A regular file (stdin included) is mapped instead of read: no copy of
 * its bytes, and its size is known, so the last blocks can be made smaller; pages already
 * written are dropped from the mapping, so memory stays flat. (A mapped file that another
 * process truncates while it is read ends the command with SIGBUS, as for any mmap reader.)
 * With one thread each piece is normalized and written at once. With N threads there is no
 * reader or writer thread: N workers (the calling thread is one) each take the next block of
 * consecutive pieces of about BLOCK_IN bytes in turn (one at a time cuts, under a token),
 * normalize it piece by piece (each piece by its own text_normalize call), and whichever
 * worker finds the oldest unwritten block done writes it and every done block after it; a
 * ring of 2N+2 blocks bounds memory, and a worker sleeps only when the ring is full or
 * another one is cutting. The output is therefore byte-identical whatever the thread count,
 * and so is a failure: an error (invalid UTF-8 under --strict, a file that cannot be opened
 * or read) is reported after writing the output of every piece before it and nothing after.
 */
#define _GNU_SOURCE /* memrchr */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "text/text.h"

enum {
	READ_MAX = 1 << 16,     /* a piece is at most this long */
	BLOCK_IN = 1 << 18,     /* a block holds pieces of at most this many bytes in all */
	BLOCK_PIECES = 2048,    /* and at most this many pieces */
	RELEASE_STEP = 1 << 20, /* written pages of a mapping are dropped by at least this much */
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

/* ---- cutting a stream into pieces ---------------------------------------------------------- */

/* A regular file's mapping; its pages before `released` have been dropped. Unmapped at the
 * end of the command (blocks of other threads may still point into it when cutting ends). */
struct mapping {
	char *base;
	size_t len, released;
	struct mapping *next;
};

/* The cutter of one stream: either mapped (map, map_n: the bytes from the stream's offset
 * when it was opened) or read through stdio into rd (READ_MAX bytes). The pending piece
 * (p, n > 0) stays valid until cutter_consume. Both ways cut the same bytes the same way: a
 * window of READ_MAX bytes from the piece's start is cut after its last line break, else
 * after its last space, else at its end; a shorter window (the end of the stream) after its
 * last line break, else at its end. */
struct cutter {
	const char *map;
	size_t map_n, pos;
	struct mapping *mapping;
	FILE *f;
	char *rd;
	size_t have, got;
	bool ended;
	const char *p;
	size_t n;
};

/* window_cut: where a full window (READ_MAX bytes at w) is cut: after its last line break,
 * else after its last space, else at its end. */
static size_t window_cut(const char *w)
{
	const char *nl = memrchr(w, '\n', READ_MAX);
	const char *sp = nl ? NULL : memrchr(w, ' ', READ_MAX);
	return nl ? (size_t)(nl - w) + 1 : sp ? (size_t)(sp - w) + 1 : READ_MAX;
}

/* cutter_peek: make the next piece pending (c->p, c->n); false at the end of the stream (or
 * at a read error: ferror tells). */
static bool cutter_peek(struct cutter *c)
{
	if (c->n > 0)
		return true;
	if (c->map) {
		size_t rem = c->map_n - c->pos;
		if (rem == 0)
			return false;
		const char *w = c->map + c->pos;
		const char *nl = rem >= READ_MAX ? NULL : memrchr(w, '\n', rem);
		c->p = w;
		c->n = rem >= READ_MAX ? window_cut(w) : nl ? (size_t)(nl - w) + 1 : rem;
		return true;
	}
	while (!c->ended) {
		c->got = fread(c->rd + c->have, 1, READ_MAX - c->have, c->f);
		c->have += c->got;
		if (c->have == 0) {
			c->ended = true;
			break;
		}
		size_t cut = c->have;
		if (c->got > 0 && c->have == READ_MAX) {
			cut = window_cut(c->rd);
		} else if (c->got > 0) {
			const char *nl = memrchr(c->rd, '\n', c->have);
			if (!nl)
				continue; /* read more of this line: fread returns 0 at the end */
			cut = (size_t)(nl - c->rd) + 1;
		}
		c->p = c->rd;
		c->n = cut;
		return true;
	}
	return false;
}

/* cutter_consume: drop the pending piece. */
static void cutter_consume(struct cutter *c)
{
	if (c->map) {
		c->pos += c->n;
	} else {
		memmove(c->rd, c->rd + c->n, c->have - c->n);
		c->have -= c->n;
		if (c->got == 0 && c->have == 0)
			c->ended = true;
	}
	c->n = 0;
}

/* mapping_release: drop the whole pages of m before upto (already written), once at least
 * RELEASE_STEP bytes can go; they are read from the file again if touched. */
static void mapping_release(struct mapping *m, const char *upto)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t end = (size_t)(upto - m->base) / page * page;
	if (end >= m->released + RELEASE_STEP) {
		madvise(m->base + m->released, end - m->released, MADV_DONTNEED);
		m->released = end;
	}
}

/* What the next look at the input found. */
enum src_step { SRC_PIECE, SRC_END_STREAM, SRC_CANNOT_OPEN, SRC_READ_ERROR, SRC_DONE };

/* The input: the FILEs (or stdin) one after another, each cut by cut. */
struct source {
	int nfiles;
	char **files;
	int next;                  /* the next file to open */
	bool open;                 /* name is being cut */
	const char *name;          /* the stream's name, for messages */
	FILE *f;
	struct mapping *mappings;  /* every mapping made, to unmap at the end */
	struct cutter cut;
	char *rd;                  /* READ_MAX bytes for a read stream */
};

/* source_map: map f from its current offset when it is a non-empty regular file; false
 * (read it through stdio) otherwise. */
static bool source_map(struct source *s, FILE *f)
{
	int fd = fileno(f);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (at < 0 || st.st_size <= at || (uintmax_t)st.st_size > SIZE_MAX)
		return false;
	off_t page = (off_t)sysconf(_SC_PAGESIZE);
	off_t base = at - at % page;
	struct mapping *m = malloc(sizeof *m);
	void *p = m ? mmap(NULL, (size_t)(st.st_size - base), PROT_READ, MAP_PRIVATE, fd, base) : MAP_FAILED;
	if (p == MAP_FAILED) {
		free(m);
		return false;
	}
	*m = (struct mapping){ .base = p, .len = (size_t)(st.st_size - base), .next = s->mappings };
	s->mappings = m;
	s->cut.map = m->base + (at - base);
	s->cut.map_n = (size_t)(st.st_size - at);
	s->cut.mapping = m;
	lseek(fd, st.st_size, SEEK_SET); /* where reading it would have left the offset */
	return true;
}

/* source_peek: the next piece (*p, *n: pending until source_consume) or what ends a stream:
 * SRC_END_STREAM, SRC_READ_ERROR (the stream's pieces before it were all given), then
 * SRC_CANNOT_OPEN for a file that does not open, SRC_DONE after the last one. After an
 * error the caller stops. */
static enum src_step source_peek(struct source *s, const char **p, size_t *n)
{
	if (!s->open) {
		if (s->next >= (s->nfiles ? s->nfiles : 1))
			return SRC_DONE;
		s->name = s->nfiles ? s->files[s->next] : "<stdin>";
		s->next++;
		s->f = !s->nfiles || strcmp(s->name, "-") == 0 ? stdin : fopen(s->name, "rb");
		if (!s->f)
			return SRC_CANNOT_OPEN;
		s->cut = (struct cutter){ .f = s->f, .rd = s->rd };
		source_map(s, s->f);
		s->open = true;
	}
	if (cutter_peek(&s->cut)) {
		*p = s->cut.p;
		*n = s->cut.n;
		return SRC_PIECE;
	}
	bool error = !s->cut.map && ferror(s->f);
	if (s->f != stdin)
		fclose(s->f);
	s->open = false;
	return error ? SRC_READ_ERROR : SRC_END_STREAM;
}

/* source_consume: drop the piece source_peek gave. */
static void source_consume(struct source *s)
{
	cutter_consume(&s->cut);
}

/* source_end: close what is still open and unmap every mapping. */
static void source_end(struct source *s)
{
	if (s->open && s->f != stdin)
		fclose(s->f);
	s->open = false;
	while (s->mappings) {
		struct mapping *m = s->mappings;
		s->mappings = m->next;
		munmap(m->base, m->len);
		free(m);
	}
}

/* invalid_message: the error text for a failed text_normalize. */
static const char *invalid_message(enum ch_status st)
{
	return st == CH_ERR_INVALID ? "invalid UTF-8" : ch_status_name(st);
}

/* write_out: write out's bytes to stdout; false (reported) on a write error. */
static bool write_out(const struct buf *out)
{
	if (fwrite(out->p ? out->p : "", 1, out->n, stdout) == out->n)
		return true;
	fprintf(stderr, "chapar normalize: write error\n");
	return false;
}

/* ---- one thread ---------------------------------------------------------------------------- */

/* normalize_serial: the whole command on this thread, each piece normalized and written at
 * once; EXIT_OK or EXIT_FAIL. */
static int normalize_serial(unsigned flags, struct source *src)
{
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	int rc = EXIT_OK;
	for (;;) {
		const char *p;
		size_t n;
		enum src_step step = source_peek(src, &p, &n);
		if (step == SRC_DONE)
			break;
		if (step == SRC_CANNOT_OPEN || step == SRC_READ_ERROR) {
			fprintf(stderr, "chapar normalize: %s: %s\n", src->name,
				step == SRC_CANNOT_OPEN ? "cannot open" : "read error");
			rc = EXIT_FAIL;
			break;
		}
		if (step == SRC_END_STREAM)
			continue;
		buf_reset(&out);
		enum ch_status st = text_normalize(p, n, flags, &out);
		if (st != CH_OK) {
			fprintf(stderr, "chapar normalize: %s: %s\n", src->name, invalid_message(st));
			rc = EXIT_FAIL;
			break;
		}
		if (!write_out(&out)) {
			rc = EXIT_FAIL;
			break;
		}
		if (src->cut.mapping)
			mapping_release(src->cut.mapping, p + n);
		source_consume(src);
	}
	buf_release(&out);
	return rc;
}

/* ---- several threads ----------------------------------------------------------------------- */

/* What is reported after a block's output (the cutter met it at the block's end). */
enum block_event { EV_NONE, EV_CANNOT_OPEN, EV_READ_ERROR };

/* A block: consecutive pieces of one stream, their output, and where it is in the ring. */
struct block {
	char *buf;                          /* BLOCK_IN bytes: pieces copied from a read stream */
	const char *in;                     /* the pieces, one after another: buf or a mapping */
	struct mapping *mapping;            /* the mapping in points into, or NULL */
	size_t in_n, npieces;
	uint32_t piece_len[BLOCK_PIECES];
	const char *name;                   /* the stream's name, for messages */
	struct buf out;                     /* the output of the pieces normalized */
	enum ch_status st;                  /* CH_OK, or why the piece after out failed */
	enum block_event event;
	const char *event_name;             /* the stream the event is about */
	enum { B_FREE, B_BUSY, B_DONE } state;
};

/* The ring shared by the workers. Everything but the blocks' contents is under mu; a block's
 * contents belong to the worker that fills and normalizes it, then (B_DONE) to the writer. */
struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t changed;   /* a slot was freed, the cutting token returned, or stop set */
	unsigned waiting;         /* workers asleep on changed */
	struct block *slots;
	size_t nslots;
	uint64_t next_claim, next_write; /* sequence numbers; slot = seq % nslots */
	bool cutting;             /* a worker is cutting the next block (owns src) */
	bool writing;             /* a worker is writing blocks (owns next_write's block) */
	bool input_done;          /* no block follows next_claim */
	bool stop;                /* an error was reported: everyone ends */
	int rc;
	unsigned flags;
	int nworkers;
	struct source *src;
};

/* block_target: how many bytes of pieces the block starting with the pending piece takes:
 * BLOCK_IN, but for a mapped stream at most 1/(2N) of what is left (not under READ_MAX), so
 * the last blocks are small and the workers end together. */
static size_t block_target(const struct pipeline *pl)
{
	const struct cutter *c = &pl->src->cut;
	if (!c->map)
		return BLOCK_IN;
	size_t share = (c->map_n - c->pos) / (2 * (size_t)pl->nworkers);
	return share >= BLOCK_IN ? BLOCK_IN : share > READ_MAX ? share : READ_MAX;
}

/* block_fill: cut the next pieces of the input into b (the caller holds the cutting token);
 * false when the input ended with b empty and nothing to report. Sets *ended when no block
 * follows this one. */
static bool block_fill(struct pipeline *pl, struct block *b, bool *ended)
{
	struct source *src = pl->src;
	b->in = b->buf;
	b->mapping = NULL;
	b->in_n = b->npieces = 0;
	b->name = NULL;
	b->st = CH_OK;
	b->event = EV_NONE;
	b->event_name = NULL;
	size_t target = BLOCK_IN;
	*ended = false;
	for (;;) {
		const char *p;
		size_t n;
		enum src_step step = source_peek(src, &p, &n);
		if (step == SRC_DONE) {
			*ended = true;
			break;
		}
		if (step == SRC_CANNOT_OPEN || step == SRC_READ_ERROR) {
			b->event = step == SRC_CANNOT_OPEN ? EV_CANNOT_OPEN : EV_READ_ERROR;
			b->event_name = src->name;
			*ended = true;
			break;
		}
		if (step == SRC_END_STREAM) {
			if (b->npieces > 0)
				break; /* a block holds one stream's pieces */
			continue;
		}
		if (b->npieces == 0) {
			b->name = src->name;
			b->mapping = src->cut.mapping;
			if (b->mapping)
				b->in = p;
			target = block_target(pl);
		} else if (b->in_n + n > target || b->npieces == BLOCK_PIECES) {
			break;
		}
		if (!b->mapping)
			memcpy(b->buf + b->in_n, p, n);
		b->in_n += n;
		b->piece_len[b->npieces++] = (uint32_t)n;
		source_consume(src);
	}
	return b->npieces > 0 || b->event != EV_NONE;
}

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

/* block_report: write b's output and report its error, if any; EXIT_OK to go on. */
static int block_report(const struct block *b)
{
	if (!write_out(&b->out))
		return EXIT_FAIL;
	if (b->st != CH_OK) {
		fprintf(stderr, "chapar normalize: %s: %s\n", b->name, invalid_message(b->st));
		return EXIT_FAIL;
	}
	if (b->event != EV_NONE) {
		fprintf(stderr, "chapar normalize: %s: %s\n", b->event_name,
			b->event == EV_CANNOT_OPEN ? "cannot open" : "read error");
		return EXIT_FAIL;
	}
	if (b->mapping)
		mapping_release(b->mapping, b->in + b->in_n);
	return EXIT_OK;
}

/* wake: wake the sleeping workers, if any (pl->mu held). */
static void wake(struct pipeline *pl)
{
	if (pl->waiting > 0)
		pthread_cond_broadcast(&pl->changed);
}

/* write_done: unless another worker is writing, write the oldest blocks while they are done,
 * freeing their slots (pl->mu held; released while writing); an error stops everyone. */
static void write_done(struct pipeline *pl)
{
	if (pl->writing)
		return; /* that worker looks at the next block again before it stops writing */
	pl->writing = true;
	while (!pl->stop) {
		struct block *b = &pl->slots[pl->next_write % pl->nslots];
		if (pl->next_write == pl->next_claim || b->state != B_DONE)
			break;
		pthread_mutex_unlock(&pl->mu);
		int rc = block_report(b);
		pthread_mutex_lock(&pl->mu);
		if (rc != EXIT_OK) {
			pl->rc = rc;
			pl->stop = true;
			pthread_cond_broadcast(&pl->changed);
			break;
		}
		b->state = B_FREE;
		pl->next_write++;
		wake(pl);
	}
	pl->writing = false;
}

/* worker_main: take, normalize and (when its turn comes) write blocks until the input ends
 * or an error stops the pipeline. */
static void *worker_main(void *arg)
{
	struct pipeline *pl = arg;
	pthread_mutex_lock(&pl->mu);
	while (!pl->stop && !pl->input_done) {
		struct block *b = &pl->slots[pl->next_claim % pl->nslots];
		if (pl->cutting || b->state != B_FREE) {
			pl->waiting++;
			pthread_cond_wait(&pl->changed, &pl->mu);
			pl->waiting--;
			continue;
		}
		pl->cutting = true;
		pthread_mutex_unlock(&pl->mu);
		bool ended;
		bool any = block_fill(pl, b, &ended);
		pthread_mutex_lock(&pl->mu);
		pl->cutting = false;
		pl->input_done = ended;
		wake(pl);
		if (!any)
			break;
		b->state = B_BUSY;
		pl->next_claim++;
		pthread_mutex_unlock(&pl->mu);
		block_normalize(b, pl->flags);
		pthread_mutex_lock(&pl->mu);
		b->state = B_DONE;
		write_done(pl);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

/* normalize_threaded: the whole command on nthreads workers, this thread one of them;
 * EXIT_OK or EXIT_FAIL. A worker that cannot be started leaves the others more to do. */
static int normalize_threaded(unsigned flags, int nthreads, struct source *src)
{
	struct pipeline pl = { .flags = flags, .rc = EXIT_OK, .nworkers = nthreads, .src = src };
	pl.nslots = 2 * (size_t)nthreads + 2;
	pl.slots = calloc(pl.nslots, sizeof *pl.slots);
	pthread_t *workers = calloc((size_t)nthreads, sizeof *workers);
	bool ok = pl.slots && workers;
	for (size_t k = 0; ok && k < pl.nslots; k++) {
		pl.slots[k].buf = malloc(BLOCK_IN);
		buf_init(&pl.slots[k].out, BUF_NO_LIMIT);
		ok = pl.slots[k].buf != NULL;
	}
	int rc = EXIT_FAIL;
	if (ok) {
		pthread_mutex_init(&pl.mu, NULL);
		pthread_cond_init(&pl.changed, NULL);
		int started = 0;
		while (started < nthreads - 1 &&
		       pthread_create(&workers[started], NULL, worker_main, &pl) == 0)
			started++;
		worker_main(&pl);
		for (int k = 0; k < started; k++)
			pthread_join(workers[k], NULL);
		rc = pl.rc;
		pthread_cond_destroy(&pl.changed);
		pthread_mutex_destroy(&pl.mu);
	} else {
		fprintf(stderr, "chapar normalize: out of memory\n");
	}
	for (size_t k = 0; pl.slots && k < pl.nslots; k++) {
		free(pl.slots[k].buf);
		buf_release(&pl.slots[k].out);
	}
	free(pl.slots);
	free(workers);
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
	struct source src = { .nfiles = argc - i, .files = argv + i, .rd = rd };
	int rc = threads == 1 ? normalize_serial(flags, &src) : normalize_threaded(flags, threads, &src);
	fflush(stdout);
	source_end(&src);
	return rc;
}
