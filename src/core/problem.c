#include <stdio.h>

#include <json.h>

#include "buf.h"
#include "problem.h"

static const struct {
	const char	*slug;
	const char	*title;
	int		 status;
} problems[PROB__MAX] = {
	{ "bad-request", "Bad request", 400 },
	{ "invalid-parameter", "Invalid parameter", 400 },
	{ "unauthorized", "Authentication required", 401 },
	{ "forbidden", "Forbidden", 403 },
	{ "not-found", "Not found", 404 },
	{ "method-not-allowed", "Method not allowed", 405 },
	{ "conflict", "Conflict", 409 },
	{ "payload-too-large", "Request body too large", 413 },
	{ "unsupported-media-type", "Unsupported media type", 415 },
	{ "too-many-requests", "Too many requests", 429 },
	{ "internal-error", "Internal server error", 500 },
	{ "unavailable", "Service unavailable", 503 },
	{ "unprocessable-content", "Unprocessable content", 422 },
};

int
problem_status(enum problem p)
{
	return p < PROB__MAX ? problems[p].status : 500;
}

const char *
problem_slug(enum problem p)
{
	return p < PROB__MAX ? problems[p].slug : "internal-error";
}

const char *
problem_title(enum problem p)
{
	return p < PROB__MAX ? problems[p].title : "Internal server error";
}

static int
add_str(struct json_object *o, const char *k, const char *v)
{
	struct json_object	*s;

	if ((s = json_object_new_string(v)) == NULL)
		return -1;
	if (json_object_object_add(o, k, s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

int
problem_json(struct buf *b, enum problem p, const char *detail,
    const char *instance, const char *request_id, void *ext)
{
	struct json_object	*o, *e = ext;
	char			 type[128];
	const char		*s;
	int			 rc = -1;

	if (p >= PROB__MAX)
		p = PROB_INTERNAL;
	if ((o = json_object_new_object()) == NULL)
		return -1;
	if ((size_t)snprintf(type, sizeof(type), "%s%s", PROBLEM_TYPE_PREFIX,
	    problems[p].slug) >= sizeof(type))
		goto out;
	if (add_str(o, "type", type) == -1 ||
	    add_str(o, "title", problems[p].title) == -1 ||
	    json_object_object_add(o, "status",
	    json_object_new_int(problems[p].status)) != 0)
		goto out;
	if (detail != NULL && add_str(o, "detail", detail) == -1)
		goto out;
	if (instance != NULL && add_str(o, "instance", instance) == -1)
		goto out;
	if (request_id != NULL && add_str(o, "request_id", request_id) == -1)
		goto out;
	if (e != NULL) {
		json_object_object_foreach(e, k, v) {
			if (json_object_object_get_ex(o, k, NULL))
				continue;	/* standard members win */
			if (json_object_object_add(o, k,
			    json_object_get(v)) != 0)
				goto out;
		}
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL && buf_puts(b, s) == 0)
		rc = 0;
out:
	json_object_put(o);
	return rc;
}
