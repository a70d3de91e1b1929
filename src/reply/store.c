#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "derive.h"
#include "ing.h"
#include "store.h"

#define STORE_MAX_CASTS_BYTES	(1536u * 1024u * 1024u)

enum store_tab {
	TAB_CASTS, TAB_REMOVES, TAB_PROFILES, TAB_LINKS, TAB_LIKES, TAB__MAX
};

/* Casts go to the stage, or straight to "casts" during a bulk load. */
static const char *const store_copy_bulk =
    "COPY casts (hash, fid, ts, text, parent_hash, parent_fid,"
    " parent_url, mentions, root_hash, mention_fids, mention_pos)"
    " FROM STDIN (FORMAT binary)";
static const char *const store_copy[TAB__MAX] = {
	"COPY stage_cast_rows (hash, fid, ts, text, parent_hash, parent_fid,"
	    " parent_url, mentions, root_hash, mention_fids, mention_pos)"
	    " FROM STDIN (FORMAT binary)",
	"COPY stage_removes (hash, fid, ts) FROM STDIN",
	"COPY stage_profiles (fid, ts, username, display_name, pfp_url, bio,"
	    " url) FROM STDIN",
	"COPY stage_links (fid, target_fid, ts, added) FROM STDIN",
	"COPY stage_likes (fid, target_hash, ts, removed) FROM STDIN",
};

static const char *const sql_stage = "SELECT rc_stage_open()";
static const char *const sql_apply =
    "SELECT casts_new, casts_dup, removed, profiles, links, inbound_new,"
    " array_to_string(fids, ',') FROM rc_apply_stage()";
/*
 * After the merge, in its transaction: the batch's likes, then the thread
 * answers it may change (migrations/0014_answers.sql); both add fids.
 */
static const char *const sql_apply_more =
    "SELECT l.n_likes, array_to_string(l.fids || rc_thread_stage(), ',')"
    " FROM rc_apply_likes() l";
/*
 * After the merge, in its transaction: where the batch's new casts had
 * their mentions (migrations/0018_people.sql); the merge names its
 * columns.  A bulk load copies them into casts itself.
 */
static const char *const sql_apply_mpos = "SELECT rc_apply_mention_pos()";
static const char *const sql_cursor_set =
    "INSERT INTO ingest_cursors (source, key, cursor, event_id)"
    " VALUES ($1, $2, $3, $4::bigint)"
    " ON CONFLICT (source, key) DO UPDATE SET cursor = EXCLUDED.cursor,"
    " event_id = EXCLUDED.event_id, updated_at = now()";
/* Autovacuum off on casts for the load, back on with its end (0023). */
static const char *const sql_bulk_begin =
    "SELECT rc_bulk_begin(); SELECT rc_bulk_quiet(true)";
static const char *const sql_bulk_finish =
    "SELECT casts_new, inbound_new, fids FROM rc_bulk_finish();"
    " SELECT rc_bulk_quiet(false)";
/* A bulk load rebuilt inbound: thread answers come from the casts again. */
static const char *const sql_bulk_threads =
    "SELECT cardinality(rc_thread_refresh(NULL))";
/*
 * The steps of a bulk load's end (migrations/0008_bulk_steps.sql) on two
 * connections: per phase, what each runs (NULL: nothing); rc_bulk_finish
 * then swaps.  Both offer to build the covering index: whichever comes to
 * it first builds it (the step's advisory lock), the other finds it done,
 * so the phase balances itself whether casts_parent is still to build
 * (SQL derivation) or was built beside the facts' COPY (store_bulk_take).
 * ANALYZE waits for every index build on the table, so it has a phase of
 * its own: in the second, it held one connection idle.
 */
static const char *const sql_bulk_key = "SELECT rc_bulk_key()";
static const char *const sql_bulk_steps[][2] = {
	{ "SELECT rc_bulk_derive(1)", "SELECT rc_bulk_derive(0)" },
	{ "SELECT rc_bulk_casts_index(); SELECT rc_bulk_inbound_index('open');"
	  " SELECT rc_bulk_inbound_index('fid_ts')",
	  "SELECT rc_bulk_inbound_index('pkey');"
	  " SELECT rc_bulk_inbound_index('fid_ts')" },
	{ "SELECT rc_bulk_inbound_index('analyze')", NULL },
};
static const char *const sql_cursor_get =
    "SELECT coalesce(cursor, ''), coalesce(event_id, 0)"
    " FROM ingest_cursors WHERE source = $1 AND key = $2";

/*
 * An asynchronous flush: a thread sends the batch (BEGIN to COMMIT, on the
 * caller's connection, which nobody else uses meanwhile) while the caller
 * parses the next one into the store's other buffers.
 */
struct store_job {
	struct buf		 tab[TAB__MAX];
	long long		 nrec;
	PGconn			*c;
	struct store_counts	 t;
	struct buf		 fids;
	char			 err[512];
	int			 rc;
	int			 state;	/* JOB_IDLE, JOB_THREAD, JOB_DONE */
	pthread_t		 thread;
};
enum { JOB_IDLE, JOB_THREAD, JOB_DONE };

