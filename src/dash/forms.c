#include <ctype.h>
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

static const char *const dash_one[] = { "1", NULL };
static const char *const dash_login_errors[] = { "1", "throttled", NULL };
/* done_page marks every cast the page listed (its "page" fields). */
static const char *const dash_actions[] = {
	"done", "undo", "snooze", "done_page", NULL
};
static const char *const dash_snoozes[] = { "1h", "4h", "1d", "7d", NULL };
/* The inbox view a triage form came from, where it returns. */
static const char *const dash_tri_shows[] = {
	"inbox", "done", "snoozed", "acknowledged", NULL
};
static const char *const dash_answers[] = { "direct", "thread", NULL };
static const char *const dash_dismissed[] = { "counted", "excluded", NULL };
static const char *const dash_day_keys[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL
};

/* The declared parameters of the sign-in page, the settings and forms. */
enum login_key { LOGIN_ERROR, LOGIN_RETRY, LOGIN_NEXT, LOGIN_OUT, LOGIN__MAX };
enum saved_key { SAVED, SAVED__MAX };
enum triage_key {
	TRI_CSRF, TRI_HASH, TRI_ACTION, TRI_SNOOZE, TRI_PAGE, TRI_SHOW,
	TRI__MAX
};
enum set_key {
	SET_CSRF, SET_TZ, SET_DAY, SET_START, SET_END, SET_GOAL, SET_MUTED,
	SET_BOTS, SET_CHAN, SET_ANSWER, SET_LIKES, SET_DISMISSED, SET__MAX
};
enum key_key { KEY_CSRF, KEY_NAME, KEY__MAX };
enum keydel_key { KDEL_CSRF, KDEL_ID, KDEL__MAX };

#define CSRF_SPEC	{ "csrf_token", PARAM_STR, 0, 128, NULL, 0, 0 }

