/*
 * cmd_extract.c — `chapar extract [--json|--text|--html] [--base-url URL] FILE|URL...`: the
 * article of each saved page or web address. --text (the default) prints the body only, one
 * paragraph per line; --html the sanitised body; --json every field, one JSON object per line.
 * With several inputs, --text and --html put a "==> INPUT <==" line before each.
 *
 * URLs are fetched first, all at once, by the same polite fetcher ingest uses (a few per host,
 * size cap, timeouts); the response's Content-Type gives the charset and the address after
 * redirects is the base for links (unless --base-url). Output keeps the arguments' order; a
 * page that cannot be had is reported and the others are still printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "extract/extract.h"
#include "feed/fetch.h"

enum format { FORMAT_TEXT, FORMAT_HTML, FORMAT_JSON };

/* usage: the help text to f. */
static void usage(FILE *f)
{
	fputs("usage: chapar extract [--text|--html|--json] [--base-url URL] FILE|URL...\n"
	      "  Extract the article from saved web pages or from pages on the web.\n"
	      "  --text       body text only, one paragraph per line (default)\n"
	      "  --html       body as sanitised HTML\n"
	      "  --json       all fields (title, uptitle, lead, author, published, ...) as JSON\n"
	      "  --base-url U resolve links and images against U (default: the address fetched, after\n"
	      "               redirects, or else the page's canonical URL)\n"
	      "  FILE may be - for standard input; URL is an http:// or https:// address.\n",
	      f);
}

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
	jw_kv_time(&w, "published", a->published);
	jw_kv_time(&w, "modified", a->modified);
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

/* A page to extract: the bytes and what the transfer said about them. */
struct page {
	struct buf bytes;
	char *content_type; /* NULL for files */
	char *address;      /* final URL after redirects; NULL for files */
	char *error;        /* why it could not be fetched; NULL when it was */
};

/* on_fetched: keep one fetched page (fetch_done_fn; ctx is the page array, user the index). */
static void on_fetched(struct fetch_result *r, void *ctx)
{
	struct page *p = (struct page *)ctx + (size_t)(uintptr_t)r->user;
	if (r->status != CH_OK || r->http_status >= 400) {
		p->error = strdup(r->error[0] ? r->error : "the server sent nothing usable");
		return;
	}
	size_t n;
	char *body = buf_detach(r->body, &n);
	buf_release(&p->bytes);
	p->bytes = (struct buf){ .p = body, .n = n, .cap = n + 1, .limit = BUF_NO_LIMIT };
	p->content_type = r->content_type[0] ? strdup(r->content_type) : NULL;
	p->address = strdup(r->final_url[0] ? r->final_url : r->url);
}

/* fetch_urls: fetch every URL among inputs[0..n) into pages[i], concurrently. A page that
 * cannot be had gets its error (every URL does when fetching cannot start at all). */
static void fetch_urls(char **inputs, int n, struct page *pages, const struct config *cfg)
{
	struct fetch_options o;
	fetch_options_default(&o);
	o.max_in_flight = cfg->fetch_concurrency;
	o.per_host = cfg->fetch_per_host;
	struct fetcher *f = NULL;
	struct ch_error err = { 0 };
	enum ch_status st = fetch_new(&o, on_fetched, pages, &f, &err);
	for (int i = 0; st == CH_OK && i < n; i++) {
		if (!is_url(inputs[i]))
			continue;
		struct ch_error one = { 0 };
		if (fetch_submit(f, &(struct fetch_request){ .url = inputs[i], .user = (void *)(uintptr_t)i },
				 &one) != CH_OK)
			pages[i].error = strdup(one.msg[0] ? one.msg : "not a URL that can be fetched");
	}
	if (st == CH_OK)
		st = fetch_run(f, &err);
	fetch_free(f);
	for (int i = 0; st != CH_OK && i < n; i++)
		if (is_url(inputs[i]) && !pages[i].error && !pages[i].address)
			pages[i].error = strdup(err.msg[0] ? err.msg : ch_status_name(st));
}

/* print_article: print one extracted article in the chosen format. */
static void print_article(const char *input, const struct extract_article *a, enum format fmt,
			  bool header)
{
	if (fmt == FORMAT_JSON) {
		print_json(input, a);
		return;
	}
	if (header)
		printf("==> %s <==\n", input);
	const char *body = fmt == FORMAT_TEXT ? a->body_text : a->body_html;
	fputs(body, stdout);
	if (*body)
		fputc('\n', stdout);
}

/* extract_one: extract and print one input (its bytes already in p for URLs); false on failure
 * (message printed). */
static bool extract_one(const char *input, struct page *p, enum format fmt, const char *base,
			bool header)
{
	if (p->error) {
		fprintf(stderr, "chapar extract: %s: %s\n", input, p->error);
		return false;
	}
	struct ch_error err = { 0 };
	struct extract_article *a = NULL;
	enum ch_status st = is_url(input) ? CH_OK : read_input(input, &p->bytes, &err);
	if (st == CH_OK)
		st = extract_article(p->bytes.p ? p->bytes.p : "", p->bytes.n, p->content_type,
				     base ? base : p->address, &a, &err);
	/* the page's bytes go as soon as it is done: a long list of pages holds one at a time */
	if (st != CH_OK) {
		buf_release(&p->bytes);
		fprintf(stderr, "chapar extract: %s: %s\n", input, err.msg[0] ? err.msg : ch_status_name(st));
		return false;
	}
	print_article(input, a, fmt, header);
	extract_article_free(a);
	buf_release(&p->bytes);
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
	int n = argc - first;
	bool any_url = false;
	for (int i = first; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
			fprintf(stderr, "chapar extract: options go before the files (%s)\n", argv[i]);
			return EXIT_USAGE;
		}
		any_url |= is_url(argv[i]);
	}
	struct page *pages = calloc((size_t)n, sizeof *pages);
	if (!pages) {
		fprintf(stderr, "chapar extract: out of memory\n");
		return EXIT_FAIL;
	}
	for (int i = 0; i < n; i++)
		buf_init(&pages[i].bytes, (size_t)256 << 20);
	if (any_url)
		fetch_urls(argv + first, n, pages, cfg);
	bool ok = true;
	for (int i = 0; i < n; i++)
		ok &= extract_one(argv[first + i], &pages[i], fmt, base, n > 1);
	for (int i = 0; i < n; i++) {
		buf_release(&pages[i].bytes);
		free(pages[i].content_type);
		free(pages[i].address);
		free(pages[i].error);
	}
	free(pages);
	fflush(stdout);
	return ok ? EXIT_OK : EXIT_FAIL;
}
