#include <ctype.h>
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

#define KV_SENTINELS_MAX	8

struct kv_addr {
	char		 host[256];
	int		 port;		/* 0: host is a socket path */
};

struct kv {
	redisContext	*c;
	char		 host[256];
	int		 port;		/* 0: host is a socket path */
	struct kv_addr	 sent[KV_SENTINELS_MAX];
	int		 nsent;		/* 0: host and port are fixed */
	char		 master[64];	/* the name the sentinels monitor */
	struct timeval	 tv;
	long		 delay_ms;
	long long	 last_try_ms;
	unsigned long	 reconnects;
	unsigned long	 errors;
	int		 ever_connected;
	int		 up;
	char		 pass[256];
	size_t		 pass_len;	/* 0: no AUTH */
	unsigned long	 link;		/* counts connections made and dropped */
	void		(*hook)(void *, redisContext *);
	void		*hook_arg;
};


/* "host:port" (len bytes of spec) or, when sock, an absolute socket path. */
static int
kv_addr_parse(struct kv_addr *a, const char *spec, size_t len, int sock)
{
	const char	*colon;
	char		 num[8];
	uint64_t	 port;
	size_t		 n;

	if (sock && len > 0 && spec[0] == '/') {
		if (len >= sizeof(a->host))
			return -1;
		memcpy(a->host, spec, len);
		a->host[len] = '\0';
		a->port = 0;
		return 0;
	}
	for (n = len; n > 0 && spec[n - 1] != ':'; n--)
		continue;
	if (n-- == 0)
		return -1;
	colon = spec + n;
	if (n == 0 || n >= sizeof(a->host) || len - n - 1 == 0 ||
	    len - n - 1 >= sizeof(num))
		return -1;
	memcpy(num, colon + 1, len - n - 1);
	num[len - n - 1] = '\0';
	if (valid_u64(num, 65535, &port) == -1 || port == 0)
		return -1;
	memcpy(a->host, spec, n);
	a->host[n] = '\0';
	a->port = (int)port;
	return 0;
}

static int
kv_parse(struct kv *kv, const char *spec)
{
	struct kv_addr	 a;

	if (kv_addr_parse(&a, spec, strlen(spec), 1) == -1)
		return -1;
	memcpy(kv->host, a.host, sizeof(kv->host));
	kv->port = a.port;
	return 0;
}

int
kv_sentinels(struct kv *kv, const char *list, const char *name)
{
	const char	*p, *comma;
	size_t		 n, i;

	kv->nsent = 0;
	if (list == NULL || list[0] == '\0')
		return 0;
	if (name == NULL || (n = strlen(name)) == 0 ||
	    n >= sizeof(kv->master))
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) &&
		    strchr("._-", name[i]) == NULL)
			return -1;
	memcpy(kv->master, name, n + 1);
	for (p = list; p != NULL; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (kv->nsent == KV_SENTINELS_MAX ||
		    kv_addr_parse(&kv->sent[kv->nsent], p, n, 0) == -1) {
			kv->nsent = 0;
			return -1;
		}
		kv->nsent++;
	}
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

struct kv *
kv_open(const struct cfg *c, long delay_ms, const char **why)
{
	struct kv	*kv;

	if ((kv = kv_new(c->redis, c->redis_timeout, delay_ms)) == NULL) {
		*why = "RC_REDIS: not host:port or an absolute socket path";
		return NULL;
	}
	if (kv_auth_file(kv, c->redis_password_file) == -1) {
		*why = "RC_REDIS_PASSWORD_FILE: cannot be read (1 to 255 bytes)";
		goto fail;
	}
	if (kv_sentinels(kv, c->redis_sentinels, c->redis_master) == -1) {
		*why = "RC_REDIS_SENTINELS: not host:port,... (at most 8), or "
		    "RC_REDIS_MASTER_NAME not made of letters, digits, . _ -";
		goto fail;
	}
	return kv;
fail:
	kv_free(kv);
	return NULL;
}

