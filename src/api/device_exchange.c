/*
 * device_exchange.c - what a phone exchanges with the service once it is
 * activated: uploading documents (/device/documents), and downloading and
 * acknowledging its suppliers' packages (/device/packages).  A
 * distributor's own system uploads the same way with an API key
 * (/distributor/documents).
 *
 * Parses, calls domain/exchange.h and domain/package.h, renders JSON with
 * the streaming writer.  The distributor is the token's, never the
 * request's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/exchange.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/exchange.h"
#include "domain/network.h"
#include "domain/package.h"

#define DEVICE_PACKAGES_DEFAULT	20
#define DEVICE_PACKAGES_MAX	100

/* Reads the supplier of an upload: supplier_id, or supplier_code (the
 * distributor's code in the supplier's network).  -1 with e filled. */
static int
upload_supplier(json_t *o, int64_t *id, int64_t *code, struct err *e)
{
	json_t		*v = json_object_get(o, "supplier_code");
	const char	*s = NULL;
	char		 buf[24];

	*code = 0;
	if ((*id = exchange_json_id(o, "supplier_id", e)) < 0)
		return -1;
	if (*id > 0)
		return 0;
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		s = buf;
	} else if (auth_str(o, "supplier_code", false, &s, e) != 0) {
		return -1;
	}
	if (s == NULL) {
		err_set(e, ERR_INVALID, "field_required", "supplier_id",
		    "Name the supplier by supplier_id or supplier_code.");
		return -1;
	}
	if (network_code_parse(s, code, e) != 0) {
		snprintf(e->field, sizeof(e->field), "supplier_code");
		return -1;
	}
	return 0;
}

/* A scalar of the body as jansson would hold it; a container stands in
 * empty, as the supplier's members only care for its type. */
static json_t *
upload_json_of(const struct jval *v)
{
	switch (v->type) {
	case JVAL_NULL:
		return json_null();
	case JVAL_FALSE:
		return json_false();
	case JVAL_TRUE:
		return json_true();
	case JVAL_INT:
		return json_integer(v->i);
	case JVAL_REAL:
		return json_real(v->d);
	case JVAL_STRING:
		return json_stringn_nocheck(v->str.s, v->str.len);
	case JVAL_OBJECT:
		return json_object();
	case JVAL_ARRAY:
		return json_array();
	}
	return json_null();
}

/* The members that name the supplier, as upload_supplier reads them. */
static json_t *
upload_head(const struct jval *o)
{
	static const char *const keys[] = { "supplier_id", "supplier_code" };
	const struct jval	*v;
	json_t			*head = json_object();
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if ((v = jval_get(o, keys[i])) != NULL)
			json_object_set_new(head, keys[i], upload_json_of(v));
	return head;
}

/* The body as a tree, an object; NULL after replying. */
static const struct jval *
upload_body(struct http_req *req)
{
	const struct jval	*o;
	struct err		 e;

	err_clear(&e);
	o = http_req_tree(req, &e);
	if (o != NULL && o->type != JVAL_OBJECT) {
		err_set(&e, ERR_INVALID, "invalid_json", NULL,
		    "The body must be a JSON object.");
		o = NULL;
	}
	if (o == NULL)
		http_reply_error(req, &e);
	return o;
}

