/*
 * users.c - the company's users («Администрирование») and the caller's
 * own profile: GET/POST /users, GET/PATCH /users/{id}, PATCH /me.
 *
 * Lookups are by (session's company, id): another company's user id is
 * 404.  The rules are in domain/account.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/log.h"
#include "domain/account.h"

#define USERS_LIMIT_DEFAULT	50

/* Logs event about user id. */
static void
users_log(const char *event, int64_t id)
{
	char	user[24];

	snprintf(user, sizeof(user), "%lld", (long long)id);
	log_event(LOG_INFO, event, "user", user, NULL);
}

/* Reads ?after= and ?limit=; -1 with e filled if malformed. */
static int
users_page_args(struct http_req *req, int64_t *after, int *limit,
    struct err *e)
{
	const char	*a = http_req_query(req, "after");
	const char	*l = http_req_query(req, "limit");
	int64_t		 n;

	*after = 0;
	*limit = USERS_LIMIT_DEFAULT;
	if (a != NULL && a[0] != '\0' && (*after = auth_id(a)) < 0) {
		err_set(e, ERR_INVALID, "after_invalid", "after",
		    "after must be a user id.");
		return -1;
	}
	if (l != NULL && l[0] != '\0') {
		n = auth_id(l);
		if (n < 1 || n > 200) {
			err_set(e, ERR_INVALID, "limit_invalid", "limit",
			    "The limit must be between 1 and 200.");
			return -1;
		}
		*limit = (int)n;
	}
	return 0;
}

/* Builds {items, next_after} from a page of users. */
static json_t *
users_page_json(const struct store_user *items, size_t n, bool more)
{
	json_t	*arr = json_array();
	char	 next[24];
	size_t	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, auth_user_json(&items[i]));
	if (!more || n == 0)
		return json_pack("{s:o, s:n}", "items", arr, "next_after");
	snprintf(next, sizeof(next), "%lld", (long long)items[n - 1].id);
	return json_pack("{s:o, s:s}", "items", arr, "next_after", next);
}

/* GET /users?after=&limit= */
static void
users_list(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_user		*items = NULL;
	struct err			 e;
	int64_t				 after;
	size_t				 n;
	bool				 more;
	int				 limit;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (users_page_args(req, &after, &limit, &e) != 0 ||
	    account_list(app, &who->actor, after, limit, &items, &n, &more,
	    &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, users_page_json(items, n, more));
	free(items);
}

/* POST /users {email, name, role, lang?} */
static void
users_add(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct account_new		 in = { .email = NULL };
	struct store_user		 u;
	struct err			 e;
	json_t				*o;

	if ((who = auth_require(req, AUTH_MANAGER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (auth_str(o, "email", true, &in.email, &e) != 0 ||
	    auth_str(o, "name", false, &in.name, &e) != 0 ||
	    auth_str(o, "role", false, &in.role, &e) != 0 ||
	    auth_str(o, "lang", false, &in.lang, &e) != 0 ||
	    account_add(app, &who->actor, &in, &u, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	users_log("user.created", u.id);
	http_reply_json(req, 201, auth_user_json(&u));
}

/* Reads {id} of the path; 404 for anything that is not an id. */
static int64_t
users_path_id(struct http_req *req)
{
	int64_t		id = auth_id(http_req_param(req, "id"));
	struct err	e;

	if (id > 0)
		return id;
	err_set(&e, ERR_NOTFOUND, "user_not_found", NULL, "No such user.");
	http_reply_error(req, &e);
	return -1;
}

/* GET /users/{id} */
static void
users_show(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct store_user		 u;
	struct err			 e;
	int64_t				 id;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (id = users_path_id(req)) < 0)
		return;
	err_clear(&e);
	if (account_get(app, &who->actor, id, &u, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, auth_user_json(&u));
}

/* Reads the fields of a user change present in o. */
static int
users_patch_parse(json_t *o, struct account_patch *p, struct err *e)
{
	if (auth_str(o, "name", false, &p->name, e) != 0 ||
	    auth_str(o, "role", false, &p->role, e) != 0 ||
	    auth_str(o, "lang", false, &p->lang, e) != 0 ||
	    auth_bool(o, "disabled", &p->disabled, e) != 0)
		return -1;
	return 0;
}

/* PATCH /users/{id} {name?, role?, disabled?, lang?} */
static void
users_edit(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct account_patch		 p = { .disabled = -1 };
	struct store_user		 u;
	struct err			 e;
	json_t				*o;
	int64_t				 id;

	if ((who = auth_require(req, AUTH_MANAGER)) == NULL ||
	    (id = users_path_id(req)) < 0 || (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (users_patch_parse(o, &p, &e) != 0 ||
	    account_update(app, &who->actor, id, &p, &u, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	users_log(p.disabled == 1 ? "user.disabled" : "user.updated", u.id);
	http_reply_json(req, 200, auth_user_json(&u));
}

/* PATCH /me {name?, lang?} */
static void
users_edit_self(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct account_patch		 p = { .disabled = -1 };
	struct store_user		 u;
	struct err			 e;
	json_t				*o;

	if ((who = auth_require(req, AUTH_USER)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (users_patch_parse(o, &p, &e) != 0 ||
	    account_update_self(app, &who->actor, &p, &u, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	users_log("user.updated", u.id);
	http_reply_json(req, 200, auth_user_json(&u));
}

void
api_users_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/users", users_list, HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/users", users_add,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/users/{id}", users_show, HTTP_NO_STORE);
	http_route(r, "PATCH", "/api/v1/users/{id}", users_edit,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "PATCH", "/api/v1/me", users_edit_self,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
}
