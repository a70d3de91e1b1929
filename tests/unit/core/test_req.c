#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/arena.h"
#include "core/req.h"
#include "core/srv.h"
#include "mstream.h"
#include "tests.h"

/*
 * req_parse reads only the FastCGI parameter block (an environ-style
 * array), so a request is made here from a list of NAME=value strings,
 * with no socket.
 */
struct treq {
	struct req	 rq;
	struct resp	 resp;
	struct srv	 srv;
	enum problem	 prob;
	int		 rc;
};

static void
treq_parse(struct treq *t, char **env)
{
	memset(t, 0, sizeof(*t));
	resp_init(&t->resp);
	t->rq.arena = arena_new(4096);
	t->rq.resp = &t->resp;
	t->srv.cfg.cookie_secure = 1;
	t->rq.srv = &t->srv;
	t->prob = PROB__MAX;
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->rq.arena);
	t->rc = req_parse(&t->rq, env, &t->prob);
}

static void
treq_free(struct treq *t)
{
	arena_free(t->rq.arena);
	resp_free(&t->resp);
}

static void
test_parse(void)
{
	char		*env[] = { "REQUEST_METHOD=POST",
	    "REQUEST_URI=/api/v1/a%20b/c?x=1&y=%C3%A9&x=2",
	    "REMOTE_ADDR=192.0.2.1", "HTTP_COOKIE=__Host-rc_at=tok; rc_rt=x; __Host-rc_csrf=c1",
	    "REQUEST_ID=0123456789abcdef0123456789abcdef", NULL };
	struct treq	 t;

	treq_parse(&t, env);
	CU_ASSERT_EQUAL_FATAL(t.rc, 0);
	CU_ASSERT_EQUAL(t.prob, PROB__MAX);
	CU_ASSERT_EQUAL(t.rq.method, METHOD_POST);
	CU_ASSERT_STRING_EQUAL(t.rq.method_name, "POST");
	CU_ASSERT_STRING_EQUAL(t.rq.path, "/api/v1/a%20b/c");
	CU_ASSERT_EQUAL_FATAL(t.rq.nseg, 4);
	CU_ASSERT_STRING_EQUAL(t.rq.seg[0], "api");
	CU_ASSERT_STRING_EQUAL(t.rq.seg[2], "a b");
	CU_ASSERT_STRING_EQUAL(t.rq.seg[3], "c");
	CU_ASSERT_STRING_EQUAL(req_query(&t.rq, "x"), "1");
	CU_ASSERT_STRING_EQUAL(req_query(&t.rq, "y"), "\xc3\xa9");
	CU_ASSERT_PTR_NULL(req_query(&t.rq, "z"));
	CU_ASSERT_STRING_EQUAL(req_cookie(&t.rq, COOKIE_AT), "tok");
	CU_ASSERT_STRING_EQUAL(req_cookie(&t.rq, COOKIE_CSRF), "c1");
	CU_ASSERT_PTR_NULL(req_cookie(&t.rq, COOKIE_RT));	/* not __Secure- */
	CU_ASSERT_STRING_EQUAL(t.rq.remote_addr, "192.0.2.1");
	CU_ASSERT_STRING_EQUAL(t.rq.id, "0123456789abcdef0123456789abcdef");
	CU_ASSERT_EQUAL(t.rq.user_id, -1);
	treq_free(&t);
}

/* The root has no segment; an unknown method parses (the router 405s). */
static void
test_parse_root(void)
{
	char		*env[] = { "REQUEST_METHOD=BREW", "REQUEST_URI=/", NULL };
	char		*env2[] = { "REQUEST_URI=/x?", NULL };
	struct treq	 t;

	treq_parse(&t, env);
	CU_ASSERT_EQUAL(t.rc, 0);
	CU_ASSERT_EQUAL(t.rq.nseg, 0);
	CU_ASSERT_STRING_EQUAL(t.rq.path, "/");
	CU_ASSERT_EQUAL(t.rq.method, METHOD__MAX);
	treq_free(&t);
	treq_parse(&t, env2);	/* no method at all, an empty query */
	CU_ASSERT_EQUAL(t.rc, 0);
	CU_ASSERT_EQUAL(t.rq.method, METHOD__MAX);
	CU_ASSERT_PTR_NULL(t.rq.method_name);
	CU_ASSERT_EQUAL(t.rq.query.n, 0);
	treq_free(&t);
}

