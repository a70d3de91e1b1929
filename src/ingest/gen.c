#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reply/ing.h"
#include "gen.h"

#define GEN_DAYS	90
#define GEN_MAXUSERS	200000

struct gen_user {
	int64_t		 fid;
	double		 mu, sigma;	/* log-normal reply delay, seconds */
	double		 answer;	/* chance of answering an inbound cast */
	double		 weight;	/* how much attention they get */
	int		 tzoff;		/* hours east of UTC */
};

struct gen {
	uint64_t		 s;		/* splitmix64 state */
	uint64_t		 nhash;
	uint64_t		 hbase;		/* from the seed and the anchor */
	uint64_t		 emitted, target;
	long			 recno;
	int64_t			 start, end;
	struct gen_user		*u;
	size_t			 nu;
	double			*cum;		/* cumulative weights */
	const struct ing_sink	*sink;
	void			*arg;
};

static int64_t	 gen_anchor;

static const char *const gen_words[] = {
	"gm", "shipping", "frames", "onchain", "base", "channel", "cast",
	"thoughts", "today", "building", "replies", "question", "anyone",
	"launch", "thread", "design", "why", "how", "love", "this", "nice",
	"agree", "interesting", "warpcast", "hub", "snapchain", "protocol",
	"weekend", "coffee", "tokens", "art", "music", "bug", "fixed",
};

/* Parent URLs of root casts: channels, a chain URL, none (NULL). */
#define GEN_NCHANNELS	7
static const char *const gen_channels[GEN_NCHANNELS] = {
	NULL, "https://warpcast.com/~/channel/dev", NULL,
	"https://farcaster.xyz/~/channel/replycast",
	"chain://eip155:1/erc721:0x5af0d9827e0c53e4799bb226655a1de152a425a5",
	"https://warpcast.com/~/channel/founders", "https://example.com/a",
};

static const int gen_tz[] = { -8, -5, -3, 0, 1, 2, 3, 5, 8, 9 };

void
gen_set_anchor(int64_t anchor)
{
	gen_anchor = anchor;
}

