#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "db.h"
#include "fnv.h"
#include "gate.h"
#include "kv.h"
#include "log.h"
#include "met.h"
#include "near.h"
#include "sec.h"

/*
 * KEYS: revoked-jti key, revoked-session key, generation key ("" for none),
 * bucket key, version key, mirror key.
 * ARGV: rate per minute, burst, cache key prefix ("" for none), fid, the
 * token's generation.
 * Returns {revoked, allowed, remaining, retry_ms, version, cached|false,
 * gen_unknown, mirrored, jti exists, session exists, generation|false,
 * cached's PTTL}: the raw keys after the verdicts, for this process's
 * copies (gate_keep).  Without the mirror key Redis may lack revocations
 * (it lost its data, or a replica took over): gen_unknown then sends the
 * caller to PostgreSQL.  A fid without a version gets one made of the clock (in
 * microseconds): a Redis that lost its keys never hands out a version an
 * answer or a read model in memory was made under.
 */
static const char gate_lua[] =
	"local revoked, unknown, je, se, g = 0, 0, 0, 0, false\n"
	"local mirrored = redis.call('EXISTS', KEYS[6])\n"
	"if KEYS[1] ~= '' then je = redis.call('EXISTS', KEYS[1]) end\n"
	"if KEYS[2] ~= '' then se = redis.call('EXISTS', KEYS[2]) end\n"
	"if KEYS[3] ~= '' then g = redis.call('GET', KEYS[3]) end\n"
	"if je == 1 or se == 1 then revoked = 1 end\n"
	"if revoked == 0 and KEYS[3] ~= '' then\n"
	"  if not g then unknown = 1\n"
	"  elseif tonumber(g) > tonumber(ARGV[5]) then revoked = 1 end\n"
	"end\n"
	"if KEYS[1] ~= '' and mirrored == 0 then unknown = 1 end\n"
	"local allowed, remaining, retry = 1, -1, 0\n"
	"local rate, cap = tonumber(ARGV[1]), tonumber(ARGV[2])\n"
	"if rate > 0 then\n"
	"  local t = redis.call('TIME')\n"
	"  local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
	"  local b = redis.call('HMGET', KEYS[4], 't', 'n')\n"
	"  local last = tonumber(b[1]) or now\n"
	"  local n = tonumber(b[2]) or cap\n"
	"  n = math.min(cap, n + (now - last) * rate / 60000)\n"
	"  if n >= 1 then n = n - 1 else allowed = 0 end\n"
	"  remaining = math.floor(n)\n"
	"  if allowed == 0 then retry = math.ceil((1 - n) * 60000 / rate) end\n"
	"  redis.call('HSET', KEYS[4], 't', now, 'n', tostring(n))\n"
	"  redis.call('PEXPIRE', KEYS[4], math.ceil(cap * 60000 / rate) + 1000)\n"
	"end\n"
	"local v = redis.call('GET', KEYS[5])\n"
	"if not v and ARGV[4] ~= '0' then\n"
	"  local t = redis.call('TIME')\n"
	"  redis.call('SET', KEYS[5], t[1] .. string.format('%06d', t[2]), 'NX')\n"
	"  v = redis.call('GET', KEYS[5])\n"
	"end\n"
	"v = v or '0'\n"
	"local c, ttl = false, -2\n"
	"if ARGV[3] ~= '' and allowed == 1 and revoked == 0 then\n"
	"  local ck = 'c:' .. ARGV[4] .. ':' .. v .. ':' .. ARGV[3]\n"
	"  c = redis.call('GET', ck)\n"
	"  if c then ttl = redis.call('PTTL', ck) end\n"
	"end\n"
	"return {revoked, allowed, remaining, retry, v, c, unknown, mirrored,\n"
	"  je, se, g, ttl}\n";

/*
 * The script is sent once per process (SCRIPT LOAD) and run by its SHA1;
 * any failure forgets the SHA1 so that the next call loads it again.
 */
static char	 gate_sha[48];

