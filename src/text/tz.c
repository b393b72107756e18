/*
 * tz.c — Asia/Tehran's UTC offset at any instant, read once from the system tz database
 * (a TZif file, /usr/share/zoneinfo/Asia/Tehran or $TZDIR). Reading the file ourselves keeps
 * the process's TZ setting and localtime() untouched and is thread-safe after the first call.
 * Instants after the last transition use the last offset (Iran has had no DST since 2022);
 * without a tz database the offset is the fixed +03:30.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "text/text_internal.h"

enum { TEHRAN_STD_OFFSET = 3 * 3600 + 1800, MAX_TRANSITIONS = 512 };

static struct {
	int n;
	int64_t at[MAX_TRANSITIONS];
	int32_t offset[MAX_TRANSITIONS]; /* offset in force from at[i] on */
	int32_t first_offset;            /* before at[0] */
} zone;
static pthread_once_t zone_once = PTHREAD_ONCE_INIT;

/* be32 / be64: big-endian integers of a TZif file. */
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* parse_tzif: fill zone from the version-2+ (64-bit) body of a TZif file; false if it is
 * not one we understand. */
static bool parse_tzif(const unsigned char *p, size_t n)
{
	if (n < 44 || memcmp(p, "TZif", 4) != 0 || p[4] < '2')
		return false;
	/* skip the version-1 body: counts at offset 20 */
	uint32_t isutc = be32(p + 20), isstd = be32(p + 24), leap = be32(p + 28);
	uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36), charcnt = be32(p + 40);
	size_t skip = 44 + (size_t)timecnt * 5 + (size_t)typecnt * 6 + charcnt + (size_t)leap * 8 +
		      isstd + isutc;
	if (n < skip + 44 || memcmp(p + skip, "TZif", 4) != 0)
		return false;
	const unsigned char *h = p + skip;
	timecnt = be32(h + 32);
	typecnt = be32(h + 36);
	const unsigned char *times = h + 44, *idx = times + (size_t)timecnt * 8,
			    *types = idx + timecnt;
	if (typecnt == 0 || timecnt > MAX_TRANSITIONS ||
	    (size_t)(types + (size_t)typecnt * 6 - p) > n)
		return false;
	zone.first_offset = (int32_t)be32(types);
	for (uint32_t i = 0; i < timecnt; i++) {
		if (idx[i] >= typecnt)
			return false;
		zone.at[i] = be64(times + (size_t)i * 8);
		zone.offset[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
	}
	zone.n = (int)timecnt;
	return true;
}

/* load_zone: read the Tehran zone once; falls back to the fixed standard offset. */
static void load_zone(void)
{
	zone.n = 0;
	zone.first_offset = TEHRAN_STD_OFFSET;
	const char *dir = getenv("TZDIR");
	struct buf path, data;
	buf_init(&path, 4096);
	buf_init(&data, 1 << 20);
	if (buf_addf(&path, "%s/Asia/Tehran", dir && *dir ? dir : "/usr/share/zoneinfo") == CH_OK &&
	    file_read(buf_str(&path), &data, NULL) == CH_OK &&
	    !parse_tzif((const unsigned char *)data.p, data.n)) {
		zone.n = 0;
		zone.first_offset = TEHRAN_STD_OFFSET;
	}
	buf_release(&path);
	buf_release(&data);
}

int32_t tehran_utc_offset(int64_t t)
{
	pthread_once(&zone_once, load_zone);
	int lo = 0, hi = zone.n; /* first transition after t */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (zone.at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? zone.first_offset : zone.offset[lo - 1];
}

int64_t tehran_local_to_utc(int64_t local)
{
	int64_t t = local - tehran_utc_offset(local - TEHRAN_STD_OFFSET);
	return local - tehran_utc_offset(t);
}
