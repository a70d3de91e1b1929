#include "core/health.h"
#include "core/route.h"
#include "core/srv.h"
#include "dash.h"

static const struct route dash_routes[] = {
	{ METHOD_GET, "/", dash_overview },
	{ METHOD_GET, "/login", dash_login },
	{ METHOD_GET, "/inbox", dash_inbox },
	{ METHOD_POST, "/inbox/triage", dash_triage },
	{ METHOD_GET, "/people", dash_people },
	{ METHOD_GET, "/settings", dash_settings },
	{ METHOD_POST, "/settings", dash_settings_save },
	{ METHOD_POST, "/settings/keys", dash_key_create },
	{ METHOD_POST, "/settings/keys/delete", dash_key_delete },
	{ METHOD_GET, "/admin", dash_admin },
	{ METHOD_GET, "/healthz", health_live },
	{ METHOD_GET, "/readyz", health_ready },
	{ METHOD_GET, "/metrics", dash_metrics },
};

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"dash", dash_routes,
		sizeof(dash_routes) / sizeof(dash_routes[0]), dash_error,
		dash_init
	};

	return srv_main(&app, argc, argv);
}
