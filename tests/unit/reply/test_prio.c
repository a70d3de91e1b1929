#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <json.h>

#include "reply/prio.h"
#include "tests.h"

/* The parts SQL would give a mutual follow's reply, 2 h into a 1 h goal. */
static void
parts_mutual(struct prio_parts *p)
{
	memset(p, 0, sizeof(*p));
	p->wait = 7200 + 300;
	p->goal = 3600;
	p->you_follow = p->they_follow = 1;
	p->kind = 1;
	p->replies = 1;
	p->answered = 3;
	p->inbound = 4;
	p->points[PRIO_WAIT] = 40;
	p->points[PRIO_FOLLOW] = 25;
	p->points[PRIO_REPLIES] = 3;
	p->points[PRIO_RATE] = 15;
	p->points[PRIO_KIND] = 10;
}

static const char *
reason(struct json_object *o, size_t i, const char *k)
{
	return json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(json_object_object_get(o, "reasons"), i),
	    k));
}

static void
test_json(void)
{
	struct prio_parts	 p;
	struct json_object	*o;

	parts_mutual(&p);
	CU_ASSERT_EQUAL(prio_score(&p), 93);
	CU_ASSERT_STRING_EQUAL(prio_goal_state(&p), "past");
	o = prio_json(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_object_get_int(json_object_object_get(o, "score")),
	    93);
	/* Most points first. */
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(o,
	    "reasons")), 5);
	CU_ASSERT_STRING_EQUAL(reason(o, 0, "code"), "past_goal");
	CU_ASSERT_STRING_EQUAL(reason(o, 0, "text"),
	    "waiting 2 h 5 min, past your 1 h goal");
	CU_ASSERT_STRING_EQUAL(reason(o, 1, "code"), "mutual_follow");
	CU_ASSERT_STRING_EQUAL(reason(o, 2, "code"), "your_reply_rate");
	CU_ASSERT_STRING_EQUAL(reason(o, 2, "text"),
	    "you answered 3 of their 4 casts");
	CU_ASSERT_STRING_EQUAL(reason(o, 3, "code"), "direct_reply");
	CU_ASSERT_STRING_EQUAL(reason(o, 4, "code"), "replies_to_you");
	CU_ASSERT_STRING_EQUAL(reason(o, 4, "text"),
	    "they replied to your casts 1 other time");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(o,
	    "why")), "waiting 2 h 5 min, past your 1 h goal; you follow "
	    "each other; you answered 3 of their 4 casts; a direct reply to "
	    "your cast; they replied to your casts 1 other time");
	json_object_put(o);
}

static void
test_states(void)
{
	struct prio_parts	 p;
	struct json_object	*o;

	memset(&p, 0, sizeof(p));
	p.wait = 50 * 60;
	p.goal = 3600;
	p.kind = 2;
	p.they_follow = 1;
	p.bot = 1;
	p.points[PRIO_WAIT] = 30;
	p.points[PRIO_FOLLOW] = 5;
	p.points[PRIO_BOT] = -200;
	CU_ASSERT_STRING_EQUAL(prio_goal_state(&p), "soon");
	CU_ASSERT_EQUAL(prio_score(&p), -165);
	o = prio_json(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(reason(o, 0, "code"), "near_goal");
	CU_ASSERT_STRING_EQUAL(reason(o, 0, "text"),
	    "waiting 50 min, about to miss your 1 h goal");
	CU_ASSERT_STRING_EQUAL(reason(o, 1, "code"), "follows_you");
	/* A negative part comes last, with its points. */
	CU_ASSERT_STRING_EQUAL(reason(o, 2, "code"), "bot");
	CU_ASSERT_STRING_EQUAL(reason(o, 2, "points"), "-200");
	json_object_put(o);
	/* Nothing earned: no reasons, an empty "why". */
	memset(&p, 0, sizeof(p));
	p.goal = 3600;
	CU_ASSERT_STRING_EQUAL(prio_goal_state(&p), "within");
	o = prio_json(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_object_array_length(json_object_object_get(o,
	    "reasons")), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(o,
	    "why")), "");
	json_object_put(o);
}

static void
test_dur(void)
{
	char	 b[32];

	prio_dur(-5, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "0 s");
	prio_dur(59, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "59 s");
	prio_dur(3599, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "59 min");
	prio_dur(86400 * 2 + 3600 * 5 + 7, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "2 d 5 h");
	prio_dur(86400 * 2 + 3599, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "2 d");
	prio_dur(3600 + 59, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "1 h");
	prio_dur(3600 + 60, b, sizeof(b));
	CU_ASSERT_STRING_EQUAL(b, "1 h 1 min");
}

int
test_prio_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("prio", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "reasons", test_json) == NULL ||
	    CU_add_test(s, "goal states and bots", test_states) == NULL ||
	    CU_add_test(s, "durations", test_dur) == NULL)
		return -1;
	return 0;
}
