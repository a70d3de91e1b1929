#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/db.h"
#include "facts_int.h"

/*
 * An entry older than this is loaded again even when its version still
 * matches: its authors' profiles change without bumping the viewer's
 * version.  (A Redis that lost its counters starts them from the clock,
 * gate.c, so a version once held never comes back.)
 */
#define FACTS_MAX_AGE_MS	(300 * 1000LL)
#define FACTS_MIN_BUCKETS	256

/*
 * glibc raises its mmap threshold to the largest block freed, up to 32
 * MiB; from then on entries' arrays land in the heap, where an evicted one
 * leaves a hole that stays resident.  A fixed threshold keeps each large
 * block in a mapping of its own, handed back when freed; the small ones
 * left in the heap are handed back by malloc_trim (facts_trim) once
 * evictions have freed FACTS_TRIM_BYTES.
 */
#define FACTS_MMAP_MIN		(128 * 1024)
#define FACTS_TRIM_BYTES	(1024 * 1024)

struct facts_cache {
	struct facts_ent	**bucket;	/* chains by fid */
	size_t			 nbucket;	/* a power of two */
	struct facts_ent	*head, *tail;	/* LRU */
	void			*scratch;	/* see facts_scratch */
	size_t			 scratch_cap;	/* its usable bytes */
	size_t			 dropped;	/* bytes evicted since the last trim */
	struct facts_stats	 st;
};

/*
 * $1 fid, $2 zone or NULL for the user's own.  The filters and settings
 * are those of eng.c's windowed head.  What needs the zone database is
 * computed here, once per load: each time as local wall-clock seconds
 * (day, weekday and hour follow from it), working seconds, and the local
 * midnight two days after an answer's local day (the streak).  Rows of
 * kind 0 are the facts by time; kind 1 the profiles of their authors;
 * kind 2 the channels (parent_url, from casts by hash) in the order of the
 * facts' channel index, with their names and the user's goals for them.
 * Every fact row carries the number of facts and of answered ones, so
 * that the first row sizes the entry: the rows are taken one at a time
 * (db_each), never held as one result.
 * date_part, not extract: a float8 instead of a slow numeric.
 */
static const struct db_stmt facts_stmt_load = { "facts_load",
	"WITH s AS (SELECT coalesce($2::text, u.tz, 'UTC') AS tz,"
	" coalesce(u.goal_seconds, 3600) AS goal,"
	" coalesce(u.muted, '{}') AS muted, coalesce(u.work_days, 0) AS wd,"
	" coalesce(u.work_start, 540) AS ws, coalesce(u.work_end, 1020) AS we,"
	ENG_DEF_COLS
	" FROM (SELECT 1) AS one LEFT JOIN user_settings u ON u.fid = $1::bigint),"
	" i0 AS (SELECT i.ts, " ENG_DEF_AAT("i", "s") " AS answered_at,"
	" i.author_fid, i.kind, " ENG_DEF_RT("i", "s") " AS rt, i.hash,"
	" " ENG_CHANNEL " AS url"
	" FROM s CROSS JOIN inbound i" ENG_DEF_JOIN("i", "s")
	" WHERE i.fid = $1::bigint AND NOT i.deleted"
	" AND i.author_fid <> ALL (s.muted) AND " ENG_DEF_KEEP("i", "s") "),"
	" i AS (SELECT i0.*, i0.ts AT TIME ZONE s.tz AS lt,"
	" i0.answered_at AT TIME ZONE s.tz AS la FROM i0, s),"
	" ak AS (SELECT CASE WHEN s.likes THEN (SELECT count(*)" ENG_DEF_OPEN("o", "s2")
	" AND " ENG_DEF_ACK("o", "s2") ") ELSE 0 END AS n FROM s)"
	" SELECT s.tz, s.goal, s.wd, 0 AS k,"
	" floor(date_part('epoch', i.ts))::bigint AS t, i.rt,"
	" CASE WHEN s.wd <> 0 AND i.rt IS NOT NULL THEN"
	"  rc_work_seconds(i.ts, i.answered_at, s.tz, s.wd, s.ws, s.we) END,"
	" i.author_fid, i.kind, floor(date_part('epoch', i.lt))::bigint,"
	" floor(date_part('epoch', i.answered_at))::bigint,"
	" floor(date_part('epoch', i.la))::bigint,"
	" floor(date_part('epoch',"
	"  (i.la::date + 2)::timestamp AT TIME ZONE s.tz))::bigint,"
	" NULL::text, NULL::text, NULL::text,"
	" dense_rank() OVER (ORDER BY i.url NULLS FIRST) - 1,"
	" s.thr, s.likes, s.excl, s.dv, ak.n,"
	" count(i.ts) OVER (), count(i.answered_at) OVER ()"
	" FROM s CROSS JOIN ak LEFT JOIN i ON true"
	" UNION ALL SELECT NULL, NULL, NULL, 1, NULL, NULL, NULL, p.fid, NULL,"
	" NULL, NULL, NULL, NULL, p.username, p.display_name, p.pfp_url, NULL,"
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL"
	" FROM profiles p WHERE p.fid IN (SELECT author_fid FROM i)"
	" UNION ALL SELECT NULL, g.goal_seconds, NULL, 2,"
	" row_number() OVER (ORDER BY x.url NULLS FIRST) - 1, NULL, NULL, NULL,"
	" NULL, NULL, NULL, NULL, NULL, x.url, rc_channel_name(x.url), NULL, NULL,"
	" NULL, NULL, NULL, NULL, NULL, NULL, NULL"
	" FROM (SELECT DISTINCT url FROM i) x LEFT JOIN user_channel_goals g"
	" ON g.fid = $1::bigint AND g.parent_url = x.url"
	" ORDER BY k, t", 2, 1 };

