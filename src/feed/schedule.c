/*
 * schedule.c — polling policy: adaptive intervals after success, jittered exponential backoff
 * after errors (see schedule.h). Pure arithmetic on the caller's numbers.
 */
#include "feed/schedule.h"

void schedule_policy_default(struct schedule_policy *p)
{
	*p = (struct schedule_policy){
		.min_interval_s = 2 * 60,
		.max_interval_s = 60 * 60,
		.hint_cap_s = 24 * 60 * 60,
		.backoff_base_s = 60,
		.backoff_cap_s = 24 * 60 * 60,
		.rate_window_s = 7 * 24 * 60 * 60,
	};
}

/* clamp: v limited to [lo, hi] (lo wins if they cross). */
static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	if (v > hi)
		v = hi;
	if (v < lo)
		v = lo;
	return v;
}

int64_t schedule_interval_from_posts(const struct schedule_policy *p, int64_t now,
				     const int64_t *post_times, size_t n)
{
	/* The rate is the posts seen in the window over the time from the oldest of them to now,
	 * so a source that went quiet after a burst slows down as the silence grows. */
	int64_t oldest = now;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t t = post_times[i];
		if (t <= 0)
			continue;
		if (t > now)
			t = now; /* future-dated entries are common (wrong zones) */
		if (t <= now - p->rate_window_s)
			continue;
		count++;
		if (t < oldest)
			oldest = t;
	}
	if (count < 2)
		return p->max_interval_s;
	int64_t mean_gap = (now - oldest) / (int64_t)count;
	return clamp(mean_gap / 2, p->min_interval_s, p->max_interval_s);
}

/* lengthen_by_hints: interval, lengthened to what the publisher asked for (up to the hint cap). */
static int64_t lengthen_by_hints(const struct schedule_policy *p, int64_t interval,
				 const struct schedule_hints *hints)
{
	if (hints) {
		/* the publisher's hints only ever lengthen the interval, up to the hint cap */
		int64_t asked = 0;
		if (hints->ttl_s > asked)
			asked = hints->ttl_s;
		if (hints->max_age_s > asked)
			asked = hints->max_age_s;
		if (hints->retry_after_s > asked)
			asked = hints->retry_after_s;
		if (asked > p->hint_cap_s)
			asked = p->hint_cap_s;
		if (asked > interval)
			interval = asked;
	}
	return interval;
}

int64_t schedule_next_success(const struct schedule_policy *p, int64_t now,
			      const int64_t *post_times, size_t n,
			      const struct schedule_hints *hints)
{
	int64_t interval = schedule_interval_from_posts(p, now, post_times, n);
	return now + lengthen_by_hints(p, interval, hints);
}

int64_t schedule_next_unchanged(const struct schedule_policy *p, int64_t now,
				int64_t previous_interval_s, const struct schedule_hints *hints)
{
	int64_t interval = previous_interval_s > 0 ? previous_interval_s : p->min_interval_s;
	if (interval < p->max_interval_s)
		interval += interval / 4;
	interval = clamp(interval, p->min_interval_s, p->max_interval_s);
	return now + lengthen_by_hints(p, interval, hints);
}

int64_t schedule_backoff(const struct schedule_policy *p, int consecutive_errors,
			 int64_t retry_after_s, uint32_t random)
{
	int64_t delay = p->backoff_base_s > 0 ? p->backoff_base_s : 1;
	for (int i = 1; i < consecutive_errors && delay < p->backoff_cap_s; i++)
		delay *= 2;
	if (delay > p->backoff_cap_s)
		delay = p->backoff_cap_s;
	/* "equal jitter": keep half, spread the other half, so retries never bunch up yet the
	 * delay still doubles on average */
	int64_t half = delay / 2;
	int64_t jittered = delay - half + (int64_t)(random % (uint64_t)(half + 1));
	if (retry_after_s > 0) {
		int64_t asked = retry_after_s < p->backoff_cap_s ? retry_after_s : p->backoff_cap_s;
		if (asked > jittered)
			jittered = asked;
	}
	return jittered > 0 ? jittered : 1;
}

int64_t schedule_next_error(const struct schedule_policy *p, int64_t now, int consecutive_errors,
			    int64_t retry_after_s, uint32_t random)
{
	return now + schedule_backoff(p, consecutive_errors, retry_after_s, random);
}

int64_t schedule_after_check(const struct schedule_policy *p, int64_t now, bool ok,
			     int *consecutive_errors, const struct schedule_hints *hints,
			     const int64_t *post_times, size_t n, uint32_t random)
{
	if (ok) {
		*consecutive_errors = 0;
		return schedule_next_success(p, now, post_times, n, hints);
	}
	if (*consecutive_errors < 0)
		*consecutive_errors = 0;
	if (*consecutive_errors < 1000000) /* it only needs to pass the cap; never overflow */
		(*consecutive_errors)++;
	return schedule_next_error(p, now, *consecutive_errors, hints ? hints->retry_after_s : -1,
				   random);
}
