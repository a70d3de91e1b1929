#ifndef RC_DERIVE_H
#define RC_DERIVE_H
#include <stddef.h>
#include <stdint.h>

struct ing_cast;
struct ing_remove;

/*
 * The inbound facts of a bulk load into an empty store, derived in the
 * ingester from the records it sent (docs/ingest.md): the same rows
 * rc_bulk_derive() makes in SQL, without scanning and joining every cast
 * again on the server.  The store uses them only when nobody but the
 * session that sent these records wrote casts or removals during the load
 * (rc_bulk_take_own, migration 0025); otherwise the SQL derivation runs
 * as before.
 */
struct derive;

/* One inbound fact; the pointers live until derive_free. */
struct derive_fact {
	int64_t		 fid;
	const uint8_t	*hash;		/* 20 bytes */
	int64_t		 author;
	int64_t		 ts;		/* unix seconds */
	int		 kind;		/* 1 reply, 2 mention, 3 both */
	int		 deleted;
	const uint8_t	*answer;	/* NULL: not answered */
	int64_t		 answered_at;
	int32_t		 rt;
};

/* At most max casts are held (0: a default); NULL when out of memory. */
struct derive	*derive_new(size_t max);
void		 derive_free(struct derive *);	/* accepts NULL */

/*
 * Records a cast or a removal as stored, in the order sent.  A cast whose
 * hash was seen is a duplicate the server drops (the first is kept).  Past
 * the limit, out of memory or on a value the SQL would refuse, the
 * derivation turns itself off; derive_on then says 0 for good.
 */
void		 derive_cast(struct derive *, const struct ing_cast *);
void		 derive_remove(struct derive *, const struct ing_remove *);
int		 derive_on(const struct derive *);

/*
 * Marks removed casts and finds each fact's answer.  0, or -1
 * (derivation off).  Then derive_next hands out the facts one by one: 1,
 * or 0 at the end.
 */
int		 derive_finish(struct derive *);
int		 derive_next(struct derive *, struct derive_fact *);

/*
 * After derive_finish: every fid of a kept cast or of a fact, each once,
 * ascending, into *fids (the caller frees it): their count, or -1 when
 * out of memory.
 */
long		 derive_fids(const struct derive *, int64_t **fids);

#endif
