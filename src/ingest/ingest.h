#ifndef RC_INGEST_H
#define RC_INGEST_H
#include <stdio.h>

#include <libpq-fe.h>

#include "core/ing.h"
#include "core/store.h"

struct arena;

/* One ingest run: where records go, what was seen, how to report. */
struct ingest {
	PGconn			*conn;
	struct store		*store;
	struct arena		*arena;
	struct store_counts	 counts;
	enum ing_format		 format;
	const char		*name;		/* input name for messages */
	long			 bad;
	long			 batch;		/* records per transaction */
	int			 strict;
	int			 quiet;
	int			 progress;	/* stderr is a terminal */
	int			 stopped;	/* --strict hit a bad record */
	long long		 started_us;
	long long		 last_progress_us;
	char			 err[512];
};

extern const struct ing_sink ingest_sink;	/* arg: struct ingest * */

/* Reads one file ("-": standard input). Returns 0, or -1 after a message. */
int	 ingest_file(struct ingest *, const char *path);
/* Sends what is pending, with a cursor when given. 0 or -1 (message printed). */
int	 ingest_flush(struct ingest *, const struct store_cursor *);
void	 ingest_progress(struct ingest *, int final);
long long ingest_now_us(void);

#endif
