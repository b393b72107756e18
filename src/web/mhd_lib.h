/*
 * mhd_lib.h — libmicrohttpd is loaded when the server starts (mhd_lib.c); server.c asks here
 * first, so a machine without it gets a clear error instead of "cannot listen".
 */
#ifndef CHAPAR_WEB_MHD_LIB_H
#define CHAPAR_WEB_MHD_LIB_H

#include "core/core.h"

/* mhd_lib_load: load libmicrohttpd now if not yet loaded. CH_ERR_IO, with the loader's words
 * in err, when it cannot be loaded. */
enum ch_status mhd_lib_load(struct ch_error *err);

#endif
