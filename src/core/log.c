#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "log.h"

static char	 log_path[1024];
static char	 log_pool[32] = "-";

int
log_open(const char *path)
{
	int	 fd;

	if (path == NULL || *path == '\0')
		return 0;
	if (strlen(path) >= sizeof(log_path))
		return -1;
	memmove(log_path, path, strlen(path) + 1);
	if ((fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1)
		return -1;
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) == -1) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

int
log_reopen(void)
{
	return log_path[0] == '\0' ? 0 : log_open(log_path);
}

void
log_set_pool(const char *pool)
{
	snprintf(log_pool, sizeof(log_pool), "%s", pool);
}

/* The date and time to the second are formatted once a second. */
static void
log_time(char *out, size_t sz)
{
	static time_t	 last = -1;
	static char	 base[32];
	struct timeval	 tv;
	struct tm	 tm;

	gettimeofday(&tv, NULL);
	if (tv.tv_sec != last) {
		gmtime_r(&tv.tv_sec, &tm);
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		last = tv.tv_sec;
	}
	snprintf(out, sz, "%s.%06ldZ", base, (long)tv.tv_usec);
}

static struct json_object	*log_base(void);

/*
 * A line that would not fit in LOG_LINE_MAX bytes, as a warning holding its
 * first LOG_CUT bytes (cut before a UTF-8 continuation byte): cutting the
 * line itself would leave a line that is not JSON.  Escaped, LOG_CUT bytes
 * take at most 6 times as many, which fits.
 */
#define LOG_CUT		1000

static struct json_object *
log_cut(const char *s, size_t n)
{
	struct json_object	*o;
	size_t			 cut = n < LOG_CUT ? n : LOG_CUT;

	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	if ((o = log_base()) == NULL)
		return NULL;
	json_object_object_add(o, "level", json_object_new_string("warn"));
	json_object_object_add(o, "msg", json_object_new_string(
	    "log line too long: its first bytes are in \"cut\""));
	json_object_object_add(o, "cut", json_object_new_string_len(s,
	    (int)cut));
	return o;
}

/* Writes o as one line with a single write(2), then frees it. */
static void
log_emit(struct json_object *o)
{
	struct json_object	*w;
	const char		*s;
	char			 line[LOG_LINE_MAX];
	int			 n;

	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	n = snprintf(line, sizeof(line), "%s\n", s == NULL ? "{}" : s);
	if (n > 0 && (size_t)n >= sizeof(line) &&
	    (w = log_cut(s, (size_t)n - 1)) != NULL) {
		json_object_put(o);
		o = w;
		s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		n = snprintf(line, sizeof(line), "%s\n", s == NULL ? "{}" : s);
	}
	if (n > 0 && (size_t)n < sizeof(line) &&
	    write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* Nowhere left to report it. */
	}
	json_object_put(o);
}

static struct json_object *
log_base(void)
{
	struct json_object	*o;
	char			 t[64];

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	log_time(t, sizeof(t));
	json_object_object_add(o, "time", json_object_new_string(t));
	json_object_object_add(o, "pool", json_object_new_string(log_pool));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	return o;
}

/* Appends s as a JSON string, escaped as json-c does; -1: no room. */
static int
log_put_str(char *out, size_t sz, size_t *len, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = *len;
	char			 e;

	if (n + 1 >= sz)
		return -1;
	out[n++] = '"';
	for (; *p != '\0'; p++) {
		if (n + 7 >= sz)
			return -1;
		switch (*p) {
		case '"': e = '"'; break;
		case '\\': e = '\\'; break;
		case '\b': e = 'b'; break;
		case '\f': e = 'f'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\t': e = 't'; break;
		default: e = *p < 0x20 ? 'u' : '\0'; break;
		}
		if (e == '\0') {
			out[n++] = (char)*p;
			continue;
		}
		out[n++] = '\\';
		out[n++] = e;
		if (e == 'u') {
			memcpy(out + n, "00", 2);
			out[n + 2] = hex[*p >> 4];
			out[n + 3] = hex[*p & 15];
			n += 4;
		}
	}
	if (n + 1 >= sz)
		return -1;
	out[n++] = '"';
	*len = n;
	return 0;
}

/* Appends the formatted text; -1: no room. */
static int
log_put(char *out, size_t sz, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	int	 w;

	va_start(ap, fmt);
	w = vsnprintf(out + *len, sz - *len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sz - *len)
		return -1;
	*len += (size_t)w;
	return 0;
}

int
log_request_line(char *out, size_t sz, const char *rid, const char *method,
    const char *path, int status, long long dur, long long user)
{
	char	 t[64];
	size_t	 n = 0;

	if (sz > LOG_LINE_MAX)
		sz = LOG_LINE_MAX;
	log_time(t, sizeof(t));
	if (log_put(out, sz, &n, "{\"time\":\"%s\",\"pool\":", t) == -1 ||
	    log_put_str(out, sz, &n, log_pool) == -1 ||
	    log_put(out, sz, &n, ",\"pid\":%d,\"request_id\":",
	    (int)getpid()) == -1 ||
	    log_put_str(out, sz, &n, rid ? rid : "") == -1 ||
	    log_put(out, sz, &n, ",\"method\":") == -1 ||
	    log_put_str(out, sz, &n, method ? method : "") == -1 ||
	    log_put(out, sz, &n, ",\"path\":") == -1 ||
	    log_put_str(out, sz, &n, path ? path : "") == -1 ||
	    log_put(out, sz, &n, ",\"status\":%d,\"duration_us\":%lld,"
	    "\"user_id\":", status, dur) == -1 ||
	    (user < 0 ? log_put(out, sz, &n, "null}\n") :
	    log_put(out, sz, &n, "%lld}\n", user)) == -1)
		return -1;
	return (int)n;
}

void
log_line_write(const char *line, size_t n)
{
	if (write(STDERR_FILENO, line, n) < 0) {
		/* Nowhere left to report it. */
	}
}

void
log_request(const char *rid, const char *method, const char *path,
    int status, long long dur, long long user)
{
	struct json_object	*o;

	if ((o = log_base()) == NULL)
		return;
	json_object_object_add(o, "request_id",
	    json_object_new_string(rid ? rid : ""));
	json_object_object_add(o, "method",
	    json_object_new_string(method ? method : ""));
	json_object_object_add(o, "path",
	    json_object_new_string(path ? path : ""));
	json_object_object_add(o, "status", json_object_new_int(status));
	json_object_object_add(o, "duration_us", json_object_new_int64(dur));
	json_object_object_add(o, "user_id", user < 0 ? NULL :
	    json_object_new_int64(user));
	log_emit(o);
}

void
log_msg(const char *level, const char *fmt, ...)
{
	struct json_object	*o;
	va_list			 ap;
	char			 msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((o = log_base()) == NULL)
		return;
	json_object_object_add(o, "level", json_object_new_string(level));
	json_object_object_add(o, "msg", json_object_new_string(msg));
	log_emit(o);
}
