#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "ing.h"
#include "store.h"

#define STORE_MAX_CASTS_BYTES	(1536u * 1024u * 1024u)

enum store_tab { TAB_CASTS, TAB_REMOVES, TAB_PROFILES, TAB_LINKS, TAB__MAX };

/* Casts go to the stage, or straight to "casts" during a bulk load. */
static const char *const store_copy_bulk =
    "COPY casts (hash, fid, ts, text, parent_hash, parent_fid,"
    " parent_url, mentions, root_hash) FROM STDIN (FORMAT binary)";
static const char *const store_copy[TAB__MAX] = {
	"COPY stage_cast_rows (hash, fid, ts, text, parent_hash, parent_fid,"
	    " parent_url, mentions, root_hash) FROM STDIN (FORMAT binary)",
	"COPY stage_removes (hash, fid, ts) FROM STDIN",
	"COPY stage_profiles (fid, ts, username, display_name, pfp_url, bio,"
	    " url) FROM STDIN",
	"COPY stage_links (fid, target_fid, ts, added) FROM STDIN",
};

static const char *const sql_stage = "SELECT rc_stage_open()";
static const char *const sql_apply =
    "SELECT casts_new, casts_dup, removed, profiles, links, inbound_new,"
    " array_to_string(fids, ',') FROM rc_apply_stage()";
static const char *const sql_apply_commit =
    "SELECT casts_new, casts_dup, removed, profiles, links, inbound_new,"
    " array_to_string(fids, ',') FROM rc_apply_stage(); COMMIT";
static const char *const sql_cursor_set =
    "INSERT INTO ingest_cursors (source, key, cursor, event_id)"
    " VALUES ($1, $2, $3, $4::bigint)"
    " ON CONFLICT (source, key) DO UPDATE SET cursor = EXCLUDED.cursor,"
    " event_id = EXCLUDED.event_id, updated_at = now()";
static const char *const sql_bulk_begin = "SELECT rc_bulk_begin()";
static const char *const sql_bulk_finish =
    "SELECT casts_new, inbound_new, fids FROM rc_bulk_finish()";
/*
 * The steps of a bulk load's end (migrations/0008_bulk_steps.sql) on two
 * connections: per phase, what each runs; rc_bulk_finish then swaps.
 */
static const char *const sql_bulk_key = "SELECT rc_bulk_key()";
static const char *const sql_bulk_steps[][2] = {
	{ "SELECT rc_bulk_derive(1)", "SELECT rc_bulk_derive(0)" },
	{ "SELECT rc_bulk_casts_index(); SELECT rc_bulk_inbound_index('open')",
	  "SELECT rc_bulk_inbound_index('pkey');"
	  " SELECT rc_bulk_inbound_index('fid_ts');"
	  " SELECT rc_bulk_inbound_index('analyze')" },
};
static const char *const sql_cursor_get =
    "SELECT coalesce(cursor, ''), coalesce(event_id, 0)"
    " FROM ingest_cursors WHERE source = $1 AND key = $2";

struct store {
	struct buf	 tab[TAB__MAX];
	size_t		 nrec;
	long long	 records;
	int		 async;		/* store_set_async */
	int		 inflight;	/* a batch's apply and COMMIT were sent */
	long long	 inflight_nrec;
	struct buf	 fids;
	struct buf	 committed;	/* fids of batches committed since taken */
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
	buf_init(&s->fids, 0);
	buf_init(&s->committed, 0);
	return s;
}

