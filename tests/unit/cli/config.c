/*
 * config.c — tests the config file reader (src/cli/config.c, compiled in here: the CLI is not
 * part of libchapar): settings, comments, errors with the line number, and lines of any length
 * (a long comment is one comment, never a setting from its tail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/config.c"

/* write_conf: text into a fresh temporary file; returns its path (static storage). */
static const char *write_conf(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/chapar-test-config-%ld.conf", (long)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* comment_of: "#" then pad 'x' bytes, then what follows (malloc'd). */
static char *comment_of(size_t pad, const char *then)
{
	char *s = malloc(pad + strlen(then) + 2);
	assert_non_null(s);
	s[0] = '#';
	memset(s + 1, 'x', pad);
	strcpy(s + 1 + pad, then);
	return s;
}

static void settings_are_read(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	const char *path = write_conf("# a comment\n  db = /tmp/x.db \r\nthreads=3\n\nlisten = 127.0.0.1:9\n");
	assert_int_equal(config_load_file(&c, path, NULL), CH_OK);
	assert_string_equal(c.db, "/tmp/x.db");
	assert_string_equal(c.listen, "127.0.0.1:9");
	assert_int_equal(c.threads, 3);
	assert_string_equal(c.config_path, path);
	unlink(path);
}

static void errors_name_the_line(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	struct ch_error err;
	const char *path = write_conf("threads = 2\nthreads = 999\n");
	assert_int_equal(config_load_file(&c, path, &err), CH_ERR_INVALID);
	assert_non_null(strstr(err.msg, ":2: threads"));
	path = write_conf("no equals sign\n");
	assert_int_equal(config_load_file(&c, path, &err), CH_ERR_INVALID);
	assert_non_null(strstr(err.msg, ":1: expected key = value"));
	unlink(path);
}

/* A comment of 2047 bytes once filled the reader's line buffer exactly: the rest of the line
 * was read as a line of its own, so text inside a comment set the admin password. */
static void long_comment_tail_is_no_setting(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	char *text = comment_of(2046, "admin_password = from-a-comment\nthreads = 5\n");
	const char *path = write_conf(text);
	assert_int_equal(config_load_file(&c, path, NULL), CH_OK);
	assert_string_equal(c.admin_password, "");
	assert_int_equal(c.threads, 5);
	free(text);
	unlink(path);
}

/* Any comment longer than the old buffer loads (its tail was "expected key = value"). */
static void long_comment_loads(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	char *text = comment_of(10000, "\nfetch_per_host = 4\n");
	const char *path = write_conf(text);
	assert_int_equal(config_load_file(&c, path, NULL), CH_OK);
	assert_int_equal(c.fetch_per_host, 4);
	free(text);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings_are_read),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(long_comment_tail_is_no_setting),
		cmocka_unit_test(long_comment_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
