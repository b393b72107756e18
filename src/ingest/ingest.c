/*
 * ingest.c — turns feed entries into stored articles. Per entry: skip it if the store has it
 * unchanged (same GUID or canonical link in that source, and the same entry hash: an edited
 * entry is stored again over its article), else get its page and extract the article,
 * fall back to the feed's content or summary, repair the Persian text of every text field
 * (text_normalize), sanitise the HTML, and store it. A feed's articles are made first and
 * stored together in one transaction (struct ingest_batch): a commit per article, and the
 * full-text index segment each commit writes, cost more than making the article.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "text/text.h"

#define PAGE_LIMIT (10u << 20)
#define TEXT_LIMIT (4u << 20)

/* norm: s display-normalized, copied into the arena; NULL (or empty) gives NULL. */
static const char *norm(struct arena *a, const char *s)
{
	if (!s || !*s)
		return NULL;
	struct buf b;
	buf_init(&b, TEXT_LIMIT);
	const char *r = NULL;
	if (text_normalize(s, strlen(s), TEXT_NORM_DEFAULT, &b) == CH_OK) {
		struct slice t = slice_trim(buf_slice(&b));
		r = t.n ? arena_strndup(a, t.p, t.n) : NULL;
	}
	buf_release(&b);
	return r;
}

/* sanitized: html passed through the allowlist sanitiser into the arena; NULL when empty or
 * when the sanitiser refuses it (then no HTML is stored at all). */
static const char *sanitized(struct arena *a, const char *html, const char *base)
{
	if (!html || !*html)
		return NULL;
	struct buf b;
	buf_init(&b, PAGE_LIMIT);
	const char *r = NULL;
	if (extract_sanitize_html(html, strlen(html), base, &b, NULL) == CH_OK && b.n)
		r = arena_strndup(a, b.p, b.n);
	buf_release(&b);
	return r;
}

/* pick: the first non-empty of two strings. */
static const char *pick(const char *a, const char *b)
{
	return a && *a ? a : b;
}

/* join_categories: the entry's categories as "a, b", in the arena. */
static const char *join_categories(struct arena *a, const struct feed_entry *e)
{
	if (!e->n_categories)
		return NULL;
	struct buf b;
	buf_init(&b, 4096);
	for (size_t i = 0; i < e->n_categories; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, e->categories[i]);
	}
	const char *r = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_release(&b);
	return r;
}

/* entry_image: the first image enclosure of the entry, or NULL. */
static const char *entry_image(const struct feed_entry *e)
{
	for (size_t i = 0; i < e->n_enclosures; i++)
		if (e->enclosures[i].type && !strncmp(e->enclosures[i].type, "image/", 6))
			return e->enclosures[i].url;
	return NULL;
}

/* extract_from: run the extractor on html; NULL when nothing usable came out. */
static struct extract_article *extract_from(const char *html, size_t n, const char *type, const char *url)
{
	struct extract_article *x = NULL;
	struct ch_error err = { 0 };
	if (extract_article(html, n, type, url, &x, &err) != CH_OK) {
		log_debug("ingest: %s: %s", url ? url : "(content)", err.msg);
		return NULL;
	}
	return x;
}

/* hash_field: fold the hash of one optional field into h (field by field, so "ab"+"c" and
 * "a"+"bc" differ). */
static uint64_t hash_field(uint64_t h, const char *s)
{
	return (h ^ hash_fnv1a64(s ? s : "", s ? strlen(s) : 0)) * 0x100000001b3ull;
}

uint64_t ingest_entry_hash(const struct feed_entry *e)
{
	char updated[24];
	snprintf(updated, sizeof updated, "%lld", (long long)e->updated);
	uint64_t h = 0xcbf29ce484222325ull;
	h = hash_field(h, e->title);
	h = hash_field(h, e->link);
	h = hash_field(h, e->summary);
	h = hash_field(h, e->content);
	h = hash_field(h, e->author);
	h = hash_field(h, updated);
	return h ? h : 1;
}

enum ingest_entry_state ingest_entry_state(struct store *st, const struct source *src, const struct feed_entry *e,
					   int64_t *article_id)
{
	const char *guid = pick(e->id, e->link);
	int64_t id = 0;
	uint64_t stored = 0;
	struct ch_error err = { 0 };
	if (article_id)
		*article_id = 0;
	if (!guid)
		return INGEST_ENTRY_NEW;
	if (store_article_lookup(st, src->id, guid, e->link, &id, &stored, &err) != CH_OK) {
		log_warn("ingest: %s: %s", src->name, err.msg);
		return INGEST_ENTRY_NEW; /* the put looks again, in its transaction */
	}
	if (article_id)
		*article_id = id;
	if (!id)
		return INGEST_ENTRY_NEW;
	return stored == ingest_entry_hash(e) ? INGEST_ENTRY_SEEN : INGEST_ENTRY_EDITED;
}

