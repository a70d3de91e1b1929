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
 * matches: profiles change without bumping the viewer's version, and a
 * Redis that lost its version counters starts them again from 1.
 */
#define FACTS_MAX_AGE_MS	(300 * 1000LL)
#define FACTS_MIN_BUCKETS	256

struct facts_cache {
	struct facts_ent	**bucket;	/* chains by fid */
	size_t			 nbucket;	/* a power of two */
	struct facts_ent	*head, *tail;	/* LRU */
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
	" s.thr, s.likes, s.excl, s.dv, ak.n"
	" FROM s CROSS JOIN ak LEFT JOIN i ON true"
	" UNION ALL SELECT NULL, NULL, NULL, 1, NULL, NULL, NULL, p.fid, NULL,"
	" NULL, NULL, NULL, NULL, p.username, p.display_name, p.pfp_url, NULL,"
	" NULL, NULL, NULL, NULL, NULL"
	" FROM profiles p WHERE p.fid IN (SELECT author_fid FROM i)"
	" UNION ALL SELECT NULL, g.goal_seconds, NULL, 2,"
	" row_number() OVER (ORDER BY x.url NULLS FIRST) - 1, NULL, NULL, NULL,"
	" NULL, NULL, NULL, NULL, NULL, x.url, rc_channel_name(x.url), NULL, NULL,"
	" NULL, NULL, NULL, NULL, NULL"
	" FROM (SELECT DISTINCT url FROM i) x LEFT JOIN user_channel_goals g"
	" ON g.fid = $1::bigint AND g.parent_url = x.url"
	" ORDER BY k, t", 2, 1 };

