#include "core/health.h"
#include "core/route.h"
#include "core/srv.h"

static const struct route auth_routes[] = {
	{ METHOD_GET, "/auth/healthz", health_live },
	{ METHOD_GET, "/auth/readyz", health_ready },
};

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"auth", auth_routes,
		sizeof(auth_routes) / sizeof(auth_routes[0]), NULL, NULL
	};

	return srv_main(&app, argc, argv);
}