static int
gate_load(struct kv *kv)
{
	redisReply	*r;
	int		 rc = -1;

	if ((r = kv_cmd(kv, "SCRIPT LOAD %s", gate_lua)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING && r->len < sizeof(gate_sha)) {
		memcpy(gate_sha, r->str, r->len);
		gate_sha[r->len] = '\0';
		rc = 0;
	}
	freeReplyObject(r);
	return rc;
}

static long long
gate_int(const redisReply *r)
{
	if (r->type == REDIS_REPLY_INTEGER)
		return r->integer;
	if (r->type == REDIS_REPLY_STRING)
		return strtoll(r->str, NULL, 10);
	return 0;
}

static int
gate_read(const redisReply *r, struct gate_out *o)
{
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 12)
		return -1;
	o->mirror_lost = gate_int(r->element[7]) == 0;
	o->revoked = gate_int(r->element[0]) != 0;
	o->gen_unknown = gate_int(r->element[6]) != 0;
	o->allowed = gate_int(r->element[1]) != 0;
	o->remaining = (long)gate_int(r->element[2]);
	o->retry_ms = (long)gate_int(r->element[3]);
	o->version = gate_int(r->element[4]);
	if (r->element[5]->type == REDIS_REPLY_STRING && o->cached != NULL) {
		buf_reset(o->cached);
		if (buf_put(o->cached, r->element[5]->str,
		    r->element[5]->len) == 0)
			o->hit = 1;
	}
	return 0;
}

/*
 * The revocation mirror.  Every revocation is written to PostgreSQL and,
 * for the fast path, to Redis; GATE_MIRROR_KEY says Redis holds all of
 * them.  It goes when Redis loses its data, and this process drops it
 * after each reconnection (a restart from a snapshot, or a replica taking
 * over, can lose the last writes but keep the key) and after a revocation
 * it could not write to Redis; until gate_mirror_fill() has
 * copied every live revocation from PostgreSQL again, gate_check() sends
 * token checks to PostgreSQL.
 */
static int		 gate_dirty;	/* a revocation missed Redis */
static unsigned long	 gate_conns;	/* kv_reconnects() last seen */

void
gate_mirror_dirty(void)
{
	gate_dirty = 1;
}

/* 1 when the mirror must not be trusted (and its key could be dropped). */
static int
gate_distrust(struct kv *kv)
{
	redisReply	*r;

	if (!gate_dirty && kv_reconnects(kv) == gate_conns)
		return 0;
	if ((r = kv_cmd(kv, "DEL %s", GATE_MIRROR_KEY)) != NULL) {
		freeReplyObject(r);
		gate_dirty = 0;
		gate_conns = kv_reconnects(kv);
	}
	return 1;
}

/* KEYS: pairs of key and TTL seconds, each SET to "1"; then returns n. */
static const char gate_fill_lua[] =
	"for i = 1, #KEYS, 2 do\n"
	"  redis.call('SET', KEYS[i], '1', 'EX', KEYS[i + 1])\n"
	"end\n"
	"return #KEYS / 2\n";

#define GATE_FILL_BATCH	256	/* keys per EVAL */

struct gate_fill {
	const char	*argv[3 + 2 * GATE_FILL_BATCH];
	size_t		 lens[3 + 2 * GATE_FILL_BATCH];
	char		 keys[GATE_FILL_BATCH][96];
	char		 ttls[GATE_FILL_BATCH][24];
	int		 n;
};

