#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"

int
valid_u64(const char *s, uint64_t max, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int
valid_id(const char *s, uint64_t max, uint64_t *out)
{
	if (s == NULL || s[0] < '1' || s[0] > '9')
		return -1;
	return valid_u64(s, max, out);
}

int
valid_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	if (s == NULL)
		return -1;
	if (!isdigit((unsigned char)*s) &&
	    !(*s == '-' && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
valid_size(const char *s, uint64_t max, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;
	uint64_t		 mul = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1024;
		end++;
		break;
	case 'm': case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || v > max / mul || v * mul > max)
		return -1;
	*out = v * mul;
	return 0;
}

int
valid_printable(const char *s, size_t maxlen)
{
	size_t	 n;

	if (s == NULL)
		return -1;
	for (n = 0; s[n] != '\0'; n++)
		if (n >= maxlen || (unsigned char)s[n] < 0x20 || s[n] == 0x7f)
			return -1;
	return 0;
}

int
valid_hex(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || strlen(s) != len)
		return -1;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	return 0;
}

/* Length of the UTF-8 sequence led by b, or 0 if b cannot lead one. */
static size_t
utf8_seqlen(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF.  NUL is valid UTF-8; callers that store C strings check it.
 */
int
valid_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo, hi;
	size_t			 i = 0, n, k;

	if (s == NULL && len > 0)
		return -1;
	while (i < len) {
		if ((n = utf8_seqlen(p[i])) == 0 || n > len - i)
			return -1;
		lo = 0x80;
		hi = 0xbf;
		if (p[i] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[i] == 0xed)
			hi = 0x9f;	/* surrogates */
		else if (p[i] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[i] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
		for (k = 1; k < n; k++) {
			if (p[i + k] < lo || p[i + k] > hi)
				return -1;
			lo = 0x80;
			hi = 0xbf;
		}
		i += n;
	}
	return 0;
}

/* A hex digit in lowercase, 0 for any other byte. */
static const char valid_hexlower[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd',
	['E'] = 'e', ['F'] = 'f',
};

int
valid_hash(const char *s, char out[VALID_HASH_LEN + 1])
{
	size_t	 i;
	char	 c;

	if (s == NULL || s[0] != '0' || s[1] != 'x')
		return -1;
	out[0] = '0';
	out[1] = 'x';
	/* A NUL is no digit: nothing past the string's end is read. */
	for (i = 2; i < VALID_HASH_LEN; i++) {
		if ((c = valid_hexlower[(unsigned char)s[i]]) == 0)
			return -1;
		out[i] = c;
	}
	out[VALID_HASH_LEN] = '\0';
	return s[VALID_HASH_LEN] == '\0' ? 0 : -1;
}

/* n digits at s as a number, or -1. */
static int
valid_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days in month m (1-12) of year y. */
static int
valid_mdays(int y, int m)
{
	static const int	 n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
valid_days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
valid_date(const char *s, int64_t *days)
{
	int		 y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (y = valid_digits(s, 4)) < 1970 || (m = valid_digits(s + 5, 2)) < 1 ||
	    m > 12 || (d = valid_digits(s + 8, 2)) < 1 || d > valid_mdays(y, m))
		return -1;
	*days = valid_days_from_civil(y, m, d);
	return 0;
}

/* n digits at *s into *v, advancing *s; -1 when they are not there. */
static int
valid_take(const char **s, int n, int *v)
{
	if ((*v = valid_digits(*s, n)) < 0)
		return -1;
	*s += n;
	return 0;
}

/* "Z", "+hh:mm" or "+hhmm" at s, then the end: seconds east of UTC. */
static int
valid_iso_zone(const char *s, int64_t *off)
{
	int	 sign, h, m;

	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (valid_take(&s, 2, &h) == -1)
		return -1;
	if (*s == ':')
		s++;
	if (valid_take(&s, 2, &m) == -1 || *s != '\0' || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/*
 * "YYYY-MM-DDThh:mm:ss[.fff...](Z|+hh:mm|+hhmm)"; 't' or ' ' for 'T'.
 * A zone is required: a time without one means nothing here.  Fractions
 * are dropped (truncated toward the earlier second).
 */
int
valid_iso_time(const char *s, int64_t *unix_seconds)
{
	int	 y, mo, d, h, mi, sec;
	int64_t	 off, t;

	if (s == NULL || valid_take(&s, 4, &y) == -1 || *s++ != '-' ||
	    valid_take(&s, 2, &mo) == -1 || *s++ != '-' ||
	    valid_take(&s, 2, &d) == -1)
		return -1;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (valid_take(&s, 2, &h) == -1 || *s++ != ':' ||
	    valid_take(&s, 2, &mi) == -1 || *s++ != ':' ||
	    valid_take(&s, 2, &sec) == -1)
		return -1;
	if (*s == '.' || *s == ',') {
		if (!isdigit((unsigned char)*++s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (valid_iso_zone(s, &off) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > valid_mdays(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	t = valid_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	*unix_seconds = t - off;
	return 0;
}
