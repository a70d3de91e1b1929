#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <hiredis.h>

#include "clock.h"
#include "fnv.h"
#include "kv.h"
#include "log.h"
#include "near.h"

#define NEAR_SLOTS	4096	/* direct-mapped: a collision replaces */
#define NEAR_KEY	96
#define NEAR_VAL	40
#define NEAR_PREFIXES	8
#define NEAR_RETRY_MS	1000

struct near_slot {
	unsigned long	 epoch;		/* a copy only while the current one */
	int		 present;
	char		 key[NEAR_KEY];
	char		 val[NEAR_VAL];
};

struct near {
	struct kv	*kv;
	redisContext	*w;		/* receives invalidations; NULL: none */
	unsigned long	 link;		/* kv_link() when tracking began */
	unsigned long	 epoch;
	long long	 last_try_ms;
	long long	 last_read_ms;	/* the last near_drain() */
	int		 warned;	/* once: tracking could not be set up */
	int		 npre;
	char		 pre[NEAR_PREFIXES][32];
	struct near_slot slot[NEAR_SLOTS];
};

static struct near_slot *
near_slot(struct near *n, const char *key)
{
	return &n->slot[fnv_str(FNV_BASIS, key) % NEAR_SLOTS];
}

static void
near_stop(struct near *n)
{
	if (n->w != NULL)
		redisFree(n->w);
	n->w = NULL;
	n->epoch++;
}

/* Why setting up tracking failed: the reply, else the failed connection's error. */
static const char *
near_why(const redisReply *r, const redisContext *c, const redisContext *w)
{
	if (r != NULL)
		return r->type == REDIS_REPLY_ERROR ? r->str : "an unexpected reply";
	if (c->err)
		return c->errstr;
	if (w->err)
		return w->errstr;
	return "no reply";
}

/* CLIENT TRACKING on c, for the prefixes, redirected to a new connection. */
static void
near_track(void *arg, redisContext *c)
{
	struct near	*n = arg;
	const char	*argv[6 + 2 * NEAR_PREFIXES];
	char		 id[24];
	redisReply	*r = NULL;
	redisContext	*w;
	int		 argc = 0, i, ok = 0;

	near_stop(n);
	n->last_try_ms = clock_mono_ms();
	if ((w = kv_dial(n->kv)) == NULL)
		return;
	if ((r = redisCommand(w, "CLIENT ID")) == NULL ||
	    r->type != REDIS_REPLY_INTEGER)
		goto out;
	snprintf(id, sizeof(id), "%lld", r->integer);
	freeReplyObject(r);
	if ((r = redisCommand(w, "SUBSCRIBE __redis__:invalidate")) == NULL ||
	    r->type != REDIS_REPLY_ARRAY)
		goto out;
	freeReplyObject(r);
	argv[argc++] = "CLIENT";
	argv[argc++] = "TRACKING";
	argv[argc++] = "on";
	argv[argc++] = "REDIRECT";
	argv[argc++] = id;
	argv[argc++] = "BCAST";
	for (i = 0; i < n->npre; i++) {
		argv[argc++] = "PREFIX";
		argv[argc++] = n->pre[i];
	}
	/* A revived watch: the old redirection must go before a new one. */
	if ((r = redisCommand(c, "CLIENT TRACKING off")) == NULL ||
	    r->type == REDIS_REPLY_ERROR)
		goto out;
	freeReplyObject(r);
	if ((r = redisCommandArgv(c, argc, argv, NULL)) == NULL ||
	    r->type == REDIS_REPLY_ERROR)
		goto out;
	ok = 1;
out:
	if (!ok && !n->warned) {
		n->warned = 1;
		log_msg("warn", "redis: no client tracking (%s): requests ask "
		    "Redis until it can be set up", near_why(r, c, w));
	}
	if (r != NULL)
		freeReplyObject(r);
	if (!ok) {
		redisFree(w);
		return;
	}
	n->w = w;
	n->link = kv_link(n->kv);
	n->warned = 0;
}