static const struct param_spec spec_login[LOGIN__MAX] = {
	[LOGIN_ERROR] = { "error", PARAM_ENUM, 0, 0, dash_login_errors, 0, 0 },
	[LOGIN_RETRY] = { "retry", PARAM_INT, 0, 86400, NULL, 0, 0 },
	[LOGIN_NEXT] = { "next", PARAM_STR, 0, 512, NULL, 0, 0 },
	[LOGIN_OUT] = { "signed_out", PARAM_ENUM, 0, 0, dash_one, 0, 0 },
};
static const struct param_spec spec_saved[SAVED__MAX] = {
	[SAVED] = { "saved", PARAM_ENUM, 0, 0, dash_one, 0, 0 },
};
static const struct param_spec spec_triage[TRI__MAX] = {
	[TRI_CSRF] = CSRF_SPEC,
	[TRI_HASH] = { "hash", PARAM_STR, 0, 64, NULL, 0, 1 },
	[TRI_ACTION] = { "action", PARAM_ENUM, 0, 0, dash_actions, 1, 0 },
	[TRI_SNOOZE] = { "snooze", PARAM_ENUM, 0, 0, dash_snoozes, 0, 0 },
	[TRI_PAGE] = { "page", PARAM_STR, 0, 64, NULL, 0, 1 },
	[TRI_SHOW] = { "show", PARAM_ENUM, 0, 0, dash_tri_shows, 0, 0 },
};
static const struct param_spec spec_settings[SET__MAX] = {
	[SET_CSRF] = CSRF_SPEC,
	[SET_TZ] = { "tz", PARAM_TZ, 0, 0, NULL, 0, 0 },
	[SET_DAY] = { "day", PARAM_ENUM, 0, 0, dash_day_keys, 0, 1 },
	[SET_START] = { "work_start", PARAM_STR, 0, 5, NULL, 0, 0 },
	[SET_END] = { "work_end", PARAM_STR, 0, 5, NULL, 0, 0 },
	[SET_GOAL] = { "goal_minutes", PARAM_INT, 1, 10080, NULL, 1, 0 },
	[SET_MUTED] = { "muted", PARAM_STR, 0, 20000, NULL, 0, 0 },
	[SET_BOTS] = { "bots", PARAM_STR, 0, 20000, NULL, 0, 0 },
	[SET_CHAN] = { "channel_goals", PARAM_STR, 0, 60000, NULL, 0, 0 },
	[SET_ANSWER] = { "answer", PARAM_ENUM, 0, 0, dash_answers, 0, 0 },
	[SET_LIKES] = { "likes", PARAM_ENUM, 0, 0, dash_one, 0, 0 },
	[SET_DISMISSED] = { "dismissed", PARAM_ENUM, 0, 0, dash_dismissed, 0, 0 },
};
static const struct param_spec spec_key[KEY__MAX] = {
	[KEY_CSRF] = CSRF_SPEC,
	[KEY_NAME] = { "name", PARAM_STR, 0, 64, NULL, 1, 0 },
};
static const struct param_spec spec_keydel[KDEL__MAX] = {
	[KDEL_CSRF] = CSRF_SPEC,
	[KDEL_ID] = { "id", PARAM_STR, 0, 24, NULL, 1, 0 },
};

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
	struct json_object	*d;
	struct param_val	 v[LOGIN__MAX];
	const char		*next;
	char			 csrf[AUTHN_CSRF_PRE_LEN + 1];
	enum step		 st;

	if ((st = dash_params(rq, &rq->query, spec_login, LOGIN__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	d = json_object_new_object();

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
	next = v[LOGIN_NEXT].present ? v[LOGIN_NEXT].s : "/";
	json_object_object_add(d, "csrf", json_object_new_string(csrf));
	json_object_object_add(d, "next", json_object_new_string(
	    next[0] == '/' && next[1] != '/' && strchr(next, '\\') == NULL ?
	    next : "/"));
	if (v[LOGIN_ERROR].present && v[LOGIN_ERROR].i == 1)
		json_object_object_add(d, "throttled", json_object_new_string(
		    v[LOGIN_RETRY].present ? v[LOGIN_RETRY].s : "a few"));
	else if (v[LOGIN_ERROR].present)
		json_object_object_add(d, "wrong", json_object_new_boolean(1));
	if (v[LOGIN_OUT].present)
		json_object_object_add(d, "signed_out", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "login";
	p.title = "Sign in";
	p.data = d;
	return dash_render(rq, NULL, &p, 200);
}

/*
 * The casts a triage form names: every "hash" (the checked boxes, or the
 * one of an item's own buttons), or every "page" for done_page; each a
 * cast hash.  The count, 0 when none, or -1 when one is not a hash.
 */
static int
dash_triage_hashes(struct req *rq, const char *key,
    char h[][ING_HASH_LEN + 1], size_t max, size_t *n)
{
	const struct qs_list	*l = req_form_list(rq);
	size_t			 i;

	*n = 0;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) != 0)
			continue;
		if (*n == max || valid_hash(l->v[i].val, h[*n]) == -1)
			return -1;
		(*n)++;
	}
	return 0;
}

/*
 * Done, snooze or undo for one cast or many (the inbox's checkboxes), all
 * or none: one hash that is not in the user's inbox and nothing changes.
 */
