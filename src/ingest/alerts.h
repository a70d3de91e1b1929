#ifndef RC_INGEST_ALERTS_H
#define RC_INGEST_ALERTS_H
#include <signal.h>

struct cfg;
struct db;

/*
 * The worker's scheduled jobs (migrations/0017_alerts.sql): goal alerts,
 * the daily answered-share alert and the weekly digest put rows into the
 * deliveries outbox, once per (user, kind, period, channel); the outbox is
 * then sent, at least once, to the user's webhook (signed) and mini-app
 * notification URLs.  All state is in PostgreSQL, so a killed worker
 * resumes where it was: a claim it held comes due again after
 * RC_JOB_LEASE_S and is sent with the same id.
 */

/*
 * One round: runs what is due on the schedule, then sends what is due in
 * the outbox; stops early when *stop is set.  -1 when PostgreSQL failed.
 */
int	 alerts_tick(struct db *, const struct cfg *,
	    volatile sig_atomic_t *stop);

#endif
