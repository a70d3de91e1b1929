#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "req.h"
#include "srv.h"
#include "valid.h"

const char *
req_param(const struct req *rq, const char *name)
{
	size_t	 n = strlen(name);
	char	**e;

	if (rq->env == NULL)
		return NULL;
	for (e = rq->env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *
req_header(const struct req *rq, const char *name)
{
	char	 key[128] = "HTTP_";
	size_t	 i, n = strlen(name);

	if (n + 6 > sizeof(key))
		return NULL;
	for (i = 0; i < n; i++)
		key[5 + i] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	key[5 + n] = '\0';
	/* CGI passes these two without the HTTP_ prefix. */
	if (strcmp(key, "HTTP_CONTENT_TYPE") == 0 ||
	    strcmp(key, "HTTP_CONTENT_LENGTH") == 0)
		return req_param(rq, key + 5);
	return req_param(rq, key);
}

const char *
req_query(const struct req *rq, const char *k)
{
	return qs_get(&rq->query, k);
}

const char *
req_cookie(const struct req *rq, enum cookie_id id)
{
	return id < COOKIE__MAX ? rq->cookies.val[id] : NULL;
}

const char *
req_capture(const struct req *rq, const char *name)
{
	size_t	 i, n = strlen(name);

	for (i = 0; i < rq->match.ncap; i++)
		if (rq->match.capnamelen[i] == n &&
		    memcmp(rq->match.capname[i], name, n) == 0)
			return rq->match.cap[i];
	return NULL;
}

const struct qs_list *
req_form_list(struct req *rq)
{
	const char	*ct;

	if (rq->form_state == 0) {
		ct = req_param(rq, "CONTENT_TYPE");
		rq->form_state = ct != NULL && strncmp(ct,
		    "application/x-www-form-urlencoded", 33) == 0 &&
		    qs_parse(rq->arena, rq->body, rq->bodylen, &rq->form) ==
		    QS_OK ? 1 : -1;
	}
	return rq->form_state == 1 ? &rq->form : NULL;
}

const char *
req_form(struct req *rq, const char *name)
{
	const struct qs_list	*l = req_form_list(rq);

	return l != NULL ? qs_get(l, name) : NULL;
}

const char *
req_csrf_given(struct req *rq)
{
	const char	*h = req_header(rq, "X-CSRF-Token");

	return h != NULL ? h : req_form(rq, "csrf_token");
}

/* nginx's $request_id is 32 hex digits; anything else is replaced. */
static void
req_set_id(struct req *rq, const char *given)
{
	static unsigned long	 seq;

	if (given != NULL && valid_hex(given, 32) == 0) {
		memcpy(rq->id, given, 33);
		return;
	}
	snprintf(rq->id, sizeof(rq->id), "local-%lx-%lu",
	    (unsigned long)getpid(), ++seq);
}

static int
req_fail(struct req *rq, enum problem *prob, enum problem p, const char *what,
    enum qs_err e)
{
	*prob = p;
	snprintf(rq->detail, sizeof(rq->detail), "%s: %s", what,
	    qs_strerror(e));
	return -1;
}

int
req_parse(struct req *rq, char **env, enum problem *prob)
{
	const char	*uri, *q, *s;
	char		*path;
	enum qs_err	 e;
	int		 m;

	rq->env = env;
	rq->user_id = -1;
	req_set_id(rq, req_param(rq, "REQUEST_ID"));
	rq->method_name = req_param(rq, "REQUEST_METHOD");
	rq->remote_addr = req_param(rq, "REMOTE_ADDR");
	if ((uri = req_param(rq, "REQUEST_URI")) == NULL || uri[0] != '/') {
		*prob = PROB_BAD_REQUEST;
		snprintf(rq->detail, sizeof(rq->detail), "bad request target");
		return -1;
	}
	q = strchr(uri, '?');
	if ((path = arena_strndup(rq->arena, uri,
	    q ? (size_t)(q - uri) : strlen(uri))) == NULL)
		return req_fail(rq, prob, PROB_INTERNAL, "path", QS_ENOMEM);
	rq->path = path;
	if (route_split(rq->arena, path, rq->seg, ROUTE_MAXSEGS,
	    &rq->nseg) == -1) {
		*prob = PROB_BAD_REQUEST;
		snprintf(rq->detail, sizeof(rq->detail),
		    "malformed or too deep path");
		return -1;
	}
	if (q != NULL && (e = qs_parse(rq->arena, q + 1, strlen(q + 1),
	    &rq->query)) != QS_OK)
		return req_fail(rq, prob, PROB_BAD_REQUEST, "query string", e);
	/* Foreign or malformed cookies are skipped, never refused. */
	if ((s = req_header(rq, "Cookie")) != NULL &&
	    cookie_parse(rq->arena, s, strlen(s), rq->srv->cfg.cookie_secure != 0,
	    &rq->cookies) == -1)
		return req_fail(rq, prob, PROB_INTERNAL, "Cookie header",
		    QS_ENOMEM);
	/* An unknown method matches no route: the router answers 405. */
	m = route_method(rq->method_name);
	rq->method = m < 0 ? METHOD__MAX : (enum route_method)m;
	return 0;
}

int
req_problem(struct req *rq, enum problem p, const char *fmt, ...)
{
	char	 detail[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return resp_problem(rq->resp, p, detail, rq->id, NULL);
}

int
req_set_cookie(struct req *rq, enum cookie_id id, const char *value,
    const char *path, long max_age, int http_only)
{
	struct cookie_attr	 a;
	struct buf		 b;
	int			 rc = -1;

	a.path = path;
	a.max_age = max_age;
	a.http_only = http_only;
	a.secure = rq->srv->cfg.cookie_secure != 0;
	buf_init(&b, 8192);
	if (cookie_build(&b, cookie_name(id, a.secure), value, &a) == 0)
		rc = resp_header(rq->resp, "Set-Cookie", buf_cstr(&b));
	buf_free(&b);
	return rc;
}

int
req_stream_begin(struct req *rq)
{
	if (resp_header(rq->resp, "X-Request-Id", rq->id) == -1)
		return -1;
	return resp_stream_begin(rq->resp, rq->out);
}
