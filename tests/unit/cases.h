/*
 * cases.h — behaviour cases kept as data files (as cmark's spec.txt): every line that is not
 * empty and does not start with '#' is `input<TAB>expected`. Shared by the unit tests that
 * check a function against such a file.
 */
#ifndef CHAPAR_TESTS_CASES_H
#define CHAPAR_TESTS_CASES_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

/* case_fn: check one case; print what went wrong and return false when it fails. */
typedef bool (*case_fn)(const char *input, const char *expected, void *ctx);

/* run_cases: call check on every case of the file at path. Returns the number of failures
 * (-1 when the file cannot be read or a line has no tab) and sets *count to the cases run. */
static inline int run_cases(const char *path, case_fn check, void *ctx, int *count)
{
	struct buf file;
	buf_init(&file, 1 << 22);
	*count = 0;
	if (file_read(path, &file, NULL) != CH_OK) {
		fprintf(stderr, "%s: cannot read\n", path);
		buf_release(&file);
		return -1;
	}
	int failed = 0;
	char *save = NULL;
	for (char *line = strtok_r(file.p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab) {
			fprintf(stderr, "%s: a case without a tab: '%s'\n", path, line);
			failed = -1;
			break;
		}
		*tab = '\0';
		(*count)++;
		if (!check(line, tab + 1, ctx))
			failed++;
	}
	buf_release(&file);
	return failed;
}

#endif
