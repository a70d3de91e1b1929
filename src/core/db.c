#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db.h"
#include "log.h"

#define DB_MAXPREP	256

struct db {
	PGconn			*conn;
	char			*dsn;
	char			 connect_timeout[16];
	char			 options[64];
	long			 delay_ms;
	long long		 last_try_ms;
	const struct db_stmt	*prep[DB_MAXPREP];	/* prepared on conn */
	size_t			 nprep;
	unsigned long		 reconnects;
	unsigned long		 errors;
	int			 ever_connected;
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
	/* work_mem: the engine sorts a user's reply times in memory. */
	snprintf(db->options, sizeof(db->options),
	    "-c statement_timeout=%ld -c work_mem=16MB", stmt_timeout);
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
	if (!ok)
		log_msg("error", "postgresql: prepare %s: %s", st->name,
		    PQerrorMessage(db->conn));
	PQclear(res);
	if (!ok)
		return -1;
	db->prep[db->nprep++] = st;
	return 0;
}

static PGresult *
db_try(struct db *db, const struct db_stmt *st, const char *const *params,
    char sqlstate[6])
{
	PGresult	*res;
	const char	*code;
	ExecStatusType	 t;

	if (db_conn(db) == NULL || db_prepare(db, st) == -1)
		return NULL;
	res = PQexecPrepared(db->conn, st->name, st->nparams, params, NULL,
	    NULL, 0);
	t = res == NULL ? PGRES_FATAL_ERROR : PQresultStatus(res);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return res;
	code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (sqlstate != NULL)
		snprintf(sqlstate, 6, "%s", code ? code : "");
	log_msg("error", "postgresql: %s: %s", st->name,
	    res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	PQclear(res);
	db->errors++;
	return NULL;
}

PGresult *
db_exec(struct db *db, const struct db_stmt *st, const char *const *params,
    char sqlstate[6])
{
	PGresult	*res;

	if (sqlstate != NULL)
		sqlstate[0] = '\0';
	if ((res = db_try(db, st, params, sqlstate)) != NULL)
		return res;
	/* A server restart shows first as a failed query on a dead socket. */
	if (st->idempotent && db->conn != NULL &&
	    PQstatus(db->conn) != CONNECTION_OK) {
		db_drop(db);
		db->last_try_ms = -db->delay_ms - 1;
		res = db_try(db, st, params, sqlstate);
	}
	return res;
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
