#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/buf.h"
#include "core/health.h"
#include "core/http.h"
#include "core/req.h"
#include "core/route.h"
#include "core/srv.h"
#include "reply/settings.h"

/* The OpenAPI document, read once at start from RC_DATA_DIR. */
static struct buf	 api_doc;

int
api_openapi_load(const char *dir)
{
	char	 path[1200], chunk[8192];
	FILE	*f;
	size_t	 n;
	int	 rc = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/openapi.json", dir) >=
	    sizeof(path) || (f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "replycast-api: cannot read %s/openapi.json "
		    "(RC_DATA_DIR)\n", dir);
		return -1;
	}
	buf_init(&api_doc, 4 * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_put(&api_doc, chunk, n) == -1)
			rc = -1;
	fclose(f);
	return rc;
}

int
api_openapi(struct req *rq)
{
	resp_ctype(rq->resp, "application/json");
	resp_header(rq->resp, "Cache-Control", "public, max-age=300");
	return buf_put(&rq->resp->body, api_doc.ptr, api_doc.len);
}

/* Reads ask revocation in their one gate_check; writes take no API key. */
#define API_READ	(AUTHN_USER | AUTHN_BOUND | AUTHN_GATED)
#define API_WRITE	(AUTHN_USER | AUTHN_BOUND | AUTHN_NO_KEY)

static const struct route api_routes[] = {
	{ METHOD_GET, "/api/healthz", health_live,
	    AUTHN_PUBLIC },
	{ METHOD_GET, "/api/readyz", health_ready,
	    AUTHN_PUBLIC },
	{ METHOD_GET, "/api/v1/openapi.json", api_openapi,
	    AUTHN_PUBLIC },
	{ METHOD_GET, "/api/v1/me/summary", api_me_summary,
	    API_READ },
	{ METHOD_GET, "/api/v1/me/channels", api_me_channels,
	    API_READ },
	{ METHOD_GET, "/api/v1/me/speed-trend", api_me_speed,
	    API_READ },
	{ METHOD_GET, "/api/v1/me/standing", api_me_standing,
	    API_READ },
	{ METHOD_GET, "/api/v1/me/import", api_import,
	    AUTHN_USER | AUTHN_BOUND },
	{ METHOD_GET, "/api/v1/me/settings", api_settings_get,
	    AUTHN_USER | AUTHN_BOUND },
	{ METHOD_PUT, "/api/v1/me/settings", api_settings_put,
	    API_WRITE },
	{ METHOD_GET, "/api/v1/me/alerts", api_alerts_get,
	    AUTHN_USER | AUTHN_BOUND },
	{ METHOD_PUT, "/api/v1/me/alerts", api_alerts_put,
	    API_WRITE },
	{ METHOD_POST, "/api/v1/me/alerts/secret", api_alerts_secret,
	    API_WRITE },
	{ METHOD_GET, "/api/v1/me/deliveries", api_deliveries,
	    AUTHN_USER | AUTHN_BOUND },
	{ METHOD_PUT, "/api/v1/me/triage/{hash}", api_triage_put,
	    API_WRITE },
	{ METHOD_DELETE, "/api/v1/me/triage/{hash}", api_triage_del,
	    API_WRITE },
	{ METHOD_GET, "/api/v1/users/{fid}/summary", api_summary,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/unreplied", api_unreplied,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/unreplied.csv", api_unreplied_csv,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/distribution", api_distribution,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/heatmap", api_heatmap,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/trend", api_trend,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/counterparts", api_counterparts,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/channels", api_channels,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/streak", api_streak,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/speed-trend", api_speed,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/standing", api_standing,
	    API_READ },
	{ METHOD_GET, "/api/v1/users/{fid}/export.csv", api_export,
	    API_READ },
	{ METHOD_POST, "/api/v1/ingest", api_ingest,
	    AUTHN_USER | AUTHN_BOUND | AUTHN_INGEST },
	{ METHOD_POST, "/api/v1/webhooks/neynar", api_webhook,
	    AUTHN_PUBLIC },
	{ METHOD_POST, "/api/v1/miniapp/webhook", api_miniapp_webhook,
	    AUTHN_PUBLIC },
};

static int
api_init(struct srv *s)
{
	if (api_facts_init(&s->cfg) == -1) {
		fprintf(stderr, "replycast-api: RC_FACTS_MB: cannot allocate "
		    "the facts cache\n");
		return -1;
	}
	if (api_webhook_load(&s->cfg) == -1) {
		fprintf(stderr, "replycast-api: RC_NEYNAR_WEBHOOK_SECRET_FILE: "
		    "cannot read %s\n", s->cfg.webhook_secret_file);
		return -1;
	}
	return api_openapi_load(s->cfg.data_dir);
}

/* What api_init and the requests kept, freed before exit. */
static void
api_fini(struct srv *s)
{
	(void)s;
	api_facts_free();
	buf_free(&api_doc);
	settings_free();
	http_free();
}

int
main(int argc, char *argv[])
{
	static const struct srv_app app = {
		"api", api_routes, sizeof(api_routes) / sizeof(api_routes[0]),
		NULL, api_init, NULL, api_fini
	};

	return srv_main(&app, argc, argv);
}
