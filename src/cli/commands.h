/*
 * commands.h — the chapar commands. Each `cmd_<name>` lives in src/cli/cmd_<name>.c, takes the
 * arguments after the command name (argv[0] is the command name) and the global options, and
 * returns the process exit code: 0 ok, 1 failure, 2 usage.
 */
#ifndef CHAPAR_CLI_COMMANDS_H
#define CHAPAR_CLI_COMMANDS_H

#include "config.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef int (*command_fn)(int argc, char **argv, struct config *cfg);

int cmd_normalize(int argc, char **argv, struct config *cfg);
int cmd_date(int argc, char **argv, struct config *cfg);
int cmd_feed(int argc, char **argv, struct config *cfg);
int cmd_extract(int argc, char **argv, struct config *cfg);
int cmd_source(int argc, char **argv, struct config *cfg);
int cmd_fetch(int argc, char **argv, struct config *cfg);
int cmd_stories(int argc, char **argv, struct config *cfg);
int cmd_search(int argc, char **argv, struct config *cfg);
int cmd_serve(int argc, char **argv, struct config *cfg);
int cmd_demo(int argc, char **argv, struct config *cfg);
int cmd_ingest(int argc, char **argv, struct config *cfg);

#endif
