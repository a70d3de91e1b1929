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

/* The number in s up to the first '.', within [min, max], into *v. */
static const char *
cursor_field(const char *s, int64_t min, int64_t max, int64_t *v)
{
	const char	*dot;
	char		 num[22];
	size_t		 n;

	if ((dot = strchr(s, '.')) == NULL ||
	    (n = (size_t)(dot - s)) == 0 || n >= sizeof(num))
		return NULL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (valid_i64(num, min, max, v) == -1)
		return NULL;
	return dot + 1;
}

int
cursor_prio_parse(const char *s, struct cursor_prio *c)
{
	struct cursor_prio	 t;

	if (s == NULL ||
	    (s = cursor_field(s, 1, CURSOR_MAX_TIME, &t.now)) == NULL ||
	    (s = cursor_field(s, -CURSOR_MAX_SCORE, CURSOR_MAX_SCORE,
	    &t.score)) == NULL || cursor_parse(s, &t.at) == -1)
		return -1;
	*c = t;
	return 0;
}

int
cursor_prio_format(const struct cursor_prio *c, char *out, size_t outsz)
{
	char	 at[CURSOR_SIZE];
	int	 n;

	if (outsz > 0)
		out[0] = '\0';
	if (c->now < 1 || c->now > CURSOR_MAX_TIME ||
	    c->score < -CURSOR_MAX_SCORE || c->score > CURSOR_MAX_SCORE ||
	    cursor_format(c->at.ts, c->at.hash, at, sizeof(at)) == -1)
		return -1;
	n = snprintf(out, outsz, "%" PRId64 ".%" PRId64 ".%s", c->now,
	    c->score, at);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
