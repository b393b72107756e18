/*
 * cmd_feed.c — `chapar feed`: run the feed parsers on files, for debugging a source and for
 * tests and benchmarks. `feed parse --json FILE...` prints one JSON object per feed per line
 * (the shape of issue 4: encoding, feed{title,link,language,updated}, entries[...]); `feed
 * opml FILE` prints an OPML file's subscriptions as JSON lines. Fetching URLs is `chapar
 * fetch`'s job, not this command's.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "feed/feed.h"

#define FEED_FILE_LIMIT (64u << 20)

/* usage: the help of `chapar feed`. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: chapar feed parse [--json] [--base URL] [--content-type TYPE] [--list LISTFILE] FILE...\n"
		"       chapar feed opml FILE\n\n"
		"parse  parse each RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed file and print one\n"
		"       JSON object per file per line: {\"encoding\", \"feed\": {title, link, language,\n"
		"       updated}, \"entries\": [{id, title, link, published, updated, author, summary,\n"
		"       content, enclosures: [{url, type, length}], categories}]}; dates ISO 8601 UTC,\n"
		"       absent values omitted. A file that fails is reported on stderr and gives the\n"
		"       line {\"file\": ..., \"error\": ...}, so lines stay in step with the files; the\n"
		"       others still parse, and the exit status is 1.\n"
		"       --list LISTFILE reads more file names from LISTFILE, one per line.\n"
		"       --base URL resolves relative links; --content-type gives an HTTP Content-Type\n"
		"       (its charset wins over the document's).\n"
		"opml   print the subscriptions of an OPML file, one JSON object per line.\n");
}

/* kv_time: "key": ISO 8601 when t is set. */
static void kv_time(struct json_writer *w, struct buf *tmp, const char *key, int64_t t)
{
	if (!t)
		return;
	buf_reset(tmp);
	time_format_iso(tmp, t);
	jw_kv_string(w, key, buf_str(tmp));
}

