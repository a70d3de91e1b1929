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
#include "core/stash.h"
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
static const char *const dash_units[] = { "minutes", "hours", "days", NULL };
/* The presets of working hours; the last is "custom" (the fields below). */
static const char *const dash_hours[] = {
	"weekdays-9-17", "weekdays-8-18", "everyday-9-21", "always", "custom",
	NULL
};
static const struct {
	const char	*label;
	int		 days;		/* bit 0: Monday */
	const char	*start, *end;
} dash_presets[] = {
	{ "Monday to Friday, 9:00 to 17:00", 0x1f, "09:00", "17:00" },
	{ "Monday to Friday, 8:00 to 18:00", 0x1f, "08:00", "18:00" },
	{ "Every day, 9:00 to 21:00", 0x7f, "09:00", "21:00" },
	{ "Always: every day, all day", 0x7f, "00:00", "24:00" },
};
#define DASH_CUSTOM	4	/* dash_hours' index of "custom" */

/* The declared parameters of the sign-in page, the settings and forms. */
enum login_key { LOGIN_ERROR, LOGIN_RETRY, LOGIN_NEXT, LOGIN_OUT, LOGIN__MAX };
enum saved_key { SAVED, SAVED_FORM, SAVED__MAX };
enum triage_key {
	TRI_CSRF, TRI_HASH, TRI_ACTION, TRI_SNOOZE, TRI_PAGE, TRI_SHOW,
	TRI__MAX
};
enum set_key {
	SET_CSRF, SET_TZ, SET_DAY, SET_START, SET_END, SET_GOAL, SET_MUTED,
	SET_BOTS, SET_CHAN, SET_ANSWER, SET_LIKES, SET_DISMISSED, SET_HOURS,
	SET_GOAL_NUM, SET_GOAL_UNIT, SET__MAX
};
enum mute_key { MUTE_CSRF, MUTE_LIST, MUTE__MAX };
enum unmute_key { UNMUTE_CSRF, UNMUTE_FID, UNMUTE__MAX };
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
	[SAVED_FORM] = { "form", PARAM_STR, 0, 64, NULL, 0, 0 },
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
	[SET_GOAL] = { "goal_minutes", PARAM_INT, 1, 10080, NULL, 0, 0 },
	[SET_MUTED] = { "muted", PARAM_STR, 0, 20000, NULL, 0, 0 },
	[SET_BOTS] = { "bots", PARAM_STR, 0, 20000, NULL, 0, 0 },
	[SET_CHAN] = { "channel_goals", PARAM_STR, 0, 60000, NULL, 0, 0 },
	[SET_ANSWER] = { "answer", PARAM_ENUM, 0, 0, dash_answers, 0, 0 },
	[SET_LIKES] = { "likes", PARAM_ENUM, 0, 0, dash_one, 0, 0 },
	[SET_DISMISSED] = { "dismissed", PARAM_ENUM, 0, 0, dash_dismissed, 0, 0 },
	[SET_HOURS] = { "hours", PARAM_ENUM, 0, 0, dash_hours, 0, 0 },
	[SET_GOAL_NUM] = { "goal", PARAM_STR, 0, 16, NULL, 0, 0 },
	[SET_GOAL_UNIT] = { "goal_unit", PARAM_ENUM, 0, 0, dash_units, 0, 0 },
};
static const struct param_spec spec_mute[MUTE__MAX] = {
	[MUTE_CSRF] = CSRF_SPEC,
	[MUTE_LIST] = { "mute", PARAM_STR, 0, 20000, NULL, 1, 0 },
};
static const struct param_spec spec_unmute[UNMUTE__MAX] = {
	[UNMUTE_CSRF] = CSRF_SPEC,
	[UNMUTE_FID] = { "fid", PARAM_INT, 1, 1LL << 53, NULL, 1, 0 },
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

/* The accounts of list k ("bots") as the form shows them: "@alice, 12". */
static struct json_object *
dash_names_text(struct json_object *s, const char *k)
{
	struct json_object	*m = NULL, *e, *u;
	struct buf		 b;
	size_t			 i, n;

	json_object_object_get_ex(s, k, &m);
	n = m ? json_object_array_length(m) : 0;
	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(m, i);
		u = json_object_object_get(e, "username");
		if (u != NULL && json_object_is_type(u, json_type_string))
			buf_printf(&b, "%s@%s", i ? ", " : "",
			    json_object_get_string(u));
		else
			buf_printf(&b, "%s%" PRId64, i ? ", " : "",
			    json_object_get_int64(json_object_object_get(e,
			    "fid")));
	}
	e = json_object_new_string(buf_cstr(&b));
	buf_free(&b);
	return e;
}

