#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/buf.h"
#include "core/log.h"
#include "tests.h"

/*
 * log_ writes to fd 2: each test points it at a file of its own with
 * log_open, and log_restore puts the test runner's stderr back.
 */
static char	 log_dir[] = "/tmp/rc-test-log.XXXXXX";
static char	 log_file[64];
static int	 log_saved = -1;

static int
log_setup(void)
{
	if (mkdtemp(log_dir) == NULL)
		return -1;
	snprintf(log_file, sizeof(log_file), "%s/a.log", log_dir);
	return (log_saved = dup(STDERR_FILENO)) == -1 ? -1 : 0;
}

static int
log_teardown(void)
{
	unlink(log_file);
	rmdir(log_dir);
	close(log_saved);
	return 0;
}

static void
log_restore(void)
{
	dup2(log_saved, STDERR_FILENO);
}

/* The file's lines; the caller frees the buffer. */
static void
log_slurp(struct buf *b)
{
	char	 chunk[4096];
	ssize_t	 n;
	int	 fd;

	buf_init(b, 0);
	if ((fd = open(log_file, O_RDONLY)) == -1)
		return;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(b, chunk, (size_t)n);
	close(fd);
}

/* Line i (from 0) of the file as a JSON object, or NULL. */
static struct json_object *
log_line(int i)
{
	struct buf		 b;
	struct json_object	*o = NULL;
	const char		*p, *nl;
	char			*line;

	log_slurp(&b);
	for (p = buf_cstr(&b); i > 0 && (p = strchr(p, '\n')) != NULL; i--)
		p++;
	if (p != NULL && (nl = strchr(p, '\n')) != NULL &&
	    (line = strndup(p, (size_t)(nl - p))) != NULL) {
		o = json_tokener_parse(line);
		free(line);
	}
	buf_free(&b);
	return o;
}

static const char *
str(struct json_object *o, const char *k)
{
	struct json_object	*v;

	return json_object_object_get_ex(o, k, &v) ?
	    json_object_get_string(v) : NULL;
}

static int
log_start(void)
{
	unlink(log_file);
	return log_open(log_file);
}

