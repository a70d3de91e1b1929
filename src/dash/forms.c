#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "core/apikey.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/kv.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/acct.h"
#include "reply/ing.h"
#include "reply/settings.h"
#include "reply/triage.h"
#include "dash.h"

static const struct db_stmt dash_stmt_keys = { "dash_keys",
	"SELECT id, name, scope, prefix, to_char(created_at, 'YYYY-MM-DD'),"
	" coalesce(to_char(last_used_at, 'YYYY-MM-DD HH24:MI'), 'never')"
	" FROM api_keys WHERE account_id = $1::bigint ORDER BY id", 1, 1 };
static const struct db_stmt dash_stmt_key_del = { "dash_key_del",
	"DELETE FROM api_keys WHERE id = $1::bigint AND account_id = $2::bigint",
	2, 0 };
/* csrf for the sign-in form; 1 when it is new (to be set as the cookie). */
static int
dash_login_csrf(struct req *rq, char csrf[AUTHN_CSRF_PRE_LEN + 1])
{
	const char	*c = req_cookie(rq, COOKIE_CSRF);

	csrf[0] = '\0';
	/* /login is AUTHN_OPTIONAL: rq->who is a live caller, or none. */
	if (rq->who.kind == AUTHN_COOKIE &&
	    authn_csrf_session(&rq->srv->key, rq->who.sid, csrf) == 0)
		return 0;
	if (c != NULL && authn_csrf_pre_valid(&rq->srv->key, c)) {
		snprintf(csrf, AUTHN_CSRF_PRE_LEN + 1, "%s", c);
		return 0;
	}
	if (authn_csrf_pre_new(&rq->srv->key, csrf) == -1) {
		csrf[0] = '\0';
		return -1;
	}
	return 1;
}

