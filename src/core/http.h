#ifndef RC_HTTP_H
#define RC_HTTP_H
#include <stddef.h>

struct buf;

/*
 * A small outbound HTTP client for a handler that must ask another
 * service while it answers (the auth pool asks a Farcaster Hub and relay):
 * one request, short timeouts, a size limit, no retries (the browser's
 * next refresh or the client's next call is the retry).  One curl handle
 * per process, reused for its connection cache.
 */
#define HTTP_TIMEOUT_MS		4000L
#define HTTP_MAX_BODY		(1024u * 1024u)

enum http_rc {
	HTTP_OK = 0,		/* an answer came; see *status */
	HTTP_EFAIL,		/* transport error, timeout, too large */
	HTTP__MAX
};

/* One request's description; body and bearer may be NULL. */
struct http_req {
	const char	*method;	/* "GET" or "POST" */
	const char	*url;		/* http:// or https:// only */
	const char	*json;		/* a JSON body (POST) */
	const char	*bearer;	/* Authorization: Bearer ... */
	const char *const *headers;	/* "Name: value" lines, NULL-ended; may be NULL */
	char		*ctype;		/* gets the answer's Content-Type ("" */
	size_t		 ctypesz;	/* when none); NULL: not wanted */
};

/*
 * Sends r; on HTTP_OK *status is the HTTP status and out holds the body
 * (its limit applies too).  err says why on HTTP_EFAIL, for a log line.
 */
enum http_rc	 http_do(const struct http_req *r, long *status,
		    struct buf *out, char *err, size_t errsz);
/* Frees the process's curl handle (at exit); a later http_do makes one. */
void		 http_free(void);

/* buf_urlenc, kept for its callers. */
int		 http_urlenc(struct buf *b, const char *s);

#endif