struct store {
	struct buf	 tab[TAB__MAX];
	size_t		 nrec;
	long long	 records;
	int		 async;		/* store_set_async */
	struct store_job job;		/* the batch the writer thread sends */
	struct buf	 fids;
	struct buf	 committed;	/* fids of batches committed since taken */
	struct derive	*derive;	/* store_bulk_derive, or NULL */
	char		 token[64];	/* the load's, when this session began it */
};

struct store *
store_new(void)
{
	struct store	*s;
	int		 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	/* A batch of casts is held whole: --batch allows up to 10^6. */
	for (i = 0; i < TAB__MAX; i++)
		buf_init(&s->tab[i], i == TAB_CASTS ? STORE_MAX_CASTS_BYTES : 0);
	for (i = 0; i < TAB__MAX; i++)
		buf_init(&s->job.tab[i], i == TAB_CASTS ?
		    STORE_MAX_CASTS_BYTES : 0);
	buf_init(&s->fids, 0);
	buf_init(&s->committed, 0);
	buf_init(&s->job.fids, 0);
	return s;
}

void
store_free(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	if (s->job.state == JOB_THREAD)
		pthread_join(s->job.thread, NULL);
	for (i = 0; i < TAB__MAX; i++) {
		buf_free(&s->tab[i]);
		buf_free(&s->job.tab[i]);
	}
	buf_free(&s->job.fids);
	buf_free(&s->fids);
	buf_free(&s->committed);
	derive_free(s->derive);
	free(s);
}

size_t
store_pending(const struct store *s)
{
	return s->nrec;
}

const char *
store_last_fids(const struct store *s)
{
	return s->fids.ptr == NULL ? "" : s->fids.ptr;
}

/* A batch committed: its fids join the list store_take_fids hands out. */
static void
store_committed(struct store *s)
{
	if (s->fids.len == 0)
		return;
	if (s->committed.len > 0 && buf_putc(&s->committed, ',') == -1)
		return;
	buf_put(&s->committed, s->fids.ptr, s->fids.len);
}

int
store_take_fids(struct store *s, struct buf *out)
{
	int	 rc;

	buf_reset(out);
	rc = buf_put(out, buf_cstr(&s->committed), s->committed.len);
	buf_reset(&s->committed);
	return rc;
}

/* COPY text format: backslash, tab, newline and CR are escaped; NULL is \N. */
static int
copy_text(struct buf *b, const char *s)
{
	const char	*p;
	int		 rc = 0;

	if (s == NULL)
		return buf_puts(b, "\\N");
	for (p = s; *p != '\0' && rc == 0; p++) {
		switch (*p) {
		case '\\': rc = buf_puts(b, "\\\\"); break;
		case '\t': rc = buf_puts(b, "\\t"); break;
		case '\n': rc = buf_puts(b, "\\n"); break;
		case '\r': rc = buf_puts(b, "\\r"); break;
		default: rc = buf_putc(b, *p); break;
		}
	}
	return rc;
}

/* A normalized "0x..." hash as a bytea literal in COPY text ("\\x..."). */
static int
copy_hash(struct buf *b, const char *hash)
{
	if (hash == NULL || hash[0] == '\0')
		return buf_puts(b, "\\N");
	return buf_printf(b, "\\\\x%s", hash + 2);
}

static int
copy_time(struct buf *b, int64_t t)
{
	return buf_printf(b, "%" PRId64, t) == 0 ? 0 : -1;
}

/*
 * Casts travel in COPY's binary format: raw hash bytes, the time already a
 * timestamptz, no text to escape or for the server to parse.  Integers are
 * big-endian; a field is its length (-1: NULL) and its bytes.
 */
#define PG_EPOCH_OFFSET	946684800LL	/* 2000-01-01 in unix seconds */
#define PG_OID_INT8	20

static int
bin_u32(struct buf *b, uint32_t v)
{
	char	 x[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
		    (char)v };

	return buf_put(b, x, 4);
}

static int
bin_i64(struct buf *b, int64_t v)
{
	return bin_u32(b, (uint32_t)((uint64_t)v >> 32)) |
	    bin_u32(b, (uint32_t)v);
}

static int
bin_i64_field(struct buf *b, int64_t v)
{
	return bin_u32(b, 8) | bin_i64(b, v);
}

static int
bin_null(struct buf *b)
{
	return bin_u32(b, UINT32_MAX);
}

static int
bin_text(struct buf *b, const char *s)
{
	size_t	 n;

	if (s == NULL)
		return bin_null(b);
	n = strlen(s);
	return bin_u32(b, (uint32_t)n) | buf_put(b, s, n);
}

/* A normalized "0x" + 40 hex hash as 20 raw bytes; "" is NULL. */
static int
bin_hash(struct buf *b, const char *hash)
{
	uint8_t	 raw[ING_HASH_RAW];

	if (hash[0] == '\0')
		return bin_null(b);
	if (ing_hash_raw(hash, raw) == -1)
		return -1;
	return bin_u32(b, sizeof(raw)) | buf_put(b, (const char *)raw,
	    sizeof(raw));
}

