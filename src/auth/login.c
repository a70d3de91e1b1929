#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "auth.h"
#include "policy.h"
#include "siwf.h"
#include "core/throttle.h"
#include "reply/acct.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/qs.h"
#include "core/req.h"
#include "core/srv.h"

#define LOGIN_COUNT_TTL	86400		/* failure counters: one day */

/* The hash an unknown username is checked against, made at start. */
static char	login_dummy[SEC_PWHASH_LEN];

struct login_in {
	const char	*username;
	const char	*password;
	size_t		 pwlen;
	const char	*next;		/* form only; validated */
	int		 form;
};

int
auth_init(struct srv *s)
{
	char	 pw[SEC_TOKEN_LEN + 1];

	if (throttle_init(s->cfg.login_free_fails, s->cfg.login_backoff_ms,
	    s->cfg.login_max_backoff, LOGIN_COUNT_TTL) == -1 ||
	    sec_token(pw) == -1 ||
	    sec_pw_hash(pw, strlen(pw), login_dummy) == -1 ||
	    siwf_init(&s->cfg) == -1)
		return -1;
	return 0;
}

/* A password member: 1..ACCT_PW_MAX bytes, no NUL; copied to the arena. */
static enum step
login_json_pw(struct req *rq, struct json_object *o, int strict,
    const char **pw, size_t *len)
{
	struct json_object	*v;
	const char		*s;
	size_t			 n;

	if (!json_object_object_get_ex(o, "password", &v) ||
	    !json_object_is_type(v, json_type_string))
		return auth_bad(rq, "password: required, a string");
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (strict ? !acct_password_ok(s, n) :
	    (n == 0 || n > ACCT_PW_MAX || memchr(s, '\0', n) != NULL))
		return auth_bad(rq, strict ? "password: 8 to 256 bytes" :
		    "password: 1 to 256 bytes");
	if ((*pw = arena_strndup(rq->arena, s, n)) == NULL)
		return STEP_ERR;
	*len = n;
	return STEP_GO;
}

static enum step
login_json_user(struct req *rq, struct json_object *o, const char **user)
{
	const char	*s;
	enum step	 rc;

	if ((rc = auth_json_str(rq, o, "username", ACCT_USER_MAX, 1, &s)) !=
	    STEP_GO)
		return rc;
	if (!acct_username_ok(s))
		return auth_bad(rq, "username: 1 to 64 of A-Z a-z 0-9 _ . @ + -");
	return (*user = arena_strdup(rq->arena, s)) == NULL ? STEP_ERR :
	    STEP_GO;
}

static enum step
login_json(struct req *rq, struct login_in *in)
{
	struct json_object	*o;
	enum step		 rc;

	if ((rc = auth_json_body(rq, &o)) != STEP_GO)
		return rc;
	if ((rc = login_json_user(rq, o, &in->username)) == STEP_GO)
		rc = login_json_pw(rq, o, 0, &in->password, &in->pwlen);
	json_object_put(o);
	return rc;
}

/* The dashboard's form: CSRF first; bad fields send the browser back. */
static enum step
login_form(struct req *rq, struct login_in *in)
{
	struct qs_list	 f;
	const char	*u, *p, *n;

	in->form = 1;
	in->next = "/";
	memset(&f, 0, sizeof(f));
	if (qs_parse(rq->arena, rq->body, rq->bodylen, &f) != QS_OK)
		return auth_bad(rq, "body: not a valid form");
	if (qs_count(&f, "csrf_token") != 1 ||
	    !auth_csrf_login_ok(rq, qs_get(&f, "csrf_token")))
		return step_sent(req_problem(rq, PROB_FORBIDDEN, "csrf_token: "
		    "missing or does not match the rc_csrf cookie"));
	if ((n = qs_get(&f, "next")) != NULL && qs_count(&f, "next") == 1 &&
	    policy_next_ok(n))
		in->next = n;
	u = qs_get(&f, "username");
	p = qs_get(&f, "password");
	if (u == NULL || p == NULL || qs_count(&f, "username") != 1 ||
	    qs_count(&f, "password") != 1 || !acct_username_ok(u) ||
	    *p == '\0' || strlen(p) > ACCT_PW_MAX)
		return step_sent(auth_redirect(rq, "/login?error=1"));
	in->username = u;
	in->password = p;
	in->pwlen = strlen(p);
	return STEP_GO;
}

static int
login_throttled(struct req *rq, const struct login_in *in, long ms)
{
	char	 s[24], to[64];
	long	 secs = throttle_retry_s(ms);

	auth_audit(rq, 0, in->username, "login.throttled", NULL);
	snprintf(s, sizeof(s), "%ld", secs);
	if (in->form) {
		snprintf(to, sizeof(to), "/login?error=throttled&retry=%ld",
		    secs);
		return auth_redirect(rq, to);
	}
	req_problem(rq, PROB_TOO_MANY_REQUESTS, "too many failed logins: "
	    "try again in %ld s", secs);
	return resp_header(rq->resp, "Retry-After", s);
}