/* write_feed: the JSON line of one parsed feed. */
static void write_feed(struct buf *out, const struct feed *f)
{
	struct json_writer w;
	struct buf tmp;
	buf_init(&tmp, BUF_NO_LIMIT);
	jw_init(&w, out);
	jw_object_begin(&w);
	jw_kv_string_opt(&w, "encoding", f->encoding);
	jw_key(&w, "feed");
	jw_object_begin(&w);
	jw_kv_string_opt(&w, "title", f->title);
	jw_kv_string_opt(&w, "link", f->link);
	jw_kv_string_opt(&w, "language", f->language);
	kv_time(&w, &tmp, "updated", f->updated);
	jw_object_end(&w);
	jw_key(&w, "entries");
	jw_array_begin(&w);
	for (size_t i = 0; i < f->n_entries; i++) {
		const struct feed_entry *e = &f->entries[i];
		jw_object_begin(&w);
		jw_kv_string_opt(&w, "id", e->id);
		jw_kv_string_opt(&w, "title", e->title);
		jw_kv_string_opt(&w, "link", e->link);
		kv_time(&w, &tmp, "published", e->published);
		kv_time(&w, &tmp, "updated", e->updated);
		jw_kv_string_opt(&w, "author", e->author);
		jw_kv_string_opt(&w, "summary", e->summary);
		jw_kv_string_opt(&w, "content", e->content);
		if (e->n_enclosures) {
			jw_key(&w, "enclosures");
			jw_array_begin(&w);
			for (size_t k = 0; k < e->n_enclosures; k++) {
				jw_object_begin(&w);
				jw_kv_string(&w, "url", e->enclosures[k].url);
				jw_kv_string_opt(&w, "type", e->enclosures[k].type);
				if (e->enclosures[k].length >= 0)
					jw_kv_int(&w, "length", e->enclosures[k].length);
				jw_object_end(&w);
			}
			jw_array_end(&w);
		}
		if (e->n_categories) {
			jw_key(&w, "categories");
			jw_array_begin(&w);
			for (size_t k = 0; k < e->n_categories; k++)
				jw_string(&w, e->categories[k]);
			jw_array_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	buf_addc(out, '\n');
	buf_release(&tmp);
}

/* write_error: report a failed file on stderr and as a JSON line on stdout. */
static void write_error(struct buf *out, const char *file, const char *msg)
{
	fprintf(stderr, "chapar feed: %s: %s\n", file, msg);
	struct json_writer w;
	jw_init(&w, out);
	jw_object_begin(&w);
	jw_kv_string(&w, "file", file);
	jw_kv_string(&w, "error", msg);
	jw_object_end(&w);
	buf_addc(out, '\n');
}

/* is_url: the argument names a URL rather than a file. */
static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* parse_one: parse one file and append its line to out; false when it failed. */
static bool parse_one(struct buf *out, struct buf *data, const char *file, const char *base,
		      const char *ctype)
{
	struct ch_error err = { 0 };
	if (is_url(file)) {
		write_error(out, file, "URLs are fetched by chapar fetch; save the feed to a file first");
		return false;
	}
	buf_reset(data);
	if (file_read(file, data, &err) != CH_OK) {
		write_error(out, file, err.msg[0] ? err.msg : "cannot read the file");
		return false;
	}
	struct feed *f = NULL;
	if (feed_parse(data->p ? data->p : "", data->n, ctype, base, &f, &err) != CH_OK) {
		write_error(out, file, err.msg[0] ? err.msg : ch_status_name(err.code));
		return false;
	}
	write_feed(out, f);
	feed_free(f);
	return true;
}

/* flush: write out to stdout and empty it. */
static void flush(struct buf *out)
{
	if (out->n)
		fwrite(out->p, 1, out->n, stdout);
	buf_reset(out);
}

/* parse_list: parse every file named in the list file; false when any failed. */
static bool parse_list(struct buf *out, struct buf *data, const char *list, const char *base,
		       const char *ctype, bool *read_ok)
{
	FILE *fp = fopen(list, "r");
	*read_ok = fp != NULL;
	if (!fp)
		return false;
	bool ok = true;
	char line[4096];
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		ok &= parse_one(out, data, line, base, ctype);
		if (out->n > (1u << 20))
			flush(out);
	}
	fclose(fp);
	return ok;
}

/* cmd_feed_parse: `chapar feed parse`. */
static int cmd_feed_parse(int argc, char **argv)
{
	const char *base = NULL, *ctype = NULL, *list = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--json") == 0)
			continue;
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		const char **slot = strcmp(argv[i], "--base") == 0 ? &base
				  : strcmp(argv[i], "--content-type") == 0 ? &ctype
				  : strcmp(argv[i], "--list") == 0 ? &list : NULL;
		if (!slot || i + 1 >= argc) {
			fprintf(stderr, "chapar feed parse: unknown option or missing value: %s\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
		*slot = argv[++i];
	}
	if (i >= argc && !list) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* many feeds in one process: keep freed memory for the next feed instead of handing it
	 * back to the kernel and faulting it in again (glibc) */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	struct buf out, data;
	buf_init(&out, BUF_NO_LIMIT);
	buf_init(&data, FEED_FILE_LIMIT);
	bool ok = true;
	if (list) {
		bool read_ok;
		ok = parse_list(&out, &data, list, base, ctype, &read_ok);
		if (!read_ok) {
			fprintf(stderr, "chapar feed parse: %s: cannot open the list\n", list);
			ok = false;
		}
	}
	for (; i < argc; i++) {
		ok &= parse_one(&out, &data, argv[i], base, ctype);
		if (out.n > (1u << 20))
			flush(&out);
	}
	flush(&out);
	fflush(stdout);
	buf_release(&out);
	buf_release(&data);
	return ok ? EXIT_OK : EXIT_FAIL;
}

/* cmd_feed_opml: `chapar feed opml FILE`. */
static int cmd_feed_opml(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "--help") == 0) {
		usage(argc == 2 ? stdout : stderr);
		return argc == 2 ? EXIT_OK : EXIT_USAGE;
	}
	struct buf data, out;
	buf_init(&data, FEED_FILE_LIMIT);
	buf_init(&out, BUF_NO_LIMIT);
	struct ch_error err = { 0 };
	struct feed_opml *o = NULL;
	int rc = EXIT_OK;
	if (file_read(argv[1], &data, &err) != CH_OK ||
	    feed_opml_parse(data.p ? data.p : "", data.n, &o, &err) != CH_OK) {
		fprintf(stderr, "chapar feed opml: %s: %s\n", argv[1], err.msg);
		rc = EXIT_FAIL;
	} else {
		for (size_t k = 0; k < o->n_outlines; k++) {
			struct json_writer w;
			jw_init(&w, &out);
			jw_object_begin(&w);
			jw_kv_string_opt(&w, "title", o->outlines[k].title);
			jw_kv_string_opt(&w, "xmlUrl", o->outlines[k].xml_url);
			jw_kv_string_opt(&w, "htmlUrl", o->outlines[k].html_url);
			jw_kv_string_opt(&w, "category", o->outlines[k].category);
			jw_object_end(&w);
			buf_addc(&out, '\n');
		}
		flush(&out);
	}
	feed_opml_free(o);
	buf_release(&data);
	buf_release(&out);
	return rc;
}

int cmd_feed(int argc, char **argv, struct config *cfg)
{
	(void)cfg;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "parse") == 0)
		return cmd_feed_parse(argc - 1, argv + 1);
	if (strcmp(argv[1], "opml") == 0)
		return cmd_feed_opml(argc - 1, argv + 1);
	fprintf(stderr, "chapar feed: unknown subcommand '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
