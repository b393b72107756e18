/*
 * ingest.h — the pipeline from sources to stored articles: fetch feeds, parse, fetch pages,
 * extract, normalize, store, cluster.
 */
#ifndef CHAPAR_INGEST_H
#define CHAPAR_INGEST_H

#include "core/core.h"

#endif
