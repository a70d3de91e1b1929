#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json.h>

#include "core/buf.h"
#include "core/problem.h"
#include "core/resp.h"
#include "tests.h"

/* Returns member k of o as a string, or NULL if absent or not a string. */
static const char *
jstr(struct json_object *o, const char *k)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Returns member k of o as an int, or -1 if absent or not an int. */
static int
jint(struct json_object *o, const char *k)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int(v);
}

static int
jhas(struct json_object *o, const char *k)
{
	return json_object_object_get_ex(o, k, NULL) ? 1 : 0;
}

static void
str_is(struct json_object *o, const char *k, const char *want)
{
	const char	*s;

	s = jstr(o, k);
	CU_ASSERT_PTR_NOT_NULL(s);
	if (s != NULL)
		CU_ASSERT_STRING_EQUAL(s, want);
}

static void
test_json_full(void)
{
	struct buf		 b;
	struct json_object	*o;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(problem_json(&b, PROB_NOT_FOUND,
	    "no feedback \"42\" here", "/api/feedback/42", "req-1", NULL), 0);
	/* NOSLASHESCAPE: the path is written as is. */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&b), "\"/api/feedback/42\""));
	o = json_tokener_parse(buf_cstr(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT(json_object_is_type(o, json_type_object));
	str_is(o, "type", "urn:replycast:problem:not-found");
	str_is(o, "title", "Not found");
	CU_ASSERT_EQUAL(jint(o, "status"), 404);
	str_is(o, "detail", "no feedback \"42\" here");
	str_is(o, "instance", "/api/feedback/42");
	str_is(o, "request_id", "req-1");
	CU_ASSERT_EQUAL(json_object_object_length(o), 6);
	json_object_put(o);
	buf_free(&b);
}

static void
test_json_minimal(void)
{
	struct buf		 b;
	struct json_object	*o;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(problem_json(&b, PROB_TOO_MANY_REQUESTS, NULL,
	    NULL, NULL, NULL), 0);
	o = json_tokener_parse(buf_cstr(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	str_is(o, "type", "urn:replycast:problem:too-many-requests");
	str_is(o, "title", "Too many requests");
	CU_ASSERT_EQUAL(jint(o, "status"), 429);
	CU_ASSERT_FALSE(jhas(o, "detail"));
	CU_ASSERT_FALSE(jhas(o, "instance"));
	CU_ASSERT_FALSE(jhas(o, "request_id"));
	CU_ASSERT_EQUAL(json_object_object_length(o), 3);
	json_object_put(o);
	buf_free(&b);
}

/* The document is appended: what was in b stays in front. */
static void
test_json_appends(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(buf_puts(&b, "X"), 0);
	CU_ASSERT_EQUAL_FATAL(problem_json(&b, PROB_CONFLICT, NULL, NULL,
	    NULL, NULL), 0);
	CU_ASSERT_EQUAL(b.ptr[0], 'X');
	CU_ASSERT_EQUAL(b.ptr[1], '{');
	CU_ASSERT_EQUAL(b.ptr[b.len - 1], '}');
	buf_free(&b);

	/* A buffer too small for the document fails. */
	buf_init(&b, 16);
	CU_ASSERT_EQUAL(problem_json(&b, PROB_CONFLICT, NULL, NULL, NULL,
	    NULL), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	buf_free(&b);
}

static void
test_json_ext(void)
{
	struct buf		 b;
	struct json_object	*ext, *o, *v, *arr;

	ext = json_object_new_object();
	arr = json_object_new_array();
	CU_ASSERT_FATAL(ext != NULL && arr != NULL);
	json_object_array_add(arr, json_object_new_string("fid"));
	json_object_object_add(ext, "params", arr);
	json_object_object_add(ext, "retry_after", json_object_new_int(30));
	/* Standard members the extension must not override. */
	json_object_object_add(ext, "type", json_object_new_string("evil"));
	json_object_object_add(ext, "title", json_object_new_string("evil"));
	json_object_object_add(ext, "status", json_object_new_int(200));
	json_object_object_add(ext, "detail", json_object_new_string("evil"));
	json_object_object_add(ext, "request_id",
	    json_object_new_string("evil"));

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(problem_json(&b, PROB_INVALID_PARAM, "bad fid",
	    NULL, "rid-9", ext), 0);
	o = json_tokener_parse(buf_cstr(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	str_is(o, "type", "urn:replycast:problem:invalid-parameter");
	str_is(o, "title", "Invalid parameter");
	CU_ASSERT_EQUAL(jint(o, "status"), 400);
	str_is(o, "detail", "bad fid");
	str_is(o, "request_id", "rid-9");
	CU_ASSERT_EQUAL(jint(o, "retry_after"), 30);
	CU_ASSERT_FATAL(json_object_object_get_ex(o, "params", &v));
	CU_ASSERT_FATAL(json_object_is_type(v, json_type_array));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(v), 1);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
	    json_object_array_get_idx(v, 0)), "fid");
	CU_ASSERT_EQUAL(json_object_object_length(o), 7);
	json_object_put(o);

	/* ext is still the caller's, unchanged, and usable again. */
	CU_ASSERT_EQUAL(json_object_object_length(ext), 7);
	str_is(ext, "type", "evil");
	buf_reset(&b);
	CU_ASSERT_EQUAL(problem_json(&b, PROB_FORBIDDEN, NULL, NULL, NULL,
	    ext), 0);
	o = json_tokener_parse(buf_cstr(&b));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	str_is(o, "type", "urn:replycast:problem:forbidden");
	CU_ASSERT_EQUAL(jint(o, "status"), 403);
	CU_ASSERT_EQUAL(jint(o, "retry_after"), 30);
	json_object_put(o);
	json_object_put(ext);
	buf_free(&b);
}

static void
test_table(void)
{
	const char	*slug, *title;
	int		 i, j, st;

	for (i = 0; i < PROB__MAX; i++) {
		slug = problem_slug((enum problem)i);
		title = problem_title((enum problem)i);
		st = problem_status((enum problem)i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(slug);
		CU_ASSERT_PTR_NOT_NULL_FATAL(title);
		CU_ASSERT(slug[0] != '\0');
		CU_ASSERT(title[0] != '\0');
		CU_ASSERT(st >= 400 && st <= 599);
		/* Slugs are URI parts: lowercase letters and '-'. */
		CU_ASSERT_EQUAL(strspn(slug, "abcdefghijklmnopqrstuvwxyz-"),
		    strlen(slug));
		for (j = 0; j < i; j++)
			CU_ASSERT(strcmp(slug,
			    problem_slug((enum problem)j)) != 0);
	}
	CU_ASSERT_EQUAL(problem_status(PROB_BAD_REQUEST), 400);
	CU_ASSERT_EQUAL(problem_status(PROB_UNAUTHORIZED), 401);
	CU_ASSERT_EQUAL(problem_status(PROB_NOT_FOUND), 404);
	CU_ASSERT_EQUAL(problem_status(PROB_METHOD_NOT_ALLOWED), 405);
	CU_ASSERT_EQUAL(problem_status(PROB_TOO_LARGE), 413);
	CU_ASSERT_EQUAL(problem_status(PROB_UNSUPPORTED_MEDIA), 415);
	CU_ASSERT_EQUAL(problem_status(PROB_INTERNAL), 500);
	CU_ASSERT_EQUAL(problem_status(PROB_UNAVAILABLE), 503);
	CU_ASSERT_STRING_EQUAL(problem_slug(PROB_NOT_FOUND), "not-found");
	CU_ASSERT_STRING_EQUAL(problem_title(PROB_NOT_FOUND), "Not found");
	/* Out of range falls back to the internal error. */
	CU_ASSERT_EQUAL(problem_status(PROB__MAX), 500);
	CU_ASSERT_STRING_EQUAL(problem_slug(PROB__MAX), "internal-error");
	CU_ASSERT_STRING_EQUAL(problem_title(PROB__MAX),
	    "Internal server error");
}

/* Every problem renders, and its JSON agrees with the table. */
static void
test_json_every(void)
{
	struct buf		 b;
	struct json_object	*o;
	char			 type[128];
	int			 i;

	buf_init(&b, 0);
	for (i = 0; i < PROB__MAX; i++) {
		buf_reset(&b);
		CU_ASSERT_EQUAL_FATAL(problem_json(&b, (enum problem)i, NULL,
		    NULL, NULL, NULL), 0);
		o = json_tokener_parse(buf_cstr(&b));
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_FATAL((size_t)snprintf(type, sizeof(type), "%s%s",
		    PROBLEM_TYPE_PREFIX, problem_slug((enum problem)i)) <
		    sizeof(type));
		str_is(o, "type", type);
		str_is(o, "title", problem_title((enum problem)i));
		CU_ASSERT_EQUAL(jint(o, "status"),
		    problem_status((enum problem)i));
		json_object_put(o);
	}
	buf_free(&b);
}

static void
test_resp_problem(void)
{
	struct resp		 r;
	struct json_object	*o, *ext;

	resp_init(&r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL_FATAL(buf_puts(&r.body, "old body"), 0);
	CU_ASSERT_EQUAL_FATAL(resp_ctype(&r, "text/html"), 0);

	CU_ASSERT_EQUAL_FATAL(resp_problem(&r, PROB_NOT_FOUND, "gone",
	    "abc123", NULL), 0);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT_STRING_EQUAL(r.ctype, "application/problem+json");
	CU_ASSERT_FATAL(r.body.len > 0);
	CU_ASSERT_EQUAL(r.body.ptr[0], '{');	/* the old body is gone */
	CU_ASSERT_EQUAL(r.body.ptr[r.body.len - 1], '\n');
	o = json_tokener_parse(buf_cstr(&r.body));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	str_is(o, "type", "urn:replycast:problem:not-found");
	str_is(o, "title", "Not found");
	CU_ASSERT_EQUAL(jint(o, "status"), 404);
	str_is(o, "detail", "gone");
	str_is(o, "request_id", "abc123");
	CU_ASSERT_FALSE(jhas(o, "instance"));
	json_object_put(o);

	/* A second problem replaces the first. */
	ext = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ext);
	json_object_object_add(ext, "limit", json_object_new_int(1024));
	CU_ASSERT_EQUAL_FATAL(resp_problem(&r, PROB_TOO_LARGE, NULL, NULL,
	    ext), 0);
	json_object_put(ext);
	CU_ASSERT_EQUAL(r.status, 413);
	CU_ASSERT_STRING_EQUAL(r.ctype, "application/problem+json");
	o = json_tokener_parse(buf_cstr(&r.body));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	str_is(o, "type", "urn:replycast:problem:payload-too-large");
	CU_ASSERT_EQUAL(jint(o, "status"), 413);
	CU_ASSERT_EQUAL(jint(o, "limit"), 1024);
	CU_ASSERT_FALSE(jhas(o, "detail"));
	CU_ASSERT_FALSE(jhas(o, "request_id"));
	json_object_put(o);

	resp_reset(&r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.ctype, "");
	CU_ASSERT_EQUAL(r.body.len, 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.body), "");
	resp_free(&r);
	resp_free(NULL);
}

static void
test_resp_header_ok(void)
{
	struct resp	 r;

	resp_init(&r);
	CU_ASSERT_EQUAL(r.hdrs.len, 0);
	CU_ASSERT_EQUAL(resp_header(&r, "X-Request-Id", "abc123"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs), "X-Request-Id: abc123\r\n");
	CU_ASSERT_EQUAL(resp_header(&r, "Allow", "GET, HEAD, POST"), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "Cache-Control", "no-store"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs),
	    "X-Request-Id: abc123\r\n"
	    "Allow: GET, HEAD, POST\r\n"
	    "Cache-Control: no-store\r\n");
	CU_ASSERT_EQUAL(r.hdrs.len, strlen(buf_cstr(&r.hdrs)));
	resp_reset(&r);
	CU_ASSERT_EQUAL(r.hdrs.len, 0);
	/* Every tchar of RFC 9110 is allowed in a name. */
	CU_ASSERT_EQUAL(resp_header(&r, "!#$%&'*+-.^_`|~09azAZ", "v"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs),
	    "!#$%&'*+-.^_`|~09azAZ: v\r\n");
	/* An empty value and a % are written literally. */
	resp_reset(&r);
	CU_ASSERT_EQUAL(resp_header(&r, "X-E", ""), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "X-P", "100%s%n"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs),
	    "X-E: \r\nX-P: 100%s%n\r\n");
	resp_free(&r);
}

static void
test_resp_header_bad(void)
{
	struct resp	 r;

	resp_init(&r);
	CU_ASSERT_EQUAL_FATAL(resp_header(&r, "X-A", "1"), 0);

	CU_ASSERT_EQUAL(resp_header(&r, "X-B", "a\r\nSet-Cookie: x=1"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X-B", "a\nb"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X-B", "a\rb"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X-B", "\n"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X B", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X:B", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X-B:", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, " X-B", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X-B\r\n", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X\tB", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X(B)", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X/B", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X\"B", "v"), -1);
	CU_ASSERT_EQUAL(resp_header(&r, "X\xc3\xa9", "v"), -1);
	/* Nothing of the refused headers was written. */
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs), "X-A: 1\r\n");
	resp_free(&r);
}

