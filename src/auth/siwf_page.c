#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "auth.h"
#include "qr.h"
#include "siwf.h"
#include "core/arena.h"
#include "core/html.h"
#include "core/http.h"
#include "core/jparse.h"
#include "core/log.h"
#include "core/qs.h"
#include "core/req.h"
#include "core/srv.h"
#include "reply/acct.h"

/*
 * The browser sign-in without JavaScript, over the relay channel API that
 * AuthKit uses: POST /auth/siwf/channel opens a channel with a nonce of
 * ours and sets an opaque cookie; GET /auth/siwf/channel (the page, which
 * refreshes itself every 2 s) asks the relay, and on "completed" verifies
 * the message like POST /auth/siwf and signs the browser in.
 */
#define SIWF_PATH	"/auth/siwf"
#define SIWF_PAGE	SIWF_PATH "/channel"

enum siwf_page_kind { PAGE_WAIT, PAGE_FAIL };

/* The page: a heading, a paragraph, and the QR code or a retry link. */
static int
siwf_page(struct req *rq, int status, enum siwf_page_kind kind,
    const char *text, const struct siwf_chan *c, int link)
{
	struct buf	*b = &rq->resp->body;
	const char	*retry = link ? "/settings" : "/login";

	buf_reset(b);
	if (buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\">") == -1 ||
	    (kind == PAGE_WAIT && buf_puts(b, "<meta http-equiv=\"refresh\""
	    " content=\"2\">") == -1) ||
	    buf_puts(b, "<title>Sign in with Farcaster - replycast</title>"
	    "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
	    "<main id=\"main\"><section class=\"login siwf\" aria-labelledby="
	    "\"siwf-h\"><h1 id=\"siwf-h\">Sign in with Farcaster</h1><p") == -1 ||
	    buf_puts(b, kind == PAGE_FAIL ? " class=\"alert\" role=\"alert\">" :
	    " role=\"status\">") == -1 ||
	    html_escape(b, text, strlen(text)) == -1 || buf_puts(b, "</p>") == -1)
		return -1;
	if (kind == PAGE_WAIT) {
		if (qr_svg(b, c->url, "QR code of the sign-in link") == -1 ||
		    buf_puts(b, "<p><a id=\"siwf-link\" href=\"") == -1 ||
		    html_escape(b, c->url, strlen(c->url)) == -1 ||
		    buf_puts(b, "\">Open in your Farcaster app</a></p>") == -1)
			return -1;
	}
	if (buf_printf(b, "<p><a id=\"siwf-retry\" href=\"%s\">%s</a></p>"
	    "</section></main></body></html>\n", retry, kind == PAGE_WAIT ?
	    "Cancel" : "Try again") == -1)
		return -1;
	rq->resp->status = status;
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_ctype(rq->resp, "text/html; charset=utf-8");
}

/* A member that is a string of 1..max bytes, else NULL. */
static const char *
siwf_jstr(struct json_object *o, const char *key, size_t max)
{
	struct json_object	*v;
	const char		*s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	return *s != '\0' && strlen(s) <= max ? s : NULL;
}

/* POST or GET at the relay; the answer's JSON object, or NULL. */
static struct json_object *
siwf_relay(struct req *rq, const char *path, const char *json,
    const char *bearer, long *status)
{
	struct http_req		 r;
	struct buf		 url, body;
	struct json_object	*o = NULL;
	char			 err[160];

	buf_init(&url, 2048);
	buf_init(&body, HTTP_MAX_BODY);
	memset(&r, 0, sizeof(r));
	r.method = json != NULL ? "POST" : "GET";
	r.json = json;
	r.bearer = bearer;
	if (buf_printf(&url, "%s%s", rq->srv->cfg.siwf_relay, path) == -1)
		goto out;
	r.url = buf_cstr(&url);
	if (http_do(&r, status, &body, err, sizeof(err)) != HTTP_OK) {
		log_msg("warn", "siwf: relay %s: %s", path, err);
		goto out;
	}
	if (jparse_object(body.ptr, body.len, JPARSE_DEPTH, &o, NULL, 0) !=
	    JPARSE_OK)
		o = NULL;
out:
	buf_free(&url);
	buf_free(&body);
	return o;
}

