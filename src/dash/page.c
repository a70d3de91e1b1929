#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/qs.h"
#include "core/req.h"
#include "core/sec.h"
#include "core/srv.h"
#include "core/stash.h"
#include "dash.h"
#include "reply/settings.h"
#include "stcache.h"
#include "vcache.h"

/* Read-only after start. */
static struct tpl_set	*dash_tpl;
static char		 dash_css[64] = "/static/app.css";

/*
 * The stylesheet is served under a name that holds a hash of its content
 * (make install writes app-<hash>.css), so it can be cached for a year.
 */
static void
dash_css_name(const char *dir)
{
	char		 path[1200], chunk[8192], hash[SEC_SHA256_HEX + 1];
	struct buf	 b;
	FILE		*f;
	size_t		 n;

	snprintf(path, sizeof(path), "%s/static/app.css", dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	buf_init(&b, 4 * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	sec_sha256_hex(buf_cstr(&b), b.len, hash);
	buf_free(&b);
	snprintf(path, sizeof(path), "%s/static/app-%.10s.css", dir, hash);
	if (access(path, R_OK) == 0)
		snprintf(dash_css, sizeof(dash_css), "/static/app-%.10s.css", hash);
}

int
dash_init(struct srv *s)
{
	char	 dir[1100], err[512];

	snprintf(dir, sizeof(dir), "%s/templates", s->cfg.data_dir);
	if ((dash_tpl = tpl_load_dir(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "replycast-dash: template error: %s\n", err);
		return -1;
	}
	if (!tpl_has(dash_tpl, "layout") || !tpl_has(dash_tpl, "error")) {
		fprintf(stderr, "replycast-dash: %s lacks layout.html or "
		    "error.html\n", dir);
		return -1;
	}
	dash_css_name(s->cfg.data_dir);
	if (dash_facts_init(&s->cfg) == -1) {
		fprintf(stderr, "replycast-dash: RC_FACTS_MB: cannot allocate "
		    "the facts cache\n");
		return -1;
	}
	if (dash_admin_init(s) == -1) {
		fprintf(stderr, "replycast-dash: cannot set up the password "
		    "throttle\n");
		return -1;
	}
	return dash_metrics_init(s);
}

void
dash_fini(struct srv *s)
{
	(void)s;
	tpl_free(dash_tpl);
	dash_tpl = NULL;
	dash_facts_free();
	vc_clear();
	stc_clear();
	settings_free();
}

int
dash_redirect(struct req *rq, const char *location)
{
	rq->resp->status = 303;
	buf_reset(&rq->resp->body);
	return resp_header(rq->resp, "Location", location);
}

/* The path and query of this request, percent-encoded for a next= value. */
static void
dash_next(struct req *rq, char *out, size_t sz)
{
	const char	*u = req_param(rq, "REQUEST_URI"), *p;
	size_t		 n = 0;

	for (p = u ? u : "/"; *p != '\0' && n + 4 < sz; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-_.~", *p) != NULL)
			out[n++] = *p;
		else
			n += (size_t)snprintf(out + n, sz - n, "%%%02X",
			    (unsigned char)*p);
	}
	out[n] = '\0';
}

/*
 * The page that shows a form again after a sign-in (dash_settings reads
 * ?form=), for each form path that has one; NULL: none.  Only forms
 * without a password are here.
 */
static const char *
dash_keep_page(const char *path)
{
	static const char *const forms[][2] = {
		{ "/settings", "/settings" },
		{ "/settings/mute", "/settings" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strcmp(path, forms[i][0]) == 0)
			return forms[i][1];
	return NULL;
}

/*
 * A session that is over (logged out, revoked): the sign-in page, and
 * back to the form filled in when it can be kept (core/stash.h).
 */
static int
dash_signin(struct req *rq, const char *next, const char *keep)
{
	char	 loc[700], id[STASH_ID_LEN + 1];

	if (rq->method == METHOD_POST && keep != NULL &&
	    stash_put(rq, keep, id) == 0)
		snprintf(loc, sizeof(loc), "/login?next=%s%%3Fform%%3D%s",
		    keep, id);
	else
		snprintf(loc, sizeof(loc), "/login?next=%s", next);
	return dash_redirect(rq, loc);
}

/*
 * The gate's refusals, for a browser: no session, a bad or expired one:
 * renew it when the browser shows a session (its access or CSRF cookie:
 * the access cookie lapses with its token, the CSRF cookie lasts the
 * browser session), else sign in; a revoked one: sign in; anything else
 * is a page that says why.  A form meets the renewal with 307, so that
 * the browser sends it on to /auth/renew (the refresh cookie's path) and
 * from there back here, applied in one step; keep= names the page that
 * can show it again when the session turns out to be over.
 */
int
dash_refuse(struct req *rq, const struct authn_verdict *v)
{
	char		 next[600], loc[1300], kp[600] = "";
	const char	*keep = NULL;

	switch (v->deny) {
	case AUTHN_FORGED:
		return dash_error(rq, PROB_FORBIDDEN, "the form was stale or "
		    "forged: reload the page and try again");
	case AUTHN_DOWN:
		return dash_error(rq, v->prob, "your session cannot be checked "
		    "now: try again in a moment");
	case AUTHN_UNBOUND:
		return dash_error(rq, PROB_FORBIDDEN, "no fid is bound to this "
		    "account yet: link yours in Settings (Sign in with "
		    "Farcaster), or ask an administrator");
	case AUTHN_ROLE:
	case AUTHN_SCOPE:
		return dash_error(rq, PROB_FORBIDDEN, "this page is for "
		    "administrators");
	default:
		break;
	}
	dash_next(rq, next, sizeof(next));
	if (rq->method == METHOD_POST)
		keep = dash_keep_page(rq->path);
	if (v->deny == AUTHN_REVOKED || (req_cookie(rq, COOKIE_AT) == NULL &&
	    req_cookie(rq, COOKIE_CSRF) == NULL))
		return dash_signin(rq, next, keep);
	if (keep != NULL)
		snprintf(kp, sizeof(kp), "&keep=%s", keep);
	snprintf(loc, sizeof(loc), "/auth/renew?next=%s%s", next, kp);
	if (dash_redirect(rq, loc) == -1)
		return -1;
	if (rq->method == METHOD_POST)
		rq->resp->status = 307;
	return 0;
}

int
dash_svg(struct dash_page *p, const char *name, struct buf *svg)
{
	if (p->nraw == DASH_MAXRAW)
		return -1;
	p->raw[p->nraw].name = name;
	p->raw[p->nraw].markup = buf_cstr(svg);
	p->raw[p->nraw].len = svg->len;
	p->nraw++;
	return 0;
}

static struct json_object *
dash_root(struct req *rq, const struct authn *who, struct dash_page *p)
{
	struct json_object	*o = json_object_new_object(), *u, *nav;
	char			 csrf[AUTHN_CSRF_PRE_LEN + 1] = "";

	json_object_object_add(o, "title", json_object_new_string(p->title));
	json_object_object_add(o, "page", json_object_new_string(p->name));
	json_object_object_add(o, "css", json_object_new_string(dash_css));
	/* The session's own token: no cookie needed, the same in every tab. */
	if (who != NULL && who->kind == AUTHN_COOKIE)
		authn_csrf_session(&rq->srv->key, who->sid, csrf);
	json_object_object_add(o, "csrf", json_object_new_string(csrf));
	if (who != NULL && who->kind != AUTHN_NONE) {
		u = json_object_new_object();
		json_object_object_add(u, "fid", json_object_new_int64(who->fid));
		json_object_object_add(u, "admin",
		    json_object_new_boolean(who->role == TOK_ROLE_ADMIN));
		json_object_object_add(o, "user", u);
	}
	nav = json_object_new_object();
	if (p->nav != NULL)
		json_object_object_add(nav, p->nav, json_object_new_boolean(1));
	json_object_object_add(o, "nav", nav);
	json_object_object_add(o, "content", p->data);
	p->data = NULL;
	return o;
}

int
dash_render(struct req *rq, const struct authn *who, struct dash_page *p,
    int status)
{
	struct json_object	*root;
	char			 err[256];
	int			 rc;

	root = dash_root(rq, who, p);
	buf_reset(&rq->resp->body);
	rc = tpl_render(dash_tpl, "layout", root, p->raw, p->nraw,
	    &rq->resp->body, err, sizeof(err));
	json_object_put(root);
	if (rc == -1) {
		log_msg("error", "render %s: %s", p->name, err);
		return -1;
	}
	rq->resp->status = status;
	resp_ctype(rq->resp, "text/html; charset=utf-8");
	resp_header(rq->resp, "Cache-Control", "no-store");
	return 0;
}

int
dash_error(struct req *rq, enum problem prob, const char *detail)
{
	struct dash_page	 p;
	struct json_object	*d = json_object_new_object();

	json_object_object_add(d, "status",
	    json_object_new_int(problem_status(prob)));
	json_object_object_add(d, "heading",
	    json_object_new_string(problem_title(prob)));
	json_object_object_add(d, "detail", json_object_new_string(detail));
	memset(&p, 0, sizeof(p));
	p.name = "error";
	p.title = problem_title(prob);
	p.data = d;
	if (dash_render(rq, NULL, &p, problem_status(prob)) == -1) {
		/* The layout itself failed: a bare page, still escaped. */
		resp_ctype(rq->resp, "text/plain; charset=utf-8");
		rq->resp->status = problem_status(prob);
		buf_reset(&rq->resp->body);
		return buf_puts(&rq->resp->body, problem_title(prob));
	}
	return 0;
}

enum step
dash_params(struct req *rq, const struct qs_list *l,
    const struct param_spec *sp, size_t n, struct param_val *v)
{
	struct qs_list	 given = { NULL, 0 };
	char		 err[256];
	size_t		 i;

	if (l != NULL && l->n > 0) {
		if ((given.v = arena_alloc(rq->arena, l->n *
		    sizeof(*given.v))) == NULL)
			return STEP_ERR;
		for (i = 0; i < l->n; i++)
			if (l->v[i].val[0] != '\0')
				given.v[given.n++] = l->v[i];
	}
	if (param_parse(&given, sp, n, v, err, sizeof(err)) == -1)
		return step_sent(dash_error(rq, PROB_INVALID_PARAM, err));
	return STEP_GO;
}
