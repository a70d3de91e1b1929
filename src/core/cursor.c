#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "valid.h"

_Static_assert(CURSOR_HASH_LEN == VALID_HASH_LEN,
    "a cursor holds one cast hash");

int
cursor_parse(const char *s, struct cursor *c)
{
	const char	*dash;
	char		 num[21], hash[CURSOR_HASH_LEN + 1];
	int64_t		 ts;
	size_t		 n;

	if (s == NULL || (dash = strchr(s, '-')) == NULL)
		return -1;
	if ((n = (size_t)(dash - s)) == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	/* num holds no '-' (the first one ends it): digits only. */
	if (valid_i64(num, 0, CURSOR_MAX_TIME, &ts) == -1 ||
	    valid_hash(dash + 1, hash) == -1)
		return -1;
	c->ts = ts;
	memcpy(c->hash, hash, sizeof(hash));
	return 0;
}

int
cursor_format(int64_t ts, const char *hash, char *out, size_t outsz)
{
	char	 h[CURSOR_HASH_LEN + 1];
	int	 n;

	if (outsz > 0)
		out[0] = '\0';
	if (ts < 0 || ts > CURSOR_MAX_TIME || valid_hash(hash, h) == -1)
		return -1;
	n = snprintf(out, outsz, "%" PRId64 "-%s", ts, h);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