/* The muted accounts as the page lists them: "@name", "Display", or the fid. */
static struct json_object *
dash_muted_list(struct json_object *s)
{
	struct json_object	*m = NULL, *e, *o, *u, *dn, *out;
	size_t			 i, n;
	char			 t[96];

	out = json_object_new_array();
	json_object_object_get_ex(s, "muted_accounts", &m);
	n = m ? json_object_array_length(m) : 0;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(m, i);
		o = json_object_new_object();
		json_object_object_add(o, "fid", json_object_get(
		    json_object_object_get(e, "fid")));
		u = json_object_object_get(e, "username");
		dn = json_object_object_get(e, "display_name");
		if (u != NULL && json_object_is_type(u, json_type_string))
			snprintf(t, sizeof(t), "@%s", json_object_get_string(u));
		else
			snprintf(t, sizeof(t), "fid %" PRId64,
			    json_object_get_int64(json_object_object_get(e,
			    "fid")));
		json_object_object_add(o, "name", json_object_new_string(t));
		if (dn != NULL && json_object_is_type(dn, json_type_string) &&
		    json_object_get_string_len(dn) > 0)
			json_object_object_add(o, "display_name",
			    json_object_get(dn));
		json_object_array_add(out, o);
	}
	return out;
}

/* "Berlin (UTC+01:00)" for Europe/Berlin; "UTC" alone. */
static void
dash_zone_label(const struct settings_zone *z, char *t, size_t sz)
{
	const char	*city = strchr(z->name, '/');
	int		 m = z->offset_min < 0 ? -z->offset_min : z->offset_min;
	size_t		 i, n;

	if (city == NULL) {
		snprintf(t, sz, "%s", z->name);
		return;
	}
	n = (size_t)snprintf(t, sz, "%s (UTC%c%02d:%02d)", city + 1,
	    z->offset_min < 0 ? '-' : '+', m / 60, m % 60);
	for (i = 0; i < n && i < sz; i++)
		if (t[i] == '_')
			t[i] = ' ';
}

static struct json_object *
dash_zone_opt(const char *value, const char *label, int selected)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "label", json_object_new_string(label));
	if (selected)
		json_object_object_add(o, "selected",
		    json_object_new_boolean(1));
	return o;
}

/*
 * The time-zone picker: one group per region, each zone with its offset
 * now; tz selected (under "Other" when the picker lacks it, so that
 * saving the page keeps it).
 */
static struct json_object *
dash_zone_groups(struct req *rq, const char *tz)
{
	const struct settings_zone	*z;
	struct json_object		*groups, *g = NULL, *zs = NULL;
	const char			*region = "";
	char				 label[160];
	size_t				 i, n = 0;
	int				 found = 0;

	groups = json_object_new_array();
	if ((z = settings_zones(rq->srv->db, &n)) == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		if (g == NULL || strcmp(z[i].region, region) != 0) {
			region = z[i].region;
			g = json_object_new_object();
			zs = json_object_new_array();
			json_object_object_add(g, "region",
			    json_object_new_string(region));
			json_object_object_add(g, "zones", zs);
			json_object_array_add(groups, g);
		}
		dash_zone_label(&z[i], label, sizeof(label));
		found |= strcmp(z[i].name, tz) == 0;
		json_object_array_add(zs, dash_zone_opt(z[i].name, label,
		    strcmp(z[i].name, tz) == 0));
	}
	if (!found) {
		g = json_object_new_object();
		zs = json_object_new_array();
		json_object_object_add(g, "region", json_object_new_string(
		    "Other"));
		json_object_array_add(zs, dash_zone_opt(tz, tz, 1));
		json_object_object_add(g, "zones", zs);
		json_object_array_add(groups, g);
	}
	return groups;
}

