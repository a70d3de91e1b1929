#include <string.h>

#include <CUnit/CUnit.h>

#include "core/arena.h"
#include "core/route.h"
#include "tests.h"

#define M(m)	(1u << (m))

static struct arena	*ra;

static int
route_suite_init(void)
{
	return (ra = arena_new(4096)) == NULL ? -1 : 0;
}

static int
route_suite_clean(void)
{
	arena_free(ra);
	ra = NULL;
	return 0;
}

/* Distinct handlers so a test can tell which route matched. */
static int
h_list(struct req *rq)
{
	(void)rq;
	return 1;
}

static int
h_create(struct req *rq)
{
	(void)rq;
	return 2;
}

static int
h_get(struct req *rq)
{
	(void)rq;
	return 3;
}

static int
h_delete(struct req *rq)
{
	(void)rq;
	return 4;
}

static int
h_reply(struct req *rq)
{
	(void)rq;
	return 5;
}

static int
h_shadowed(struct req *rq)
{
	(void)rq;
	return 6;
}

static int
h_latest(struct req *rq)
{
	(void)rq;
	return 7;
}

static const struct route tab[] = {
	{ METHOD_GET, "/api/feedback", h_list, 0 },
	{ METHOD_POST, "/api/feedback", h_create, 0 },
	{ METHOD_GET, "/api/feedback/latest", h_latest, 0 },
	{ METHOD_GET, "/api/feedback/{fid}", h_get, 0 },
	{ METHOD_DELETE, "/api/feedback/{fid}", h_delete, 0 },
	{ METHOD_GET, "/api/feedback/{id}", h_shadowed, 0 },
	{ METHOD_POST, "/api/feedback/{fid}/reply/{rid}", h_reply, 0 },
	{ METHOD_PUT, "/", h_list, 0 },
};
#define NTAB	(sizeof(tab) / sizeof(tab[0]))

static void
test_method(void)
{
	static const char *const names[] = {
		"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
	};
	int	 i;

	CU_ASSERT_EQUAL_FATAL(sizeof(names) / sizeof(names[0]), METHOD__MAX);
	for (i = 0; i < METHOD__MAX; i++) {
		CU_ASSERT_EQUAL(route_method(names[i]), i);
		CU_ASSERT_STRING_EQUAL(route_method_name((enum route_method)i),
		    names[i]);
	}
	CU_ASSERT_EQUAL(route_method("GET"), METHOD_GET);
	CU_ASSERT_EQUAL(route_method("POST"), METHOD_POST);
	CU_ASSERT_EQUAL(route_method("get"), -1);
	CU_ASSERT_EQUAL(route_method("GETX"), -1);
	CU_ASSERT_EQUAL(route_method("GE"), -1);
	CU_ASSERT_EQUAL(route_method(""), -1);
	CU_ASSERT_EQUAL(route_method("TRACE"), -1);
	CU_ASSERT_EQUAL(route_method(NULL), -1);
	CU_ASSERT_STRING_EQUAL(route_method_name(METHOD__MAX), "?");
}

