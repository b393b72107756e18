/*
 * ingest.c — tests src/ingest/ingest.c on a real database file: what an entry's hash covers,
 * and how an entry moves from new to seen, from seen to edited (its article rewritten in place)
 * and why a re-published copy (new GUID, same link) is stored only once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "chapar.h"

struct fixture {
	char dir[256];
	char path[300];
	struct store *st;
	struct source src;
};

/* setup: a fresh database with one source, in a directory of its own. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	strcpy(f->dir, "/tmp/chapar-ingest-XXXXXX");
	snprintf(f->path, sizeof f->path, "%s/t.db", mkdtemp(f->dir) ? f->dir : "/nonexistent");
	f->src = (struct source){ .name = "outlet", .feed_url = "http://outlet.invalid/feed", .language = "fa" };
	bool ok = store_open(f->path, &f->st, NULL) == CH_OK &&
		  store_source_add(f->st, &f->src, &f->src.id, NULL) == CH_OK;
	return ok ? 0 : -1;
}

/* teardown: close the database and remove its files (with WAL's two companions). */
static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char p[320];
		snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

/* entry: a typical feed entry. */
static struct feed_entry entry(void)
{
	return (struct feed_entry){ .id = "g-1", .title = "عنوان خبر", .link = "http://outlet.invalid/1",
				    .summary = "خلاصه", .content = "<p>متن</p>", .published = 1795000000 };
}

/* article_count: articles stored. */
static int64_t article_count(struct store *st)
{
	int64_t n = -1;
	assert_int_equal(store_article_count(st, &n, NULL), CH_OK);
	return n;
}

static void hash_covers_what_an_edit_changes(void **state)
{
	(void)state;
	struct feed_entry a = entry(), b = entry();
	uint64_t h = ingest_entry_hash(&a);
	assert_true(h != 0);
	b.id = "another-guid";
	b.published += 3600; /* re-published: same text, new GUID and date */
	assert_true(ingest_entry_hash(&b) == h);
	const char **fields[] = { &b.title, &b.link, &b.summary, &b.content, &b.author };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		b = entry();
		*fields[i] = "changed";
		assert_true(ingest_entry_hash(&b) != h);
	}
	b = entry();
	b.updated = 1795003600;
	assert_true(ingest_entry_hash(&b) != h);
	/* fields cannot run together */
	b = entry();
	b.title = "عنوان خبرخلاصه";
	b.summary = NULL;
	assert_true(ingest_entry_hash(&b) != h);
}

static void new_then_seen(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e = entry();
	struct ingest_stats stats = { 0 };
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, NULL), INGEST_ENTRY_NEW);
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(stats.created, 1);
	int64_t id = 0;
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, &id), INGEST_ENTRY_SEEN);
	assert_true(id > 0);
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(stats.skipped, 1);
	assert_false(ingest_entry_is_new(f->st, &f->src, &e));
	assert_int_equal(article_count(f->st), 1);
}

static void an_edit_updates_in_place(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e = entry();
	struct ingest_stats stats = { 0 };
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	int64_t id = 0;
	ingest_entry_state(f->st, &f->src, &e, &id);

	e.title = "عنوان اصلاح‌شده";
	e.content = "<p>متن تازه</p>";
	e.updated = e.published + 600;
	int64_t id2 = 0;
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, &id2), INGEST_ENTRY_EDITED);
	assert_true(ingest_entry_is_new(f->st, &f->src, &e)); /* worth fetching its page again */
	assert_int_equal(id2, id);
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(stats.updated, 1);
	assert_int_equal(article_count(f->st), 1);

	struct arena a;
	arena_init(&a, 0);
	struct article got;
	assert_int_equal(store_article_get(f->st, id, &a, &got, NULL), CH_OK);
	assert_string_equal(got.title, "عنوان اصلاح‌شده");
	assert_non_null(got.body_text);
	assert_non_null(strstr(got.body_text, "تازه"));
	arena_release(&a);
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, NULL), INGEST_ENTRY_SEEN);
}

static void republished_copy_is_not_stored_again(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e = entry();
	struct ingest_stats stats = { 0 };
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	e.id = "g-1-again";
	e.published += 86400;
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, NULL), INGEST_ENTRY_SEEN);
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	e.title = "تیتر دیگر"; /* a copy that also changed: rewrites the one article */
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(stats.created, 1);
	assert_int_equal(stats.updated, 1);
	assert_int_equal(article_count(f->st), 1);
}

