#ifndef RC_INGEST_H
#define RC_INGEST_H
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "reply/ing.h"
#include "reply/store.h"

struct arena;
struct cfg;
struct hub;
struct kv;
struct met;

/* Records per transaction in bulk mode unless --batch says otherwise. */
#define INGEST_BULK_BATCH	100000

/* One ingest run: where records go, what was seen, how to report. */
struct ingest {
	PGconn			*conn;
	const char		*dsn;		/* a second connection's */
	struct store		*store;
	struct arena		*arena;
	struct store_counts	 counts;
	enum ing_format		 format;
	const char		*name;		/* input name for messages */
	const char		*prog;		/* messages' prefix; NULL: replycast-ingest */
	long			 bad;
	long			 batch;		/* records per transaction */
	int			 strict;
	int			 quiet;
	int			 progress;	/* stderr is a terminal */
	int			 stopped;	/* --strict hit a bad record */
	long long		 started_us;
	long long		 last_progress_us;
	struct met		*met;		/* metrics-ingest.shm; NULL: off */
	struct kv		*kv;		/* where versions go; NULL: off */
	int			 kv_warned;
	struct store_counts	 published;	/* what met already has */
	long			 published_bad;
	/* After each Hub page is committed (--fid); -1 stops the run. */
	int			(*on_page)(struct ingest *, void *arg);
	void			*page_arg;
	char			 err[512];	/* the last failure, for a job */
};

extern const struct ing_sink ingest_sink;	/* arg: struct ingest * */
/* Like ingest_sink but never flushes: the caller sends a page with its cursor. */
extern const struct ing_sink ingest_page_sink;

/* What follow mode is told. */
struct follow_opts {
	long			 interval_ms;	/* poll period when caught up */
	int			 once;		/* stop when caught up */
	volatile sig_atomic_t	*stop;		/* set by SIGTERM/SIGINT */
};

/*
 * Connects to cfg's database and makes the store, the arena and the
 * metrics (prog names the metrics file: "ingest").  0, or -1 after a
 * message; ingest_close frees what was made either way.  cfg must outlive in.
 */
int	 ingest_open(struct ingest *, const struct cfg *);
void	 ingest_close(struct ingest *);
/* An ingest_runs row for the admin page: its id (0 when none). */
long long ingest_run_start(struct ingest *, const char *source);
void	 ingest_run_end(struct ingest *, long long id, const char *error);
/* Ends a bulk load left under way (a Hub run does before it starts). 0, -1. */
int	 ingest_bulk_finish(struct ingest *);
/* Keeps a failure in in->err (a job records it) and prints it. */
void	 ingest_errf(struct ingest *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Reads one file ("-": standard input). Returns 0, or -1 after a message. */
int	 ingest_file(struct ingest *, const char *path);
/* Sends what is pending, with a cursor when given. 0 or -1 (message printed). */
int	 ingest_flush(struct ingest *, const struct store_cursor *);
/* Waits for the batch in flight (file runs flush asynchronously). 0 or -1. */
int	 ingest_wait(struct ingest *);
/*
 * Publishes to Redis the new data version of each fid in the list (NULL:
 * the fids of the batches committed since the last call), where the gate
 * reads it: cached answers and read models of the older one are not used.
 */
void	 ingest_bump(struct ingest *, const char *fids);
void	 ingest_progress(struct ingest *, int final);
/* Adds the counts grown since the last call to the shared metrics. */
void	 ingest_publish(struct ingest *);
long long ingest_now_us(void);
/*
 * --hub URL --fid N: the user's casts, the casts mentioning them, the
 * replies under their casts and the profiles of everyone involved, each
 * page stored with its resume cursor.  0, or -1 after a message.
 */
int	 ingest_hub_fid(struct ingest *, struct hub *, int64_t fid,
	    long page_size);
/* --hub URL --follow: tails the Hub's events for the tracked fids. 0 or -1. */
int	 ingest_follow(struct ingest *, struct hub *, const struct follow_opts *);

#endif
