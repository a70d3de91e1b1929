#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A finite decimal number as strtod reads it, all of it, or -1. */
static int
cursor_num_ok(const char *s, size_t n)
{
	char	 t[CURSOR_KEY_NUM], *end;
	double	 d;
	size_t	 i;

	if (n == 0 || n >= sizeof(t))
		return -1;
	for (i = 0; i < n; i++)
		if (strchr("0123456789+-.eE", s[i]) == NULL)
			return -1;
	memcpy(t, s, n);
	t[n] = '\0';
	errno = 0;
	d = strtod(t, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d))
		return -1;
	return 0;
}

/* Even-length lower-case hex of at most CURSOR_KEY_TXT bytes, or -1. */
static int
cursor_hex_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n % 2 != 0 || n > 2 * CURSOR_KEY_TXT)
		return -1;
	for (i = 0; i < n; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return -1;
	return 0;
}

int
cursor_key_parse(const char *s, struct cursor_key *c)
{
	struct cursor_key	 t;
	size_t			 n;

	memset(&t, 0, sizeof(t));
	if (s == NULL || s[0] != 'k' || s[1] < '0' ||
	    s[1] >= '0' + CURSOR_KEY_SORTS || (s[2] != 'a' && s[2] != 'd') ||
	    s[3] != '.')
		return -1;
	t.sort = s[1] - '0';
	t.desc = s[2] == 'd';
	if ((s = cursor_field(s + 4, 1, INT64_C(1) << 53, &t.fid)) == NULL ||
	    s[0] == '\0')
		return -1;
	n = strlen(s + 1);
	if (s[0] == 'n' && n == 0)
		t.kind = CURSOR_KEY_NULL;
	else if (s[0] == 'f' && cursor_num_ok(s + 1, n) == 0) {
		t.kind = CURSOR_KEY_FLOAT;
		memcpy(t.num, s + 1, n + 1);
	} else if (s[0] == 't' && cursor_hex_ok(s + 1, n) == 0) {
		t.kind = CURSOR_KEY_TEXT;
		memcpy(t.hex, s + 1, n + 1);
	} else
		return -1;
	*c = t;
	return 0;
}

int
cursor_key_format(const struct cursor_key *c, char *out, size_t outsz)
{
	const char	*key = "";
	int		 n, ok;

	if (outsz > 0)
		out[0] = '\0';
	ok = c->sort >= 0 && c->sort < CURSOR_KEY_SORTS && c->fid >= 1 &&
	    c->fid <= (INT64_C(1) << 53);
	if (c->kind == CURSOR_KEY_FLOAT) {
		key = c->num;
		ok = ok && cursor_num_ok(key, strnlen(key, sizeof(c->num))) == 0;
	} else if (c->kind == CURSOR_KEY_TEXT) {
		key = c->hex;
		ok = ok && cursor_hex_ok(key, strnlen(key, sizeof(c->hex))) == 0;
	}
	if (!ok)
		return -1;
	n = snprintf(out, outsz, "k%d%c.%" PRId64 ".%c%s", c->sort,
	    c->desc ? 'd' : 'a', c->fid, c->kind == CURSOR_KEY_NULL ? 'n' :
	    c->kind == CURSOR_KEY_FLOAT ? 'f' : 't', key);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