static int
gate_fill_send(struct kv *kv, struct gate_fill *f)
{
	char		 nk[16];
	redisReply	*r;
	int		 i;

	if (f->n == 0)
		return 0;
	snprintf(nk, sizeof(nk), "%d", 2 * f->n);
	f->argv[0] = "EVAL";
	f->argv[1] = gate_fill_lua;
	f->argv[2] = nk;
	for (i = 0; i < f->n; i++) {
		f->argv[3 + 2 * i] = f->keys[i];
		f->argv[4 + 2 * i] = f->ttls[i];
	}
	for (i = 0; i < 3 + 2 * f->n; i++)
		f->lens[i] = strlen(f->argv[i]);
	r = kv_argv(kv, 3 + 2 * f->n, f->argv, f->lens);
	f->n = 0;
	if (r == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

/* Each row of r: a key suffix and its TTL in seconds. */
static int
gate_fill_rows(struct kv *kv, struct gate_fill *f, const char *prefix,
    PGresult *r)
{
	int	 i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((size_t)snprintf(f->keys[f->n], sizeof(f->keys[0]), "%s%s",
		    prefix, PQgetvalue(r, i, 0)) >= sizeof(f->keys[0]))
			continue;
		snprintf(f->ttls[f->n], sizeof(f->ttls[0]), "%s",
		    PQgetvalue(r, i, 1));
		if (++f->n == GATE_FILL_BATCH && gate_fill_send(kv, f) == -1)
			return -1;
	}
	return 0;
}

static const struct db_stmt gate_stmt_live_jti = { "gate_live_jti",
	"SELECT jti, ceil(extract(epoch FROM expires_at - now()))::bigint"
	" FROM revoked_tokens WHERE expires_at > now() + interval '1 second'",
	0, 1 };
static const struct db_stmt gate_stmt_live_sid = { "gate_live_sid",
	"SELECT sid, ceil(extract(epoch FROM expires_at - now()))::bigint"
	" FROM revoked_sessions WHERE expires_at > now() + interval '1 second'",
	0, 1 };

/* Sets the mirror key when the fill token is still there (no flush since). */
static const char gate_fill_done_lua[] =
	"if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
	"redis.call('DEL', KEYS[1])\n"
	"redis.call('SET', KEYS[2], '1')\n"
	"return 1\n";

#define GATE_FILL_KEY	"rc:mirror:fill"
#define GATE_FILL_EVERY_MS	1000	/* at most one fill per process */

int
gate_mirror_fill(struct kv *kv, struct db *db)
{
	static long long	 last = -GATE_FILL_EVERY_MS - 1;
	static struct gate_fill	 f;
	char			 tok[33];
	long long		 now = clock_mono_ms();
	PGresult		*jr = NULL, *sr = NULL;
	redisReply		*r = NULL;
	int			 rc = -1;

	if (now - last < GATE_FILL_EVERY_MS)
		return -1;
	last = now;
	if (sec_random_hex(tok, 16) == -1)
		return -1;
	/* The token first: a flush from here on makes the end refuse. */
	if ((r = kv_cmd(kv, "SET %s %s EX 60", GATE_FILL_KEY, tok)) == NULL)
		goto out;
	freeReplyObject(r);
	r = NULL;
	if ((jr = db_exec(db, &gate_stmt_live_jti, NULL, NULL)) == NULL ||
	    (sr = db_exec(db, &gate_stmt_live_sid, NULL, NULL)) == NULL)
		goto out;
	f.n = 0;
	if (gate_fill_rows(kv, &f, "jti:", jr) == -1 ||
	    gate_fill_rows(kv, &f, "rtfam:", sr) == -1 ||
	    gate_fill_send(kv, &f) == -1)
		goto out;
	if ((r = kv_cmd(kv, "EVAL %s 2 %s %s %s", gate_fill_done_lua,
	    GATE_FILL_KEY, GATE_MIRROR_KEY, tok)) == NULL)
		goto out;
	if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
		rc = 0;
		log_msg("info", "redis: revocations copied from PostgreSQL "
		    "(%d tokens, %d sessions)", PQntuples(jr), PQntuples(sr));
	}
out:
	if (r != NULL)
		freeReplyObject(r);
	PQclear(jr);
	PQclear(sr);
	return rc;
}

/*
 * This process's side of the gate (RC_GATE_LOCAL): the keys gate_lua
 * reads, copied here and kept true by Redis's invalidations (near.c), and
 * the answers cached under a data version, each until its Redis copy
 * expires.  A request with no rate limit to count (administrators,
 * RC_API_RATE=0) is then answered without a round trip when every key it
 * needs has a copy; any other goes to Redis, whose reply fills the copies.
 * A process that serves nothing reads no invalidations: Redis keeps them
 * for it up to its pubsub output limit (script/lib/redis.sh sets it), then
 * closes the connection, and the process starts again from no copies.
 */
static struct near	*gate_nr;

static const char *const gate_near_prefixes[] = {
	"jti:", "rtfam:", "agen:", "v:", GATE_MIRROR_KEY,
};

#define GATE_BODIES	64
#define GATE_BODY_MAX	(64 * 1024)	/* larger answers stay in Redis */

