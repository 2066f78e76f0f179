/*
 * api.h - registers every HTTP endpoint of the service.
 *
 * Each resource lives in its own api/<resource>.c with a
 * api_<resource>_routes() function; api_routes() calls them all.
 */
#ifndef TOBMEN_API_API_H
#define TOBMEN_API_API_H

#include "http/router.h"

void	api_routes(struct http_router *r);

/* Per resource. */
void	api_ops_routes(struct http_router *r);	/* healthz, readyz, metrics */
void	api_session_routes(struct http_router *r);	/* login, logout, me */
void	api_register_routes(struct http_router *r);	/* auth/register */
void	api_password_routes(struct http_router *r);	/* forgot, reset, ... */
void	api_company_routes(struct http_router *r);	/* the company card */
void	api_users_routes(struct http_router *r);	/* users, me */
void	api_feedback_routes(struct http_router *r);	/* «Обратная связь» */
void	api_network_routes(struct http_router *r);	/* network, join */
void	api_journal_routes(struct http_router *r);	/* audit log */
void	api_licences_routes(struct http_router *r);	/* Т-Обмен licences */
void	api_devices_routes(struct http_router *r);	/* activation */
void	api_device_exchange_routes(struct http_router *r); /* documents */
void	api_feed_routes(struct http_router *r);	/* feed, distributors */
void	api_packages_routes(struct http_router *r);	/* packages */
void	api_apikeys_routes(struct http_router *r);	/* API keys */
void	api_control_routes(struct http_router *r);	/* «Контроль» */
void	api_openapi_routes(struct http_router *r);	/* openapi.yaml */

#endif
