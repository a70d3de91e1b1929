#ifndef RC_MET_H
#define RC_MET_H
#include <stddef.h>
#include <stdint.h>

struct buf;
struct route;

/*
 * Metrics of a whole pool, not of one process: every process of a pool
 * maps the same file, <dir>/metrics-<pool>.shm, MAP_SHARED, and adds to
 * its counters with relaxed atomic operations, so that no process ever
 * waits for another and a killed process loses nothing already counted.
 * The file has a fixed size and a header (magic, version, a hash of the
 * route table); a file whose header differs is re-initialized at start.
 * replycast-ingest keeps its own counters in metrics-ingest.shm.
 *
 * Every met_* function that updates counters accepts a NULL handle and
 * then does nothing: metrics are off when RC_METRICS_DIR is empty.
 */
struct met;

#define MET_MAXROUTES	32		/* route rows a pool may have */
#define MET_UNMATCHED	MET_MAXROUTES	/* the row of requests no route took */
#define MET_NBUCKETS	14		/* latency bounds, +Inf not counted */

enum met_cache { MET_CACHE_HIT = 0, MET_CACHE_MISS, MET_CACHE_BYPASS,
	MET_CACHE__MAX };

enum met_ing {
	MET_ING_RECORDS = 0,
	MET_ING_CASTS,		/* new casts stored */
	MET_ING_REMOVALS,
	MET_ING_BAD,		/* records skipped as bad */
	MET_ING_BATCHES,	/* transactions committed */
	MET_ING__MAX
};

/*
 * Maps the pool's file in dir (created 0600 when missing), writing the
 * route labels ("GET /api/healthz") when it (re)initializes it, counts a
 * process start and claims a slot for this process's in-flight flag.
 * NULL with a reason in err on failure.  Pass no routes for ingest.
 */
struct met	*met_open(const char *dir, const char *pool,
		    const struct route *routes, size_t nroutes, char *err,
		    size_t errsz);
void		 met_free(struct met *);	/* accepts NULL; unmaps only */

/* Around each request: the in-flight gauge, then counts and latency. */
void		 met_begin(struct met *);
void		 met_end(struct met *, size_t route, int status, long long us);

void		 met_cache(struct met *, enum met_cache);

/* Which engine computed a figure: the read model, or PostgreSQL. */
enum met_engine { MET_ENGINE_MEMORY = 0, MET_ENGINE_SQL, MET_ENGINE__MAX };
void		 met_engine(struct met *, enum met_engine);

/*
 * Who answered the gate's questions (gate_check): this process's copies
 * (local), Redis, or no one (down: the fallbacks to PostgreSQL).
 */
enum met_gate { MET_GATE_LOCAL = 0, MET_GATE_REDIS, MET_GATE_DOWN,
	MET_GATE__MAX };
void		 met_gate(struct met *, enum met_gate);

/*
 * This process's running totals of PostgreSQL and Redis errors and
 * reconnects: the growth since the last call goes to the pool's counters.
 */
struct db;
/* A read handle's routing counts and lag (db_read_new); others: nothing. */
void		 met_reads(struct met *, const struct db *);
void		 met_conn(struct met *, unsigned long pg_errors,
		    unsigned long pg_reconnects, unsigned long redis_errors,
		    unsigned long redis_reconnects);

void		 met_ing_add(struct met *, enum met_ing, uint64_t);
void		 met_ing_last_run(struct met *, int64_t unix_s);
void		 met_ing_lag(struct met *, int64_t seconds);

/*
 * The Hub follower (replycast-ingest --follow) after each poll, caught up
 * or not: its pid and the time, so that a reader can tell it runs.
 */
void		 met_follow_beat(struct met *, int64_t unix_s);

/* A pool as its file tells it, for the admin page. */
struct met_pool_stat {
	const char	*pool;		/* "auth", "api", "dash" (static) */
	int		 present;	/* 0: no file (metrics off, never ran) */
	unsigned	 processes;	/* live processes now */
	unsigned	 busy;		/* of them, answering a request now */
	uint64_t	 starts;	/* processes started since the file was made */
	uint64_t	 requests;	/* requests answered since then */
};

/* Fills out[0..] with every pool (at most n); returns how many. */
size_t		 met_pool_stats(const char *dir, struct met_pool_stat *out,
		    size_t n);

/* The follower and the ingest counters from metrics-ingest.shm. */
struct met_follow_stat {
	int		 running;	/* its recorded pid is a live process */
	int64_t		 pid;		/* 0: never followed */
	int64_t		 beat;		/* its last poll, unix s; 0: never */
	int64_t		 lag;		/* seconds; -1: no page stored yet */
	int64_t		 last_run;	/* last batch committed, unix s */
	uint64_t	 records, casts;
};

/* 0, or -1 when the file is absent (then f says: never ran). */
int		 met_follow_stats(const char *dir, struct met_follow_stat *f);

/* The histogram bucket of a duration: 0..MET_NBUCKETS (+Inf). */
size_t		 met_bucket(long long us);

/*
 * Appends the Prometheus text exposition (format 0.0.4) of every pool's
 * file found in dir (auth, api, dash, ingest), read without locks; a
 * missing or foreign file is skipped.  Returns -1 when b is full.
 */
int		 met_render(struct buf *, const char *dir);

#endif
