/*
 * bench_parse.c — in-process feed parsing speed: feed_parse over every file of a list, against
 * libxml2 parsing alone (xmlReadMemory + xmlFreeDoc with the options xmllint uses by default)
 * over the same bytes, interleaved round by round. No process start-up, file reading or
 * output in either figure. Built and run by bench/feed/run.sh:
 *   bench_parse LISTFILE [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "feed/feed.h"

struct file {
	char *p;
	size_t n;
};

/* silent: swallow libxml2 messages, as chapar does. */
static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* load: every file named in the list, into memory. */
static struct file *load(const char *list, size_t *count, size_t *bytes)
{
	FILE *fp = fopen(list, "r");
	if (!fp)
		return NULL;
	struct file *v = NULL;
	size_t n = 0, cap = 0;
	char line[4096];
	*bytes = 0;
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		struct buf b;
		buf_init(&b, 64u << 20);
		if (!line[0] || file_read(line, &b, NULL) != CH_OK)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof *v);
		}
		v[n].n = b.n;
		v[n].p = buf_detach(&b, NULL);
		*bytes += v[n].n;
		n++;
	}
	fclose(fp);
	*count = n;
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_parse LISTFILE [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	size_t n, bytes;
	struct file *v = load(argv[1], &n, &bytes);
	if (!v)
		return 1;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	printf("%zu files, %.2f MB; per round: chapar feed_parse ms, libxml2 xmlReadMemory ms, ratio\n",
	       n, bytes / 1e6);
	double best_c = 1e9, best_x = 1e9;
	for (int r = 0; r < rounds; r++) {
		int64_t t0 = time_mono_ns();
		for (size_t i = 0; i < n; i++) {
			struct feed *f = NULL;
			if (feed_parse(v[i].p, v[i].n, NULL, NULL, &f, NULL) == CH_OK)
				feed_free(f);
		}
		int64_t t1 = time_mono_ns();
		for (size_t i = 0; i < n; i++) {
			xmlDocPtr d = xmlReadMemory(v[i].p, (int)v[i].n, NULL, NULL,
						    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
			if (d)
				xmlFreeDoc(d);
		}
		int64_t t2 = time_mono_ns();
		double c = (t1 - t0) / 1e6, x = (t2 - t1) / 1e6;
		best_c = c < best_c ? c : best_c;
		best_x = x < best_x ? x : best_x;
		printf("round %d: %.1f %.1f %.2f\n", r + 1, c, x, x / c);
	}
	printf("best: chapar %.1f ms (%.0f MB/s), libxml2 %.1f ms (%.0f MB/s), speed ratio %.2f\n",
	       best_c, bytes / 1e3 / best_c, best_x, bytes / 1e3 / best_x, best_x / best_c);
	for (size_t i = 0; i < n; i++)
		free(v[i].p);
	free(v);
	return 0;
}