/* A one-dimensional bigint[] (array_recv's layout). */
static int
bin_int8_array(struct buf *b, const int64_t *v, size_t n)
{
	size_t	 i;
	int	 rc;

	if (n > ING_MAX_MENTIONS)
		return -1;
	if (n == 0)
		return bin_u32(b, 12) | bin_u32(b, 0) | bin_u32(b, 0) |
		    bin_u32(b, PG_OID_INT8);
	rc = bin_u32(b, (uint32_t)(20 + 12 * n)) | bin_u32(b, 1) |
	    bin_u32(b, 0) | bin_u32(b, PG_OID_INT8) | bin_u32(b, (uint32_t)n) |
	    bin_u32(b, 1);
	for (i = 0; i < n; i++)
		rc |= bin_i64_field(b, v[i]);
	return rc;
}

static int
add_cast(struct buf *b, const struct ing_cast *c)
{
	static const char	 header[19] = "PGCOPY\n\377\r\n";	/* + 8 zeros */
	int			 rc = 0;

	if (b->len == 0)
		rc |= buf_put(b, header, sizeof(header));
	rc |= buf_put(b, "\0\13", 2);		/* 11 fields */
	rc |= bin_hash(b, c->hash);
	rc |= bin_i64_field(b, c->fid);
	rc |= bin_i64_field(b, (c->time - PG_EPOCH_OFFSET) * 1000000);
	rc |= bin_text(b, c->text);
	rc |= bin_hash(b, c->parent_hash);
	rc |= c->parent_hash[0] && c->parent_fid > 0 ?
	    bin_i64_field(b, c->parent_fid) : bin_null(b);
	rc |= bin_text(b, c->parent_url);
	rc |= bin_int8_array(b, c->mentions, c->nmentions);
	rc |= bin_hash(b, c->root_hash);
	if (c->nmpos == 0)
		rc |= bin_null(b) | bin_null(b);
	else
		rc |= bin_int8_array(b, c->mfid, c->nmpos) |
		    bin_int8_array(b, c->mpos, c->nmpos);
	return rc == 0 ? 0 : -1;
}

static int
add_profile(struct buf *b, const struct ing_profile *p)
{
	int	 rc = 0;

	rc |= buf_printf(b, "%" PRId64 "\t", p->fid);
	rc |= copy_time(b, p->time);
	rc |= buf_putc(b, '\t');
	rc |= copy_text(b, p->username);
	rc |= buf_putc(b, '\t');
	rc |= copy_text(b, p->display_name);
	rc |= buf_putc(b, '\t');
	rc |= copy_text(b, p->pfp_url);
	rc |= buf_putc(b, '\t');
	rc |= copy_text(b, p->bio);
	rc |= buf_putc(b, '\t');
	rc |= copy_text(b, p->url);
	rc |= buf_putc(b, '\n');
	return rc == 0 ? 0 : -1;
}

int
store_add(struct store *s, const struct ing_rec *r)
{
	int	 rc;

	switch (r->kind) {
	case ING_CAST:
		rc = add_cast(&s->tab[TAB_CASTS], &r->u.cast);
		if (rc == 0)
			derive_cast(s->derive, &r->u.cast);
		break;
	case ING_CAST_REMOVE:
		derive_remove(s->derive, &r->u.remove);
		rc = copy_hash(&s->tab[TAB_REMOVES], r->u.remove.hash) |
		    buf_printf(&s->tab[TAB_REMOVES], "\t%" PRId64 "\t",
		    r->u.remove.fid) |
		    copy_time(&s->tab[TAB_REMOVES], r->u.remove.time) |
		    buf_putc(&s->tab[TAB_REMOVES], '\n');
		break;
	case ING_PROFILE:
		rc = add_profile(&s->tab[TAB_PROFILES], &r->u.profile);
		break;
	case ING_LIKE:
	case ING_UNLIKE:
		rc = buf_printf(&s->tab[TAB_LIKES], "%" PRId64 "\t",
		    r->u.like.fid) |
		    copy_hash(&s->tab[TAB_LIKES], r->u.like.target_hash) |
		    buf_printf(&s->tab[TAB_LIKES], "\t%" PRId64 "\t%s\n",
		    r->u.like.time, r->kind == ING_UNLIKE ? "t" : "f");
		break;
	case ING_FOLLOW:
	case ING_UNFOLLOW:
		rc = buf_printf(&s->tab[TAB_LINKS], "%" PRId64 "\t%" PRId64
		    "\t%" PRId64 "\t%s\n", r->u.link.fid, r->u.link.target_fid,
		    r->u.link.time, r->kind == ING_FOLLOW ? "t" : "f");
		break;
	default:
		return -1;
	}
	if (rc != 0)
		return -1;
	s->nrec++;
	s->records++;
	return 0;
}

static int
store_ok(PGconn *c, PGresult *r, const char *what, char *err, size_t errsz)
{
	ExecStatusType	 t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	snprintf(err, errsz, "%s: %s", what, r ? PQresultErrorMessage(r) :
	    PQerrorMessage(c));
	PQclear(r);
	return -1;
}

/* Begins the COPY sql on c: 0, or -1 with err set. */
static int
store_copy_open(PGconn *c, const char *sql, const char *what, char *err,
    size_t errsz)
{
	PGresult	*r = PQexec(c, sql);

	if (r == NULL || PQresultStatus(r) != PGRES_COPY_IN) {
		store_ok(c, r, what, err, errsz);
		return -1;
	}
	PQclear(r);
	return 0;
}

