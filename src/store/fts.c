/*
 * fts.c — the "persian" FTS5 tokenizer: SQLite's full-text index driven by src/text's
 * tokenizer, so a document and a query fold the same way (میشود, می شود and می‌شود; ي/ی, ك/ک;
 * every digit system; diacritics) and ZWNJ compounds are indexed both as parts and whole.
 * Registered on every connection before the schema is touched.
 */
#include <sqlite3.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "text/text.h"

/* FTS5 merges its index segments as documents arrive and reads doclists page by page; with
 * SQLite's default 2 MB page cache both go back to the file system for almost every page
 * (pread dominated a profile of bulk ingest). A larger cache, and reads through mmap, keep them
 * in memory. The cache is allocated lazily, so an idle connection does not pay for it. */
#define FTS_CONNECTION_PRAGMAS "PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;"

/* The tokenizer keeps no state of its own: every instance is the same empty object. */
struct persian_tokenizer {
	int unused;
};
static struct persian_tokenizer the_tokenizer;

/* tok_create: FTS5 xCreate; arguments are not accepted. */
static int tok_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out)
{
	if (nargs > 0)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)&the_tokenizer;
	return SQLITE_OK;
}

/* tok_delete: FTS5 xDelete; nothing to free. */
static void tok_delete(Fts5Tokenizer *t)
{
}

struct token_call {
	void *fts_ctx;
	int (*emit)(void *, int, const char *, int, int, int);
	bool seen_first;
};

/* forward: text_token_fn handing each token to FTS5. */
static int forward(void *ctx, const char *key, size_t key_len, size_t start, size_t end, bool colocated)
{
	struct token_call *c = ctx;
	if (key_len == 0 || key_len > 256)
		return 0; /* empty or absurd tokens are not indexed */
	int flags = colocated && c->seen_first ? FTS5_TOKEN_COLOCATED : 0;
	c->seen_first = true;
	return c->emit(c->fts_ctx, flags, key, (int)key_len, (int)start, (int)end);
}

/* tok_tokenize: FTS5 xTokenize over src/text's tokenizer. */
static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
			int (*emit)(void *, int, const char *, int, int, int))
{
	struct token_call c = { .fts_ctx = ctx, .emit = emit };
	enum text_tok_mode mode = (flags & FTS5_TOKENIZE_QUERY) ? TEXT_TOK_QUERY : TEXT_TOK_DOCUMENT;
	return text_tokenize(text ? text : "", n > 0 ? (size_t)n : 0, mode, forward, &c);
}

int sqlite_register_persian_tokenizer(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api)
		return SQLITE_ERROR;
	static fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	int rc = api->xCreateTokenizer(api, "persian", NULL, &tok, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, FTS_CONNECTION_PRAGMAS, NULL, NULL, NULL);
	return rc;
}
