#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "ing.h"

#define DERIVE_MAX_CASTS	(8u * 1000u * 1000u)	/* about 1 GB: docs/ingest.md */
#define HASH_RAW		ING_HASH_RAW

struct dcast {
	uint8_t		 hash[HASH_RAW];
	uint8_t		 phash[HASH_RAW];
	int64_t		 fid;
	int64_t		 ts;
	int64_t		 pfid;		/* > 0 only with a parent hash */
	uint32_t	 moff;		/* first mention in d->m */
	uint32_t	 fact;		/* first fact in d->ffid */
	uint8_t		 nm;
	uint8_t		 has_parent;
	uint8_t		 deleted;
};

struct drem {
	uint8_t		 hash[HASH_RAW];
	int64_t		 fid;
};

struct derive {
	struct dcast	*c;
	size_t		 n, cap, max;
	int64_t		*m;		/* every cast's mentions */
	size_t		 nm, mcap;
	uint64_t	*slot;		/* open addressing: hash tag << 32 | index + 1 */
	size_t		 nslot;		/* a power of two, > 2 n */
	struct drem	*r;
	size_t		 nr, rcap;
	int64_t		*ffid;		/* per fact: its fid, kind, answer */
	uint8_t		*fkind;
	uint32_t	*fans;		/* answering cast + 1, 0: none */
	size_t		 nfacts;
	size_t		 it_c, it_f;	/* derive_next's place */
	int		 on;
};

struct derive *
derive_new(size_t max)
{
	struct derive	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->max = max == 0 || max > DERIVE_MAX_CASTS ? DERIVE_MAX_CASTS : max;
	d->on = 1;
	return d;
}

static void
derive_drop(struct derive *d)
{
	free(d->c);
	free(d->m);
	free(d->slot);
	free(d->r);
	free(d->ffid);
	free(d->fkind);
	free(d->fans);
	d->c = NULL;
	d->m = NULL;
	d->slot = NULL;
	d->r = NULL;
	d->ffid = NULL;
	d->fkind = NULL;
	d->fans = NULL;
	d->n = d->cap = d->nm = d->mcap = d->nslot = d->nr = d->rcap = 0;
	d->nfacts = 0;
}

void
derive_free(struct derive *d)
{
	if (d == NULL)
		return;
	derive_drop(d);
	free(d);
}

/* Off for good: the memory goes at once, the SQL derivation does the work. */
static void
derive_off(struct derive *d)
{
	d->on = 0;
	derive_drop(d);
}

int
derive_on(const struct derive *d)
{
	return d != NULL && d->on;
}

