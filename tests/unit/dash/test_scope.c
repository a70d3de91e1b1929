#include <string.h>

#include <CUnit/CUnit.h>
#include <json.h>

#include "dash/scope.h"
#include "tests.h"

/* 1-30 Nov 2026 in UTC: the scope needs no database for UTC. */
#define NOV	"\"tz\":\"UTC\",\"from\":1793491200,\"to\":1796083200"

static const char *
str(struct json_object *o, const char *a, const char *b)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b != NULL && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *
scope_of(const char *cur, const char *prev)
{
	struct json_object	*c = json_tokener_parse(cur);
	struct json_object	*p = prev ? json_tokener_parse(prev) : NULL;
	struct json_object	*s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	s = dash_scope(NULL, c, p);
	json_object_put(c);
	json_object_put(p);
	return s;
}

static void
test_scope_change(void)
{
	struct json_object	*s;

	s = scope_of("{" NOV ",\"inbound\":756,\"answered\":448,"
	    "\"reply_rate\":0.593,\"within_goal_share\":0.5,"
	    "\"reply_seconds\":{\"median\":600,\"p90\":null}}",
	    "{" NOV ",\"inbound\":800,\"answered\":448,\"reply_rate\":0.56,"
	    "\"within_goal_share\":0.5004,"
	    "\"reply_seconds\":{\"median\":682,\"p90\":7200}}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(str(s, "words", NULL), "1–30 Nov 2026");
	CU_ASSERT_STRING_EQUAL(str(s, "between", NULL),
	    "between 1 and 30 Nov 2026");
	CU_ASSERT_STRING_EQUAL(str(s, "prev", NULL), "the previous 30 days");
	/* (600 - 682) / 682 = -12.0 %: faster, in words and an arrow. */
	CU_ASSERT_STRING_EQUAL(str(s, "change", "median"),
	    "▼ 12 % faster than the previous 30 days");
	CU_ASSERT_STRING_EQUAL(str(s, "change", "rate"),
	    "▲ 3.3 points higher than the previous 30 days");
	/* 0.5 against 0.5004 (the API's 0.5): no change. */
	CU_ASSERT_STRING_EQUAL(str(s, "change", "goal"),
	    "about the same as the previous 30 days");
	CU_ASSERT_STRING_EQUAL(str(s, "change", "answered"),
	    "about the same as the previous 30 days");
	/* No p90 in this window: a dash, and no change. */
	CU_ASSERT_STRING_EQUAL(str(s, "nil", "p90"), "true");
	CU_ASSERT_PTR_NULL(str(s, "change", "p90"));
	CU_ASSERT_PTR_NULL(str(s, "nil", "median"));
	CU_ASSERT_PTR_NULL(str(s, "no_prev", NULL));
	CU_ASSERT_PTR_NULL(str(s, "no_inbound", NULL));
	json_object_put(s);
}

static void
test_scope_empty(void)
{
	struct json_object	*s;

	/* Nothing before: no change at all, and a sentence. */
	s = scope_of("{" NOV ",\"inbound\":5,\"answered\":0,\"reply_rate\":0,"
	    "\"reply_seconds\":{\"median\":null}}",
	    "{" NOV ",\"inbound\":0,\"answered\":0,\"reply_rate\":null}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(str(s, "change", "answered"));
	CU_ASSERT_PTR_NULL(str(s, "change", "rate"));
	CU_ASSERT_STRING_EQUAL(str(s, "no_prev", NULL), "No casts came in "
	    "during the previous 30 days, so there is nothing to compare with.");
	CU_ASSERT_STRING_EQUAL(str(s, "no_answered", NULL), "No answered casts "
	    "between 1 and 30 Nov 2026: 5 came in and none has an answer yet, "
	    "so there is no reply time to show.");
	CU_ASSERT_STRING_EQUAL(str(s, "nil", "median"), "true");
	json_object_put(s);
	s = scope_of("{" NOV ",\"inbound\":0,\"answered\":0}", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(str(s, "no_inbound", NULL), "Nobody replied to "
	    "or mentioned you between 1 and 30 Nov 2026, so this window has "
	    "no reply time, rate or share to show.");
	json_object_put(s);
	/* A week over the new year; a median from 0: slower, by no ratio. */
	s = scope_of("{\"tz\":\"UTC\",\"from\":1766880000,\"to\":1767484800,"
	    "\"inbound\":3,\"answered\":3,\"reply_seconds\":{\"median\":60}}",
	    "{\"inbound\":2,\"answered\":1,\"reply_seconds\":{\"median\":0}}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(str(s, "words", NULL),
	    "28 Dec 2025 – 3 Jan 2026");
	CU_ASSERT_STRING_EQUAL(str(s, "prev", NULL), "the previous 7 days");
	CU_ASSERT_STRING_EQUAL(str(s, "change", "median"),
	    "▲ slower, from 0 in the previous 7 days");
	CU_ASSERT_STRING_EQUAL(str(s, "change", "answered"),
	    "▲ 200 % more than the previous 7 days");
	json_object_put(s);
}

int
test_scope_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("scope", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "change", test_scope_change) == NULL ||
	    CU_add_test(s, "empty", test_scope_empty) == NULL)
		return -1;
	return 0;
}
