/*
 * file.c — whole-file reads bounded by the buffer's cap, atomic writes, and FNV hashing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

enum ch_status file_read(const char *path, struct buf *out, struct ch_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ch_fail(err, errno == ENOENT ? CH_ERR_NOTFOUND : CH_ERR_IO, "%s: %s", path,
			       strerror(errno));
	/* a regular file's size is known: room for all of it at once (no doubling copies), and
	 * no stdio buffer between the file and the chunk; a failure to grow shows in the adds */
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
		setvbuf(f, NULL, _IONBF, 0);
		if ((uint64_t)sb.st_size <= out->limit)
			(void)buf_grow(out, (size_t)sb.st_size);
	}
	char chunk[65536];
	size_t got;
	enum ch_status st = CH_OK;
	while (st == CH_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		st = buf_add(out, chunk, got);
	if (st == CH_OK && ferror(f))
		st = ch_fail(err, CH_ERR_IO, "%s: read error", path);
	else if (st == CH_ERR_LIMIT)
		ch_fail(err, st, "%s: larger than %zu bytes", path, out->limit);
	else if (st != CH_OK)
		ch_fail(err, st, "%s: %s", path, ch_status_name(st));
	fclose(f);
	return st;
}

enum ch_status file_write_atomic(const char *path, const void *data, size_t n, struct ch_error *err)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
		return ch_fail(err, CH_ERR_INVALID, "path too long: %s", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return ch_fail(err, CH_ERR_IO, "%s: %s", tmp, strerror(errno));
	bool ok = fwrite(data, 1, n, f) == n;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return ch_fail(err, CH_ERR_IO, "%s: %s", path, strerror(errno));
	}
	return CH_OK;
}

uint64_t hash_fnv1a64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