struct near *
near_new(struct kv *kv, const char *const *prefixes, int npre)
{
	struct near	*n;
	int		 i;

	if (npre > NEAR_PREFIXES || (n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	for (i = 0; i < npre; i++)
		if ((size_t)snprintf(n->pre[i], sizeof(n->pre[i]), "%s",
		    prefixes[i]) >= sizeof(n->pre[i])) {
			free(n);
			return NULL;
		}
	n->npre = npre;
	n->kv = kv;
	n->epoch = 1;
	n->last_try_ms = -NEAR_RETRY_MS - 1;
	kv_on_connect(kv, near_track, n);
	if (kv_context(kv) != NULL)
		near_track(n, kv_context(kv));
	return n;
}

void
near_free(struct near *n)
{
	if (n == NULL)
		return;
	kv_on_connect(n->kv, NULL, NULL);
	if (n->w != NULL)
		redisFree(n->w);
	free(n);
}

static void
near_forget(struct near *n, const char *key, size_t len)
{
	struct near_slot	*s;
	char			 k[NEAR_KEY];

	if (len >= sizeof(k))
		return;
	memcpy(k, key, len);
	k[len] = '\0';
	s = near_slot(n, k);
	if (s->epoch == n->epoch && strcmp(s->key, k) == 0)
		s->epoch = 0;
}

/* One message of __redis__:invalidate: its keys, or nil for all keys. */
static void
near_apply(struct near *n, const redisReply *r)
{
	const redisReply	*keys;
	size_t			 i;

	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "message") != 0) {
		n->epoch++;
		return;
	}
	keys = r->element[2];
	if (keys->type != REDIS_REPLY_ARRAY) {
		n->epoch++;
		return;
	}
	for (i = 0; i < keys->elements; i++)
		if (keys->element[i]->type == REDIS_REPLY_STRING)
			near_forget(n, keys->element[i]->str,
			    keys->element[i]->len);
		else
			n->epoch++;
}

/* Reads everything waiting: 0, or -1 when the connection is lost. */
static int
near_drain(struct near *n)
{
	char		 buf[8192];
	void		*r;
	ssize_t		 got;
	size_t		 total = 0;
	long long	 now;

	for (;;) {
		got = recv(n->w->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (got > 0) {
			total += (size_t)got;
			if (redisReaderFeed(n->w->reader, buf, (size_t)got) !=
			    REDIS_OK)
				return -1;
			continue;
		}
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		return -1;
	}
	for (;;) {
		if (redisReaderGetReply(n->w->reader, &r) != REDIS_OK)
			return -1;
		if (r == NULL)
			break;
		near_apply(n, r);
		freeReplyObject(r);
	}
	now = clock_mono_ms();
	if (total >= NEAR_BACKLOG || now - n->last_read_ms > NEAR_IDLE_MS)
		n->epoch++;
	n->last_read_ms = now;
	return 0;
}

int
near_fresh(struct near *n)
{
	redisContext	*c;

	if (n->w != NULL && kv_link(n->kv) != n->link)
		near_stop(n);
	if (n->w == NULL) {
		if ((c = kv_context(n->kv)) == NULL ||
		    clock_mono_ms() - n->last_try_ms < NEAR_RETRY_MS)
			return 0;
		near_track(n, c);
		return n->w != NULL;
	}
	if (near_drain(n) == -1) {
		log_msg("warn", "redis: the invalidation connection was lost");
		near_stop(n);
		return 0;
	}
	return 1;
}

unsigned long
near_epoch(const struct near *n)
{
	return n->epoch;
}

enum near_got
near_get(struct near *n, const char *key, char *val, size_t sz)
{
	struct near_slot	*s = near_slot(n, key);

	if (n->w == NULL || s->epoch != n->epoch || strcmp(s->key, key) != 0)
		return NEAR_UNKNOWN;
	if (!s->present)
		return NEAR_ABSENT;
	if ((size_t)snprintf(val, sz, "%s", s->val) >= sz)
		return NEAR_UNKNOWN;
	return NEAR_VALUE;
}

void
near_put(struct near *n, unsigned long epoch, const char *key,
    const char *val, size_t len)
{
	struct near_slot	*s;
	size_t			 klen = strlen(key);

	if (n->w == NULL || epoch != n->epoch || kv_link(n->kv) != n->link ||
	    klen >= NEAR_KEY || (val != NULL && len >= NEAR_VAL) ||
	    (val != NULL && memchr(val, '\0', len) != NULL))
		return;
	s = near_slot(n, key);
	memcpy(s->key, key, klen + 1);
	s->present = val != NULL;
	if (val != NULL) {
		memcpy(s->val, val, len);
		s->val[len] = '\0';
	}
	s->epoch = epoch;
}
