#include <limits.h>
#include <stdio.h>

#include <json.h>

#include "jparse.h"

static enum jparse_err
jparse_say(enum jparse_err e, char *err, size_t errsz, const char *why,
    int depth)
{
	if (err == NULL || errsz == 0)
		return e;
	if (e == JPARSE_EDEPTH)
		snprintf(err, errsz, "nesting deeper than %d", depth);
	else
		snprintf(err, errsz, "%s", why);
	return e;
}

static enum jparse_err
jparse_result(struct json_tokener *tok, int depth, char *err, size_t errsz)
{
	enum json_tokener_error	 je = json_tokener_get_error(tok);

	switch (je) {
	case json_tokener_success:
		return JPARSE_OK;
	case json_tokener_error_depth:
		return jparse_say(JPARSE_EDEPTH, err, errsz, NULL, depth);
	case json_tokener_continue:
		return jparse_say(JPARSE_ETRUNC, err, errsz, "truncated",
		    depth);
	default:
		return jparse_say(JPARSE_ESYNTAX, err, errsz,
		    json_tokener_error_desc(je), depth);
	}
}

enum jparse_err
jparse_first(const char *s, size_t len, int depth, struct json_object **out,
    size_t *end, char *err, size_t errsz)
{
	struct json_tokener	*tok;
	enum jparse_err		 e;

	*out = NULL;
	*end = 0;
	if (len == 0)		/* s may be NULL then */
		return jparse_say(JPARSE_ETRUNC, err, errsz, "truncated",
		    depth);
	if (len > INT_MAX)
		return jparse_say(JPARSE_ESIZE, err, errsz, "larger than 2 GB",
		    depth);
	if ((tok = json_tokener_new_ex(depth)) == NULL)
		return jparse_say(JPARSE_ENOMEM, err, errsz, "out of memory",
		    depth);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS);
	*out = json_tokener_parse_ex(tok, s, (int)len);
	*end = json_tokener_get_parse_end(tok);
	if (*out == NULL && json_tokener_get_error(tok) ==
	    json_tokener_continue && *end == len) {
		/* A top-level number or literal ends only at a delimiter. */
		*out = json_tokener_parse_ex(tok, " ", 1);
	}
	if ((e = jparse_result(tok, depth, err, errsz)) != JPARSE_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	json_tokener_free(tok);
	return e;
}

enum jparse_err
jparse(const char *s, size_t len, int depth, struct json_object **out,
    char *err, size_t errsz)
{
	enum jparse_err	 e;
	size_t		 end;

	if ((e = jparse_first(s, len, depth, out, &end, err, errsz)) !=
	    JPARSE_OK)
		return e;
	while (end < len && (s[end] == ' ' || s[end] == '\t' ||
	    s[end] == '\r' || s[end] == '\n'))
		end++;
	if (end == len)
		return JPARSE_OK;
	json_object_put(*out);
	*out = NULL;
	return jparse_say(JPARSE_ETRAIL, err, errsz, "more than one value",
	    depth);
}

enum jparse_err
jparse_object(const char *s, size_t len, int depth, struct json_object **out,
    char *err, size_t errsz)
{
	enum jparse_err	 e;

	if ((e = jparse(s, len, depth, out, err, errsz)) != JPARSE_OK)
		return e;
	if (json_object_is_type(*out, json_type_object))
		return JPARSE_OK;
	json_object_put(*out);
	*out = NULL;
	return jparse_say(JPARSE_ETYPE, err, errsz, "not a JSON object",
	    depth);
}
