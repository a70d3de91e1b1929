#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db.h"
#include "log.h"

#define DB_MAXPREP	256

/*
 * A read handle's routing (db_read_new): its own connection is to the
 * replica; the primary is another handle, not owned.
 */
struct db_route {
	struct db		*primary;
	long			 max_lag_ms;
	unsigned long		 epoch;		/* db_read_begin calls */
	unsigned long		 decided;	/* the epoch of 'to' */
	struct db		*to;		/* this epoch's choice */
	enum db_read		 last;		/* the last probe's answer */
	long long		 last_at_ms;	/* when, monotonic */
	long long		 lag_ms;	/* last measured; -1: unknown */
	unsigned long		 n[DB_READ__MAX];
};

struct db {
	PGconn			*conn;
	struct db_route		*route;		/* NULL: an ordinary handle */
	char			*dsn;
	char			 connect_timeout[16];
	char			 options[128];
	long			 delay_ms;
	long long		 last_try_ms;
	const struct db_stmt	*prep[DB_MAXPREP];	/* prepared on conn */
	size_t			 nprep;
	unsigned long		 reconnects;
	unsigned long		 errors;
	int			 ever_connected;
	int			 busy;		/* the last statement: see db_busy */
};


struct db *
db_new(const char *dsn, long connect_timeout, long stmt_timeout, long delay)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->dsn = strdup(dsn)) == NULL) {
		free(db);
		return NULL;
	}
	snprintf(db->connect_timeout, sizeof(db->connect_timeout), "%ld",
	    connect_timeout);
	/*
	 * work_mem: the engine sorts a user's reply times in memory.  jit:
	 * compiling a plan costs more than these queries run (the priority
	 * inbox of a user with 19 400 open casts: 290 ms of JIT in 630 ms).
	 * plan_cache_mode: a prepared statement's generic plan, which
	 * PostgreSQL picks after five runs, cannot know that one fid has 50 000
	 * inbound casts and the next 20; the same inbox took 15 to 20 s with
	 * it against 0.2 to 0.5 s planned for its parameters.
	 */
	snprintf(db->options, sizeof(db->options),
	    "-c statement_timeout=%ld -c work_mem=16MB -c jit=off"
	    " -c plan_cache_mode=force_custom_plan", stmt_timeout);
	db->delay_ms = delay;
	db->last_try_ms = -delay - 1;
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->route);
	free(db->dsn);
	free(db);
}

static void
db_drop(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->nprep = 0;
}

/*
 * Between transactions the server sends nothing unasked, except when it
 * goes away: a restart or an idle timeout sends a FATAL message, then EOF,
 * which libpq only notices once it has sent the next statement.  Anything
 * to read on an idle connection means a new one, before anything is sent,
 * so that no statement, a write included, is lost to a dead connection.
 */
static int
db_quiet(PGconn *c)
{
	struct pollfd	 p;

	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		return 1;
	p.fd = PQsocket(c);
	p.events = POLLIN;
	p.revents = 0;
	return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

PGconn *
db_conn(struct db *db)
{
	/* The DSN comes last, so that what it sets overrides these defaults. */
	const char *const keys[] = { "connect_timeout", "options",
	    "application_name", "dbname", NULL };
	const char *vals[] = { db->connect_timeout, db->options, "replycast",
	    db->dsn, NULL };
	long long	 now;

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
	    db_quiet(db->conn))
		return db->conn;
	db_drop(db);
	now = clock_mono_ms();
	if (now - db->last_try_ms < db->delay_ms)
		return NULL;
	db->last_try_ms = now;
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		log_msg("error", "postgresql: connect failed: %s",
		    db->conn ? PQerrorMessage(db->conn) : "out of memory");
		db_drop(db);
		db->errors++;
		return NULL;
	}
	if (db->ever_connected)
		db->reconnects++;
	db->ever_connected = 1;
	return db->conn;
}

/* A failure with this SQLSTATE (NULL: none) says the server was busy. */
static void
db_note_busy(struct db *db, const char *code)
{
	db->busy = code != NULL && (strcmp(code, "57014") == 0 ||
	    strncmp(code, "53", 2) == 0 || strcmp(code, "55P03") == 0);
}

static int
db_prepare(struct db *db, const struct db_stmt *st)
{
	PGresult	*res;
	size_t		 i;
	int		 ok;

	for (i = 0; i < db->nprep; i++)
		if (db->prep[i] == st)
			return 0;
	if (db->nprep == DB_MAXPREP)
		return -1;
	res = PQprepare(db->conn, st->name, st->sql, st->nparams, NULL);
	ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) {
		db_note_busy(db, res ? PQresultErrorField(res,
		    PG_DIAG_SQLSTATE) : NULL);
		log_msg("error", "postgresql: prepare %s: %s", st->name,
		    PQerrorMessage(db->conn));
	}
	PQclear(res);
	if (!ok)
		return -1;
	db->prep[db->nprep++] = st;
	return 0;
}

/*
 * One statement's call: its result whole (fn NULL), or each row handed to
 * fn as it arrives.
 */
