#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/throttle.h"

#define THROTTLE_STEPS	160

/*
 * KEYS: the account's and the address's failure counter, then their locks.
 * ARGV: the counters' lifetime (s), the back-off list (ms after the n-th
 * failure, comma-separated; the last one holds for every later failure),
 * this attempt's tag.  Returns the milliseconds to wait, or 0: admitted,
 * counted as a failure, and the next attempt's locks set.
 */
static const char throttle_admit_lua[] =
	"local w = math.max(redis.call('PTTL', KEYS[3]),\n"
	"    redis.call('PTTL', KEYS[4]), 0)\n"
	"if w > 0 then return w end\n"
	"local t = {}\n"
	"for v in string.gmatch(ARGV[2], '%d+') do t[#t + 1] = tonumber(v) end\n"
	"for c = 1, 2 do\n"
	"  local n = redis.call('INCR', KEYS[c])\n"
	"  redis.call('EXPIRE', KEYS[c], ARGV[1])\n"
	"  local ms = t[math.min(n, #t)]\n"
	"  if ms > 0 then redis.call('SET', KEYS[c + 2], ARGV[3], 'PX', ms) end\n"
	"end\n"
	"return 0\n";

/*
 * KEYS: the account's counter and lock, the address's counter and lock.
 * ARGV: the tag of the attempt whose password was right.  The address's
 * lock goes only when this attempt set it.
 */
static const char throttle_forgive_lua[] =
	"redis.call('DEL', KEYS[1], KEYS[2])\n"
	"if redis.call('DECR', KEYS[3]) <= 0 then redis.call('DEL', KEYS[3]) end\n"
	"if redis.call('GET', KEYS[4]) == ARGV[1] then\n"
	"  redis.call('DEL', KEYS[4])\n"
	"end\n"
	"return 0\n";

/* The policy, fixed at start: lock after the n-th failure is steps[n - 1]. */
static long	 throttle_steps[THROTTLE_STEPS];
static size_t	 throttle_nsteps;
static char	 throttle_list[THROTTLE_STEPS * 12];
static char	 throttle_ttl[24];
static long long throttle_ttl_ms;

/*
 * The fallback when Redis is down.  Process-wide state that changes after
 * start-up, on purpose: it must outlive a request to count anything.  It is
 * bounded (the least recently seen entry makes room) and holds no secret.
 */
struct throttle_ent {
	char		 key[THROTTLE_KEY_MAX];
	long		 count;
	long long	 lock_until, seen;
	char		 tag[sizeof(((struct throttle_ticket *)0)->tag)];
};
static struct throttle_ent	 throttle_tab[THROTTLE_LOCAL_MAX];
static unsigned long		 throttle_seq;

int
throttle_init(long nfree, long base_ms, long max_s, long ttl_s)
{
	size_t	 n, len = 0;
	long	 ms;
	int	 w;

	for (n = 0; n < THROTTLE_STEPS; n++) {
		ms = throttle_backoff_ms((long)n + 1, nfree, base_ms, max_s);
		throttle_steps[n] = ms;
		w = snprintf(throttle_list + len, sizeof(throttle_list) - len,
		    "%s%ld", n > 0 ? "," : "", ms);
		if (w < 0 || (size_t)w >= sizeof(throttle_list) - len)
			return -1;
		len += (size_t)w;
		if (ms > 0 && ms == throttle_backoff_ms((long)n + 2, nfree,
		    base_ms, max_s))
			break;
	}
	if (n == THROTTLE_STEPS)
		return -1;
	throttle_nsteps = n + 1;
	throttle_ttl_ms = (long long)ttl_s * 1000;
	snprintf(throttle_ttl, sizeof(throttle_ttl), "%ld", ttl_s);
	return 0;
}

static long
throttle_step(long n)
{
	if (throttle_nsteps == 0 || n <= 0)
		return 0;
	return throttle_steps[(size_t)n < throttle_nsteps ? (size_t)n - 1 :
	    throttle_nsteps - 1];
}

static void
throttle_keys(const char *user, const char *addr, struct throttle_ticket *t)
{
	if (addr == NULL)
		addr = "-";
	snprintf(t->fu, sizeof(t->fu), "lf:u:%.64s", user);
	snprintf(t->lu, sizeof(t->lu), "lk:u:%.64s", user);
	snprintf(t->fi, sizeof(t->fi), "lf:ip:%.60s", addr);
	snprintf(t->li, sizeof(t->li), "lk:ip:%.60s", addr);
	snprintf(t->tag, sizeof(t->tag), "%ld-%lu", (long)getpid(),
	    ++throttle_seq);
	t->local = 0;
}

