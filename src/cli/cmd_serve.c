/*
 * cmd_serve.c — `chapar serve`: not written yet.
 */
#include <stdio.h>

#include "commands.h"

int cmd_serve(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar serve: not implemented yet\n");
	return EXIT_FAIL;
}
