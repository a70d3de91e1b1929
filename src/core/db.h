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

/* The live connection, connecting if needed; NULL when down. */
PGconn		*db_conn(struct db *);

unsigned long	 db_reconnects(const struct db *);
unsigned long	 db_errors(const struct db *);

#endif
