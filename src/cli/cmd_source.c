/*
 * cmd_source.c — `chapar source …`: add (a feed URL, or a site URL whose feed is discovered),
 * import/export OPML, list with each source's state, remove, enable, disable.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chapar.h"
#include "commands.h"
#include "feed/discover.h"
#include "feed/fetch.h"

/* What a feed says about itself, for naming a new source. */
struct feed_about {
	struct arena arena; /* owns the strings */
	const char *title, *link;
};

/* source_usage: the help text. */
static void source_usage(FILE *out)
{
	fprintf(out,
		"usage: chapar source [--db FILE] <subcommand>\n\n"
		"  add URL [--name NAME] [--category C]   a feed URL, or a site URL: its feed is discovered\n"
		"                                         (<link rel=\"alternate\">, then the usual paths)\n"
		"  import FILE.opml                       add every feed of an OPML file (with categories)\n"
		"  export                                 print every source as OPML\n"
		"  list [--json]                          each source with its state: last success, last\n"
		"                                         error, next check, article count\n"
		"  remove ID|NAME|URL                     remove a source and its articles\n"
		"  enable ID|NAME|URL, disable ID|NAME|URL\n");
}

/* open_store: open db or say why not. */
static struct store *open_store(const char *db)
{
	struct store *st = NULL;
	struct ch_error err = { 0 };
	if (store_open(db, &st, &err) != CH_OK)
		fprintf(stderr, "chapar source: %s\n", err.msg);
	return st;
}

/* find_source: a source by id, name or feed URL. */
static enum ch_status find_source(struct store *st, const char *key, struct arena *a, struct source *out,
				  struct ch_error *err)
{
	char *end;
	long long id = strtoll(key, &end, 10);
	if (*key && !*end && id > 0)
		return store_source_get(st, id, a, out, err);
	return store_source_find(st, key, a, out, err);
}

/* host_of: the host part of a URL, for a default source name (into buf). */
static const char *host_of(const char *url, char *buf, size_t size)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	if (!strncmp(p, "www.", 4))
		p += 4;
	size_t n = strcspn(p, "/:?#");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), p);
	return buf;
}

/* on_about: parse the fetched feed and keep its title and site link. */
static void on_about(struct fetch_result *r, void *ctx)
{
	struct feed_about *about = ctx;
	struct feed *f = NULL;
	if (r->status != CH_OK || r->http_status >= 300 || !r->body->n ||
	    feed_parse(buf_str(r->body), r->body->n, r->content_type[0] ? r->content_type : NULL,
		       r->final_url[0] ? r->final_url : r->url, &f, NULL) != CH_OK)
		return;
	if (f->title && *f->title)
		about->title = arena_strdup(&about->arena, f->title);
	if (f->link && *f->link)
		about->link = arena_strdup(&about->arena, f->link);
	feed_free(f);
}

/* feed_about_fetch: the title and site link the feed at url gives itself (NULL when it cannot
 * be had: the source is added anyway, named after what discovery found). */
static void feed_about_fetch(const char *url, struct feed_about *about)
{
	arena_init(&about->arena, 0);
	about->title = about->link = NULL;
	struct fetcher *f = NULL;
	if (fetch_new(NULL, on_about, about, &f, NULL) != CH_OK)
		return;
	if (fetch_submit(f, &(struct fetch_request){ .url = url }, NULL) == CH_OK)
		fetch_run(f, NULL);
	fetch_free(f);
}

/* pick_name: the --name given, else the feed's own title, else the title its site announced
 * it under, else the site's host (into host). */
static const char *pick_name(const char *given, const struct feed_about *about, const struct discover_link *l,
			     const char *url, char *host, size_t host_size)
{
	if (given)
		return given;
	if (about->title)
		return about->title;
	if (l->title && *l->title)
		return l->title;
	return host_of(url, host, host_size);
}

/* source_add: discover the feed behind url and add it. */
static int source_add(struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "category", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *category = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			name = optarg;
		else if (c == 'c')
			category = optarg;
		else
			return EXIT_USAGE;
	}
	if (optind != argc - 1)
		return EXIT_USAGE;
	const char *url = argv[optind];
	struct discover_list *found = NULL;
	struct ch_error err = { 0 };
	if (discover_feeds(url, NULL, &found, &err) != CH_OK) {
		fprintf(stderr, "chapar source add: %s: %s\n", url, err.msg);
		return EXIT_FAIL;
	}
	const struct discover_link *feed = &found->links[0];
	struct feed_about about;
	feed_about_fetch(feed->url, &about);
	char host[256];
	bool given_feed = !strcmp(feed->url, url);
	struct source src = { .name = pick_name(name, &about, feed, url, host, sizeof host), .feed_url = feed->url,
			      .site_url = given_feed && about.link ? about.link : url, .category = category,
			      .language = "fa" };
	int64_t id = 0;
	enum ch_status s = store_source_add(st, &src, &id, &err);
	int rc = EXIT_OK;
	if (s == CH_OK)
		printf("%lld\t%s\t%s\n", (long long)id, src.name, src.feed_url);
	else {
		fprintf(stderr, "chapar source add: %s\n", err.msg);
		rc = EXIT_FAIL;
	}
	for (size_t i = 1; rc == EXIT_OK && i < found->n; i++)
		fprintf(stderr, "chapar source add: %s also has the feed %s (add it by that URL if wanted)\n", url,
			found->links[i].url);
	arena_release(&about.arena);
	discover_list_free(found);
	return rc;
}

