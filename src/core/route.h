#ifndef RC_ROUTE_H
#define RC_ROUTE_H
#include <stddef.h>

struct arena;
struct req;

enum route_method {
	METHOD_GET = 0,
	METHOD_HEAD,
	METHOD_POST,
	METHOD_PUT,
	METHOD_DELETE,
	METHOD_PATCH,
	METHOD_OPTIONS,
	METHOD__MAX
};

/* A handler fills rq->resp and returns 0, or -1 for an internal error (500). */
typedef int	(*route_fn)(struct req *);

/*
 * pattern is an absolute path whose segments are literals or "{name}"
 * captures, each matching one non-empty segment.  A GET route also
 * answers HEAD.  A path with an empty segment matches no route (404).
 */
struct route {
	enum route_method	 method;
	const char		*pattern;
	route_fn		 fn;
	unsigned		 access;	/* AUTHN_* (authn.h), checked first */
};

#define ROUTE_MAXCAPS	4
#define ROUTE_MAXSEGS	16

struct route_match {
	const struct route	*route;
	size_t			 ncap;
	const char		*capname[ROUTE_MAXCAPS];	/* points into pattern */
	size_t			 capnamelen[ROUTE_MAXCAPS];
	const char		*cap[ROUTE_MAXCAPS];		/* a decoded segment */
	unsigned		 allow;	/* methods the path accepts, 1u << method */
};

enum route_res {
	ROUTE_OK,
	ROUTE_NOTFOUND,
	ROUTE_BADMETHOD		/* path known, method not: see allow */
};

int		 route_method(const char *);	/* METHOD_xxx or -1 */
const char	*route_method_name(enum route_method);

/*
 * Splits an absolute path into percent-decoded segments (no '+' rule);
 * "%2F" inside a segment stays in that segment.  Empty segments ("//",
 * a trailing "/") are kept as "" and match no pattern, so each resource
 * has one path; "/" alone is the root, with no segment.  Returns -1 on a
 * malformed path or more than maxsegs segments.
 */
int		 route_split(struct arena *, const char *path, char **segs,
		    size_t maxsegs, size_t *nsegs);

enum route_res	 route_find(const struct route *, size_t nroutes,
		    enum route_method, char *const *segs, size_t nsegs,
		    struct route_match *);

/* Writes "GET, HEAD, POST" for an allow mask; returns -1 if it won't fit. */
int		 route_allow_str(unsigned allow, char *, size_t);

#endif
