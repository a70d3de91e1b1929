#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/req.h"
#include "core/resp.h"
#include "core/sec.h"
#include "core/srv.h"
#include "core/throttle.h"
#include "reply/acct.h"
#include "dash.h"

/*
 * The admin page's account forms.  The gate has checked the admin role and
 * the CSRF token before this runs; what is left is what the form asks for.
 * Changes go through acct_create and acct_apply, as replycastctl user's do.
 */
enum adm_act {
	ADM_CREATE = 0, ADM_DISABLE, ADM_ENABLE, ADM_PASSWORD, ADM_FID,
	ADM_ROLE, ADM_ACT__MAX
};
static const char *const adm_acts[ADM_ACT__MAX + 1] = {
	"create", "disable", "enable", "password", "fid", "role", NULL
};
/* What the page says an action did. */
static const char *const adm_said[ADM_ACT__MAX] = {
	"created", "disabled", "enabled", "password reset", "fid changed",
	"role changed"
};
static const char *const adm_roles[TOK_ROLE__MAX + 1] = {
	"user", "admin", NULL
};

enum adm_key { ADM_CSRF, ADM_ACTION, ADM_USER, ADM_ROLEK, ADM_FIDK,
	ADM_CONFIRM, ADM__MAX };
static const struct param_spec spec_admin[ADM__MAX] = {
	[ADM_CSRF] = { "csrf_token", PARAM_STR, 0, 128, NULL, 0, 0 },
	[ADM_ACTION] = { "action", PARAM_ENUM, 0, 0, adm_acts, 1, 0 },
	[ADM_USER] = { "username", PARAM_STR, 0, ACCT_USER_MAX, NULL, 1, 0 },
	[ADM_ROLEK] = { "role", PARAM_ENUM, 0, 0, adm_roles, 0, 0 },
	[ADM_FIDK] = { "fid", PARAM_INT, 0, 1LL << 53, NULL, 0, 0 },
	[ADM_CONFIRM] = { "confirm", PARAM_STR, 0, ACCT_PW_MAX, NULL, 0, 0 },
};

/* One form's request, checked. */
struct adm_in {
	enum adm_act	 act;
	const char	*username;
	enum tok_role	 role;
	int64_t		 fid;
	const char	*confirm;	/* the acting admin's password; NULL */
	struct acct	 me;		/* the acting admin */
	struct acct_actor actor;
};

int
dash_admin_init(const struct srv *s)
{
	return throttle_init(s->cfg.login_free_fails, s->cfg.login_backoff_ms,
	    s->cfg.login_max_backoff, 86400);
}

static int
adm_fail(struct req *rq, int status, const char *why)
{
	struct dash_admin_msg	 m = { why, NULL, NULL };

	return dash_admin_page(rq, &m, status);
}

/*
 * Role and fid changes (and a new admin or a new binding) need the acting
 * admin's password again, checked as a sign-in is and throttled by the
 * same counters: a stolen session cannot guess faster than the login
 * page.  1 confirmed; 0 refused (answered); -1 error.
 */
static int
adm_confirm(struct req *rq, const struct adm_in *in)
{
	struct throttle_ticket	 t;
	char			 msg[160];
	long			 ms;

	if (in->confirm == NULL) {
		adm_fail(rq, 403, "Confirm with your own password: nothing "
		    "changed.");
		return 0;
	}
	if ((ms = throttle_admit(rq->srv->kv, in->me.username,
	    rq->remote_addr, &t)) > 0) {
		acct_audit_req(rq->srv->db, rq, in->me.id, in->me.username,
		    "admin.confirm.throttled", adm_acts[in->act]);
		snprintf(msg, sizeof(msg), "Too many wrong passwords: try again "
		    "in %ld s. Nothing changed.", throttle_retry_s(ms));
		adm_fail(rq, 429, msg);
		return 0;
	}
	if (acct_pw_ok(&in->me, in->confirm, strlen(in->confirm))) {
		throttle_forgive(rq->srv->kv, &t);
		return 1;
	}
	acct_audit_req(rq->srv->db, rq, in->me.id, in->me.username,
	    "admin.confirm.failed", adm_acts[in->act]);
	adm_fail(rq, 403, "Your password was wrong: nothing changed.");
	return 0;
}

/* An admin does not lock themselves out: the page says so too. */
static const char *
adm_self(const struct adm_in *in)
{
	if (strcmp(in->me.username, in->username) != 0)
		return NULL;
	if (in->act == ADM_DISABLE)
		return "You cannot disable your own account.";
	if (in->act == ADM_ROLE && in->role != TOK_ROLE_ADMIN)
		return "You cannot remove your own admin role.";
	if (in->act == ADM_PASSWORD)
		return "Reset your own password with replycastctl user passwd.";
	return NULL;
}

static int
adm_err(struct req *rq, enum acct_err e, const struct adm_in *in)
{
	char	 msg[160];

	if (e == ACCT_ENOTFOUND)
		snprintf(msg, sizeof(msg), "There is no account %s.",
		    in->username);
	else if (e == ACCT_EEXISTS)
		snprintf(msg, sizeof(msg), "The username %s is taken.",
		    in->username);
	else if (e == ACCT_EFID)
		snprintf(msg, sizeof(msg), "Fid %" PRId64 " is bound to another "
		    "account already (one account per fid).", in->fid);
	else
		return -1;
	return adm_fail(rq, e == ACCT_ENOTFOUND ? 404 : 409, msg);
}