int
dash_triage(struct req *rq)
{
	static const int64_t snooze_s[] = { 3600, 4 * 3600, 86400, 7 * 86400 };
	struct authn		 who;
	struct param_val	 v[TRI__MAX];
	char			 h[TRIAGE_MANY_MAX][ING_HASH_LEN + 1], f[24];
	char			 back[32];
	const char		*hp[TRIAGE_MANY_MAX];
	enum triage_res		 t;
	enum triage_op		 op = TRIAGE_DONE;
	enum step		 st;
	int64_t			 until = 0;
	size_t			 n, i;

	who = rq->who;
	if ((st = dash_params(rq, req_form_list(rq), spec_triage, TRI__MAX,
	    v)) != STEP_GO)
		return step_end(st);
	if (dash_triage_hashes(rq, v[TRI_ACTION].i == 3 ? "page" : "hash", h,
	    TRIAGE_MANY_MAX, &n) == -1)
		return dash_error(rq, PROB_INVALID_PARAM, "hash: not a cast "
		    "hash, or more than 100 of them: nothing was changed");
	if (n == 0)
		return dash_error(rq, PROB_INVALID_PARAM, "hash: pick at least "
		    "one cast");
	if (v[TRI_ACTION].i == 1)
		op = TRIAGE_CLEAR;
	else if (v[TRI_ACTION].i == 2) {
		if (!v[TRI_SNOOZE].present)
			return dash_error(rq, PROB_INVALID_PARAM,
			    "snooze: how long");
		op = TRIAGE_SNOOZE;
		until = (int64_t)time(NULL) + snooze_s[v[TRI_SNOOZE].i];
	}
	for (i = 0; i < n; i++)
		hp[i] = h[i];
	if ((t = triage_many(rq->srv->db, who.fid, hp, n, op, until)) ==
	    TRIAGE_EDB)
		return -1;
	if (t == TRIAGE_NOTFOUND)
		return dash_error(rq, PROB_NOT_FOUND, n == 1 ? "that cast is not "
		    "in your inbox" : "one of those casts is not in your inbox: "
		    "nothing was changed");
	/* A done mark may change the figures (dismissed: excluded). */
	snprintf(f, sizeof(f), "%" PRId64, who.fid);
	gate_bump(rq->srv->kv, f);
	snprintf(back, sizeof(back), "/inbox%s%s", v[TRI_SHOW].present &&
	    v[TRI_SHOW].i != 0 ? "?show=" : "", v[TRI_SHOW].present &&
	    v[TRI_SHOW].i != 0 ? dash_tri_shows[v[TRI_SHOW].i] : "");
	return dash_redirect(rq, back);
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

/* The channel goals as the form writes them: "URL MINUTES ...". */
static struct json_object *
dash_chan_text(struct json_object *s)
{
	struct json_object	*a, *e, *t;
	struct buf		 b;
	size_t			 i, n;

	json_object_object_get_ex(s, "channel_goals", &a);
	n = a ? json_object_array_length(a) : 0;
	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		if (buf_printf(&b, "%s%s %" PRId64, i ? " " : "",
		    json_object_get_string(json_object_object_get(e,
		    "parent_url")), json_object_get_int64(
		    json_object_object_get(e, "goal_seconds")) / 60) == -1)
			break;
	}
	t = json_object_new_string(buf_cstr(&b));
	buf_free(&b);
	return t;
}

/* The answer definition of settings s as the flags the template checks. */
static void
dash_def_flags(struct json_object *d, struct json_object *s)
{
	struct json_object	*v;

	json_object_object_get_ex(s, "answer", &v);
	json_object_object_add(d, "answer_thread", json_object_new_boolean(
	    strcmp(json_object_get_string(v), "thread") == 0));
	json_object_object_get_ex(s, "likes", &v);
	json_object_object_add(d, "likes_on",
	    json_object_new_boolean(json_object_get_boolean(v)));
	json_object_object_get_ex(s, "dismissed", &v);
	json_object_object_add(d, "dismissed_excluded", json_object_new_boolean(
	    strcmp(json_object_get_string(v), "excluded") == 0));
	json_object_object_get_ex(s, "definition_version", &v);
	json_object_object_add(d, "definition_version", json_object_get(v));
}

/* The fid list k of settings s as the form shows it: "1, 2, 3". */
static struct json_object *
dash_fids_text(struct json_object *s, const char *k)
{
	struct json_object	*m = NULL;
	char			 t[4096];
	size_t			 i, n, len = 0;

	json_object_object_get_ex(s, k, &m);
	t[0] = '\0';
	n = m ? json_object_array_length(m) : 0;
	for (i = 0; i < n && len + 24 < sizeof(t); i++)
		len += (size_t)snprintf(t + len, sizeof(t) - len, "%s%" PRId64,
		    i ? ", " : "", json_object_get_int64(
		    json_object_array_get_idx(m, i)));
	return json_object_new_string(t);
}