enum facts_col {
	FC_TZ, FC_GOAL, FC_WD, FC_K, FC_TS, FC_RT, FC_WORK, FC_AUTHOR, FC_KIND,
	FC_LT, FC_AAT, FC_LA, FC_AHZ, FC_USERNAME, FC_DISPLAY, FC_PFP, FC_CHAN,
	FC_THREAD, FC_LIKES, FC_EXCL, FC_DEFV, FC_ACKED, FC_N, FC_NA,
	FC__MAX
};

static const char *const facts_rc_names[FACTS__MAX] = {
	"ok", "noversion", "toobig", "nomem", "dberr", "unsupported", "off",
};

const char *
facts_rc_name(enum facts_rc rc)
{
	return (unsigned)rc < FACTS__MAX ? facts_rc_names[rc] : "unknown";
}

int
facts_cache_open(long mb, struct facts_cache **out)
{
	*out = NULL;
	if (mb <= 0)
		return 0;
	mallopt(M_MMAP_THRESHOLD, FACTS_MMAP_MIN);
	*out = facts_cache_new((size_t)mb << 20);
	return *out == NULL ? -1 : 0;
}

struct facts_cache *
facts_cache_new(size_t bytes)
{
	struct facts_cache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->bucket = calloc(FACTS_MIN_BUCKETS, sizeof(*c->bucket))) == NULL) {
		free(c);
		return NULL;
	}
	c->nbucket = FACTS_MIN_BUCKETS;
	c->st.budget = bytes;
	return c;
}

/* Frees an entry's facts, keeping its key. */
static void
facts_ent_clear(struct facts_ent *e)
{
	free(e->block);
	free(e->blob);
	free(e->auth);
	free(e->chans);
	e->block = NULL;
	e->blob = NULL;
	e->auth = NULL;
	e->chans = NULL;
	e->n = e->na = e->nauth = e->nchan = 0;
	e->unreplied = 0;
}

static void
facts_ent_free(struct facts_ent *e)
{
	if (e == NULL)
		return;
	facts_ent_clear(e);
	free(e->qtz);
	free(e);
}

/* What malloc holds for p: its usable size and its chunk's header. */
static size_t
facts_held_by(const void *p)
{
	return p == NULL ? 0 : malloc_usable_size((void *)p) + sizeof(size_t);
}

/*
 * An entry's bytes as malloc holds them, headers and rounding (a page for
 * a mapped block) included: the budget bounds the process's memory, not
 * only what the arrays need.
 */
static size_t
facts_ent_bytes(const struct facts_ent *e)
{
	return facts_held_by(e) + facts_held_by(e->qtz) +
	    facts_held_by(e->block) + facts_held_by(e->blob) +
	    facts_held_by(e->auth) + facts_held_by(e->chans);
}

