/*
 * dynlib.c — tests core's on-first-use library loading: a library that is there binds every
 * slot, a missing library or function fails with the loader's words, and a failure sticks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chapar.h"

static void binds_every_slot(void **state)
{
	(void)state;
	void *strlen_fn = NULL, *abs_fn = NULL;
	const struct dynlib_symbol syms[] = { { "strlen", &strlen_fn }, { "abs", &abs_fn } };
	struct dynlib lib = { .soname = "libc.so.6", .symbols = syms, .n_symbols = 2 };
	struct ch_error err = { 0 };
	assert_int_equal(dynlib_load(&lib, &err), CH_OK);
	assert_non_null(strlen_fn);
	assert_non_null(abs_fn);
	size_t (*len)(const char *);
	*(void **)&len = strlen_fn;
	assert_int_equal(len("چاپار"), 10);
	assert_int_equal(dynlib_load(&lib, &err), CH_OK); /* once loaded, stays loaded */
}

static void missing_library_fails_clearly(void **state)
{
	(void)state;
	void *fn = NULL;
	const struct dynlib_symbol syms[] = { { "f", &fn } };
	struct dynlib lib = { .soname = "libchapar-none.so.99", .symbols = syms, .n_symbols = 1 };
	struct ch_error err = { 0 };
	assert_int_equal(dynlib_load(&lib, &err), CH_ERR_IO);
	assert_non_null(strstr(err.msg, "libchapar-none.so.99"));
	assert_null(fn);
	struct ch_error again = { 0 };
	assert_int_equal(dynlib_load(&lib, &again), CH_ERR_IO);
	assert_string_equal(err.msg, again.msg);
}

static void missing_function_fails_clearly(void **state)
{
	(void)state;
	void *a = NULL, *b = NULL;
	const struct dynlib_symbol syms[] = { { "strlen", &a }, { "chapar_no_such_function", &b } };
	struct dynlib lib = { .soname = "libc.so.6", .symbols = syms, .n_symbols = 2 };
	struct ch_error err = { 0 };
	assert_int_equal(dynlib_load(&lib, &err), CH_ERR_IO);
	assert_non_null(strstr(err.msg, "chapar_no_such_function"));
	assert_null(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binds_every_slot),
		cmocka_unit_test(missing_library_fails_clearly),
		cmocka_unit_test(missing_function_fails_clearly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
