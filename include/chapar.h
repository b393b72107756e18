/*
 * chapar.h — the public API of libchapar, one header for everything: each module's own header,
 * in dependency order (core ← text ← feed/extract ← store ← rank ← web). Programs built on
 * libchapar (the chapar CLI among them) include only this.
 */
#ifndef CHAPAR_H
#define CHAPAR_H

#include "core/core.h"
#include "text/text.h"
#include "feed/feed.h"
#include "feed/fetch.h"
#include "feed/schedule.h"
#include "feed/discover.h"
#include "extract/extract.h"
#include "store/store.h"
#include "ingest/ingest.h"
#include "rank/rank.h"
#include "rank/assign.h"
#include "web/web.h"

#endif
