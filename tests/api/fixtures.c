/*
 * fixtures.c - the setup the API tests share: sessions, companies and
 * users, mail tokens, network links and racing requests.  It checks
 * nothing itself: each builder reports failure as false and the test
 * turns it into an EXPECT.  What it allocates goes to the harness, but
 * for the JSON of fx_admin, which its caller drops.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fixtures.h"

#define TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789-_"

/* --- names and JSON -------------------------------------------------- */

const char *
fx_env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

bool
fx_have_env(void)
{
	return fx_env("TOBMEN_TEST_BIN") && fx_env("TOBMEN_TEST_DB") &&
	    fx_env("TOBMEN_TEST_MAIL_DIR");
}

const char *
fx_uniq(const char *tag)
{
	static unsigned	n;

	return api_strdup_printf("%s-%ld-%u-%ld", tag, (long)getpid(), ++n,
	    (long)time(NULL) % 100000);
}

const char *
fx_uniq_email(const char *tag)
{
	return api_strdup_printf("%s@example.com", fx_uniq(tag));
}

const char *
fx_sget(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "";
}

const char *
fx_jstr(const struct api_resp *r, const char *key)
{
	return fx_sget(r->json, key);
}

long long
fx_jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* --- sessions -------------------------------------------------------- */

bool
fx_cookie_of(const struct api_resp *r, char *out, size_t n)
{
	const char	*c = api_header(r, "Set-Cookie");

	if (c == NULL || strncmp(c, "tobmen_session=", 15) != 0)
		return false;
	snprintf(out, n, "%.*s", (int)strcspn(c + 15, ";"), c + 15);
	return true;
}

bool
fx_sess_from(const struct api_resp *r, struct fx_sess *s)
{
	json_t	*u = json_object_get(r->json, "user");
	json_t	*c = json_object_get(r->json, "company");
	json_t	*t = json_object_get(r->json, "csrf_token");

	if (!json_is_string(t) ||
	    !fx_cookie_of(r, s->cookie, sizeof(s->cookie)))
		return false;
	snprintf(s->csrf, sizeof(s->csrf), "%s", json_string_value(t));
	snprintf(s->user_id, sizeof(s->user_id), "%s", fx_sget(u, "id"));
	snprintf(s->company_id, sizeof(s->company_id), "%s",
	    fx_sget(c, "id"));
	snprintf(s->email, sizeof(s->email), "%s", fx_sget(u, "email"));
	return true;
}

struct api_resp *
fx_call_x(const struct fx_sess *s, const char *method, const char *path,
    const char *json, const char *extra)
{
	const char	*h[5];
	int		 n = 0;

	h[n++] = api_strdup_printf("Cookie: tobmen_session=%s", s->cookie);
	h[n++] = api_strdup_printf("X-CSRF-Token: %s", s->csrf);
	h[n++] = "Content-Type: application/json";
	if (extra != NULL)
		h[n++] = extra;
	h[n] = NULL;
	return api_request(method, path, h, json, json ? strlen(json) : 0);
}

struct api_resp *
fx_call(const struct fx_sess *s, const char *method, const char *path,
    const char *json)
{
	return fx_call_x(s, method, path, json, NULL);
}

struct api_resp *
fx_get_as(const struct fx_sess *s, const char *path)
{
	const char	*h[2];

	h[0] = api_strdup_printf("Cookie: tobmen_session=%s", s->cookie);
	h[1] = NULL;
	return api_request("GET", path, h, NULL, 0);
}

bool
fx_clock_set(long long offset_ms)
{
	char	*b = api_strdup_printf("{\"offset_ms\":%lld}", offset_ms);

	return api_send_json("POST", "/api/v1/test/clock", b)->status == 200;
}

long long
fx_clock_get(void)
{
	struct api_resp	*r = api_get("/api/v1/test/clock");

	return fx_jint(r->json, "offset_ms");
}

struct api_resp *
fx_register(const char *company, const char *email, struct fx_sess *s)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/auth/register", api_strdup_printf(
	    "{\"company_name\":\"ООО %s\",\"inn\":\"%s\",\"name\":"
	    "\"Анна Тестова\",\"email\":\"%s\",\"password\":\"%s\","
	    "\"lang\":\"ru\"}", company, FX_VALID_INN, email, FX_PASSWORD));
	if (r->status == 201 && s != NULL && !fx_sess_from(r, s))
		r->status = 599;
	return r;
}

struct api_resp *
fx_login(const char *email, const char *password, bool remember,
    struct fx_sess *s)
{
	struct api_resp	*r;

	r = api_send_json("POST", "/api/v1/auth/login", api_strdup_printf(
	    "{\"email\":\"%s\",\"password\":\"%s\",\"remember\":%s}",
	    email, password, remember ? "true" : "false"));
	if (r->status == 200 && s != NULL && !fx_sess_from(r, s))
		r->status = 599;
	return r;
}