/* The settings page; error, new_key and new_secret may be NULL. */
int
dash_settings_page(struct req *rq, const struct authn *who, const char *error,
    const char *new_key, const char *new_secret, int status, int saved)
{
	struct dash_page	 p;
	struct json_object	*d, *s, *days, *day, *wd;
	size_t			 i, k;

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
	json_object_object_add(d, "days", days);
	json_object_object_add(d, "muted_text", dash_fids_text(s, "muted"));
	json_object_object_add(d, "bots_text", dash_fids_text(s, "bots"));
	json_object_object_add(d, "chan_text", dash_chan_text(s));
	json_object_object_add(d, "goal_minutes", json_object_new_int64(
	    json_object_get_int64(json_object_object_get(s, "goal_seconds")) / 60));
	dash_def_flags(d, s);
	json_object_object_add(d, "settings", s);
	json_object_object_add(d, "linked_fid", json_object_new_int64(who->fid));
	json_object_object_add(d, "keys", dash_keys(rq, who->account));
	if (dash_alerts_data(rq, who->fid, new_secret, d) == -1) {
		json_object_put(d);
		return -1;
	}
	if (error != NULL)
		json_object_object_add(d, "error", json_object_new_string(error));
	if (new_key != NULL)
		json_object_object_add(d, "new_key", json_object_new_string(new_key));
	if (saved)
		json_object_object_add(d, "saved", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "settings";
	p.title = "Settings";
	p.nav = "settings";
	p.data = d;
	return dash_render(rq, who, &p, status);
}

/*
 * An account with no fid: only the way to link one (Sign In with
 * Farcaster, which the auth pool runs), nothing that needs a fid.
 */
static int
dash_settings_unbound(struct req *rq, const struct authn *who)
{
	struct dash_page	 p;
	struct json_object	*d;

	d = json_object_new_object();
	json_object_object_add(d, "unbound", json_object_new_boolean(1));
	memset(&p, 0, sizeof(p));
	p.name = "settings";
	p.title = "Settings";
	p.nav = "settings";
	p.data = d;
	return dash_render(rq, who, &p, 200);
}

int
dash_settings(struct req *rq)
{
	struct authn		 who;
	struct param_val	 v[SAVED__MAX];
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, &rq->query, spec_saved, SAVED__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	if (who.fid == 0)
		return dash_settings_unbound(rq, &who);
	return dash_settings_page(rq, &who, NULL, NULL, NULL, 200,
	    v[SAVED].present);
}

/*
 * The channel goals field, "URL MINUTES URL MINUTES ...", as the
 * channel_goals member (settings_apply checks the URLs); -1 when a URL has
 * no whole number of minutes after it.
 */
static int
dash_chan_goals(struct json_object *o, const char *p)
{
	struct json_object	*a = json_object_new_array(), *g;
	const char		*url;
	size_t			 ulen;
	uint64_t		 m;
	char			*end;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		url = p;
		ulen = strcspn(p, " ");
		p += ulen;
		while (*p == ' ')
			p++;
		m = strtoull(p, &end, 10);
		if (!isdigit((unsigned char)*p) || (*end != ' ' && *end != '\0') ||
		    m < 1 || m > 10080) {
			json_object_put(a);
			return -1;
		}
		p = end;
		g = json_object_new_object();
		json_object_object_add(g, "parent_url",
		    json_object_new_string_len(url, (int)ulen));
		json_object_object_add(g, "goal_seconds",
		    json_object_new_int64((int64_t)m * 60));
		json_object_array_add(a, g);
	}
	json_object_object_add(o, "channel_goals", a);
	return 0;
}

/* A field of fids separated by commas or spaces as a list; NULL: bad. */
static struct json_object *
dash_fids(const struct param_val *v)
{
	struct json_object	*a = json_object_new_array();
	const char		*p;
	char			*end;
	uint64_t		 u;

	for (p = v->present ? v->s : ""; *p != '\0'; ) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		u = strtoull(p, &end, 10);
		if (end == p || u == 0 || u > (1ULL << 53)) {
			json_object_put(a);
			return NULL;
		}
		json_object_array_add(a, json_object_new_int64((int64_t)u));
		p = end;
	}
	return a;
}

/*
 * The form (its values v, the checked days from l) as the JSON shape
 * settings_apply checks; NULL on a bad field.
 */
