/*
 * schedule.h — when to check a source next: pure policy functions, no I/O, no clock, no
 * randomness of their own (the caller passes "now" and a random number), so every decision can
 * be unit-tested and replayed.
 *
 * After a success the interval adapts to how often the source posts (poll about twice per
 * expected post), clamped to [min_interval_s, max_interval_s] (default 2–60 min). The
 * publisher's own hints — RSS <ttl>, Cache-Control max-age, Retry-After — can only lengthen
 * it, up to hint_cap_s (default 24 h): we never poll sooner than asked, and never wait longer
 * than a day because a header said so.
 *
 * After an error the delay grows exponentially with the number of consecutive errors, with
 * jitter so that sources that failed together do not retry together, capped at
 * backoff_cap_s (default 24 h). A source is never disabled for good: the answer is always a
 * finite time, and the cap means a dead source is still tried once a day.
 */
#ifndef CHAPAR_FEED_SCHEDULE_H
#define CHAPAR_FEED_SCHEDULE_H

#include "core/core.h"

struct schedule_policy {
	int64_t min_interval_s;  /* shortest interval after a success (default 120) */
	int64_t max_interval_s;  /* longest adaptive interval (default 3600) */
	int64_t hint_cap_s;      /* longest interval a <ttl>/max-age/Retry-After can impose (86400) */
	int64_t backoff_base_s;  /* delay after the first error (default 60) */
	int64_t backoff_cap_s;   /* longest delay after errors (default 86400) */
	int64_t rate_window_s;   /* how far back posts count for the posting rate (default 7 days) */
};

/* schedule_policy_default: fill p with the defaults above. */
void schedule_policy_default(struct schedule_policy *p);

/* What the last successful response said about polling; 0 or -1 means "not given". */
struct schedule_hints {
	int64_t ttl_s;          /* RSS <ttl> in seconds (minutes × 60) */
	int64_t max_age_s;      /* Cache-Control max-age */
	int64_t retry_after_s;  /* Retry-After */
};

/* schedule_interval_from_posts: the adaptive interval in seconds for a source whose entries
 * were published at the n times in post_times (Unix seconds, any order; 0 = unknown, ignored;
 * times after now are treated as now). Half the mean gap between posts inside the rate window,
 * clamped to the policy; max_interval_s when fewer than two posts are dated. */
int64_t schedule_interval_from_posts(const struct schedule_policy *p, int64_t now,
				     const int64_t *post_times, size_t n);

/* schedule_next_success: the time (Unix seconds) of the next check after a successful one at
 * now. hints may be NULL. */
int64_t schedule_next_success(const struct schedule_policy *p, int64_t now,
			      const int64_t *post_times, size_t n,
			      const struct schedule_hints *hints);

/* schedule_next_unchanged: the next check after a successful one at now that brought nothing
 * new (a 304, or the same body), for a source last checked previous_interval_s earlier (or
 * scheduled that far apart; 0 or less: unknown). Without fresh posts there is no new rate to
 * compute, so the interval keeps its value and grows by a quarter each time nothing changes
 * (a quiet source slows down gently), clamped to the policy; hints lengthen it as in
 * schedule_next_success. Do not use schedule_next_success with no posts here: that jumps
 * straight to max_interval_s. */
int64_t schedule_next_unchanged(const struct schedule_policy *p, int64_t now,
				int64_t previous_interval_s, const struct schedule_hints *hints);

/* schedule_backoff: the delay in seconds after the consecutive_errors-th error in a row (1 for
 * the first): base × 2^(errors−1), capped, then jittered into [delay/2, delay] by random (any
 * 32-bit value, e.g. from random() or a hash). retry_after_s (-1 or 0: none) lengthens it, up
 * to the cap. */
int64_t schedule_backoff(const struct schedule_policy *p, int consecutive_errors,
			 int64_t retry_after_s, uint32_t random);

/* schedule_next_error: now + schedule_backoff(...). */
int64_t schedule_next_error(const struct schedule_policy *p, int64_t now, int consecutive_errors,
			    int64_t retry_after_s, uint32_t random);

/* schedule_after_check: the next check after one at now, and the new error count. ok means
 * the source was fetched and understood (a 304 counts); then *consecutive_errors becomes 0 and
 * the adaptive interval applies. Otherwise *consecutive_errors grows by one and the backoff
 * applies (hints->retry_after_s honoured). hints and post_times may be NULL. */
int64_t schedule_after_check(const struct schedule_policy *p, int64_t now, bool ok,
			     int *consecutive_errors, const struct schedule_hints *hints,
			     const int64_t *post_times, size_t n, uint32_t random);

#endif
