#ifndef RC_TRIAGE_H
#define RC_TRIAGE_H
#include <stdint.h>

struct db;

/*
 * Inbox triage of one user's inbound casts (migrations/0005_triage.sql),
 * shared by the API and the dashboard.  hash is "0x" + 40 hex.
 */
enum triage_res { TRIAGE_OK = 0, TRIAGE_NOTFOUND, TRIAGE_EDB };

/* until 0: done; else snoozed until that unix time. */
enum triage_res	 triage_set(struct db *, int64_t fid, const char *hash,
		    int64_t until);
enum triage_res	 triage_clear(struct db *, int64_t fid, const char *hash);

#endif
