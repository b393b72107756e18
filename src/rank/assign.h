/*
 * assign.h — stories over the store: the clustering index of rank.h fed with the stored articles
 * that have no story yet, each decision written back (story, lead article, signature), and the
 * index rebuilt from stored signatures after a restart.
 */
#ifndef CHAPAR_RANK_ASSIGN_H
#define CHAPAR_RANK_ASSIGN_H

#include "core/core.h"
#include "rank/rank.h"
#include "store/store.h"

/* rank_index_load: a new index (caller frees with rank_stories_free) holding the articles of
 * the store's last clustering window with the stories they were given. */
enum ch_status rank_index_load(struct store *st, struct rank_stories **out, struct ch_error *err);

/* rank_assign_pending: cluster every stored article that has no story yet, oldest first, into
 * ix and store each decision. *assigned (may be NULL) counts them. One article that cannot be
 * clustered is logged and skipped, never blocking the others. */
enum ch_status rank_assign_pending(struct store *st, struct rank_stories *ix, size_t *assigned,
				   struct ch_error *err);

/* rank_assign_all: rank_index_load, then rank_assign_pending, then free the index: what a
 * command does after an ingest round. */
enum ch_status rank_assign_all(struct store *st, size_t *assigned, struct ch_error *err);

#endif