/* A list of {value, label, checked|selected: true for the one at sel}. */
static struct json_object *
dash_choices(const char *const *values, const char *const *labels, size_t n,
    size_t sel, const char *flag)
{
	struct json_object	*a = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value",
		    json_object_new_string(values[i]));
		json_object_object_add(o, "label",
		    json_object_new_string(labels[i]));
		if (i == sel)
			json_object_object_add(o, flag,
			    json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

/* Which preset the days mask and hours of settings s are; DASH_CUSTOM: none. */
static size_t
dash_preset_of(int days, const char *start, const char *end)
{
	size_t	 i;

	for (i = 0; i < DASH_CUSTOM; i++)
		if (dash_presets[i].days == days &&
		    strcmp(dash_presets[i].start, start) == 0 &&
		    strcmp(dash_presets[i].end, end) == 0)
			return i;
	return DASH_CUSTOM;
}

/* The working days of s as a mask, bit 0 Monday. */
static int
dash_days_mask(struct json_object *s)
{
	struct json_object	*wd = NULL;
	size_t			 i, k;
	int			 mask = 0;

	json_object_object_get_ex(s, "work_days", &wd);
	for (k = 0; wd != NULL && k < json_object_array_length(wd); k++)
		for (i = 0; i < 7; i++)
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(wd, k)), dash_days[i]) == 0)
				mask |= 1 << i;
	return mask;
}

/*
 * The fields of a form the user sent and did not see applied (refused,
 * or kept across a sign-in) over the stored settings s, so that the page
 * shows what they typed.  Text fields go straight into the page data d.
 */
static void
dash_kept(struct json_object *s, struct json_object *d,
    const struct qs_list *f)
{
	static const char *const texts[][2] = {
		{ "bots", "bots_text" }, { "channel_goals", "chan_text" },
		{ "mute", "mute_text" }, { "goal", "goal_num" },
		{ "work_start", "work_start" }, { "work_end", "work_end" },
		{ "tz", "tz" }, { "answer", "answer" },
		{ "dismissed", "dismissed" },
	};
	struct json_object	*days;
	const char		*v;
	size_t			 i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if ((v = qs_get(f, texts[i][0])) != NULL)
			json_object_object_add(i < 4 ? d : s, texts[i][1],
			    json_object_new_string(v));
	if (qs_get(f, "tz") == NULL)	/* not the main form */
		return;
	days = json_object_new_array();
	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, "day") == 0)
			json_object_array_add(days, json_object_new_string(
			    f->v[i].val));
	json_object_object_add(s, "work_days", days);
	json_object_object_add(s, "likes", json_object_new_boolean(
	    qs_get(f, "likes") != NULL));
	if ((v = qs_get(f, "hours")) != NULL)
		json_object_object_add(d, "hours", json_object_new_string(v));
	if ((v = qs_get(f, "goal_unit")) != NULL)
		json_object_object_add(d, "goal_unit",
		    json_object_new_string(v));
}