/* 1 when the password is right; unknown users cost one verification too. */
static int
login_check(struct req *rq, const struct login_in *in, struct acct *a,
    int *known)
{
	enum acct_err	 e;
	int		 ok;

	*known = 0;
	if ((e = acct_find(rq->srv->db, in->username, a)) == ACCT_EDB)
		return -1;
	*known = e == ACCT_OK;
	ok = sec_pw_verify(*known ? a->pw_hash : login_dummy, in->password,
	    in->pwlen);
	if (ok == -1 && *known)
		log_msg("error", "account %" PRId64 ": unreadable password hash",
		    a->id);
	/* A disabled account fails as a wrong password does: no hint. */
	return *known && ok == 1 && !a->disabled;
}

static int
login_ok(struct req *rq, const struct login_in *in, const struct acct *a,
    const struct throttle_ticket *t)
{
	struct auth_sess	 s;

	throttle_forgive(rq->srv->kv, t);
	rq->user_id = a->id;
	if (auth_sess_new(rq, a, &s) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot "
		    "start the session now");
	auth_audit(rq, a->id, a->username, "login", in->form ? "form" : "json");
	if (!in->form)
		return auth_sess_json(rq, 200, a, &s);
	if (auth_sess_cookies(rq, &s) == -1)
		return -1;
	return auth_redirect(rq, in->next);
}

int
auth_login(struct req *rq)
{
	struct login_in		 in;
	struct throttle_ticket	 t;
	struct acct		 a;
	long			 ms;
	enum step		 st;
	int			 rc, known;

	memset(&in, 0, sizeof(in));
	if ((st = auth_is_form(rq) ? login_form(rq, &in) : login_json(rq,
	    &in)) != STEP_GO)
		return step_end(st);
	/* Counted as a failure now: a right password gives it back. */
	if ((ms = throttle_admit(rq->srv->kv, in.username, rq->remote_addr,
	    &t)) > 0)
		return login_throttled(rq, &in, ms);
	if ((rc = login_check(rq, &in, &a, &known)) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	if (rc == 1)
		return login_ok(rq, &in, &a, &t);
	auth_audit(rq, known ? a.id : 0, in.username, "login.failed",
	    !known ? "unknown username" : a.disabled ? "account disabled" :
	    "wrong password");
	if (in.form)
		return auth_redirect(rq, "/login?error=1");
	resp_header(rq->resp, "WWW-Authenticate", "Bearer realm=\"replycast\"");
	return req_problem(rq, PROB_UNAUTHORIZED, "wrong username or password");
}

/*
 * A fid is the key to someone's data: nobody binds one to themselves
 * without proof of owning it.  Sign In with Farcaster gives that proof;
 * a self-registered account has no fid and a request naming one is
 * refused rather than half-honoured.
 */
static enum step
register_no_fid(struct req *rq, struct json_object *o)
{
	if (!json_object_object_get_ex(o, "fid", NULL))
		return STEP_GO;
	return auth_bad(rq, "fid: not accepted here; a fid is bound by Sign "
	    "In with Farcaster (Settings, or POST /auth/siwf) or by an "
	    "administrator (replycastctl user bind)");
}

int
auth_register(struct req *rq)
{
	struct json_object	*o;
	struct auth_sess	 s;
	struct acct		 a;
	const char		*user = NULL, *pw = NULL;
	size_t			 len = 0;
	enum acct_err		 e;
	enum step		 st;

	if (!rq->srv->cfg.self_register)
		return req_problem(rq, PROB_FORBIDDEN, "self-registration is "
		    "off (RC_SELF_REGISTER)");
	if ((st = auth_json_body(rq, &o)) != STEP_GO)
		return step_end(st);
	if ((st = register_no_fid(rq, o)) == STEP_GO &&
	    (st = login_json_user(rq, o, &user)) == STEP_GO)
		st = login_json_pw(rq, o, 1, &pw, &len);
	json_object_put(o);
	if (st != STEP_GO)
		return step_end(st);
	e = acct_add(rq->srv->db, user, pw, len, 0, TOK_ROLE_USER, &a);
	if (e == ACCT_EEXISTS)
		return req_problem(rq, PROB_CONFLICT, "username: taken");
	if (e != ACCT_OK)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot create the "
		    "account now");
	rq->user_id = a.id;
	auth_audit(rq, a.id, a.username, "register", NULL);
	if (auth_sess_new(rq, &a, &s) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot "
		    "start the session now");
	return auth_sess_json(rq, 201, &a, &s);
}
