#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "reply/settings.h"
#include "tests.h"

/*
 * settings_apply checks every member before it touches the database.  The
 * db here points at a socket folder that does not exist: input it refuses
 * answers SETTINGS_BAD (with a message), input it accepts reaches the db
 * and fails there with SETTINGS_EDB.  What PostgreSQL stores is tested through the API and the
 * dashboard (tests/integration/t_85_api.sh, t_95_dash.sh).
 */
static struct db	*sdb;
static int		 stderr_saved = -1;

/* The db logs each failed connection: those lines go to /dev/null. */
static int
settings_setup(void)
{
	if ((stderr_saved = dup(STDERR_FILENO)) == -1 ||
	    log_open("/dev/null") == -1)
		return -1;
	sdb = db_new("host=/nonexistent-rc-test dbname=x user=x", 1, 1000, 0);
	return sdb == NULL ? -1 : 0;
}

static int
settings_teardown(void)
{
	db_free(sdb);
	dup2(stderr_saved, STDERR_FILENO);
	close(stderr_saved);
	return 0;
}

/* Applies the JSON text; returns what settings_apply did, err in err. */
static int
apply(const char *json, char *err, size_t errsz)
{
	struct json_object	*o;
	int			 rc;

	err[0] = '\0';
	o = json_tokener_parse(json);
	rc = settings_apply(sdb, 1000, o, err, errsz);
	json_object_put(o);
	return rc;
}

static void
refused(const char *json, const char *member)
{
	char	 err[256];

	CU_ASSERT_EQUAL(apply(json, err, sizeof(err)), SETTINGS_BAD);
	CU_ASSERT_EQUAL(strncmp(err, member, strlen(member)), 0);
}

static void
accepted(const char *json)
{
	char	 err[256];

	CU_ASSERT_EQUAL(apply(json, err, sizeof(err)), SETTINGS_EDB);
	CU_ASSERT_STRING_EQUAL(err, "");
}

static void
test_shape(void)
{
	char	 err[256];

	refused("[]", "body: not a JSON object");
	refused("\"tz\"", "body: not a JSON object");
	CU_ASSERT_EQUAL(settings_apply(sdb, 1, NULL, err, sizeof(err)),
	    SETTINGS_BAD);
	refused("{\"timezone\":\"UTC\"}", "unknown member");
	refused("{\"goal_seconds\":600,\"x\":1}", "unknown member");
	accepted("{}");		/* nothing to change is fine */
}

static void
test_tz(void)
{
	char			 err[256];
	struct json_object	*o = json_tokener_parse("{\"tz\":\"Europe/Paris\"}");

	refused("{\"tz\":\"Mars/Olympus\"}", "tz:");
	refused("{\"tz\":1}", "tz:");
	refused("{\"tz\":null}", "tz:");
	/* A database that cannot answer knows no zone: refused, never let
	   through.  A zone it knows is stored: t_85_api.sh, t_95_dash.sh. */
	CU_ASSERT_EQUAL(settings_apply(sdb, 1, o, err, sizeof(err)),
	    SETTINGS_BAD);
	CU_ASSERT_EQUAL(strncmp(err, "tz:", 3), 0);
	CU_ASSERT_FALSE(settings_tz_valid(sdb, "Europe/Paris"));
	CU_ASSERT_FALSE(settings_tz_valid(NULL, "UTC"));
	json_object_put(o);
}

static void
test_days(void)
{
	accepted("{\"work_days\":[]}");
	accepted("{\"work_days\":[\"sun\",\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\"]}");
	refused("{\"work_days\":[\"mon\",\"mon\"]}", "work_days:");
	refused("{\"work_days\":[\"Mon\"]}", "work_days:");
	refused("{\"work_days\":[\"monday\"]}", "work_days:");
	refused("{\"work_days\":[1]}", "work_days:");
	refused("{\"work_days\":\"mon\"}", "work_days:");
	refused("{\"work_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\","
	    "\"sun\",\"mon\"]}", "work_days:");
}

