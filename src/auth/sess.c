#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "auth.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/req.h"
#include "core/srv.h"
#include "core/stash.h"
#include "core/valid.h"
#include "reply/acct.h"
#include "policy.h"

#define AUTH_RT_MAX	128	/* longest refresh token looked at */

/*
 * Refresh tokens live in PostgreSQL (refresh_tokens, by SHA-256), so that
 * losing Redis's data ends no session and a used token presented again is
 * still seen; Redis keeps the fast path of every request, the revoked
 * families (rtfam:) the gate asks.  A rotation is rc_refresh_rotate(): the
 * presented token's row is locked, a live one becomes used and hands its
 * family to the new token, which lives no longer than the session (started
 * at sign-in, RC_SESSION_MAX_AGE); a used one revokes the family.
 */
static const struct db_stmt sess_stmt_new = { "auth_rt_new",
	"INSERT INTO refresh_tokens (hash, family, account_id, gen,"
	" started_at, expires_at) VALUES ($1, $2, $3::bigint, $4::bigint,"
	" $5::bigint, now() + make_interval(secs => $6::bigint))", 6, 0 };
static const struct db_stmt sess_stmt_rotate = { "auth_rt_rotate",
	"SELECT verdict, account, family, gen, start"
	" FROM rc_refresh_rotate($1, $2, $3::bigint, $4::bigint)", 4, 0 };
static const struct db_stmt sess_stmt_peek = { "auth_rt_peek",
	"SELECT account_id, family, CASE WHEN used THEN 'used' ELSE 'live' END"
	" FROM refresh_tokens WHERE hash = $1 AND expires_at > now()", 1, 1 };

/* What a refresh token says of its session. */
struct sess_fam {
	int64_t		 account;
	char		 family[33];
	int64_t		 gen;
	int64_t		 start;
};

static const struct db_stmt sess_stmt_revoke = { "auth_revoke_jti",
	"INSERT INTO revoked_tokens (jti, expires_at)"
	" VALUES ($1, to_timestamp($2::bigint)) ON CONFLICT (jti) DO NOTHING",
	2, 1 };
static const struct db_stmt sess_stmt_revoke_sid = { "auth_revoke_sid",
	"INSERT INTO revoked_sessions (sid, expires_at)"
	" VALUES ($1, now() + make_interval(secs => $2::bigint))"
	" ON CONFLICT (sid) DO UPDATE SET expires_at = EXCLUDED.expires_at",
	2, 1 };

/* The SHA-256 of the token, as stored: the token itself never is. */
static void
sess_rt_hash(const char *token, char h[SEC_SHA256_HEX + 1])
{
	sec_sha256_hex(token, strlen(token), h);
}

/* An access token of session f for a; it ends when the session does. */
static int
sess_access(struct req *rq, const struct acct *a, const struct sess_fam *f,
    char *out, size_t outsz)
{
	struct tok_claims	 c;

	memset(&c, 0, sizeof(c));
	c.sub = a->id;
	c.fid = a->fid;
	c.role = a->role;
	c.gen = f->gen;
	c.exp = f->start + rq->srv->cfg.session_max_age;
	snprintf(c.sid, sizeof(c.sid), "%s", f->family);
	return tok_issue(&rq->srv->key, &c, (int64_t)time(NULL), out,
	    outsz) == TOK_OK ? 0 : -1;
}