/* What one PQputCopyData sends at most. */
#define STORE_COPY_CHUNK	(1u << 20)

static int
store_copy_one(PGconn *c, const char *sql, struct buf *b, char *err,
    size_t errsz)
{
	PGresult	*r;
	size_t		 off, n;

	if (b->len == 0)
		return 0;
	if (store_copy_open(c, sql, "copy", err, errsz) == -1)
		return -1;
	for (off = 0; off < b->len; off += n) {
		n = b->len - off > STORE_COPY_CHUNK ? STORE_COPY_CHUNK :
		    b->len - off;
		if (PQputCopyData(c, b->ptr + off, (int)n) != 1) {
			snprintf(err, errsz, "copy: %s", PQerrorMessage(c));
			PQputCopyEnd(c, "write failed");
			while ((r = PQgetResult(c)) != NULL)
				PQclear(r);
			return -1;
		}
	}
	if (PQputCopyEnd(c, NULL) != 1) {
		snprintf(err, errsz, "copy end: %s", PQerrorMessage(c));
		return -1;
	}
	if (store_ok(c, PQgetResult(c), "copy", err, errsz) == -1)
		return -1;
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	return 0;
}

/* Opens the stage tables: 1 when a bulk load is under way, 0, or -1. */
static int
store_stage(PGconn *c, char *err, size_t errsz)
{
	PGresult	*r;
	int		 bulk;

	r = PQexec(c, sql_stage);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK ||
	    PQntuples(r) != 1) {
		snprintf(err, errsz, "stage: %s", r ? PQresultErrorMessage(r) :
		    PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	bulk = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return bulk;
}

static void
store_reset(struct store *s)
{
	int	 i;

	for (i = 0; i < TAB__MAX; i++)
		buf_reset(&s->tab[i]);
	s->nrec = 0;
}

/* Reads rc_apply_stage's row into t and fids; clears r. */
static int
store_apply_result(PGconn *c, PGresult *r, struct store_counts *t,
    struct buf *fids, char *err, size_t errsz)
{
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK ||
	    PQntuples(r) != 1) {
		snprintf(err, errsz, "apply: %s", r ? PQresultErrorMessage(r) :
		    PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	t->casts_new += strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	t->casts_dup += strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	t->removed += strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	t->profiles += strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	t->links += strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	t->inbound_new += strtoll(PQgetvalue(r, 0, 5), NULL, 10);
	buf_reset(fids);
	buf_puts(fids, PQgetvalue(r, 0, 6));
	PQclear(r);
	return 0;
}

/* Reads sql_apply_more's row: the likes merged, the fids they add. */
static int
store_more_result(PGconn *c, PGresult *r, struct store_counts *t,
    struct buf *fids, char *err, size_t errsz)
{
	const char	*more;

	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK ||
	    PQntuples(r) != 1) {
		snprintf(err, errsz, "apply likes: %s", r ?
		    PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	t->likes += strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	more = PQgetvalue(r, 0, 1);
	if (*more != '\0' && ((fids->len > 0 && buf_putc(fids, ',') == -1) ||
	    buf_puts(fids, more) == -1)) {
		snprintf(err, errsz, "apply likes: out of memory");
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static void
store_count(struct store_counts *total, const struct store_counts *t,
    long long nrec)
{
	total->records += nrec;
	total->casts_new += t->casts_new;
	total->casts_dup += t->casts_dup;
	total->removed += t->removed;
	total->profiles += t->profiles;
	total->links += t->links;
	total->inbound_new += t->inbound_new;
	total->likes += t->likes;
}

void
store_set_async(struct store *s, int on)
{
	s->async = on;
}

static int
store_set_cursor(PGconn *c, const struct store_cursor *cur, char *err,
    size_t errsz)
{
	char		 ev[32];
	const char	*p[4];

	snprintf(ev, sizeof(ev), "%" PRId64, cur->event_id);
	p[0] = cur->source;
	p[1] = cur->key;
	p[2] = cur->cursor;
	p[3] = cur->event_id > 0 ? ev : NULL;
	return store_ok(c, PQexecParams(c, sql_cursor_set, 4, NULL, p, NULL,
	    NULL, 0), "cursor", err, errsz);
}

/*
 * One batch (tab, nrec records; none when only the cursor moves) in one
 * transaction on c: 0 with t and fids filled, or -1 rolled back.
 */
static int
store_send(PGconn *c, struct buf *tab, size_t nrec,
    const struct store_cursor *cur, struct store_counts *t, struct buf *fids,
    char *err, size_t errsz)
{
	int	 i, bulk;

	buf_reset(fids);
	if (store_ok(c, PQexec(c, "BEGIN"), "begin", err, errsz) == -1)
		goto fail;
	if (nrec > 0) {
		if ((bulk = store_stage(c, err, errsz)) == -1)
			goto fail;
		if (tab[TAB_CASTS].len > 0 &&
		    buf_put(&tab[TAB_CASTS], "\377\377", 2) == -1) {
			snprintf(err, errsz, "copy: out of memory");
			goto fail;
		}
		for (i = 0; i < TAB__MAX; i++)
			if (store_copy_one(c, i == TAB_CASTS && bulk ?
			    store_copy_bulk : store_copy[i], &tab[i], err,
			    errsz) == -1)
				goto fail;
		if (store_apply_result(c, PQexec(c, sql_apply), t, fids, err,
		    errsz) == -1 ||
		    store_more_result(c, PQexec(c, sql_apply_more), t, fids,
		    err, errsz) == -1 ||
		    (!bulk && store_ok(c, PQexec(c, sql_apply_mpos), "mentions",
		    err, errsz) == -1))
			goto fail;
	}
	if (cur != NULL && store_set_cursor(c, cur, err, errsz) == -1)
		goto fail;
	if (store_ok(c, PQexec(c, "COMMIT"), "commit", err, errsz) == -1)
		goto fail;
	return 0;
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	buf_reset(fids);
	return -1;
}

static void *
store_job_run(void *arg)
{
	struct store_job	*j = arg;

	memset(&j->t, 0, sizeof(j->t));
	j->rc = store_send(j->c, j->tab, (size_t)j->nrec, NULL, &j->t,
	    &j->fids, j->err, sizeof(j->err));
	return NULL;
}

int
store_wait(struct store *s, PGconn *c, struct store_counts *total,
    char *err, size_t errsz)
{
	struct store_job	*j = &s->job;
	int			 i;

	(void)c;
	if (j->state == JOB_IDLE)
		return 0;
	if (j->state == JOB_THREAD)
		pthread_join(j->thread, NULL);
	j->state = JOB_IDLE;
	for (i = 0; i < TAB__MAX; i++)
		buf_reset(&j->tab[i]);
	buf_reset(&s->fids);
	if (j->rc == -1) {
		snprintf(err, errsz, "%s", j->err);
		return -1;
	}
	buf_put(&s->fids, buf_cstr(&j->fids), j->fids.len);
	store_count(total, &j->t, j->nrec);
	store_committed(s);
	return 0;
}

/* Hands the pending records to the writer thread (run here if none starts). */
static void
store_job_start(struct store *s, PGconn *c)
{
	struct store_job	*j = &s->job;
	struct buf		 tmp;
	int			 i;

	for (i = 0; i < TAB__MAX; i++) {
		tmp = j->tab[i];
		j->tab[i] = s->tab[i];
		s->tab[i] = tmp;
	}
	j->nrec = (long long)s->nrec;
	j->c = c;
	store_reset(s);
	if (pthread_create(&j->thread, NULL, store_job_run, j) == 0) {
		j->state = JOB_THREAD;
		return;
	}
	store_job_run(j);
	j->state = JOB_DONE;
}

int
store_flush(struct store *s, PGconn *c, const struct store_cursor *cur,
    struct store_counts *total, char *err, size_t errsz)
{
	struct store_counts	 t = { 0 };
	long long		 nrec = (long long)s->nrec;
	int			 rc;

	if (store_wait(s, c, total, err, errsz) == -1) {
		store_reset(s);
		return -1;
	}
	buf_reset(&s->fids);
	if (s->nrec == 0 && cur == NULL)
		return 0;
	if (cur == NULL && s->async) {
		store_job_start(s, c);
		return 0;
	}
	rc = store_send(c, s->tab, s->nrec, cur, &t, &s->fids, err, errsz);
	store_reset(s);
	if (rc == -1)
		return -1;
	store_count(total, &t, nrec);
	store_committed(s);
	return 0;
}

int
store_bulk_begin(PGconn *c, char *err, size_t errsz)
{
	return store_ok(c, PQexec(c, sql_bulk_begin), "bulk begin", err, errsz);
}

/*
 * The first result of what was sent on c, which must be one row, while
 * the rest may still run: NULL with err set.
 */
static PGresult *
store_get_first(PGconn *c, char *err, size_t errsz)
{
	PGresult	*r;

	r = PQgetResult(c);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK ||
	    PQntuples(r) != 1) {
		snprintf(err, errsz, "bulk finish: %s", r ?
		    PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	return r;
}

/* Sends sql on c without waiting: 0, or -1 with err set. */
static int
store_post(PGconn *c, const char *sql, char *err, size_t errsz)
{
	if (PQsendQuery(c, sql))
		return 0;
	snprintf(err, errsz, "bulk finish: %s", PQerrorMessage(c));
	return -1;
}

/* Reads every result of what was sent on c: 0, or -1 at the first error. */
static int
store_drain(PGconn *c, char *err, size_t errsz)
{
	PGresult	*r;
	int		 rc = 0;

	while ((r = PQgetResult(c)) != NULL) {
		if (rc == 0)
			rc = store_ok(c, r, "bulk finish", err, errsz);
		else
			PQclear(r);
	}
	return rc;
}

/*
 * Runs sql, whose first statement returns one row: its result, or NULL
 * with err set when any statement failed.
 */
static PGresult *
store_row(PGconn *c, const char *sql, char *err, size_t errsz)
{
	PGresult	*r;

	if (store_post(c, sql, err, errsz) == -1)
		return NULL;
	r = store_get_first(c, err, errsz);
	if (store_drain(c, err, errsz) == -1) {
		PQclear(r);
		return NULL;
	}
	return r;
}

/* Ends c's transaction, whatever state it is in. */
static void
store_drop(PGconn *c)
{
	PGresult	*r;

	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
}

/*
 * The steps before the swap, each phase on both connections at once.  A
 * step cut off leaves its work to rc_bulk_finish, so any error here only
 * stops the run.
 */
static int
store_bulk_steps(PGconn *c, PGconn *c2, char *err, size_t errsz)
{
	PGresult	*r;
	size_t		 i;
	int		 on, rc;

	if ((r = store_row(c, sql_bulk_key, err, errsz)) == NULL)
		return -1;
	on = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	for (i = 0; on && i < sizeof(sql_bulk_steps) /
	    sizeof(sql_bulk_steps[0]); i++) {
		if (store_post(c, sql_bulk_steps[i][0], err, errsz) == -1)
			return -1;
		if (sql_bulk_steps[i][1] != NULL && store_post(c2,
		    sql_bulk_steps[i][1], err, errsz) == -1) {
			store_drain(c, err, errsz);
			return -1;
		}
		rc = store_drain(c, err, errsz);
		if ((sql_bulk_steps[i][1] != NULL &&
		    store_drain(c2, err, errsz) == -1) || rc == -1)
			return -1;
	}
	return 0;
}

int
store_bulk_finish(PGconn *c, PGconn *c2, struct store_counts *total,
    long long *fids, char *err, size_t errsz)
{
	PGresult	*r;

	if (c2 != NULL && store_bulk_steps(c, c2, err, errsz) == -1)
		return -1;
	if ((r = store_row(c, sql_bulk_finish, err, errsz)) == NULL)
		return -1;
	total->casts_new += strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	total->inbound_new += strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	*fids = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	PQclear(r);
	if ((r = store_row(c, sql_bulk_threads, err, errsz)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/*
 * A bulk load derived in the ingester (src/reply/derive.c): only from
 * empty casts and removals, which this run alone then fills, in the
 * session that began the load (its token, migration 0025).
 */
static const char *const sql_bulk_fresh =
    "SELECT casts_before = 0 AND removals_before = 0 AND NOT keyed"
    " AND NOT foreign_writes AND token = current_setting('rc.bulk_token', true)"
    " AND NOT EXISTS (SELECT 1 FROM casts)"
    " AND NOT EXISTS (SELECT 1 FROM removals), token FROM ingest_bulk";
static const char *const sql_bulk_take = "SELECT rc_bulk_take_own($1)";
/*
 * What each connection runs, each its own transaction, without waiting
 * for the client: c the key and the parent index while c2 takes in the
 * facts (and the fids the finish gives new data versions); once they are
 * taken, c2 ANALYZEs them, and both offer to build their three indexes
 * and to ANALYZE casts (rc_bulk_offer: the first to come does each, the
 * other goes on), c2 the key first, c, free later, the covering one.
 */
static const char *const sql_take_key[] = {
	"SELECT rc_bulk_key()", "SELECT rc_bulk_casts_parent()",
};
static const char *const sql_take_c[] = {
	"SELECT rc_bulk_offer('fid_ts')",
	"SELECT rc_bulk_offer('open')",
	"SELECT rc_bulk_offer('pkey')",
	"SELECT rc_bulk_offer('casts')",
};
static const char *const sql_take_c2[] = {
	"SELECT rc_bulk_inbound_index('analyze')",
	"SELECT rc_bulk_offer('pkey')",
	"SELECT rc_bulk_offer('open')",
	"SELECT rc_bulk_offer('fid_ts')",
	"SELECT rc_bulk_offer('casts')",
};
static const char *const sql_take_open = "SELECT rc_bulk_take_open()";
static const char *const sql_take_fids = "SELECT rc_bulk_fids_mine()";
static const char *const sql_copy_fids =
    "COPY ingest_bulk_fids (fid) FROM STDIN";
static const char *const sql_take_swap = "SELECT rc_bulk_take_swap()";
static const char *const sql_copy_inbound =
    "COPY inbound_take (fid, hash, author_fid, ts, kind, deleted,"
    " answer_hash, answered_at, rt) FROM STDIN (FORMAT binary)";

int
store_bulk_derive(struct store *s, PGconn *c)
{
	PGresult	*r;
	int		 fresh;

	derive_free(s->derive);
	s->derive = NULL;
	r = PQexec(c, sql_bulk_fresh);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return -1;
	}
	fresh = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0 &&
	    (size_t)PQgetlength(r, 0, 1) < sizeof(s->token);
	if (fresh)
		snprintf(s->token, sizeof(s->token), "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	/* Out of memory: the SQL derivation does the work. */
	if (fresh)
		s->derive = derive_new(0);
	return s->derive != NULL;
}

static int
bin_raw(struct buf *b, const uint8_t *p, size_t n)
{
	if (p == NULL)
		return bin_null(b);
	return bin_u32(b, (uint32_t)n) | buf_put(b, (const char *)p, n);
}

static int
bin_time(struct buf *b, int64_t t)
{
	return bin_i64_field(b, (t - PG_EPOCH_OFFSET) * 1000000);
}

/* One row of inbound_next in COPY's binary format. */
static int
add_fact(struct buf *b, const struct derive_fact *f)
{
	int	 rc = 0;

	rc |= buf_put(b, "\0\11", 2);		/* 9 fields */
	rc |= bin_i64_field(b, f->fid);
	rc |= bin_raw(b, f->hash, 20);
	rc |= bin_i64_field(b, f->author);
	rc |= bin_time(b, f->ts);
	rc |= bin_u32(b, 2) | buf_put(b, (char[]){ 0, (char)f->kind }, 2);
	rc |= bin_u32(b, 1) | buf_putc(b, f->deleted ? 1 : 0);
	rc |= bin_raw(b, f->answer, 20);
	if (f->answer == NULL)
		rc |= bin_null(b) | bin_null(b);
	else
		rc |= bin_time(b, f->answered_at) | bin_u32(b, 4) |
		    bin_u32(b, (uint32_t)f->rt);
	return rc == 0 ? 0 : -1;
}

/*
 * Ends a COPY begun on c: what b still holds (when rc is 0), then the end,
 * or a failure when rc is -1; frees b.  0, or -1 with err set.
 */
static int
store_copy_close(PGconn *c, struct buf *b, int rc, const char *what,
    char *err, size_t errsz)
{
	if (rc == 0 && b->len > 0 && PQputCopyData(c, b->ptr, (int)b->len) != 1)
		rc = -1;
	buf_free(b);
	if (PQputCopyEnd(c, rc == 0 ? NULL : "ingester failed") != 1)
		rc = -1;
	if (store_ok(c, PQgetResult(c), what, err, errsz) == -1)
		rc = -1;
	return rc;
}

/*
 * Sends b once it holds STORE_COPY_CHUNK bytes, so that a COPY's buffer
 * stays bounded whatever it carries; 0, or -1.
 */
static int
store_copy_flush(PGconn *c, struct buf *b)
{
	if (b->len < STORE_COPY_CHUNK)
		return 0;
	if (PQputCopyData(c, b->ptr, (int)b->len) != 1)
		return -1;
	buf_reset(b);
	return 0;
}

/* Streams every derived fact into inbound_next (COPY already begun). */
static int
store_copy_facts(struct store *s, PGconn *c, char *err, size_t errsz)
{
	static const char	 header[19] = "PGCOPY\n\377\r\n";
	struct derive_fact	 f;
	struct buf		 b;
	int			 rc = 0;

	buf_init(&b, 0);
	rc |= buf_put(&b, header, sizeof(header));
	while (rc == 0 && derive_next(s->derive, &f) == 1)
		if ((rc = add_fact(&b, &f)) == 0)
			rc = store_copy_flush(c, &b);
	if (rc == 0)
		rc = buf_put(&b, "\377\377", 2);
	return store_copy_close(c, &b, rc, "copy inbound", err, errsz);
}

/* Whether the load is still this session's alone (rc_bulk_take_own). */
static int
store_take_check(PGconn *c, const char *token)
{
	const char	*p[1] = { token };
	PGresult	*r;
	int		 ok;

	r = PQexecParams(c, sql_bulk_take, 1, NULL, p, NULL, NULL, 0);
	ok = r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return ok;
}

/*
 * On c, in a transaction it leaves open: a table of the transaction's own
 * (inbound_take), then every derived fact into it.  0, or -1.
 */
static int
store_take_copy(struct store *s, PGconn *c, char *err, size_t errsz)
{
	if (store_ok(c, PQexec(c, "BEGIN"), "begin", err, errsz) == -1 ||
	    store_ok(c, PQexec(c, sql_take_open), "take", err, errsz) == -1)
		return -1;
	if (store_copy_open(c, sql_copy_inbound, "copy inbound", err,
	    errsz) == -1)
		return -1;
	return store_copy_facts(s, c, err, errsz);
}

/* The n fids the finish versions into ingest_bulk_fids, in the take: 0, or -1. */
static int
store_take_versioned(PGconn *c, const int64_t *fids, long n, char *err,
    size_t errsz)
{
	struct buf	 b;
	long		 i;
	int		 rc = 0;

	if (store_ok(c, PQexec(c, sql_take_fids), "take", err, errsz) == -1)
		return -1;
	if (store_copy_open(c, sql_copy_fids, "copy fids", err, errsz) == -1)
		return -1;
	buf_init(&b, 0);
	for (i = 0; i < n && rc == 0; i++)
		if ((rc = buf_printf(&b, "%" PRId64 "\n", fids[i])) == 0)
			rc = store_copy_flush(c, &b);
	return store_copy_close(c, &b, rc, "copy fids", err, errsz);
}

/*
 * After store_take_copy, once the key is built: the check, the facts in
 * inbound_next's place, their fids, COMMIT.  1 taken, 0 not (rolled back).
 */
static int
store_take_commit(PGconn *c, const char *token, const int64_t *fids,
    long nfids, char *err, size_t errsz)
{
	if (store_take_check(c, token) &&
	    store_ok(c, PQexec(c, sql_take_swap), "take", err, errsz) == 0 &&
	    store_take_versioned(c, fids, nfids, err, errsz) == 0)
		return store_ok(c, PQexec(c, "COMMIT"), "commit", err,
		    errsz) == 0;
	store_drop(c);
	return 0;
}

/*
 * Reads the results of n statements store_chain sent on c; the one row
 * of the first into *first when first is not NULL.  Out of pipeline
 * mode once none is left.  0, or -1 at the first error (err set).
 */
static int
store_chain_read(PGconn *c, int n, PGresult **first, char *err,
    size_t errsz)
{
	PGresult	*r;
	int		 rc = 0, idle = 0, syncs = 0;

	while (syncs < n && idle < 2) {
		if ((r = PQgetResult(c)) == NULL) {
			idle++;
			continue;
		}
		idle = 0;
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			syncs++;
			PQclear(r);
			break;
		case PGRES_TUPLES_OK:
			if (first != NULL && *first == NULL && syncs == 0 &&
			    PQntuples(r) == 1) {
				*first = r;
				break;
			}
			/* FALLTHROUGH */
		case PGRES_COMMAND_OK:
			PQclear(r);
			break;
		default:
			if (rc == 0)
				store_ok(c, r, "bulk finish", err, errsz);
			else
				PQclear(r);
			rc = -1;
		}
	}
	if (syncs < n) {
		if (rc == 0)
			snprintf(err, errsz, "bulk finish: %s",
			    PQerrorMessage(c));
		rc = -1;
	}
	/* Refused while statements are left: the caller reads them later. */
	PQexitPipelineMode(c);
	return rc;
}

#define NSQL(a)	((int)(sizeof(a) / sizeof((a)[0])))

/*
 * Sends n statements on c in pipeline mode, a sync after each, so that
 * each is its own transaction and the next starts when it ends: 0, or
 * -1 with err set (c is then out of pipeline mode).
 */
static int
store_chain(PGconn *c, const char *const *sql, int n, char *err,
    size_t errsz)
{
	int	 i = 0;

	if (!PQenterPipelineMode(c))
		goto fail;
	for (i = 0; i < n; i++)
		if (!PQsendQueryParams(c, sql[i], 0, NULL, NULL, NULL, NULL,
		    0) || !PQpipelineSync(c))
			goto fail;
	return 0;
fail:
	snprintf(err, errsz, "bulk finish: %s", PQerrorMessage(c));
	if (i > 0)
		store_chain_read(c, i, NULL, err, errsz);
	PQexitPipelineMode(c);
	return -1;
}

/*
 * With c2 the two connections share the work: c builds the casts' key
 * and then their parent index while c2 COPYs the facts and then checks
 * the casts; then the indexes of the facts on both (sql_take_*).
 */
int
store_bulk_take(struct store *s, PGconn *c, PGconn *c2, char *err,
    size_t errsz)
{
	PGconn		*t = c2 != NULL ? c2 : c;
	PGresult	*r = NULL;
	int64_t		*fids = NULL;
	long		 nfids = -1;
	int		 on, copied, taken, rc = 0;

	if (!derive_on(s->derive))
		return 0;
	if (c2 == NULL)
		r = store_row(c, sql_bulk_key, err, errsz);
	else if (store_chain(c, sql_take_key, NSQL(sql_take_key), err,
	    errsz) == -1)
		return -1;
	if (c2 == NULL && r == NULL)
		return -1;
	copied = derive_finish(s->derive) == 0 &&
	    store_take_copy(s, t, err, errsz) == 0 &&
	    (nfids = derive_fids(s->derive, &fids)) >= 0;
	if (c2 != NULL && store_chain_read(c, 1, &r, err, errsz) == -1)
		rc = -1;
	derive_free(s->derive);
	s->derive = NULL;
	on = r != NULL && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	if (r == NULL)
		rc = -1;
	PQclear(r);
	if (on && copied && rc == 0)
		taken = store_take_commit(t, s->token, fids, nfids, err,
		    errsz);
	else {
		store_drop(t);
		taken = 0;
	}
	free(fids);
	if (c2 == NULL)
		return rc == -1 ? -1 : taken;
	if (taken && store_chain(c2, sql_take_c2, NSQL(sql_take_c2), err,
	    errsz) == -1)
		taken = rc = -1;
	if (store_chain_read(c, NSQL(sql_take_key) - 1, NULL, err,
	    errsz) == -1)
		rc = -1;
	if (taken == 1 && rc == 0 && store_chain(c, sql_take_c,
	    NSQL(sql_take_c), err, errsz) == 0) {
		if (store_chain_read(c, NSQL(sql_take_c), NULL, err,
		    errsz) == -1)
			rc = -1;
	} else if (taken == 1)
		rc = -1;
	else if (rc == 0)	/* rc_bulk_casts_parent did not ANALYZE */
		rc = store_ok(c, PQexec(c, "ANALYZE casts"), "bulk finish", err,
		    errsz);
	if (taken == 1 && store_chain_read(c2, NSQL(sql_take_c2), NULL, err,
	    errsz) == -1)
		rc = -1;
	return rc == -1 ? -1 : taken;
}

int
store_cursor_get(PGconn *c, const char *source, const char *key,
    char *cursor, size_t cursorsz, int64_t *event_id)
{
	const char	*p[2] = { source, key };
	PGresult	*r;
	int		 rc = -1;

	r = PQexecParams(c, sql_cursor_get, 2, NULL, p, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		goto out;
	rc = PQntuples(r) == 1;
	if (rc == 1) {
		snprintf(cursor, cursorsz, "%s", PQgetvalue(r, 0, 0));
		*event_id = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	}
out:
	PQclear(r);
	return rc;
}
