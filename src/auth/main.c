#include "auth.h"
#include "core/health.h"
#include "core/route.h"
#include "core/srv.h"

static const struct route auth_routes[] = {
	{ METHOD_GET, "/auth/healthz", health_live },
	{ METHOD_GET, "/auth/readyz", health_ready },
	{ METHOD_GET, "/auth/csrf", auth_csrf },
	{ METHOD_POST, "/auth/login", auth_login },
	{ METHOD_POST, "/auth/refresh", auth_refresh },
	{ METHOD_POST, "/auth/logout", auth_logout },
	{ METHOD_GET, "/auth/renew", auth_renew },
	{ METHOD_GET, "/auth/me", auth_me },
	{ METHOD_POST, "/auth/register", auth_register },
	{ METHOD_GET, "/auth/keys", auth_keys_list },
	{ METHOD_POST, "/auth/keys", auth_keys_create },
	{ METHOD_DELETE, "/auth/keys/{id}", auth_keys_delete },
};

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"auth", auth_routes,
		sizeof(auth_routes) / sizeof(auth_routes[0]), NULL, auth_init
	};

	return srv_main(&app, argc, argv);
}