static void
test_hours(void)
{
	static const char *const good[] = { "00:00", "09:30", "23:59", "24:00" };
	static const char *const bad[] = { "24:01", "25:00", "30:00", "9:00",
	    "09:60", "09-00", "09:0", "09:000", "0a:00", "", " 9:00", "-1:00" };
	char	 json[64];
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json), "{\"work_start\":\"%s\"}", good[i]);
		accepted(json);
		snprintf(json, sizeof(json), "{\"work_end\":\"%s\"}", good[i]);
		accepted(json);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"work_start\":\"%s\"}", bad[i]);
		refused(json, "work_start:");
		snprintf(json, sizeof(json), "{\"work_end\":\"%s\"}", bad[i]);
		refused(json, "work_end:");
	}
	refused("{\"work_start\":900}", "work_start:");
}

static void
test_goal(void)
{
	accepted("{\"goal_seconds\":60}");
	accepted("{\"goal_seconds\":604800}");
	refused("{\"goal_seconds\":59}", "goal_seconds:");
	refused("{\"goal_seconds\":604801}", "goal_seconds:");
	refused("{\"goal_seconds\":-3600}", "goal_seconds:");
	refused("{\"goal_seconds\":\"3600\"}", "goal_seconds:");
	refused("{\"goal_seconds\":3600.5}", "goal_seconds:");
	refused("{\"goal_seconds\":true}", "goal_seconds:");
}

static void
test_muted(void)
{
	char	 json[16384];
	size_t	 n, i;

	accepted("{\"muted\":[]}");
	accepted("{\"muted\":[1,9007199254740992]}");		/* 2^53 */
	refused("{\"muted\":[9007199254740993]}", "muted:");
	refused("{\"muted\":[0]}", "muted:");
	refused("{\"muted\":[-5]}", "muted:");
	accepted("{\"muted\":[\"5\"]}");		/* a fid as text */
	/* A username is looked up: with the database down, that fails. */
	CU_ASSERT_EQUAL(apply("{\"muted\":[3,\"@Alice\"]}", json, 200),
	    SETTINGS_EDB);
	refused("{\"muted\":[\"@\"]}", "muted:");
	refused("{\"muted\":[\"al ice\"]}", "muted:");
	refused("{\"muted\":[\"-alice\"]}", "muted:");
	refused("{\"muted\":[\"\"]}", "muted:");
	refused("{\"muted\":[\"0\"]}", "muted:");
	refused("{\"muted\":[1.5]}", "muted:");
	refused("{\"muted\":5}", "muted:");
	/* At most 1000 fids. */
	n = (size_t)snprintf(json, sizeof(json), "{\"muted\":[1");
	for (i = 1; i < 1000; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n, ",%zu", i + 1);
	snprintf(json + n, sizeof(json) - n, "]}");
	accepted(json);
	snprintf(json + n, sizeof(json) - n, ",1001]}");
	refused(json, "muted:");
}

/* bots: a list of fids like muted, named in its own message. */
static void
test_bots(void)
{
	accepted("{\"bots\":[]}");
	accepted("{\"bots\":[603,9007199254740992],\"muted\":[607]}");
	refused("{\"bots\":[0]}", "bots:");
	accepted("{\"bots\":[\"603\"]}");
	refused("{\"bots\":[\"@b<t\"]}", "bots:");
	refused("{\"bots\":603}", "bots:");
	refused("{\"muted\":[1],\"bots\":[-1]}", "bots:");
}

/* The first bad member is named; the message is cut to fit err. */
static void
test_err(void)
{
	char	 err[8];

	refused("{\"goal_seconds\":3600,\"work_end\":\"x\"}", "work_end:");
	memset(err, 'z', sizeof(err));
	CU_ASSERT_EQUAL(apply("{\"tz\":7}", err, sizeof(err)), SETTINGS_BAD);
	CU_ASSERT_STRING_EQUAL(err, "tz: not");
}

/* The list as a person types it: fids and @usernames, mixed. */
static void
list_is(const char *in, const char *want)
{
	char			 err[128];
	struct json_object	*a;

	err[0] = '\0';
	a = settings_list_parse(in, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN), want);
	json_object_put(a);
}

