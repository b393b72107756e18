/*
 * cmd_search.c — `chapar search`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_search(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar search: not implemented yet\n");
	return EXIT_FAIL;
}
