/*
 * api.c - the one list of every resource's routes.
 *
 * Registration order does not matter to matching (router.c picks the most
 * specific pattern), so each resource simply adds its own table here.
 */
#include "api/api.h"

void
api_routes(struct http_router *r)
{
	api_ops_routes(r);
	api_session_routes(r);
	api_register_routes(r);
	api_password_routes(r);
	api_company_routes(r);
	api_users_routes(r);
	api_feedback_routes(r);
	api_network_routes(r);
	api_journal_routes(r);
	api_licences_routes(r);
	api_devices_routes(r);
	api_device_exchange_routes(r);
	api_feed_routes(r);
	api_packages_routes(r);
	api_apikeys_routes(r);
	api_control_routes(r);
	api_openapi_routes(r);
}
