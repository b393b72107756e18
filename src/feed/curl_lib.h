/*
 * curl_lib.h — libcurl is loaded on first use (curl_lib.c); fetch.c asks here first, so a
 * machine without it gets a clear error instead of a failed transfer.
 */
#ifndef CHAPAR_FEED_CURL_LIB_H
#define CHAPAR_FEED_CURL_LIB_H

#include "core/core.h"

/* curl_lib_load: load libcurl now if not yet loaded. CH_ERR_IO, with the loader's words in
 * err, when it cannot be loaded. */
enum ch_status curl_lib_load(struct ch_error *err);

#endif