/* Grows *p (elements of size sz) to hold need; -1 when out of memory. */
static int
derive_grow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t	 n = *cap == 0 ? 1024 : *cap;
	void	*q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / sz || (q = realloc(*p, n * sz)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Cast hashes come from a hash function: mixing their first bytes is enough. */
static uint64_t
derive_hashval(const uint8_t *h)
{
	uint64_t	 v;

	memcpy(&v, h, sizeof(v));
	v ^= v >> 31;
	return v * 0x9e3779b97f4a7c15ULL;
}

/*
 * The slot holding hash h, or the empty one where it would go.  The tag
 * (the value's top half) spares most mismatches a visit to the cast.
 */
static uint64_t *
derive_slot(const struct derive *d, const uint8_t *h)
{
	uint64_t	 v = derive_hashval(h), tag = v >> 32;
	size_t		 i = (size_t)v & (d->nslot - 1);

	while (d->slot[i] != 0 && ((d->slot[i] >> 32) != tag ||
	    memcmp(d->c[(uint32_t)d->slot[i] - 1].hash, h, HASH_RAW) != 0))
		i = (i + 1) & (d->nslot - 1);
	return &d->slot[i];
}

static void
derive_put(uint64_t *s, const uint8_t *h, size_t i)
{
	*s = (derive_hashval(h) >> 32) << 32 | (uint32_t)(i + 1);
}

static int
derive_rehash(struct derive *d)
{
	size_t		 n = d->nslot == 0 ? 4096 : d->nslot * 2, i;
	uint64_t	*s;

	if ((s = calloc(n, sizeof(*s))) == NULL)
		return -1;
	free(d->slot);
	d->slot = s;
	d->nslot = n;
	for (i = 0; i < d->n; i++)
		derive_put(derive_slot(d, d->c[i].hash), d->c[i].hash, i);
	return 0;
}

/* The cast with hash h: its index + 1, 0 when none. */
static uint32_t
derive_index(const struct derive *d, const uint8_t *h)
{
	return d->nslot == 0 ? 0 : (uint32_t)*derive_slot(d, h);
}

void
derive_cast(struct derive *d, const struct ing_cast *ic)
{
	struct dcast	 c;
	uint64_t	*s;

	if (!derive_on(d))
		return;
	memset(&c, 0, sizeof(c));
	if (d->n >= d->max || ic->nmentions > ING_MAX_MENTIONS ||
	    ing_hash_raw(ic->hash, c.hash) == -1 ||
	    (ic->parent_hash[0] != '\0' &&
	    ing_hash_raw(ic->parent_hash, c.phash) == -1))
		goto off;
	if ((d->n + 1) * 2 > d->nslot && derive_rehash(d) == -1)
		goto off;
	if (*(s = derive_slot(d, c.hash)) != 0)
		return;		/* the server keeps the first */
	if (derive_grow((void **)&d->c, &d->cap, d->n + 1, sizeof(c)) == -1 ||
	    derive_grow((void **)&d->m, &d->mcap, d->nm + ic->nmentions,
	    sizeof(int64_t)) == -1)
		goto off;
	c.fid = ic->fid;
	c.ts = ic->time;
	c.has_parent = ic->parent_hash[0] != '\0';
	c.pfid = c.has_parent && ic->parent_fid > 0 ? ic->parent_fid : 0;
	c.moff = (uint32_t)d->nm;
	c.nm = (uint8_t)ic->nmentions;
	if (ic->nmentions > 0)
		memcpy(d->m + d->nm, ic->mentions, ic->nmentions *
		    sizeof(int64_t));
	d->nm += ic->nmentions;
	d->c[d->n] = c;
	derive_put(s, c.hash, d->n++);
	return;
off:
	derive_off(d);
}

void
derive_remove(struct derive *d, const struct ing_remove *ir)
{
	struct drem	 r;

	if (!derive_on(d))
		return;
	memset(&r, 0, sizeof(r));
	if (ing_hash_raw(ir->hash, r.hash) == -1 ||
	    derive_grow((void **)&d->r, &d->rcap, d->nr + 1, sizeof(r)) == -1) {
		derive_off(d);
		return;
	}
	r.fid = ir->fid;
	d->r[d->nr++] = r;
}

static const struct dcast *
derive_find(const struct derive *d, const uint8_t *h)
{
	uint32_t	 i = derive_index(d, h);

	return i == 0 ? NULL : &d->c[i - 1];
}

static int
drem_cmp(const void *a, const void *b)
{
	const struct drem	*x = a, *y = b;
	int			 c = memcmp(x->hash, y->hash, HASH_RAW);

	return c != 0 ? c : (x->fid > y->fid) - (x->fid < y->fid);
}

/* The removals as the server keeps them (one per hash and fid); marks casts. */
static void
derive_removals(struct derive *d)
{
	size_t		 i, k = 0;
	uint32_t	 ci;

	if (d->nr > 0)
		qsort(d->r, d->nr, sizeof(d->r[0]), drem_cmp);
	for (i = 0; i < d->nr; i++) {
		if (k > 0 && drem_cmp(&d->r[k - 1], &d->r[i]) == 0)
			continue;
		d->r[k++] = d->r[i];
		if ((ci = derive_index(d, d->r[i].hash)) != 0 &&
		    d->c[ci - 1].fid == d->r[i].fid)
			d->c[ci - 1].deleted = 1;
	}
	d->nr = k;
}

static int
derive_mentions(const struct derive *d, const struct dcast *c, int64_t fid)
{
	size_t	 i;

	for (i = 0; i < c->nm; i++)
		if (d->m[c->moff + i] == fid)
			return 1;
	return 0;
}

/*
 * The facts of cast c, as rc_bulk_derive: a reply to someone else's
 * cast (kind 3 when it also mentions them), then each mention of someone
 * else that is not that parent.  Writes them when kind is not NULL.
 */
static size_t
derive_facts_of(const struct derive *d, const struct dcast *c, int64_t *fid,
    uint8_t *kind)
{
	size_t	 n = 0, i;
	int64_t	 m;

	if (c->pfid > 0 && c->pfid != c->fid) {
		if (kind != NULL) {
			fid[n] = c->pfid;
			kind[n] = derive_mentions(d, c, c->pfid) ? 3 : 1;
		}
		n++;
	}
	for (i = 0; i < c->nm; i++) {
		m = d->m[c->moff + i];
		if (m == c->fid || (c->pfid > 0 && m == c->pfid))
			continue;
		if (kind != NULL) {
			fid[n] = m;
			kind[n] = 2;
		}
		n++;
	}
	return n;
}

/* Whether reply a comes before b: (ts, hash) as ORDER BY r.ts, r.hash. */
static int
derive_before(const struct dcast *a, const struct dcast *b)
{
	return a->ts != b->ts ? a->ts < b->ts :
	    memcmp(a->hash, b->hash, HASH_RAW) < 0;
}

/* Each fact's answer: its user's earliest kept reply at or after it. */
static int
derive_answers(struct derive *d)
{
	const struct dcast	*r, *p;
	size_t			 i, k;

	for (i = 0; i < d->n; i++) {
		r = &d->c[i];
		if (!r->has_parent || r->deleted ||
		    (p = derive_find(d, r->phash)) == NULL || r->ts < p->ts)
			continue;
		for (k = p->fact; k < (&p[1] == d->c + d->n ? d->nfacts :
		    p[1].fact); k++) {
			if (d->ffid[k] != r->fid)
				continue;
			if (r->ts - p->ts > INT32_MAX)
				return -1;	/* the SQL's integer would refuse it */
			if (d->fans[k] == 0 ||
			    derive_before(r, &d->c[d->fans[k] - 1]))
				d->fans[k] = (uint32_t)i + 1;
		}
	}
	return 0;
}

int
derive_finish(struct derive *d)
{
	size_t	 i, n = 0;

	if (!derive_on(d))
		return -1;
	derive_removals(d);
	for (i = 0; i < d->n; i++) {
		d->c[i].fact = (uint32_t)n;
		n += derive_facts_of(d, &d->c[i], NULL, NULL);
		if (n > UINT32_MAX)
			goto off;
	}
	if ((d->ffid = calloc(n + 1, sizeof(*d->ffid))) == NULL ||
	    (d->fkind = calloc(n + 1, 1)) == NULL ||
	    (d->fans = calloc(n + 1, sizeof(*d->fans))) == NULL)
		goto off;
	d->nfacts = n;
	for (i = 0; i < d->n; i++)
		derive_facts_of(d, &d->c[i], d->ffid + d->c[i].fact,
		    d->fkind + d->c[i].fact);
	if (derive_answers(d) == -1)
		goto off;
	d->it_c = d->it_f = 0;
	return 0;
off:
	derive_off(d);
	return -1;
}

static int
fid_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Adds fid to the open-addressing set s (nset slots, a power of two; 0 empty). */
static void
fid_add(int64_t *s, size_t nset, int64_t fid, size_t *n)
{
	size_t	 i = (size_t)(((uint64_t)fid * 0x9e3779b97f4a7c15ULL) >> 32) &
	    (nset - 1);

	while (s[i] != 0 && s[i] != fid)
		i = (i + 1) & (nset - 1);
	if (s[i] == 0) {
		s[i] = fid;
		(*n)++;
	}
}

long
derive_fids(const struct derive *d, int64_t **fids)
{
	int64_t	*set, *out;
	size_t	 nset = 1024, i, n = 0, k = 0;

	*fids = NULL;
	/* Fids are far fewer than casts: grow the set when half full. */
	for (;;) {
		if ((set = calloc(nset, sizeof(*set))) == NULL)
			return -1;
		n = 0;
		for (i = 0; i < d->n && n < nset / 2; i++)
			fid_add(set, nset, d->c[i].fid, &n);
		for (i = 0; i < d->nfacts && n < nset / 2; i++)
			fid_add(set, nset, d->ffid[i], &n);
		if (n < nset / 2)
			break;
		free(set);
		nset *= 4;
	}
	if ((out = malloc((n + 1) * sizeof(*out))) == NULL) {
		free(set);
		return -1;
	}
	for (i = 0; i < nset; i++)
		if (set[i] != 0)
			out[k++] = set[i];
	free(set);
	qsort(out, k, sizeof(*out), fid_cmp);
	*fids = out;
	return (long)k;
}

int
derive_next(struct derive *d, struct derive_fact *f)
{
	const struct dcast	*c, *a;
	size_t			 end;

	while (d->on && d->it_c < d->n) {
		c = &d->c[d->it_c];
		end = d->it_c + 1 < d->n ? c[1].fact : d->nfacts;
		if (c->fact + d->it_f >= end) {
			d->it_c++;
			d->it_f = 0;
			continue;
		}
		end = c->fact + d->it_f++;
		f->fid = d->ffid[end];
		f->hash = c->hash;
		f->author = c->fid;
		f->ts = c->ts;
		f->kind = d->fkind[end];
		f->deleted = c->deleted;
		a = d->fans[end] == 0 ? NULL : &d->c[d->fans[end] - 1];
		f->answer = a != NULL ? a->hash : NULL;
		f->answered_at = a != NULL ? a->ts : 0;
		f->rt = a != NULL ? (int32_t)(a->ts - c->ts) : 0;
		return 1;
	}
	return 0;
}