static struct json_object *
dash_settings_json(const struct qs_list *l, const struct param_val *v,
    const char **why)
{
	struct json_object	*o = json_object_new_object(), *days, *muted;
	size_t			 i;

	json_object_object_add(o, "tz", json_object_new_string(
	    v[SET_TZ].present ? v[SET_TZ].s : ""));
	days = json_object_new_array();
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, spec_settings[SET_DAY].name) == 0)
			json_object_array_add(days, json_object_new_string(
			    l->v[i].val));
	json_object_object_add(o, "work_days", days);
	json_object_object_add(o, "work_start", json_object_new_string(
	    v[SET_START].present ? v[SET_START].s : ""));
	json_object_object_add(o, "work_end", json_object_new_string(
	    v[SET_END].present ? v[SET_END].s : ""));
	json_object_object_add(o, "goal_seconds", json_object_new_int64(
	    v[SET_GOAL].i * 60));
	if ((muted = dash_fids(&v[SET_MUTED])) == NULL) {
		*why = "muted: fids separated by commas";
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "muted", muted);
	if ((muted = dash_fids(&v[SET_BOTS])) == NULL) {
		*why = "bots: fids separated by commas";
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "bots", muted);
	/* What counts as an answer: an unticked box is "likes": false. */
	if (v[SET_ANSWER].present)
		json_object_object_add(o, "answer", json_object_new_string(
		    dash_answers[v[SET_ANSWER].i]));
	json_object_object_add(o, "likes",
	    json_object_new_boolean(v[SET_LIKES].present));
	if (v[SET_DISMISSED].present)
		json_object_object_add(o, "dismissed", json_object_new_string(
		    dash_dismissed[v[SET_DISMISSED].i]));
	if (v[SET_CHAN].present && dash_chan_goals(o, v[SET_CHAN].s) == -1) {
		*why = "channel_goals: a channel URL and its goal in minutes "
		    "(1 to 10080), separated by spaces, for each channel";
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
dash_settings_save(struct req *rq)
{
	struct json_object	*o;
	struct authn		 who;
	const char		*why = NULL;
	char			 err[200], f[24];
	const struct qs_list	*l = req_form_list(rq);
	struct param_val	 v[SET__MAX];
	enum settings_res	 rc;
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, l, spec_settings, SET__MAX, v)) != STEP_GO)
		return step_end(st);
	if ((o = dash_settings_json(l, v, &why)) == NULL)
		return dash_settings_page(rq, &who, why, NULL, NULL, 400, 0);
	rc = settings_apply(rq->srv->db, who.fid, o, err, sizeof(err));
	json_object_put(o);
	if (rc == SETTINGS_EDB)
		return -1;
	if (rc == SETTINGS_BAD)
		return dash_settings_page(rq, &who, err, NULL, NULL, 400, 0);
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
	const char		*name;
	struct param_val	 v[KEY__MAX];
	long			 max = rq->srv->cfg.max_api_keys;
	enum apikey_err		 e;
	enum step		 st;
	int			 rc;

	who = rq->who;
	if ((st = dash_params(rq, req_form_list(rq), spec_key, KEY__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	name = v[KEY_NAME].s;
	if ((e = apikey_mint(rq->srv->db, who.account, name, "read", max,
	    &m)) == APIKEY_EFULL) {
		snprintf(msg, sizeof(msg), "You already have %ld API keys, the "
		    "most allowed. Delete one to create another.", max);
		return dash_settings_page(rq, &who, msg, NULL, NULL, 409, 0);
	}
	if (e != APIKEY_OK)
		return -1;
	dash_audit(rq, who.account, "key.create", name);
	/* Shown once, on this page; only its hash is kept. */
	rc = dash_settings_page(rq, &who, NULL, m.key, NULL, 200, 0);
	explicit_bzero(m.key, sizeof(m.key));
	return rc;
}

int
dash_key_delete(struct req *rq)
{
	struct authn	 who;
	char		 a[24];
	const char		*id, *p[2];
	struct param_val	 v[KDEL__MAX];
	uint64_t		 u;
	PGresult		*r;
	enum step		 st;
	int			 rc;

	who = rq->who;
	if ((st = dash_params(rq, req_form_list(rq), spec_keydel, KDEL__MAX,
	    v)) != STEP_GO)
		return step_end(st);
	id = v[KDEL_ID].s;
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
