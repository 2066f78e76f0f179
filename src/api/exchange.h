/*
 * exchange.h - what the exchange's handlers share: the bearer guards for
 * devices and API keys, cursor arguments, and replies written with the
 * streaming writer (gzip when the client asks).
 *
 * Devices and systems authenticate with "Authorization: Bearer TOKEN":
 * a device token (domain/device.h) or an API key "tbk_..."
 * (domain/apikey.h).  No cookie is read on these routes, so they need no
 * CSRF token; the company always comes from the token.  A missing or bad
 * token is 401 with "WWW-Authenticate: Bearer".
 */
#ifndef TOBMEN_API_EXCHANGE_H
#define TOBMEN_API_EXCHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "domain/apikey.h"
#include "domain/device.h"
#include "http/http.h"

/* A reply written with jsonw is capped at this many bytes. */
#define EXCHANGE_REPLY_MAX	(64u * 1024 * 1024)

/* The token of "Authorization: Bearer TOKEN", or NULL. */
const char	*exchange_bearer(struct http_req *req);

/* The device behind the bearer token (owned by the request), or NULL
 * after replying 401 / 403. */
const struct device_caller *exchange_device(struct http_req *req);

/* The API key behind the bearer token with every scope in need (owned by
 * the request), or NULL after replying 401 / 403. */
const struct apikey_caller *exchange_apikey(struct http_req *req,
		    unsigned need);

/*
 * Reads ?after= (a position or id, 0 when absent) and ?limit= (1 to max,
 * def when absent).  Returns 0, or -1 after replying 400
 * "after_invalid" / "limit_invalid".
 */
int		exchange_page(struct http_req *req, int def, int max,
		    int64_t *after, int *limit);
/* {items, next_after} of a page read after exchange_page: items is
 * stolen; next_after is last as a decimal string when more, else null.
 * A new reference. */
json_t		*exchange_page_json(json_t *items, bool more, int64_t last);

/* Reads a decimal id from path parameter name; -1 after replying 404
 * with code and message when it is not one. */
int64_t		exchange_path_id(struct http_req *req, const char *name,
		    const char *code, const char *message);

/* Reads member key of o as a positive id given as a decimal string or
 * a JSON integer; 0 when absent.  -1 with e "field_invalid". */
int64_t		exchange_json_id(json_t *o, const char *key, struct err *e);

/* True if the client accepts a gzip body (Accept-Encoding). */
bool		exchange_wants_gzip(struct http_req *req);

/*
 * Sends the JSON text in b with status, gzip-compressed when the client
 * accepts it and the text is not tiny; 500 if the writer failed (the cap
 * was reached).  Takes b's storage (b is empty afterwards).
 */
void		exchange_reply(struct http_req *req, int status,
		    struct jsonw *w, struct buf *b);

/* Replies with e, adding WWW-Authenticate for 401. */
void		exchange_reply_error(struct http_req *req, const struct err *e);

#endif
