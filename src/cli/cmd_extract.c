/*
 * cmd_extract.c — `chapar extract`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_extract(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar extract: not implemented yet\n");
	return EXIT_FAIL;
}