int
dash_login(struct req *rq)
{
	struct dash_page	 p;
	struct json_object	*d = json_object_new_object();
	const char		*e = req_query(rq, "error"), *next;
	char			 csrf[AUTHN_CSRF_PRE_LEN + 1];

	/*
	 * The sign-in form's CSRF token: the session's when signed in, else the
	 * pre-session token the browser holds (other tabs keep theirs), else a
	 * new one, set as the CSRF cookie.
	 */
	if (dash_login_csrf(rq, csrf) == 1) {
		if (req_set_cookie(rq, COOKIE_CSRF, csrf, "/", -1, 0) == -1) {
			json_object_put(d);
			return -1;
		}
	} else if (csrf[0] == '\0') {
		json_object_put(d);
		return -1;
	}
	next = req_query(rq, "next");
	json_object_object_add(d, "csrf", json_object_new_string(csrf));
	json_object_object_add(d, "next", json_object_new_string(
	    next != NULL && next[0] == '/' && next[1] != '/' &&
	    strchr(next, '\\') == NULL ? next : "/"));
	if (e != NULL && strcmp(e, "throttled") == 0)
		json_object_object_add(d, "throttled", json_object_new_string(
		    req_query(rq, "retry") ? req_query(rq, "retry") : "a few"));
	else if (e != NULL)
		json_object_object_add(d, "wrong", json_object_new_boolean(1));
	if (req_query(rq, "signed_out") != NULL)
		json_object_object_add(d, "signed_out", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "login";
	p.title = "Sign in";
	p.data = d;
	return dash_render(rq, NULL, &p, 200);
}

int
dash_triage(struct req *rq)
{
	static const char *const snoozes[] = { "1h", "4h", "1d", "7d", NULL };
	static const int64_t snooze_s[] = { 3600, 4 * 3600, 86400, 7 * 86400 };
	struct authn	 who;
	const char	*hash = req_form(rq, "hash"), *act = req_form(rq, "action"),
			*sn = req_form(rq, "snooze"), *back = req_form(rq, "back");
	char		 h[ING_HASH_LEN + 1], loc[300];
	enum triage_res	 t = TRIAGE_NOTFOUND;
	int		 i;

	who = rq->who;
	if (hash == NULL || act == NULL || valid_hash(hash, h) == -1)
		return dash_error(rq, PROB_INVALID_PARAM, "the form lacks a "
		    "cast or an action");
	if (strcmp(act, "done") == 0)
		t = triage_set(rq->srv->db, who.fid, h, 0);
	else if (strcmp(act, "undo") == 0)
		t = triage_clear(rq->srv->db, who.fid, h);
	else if (strcmp(act, "snooze") == 0 && sn != NULL) {
		for (i = 0; snoozes[i] != NULL; i++)
			if (strcmp(sn, snoozes[i]) == 0)
				t = triage_set(rq->srv->db, who.fid, h,
				    (int64_t)time(NULL) + snooze_s[i]);
	} else
		return dash_error(rq, PROB_INVALID_PARAM, "unknown action");
	if (t == TRIAGE_EDB)
		return -1;
	if (t == TRIAGE_NOTFOUND)
		return dash_error(rq, PROB_NOT_FOUND, "that cast is not in your "
		    "inbox");
	/* Back to the same filters: only a query string of ours. */
	if (back == NULL || back[0] != '?' || strlen(back) >= 200 ||
	    strpbrk(back, "\r\n\\") != NULL)
		back = "";
	snprintf(loc, sizeof(loc), "/inbox%s", back);
	return dash_redirect(rq, loc);
}

static const char *const dash_days[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};
static const char *const dash_day_names[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

static struct json_object *
dash_keys(struct req *rq, int64_t account)
{
	char			 a[24];
	const char		*p[1] = { a };
	struct json_object	*arr = json_object_new_array(), *k;
	PGresult		*r;
	int			 i;

	snprintf(a, sizeof(a), "%" PRId64, account);
	if ((r = db_exec(rq->srv->db, &dash_stmt_keys, p, NULL)) == NULL)
		return arr;
	for (i = 0; i < PQntuples(r); i++) {
		k = json_object_new_object();
		json_object_object_add(k, "id", json_object_new_string(
		    PQgetvalue(r, i, 0)));
		json_object_object_add(k, "name", json_object_new_string(
		    PQgetvalue(r, i, 1)));
		json_object_object_add(k, "scope", json_object_new_string(
		    PQgetvalue(r, i, 2)));
		json_object_object_add(k, "prefix", json_object_new_string(
		    PQgetvalue(r, i, 3)));
		json_object_object_add(k, "created", json_object_new_string(
		    PQgetvalue(r, i, 4)));
		json_object_object_add(k, "last_used", json_object_new_string(
		    PQgetvalue(r, i, 5)));
		json_object_array_add(arr, k);
	}
	PQclear(r);
	return arr;
}

/* The settings page; error and new_key may be NULL. */
static int
dash_settings_page(struct req *rq, const struct authn *who, const char *error,
    const char *new_key, int status)
{
	struct dash_page	 p;
	struct json_object	*d, *s, *days, *day, *wd, *m;
	char			 muted[4096];
	size_t			 i, k, n, len = 0;

	if ((s = settings_get(rq->srv->db, who->fid)) == NULL)
		return -1;
	d = json_object_new_object();
	days = json_object_new_array();
	json_object_object_get_ex(s, "work_days", &wd);
	for (i = 0; i < 7; i++) {
		day = json_object_new_object();
		json_object_object_add(day, "value", json_object_new_string(dash_days[i]));
		json_object_object_add(day, "label", json_object_new_string(dash_day_names[i]));
		for (k = 0; k < json_object_array_length(wd); k++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(
			    wd, k)), dash_days[i]) == 0)
				json_object_object_add(day, "checked",
				    json_object_new_boolean(1));
		json_object_array_add(days, day);
	}
	json_object_object_get_ex(s, "muted", &m);
	muted[0] = '\0';
	n = m ? json_object_array_length(m) : 0;
	for (i = 0; i < n && len + 24 < sizeof(muted); i++)
		len += (size_t)snprintf(muted + len, sizeof(muted) - len, "%s%" PRId64,
		    i ? ", " : "", json_object_get_int64(json_object_array_get_idx(m, i)));
	json_object_object_add(d, "days", days);
	json_object_object_add(d, "muted_text", json_object_new_string(muted));
	json_object_object_add(d, "goal_minutes", json_object_new_int64(
	    json_object_get_int64(json_object_object_get(s, "goal_seconds")) / 60));
	json_object_object_add(d, "settings", s);
	json_object_object_add(d, "keys", dash_keys(rq, who->account));
	if (error != NULL)
		json_object_object_add(d, "error", json_object_new_string(error));
	if (new_key != NULL)
		json_object_object_add(d, "new_key", json_object_new_string(new_key));
	if (req_query(rq, "saved") != NULL)
		json_object_object_add(d, "saved", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "settings";
	p.title = "Settings";
	p.nav = "settings";
	p.data = d;
	return dash_render(rq, who, &p, status);
}

int
dash_settings(struct req *rq)
{
	struct authn	 who;

	who = rq->who;
	return dash_settings_page(rq, &who, NULL, NULL, 200);
}

/* The form as the JSON shape settings_apply checks; NULL on a bad field. */
static struct json_object *
dash_settings_json(struct req *rq, const char **why)
{
	struct json_object	*o = json_object_new_object(), *days, *muted;
	const char		*v, *p;
	uint64_t		 u;
	size_t			 i;
	char			*end;

	json_object_object_add(o, "tz", json_object_new_string(
	    (v = req_form(rq, "tz")) ? v : ""));
	days = json_object_new_array();
	for (i = 0; rq->form_state == 1 && i < rq->form.n; i++)
		if (strcmp(rq->form.v[i].key, "day") == 0)
			json_object_array_add(days, json_object_new_string(
			    rq->form.v[i].val));
	json_object_object_add(o, "work_days", days);
	json_object_object_add(o, "work_start", json_object_new_string(
	    (v = req_form(rq, "work_start")) ? v : ""));
	json_object_object_add(o, "work_end", json_object_new_string(
	    (v = req_form(rq, "work_end")) ? v : ""));
	if (valid_u64(req_form(rq, "goal_minutes"), 10080, &u) == -1) {
		*why = "goal: a number of minutes from 1 to 10080";
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "goal_seconds", json_object_new_int64(
	    (int64_t)u * 60));
	muted = json_object_new_array();
	for (p = (v = req_form(rq, "muted")) ? v : ""; *p != '\0'; ) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		u = strtoull(p, &end, 10);
		if (end == p || u == 0 || u > (1ULL << 53)) {
			*why = "muted: fids separated by commas";
			json_object_put(muted);
			json_object_put(o);
			return NULL;
		}
		json_object_array_add(muted, json_object_new_int64((int64_t)u));
		p = end;
	}
	json_object_object_add(o, "muted", muted);
	return o;
}

