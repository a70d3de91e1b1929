#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/resp.h"
#include "mstream.h"
#include "tests.h"

static void
test_init_reset(void)
{
	struct resp	 r;

	resp_init(&r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_STRING_EQUAL(r.ctype, "");
	CU_ASSERT_EQUAL(r.hdrs.len + r.body.len, 0);
	r.status = 404;
	r.streamed = 1;
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/html"), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "X-A", "1"), 0);
	CU_ASSERT_EQUAL(buf_puts(&r.body, "body"), 0);
	resp_reset(&r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT_EQUAL(r.streamed, 0);
	CU_ASSERT_STRING_EQUAL(r.ctype, "");
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs), "");
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.body), "");
	resp_free(&r);
	resp_free(NULL);
}

/* Names are RFC 9110 tokens; values never hold CR or LF. */
static void
test_header(void)
{
	struct resp		 r;
	const char *const	 badname[] = { "", "X A", "X:A", "X\r\nA", "X\"",
	    "X(A)", "X/A", "X\xc3\xa9", "X@A", "X{A}", "X\tA", "X\x7f" };
	const char *const	 badval[] = { "a\rb", "a\nb", "a\r\nSet-Cookie: x=1",
	    "\n", "\r" };
	size_t			 i;

	resp_init(&r);
	CU_ASSERT_EQUAL(resp_header(&r, "X-Request-Id", "abc"), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "!#$%&'*+-.^_`|~09azAZ", ""), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "Link", "<a>; rel=\"x\"\t\x01"), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.hdrs), "X-Request-Id: abc\r\n"
	    "!#$%&'*+-.^_`|~09azAZ: \r\n"
	    "Link: <a>; rel=\"x\"\t\x01\r\n");
	buf_reset(&r.hdrs);
	for (i = 0; i < sizeof(badname) / sizeof(badname[0]); i++)
		CU_ASSERT_EQUAL(resp_header(&r, badname[i], "v"), -1);
	for (i = 0; i < sizeof(badval) / sizeof(badval[0]); i++)
		CU_ASSERT_EQUAL(resp_header(&r, "X-A", badval[i]), -1);
	CU_ASSERT_EQUAL(r.hdrs.len, 0);
	resp_free(&r);
}

