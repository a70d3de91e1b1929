#include "auth.h"
#include "siwf.h"
#include "core/health.h"
#include "core/http.h"
#include "core/route.h"
#include "core/srv.h"

/* A token or the cookie, never an API key. */
#define AUTH_SESSION	(AUTHN_USER | AUTHN_NO_KEY)

static const struct route auth_routes[] = {
	{ METHOD_GET, "/auth/healthz", health_live, AUTHN_PUBLIC },
	{ METHOD_GET, "/auth/readyz", health_ready, AUTHN_PUBLIC },
	{ METHOD_GET, "/auth/csrf", auth_csrf, AUTHN_OPTIONAL },
	/* Sign-in, refresh and renew prove who asks themselves. */
	{ METHOD_POST, "/auth/login", auth_login, AUTHN_PUBLIC },
	{ METHOD_POST, "/auth/refresh", auth_refresh, AUTHN_PUBLIC },
	{ METHOD_POST, "/auth/logout", auth_logout, AUTH_SESSION },
	{ METHOD_GET, "/auth/renew", auth_renew, AUTHN_PUBLIC },
	{ METHOD_POST, "/auth/renew", auth_renew, AUTHN_PUBLIC },
	{ METHOD_GET, "/auth/me", auth_me, AUTHN_USER },
	{ METHOD_POST, "/auth/register", auth_register, AUTHN_PUBLIC },
	/* Sign In with Farcaster: the signature proves who asks. */
	{ METHOD_POST, "/auth/siwf/nonce", siwf_nonce, AUTHN_PUBLIC },
	{ METHOD_POST, "/auth/siwf", siwf_signin, AUTHN_PUBLIC },
	/* The browser flow; a signed-in caller links the fid to its account. */
	{ METHOD_POST, "/auth/siwf/channel", siwf_chan_start, AUTHN_OPTIONAL },
	{ METHOD_GET, "/auth/siwf/channel", siwf_chan_poll, AUTHN_OPTIONAL },
	/* Keys manage keys only with a token: a leaked key cannot mint more. */
	{ METHOD_GET, "/auth/keys", auth_keys_list, AUTH_SESSION },
	{ METHOD_POST, "/auth/keys", auth_keys_create, AUTH_SESSION },
	{ METHOD_DELETE, "/auth/keys/{id}", auth_keys_delete, AUTH_SESSION },
};

/* The curl handle Sign In with Farcaster kept, freed before exit. */
static void
auth_fini(struct srv *s)
{
	(void)s;
	http_free();
}

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"auth", auth_routes,
		sizeof(auth_routes) / sizeof(auth_routes[0]), NULL, auth_init,
		NULL, auth_fini
	};

	return srv_main(&app, argc, argv);
}