/* Every malformed part is a 400 with a reason in detail, never a crash. */
static void
test_parse_bad(void)
{
	static const char *const uris[] = {
		NULL, "REQUEST_URI=", "REQUEST_URI=api/v1", "REQUEST_URI=http://x/",
		"REQUEST_URI=/a?x=%zz", "REQUEST_URI=/a?x=%00",
		"REQUEST_URI=/a%2", "REQUEST_URI=/a%00b",
		"REQUEST_URI=/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17",
	};
	char		*env[4];
	struct treq	 t;
	size_t		 i;

	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		env[0] = "REQUEST_METHOD=GET";
		env[1] = (char *)uris[i];
		env[2] = NULL;
		treq_parse(&t, env);
		CU_ASSERT_EQUAL(t.rc, -1);
		CU_ASSERT_EQUAL(t.prob, PROB_BAD_REQUEST);
		CU_ASSERT(t.rq.detail[0] != '\0');
		treq_free(&t);
	}
	/* 16 segments are allowed, a 17th is not (above). */
	env[1] = "REQUEST_URI=/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16";
	treq_parse(&t, env);
	CU_ASSERT_EQUAL(t.rc, 0);
	CU_ASSERT_EQUAL(t.rq.nseg, ROUTE_MAXSEGS);
	treq_free(&t);
	env[1] = "REQUEST_URI=/a";
	/* A foreign cookie that does not decode is skipped, never a 400. */
	env[2] = "HTTP_COOKIE=a=%zz; __Host-rc_at=t";
	env[3] = NULL;
	treq_parse(&t, env);
	CU_ASSERT_EQUAL(t.rc, 0);
	CU_ASSERT_EQUAL(t.prob, PROB__MAX);
	CU_ASSERT_STRING_EQUAL(req_cookie(&t.rq, COOKIE_AT), "t");
	treq_free(&t);
}

/* nginx's 32-hex-digit id is kept; anything else gets a local one. */
static void
test_request_id(void)
{
	static const char *const bad[] = { "REQUEST_ID=0123456789abcdef",
	    "REQUEST_ID=0123456789abcdef0123456789abcdef0",
	    "REQUEST_ID=0123456789abcdef0123456789abcdeg",
	    "REQUEST_ID=0123456789abcdef\r\n23456789abcdef", "REQUEST_ID=" };
	char		*env[] = { "REQUEST_URI=/", NULL, NULL };
	char		 prefix[32], first[40];
	struct treq	 t;
	size_t		 i;

	snprintf(prefix, sizeof(prefix), "local-%lx-", (unsigned long)getpid());
	first[0] = '\0';
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		env[1] = (char *)bad[i];
		treq_parse(&t, env);
		CU_ASSERT_EQUAL(t.rc, 0);
		CU_ASSERT_EQUAL(strncmp(t.rq.id, prefix, strlen(prefix)), 0);
		CU_ASSERT(strcmp(t.rq.id, first) != 0);	/* a new one each time */
		snprintf(first, sizeof(first), "%s", t.rq.id);
		treq_free(&t);
	}
}