static void
test_split(void)
{
	char	*segs[ROUTE_MAXSEGS];
	size_t	 n = 99;

	CU_ASSERT_EQUAL_FATAL(route_split(ra, "/api/feedback/42", segs,
	    ROUTE_MAXSEGS, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(segs[0], "api");
	CU_ASSERT_STRING_EQUAL(segs[1], "feedback");
	CU_ASSERT_STRING_EQUAL(segs[2], "42");

	n = 99;
	CU_ASSERT_EQUAL(route_split(ra, "/", segs, ROUTE_MAXSEGS, &n), 0);
	CU_ASSERT_EQUAL(n, 0);

	/* "//" and a trailing '/' keep their empty segments. */
	n = 99;
	CU_ASSERT_EQUAL_FATAL(route_split(ra, "///", segs, ROUTE_MAXSEGS, &n),
	    0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(segs[0], "");
	CU_ASSERT_STRING_EQUAL(segs[2], "");

	CU_ASSERT_EQUAL_FATAL(route_split(ra, "//a//b/", segs, ROUTE_MAXSEGS,
	    &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_STRING_EQUAL(segs[0], "");
	CU_ASSERT_STRING_EQUAL(segs[1], "a");
	CU_ASSERT_STRING_EQUAL(segs[2], "");
	CU_ASSERT_STRING_EQUAL(segs[3], "b");
	CU_ASSERT_STRING_EQUAL(segs[4], "");

	CU_ASSERT_EQUAL_FATAL(route_split(ra, "/a/", segs, ROUTE_MAXSEGS, &n),
	    0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(segs[0], "a");
	CU_ASSERT_STRING_EQUAL(segs[1], "");
}

static void
test_split_decode(void)
{
	char	*segs[ROUTE_MAXSEGS];
	size_t	 n;

	CU_ASSERT_EQUAL_FATAL(route_split(ra, "/a%2Fb/%41%62c/x+y/%c3%a9",
	    segs, ROUTE_MAXSEGS, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(segs[0], "a/b");	/* %2F stays inside */
	CU_ASSERT_STRING_EQUAL(segs[1], "Abc");
	CU_ASSERT_STRING_EQUAL(segs[2], "x+y");	/* no '+' rule in paths */
	CU_ASSERT_STRING_EQUAL(segs[3], "\xc3\xa9");

	CU_ASSERT_EQUAL_FATAL(route_split(ra, "/%2f%2F", segs, ROUTE_MAXSEGS,
	    &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_STRING_EQUAL(segs[0], "//");
}

static void
test_split_bad(void)
{
	char	*segs[ROUTE_MAXSEGS];
	size_t	 n;

	CU_ASSERT_EQUAL(route_split(ra, "", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "api/x", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, " /x", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, NULL, segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/a/%zz", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/a/%4", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/a%/b", segs, ROUTE_MAXSEGS, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/a/%00", segs, ROUTE_MAXSEGS, &n), -1);
}

static void
test_split_maxsegs(void)
{
	char	*segs[ROUTE_MAXSEGS + 1];
	size_t	 n;

	/* Exactly maxsegs is fine, one more fails. */
	CU_ASSERT_EQUAL(route_split(ra, "/a/b/c", segs, 3, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(route_split(ra, "/a/b/c/d", segs, 3, &n), -1);
	/* Empty segments count against the limit too. */
	CU_ASSERT_EQUAL(route_split(ra, "/a//b", segs, 3, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(route_split(ra, "/a/b/c/", segs, 3, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/a", segs, 0, &n), -1);
	CU_ASSERT_EQUAL(route_split(ra, "/", segs, 0, &n), 0);
	CU_ASSERT_EQUAL(n, 0);

	CU_ASSERT_EQUAL(route_split(ra, "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16",
	    segs, ROUTE_MAXSEGS, &n), 0);
	CU_ASSERT_EQUAL(n, 16);
	CU_ASSERT_STRING_EQUAL(segs[15], "16");
	CU_ASSERT_EQUAL(route_split(ra,
	    "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17",
	    segs, ROUTE_MAXSEGS, &n), -1);
}

/* Splits path and looks it up in tab. */
static enum route_res
find(const char *path, enum route_method meth, struct route_match *m)
{
	char	*segs[ROUTE_MAXSEGS];
	size_t	 n;

	if (route_split(ra, path, segs, ROUTE_MAXSEGS, &n) == -1) {
		CU_FAIL("route_split");
		return ROUTE_NOTFOUND;
	}
	return route_find(tab, NTAB, meth, segs, n, m);
}

static void
test_find_literal(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback", METHOD_GET, &m), ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[0]);
	CU_ASSERT_EQUAL(m.route->fn(NULL), 1);
	CU_ASSERT_EQUAL(m.ncap, 0);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST));

	/* A literal listed before a capture wins over it. */
	CU_ASSERT_EQUAL_FATAL(find("/api/feedback/latest", METHOD_GET, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[2]);
	CU_ASSERT_EQUAL(m.ncap, 0);

	CU_ASSERT_EQUAL_FATAL(find("/", METHOD_PUT, &m), ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[7]);
	CU_ASSERT_EQUAL(m.ncap, 0);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_PUT));
}

static void
test_find_capture(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback/42", METHOD_GET, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[3]);	/* first match wins */
	CU_ASSERT_EQUAL(m.route->fn(NULL), 3);
	CU_ASSERT_EQUAL_FATAL(m.ncap, 1);
	CU_ASSERT_EQUAL(m.capnamelen[0], 3);
	CU_ASSERT_NSTRING_EQUAL(m.capname[0], "fid", 3);
	CU_ASSERT_EQUAL(m.capname[0][3], '}');	/* points into the pattern */
	CU_ASSERT_STRING_EQUAL(m.cap[0], "42");
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_DELETE));

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback/a%2Fb", METHOD_DELETE, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[4]);
	CU_ASSERT_EQUAL_FATAL(m.ncap, 1);
	CU_ASSERT_STRING_EQUAL(m.cap[0], "a/b");

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback/7/reply/9", METHOD_POST, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[6]);
	CU_ASSERT_EQUAL_FATAL(m.ncap, 2);
	CU_ASSERT_EQUAL(m.capnamelen[0], 3);
	CU_ASSERT_NSTRING_EQUAL(m.capname[0], "fid", 3);
	CU_ASSERT_STRING_EQUAL(m.cap[0], "7");
	CU_ASSERT_EQUAL(m.capnamelen[1], 3);
	CU_ASSERT_NSTRING_EQUAL(m.capname[1], "rid", 3);
	CU_ASSERT_STRING_EQUAL(m.cap[1], "9");
	CU_ASSERT_EQUAL(m.allow, M(METHOD_POST));
}

static void
test_find_head(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback/5", METHOD_HEAD, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[3]);
	CU_ASSERT_EQUAL_FATAL(m.ncap, 1);
	CU_ASSERT_STRING_EQUAL(m.cap[0], "5");

	CU_ASSERT_EQUAL_FATAL(find("/api/feedback", METHOD_HEAD, &m), ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &tab[0]);
}

static void
test_find_notfound(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(find("/api", METHOD_GET, &m), ROUTE_NOTFOUND);
	CU_ASSERT_PTR_NULL(m.route);
	CU_ASSERT_EQUAL(m.allow, 0);
	CU_ASSERT_EQUAL(find("/api/feedbacks", METHOD_GET, &m), ROUTE_NOTFOUND);
	CU_ASSERT_EQUAL(find("/api/feedback/1/2", METHOD_GET, &m),
	    ROUTE_NOTFOUND);
	CU_ASSERT_EQUAL(find("/api/feedback/1/reply", METHOD_POST, &m),
	    ROUTE_NOTFOUND);
	CU_ASSERT_EQUAL(find("/API/feedback", METHOD_GET, &m), ROUTE_NOTFOUND);
	CU_ASSERT_EQUAL(find("/x/api/feedback", METHOD_GET, &m),
	    ROUTE_NOTFOUND);
	/* A "%2F" in one segment does not match two literals. */
	CU_ASSERT_EQUAL(find("/api%2Ffeedback", METHOD_GET, &m),
	    ROUTE_NOTFOUND);
	CU_ASSERT_PTR_NULL(m.route);
	CU_ASSERT_EQUAL(route_find(tab, 0, METHOD_GET, NULL, 0, &m),
	    ROUTE_NOTFOUND);
}

static void
test_find_badmethod(void)
{
	struct route_match	 m;

	CU_ASSERT_EQUAL(find("/api/feedback", METHOD_DELETE, &m),
	    ROUTE_BADMETHOD);
	CU_ASSERT_PTR_NULL(m.route);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST));

	CU_ASSERT_EQUAL(find("/api/feedback/3", METHOD_PUT, &m),
	    ROUTE_BADMETHOD);
	CU_ASSERT_PTR_NULL(m.route);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_DELETE));

	CU_ASSERT_EQUAL(find("/api/feedback/3/reply/4", METHOD_GET, &m),
	    ROUTE_BADMETHOD);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_POST));

	/* A POST-only path does not answer HEAD. */
	CU_ASSERT_EQUAL(find("/api/feedback/3/reply/4", METHOD_HEAD, &m),
	    ROUTE_BADMETHOD);

	/* An unknown method on a known path. */
	CU_ASSERT_EQUAL(find("/api/feedback", METHOD__MAX, &m),
	    ROUTE_BADMETHOD);
	CU_ASSERT_PTR_NULL(m.route);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST));
	CU_ASSERT_EQUAL(find("/nowhere", METHOD__MAX, &m), ROUTE_NOTFOUND);
}

/*
 * One path per resource: a trailing '/', "//" anywhere, or an empty
 * capture is not found (the login rate limit of nginx matches the exact
 * path, so "/auth/login/" must not reach the login handler).
 */
static void
test_find_canonical(void)
{
	static const char *const bad[] = {
		"/api/feedback/", "//api/feedback", "/api//feedback",
		"/api/feedback//", "/api/feedback/latest/", "/api/feedback/42/",
		"/api/feedback//42", "/api/feedback/7/reply//9",
		"/api/feedback/7/reply/9/", "/api/feedback/7/reply/", "//",
		"///",
	};
	struct route_match	 m;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(find(bad[i], METHOD_GET, &m), ROUTE_NOTFOUND);
		CU_ASSERT_EQUAL(find(bad[i], METHOD_POST, &m), ROUTE_NOTFOUND);
		CU_ASSERT_PTR_NULL(m.route);
		CU_ASSERT_EQUAL(m.allow, 0);
	}
	/* The root is the one path that ends in '/'. */
	CU_ASSERT_EQUAL(find("/", METHOD_PUT, &m), ROUTE_OK);
	CU_ASSERT_EQUAL(find("/api/feedback", METHOD_POST, &m), ROUTE_OK);
	CU_ASSERT_EQUAL(find("/api/feedback/42", METHOD_GET, &m), ROUTE_OK);
}

/* Captures of a route that failed later in the path do not leak into m. */
static void
test_find_stale_caps(void)
{
	static const struct route t2[] = {
		{ METHOD_GET, "/{a}/{b}/x", h_list, 0 },
		{ METHOD_GET, "/p/q", h_get, 0 },
	};
	char			 p[] = "p", q[] = "q";
	char			*segs[2];
	struct route_match	 m;

	segs[0] = p;
	segs[1] = q;
	CU_ASSERT_EQUAL_FATAL(route_find(t2, 2, METHOD_GET, segs, 2, &m),
	    ROUTE_OK);
	CU_ASSERT_PTR_EQUAL(m.route, &t2[1]);
	CU_ASSERT_EQUAL(m.ncap, 0);
	CU_ASSERT_EQUAL(m.allow, M(METHOD_GET) | M(METHOD_HEAD));
}

static void
test_allow_str(void)
{
	char	 s[64];

	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST), s, sizeof(s)), 0);
	CU_ASSERT_STRING_EQUAL(s, "GET, HEAD, POST");
	/* Order follows the enum, not the bits' insertion. */
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_OPTIONS) | M(METHOD_DELETE),
	    s, sizeof(s)), 0);
	CU_ASSERT_STRING_EQUAL(s, "DELETE, OPTIONS");
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_PUT), s, sizeof(s)), 0);
	CU_ASSERT_STRING_EQUAL(s, "PUT");
	CU_ASSERT_EQUAL(route_allow_str(0, s, sizeof(s)), 0);
	CU_ASSERT_STRING_EQUAL(s, "");
	CU_ASSERT_EQUAL(route_allow_str((1u << METHOD__MAX) - 1, s, sizeof(s)),
	    0);
	CU_ASSERT_STRING_EQUAL(s, "GET, HEAD, POST, PUT, DELETE, PATCH, "
	    "OPTIONS");

	/* "GET, HEAD, POST" needs 16 bytes with its NUL. */
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST), s, 16), 0);
	CU_ASSERT_STRING_EQUAL(s, "GET, HEAD, POST");
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET) | M(METHOD_HEAD) |
	    M(METHOD_POST), s, 15), -1);
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET), s, 3), -1);
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET), s, 4), 0);
	CU_ASSERT_STRING_EQUAL(s, "GET");
	CU_ASSERT_EQUAL(route_allow_str(M(METHOD_GET), s, 0), -1);
	CU_ASSERT_EQUAL(route_allow_str(0, s, 1), 0);
	CU_ASSERT_STRING_EQUAL(s, "");
}

int
test_route_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("route", route_suite_init,
	    route_suite_clean)) == NULL)
		return -1;
	if (CU_add_test(s, "method", test_method) == NULL ||
	    CU_add_test(s, "split", test_split) == NULL ||
	    CU_add_test(s, "split decode", test_split_decode) == NULL ||
	    CU_add_test(s, "split bad", test_split_bad) == NULL ||
	    CU_add_test(s, "split maxsegs", test_split_maxsegs) == NULL ||
	    CU_add_test(s, "find literal", test_find_literal) == NULL ||
	    CU_add_test(s, "find capture", test_find_capture) == NULL ||
	    CU_add_test(s, "find HEAD", test_find_head) == NULL ||
	    CU_add_test(s, "find not found", test_find_notfound) == NULL ||
	    CU_add_test(s, "find bad method", test_find_badmethod) == NULL ||
	    CU_add_test(s, "find stale captures", test_find_stale_caps) == NULL ||
	    CU_add_test(s, "find canonical paths", test_find_canonical) == NULL ||
	    CU_add_test(s, "allow string", test_allow_str) == NULL)
		return -1;
	return 0;
}
