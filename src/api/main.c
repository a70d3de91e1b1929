#include "core/health.h"
#include "core/route.h"
#include "core/srv.h"

static const struct route api_routes[] = {
	{ METHOD_GET, "/api/healthz", health_live },
	{ METHOD_GET, "/api/readyz", health_ready },
};

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"api", api_routes, sizeof(api_routes) / sizeof(api_routes[0]),
		NULL, NULL
	};

	return srv_main(&app, argc, argv);
}
