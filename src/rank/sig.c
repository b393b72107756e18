/*
 * sig.c — an article's clustering signature: the hashes that the story index compares.
 * Title, lead and body are tokenized by src/text (text_tokenize folds every word to its search
 * key, so spelling variants — ZWNJ, Arabic ي/ك, digits — give the same tokens once the real
 * folding is in); each line of each field is cut into word 3-shingles (never across lines, so
 * reordered paragraphs keep their shingles and boilerplate lines stay apart from the text), each shingle hashed with xxhash to 32 bits, and
 * the RANK_SKETCH_MAX smallest distinct hashes kept: a bottom-k MinHash sketch, from which the
 * index estimates how much of one text another contains. Exact-duplicate keys (canonical URL,
 * body) and the outlet names complete the signature. The blob form lets a store persist it.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rank/rank.h"
#include "text/text.h"

/* Words per shingle. Three keeps one changed word from touching more than three shingles while
 * two unrelated Persian texts rarely share three consecutive content words. */
enum { SHINGLE_WORDS = 3 };
/* A body needs this many tokens before its hash counts as an exact-duplicate key. */
enum { BODY_HASH_MIN_TOKENS = 24 };
/* Signature blob format: magic, published, four hashes, shingles, n, flags, then the n values
 * (all little-endian). Version 1 had no flags word and is still read. */
static const char SIG_MAGIC[4] = { 'c', 'r', 's', '2' };
static const char SIG_MAGIC_V1[4] = { 'c', 'r', 's', '1' };
enum { SIG_HEADER_V1 = 4 + 8 * 5 + 4 + 4, SIG_HEADER = SIG_HEADER_V1 + 4 };

/* Tokens of the fields of one article, in order, with each token's byte range in its field. */
struct tokens {
	uint64_t *hash;
	struct token_span {
		size_t start, end;
		size_t key_len;
	} *span;
	size_t n, cap;
	size_t field_start; /* first token of the field being tokenized */
	size_t line_off;    /* offset of the line being tokenized in its field */
	enum ch_status status;
};

/* push_token: text_tokenize callback. A token that covers the previous ones of the same field
 * (a ZWNJ compound emitted after its parts) replaces them; one inside the previous token's range
 * (a part emitted after its compound) is dropped: the widest form is kept, so a compound and
 * its spelling without ZWNJ give the same token. Ranges are kept relative to the field. */
static int push_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end,
		      bool colocated)
{
	struct tokens *t = ctx;
	(void)colocated;
	start += t->line_off;
	end += t->line_off;
	if (t->n > t->field_start && start >= t->span[t->n - 1].start && end <= t->span[t->n - 1].end)
		return 0;
	while (t->n > t->field_start && start <= t->span[t->n - 1].start && end >= t->span[t->n - 1].end)
		t->n--;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		uint64_t *h = realloc(t->hash, cap * sizeof *h);
		if (h)
			t->hash = h;
		struct token_span *sp = h ? realloc(t->span, cap * sizeof *sp) : NULL;
		if (!sp) {
			t->status = CH_ERR_NOMEM;
			return 1;
		}
		t->span = sp;
		t->cap = cap;
	}
	t->hash[t->n] = XXH3_64bits(key, key_len);
	t->span[t->n] = (struct token_span){ start, end, key_len };
	t->n++;
	return 0;
}

/* tokens_release: free the token arrays. */
static void tokens_release(struct tokens *t)
{
	free(t->hash);
	free(t->span);
}

/* key_at: element i of an array of unsigned integers of `width` bytes (4 or 8). */
static inline uint64_t key_at(const void *v, size_t i, size_t width)
{
	return width == 8 ? ((const uint64_t *)v)[i] : ((const uint32_t *)v)[i];
}

/* sort_keys: sort n unsigned integers of `width` bytes (4 or 8) ascending, in place: a
 * least-significant-digit radix sort, a byte per pass (hashes are uniform, so no pass is
 * skipped; qsort's comparisons through a function pointer were 5% of clustering). Falls back
 * to a slower insertion sort if no scratch memory is to be had. */
