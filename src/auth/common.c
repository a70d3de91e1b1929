#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json.h>

#include "auth.h"
#include "core/buf.h"
#include "core/cookie.h"
#include "core/gate.h"
#include "core/jparse.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/acct.h"

static int
auth_ctype_is(const struct req *rq, const char *want)
{
	const char	*ct = req_param(rq, "CONTENT_TYPE");
	size_t		 n = strlen(want);

	return ct != NULL && strncasecmp(ct, want, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
auth_is_json(const struct req *rq)
{
	return auth_ctype_is(rq, "application/json");
}

int
auth_is_form(const struct req *rq)
{
	return auth_ctype_is(rq, "application/x-www-form-urlencoded");
}

int
auth_redirect(struct req *rq, const char *to)
{
	if (resp_header(rq->resp, "Location", to) == -1)
		return -1;
	resp_header(rq->resp, "Cache-Control", "no-store");
	rq->resp->status = 303;
	return 0;
}

enum step
auth_bad(struct req *rq, const char *detail)
{
	return step_sent(resp_problem(rq->resp, PROB_INVALID_PARAM, detail,
	    rq->id, NULL));
}

enum step
auth_json_body(struct req *rq, struct json_object **out)
{
	enum jparse_err	 e;

	*out = NULL;
	if (!auth_is_json(rq))
		return step_sent(resp_problem(rq->resp, PROB_UNSUPPORTED_MEDIA,
		    "send Content-Type: application/json", rq->id, NULL));
	if ((e = jparse_object(rq->body, rq->bodylen, JPARSE_DEPTH, out, NULL,
	    0)) == JPARSE_ENOMEM)
		return STEP_ERR;
	if (e != JPARSE_OK)
		return auth_bad(rq, "body: not a JSON object");
	return STEP_GO;
}

enum step
auth_json_str(struct req *rq, struct json_object *o, const char *key,
    size_t max, int required, const char **out)
{
	struct json_object	*v;
	char			 msg[160];
	const char		*s;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (!required)
			return STEP_GO;
		snprintf(msg, sizeof(msg), "%s: required", key);
		return auth_bad(rq, msg);
	}
	s = json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
	/* json-c keeps a \u0000 inside; the length tells. */
	if (s == NULL || *s == '\0' ||
	    strlen(s) != (size_t)json_object_get_string_len(v) ||
	    valid_printable(s, max) == -1) {
		snprintf(msg, sizeof(msg), "%s: must be a string of 1 to %lu "
		    "printable bytes", key, (unsigned long)max);
		return auth_bad(rq, msg);
	}
	*out = s;
	return STEP_GO;
}

void
auth_audit(struct req *rq, int64_t account, const char *username,
    const char *action, const char *detail)
{
	acct_audit_req(rq->srv->db, rq, account, username, action, detail);
}

int
auth_cookie(struct req *rq, enum cookie_id id, const char *value,
    const char *path, long max_age, int http_only)
{
	return req_set_cookie(rq, id, value, path, max_age, http_only);
}

int
auth_csrf_set(struct req *rq, const char *token)
{
	/* Readable by the page, which echoes it; a session cookie. */
	return auth_cookie(rq, AUTH_COOKIE_CSRF, token, "/", -1, 0);
}

int
auth_csrf_login_ok(struct req *rq, const char *given)
{
	const char	*c = req_cookie(rq, AUTH_COOKIE_CSRF);

	if (given == NULL)
		return 0;
	/* The pre-session token: made here, and the one this browser holds. */
	if (c != NULL && authn_csrf_pre_valid(&rq->srv->key, c) &&
	    sec_equal(c, strlen(c), given, strlen(given)))
		return 1;
	/* Signed in already: the session's own token. */
	return authn_csrf_cookie_ok(rq, &rq->srv->key, given);
}

struct json_object *
auth_account_json(const struct acct *a)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(a->id));
	json_object_object_add(o, "username",
	    json_object_new_string(a->username));
	json_object_object_add(o, "fid", json_object_new_int64(a->fid));
	json_object_object_add(o, "role",
	    json_object_new_string(tok_role_name(a->role)));
	return o;
}
