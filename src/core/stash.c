#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cookie.h"
#include "kv.h"
#include "qs.h"
#include "req.h"
#include "sec.h"
#include "srv.h"
#include "stash.h"

/* 1 when rq's form came from our page: its csrf_token is the rc_csrf cookie. */
static int
stash_ours(struct req *rq)
{
	const char	*c = req_cookie(rq, COOKIE_CSRF);
	const char	*g = req_form(rq, "csrf_token");

	return c != NULL && g != NULL && c[0] != '\0' &&
	    sec_equal(c, strlen(c), g, strlen(g)) == 1;
}

int
stash_put(struct req *rq, const char *page, char id[STASH_ID_LEN + 1])
{
	char		 key[STASH_ID_LEN + 8], ttl[16];
	redisReply	*r;

	if (req_form_list(rq) == NULL || rq->bodylen > STASH_MAX ||
	    !stash_ours(rq) || req_form(rq, "password") != NULL ||
	    strchr(page, '\n') != NULL)
		return 1;
	if (sec_token(id) == -1)
		return -1;
	snprintf(key, sizeof(key), "fs:%s", id);
	snprintf(ttl, sizeof(ttl), "%d", STASH_TTL);
	/* The page, a newline, the body as it came. */
	if ((r = kv_cmd(rq->srv->kv, "SET %s %s\n%b EX %s", key, page,
	    rq->body, rq->bodylen, ttl)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

int
stash_take(struct req *rq, const char *id, const char *page,
    struct qs_list *l)
{
	char		 key[STASH_ID_LEN + 8];
	const char	*nl;
	redisReply	*r;
	size_t		 plen = strlen(page);
	int		 rc = 0;

	l->v = NULL;
	l->n = 0;
	if (id == NULL || strlen(id) != STASH_ID_LEN)
		return 0;
	snprintf(key, sizeof(key), "fs:%s", id);
	if ((r = kv_cmd(rq->srv->kv, "GETDEL %s", key)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING &&
	    (nl = memchr(r->str, '\n', r->len)) != NULL &&
	    (size_t)(nl - r->str) == plen && memcmp(r->str, page, plen) == 0 &&
	    qs_parse(rq->arena, nl + 1, r->len - plen - 1, l) == QS_OK)
		rc = 1;
	freeReplyObject(r);
	return rc;
}