struct gate_body {
	int64_t		 fid;
	long long	 version;
	long long	 until_ms;	/* clock_mono_ms(); 0: empty */
	char		 key[512];
	struct buf	 b;
};

static struct gate_body	 gate_bodies[GATE_BODIES];

struct gate_keys {
	char	 jk[64], sk[64], gk[32], vk[32];
};

/*
 * Endpoints whose answers for a (fid, version) this process computed and
 * did not store (gate_unstored): no process stores them from memory, so
 * the next read of them does not ask Redis for one.  Direct-mapped.
 */
#define GATE_UNSTORED	1024

struct gate_unstored {
	int64_t		 fid;
	long long	 version;
	char		 ep[32];	/* the cache key up to its first '&' */
};

static struct gate_unstored	 gate_unstored_tab[GATE_UNSTORED];

/* The hash of an answer's (fid, version, first len bytes of its key). */
static uint64_t
gate_hash(int64_t fid, long long version, const char *key, size_t len)
{
	return fnv_bytes(fnv_u64(fnv_u64(FNV_BASIS, (uint64_t)fid),
	    (uint64_t)version), key, len);
}

static struct gate_unstored *
gate_unstored_slot(int64_t fid, long long version, const char *key,
    size_t *len)
{
	*len = strcspn(key, "&");
	return &gate_unstored_tab[gate_hash(fid, version, key, *len) %
	    GATE_UNSTORED];
}

void
gate_unstored(int64_t fid, long long version, const char *key)
{
	struct gate_unstored	*u;
	size_t			 len;

	if (gate_nr == NULL)
		return;
	u = gate_unstored_slot(fid, version, key, &len);
	if (len >= sizeof(u->ep))
		return;
	u->fid = fid;
	u->version = version;
	memcpy(u->ep, key, len);
	u->ep[len] = '\0';
}

static int
gate_unstored_has(int64_t fid, long long version, const char *key)
{
	const struct gate_unstored	*u;
	size_t				 len;

	u = gate_unstored_slot(fid, version, key, &len);
	return fid != 0 && u->fid == fid && u->version == version &&
	    len < sizeof(u->ep) && strncmp(u->ep, key, len) == 0 &&
	    u->ep[len] == '\0';
}

int
gate_local_start(struct kv *kv)
{
	size_t	 i;

	for (i = 0; i < GATE_BODIES; i++)
		buf_init(&gate_bodies[i].b, GATE_BODY_MAX);
	gate_nr = near_new(kv, gate_near_prefixes,
	    (int)(sizeof(gate_near_prefixes) / sizeof(gate_near_prefixes[0])));
	return gate_nr == NULL ? -1 : 0;
}

void
gate_local_stop(void)
{
	size_t	 i;

	near_free(gate_nr);
	gate_nr = NULL;
	for (i = 0; i < GATE_BODIES; i++) {
		buf_free(&gate_bodies[i].b);
		gate_bodies[i].until_ms = 0;
	}
}

static struct gate_body *
gate_body_slot(int64_t fid, long long version, const char *key)
{
	return &gate_bodies[gate_hash(fid, version, key, strlen(key)) %
	    GATE_BODIES];
}

static const struct gate_body *
gate_body_get(int64_t fid, long long version, const char *key)
{
	const struct gate_body	*e = gate_body_slot(fid, version, key);

	if (e->until_ms <= clock_mono_ms() || e->fid != fid ||
	    e->version != version || strcmp(e->key, key) != 0)
		return NULL;
	return e;
}

static void
gate_body_put(int64_t fid, long long version, const char *key,
    const char *val, size_t len, long long ttl_ms)
{
	struct gate_body	*e;
	size_t			 klen = strlen(key);

	if (gate_nr == NULL || len > GATE_BODY_MAX || ttl_ms <= 0 ||
	    klen >= sizeof(e->key))
		return;
	e = gate_body_slot(fid, version, key);
	e->until_ms = 0;
	buf_reset(&e->b);
	if (buf_put(&e->b, val, len) == -1)
		return;
	e->fid = fid;
	e->version = version;
	memcpy(e->key, key, klen + 1);
	e->until_ms = clock_mono_ms() + ttl_ms;
}