/* Opens a channel for nonce; c gets its token and URL.  0, -1. */
static int
siwf_open(struct req *rq, struct siwf_chan *c)
{
	struct json_object	*q, *a = NULL;
	const char		*t, *u;
	long			 st = 0;
	int			 rc = -1;

	if ((q = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(q, "siweUri", json_object_new_string(siwf_uri(rq)));
	json_object_object_add(q, "domain",
	    json_object_new_string(siwf_domain(rq)));
	json_object_object_add(q, "nonce", json_object_new_string(c->nonce));
	json_object_object_add(q, "acceptAuthAddress",
	    json_object_new_boolean(1));
	a = siwf_relay(rq, "/v1/channel", json_object_to_json_string_ext(q,
	    JSON_C_TO_STRING_PLAIN), NULL, &st);
	if (a != NULL && (st == 200 || st == 201) &&
	    (t = siwf_jstr(a, "channelToken", SIWF_TOKEN_MAX)) != NULL &&
	    (u = siwf_jstr(a, "url", SIWF_URL_MAX)) != NULL &&
	    (strncmp(u, "farcaster://", 12) == 0 ||
	    strncmp(u, "https://", 8) == 0)) {
		snprintf(c->token, sizeof(c->token), "%s", t);
		snprintf(c->url, sizeof(c->url), "%s", u);
		rc = siwf_chan_set(rq->srv->db, c->nonce, c->token, c->url);
	} else
		log_msg("warn", "siwf: the relay did not open a channel "
		    "(HTTP %ld)", st);
	json_object_put(q);
	json_object_put(a);
	return rc;
}

int
siwf_chan_start(struct req *rq)
{
	struct siwf_chan	 c;
	char			 cookie[SEC_TOKEN_LEN + 1], h[SEC_SHA256_HEX + 1];
	char			 exp[32];
	const char		*link = req_form(rq, "link");
	int64_t			 account = 0;

	if (!auth_csrf_login_ok(rq, req_form(rq, "csrf_token")))
		return req_problem(rq, PROB_FORBIDDEN, "csrf_token: missing or "
		    "does not match the rc_csrf cookie");
	if (siwf_uri(rq) == NULL)
		return siwf_page(rq, 503, PAGE_FAIL, "Sign in with Farcaster is "
		    "not configured on this server.", NULL, 0);
	if (link != NULL && strcmp(link, "1") == 0) {
		if (rq->who.kind == AUTHN_NONE)
			return auth_redirect(rq, "/login?next=/settings");
		account = rq->who.account;
	}
	memset(&c, 0, sizeof(c));
	if (sec_token(cookie) == -1)
		return -1;
	sec_sha256_hex(cookie, strlen(cookie), h);
	if (siwf_nonce_new(rq->srv->db, rq->srv->cfg.siwf_nonce_ttl, h,
	    account, c.nonce, exp) == -1)
		return siwf_page(rq, 503, PAGE_FAIL, "The database is "
		    "unavailable. Try again in a moment.", NULL, account != 0);
	if (siwf_open(rq, &c) == -1)
		return siwf_page(rq, 502, PAGE_FAIL, "The Farcaster relay did "
		    "not answer. Try again in a moment.", NULL, account != 0);
	if (req_set_cookie(rq, COOKIE_SIWF, cookie, SIWF_PATH,
	    rq->srv->cfg.siwf_nonce_ttl, 1) == -1)
		return -1;
	return auth_redirect(rq, SIWF_PAGE);
}

/* The relay's view of the channel: 1 completed (o is the caller's), 0 pending, -1. */
static int
siwf_status(struct req *rq, const struct siwf_chan *c, struct json_object **o)
{
	const char	*s;
	long		 st = 0;

	if ((*o = siwf_relay(rq, "/v1/channel/status", NULL, c->token,
	    &st)) == NULL || (st != 200 && st != 202) ||
	    (s = siwf_jstr(*o, "state", 16)) == NULL) {
		json_object_put(*o);
		*o = NULL;
		return -1;
	}
	if (strcmp(s, "completed") == 0)
		return 1;
	json_object_put(*o);
	*o = NULL;
	return 0;
}

/* Signed in (or linked): the session cookies, and off to the dashboard. */
static int
siwf_done(struct req *rq, const struct siwf_chan *c, struct siwf_proof *p)
{
	struct auth_sess	 s;
	struct acct		 a;
	char			 msg[200];
	int			 rc;

	if (c->link_account != 0) {
		if (rq->who.kind == AUTHN_NONE || rq->who.account !=
		    c->link_account)
			return siwf_page(rq, 403, PAGE_FAIL, "Sign in to the "
			    "account you started linking from first.", NULL, 1);
		if ((rc = siwf_link(rq, c->link_account, p, &a, msg,
		    sizeof(msg))) == 1)
			return siwf_page(rq, 409, PAGE_FAIL, msg, NULL, 1);
	} else
		rc = siwf_account(rq, p, &a);
	if (rc == -1)
		return siwf_page(rq, 503, PAGE_FAIL, "The account cannot be "
		    "found or made now. Try again in a moment.", NULL,
		    c->link_account != 0);
	if (a.disabled)
		return siwf_page(rq, 403, PAGE_FAIL, "This account is disabled: "
		    "ask an administrator.", NULL, c->link_account != 0);
	rq->user_id = a.id;
	/* Binding ends the account's sessions: linking signs in afresh. */
	if (auth_sess_new(rq, &a, &s) == -1 || auth_sess_cookies(rq, &s) == -1)
		return -1;
	auth_audit(rq, a.id, a.username, "login", c->link_account != 0 ?
	    "siwf link" : "siwf browser");
	req_set_cookie(rq, COOKIE_SIWF, "", SIWF_PATH, 0, 1);
	return auth_redirect(rq, c->link_account != 0 ? "/settings" : "/");
}

/* The relay said completed: verify exactly as POST /auth/siwf does. */
static int
siwf_completed(struct req *rq, const struct siwf_chan *c,
    struct json_object *o)
{
	struct siwf_proof	 p;
	struct json_object	*v;
	const char		*msg, *sig, *name;
	char			 detail[256], text[320];
	int			 rc;

	msg = siwf_jstr(o, "message", 8192);
	sig = siwf_jstr(o, "signature", 200);
	if (msg == NULL || sig == NULL) {
		snprintf(detail, sizeof(detail), "relay: the completed channel "
		    "has no message or signature");
		rc = -1;
	} else
		rc = siwf_verify(rq, msg, sig, &p, detail, sizeof(detail));
	if (rc != 0) {
		auth_audit(rq, 0, NULL, "siwf.failed", detail);
		snprintf(text, sizeof(text), "Sign-in refused: %s.", detail);
		return siwf_page(rq, rc == -2 ? 503 : 401, PAGE_FAIL, text, NULL,
		    c->link_account != 0);
	}
	/* The relay's username, only for the fid the message proved. */
	name = siwf_jstr(o, "username", 64);
	if (name != NULL && json_object_object_get_ex(o, "fid", &v) &&
	    json_object_get_int64(v) == p.fid)
		snprintf(p.username, sizeof(p.username), "%s", name);
	return siwf_done(rq, c, &p);
}

int
siwf_chan_poll(struct req *rq)
{
	struct json_object	*o = NULL;
	struct siwf_chan	 c;
	const char		*ck = req_cookie(rq, COOKIE_SIWF);
	char			 h[SEC_SHA256_HEX + 1];
	int			 rc, found = 0;

	if (ck != NULL) {
		sec_sha256_hex(ck, strlen(ck), h);
		if ((found = siwf_chan_get(rq->srv->db, h, &c)) == -1)
			return siwf_page(rq, 503, PAGE_FAIL, "The database is "
			    "unavailable. Try again in a moment.", NULL, 0);
	}
	if (!found || !c.live || c.token[0] == '\0')
		return siwf_page(rq, 410, PAGE_FAIL, "This sign-in request has "
		    "expired or was used already. Start again.", NULL,
		    found && c.link_account != 0);
	if ((rc = siwf_status(rq, &c, &o)) == -1)
		return siwf_page(rq, 200, PAGE_WAIT, "The Farcaster relay did "
		    "not answer; trying again.", &c, c.link_account != 0);
	if (rc == 0)
		return siwf_page(rq, 200, PAGE_WAIT, "Scan the code with your "
		    "phone's camera, or open the link in your Farcaster app, "
		    "and approve the sign-in. This page updates by itself.",
		    &c, c.link_account != 0);
	rc = siwf_completed(rq, &c, o);
	json_object_put(o);
	return rc;
}