bool
fx_sign_in(const char *email, bool remember, struct fx_sess *s)
{
	return fx_login(email, FX_PASSWORD, remember, s)->status == 200;
}

/* --- mail ------------------------------------------------------------ */

const char *
fx_mail_dir(void)
{
	return fx_env("TOBMEN_TEST_MAIL_DIR");
}

/* A whole file as a string the harness frees, or NULL. */
static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*s;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = api_keep(calloc(1, (size_t)n + 1));
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

/* Decodes the base64 in s (n bytes, line breaks skipped). */
static char *
unbase64(const char *s, size_t n)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out = api_keep(calloc(1, n + 1));
	const char		*p;
	unsigned		 acc = 0;
	int			 bits = 0;
	size_t			 o = 0, i;

	for (i = 0; i < n && s[i] != '\0' && s[i] != '='; i++) {
		if ((p = strchr(al, s[i])) == NULL)
			continue;
		acc = (acc << 6) | (unsigned)(p - al);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	return out;
}

/* The decoded text/plain part of a mail, or "". */
static const char *
mail_text(const char *eml)
{
	const char	*p = strstr(eml, "Content-Type: text/plain");
	const char	*end;

	if (p == NULL || (p = strstr(p, "\r\n\r\n")) == NULL)
		return "";
	p += 4;
	end = strstr(p, "\r\n--");
	return unbase64(p, end != NULL ? (size_t)(end - p) : strlen(p));
}

/* The outbox id at the end of a mail's file name ("...-42.eml"). */
static long
mail_seq(const char *name)
{
	const char	*dash = strrchr(name, '-');

	return dash != NULL ? strtol(dash + 1, NULL, 10) : 0;
}

/* The next mail in d addressed to `to` (raw), its file name in *name;
 * NULL at the end of the folder. */
static const char *
mail_next(DIR *d, const char *to, const char **name)
{
	const char	*want = api_strdup_printf("\r\nTo: <%s>", to);
	struct dirent	*de;
	char		*raw;

	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 ||
		    strcmp(de->d_name + len - 4, ".eml") != 0)
			continue;
		raw = slurp(api_strdup_printf("%s/%s", fx_mail_dir(),
		    de->d_name));
		if (raw == NULL || strstr(raw, want) == NULL)
			continue;
		*name = api_strdup_printf("%s", de->d_name);
		return raw;
	}
	return NULL;
}

int
fx_mail_scan(const char *to, const char **newest)
{
	const char	*raw, *name, *best = NULL;
	long		 seq = -1;
	int		 n = 0;
	DIR		*d;

	if (fx_mail_dir() == NULL || (d = opendir(fx_mail_dir())) == NULL)
		return 0;
	while ((raw = mail_next(d, to, &name)) != NULL) {
		n++;
		if (mail_seq(name) > seq) {
			seq = mail_seq(name);
			best = raw;
		}
	}
	closedir(d);
	if (newest != NULL)
		*newest = best != NULL ? mail_text(best) : "";
	return n;
}

/* Copies the token that follows key in text into out; false if text
 * does not hold key. */
static bool
token_after(const char *text, const char *key, char *out, size_t n)
{
	const char	*p = strstr(text, key);

	if (p == NULL)
		return false;
	p += strlen(key);
	snprintf(out, n, "%.*s", (int)strspn(p, TOKEN_CHARS), p);
	return true;
}

bool
fx_mail_wait(const char *to, int had, const char *key, char *out,
    size_t n, const char **text)
{
	const char	*t = NULL;
	int		 i;

	for (i = 0; i < 200; i++) {
		if (fx_mail_scan(to, &t) > had &&
		    token_after(t, key, out, n)) {
			if (text != NULL)
				*text = t;
			return true;
		}
		usleep(100 * 1000);
	}
	return false;
}

/* Looks once through the folder for a mail to `to` holding key. */
static bool
mail_find(const char *to, const char *key, char *out, size_t n)
{
	const char	*raw, *name;
	bool		 found = false;
	DIR		*d;

	if (fx_mail_dir() == NULL || (d = opendir(fx_mail_dir())) == NULL)
		return false;
	while (!found && (raw = mail_next(d, to, &name)) != NULL)
		found = token_after(mail_text(raw), key, out, n);
	closedir(d);
	return found;
}