static void
gate_keys(const struct gate_in *in, struct gate_keys *k)
{
	k->jk[0] = k->sk[0] = k->gk[0] = '\0';
	if (in->jti != NULL)
		snprintf(k->jk, sizeof(k->jk), "jti:%s", in->jti);
	if (in->sid != NULL && in->sid[0] != '\0')
		snprintf(k->sk, sizeof(k->sk), "rtfam:%s", in->sid);
	if (in->account > 0)
		snprintf(k->gk, sizeof(k->gk), "agen:%" PRId64, in->account);
	snprintf(k->vk, sizeof(k->vk), "v:%" PRId64, in->fid);
}

/* gate_lua's verdicts from the copies: 1 answered, 0 a copy is missing. */
static int
gate_near(const struct gate_in *in, const struct gate_keys *k,
    struct gate_out *o)
{
	const struct gate_body	*e = NULL;
	enum near_got		 m, j = NEAR_ABSENT, s = NEAR_ABSENT,
				 g = NEAR_ABSENT, v = NEAR_ABSENT;
	char			 one[40], gen[40], ver[40];
	int			 revoked, unknown = 0;

	if ((m = near_get(gate_nr, GATE_MIRROR_KEY, one, sizeof(one))) ==
	    NEAR_UNKNOWN ||
	    (k->jk[0] != '\0' && (j = near_get(gate_nr, k->jk, one,
	    sizeof(one))) == NEAR_UNKNOWN) ||
	    (k->sk[0] != '\0' && (s = near_get(gate_nr, k->sk, one,
	    sizeof(one))) == NEAR_UNKNOWN) ||
	    (k->gk[0] != '\0' && (g = near_get(gate_nr, k->gk, gen,
	    sizeof(gen))) == NEAR_UNKNOWN) ||
	    (in->fid != 0 && (v = near_get(gate_nr, k->vk, ver,
	    sizeof(ver))) != NEAR_VALUE))
		return 0;
	revoked = j == NEAR_VALUE || s == NEAR_VALUE;
	if (!revoked && k->gk[0] != '\0') {
		if (g == NEAR_ABSENT)
			unknown = 1;
		else if (strtoll(gen, NULL, 10) > in->gen)
			revoked = 1;
	}
	if (k->jk[0] != '\0' && m == NEAR_ABSENT)
		unknown = 1;
	o->version = v == NEAR_VALUE ? strtoll(ver, NULL, 10) : 0;
	if (!revoked && in->cache_key != NULL && in->cache_key[0] != '\0' &&
	    o->cached != NULL) {
		e = gate_body_get(in->fid, o->version, in->cache_key);
		if (e == NULL && !gate_unstored_has(in->fid, o->version,
		    in->cache_key))
			return 0;
		if (e != NULL) {
			buf_reset(o->cached);
			if (buf_put(o->cached, e->b.ptr, e->b.len) == -1)
				return 0;
			o->hit = 1;
		}
	}
	o->revoked = revoked;
	o->gen_unknown = unknown;
	o->mirror_lost = m == NEAR_ABSENT;
	o->ok = o->local = 1;
	return 1;
}

/* Copies what gate_lua read (r, from a reply gate_read took). */
static void
gate_keep(const redisReply *r, const struct gate_in *in,
    const struct gate_keys *k, unsigned long epoch, const struct gate_out *o)
{
	const redisReply	*g = r->element[10], *v = r->element[4],
				*c = r->element[5];

	near_put(gate_nr, epoch, GATE_MIRROR_KEY,
	    gate_int(r->element[7]) ? "1" : NULL, 1);
	if (k->jk[0] != '\0')
		near_put(gate_nr, epoch, k->jk,
		    gate_int(r->element[8]) ? "1" : NULL, 1);
	if (k->sk[0] != '\0')
		near_put(gate_nr, epoch, k->sk,
		    gate_int(r->element[9]) ? "1" : NULL, 1);
	if (k->gk[0] != '\0')
		near_put(gate_nr, epoch, k->gk, g->type == REDIS_REPLY_STRING ?
		    g->str : NULL, g->type == REDIS_REPLY_STRING ? g->len : 0);
	if (in->fid != 0 && v->type == REDIS_REPLY_STRING)
		near_put(gate_nr, epoch, k->vk, v->str, v->len);
	if (in->cache_key != NULL && c->type == REDIS_REPLY_STRING)
		gate_body_put(in->fid, o->version, in->cache_key, c->str,
		    c->len, gate_int(r->element[11]));
}