/* The working days, the presets and the goal of s, as the form shows them. */
static void
dash_hours_data(struct json_object *s, struct json_object *d)
{
	static const char *const unit_labels[] = { "minutes", "hours", "days" };
	const char		*labels[DASH_CUSTOM + 1], *unit, *h;
	struct json_object	*days, *day, *v;
	char			 num[32];
	size_t			 i, sel;
	int			 mask = dash_days_mask(s);

	days = json_object_new_array();
	for (i = 0; i < 7; i++) {
		day = json_object_new_object();
		json_object_object_add(day, "value", json_object_new_string(dash_days[i]));
		json_object_object_add(day, "label", json_object_new_string(dash_day_names[i]));
		if (mask & (1 << i))
			json_object_object_add(day, "checked",
			    json_object_new_boolean(1));
		json_object_array_add(days, day);
	}
	json_object_object_add(d, "days", days);
	for (i = 0; i < DASH_CUSTOM; i++)
		labels[i] = dash_presets[i].label;
	labels[DASH_CUSTOM] = "Custom: the days and hours below";
	sel = dash_preset_of(mask, json_object_get_string(
	    json_object_object_get(s, "work_start")), json_object_get_string(
	    json_object_object_get(s, "work_end")));
	if (json_object_object_get_ex(d, "hours", &v))
		for (h = json_object_get_string(v), i = 0; i <= DASH_CUSTOM; i++)
			if (strcmp(dash_hours[i], h) == 0)
				sel = i;
	json_object_object_add(d, "presets", dash_choices(dash_hours, labels,
	    DASH_CUSTOM + 1, sel, "checked"));
	settings_duration_show(json_object_get_int64(json_object_object_get(s,
	    "goal_seconds")), num, &unit);
	if (!json_object_object_get_ex(d, "goal_num", &v))
		json_object_object_add(d, "goal_num", json_object_new_string(num));
	if (json_object_object_get_ex(d, "goal_unit", &v))
		unit = json_object_get_string(v);
	for (sel = 0; sel < 3 && strcmp(dash_units[sel], unit) != 0; sel++)
		;
	json_object_object_add(d, "goal_units", dash_choices(dash_units,
	    unit_labels, 3, sel, "selected"));
}

/*
 * The settings page.  error, new_key and new_secret may be NULL; kept: a
 * form whose fields the page shows instead of the stored values (the one
 * just refused, or one kept across a sign-in), or NULL.
 */
static int
dash_settings_view(struct req *rq, const struct authn *who, const char *error,
    const char *new_key, const char *new_secret, int status, int saved,
    const struct qs_list *kept)
{
	struct dash_page	 p;
	struct json_object	*d, *s;

	if ((s = settings_get(rq->srv->db, who->fid)) == NULL)
		return -1;
	d = json_object_new_object();
	json_object_object_add(d, "muted_list", dash_muted_list(s));
	json_object_object_add(d, "bots_text", dash_names_text(s,
	    "bots_accounts"));
	json_object_object_add(d, "chan_text", dash_chan_text(s));
	if (kept != NULL) {
		dash_kept(s, d, kept);
		if (error == NULL)
			json_object_object_add(d, "kept",
			    json_object_new_boolean(1));
	}
	dash_hours_data(s, d);
	json_object_object_add(d, "zone_groups", dash_zone_groups(rq,
	    json_object_get_string(json_object_object_get(s, "tz"))));
	dash_def_flags(d, s);
	json_object_object_add(d, "settings", s);
	json_object_object_add(d, "linked_fid", json_object_new_int64(who->fid));
	json_object_object_add(d, "keys", dash_keys(rq, who->account));
	if (dash_alerts_data(rq, who->fid, new_secret, d) == -1) {
		json_object_put(d);
		return -1;
	}
	/* A refused mute is told beside its field. */
	if (error != NULL)
		json_object_object_add(d, kept != NULL &&
		    qs_get(kept, "mute") != NULL ? "mute_error" : "error",
		    json_object_new_string(error));
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

int
dash_settings_page(struct req *rq, const struct authn *who, const char *error,
    const char *new_key, const char *new_secret, int status, int saved)
{
	return dash_settings_view(rq, who, error, new_key, new_secret, status,
	    saved, NULL);
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
	struct qs_list		 kept;
	enum step		 st;
	int			 k = 0;

	who = rq->who;
	if ((st = dash_params(rq, &rq->query, spec_saved, SAVED__MAX, v)) !=
	    STEP_GO)
		return step_end(st);
	if (who.fid == 0)
		return dash_settings_unbound(rq, &who);
	/* A form kept across a sign-in: shown once, filled in, not applied. */
	if (v[SAVED_FORM].present &&
	    (k = stash_take(rq, v[SAVED_FORM].s, "/settings", &kept)) == -1)
		return -1;
	return dash_settings_view(rq, &who, NULL, NULL, NULL, 200,
	    v[SAVED].present, k == 1 ? &kept : NULL);
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

/*
 * A typed list of accounts (key k: muted, bots) into o as settings_apply
 * takes it, fids and usernames; -1 with why on a bad item.
 */
static int
dash_accounts(struct json_object *o, const char *k,
    const struct param_val *v, char *why, size_t whysz)
{
	struct json_object	*a;
	char			 err[160];

	if ((a = settings_list_parse(v->present ? v->s : "", err,
	    sizeof(err))) == NULL) {
		snprintf(why, whysz, "%s: %s", k, err);
		return -1;
	}
	json_object_object_add(o, k, a);
	return 0;
}

/* The working days and hours: a preset, else the custom fields. */
static void
dash_hours_json(struct json_object *o, const struct qs_list *l,
    const struct param_val *v)
{
	struct json_object	*days = json_object_new_array();
	size_t			 i, p = v[SET_HOURS].present ?
			    (size_t)v[SET_HOURS].i : DASH_CUSTOM;

	if (p != DASH_CUSTOM) {
		for (i = 0; i < 7; i++)
			if (dash_presets[p].days & (1 << i))
				json_object_array_add(days,
				    json_object_new_string(dash_days[i]));
		json_object_object_add(o, "work_days", days);
		json_object_object_add(o, "work_start",
		    json_object_new_string(dash_presets[p].start));
		json_object_object_add(o, "work_end",
		    json_object_new_string(dash_presets[p].end));
		return;
	}
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, spec_settings[SET_DAY].name) == 0)
			json_object_array_add(days, json_object_new_string(
			    l->v[i].val));
	json_object_object_add(o, "work_days", days);
	json_object_object_add(o, "work_start", json_object_new_string(
	    v[SET_START].present ? v[SET_START].s : ""));
	json_object_object_add(o, "work_end", json_object_new_string(
	    v[SET_END].present ? v[SET_END].s : ""));
}

