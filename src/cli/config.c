/*
 * config.c — defaults, the config file (`key = value`, `#` comments) and its search path.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->db, sizeof cfg->db, "chapar.db");
	snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:8080");
	cfg->fetch_concurrency = 32;
	cfg->fetch_per_host = 2;
	cfg->min_interval_min = 2;
	cfg->max_interval_min = 60;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->threads = cores > 0 ? (int)cores : 2;
}

/* set_string: copy value into a fixed field, refusing what does not fit. */
static enum ch_status set_string(char *field, size_t size, const char *key, const char *value,
				 struct ch_error *err)
{
	if (strlen(value) >= size)
		return ch_fail(err, CH_ERR_INVALID, "%s: value too long", key);
	memcpy(field, value, strlen(value) + 1);
	return CH_OK;
}

/* set_int: parse a whole number within [lo, hi]. */
static enum ch_status set_int(int *field, const char *key, const char *value, int lo, int hi,
			      struct ch_error *err)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < lo || v > hi)
		return ch_fail(err, CH_ERR_INVALID, "%s: expected a number from %d to %d, got '%s'", key,
			       lo, hi, value);
	*field = (int)v;
	return CH_OK;
}

enum ch_status config_set(struct config *cfg, const char *key, const char *value, struct ch_error *err)
{
	if (!strcmp(key, "db"))
		return set_string(cfg->db, sizeof cfg->db, key, value, err);
	if (!strcmp(key, "listen"))
		return set_string(cfg->listen, sizeof cfg->listen, key, value, err);
	if (!strcmp(key, "admin_password"))
		return set_string(cfg->admin_password, sizeof cfg->admin_password, key, value, err);
	if (!strcmp(key, "fetch_concurrency"))
		return set_int(&cfg->fetch_concurrency, key, value, 1, 1024, err);
	if (!strcmp(key, "fetch_per_host"))
		return set_int(&cfg->fetch_per_host, key, value, 1, 64, err);
	if (!strcmp(key, "min_interval"))
		return set_int(&cfg->min_interval_min, key, value, 1, 1440, err);
	if (!strcmp(key, "max_interval"))
		return set_int(&cfg->max_interval_min, key, value, 1, 1440, err);
	if (!strcmp(key, "threads"))
		return set_int(&cfg->threads, key, value, 1, 256, err);
	return ch_fail(err, CH_ERR_INVALID, "unknown setting '%s'", key);
}

/* trim: strip ASCII whitespace at both ends, in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

enum ch_status config_load_file(struct config *cfg, const char *path, struct ch_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ch_fail(err, CH_ERR_IO, "%s: %s", path, strerror(errno));
	/* a whole line whatever its length (getline, not a fixed buffer): the rest of a long
	 * comment must not be read as a setting of its own */
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	enum ch_status st = CH_OK;
	while (st == CH_OK && getline(&line, &cap, f) >= 0) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			st = ch_fail(err, CH_ERR_INVALID, "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		struct ch_error e2;
		st = config_set(cfg, trim(s), trim(eq + 1), &e2);
		if (st != CH_OK)
			ch_fail(err, st, "%s:%d: %s", path, lineno, e2.msg);
	}
	free(line);
	fclose(f);
	if (st == CH_OK)
		snprintf(cfg->config_path, sizeof cfg->config_path, "%s", path);
	return st;
}

enum ch_status config_find_and_load(struct config *cfg, struct ch_error *err)
{
	const char *env = getenv("CHAPAR_CONFIG");
	if (env && *env)
		return config_load_file(cfg, env, err);
	char home_path[PATH_MAX];
	const char *home = getenv("HOME");
	snprintf(home_path, sizeof home_path, "%s/.config/chapar/chapar.conf", home ? home : "/nonexistent");
	const char *candidates[] = { "chapar.conf", home_path, "/etc/chapar/chapar.conf" };
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
		if (access(candidates[i], R_OK) == 0)
			return config_load_file(cfg, candidates[i], err);
	return CH_OK;
}
