#ifndef RC_KV_H
#define RC_KV_H

#include <hiredis.h>

/*
 * One Redis connection per process, with connect and command timeouts.
 * After an error the connection is dropped and reopened on a later call
 * (at most once per reconnect delay), so a slow or absent Redis costs one
 * timeout, not a restart.
 */
struct kv;

/* spec: "host:port" or an absolute unix socket path. NULL on a bad spec. */
struct kv	*kv_new(const char *spec, long timeout_ms, long reconnect_delay_ms);
void		 kv_free(struct kv *);	/* accepts NULL */

/*
 * Finds the primary through Redis Sentinel: on every (re)connection the
 * sentinels of list ("host:port,host:port", at most 8) are asked in turn
 * for the address of the primary they call name, and the server found
 * must answer ROLE as a primary.  A READONLY error (a primary demoted
 * under an open connection) drops the connection.  NULL or "" list: the
 * spec's address is used.  -1 on a bad list or name.
 */
int		 kv_sentinels(struct kv *, const char *list, const char *name);

/*
 * Sends AUTH with this password (copied) on every later (re)connection.
 * -1 when it is longer than 255 bytes.
 */
int		 kv_auth(struct kv *, const char *pw, size_t len);

/*
 * kv_auth with the password read from a file (RC_REDIS_PASSWORD_FILE);
 * an empty path means no password.  -1 when the file cannot be read or
 * holds 0 or more than 255 bytes.
 */
int		 kv_auth_file(struct kv *, const char *path);

/*
 * Runs one command; arguments only through %s/%b conversions.  Returns the
 * reply (freeReplyObject() it), or NULL when Redis is unreachable or
 * answered with an error reply.
 */
redisReply	*kv_cmd(struct kv *, const char *fmt, ...);
/* kv_cmd with the command as argc arguments of lens bytes each. */
redisReply	*kv_argv(struct kv *, int argc, const char **argv,
		    const size_t *lens);

/*
 * kv_new with RC_REDIS, its timeout, password file and sentinels from c;
 * NULL with *why naming the setting at fault.
 */
struct cfg;
struct kv	*kv_open(const struct cfg *c, long delay_ms, const char **why);

int		 kv_check(struct kv *);	/* PING: 0 ok, -1 down */
int		 kv_up(const struct kv *);	/* last call succeeded */
unsigned long	 kv_reconnects(const struct kv *);
unsigned long	 kv_errors(const struct kv *);

/*
 * For a second connection beside the command one (near.c's): fn runs
 * after every (re)connection with the new context, before the command
 * that made it; kv_dial opens another connection, logged in, to the
 * server the command connection talks to (NULL when there is none or it
 * fails; redisFree it); kv_context is that connection or NULL; kv_link
 * changes whenever it is made or dropped.
 */
void		 kv_on_connect(struct kv *, void (*fn)(void *, redisContext *),
		    void *arg);
redisContext	*kv_dial(struct kv *);
redisContext	*kv_context(struct kv *);
unsigned long	 kv_link(const struct kv *);

#endif