/* Writes one document's answer. */
static void
upload_result_json(struct jsonw *w, const struct exchange_result *r)
{
	jsonw_object_begin(w);
	jsonw_kint(w, "index", (int64_t)r->index);
	jsonw_key(w, "uuid");
	if (r->uuid[0] != '\0')
		jsonw_string(w, r->uuid);
	else
		jsonw_null(w);
	jsonw_kstring(w, "status", exchange_status_name(r->status));
	if (r->status == EXCHANGE_STORED || r->status == EXCHANGE_DUPLICATE) {
		jsonw_kid(w, "id", r->id);
		jsonw_kid(w, "position", r->position);
		jsonw_ktime(w, "received_at", r->received_at);
	} else {
		jsonw_key(w, "error");
		jsonw_object_begin(w);
		jsonw_kstring(w, "code", r->err.id);
		jsonw_kstring(w, "message", r->err.msg);
		if (r->err.field[0] != '\0')
			jsonw_kstring(w, "field", r->err.field);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
}

/* Sends the answer of an upload. */
static void
upload_reply(struct http_req *req, const struct exchange_upload *u)
{
	struct buf	b;
	struct jsonw	w;
	char		code[16];
	size_t		i;

	snprintf(code, sizeof(code), "%lld", (long long)u->link.code);
	buf_init(&b, EXCHANGE_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "supplier");
	jsonw_object_begin(&w);
	jsonw_kid(&w, "id", u->link.supplier_id);
	jsonw_kstring(&w, "name", u->link.supplier_name);
	jsonw_key(&w, "code");
	if (u->link.code > 0)
		jsonw_string(&w, code);
	else
		jsonw_null(&w);
	jsonw_object_end(&w);
	jsonw_kint(&w, "stored", (int64_t)u->count[EXCHANGE_STORED]);
	jsonw_kint(&w, "duplicates", (int64_t)u->count[EXCHANGE_DUPLICATE]);
	jsonw_kint(&w, "conflicts", (int64_t)u->count[EXCHANGE_CONFLICT]);
	jsonw_kint(&w, "rejected", (int64_t)u->count[EXCHANGE_REJECTED]);
	jsonw_key(&w, "results");
	jsonw_array_begin(&w);
	for (i = 0; i < u->n; i++)
		upload_result_json(&w, &u->results[i]);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	exchange_reply(req, 200, &w, &b);
}

/* Logs what an upload did, one line. */
static void
upload_log(const char *source, const struct exchange_upload *u)
{
	char	sup[24], n[4][24];
	int	i;

	snprintf(sup, sizeof(sup), "%lld", (long long)u->link.supplier_id);
	for (i = 0; i < 4; i++)
		snprintf(n[i], sizeof(n[i]), "%zu", u->count[i]);
	log_event(LOG_INFO, "exchange.upload", "source", source, "supplier",
	    sup, "stored", n[EXCHANGE_STORED], "duplicates",
	    n[EXCHANGE_DUPLICATE], "conflicts", n[EXCHANGE_CONFLICT],
	    "rejected", n[EXCHANGE_REJECTED], NULL);
}

/* An upload waiting for the writer's commit, in the request's arena:
 * everything the job borrows lives here or in the request. */
struct upload_wait {
	struct http_req		*req;
	struct exchange_sender	 s;
	struct exchange_job	*job;
	struct exchange_upload	 u;
	struct err		 e;
	int			 rc;
};

/* Answers an upload that ran; rc and e as exchange_upload gives them. */
static void
upload_finish(struct http_req *req, const struct exchange_sender *s, int rc,
    struct exchange_upload *u, const struct err *e)
{
	if (rc != 0) {
		http_reply_error(req, e);
	} else {
		upload_log(s->source == DOCUMENT_FROM_DEVICE ? "device" :
		    "system", u);
		upload_reply(req, u);
	}
	exchange_upload_release(u);
}

/* The writer's thread: the group holding this upload committed or
 * failed. */
static void
upload_done(void *arg, int rc)
{
	struct upload_wait	*w = arg;

	w->rc = rc;
	http_req_unpark(w->req);
}

/* A server thread again, once the writer resumed the request. */
static void
upload_resume(struct http_req *req, void *arg)
{
	struct upload_wait	*w = arg;

	exchange_job_free(w->job);
	w->job = NULL;
	upload_finish(req, &w->s, w->rc, &w->u, &w->e);
}

/*
 * The upload common to phones and systems.  The documents are checked
 * here; storing them waits for the writer's next group commit with the
 * request parked, so the server's threads keep serving meanwhile.
 */
static void
upload_run(struct http_req *req, const struct exchange_sender *s)
{
	const struct app	*app = http_req_app(req);
	const struct jval	*o;
	struct upload_wait	*w;
	int64_t			 supplier_id, code;
	json_t			*head;
	int			 rc;

	if ((o = upload_body(req)) == NULL)
		return;
	w = arena_alloc(http_req_arena(req), sizeof(*w));
	w->req = req;
	w->s = *s;
	err_clear(&w->e);
	head = upload_head(o);
	rc = upload_supplier(head, &supplier_id, &code, &w->e);
	json_decref(head);
	if (rc != 0) {
		http_reply_error(req, &w->e);
		return;
	}
	w->job = exchange_job_read(&w->s, supplier_id, code,
	    jval_get(o, "documents"), &w->u, &w->e);
	if (w->job == NULL) {
		upload_finish(req, s, -1, &w->u, &w->e);
		return;
	}

	http_req_park(req, upload_resume, w);
	exchange_writer_submit(app->exchange, w->job, upload_done, w);
}

/* POST /device/documents {supplier_id | supplier_code, documents} */
static void
device_documents(struct http_req *req)
{
	const struct device_caller	*d;
	struct exchange_sender		 s = {
		.source = DOCUMENT_FROM_DEVICE,
	};

	if ((d = exchange_device(req)) == NULL)
		return;
	s.distributor_id = d->company_id;
	s.device = d;
	upload_run(req, &s);
}

/* POST /distributor/documents {supplier_id | supplier_code, documents}
 * with an API key of scope send. */
static void
distributor_documents(struct http_req *req)
{
	const struct apikey_caller	*k;
	struct exchange_sender		 s = {
		.source = DOCUMENT_FROM_SYSTEM,
	};

	if ((k = exchange_apikey(req, APIKEY_SEND)) == NULL)
		return;
	s.distributor_id = k->company_id;
	s.api_key_id = k->key_id;
	upload_run(req, &s);
}

/* Writes one package offered to a device. */
static int
device_package_json(const struct package_row *p, void *arg)
{
	struct jsonw	*w = arg;

	jsonw_object_begin(w);
	jsonw_kid(w, "id", p->id);
	jsonw_kid(w, "position", p->position);
	jsonw_key(w, "supplier");
	jsonw_object_begin(w);
	jsonw_kid(w, "id", p->supplier_id);
	jsonw_kstring(w, "name", p->supplier_name);
	jsonw_object_end(w);
	jsonw_kstring(w, "kind", p->kind);
	jsonw_kstring(w, "name", p->name);
	jsonw_ktime(w, "created_at", p->created_at);
	jsonw_key(w, "payload");
	jsonw_raw(w, p->payload, p->payload_len);
	jsonw_object_end(w);
	return 0;
}

/* GET /device/packages?after=&limit= */
static void
device_packages(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct device_caller	*d;
	struct package_page		 pg;
	struct buf			 b;
	struct jsonw			 w;
	struct err			 e;
	int64_t				 after;
	int				 limit;

	if ((d = exchange_device(req)) == NULL ||
	    exchange_page(req, DEVICE_PACKAGES_DEFAULT, DEVICE_PACKAGES_MAX,
	    &after, &limit) != 0)
		return;
	err_clear(&e);
	buf_init(&b, EXCHANGE_REPLY_MAX);
	jsonw_init(&w, &b);
	jsonw_object_begin(&w);
	jsonw_key(&w, "items");
	jsonw_array_begin(&w);
	if (package_for_device(app, d, after, limit, &b,
	    device_package_json, &w, &pg, &e) != 0) {
		buf_release(&b);
		http_reply_error(req, &e);
		return;
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "next_after");
	if (pg.more)
		jsonw_id(&w, pg.last);
	else
		jsonw_null(&w);
	jsonw_object_end(&w);
	exchange_reply(req, 200, &w, &b);
}

/* POST /device/packages/{id}/ack */
static void
device_package_ack(struct http_req *req)
{
	const struct app		*app = http_req_app(req);
	const struct device_caller	*d;
	struct err			 e;
	int64_t				 id, acked_at;
	bool				 first;
	char				 t[32];

	if ((d = exchange_device(req)) == NULL ||
	    (id = exchange_path_id(req, "id", "package_not_found",
	    "There is no such package for this device.")) < 0)
		return;
	err_clear(&e);
	if (package_ack(app, d, id, &acked_at, &first, &e) != 0) {
		http_reply_error(req, &e);
		return;
	}
	clock_format_rfc3339(acked_at, t);
	http_reply_json(req, 200, json_pack("{s:s, s:s, s:b}", "id",
	    http_req_param(req, "id"), "acked_at", t, "first", first));
}

void
api_device_exchange_routes(struct http_router *r)
{
	http_route(r, "POST", "/api/v1/device/documents", device_documents,
	    HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/distributor/documents",
	    distributor_documents, HTTP_JSON_BODY | HTTP_NO_STORE);
	http_route(r, "GET", "/api/v1/device/packages", device_packages,
	    HTTP_NO_STORE);
	http_route(r, "POST", "/api/v1/device/packages/{id}/ack",
	    device_package_ack, HTTP_NO_STORE);
}
