/*
 * feed.c - what a supplier's own system reads with an API key of scope
 * read: the consolidated feed of documents (/feed), its named consumers
 * (/feed/consumers) and the list of its distributors (/distributors).
 *
 * The feed is written row by row with the streaming writer and sent
 * gzip-compressed when asked.  Parses, calls domain/feed.h and
 * domain/network.h, renders; the supplier is the key's company.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/exchange.h"
#include "core/clock.h"
#include "domain/feed.h"
#include "domain/network.h"

#define DISTRIBUTORS_DEFAULT	100

/* Writes one document of the feed. */
static int
feed_item_json(const struct store_feed_row *f, void *arg)
{
	struct jsonw	*w = arg;

	jsonw_object_begin(w);
	jsonw_kid(w, "position", f->position);
	jsonw_kid(w, "id", f->id);
	jsonw_kstring(w, "uuid", f->uuid);
	jsonw_kstring(w, "kind", f->kind);
	jsonw_ktime(w, "received_at", f->received_at);
	jsonw_key(w, "distributor");
	jsonw_object_begin(w);
	jsonw_kid(w, "id", f->distributor_id);
	/* A supplier's own sales network has no code. */
	jsonw_key(w, "code");
	if (f->distributor_code > 0)
		jsonw_id(w, f->distributor_code);
	else
		jsonw_null(w);
	jsonw_kstring(w, "name", f->distributor_name);
	jsonw_object_end(w);
	jsonw_kstring(w, "source", f->from_system ? "system" : "device");
	jsonw_key(w, "licence");
	if (f->licence_number[0] != '\0')
		jsonw_string(w, f->licence_number);
	else
		jsonw_null(w);
	jsonw_key(w, "device");
	if (f->device_mdm_id[0] != '\0') {
		jsonw_object_begin(w);
		jsonw_kstring(w, "mdm_id", f->device_mdm_id);
		jsonw_object_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kstring(w, "agent", f->agent);
	jsonw_key(w, "document");
	jsonw_raw(w, f->body, f->body_len);
	jsonw_object_end(w);
	return 0;
}

/* GET /feed?after=&limit= */
static void
feed_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct feed_page		 pg;
	struct buf			 b;
	struct jsonw			 w;
	struct err			 e;
	int64_t				 after;
	int				 limit;

	if ((k = exchange_apikey(req, APIKEY_READ)) == NULL ||
	    exchange_page(req, FEED_LIMIT_DEFAULT, FEED_LIMIT_MAX, &after,
	    &limit) != 0)
		return;
	err_clear(&e);
	buf_init(&b, EXCHANGE_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	if (feed_read(app, k->company_id, after, limit, &b, feed_item_json,
	    &w, &pg, &e) != 0) {
		buf_release(&b);
		http_reply_error(req, &e);
		return;
	}
	jsonw_array_end(&w);
	jsonw_kid(&w, "next_after", pg.last);
	jsonw_kbool(&w, "more", pg.more);
	jsonw_kid(&w, "head", pg.head > pg.last ? pg.head : pg.last);
	jsonw_object_end(&w);
	exchange_reply(req, 200, &w, &b);
}

/* A consumer as JSON. */
static json_t *
feed_consumer_json(const struct feed_consumer *c)
{
	char	pos[24], t1[32], t2[32];

	snprintf(pos, sizeof(pos), "%lld", (long long)c->row.position);
	clock_format_rfc3339(c->row.created_at, t1);
	clock_format_rfc3339(c->row.updated_at, t2);
	return json_pack("{s:s, s:s, s:I, s:s, s:s}", "name", c->row.name,
	    "position", pos, "lag", (json_int_t)c->lag, "created_at", t1,
	    "updated_at", t2);
}

/* GET /feed/consumers */
static void
feed_consumers_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct feed_consumer		*items = NULL;
	struct err			 e;
	json_t				*arr;
	size_t				 n = 0, i;
	int64_t				 head;
	char				 h[24];

	if ((k = exchange_apikey(req, APIKEY_READ)) == NULL)
		return;
	err_clear(&e);
	if (feed_consumers(app, k->company_id, &items, &n, &head, &e) != 0) {
		http_reply_error(req, &e);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, feed_consumer_json(&items[i]));
	snprintf(h, sizeof(h), "%lld", (long long)head);
	http_reply_json(req, 200, json_pack("{s:o, s:s}", "items", arr,
	    "head", h));

out:
	free(items);
}

