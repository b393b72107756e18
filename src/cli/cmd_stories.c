/*
 * cmd_stories.c — `chapar stories`: not written yet (placeholder until its issue lands).
 */
#include <stdio.h>

#include "commands.h"

int cmd_stories(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar stories: not implemented yet\n");
	return EXIT_FAIL;
}
