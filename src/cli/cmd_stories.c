/*
 * cmd_stories.c — `chapar stories --jsonl FILE`: run the story clustering of src/rank over a
 * JSON-lines stream of articles in publication order and print `id<TAB>story` per article,
 * where story is the id of the story's first article. Used to measure clustering on labelled
 * sets (bench/rank) and to try options without a database.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "rank/rank.h"

/* usage: the help text on f. */
static void usage(FILE *f)
{
	fputs("usage: chapar stories --jsonl FILE [--lead] [--stats] [--window SECONDS] [--join X]\n"
	      "                      [--join-late X]\n"
	      "  Cluster the articles of FILE (JSON lines {\"id\",\"source\",\"source_credit\",\"url\",\n"
	      "  \"title\",\"lead\",\"body\",\"published\"} in publication order; - for stdin) into\n"
	      "  stories and print \"id<TAB>story\" per article (story: the id of its first article).\n"
	      "  --lead          add a third column: the id of the story's lead article so far\n"
	      "  --stats         print timings (signatures, story index) to stderr at the end\n"
	      "  --window S      seconds an article stays a candidate (default 259200, 3 days)\n"
	      "  --join X        containment needed to join a story (default 0.5)\n"
	      "  --join-late X   the same for a candidate from an earlier day (default 0.8)\n",
	      f);
}

/* parse_double: a number in [0, 1e12] from s into *v. */
static bool parse_double(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return errno == 0 && end != s && *end == '\0' && *v >= 0 && *v <= 1e12;
}

/* run: cluster the stream f (named name) and print; returns the exit code. */
static int run(FILE *f, const char *name, const struct rank_stories_opts *opts, bool lead,
	       bool stats)
{
	int64_t ns_sig = 0, ns_index = 0, ns_start = time_mono_ns();
	struct rank_sig *sig = malloc(sizeof *sig);
	struct rank_stories *ix = rank_stories_new(opts);
	char **ids = NULL; /* ids[key]: each article's id, to print story and lead ids */
	size_t n_ids = 0, cap_ids = 0;
	struct rank_jsonl_record rec;
	rank_jsonl_init(&rec);
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t len;
	size_t lineno = 0;
	int rc = ix && sig ? EXIT_OK : EXIT_FAIL;
	struct ch_error err;
	ch_error_clear(&err);
	while (rc == EXIT_OK && (len = getline(&line, &line_cap, f)) >= 0) {
		lineno++;
		struct slice l = slice_trim((struct slice){ line, (size_t)len });
		if (l.n == 0)
			continue;
		if (rank_jsonl_parse(&rec, l.p, l.n, &err) != CH_OK) {
			fprintf(stderr, "chapar stories: %s:%zu: %s\n", name, lineno, err.msg);
			rc = EXIT_FAIL;
			break;
		}
		if (n_ids == cap_ids) {
			cap_ids = cap_ids ? cap_ids * 2 : 1024;
			char **g = realloc(ids, cap_ids * sizeof *g);
			if (!g) {
				rc = EXIT_FAIL;
				break;
			}
			ids = g;
		}
		ids[n_ids] = strdup(rec.article.id);
		if (!ids[n_ids]) {
			rc = EXIT_FAIL;
			break;
		}
		struct rank_assignment a;
		int64_t t0 = time_mono_ns();
		enum ch_status st = rank_sig_compute(&rec.article, sig, &err);
		int64_t t1 = time_mono_ns();
		if (st == CH_OK)
			st = rank_stories_add_sig(ix, (int64_t)n_ids, sig, &a, &err);
		ns_sig += t1 - t0;
		ns_index += time_mono_ns() - t1;
		if (st != CH_OK) {
			fprintf(stderr, "chapar stories: %s:%zu: %s\n", name, lineno, err.msg);
			free(ids[n_ids]);
			rc = EXIT_FAIL;
			break;
		}
		n_ids++;
		if (lead)
			printf("%s\t%s\t%s\n", rec.article.id, ids[a.story], ids[a.lead]);
		else
			printf("%s\t%s\n", rec.article.id, ids[a.story]);
	}
	if (rc == EXIT_OK && ferror(f)) {
		fprintf(stderr, "chapar stories: %s: read error\n", name);
		rc = EXIT_FAIL;
	}
	if (!ix || !sig || (rc == EXIT_FAIL && err.code == CH_OK))
		fprintf(stderr, "chapar stories: %s: out of memory\n", name);
	if (stats && rc == EXIT_OK) {
		double total = (double)(time_mono_ns() - ns_start) / 1e9;
		double s_sig = (double)ns_sig / 1e9, s_ix = (double)ns_index / 1e9;
		fprintf(stderr,
			"chapar stories: %zu articles in %.3f s (%.0f/s); signatures %.3f s (%.0f/s), "
			"story index %.3f s (%.0f/s); %zu live in the window at the end\n",
			n_ids, total, (double)n_ids / (total > 0 ? total : 1e-9), s_sig,
			(double)n_ids / (s_sig > 0 ? s_sig : 1e-9), s_ix,
			(double)n_ids / (s_ix > 0 ? s_ix : 1e-9), ix ? rank_stories_live(ix) : 0);
	}
	free(sig);
	free(line);
	rank_jsonl_release(&rec);
	for (size_t i = 0; i < n_ids; i++)
		free(ids[i]);
	free(ids);
	rank_stories_free(ix);
	return rc;
}

int cmd_stories(int argc, char **argv, struct config *cfg)
{
	(void)cfg;
	const char *path = NULL;
	bool lead = false, stats = false;
	struct rank_stories_opts opts = rank_stories_opts_default();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		double d;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--lead") == 0) {
			lead = true;
		} else if (strcmp(a, "--stats") == 0) {
			stats = true;
		} else if (strcmp(a, "--jsonl") == 0 && v) {
			path = v, i++;
		} else if (strcmp(a, "--window") == 0 && v && parse_double(v, &d)) {
			opts.window = (int64_t)d, i++;
		} else if (strcmp(a, "--join") == 0 && v && parse_double(v, &d) && d <= 1) {
			opts.join = d, i++;
		} else if (strcmp(a, "--join-late") == 0 && v && parse_double(v, &d) && d <= 1) {
			opts.join_late = d, i++;
		} else {
			fprintf(stderr, "chapar stories: bad argument '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!path) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(path, "-") == 0)
		return run(stdin, "<stdin>", &opts, lead, stats);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "chapar stories: %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	int rc = run(f, path, &opts, lead, stats);
	fclose(f);
	return rc;
}
