/*
 * cmd_date.c — `chapar date`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_date(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar date: not implemented yet\n");
	return EXIT_FAIL;
}
