#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json.h>

#include "core/jparse.h"
#include "tests.h"

/* A request body: an object within JPARSE_DEPTH. */
static enum jparse_err
body(const char *s, size_t len, struct json_object **o, char *err,
    size_t errsz)
{
	return jparse_object(s, len, JPARSE_DEPTH, o, err, errsz);
}

/* k arrays one in another around a 1: "[[1]]" for k = 2. */
static size_t
nest(char *b, size_t bsz, int k)
{
	size_t	 n = 0;
	int	 i;

	CU_ASSERT_FATAL((size_t)k * 2 + 2 <= bsz);
	for (i = 0; i < k; i++)
		b[n++] = '[';
	b[n++] = '1';
	for (i = 0; i < k; i++)
		b[n++] = ']';
	b[n] = '\0';
	return n;
}

static void
test_depth(void)
{
	char			 b[256], err[64];
	struct json_object	*o;
	size_t			 n;

	/* depth - 1 levels parse, depth levels do not: at both limits. */
	n = nest(b, sizeof(b), JPARSE_DEPTH - 1);
	CU_ASSERT_EQUAL(jparse(b, n, JPARSE_DEPTH, &o, err, sizeof(err)),
	    JPARSE_OK);
	CU_ASSERT_PTR_NOT_NULL(o);
	json_object_put(o);
	n = nest(b, sizeof(b), JPARSE_DEPTH);
	CU_ASSERT_EQUAL(jparse(b, n, JPARSE_DEPTH, &o, err, sizeof(err)),
	    JPARSE_EDEPTH);
	CU_ASSERT_PTR_NULL(o);
	CU_ASSERT_STRING_EQUAL(err, "nesting deeper than 16");
	/* The same text is a fine document. */
	CU_ASSERT_EQUAL(jparse(b, n, JPARSE_DEPTH_DOC, &o, NULL, 0),
	    JPARSE_OK);
	json_object_put(o);
	n = nest(b, sizeof(b), JPARSE_DEPTH_DOC - 1);
	CU_ASSERT_EQUAL(jparse(b, n, JPARSE_DEPTH_DOC, &o, NULL, 0),
	    JPARSE_OK);
	json_object_put(o);
	n = nest(b, sizeof(b), JPARSE_DEPTH_DOC);
	CU_ASSERT_EQUAL(jparse(b, n, JPARSE_DEPTH_DOC, &o, err, sizeof(err)),
	    JPARSE_EDEPTH);
	CU_ASSERT_STRING_EQUAL(err, "nesting deeper than 64");
	/* A request body nested too deep is refused before any type check. */
	snprintf(b, sizeof(b), "{\"a\":");
	n = strlen(b) + nest(b + strlen(b), sizeof(b) - strlen(b),
	    JPARSE_DEPTH);
	b[n++] = '}';
	CU_ASSERT_EQUAL(body(b, n, &o, NULL, 0), JPARSE_EDEPTH);
	CU_ASSERT_PTR_NULL(o);
}

static void
test_trailing(void)
{
	static const char *const bad[] = {
		"{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1},", "{\"a\":1}]",
		"{\"a\":1} 2", "[1] [2]", "1 2",
	};
	struct json_object	*o;
	char			 err[64];
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(jparse(bad[i], strlen(bad[i]), JPARSE_DEPTH,
		    &o, err, sizeof(err)), JPARSE_ETRAIL);
		CU_ASSERT_PTR_NULL(o);
	}
	CU_ASSERT_STRING_EQUAL(err, "more than one value");
	/* Whitespace around the value is JSON (RFC 8259, JSON-text). */
	CU_ASSERT_EQUAL(body(" \t{\"a\":1}\r\n ", 12, &o, NULL, 0),
	    JPARSE_OK);
	json_object_put(o);
	/* A NUL ends json-c's input: what follows it is trailing, not lost. */
	CU_ASSERT_EQUAL(body("{}\0{}", 5, &o, NULL, 0),
	    JPARSE_ETRAIL);
}

/* Each of bad[0..n) refused as want, with why (any reason when NULL). */
static void
refused(const char *const *bad, size_t n, enum jparse_err want,
    const char *why)
{
	struct json_object	*o;
	char			 err[64];
	size_t			 i;

	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(body(bad[i], strlen(bad[i]), &o, err,
		    sizeof(err)), want);
		CU_ASSERT_PTR_NULL(o);
		if (why != NULL)
			CU_ASSERT_STRING_EQUAL(err, why);
		CU_ASSERT(err[0] != '\0');
	}
}

