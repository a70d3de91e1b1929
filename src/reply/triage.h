#ifndef RC_TRIAGE_H
#define RC_TRIAGE_H
#include <stddef.h>
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

/*
 * The same for n casts at once (at most TRIAGE_MANY_MAX, hashes already
 * checked as "0x" + 40 lower-case hex): TRIAGE_OK when every one is the
 * user's, and only then is anything changed (one statement: all or none).
 */
#define TRIAGE_MANY_MAX	100
enum triage_op { TRIAGE_DONE, TRIAGE_SNOOZE, TRIAGE_CLEAR };
enum triage_res	 triage_many(struct db *, int64_t fid, const char *const *hash,
		    size_t n, enum triage_op, int64_t until);

#endif