int
gate_check(struct kv *kv, const struct gate_in *in, struct gate_out *o)
{
	struct gate_keys k;
	char		 bk[96], rate[24], burst[24], fid[24], gen[24];
	redisReply	*r;
	unsigned long	 epoch = 0;
	int		 rc, tries, near;

	o->ok = o->revoked = o->hit = o->gen_unknown = o->mirror_lost = 0;
	o->local = 0;
	o->allowed = 1;
	o->remaining = -1;
	o->retry_ms = 0;
	o->version = 0;
	gate_keys(in, &k);
	/*
	 * Read the invalidations on every request, counted or not, so that
	 * they never pile up in Redis for a process serving only those.
	 */
	near = gate_nr != NULL && near_fresh(gate_nr) && !gate_dirty &&
	    kv_reconnects(kv) == gate_conns;
	if (near) {
		if ((in->bucket == NULL || in->rate <= 0) &&
		    gate_near(in, &k, o))
			return 0;
		o->hit = 0;
		epoch = near_epoch(gate_nr);
	}
	snprintf(gen, sizeof(gen), "%" PRId64, in->gen);
	snprintf(bk, sizeof(bk), "rl:%s", in->bucket ? in->bucket : "-");
	snprintf(rate, sizeof(rate), "%ld", in->bucket ? in->rate : 0);
	snprintf(burst, sizeof(burst), "%ld", in->burst);
	snprintf(fid, sizeof(fid), "%" PRId64, in->fid);
	/* A second try loads the script again: a new server, or a flush. */
	for (tries = 0, r = NULL; tries < 2 && r == NULL; tries++) {
		if (gate_sha[0] == '\0' && gate_load(kv) == -1)
			return -1;
		r = kv_cmd(kv, "EVALSHA %s 6 %s %s %s %s %s %s %s %s %s %s %s",
		    gate_sha, k.jk, k.sk, k.gk, bk, k.vk, GATE_MIRROR_KEY, rate,
		    burst, in->cache_key ? in->cache_key : "", fid, gen);
		if (r == NULL)
			gate_sha[0] = '\0';
	}
	if (r == NULL)
		return -1;
	rc = gate_read(r, o);
	if (rc == 0 && near)
		gate_keep(r, in, &k, epoch, o);
	freeReplyObject(r);
	if (rc == 0)
		o->ok = 1;
	/* This very call may have been the one that reconnected. */
	if (rc == 0 && gate_distrust(kv)) {
		o->mirror_lost = 1;
		if (in->jti != NULL)
			o->gen_unknown = 1;
	}
	return rc;
}

enum met_gate
gate_met(const struct gate_out *o)
{
	return o->local ? MET_GATE_LOCAL : o->ok ? MET_GATE_REDIS :
	    MET_GATE_DOWN;
}

void
gate_store(struct kv *kv, int64_t fid, long long version, const char *key,
    const char *val, size_t len, long ttl)
{
	char		 k[600], t[24];
	redisReply	*r;

	if ((size_t)snprintf(k, sizeof(k), "c:%" PRId64 ":%lld:%s", fid,
	    version, key) >= sizeof(k))
		return;
	snprintf(t, sizeof(t), "%ld", ttl);
	if ((r = kv_cmd(kv, "SET %s %b EX %s", k, val, len, t)) == NULL)
		return;
	freeReplyObject(r);
	gate_body_put(fid, version, key, val, len, (long long)ttl * 1000);
}

/*
 * A missing version starts from the clock, as in gate_lua: counting from 1
 * again could meet a version some process still holds.
 */
static const char gate_bump_lua[] =
	"for _, k in ipairs(KEYS) do\n"
	"  if redis.call('EXISTS', k) == 1 then\n"
	"    redis.call('INCR', k)\n"
	"  else\n"
	"    local t = redis.call('TIME')\n"
	"    redis.call('SET', k, t[1] .. string.format('%06d', t[2]))\n"
	"  end\n"
	"end\n"
	"return #KEYS\n";