static void
test_not_object(void)
{
	static const char *const bad[] = {
		"[]", "[{}]", "\"{}\"", "1", "true", "null", "-0.5",
	};
	struct json_object	*o;

	refused(bad, sizeof(bad) / sizeof(bad[0]), JPARSE_ETYPE,
	    "not a JSON object");
	/* Any value where any is asked for; null is a NULL object. */
	CU_ASSERT_EQUAL(jparse("42", 2, JPARSE_DEPTH, &o, NULL, 0), JPARSE_OK);
	CU_ASSERT_EQUAL(json_object_get_int(o), 42);
	json_object_put(o);
	CU_ASSERT_EQUAL(jparse("null", 4, JPARSE_DEPTH, &o, NULL, 0),
	    JPARSE_OK);
	CU_ASSERT_PTR_NULL(o);
}

static void
test_syntax(void)
{
	/* What json-c takes unless strict (0.16 takes a 'key' even then). */
	static const char *const bad[] = {
		"{\"a\":'x'}", "{\"a\":1,}", "[1,]",
		"{/*c*/\"a\":1}", "{\"a\":TRUE}", "<html>", "{a:1}",
	};
	struct json_object	*o;
	char			 err[64];

	refused(bad, sizeof(bad) / sizeof(bad[0]), JPARSE_ESYNTAX, NULL);
	CU_ASSERT_EQUAL(body("", 0, &o, err, sizeof(err)),
	    JPARSE_ETRUNC);
	CU_ASSERT_STRING_EQUAL(err, "truncated");
	CU_ASSERT_EQUAL(body("  ", 2, &o, NULL, 0), JPARSE_ETRUNC);
	CU_ASSERT_EQUAL(body("{\"a\":[", 6, &o, NULL, 0),
	    JPARSE_ETRUNC);
	/* NULL err, or one too short, is fine. */
	CU_ASSERT_EQUAL(body("x", 1, &o, err, 4), JPARSE_ESYNTAX);
	CU_ASSERT_EQUAL(strlen(err), 3);
}

static void
test_exact_size(void)
{
	const char		 s[] = "{\"a\":1}{\"b\":2}";
	struct json_object	*o, *v;
	size_t			 end;

	/* Only len bytes count: the rest of the buffer is not looked at. */
	CU_ASSERT_EQUAL_FATAL(body(s, 7, &o, NULL, 0), JPARSE_OK);
	CU_ASSERT(json_object_object_get_ex(o, "a", &v));
	CU_ASSERT_EQUAL(json_object_object_length(o), 1);
	json_object_put(o);
	CU_ASSERT_EQUAL(body(s, 6, &o, NULL, 0), JPARSE_ETRUNC);
	CU_ASSERT_EQUAL(body(s, 8, &o, NULL, 0), JPARSE_ETRAIL);
	/* A number cut by len ends at len, not at the next byte. */
	CU_ASSERT_EQUAL_FATAL(jparse("123", 2, JPARSE_DEPTH, &o, NULL, 0),
	    JPARSE_OK);
	CU_ASSERT_EQUAL(json_object_get_int(o), 12);
	json_object_put(o);
	/* Documents one after another. */
	CU_ASSERT_EQUAL_FATAL(jparse_first(s, sizeof(s) - 1, JPARSE_DEPTH_DOC,
	    &o, &end, NULL, 0), JPARSE_OK);
	CU_ASSERT_EQUAL(end, 7);
	json_object_put(o);
	CU_ASSERT_EQUAL_FATAL(jparse_first(s + end, sizeof(s) - 1 - end,
	    JPARSE_DEPTH_DOC, &o, &end, NULL, 0), JPARSE_OK);
	CU_ASSERT_EQUAL(end, 7);
	CU_ASSERT(json_object_object_get_ex(o, "b", &v));
	json_object_put(o);
}

int
test_jparse_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("jparse", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "depth limit", test_depth) == NULL ||
	    CU_add_test(s, "trailing garbage", test_trailing) == NULL ||
	    CU_add_test(s, "not an object", test_not_object) == NULL ||
	    CU_add_test(s, "syntax", test_syntax) == NULL ||
	    CU_add_test(s, "exact size", test_exact_size) == NULL)
		return -1;
	return 0;
}