void
store_free(struct store *s)
{
	int	 i;

	if (s == NULL)
		return;
	for (i = 0; i < TAB__MAX; i++)
		buf_free(&s->tab[i]);
	buf_free(&s->fids);
	buf_free(&s->committed);
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

static int
hex_nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/* A normalized "0x" + 40 hex hash as 20 raw bytes; "" is NULL. */
static int
bin_hash(struct buf *b, const char *hash)
{
	char	 raw[(ING_HASH_LEN - 2) / 2];
	size_t	 i;
	int	 hi, lo;

	if (hash[0] == '\0')
		return bin_null(b);
	if (strlen(hash) != ING_HASH_LEN)
		return -1;
	for (i = 0; i < sizeof(raw); i++) {
		hi = hex_nibble(hash[2 + 2 * i]);
		lo = hex_nibble(hash[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		raw[i] = (char)(hi << 4 | lo);
	}
	return bin_u32(b, sizeof(raw)) | buf_put(b, raw, sizeof(raw));
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
	rc |= buf_put(b, "\0\11", 2);		/* 9 fields */
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
		break;
	case ING_CAST_REMOVE:
		rc = copy_hash(&s->tab[TAB_REMOVES], r->u.remove.hash) |
		    buf_printf(&s->tab[TAB_REMOVES], "\t%" PRId64 "\t",
		    r->u.remove.fid) |
		    copy_time(&s->tab[TAB_REMOVES], r->u.remove.time) |
		    buf_putc(&s->tab[TAB_REMOVES], '\n');
		break;
	case ING_PROFILE:
		rc = add_profile(&s->tab[TAB_PROFILES], &r->u.profile);
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

static int
store_copy_one(PGconn *c, const char *sql, struct buf *b, char *err,
    size_t errsz)
{
	PGresult	*r;
	size_t		 off, n;

	if (b->len == 0)
		return 0;
	r = PQexec(c, sql);
	if (r == NULL || PQresultStatus(r) != PGRES_COPY_IN) {
		snprintf(err, errsz, "copy: %s", r ? PQresultErrorMessage(r) :
		    PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	for (off = 0; off < b->len; off += n) {
		n = b->len - off > (1u << 20) ? (1u << 20) : b->len - off;
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

/* Reads rc_apply_stage's row into t and the fids; clears r. */
static int
store_apply_result(struct store *s, PGconn *c, PGresult *r,
    struct store_counts *t, char *err, size_t errsz)
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
	buf_reset(&s->fids);
	buf_puts(&s->fids, PQgetvalue(r, 0, 6));
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
}

void
store_set_async(struct store *s, int on)
{
	s->async = on;
}

int
store_wait(struct store *s, PGconn *c, struct store_counts *total,
    char *err, size_t errsz)
{
	struct store_counts	 t = { 0 };
	PGresult		*r;
	int			 n = 0, rc = 0;

	if (!s->inflight)
		return 0;
	s->inflight = 0;
	/* Two results: the apply's row, then the COMMIT's. */
	while ((r = PQgetResult(c)) != NULL) {
		if (rc == -1)
			PQclear(r);
		else if (n == 0)
			rc = store_apply_result(s, c, r, &t, err, errsz);
		else
			rc = store_ok(c, r, "commit", err, errsz);
		n++;
	}
	if (rc == 0 && n != 2) {
		snprintf(err, errsz, "commit: %s", PQerrorMessage(c));
		rc = -1;
	}
	if (rc == -1) {
		PQclear(PQexec(c, "ROLLBACK"));
		buf_reset(&s->fids);
		return -1;
	}
	store_count(total, &t, s->inflight_nrec);
	store_committed(s);
	return 0;
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

int
store_flush(struct store *s, PGconn *c, const struct store_cursor *cur,
    struct store_counts *total, char *err, size_t errsz)
{
	struct store_counts	 t = { 0 };
	long long		 nrec = (long long)s->nrec;
	int			 i, bulk;

	if (store_wait(s, c, total, err, errsz) == -1) {
		store_reset(s);
		return -1;
	}
	buf_reset(&s->fids);
	if (s->nrec == 0 && cur == NULL)
		return 0;
	if (store_ok(c, PQexec(c, "BEGIN"), "begin", err, errsz) == -1)
		goto fail;
	if (s->nrec > 0) {
		if ((bulk = store_stage(c, err, errsz)) == -1)
			goto fail;
		if (s->tab[TAB_CASTS].len > 0 &&
		    buf_put(&s->tab[TAB_CASTS], "\377\377", 2) == -1) {
			snprintf(err, errsz, "copy: out of memory");
			goto fail;
		}
		for (i = 0; i < TAB__MAX; i++)
			if (store_copy_one(c, i == TAB_CASTS && bulk ?
			    store_copy_bulk : store_copy[i], &s->tab[i], err,
			    errsz) == -1)
				goto fail;
		if (cur == NULL && s->async) {
			/* The server merges and commits while the caller reads on. */
			if (PQsendQuery(c, sql_apply_commit) != 1) {
				snprintf(err, errsz, "apply: %s", PQerrorMessage(c));
				goto fail;
			}
			s->inflight = 1;
			s->inflight_nrec = nrec;
			store_reset(s);
			return 0;
		}
		if (store_apply_result(s, c, PQexec(c, sql_apply), &t, err,
		    errsz) == -1)
			goto fail;
	}
	if (cur != NULL && store_set_cursor(c, cur, err, errsz) == -1)
		goto fail;
	if (store_ok(c, PQexec(c, "COMMIT"), "commit", err, errsz) == -1)
		goto fail;
	store_reset(s);
	store_count(total, &t, nrec);
	store_committed(s);
	return 0;
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	store_reset(s);
	buf_reset(&s->fids);
	return -1;
}

int
store_bulk_begin(PGconn *c, char *err, size_t errsz)
{
	return store_ok(c, PQexec(c, sql_bulk_begin), "bulk begin", err, errsz);
}

/* Runs sql, which returns one row: its result, or NULL with err set. */
static PGresult *
store_row(PGconn *c, const char *sql, char *err, size_t errsz)
{
	PGresult	*r;

	r = PQexec(c, sql);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK ||
	    PQntuples(r) != 1) {
		snprintf(err, errsz, "bulk finish: %s", r ?
		    PQresultErrorMessage(r) : PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	return r;
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
		if (!PQsendQuery(c, sql_bulk_steps[i][0])) {
			snprintf(err, errsz, "bulk finish: %s",
			    PQerrorMessage(c));
			return -1;
		}
		if (!PQsendQuery(c2, sql_bulk_steps[i][1])) {
			snprintf(err, errsz, "bulk finish: %s",
			    PQerrorMessage(c2));
			store_drain(c, err, errsz);
			return -1;
		}
		rc = store_drain(c, err, errsz);
		if (store_drain(c2, err, errsz) == -1 || rc == -1)
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
	return 0;
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
