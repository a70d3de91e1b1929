#ifndef RC_STASH_H
#define RC_STASH_H
#include <stddef.h>

#include "sec.h"

struct req;
struct qs_list;

/*
 * A form kept across a sign-in (issue 20 item 6): when a dashboard POST
 * meets a session that is over, its fields are kept in Redis for
 * STASH_TTL seconds under a random id that travels in the sign-in's next=
 * URL; the page the form belongs to takes them back once and shows them
 * filled in, for the user to check and send again.  Only a form our own
 * page made is kept (its csrf_token is the rc_csrf cookie, which only our
 * pages can read and SameSite=Strict keeps from other sites' requests),
 * and never one with a password field.
 */
#define STASH_TTL	900
#define STASH_ID_LEN	SEC_TOKEN_LEN
#define STASH_MAX	(64 * 1024)	/* bytes of a form that is kept */

/*
 * Keeps rq's form body for page (a local path, e.g. "/settings") under a
 * new id.  0 kept, 1 not kept (not our form, not a form, a password, too
 * large), -1 when Redis or randomness failed.
 */
int	 stash_put(struct req *, const char *page, char id[STASH_ID_LEN + 1]);
/*
 * Takes the form kept under id for page (deleting it) into l, allocated
 * in rq's arena.  1 found, 0 none (unknown, expired, another page's), -1
 * when Redis failed.
 */
int	 stash_take(struct req *, const char *id, const char *page,
	    struct qs_list *l);

#endif