/* The header block is bounded; a header that does not fit is refused whole. */
static void
test_resp_header_limit(void)
{
	struct resp	 r;
	char		 v[101];
	size_t		 i, line = strlen("X-Fill: ") + 100 + 2;

	memset(v, 'x', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	resp_init(&r);
	for (i = 0; i < 1000; i++)
		if (resp_header(&r, "X-Fill", v) == -1)
			break;
	CU_ASSERT(i < 1000);
	CU_ASSERT(r.hdrs.len <= 16u * 1024u);
	CU_ASSERT_EQUAL(r.hdrs.len, i * line);
	CU_ASSERT_EQUAL(r.hdrs.len % line, 0);
	CU_ASSERT_EQUAL(strlen(buf_cstr(&r.hdrs)), r.hdrs.len);
	resp_free(&r);
}

static void
test_resp_misc(void)
{
	struct resp		 r;
	struct json_object	*o;
	char			 big[200];

	resp_init(&r);
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/plain; charset=utf-8"), 0);
	CU_ASSERT_STRING_EQUAL(r.ctype, "text/plain; charset=utf-8");
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/html\r\nX-Evil: 1"), -1);
	CU_ASSERT_STRING_EQUAL(r.ctype, "text/plain; charset=utf-8");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(resp_ctype(&r, big), -1);
	big[sizeof(r.ctype) - 1] = '\0';	/* the longest that fits */
	CU_ASSERT_EQUAL(resp_ctype(&r, big), 0);
	CU_ASSERT_EQUAL(strlen(r.ctype), sizeof(r.ctype) - 1);

	o = json_object_new_object();
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "path", json_object_new_string("/a/b"));
	CU_ASSERT_EQUAL(resp_json(&r, 201, o), 0);	/* takes o */
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_STRING_EQUAL(r.ctype, "application/json");
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.body),
	    "{\"ok\":true,\"path\":\"/a/b\"}\n");
	CU_ASSERT_EQUAL(resp_json(&r, 200, NULL), -1);

	CU_ASSERT_STRING_EQUAL(resp_reason(200), "OK");
	CU_ASSERT_STRING_EQUAL(resp_reason(404), "Not Found");
	CU_ASSERT_STRING_EQUAL(resp_reason(405), "Method Not Allowed");
	CU_ASSERT_STRING_EQUAL(resp_reason(599), "Unknown");
	resp_free(&r);
}

