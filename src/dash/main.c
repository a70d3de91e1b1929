#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/health.h"
#include "core/html.h"
#include "core/log.h"
#include "core/req.h"
#include "core/route.h"
#include "core/srv.h"
#include "dash.h"

/* Loaded once at start from RC_DATA_DIR; read-only afterwards. */
static struct buf	 dash_home;

static int
dash_load(struct srv *s)
{
	char	 path[1200], chunk[4096];
	FILE	*f;
	size_t	 n;
	int	 rc = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/templates/home.html",
	    s->cfg.data_dir) >= sizeof(path))
		return -1;
	buf_init(&dash_home, 1024 * 1024);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "replycast-dash: cannot read %s (RC_DATA_DIR)\n",
		    path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_put(&dash_home, chunk, n) == -1)
			goto out;
	rc = ferror(f) ? -1 : 0;
out:
	fclose(f);
	return rc;
}

static int
dash_index(struct req *rq)
{
	resp_ctype(rq->resp, "text/html; charset=utf-8");
	return buf_put(&rq->resp->body, dash_home.ptr, dash_home.len);
}

static int
dash_error(struct req *rq, enum problem p, const char *detail)
{
	struct buf	*b = &rq->resp->body;
	const char	*title = problem_title(p);
	int		 rc = 0;

	buf_reset(b);
	rq->resp->status = problem_status(p);
	resp_ctype(rq->resp, "text/html; charset=utf-8");
	rc |= buf_printf(b, "<!doctype html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">"
	    "<title>%d ", rq->resp->status);
	rc |= html_escape(b, title, strlen(title));
	rc |= buf_puts(b, " - replycast</title></head><body><main><h1>");
	rc |= html_escape(b, title, strlen(title));
	rc |= buf_puts(b, "</h1><p>");
	rc |= html_escape(b, detail, strlen(detail));
	rc |= buf_puts(b, "</p><p><a href=\"/\">Back to replycast</a></p>"
	    "</main></body></html>\n");
	return rc == 0 ? 0 : -1;
}

static const struct route dash_routes[] = {
	{ METHOD_GET, "/", dash_index },
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
		dash_load
	};

	return srv_main(&app, argc, argv);
}
