#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "ing.h"

/* Length of the sequence led by b, or 0 if b cannot lead one. */
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
ing_utf8_valid(const char *s, size_t len)
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

static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/*
 * Padding, when present, must complete the last quantum; the unused low
 * bits of the last symbol must be zero so that each byte string has one
 * encoding.  Returns the number of bytes written, or -1.
 */
long
ing_base64_decode(const char *s, size_t len, unsigned char *out, size_t outsz)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 acc = 0;
	size_t			 i, pad = 0, n = 0, bits = 0;
	int			 v;

	if (s == NULL && len > 0)
		return -1;
	while (pad < 2 && len > 0 && p[len - 1] == '=') {
		len--;
		pad++;
	}
	if (len % 4 == 1 || (pad > 0 && (len + pad) % 4 != 0))
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = b64_val(p[i])) < 0)
			return -1;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outsz)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if ((acc & ((UINT32_C(1) << bits) - 1)) != 0)
		return -1;
	return (long)n;
}

int
ing_hash_norm(const char *s, char out[ING_HASH_LEN + 1])
{
	size_t	 i;

	if (s == NULL || s[0] != '0' || s[1] != 'x' ||
	    strlen(s) != ING_HASH_LEN)
		return -1;
	for (i = 2; i < ING_HASH_LEN; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	out[0] = '0';
	out[1] = 'x';
	for (i = 2; i < ING_HASH_LEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[ING_HASH_LEN] = '\0';
	return 0;
}

/* Reads exactly n digits at *s into *v and advances *s. */
static int
digits(const char **s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
mdays(int y, int m)
{
	static const int	 n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* "Z", "+hh:mm" or "+hhmm" at s, then the end: seconds east of UTC. */
static int
iso_zone(const char *s, int64_t *off)
{
	int	 sign, h, m;

	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, 2, &h) == -1)
		return -1;
	if (*s == ':')
		s++;
	if (digits(&s, 2, &m) == -1 || *s != '\0' || h > 23 || m > 59)
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
ing_iso_time(const char *s, int64_t *unix_seconds)
{
	int	 y, mo, d, h, mi, sec;
	int64_t	 off, t;

	if (s == NULL || digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    digits(&s, 2, &mo) == -1 || *s++ != '-' ||
	    digits(&s, 2, &d) == -1)
		return -1;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (digits(&s, 2, &h) == -1 || *s++ != ':' ||
	    digits(&s, 2, &mi) == -1 || *s++ != ':' ||
	    digits(&s, 2, &sec) == -1)
		return -1;
	if (*s == '.' || *s == ',') {
		if (!isdigit((unsigned char)*++s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (iso_zone(s, &off) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	*unix_seconds = t - off;
	return 0;
}
