/*
 * cmd_ingest.c — `chapar ingest`: not written yet.
 */
#include <stdio.h>

#include "commands.h"

int cmd_ingest(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar ingest: not implemented yet\n");
	return EXIT_FAIL;
}
