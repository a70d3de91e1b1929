#ifndef RC_RESP_H
#define RC_RESP_H
#include <stddef.h>

#include "buf.h"
#include "problem.h"

/*
 * A response under construction: status, extra header lines and a body,
 * all owned by the resp and reused from one request to the next (they are
 * emptied by resp_reset, so nothing of a request survives it).
 */
struct resp {
	int		 status;
	char		 ctype[96];
	struct buf	 hdrs;		/* "Name: value\r\n" lines */
	struct buf	 body;
	int		 streamed;	/* headers and body already sent */
};

struct json_object;
struct FCGX_Stream;

void	 resp_init(struct resp *);
void	 resp_free(struct resp *);
void	 resp_reset(struct resp *);

/* Refuses (returns -1) a name that is not a token or a value with CR, LF or NUL. */
int	 resp_header(struct resp *, const char *name, const char *value);
int	 resp_ctype(struct resp *, const char *);

/* Serializes obj as the body with status; takes ownership of obj. */
int	 resp_json(struct resp *, int status, struct json_object *obj);

/* Replaces the response with a problem document (RFC 9457). */
int	 resp_problem(struct resp *, enum problem, const char *detail,
	    const char *request_id, struct json_object *ext);

/* Writes the CGI header block and, unless head_only, the body. */
int	 resp_write(struct resp *, struct FCGX_Stream *, int head_only);

const char *resp_reason(int status);

/*
 * Streaming, for bodies too large to hold: writes the header block now
 * (no Content-Length), after which only resp_stream_put may write.
 */
int	 resp_stream_begin(struct resp *, struct FCGX_Stream *);
int	 resp_stream_put(struct FCGX_Stream *, const char *, size_t);

#endif