bool ingest_entry_is_new(struct store *st, const struct source *src, const struct feed_entry *e)
{
	return ingest_entry_state(st, src, e, NULL) != INGEST_ENTRY_SEEN;
}

/* record_put: count a store_article_put outcome and remember the entry's hash on the article
 * (a crash between the two only means the article is rewritten once more next time). */
static void record_put(struct store *st, const struct source *src, const struct feed_entry *e,
		       const struct article *a, enum ch_status s, bool created, const struct ch_error *err,
		       struct ingest_stats *stats)
{
	if (s != CH_OK) {
		stats->failed++;
		log_warn("ingest: %s: %s: %s", src->name, a->url, err->msg);
		return;
	}
	if (created)
		stats->created++;
	else
		stats->updated++;
	struct ch_error e2 = { 0 };
	if (store_article_set_entry_hash(st, a->id, ingest_entry_hash(e), &e2) != CH_OK)
		log_warn("ingest: %s: %s: %s", src->name, a->url, e2.msg);
}

/* An entry made into an article, waiting to be stored: the article's strings live in its
 * arena and its extraction x; e (the caller's) must outlive it. */
struct ingest_prepared {
	const struct feed_entry *e;
	struct arena arena;
	struct extract_article *x;
	struct article a;
};

/* prepared_release: free what p holds. */
static void prepared_release(struct ingest_prepared *p)
{
	extract_article_free(p->x);
	arena_release(&p->arena);
}

/* prepare: make entry e of src into an article in *p (to release with prepared_release):
 * CH_OK; CH_ERR_EXISTS when the store has it unchanged (counted as skipped, nothing to
 * release); CH_ERR_INVALID when it has no link or title (counted as failed). */
static enum ch_status prepare(struct store *st, const struct source *src, const struct feed_entry *e,
			      const char *page, size_t page_len, const char *page_type,
			      struct ingest_stats *stats, struct ingest_prepared *p)
{
	const char *url = pick(e->link, e->id);
	if (!url || !e->title) {
		stats->failed++;
		log_warn("ingest: %s: an entry without a link or title was left out", src->name);
		return CH_ERR_INVALID;
	}
	if (ingest_entry_state(st, src, e, NULL) == INGEST_ENTRY_SEEN) {
		stats->skipped++;
		return CH_ERR_EXISTS;
	}
	*p = (struct ingest_prepared){ .e = e };
	arena_init(&p->arena, 0);
	struct arena *arena = &p->arena;
	struct extract_article *x = NULL;
	if (page && page_len) {
		x = extract_from(page, page_len, page_type, e->link);
		if (x && !(x->body_text && *x->body_text)) {
			/* a page with no readable article (a login wall, an error page) */
			extract_article_free(x);
			x = NULL;
		}
		if (x)
			stats->pages++;
	}
	if (!x && e->content)
		x = extract_from(e->content, strlen(e->content), "text/html; charset=utf-8", e->link);
	p->x = x;

	int64_t now = time_now_ms() / 1000;
	p->a = (struct article){
		.source_id = src->id,
		.url = url,
		.guid = pick(e->id, e->link),
		.canonical_url = x && x->canonical_url ? x->canonical_url : e->link,
		.title = norm(arena, pick(e->title, x ? x->title : NULL)),
		.uptitle = x ? norm(arena, x->uptitle) : NULL,
		.lead = norm(arena, pick(x ? x->lead : NULL, e->summary)),
		.body_text = norm(arena, pick(x ? x->body_text : NULL, e->summary)),
		.body_html = x && x->body_html ? x->body_html : sanitized(arena, e->content, e->link),
		.author = norm(arena, pick(e->author, x ? x->author : NULL)),
		.image = pick(entry_image(e), x ? x->image : NULL),
		.language = pick(x ? x->language : NULL, src->language),
		.categories = join_categories(arena, e),
		.published = e->published ? e->published : e->updated ? e->updated : x && x->published ? x->published : now,
		.fetched = now,
	};
	struct article *a = &p->a;
	if (x && x->source_credit && (!src->name || !strstr(src->name, x->source_credit)))
		a->origin = norm(arena, x->source_credit);
	if (!a->title)
		a->title = url;
	if (a->published > now + 86400) /* a feed dated in the future is wrong, not early */
		a->published = now;
	return CH_OK;
}

