#include <stdio.h>
#include <string.h>

#include "core/authn.h"
#include "core/buf.h"
#include "core/cfg.h"
#include "core/gate.h"
#include "core/met.h"
#include "core/req.h"
#include "core/sec.h"
#include "core/srv.h"
#include "dash.h"

#define DASH_METRICS_CTYPE	"text/plain; version=0.0.4; charset=utf-8"

/* RC_FRONT_SECRET_FILE's secret, read once at start; empty: none. */
static char	 dash_front[256];
static size_t	 dash_front_len;

int
dash_metrics_init(const struct srv *s)
{
	if (s->cfg.front_secret_file[0] == '\0')
		return 0;
	if (cfg_secret_read(s->cfg.front_secret_file, dash_front,
	    sizeof(dash_front), &dash_front_len) == -1) {
		fprintf(stderr, "replycast-dash: RC_FRONT_SECRET_FILE: cannot "
		    "read %s (1 to 255 bytes)\n", s->cfg.front_secret_file);
		return -1;
	}
	return 0;
}

/*
 * REMOTE_ADDR is whatever the FastCGI client says: only nginx's word
 * counts, and nginx proves it is nginx with the front secret (a raw
 * FastCGI client that reaches a pool's socket does not know it).  nginx
 * passes $remote_addr, the peer of its own socket: on our loopback-only
 * stack that is the real client.  A forwarding header says another proxy
 * stands in between, whose clients loopback must not cover.
 */
static int
dash_loopback(const struct req *rq)
{
	const char	*ra = rq->remote_addr, *fs;

	if (dash_front_len == 0 ||
	    (fs = req_param(rq, "RC_FRONT_SECRET")) == NULL ||
	    !sec_equal(fs, strlen(fs), dash_front, dash_front_len))
		return 0;
	if (ra == NULL || (strcmp(ra, "127.0.0.1") != 0 &&
	    strcmp(ra, "::1") != 0))
		return 0;
	return req_header(rq, "X-Forwarded-For") == NULL &&
	    req_header(rq, "Forwarded") == NULL &&
	    req_header(rq, "X-Real-IP") == NULL;
}

int
dash_metrics_allowed(const struct req *rq, const struct authn *a)
{
	if (dash_loopback(rq))
		return 1;
	return a != NULL && a->kind != AUTHN_NONE && a->role == TOK_ROLE_ADMIN;
}

int
dash_metrics(struct req *rq)
{
	/* AUTHN_OPTIONAL: rq->who is a live (unrevoked) caller, or none. */
	if (!dash_metrics_allowed(rq, &rq->who))
		return resp_problem(rq->resp, PROB_FORBIDDEN, "metrics are "
		    "for loopback clients and admins", rq->id, NULL);
	if (rq->srv->cfg.metrics_dir[0] == '\0')
		return resp_problem(rq->resp, PROB_NOT_FOUND, "metrics are "
		    "off (RC_METRICS_DIR is empty)", rq->id, NULL);
	rq->resp->status = 200;
	resp_header(rq->resp, "Cache-Control", "no-store");
	resp_ctype(rq->resp, DASH_METRICS_CTYPE);
	return met_render(&rq->resp->body, rq->srv->cfg.metrics_dir);
}