#define GATE_BUMP_BATCH	256	/* keys per EVAL */

/* One EVAL for the n keys in k[] (each "v:FID"). */
static int
gate_bump_send(struct kv *kv, char k[][32], int n)
{
	const char	*argv[3 + GATE_BUMP_BATCH];
	size_t		 lens[3 + GATE_BUMP_BATCH];
	char		 nk[16];
	redisReply	*r;
	int		 i;

	if (n == 0)
		return 0;
	snprintf(nk, sizeof(nk), "%d", n);
	argv[0] = "EVAL";
	argv[1] = gate_bump_lua;
	argv[2] = nk;
	for (i = 0; i < n; i++)
		argv[3 + i] = k[i];
	for (i = 0; i < 3 + n; i++)
		lens[i] = strlen(argv[i]);
	if ((r = kv_argv(kv, 3 + n, argv, lens)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

int
gate_bump(struct kv *kv, const char *fids)
{
	char		 k[GATE_BUMP_BATCH][32];
	const char	*p, *comma;
	size_t		 n;
	int		 nk = 0;

	for (p = fids; p != NULL && *p != '\0'; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n > 20)
			continue;
		snprintf(k[nk++], sizeof(k[0]), "v:%.*s", (int)n, p);
		if (nk == GATE_BUMP_BATCH) {
			if (gate_bump_send(kv, k, nk) == -1)
				return -1;
			nk = 0;
		}
	}
	return gate_bump_send(kv, k, nk);
}

static const struct db_stmt gate_stmt_revoked = { "gate_revoked",
	"SELECT EXISTS (SELECT 1 FROM revoked_tokens"
	"  WHERE jti = $1 AND expires_at > now())"
	" OR EXISTS (SELECT 1 FROM revoked_sessions"
	"  WHERE sid = $2 AND expires_at > now()),"
	" COALESCE((SELECT gen FROM token_cutoffs"
	"  WHERE account_id = $3::bigint), 0)", 3, 1 };

int
gate_revoked_db(struct db *db, const struct gate_in *in, int64_t *cutoff)
{
	char		 acct[24];
	const char	*p[3] = { in->jti ? in->jti : "", in->sid ? in->sid : "",
			    acct };
	PGresult	*r;
	int		 rc;

	snprintf(acct, sizeof(acct), "%" PRId64, in->account);
	if ((r = db_exec(db, &gate_stmt_revoked, p, NULL)) == NULL)
		return -1;
	*cutoff = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0 ||
	    (in->account > 0 && *cutoff > in->gen);
	PQclear(r);
	return rc;
}

int
gate_gen_set(struct kv *kv, int64_t account, int64_t gen, int only_new)
{
	char		 k[32], v[24], ttl[24];
	redisReply	*r;

	snprintf(k, sizeof(k), "agen:%" PRId64, account);
	snprintf(v, sizeof(v), "%" PRId64, gen);
	snprintf(ttl, sizeof(ttl), "%d", GATE_GEN_TTL);
	r = only_new ? kv_cmd(kv, "SET %s %s EX %s NX", k, v, ttl) :
	    kv_cmd(kv, "SET %s %s EX %s", k, v, ttl);
	if (r == NULL) {
		if (!only_new)
			gate_mirror_dirty();
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

/* key prefix+id = val for ttl seconds; a failure distrusts the mirror. */
static int
gate_mark(struct kv *kv, const char *prefix, const char *id, const char *val,
    long ttl)
{
	char		 k[64], t[24];
	redisReply	*r;

	snprintf(k, sizeof(k), "%s%s", prefix, id);
	snprintf(t, sizeof(t), "%ld", ttl);
	if ((r = kv_cmd(kv, "SET %s %s EX %s", k, val, t)) == NULL) {
		gate_mirror_dirty();
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

int
gate_sid_revoke(struct kv *kv, const char *sid, long ttl)
{
	return gate_mark(kv, "rtfam:", sid, "revoked", ttl);
}

int
gate_jti_revoke(struct kv *kv, const char *jti, long ttl)
{
	return gate_mark(kv, "jti:", jti, "1", ttl);
}