static void sort_keys(void *v, size_t n, size_t width)
{
	unsigned char *tmp = n > 1 ? malloc(n * width) : NULL;
	if (!tmp) {
		for (size_t i = 1; i < n; i++) {
			for (size_t j = i; j > 0 && key_at(v, j - 1, width) > key_at(v, j, width); j--) {
				unsigned char t[8];
				unsigned char *a = (unsigned char *)v + (j - 1) * width;
				memcpy(t, a, width);
				memmove(a, a + width, width);
				memcpy(a + width, t, width);
			}
		}
		return;
	}
	unsigned char *src = v, *dst = tmp;
	for (size_t pass = 0; pass < width; pass++) {
		size_t count[257] = { 0 }, shift = pass * 8;
		for (size_t i = 0; i < n; i++)
			count[((key_at(src, i, width) >> shift) & 0xff) + 1]++;
		for (size_t d = 1; d < 257; d++)
			count[d] += count[d - 1];
		for (size_t i = 0; i < n; i++)
			memcpy(dst + count[(key_at(src, i, width) >> shift) & 0xff]++ * width, src + i * width, width);
		unsigned char *t = src;
		src = dst;
		dst = t;
	}
	/* an even number of passes (4 or 8) leaves the result in v */
	free(tmp);
}

/* shingle_field: append the shingle hashes of tokens [from, to) to *hs (n used, cap room). */
static enum ch_status shingle_field(const struct tokens *t, size_t from, size_t to, uint32_t **hs,
				   size_t *n, size_t *cap)
{
	size_t count = to - from;
	if (count == 0)
		return CH_OK;
	size_t shingles = count >= SHINGLE_WORDS ? count - SHINGLE_WORDS + 1 : 1;
	if (*n + shingles > *cap) {
		size_t c = (*n + shingles) * 2;
		uint32_t *grown = realloc(*hs, c * sizeof *grown);
		if (!grown)
			return CH_ERR_NOMEM;
		*hs = grown;
		*cap = c;
	}
	for (size_t i = 0; i < shingles; i++) {
		size_t len = count < SHINGLE_WORDS ? count : SHINGLE_WORDS;
		uint64_t h = XXH3_64bits(t->hash + from + i, len * sizeof(uint64_t));
		(*hs)[(*n)++] = (uint32_t)(h >> 32);
	}
	return CH_OK;
}

/* A field's tokens replayed (rank_article.replay) instead of tokenized, cut into its lines as
 * rank_sig_compute_words's own loop cuts them: the line the next token is in, and where the
 * shingles of a finished line go. */
struct replayed {
	struct tokens *t;
	const char *field;
	size_t line_end; /* end of the current line (its '\n' or the field's end) */
	uint32_t **hs;
	size_t *hn, *hcap;
	enum ch_status status;
};

/* line_from: the end of the line starting at off of field (its '\n', or the field's end). */
static size_t line_from(const char *field, size_t off)
{
	const char *eol = strchr(field + off, '\n');
	return eol ? (size_t)(eol - field) : off + strlen(field + off);
}

/* replay_token: text_token_fn of a replayed field: close the lines before the token's (their
 * shingles), then push it as the tokenizer's call on its line alone would have. */
static int replay_token(void *ctx, const char *key, size_t key_len, size_t start, size_t end,
			bool colocated)
{
	struct replayed *r = ctx;
	struct tokens *t = r->t;
	while (start >= r->line_end && r->field[r->line_end]) {
		r->status = shingle_field(t, t->field_start, t->n, r->hs, r->hn, r->hcap);
		if (r->status != CH_OK)
			return 1;
		t->field_start = t->n;
		t->line_off = r->line_end + 1;
		r->line_end = line_from(r->field, t->line_off);
	}
	if (end > r->line_end) { /* across a line break: not what a line's own call gives */
		r->status = CH_ERR_INVALID;
		return 1;
	}
	push_token(t, key, key_len, start - t->line_off, end - t->line_off, colocated);
	if (t->status != CH_OK) {
		r->status = t->status;
		return 1;
	}
	return 0;
}

/* replay_field: the tokens of field f (text field) from a->replay, shingled line by line into
 * r's arrays; false when a has none for it (nothing was added). A token across a line break
 * (which the per-line tokenization cannot give) stops it with r->status CH_ERR_INVALID. */
static bool replay_field(const struct rank_article *a, int f, const char *field, struct replayed *r)
{
	struct tokens *t = r->t;
	r->field = field;
	r->status = CH_OK;
	t->field_start = t->n;
	t->line_off = 0;
	r->line_end = line_from(field, 0);
	if (!a->replay(a->replay_ctx, f, strlen(field), replay_token, r))
		return false;
	if (r->status == CH_OK)
		r->status = shingle_field(t, t->field_start, t->n, r->hs, r->hn, r->hcap);
	return true;
}