/* One JSON object a line, with time, pool, pid; strings escaped. */
static void
test_msg(void)
{
	struct json_object	*o, *v;
	struct buf		 b;

	CU_ASSERT_EQUAL_FATAL(log_start(), 0);
	log_set_pool("api");
	log_msg("warn", "user %s said \"%d\"\n\x01\x1b[31m", "x\ty", 42);
	log_msg("info", "second");
	log_restore();
	log_slurp(&b);
	CU_ASSERT_EQUAL(strchr(buf_cstr(&b), '\x1b'), NULL);	/* escaped */
	CU_ASSERT(b.len > 0 && b.ptr[b.len - 1] == '\n');
	buf_free(&b);
	o = log_line(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(str(o, "level"), "warn");
	CU_ASSERT_STRING_EQUAL(str(o, "msg"), "user x\ty said \"42\"\n\x01\x1b[31m");
	CU_ASSERT_STRING_EQUAL(str(o, "pool"), "api");
	CU_ASSERT(json_object_object_get_ex(o, "pid", &v) &&
	    json_object_get_int(v) == getpid());
	/* 2026-01-02T03:04:05.123456Z */
	CU_ASSERT(str(o, "time") != NULL && strlen(str(o, "time")) == 27 &&
	    str(o, "time")[10] == 'T' && str(o, "time")[26] == 'Z');
	json_object_put(o);
	o = log_line(1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(str(o, "msg"), "second");
	json_object_put(o);
	CU_ASSERT_PTR_NULL(log_line(2));
}

static void
test_request(void)
{
	struct json_object	*o, *v;

	CU_ASSERT_EQUAL_FATAL(log_start(), 0);
	log_request("rid", "GET", "/api/v1/x\"y", 200, 1234, 7);
	log_request(NULL, NULL, NULL, 500, 0, -1);
	log_restore();
	o = log_line(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(str(o, "request_id"), "rid");
	CU_ASSERT_STRING_EQUAL(str(o, "method"), "GET");
	CU_ASSERT_STRING_EQUAL(str(o, "path"), "/api/v1/x\"y");
	CU_ASSERT(json_object_object_get_ex(o, "status", &v) &&
	    json_object_get_int(v) == 200);
	CU_ASSERT(json_object_object_get_ex(o, "duration_us", &v) &&
	    json_object_get_int64(v) == 1234);
	CU_ASSERT(json_object_object_get_ex(o, "user_id", &v) &&
	    json_object_get_int64(v) == 7);
	json_object_put(o);
	/* Missing strings are "", an unknown user is null. */
	o = log_line(1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(str(o, "request_id"), "");
	CU_ASSERT_STRING_EQUAL(str(o, "method"), "");
	CU_ASSERT_STRING_EQUAL(str(o, "path"), "");
	CU_ASSERT(json_object_object_get_ex(o, "user_id", &v) && v == NULL);
	json_object_put(o);
}

/*
 * log_request_line writes what log_request writes (json-c), byte for byte
 * after the time: quotes, backslashes, control characters, UTF-8, NULLs.
 */
static void
test_request_line(void)
{
	static const char *const paths[] = {
		"/api/v1/x\"y\\z/", "\x01\x1f\x7f\b\f\n\r\t", "caf\xc3\xa9 \xff",
		"", NULL,
	};
	struct buf	 b;
	char		 line[8192], small[64], *big;
	const char	*p, *q, *r;
	size_t		 i, la, lb;
	int		 n;

	CU_ASSERT_EQUAL_FATAL(log_start(), 0);
	log_set_pool("a\"pi");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		log_request(i ? "rid" : NULL, i ? "GET" : NULL, paths[i],
		    200 + (int)i, 1234, i == 1 ? -1 : 7);
		n = log_request_line(line, sizeof(line), i ? "rid" : NULL,
		    i ? "GET" : NULL, paths[i], 200 + (int)i, 1234,
		    i == 1 ? -1 : 7);
		CU_ASSERT_FATAL(n > 0);
		log_line_write(line, (size_t)n);
	}
	log_set_pool("-");
	log_restore();
	log_slurp(&b);
	p = buf_cstr(&b);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		/* Two lines, each from ,"pool" to its end. */
		CU_ASSERT_FATAL((q = strchr(p, '\n')) != NULL);
		CU_ASSERT_FATAL((r = strchr(q + 1, '\n')) != NULL);
		la = (size_t)(q - p);
		lb = (size_t)(r - q - 1);
		CU_ASSERT_FATAL(la > 40 && lb > 40);
		CU_ASSERT_EQUAL(memcmp(p, "{\"time\":\"", 9), 0);
		CU_ASSERT_EQUAL(memcmp(q + 1, "{\"time\":\"", 9), 0);
		CU_ASSERT_EQUAL(la, lb);
		if (la == lb)
			CU_ASSERT_EQUAL(memcmp(p + 37, q + 1 + 37, la - 37), 0);
		p = r + 1;
	}
	CU_ASSERT_EQUAL(*p, '\0');
	buf_free(&b);
	/* No room: -1, never a cut line. */
	CU_ASSERT_EQUAL(log_request_line(small, sizeof(small), "rid", "GET",
	    "/api", 200, 1, 1), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big = malloc(9000));
	memset(big, 'p', 8999);
	big[8999] = '\0';
	CU_ASSERT_EQUAL(log_request_line(line, sizeof(line), "rid", "GET", big,
	    200, 1, 1), -1);
	free(big);
}

/*
 * Long input: bounded.  A line over 8 KiB (a long path, or control
 * characters that escape to 6 bytes each) is not cut into broken JSON but
 * becomes a warning holding its first 1000 bytes.
 */
static void
test_bounds(void)
{
	struct json_object	*o;
	struct buf		 b;
	const char		*p;
	char			*big;
	char			 pool[100], head[200];
	int			 i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(big = malloc(20001));
	memset(big, 'p', 20000);
	big[20000] = '\0';
	memset(pool, 'q', sizeof(pool) - 1);
	pool[sizeof(pool) - 1] = '\0';
	CU_ASSERT_EQUAL_FATAL(log_start(), 0);
	log_set_pool(pool);
	log_msg("info", "%s", big);
	log_request("rid", "GET", big, 200, 1, 1);
	memset(big, '\x01', 3000);
	big[3000] = '\0';
	log_msg("info", "%s", big);
	/* The cut (byte 1000 of the line) falls inside a 2-byte character. */
	memset(big, 'p', 20000);
	n = snprintf(head, sizeof(head), "{\"time\":\"%027d\",\"pool\":\"%.31s\","
	    "\"pid\":%d,\"request_id\":\"rid\",\"method\":\"GET\",\"path\":\"",
	    0, pool, (int)getpid());
	CU_ASSERT_FATAL(n > 0 && n < 999);
	memcpy(big + 999 - n, "\xc3\xa9", 2);
	log_request("rid", "GET", big, 200, 1, 1);
	log_set_pool("-");
	log_restore();
	o = log_line(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(strlen(str(o, "msg")), 2047);		/* msg[2048] */
	CU_ASSERT_EQUAL(strlen(str(o, "pool")), 31);		/* pool[32] */
	json_object_put(o);
	for (i = 1; i <= 3; i++) {
		o = log_line(i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_STRING_EQUAL(str(o, "level"), "warn");
		CU_ASSERT_PTR_NULL(str(o, "path"));
		p = str(o, "cut");
		CU_ASSERT_FATAL(p != NULL);
		CU_ASSERT_EQUAL(strncmp(p, "{\"time\":", 8), 0);
		CU_ASSERT(strlen(p) <= 1000 && strlen(p) > 900);
		if (i == 3) {
			CU_ASSERT_EQUAL(p[strlen(p) - 1], 'p');
			CU_ASSERT_EQUAL(strlen(p), 999);
		}
		json_object_put(o);
	}
	CU_ASSERT_PTR_NULL(log_line(4));
	log_slurp(&b);
	for (p = buf_cstr(&b); *p != '\0'; p = strchr(p, '\n') + 1)
		CU_ASSERT(strchr(p, '\n') - p < 8192);
	CU_ASSERT_EQUAL(b.ptr[b.len - 1], '\n');
	buf_free(&b);
	free(big);
}

static void
test_open(void)
{
	char	 path[1100];

	CU_ASSERT_EQUAL(log_open(NULL), 0);
	CU_ASSERT_EQUAL(log_open(""), 0);
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	CU_ASSERT_EQUAL(log_open(path), -1);	/* longer than 1023 bytes */
	CU_ASSERT_EQUAL(log_open("/nonexistent-dir-rc/x.log"), -1);
	log_restore();
}

/* SIGHUP after rotation: the same path again, a new file. */
static void
test_reopen(void)
{
	struct json_object	*o;

	CU_ASSERT_EQUAL_FATAL(log_start(), 0);
	log_msg("info", "before");
	CU_ASSERT_EQUAL(unlink(log_file), 0);
	CU_ASSERT_EQUAL(log_reopen(), 0);
	log_msg("info", "after");
	log_restore();
	o = log_line(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(str(o, "msg"), "after");
	json_object_put(o);
	CU_ASSERT_PTR_NULL(log_line(1));
}

int
test_log_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("log", log_setup, log_teardown)) == NULL)
		return -1;
	if (CU_add_test(s, "messages: JSON lines, escaped", test_msg) == NULL ||
	    CU_add_test(s, "request lines", test_request) == NULL ||
	    CU_add_test(s, "request lines formatted ahead, as json-c does",
	    test_request_line) == NULL ||
	    CU_add_test(s, "long input is bounded", test_bounds) == NULL ||
	    CU_add_test(s, "open: no path, too long, no folder", test_open) == NULL ||
	    CU_add_test(s, "reopen after rotation", test_reopen) == NULL)
		return -1;
	return 0;
}
