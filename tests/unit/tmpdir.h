/*
 * tmpdir.h — removal of the temporary directories (mkdtemp) that the store and rank unit
 * tests keep their SQLite files in. Shared so each teardown says one line.
 */
#ifndef CHAPAR_TESTS_TMPDIR_H
#define CHAPAR_TESTS_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

/* tmpdir_remove: remove dir and everything in it; 0 on success, -1 otherwise. */
static inline int tmpdir_remove(const char *dir)
{
	char cmd[4200];
	if ((size_t)snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= sizeof cmd)
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

#endif