static void
list_bad(const char *in, const char *want)
{
	char	 err[128];

	CU_ASSERT_PTR_NULL(settings_list_parse(in, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, want);
}

static void
test_list(void)
{
	list_is("@name, 123, name2", "[\"name\",123,\"name2\"]");
	list_is("", "[]");
	list_is(" , ,", "[]");
	list_is("@Alice 7,,8\n@dwr.eth", "[\"alice\",7,8,\"dwr.eth\"]");
	list_is("9007199254740992", "[9007199254740992]");
	list_is("@123", "[\"123\"]");		/* @: always a name */
	list_bad("@", "\"@\" is neither a @username nor a fid");
	list_bad("bob, 0", "\"0\" is neither a @username nor a fid");
	list_bad("9007199254740993", "\"9007199254740993\" is neither a "
	    "@username nor a fid");
	list_bad("@al!ce", "\"@al!ce\" is neither a @username nor a fid");
	list_bad("-bob", "\"-bob\" is neither a @username nor a fid");
}

static void
dur_is(const char *num, const char *unit, int64_t want)
{
	int64_t	 got = -1;

	CU_ASSERT_EQUAL(settings_duration(num, unit, &got), 0);
	CU_ASSERT_EQUAL(got, want);
}

static void
show_is(int64_t secs, const char *num, const char *unit)
{
	char		 n[32];
	const char	*u = NULL;

	settings_duration_show(secs, n, &u);
	CU_ASSERT_STRING_EQUAL(n, num);
	CU_ASSERT_STRING_EQUAL(u, unit);
}

static void
test_duration(void)
{
	static const char *const bad[][2] = {
		{ "", "hours" }, { "1.", "hours" }, { ".5", "hours" },
		{ "1.234", "hours" }, { "-1", "hours" }, { "1e3", "minutes" },
		{ "2", "weeks" }, { "2", NULL }, { NULL, "hours" },
		{ "0", "minutes" }, { "0.00", "days" }, { "1000000", "minutes" },
		{ " 5", "minutes" }, { "5 ", "minutes" },
	};
	int64_t	 s;
	size_t	 i;

	dur_is("30", "minutes", 1800);
	dur_is("2", "hours", 7200);
	dur_is("0.5", "hours", 1800);
	dur_is("1.25", "hours", 4500);
	dur_is("1.5", "days", 129600);
	dur_is("7", "days", 604800);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(settings_duration(bad[i][0], bad[i][1], &s), -1);
	show_is(1800, "30", "minutes");
	show_is(7200, "2", "hours");
	show_is(5400, "1.5", "hours");
	show_is(86400, "1", "days");
	show_is(129600, "1.5", "days");
	show_is(90000, "25", "hours");
	show_is(90, "1.5", "minutes");
	show_is(4500, "1.25", "hours");
}

/* A database that cannot answer gives no settings, not the defaults. */
static void
test_get_down(void)
{
	CU_ASSERT_PTR_NULL(settings_get(sdb, 1000));
}

int
test_settings_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("settings", settings_setup, settings_teardown)) == NULL)
		return -1;
	if (CU_add_test(s, "an object of known members", test_shape) == NULL ||
	    CU_add_test(s, "tz: a known zone name", test_tz) == NULL ||
	    CU_add_test(s, "work_days: distinct day names", test_days) == NULL ||
	    CU_add_test(s, "work_start/end: HH:MM to 24:00", test_hours) == NULL ||
	    CU_add_test(s, "goal_seconds: 60 to 604800", test_goal) == NULL ||
	    CU_add_test(s, "muted: up to 1000 fids in 1..2^53", test_muted) == NULL ||
	    CU_add_test(s, "bots: a list of fids like muted", test_bots) == NULL ||
	    CU_add_test(s, "the error names the member, bounded", test_err) == NULL ||
	    CU_add_test(s, "get with the database down", test_get_down) == NULL ||
	    CU_add_test(s, "lists: \"@name, 123, name2\"", test_list) == NULL ||
	    CU_add_test(s, "durations with units", test_duration) == NULL)
		return -1;
	return 0;
}
