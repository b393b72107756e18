/*
 * cmd_fetch.c — `chapar fetch`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_fetch(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar fetch: not implemented yet\n");
	return EXIT_FAIL;
}