/* GET /feed/consumers/{name} */
static void
feed_consumer_show(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct feed_consumer		 c;
	struct err			 e;

	if ((k = exchange_apikey(req, APIKEY_READ)) == NULL)
		return;
	err_clear(&e);
	if (feed_consumer_get(app, k->company_id, http_req_param(req, "name"),
	    &c, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, feed_consumer_json(&c));
}

/* Reads the position to commit: a decimal string or a whole number. */
static int
feed_position_arg(json_t *o, int64_t *pos, struct err *e)
{
	json_t		*v = json_object_get(o, "position");
	const char	*s = json_string_value(v);

	*pos = -1;
	if (json_is_integer(v))
		*pos = json_integer_value(v);
	else if (s != NULL)
		*pos = strcmp(s, "0") == 0 ? 0 : auth_id(s);
	if (*pos >= 0)
		return 0;
	err_set(e, ERR_INVALID, v == NULL ? "field_required" :
	    "field_invalid", "position", "position must be a position of "
	    "the feed, such as next_after of a page.");
	return -1;
}

/* PUT /feed/consumers/{name} {position} */
static void
feed_consumer_put(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct feed_consumer		 c;
	struct err			 e;
	json_t				*o;
	int64_t				 pos;

	if ((k = exchange_apikey(req, APIKEY_READ)) == NULL ||
	    (o = auth_body(req)) == NULL)
		return;
	err_clear(&e);
	if (feed_position_arg(o, &pos, &e) != 0 ||
	    feed_consumer_commit(app, k->company_id, k->key_id,
	    http_req_param(req, "name"), pos, &c, &e) != 0)
		http_reply_error(req, &e);
	else
		http_reply_json(req, 200, feed_consumer_json(&c));
}

/* One distributor as the supplier's system sees it. */
static json_t *
distributor_json(const struct network_link *nl)
{
	const struct store_link	*l = &nl->row;
	char			 code[16], id[24], did[24], since[32];

	snprintf(code, sizeof(code), "%lld", (long long)l->code);
	snprintf(id, sizeof(id), "%lld", (long long)l->id);
	snprintf(did, sizeof(did), "%lld", (long long)l->distributor_id);
	clock_format_rfc3339(l->accepted_at, since);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:o}",
	    "id", id, "code", code, "name", l->name, "status", nl->status,
	    "distributor", l->distributor_id > 0 ? json_pack("{s:s, s:s}",
	    "id", did, "name", l->distributor_name) : json_null(),
	    "licences_in_service", (json_int_t)nl->licences,
	    "since", l->accepted_at > 0 ? json_string(since) : json_null());
}

/* GET /distributors?after=&limit= */
static void
distributors_handler(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct apikey_caller	*k;
	struct network_link		*items = NULL;
	struct actor			 who = { .role = ROLE_MEMBER };
	struct err			 e;
	json_t				*arr;
	int64_t				 after;
	size_t				 n = 0, i;
	bool				 more = false;
	int				 limit;

	if ((k = exchange_apikey(req, APIKEY_READ)) == NULL ||
	    exchange_page(req, DISTRIBUTORS_DEFAULT, NETWORK_LIST_MAX, &after,
	    &limit) != 0)
		return;
	err_clear(&e);
	who.company_id = k->company_id;
	if (network_list(app, &who, after, limit, &items, &n, &more, &e) !=
	    0) {
		http_reply_error(req, &e);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, distributor_json(&items[i]));
	http_reply_json(req, 200, exchange_page_json(arr, more,
	    n > 0 ? items[n - 1].row.id : 0));

out:
	free(items);
}

void
api_feed_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/feed", feed_handler, HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/feed/consumers", feed_consumers_handler,
	    HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/feed/consumers/{name}",
	    feed_consumer_show, HTTP_NO_STORE);
	http_route(r, "PUT", "/api/v1/feed/consumers/{name}",
	    feed_consumer_put, HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/distributors", distributors_handler,
	    HTTP_NO_STORE);
}
