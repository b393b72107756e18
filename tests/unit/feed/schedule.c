/*
 * Tests for src/feed/schedule.c: the adaptive interval, the publisher's hints and the jittered
 * exponential backoff, each against numbers worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feed/schedule.h"

#define MIN 60
#define HOUR 3600
#define DAY 86400
static const int64_t NOW = 1700000000;

/* policy: the default policy, by value. */
static struct schedule_policy policy(void)
{
	struct schedule_policy p;
	schedule_policy_default(&p);
	return p;
}

/* The defaults are the documented ones: 2–60 min, backoff capped at a day. */
static void test_defaults(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	assert_int_equal(p.min_interval_s, 2 * MIN);
	assert_int_equal(p.max_interval_s, 60 * MIN);
	assert_int_equal(p.backoff_cap_s, DAY);
}

/* Posting rate → interval: half the mean gap, clamped to [2 min, 60 min]. */
static void test_interval_from_posts(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	/* no dated posts, or one: the slowest interval */
	assert_int_equal(schedule_interval_from_posts(&p, NOW, NULL, 0), HOUR);
	int64_t one[] = { NOW - 10 };
	assert_int_equal(schedule_interval_from_posts(&p, NOW, one, 1), HOUR);

	/* 6 posts over the last hour (oldest 60 min ago): gap 10 min → 5 min */
	int64_t hourly[] = { NOW - 60 * MIN, NOW - 50 * MIN, NOW - 40 * MIN,
			     NOW - 30 * MIN, NOW - 20 * MIN, NOW - 10 * MIN };
	assert_int_equal(schedule_interval_from_posts(&p, NOW, hourly, 6), 5 * MIN);

	/* a busy wire: 100 posts in the last 100 s → clamped up to 2 min */
	int64_t busy[100];
	for (int i = 0; i < 100; i++)
		busy[i] = NOW - 100 + i;
	assert_int_equal(schedule_interval_from_posts(&p, NOW, busy, 100), 2 * MIN);

	/* two posts a day: clamped down to 60 min */
	int64_t slow[] = { NOW - DAY, NOW - DAY / 2 };
	assert_int_equal(schedule_interval_from_posts(&p, NOW, slow, 2), HOUR);

	/* undated (0) and older-than-window posts are ignored; future ones count as now */
	int64_t mixed[] = { 0, NOW - 30 * DAY, NOW - 40 * MIN, NOW + 5 * HOUR, 0 };
	/* counted: NOW-40min and NOW → gap 20 min → 10 min */
	assert_int_equal(schedule_interval_from_posts(&p, NOW, mixed, 5), 10 * MIN);

	/* a burst long ago slows down as the silence grows: 10 posts 2 days ago */
	int64_t burst[10];
	for (int i = 0; i < 10; i++)
		burst[i] = NOW - 2 * DAY + i;
	assert_int_equal(schedule_interval_from_posts(&p, NOW, burst, 10), HOUR);

	/* order does not matter */
	int64_t shuffled[] = { NOW - 10 * MIN, NOW - 60 * MIN, NOW - 30 * MIN,
			       NOW - 20 * MIN, NOW - 50 * MIN, NOW - 40 * MIN };
	assert_int_equal(schedule_interval_from_posts(&p, NOW, shuffled, 6), 5 * MIN);
}

/* <ttl>, max-age and Retry-After only lengthen the interval, and at most to a day. */
static void test_next_success_hints(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	int64_t hourly[] = { NOW - 60 * MIN, NOW - 50 * MIN, NOW - 40 * MIN,
			     NOW - 30 * MIN, NOW - 20 * MIN, NOW - 10 * MIN };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, NULL), NOW + 5 * MIN);

	struct schedule_hints h = { .ttl_s = 30 * MIN, .max_age_s = -1, .retry_after_s = -1 };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, &h), NOW + 30 * MIN);
	h = (struct schedule_hints){ .ttl_s = 0, .max_age_s = 2 * HOUR, .retry_after_s = -1 };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, &h), NOW + 2 * HOUR);
	h = (struct schedule_hints){ .ttl_s = 10 * MIN, .max_age_s = 20 * MIN, .retry_after_s = 45 * MIN };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, &h), NOW + 45 * MIN);
	/* a short hint does not make us poll sooner than the adaptive interval */
	h = (struct schedule_hints){ .ttl_s = 60, .max_age_s = 0, .retry_after_s = 0 };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, &h), NOW + 5 * MIN);
	/* a week-long ttl is capped at a day */
	h = (struct schedule_hints){ .ttl_s = 7 * DAY, .max_age_s = -1, .retry_after_s = -1 };
	assert_int_equal(schedule_next_success(&p, NOW, hourly, 6, &h), NOW + DAY);
}