static void a_page_without_an_article_keeps_the_feed_text(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e = entry();
	e.content = "<p>متن کامل خبر از خود خوراک که باید نگه داشته شود و به جای صفحهٔ خالی بیاید.</p>";
	static const char empty_page[] = "<html><head><title>ورود</title></head><body><form><input name=u>"
					 "</form></body></html>";
	struct ingest_stats stats = { 0 };
	assert_int_equal(ingest_entry(f->st, &f->src, &e, empty_page, sizeof empty_page - 1, "text/html", &stats),
			 CH_OK);
	assert_int_equal(stats.created, 1);
	assert_int_equal(stats.pages, 0);
	int64_t id = 0;
	assert_int_equal(ingest_entry_state(f->st, &f->src, &e, &id), INGEST_ENTRY_SEEN);
	struct arena a;
	arena_init(&a, 0);
	struct article got;
	assert_int_equal(store_article_get(f->st, id, &a, &got, NULL), CH_OK);
	assert_non_null(got.body_text);
	assert_non_null(strstr(got.body_text, "متن کامل خبر"));
	arena_release(&a);
}

static void an_entry_without_title_is_counted_as_failed(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e = entry();
	e.title = NULL;
	struct ingest_stats stats = { 0 };
	assert_int_equal(ingest_entry(f->st, &f->src, &e, NULL, 0, NULL, &stats), CH_ERR_INVALID);
	assert_int_equal(stats.failed, 1);
	assert_int_equal(article_count(f->st), 0);
}

static void lookup_prefers_the_guid(void **state)
{
	struct fixture *f = *state;
	struct feed_entry a = entry(), b = entry();
	b.id = "g-2";
	b.link = "http://outlet.invalid/2";
	struct ingest_stats stats = { 0 };
	ingest_entry(f->st, &f->src, &a, NULL, 0, NULL, &stats);
	ingest_entry(f->st, &f->src, &b, NULL, 0, NULL, &stats);
	int64_t id_a = 0, id_b = 0, got = 0;
	uint64_t hash = 0;
	ingest_entry_state(f->st, &f->src, &a, &id_a);
	ingest_entry_state(f->st, &f->src, &b, &id_b);
	/* GUID of b, link of a: b's article */
	assert_int_equal(store_article_lookup(f->st, f->src.id, "g-2", a.link, &got, &hash, NULL), CH_OK);
	assert_int_equal(got, id_b);
	assert_true(hash == ingest_entry_hash(&b));
	assert_int_equal(store_article_lookup(f->st, f->src.id, "nope", NULL, &got, &hash, NULL), CH_OK);
	assert_int_equal(got, 0);
}

/* a_batch_stores_together: a batch's articles are stored at its flush, in one transaction
 * (another connection sees none of them before the commit and all after); an entry twice in
 * one feed is stored once; a seen entry is not kept. */
static void a_batch_stores_together(void **state)
{
	struct fixture *f = *state;
	struct feed_entry e[3] = { entry(), entry(), entry() };
	e[1].id = "g-2";
	e[1].link = "http://outlet.invalid/2";
	e[1].title = "خبر دوم";
	struct ingest_stats stats = { 0 };
	struct ingest_batch b;
	ingest_batch_init(&b);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(ingest_batch_add(&b, f->st, &f->src, &e[i], NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(b.n, 3); /* e[2] is e[0] again: found at the flush */
	assert_int_equal(article_count(f->st), 0);
	struct store *other = NULL; /* opened first: opening writes */
	assert_int_equal(store_open(f->path, &other, NULL), CH_OK);
	assert_int_equal(store_batch_begin(f->st, NULL), CH_OK); /* the flush nests in it */
	assert_int_equal(ingest_batch_flush(&b, f->st, &f->src, &stats), CH_OK);
	assert_int_equal(article_count(other), 0); /* not committed yet */
	assert_int_equal(store_batch_end(f->st, CH_OK, NULL), CH_OK);
	assert_int_equal(article_count(other), 2);
	store_close(other);
	assert_int_equal(stats.created, 2);
	assert_int_equal(stats.skipped, 1);
	assert_int_equal(b.n, 0);
	assert_int_equal(ingest_batch_add(&b, f->st, &f->src, &e[1], NULL, 0, NULL, &stats), CH_OK);
	assert_int_equal(b.n, 0); /* seen */
	assert_int_equal(stats.skipped, 2);
	ingest_batch_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_covers_what_an_edit_changes),
		cmocka_unit_test_setup_teardown(new_then_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(a_page_without_an_article_keeps_the_feed_text, setup, teardown),
		cmocka_unit_test_setup_teardown(an_edit_updates_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(republished_copy_is_not_stored_again, setup, teardown),
		cmocka_unit_test_setup_teardown(an_entry_without_title_is_counted_as_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(lookup_prefers_the_guid, setup, teardown),
		cmocka_unit_test_setup_teardown(a_batch_stores_together, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
