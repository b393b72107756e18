/*
 * dynlib.c — libraries loaded on first use (see core.h). One lock for all of them: loading
 * happens once per library per process, so contention is not a concern; the state is read
 * with an acquire load so the forwarding functions pay no lock on their fast path.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "core/core.h"

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/* bind_all: dlopen lib and resolve its symbols; returns 1, or -1 with lib->why filled. */
static int bind_all(struct dynlib *lib)
{
	void *handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *e = dlerror();
		snprintf(lib->why, sizeof lib->why, "%s", e ? e : lib->soname);
		return -1;
	}
	for (size_t i = 0; i < lib->n_symbols; i++) {
		void *fn = dlsym(handle, lib->symbols[i].name);
		if (!fn) {
			snprintf(lib->why, sizeof lib->why, "%s: no function %s (too old a version?)",
				 lib->soname, lib->symbols[i].name);
			return -1; /* the handle stays open: harmless, and other slots may be set */
		}
		*lib->symbols[i].slot = fn;
	}
	return 1; /* the handle is never closed: the slots point into it */
}

enum ch_status dynlib_load(struct dynlib *lib, struct ch_error *err)
{
	int state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
	if (state == 0) {
		pthread_mutex_lock(&load_lock);
		state = lib->state;
		if (state == 0) {
			state = bind_all(lib);
			__atomic_store_n(&lib->state, state, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&load_lock);
	}
	if (state < 0)
		return ch_fail(err, CH_ERR_IO, "cannot load %s: %s", lib->soname, lib->why);
	return CH_OK;
}