/* AUTH on a new connection: 0, or -1 with the reason logged. */
static int
kv_login(struct kv *kv, redisContext *c)
{
	redisReply	*r;
	int		 rc = -1;

	if (kv->pass_len == 0)
		return 0;
	if ((r = redisCommand(c, "AUTH %b", kv->pass, kv->pass_len)) == NULL)
		log_msg("error", "redis: AUTH failed: %s", c->errstr);
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
	if (kv->c != NULL) {
		redisFree(kv->c);
		kv->link++;
	}
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

/*
 * Asks the sentinels in turn for the primary's address (hiredis has no
 * Sentinel client): the first that names one wins.  0 with host and port
 * set, else -1.
 */
static int
kv_ask_sentinels(struct kv *kv)
{
	struct kv_addr	 got;
	redisContext	*s;
	redisReply	*r;
	int		 i, found = 0;

	for (i = 0; i < kv->nsent && !found; i++) {
		s = redisConnectWithTimeout(kv->sent[i].host, kv->sent[i].port,
		    kv->tv);
		if (s == NULL || s->err || redisSetTimeout(s, kv->tv) != REDIS_OK) {
			if (s != NULL)
				redisFree(s);
			continue;
		}
		r = redisCommand(s, "SENTINEL get-master-addr-by-name %s",
		    kv->master);
		if (r != NULL && r->type == REDIS_REPLY_ARRAY &&
		    r->elements == 2 &&
		    r->element[0]->type == REDIS_REPLY_STRING &&
		    r->element[1]->type == REDIS_REPLY_STRING &&
		    r->element[0]->len < sizeof(got.host) &&
		    valid_u64(r->element[1]->str, 65535, &(uint64_t){ 0 }) == 0) {
			memcpy(got.host, r->element[0]->str,
			    r->element[0]->len + 1);
			got.port = atoi(r->element[1]->str);
			found = got.port > 0;
		}
		if (r != NULL)
			freeReplyObject(r);
		redisFree(s);
	}
	if (!found) {
		log_msg("error", "redis: no sentinel named the primary of %s",
		    kv->master);
		return -1;
	}
	if (kv->ever_connected &&
	    (strcmp(got.host, kv->host) != 0 || got.port != kv->port))
		log_msg("warn", "redis: the primary of %s is now %s:%d",
		    kv->master, got.host, got.port);
	memcpy(kv->host, got.host, sizeof(kv->host));
	kv->port = got.port;
	return 0;
}

/* A sentinel's answer can be stale: the server must say it is a primary. */
static int
kv_is_primary(struct kv *kv)
{
	redisReply	*r;
	int		 ok;

	if ((r = redisCommand(kv->c, "ROLE")) == NULL)
		return 0;
	ok = r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    strcmp(r->element[0]->str, "master") == 0;
	freeReplyObject(r);
	if (!ok)
		log_msg("warn", "redis: %s:%d is not a primary yet", kv->host,
		    kv->port);
	return ok;
}

/* A new connection to host and port, logged in; NULL on failure. */
static redisContext *
kv_open_ctx(struct kv *kv)
{
	redisContext	*c;

	c = kv->port == 0 ? redisConnectUnixWithTimeout(kv->host, kv->tv) :
	    redisConnectWithTimeout(kv->host, kv->port, kv->tv);
	if (c == NULL || c->err || redisSetTimeout(c, kv->tv) != REDIS_OK) {
		log_msg("error", "redis: connect failed: %s",
		    c ? c->errstr : "out of memory");
		if (c != NULL)
			redisFree(c);
		return NULL;
	}
	if (kv_login(kv, c) == -1) {
		redisFree(c);
		return NULL;
	}
	return c;
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
	if (kv->nsent > 0 && kv_ask_sentinels(kv) == -1) {
		kv->errors++;
		return NULL;
	}
	if ((kv->c = kv_open_ctx(kv)) == NULL) {
		kv->errors++;
		return NULL;
	}
	kv->link++;
	if (kv->nsent > 0 && !kv_is_primary(kv)) {
		kv_drop(kv);
		kv->errors++;
		return NULL;
	}
	if (kv->ever_connected)
		kv->reconnects++;
	kv->ever_connected = 1;
	if (kv->hook != NULL)
		kv->hook(kv->hook_arg, kv->c);
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
		/* A primary demoted under us: find the new one next time. */
		if (strncmp(r->str, "READONLY", 8) == 0)
			kv_drop(kv);
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

void
kv_on_connect(struct kv *kv, void (*fn)(void *, redisContext *), void *arg)
{
	kv->hook = fn;
	kv->hook_arg = arg;
}

redisContext *
kv_dial(struct kv *kv)
{
	return kv->c != NULL ? kv_open_ctx(kv) : NULL;
}

redisContext *
kv_context(struct kv *kv)
{
	return kv->c;
}

unsigned long
kv_link(const struct kv *kv)
{
	return kv->link;
}
