#ifndef RC_STORE_H
#define RC_STORE_H
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

struct buf;

struct ing_rec;

/*
 * Writes batches of ingested records.  Records are buffered in COPY text
 * form; store_flush sends them to session-local stage tables and merges
 * them with rc_apply_stage() (migrations/0003_apply.sql, 0007), all in one
 * transaction together with an optional cursor, so that a batch and the
 * place to resume after it land together or not at all.
 */
struct store;

struct store_counts {
	long long	 records;	/* records handed to store_add */
	long long	 casts_new;
	long long	 casts_dup;	/* already stored: changed nothing */
	long long	 removed;
	long long	 profiles;
	long long	 links;
	long long	 inbound_new;
	long long	 likes;		/* likes and unlikes that changed a pair */
};

/* Where to resume: written in the batch's transaction when given. */
struct store_cursor {
	const char	*source;	/* e.g. "hub-events", "hub-fid" */
	const char	*key;		/* e.g. the hub URL, "URL fid=3 castsByFid" */
	const char	*cursor;	/* page token, or NULL */
	int64_t		 event_id;	/* 0: none */
};

struct store	*store_new(void);
void		 store_free(struct store *);	/* accepts NULL */
int		 store_add(struct store *, const struct ing_rec *);
size_t		 store_pending(const struct store *);

/*
 * Sends the pending records (there may be none when only the cursor
 * moves).  Returns 0 and adds to *total, or -1 with the batch rolled back
 * and the reason in err.  The buffers are emptied either way.
 */
int		 store_flush(struct store *, PGconn *, const struct store_cursor *,
		    struct store_counts *total, char *err, size_t errsz);

/*
 * Asynchronous flushes (off by default): a flush without a cursor hands
 * the batch to a thread that sends it, its merge and its COMMIT on the
 * connection, and returns at once, so that the caller parses the next
 * batch meanwhile; the connection is the thread's until the next flush
 * or store_wait, which reads the outcome: -1 then means that batch was
 * rolled back.  Call store_wait before using the connection, trusting
 * the totals or ending the run.
 */
void		 store_set_async(struct store *, int on);
int		 store_wait(struct store *, PGconn *, struct store_counts *total,
		    char *err, size_t errsz);

/*
 * Reads a stored cursor.  Returns 1 and fills cursor/event_id when found,
 * 0 when none, -1 on error.
 */
int		 store_cursor_get(PGconn *, const char *source, const char *key,
		    char *cursor, size_t cursorsz, int64_t *event_id);

/*
 * Bulk mode (migrations/0007_ingest_bulk.sql): from store_bulk_begin on,
 * every flush (of any process) stores casts, removals, profiles and links
 * but no inbound facts, and the casts' parent index is gone.
 * store_bulk_finish derives the inbound facts of every cast at once,
 * rebuilds the indexes and gives every fid a new data version, in one
 * transaction; it does nothing when no bulk load is under way.  A bulk
 * load that was cut off stays under way until one finishes it.  With a
 * second connection c2 (may be NULL), the work before the final swap runs
 * on both at once (migrations/0008_bulk_steps.sql).  Both
 * return 0, or -1 with the reason in err; *fids: how many were bumped.
 */
int		 store_bulk_begin(PGconn *, char *err, size_t errsz);
int		 store_bulk_finish(PGconn *, PGconn *c2, struct store_counts *total,
		    long long *fids, char *err, size_t errsz);

/*
 * A bulk load into empty casts and removals can bring its inbound facts
 * itself (src/reply/derive.h, migrations/0012_bulk_take.sql):
 * store_bulk_derive, right after store_bulk_begin, makes the store keep
 * what each cast needs (1 when on, 0 when the tables were not empty
 * or memory ran out, -1 when the query failed).
 * store_bulk_take, before store_bulk_finish, puts the casts' key back
 * and, when the server's casts and removals are the ones this store
 * sent, puts the facts in the new inbound table.  With c2 (may be NULL)
 * the facts go in while the key is built, and the indexes follow on
 * both connections, so that store_bulk_finish then needs no c2.  1
 * taken, 0 not (the SQL derivation then runs in store_bulk_finish), -1
 * with err set.
 */
int		 store_bulk_derive(struct store *, PGconn *);
int		 store_bulk_take(struct store *, PGconn *, PGconn *c2, char *err,
		    size_t errsz);

/* Lists the fids whose data version the last flush bumped (comma-separated). */
const char	*store_last_fids(const struct store *);
/*
 * Moves into out the fids of every batch committed since the last call
 * (comma-separated, repeats possible): the versions to publish.  0, or -1
 * when out's limit or memory ran out (the list is dropped either way).
 */
int		 store_take_fids(struct store *, struct buf *out);

#endif
