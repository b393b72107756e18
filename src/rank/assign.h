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
 * clustered is logged and skipped, never blocking the others. Each article's words are kept in
 * the store for later runs' windows (store_article_words_put); words older than two windows
 * before the newest signature are dropped. */
enum ch_status rank_assign_pending(struct store *st, struct rank_stories *ix, size_t *assigned,
				   struct ch_error *err);

/* A clustering kept across polling rounds (a live server's): the story index stays in memory,
 * so a round does not rebuild it from the store's signatures, nor the window's word counts from
 * the words the store keeps of each clustered article (schema 10: see assign.c's load_window). */
struct rank_assigner;

/* rank_assigner_new: an assigner with no index yet (the first run loads it); free it with
 * rank_assigner_free (NULL is fine). */
enum ch_status rank_assigner_new(struct rank_assigner **out, struct ch_error *err);
void rank_assigner_free(struct rank_assigner *as);

/* rank_assigner_run: rank_assign_pending with as's index. The index is reloaded
 * from the store first when the store's newest signature is not the one the last run left
 * (another process clustered meanwhile) or the last run failed. Afterwards st keeps the tokens
 * of the articles it stores (store_tokens_keep), which the next run reads instead of tokenizing
 * their text again: store on st, then run on st. */
enum ch_status rank_assigner_run(struct rank_assigner *as, struct store *st, size_t *assigned,
				 struct ch_error *err);

/* rank_assign_all: rank_index_load, then rank_assign_pending, then free the index: what a
 * command does after an ingest round. */
enum ch_status rank_assign_all(struct store *st, size_t *assigned, struct ch_error *err);

#endif
