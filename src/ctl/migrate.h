#ifndef RC_CTL_MIGRATE_H
#define RC_CTL_MIGRATE_H

#include <libpq-fe.h>

/*
 * Applies every dir/NNNN_name.sql not yet recorded in schema_migrations,
 * in name order, each in its own transaction.  Returns the number applied,
 * or -1 after printing which file failed and why.
 */
int	 migrate_run(PGconn *, const char *dir, int verbose);

#endif
