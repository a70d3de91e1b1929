#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "clock.h"
#include "cfg.h"
#include "kv.h"
#include "log.h"
#include "valid.h"

struct kv {
	redisContext	*c;
	char		 host[256];
	int		 port;		/* 0: host is a socket path */
	struct timeval	 tv;
	long		 delay_ms;
	long long	 last_try_ms;
	unsigned long	 reconnects;
	unsigned long	 errors;
	int		 ever_connected;
	int		 up;
	char		 pass[256];
	size_t		 pass_len;	/* 0: no AUTH */
};


static int
kv_parse(struct kv *kv, const char *spec)
{
	const char	*colon;
	uint64_t	 port;
	size_t		 n;

	if (spec[0] == '/') {
		if (strlen(spec) >= sizeof(kv->host))
			return -1;
		memcpy(kv->host, spec, strlen(spec) + 1);
		kv->port = 0;
		return 0;
	}
	if ((colon = strrchr(spec, ':')) == NULL ||
	    valid_u64(colon + 1, 65535, &port) == -1 || port == 0)
		return -1;
	n = (size_t)(colon - spec);
	if (n == 0 || n >= sizeof(kv->host))
		return -1;
	memcpy(kv->host, spec, n);
	kv->host[n] = '\0';
	kv->port = (int)port;
	return 0;
}

struct kv *
kv_new(const char *spec, long timeout_ms, long delay)
{
	struct kv	*kv;

	if ((kv = calloc(1, sizeof(*kv))) == NULL)
		return NULL;
	if (kv_parse(kv, spec) == -1) {
		free(kv);
		return NULL;
	}
	kv->tv.tv_sec = timeout_ms / 1000;
	kv->tv.tv_usec = (timeout_ms % 1000) * 1000;
	kv->delay_ms = delay;
	kv->last_try_ms = -delay - 1;
	return kv;
}

int
kv_auth(struct kv *kv, const char *pw, size_t len)
{
	if (len >= sizeof(kv->pass))
		return -1;
	memcpy(kv->pass, pw, len);
	kv->pass_len = len;
	return 0;
}

int
kv_auth_file(struct kv *kv, const char *path)
{
	char	 pw[256];
	size_t	 n;
	int	 rc;

	if (path == NULL || path[0] == '\0')
		return 0;
	rc = cfg_secret_read(path, pw, sizeof(pw), &n);
	if (rc == 0)
		rc = kv_auth(kv, pw, n);
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* AUTH on a new connection: 0, or -1 with the reason logged. */
static int
kv_login(struct kv *kv)
{
	redisReply	*r;
	int		 rc = -1;

	if (kv->pass_len == 0)
		return 0;
	if ((r = redisCommand(kv->c, "AUTH %b", kv->pass, kv->pass_len)) == NULL)
		log_msg("error", "redis: AUTH failed: %s", kv->c->errstr);
	else if (r->type == REDIS_REPLY_ERROR)
		log_msg("error", "redis: AUTH refused: %s", r->str);
	else
		rc = 0;
	if (r != NULL)
		freeReplyObject(r);
	return rc;
}

static void
kv_drop(struct kv *kv)
{
	if (kv->c != NULL)
		redisFree(kv->c);
	kv->c = NULL;
	kv->up = 0;
}

void
kv_free(struct kv *kv)
{
	if (kv == NULL)
		return;
	kv_drop(kv);
	free(kv);
}

static redisContext *
kv_conn(struct kv *kv)
{
	long long	 now;

	if (kv->c != NULL)
		return kv->c;
	now = clock_mono_ms();
	if (now - kv->last_try_ms < kv->delay_ms)
		return NULL;
	kv->last_try_ms = now;
	kv->c = kv->port == 0 ?
	    redisConnectUnixWithTimeout(kv->host, kv->tv) :
	    redisConnectWithTimeout(kv->host, kv->port, kv->tv);
	if (kv->c == NULL || kv->c->err ||
	    redisSetTimeout(kv->c, kv->tv) != REDIS_OK) {
		log_msg("error", "redis: connect failed: %s",
		    kv->c ? kv->c->errstr : "out of memory");
		kv_drop(kv);
		kv->errors++;
		return NULL;
	}
	if (kv_login(kv) == -1) {
		kv_drop(kv);
		kv->errors++;
		return NULL;
	}
	if (kv->ever_connected)
		kv->reconnects++;
	kv->ever_connected = 1;
	return kv->c;
}

/*
 * A connection to a Redis that has since restarted fails with EOF or EPIPE
 * on first use; the command never ran, so it is safe to send it again on a
 * new connection.  A timeout is not retried.
 */
static int
kv_stale(const redisContext *c)
{
	return c->err == REDIS_ERR_EOF ||
	    (c->err == REDIS_ERR_IO && (errno == EPIPE || errno == ECONNRESET));
}

/* One command, given by format (ap) or as an argument vector (argv). */
struct kv_req {
	const char	*fmt;
	va_list		*ap;
	int		 argc;
	const char	**argv;
	const size_t	*lens;
};

static redisReply *
kv_send(struct kv *kv, const struct kv_req *q)
{
	va_list	 again;
	void	*r;

	if (q->fmt == NULL)
		return redisCommandArgv(kv->c, q->argc, q->argv, q->lens);
	va_copy(again, *q->ap);
	r = redisvCommand(kv->c, q->fmt, again);
	va_end(again);
	return r;
}

static redisReply *
kv_run(struct kv *kv, const struct kv_req *q)
{
	redisReply	*r;
	int		 fresh, tries;

	for (tries = 0, r = NULL; tries < 2 && r == NULL; tries++) {
		fresh = kv->c == NULL;
		if (kv_conn(kv) == NULL)
			break;
		if ((r = kv_send(kv, q)) != NULL)
			break;
		log_msg("error", "redis: %s", kv->c->errstr);
		kv->errors++;
		if (fresh || !kv_stale(kv->c)) {
			kv_drop(kv);
			break;
		}
		kv_drop(kv);
		kv->last_try_ms = -kv->delay_ms - 1;
	}
	if (r == NULL)
		return NULL;
	kv->up = 1;
	if (r->type == REDIS_REPLY_ERROR) {
		log_msg("error", "redis: %s", r->str);
		freeReplyObject(r);
		kv->errors++;
		return NULL;
	}
	return r;
}

redisReply *
kv_cmd(struct kv *kv, const char *fmt, ...)
{
	struct kv_req	 q = { 0 };
	redisReply	*r;
	va_list		 ap;

	va_start(ap, fmt);
	q.fmt = fmt;
	q.ap = &ap;
	r = kv_run(kv, &q);
	va_end(ap);
	return r;
}

redisReply *
kv_argv(struct kv *kv, int argc, const char **argv, const size_t *lens)
{
	struct kv_req	 q = { 0 };

	q.argc = argc;
	q.argv = argv;
	q.lens = lens;
	return kv_run(kv, &q);
}

int
kv_check(struct kv *kv)
{
	redisReply	*r;

	if ((r = kv_cmd(kv, "PING")) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

int
kv_up(const struct kv *kv)
{
	return kv->up;
}

unsigned long
kv_reconnects(const struct kv *kv)
{
	return kv->reconnects;
}

unsigned long
kv_errors(const struct kv *kv)
{
	return kv->errors;
}
