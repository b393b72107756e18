/*
 * admin.c — the admin area: a password login (the `admin_password` setting; no password, no
 * admin area), then the sources with their state (last success, last error in words, next
 * check, articles) and forms to add a source (feed or site URL, discovered), import OPML,
 * enable, disable and remove sources; OPML export. Sessions are random tokens in an HttpOnly,
 * SameSite=Strict cookie, kept in memory for 12 hours; every form carries the session's CSRF
 * token; failed logins are slowed down. Forms answer with a redirect (POST, redirect, GET).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "feed/discover.h"
#include "feed/feed.h"
#include "text/text.h"
#include "web/web_internal.h"

#define SESSIONS 64
#define SESSION_TTL_S (12 * 3600)
#define COOKIE "chapar_admin"

struct session {
	char token[33], csrf[33];
	int64_t expires;
	char notice[512]; /* what the last action did, shown once by the next dashboard */
};

static struct session sessions[SESSIONS];
static int64_t failed_logins_until; /* no login is checked before this time */
static int failed_logins;
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

/* random_hex: 32 random hex digits (and a NUL) into out; false when the kernel gives none. */
static bool random_hex(char out[33])
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return false;
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return true;
}

/* same_secret: compare two strings in time independent of where they differ. */
static bool same_secret(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char diff = (unsigned char)(na != nb);
	for (size_t i = 0; i < na; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
	return diff == 0 && nb > 0;
}

/* session_find: a copy of the live session whose token the request's cookie holds. */
static bool session_find(struct request *rq, struct session *out)
{
	const char *token = request_cookie(rq, COOKIE);
	if (!token || strlen(token) != 32)
		return false;
	bool found = false;
	pthread_mutex_lock(&sessions_lock);
	for (int i = 0; i < SESSIONS && !found; i++) {
		if (sessions[i].expires > rq->now && same_secret(sessions[i].token, token)) {
			*out = sessions[i];
			found = true;
		}
	}
	pthread_mutex_unlock(&sessions_lock);
	return found;
}

/* session_new: a fresh session in the slot that expires first. */
static bool session_new(int64_t now, struct session *out)
{
	struct session s = { .expires = now + SESSION_TTL_S };
	if (!random_hex(s.token) || !random_hex(s.csrf))
		return false;
	pthread_mutex_lock(&sessions_lock);
	int oldest = 0;
	for (int i = 1; i < SESSIONS; i++)
		if (sessions[i].expires < sessions[oldest].expires)
			oldest = i;
	sessions[oldest] = s;
	pthread_mutex_unlock(&sessions_lock);
	*out = s;
	return true;
}

/* session_end: forget the session with this token. */
static void session_end(const char *token)
{
	pthread_mutex_lock(&sessions_lock);
	for (int i = 0; i < SESSIONS; i++)
		if (!strcmp(sessions[i].token, token))
			memset(&sessions[i], 0, sizeof sessions[i]);
	pthread_mutex_unlock(&sessions_lock);
}

/* session_slot: the index of the live session whose token the request's cookie holds, or -1.
 * The caller holds sessions_lock. */
static int session_slot(struct request *rq)
{
	const char *token = request_cookie(rq, COOKIE);
	if (!token || strlen(token) != 32)
		return -1;
	for (int i = 0; i < SESSIONS; i++)
		if (sessions[i].expires > rq->now && same_secret(sessions[i].token, token))
			return i;
	return -1;
}

/* session_set_notice: keep msg (cut to whole characters) for the request's session to show
 * once; nothing when the request has no session. Notices travel in the session, never in the
 * URL, so a link from elsewhere cannot put words on the admin's page. */
static void session_set_notice(struct request *rq, const char *msg)
{
	pthread_mutex_lock(&sessions_lock);
	int i = session_slot(rq);
	if (i >= 0) {
		size_t n = strlen(msg), cap = sizeof sessions[i].notice - 1;
		if (n > cap) {
			n = cap;
			while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
				n--; /* not in the middle of a character */
		}
		memcpy(sessions[i].notice, msg, n);
		sessions[i].notice[n] = '\0';
	}
	pthread_mutex_unlock(&sessions_lock);
}

/* session_take_notice: move the request's session notice into out (empty when none). */
static void session_take_notice(struct request *rq, char out[512])
{
	out[0] = '\0';
	pthread_mutex_lock(&sessions_lock);
	int i = session_slot(rq);
	if (i >= 0) {
		memcpy(out, sessions[i].notice, sizeof sessions[i].notice);
		sessions[i].notice[0] = '\0';
	}
	pthread_mutex_unlock(&sessions_lock);
}

/* ---------------------------------------------------------------------------------------------
 * Pages
 * ------------------------------------------------------------------------------------------- */

/* page_start / page_end: the admin pages' frame (no site chrome, never cached). */
static void page_start(struct response *rs, const char *title)
{
	rs->private_page = true;
	buf_adds(&rs->body, "<!DOCTYPE html>\n<html dir=\"rtl\" lang=\"fa\"><head><meta charset=\"utf-8\">"
			    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			    "<meta name=\"robots\" content=\"noindex\">"
			    "<link rel=\"stylesheet\" href=\"/assets/style.css\"><title>");
	html_escape(&rs->body, title, strlen(title));
	buf_adds(&rs->body, " | چاپار</title></head><body><header class=\"top\"><a class=\"brand\" href=\"/\">چاپار</a>"
			    "<span>مدیریت</span></header><div class=\"admin\">");
}

static void page_end(struct response *rs)
{
	buf_adds(&rs->body, "</div></body></html>\n");
}

/* csrf_field: the hidden field every form carries. */
static void csrf_field(struct response *rs, const struct session *s)
{
	buf_addf(&rs->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", s->csrf);
}

/* login_page: the password form, with a message when a login failed. */
static void login_page(struct response *rs, const char *message)
{
	page_start(rs, "ورود");
	buf_adds(&rs->body, "<h1>ورود به بخش مدیریت</h1>");
	if (message) {
		buf_adds(&rs->body, "<p class=\"error\">");
		html_escape(&rs->body, message, strlen(message));
		buf_adds(&rs->body, "</p>");
	}
	buf_adds(&rs->body, "<form method=\"post\" action=\"/admin/login\"><label>گذرواژه "
			    "<input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label> "
			    "<button>ورود</button></form>");
	page_end(rs);
}

/* A next check this far ahead means the source is parked (its articles come from files, see
 * `chapar ingest`): no check is planned. */
#define PARKED_AFTER_S (10 * 365 * 86400LL)

/* when: a time as the site shows times ("۵ دقیقه پیش", "۲ ساعت بعد", a Jalali date beyond a
 * month), the exact UTC time in its datetime and title; "هرگز" for none. */
static void when(struct response *rs, int64_t t, int64_t now)
{
	if (!t || t - now > PARKED_AFTER_S) {
		buf_adds(&rs->body, "هرگز");
		return;
	}
	buf_adds(&rs->body, "<time datetime=\"");
	time_format_iso(&rs->body, t);
	buf_adds(&rs->body, "\" title=\"");
	time_format_iso(&rs->body, t);
	buf_adds(&rs->body, "\">");
	jalali_format_relative(&rs->body, t, now);
	buf_adds(&rs->body, "</time>");
}

/* number_fa: append v in Persian digits. */
static void number_fa(struct response *rs, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	text_digits_fa(&rs->body, tmp, (size_t)n);
}

/* source_row: one source with its state and its buttons. A source is failing when its last
 * fetches failed; a note without errors (a parked source's) is shown as a note. */
static void source_row(struct response *rs, const struct session *s, const struct source *src, int64_t now)
{
	bool failing = src->last_error && src->error_count > 0;
	buf_addf(&rs->body, "<tr%s><td>%lld</td><td>", failing ? " class=\"failing\"" : "", (long long)src->id);
	html_escape(&rs->body, src->name, strlen(src->name));
	buf_adds(&rs->body, "<br><small>");
	html_escape(&rs->body, src->feed_url, strlen(src->feed_url));
	buf_addf(&rs->body, "</small></td><td>%s</td><td>", src->enabled ? "فعال" : "غیرفعال");
	number_fa(rs, src->article_count);
	buf_adds(&rs->body, "</td><td>");
	when(rs, src->last_success, now);
	buf_adds(&rs->body, "</td><td>");
	if (src->enabled)
		when(rs, src->next_check, now);
	else
		buf_adds(&rs->body, "—");
	buf_adds(&rs->body, "</td><td>");
	if (failing) {
		number_fa(rs, src->error_count);
		buf_adds(&rs->body, " بار: ");
	}
	if (src->last_error)
		html_escape(&rs->body, src->last_error, strlen(src->last_error));
	buf_adds(&rs->body, "</td><td>");
	/* a parked source is enabled but never due: enabling it again makes it due now */
	bool parked = src->enabled && src->next_check - now > PARKED_AFTER_S;
	const char *actions[] = { src->enabled ? "disable" : "enable", "remove", "enable" };
	const char *labels[] = { src->enabled ? "غیرفعال کن" : "فعال کن", "حذف", "از خوراکش بخوان" };
	for (int i = 0; i < (parked ? 3 : 2); i++) {
		buf_addf(&rs->body, "<form method=\"post\" action=\"/admin/source/%lld/%s\">", (long long)src->id,
			 actions[i]);
		csrf_field(rs, s);
		buf_addf(&rs->body, "<button>%s</button></form>", labels[i]);
	}
	buf_adds(&rs->body, "</td></tr>");
}

/* dashboard: the sources, their state and the forms. */
static void dashboard(struct request *rq, struct response *rs, const struct session *s)
{
	struct source *v = NULL;
	size_t n = 0;
	if (store_source_list(rq->store, &rq->arena, &v, &n, NULL) != CH_OK)
		n = 0;
	page_start(rs, "منبع‌ها");
	char notice[512];
	session_take_notice(rq, notice);
	if (*notice) {
		buf_adds(&rs->body, "<p class=\"notice\">");
		html_escape_fa(&rs->body, notice, strlen(notice));
		buf_adds(&rs->body, "</p>");
	}
	buf_addf(&rs->body, "<h1>منبع‌ها (%zu)</h1><form method=\"post\" action=\"/admin/source/add\">", n);
	csrf_field(rs, s);
	buf_adds(&rs->body, "<input name=\"url\" type=\"url\" required placeholder=\"نشانی خوراک یا وبگاه\"> "
			    "<input name=\"name\" placeholder=\"نام (دلخواه)\"> <input name=\"category\" placeholder=\"دسته (دلخواه)\"> "
			    "<button>افزودن</button></form><form method=\"post\" action=\"/admin/source/import\">");
	csrf_field(rs, s);
	buf_adds(&rs->body, "<textarea name=\"opml\" rows=\"3\" placeholder=\"OPML\"></textarea> <button>درون‌ریزی OPML</button>"
			    "</form><p><a href=\"/admin/export.opml\">برون‌بری OPML</a></p>"
			    "<table><tr><th>#</th><th>منبع</th><th>وضعیت</th><th>خبرها</th><th>آخرین دریافت</th>"
			    "<th>بررسی بعدی</th><th>آخرین خطا</th><th></th></tr>");
	for (size_t i = 0; i < n; i++)
		source_row(rs, s, &v[i], rq->now);
	buf_adds(&rs->body, "</table><form method=\"post\" action=\"/admin/logout\">");
	csrf_field(rs, s);
	buf_adds(&rs->body, "<button>خروج</button></form>");
	page_end(rs);
}

/* ---------------------------------------------------------------------------------------------
 * Actions
 * ------------------------------------------------------------------------------------------- */

/* redirect: 303 to /admin, which shows msg (when not NULL) once: it waits in the session. */
static void redirect(struct request *rq, struct response *rs, const char *msg)
{
	if (msg)
		session_set_notice(rq, msg);
	rs->status = 303;
	rs->location = "/admin";
	rs->private_page = true;
	buf_adds(&rs->body, "<a href=\"/admin\">/admin</a>");
}

/* redirect_failure: redirect with a message saying what failed (what) and why (why). */
static void redirect_failure(struct request *rq, struct response *rs, const char *what, const char *why)
{
	struct buf m;
	buf_init(&m, 1024);
	buf_addf(&m, "%s: %s", what, why);
	redirect(rq, rs, buf_str(&m));
	buf_release(&m);
}

/* field: a form field of this request's body. */
static const char *field(struct request *rq, const char *name)
{
	return form_value(&rq->arena, rq->body ? rq->body : "", rq->body_len, name);
}

/* do_login: check the password; start a session or say no (slowly after repeated failures). */
static void do_login(struct request *rq, struct response *rs)
{
	const char *pw = field(rq, "password");
	pthread_mutex_lock(&sessions_lock);
	bool locked = failed_logins_until > rq->now;
	pthread_mutex_unlock(&sessions_lock);
	if (locked || !pw || !same_secret(pw, request_admin_password(rq))) {
		pthread_mutex_lock(&sessions_lock);
		if (!locked && ++failed_logins >= 5) {
			failed_logins_until = rq->now + 60;
			failed_logins = 0;
		}
		pthread_mutex_unlock(&sessions_lock);
		rs->status = 403;
		login_page(rs, locked ? "ورودهای ناموفق زیاد بود؛ یک دقیقه دیگر دوباره بکوشید." : "گذرواژه درست نیست.");
		return;
	}
	struct session s;
	if (!session_new(rq->now, &s)) {
		rs->status = 500;
		login_page(rs, "ساختن نشست ممکن نشد.");
		return;
	}
	struct buf c;
	buf_init(&c, 256);
	buf_addf(&c, COOKIE "=%s; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=%d", s.token, SESSION_TTL_S);
	rs->set_cookie = arena_strdup(&rq->arena, buf_str(&c));
	buf_release(&c);
	redirect(rq, rs, NULL);
}

/* do_add: discover the feed behind a URL and add it as a source. */
static void do_add(struct request *rq, struct response *rs)
{
	const char *url = field(rq, "url"), *name = field(rq, "name"), *category = field(rq, "category");
	if (!url || strncmp(url, "http", 4) != 0) {
		redirect(rq, rs, "نشانی باید با http:// یا https:// آغاز شود.");
		return;
	}
	struct discover_list *found = NULL;
	struct ch_error err = { 0 };
	if (discover_feeds(url, NULL, &found, &err) != CH_OK) {
		redirect_failure(rq, rs, "خوراکی پیدا نشد", err.msg);
		return;
	}
	const struct discover_link *feed = &found->links[0];
	struct source src = { .name = name && *name ? name : feed->title && *feed->title ? feed->title : url,
			      .feed_url = feed->url, .site_url = url, .category = category && *category ? category : NULL,
			      .language = "fa" };
	int64_t id = 0;
	enum ch_status s = store_source_add(rq->store, &src, &id, &err);
	struct buf m;
	buf_init(&m, 4096);
	if (s == CH_OK)
		buf_addf(&m, "منبع %lld افزوده شد: %s", (long long)id, feed->url);
	else if (s == CH_ERR_EXISTS)
		buf_addf(&m, "این خوراک پیش‌تر افزوده شده است (منبع %lld): %s", (long long)id, feed->url);
	else
		buf_addf(&m, "افزودن منبع ممکن نشد: %s", err.msg);
	redirect(rq, rs, buf_str(&m));
	buf_release(&m);
	discover_list_free(found);
}

/* do_import: add every feed of a pasted OPML document. */
static void do_import(struct request *rq, struct response *rs)
{
	const char *opml_text = field(rq, "opml");
	struct feed_opml *opml = NULL;
	struct ch_error err = { 0 };
	if (!opml_text || !*opml_text) {
		redirect(rq, rs, "متن OPML را در کادر بچسبانید.");
		return;
	}
	if (feed_opml_parse(opml_text, strlen(opml_text), &opml, &err) != CH_OK) {
		redirect_failure(rq, rs, "این OPML خوانده نشد", err.msg);
		return;
	}
	size_t added = 0, existing = 0, failed = 0;
	struct ch_error first_failure = { 0 };
	for (size_t i = 0; i < opml->n_outlines; i++) {
		const struct feed_outline *o = &opml->outlines[i];
		struct source src = { .name = o->title && *o->title ? o->title : o->xml_url, .feed_url = o->xml_url,
				      .site_url = o->html_url, .category = o->category, .language = "fa" };
		int64_t id;
		struct ch_error e = { 0 };
		enum ch_status st = store_source_add(rq->store, &src, &id, &e);
		if (st == CH_OK)
			added++;
		else if (st == CH_ERR_EXISTS)
			existing++;
		else if (failed++ == 0)
			first_failure = e;
	}
	struct buf m;
	buf_init(&m, 4096);
	if (opml->n_outlines == 0)
		buf_adds(&m, "در این OPML خوراکی (outline با xmlUrl) نبود.");
	else
		buf_addf(&m, "از %zu خوراک: %zu افزوده شد، %zu پیش‌تر بود، %zu افزوده نشد", opml->n_outlines, added,
			 existing, failed);
	if (failed)
		buf_addf(&m, " (%s)", first_failure.msg);
	if (opml->n_outlines)
		buf_adds(&m, ".");
	redirect(rq, rs, buf_str(&m));
	buf_release(&m);
	feed_opml_free(opml);
}

/* find_source: source id from the listing (which counts its articles) into *out; false when
 * there is none. */
static bool find_source(struct request *rq, int64_t id, struct source *out)
{
	struct source *v = NULL;
	size_t n = 0;
	if (store_source_list(rq->store, &rq->arena, &v, &n, NULL) != CH_OK)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id) {
			*out = v[i];
			return true;
		}
	return false;
}

/* confirm_remove: the page that asks before a source and its articles are removed for good
 * (no undo; a button beside "disable" is easy to press by mistake). */
static void confirm_remove(struct response *rs, const struct session *s, const struct source *src)
{
	page_start(rs, "حذف منبع");
	buf_adds(&rs->body, "<h1>حذف منبع</h1><p>«");
	html_escape(&rs->body, src->name, strlen(src->name));
	buf_adds(&rs->body, "» (<small>");
	html_escape(&rs->body, src->feed_url, strlen(src->feed_url));
	buf_adds(&rs->body, "</small>) با ");
	char count[32];
	int n = snprintf(count, sizeof count, "%lld", (long long)src->article_count);
	text_digits_fa(&rs->body, count, (size_t)n);
	buf_addf(&rs->body, " خبرش برای همیشه حذف شود؟ برای نگه‌داشتن خبرها، منبع را غیرفعال کنید.</p>"
			    "<form method=\"post\" action=\"/admin/source/%lld/remove\">", (long long)src->id);
	csrf_field(rs, s);
	buf_adds(&rs->body, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button>حذف شود</button> "
			    "<a href=\"/admin\">انصراف</a></form>");
	page_end(rs);
}

/* do_source_action: /admin/source/{id}/{enable|disable|remove}; remove asks first. */
static void do_source_action(struct request *rq, struct response *rs, const struct session *session,
			     const char *rest)
{
	char action[16] = "";
	long long id = 0;
	struct source src;
	if (sscanf(rest, "%lld/%15s", &id, action) != 2 || id <= 0 ||
	    (strcmp(action, "remove") && strcmp(action, "enable") && strcmp(action, "disable"))) {
		redirect(rq, rs, "درخواست نامعتبر است.");
		return;
	}
	if (!find_source(rq, id, &src)) {
		redirect_failure(rq, rs, "این کار انجام نشد", "چنین منبعی نیست.");
		return;
	}
	const char *confirmed = field(rq, "confirm");
	if (!strcmp(action, "remove") && !(confirmed && !strcmp(confirmed, "1"))) {
		confirm_remove(rs, session, &src);
		return;
	}
	enum ch_status s = !strcmp(action, "remove") ? store_source_remove(rq->store, id, NULL)
						     : store_source_set_enabled(rq->store, id, !strcmp(action, "enable"), NULL);
	const char *done = !strcmp(action, "remove")  ? "حذف شد."
			   : !strcmp(action, "enable") ? "فعال شد و در نوبت بررسی است."
						       : "غیرفعال شد.";
	struct buf m;
	buf_init(&m, 4096);
	buf_addf(&m, "منبع «%s» ", src.name);
	buf_adds(&m, s == CH_OK ? done : "تغییر نکرد: خطای پایگاه داده.");
	redirect(rq, rs, buf_str(&m));
	buf_release(&m);
}

/* export_opml: every source as OPML. */
static void export_opml(struct request *rq, struct response *rs)
{
	struct source *v = NULL;
	size_t n = 0;
	struct feed_outline *o = NULL;
	if (store_source_list(rq->store, &rq->arena, &v, &n, NULL) == CH_OK)
		o = arena_alloc(&rq->arena, (n ? n : 1) * sizeof *o);
	for (size_t i = 0; o && i < n; i++)
		o[i] = (struct feed_outline){ v[i].name, v[i].feed_url, v[i].site_url, v[i].category };
	if (!o || feed_opml_write(&rs->body, "chapar sources", o, n, NULL) != CH_OK) {
		rs->status = 500;
		return;
	}
	rs->content_type = "text/x-opml; charset=utf-8";
	rs->private_page = true;
}

void admin(struct request *rq, struct response *rs)
{
	const char *password = request_admin_password(rq);
	if (!password || !*password) {
		page_error(rq, rs, 404, "بخش مدیریت روشن نیست (admin_password را تنظیم کنید).");
		return;
	}
	rs->private_page = true;
	const char *path = rq->path;
	if (rq->post && !strcmp(path, "/admin/login")) {
		do_login(rq, rs);
		return;
	}
	struct session s;
	if (!session_find(rq, &s)) {
		if (rq->post || strcmp(path, "/admin") != 0)
			rs->status = 403;
		login_page(rs, rq->post ? "نشست شما پایان یافته است؛ دوباره وارد شوید." : NULL);
		return;
	}
	if (!rq->post) {
		if (!strcmp(path, "/admin"))
			dashboard(rq, rs, &s);
		else if (!strcmp(path, "/admin/export.opml"))
			export_opml(rq, rs);
		else
			page_error(rq, rs, 404, "این صفحه پیدا نشد.");
		return;
	}
	const char *csrf = field(rq, "csrf");
	if (!csrf || !same_secret(csrf, s.csrf)) {
		rs->status = 403;
		login_page(rs, "این درخواست از فرم‌های این سایت نیامده است.");
		return;
	}
	if (!strcmp(path, "/admin/logout")) {
		session_end(s.token);
		rs->set_cookie = COOKIE "=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0";
		redirect(rq, rs, NULL);
	} else if (!strcmp(path, "/admin/source/add")) {
		do_add(rq, rs);
	} else if (!strcmp(path, "/admin/source/import")) {
		do_import(rq, rs);
	} else if (!strncmp(path, "/admin/source/", 14)) {
		do_source_action(rq, rs, &s, path + 14);
	} else {
		page_error(rq, rs, 404, "این صفحه پیدا نشد.");
	}
}