/* name_hash: xxhash of the folded, trimmed name s; 0 for an empty or NULL name. */
static uint64_t name_hash(const char *s)
{
	struct slice t = slice_trim(slice_from(s));
	if (t.n == 0)
		return 0;
	struct buf f;
	buf_init(&f, 4096);
	uint64_t h = 0;
	if (text_fold(t.p, t.n, &f) == CH_OK) {
		struct slice ft = slice_trim(buf_slice(&f));
		h = ft.n ? XXH3_64bits(ft.p, ft.n) : 0;
	}
	buf_release(&f);
	return h ? h : 1;
}

/* url_hash: xxhash of the canonical URL, or of the trimmed raw URL when it has none; 0 if no URL. */
static enum ch_status url_hash(const char *url, uint64_t *out)
{
	struct slice u = slice_trim(slice_from(url));
	*out = 0;
	if (u.n == 0)
		return CH_OK;
	struct buf c;
	buf_init(&c, 64 * 1024);
	enum ch_status st = rank_url_canonical(u.p, u.n, &c, NULL);
	if (st == CH_OK)
		*out = XXH3_64bits(c.p, c.n);
	else if (st == CH_ERR_INVALID || st == CH_ERR_LIMIT)
		*out = XXH3_64bits(u.p, u.n), st = CH_OK;
	buf_release(&c);
	if (*out == 0)
		*out = 1;
	return st;
}

/* Weight of one occurrence of a word by its field (as fts.c's column weights for search). */
#define WEIGHT_TITLE 4
#define WEIGHT_LEAD 2
#define WEIGHT_BODY 1

/* keep_weights: each distinct word's weight in w (the sum over its occurrences of their
 * fields' weights, at most 255) and the article's token count; w->keys already filled. */