void
facts_cache_free(struct facts_cache *c)
{
	struct facts_ent	*e, *next;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		facts_ent_free(e);
	}
	free(c->scratch);
	free(c->bucket);
	free(c);
}

void
facts_cache_stats(const struct facts_cache *c, struct facts_stats *st)
{
	*st = c->st;
}

static size_t
facts_slot(const struct facts_cache *c, int64_t fid)
{
	uint64_t	 h = (uint64_t)fid * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (c->nbucket - 1);
}

static void
facts_unlink(struct facts_cache *c, struct facts_ent *e)
{
	struct facts_ent	**pp;

	for (pp = &c->bucket[facts_slot(c, e->fid)]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	c->st.bytes -= e->bytes;
	c->st.entries--;
}

static void
facts_drop(struct facts_cache *c, struct facts_ent *e)
{
	c->dropped += e->bytes;
	facts_unlink(c, e);
	facts_ent_free(e);
	c->st.evictions++;
}

/*
 * Hands what evictions freed in the heap back to the system before the
 * memory that replaces it is allocated: freed heap stays resident, and a
 * new large block is a mapping of its own.
 */
static void
facts_trim(struct facts_cache *c)
{
	if (c->dropped < FACTS_TRIM_BYTES)
		return;
	malloc_trim(0);
	c->dropped = 0;
}

static void
facts_to_front(struct facts_cache *c, struct facts_ent *e)
{
	if (c->head == e)
		return;
	e->prev->next = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = NULL;
	e->next = c->head;
	c->head->prev = e;
	c->head = e;
}

/* Doubles the table when it holds more entries than chains; best effort. */
static void
facts_grow(struct facts_cache *c)
{
	struct facts_ent	**nb, *e;
	size_t			 n = c->nbucket * 2, i;

	if (c->st.entries < c->nbucket || n > SIZE_MAX / sizeof(*nb) ||
	    (nb = calloc(n, sizeof(*nb))) == NULL)
		return;
	free(c->bucket);
	c->bucket = nb;
	c->nbucket = n;
	for (e = c->head; e != NULL; e = e->next) {
		i = facts_slot(c, e->fid);
		e->hnext = nb[i];
		nb[i] = e;
	}
}

/* Makes room for e (which fits the budget) and links it first. */
static void
facts_insert(struct facts_cache *c, struct facts_ent *e)
{
	size_t	 i;

	while (c->tail != NULL &&
	    c->st.bytes + e->bytes > c->st.budget)
		facts_drop(c, c->tail);
	facts_trim(c);
	facts_grow(c);
	i = facts_slot(c, e->fid);
	e->hnext = c->bucket[i];
	c->bucket[i] = e;
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	else
		c->tail = e;
	c->head = e;
	c->st.bytes += e->bytes;
	c->st.entries++;
}

static int
facts_same_tz(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The fresh entry for the key; drops, on the way, the fid's entries for
 * the same zone at another version (never asked again) and stale ones.
 */
static struct facts_ent *
facts_find(struct facts_cache *c, const struct eng_q *q, long long version)
{
	struct facts_ent	*e, *next, *found = NULL;
	long long		 now = clock_mono_ms();

	for (e = c->bucket[facts_slot(c, q->fid)]; e != NULL; e = next) {
		next = e->hnext;
		if (e->fid != q->fid || !facts_same_tz(e->qtz, q->tz))
			continue;
		if (e->version == version && now - e->loaded_ms < FACTS_MAX_AGE_MS)
			found = e;
		else
			facts_drop(c, e);
	}
	return found;
}

long long
facts_held(struct facts_cache *c, const struct eng_q *q, long long version)
{
	struct facts_ent	*e;

	if (c == NULL || (e = facts_find(c, q, version)) == NULL ||
	    e->too_big)
		return -1;
	return (long long)e->n;
}

static int64_t
facts_ll(const PGresult *r, int col)
{
	return strtoll(PQgetvalue(r, 0, col), NULL, 10);
}

static int
facts_i64_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Local wall-clock seconds to the local day and (ISO weekday - 1) * 24 + hour. */
static void
facts_local(int64_t le, int32_t *day, uint8_t *how)
{
	int64_t	 d = le >= 0 ? le / 86400 : -((-le + 86399) / 86400);

	*day = (int32_t)d;
	*how = (uint8_t)((((d % 7) + 7 + 3) % 7) * 24 + (le - d * 86400) / 3600);
}

/*
 * Carves the arrays out of one block, widest first so each is aligned;
 * returns the block's size, or 0 when it would overflow.
 */
static size_t
facts_layout(struct facts_ent *e, char *base)
{
	size_t	 n = e->n, na = e->na, off = 0, per, aper;

	per = sizeof(int64_t) + (e->wd ? sizeof(double) : 0) +
	    sizeof(int32_t) * 2 + sizeof(uint32_t) * 2 + 2;
	aper = sizeof(int64_t) * 2 + sizeof(int32_t);
	if (n > (SIZE_MAX / 4) / per || na > (SIZE_MAX / 4) / aper)
		return 0;
#define FACTS_CARVE(f, cnt) do {					\
	if (base != NULL)						\
		e->f = (void *)(base + off);				\
	off += (cnt) * sizeof(*e->f);					\
} while (0)
	FACTS_CARVE(ts, n);
	FACTS_CARVE(aat, na);
	FACTS_CARVE(ahz, na);
	if (e->wd)
		FACTS_CARVE(work, n);
	FACTS_CARVE(rt, n);
	FACTS_CARVE(day, n);
	FACTS_CARVE(aday, na);
	FACTS_CARVE(author, n);
	FACTS_CARVE(chan, n);
	FACTS_CARVE(kind, n);
	FACTS_CARVE(how, n);
#undef FACTS_CARVE
	return off == 0 ? 1 : off;
}

static uint32_t
facts_author_index(const struct facts_ent *e, int64_t fid)
{
	size_t	 lo = 0, hi = e->nauth, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->auth[mid].fid < fid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

struct facts_ans {
	int64_t	 at, hz;
	int32_t	 day;
};

static int
facts_ans_cmp(const void *a, const void *b)
{
	const struct facts_ans	*x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->day > y->day) - (x->day < y->day);
}

/* A string's offset in the blob being built; FACTS_NOSTR: SQL NULL. */
#define FACTS_NOSTR	SIZE_MAX
#define FACTS_AUTH_STRS	3	/* username, display name, avatar */
#define FACTS_CHAN_STRS	2	/* url, name */

/*
 * A load in progress, fed one row at a time.  The first row sizes the
 * block; each row's author fid waits in afid until the author table can
 * be built (the first profile row, or the end), each answer in ans until
 * they are sorted by time.  Strings go to one growing blob, by offset,
 * and are pointed at once it stops moving.
 */
struct facts_read {
	struct facts_cache	*c;
	struct facts_ent	*e;
	int			 head;		/* the first row was taken */
	size_t			 rows;		/* fact rows taken */
	size_t			 nans;		/* answered ones */
	int64_t			*afid;		/* n: each row's author */
	struct facts_ans	*ans;		/* na */
	int			 authors;	/* the author table is built */
	size_t			*aoff;		/* nauth x FACTS_AUTH_STRS */
	size_t			*coff;		/* nchan x FACTS_CHAN_STRS */
	size_t			 tzoff;
	char			*blob;
	size_t			 blen, bcap;
	size_t			 bytes0;	/* e->bytes before the rows */
	size_t			 held;		/* bytes the load holds now */
	enum facts_rc		 rc;		/* why the rows were refused */
};

/* Frees the load's scratch: what the entry does not keep. */
static void
facts_read_free(struct facts_read *rd)
{
	free(rd->afid);
	free(rd->ans);
	free(rd->aoff);
	free(rd->coff);
	free(rd->blob);
	rd->afid = NULL;
	rd->ans = NULL;
	rd->aoff = rd->coff = NULL;
	rd->blob = NULL;
	rd->blen = rd->bcap = 0;
}

/* Drops what a load took, to start over; keeps e's key. */
static void
facts_read_reset(struct facts_read *rd)
{
	facts_read_free(rd);
	facts_ent_clear(rd->e);
	rd->e->bytes = rd->held = rd->bytes0;
	rd->head = rd->authors = 0;
	rd->rows = rd->nans = 0;
	rd->rc = FACTS_OK;
}

/*
 * The load is about to hold b more bytes: least recently used entries go
 * until the entries and the load fit the budget together, so that a load
 * into a full cache does not take the process past it.
 */
static void
facts_read_hold(struct facts_read *rd, size_t b)
{
	struct facts_cache	*c = rd->c;

	rd->held += b;
	while (c->tail != NULL && c->st.bytes + rd->held > c->st.budget)
		facts_drop(c, c->tail);
	facts_trim(c);
	if (c->st.bytes + rd->held > c->st.peak)
		c->st.peak = c->st.bytes + rd->held;
}

/* Appends column col of row r to the blob; its offset, or FACTS_NOSTR. */
static int
facts_read_str(struct facts_read *rd, const PGresult *r, int col, size_t *off)
{
	size_t	 len, cap;
	char	*nb;

	*off = FACTS_NOSTR;
	if (PQgetisnull(r, 0, col))
		return 0;
	len = (size_t)PQgetlength(r, 0, col);
	if (len >= SIZE_MAX / 4 - rd->blen)
		return -1;
	if (rd->blen + len + 1 > rd->bcap) {
		cap = rd->bcap ? rd->bcap : 256;
		while (cap < rd->blen + len + 1)
			cap *= 2;
		facts_read_hold(rd, cap - rd->bcap);
		if ((nb = realloc(rd->blob, cap)) == NULL)
			return -1;
		rd->blob = nb;
		rd->bcap = cap;
	}
	memcpy(rd->blob + rd->blen, PQgetvalue(r, 0, col), len);
	rd->blob[rd->blen + len] = '\0';
	*off = rd->blen;
	rd->blen += len + 1;
	return 0;
}

/*
 * The first row: the settings, the zone, and the sizes of the arrays,
 * made room for before they are allocated.
 */
static enum facts_rc
facts_read_head(struct facts_read *rd, const PGresult *r)
{
	struct facts_ent	*e = rd->e;
	size_t			 block;
	long long		 n, na;

	if (PQnfields(r) != FC__MAX || facts_ll(r, FC_K) != 0)
		return FACTS_DBERR;
	rd->head = 1;
	e->goal = (int)facts_ll(r, FC_GOAL);
	e->wd = (int)facts_ll(r, FC_WD);
	e->def.thread = *PQgetvalue(r, 0, FC_THREAD) == 't';
	e->def.likes = *PQgetvalue(r, 0, FC_LIKES) == 't';
	e->def.excluded = *PQgetvalue(r, 0, FC_EXCL) == 't';
	e->def.version = facts_ll(r, FC_DEFV);
	e->acked = facts_ll(r, FC_ACKED);
	n = facts_ll(r, FC_N);
	na = facts_ll(r, FC_NA);
	if (n < 0 || na < 0 || na > n)
		return FACTS_DBERR;
	if ((unsigned long long)n > SIZE_MAX / 4)
		return FACTS_TOOBIG;
	e->n = (size_t)n;
	e->na = (size_t)na;
	if (facts_read_str(rd, r, FC_TZ, &rd->tzoff) == -1)
		return FACTS_NOMEM;
	if ((block = facts_layout(e, NULL)) == 0 ||
	    block > rd->c->st.budget - e->bytes)
		return FACTS_TOOBIG;
	facts_read_hold(rd, block + e->n * sizeof(*rd->afid) +
	    e->na * sizeof(*rd->ans));
	if ((e->block = malloc(block)) == NULL ||
	    (rd->afid = malloc(e->n ? e->n * sizeof(*rd->afid) : 1)) == NULL ||
	    (rd->ans = malloc(e->na ? e->na * sizeof(*rd->ans) : 1)) == NULL)
		return FACTS_NOMEM;
	facts_layout(e, e->block);
	e->bytes += block;
	e->day_mono = e->aday_mono = 1;
	return FACTS_OK;
}

static enum facts_rc
facts_read_fact(struct facts_read *rd, const PGresult *r)
{
	struct facts_ent	*e = rd->e;
	struct facts_ans	*a;
	size_t			 i = rd->rows;
	long long		 ch;
	uint8_t			 how;

	if (i >= e->n || rd->authors)
		return FACTS_DBERR;
	rd->rows++;
	e->ts[i] = facts_ll(r, FC_TS);
	e->rt[i] = PQgetisnull(r, 0, FC_RT) ? FACTS_NONE :
	    (int32_t)facts_ll(r, FC_RT);
	if (e->wd)
		e->work[i] = PQgetisnull(r, 0, FC_WORK) ? NAN :
		    strtod(PQgetvalue(r, 0, FC_WORK), NULL);
	rd->afid[i] = facts_ll(r, FC_AUTHOR);
	e->kind[i] = (uint8_t)facts_ll(r, FC_KIND);
	ch = facts_ll(r, FC_CHAN);
	if (ch < 0 || ch >= UINT32_MAX)
		return FACTS_DBERR;
	e->chan[i] = (uint32_t)ch;
	if ((size_t)ch >= e->nchan)
		e->nchan = (size_t)ch + 1;
	facts_local(facts_ll(r, FC_LT), &e->day[i], &e->how[i]);
	if (i > 0 && e->day[i] < e->day[i - 1])
		e->day_mono = 0;
	if (PQgetisnull(r, 0, FC_AAT)) {
		e->unreplied++;
		return FACTS_OK;
	}
	if (rd->nans >= e->na)
		return FACTS_DBERR;
	a = &rd->ans[rd->nans++];
	a->at = facts_ll(r, FC_AAT);
	facts_local(facts_ll(r, FC_LA), &a->day, &how);
	a->hz = facts_ll(r, FC_AHZ);
	return FACTS_OK;
}

/*
 * After the last fact row: the distinct authors by fid, each row pointed
 * at its own, and the channel table (its rows come last).
 */
static enum facts_rc
facts_read_tables(struct facts_read *rd)
{
	struct facts_ent	*e = rd->e;
	int64_t			*fids;
	size_t			 k, m = 0;

	rd->authors = 1;
	if (rd->rows != e->n || rd->nans != e->na)
		return FACTS_DBERR;
	facts_read_hold(rd, e->n * sizeof(*fids));
	if ((fids = malloc(e->n ? e->n * sizeof(*fids) : 1)) == NULL)
		return FACTS_NOMEM;
	if (e->n > 0)
		memcpy(fids, rd->afid, e->n * sizeof(*fids));
	qsort(fids, e->n, sizeof(*fids), facts_i64_cmp);
	for (k = 0; k < e->n; k++)
		if (k == 0 || fids[k] != fids[k - 1])
			fids[m++] = fids[k];
	e->nauth = m;
	facts_read_hold(rd, e->nauth * (sizeof(*e->auth) +
	    FACTS_AUTH_STRS * sizeof(*rd->aoff)) +
	    e->nchan * (sizeof(*e->chans) + FACTS_CHAN_STRS * sizeof(*rd->coff)));
	if ((e->nauth > 0 &&
	    (e->auth = calloc(e->nauth, sizeof(*e->auth))) == NULL) ||
	    (e->nchan > 0 &&
	    (e->chans = calloc(e->nchan, sizeof(*e->chans))) == NULL) ||
	    (rd->aoff = malloc((e->nauth ? e->nauth : 1) * FACTS_AUTH_STRS *
	    sizeof(*rd->aoff))) == NULL ||
	    (rd->coff = malloc((e->nchan ? e->nchan : 1) * FACTS_CHAN_STRS *
	    sizeof(*rd->coff))) == NULL) {
		free(fids);
		return FACTS_NOMEM;
	}
	for (k = 0; k < e->nauth; k++)
		e->auth[k].fid = fids[k];
	free(fids);
	for (k = 0; k < e->nauth * FACTS_AUTH_STRS; k++)
		rd->aoff[k] = FACTS_NOSTR;
	for (k = 0; k < e->nchan * FACTS_CHAN_STRS; k++)
		rd->coff[k] = FACTS_NOSTR;
	for (k = 0; k < e->n; k++)
		e->author[k] = facts_author_index(e, rd->afid[k]);
	free(rd->afid);
	rd->afid = NULL;
	rd->held -= 2 * e->n * sizeof(*fids);
	return FACTS_OK;
}

static enum facts_rc
facts_read_profile(struct facts_read *rd, const PGresult *r)
{
	struct facts_ent	*e = rd->e;
	size_t			*off;
	uint32_t		 k;

	k = facts_author_index(e, facts_ll(r, FC_AUTHOR));
	if (k >= e->nauth)
		return FACTS_OK;
	off = &rd->aoff[(size_t)k * FACTS_AUTH_STRS];
	if (facts_read_str(rd, r, FC_USERNAME, &off[0]) == -1 ||
	    facts_read_str(rd, r, FC_DISPLAY, &off[1]) == -1 ||
	    facts_read_str(rd, r, FC_PFP, &off[2]) == -1)
		return FACTS_NOMEM;
	return FACTS_OK;
}

/* A channel by its rank (the FC_TS column). */
static enum facts_rc
facts_read_chan(struct facts_read *rd, const PGresult *r)
{
	struct facts_ent	*e = rd->e;
	size_t			*off;
	long long		 k;

	k = facts_ll(r, FC_TS);
	if (k < 0 || (size_t)k >= e->nchan)
		return FACTS_OK;
	e->chans[k].goal = PQgetisnull(r, 0, FC_GOAL) ? 0 :
	    (int)facts_ll(r, FC_GOAL);
	off = &rd->coff[(size_t)k * FACTS_CHAN_STRS];
	if (facts_read_str(rd, r, FC_USERNAME, &off[0]) == -1 ||
	    facts_read_str(rd, r, FC_DISPLAY, &off[1]) == -1)
		return FACTS_NOMEM;
	return FACTS_OK;
}

/* db_each's callback: one row of facts_stmt_load. */
static int
facts_read_row(void *arg, const PGresult *r)
{
	struct facts_read	*rd = arg;
	const char		*k;

	if (r == NULL) {
		facts_read_reset(rd);
		return 0;
	}
	if (!rd->head)
		rd->rc = facts_read_head(rd, r);
	if (rd->rc != FACTS_OK)
		return -1;
	k = PQgetvalue(r, 0, FC_K);
	if (strcmp(k, "0") == 0) {
		if (!PQgetisnull(r, 0, FC_TS))
			rd->rc = facts_read_fact(rd, r);
	} else if (strcmp(k, "1") == 0 || strcmp(k, "2") == 0) {
		if (!rd->authors)
			rd->rc = facts_read_tables(rd);
		if (rd->rc == FACTS_OK)
			rd->rc = *k == '1' ? facts_read_profile(rd, r) :
			    facts_read_chan(rd, r);
	} else
		rd->rc = FACTS_DBERR;
	return rd->rc == FACTS_OK ? 0 : -1;
}

static const char *
facts_read_at(const struct facts_read *rd, size_t off)
{
	return off == FACTS_NOSTR ? NULL : rd->blob + off;
}

/*
 * After the last row: the answers by time, the strings pointed at, the
 * size checked against the budget.
 */
static enum facts_rc
facts_read_end(struct facts_read *rd)
{
	struct facts_ent	*e = rd->e;
	struct facts_author	*a;
	char			*nb;
	size_t			 i;
	enum facts_rc		 rc;

	if (!rd->head)
		return FACTS_DBERR;
	if (!rd->authors && (rc = facts_read_tables(rd)) != FACTS_OK)
		return rc;
	if (e->na > 0)
		qsort(rd->ans, e->na, sizeof(*rd->ans), facts_ans_cmp);
	for (i = 0; i < e->na; i++) {
		e->aat[i] = rd->ans[i].at;
		e->aday[i] = rd->ans[i].day;
		e->ahz[i] = rd->ans[i].hz;
		if (i > 0 && e->aday[i] < e->aday[i - 1])
			e->aday_mono = 0;
	}
	if (rd->blen > 0 && rd->blen < rd->bcap &&
	    (nb = realloc(rd->blob, rd->blen)) != NULL)
		rd->blob = nb;
	e->tz = facts_read_at(rd, rd->tzoff);
	for (i = 0; i < e->nauth; i++) {
		a = &e->auth[i];
		a->username = facts_read_at(rd, rd->aoff[i * FACTS_AUTH_STRS]);
		a->display_name =
		    facts_read_at(rd, rd->aoff[i * FACTS_AUTH_STRS + 1]);
		a->pfp_url = facts_read_at(rd, rd->aoff[i * FACTS_AUTH_STRS + 2]);
	}
	for (i = 0; i < e->nchan; i++) {
		e->chans[i].url = facts_read_at(rd, rd->coff[i * FACTS_CHAN_STRS]);
		e->chans[i].name =
		    facts_read_at(rd, rd->coff[i * FACTS_CHAN_STRS + 1]);
	}
	e->blob = rd->blob;
	rd->blob = NULL;
	e->bytes = facts_ent_bytes(e);
	return e->bytes > rd->c->st.budget ? FACTS_TOOBIG : FACTS_OK;
}

/*
 * A user too big for the budget leaves a marker without facts, so that
 * each request does not load them again until the version moves on.
 */
static void
facts_mark_too_big(struct facts_cache *c, struct facts_ent *e)
{
	facts_ent_clear(e);
	e->too_big = 1;
	e->bytes = facts_ent_bytes(e);
	if (e->bytes <= c->st.budget)
		facts_insert(c, e);
	else
		facts_ent_free(e);
}

static struct facts_ent *
facts_load(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	struct facts_read	 rd;
	struct facts_ent	*e;
	char			 fid[24];
	const char		*p[2] = { fid, q->tz };

	memset(&rd, 0, sizeof(rd));
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (q->tz != NULL && (e->qtz = strdup(q->tz)) == NULL)) {
		*why = FACTS_NOMEM;
		goto out;
	}
	e->fid = q->fid;
	e->version = version;
	e->bytes = rd.bytes0 = rd.held = facts_ent_bytes(e);
	rd.c = c;
	rd.e = e;
	snprintf(fid, sizeof(fid), "%" PRId64, q->fid);
	if (db_each(db, &facts_stmt_load, p, NULL, facts_read_row, &rd) == 0)
		*why = facts_read_end(&rd);
	else
		*why = rd.rc != FACTS_OK ? rd.rc : FACTS_DBERR;
	facts_read_free(&rd);
	e->loaded_ms = clock_mono_ms();
	c->st.loads++;
	if (*why == FACTS_TOOBIG) {
		facts_mark_too_big(c, e);
		return NULL;
	}
	if (*why == FACTS_OK) {
		facts_insert(c, e);
		return e;
	}
out:
	facts_read_free(&rd);
	facts_ent_free(e);
	return NULL;
}