int
auth_sess_new(struct req *rq, const struct acct *a, struct auth_sess *s)
{
	char		 h[SEC_SHA256_HEX + 1], acc[24], gen[24], start[24],
			 ttl[24];
	const char	*p[6] = { h, NULL, acc, gen, start, ttl };
	struct sess_fam	 f;
	PGresult	*r;

	memset(s, 0, sizeof(*s));
	memset(&f, 0, sizeof(f));
	if (sec_random_hex(f.family, 16) == -1)
		return -1;
	f.account = a->id;
	f.gen = a->gen;
	f.start = (int64_t)time(NULL);
	snprintf(s->family, sizeof(s->family), "%s", f.family);
	if (sess_access(rq, a, &f, s->access, sizeof(s->access)) == -1)
		return -1;
	if (sec_token(s->refresh) == -1)
		return -1;
	sess_rt_hash(s->refresh, h);
	p[1] = f.family;
	snprintf(acc, sizeof(acc), "%" PRId64, a->id);
	snprintf(gen, sizeof(gen), "%" PRId64, f.gen);
	snprintf(start, sizeof(start), "%" PRId64, f.start);
	snprintf(ttl, sizeof(ttl), "%ld", rq->srv->cfg.refresh_ttl <
	    rq->srv->cfg.session_max_age ? rq->srv->cfg.refresh_ttl :
	    rq->srv->cfg.session_max_age);
	if ((r = db_exec(rq->srv->db, &sess_stmt_new, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
auth_sess_json(struct req *rq, int status, const struct acct *a,
    const struct auth_sess *s)
{
	struct json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		return -1;
	if (s->access[0] != '\0')
		json_object_object_add(o, "access_token",
		    json_object_new_string(s->access));
	json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
	json_object_object_add(o, "expires_in",
	    json_object_new_int64(rq->srv->key.ttl));
	if (s->refresh[0] != '\0')
		json_object_object_add(o, "refresh_token",
		    json_object_new_string(s->refresh));
	json_object_object_add(o, "account", auth_account_json(a));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, status, o);
}

int
auth_sess_cookies(struct req *rq, const struct auth_sess *s)
{
	char	 csrf[AUTHN_CSRF_PRE_LEN + 1];

	if (auth_cookie(rq, AUTH_COOKIE_AT, s->access, "/",
	    rq->srv->key.ttl, 1) == -1)
		return -1;
	if (s->refresh[0] != '\0' && auth_cookie(rq, AUTH_COOKIE_RT,
	    s->refresh, "/auth", rq->srv->cfg.refresh_ttl, 1) == -1)
		return -1;
	/*
	 * The session's CSRF token, for pages and scripts that read it: bound
	 * to this session (no fixation across logins), the same after every
	 * refresh and in every tab.
	 */
	if (authn_csrf_session(&rq->srv->key, s->family, csrf) == -1)
		return -1;
	return auth_csrf_set(rq, csrf);
}

/*
 * The gate's copy of a session revocation, kept while a token of it may
 * still be presented; seconds in *keep.
 */
static void
sess_revoke_mirror(struct req *rq, const char *family, long *keep)
{
	*keep = rq->srv->cfg.refresh_ttl;
	if (*keep < rq->srv->key.ttl)
		*keep = rq->srv->key.ttl;
	if (gate_sid_revoke(rq->srv->kv, family, *keep) == -1)
		log_msg("warn", "redis unavailable: session revoked in "
		    "PostgreSQL only");
}

int
auth_family_revoke(struct req *rq, const char *family)
{
	char		 ttl[24];
	const char	*p[2] = { family, ttl };
	long		 keep;
	PGresult	*r;

	sess_revoke_mirror(rq, family, &keep);
	snprintf(ttl, sizeof(ttl), "%ld", keep);
	if ((r = db_exec(rq->srv->db, &sess_stmt_revoke_sid, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

int
auth_refresh_peek(struct req *rq, const char *token, int64_t *account,
    char family[33], char state[8])
{
	char		 h[SEC_SHA256_HEX + 1];
	const char	*p[1] = { h };
	PGresult	*r;
	int		 rc = 0;

	sess_rt_hash(token, h);
	if ((r = db_exec(rq->srv->db, &sess_stmt_peek, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		*account = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		snprintf(family, 33, "%s", PQgetvalue(r, 0, 1));
		snprintf(state, 8, "%s", PQgetvalue(r, 0, 2));
		rc = 1;
	}
	PQclear(r);
	return rc;
}

/*
 * GET /auth/csrf: the CSRF token a script echoes in X-CSRF-Token.  Signed
 * in (rc_at): the session's token.  Else the pre-session token of the
 * sign-in form, kept when the browser holds one already (other tabs keep
 * working), else a new one in the rc_csrf cookie.
 */
int
auth_csrf(struct req *rq)
{
	char			 tok[AUTHN_CSRF_PRE_LEN + 1];
	const char		*c = req_cookie(rq, AUTH_COOKIE_CSRF);
	struct json_object	*o;

	/* The route is AUTHN_OPTIONAL: who is a live caller, or none. */
	if (rq->who.sid[0] != '\0')
		authn_csrf_session(&rq->srv->key, rq->who.sid, tok);
	else if (c != NULL && authn_csrf_pre_valid(&rq->srv->key, c))
		snprintf(tok, sizeof(tok), "%s", c);
	else if (authn_csrf_pre_new(&rq->srv->key, tok) == -1 ||
	    auth_csrf_set(rq, tok) == -1)
		return -1;
	if ((o = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(o, "csrf_token", json_object_new_string(tok));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

int
auth_me(struct req *rq)
{
	struct authn		 who;
	struct acct		 a;
	struct json_object	*o;
	enum acct_err		 e;

	who = rq->who;
	if ((e = acct_get(rq->srv->db, who.account, &a)) == ACCT_EDB)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	if (e != ACCT_OK)
		return req_problem(rq, PROB_UNAUTHORIZED, "the account no "
		    "longer exists");
	if ((o = auth_account_json(&a)) == NULL)
		return -1;
	json_object_object_add(o, "created_at",
	    json_object_new_string(a.created));
	json_object_object_add(o, "auth", json_object_new_string(
	    who.kind == AUTHN_KEY ? "key" : who.kind == AUTHN_COOKIE ?
	    "cookie" : "token"));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

/* A browser's refresh: the CSRF token of the refresh token's own session. */
static int
sess_csrf_ok(struct req *rq, const char *rt)
{
	char	 family[33], state[8];
	int64_t	 account;

	if (auth_refresh_peek(rq, rt, &account, family, state) != 1)
		family[0] = '\0';
	return authn_csrf_session_ok(&rq->srv->key, family,
	    req_csrf_given(rq));
}

/*
 * The refresh token of a request: {"refresh_token"} in a JSON body, else
 * the rc_rt cookie (then the X-CSRF-Token header must match rc_csrf).
 * *cookie says which.  *tok NULL: none.
 */
static enum step
sess_rt_input(struct req *rq, const char **tok, int *cookie, int required)
{
	struct json_object	*o;
	const char		*s;
	enum step		 rc;

	*tok = NULL;
	*cookie = 0;
	if (rq->bodylen > 0 && !auth_is_form(rq)) {
		if ((rc = auth_json_body(rq, &o)) != STEP_GO)
			return rc;
		rc = auth_json_str(rq, o, "refresh_token", AUTH_RT_MAX,
		    required, &s);
		if (rc == STEP_GO && s != NULL &&
		    (*tok = arena_strdup(rq->arena, s)) == NULL)
			rc = STEP_ERR;
		json_object_put(o);
		return rc;
	}
	if ((*tok = req_cookie(rq, AUTH_COOKIE_RT)) == NULL) {
		if (!required)
			return STEP_GO;
		return step_sent(req_problem(rq, PROB_UNAUTHORIZED, "send "
		    "{\"refresh_token\"} or the rc_rt cookie"));
	}
	*cookie = 1;
	if (!sess_csrf_ok(rq, *tok))
		return step_sent(req_problem(rq, PROB_FORBIDDEN, "missing or "
		    "wrong X-CSRF-Token"));
	return STEP_GO;
}

/*
 * A session begun before refresh tokens moved to PostgreSQL (migration
 * 0022) has its token in Redis as "rt:<sha256>" = "<account> <family>
 * <live|used> <gen> <start>"; its first rotation moves it over, so that
 * the upgrade signs nobody out.  1 when one was moved.
 */
static const struct db_stmt sess_stmt_import = { "auth_rt_import",
	"INSERT INTO refresh_tokens (hash, family, account_id, used, gen,"
	" started_at, expires_at) SELECT $1, $2, $3::bigint, $4::boolean,"
	" $5::bigint, $6::bigint, now() + make_interval(secs => $7::bigint)"
	" WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $3::bigint)"
	" ON CONFLICT (hash) DO NOTHING", 7, 0 };

static int
sess_legacy_import(struct req *rq, const char *hash)
{
	char		 key[SEC_SHA256_HEX + 4], fam[33], st[8], acc[24],
			 gen[24], start[24], ttl[24];
	const char	*p[7] = { hash, fam, acc, NULL, gen, start, ttl };
	long long	 a, g, s, left = 0;
	redisReply	*r;
	PGresult	*res;
	int		 ok;

	snprintf(key, sizeof(key), "rt:%s", hash);
	if ((r = kv_cmd(rq->srv->kv, "GET %s", key)) == NULL)
		return 0;
	ok = r->type == REDIS_REPLY_STRING && sscanf(r->str,
	    "%lld %32[0-9a-f] %7[a-z] %lld %lld", &a, fam, st, &g, &s) == 5 &&
	    strlen(fam) == 32 && (strcmp(st, "live") == 0 ||
	    strcmp(st, "used") == 0);
	freeReplyObject(r);
	if (!ok || (r = kv_cmd(rq->srv->kv, "TTL %s", key)) == NULL)
		return 0;
	if (r->type == REDIS_REPLY_INTEGER)
		left = r->integer;
	freeReplyObject(r);
	if (left < 1)
		return 0;
	snprintf(acc, sizeof(acc), "%lld", a);
	snprintf(gen, sizeof(gen), "%lld", g);
	snprintf(start, sizeof(start), "%lld", s);
	snprintf(ttl, sizeof(ttl), "%lld", left);
	p[3] = strcmp(st, "used") == 0 ? "true" : "false";
	if ((res = db_exec(rq->srv->db, &sess_stmt_import, p, NULL)) == NULL)
		return 0;
	PQclear(res);
	if ((r = kv_cmd(rq->srv->kv, "DEL %s", key)) != NULL)
		freeReplyObject(r);
	return 1;
}

/* One rotation (rc_refresh_rotate); verdict in v[12], the session in f. */
static int
sess_rotate(struct req *rq, const char *old, const char *fresh, char v[12],
    struct sess_fam *f)
{
	char		 oh[SEC_SHA256_HEX + 1], nh[SEC_SHA256_HEX + 1], ttl[24],
			 max[24];
	const char	*p[4] = { oh, nh, ttl, max };
	PGresult	*r;

	sess_rt_hash(old, oh);
	sess_rt_hash(fresh, nh);
	snprintf(ttl, sizeof(ttl), "%ld", rq->srv->cfg.refresh_ttl);
	snprintf(max, sizeof(max), "%ld", rq->srv->cfg.session_max_age);
	if ((r = db_exec(rq->srv->db, &sess_stmt_rotate, p, NULL)) == NULL)
		return -1;
	if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "unknown") == 0 &&
	    sess_legacy_import(rq, oh) == 1) {
		PQclear(r);
		if ((r = db_exec(rq->srv->db, &sess_stmt_rotate, p, NULL)) ==
		    NULL)
			return -1;
	}
	memset(f, 0, sizeof(*f));
	if (PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	snprintf(v, 12, "%s", PQgetvalue(r, 0, 0));
	if (!PQgetisnull(r, 0, 1)) {
		f->account = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		snprintf(f->family, sizeof(f->family), "%s",
		    PQgetvalue(r, 0, 2));
		f->gen = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
		f->start = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	}
	PQclear(r);
	return 0;
}

static int
sess_refused(struct req *rq, const char *why)
{
	resp_header(rq->resp, "WWW-Authenticate", "Bearer realm=\"replycast\"");
	return req_problem(rq, PROB_UNAUTHORIZED, "%s", why);
}

/*
 * The account of a rotated token, checked against PostgreSQL: gone, or its
 * token generation moved past the session's (password, role or fid
 * changed, signed out everywhere), or the session past its maximum age,
 * the session ends here.
 */
enum sess_live { SESS_LIVE, SESS_OVER, SESS_UNKNOWN };

static enum sess_live
sess_account(struct req *rq, const struct sess_fam *f, struct acct *a)
{
	enum acct_err	 e;

	if ((e = acct_get(rq->srv->db, f->account, a)) == ACCT_EDB)
		return SESS_UNKNOWN;
	/* The clock passed the end between the script and here. */
	if (e == ACCT_OK && a->gen <= f->gen &&
	    f->start + rq->srv->cfg.session_max_age > (int64_t)time(NULL))
		return SESS_LIVE;
	auth_family_revoke(rq, f->family);
	return SESS_OVER;
}

/* The new access token of a rotated session, with the new refresh token. */
static int
sess_reissue(struct req *rq, const struct sess_fam *f, const char *fresh,
    int cookie)
{
	struct auth_sess	 s;
	struct acct		 a;
	enum sess_live		 live;

	if ((live = sess_account(rq, f, &a)) == SESS_UNKNOWN)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	if (live == SESS_OVER)
		return sess_refused(rq, "this session was ended: the account "
		    "changed or was signed out everywhere; sign in again");
	memset(&s, 0, sizeof(s));
	if (sess_access(rq, &a, f, s.access, sizeof(s.access)) == -1)
		return -1;
	snprintf(s.refresh, sizeof(s.refresh), "%s", fresh);
	snprintf(s.family, sizeof(s.family), "%s", f->family);
	if (!cookie)
		return auth_sess_json(rq, 200, &a, &s);
	if (auth_sess_cookies(rq, &s) == -1)
		return -1;
	/* The browser keeps its tokens in cookies only. */
	s.access[0] = s.refresh[0] = '\0';
	return auth_sess_json(rq, 200, &a, &s);
}

/*
 * Where to send the browser after a renewal: next, when it is ours.  A
 * POST goes on with 307, which makes the browser send the same form again.
 */
static int
sess_redirect(struct req *rq, const char *to, const char *next)
{
	char	 loc[POLICY_NEXT_MAX + 64];

	if (next != NULL && policy_next_ok(next))
		snprintf(loc, sizeof(loc), "%s%s", to, next);
	else
		snprintf(loc, sizeof(loc), "%s", to[0] ? to : "/");
	rq->resp->status = rq->method == METHOD_POST && to[0] == '\0' ?
	    307 : 303;
	buf_reset(&rq->resp->body);
	return resp_header(rq->resp, "Location", loc);
}

/*
 * A used refresh token came back: someone holds a copy.  The rotation
 * revoked the family in PostgreSQL; Redis, which the gate asks on every
 * request, learns it here, so that the session's access tokens are refused.
 */
static void
sess_reused(struct req *rq, const struct sess_fam *f)
{
	long	 keep;

	rq->user_id = f->account;
	/*
	 * rc_refresh_rotate stored the revocation with its verdict, for
	 * RC_REFRESH_TTL; only an access TTL longer than that needs the row
	 * written again, longer.
	 */
	sess_revoke_mirror(rq, f->family, &keep);
	if (keep > rq->srv->cfg.refresh_ttl &&
	    auth_family_revoke(rq, f->family) == -1)
		log_msg("error", "session %.8s: revocation not stored",
		    f->family);
	auth_audit(rq, f->account, NULL, "refresh.reuse", "a used refresh "
	    "token was presented again; its family is revoked");
}

/*
 * The sign-in page for a browser whose session is over.  A form POSTed
 * here (a dashboard form the session ran out under) is kept for the page
 * keep=/path names, when that page can show it again: the sign-in then
 * leads to keep?form=ID, filled in (core/stash.h).
 */
static int
sess_login(struct req *rq, const char *next)
{
	char		 login[POLICY_NEXT_MAX + STASH_ID_LEN + 64];
	char		 id[STASH_ID_LEN + 1];
	const char	*keep = req_query(rq, "keep");

	if (rq->method == METHOD_POST && keep != NULL &&
	    policy_next_ok(keep) && strchr(keep, '?') == NULL &&
	    stash_put(rq, keep, id) == 0)
		snprintf(login, sizeof(login), "/login?next=%s%%3Fform%%3D%s",
		    keep, id);
	else
		snprintf(login, sizeof(login), "/login?next=%s", next);
	return sess_redirect(rq, login, NULL);
}

/*
 * GET /auth/renew?next=/path: the dashboard sends a browser here when its
 * access token has expired.  The rc_rt cookie (SameSite=Strict, Path=/auth,
 * so no other site can make a browser send it) is rotated, new cookies are
 * set and the browser goes back to next; without a usable refresh token it
 * goes to the sign-in page.  POST: the dashboard answered a form with 307
 * here, so the browser sends the form again; after the renewal a 307 takes
 * it back to next, where the form is checked (CSRF included: the session's
 * token outlives a renewal) and applied once.
 */
int
auth_renew(struct req *rq)
{
	struct auth_sess	 s;
	struct acct		 a;
	struct sess_fam		 f;
	char			 fresh[SEC_TOKEN_LEN + 1], v[12];
	const char		*tok = req_cookie(rq, AUTH_COOKIE_RT);
	const char		*next = req_query(rq, "next");

	if (next == NULL || !policy_next_ok(next))
		next = "/";
	if (tok == NULL || sec_token(fresh) == -1 ||
	    sess_rotate(rq, tok, fresh, v, &f) == -1)
		return sess_login(rq, next);
	if (strcmp(v, "reuse") == 0)
		sess_reused(rq, &f);
	if (strcmp(v, "ok") != 0 || sess_account(rq, &f, &a) != SESS_LIVE)
		return sess_login(rq, next);
	rq->user_id = f.account;
	memset(&s, 0, sizeof(s));
	if (sess_access(rq, &a, &f, s.access, sizeof(s.access)) == -1)
		return -1;
	snprintf(s.refresh, sizeof(s.refresh), "%s", fresh);
	snprintf(s.family, sizeof(s.family), "%s", f.family);
	if (auth_sess_cookies(rq, &s) == -1)
		return -1;
	return sess_redirect(rq, "", next);
}

int
auth_refresh(struct req *rq)
{
	struct sess_fam	 f;
	char		 fresh[SEC_TOKEN_LEN + 1], v[12];
	const char	*tok;
	enum step	 st;
	int		 cookie;

	if ((st = sess_rt_input(rq, &tok, &cookie, 1)) != STEP_GO)
		return step_end(st);
	if (sec_token(fresh) == -1)
		return -1;
	if (sess_rotate(rq, tok, fresh, v, &f) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot check the "
		    "refresh token now");
	if (strcmp(v, "reuse") == 0) {
		sess_reused(rq, &f);
		return sess_refused(rq, "refresh token already used: every "
		    "token of this session is revoked");
	}
	if (strcmp(v, "revoked") == 0)
		return sess_refused(rq, "refresh token revoked");
	if (strcmp(v, "expired") == 0)
		return sess_refused(rq, "this session reached its maximum age "
		    "(RC_SESSION_MAX_AGE): sign in again");
	if (strcmp(v, "ok") != 0)
		return sess_refused(rq, "unknown or expired refresh token");
	rq->user_id = f.account;
	return sess_reissue(rq, &f, fresh, cookie);
}

/* Marks jti revoked until exp: Redis for the fast path, PostgreSQL to last. */
static int
sess_revoke_jti(struct req *rq, const char *jti, int64_t exp)
{
	char		 e[24];
	const char	*p[2] = { jti, e };
	PGresult	*r;
	int64_t		 left = exp - (int64_t)time(NULL);

	if (left <= 0)
		return 0;
	if (gate_jti_revoke(rq->srv->kv, jti, (long)left) == -1)
		log_msg("warn", "redis unavailable: revocation in PostgreSQL "
		    "only");
	snprintf(e, sizeof(e), "%" PRId64, exp);
	if ((r = db_exec(rq->srv->db, &sess_stmt_revoke, p, NULL)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

static void
sess_clear_cookies(struct req *rq)
{
	auth_cookie(rq, AUTH_COOKIE_AT, "", "/", 0, 1);
	auth_cookie(rq, AUTH_COOKIE_RT, "", "/auth", 0, 1);
	auth_cookie(rq, AUTH_COOKIE_CSRF, "", "/", 0, 0);
}

/* Revokes the family of a presented refresh token; -1 when that failed. */
static int
sess_revoke_rt(struct req *rq, const char *tok)
{
	char	 family[33], state[8];
	int64_t	 account;
	int	 rc;

	if (tok == NULL)
		return 0;
	if ((rc = auth_refresh_peek(rq, tok, &account, family, state)) != 1)
		return rc;
	return auth_family_revoke(rq, family);
}

/*
 * ?everywhere=1: every session of the account ends, on every device (its
 * token generation goes up, as when an operator runs user logout).
 */
static int
sess_end_all(struct req *rq, int64_t account)
{
	int64_t	 gen;

	if (acct_logout_all(rq->srv->db, account, &gen) != ACCT_OK)
		return -1;
	if (gate_gen_set(rq->srv->kv, account, gen, 0) == -1)
		log_msg("warn", "redis unavailable: sessions ended in "
		    "PostgreSQL only");
	auth_audit(rq, account, NULL, "logout.everywhere", "every session "
	    "ended");
	return 0;
}

int
auth_logout(struct req *rq)
{
	struct authn	 who;
	const char	*tok, *all = req_query(rq, "everywhere");
	enum step	 st;
	int		 cookie;

	who = rq->who;
	if ((st = sess_rt_input(rq, &tok, &cookie, 0)) != STEP_GO)
		return step_end(st);
	if (all != NULL && strcmp(all, "1") == 0 &&
	    sess_end_all(rq, who.account) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot end the "
		    "sessions now");
	if (sess_revoke_jti(rq, who.jti, who.exp) == -1 ||
	    (who.sid[0] != '\0' && auth_family_revoke(rq, who.sid) == -1))
		return req_problem(rq, PROB_UNAVAILABLE, "cannot revoke the "
		    "access token now");
	if (sess_revoke_rt(rq, tok) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot revoke the "
		    "refresh token now");
	auth_audit(rq, who.account, NULL, "logout", tok != NULL ?
	    "access and refresh token revoked" : "access token revoked");
	sess_clear_cookies(rq);
	if (auth_is_form(rq))	/* the dashboard's sign-out button */
		return sess_redirect(rq, "/login?signed_out=1", NULL);
	rq->resp->status = 204;
	return 0;
}
