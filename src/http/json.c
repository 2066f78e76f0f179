/*
 * json.c - turning a request body into a JSON tree under the limits.
 *
 * The order matters: the body is already capped at body_max; a linear scan
 * refuses deep nesting before jansson (which recurses) sees it; only then
 * is the tree built, and its lists are measured.  Nothing here replies.
 */
#include <string.h>

#include "http/internal.h"

int
http_json_depth(const char *p, size_t n, int limit)
{
	int depth = 0, deepest = 0;
	bool in_string = false, escaped = false;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
			if (deepest > limit)
				return limit + 1;
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return deepest;
}

json_t *
http_json_long_list(json_t *v, size_t max, const char **key)
{
	const char *k;
	json_t *item, *found;
	size_t i;

	if (json_is_array(v)) {
		if (json_array_size(v) > max)
			return v;
		json_array_foreach(v, i, item) {
			found = http_json_long_list(item, max, key);
			if (found != NULL)
				return found;
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, item) {
			found = http_json_long_list(item, max, key);
			if (found == item)
				*key = k;
			if (found != NULL)
				return found;
		}
	}
	return NULL;
}

/* Fills e for a jansson parse failure without echoing the body back. */
static void
json_parse_error(const json_error_t *je, struct err *e)
{
	if (json_error_code(je) == json_error_duplicate_key)
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The body repeats a key in one object (line %d, "
		    "column %d).", je->line, je->column);
	else
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The body is not valid JSON (line %d, column %d).",
		    je->line, je->column);
}

json_t *
http_req_json(struct http_req *req, struct err *e)
{
	const struct config *cfg = req->cfg;
	const char *key = "";
	json_error_t je;

	if (req->json != NULL)
		return req->json;
	if (req->body.len == 0) {
		err_set(e, ERR_INVALID, "invalid_json", NULL,
		    "The request needs a JSON body.");
		return NULL;
	}
	if (http_json_depth(req->body.data, req->body.len,
	    cfg->json_depth_max) > cfg->json_depth_max) {
		err_set(e, ERR_INVALID, "json_too_deep", NULL,
		    "The body nests arrays and objects deeper than %d levels.",
		    cfg->json_depth_max);
		return NULL;
	}

	req->json = json_loadb(req->body.data, req->body.len,
	    JSON_REJECT_DUPLICATES, &je);
	if (req->json == NULL) {
		json_parse_error(&je, e);
		return NULL;
	}

	if (http_json_long_list(req->json, cfg->json_array_max, &key)) {
		err_set(e, ERR_TOOLARGE, "list_too_long", key,
		    "A list in the body holds more than %zu items.",
		    cfg->json_array_max);
		json_decref(req->json);
		req->json = NULL;
		return NULL;
	}
	return req->json;
}
