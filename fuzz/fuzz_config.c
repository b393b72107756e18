/*
 * fuzz_config.c — libFuzzer target for the config file reader (config_load_file in
 * src/cli/config.c): the input is written to a file and read as chapar.conf. Whatever it holds,
 * no crash, and every setting stays within its bounds: strings NUL-terminated in their fields,
 * numbers in their ranges.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the CLI is not part of libchapar: its config reader is compiled in here */
#include "cli/config.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_bounds: abort when a setting of cfg is out of what config_set allows. */
static void check_bounds(const struct config *c)
{
	if (!memchr(c->db, 0, sizeof c->db) || !memchr(c->listen, 0, sizeof c->listen) ||
	    !memchr(c->admin_password, 0, sizeof c->admin_password) ||
	    !memchr(c->config_path, 0, sizeof c->config_path))
		abort();
	if (c->fetch_concurrency < 1 || c->fetch_per_host < 1 || c->min_interval_min < 1 ||
	    c->max_interval_min < 1 || c->threads < 1 || c->min_interval_min > 1440 ||
	    c->max_interval_min > 1440 || c->threads > 256)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/chapar-fuzz-config-%ld.conf", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
	struct config cfg;
	config_defaults(&cfg);
	struct ch_error err;
	if (config_load_file(&cfg, path, &err) != CH_OK && !memchr(err.msg, 0, sizeof err.msg))
		abort();
	check_bounds(&cfg);
	unlink(path);
	return 0;
}
