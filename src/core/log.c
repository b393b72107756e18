/*
 * log.c — the library's only way to say something: messages go to the sink the program
 * installed (the CLI installs log_stderr_sink), or nowhere.
 */
#include <stdio.h>

#include "core/core.h"

static log_sink_fn sink;
static void *sink_ctx;
static enum log_level sink_min = LOG_INFO;

void log_set_sink(log_sink_fn fn, void *ctx, enum log_level min_level)
{
	sink = fn;
	sink_ctx = ctx;
	sink_min = min_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (!sink || level < sink_min)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sink(level, msg, sink_ctx);
}

void log_stderr_sink(enum log_level level, const char *msg, void *ctx)
{
	static const char *names[] = { "debug", "info", "warning", "error" };
	fprintf(stderr, "chapar: %s: %s\n", names[level], msg);
}
