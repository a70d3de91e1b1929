#ifndef RC_JPARSE_H
#define RC_JPARSE_H
#include <stddef.h>

struct json_object;

/*
 * Untrusted JSON in, json-c objects out: every request body, token part,
 * Hub answer and ingest document is parsed here, strictly (RFC 8259: no
 * comments, single quotes or trailing commas) and with a depth limit.
 * (json-c owns the json_ prefix and <json.h>, hence jparse.)
 *
 * The depth is json-c's: a value nested in depth - 1 arrays or objects
 * parses, one more level does not.
 */
/*
 * Request bodies, token parts, error answers: what a client sends is a
 * flat object, a settings list, or a Neynar webhook cast (embeds within).
 */
#define JPARSE_DEPTH		16
/*
 * Farcaster documents (Hub and Neynar pages, ingest files): a page nests
 * casts in arrays in objects, with embeds, frames and reactions inside.
 */
#define JPARSE_DEPTH_DOC	64

enum jparse_err {
	JPARSE_OK = 0,
	JPARSE_ESYNTAX,		/* not JSON */
	JPARSE_EDEPTH,		/* nested deeper than the limit */
	JPARSE_ETRUNC,		/* ends inside a value (or is empty) */
	JPARSE_ETRAIL,		/* more than whitespace after the value */
	JPARSE_ETYPE,		/* not an object where one is required */
	JPARSE_ESIZE,		/* longer than json-c takes (INT_MAX) */
	JPARSE_ENOMEM,
	JPARSE__MAX
};

/*
 * Parses s[0..len) as exactly one JSON value, whitespace around it allowed;
 * nothing past len is read and s needs no NUL.  depth is JPARSE_DEPTH or
 * JPARSE_DEPTH_DOC, or less where the caller says why (tok.c).  On
 * JPARSE_OK *out is the caller's (json_object_put); it is NULL for the
 * literal null.  On error *out is NULL and, when err is not NULL, err holds
 * a short reason ("nesting deeper than 16").
 */
enum jparse_err	 jparse(const char *s, size_t len, int depth,
		    struct json_object **out, char *err, size_t errsz);
/* jparse whose value must be an object (JPARSE_ETYPE otherwise). */
enum jparse_err	 jparse_object(const char *s, size_t len, int depth,
		    struct json_object **out, char *err, size_t errsz);
/*
 * The first JSON value in s[0..len), for documents one after another:
 * *end is where it stopped (after the value on JPARSE_OK).  What follows
 * is the caller's; never JPARSE_ETRAIL or JPARSE_ETYPE.
 */
enum jparse_err	 jparse_first(const char *s, size_t len, int depth,
		    struct json_object **out, size_t *end, char *err,
		    size_t errsz);

#endif
