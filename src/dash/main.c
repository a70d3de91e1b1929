#include "core/health.h"
#include "core/route.h"
#include "core/srv.h"
#include "dash.h"

/* A page: the browser's live session, with a fid bound (admins: none). */
#define DASH_PAGE	(AUTHN_USER | AUTHN_SESSION | AUTHN_BOUND)

static const struct route dash_routes[] = {
	{ METHOD_GET, "/", dash_overview, DASH_PAGE },
	{ METHOD_GET, "/login", dash_login, AUTHN_OPTIONAL },
	{ METHOD_GET, "/inbox", dash_inbox, DASH_PAGE },
	{ METHOD_POST, "/inbox/triage", dash_triage, DASH_PAGE },
	{ METHOD_GET, "/people", dash_people, DASH_PAGE },
	{ METHOD_GET, "/avatar/{fid}", dash_avatar, DASH_PAGE },
	/* Without a fid too: that is where an account links one (SIWF). */
	{ METHOD_GET, "/settings", dash_settings, AUTHN_USER | AUTHN_SESSION },
	{ METHOD_POST, "/settings", dash_settings_save, DASH_PAGE },
	{ METHOD_POST, "/settings/mute", dash_settings_mute, DASH_PAGE },
	{ METHOD_POST, "/settings/unmute", dash_settings_unmute, DASH_PAGE },
	{ METHOD_POST, "/settings/keys", dash_key_create, DASH_PAGE },
	{ METHOD_POST, "/settings/keys/delete", dash_key_delete, DASH_PAGE },
	{ METHOD_POST, "/settings/alerts", dash_alerts_save, DASH_PAGE },
	{ METHOD_POST, "/settings/alerts/secret", dash_alerts_secret, DASH_PAGE },
	{ METHOD_GET, "/admin", dash_admin, DASH_PAGE | AUTHN_ADMIN },
	{ METHOD_POST, "/admin/accounts", dash_admin_post,
	    DASH_PAGE | AUTHN_ADMIN },
	{ METHOD_GET, "/healthz", health_live, AUTHN_PUBLIC },
	{ METHOD_GET, "/readyz", health_ready, AUTHN_PUBLIC },
	/* Loopback through nginx, or an admin's token, key or cookie. */
	{ METHOD_GET, "/metrics", dash_metrics, AUTHN_OPTIONAL },
};

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"dash", dash_routes,
		sizeof(dash_routes) / sizeof(dash_routes[0]), dash_error,
		dash_init, dash_refuse, dash_fini
	};

	return srv_main(&app, argc, argv);
}