struct db_call {
	const struct db_stmt	*st;
	const char *const	*params;
	db_row_fn		*fn;
	void			*arg;
	PGresult		*res;	/* the whole result, when fn is NULL */
};

/* A failed statement: logged, counted, its SQLSTATE kept; -1. */
static int
db_failed(struct db *db, const struct db_stmt *st, const PGresult *res,
    char sqlstate[6])
{
	const char	*code;

	code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	db_note_busy(db, code);
	if (sqlstate != NULL)
		snprintf(sqlstate, 6, "%s", code ? code : "");
	log_msg("error", "postgresql: %s: %s", st->name,
	    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	db->errors++;
	return -1;
}

/*
 * Row by row in libpq's single-row mode.  Once fn stops or the server
 * fails, the rest is read and dropped: the connection is then idle again.
 */
static int
db_try_each(struct db *db, struct db_call *c, char sqlstate[6])
{
	PGresult	*res;
	ExecStatusType	 t;
	int		 rc = -1, stop = 0;

	if (c->fn(c->arg, NULL) == -1)
		return -1;
	if (!PQsendQueryPrepared(db->conn, c->st->name, c->st->nparams,
	    c->params, NULL, NULL, 0))
		return db_failed(db, c->st, NULL, sqlstate);
	if (!PQsetSingleRowMode(db->conn)) {
		log_msg("error", "postgresql: %s: no single-row mode",
		    c->st->name);
		stop = 1;
	}
	while ((res = PQgetResult(db->conn)) != NULL) {
		t = PQresultStatus(res);
		if (stop)
			;
		else if (t == PGRES_SINGLE_TUPLE) {
			if (c->fn(c->arg, res) == -1)
				stop = 1;
		} else if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK)
			rc = 0;
		else {
			stop = 1;
			db_failed(db, c->st, res, sqlstate);
		}
		PQclear(res);
	}
	return rc;
}

static int
db_try(struct db *db, struct db_call *c, char sqlstate[6])
{
	ExecStatusType	 t;

	db->busy = 0;
	if (db_conn(db) == NULL || db_prepare(db, c->st) == -1)
		return -1;
	if (c->fn != NULL)
		return db_try_each(db, c, sqlstate);
	c->res = PQexecPrepared(db->conn, c->st->name, c->st->nparams,
	    c->params, NULL, NULL, 0);
	t = c->res == NULL ? PGRES_FATAL_ERROR : PQresultStatus(c->res);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return 0;
	db_failed(db, c->st, c->res, sqlstate);
	PQclear(c->res);
	c->res = NULL;
	return -1;
}

static struct db	*db_read_pick(struct db *);
static int	 db_plain_run(struct db *, struct db_call *, char[6]);

/*
 * A statement the replica failed for a reason of its own, which the
 * primary would not share: the connection (no SQLSTATE, class 08), a
 * shutdown or crash (57P0x), a conflict with replay (40001), resources
 * (class 53).  A bad parameter or a timeout would fail there too.
 */
static int
db_replica_fault(const char code[6])
{
	return code[0] == '\0' || strncmp(code, "08", 2) == 0 ||
	    strncmp(code, "57P0", 4) == 0 || strcmp(code, "40001") == 0 ||
	    strncmp(code, "53", 2) == 0;
}

static int
db_run(struct db *db, struct db_call *c, char sqlstate[6])
{
	struct db	*to;
	char		 code[6];

	if (db->route != NULL) {
		if ((to = db_read_pick(db)) != db)
			return db_run(to, c, sqlstate);
		if (db_plain_run(db, c, code) == 0)
			return 0;
		if (sqlstate != NULL)
			memcpy(sqlstate, code, 6);
		if (!db_replica_fault(code))
			return -1;
		db->route->n[DB_READ_FAILED]++;
		return db_run(db->route->primary, c, sqlstate);
	}
	return db_plain_run(db, c, sqlstate);
}

static int
db_plain_run(struct db *db, struct db_call *c, char sqlstate[6])
{
	if (sqlstate != NULL)
		sqlstate[0] = '\0';
	if (db_try(db, c, sqlstate) == 0)
		return 0;
	/* A server restart shows first as a failed query on a dead socket. */
	if (c->st->idempotent && db->conn != NULL &&
	    PQstatus(db->conn) != CONNECTION_OK) {
		db_drop(db);
		db->last_try_ms = -db->delay_ms - 1;
		return db_try(db, c, sqlstate);
	}
	return -1;
}

static PGresult *
db_plain_exec(struct db *db, const struct db_stmt *st,
    const char *const *params, char sqlstate[6])
{
	struct db_call	 c = { st, params, NULL, NULL, NULL };

	return db_plain_run(db, &c, sqlstate) == 0 ? c.res : NULL;
}

PGresult *
db_exec(struct db *db, const struct db_stmt *st, const char *const *params,
    char sqlstate[6])
{
	struct db_call	 c = { st, params, NULL, NULL, NULL };

	return db_run(db, &c, sqlstate) == 0 ? c.res : NULL;
}

