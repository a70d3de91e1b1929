#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "core/arena.h"
#include "core/valid.h"
#include "ing_int.h"

/* The field key of o; absent or null is ING_BAD when required. */
static enum ing_got
field(struct json_object *o, const char *key, const char *path, int req,
    struct json_object **v, struct ing_why *w)
{
	*v = NULL;
	if (o != NULL && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, key, v) && *v != NULL)
		return ING_GOT;
	*v = NULL;
	if (!req)
		return ING_ABSENT;
	ing_why(w, path, "missing");
	return ING_BAD;
}

enum ing_got
ing_get_obj(struct json_object *o, const char *key, const char *path,
    int req, struct json_object **out, struct ing_why *w)
{
	struct json_object	*v;
	enum ing_got		 rc;

	*out = NULL;
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	if (!json_object_is_type(v, json_type_object)) {
		ing_why(w, path, "not an object");
		return ING_BAD;
	}
	*out = v;
	return ING_GOT;
}

enum ing_got
ing_get_arr(struct json_object *o, const char *key, const char *path,
    int req, struct json_object **out, struct ing_why *w)
{
	struct json_object	*v;
	enum ing_got		 rc;

	*out = NULL;
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	if (!json_object_is_type(v, json_type_array)) {
		ing_why(w, path, "not an array");
		return ING_BAD;
	}
	*out = v;
	return ING_GOT;
}

static void
too_long(struct ing_why *w, const char *path, size_t max)
{
	char	 reason[48];
	int	 n;

	n = snprintf(reason, sizeof(reason), "longer than %zu bytes", max);
	ing_why(w, path, n > 0 && (size_t)n < sizeof(reason) ? reason :
	    "too long");
}

/* A JSON string checked for NUL, UTF-8 and length, copied to the arena. */
enum ing_got
ing_get_str(struct ing_ctx *c, struct json_object *o, const char *key,
    const char *path, int req, size_t max, const char **out,
    struct ing_why *w)
{
	struct json_object	*v;
	const char		*s;
	size_t			 len;
	enum ing_got	 rc;

	*out = NULL;
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	if (!json_object_is_type(v, json_type_string)) {
		ing_why(w, path, "not a string");
		return ING_BAD;
	}
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (memchr(s, '\0', len) != NULL)
		ing_why(w, path, "contains a NUL byte");
	else if (valid_utf8(s, len) == -1)
		ing_why(w, path, "not valid UTF-8");
	else if (len > max)
		too_long(w, path, max);
	else if ((*out = arena_strndup(c->a, s, len)) == NULL)
		ing_why(w, path, "out of memory");
	else
		return ING_GOT;
	return ING_BAD;
}

/* Strict decimal digits, as the Hub sometimes sends 64-bit numbers. */
static int
dec_i64(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* An integer given as a JSON integer or a decimal string. */
static int
val_i64(struct json_object *v, int64_t *out)
{
	if (json_object_is_type(v, json_type_int)) {
		/* Clamped to INT64_MAX past it: every caller range-checks. */
		*out = json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string))
		return dec_i64(json_object_get_string(v), out);
	return -1;
}

int
ing_val_fid(struct json_object *v, const char *path, int64_t *out,
    struct ing_why *w)
{
	int64_t	 fid;

	if (v == NULL || val_i64(v, &fid) == -1) {
		ing_why(w, path, "not an integer");
		return -1;
	}
	if (fid < 1 || fid > ING_MAX_FID) {
		ing_why(w, path, "out of range 1..2^53");
		return -1;
	}
	*out = fid;
	return 0;
}

enum ing_got
ing_get_fid(struct json_object *o, const char *key, const char *path,
    int req, int64_t *out, struct ing_why *w)
{
	struct json_object	*v;
	enum ing_got		 rc;

	*out = 0;
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	return ing_val_fid(v, path, out, w) == -1 ? ING_BAD : ING_GOT;
}

enum ing_got
ing_get_i64(struct json_object *o, const char *key, const char *path,
    int req, int64_t *out, struct ing_why *w)
{
	struct json_object	*v;
	enum ing_got		 rc;

	*out = 0;
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	if (val_i64(v, out) == -1) {
		*out = 0;
		ing_why(w, path, "not an integer");
		return ING_BAD;
	}
	return ING_GOT;
}