/* A new account with a one-time password, shown once on the page. */
static int
adm_create(struct req *rq, const struct adm_in *in)
{
	struct dash_admin_msg	 m = { NULL, NULL, NULL };
	char			 pw[SEC_TOKEN_LEN + 1], done[160];
	struct acct		 a;
	enum acct_err		 e;
	int			 rc;

	if (sec_token(pw) == -1)
		return -1;
	e = acct_create(rq->srv->db, in->username, pw, strlen(pw), in->fid,
	    in->role, &in->actor, &a);
	if (e != ACCT_OK) {
		explicit_bzero(pw, sizeof(pw));
		return adm_err(rq, e, in);
	}
	snprintf(done, sizeof(done), "Created %s (%s%s). Give them this "
	    "password; it is shown only now.", a.username,
	    tok_role_name(a.role), a.fid > 0 ? ", fid bound" : "");
	m.done = done;
	m.password = pw;
	rc = dash_admin_page(rq, &m, 201);
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

static int
adm_change(struct req *rq, const struct adm_in *in)
{
	static const enum acct_op ops[ADM_ACT__MAX] = {
		[ADM_DISABLE] = ACCT_OP_DISABLE, [ADM_ENABLE] = ACCT_OP_ENABLE,
		[ADM_PASSWORD] = ACCT_OP_PASSWD, [ADM_FID] = ACCT_OP_BIND,
		[ADM_ROLE] = ACCT_OP_ROLE,
	};
	struct acct_change	 c = { ops[in->act], in->username, NULL, 0,
				    in->fid, in->role };
	struct dash_admin_msg	 m = { NULL, NULL, NULL };
	char			 pw[SEC_TOKEN_LEN + 1] = "", done[200];
	int64_t			 id;
	int			 mirrored, rc;
	enum acct_err		 e;

	if (in->act == ADM_PASSWORD) {
		if (sec_token(pw) == -1)
			return -1;
		c.pw = pw;
		c.pwlen = strlen(pw);
		m.password = pw;
	}
	e = acct_apply(rq->srv->db, rq->srv->kv, &c, &in->actor, &id,
	    &mirrored);
	if (e != ACCT_OK) {
		explicit_bzero(pw, sizeof(pw));
		return adm_err(rq, e, in);
	}
	snprintf(done, sizeof(done), "%s: %s%s. Every session of the account "
	    "ended%s.", in->username, adm_said[in->act],
	    in->act == ADM_PASSWORD ? " (the new password is below, shown "
	    "only now)" : "", mirrored ? "" : " (Redis is down: its old "
	    "tokens may work for a few more minutes)");
	m.done = done;
	rc = dash_admin_page(rq, &m, 200);
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

/* The form's fields into in; STEP_DONE when a page was answered. */
static enum step
adm_read(struct req *rq, struct adm_in *in)
{
	struct param_val	 v[ADM__MAX];
	enum step		 st;

	memset(in, 0, sizeof(*in));
	if ((st = dash_params(rq, req_form_list(rq), spec_admin, ADM__MAX,
	    v)) != STEP_GO)
		return st;
	in->act = (enum adm_act)v[ADM_ACTION].i;
	in->username = v[ADM_USER].s;
	in->role = v[ADM_ROLEK].present ? (enum tok_role)v[ADM_ROLEK].i :
	    TOK_ROLE_USER;
	in->fid = v[ADM_FIDK].present ? v[ADM_FIDK].i : 0;
	in->confirm = v[ADM_CONFIRM].present ? v[ADM_CONFIRM].s : NULL;
	if (!acct_username_ok(in->username))
		return step_sent(adm_fail(rq, 400, "A username is 1 to 64 of "
		    "A-Z a-z 0-9 _ . @ + -."));
	if (in->act == ADM_ROLE && !v[ADM_ROLEK].present)
		return step_sent(adm_fail(rq, 400, "Choose a role."));
	if (acct_get(rq->srv->db, rq->who.account, &in->me) != ACCT_OK)
		return STEP_ERR;
	in->actor.by = in->me.username;
	in->actor.client_addr = rq->remote_addr;
	in->actor.request_id = rq->id;
	return STEP_GO;
}

int
dash_admin_post(struct req *rq)
{
	struct adm_in	 in;
	const char	*why;
	enum step	 st;
	int		 ok;

	if ((st = adm_read(rq, &in)) != STEP_GO)
		return step_end(st);
	if ((why = adm_self(&in)) != NULL)
		return adm_fail(rq, 409, why);
	if (in.act == ADM_ROLE || in.act == ADM_FID || (in.act == ADM_CREATE &&
	    (in.role == TOK_ROLE_ADMIN || in.fid > 0))) {
		if ((ok = adm_confirm(rq, &in)) != 1)
			return ok == 0 ? 0 : -1;
	}
	if (in.act == ADM_CREATE)
		return adm_create(rq, &in);
	return adm_change(rq, &in);
}