static uint64_t
gen_next(struct gen *g)
{
	uint64_t	 z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
gen_unif(struct gen *g)
{
	return (double)(gen_next(g) >> 11) * (1.0 / 9007199254740992.0);
}

static double
gen_normal(struct gen *g)
{
	double	 u1 = gen_unif(g), u2 = gen_unif(g);

	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static void
gen_hash(struct gen *g, char out[ING_HASH_LEN + 1])
{
	uint64_t	 a, b, c, save = g->s;

	/* Hashes come from their own sequence, so they never collide. */
	g->s = g->hbase + ++g->nhash * 0x100000001b3ULL;
	a = gen_next(g);
	b = gen_next(g);
	c = gen_next(g);
	g->s = save;
	snprintf(out, ING_HASH_LEN + 1, "0x%016llx%016llx%08llx",
	    (unsigned long long)a, (unsigned long long)b,
	    (unsigned long long)(c & 0xffffffffULL));
}

static size_t
gen_pick(struct gen *g)
{
	double	 x = gen_unif(g) * g->cum[g->nu - 1];
	size_t	 lo = 0, hi = g->nu - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->cum[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
gen_text(struct gen *g, char *out, size_t sz)
{
	size_t	 n = 3 + gen_next(g) % 12, i, len = 0;
	int	 w;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + len, sz - len, "%s%s", i ? " " : "",
		    gen_words[gen_next(g) % (sizeof(gen_words) /
		    sizeof(gen_words[0]))]);
		if (w < 0 || (size_t)w >= sz - len)
			break;
		len += (size_t)w;
	}
}

static int
gen_emit(struct gen *g, struct ing_rec *r)
{
	r->recno = ++g->recno;
	if (r->kind == ING_CAST)
		g->emitted++;
	return g->sink->rec == NULL ? 0 : g->sink->rec(g->arg, r);
}

/* Emits one cast; out gets its hash. */
static int
gen_cast(struct gen *g, int64_t fid, int64_t t, const char *parent,
    int64_t parent_fid, int64_t mention, char out[ING_HASH_LEN + 1])
{
	struct ing_rec	 r;
	char		 text[160];
	int64_t		 m[1];

	memset(&r, 0, sizeof(r));
	r.kind = ING_CAST;
	gen_hash(g, r.u.cast.hash);
	r.u.cast.fid = fid;
	r.u.cast.time = t;
	gen_text(g, text, sizeof(text));
	r.u.cast.text = text;
	if (parent != NULL) {
		memcpy(r.u.cast.parent_hash, parent, ING_HASH_LEN + 1);
		r.u.cast.parent_fid = parent_fid;
	} else	/* from the count, not the generator: same casts as before */
		r.u.cast.parent_url = gen_channels[g->emitted % GEN_NCHANNELS];
	if (mention > 0) {
		m[0] = mention;
		r.u.cast.mentions = m;
		r.u.cast.nmentions = 1;
	}
	memcpy(out, r.u.cast.hash, ING_HASH_LEN + 1);
	return gen_emit(g, &r);
}

static int
gen_remove(struct gen *g, const char *hash, int64_t fid, int64_t t)
{
	struct ing_rec	 r;

	memset(&r, 0, sizeof(r));
	r.kind = ING_CAST_REMOVE;
	memcpy(r.u.remove.hash, hash, ING_HASH_LEN + 1);
	r.u.remove.fid = fid;
	r.u.remove.time = t;
	return gen_emit(g, &r);
}

/* How long user u takes to answer a cast that arrived at t. */
static int64_t
gen_delay(struct gen *g, const struct gen_user *u, int64_t t)
{
	int64_t	 local = t + (int64_t)u->tzoff * 3600;
	int	 hour = (int)((local % 86400 + 86400) % 86400 / 3600);
	double	 d = exp(u->mu + u->sigma * gen_normal(g));

	if (hour < 7)
		d *= 3.0;	/* asleep */
	return (int64_t)d + 1;
}

/* Maybe answers inbound cast c (by author) for user u. */
static int
gen_answer(struct gen *g, const struct gen_user *u, const char *c,
    int64_t author, int64_t t)
{
	char	 h[ING_HASH_LEN + 1];
	int64_t	 ta;

	if (gen_unif(g) >= u->answer)
		return 0;
	ta = t + gen_delay(g, u, t);
	if (ta >= g->end)
		return 0;
	if (gen_cast(g, u->fid, ta, c, author, 0, h) == -1)
		return -1;
	if (gen_unif(g) < 0.01)
		return gen_remove(g, h, u->fid, ta + 60);
	return 0;
}

static int
gen_thread(struct gen *g)
{
	const struct gen_user	*a, *b, *m;
	char			 root[ING_HASH_LEN + 1], c[ING_HASH_LEN + 1];
	int64_t			 t, tr, mention = 0;
	int			 k, i;

	a = &g->u[gen_pick(g)];
	t = g->start + (int64_t)(gen_unif(g) * (double)(g->end - g->start));
	m = &g->u[gen_pick(g)];
	if (gen_unif(g) < 0.2 && m != a)
		mention = m->fid;
	if (gen_cast(g, a->fid, t, NULL, 0, mention, root) == -1)
		return -1;
	if (mention && gen_answer(g, m, root, a->fid, t) == -1)
		return -1;
	k = (int)(gen_next(g) % 3) + (a->weight > 0.2 ? 4 : 1);
	for (i = 0; i < k && g->emitted < g->target; i++) {
		b = &g->u[gen_pick(g)];
		if (b == a)
			continue;
		tr = t + (int64_t)exp(log(1800.0) + 1.2 * gen_normal(g));
		if (tr >= g->end)
			continue;
		if (gen_cast(g, b->fid, tr, root, a->fid,
		    gen_unif(g) < 0.15 ? a->fid : 0, c) == -1)
			return -1;
		if (gen_unif(g) < 0.01 && gen_remove(g, c, b->fid, tr + 30) == -1)
			return -1;
		if (gen_answer(g, a, c, b->fid, tr) == -1)
			return -1;
	}
	return 0;
}

static int
gen_profiles(struct gen *g)
{
	struct ing_rec	 r;
	char		 name[32], disp[48];
	size_t		 i;

	for (i = 0; i < g->nu; i++) {
		memset(&r, 0, sizeof(r));
		r.kind = ING_PROFILE;
		r.u.profile.fid = g->u[i].fid;
		r.u.profile.time = g->start;
		if (g->u[i].fid == GEN_DEMO_FID) {
			snprintf(name, sizeof(name), "demo");
			snprintf(disp, sizeof(disp), "Demo Account");
		} else {
			snprintf(name, sizeof(name), "user%lld",
			    (long long)g->u[i].fid);
			snprintf(disp, sizeof(disp), "User %lld",
			    (long long)g->u[i].fid);
		}
		r.u.profile.username = name;
		r.u.profile.display_name = disp;
		r.u.profile.bio = g->u[i].answer == 0 ?
		    "never replies" : "made up by replycast-ingest --generate";
		if (gen_emit(g, &r) == -1)
			return -1;
	}
	return 0;
}

static void
gen_people(struct gen *g)
{
	struct gen_user	*u;
	double		 sum = 0;
	size_t		 i;

	for (i = 0; i < g->nu; i++) {
		u = &g->u[i];
		u->fid = GEN_DEMO_FID + (int64_t)i;
		u->weight = 1.0 / pow((double)i + 1.0, 0.8);
		u->answer = i % 10 == 7 ? 0.0 : 0.3 + 0.65 * gen_unif(g);
		u->mu = log(300.0 + gen_unif(g) * 14000.0);
		u->sigma = 0.6 + gen_unif(g);
		u->tzoff = gen_tz[gen_next(g) % (sizeof(gen_tz) / sizeof(gen_tz[0]))];
		sum += u->weight;
		g->cum[i] = sum;
	}
	g->u[0].answer = 0.8;
	g->u[0].mu = log(1200.0);
	g->u[0].sigma = 1.2;
}

int
gen_run(uint64_t casts, uint32_t seed, const struct ing_sink *sink, void *arg)
{
	struct gen	 g;
	int		 rc = -1;

	memset(&g, 0, sizeof(g));
	g.s = seed;
	g.target = casts;
	g.sink = sink;
	g.arg = arg;
	g.end = gen_anchor ? gen_anchor : (int64_t)time(NULL) / 86400 * 86400;
	g.start = g.end - GEN_DAYS * 86400;
	g.nu = casts / 150;
	g.nu = g.nu < 30 ? 30 : g.nu > GEN_MAXUSERS ? GEN_MAXUSERS : g.nu;
	g.u = calloc(g.nu, sizeof(*g.u));
	g.cum = calloc(g.nu, sizeof(*g.cum));
	if (g.u == NULL || g.cum == NULL)
		goto out;
	g.hbase = ((uint64_t)seed << 32) ^ (uint64_t)g.end ^ 0x5eed0000ULL;
	gen_people(&g);
	if (gen_profiles(&g) == -1)
		goto out;
	while (g.emitted < g.target)
		if (gen_thread(&g) == -1)
			goto out;
	rc = 0;
out:
	free(g.u);
	free(g.cum);
	return rc;
}
