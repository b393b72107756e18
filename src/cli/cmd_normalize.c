/*
 * cmd_normalize.c — `chapar normalize`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_normalize(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar normalize: not implemented yet\n");
	return EXIT_FAIL;
}
