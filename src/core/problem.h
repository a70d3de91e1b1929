#ifndef RC_PROBLEM_H
#define RC_PROBLEM_H

struct buf;

/*
 * The problem types of RFC 9457 that replycast answers with.  The type URI
 * of each is "urn:replycast:problem:<slug>" and never changes once shipped.
 */
enum problem {
	PROB_BAD_REQUEST = 0,
	PROB_INVALID_PARAM,
	PROB_UNAUTHORIZED,
	PROB_FORBIDDEN,
	PROB_NOT_FOUND,
	PROB_METHOD_NOT_ALLOWED,
	PROB_CONFLICT,
	PROB_TOO_LARGE,
	PROB_UNSUPPORTED_MEDIA,
	PROB_TOO_MANY_REQUESTS,
	PROB_INTERNAL,
	PROB_UNAVAILABLE,
	PROB_UNPROCESSABLE,	/* well formed, but names what does not exist */
	PROB__MAX
};

#define PROBLEM_TYPE_PREFIX	"urn:replycast:problem:"

int		 problem_status(enum problem);
const char	*problem_slug(enum problem);
const char	*problem_title(enum problem);

/*
 * Appends the problem document to b.  detail, instance and request_id may
 * be NULL; ext, if not NULL, is a json_object whose members are added
 * (extension members) and stays owned by the caller.  Returns 0 or -1.
 */
int		 problem_json(struct buf *b, enum problem, const char *detail,
		    const char *instance, const char *request_id, void *ext);

#endif
