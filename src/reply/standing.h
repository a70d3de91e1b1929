#ifndef RC_STANDING_H
#define RC_STANDING_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct json_object;

/*
 * Where I stand (docs/engine.md): a user's median reply time as a
 * percentile among this instance's tracked users with enough inbound
 * casts.  standing_refresh computes every tracked user's figures from the
 * read model into the standing table (migrations/0016_standing.sql);
 * standing_json reads one user's place from it and shows no other user's
 * figures.
 */
#define STANDING_MIN_INBOUND	30	/* inbound casts a user needs in the window */

/* 1 when days is one of the windows refreshed: 7, 30, 90. */
int			 standing_window_ok(int days);

struct standing_run {
	long	 users;		/* tracked users computed */
	long	 sql;		/* of their figures, served by SQL, not memory */
	int	 skipped;	/* another refresh held the lock: nothing done */
};

/*
 * Every tracked user's inbound, answered and median for each window
 * ending at now, computed from a read model of facts_mb MiB made for this
 * run (SQL for what it cannot hold), then written; rows of fids no longer
 * tracked are dropped.  One refresh at a time (an advisory lock).  0, or
 * -1 on a database error (what was written stays).
 */
int			 standing_refresh(struct db *, long facts_mb, int64_t now,
			    struct standing_run *);
/* 1 when the newest refresh is every_s seconds old or none was made, 0 not, -1. */
int			 standing_due(struct db *, long every_s);

/*
 * fid's place for a window of days (standing_window_ok) from the newest
 * refresh, hidden (with a reason) below min_group users; a new object, or
 * NULL on a database error.
 */
struct json_object	*standing_json(struct db *, int64_t fid, int days,
			    long min_group);

/*
 * The plain sentence of a shown place into s: 0, or -1 when s is too small.
 * percent: of the others in the group, others: group size - 1.
 */
int			 standing_sentence(char *s, size_t sz, int percent,
			    long long others, int days);

#endif
