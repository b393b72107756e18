/*
 * cmd_extract.c — `chapar extract [--json|--text|--html] [--base-url URL] FILE...`: the
 * article of each saved page. --text (the default) prints the body only, one paragraph per
 * line; --html the sanitised body; --json every field, one JSON object per line. With several
 * files, --text and --html put a "==> FILE <==" line before each. Fetching pages is `chapar
 * fetch`'s job: URLs are refused with a clear message.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "extract/extract.h"

enum format { FORMAT_TEXT, FORMAT_HTML, FORMAT_JSON };

/* usage: the help text to f. */
static void usage(FILE *f)
{
	fputs("usage: chapar extract [--text|--html|--json] [--base-url URL] FILE...\n"
	      "  Extract the article from saved web pages.\n"
	      "  --text       body text only, one paragraph per line (default)\n"
	      "  --html       body as sanitised HTML\n"
	      "  --json       all fields (title, uptitle, lead, author, published, ...) as JSON\n"
	      "  --base-url U resolve links and images against U (default: the page's canonical URL)\n"
	      "  FILE may be - for standard input. To fetch pages from the web, use `chapar fetch`.\n",
	      f);
}

/* add_time: write key as an ISO time when t is known. */
static void add_time(struct json_writer *w, const char *key, int64_t t)
{
	if (!t)
		return;
	struct buf b;
	buf_init(&b, 64);
	time_format_iso(&b, t);
	jw_kv_string(w, key, buf_str(&b));
	buf_release(&b);
}

/* print_json: one article as a JSON line. */
static void print_json(const char *file, const struct extract_article *a)
{
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	struct json_writer w;
	jw_init(&w, &out);
	jw_object_begin(&w);
	jw_kv_string(&w, "file", file);
	jw_kv_string_opt(&w, "title", a->title);
	jw_kv_string_opt(&w, "uptitle", a->uptitle);
	jw_kv_string_opt(&w, "lead", a->lead);
	jw_kv_string_opt(&w, "author", a->author);
	add_time(&w, "published", a->published);
	add_time(&w, "modified", a->modified);
	jw_kv_string_opt(&w, "source_credit", a->source_credit);
	jw_kv_string_opt(&w, "site_name", a->site_name);
	jw_kv_string_opt(&w, "language", a->language);
	jw_kv_string_opt(&w, "canonical_url", a->canonical_url);
	jw_kv_string_opt(&w, "image", a->image);
	jw_kv_string(&w, "text", a->body_text);
	jw_kv_string(&w, "html", a->body_html);
	jw_object_end(&w);
	buf_addc(&out, '\n');
	fwrite(out.p, 1, out.n, stdout);
	buf_release(&out);
}

/* is_url: arg looks like a URL rather than a file name. */
static bool is_url(const char *arg)
{
	return strncmp(arg, "http://", 7) == 0 || strncmp(arg, "https://", 8) == 0;
}

/* read_input: the bytes of FILE, or of standard input for "-". */
static enum ch_status read_input(const char *path, struct buf *b, struct ch_error *err)
{
	if (strcmp(path, "-") != 0)
		return file_read(path, b, err);
	char chunk[65536];
	size_t got;
	enum ch_status st = CH_OK;
	while (st == CH_OK && (got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		st = buf_add(b, chunk, got);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "standard input: %s", ch_status_name(st));
}

/* extract_one: extract and print one file; false on failure (message printed). */
static bool extract_one(const char *path, enum format fmt, const char *base, bool header)
{
	if (is_url(path)) {
		fprintf(stderr, "chapar extract: %s: fetching pages is not done here; save the page "
				"first or use `chapar fetch` (extract works on files)\n", path);
		return false;
	}
	struct buf page;
	buf_init(&page, (size_t)256 << 20);
	struct ch_error err = { 0 };
	struct extract_article *a = NULL;
	enum ch_status st = read_input(path, &page, &err);
	if (st == CH_OK)
		st = extract_article(page.p ? page.p : "", page.n, NULL, base, &a, &err);
	buf_release(&page);
	if (st != CH_OK) {
		fprintf(stderr, "chapar extract: %s: %s\n", path, err.msg[0] ? err.msg : ch_status_name(st));
		return false;
	}
	if (fmt == FORMAT_JSON) {
		print_json(path, a);
	} else {
		if (header)
			printf("==> %s <==\n", path);
		const char *body = fmt == FORMAT_TEXT ? a->body_text : a->body_html;
		fputs(body, stdout);
		if (*body)
			fputc('\n', stdout);
	}
	extract_article_free(a);
	return true;
}

int cmd_extract(int argc, char **argv, struct config *cfg)
{
	enum format fmt = FORMAT_TEXT;
	const char *base = NULL;
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--text")) {
			fmt = FORMAT_TEXT;
		} else if (!strcmp(argv[i], "--html")) {
			fmt = FORMAT_HTML;
		} else if (!strcmp(argv[i], "--json")) {
			fmt = FORMAT_JSON;
		} else if (!strcmp(argv[i], "--base-url")) {
			if (++i >= argc) {
				fprintf(stderr, "chapar extract: --base-url needs a URL\n");
				return EXIT_USAGE;
			}
			base = argv[i];
		} else if (!strcmp(argv[i], "--")) {
			first = i + 1;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "chapar extract: unknown option %s\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		} else {
			first = i;
			break;
		}
	}
	if (first >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	bool ok = true, header = argc - first > 1;
	for (int i = first; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
			fprintf(stderr, "chapar extract: options go before the files (%s)\n", argv[i]);
			return EXIT_USAGE;
		}
		ok &= extract_one(argv[i], fmt, base, header);
	}
	fflush(stdout);
	return ok ? EXIT_OK : EXIT_FAIL;
}
