#ifndef RC_HUB_H
#define RC_HUB_H
#include <signal.h>
#include <stddef.h>

struct buf;
struct json_object;

/*
 * A client for a Farcaster Hub's HTTP API (Snapchain on :3381, Hubble on
 * :2281): GET requests with timeouts, a size limit and retries with
 * exponential backoff and jitter on 429, 5xx, transport errors and bodies
 * that are not one complete JSON document (a page cut short).
 */
struct hub;

struct hub_cfg {
	long	 connect_ms;		/* CURLOPT_CONNECTTIMEOUT_MS */
	long	 timeout_ms;		/* CURLOPT_TIMEOUT_MS, whole request */
	int	 attempts;		/* tries per request, >= 1 */
	long	 backoff_ms;		/* first wait; doubles on each retry */
	long	 backoff_max_ms;	/* cap of one wait (Retry-After: 60 s) */
	size_t	 max_body;		/* larger responses fail, not retried */
};

enum hub_rc {
	HUB_OK = 0,
	HUB_EHUB,		/* the hub refused (4xx): not retried */
	HUB_EFAIL,		/* retries ran out, or a local failure */
	HUB_ESTOP		/* *stop was set while waiting to retry */
};

#define HUB_MAX_BODY	(64u * 1024u * 1024u)

void		 hub_cfg_default(struct hub_cfg *);
/* url: "http[s]://host[:port][/prefix]"; copied.  NULL when invalid or ENOMEM. */
struct hub	*hub_new(const char *url, const struct hub_cfg *,
		    volatile sig_atomic_t *stop);
void		 hub_free(struct hub *);		/* accepts NULL */
const char	*hub_url(const struct hub *);	/* without a trailing '/' */

/* Appends "&name=value" (no '&' first) with value URL-encoded; 0 or -1. */
int		 hub_query(struct hub *, struct buf *q, const char *name,
		    const char *value);

/*
 * GETs url + path + "?" + query.  On HUB_OK body holds one complete JSON
 * document and *doc (when doc is not NULL) its parse, which the caller
 * puts.  Otherwise err says why, for a message.
 */
enum hub_rc	 hub_get(struct hub *, const char *path, const char *query,
		    struct buf *body, struct json_object **doc, char *err,
		    size_t errsz);

#endif
