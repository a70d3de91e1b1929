/*
 * The value formats of the template language: plain values, URLs,
 * durations, percentages, numbers and dates.  Each appends to a buf and
 * returns 0, or -1 when the buf is full; a value of the wrong type (or
 * missing) appends nothing.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/html.h"
#include "tpl_int.h"

/* Doubles within this range convert to int64_t exactly enough. */
#define TPL_I64_LIM	9.2e18

/* An integer value or a finite double, as a double; -1 otherwise. */
static int
tpl_double(struct json_object *v, double *d)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		*d = json_object_get_double(v);
		return isfinite(*d) ? 0 : -1;
	default:
		return -1;
	}
}

/* A number as an integer (doubles rounded by round); -1 otherwise. */
static int
tpl_int(struct json_object *v, int64_t *i, int (*rnd)(double, int64_t *))
{
	double	 d;

	if (json_object_is_type(v, json_type_int)) {
		*i = json_object_get_int64(v);
		return 0;
	}
	if (tpl_double(v, &d) == -1)
		return -1;
	return rnd(d, i);
}

static int
tpl_floor(double d, int64_t *i)
{
	if (!(d > -TPL_I64_LIM && d < TPL_I64_LIM))
		return -1;
	*i = (int64_t)floor(d);
	return 0;
}

static int
tpl_round(double d, int64_t *i)
{
	if (!(d > -TPL_I64_LIM && d < TPL_I64_LIM))
		return -1;
	*i = (int64_t)llround(d);
	return 0;
}

static int
tpl_put_int(struct buf *b, struct json_object *v)
{
	int64_t	 i = json_object_get_int64(v);

	/* json-c keeps integers above INT64_MAX as uint64_t. */
	if (i == INT64_MAX)
		return buf_printf(b, "%" PRIu64, json_object_get_uint64(v));
	return buf_printf(b, "%" PRId64, i);
}

/* Up to 3 decimals, trailing zeros trimmed: 2.5, 0.333, 12. */
static int
tpl_put_double(struct buf *b, double d)
{
	char	 s[512];
	int	 n;

	if (!isfinite(d))
		return 0;
	n = snprintf(s, sizeof(s), "%.3f", d);
	if (n < 0 || (size_t)n >= sizeof(s))
		return 0;
	while (n > 0 && s[n - 1] == '0')
		n--;
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 2 && s[0] == '-' && s[1] == '0')
		return buf_putc(b, '0');
	return buf_put(b, s, (size_t)n);
}

int
tpl_fmt_plain(struct buf *b, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return html_escape(b, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	case json_type_int:
		return tpl_put_int(b, v);
	case json_type_double:
		return tpl_put_double(b, json_object_get_double(v));
	case json_type_boolean:
		return buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
	default:
		return 0;
	}
}

/*
 * Whether s (n bytes) is http:, https:, mailto: or relative (no ':'
 * before the first '/', '?' or '#').  Browsers skip leading white space
 * and control characters and drop tabs and newlines anywhere, so the
 * scheme is read the same way: " javascript:" and "java\tscript:" fail.
 */
static int
tpl_url_ok(const char *s, size_t n)
{
	static const char *const ok[] = { "http", "https", "mailto" };
	char		 scheme[8];
	size_t		 i = 0, k = 0, j;
	unsigned char	 c;

	while (i < n && ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f))
		i++;
	for (; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':')
			break;
		if (k < sizeof(scheme))
			scheme[k] = (char)tolower(c);
		k++;
	}
	if (i == n)
		return 1;
	for (j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
		if (k == strlen(ok[j]) && memcmp(scheme, ok[j], k) == 0)
			return 1;
	return 0;
}

int
tpl_fmt_url(struct buf *b, struct json_object *v)
{
	const char	*s;
	size_t		 n;

	if (!json_object_is_type(v, json_type_string))
		return 0;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (!tpl_url_ok(s, n))
		return buf_putc(b, '#');
	return html_escape(b, s, n);
}

/* "45 s", "12 min", "3 h 5 min", "2 d 4 h": two units at most, floored. */
int
tpl_fmt_dur(struct buf *b, struct json_object *v)
{
	int64_t	 s, hi, lo;

	if (tpl_int(v, &s, tpl_floor) == -1 || s < 0)
		return 0;
	if (s < 60)
		return buf_printf(b, "%" PRId64 " s", s);
	if (s < 3600)
		return buf_printf(b, "%" PRId64 " min", s / 60);
	if (s < 86400) {
		hi = s / 3600;
		lo = s % 3600 / 60;
		if (lo == 0)
			return buf_printf(b, "%" PRId64 " h", hi);
		return buf_printf(b, "%" PRId64 " h %" PRId64 " min", hi, lo);
	}
	hi = s / 86400;
	lo = s % 86400 / 3600;
	if (lo == 0)
		return buf_printf(b, "%" PRId64 " d", hi);
	return buf_printf(b, "%" PRId64 " d %" PRId64 " h", hi, lo);
}

/* A ratio as a percentage with one decimal: 0.4385 is "43.9 %". */
int
tpl_fmt_pct(struct buf *b, struct json_object *v)
{
	double	 d;

	if (tpl_double(v, &d) == -1)
		return 0;
	d *= 100;
	if (!isfinite(d))
		return 0;
	if (fabs(d) < 0.05)
		d = 0;		/* no "-0.0 %" */
	return buf_printf(b, "%.1f %%", d);
}

/* An integer with thousands separators: "-12,345". */
int
tpl_fmt_num(struct buf *b, struct json_object *v)
{
	char		 s[32];
	int64_t		 i;
	uint64_t	 u;
	size_t		 k = sizeof(s), digits = 0;

	if (tpl_int(v, &i, tpl_round) == -1)
		return 0;
	if (i == INT64_MAX && json_object_is_type(v, json_type_int))
		u = json_object_get_uint64(v);
	else
		u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
	do {
		if (digits > 0 && digits % 3 == 0)
			s[--k] = ',';
		s[--k] = (char)('0' + u % 10);
		u /= 10;
		digits++;
	} while (u > 0);
	if (i < 0)
		s[--k] = '-';
	return buf_put(b, s + k, sizeof(s) - k);
}

/* Unix seconds as "2025-01-06 10:00 UTC". */
int
tpl_fmt_date(struct buf *b, struct json_object *v)
{
	struct tm	 tm;
	char		 s[64];
	int64_t		 i;
	time_t		 t;
	size_t		 n;

	if (tpl_int(v, &i, tpl_floor) == -1)
		return 0;
	t = (time_t)i;
	if ((int64_t)t != i || gmtime_r(&t, &tm) == NULL)
		return 0;
	if ((n = strftime(s, sizeof(s), "%Y-%m-%d %H:%M UTC", &tm)) == 0)
		return 0;
	return buf_put(b, s, n);
}
