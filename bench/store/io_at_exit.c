/*
 * io_at_exit.c — an LD_PRELOAD library for benchmarks: when the process exits (after main's
 * store_close, so the last checkpoint is counted) it prints to stderr one line "io: " with the
 * process's /proc/self/io counters (rchar/wchar: bytes passed to read and write calls;
 * read_bytes/write_bytes: what reached the block layer) and its user and system CPU seconds.
 * bench/store/store_only.sh builds and uses it. Not part of the library.
 */
#include <stdio.h>
#include <sys/resource.h>

/* report: the destructor printing the line described above. */
__attribute__((destructor)) static void report(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fputs("io:", stderr);
	while (f && fgets(line, sizeof line, f))
		if (line[0] == 'w' || line[0] == 'r')
			for (char *p = line; *p; p++)
				fputc(*p == '\n' ? ' ' : *p, stderr);
	fprintf(stderr, "user %.2f sys %.2f\n", (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	if (f)
		fclose(f);
}
