/*
 * config.h — chapar's settings: built-in defaults, then a config file, then flags. Works with
 * no config file at all.
 */
#ifndef CHAPAR_CLI_CONFIG_H
#define CHAPAR_CLI_CONFIG_H

#include <stdbool.h>

#include "core/core.h"

struct config {
	char db[1024];          /* database file; default "chapar.db" */
	char listen[256];       /* web server address; default "127.0.0.1:8080" */
	char config_path[1024]; /* the file read, or "" when none */
	int fetch_concurrency;  /* transfers in flight; default 32 */
	int fetch_per_host;     /* transfers in flight per host; default 2 */
	int min_interval_min;   /* adaptive polling interval bounds, minutes; default 2 and 60 */
	int max_interval_min;
	char admin_password[256]; /* admin area login; empty = admin disabled */
	int threads;            /* web server threads; default = cores */
	bool verbose;
};

/* config_defaults: fill cfg with the built-in defaults. */
void config_defaults(struct config *cfg);

/* config_load_file: apply `key = value` lines from path. Unknown keys and bad values are
 * errors (a typo must not silently do nothing). */
enum ch_status config_load_file(struct config *cfg, const char *path, struct ch_error *err);

/* config_find_and_load: load the first of $CHAPAR_CONFIG, ./chapar.conf,
 * $HOME/.config/chapar/chapar.conf, /etc/chapar/chapar.conf that exists (none is fine). */
enum ch_status config_find_and_load(struct config *cfg, struct ch_error *err);

/* config_set: apply one key=value (as from the file or a flag). */
enum ch_status config_set(struct config *cfg, const char *key, const char *value, struct ch_error *err);

#endif
