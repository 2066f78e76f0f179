/*
 * openapi.c - serves the API's description, docs/openapi.yaml, embedded
 * in the binary at build (tools/embed_text.py), at /api/v1/openapi.yaml.
 *
 * Public: it describes the API and holds no data.
 */
#include <stddef.h>

#include "api/api.h"
#include "http/http.h"

extern const char	openapi_yaml[];
extern const size_t	openapi_yaml_len;

/* GET /api/v1/openapi.yaml */
static void
openapi_handler(struct http_req *req)
{
	http_reply_static(req, 200, "application/yaml; charset=utf-8",
	    openapi_yaml, openapi_yaml_len);
}

void
api_openapi_routes(struct http_router *r)
{
	http_route(r, "GET", "/api/v1/openapi.yaml", openapi_handler, 0);
}