/* print_time: a Unix time as ISO 8601, or "never". */
static void print_time(int64_t t)
{
	struct buf b;
	buf_init(&b, 64);
	if (t)
		time_format_iso(&b, t);
	fputs(t ? buf_str(&b) : "never", stdout);
	buf_release(&b);
}

/* print_next: when src is checked next, in words. */
static void print_next(const struct source *src, int64_t now)
{
	if (!src->enabled)
		fputs("not checked (disabled)", stdout);
	else if (src->next_check <= now)
		fputs("due now", stdout);
	else if (src->next_check - now > 10 * 365 * 86400LL) /* parked by `chapar ingest` */
		fputs("none planned (enable it to poll its feed)", stdout);
	else
		print_time(src->next_check);
}

/* source_list: every source with its state. */
static int source_list(struct store *st, bool json)
{
	struct arena a;
	arena_init(&a, 0);
	struct source *v = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	if (store_source_list(st, &a, &v, &n, &err) != CH_OK) {
		fprintf(stderr, "chapar source list: %s\n", err.msg);
		arena_release(&a);
		return EXIT_FAIL;
	}
	if (n == 0 && !json)
		fputs("chapar source list: no sources yet; add one with `chapar source add URL` or "
		      "`chapar source import FILE.opml`\n", stderr);
	struct buf line;
	buf_init(&line, BUF_NO_LIMIT);
	for (size_t i = 0; i < n; i++) {
		if (json) {
			struct json_writer w;
			buf_reset(&line);
			jw_init(&w, &line);
			jw_object_begin(&w);
			jw_kv_int(&w, "id", v[i].id);
			jw_kv_string(&w, "name", v[i].name);
			jw_kv_string(&w, "feed_url", v[i].feed_url);
			jw_kv_string_opt(&w, "site_url", v[i].site_url);
			jw_kv_string_opt(&w, "category", v[i].category);
			jw_key(&w, "enabled");
			jw_bool(&w, v[i].enabled);
			jw_kv_int(&w, "last_success", v[i].last_success);
			jw_kv_string_opt(&w, "last_error", v[i].last_error);
			jw_kv_int(&w, "last_error_at", v[i].last_error_at);
			jw_kv_int(&w, "error_count", v[i].error_count);
			jw_kv_int(&w, "next_check", v[i].next_check);
			jw_kv_int(&w, "articles", v[i].article_count);
			jw_object_end(&w);
			puts(buf_str(&line));
			continue;
		}
		printf("%lld\t%s\t%s\t%s\n", (long long)v[i].id, v[i].name, v[i].feed_url,
		       v[i].enabled ? "enabled" : "disabled");
		printf("\tarticles %lld, last success ", (long long)v[i].article_count);
		print_time(v[i].last_success);
		printf(", next check ");
		print_next(&v[i], time_now_ms() / 1000);
		if (v[i].last_error && v[i].error_count) {
			printf("\n\tlast error (%d in a row, ", v[i].error_count);
			print_time(v[i].last_error_at);
			printf("): %s", v[i].last_error);
		}
		else if (v[i].last_error)
			printf("\n\tnote: %s", v[i].last_error);
		putchar('\n');
	}
	buf_release(&line);
	arena_release(&a);
	return EXIT_OK;
}