struct facts_ent *
facts_get(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	struct facts_ent	*e;

	*why = FACTS_OK;
	if (version <= 0) {
		*why = FACTS_NOVERSION;
		goto refused;
	}
	if ((e = facts_find(c, q, version)) != NULL) {
		facts_to_front(c, e);
		if (e->too_big) {
			*why = FACTS_TOOBIG;
			goto refused;
		}
		c->st.hits++;
		return e;
	}
	if ((e = facts_load(c, db, q, version, why)) != NULL)
		return e;
refused:
	return facts_refuse(c, why, *why);
}

/*
 * Every figure's working space comes from here, kept from one request to
 * the next: a fresh allocation per request is fresh pages the kernel
 * zeroes and faults in each time (the busiest user's summary took four
 * times as long).  It grows to the most asked for, in steps of
 * FACTS_SCRATCH_STEP, and counts in the budget: entries other than the
 * one in use (the most recent) make room for it.
 */
#define FACTS_SCRATCH_STEP	(64 * 1024)

void *
facts_scratch(struct facts_cache *c, size_t bytes, enum facts_rc *why)
{
	if (bytes <= c->scratch_cap && c->scratch != NULL)
		return c->scratch;
	if (bytes > SIZE_MAX - FACTS_SCRATCH_STEP)
		return facts_refuse(c, why, FACTS_NOMEM);
	bytes = (bytes / FACTS_SCRATCH_STEP + 1) * FACTS_SCRATCH_STEP;
	free(c->scratch);
	c->scratch = NULL;
	c->st.bytes -= c->st.scratch;
	c->st.scratch = c->scratch_cap = 0;
	while (c->tail != c->head && c->st.bytes + bytes > c->st.budget)
		facts_drop(c, c->tail);
	facts_trim(c);
	if ((c->scratch = malloc(bytes)) == NULL)
		return facts_refuse(c, why, FACTS_NOMEM);
	c->scratch_cap = malloc_usable_size(c->scratch);
	c->st.scratch = facts_held_by(c->scratch);
	c->st.bytes += c->st.scratch;
	if (c->st.bytes > c->st.peak)
		c->st.peak = c->st.bytes;
	return c->scratch;
}

void *
facts_refuse(struct facts_cache *c, enum facts_rc *why, enum facts_rc rc)
{
	if (why != NULL)
		*why = rc;
	if ((unsigned)rc < FACTS__MAX)
		c->st.refused[rc]++;
	return NULL;
}