enum facts_col {
	FC_TZ, FC_GOAL, FC_WD, FC_K, FC_TS, FC_RT, FC_WORK, FC_AUTHOR, FC_KIND,
	FC_LT, FC_AAT, FC_LA, FC_AHZ, FC_USERNAME, FC_DISPLAY, FC_PFP, FC_CHAN,
	FC_THREAD, FC_LIKES, FC_EXCL, FC_DEFV, FC_ACKED,
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

static void
facts_ent_free(struct facts_ent *e)
{
	if (e == NULL)
		return;
	free(e->block);
	free(e->blob);
	free(e->auth);
	free(e->chans);
	free(e->qtz);
	free(e);
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
	facts_unlink(c, e);
	facts_ent_free(e);
	c->st.evictions++;
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

/*
 * Makes room for e (which fits the budget) and links it first, leaving the
 * reserve free: the next load's result comes on top of the entries.
 */
static void
facts_insert(struct facts_cache *c, struct facts_ent *e)
{
	size_t	 i;

	while (c->tail != NULL &&
	    c->st.bytes + e->bytes + c->st.reserve > c->st.budget)
		facts_drop(c, c->tail);
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
facts_ll(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static size_t
facts_slen(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 :
	    (size_t)PQgetlength(r, row, col) + 1;
}

static int
facts_profile_row(const PGresult *r, int row)
{
	return strcmp(PQgetvalue(r, row, FC_K), "1") == 0;
}

static int
facts_chan_row(const PGresult *r, int row)
{
	return strcmp(PQgetvalue(r, row, FC_K), "2") == 0;
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
 * Sizes from the result: fact rows (first, by time), answered ones, the
 * distinct authors (sorted into *fids, which the caller frees), the
 * channels, and the bytes of the zone, profile and channel strings.
 */
static enum facts_rc
facts_measure(const PGresult *r, struct facts_ent *e, int64_t **fids,
    size_t *blob)
{
	size_t	 k, m = 0;
	int	 i, nrow = PQntuples(r);

	*blob = facts_slen(r, 0, FC_TZ);
	for (i = 0; i < nrow; i++)
		if (facts_profile_row(r, i))
			*blob += facts_slen(r, i, FC_USERNAME) +
			    facts_slen(r, i, FC_DISPLAY) + facts_slen(r, i, FC_PFP);
		else if (facts_chan_row(r, i)) {
			*blob += facts_slen(r, i, FC_USERNAME) +
			    facts_slen(r, i, FC_DISPLAY);
			e->nchan++;
		} else if (!PQgetisnull(r, i, FC_TS))
			e->n++;
	if ((*fids = calloc(e->n ? e->n : 1, sizeof(**fids))) == NULL)
		return FACTS_NOMEM;
	for (k = 0; k < e->n; k++) {
		(*fids)[k] = facts_ll(r, (int)k, FC_AUTHOR);
		if (!PQgetisnull(r, (int)k, FC_AAT))
			e->na++;
	}
	qsort(*fids, e->n, sizeof(**fids), facts_i64_cmp);
	for (k = 0; k < e->n; k++)
		if (k == 0 || (*fids)[k] != (*fids)[k - 1])
			(*fids)[m++] = (*fids)[k];
	e->nauth = m;
	return FACTS_OK;
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
	if (n > (SIZE_MAX / 2) / per || na > (SIZE_MAX / 2) / aper)
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

static char *
facts_put_str(char **p, const PGresult *r, int row, int col)
{
	char	*s = *p;
	size_t	 len;

	if (PQgetisnull(r, row, col))
		return NULL;
	len = (size_t)PQgetlength(r, row, col);
	memcpy(s, PQgetvalue(r, row, col), len);
	s[len] = '\0';
	*p += len + 1;
	return s;
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

/* The channels in rank order (the FC_TS column), strings after p. */
static void
facts_fill_chans(struct facts_ent *e, const PGresult *r, char *p)
{
	struct facts_chan	*ch;
	long long		 k;
	int			 i;

	for (i = 0; i < PQntuples(r); i++) {
		if (!facts_chan_row(r, i))
			continue;
		k = facts_ll(r, i, FC_TS);
		if (k < 0 || (size_t)k >= e->nchan)
			continue;
		ch = &e->chans[k];
		ch->url = facts_put_str(&p, r, i, FC_USERNAME);
		ch->name = facts_put_str(&p, r, i, FC_DISPLAY);
		ch->goal = PQgetisnull(r, i, FC_GOAL) ? 0 :
		    (int)facts_ll(r, i, FC_GOAL);
	}
}

/* The authors by fid, their profile strings in the blob, then channels. */
static void
facts_fill_authors(struct facts_ent *e, const PGresult *r,
    const int64_t *fids, char *p)
{
	struct facts_author	*a;
	size_t			 k;
	int			 i;

	e->tz = facts_put_str(&p, r, 0, FC_TZ);
	for (k = 0; k < e->nauth; k++)
		e->auth[k].fid = fids[k];
	for (i = 0; i < PQntuples(r); i++) {
		if (!facts_profile_row(r, i))
			continue;
		k = facts_author_index(e, facts_ll(r, i, FC_AUTHOR));
		if (k >= e->nauth)
			continue;
		a = &e->auth[k];
		a->username = facts_put_str(&p, r, i, FC_USERNAME);
		a->display_name = facts_put_str(&p, r, i, FC_DISPLAY);
		a->pfp_url = facts_put_str(&p, r, i, FC_PFP);
	}
	facts_fill_chans(e, r, p);
}

/* The rows, then the answered ones sorted by answer time; -1 on ENOMEM. */
static int
facts_fill_rows(struct facts_ent *e, const PGresult *r)
{
	struct facts_ans	*a = NULL;
	size_t			 k = 0, i;
	int			 row;
	uint8_t			 how;

	if (e->na > 0 && (a = calloc(e->na, sizeof(*a))) == NULL)
		return -1;
	e->day_mono = e->aday_mono = 1;
	for (i = 0; i < e->n; i++) {
		row = (int)i;
		e->ts[i] = facts_ll(r, row, FC_TS);
		e->rt[i] = PQgetisnull(r, row, FC_RT) ? FACTS_NONE :
		    (int32_t)facts_ll(r, row, FC_RT);
		if (e->wd)
			e->work[i] = PQgetisnull(r, row, FC_WORK) ? NAN :
			    strtod(PQgetvalue(r, row, FC_WORK), NULL);
		e->author[i] = facts_author_index(e, facts_ll(r, row, FC_AUTHOR));
		e->kind[i] = (uint8_t)facts_ll(r, row, FC_KIND);
		e->chan[i] = (uint32_t)facts_ll(r, row, FC_CHAN);
		facts_local(facts_ll(r, row, FC_LT), &e->day[i], &e->how[i]);
		if (i > 0 && e->day[i] < e->day[i - 1])
			e->day_mono = 0;
		if (PQgetisnull(r, row, FC_AAT)) {
			e->unreplied++;
			continue;
		}
		a[k].at = facts_ll(r, row, FC_AAT);
		facts_local(facts_ll(r, row, FC_LA), &a[k].day, &how);
		a[k].hz = facts_ll(r, row, FC_AHZ);
		k++;
	}
	if (e->na > 0)
		qsort(a, e->na, sizeof(*a), facts_ans_cmp);
	for (i = 0; i < e->na; i++) {
		e->aat[i] = a[i].at;
		e->aday[i] = a[i].day;
		e->ahz[i] = a[i].hz;
		if (i > 0 && e->aday[i] < e->aday[i - 1])
			e->aday_mono = 0;
	}
	free(a);
	return 0;
}

static enum facts_rc
facts_fill(struct facts_cache *c, struct facts_ent *e, const PGresult *r)
{
	int64_t		*fids = NULL;
	size_t		 blob = 0, block;
	enum facts_rc	 rc;

	if (PQntuples(r) < 1 || PQnfields(r) != FC__MAX)
		return FACTS_DBERR;
	e->goal = (int)facts_ll(r, 0, FC_GOAL);
	e->wd = (int)facts_ll(r, 0, FC_WD);
	e->def.thread = *PQgetvalue(r, 0, FC_THREAD) == 't';
	e->def.likes = *PQgetvalue(r, 0, FC_LIKES) == 't';
	e->def.excluded = *PQgetvalue(r, 0, FC_EXCL) == 't';
	e->def.version = facts_ll(r, 0, FC_DEFV);
	e->acked = facts_ll(r, 0, FC_ACKED);
	if ((rc = facts_measure(r, e, &fids, &blob)) != FACTS_OK)
		goto out;
	rc = FACTS_TOOBIG;
	if ((block = facts_layout(e, NULL)) == 0 ||
	    e->nauth > SIZE_MAX / 2 / sizeof(*e->auth) ||
	    e->nchan > SIZE_MAX / 4 / sizeof(*e->chans))
		goto out;
	e->bytes += block + blob + e->nauth * sizeof(*e->auth) +
	    e->nchan * sizeof(*e->chans);
	if (e->bytes > c->st.budget)
		goto out;
	rc = FACTS_NOMEM;
	if ((e->block = malloc(block)) == NULL ||
	    (e->blob = malloc(blob ? blob : 1)) == NULL ||
	    (e->nauth > 0 &&
	    (e->auth = calloc(e->nauth, sizeof(*e->auth))) == NULL) ||
	    (e->nchan > 0 &&
	    (e->chans = calloc(e->nchan, sizeof(*e->chans))) == NULL))
		goto out;
	facts_layout(e, e->block);
	facts_fill_authors(e, r, fids, e->blob);
	if (facts_fill_rows(e, r) == -1)
		goto out;
	rc = FACTS_OK;
out:
	free(fids);
	return rc;
}

/*
 * A user too big for the budget leaves a marker without facts, so that
 * each request does not load them again until the version moves on.
 */
static void
facts_mark_too_big(struct facts_cache *c, struct facts_ent *e)
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
	e->too_big = 1;
	e->bytes = sizeof(*e) + (e->qtz ? strlen(e->qtz) + 1 : 0);
	if (e->bytes <= c->st.budget)
		facts_insert(c, e);
	else
		facts_ent_free(e);
}

/*
 * Frees a load's result.  A large one (a busy user's rows as text) leaves
 * the heap holding several times the entry; glibc keeps freed heap, so
 * hand it back, or a full cache plus one load outgrows RC_FACTS_MB.
 */
#define FACTS_TRIM_ROWS	4096

/*
 * What a result holds in libpq's memory: per row a pointer and per field
 * a length, a pointer and the value with its NUL.
 */
static size_t
facts_result_bytes(const PGresult *r)
{
	size_t	 b;
	int	 i, j, nrow = PQntuples(r), nf = PQnfields(r);

	b = (size_t)nrow * (sizeof(void *) + (size_t)nf * 16);
	for (i = 0; i < nrow; i++)
		for (j = 0; j < nf; j++)
			b += (size_t)PQgetlength(r, i, j) + 1;
	return b;
}

/*
 * The largest result seen, up to half the budget, is kept free from then
 * on, so that the entries plus a load stay within the budget.
 */
static void
facts_reserve(struct facts_cache *c, const PGresult *r)
{
	size_t	 b;

	b = facts_result_bytes(r);
	if (b > c->st.budget / 2)
		b = c->st.budget / 2;
	if (b > c->st.reserve)
		c->st.reserve = b;
}

static void
facts_result_free(PGresult *r)
{
	int	 big = r != NULL && PQntuples(r) >= FACTS_TRIM_ROWS;

	PQclear(r);
	if (big)
		malloc_trim(0);
}

static struct facts_ent *
facts_load(struct facts_cache *c, struct db *db, const struct eng_q *q,
    long long version, enum facts_rc *why)
{
	struct facts_ent	*e;
	PGresult		*r = NULL;
	char			 fid[24];
	const char		*p[2] = { fid, q->tz };

	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (q->tz != NULL && (e->qtz = strdup(q->tz)) == NULL)) {
		*why = FACTS_NOMEM;
		goto out;
	}
	e->fid = q->fid;
	e->version = version;
	e->bytes = sizeof(*e) + (q->tz ? strlen(q->tz) + 1 : 0);
	snprintf(fid, sizeof(fid), "%" PRId64, q->fid);
	if ((r = db_exec(db, &facts_stmt_load, p, NULL)) == NULL) {
		*why = FACTS_DBERR;
		goto out;
	}
	e->loaded_ms = clock_mono_ms();
	facts_reserve(c, r);
	*why = facts_fill(c, e, r);
	c->st.loads++;
	if (*why == FACTS_TOOBIG) {
		facts_mark_too_big(c, e);
		e = NULL;
	} else if (*why == FACTS_OK) {
		facts_insert(c, e);
		facts_result_free(r);
		return e;
	}
out:
	facts_result_free(r);
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

void *
facts_refuse(struct facts_cache *c, enum facts_rc *why, enum facts_rc rc)
{
	if (why != NULL)
		*why = rc;
	if ((unsigned)rc < FACTS__MAX)
		c->st.refused[rc]++;
	return NULL;
}