enum ing_got
ing_get_hash(struct json_object *o, const char *key, const char *path,
    int req, char out[], struct ing_why *w)
{
	struct json_object	*v;
	enum ing_got		 rc;

	out[0] = '\0';
	if ((rc = field(o, key, path, req, &v, w)) != ING_GOT)
		return rc;
	if (!json_object_is_type(v, json_type_string)) {
		ing_why(w, path, "not a string");
		return ING_BAD;
	}
	if ((size_t)json_object_get_string_len(v) != ING_HASH_LEN ||
	    valid_hash(json_object_get_string(v), out) == -1) {
		out[0] = '\0';
		ing_why(w, path, "not 0x + 40 hex digits");
		return ING_BAD;
	}
	return ING_GOT;
}

int
ing_check_time(const struct ing_ctx *c, int64_t t, const char *path,
    struct ing_why *w)
{
	if (t < 0)
		ing_why(w, path, "negative");
	else if (t < ING_MIN_TIME)
		ing_why(w, path, "before 2021-01-01, the Farcaster epoch");
	else if (t > c->maxtime)
		ing_why(w, path, "more than a day in the future");
	else
		return 0;
	return -1;
}

/* A required time: ISO 8601 string or unix seconds integer. */
int
ing_get_itime(struct ing_ctx *c, struct json_object *o, const char *key,
    const char *path, int64_t *out, struct ing_why *w)
{
	struct json_object	*v;

	*out = 0;
	if (field(o, key, path, ING_REQ, &v, w) == -1)
		return -1;
	if (json_object_is_type(v, json_type_string)) {
		if (valid_iso_time(json_object_get_string(v), out) == -1) {
			ing_why(w, path, "not an ISO 8601 time with a zone");
			return -1;
		}
	} else if (!json_object_is_type(v, json_type_int) ||
	    val_i64(v, out) == -1) {
		ing_why(w, path, "not a time (ISO 8601 string or integer)");
		return -1;
	}
	return ing_check_time(c, *out, path, w);
}

int
ing_mention(struct ing_ctx *c, struct ing_cast *cast, int64_t fid,
    const char *path, struct ing_why *w)
{
	size_t	 i;

	if (cast->mentions == NULL &&
	    (cast->mentions = arena_alloc(c->a,
	    ING_MAX_MENTIONS * sizeof(*cast->mentions))) == NULL) {
		ing_why(w, path, "out of memory");
		return -1;
	}
	for (i = 0; i < cast->nmentions; i++)
		if (cast->mentions[i] == fid)
			return 0;
	if (cast->nmentions >= ING_MAX_MENTIONS) {
		ing_why(w, path, "more than 64 mentions");
		return -1;
	}
	cast->mentions[cast->nmentions++] = fid;
	return 0;
}

/*
 * The next-page token or cursor, kept opaque: printable ASCII without
 * spaces, < 512 bytes.  Absent, null or "" mean none.  -1 sets page->error.
 */
int
ing_get_token(struct ing_ctx *c, struct json_object *o, const char *key,
    const char *path)
{
	struct json_object	*v;
	struct ing_why		 w;
	const char		*s;
	size_t			 i, len;

	if (field(o, key, path, ING_OPT, &v, &w) == ING_ABSENT)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		ing_page_err(c->page, "%s: not a string", path);
		return -1;
	}
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len >= sizeof(c->page->next_token)) {
		ing_page_err(c->page, "%s: longer than %zu bytes", path,
		    sizeof(c->page->next_token) - 1);
		return -1;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f) {
			ing_page_err(c->page, "%s: not printable ASCII", path);
			return -1;
		}
	memcpy(c->page->next_token, s, len);
	c->page->next_token[len] = '\0';
	return 0;
}

int
ing_mention_pos(struct ing_ctx *c, struct ing_cast *cast,
    struct json_object *fids, struct json_object *pos, struct ing_why *w)
{
	int64_t	 f, p;
	size_t	 i, n;

	if (fids == NULL || pos == NULL ||
	    !json_object_is_type(fids, json_type_array) ||
	    !json_object_is_type(pos, json_type_array))
		return 0;
	n = json_object_array_length(fids);
	if (n == 0 || n > ING_MAX_MENTIONS || json_object_array_length(pos) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (val_i64(json_object_array_get_idx(pos, i), &p) == -1 ||
		    p < 0 || p > ING_MAX_TEXT)
			return 0;
	if ((cast->mfid = arena_alloc(c->a, n * sizeof(*cast->mfid))) == NULL ||
	    (cast->mpos = arena_alloc(c->a, n * sizeof(*cast->mpos))) == NULL) {
		ing_why(w, "mentions", "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ing_val_fid(json_object_array_get_idx(fids, i), "mentions",
		    &f, w) == -1)
			return -1;
		(void)val_i64(json_object_array_get_idx(pos, i), &p);
		cast->mfid[i] = f;
		cast->mpos[i] = p;
	}
	cast->nmpos = n;
	return 0;
}
