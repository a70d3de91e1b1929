#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/met.h"
#include "hset.h"
#include "hub.h"
#include "ingest.h"

/*
 * --hub URL --follow: tails /v1/events from the stored event id (source
 * "hub-events", key URL).  Each page's kept records and its
 * nextPageEventId are committed in one transaction, so a restart, even
 * after kill -9, goes on exactly after the last committed page.
 */

#define FOLLOW_SOURCE		"hub-events"
#define FOLLOW_BACKOFF_MAX_MS	30000L

static const char *const sql_tracked = "SELECT fid FROM tracked ORDER BY fid";
static const char *const sql_cast_known =
    "SELECT 1 FROM casts WHERE hash = decode($1, 'hex')";

struct follow {
	struct ingest		*in;
	struct hub		*hub;
	const struct follow_opts *o;
	int64_t			*tracked;	/* sorted */
	size_t			 ntracked;
	struct hset		*kept;		/* casts kept from this page */
	long			 nkept;
	int64_t			 newest;	/* newest message time of the page */
	int			 dberr;
	long			 recno;
	long			 npages;
	struct buf		 body;
};

/* Re-read at every poll: --fid adds accounts while we run. */
static int
follow_load(struct follow *w)
{
	PGresult	*r;
	int64_t		*t;
	size_t		 i, n;
	int		 rc = -1;

	r = PQexecParams(w->in->conn, sql_tracked, 0, NULL, NULL, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "replycast-ingest: tracked: %s",
		    PQerrorMessage(w->in->conn));
		goto out;
	}
	n = (size_t)PQntuples(r);
	if ((t = reallocarray(w->tracked, n + 1, sizeof(*t))) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		t[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
	w->tracked = t;
	w->ntracked = n;
	rc = 0;
out:
	PQclear(r);
	return rc;
}

static int
follow_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
follow_tracked(const struct follow *w, int64_t fid)
{
	return fid > 0 && w->ntracked > 0 && bsearch(&fid, w->tracked,
	    w->ntracked, sizeof(*w->tracked), follow_cmp) != NULL;
}

/* 1 when the casts table holds hash, 0 when not, -1 on error. */
static int
follow_known(struct follow *w, const char *hash)
{
	const char	*p[1] = { hash + 2 };
	PGresult	*r;
	int		 rc = -1;

	r = PQexecParams(w->in->conn, sql_cast_known, 1, NULL, p, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK)
		rc = PQntuples(r) > 0;
	else
		fprintf(stderr, "replycast-ingest: casts: %s",
		    PQerrorMessage(w->in->conn));
	PQclear(r);
	return rc;
}

/* 1 keep, 0 drop, -1 database error. */
static int
follow_wanted(struct follow *w, const struct ing_rec *r)
{
	const struct ing_cast	*c = &r->u.cast;
	size_t			 i;

	switch (r->kind) {
	case ING_CAST:
		if (follow_tracked(w, c->fid) || follow_tracked(w, c->parent_fid))
			return 1;
		for (i = 0; i < c->nmentions; i++)
			if (follow_tracked(w, c->mentions[i]))
				return 1;
		return 0;
	case ING_CAST_REMOVE:
		if (follow_tracked(w, r->u.remove.fid) ||
		    hset_has(w->kept, r->u.remove.hash))
			return 1;
		return follow_known(w, r->u.remove.hash);
	case ING_PROFILE:
		return follow_tracked(w, r->u.profile.fid);
	case ING_LIKE:
	case ING_UNLIKE:
		return follow_tracked(w, r->u.like.fid);	/* acknowledgements */
	default:
		return 0;	/* follows are not part of a conversation */
	}
}

static int64_t
follow_rec_time(const struct ing_rec *r)
{
	switch (r->kind) {
	case ING_CAST:
		return r->u.cast.time;
	case ING_CAST_REMOVE:
		return r->u.remove.time;
	case ING_PROFILE:
		return r->u.profile.time;
	case ING_LIKE:
	case ING_UNLIKE:
		return r->u.like.time;
	default:
		return r->u.link.time;
	}
}

static int
follow_rec(void *arg, const struct ing_rec *r)
{
	struct follow	*w = arg;
	int		 k;

	if (follow_rec_time(r) > w->newest)
		w->newest = follow_rec_time(r);
	if ((k = follow_wanted(w, r)) == -1) {
		w->dberr = 1;
		return -1;
	}
	if (k == 0)
		return 0;
	if ((r->kind == ING_CAST && hset_add(w->kept, r->u.cast.hash) == -1) ||
	    store_add(w->in->store, r) == -1) {
		fprintf(stderr, "replycast-ingest: out of memory\n");
		w->dberr = 1;
		return -1;
	}
	w->nkept++;
	return 0;
}

static int
follow_bad(void *arg, long recno, const char *reason)
{
	struct follow	*w = arg;

	return ingest_sink.bad(w->in, recno, reason);
}

/* Sleeps ms in small steps; stops early when asked to stop. */
static void
follow_sleep(const struct follow *w, long ms)
{
	struct timespec	 ts;
	long		 step;

	while (ms > 0 && !*w->o->stop) {
		step = ms > 50 ? 50 : ms;
		ts.tv_sec = 0;
		ts.tv_nsec = step * 1000000L;
		if (nanosleep(&ts, NULL) == -1 && errno != EINTR)
			return;
		ms -= step;
	}
}

static void
follow_log(const struct follow *w, int64_t from, int64_t next, long nev,
    long long casts_new)
{
	char	 lag[32] = "null";

	if (w->newest > 0) {
		snprintf(lag, sizeof(lag), "%lld",
		    (long long)time(NULL) - (long long)w->newest);
		met_ing_lag(w->in->met, (int64_t)time(NULL) - w->newest);
	}
	fprintf(stderr, "{\"ts\":%lld,\"source\":\"" FOLLOW_SOURCE "\","
	    "\"page\":%ld,\"from\":%" PRId64 ",\"next\":%" PRId64 ","
	    "\"events\":%ld,\"kept\":%ld,\"casts_new\":%lld,\"tracked\":%zu,"
	    "\"lag_s\":%s}\n", (long long)time(NULL), w->npages, from, next,
	    nev, w->nkept, casts_new, w->ntracked, lag);
}

/* Stores a parsed page with its next event id; 0, or -2 on a db error. */
static int
follow_commit(struct follow *w, const struct ing_page *pg, int64_t *from)
{
	struct store_cursor	 cur = { FOLLOW_SOURCE, hub_url(w->hub), NULL,
				    pg->next_event_id };
	long long		 before = w->in->counts.casts_new;

	if (ingest_flush(w->in, &cur) == -1)
		return -2;
	w->npages++;
	follow_log(w, *from, pg->next_event_id, pg->nrecords,
	    w->in->counts.casts_new - before);
	*from = pg->next_event_id;
	return 0;
}

/*
 * One page from *from: 1 stored (more may follow), 0 caught up or asked to
 * stop, -1 the hub failed (worth a retry later), -2 fatal.
 */
static int
follow_page(struct follow *w, int64_t *from)
{
	struct ing_sink	 sink = { follow_rec, follow_bad, w };
	struct ing_page	 pg;
	struct buf	 q;
	char		 id[24], err[512];
	enum hub_rc	 hr;
	int		 rc;

	if (follow_load(w) == -1)
		return -2;
	buf_init(&q, 256);
	snprintf(id, sizeof(id), "%" PRId64, *from);
	if (hub_query(w->hub, &q, "from_event_id", id) == -1) {
		buf_free(&q);
		return -2;
	}
	hr = hub_get(w->hub, "/v1/events", q.ptr, &w->body, NULL, err,
	    sizeof(err));
	if (hr != HUB_OK && hr != HUB_ESTOP)
		fprintf(stderr, "replycast-ingest: GET %s/v1/events?%s: %s\n",
		    hub_url(w->hub), q.ptr, err);
	buf_free(&q);
	if (hr != HUB_OK)
		return hr == HUB_ESTOP ? 0 : -1;
	memset(&pg, 0, sizeof(pg));
	hset_clear(w->kept);
	w->nkept = 0;
	w->newest = 0;
	arena_reset(w->in->arena);
	rc = ing_parse_doc(w->in->arena, w->body.ptr, w->body.len,
	    ING_FMT_HUB, &sink, &w->recno, &pg);
	if (rc == -2)
		return -2;
	if (rc == -1) {
		fprintf(stderr, "replycast-ingest: %s/v1/events: %s\n",
		    hub_url(w->hub), pg.error);
		return -1;
	}
	if (pg.nrecords == 0)
		return 0;
	if (pg.next_event_id <= *from) {
		fprintf(stderr, "replycast-ingest: %s/v1/events: "
		    "nextPageEventId %" PRId64 " does not move past %" PRId64
		    "\n", hub_url(w->hub), pg.next_event_id, *from);
		return ingest_flush(w->in, NULL) == -1 ? -2 : -1;
	}
	return follow_commit(w, &pg, from) == -2 ? -2 : 1;
}

static int
follow_loop(struct follow *w, int64_t from)
{
	long	 wait = 0;
	int	 rc;

	while (!*w->o->stop) {
		rc = follow_page(w, &from);
		met_follow_beat(w->in->met, (int64_t)time(NULL));
		if (rc == -2)
			return -1;
		if (rc == -1) {
			if (w->o->once)
				return -1;
			wait = wait == 0 ? 1000 : wait * 2;
			if (wait > FOLLOW_BACKOFF_MAX_MS)
				wait = FOLLOW_BACKOFF_MAX_MS;
			fprintf(stderr, "replycast-ingest: hub failed; next try "
			    "in %ld ms\n", wait);
			follow_sleep(w, wait);
			continue;
		}
		wait = 0;
		if (rc == 0) {
			if (w->o->once)
				break;
			follow_sleep(w, w->o->interval_ms);
		}
	}
	return 0;
}

int
ingest_follow(struct ingest *in, struct hub *hub, const struct follow_opts *o)
{
	struct follow	 w;
	char		 tok[8] = "";
	int64_t		 from = 0;
	int		 rc = -1;

	memset(&w, 0, sizeof(w));
	w.in = in;
	w.hub = hub;
	w.o = o;
	in->name = hub_url(hub);
	buf_init(&w.body, HUB_MAX_BODY);
	if ((w.kept = hset_new()) == NULL)
		goto out;
	if (store_cursor_get(in->conn, FOLLOW_SOURCE, hub_url(hub), tok,
	    sizeof(tok), &from) == -1) {
		fprintf(stderr, "replycast-ingest: cannot read the cursor: %s",
		    PQerrorMessage(in->conn));
		goto out;
	}
	rc = follow_loop(&w, from);
out:
	hset_free(w.kept);
	free(w.tracked);
	buf_free(&w.body);
	return rc;
}