int
dash_settings_save(struct req *rq)
{
	struct json_object	*o;
	struct authn		 who;
	const char		*why = NULL;
	char			 err[200], f[24];
	enum settings_res	 rc;

	who = rq->who;
	if ((o = dash_settings_json(rq, &why)) == NULL)
		return dash_settings_page(rq, &who, why, NULL, 400);
	rc = settings_apply(rq->srv->db, who.fid, o, err, sizeof(err));
	json_object_put(o);
	if (rc == SETTINGS_EDB)
		return -1;
	if (rc == SETTINGS_BAD)
		return dash_settings_page(rq, &who, err, NULL, 400);
	snprintf(f, sizeof(f), "%" PRId64, who.fid);
	gate_bump(rq->srv->kv, f);
	return dash_redirect(rq, "/settings?saved=1");
}

static void
dash_audit(struct req *rq, int64_t account, const char *action,
    const char *detail)
{
	acct_audit_req(rq->srv->db, rq, account, NULL, action, detail);
}

int
dash_key_create(struct req *rq)
{
	struct authn		 who;
	struct apikey_made	 m;
	char			 msg[128];
	const char		*name = req_form(rq, "name");
	long			 max = rq->srv->cfg.max_api_keys;
	enum apikey_err		 e;
	int			 rc;

	who = rq->who;
	if (name == NULL || *name == '\0' || strlen(name) > 64 ||
	    valid_printable(name, 64) == -1)
		return dash_settings_page(rq, &who, "key name: 1 to 64 "
		    "printable characters", NULL, 400);
	if ((e = apikey_mint(rq->srv->db, who.account, name, "read", max,
	    &m)) == APIKEY_EFULL) {
		snprintf(msg, sizeof(msg), "You already have %ld API keys, the "
		    "most allowed. Delete one to create another.", max);
		return dash_settings_page(rq, &who, msg, NULL, 409);
	}
	if (e != APIKEY_OK)
		return -1;
	dash_audit(rq, who.account, "key.create", name);
	/* Shown once, on this page; only its hash is kept. */
	rc = dash_settings_page(rq, &who, NULL, m.key, 200);
	explicit_bzero(m.key, sizeof(m.key));
	return rc;
}

int
dash_key_delete(struct req *rq)
{
	struct authn	 who;
	char		 a[24];
	const char	*id = req_form(rq, "id"), *p[2];
	uint64_t	 u;
	PGresult	*r;
	int		 rc;

	who = rq->who;
	if (valid_u64(id, INT64_MAX, &u) == -1)
		return dash_error(rq, PROB_INVALID_PARAM, "no such key");
	snprintf(a, sizeof(a), "%" PRId64, who.account);
	p[0] = id;
	p[1] = a;
	if ((r = db_exec(rq->srv->db, &dash_stmt_key_del, p, NULL)) == NULL)
		return -1;
	rc = (int)strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (rc == 0)
		return dash_error(rq, PROB_NOT_FOUND, "no such key");
	dash_audit(rq, who.account, "key.delete", id);
	return dash_redirect(rq, "/settings");
}