static enum ch_status keep_weights(const struct tokens *t, size_t title_n, size_t head_n,
				   struct rank_words *w)
{
	if (w->n_keys > w->cap_weights) {
		uint8_t *p = realloc(w->weights, w->n_keys);
		if (!p)
			return CH_ERR_NOMEM;
		w->weights = p;
		w->cap_weights = w->n_keys;
	}
	memset(w->weights, 0, w->n_keys);
	for (size_t i = 0; i < t->n; i++) {
		size_t lo = 0, hi = w->n_keys;
		while (lo < hi) { /* the token's key: it is there */
			size_t mid = lo + (hi - lo) / 2;
			if (w->keys[mid] < t->hash[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		unsigned add = i < title_n ? WEIGHT_TITLE : i < head_n ? WEIGHT_LEAD : WEIGHT_BODY;
		unsigned sum = w->weights[lo] + add;
		w->weights[lo] = (uint8_t)(sum < 255 ? sum : 255);
	}
	w->n_tokens = t->n;
	return CH_OK;
}

/* keep_words: hand the tokens to *w: the distinct word hashes of the whole article and the
 * title's and lead's words in order (head tokens [0, head_n), the title's the first title_n). */
static enum ch_status keep_words(const struct tokens *t, size_t title_n, size_t head_n,
				 struct rank_words *w)
{
	w->n_keys = w->n_head = 0;
	if (t->n > w->cap_keys) {
		uint64_t *k = realloc(w->keys, t->n * sizeof *k);
		if (!k)
			return CH_ERR_NOMEM;
		w->keys = k;
		w->cap_keys = t->n;
	}
	if (head_n > w->cap_head) {
		struct rank_word *h = realloc(w->head, head_n * sizeof *h);
		if (!h)
			return CH_ERR_NOMEM;
		w->head = h;
		w->cap_head = head_n;
	}
	for (size_t i = 0; i < head_n; i++)
		w->head[i] = (struct rank_word){ .hash = t->hash[i],
						 .field = i < title_n ? 0 : 1,
						 .start = t->span[i].start,
						 .end = t->span[i].end,
						 .key_len = t->span[i].key_len };
	w->n_head = head_n;
	if (t->n) {
		memcpy(w->keys, t->hash, t->n * sizeof *w->keys);
		sort_keys(w->keys, t->n, sizeof *w->keys);
		size_t distinct = 0;
		for (size_t i = 0; i < t->n; i++)
			if (distinct == 0 || w->keys[i] != w->keys[distinct - 1])
				w->keys[distinct++] = w->keys[i];
		w->n_keys = distinct;
	}
	return keep_weights(t, title_n, head_n, w);
}

void rank_words_release(struct rank_words *w)
{
	free(w->keys);
	free(w->head);
	free(w->weights);
	memset(w, 0, sizeof *w);
}

enum ch_status rank_sig_compute(const struct rank_article *a, struct rank_sig *sig,
				struct ch_error *err)
{
	return rank_sig_compute_words(a, sig, NULL, err);
}

enum ch_status rank_sig_compute_words(const struct rank_article *a, struct rank_sig *sig,
				      struct rank_words *words, struct ch_error *err)
{
	memset(sig, 0, sizeof *sig);
	sig->published = a->published;
	sig->source_hash = name_hash(a->source);
	sig->credit_hash = name_hash(a->source_credit);
	enum ch_status st = url_hash(a->url, &sig->url_hash);
	if (st != CH_OK)
		return ch_fail(err, st, "signature: %s", ch_status_name(st));

	const char *fields[3] = { a->title, a->lead, a->body };
	struct tokens t = { 0 };
	uint32_t *hs = NULL;
	size_t hn = 0, hcap = 0, field_end[3] = { 0 };
	struct replayed rp = { .t = &t, .hs = &hs, .hn = &hn, .hcap = &hcap };
	for (int f = 0; f < 3 && st == CH_OK; f++) {
		size_t body_start = t.n;
		const char *field = fields[f] ? fields[f] : "";
		const char *p = field;
		size_t tokens_before = t.n, shingles_before = hn;
		if (a->replay && replay_field(a, f, field, &rp)) {
			if (rp.status == CH_ERR_INVALID) /* not as a line's own call: tokenize it */
				t.n = tokens_before, hn = shingles_before;
			else
				st = rp.status, p = ""; /* done */
		}
		while (st == CH_OK && *p) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			t.field_start = t.n;
			t.line_off = (size_t)(p - field);
			text_tokenize(p, len, TEXT_TOK_DOCUMENT, push_token, &t);
			st = t.status;
			if (st == CH_OK)
				st = shingle_field(&t, t.field_start, t.n, &hs, &hn, &hcap);
			p += eol ? len + 1 : len;
		}
		field_end[f] = t.n;
		if (st == CH_OK && f == 2 && t.n - body_start >= BODY_HASH_MIN_TOKENS) {
			sig->body_hash = XXH3_64bits(t.hash + body_start, (t.n - body_start) * sizeof(uint64_t));
			if (sig->body_hash == 0)
				sig->body_hash = 1;
		}
	}
	if (st == CH_OK && hn > 0) {
		sort_keys(hs, hn, sizeof *hs);
		size_t distinct = 0;
		for (size_t i = 0; i < hn; i++)
			if (distinct == 0 || hs[i] != hs[distinct - 1])
				hs[distinct++] = hs[i];
		sig->shingles = (uint32_t)distinct;
		sig->n = (uint32_t)(distinct < RANK_SKETCH_MAX ? distinct : RANK_SKETCH_MAX);
		memcpy(sig->v, hs, sig->n * sizeof *hs);
	}
	if (st == CH_OK && words)
		st = keep_words(&t, field_end[0], field_end[1], words);
	free(hs);
	tokens_release(&t);
	return st == CH_OK ? CH_OK : ch_fail(err, st, "signature: %s", ch_status_name(st));
}

/* store_le: write v as n little-endian bytes at p. */
static void store_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* put_le: append v as n little-endian bytes. */
static enum ch_status put_le(struct buf *out, uint64_t v, int n)
{
	unsigned char b[8];
	store_le(b, v, n);
	return buf_add(out, b, (size_t)n);
}

/* get_le: read n little-endian bytes at p. */
static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

enum ch_status rank_sig_encode(const struct rank_sig *sig, struct buf *out)
{
	enum ch_status st = buf_add(out, SIG_MAGIC, sizeof SIG_MAGIC);
	const uint64_t words[5] = { (uint64_t)sig->published, sig->url_hash, sig->body_hash,
				    sig->source_hash, sig->credit_hash };
	for (int i = 0; st == CH_OK && i < 5; i++)
		st = put_le(out, words[i], 8);
	if (st == CH_OK)
		st = put_le(out, sig->shingles, 4);
	if (st == CH_OK)
		st = put_le(out, sig->n, 4);
	if (st == CH_OK)
		st = put_le(out, sig->flags, 4);
	for (uint32_t i = 0; st == CH_OK && i < sig->n && i < RANK_SKETCH_MAX; i++)
		st = put_le(out, sig->v[i], 4);
	return st;
}

enum ch_status rank_sig_decode(const void *p, size_t n, struct rank_sig *sig, struct ch_error *err)
{
	const unsigned char *b = p;
	if (n < SIG_HEADER_V1 ||
	    (memcmp(b, SIG_MAGIC, sizeof SIG_MAGIC) != 0 && memcmp(b, SIG_MAGIC_V1, sizeof SIG_MAGIC_V1) != 0))
		return ch_fail(err, CH_ERR_PARSE, "signature blob: bad header");
	size_t header = b[3] == SIG_MAGIC[3] ? SIG_HEADER : SIG_HEADER_V1;
	if (n < header)
		return ch_fail(err, CH_ERR_PARSE, "signature blob: bad header");
	memset(sig, 0, sizeof *sig);
	sig->published = (int64_t)get_le(b + 4, 8);
	sig->url_hash = get_le(b + 12, 8);
	sig->body_hash = get_le(b + 20, 8);
	sig->source_hash = get_le(b + 28, 8);
	sig->credit_hash = get_le(b + 36, 8);
	sig->shingles = (uint32_t)get_le(b + 44, 4);
	uint32_t count = (uint32_t)get_le(b + 48, 4);
	if (header == SIG_HEADER)
		sig->flags = (uint32_t)get_le(b + 52, 4);
	if (count > RANK_SKETCH_MAX || n != header + 4 * (size_t)count || sig->shingles < count)
		return ch_fail(err, CH_ERR_PARSE, "signature blob: bad length");
	for (uint32_t i = 0; i < count; i++) {
		sig->v[i] = (uint32_t)get_le(b + header + 4 * i, 4);
		if (i > 0 && sig->v[i] <= sig->v[i - 1])
			return ch_fail(err, CH_ERR_PARSE, "signature blob: sketch not ascending");
	}
	sig->n = count;
	return CH_OK;
}

/* Words blob format: magic, token count, key count, then the keys (8 bytes each) and their
 * weights (1 byte each), all little-endian. */
static const char WORDS_MAGIC[4] = { 'c', 'r', 'w', '1' };
enum { WORDS_HEADER = 4 + 4 + 4 };

enum ch_status rank_words_encode(const struct rank_words *w, struct buf *out)
{
	if (w->n_keys > UINT32_MAX || w->n_tokens > UINT32_MAX)
		return CH_ERR_LIMIT;
	size_t bytes = WORDS_HEADER + 9 * w->n_keys;
	enum ch_status st = buf_grow(out, bytes);
	if (st != CH_OK)
		return st;
	unsigned char *p = (unsigned char *)out->p + out->n;
	memcpy(p, WORDS_MAGIC, sizeof WORDS_MAGIC);
	store_le(p + 4, w->n_tokens, 4);
	store_le(p + 8, w->n_keys, 4);
	unsigned char *k = p + WORDS_HEADER;
	for (size_t i = 0; i < w->n_keys; i++)
		store_le(k + 8 * i, w->keys[i], 8);
	if (w->n_keys)
		memcpy(k + 8 * w->n_keys, w->weights, w->n_keys);
	out->n += bytes;
	out->p[out->n] = '\0'; /* buf_grow left room for it */
	return CH_OK;
}

enum ch_status rank_words_decode(const void *p, size_t n, struct rank_words *w, struct ch_error *err)
{
	const unsigned char *b = p;
	if (n < WORDS_HEADER || memcmp(b, WORDS_MAGIC, sizeof WORDS_MAGIC) != 0)
		return ch_fail(err, CH_ERR_PARSE, "words blob: bad header");
	size_t tokens = (size_t)get_le(b + 4, 4), keys = (size_t)get_le(b + 8, 4);
	if (n != WORDS_HEADER + 9 * keys || keys > tokens)
		return ch_fail(err, CH_ERR_PARSE, "words blob: bad length");
	if (keys > w->cap_keys) {
		uint64_t *k = realloc(w->keys, keys * sizeof *k);
		if (!k)
			return ch_fail(err, CH_ERR_NOMEM, "out of memory");
		w->keys = k;
		w->cap_keys = keys;
	}
	if (keys > w->cap_weights) {
		uint8_t *wt = realloc(w->weights, keys);
		if (!wt)
			return ch_fail(err, CH_ERR_NOMEM, "out of memory");
		w->weights = wt;
		w->cap_weights = keys;
	}
	const unsigned char *k = b + WORDS_HEADER;
	for (size_t i = 0; i < keys; i++) {
		w->keys[i] = get_le(k + 8 * i, 8);
		if (i > 0 && w->keys[i] <= w->keys[i - 1]) {
			w->n_keys = w->n_head = w->n_tokens = 0;
			return ch_fail(err, CH_ERR_PARSE, "words blob: keys not ascending");
		}
	}
	if (keys)
		memcpy(w->weights, k + 8 * keys, keys);
	w->n_keys = keys;
	w->n_tokens = tokens;
	w->n_head = 0;
	return CH_OK;
}
