#ifndef RC_REQ_H
#define RC_REQ_H
#include <stddef.h>

#include "authn.h"
#include "cookie.h"
#include "problem.h"
#include "qs.h"
#include "resp.h"
#include "route.h"

struct arena;
struct srv;

/*
 * One request, as every handler sees it.  All strings are in rq->arena
 * or in the FastCGI parameter block, both valid until the request ends.
 */
struct req {
	struct arena		*arena;
	struct srv		*srv;		/* process-wide state */
	char			**env;		/* FastCGI parameters */
	enum route_method	 method;
	const char		*method_name;
	const char		*path;		/* raw path, no query */
	char			*seg[ROUTE_MAXSEGS];
	size_t			 nseg;
	struct qs_list		 query;
	struct cookie_jar	 cookies;	/* ours only */
	struct qs_list		 form;		/* see req_form */
	int			 form_state;	/* 0 unparsed, 1 parsed, -1 bad */
	const char		*body;		/* NUL-terminated */
	size_t			 bodylen;
	const char		*remote_addr;
	char			 id[40];	/* request id */
	struct route_match	 match;
	struct resp		*resp;
	struct FCGX_Stream	*out;		/* for streamed answers */
	long long		 user_id;	/* -1 until authenticated */
	struct authn		 who;		/* the route's caller (authn_require) */
	int			 authn_pending;	/* AUTHN_GATED: see authn_settle */
	char			 detail[256];	/* why req_parse failed */
};

/*
 * Parses the FastCGI parameters into rq (not the body).  Returns -1 and
 * sets *prob and rq->detail when the request is malformed.
 */
int		 req_parse(struct req *, char **env, enum problem *prob);

const char	*req_param(const struct req *, const char *);	/* a FastCGI param */
const char	*req_header(const struct req *, const char *name); /* "Content-Type" */
const char	*req_query(const struct req *, const char *);
/* One of our cookies (named for RC_COOKIE_SECURE), or NULL. */
const char	*req_cookie(const struct req *, enum cookie_id);
const char	*req_capture(const struct req *, const char *);
/*
 * A field of an application/x-www-form-urlencoded body (parsed on first
 * use); NULL when absent, when the body is not a form, or malformed.
 */
const char	*req_form(struct req *, const char *);
/* Every field of that form, in order; NULL as for req_form. */
const struct qs_list *req_form_list(struct req *);
/* The CSRF token a browser sent: X-CSRF-Token, else the form's csrf_token. */
const char	*req_csrf_given(struct req *);

/*
 * Adds Set-Cookie for one of our cookies, named and marked Secure per
 * RC_COOKIE_SECURE (see cookie_build; max_age 0 deletes).  0 or -1.
 */
int		 req_set_cookie(struct req *, enum cookie_id, const char *value,
		    const char *path, long max_age, int http_only);

/* Starts a streamed answer (adds X-Request-Id); see resp_stream_begin. */
int		 req_stream_begin(struct req *);

/* Answers with a problem document; detail is formatted like printf. */
int		 req_problem(struct req *, enum problem, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

#endif
