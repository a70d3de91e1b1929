#ifndef RC_DB_H
#define RC_DB_H

#include <libpq-fe.h>

/*
 * One persistent PostgreSQL connection per process.  Statements are
 * declared as constants (name, SQL with $n parameters) next to the code
 * that uses them, and prepared on first use on each new connection.  A
 * lost connection is reopened on the next call, at most once per
 * reconnect delay, without restarting the process.
 */
struct db;

struct db_stmt {
	const char	*name;		/* unique per process */
	const char	*sql;
	int		 nparams;
	int		 idempotent;	/* may be retried after a reconnect */
};

struct db	*db_new(const char *dsn, long connect_timeout_s,
		    long statement_timeout_ms, long reconnect_delay_ms);
void		 db_free(struct db *);	/* accepts NULL */

/* Returns 0 when a round trip to the server succeeds, else -1. */
int		 db_check(struct db *);

/*
 * Runs a prepared statement; params[i] NULL is SQL NULL.  Returns a result
 * with status COMMAND_OK or TUPLES_OK (the caller PQclear()s it), or NULL
 * on any failure (logged, with the SQLSTATE in *sqlstate when given).
 */
PGresult	*db_exec(struct db *, const struct db_stmt *,
		    const char *const *params, char sqlstate[6]);

/*
 * Runs a prepared statement and hands each row of its result to fn as it
 * arrives (libpq's single-row mode), so that no whole result is held:
 * row is a result of one row.  fn(arg, NULL) comes first, and again
 * before a retry on another connection: start over.  fn returns 0 to go
 * on, -1 to stop, which fails the call.  Returns 0 once every row was
 * handed over, -1 on any failure (logged as db_exec's).
 */
typedef int	 db_row_fn(void *arg, const PGresult *row);
int		 db_each(struct db *, const struct db_stmt *,
		    const char *const *params, char sqlstate[6], db_row_fn *,
		    void *arg);

/* 1 when the connection was lost or the last connect failed; no new try. */
int		 db_lost(const struct db *);
/*
 * 1 when the last statement failed because the server was too busy: the
 * statement timeout (57014), out of resources (class 53), a lock not had
 * (55P03).  The same request later may well succeed.
 */
int		 db_busy(const struct db *);

/* The live connection, connecting if needed; NULL when down. */
PGconn		*db_conn(struct db *);

/*
 * A read handle: statements run on the replica DSN names when it is fresh
 * enough for the request (it has replayed what the primary had committed
 * when the request first asked, and lags at most max_lag_ms), else on
 * primary, which it does not own.  db_read_begin starts a request.
 */
enum db_read {
	DB_READ_NONE,		/* not a read handle */
	DB_READ_REPLICA,	/* read on the replica */
	DB_READ_BEHIND,		/* it had not replayed the primary's position */
	DB_READ_LAGGING,	/* it lags more than the bound */
	DB_READ_NOT_REPLICA,	/* it is not in recovery (promoted?) */
	DB_READ_DOWN,		/* it (or the primary) did not answer */
	DB_READ_FAILED,		/* a statement failed there, ran on the primary */
	DB_READ__MAX
};

struct db	*db_read_new(struct db *primary, const char *dsn,
		    long connect_timeout_s, long statement_timeout_ms,
		    long reconnect_delay_ms, long max_lag_ms);
void		 db_read_begin(struct db *);
/* Asks the replica now: where a read would go, and its lag (-1: unknown). */
enum db_read	 db_read_state(struct db *, long long *lag_ms);
/* The replica's lag as last measured: -1 unknown, DB_READ_LAG_NONE no replica. */
#define DB_READ_LAG_NONE	(-2LL)
long long	 db_read_lag(const struct db *);
/* Requests routed for each reason since start. */
unsigned long	 db_read_count(const struct db *, enum db_read);
const char	*db_read_name(enum db_read);

unsigned long	 db_reconnects(const struct db *);
unsigned long	 db_errors(const struct db *);

#endif
