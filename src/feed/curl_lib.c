/*
 * curl_lib.c — libcurl, loaded when the first fetch needs it (see core.h, "Libraries loaded
 * when first needed"). chapar is not linked against libcurl: this file defines the libcurl
 * functions fetch.c calls, each forwarding to the library's own function, which dynlib_load
 * finds on first use. Commands that never fetch (normalize, extract, search, serve without
 * fetching…) therefore start without loading libcurl and its dependency tree (GnuTLS, Kerberos,
 * LDAP, SSH, RTMP…): 6-9 ms of start-up on this machine.
 *
 * The variadic option setters forward by the option's type, which libcurl encodes in the
 * option's number (CURLOPTTYPE_*). When the library cannot be loaded every function fails the
 * way libcurl itself reports failure (NULL handle, CURLE_FAILED_INIT…), and fetch_new tells the
 * user why (curl_lib_load).
 */
#define CURL_DISABLE_TYPECHECK /* the setters are defined here, not called through the macros */
#include <curl/curl.h>
#include <stdarg.h>

#include "core/core.h"
#include "feed/curl_lib.h"

/* The library's own functions, filled by dynlib_load. */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLHcode (*easy_header)(CURL *, const char *, size_t, unsigned int, int, struct curl_header **);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	const char *(*multi_strerror)(CURLMcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *);
	CURLUcode (*url_get)(CURLU *, CURLUPart, char **, unsigned int);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	void (*free)(void *);
} real;

#define SYMBOL(field) { "curl_" #field, (void **)&real.field }
static const struct dynlib_symbol symbols[] = {
	SYMBOL(global_init), SYMBOL(easy_init), SYMBOL(easy_cleanup), SYMBOL(easy_reset),
	SYMBOL(easy_setopt), SYMBOL(easy_getinfo), SYMBOL(easy_header), SYMBOL(easy_strerror),
	SYMBOL(multi_init), SYMBOL(multi_cleanup), SYMBOL(multi_setopt), SYMBOL(multi_add_handle),
	SYMBOL(multi_remove_handle), SYMBOL(multi_perform), SYMBOL(multi_poll),
	SYMBOL(multi_info_read), SYMBOL(multi_strerror), SYMBOL(slist_append),
	SYMBOL(slist_free_all), SYMBOL(url), SYMBOL(url_cleanup), SYMBOL(url_get), SYMBOL(url_set),
	SYMBOL(free),
};
#undef SYMBOL

/* Debian 12's libcurl4 (OpenSSL flavour) installs the library under this name. */
static struct dynlib libcurl = { .soname = "libcurl.so.4", .symbols = symbols,
				 .n_symbols = sizeof symbols / sizeof symbols[0] };

enum ch_status curl_lib_load(struct ch_error *err)
{
	return dynlib_load(&libcurl, err);
}

/* ready: true once the library is loaded (loading it on the first call). */
static bool ready(void)
{
	return dynlib_load(&libcurl, NULL) == CH_OK;
}

/* The option setters take one argument whose C type follows from the option's number. */
#define FORWARD_OPTION(fn, handle, option, ap)                                                  \
	((option) < CURLOPTTYPE_OBJECTPOINT  ? fn(handle, option, va_arg(ap, long))            \
	 : (option) < CURLOPTTYPE_FUNCTIONPOINT ? fn(handle, option, va_arg(ap, void *))        \
	 : (option) < CURLOPTTYPE_OFF_T         ? fn(handle, option, va_arg(ap, void (*)(void))) \
	 : (option) < CURLOPTTYPE_BLOB          ? fn(handle, option, va_arg(ap, curl_off_t))   \
						: fn(handle, option, va_arg(ap, void *)))

CURLcode curl_global_init(long flags)
{
	return ready() ? real.global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
	return ready() ? real.easy_init() : NULL;
}

void curl_easy_cleanup(CURL *e)
{
	if (e && ready())
		real.easy_cleanup(e);
}

void curl_easy_reset(CURL *e)
{
	if (e && ready())
		real.easy_reset(e);
}

CURLcode curl_easy_setopt(CURL *e, CURLoption option, ...)
{
	if (!ready())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, option);
	CURLcode rc = FORWARD_OPTION(real.easy_setopt, e, option, ap);
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
	if (!ready())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, info);
	CURLcode rc = real.easy_getinfo(e, info, va_arg(ap, void *)); /* always a pointer */
	va_end(ap);
	return rc;
}

CURLHcode curl_easy_header(CURL *e, const char *name, size_t index, unsigned int origin,
			   int request, struct curl_header **hout)
{
	return ready() ? real.easy_header(e, name, index, origin, request, hout) : CURLHE_NOT_BUILT_IN;
}

const char *curl_easy_strerror(CURLcode code)
{
	return ready() ? real.easy_strerror(code) : "libcurl is not available";
}

CURLM *curl_multi_init(void)
{
	return ready() ? real.multi_init() : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
	return ready() ? real.multi_cleanup(m) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...)
{
	if (!ready())
		return CURLM_BAD_HANDLE;
	va_list ap;
	va_start(ap, option);
	CURLMcode rc = FORWARD_OPTION(real.multi_setopt, m, option, ap);
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *e)
{
	return ready() ? real.multi_add_handle(m, e) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *e)
{
	return ready() ? real.multi_remove_handle(m, e) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
	return ready() ? real.multi_perform(m, running) : CURLM_BAD_HANDLE;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int n_extra,
			  int timeout_ms, int *ret)
{
	return ready() ? real.multi_poll(m, extra, n_extra, timeout_ms, ret) : CURLM_BAD_HANDLE;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
	return ready() ? real.multi_info_read(m, left) : NULL;
}

const char *curl_multi_strerror(CURLMcode code)
{
	return ready() ? real.multi_strerror(code) : "libcurl is not available";
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
	return ready() ? real.slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (list && ready())
		real.slist_free_all(list);
}

CURLU *curl_url(void)
{
	return ready() ? real.url() : NULL;
}

void curl_url_cleanup(CURLU *u)
{
	if (u && ready())
		real.url_cleanup(u);
}

CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
	return ready() ? real.url_get(u, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	return ready() ? real.url_set(u, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

void curl_free(void *p)
{
	if (p && ready())
		real.free(p);
}
