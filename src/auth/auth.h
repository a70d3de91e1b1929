#ifndef RC_AUTH_H
#define RC_AUTH_H
#include <stddef.h>
#include <stdint.h>

#include "core/authn.h"
#include "core/cookie.h"
#include "core/sec.h"
#include "core/tok.h"
#include "core/step.h"

struct acct;
struct json_object;
struct req;
struct srv;

/*
 * Private to the auth pool.  Helpers that answer return 1 when they wrote
 * the response (the handler returns 0), 0 to go on, -1 for a 500.
 */

/* The cookies: names come from cookie_name() (core/cookie.h). */
#define AUTH_COOKIE_AT		COOKIE_AT
#define AUTH_COOKIE_RT		COOKIE_RT
#define AUTH_COOKIE_CSRF	COOKIE_CSRF

/* A new session: what login, register and refresh hand out. */
struct auth_sess {
	char	 access[TOK_MAX + 1];
	char	 refresh[SEC_TOKEN_LEN + 1];
	char	 family[33];			/* hex */
};

int	 auth_init(struct srv *);

/*
 * Steps (core/step.h): STEP_GO with the value, STEP_DONE after answering
 * the refusal, STEP_ERR when nothing could be written.
 */
/* A JSON object body (415 for another type, 400 when malformed). */
enum step auth_json_body(struct req *, struct json_object **);
/* A string member of 1..max bytes, printable; 400 naming it otherwise. */
enum step auth_json_str(struct req *, struct json_object *, const char *key,
	    size_t max, int required, const char **out);
/* 1 when the body is a form (application/x-www-form-urlencoded). */
int	 auth_is_form(const struct req *);
int	 auth_is_json(const struct req *);

/* 303 to a local path (never user text unchecked), not cached. */
int	 auth_redirect(struct req *, const char *to);
/* 400 invalid-parameter; detail names the parameter. */
enum step auth_bad(struct req *, const char *detail);

/* An audit row with the request's address and id; failures are logged. */
void	 auth_audit(struct req *, int64_t account, const char *username,
	    const char *action, const char *detail);

/*
 * Adds Set-Cookie for cookie id, named for RC_COOKIE_SECURE; max_age 0
 * deletes the cookie.  0 or -1.
 */
int	 auth_cookie(struct req *, enum cookie_id, const char *value,
	    const char *path, long max_age, int http_only);
/* Sets the rc_csrf cookie (readable by the page) to token. */
int	 auth_csrf_set(struct req *, const char *token);
/*
 * The sign-in form's CSRF check: given is the pre-session token this
 * server made and the rc_csrf cookie holds, or the token of the session
 * the browser is signed in with.  1 ok, 0 refused.
 */
int	 auth_csrf_login_ok(struct req *, const char *given);

/* {"id","username","fid","role"}. */
struct json_object *auth_account_json(const struct acct *);

/* Starts a session: a new family, an access token and a refresh token. */
int	 auth_sess_new(struct req *, const struct acct *, struct auth_sess *);
/* The JSON answer of login, register and refresh (status 200 or 201). */
int	 auth_sess_json(struct req *, int status, const struct acct *,
	    const struct auth_sess *);
/* Sets rc_at, rc_rt and rc_csrf (the session's CSRF token). */
int	 auth_sess_cookies(struct req *, const struct auth_sess *);
/*
 * Revokes a session (refresh family): its refresh tokens and every access
 * token of it.  Redis and PostgreSQL; -1 when PostgreSQL failed.
 */
int	 auth_family_revoke(struct req *, const char *family);
/*
 * Looks a refresh token up: fills account and family (when not NULL).
 * 1 found (state in state[8]), 0 unknown, -1 Redis down.
 */
int	 auth_refresh_peek(struct req *, const char *token, int64_t *account,
	    char family[33], char state[8]);

/* Handlers. */
int	 auth_login(struct req *);
int	 auth_csrf(struct req *);
int	 auth_refresh(struct req *);
int	 auth_logout(struct req *);
int	 auth_renew(struct req *);
int	 auth_me(struct req *);
int	 auth_register(struct req *);
int	 auth_keys_list(struct req *);
int	 auth_keys_create(struct req *);
int	 auth_keys_delete(struct req *);

#endif
