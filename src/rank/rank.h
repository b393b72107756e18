/*
 * rank.h — stories (URL canonicalisation, near-duplicate clustering), trending and related.
 */
#ifndef CHAPAR_RANK_H
#define CHAPAR_RANK_H

#include "core/core.h"

#endif