static void
test_param_header(void)
{
	char		*env[] = { "REQUEST_URI=/", "HTTP_X_CSRF_TOKEN=h1",
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=12",
	    "HTTP_ACCEPTX=no", "HTTP_ACCEPT=text/html", "HTTP_HOST", NULL };
	char		 name[200];
	struct treq	 t;

	treq_parse(&t, env);
	CU_ASSERT_EQUAL_FATAL(t.rc, 0);
	CU_ASSERT_STRING_EQUAL(req_param(&t.rq, "CONTENT_TYPE"), "application/json");
	CU_ASSERT_PTR_NULL(req_param(&t.rq, "CONTENT"));	/* a prefix only */
	CU_ASSERT_PTR_NULL(req_param(&t.rq, "HTTP_HOST"));	/* no '=' */
	CU_ASSERT_STRING_EQUAL(req_header(&t.rq, "Accept"), "text/html");
	CU_ASSERT_STRING_EQUAL(req_header(&t.rq, "x-csrf-token"), "h1");
	CU_ASSERT_STRING_EQUAL(req_header(&t.rq, "X-CSRF-Token"), "h1");
	/* CGI passes these two without HTTP_. */
	CU_ASSERT_STRING_EQUAL(req_header(&t.rq, "Content-Type"), "application/json");
	CU_ASSERT_STRING_EQUAL(req_header(&t.rq, "content-length"), "12");
	CU_ASSERT_PTR_NULL(req_header(&t.rq, "Host"));
	/* A name too long for the key buffer is absent, not cut. */
	memset(name, 'A', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CU_ASSERT_PTR_NULL(req_header(&t.rq, name));
	name[122] = '\0';	/* "HTTP_" + 122 + NUL = 128 bytes: fits */
	CU_ASSERT_PTR_NULL(req_header(&t.rq, name));
	treq_free(&t);
	t.rq.env = NULL;
	CU_ASSERT_PTR_NULL(req_param(&t.rq, "REQUEST_URI"));
}

/* The form is parsed once, only for a urlencoded body. */
static void
test_form(void)
{
	char		*form[] = { "REQUEST_URI=/", "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=application/x-www-form-urlencoded; charset=UTF-8", NULL };
	char		*json[] = { "REQUEST_URI=/", "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=application/json", NULL };
	char		*csrf[] = { "REQUEST_URI=/", "HTTP_X_CSRF_TOKEN=from-header",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };
	struct treq	 t;

	treq_parse(&t, form);
	t.rq.body = "name=a+b&csrf_token=c%2B1&e=";
	t.rq.bodylen = strlen(t.rq.body);
	CU_ASSERT_STRING_EQUAL(req_form(&t.rq, "name"), "a b");
	CU_ASSERT_STRING_EQUAL(req_form(&t.rq, "e"), "");
	CU_ASSERT_PTR_NULL(req_form(&t.rq, "nope"));
	CU_ASSERT_EQUAL(t.rq.form_state, 1);
	CU_ASSERT_STRING_EQUAL(req_csrf_given(&t.rq), "c+1");
	treq_free(&t);

	treq_parse(&t, form);
	t.rq.body = "name=%zz";
	t.rq.bodylen = strlen(t.rq.body);
	CU_ASSERT_PTR_NULL(req_form(&t.rq, "name"));
	CU_ASSERT_EQUAL(t.rq.form_state, -1);
	CU_ASSERT_PTR_NULL(req_csrf_given(&t.rq));
	treq_free(&t);

	treq_parse(&t, json);
	t.rq.body = "name=x";
	t.rq.bodylen = strlen(t.rq.body);
	CU_ASSERT_PTR_NULL(req_form(&t.rq, "name"));
	treq_free(&t);

	/* The header wins over the form field. */
	treq_parse(&t, csrf);
	t.rq.body = "csrf_token=from-form";
	t.rq.bodylen = strlen(t.rq.body);
	CU_ASSERT_STRING_EQUAL(req_csrf_given(&t.rq), "from-header");
	treq_free(&t);
}

static void
test_capture(void)
{
	static const char	 pattern[] = "/api/v1/users/{fid}/casts/{hash}";
	struct req		 rq;

	memset(&rq, 0, sizeof(rq));
	rq.match.ncap = 2;
	rq.match.capname[0] = strstr(pattern, "fid");
	rq.match.capnamelen[0] = 3;
	rq.match.cap[0] = "1000";
	rq.match.capname[1] = strstr(pattern, "hash");
	rq.match.capnamelen[1] = 4;
	rq.match.cap[1] = "0xab";
	CU_ASSERT_STRING_EQUAL(req_capture(&rq, "fid"), "1000");
	CU_ASSERT_STRING_EQUAL(req_capture(&rq, "hash"), "0xab");
	CU_ASSERT_PTR_NULL(req_capture(&rq, "fi"));	/* names match whole */
	CU_ASSERT_PTR_NULL(req_capture(&rq, "fidx"));
	CU_ASSERT_PTR_NULL(req_capture(&rq, "casts"));
	rq.match.ncap = 1;
	CU_ASSERT_PTR_NULL(req_capture(&rq, "hash"));
}

/* The detail is formatted, bounded, and the answer carries the id. */
static void
test_problem(void)
{
	char			*env[] = { "REQUEST_URI=/",
	    "REQUEST_ID=fedcba9876543210fedcba9876543210", NULL };
	char			 longer[2000];
	struct treq		 t;
	struct json_object	*o, *v;

	treq_parse(&t, env);
	CU_ASSERT_EQUAL(req_problem(&t.rq, PROB_INVALID_PARAM, "%s: %d", "limit", 7), 0);
	CU_ASSERT_EQUAL(t.resp.status, 400);
	o = json_tokener_parse(buf_cstr(&t.resp.body));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT(json_object_object_get_ex(o, "detail", &v) &&
	    strcmp(json_object_get_string(v), "limit: 7") == 0);
	CU_ASSERT(json_object_object_get_ex(o, "request_id", &v) &&
	    strcmp(json_object_get_string(v), t.rq.id) == 0);
	json_object_put(o);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	CU_ASSERT_EQUAL(req_problem(&t.rq, PROB_TOO_LARGE, "%s", longer), 0);
	CU_ASSERT_EQUAL(t.resp.status, 413);
	o = json_tokener_parse(buf_cstr(&t.resp.body));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT(json_object_object_get_ex(o, "detail", &v) &&
	    json_object_get_string_len(v) == 511);
	json_object_put(o);
	treq_free(&t);
}

static void
test_stream_begin(void)
{
	char		*env[] = { "REQUEST_URI=/x",
	    "REQUEST_ID=00000000000000000000000000000001", NULL };
	struct treq	 t;
	struct mstream	 m;

	treq_parse(&t, env);
	mstream_init(&m, 0);
	t.rq.out = &m.s;
	CU_ASSERT_EQUAL(resp_ctype(&t.resp, "text/csv"), 0);
	CU_ASSERT_EQUAL(req_stream_begin(&t.rq), 0);
	CU_ASSERT_STRING_EQUAL(mstream_text(&m), "Status: 200 OK\r\n"
	    "Content-Type: text/csv\r\n"
	    "X-Request-Id: 00000000000000000000000000000001\r\n\r\n");
	mstream_free(&m);
	treq_free(&t);
}

int
test_req_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("req", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "parse: path, query, cookies, id", test_parse) == NULL ||
	    CU_add_test(s, "parse: the root, unknown methods", test_parse_root) == NULL ||
	    CU_add_test(s, "parse: malformed requests are 400", test_parse_bad) == NULL ||
	    CU_add_test(s, "request id: nginx's or a local one", test_request_id) == NULL ||
	    CU_add_test(s, "params and headers", test_param_header) == NULL ||
	    CU_add_test(s, "form fields and the CSRF token", test_form) == NULL ||
	    CU_add_test(s, "route captures by whole name", test_capture) == NULL ||
	    CU_add_test(s, "problem: formatted, bounded, with the id", test_problem) == NULL ||
	    CU_add_test(s, "stream begin adds X-Request-Id", test_stream_begin) == NULL)
		return -1;
	return 0;
}