/* store_prepared: store p's article (unless an earlier write of the same batch stored its
 * entry meanwhile) and record its entry hash; the put's status. */
static enum ch_status store_prepared(struct store *st, const struct source *src, struct ingest_prepared *p,
				     struct ingest_stats *stats)
{
	if (ingest_entry_state(st, src, p->e, NULL) == INGEST_ENTRY_SEEN) {
		stats->skipped++; /* the same entry twice in one feed */
		return CH_OK;
	}
	bool created = false;
	struct ch_error err = { 0 };
	enum ch_status s = store_article_put(st, &p->a, &created, &err);
	record_put(st, src, p->e, &p->a, s, created, &err, stats);
	return s;
}

enum ch_status ingest_entry(struct store *st, const struct source *src, const struct feed_entry *e,
			    const char *page, size_t page_len, const char *page_type, struct ingest_stats *stats)
{
	struct ingest_prepared p;
	enum ch_status s = prepare(st, src, e, page, page_len, page_type, stats, &p);
	if (s != CH_OK)
		return s == CH_ERR_EXISTS ? CH_OK : s;
	s = store_prepared(st, src, &p, stats);
	prepared_release(&p);
	return s;
}

void ingest_batch_init(struct ingest_batch *b)
{
	*b = (struct ingest_batch){ 0 };
}

enum ch_status ingest_batch_add(struct ingest_batch *b, struct store *st, const struct source *src,
				const struct feed_entry *e, const char *page, size_t page_len,
				const char *page_type, struct ingest_stats *stats)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct ingest_prepared *v = realloc(b->items, cap * sizeof *v);
		if (!v) /* stored alone, then */
			return ingest_entry(st, src, e, page, page_len, page_type, stats);
		b->items = v;
		b->cap = cap;
	}
	enum ch_status s = prepare(st, src, e, page, page_len, page_type, stats, &b->items[b->n]);
	if (s == CH_OK)
		b->n++;
	return s == CH_ERR_EXISTS ? CH_OK : s;
}

enum ch_status ingest_batch_flush(struct ingest_batch *b, struct store *st, const struct source *src,
				  struct ingest_stats *stats)
{
	struct ch_error err = { 0 };
	/* another connection (the clustering thread's) may have committed since this one's last
	 * read: a snapshot a finished statement still holds would fail the BEGIN at once */
	store_read_latest(st);
	enum ch_status s = b->n ? store_batch_begin(st, &err) : CH_OK;
	bool batched = s == CH_OK;
	if (!batched)
		log_warn("ingest: %s: %s (each article stored alone)", src->name, err.msg);
	struct ingest_stats before = *stats;
	for (size_t i = 0; i < b->n; i++)
		store_prepared(st, src, &b->items[i], stats);
	if (batched && b->n && (s = store_batch_end(st, CH_OK, &err)) != CH_OK) {
		/* the commit failed: none of them is stored; the feed's next fetch brings them again */
		log_warn("ingest: %s: %zu articles not stored: %s", src->name, b->n, err.msg);
		before.failed += b->n;
		*stats = before;
	}
	for (size_t i = 0; i < b->n; i++)
		prepared_release(&b->items[i]);
	b->n = 0;
	return s;
}

void ingest_batch_release(struct ingest_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		prepared_release(&b->items[i]);
	free(b->items);
	*b = (struct ingest_batch){ 0 };
}

enum ch_status ingest_feed(struct store *st, const struct source *src, const struct feed *f, page_get_fn get_page,
			   void *ctx, struct ingest_stats *stats, struct ch_error *err)
{
	/* oldest first, so ids follow publication order within a feed; the pages are read first
	 * and the articles stored together, one transaction for the feed */
	struct buf page;
	buf_init(&page, PAGE_LIMIT);
	struct ingest_batch b;
	ingest_batch_init(&b);
	for (size_t i = f->n_entries; i-- > 0;) {
		const struct feed_entry *e = &f->entries[i];
		stats->entries++;
		buf_reset(&page);
		const char *type = NULL;
		bool have_page = get_page && e->link && ingest_entry_is_new(st, src, e) &&
				 get_page(ctx, e->link, &page, &type);
		ingest_batch_add(&b, st, src, e, have_page ? page.p : NULL, have_page ? page.n : 0, type, stats);
	}
	buf_release(&page);
	ingest_batch_flush(&b, st, src, stats);
	ingest_batch_release(&b);
	return CH_OK;
}