/*
 * The entry for key; when create, a new one in an empty slot or in the
 * least recently seen one's place, never in avoid's.
 */
static struct throttle_ent *
throttle_find(const char *key, long long now, int create,
    const struct throttle_ent *avoid)
{
	struct throttle_ent	*e, *old = NULL;
	size_t			 i;

	for (i = 0; i < THROTTLE_LOCAL_MAX; i++) {
		e = &throttle_tab[i];
		if (e->key[0] != '\0' && strcmp(e->key, key) == 0) {
			if (now - e->seen > throttle_ttl_ms)
				e->count = 0;
			return e;
		}
		if (e != avoid && (old == NULL || (old->key[0] != '\0' &&
		    (e->key[0] == '\0' || e->seen < old->seen))))
			old = e;
	}
	if (!create || old == NULL)
		return NULL;
	memset(old, 0, sizeof(*old));
	snprintf(old->key, sizeof(old->key), "%s", key);
	old->seen = now;
	return old;
}

static void
throttle_charge(struct throttle_ent *e, long long now, const char *tag)
{
	long	 ms;

	e->count++;
	e->seen = now;
	ms = throttle_step(e->count);
	e->lock_until = ms > 0 ? now + ms : 0;
	snprintf(e->tag, sizeof(e->tag), "%s", tag);
}

long
throttle_local_admit(const char *user, const char *addr, long long now_ms,
    struct throttle_ticket *t)
{
	struct throttle_ent	*u, *i;
	long long		 w;

	throttle_keys(user, addr, t);
	t->local = 1;
	u = throttle_find(t->fu, now_ms, 1, NULL);
	i = throttle_find(t->fi, now_ms, 1, u);
	u->seen = i->seen = now_ms;
	w = u->lock_until > i->lock_until ? u->lock_until : i->lock_until;
	if (w > now_ms)
		return (long)(w - now_ms);
	throttle_charge(u, now_ms, t->tag);
	throttle_charge(i, now_ms, t->tag);
	return 0;
}

void
throttle_local_forgive(const struct throttle_ticket *t, long long now)
{
	struct throttle_ent	*e;

	if ((e = throttle_find(t->fu, now, 0, NULL)) != NULL) {
		e->count = 0;
		e->lock_until = 0;
	}
	if ((e = throttle_find(t->fi, now, 0, NULL)) != NULL) {
		if (e->count > 0)
			e->count--;
		if (strcmp(e->tag, t->tag) == 0)
			e->lock_until = 0;
	}
}

void
throttle_local_clear(void)
{
	memset(throttle_tab, 0, sizeof(throttle_tab));
}

long
throttle_admit(struct kv *kv, const char *user, const char *addr,
    struct throttle_ticket *t)
{
	redisReply	*r;
	long		 ms = -1;

	throttle_keys(user, addr, t);
	if ((r = kv_cmd(kv, "EVAL %s 4 %s %s %s %s %s %s %s",
	    throttle_admit_lua, t->fu, t->fi, t->lu, t->li, throttle_ttl,
	    throttle_list, t->tag)) != NULL) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer >= 0)
			ms = (long)r->integer;
		freeReplyObject(r);
	}
	if (ms >= 0)
		return ms;
	log_msg("warn", "redis unavailable: login throttled by this process");
	return throttle_local_admit(user, addr, clock_mono_ms(), t);
}

void
throttle_forgive(struct kv *kv, const struct throttle_ticket *t)
{
	redisReply	*r;

	if (t->local) {
		throttle_local_forgive(t, clock_mono_ms());
		return;
	}
	if ((r = kv_cmd(kv, "EVAL %s 4 %s %s %s %s %s", throttle_forgive_lua,
	    t->fu, t->lu, t->fi, t->li, t->tag)) != NULL)
		freeReplyObject(r);
}

long
throttle_backoff_ms(long fails, long nfree, long base_ms, long max_s)
{
	long	 first = nfree > 1 ? nfree : 1, ms, cap, k;

	if (fails < first || base_ms <= 0 || max_s <= 0)
		return 0;
	cap = max_s * 1000;
	if (base_ms >= cap)
		return cap;
	/* Doubling stops at the cap, so ms never overflows. */
	for (ms = base_ms, k = fails - first; k > 0 && ms < cap; k--)
		ms *= 2;
	return ms < cap ? ms : cap;
}

long
throttle_retry_s(long ms)
{
	if (ms <= 1000)
		return 1;
	return ms / 1000 + (ms % 1000 != 0);
}
