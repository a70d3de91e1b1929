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

int
valid_date(const char *s, int64_t *days)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int		 y, m, d, leap;
	int64_t		 yy, era, yoe, doy, doe;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    (y = valid_digits(s, 4)) < 1970 || (m = valid_digits(s + 5, 2)) < 1 ||
	    m > 12 || (d = valid_digits(s + 8, 2)) < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* Days from civil (proleptic Gregorian), with March as month 0. */
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return 0;
}