/* The goal: a number and a unit (or, as before, goal_minutes). */
static int
dash_goal_json(struct json_object *o, const struct param_val *v)
{
	int64_t	 secs;

	if (v[SET_GOAL_NUM].present) {
		if (settings_duration(v[SET_GOAL_NUM].s, dash_units[
		    v[SET_GOAL_UNIT].present ? v[SET_GOAL_UNIT].i : 0],
		    &secs) == -1)
			return -1;
	} else if (v[SET_GOAL].present)
		secs = v[SET_GOAL].i * 60;
	else
		return -1;
	json_object_object_add(o, "goal_seconds", json_object_new_int64(secs));
	return 0;
}

/*
 * The form (its values v, the checked days from l) as the JSON shape
 * settings_apply checks; NULL with why on a bad field.
 */
static struct json_object *
dash_settings_json(const struct qs_list *l, const struct param_val *v,
    char *why, size_t whysz)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "tz", json_object_new_string(
	    v[SET_TZ].present ? v[SET_TZ].s : ""));
	dash_hours_json(o, l, v);
	if (dash_goal_json(o, v) == -1) {
		snprintf(why, whysz, "goal: a number above 0 (at most two "
		    "decimals) of minutes, hours or days");
		goto bad;
	}
	/* The muted list has its own form now; a script may still send it. */
	if ((v[SET_MUTED].present && dash_accounts(o, "muted", &v[SET_MUTED],
	    why, whysz) == -1) ||
	    dash_accounts(o, "bots", &v[SET_BOTS], why, whysz) == -1)
		goto bad;
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
		snprintf(why, whysz, "channel_goals: a channel URL and its "
		    "goal in minutes (1 to 10080), separated by spaces, for "
		    "each channel");
		goto bad;
	}
	return o;
bad:
	json_object_put(o);
	return NULL;
}

/*
 * Applies o for the caller: 303 to the page (anchor: where to land), or
 * the page again with why and the form l filled in (400, 422 for a
 * username no profile has).
 */