bool
fx_mail_token(const char *to, const char *key, char *out, size_t n)
{
	int	i;

	for (i = 0; i < 300; i++) {
		if (mail_find(to, key, out, n))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* --- the operator's command line ------------------------------------- */

/* Runs cmd; all it printed (kept by the harness), its status in *rc;
 * NULL if it could not start. */
static const char *
run(const char *cmd, int *rc)
{
	char	*out = NULL;
	size_t	 len = 0, cap = 0, got;
	FILE	*p;

	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	do {
		if (len + 65536 + 1 > cap) {
			cap = (cap + 65536) * 2;
			if ((out = realloc(out, cap)) == NULL)
				abort();
		}
		got = fread(out + len, 1, 65536, p);
		len += got;
	} while (got > 0);
	out[len] = '\0';
	*rc = pclose(p);
	return api_keep(out);
}

const char *
fx_cli(const char *args, bool json, int *rc)
{
	return run(api_strdup_printf("'%s' admin %s --db '%s'%s 2>&1",
	    fx_env("TOBMEN_TEST_BIN"), args, fx_env("TOBMEN_TEST_DB"),
	    json ? " --json" : ""), rc);
}

json_t *
fx_admin(const char *args)
{
	const char	*out;
	int		 rc;

	out = run(api_strdup_printf("'%s' admin %s --db '%s' --json "
	    "2>/dev/null", fx_env("TOBMEN_TEST_BIN"), args,
	    fx_env("TOBMEN_TEST_DB")), &rc);
	if (out == NULL || rc != 0)
		return NULL;
	return json_loads(out, 0, NULL);
}

const char *
fx_admin_id(const char *args)
{
	const char	*id = NULL;
	json_t		*j = fx_admin(args);

	if (j != NULL && fx_sget(j, "id")[0] != '\0')
		id = api_strdup_printf("%s", fx_sget(j, "id"));
	json_decref(j);
	return id;
}

/* --- companies, users, links ----------------------------------------- */

bool
fx_activate(const char *email, struct fx_sess *s)
{
	struct api_resp	*r;
	char		 tok[64];

	if (!fx_mail_wait(email, 0, "token=", tok, sizeof(tok), NULL))
		return false;
	r = api_send_json("POST", "/api/v1/auth/password/reset",
	    api_strdup_printf("{\"token\":\"%s\",\"password\":\"%s\"}", tok,
	    FX_PASSWORD));
	return r->status == 204 && fx_sign_in(email, false, s);
}

bool
fx_user_new(const char *company_id, const char *email, const char *role,
    struct fx_sess *s)
{
	if (email == NULL)
		email = fx_uniq_email("user");
	if (fx_admin_id(api_strdup_printf("user add --company %s --email %s "
	    "--name Тест --role %s", company_id, email, role)) == NULL)
		return false;
	return fx_activate(email, s);
}

bool
fx_company_new(const char *tag, const char *flags, struct fx_sess *s)
{
	const char	*id;

	id = fx_admin_id(api_strdup_printf("company add --name 'ООО %s' %s",
	    fx_uniq(tag), flags));
	return id != NULL && fx_user_new(id, fx_uniq_email(tag), "owner", s);
}

bool
fx_supplier_new(const char *tag, bool both, struct fx_sess *s)
{
	return fx_company_new(tag, both ? "--supplier --distributor" :
	    "--supplier", s);
}

bool
fx_distributor_new(const char *tag, struct fx_sess *s)
{
	return fx_register(fx_uniq(tag), fx_uniq_email(tag), s)->status ==
	    201;
}

bool
fx_link_new(const struct fx_sess *s, const struct fx_sess *d,
    const char *email, struct api_resp **invited,
    struct api_resp **accepted)
{
	struct api_resp	*r;
	char		 tok[64];

	if (email == NULL)
		email = fx_uniq_email("inv");
	r = fx_call(s, "POST", "/api/v1/network/distributors",
	    api_strdup_printf("{\"name\":\"Дистрибьютор\",\"email\":\"%s\"}",
	    email));
	if (invited != NULL)
		*invited = r;
	if (r->status != 201 ||
	    !fx_mail_token(email, "invite=", tok, sizeof(tok)))
		return false;
	r = fx_call(d, "POST", api_strdup_printf(
	    "/api/v1/invitations/%s/accept", tok), "{}");
	if (accepted != NULL)
		*accepted = r;
	return r->status == 200;
}

/* --- races ----------------------------------------------------------- */

/* Keeps what fits of the answer in the racer's out. */
static size_t
racer_sink(char *p, size_t size, size_t n, void *arg)
{
	struct fx_racer	*r = arg;
	size_t		 k = size * n, room = sizeof(r->out) - 1 - r->len;

	memcpy(r->out + r->len, p, k < room ? k : room);
	r->len += k < room ? k : room;
	r->out[r->len] = '\0';
	return k;
}

void *
fx_racer_run(void *arg)
{
	struct fx_racer		*r = arg;
	struct curl_slist	*h = NULL;
	CURL			*c = curl_easy_init();
	size_t			 i;

	for (i = 0; r->headers[i] != NULL; i++)
		h = curl_slist_append(h, r->headers[i]);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, racer_sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	pthread_barrier_wait(r->go);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return NULL;
}
