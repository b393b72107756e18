/*
 * serving.h — what `chapar serve` and `chapar demo` share: running the web server until a
 * signal (or a time limit) stops it.
 */
#ifndef CHAPAR_CLI_SERVING_H
#define CHAPAR_CLI_SERVING_H

#include "config.h"

struct serve_options {
	const char *listen;
	const char *db;
	int threads;
	int cache_ttl_s;
	int exit_after_s; /* stop by itself after this many seconds; 0 = run until a signal */
};

/* serve_until_stopped: serve opt until SIGINT/SIGTERM or exit_after_s; returns an exit code. */
int serve_until_stopped(const struct serve_options *opt);

#endif
