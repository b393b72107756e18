/*
 * error.c — status names and the one way errors are recorded (ch_fail).
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

const char *ch_status_name(enum ch_status s)
{
	switch (s) {
	case CH_OK: return "ok";
	case CH_ERR_NOMEM: return "out of memory";
	case CH_ERR_INVALID: return "invalid input";
	case CH_ERR_IO: return "input/output error";
	case CH_ERR_NOTFOUND: return "not found";
	case CH_ERR_LIMIT: return "limit exceeded";
	case CH_ERR_PARSE: return "parse error";
	case CH_ERR_NET: return "network error";
	case CH_ERR_DB: return "database error";
	case CH_ERR_BUSY: return "busy";
	case CH_ERR_EXISTS: return "already exists";
	}
	return "unknown error";
}

enum ch_status ch_fail(struct ch_error *err, enum ch_status code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void ch_error_clear(struct ch_error *err)
{
	if (err) {
		err->code = CH_OK;
		err->msg[0] = '\0';
	}
}
