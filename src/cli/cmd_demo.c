/*
 * cmd_demo.c — `chapar demo`: not written yet.
 */
#include <stdio.h>

#include "commands.h"

int cmd_demo(int argc, char **argv, struct config *cfg)
{
	fprintf(stderr, "chapar demo: not implemented yet\n");
	return EXIT_FAIL;
}