/* The header block has a limit; past it a header is refused, not cut. */
static void
test_header_limit(void)
{
	struct resp	 r;
	char		 v[1001];
	int		 i, rc = 0;

	resp_init(&r);
	memset(v, 'v', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	for (i = 0; i < 100 && (rc = resp_header(&r, "X-Big", v)) == 0; i++)
		;
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT(i > 0 && i < 100);
	CU_ASSERT(r.hdrs.len <= 16u * 1024u);
	CU_ASSERT_EQUAL(r.hdrs.len, (size_t)i * (1000 + strlen("X-Big: \r\n")));
	resp_free(&r);
}

static void
test_ctype(void)
{
	struct resp	 r;
	char		 ct[97];

	resp_init(&r);
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/csv; charset=utf-8"), 0);
	CU_ASSERT_STRING_EQUAL(r.ctype, "text/csv; charset=utf-8");
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/html\r\nX-A: 1"), -1);
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/html\n"), -1);
	CU_ASSERT_STRING_EQUAL(r.ctype, "text/csv; charset=utf-8");
	memset(ct, 'a', sizeof(ct));
	ct[95] = '\0';		/* 95 bytes: the longest that fits */
	CU_ASSERT_EQUAL(resp_ctype(&r, ct), 0);
	CU_ASSERT_EQUAL(strlen(r.ctype), 95);
	ct[95] = 'a';
	ct[96] = '\0';
	CU_ASSERT_EQUAL(resp_ctype(&r, ct), -1);
	CU_ASSERT_EQUAL(strlen(r.ctype), 95);
	resp_free(&r);
}

static void
test_json(void)
{
	struct resp		 r;
	struct json_object	*o = json_object_new_object();

	resp_init(&r);
	CU_ASSERT_EQUAL(buf_puts(&r.body, "old"), 0);
	json_object_object_add(o, "path", json_object_new_string("a/b\"<"));
	json_object_object_add(o, "n", json_object_new_int(7));
	CU_ASSERT_EQUAL(resp_json(&r, 201, o), 0);
	CU_ASSERT_EQUAL(r.status, 201);
	CU_ASSERT_STRING_EQUAL(r.ctype, "application/json");
	CU_ASSERT_STRING_EQUAL(buf_cstr(&r.body),
	    "{\"path\":\"a/b\\\"<\",\"n\":7}\n");
	CU_ASSERT_EQUAL(resp_json(&r, 500, NULL), -1);
	CU_ASSERT_EQUAL(r.status, 201);
	resp_free(&r);
}

static void
test_problem(void)
{
	struct resp		 r;
	struct json_object	*o, *v;

	resp_init(&r);
	CU_ASSERT_EQUAL(buf_puts(&r.body, "partial page"), 0);
	CU_ASSERT_EQUAL(resp_problem(&r, PROB_NOT_FOUND, "no \"x\"", "rid1",
	    NULL), 0);
	CU_ASSERT_EQUAL(r.status, 404);
	CU_ASSERT_STRING_EQUAL(r.ctype, "application/problem+json");
	CU_ASSERT_EQUAL(r.body.ptr[r.body.len - 1], '\n');
	o = json_tokener_parse(buf_cstr(&r.body));
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT(json_object_object_get_ex(o, "status", &v) &&
	    json_object_get_int(v) == 404);
	CU_ASSERT(json_object_object_get_ex(o, "detail", &v) &&
	    strcmp(json_object_get_string(v), "no \"x\"") == 0);
	CU_ASSERT(json_object_object_get_ex(o, "request_id", &v) &&
	    strcmp(json_object_get_string(v), "rid1") == 0);
	json_object_put(o);
	CU_ASSERT_EQUAL(resp_problem(&r, PROB_UNAVAILABLE, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(r.status, 503);
	CU_ASSERT_PTR_NULL(strstr(buf_cstr(&r.body), "rid1"));
	resp_free(&r);
}

static void
test_reason(void)
{
	CU_ASSERT_STRING_EQUAL(resp_reason(200), "OK");
	CU_ASSERT_STRING_EQUAL(resp_reason(303), "See Other");
	CU_ASSERT_STRING_EQUAL(resp_reason(405), "Method Not Allowed");
	CU_ASSERT_STRING_EQUAL(resp_reason(413), "Content Too Large");
	CU_ASSERT_STRING_EQUAL(resp_reason(503), "Service Unavailable");
	CU_ASSERT_STRING_EQUAL(resp_reason(418), "Unknown");
	CU_ASSERT_STRING_EQUAL(resp_reason(-1), "Unknown");
}

/* The exact CGI header block, then the body. */
static void
test_write(void)
{
	struct resp	 r;
	struct mstream	 m;

	resp_init(&r);
	CU_ASSERT_EQUAL(resp_header(&r, "X-Request-Id", "r1"), 0);
	CU_ASSERT_EQUAL(buf_puts(&r.body, "hello"), 0);
	r.status = 201;
	mstream_init(&m, 0);
	CU_ASSERT_EQUAL(resp_write(&r, &m.s, 0), 0);
	CU_ASSERT_STRING_EQUAL(mstream_text(&m), "Status: 201 Created\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
	    "X-Request-Id: r1\r\n\r\nhello");
	mstream_free(&m);

	/* HEAD: the same header block (Content-Length included), no body. */
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/html; charset=utf-8"), 0);
	mstream_init(&m, 0);
	CU_ASSERT_EQUAL(resp_write(&r, &m.s, 1), 0);
	CU_ASSERT_STRING_EQUAL(mstream_text(&m), "Status: 201 Created\r\n"
	    "Content-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n"
	    "X-Request-Id: r1\r\n\r\n");
	mstream_free(&m);
	resp_free(&r);
}

/* 204 and 304 carry no body, so no Content-Type or Content-Length. */
static void
test_write_nobody(void)
{
	struct resp	 r;
	struct mstream	 m;
	int		 st[] = { 204, 304 };
	size_t		 i;
	char		 want[128];

	resp_init(&r);
	for (i = 0; i < 2; i++) {
		resp_reset(&r);
		r.status = st[i];
		CU_ASSERT_EQUAL(buf_puts(&r.body, "ignored"), 0);
		CU_ASSERT_EQUAL(resp_header(&r, "ETag", "\"e\""), 0);
		mstream_init(&m, 0);
		CU_ASSERT_EQUAL(resp_write(&r, &m.s, 0), 0);
		snprintf(want, sizeof(want), "Status: %d %s\r\nETag: \"e\"\r\n\r\n",
		    st[i], resp_reason(st[i]));
		CU_ASSERT_STRING_EQUAL(mstream_text(&m), want);
		mstream_free(&m);
	}
	resp_free(&r);
}

/* A body longer than one FCGX_PutStr chunk (64 KiB) arrives whole. */
static void
test_write_big(void)
{
	struct resp	 r;
	struct mstream	 m;
	size_t		 n = 200000, i;
	char		*big, head[128];
	const char	*got;
	int		 hl;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big = malloc(n + 1));
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	resp_init(&r);
	CU_ASSERT_EQUAL(buf_put(&r.body, big, n), 0);
	mstream_init(&m, 0);
	CU_ASSERT_EQUAL(resp_write(&r, &m.s, 0), 0);
	hl = snprintf(head, sizeof(head), "Status: 200 OK\r\nContent-Type: "
	    "text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n", n);
	got = mstream_text(&m);
	CU_ASSERT_EQUAL(m.out.len, (size_t)hl + n);
	CU_ASSERT_EQUAL(memcmp(got, head, (size_t)hl), 0);
	CU_ASSERT_EQUAL(memcmp(got + hl, big, n), 0);
	mstream_free(&m);
	resp_free(&r);
	free(big);
}

/* A stream that fails (the peer went away) makes every writer say so. */
static void
test_write_fails(void)
{
	struct resp	 r;
	struct mstream	 m;

	resp_init(&r);
	CU_ASSERT_EQUAL(buf_puts(&r.body, "hello"), 0);
	mstream_init(&m, 1);
	CU_ASSERT_EQUAL(resp_write(&r, &m.s, 0), -1);
	mstream_free(&m);
	mstream_init(&m, 1);
	CU_ASSERT_EQUAL(resp_stream_begin(&r, &m.s), -1);
	CU_ASSERT_EQUAL(r.streamed, 0);
	CU_ASSERT_EQUAL(resp_stream_put(&m.s, "0123456789", 10), -1);
	mstream_free(&m);
	resp_free(&r);
}

/* Streaming: headers now, without Content-Length; the body follows. */
static void
test_stream(void)
{
	struct resp	 r;
	struct mstream	 m;

	resp_init(&r);
	CU_ASSERT_EQUAL(resp_ctype(&r, "text/csv"), 0);
	CU_ASSERT_EQUAL(resp_header(&r, "Content-Disposition",
	    "attachment; filename=\"x.csv\""), 0);
	mstream_init(&m, 0);
	CU_ASSERT_EQUAL(resp_stream_begin(&r, &m.s), 0);
	CU_ASSERT_EQUAL(r.streamed, 1);
	CU_ASSERT_EQUAL(resp_stream_put(&m.s, "a,b\n", 4), 0);
	CU_ASSERT_EQUAL(resp_stream_put(&m.s, "", 0), 0);
	CU_ASSERT_EQUAL(resp_stream_put(&m.s, "1,2\n", 4), 0);
	CU_ASSERT_STRING_EQUAL(mstream_text(&m), "Status: 200 OK\r\n"
	    "Content-Type: text/csv\r\n"
	    "Content-Disposition: attachment; filename=\"x.csv\"\r\n\r\n"
	    "a,b\n1,2\n");
	mstream_free(&m);
	resp_free(&r);
}

int
test_resp_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("resp", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "init and reset empty everything", test_init_reset) == NULL ||
	    CU_add_test(s, "header names are tokens, no CR/LF", test_header) == NULL ||
	    CU_add_test(s, "the header block has a limit", test_header_limit) == NULL ||
	    CU_add_test(s, "content type bounds and CR/LF", test_ctype) == NULL ||
	    CU_add_test(s, "json body, status and type", test_json) == NULL ||
	    CU_add_test(s, "problem replaces the body", test_problem) == NULL ||
	    CU_add_test(s, "reason phrases", test_reason) == NULL ||
	    CU_add_test(s, "write: exact header block, HEAD", test_write) == NULL ||
	    CU_add_test(s, "write: 204/304 have no body", test_write_nobody) == NULL ||
	    CU_add_test(s, "write: a body past 64 KiB", test_write_big) == NULL ||
	    CU_add_test(s, "write: a failing stream", test_write_fails) == NULL ||
	    CU_add_test(s, "streamed answers", test_stream) == NULL)
		return -1;
	return 0;
}