static int
dash_settings_apply(struct req *rq, const struct authn *who,
    struct json_object *o, const struct qs_list *l, const char *anchor)
{
	char			 err[200], f[24], loc[64];
	enum settings_res	 rc;

	rc = settings_apply(rq->srv->db, who->fid, o, err, sizeof(err));
	json_object_put(o);
	if (rc == SETTINGS_EDB)
		return -1;
	if (rc != SETTINGS_OK)
		return dash_settings_view(rq, who, err, NULL, NULL,
		    rc == SETTINGS_UNKNOWN ? 422 : 400, 0, l);
	snprintf(f, sizeof(f), "%" PRId64, who->fid);
	gate_bump(rq->srv->kv, f);
	snprintf(loc, sizeof(loc), "/settings?saved=1%s", anchor);
	return dash_redirect(rq, loc);
}

int
dash_settings_save(struct req *rq)
{
	struct json_object	*o;
	struct authn		 who;
	char			 why[200];
	const struct qs_list	*l = req_form_list(rq);
	struct param_val	 v[SET__MAX];
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, l, spec_settings, SET__MAX, v)) != STEP_GO)
		return step_end(st);
	if ((o = dash_settings_json(l, v, why, sizeof(why))) == NULL)
		return dash_settings_view(rq, &who, why, NULL, NULL, 400, 0, l);
	return dash_settings_apply(rq, &who, o, l, "");
}

/*
 * The muted list of the stored settings with change applied: the typed
 * accounts added (add), or one fid taken out; NULL when unreadable.
 */
static struct json_object *
dash_muted_with(struct req *rq, const struct authn *who,
    struct json_object *add, int64_t drop)
{
	struct json_object	*s, *m, *out;
	size_t			 i;
	int64_t			 f;

	if ((s = settings_get(rq->srv->db, who->fid)) == NULL)
		return NULL;
	out = json_object_new_array();
	json_object_object_get_ex(s, "muted", &m);
	for (i = 0; m != NULL && i < json_object_array_length(m); i++)
		if ((f = json_object_get_int64(json_object_array_get_idx(m,
		    i))) != drop)
			json_object_array_add(out, json_object_new_int64(f));
	for (i = 0; add != NULL && i < json_object_array_length(add); i++)
		json_object_array_add(out, json_object_get(
		    json_object_array_get_idx(add, i)));
	json_object_put(s);
	return out;
}

/* POST /settings/mute: mute=@alice, bob, 123 adds to the muted list. */
int
dash_settings_mute(struct req *rq)
{
	struct json_object	*o, *add, *m;
	struct authn		 who;
	char			 why[200];
	const struct qs_list	*l = req_form_list(rq);
	struct param_val	 v[MUTE__MAX];
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, l, spec_mute, MUTE__MAX, v)) != STEP_GO)
		return step_end(st);
	o = json_object_new_object();
	if (dash_accounts(o, "muted", &v[MUTE_LIST], why, sizeof(why)) == -1) {
		json_object_put(o);
		return dash_settings_view(rq, &who, why, NULL, NULL, 400, 0, l);
	}
	add = json_object_get(json_object_object_get(o, "muted"));
	json_object_put(o);
	m = dash_muted_with(rq, &who, add, 0);
	json_object_put(add);
	if (m == NULL)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "muted", m);
	return dash_settings_apply(rq, &who, o, l, "#muted-h");
}

/* POST /settings/unmute: fid=N leaves the muted list. */
int
dash_settings_unmute(struct req *rq)
{
	struct json_object	*o, *m;
	struct authn		 who;
	struct param_val	 v[UNMUTE__MAX];
	enum step		 st;

	who = rq->who;
	if ((st = dash_params(rq, req_form_list(rq), spec_unmute, UNMUTE__MAX,
	    v)) != STEP_GO)
		return step_end(st);
	if ((m = dash_muted_with(rq, &who, NULL, v[UNMUTE_FID].i)) == NULL)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "muted", m);
	return dash_settings_apply(rq, &who, o, NULL, "#muted-h");
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