int
db_each(struct db *db, const struct db_stmt *st, const char *const *params,
    char sqlstate[6], db_row_fn *fn, void *arg)
{
	struct db_call	 c = { st, params, fn, arg, NULL };

	return db_run(db, &c, sqlstate);
}

static const struct db_stmt db_ping = {
	"rc_ping", "SELECT 1", 0, 1
};

int
db_check(struct db *db)
{
	PGresult	*res;

	if ((res = db_exec(db, &db_ping, NULL, NULL)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
db_lost(const struct db *db)
{
	if (db->conn == NULL)
		return db->last_try_ms >= 0;	/* a connect was tried, and failed */
	return PQstatus(db->conn) != CONNECTION_OK;
}

int
db_busy(const struct db *db)
{
	return db->busy;
}

unsigned long
db_reconnects(const struct db *db)
{
	return db->reconnects;
}

unsigned long
db_errors(const struct db *db)
{
	return db->errors;
}

/*
 * Read handles.  A replica is fresh enough for a request when it has
 * replayed the primary's WAL position as the request first asks: then it
 * holds every commit the request could know of (a data version it saw in
 * Redis is bumped only after its commit), and a figure computed there may
 * be cached under that version.  Two small round trips per request that
 * reads SQL at all; none for requests the read model answers.
 */
static const struct db_stmt db_stmt_lsn = {
	"rc_read_lsn", "SELECT pg_current_wal_lsn()::text", 0, 1
};
static const struct db_stmt db_stmt_replayed = {
	"rc_read_replayed",
	"SELECT pg_is_in_recovery(),"
	" COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false),"
	" CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
	" ELSE COALESCE((extract(epoch FROM now() -"
	" pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END",
	1, 1
};

struct db *
db_read_new(struct db *primary, const char *dsn, long connect_timeout,
    long stmt_timeout, long delay, long max_lag_ms)
{
	struct db	*db;

	if ((db = db_new(dsn, connect_timeout, stmt_timeout, delay)) == NULL)
		return NULL;
	if ((db->route = calloc(1, sizeof(*db->route))) == NULL) {
		db_free(db);
		return NULL;
	}
	db->route->primary = primary;
	db->route->max_lag_ms = max_lag_ms;
	db->route->lag_ms = -1;
	return db;
}

void
db_read_begin(struct db *db)
{
	if (db->route != NULL)
		db->route->epoch++;
}

/* Measures the replica against the primary's current position. */
static enum db_read
db_read_probe(struct db *db)
{
	struct db_route	*rt = db->route;
	PGresult	*lsn = NULL, *r = NULL;
	const char	*p[1];
	enum db_read	 to = DB_READ_DOWN;

	if ((lsn = db_plain_exec(rt->primary, &db_stmt_lsn, NULL, NULL)) == NULL)
		goto out;	/* the primary's own failure follows */
	p[0] = PQgetvalue(lsn, 0, 0);
	if ((r = db_plain_exec(db, &db_stmt_replayed, p, NULL)) == NULL)
		goto out;
	rt->lag_ms = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
		to = DB_READ_NOT_REPLICA;
	else if (rt->lag_ms > rt->max_lag_ms)
		to = DB_READ_LAGGING;
	else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
		to = DB_READ_BEHIND;
	else
		to = DB_READ_REPLICA;
out:
	if (to == DB_READ_DOWN)
		rt->lag_ms = -1;
	PQclear(lsn);
	PQclear(r);
	return to;
}

static struct db *
db_read_pick(struct db *db)
{
	struct db_route	*rt = db->route;
	enum db_read	 why;

	if (rt->decided == rt->epoch && rt->to != NULL)
		return rt->to;
	/*
	 * Found lagging past the bound or down a moment ago: not asked again
	 * for a second, so that a replica that hangs costs one connect
	 * timeout a second, not one a request.
	 */
	if ((rt->last == DB_READ_LAGGING || rt->last == DB_READ_DOWN) &&
	    clock_mono_ms() - rt->last_at_ms < 1000)
		why = rt->last;
	else {
		why = rt->last = db_read_probe(db);
		rt->last_at_ms = clock_mono_ms();
	}
	rt->n[why]++;
	rt->decided = rt->epoch;
	rt->to = why == DB_READ_REPLICA ? db : rt->primary;
	return rt->to;
}

enum db_read
db_read_state(struct db *db, long long *lag_ms)
{
	enum db_read	 why;

	if (db->route == NULL)
		return DB_READ_NONE;
	why = db_read_probe(db);
	*lag_ms = db->route->lag_ms;
	return why;
}

long long
db_read_lag(const struct db *db)
{
	return db->route == NULL ? DB_READ_LAG_NONE : db->route->lag_ms;
}

unsigned long
db_read_count(const struct db *db, enum db_read why)
{
	return db->route != NULL && (unsigned)why < DB_READ__MAX ?
	    db->route->n[why] : 0;
}

const char *
db_read_name(enum db_read why)
{
	static const char *const names[DB_READ__MAX] = {
		"none", "replica", "behind", "lagging", "not_replica", "down",
		"failed",
	};

	return (unsigned)why < DB_READ__MAX ? names[why] : "?";
}
