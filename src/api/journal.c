/*
 * journal.c - GET /audit: the audit log entries that concern the
 * caller's company («Журнал»), newest first, by cursor.
 *
 * Parses the page arguments and renders JSON; what a company may read is
 * decided in domain/journal.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/auth.h"
#include "core/clock.h"
#include "domain/journal.h"

#define JOURNAL_LIMIT_DEFAULT	50

/* {id, name} of a company or user, or null for 0. */
static json_t *
journal_ref(int64_t id, const char *name)
{
	char	s[24];

	if (id <= 0)
		return json_null();
	snprintf(s, sizeof(s), "%lld", (long long)id);
	return json_pack("{s:s, s:s}", "id", s, "name", name);
}

/* A stored JSON state as an object, or null (also for damaged text). */
static json_t *
journal_state(const char *text)
{
	json_t	*v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, 0, NULL);
	return v != NULL ? v : json_null();
}

static json_t *
journal_entry_json(const struct journal_entry *j)
{
	char	id[24], at[32];

	snprintf(id, sizeof(id), "%lld", (long long)j->id);
	clock_format_rfc3339(j->at, at);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, "
	    "s:o, s:o, s:o}",
	    "id", id, "at", at, "action", j->action,
	    "object_type", j->object_type, "object_id", j->object_id,
	    "ip", j->ip,
	    "actor", journal_ref(j->actor_user_id, j->actor_name),
	    "actor_company", journal_ref(j->actor_company_id,
	    j->actor_company_name),
	    "company", journal_ref(j->company_id, j->company_name),
	    "other_company", journal_ref(j->other_company_id,
	    j->other_company_name),
	    "before", journal_state(j->before),
	    "after", journal_state(j->after));
}

/* Reads ?after= and ?limit=; -1 with e filled if malformed. */
static int
journal_page_args(struct http_req *req, int64_t *after, int *limit,
    struct err *e)
{
	const char	*a = http_req_query(req, "after");
	const char	*l = http_req_query(req, "limit");
	int64_t		 n;

	*after = 0;
	*limit = JOURNAL_LIMIT_DEFAULT;
	if (a != NULL && a[0] != '\0' && (*after = auth_id(a)) < 0) {
		err_set(e, ERR_INVALID, "after_invalid", "after",
		    "after must be the next_after of the previous page.");
		return -1;
	}
	if (l != NULL && l[0] != '\0') {
		n = auth_id(l);
		if (n < 1 || n > JOURNAL_LIST_MAX) {
			err_set(e, ERR_INVALID, "limit_invalid", "limit",
			    "The limit must be between 1 and %d.",
			    JOURNAL_LIST_MAX);
			return -1;
		}
		*limit = (int)n;
	}
	return 0;
}

/* GET /audit?after=&limit= */
static void
journal_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct session_caller	*who;
	struct journal_entry		*items = NULL;
	struct err			 e;
	int64_t				 after, next = 0;
	size_t				 n = 0, i;
	json_t				*arr;
	char				 s[24];
	int				 limit;

	if ((who = auth_require(req, AUTH_USER)) == NULL)
		return;
	err_clear(&e);
	if (journal_page_args(req, &after, &limit, &e) != 0 ||
	    journal_list(app, &who->actor, after, limit, &items, &n, &next,
	    &e) != 0) {
		http_reply_error(req, &e);
		return;
	}

	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, journal_entry_json(&items[i]));
	journal_free(items, n);
	snprintf(s, sizeof(s), "%lld", (long long)next);
	http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", arr,
	    "next_after", next > 0 ? json_string(s) : json_null()));
}

void
api_journal_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/audit", journal_handler, HTTP_NO_STORE);
}
