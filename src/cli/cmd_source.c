/*
 * cmd_source.c — `chapar source`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_source(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar source: not implemented yet\n");
	return EXIT_FAIL;
}
