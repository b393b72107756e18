/*
 * cmd_feed.c — `chapar feed`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_feed(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar feed: not implemented yet\n");
	return EXIT_FAIL;
}