/* source_change: remove, enable or disable one source. */
static int source_change(struct store *st, const char *what, const char *key)
{
	struct arena a;
	arena_init(&a, 0);
	struct source src;
	struct ch_error err = { 0 };
	enum ch_status s = find_source(st, key, &a, &src, &err);
	if (s == CH_OK) {
		if (!strcmp(what, "remove"))
			s = store_source_remove(st, src.id, &err);
		else
			s = store_source_set_enabled(st, src.id, !strcmp(what, "enable"), &err);
	}
	arena_release(&a);
	if (s != CH_OK) {
		fprintf(stderr, "chapar source %s: %s\n", what, err.msg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* source_import: add every feed of an OPML file; sources already present are left alone. */
static int source_import(struct store *st, const char *path)
{
	struct buf data;
	buf_init(&data, 16u << 20);
	struct ch_error err = { 0 };
	struct feed_opml *opml = NULL;
	if (file_read(path, &data, &err) != CH_OK) { /* its message names the file */
		fprintf(stderr, "chapar source import: %s\n", err.msg);
		buf_release(&data);
		return EXIT_FAIL;
	}
	if (feed_opml_parse(data.p ? data.p : "", data.n, &opml, &err) != CH_OK) {
		fprintf(stderr, "chapar source import: %s: %s\n", path, err.msg);
		buf_release(&data);
		return EXIT_FAIL;
	}
	size_t added = 0, present = 0, failed = 0;
	for (size_t i = 0; i < opml->n_outlines; i++) {
		const struct feed_outline *o = &opml->outlines[i];
		char host[256];
		struct source src = { .name = o->title && *o->title ? o->title : host_of(o->xml_url, host, sizeof host),
				      .feed_url = o->xml_url, .site_url = o->html_url, .category = o->category,
				      .language = "fa" };
		int64_t id = 0;
		enum ch_status s = store_source_add(st, &src, &id, &err);
		if (s == CH_OK)
			added++;
		else if (s == CH_ERR_EXISTS)
			present++;
		else {
			failed++;
			fprintf(stderr, "chapar source import: %s: %s\n", o->xml_url, err.msg);
		}
	}
	printf("added %zu, already present %zu, failed %zu\n", added, present, failed);
	feed_opml_free(opml);
	buf_release(&data);
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* source_export: every source as an OPML 2.0 document on stdout. */
static int source_export(struct store *st)
{
	struct arena a;
	arena_init(&a, 0);
	struct source *v = NULL;
	size_t n = 0;
	struct ch_error err = { 0 };
	struct buf out;
	buf_init(&out, BUF_NO_LIMIT);
	enum ch_status s = store_source_list(st, &a, &v, &n, &err);
	struct feed_outline *o = s == CH_OK ? arena_alloc(&a, (n ? n : 1) * sizeof *o) : NULL;
	if (s == CH_OK && !o)
		s = ch_fail(&err, CH_ERR_NOMEM, "out of memory");
	for (size_t i = 0; s == CH_OK && i < n; i++)
		o[i] = (struct feed_outline){ .title = v[i].name, .xml_url = v[i].feed_url,
					      .html_url = v[i].site_url, .category = v[i].category };
	if (s == CH_OK)
		s = feed_opml_write(&out, "chapar sources", o, n, &err);
	if (s == CH_OK)
		fwrite(out.p, 1, out.n, stdout);
	else
		fprintf(stderr, "chapar source export: %s\n", err.msg);
	buf_release(&out);
	arena_release(&a);
	return s == CH_OK ? EXIT_OK : EXIT_FAIL;
}

int cmd_source(int argc, char **argv, struct config *cfg)
{
	const char *db = cfg->db;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			source_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			db = argv[++i];
		} else {
			source_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		source_usage(stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[i];
	int rest = argc - i;
	char **args = argv + i;
	if (rest == 2 && (!strcmp(args[1], "--help") || !strcmp(args[1], "-h"))) {
		source_usage(stdout);
		return EXIT_OK;
	}
	bool known = !strcmp(sub, "add") || !strcmp(sub, "list") || !strcmp(sub, "remove") || !strcmp(sub, "enable") ||
		     !strcmp(sub, "disable") || !strcmp(sub, "import") || !strcmp(sub, "export");
	if (!known) {
		fprintf(stderr, "chapar source: unknown subcommand '%s'\n", sub);
		source_usage(stderr);
		return EXIT_USAGE;
	}
	bool needs_one = !strcmp(sub, "remove") || !strcmp(sub, "enable") || !strcmp(sub, "disable") ||
			 !strcmp(sub, "import");
	if ((needs_one && rest != 2) || (!strcmp(sub, "export") && rest != 1)) {
		source_usage(stderr);
		return EXIT_USAGE;
	}
	struct store *st = open_store(db);
	if (!st)
		return EXIT_FAIL;
	int rc;
	if (!strcmp(sub, "add"))
		rc = source_add(st, rest, args);
	else if (!strcmp(sub, "list"))
		rc = source_list(st, rest > 1 && !strcmp(args[1], "--json"));
	else if (!strcmp(sub, "import"))
		rc = source_import(st, args[1]);
	else if (!strcmp(sub, "export"))
		rc = source_export(st);
	else
		rc = source_change(st, sub, args[1]);
	store_close(st);
	if (rc == EXIT_USAGE)
		source_usage(stderr);
	return rc;
}