/* Every problem status has a reason phrase. */
static void
test_resp_reason_problems(void)
{
	int	 i;

	for (i = 0; i < PROB__MAX; i++)
		CU_ASSERT(strcmp(resp_reason(problem_status((enum problem)i)),
		    "Unknown") != 0);
}

int
test_problem_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("problem", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "json full", test_json_full) == NULL ||
	    CU_add_test(s, "json minimal", test_json_minimal) == NULL ||
	    CU_add_test(s, "json appends", test_json_appends) == NULL ||
	    CU_add_test(s, "json extension", test_json_ext) == NULL ||
	    CU_add_test(s, "table", test_table) == NULL ||
	    CU_add_test(s, "json every problem", test_json_every) == NULL)
		return -1;
	if ((s = CU_add_suite("resp", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "problem", test_resp_problem) == NULL ||
	    CU_add_test(s, "header ok", test_resp_header_ok) == NULL ||
	    CU_add_test(s, "header bad", test_resp_header_bad) == NULL ||
	    CU_add_test(s, "header limit", test_resp_header_limit) == NULL ||
	    CU_add_test(s, "ctype, json, reason", test_resp_misc) == NULL ||
	    CU_add_test(s, "reason of problems",
	    test_resp_reason_problems) == NULL)
		return -1;
	return 0;
}
