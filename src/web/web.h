/*
 * web.h — the HTTP server (libmicrohttpd): site pages, JSON API, assets.
 */
#ifndef CHAPAR_WEB_H
#define CHAPAR_WEB_H

#include "core/core.h"

#endif