/* Nothing new: the interval grows by a quarter, within the policy, hints still honoured. */
static void test_next_unchanged(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	assert_int_equal(schedule_next_unchanged(&p, NOW, 4 * MIN, NULL), NOW + 5 * MIN);
	assert_int_equal(schedule_next_unchanged(&p, NOW, 0, NULL), NOW + 150);   /* 2 min + 1/4 */
	assert_int_equal(schedule_next_unchanged(&p, NOW, -5, NULL), NOW + 150);
	assert_int_equal(schedule_next_unchanged(&p, NOW, 10, NULL), NOW + 2 * MIN); /* clamped */
	assert_int_equal(schedule_next_unchanged(&p, NOW, 55 * MIN, NULL), NOW + HOUR);
	assert_int_equal(schedule_next_unchanged(&p, NOW, 5 * DAY, NULL), NOW + HOUR);
	struct schedule_hints h = { .ttl_s = 90 * MIN, .max_age_s = -1, .retry_after_s = -1 };
	assert_int_equal(schedule_next_unchanged(&p, NOW, 4 * MIN, &h), NOW + 90 * MIN);
	/* repeated quiet checks creep from 2 min to the hour, never past it */
	int64_t interval = 2 * MIN;
	for (int i = 0; i < 30; i++) {
		int64_t next = schedule_next_unchanged(&p, NOW, interval, NULL) - NOW;
		assert_true(next >= interval);
		assert_true(next <= HOUR);
		interval = next;
	}
	assert_int_equal(interval, HOUR);
}

/* Backoff doubles from 1 min, stays within [delay/2, delay], caps at 24 h, never stops. */
static void test_backoff(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	/* random = 0 gives the low end (delay/2 rounded up), UINT32_MAX-ish the high end */
	assert_int_equal(schedule_backoff(&p, 1, -1, 0), 30);
	assert_int_equal(schedule_backoff(&p, 1, -1, 30), 60);
	assert_int_equal(schedule_backoff(&p, 2, -1, 0), 60);
	assert_int_equal(schedule_backoff(&p, 3, -1, 0), 120);
	assert_int_equal(schedule_backoff(&p, 3, -1, 120), 240);
	for (int errors = 1; errors < 200; errors++) {
		int64_t expect = 60;
		for (int i = 1; i < errors && expect < DAY; i++)
			expect *= 2;
		if (expect > DAY)
			expect = DAY;
		for (uint32_t r = 0; r < 4000000000u; r += 123456789u) {
			int64_t d = schedule_backoff(&p, errors, -1, r);
			assert_true(d >= expect - expect / 2);
			assert_true(d <= expect);
			assert_true(d <= DAY);
			assert_true(d > 0);
		}
	}
	/* 1000 errors in a row: still a day, not forever */
	assert_true(schedule_backoff(&p, 1000, -1, 7) <= DAY);
	assert_true(schedule_backoff(&p, 1000, -1, 7) >= DAY / 2);
	assert_int_equal(schedule_next_error(&p, NOW, 1000, -1, 0), NOW + DAY / 2);
	/* zero or negative error counts behave like the first error */
	assert_int_equal(schedule_backoff(&p, 0, -1, 0), 30);
}

/* Jitter spreads sources that failed together. */
static void test_backoff_jitter_spreads(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	int64_t lo = INT64_MAX, hi = 0;
	uint32_t r = 12345;
	for (int i = 0; i < 1000; i++) {
		r = r * 1103515245u + 12345u;
		int64_t d = schedule_backoff(&p, 5, -1, r >> 8);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
	}
	/* 5th error: delay 16 min, spread over [8, 16] min */
	assert_true(lo < 9 * MIN);
	assert_true(hi > 15 * MIN);
}

/* Retry-After lengthens the backoff, but not past the 24 h cap. */
static void test_backoff_retry_after(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	assert_int_equal(schedule_backoff(&p, 1, 600, 0), 600);
	assert_int_equal(schedule_backoff(&p, 1, 10, 0), 30);
	assert_int_equal(schedule_backoff(&p, 1, 10 * DAY, 0), DAY);
	assert_int_equal(schedule_next_error(&p, NOW, 1, 3600, 0), NOW + 3600);
}

/* The glue: errors count up and back off, a success resets the count and adapts. */
static void test_after_check(void **state)
{
	(void)state;
	struct schedule_policy p = policy();
	int errors = 0;
	assert_int_equal(schedule_after_check(&p, NOW, false, &errors, NULL, NULL, 0, 0), NOW + 30);
	assert_int_equal(errors, 1);
	assert_int_equal(schedule_after_check(&p, NOW, false, &errors, NULL, NULL, 0, 0), NOW + 60);
	assert_int_equal(errors, 2);
	struct schedule_hints h = { .ttl_s = 0, .max_age_s = -1, .retry_after_s = 900 };
	assert_int_equal(schedule_after_check(&p, NOW, false, &errors, &h, NULL, 0, 0), NOW + 900);
	assert_int_equal(errors, 3);
	int64_t hourly[] = { NOW - 60 * MIN, NOW - 50 * MIN, NOW - 40 * MIN,
			     NOW - 30 * MIN, NOW - 20 * MIN, NOW - 10 * MIN };
	assert_int_equal(schedule_after_check(&p, NOW, true, &errors, NULL, hourly, 6, 0),
			 NOW + 5 * MIN);
	assert_int_equal(errors, 0);
	errors = 2000000000; /* a corrupt count still gives a finite, capped answer */
	int64_t next = schedule_after_check(&p, NOW, false, &errors, NULL, NULL, 0, 99);
	assert_true(next > NOW && next <= NOW + DAY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_interval_from_posts),
		cmocka_unit_test(test_next_success_hints),
		cmocka_unit_test(test_next_unchanged),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_backoff_jitter_spreads),
		cmocka_unit_test(test_backoff_retry_after),
		cmocka_unit_test(test_after_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
