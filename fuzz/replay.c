/*
 * replay.c — runs a libFuzzer target over every file of a corpus directory once, without
 * libFuzzer, so each seed corpus is replayed as an ordinary ctest test (like SQLite's
 * fuzzcheck). Exit 0 when every input ran; a crash is the failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* read_file: the whole file at path into a malloc'd buffer (caller frees); NULL on error. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *p = malloc(cap);
	size_t got;
	while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *q = realloc(p, cap *= 2);
			if (!q) { free(p); p = NULL; }
			else p = q;
		}
	}
	fclose(f);
	*size = n;
	return p;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "%s: cannot open corpus %s\n", argv[0], argv[1]);
		return 1;
	}
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		size_t n = 0;
		uint8_t *data = read_file(path, &n);
		if (!data)
			continue;
		LLVMFuzzerTestOneInput(data, n);
		free(data);
		count++;
	}
	closedir(d);
	printf("replayed %d inputs from %s\n", count, argv[1]);
	return count > 0 ? 0 : 1;
}
