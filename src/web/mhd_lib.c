/*
 * mhd_lib.c — libmicrohttpd, loaded when the server starts (see core.h, "Libraries loaded when
 * first needed"). chapar is not linked against libmicrohttpd: this file defines the functions
 * server.c calls, each forwarding to the library's own, which dynlib_load finds on first use.
 * Only `chapar serve` and `chapar demo` start a server; every other command starts without
 * libmicrohttpd and GnuTLS behind it (~3 ms of start-up on this machine).
 *
 * When the library cannot be loaded every function fails as libmicrohttpd reports failure (NULL,
 * MHD_NO), and web_server_start tells the user why (mhd_lib_load).
 */
#include <microhttpd.h>
#include <stdarg.h>

#include "core/core.h"
#include "web/mhd_lib.h"

/* The library's own functions, filled by dynlib_load. */
static struct {
	struct MHD_Daemon *(*start_daemon_va)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
					      MHD_AccessHandlerCallback, void *, va_list);
	void (*stop_daemon)(struct MHD_Daemon *);
	const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
	struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
	void (*destroy_response)(struct MHD_Response *);
	enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
	const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
	int (*get_connection_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator, void *);
} real;

#define SYMBOL(field) { "MHD_" #field, (void **)&real.field }
static const struct dynlib_symbol symbols[] = {
	SYMBOL(start_daemon_va), SYMBOL(stop_daemon), SYMBOL(get_daemon_info),
	SYMBOL(queue_response), SYMBOL(create_response_from_buffer), SYMBOL(destroy_response),
	SYMBOL(add_response_header), SYMBOL(lookup_connection_value), SYMBOL(get_connection_values),
};
#undef SYMBOL

/* Debian 12's libmicrohttpd12 installs the library under this name. */
static struct dynlib libmicrohttpd = { .soname = "libmicrohttpd.so.12", .symbols = symbols,
				       .n_symbols = sizeof symbols / sizeof symbols[0] };

enum ch_status mhd_lib_load(struct ch_error *err)
{
	return dynlib_load(&libmicrohttpd, err);
}

/* ready: true once the library is loaded (loading it on the first call). */
static bool ready(void)
{
	return dynlib_load(&libmicrohttpd, NULL) == CH_OK;
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
				    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	if (!ready())
		return NULL;
	va_list ap;
	va_start(ap, dh_cls);
	struct MHD_Daemon *d = real.start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

void MHD_stop_daemon(struct MHD_Daemon *d)
{
	if (d && ready())
		real.stop_daemon(d);
}

/* Only the queries that take no further argument (the bound port, the thread count…) are
 * forwarded; server.c asks no other. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *d, enum MHD_DaemonInfoType what, ...)
{
	return ready() ? real.get_daemon_info(d, what) : NULL;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status,
				   struct MHD_Response *r)
{
	return ready() ? real.queue_response(c, status, r) : MHD_NO;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
						     enum MHD_ResponseMemoryMode mode)
{
	return ready() ? real.create_response_from_buffer(size, buffer, mode) : NULL;
}

void MHD_destroy_response(struct MHD_Response *r)
{
	if (r && ready())
		real.destroy_response(r);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *r, const char *name, const char *value)
{
	return ready() ? real.add_response_header(r, name, value) : MHD_NO;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
					const char *key)
{
	return ready() ? real.lookup_connection_value(c, kind, key) : NULL;
}

int MHD_get_connection_values(struct MHD_Connection *c, enum MHD_ValueKind kind,
			      MHD_KeyValueIterator it, void *it_cls)
{
	return ready() ? real.get_connection_values(c, kind, it, it_cls) : 0;
}
