#ifndef RC_SRV_H
#define RC_SRV_H
#include <stddef.h>

#include "cfg.h"
#include "problem.h"
#include "route.h"
#include "tok.h"

struct db;
struct kv;
struct met;
struct req;
struct authn_verdict;

/* Process-wide state: read-only after start, except the db and kv handles. */
struct srv {
	const char	*pool;
	struct cfg	 cfg;
	struct tok_key	 key;		/* verifies (and, in auth, signs) tokens */
	struct db	*db;
	struct db	*db_read;	/* the figures' reads: db, or a replica's */
	struct kv	*kv;
	struct met	*met;		/* the pool's shared counters; NULL: off */
	void		*app;		/* the program's own state */
	/* Answers the gate's refusals; NULL: problem+json (authn_problem). */
	int		(*refuse)(struct req *, const struct authn_verdict *);
};

struct srv_app {
	const char		*pool;		/* "auth", "api", "dash" */
	const struct route	*routes;
	size_t			 nroutes;
	/* Renders an error the router or the core found; NULL: problem+json. */
	int			(*error)(struct req *, enum problem,
				    const char *detail);
	/* Runs once after configuration and connections; -1 stops start-up. */
	int			(*init)(struct srv *);
	/* Renders the gate's refusals (see struct srv); NULL: problem+json. */
	int			(*refuse)(struct req *,
				    const struct authn_verdict *);
	/*
	 * Frees the program's own state (caches, templates) before the
	 * process exits; runs also after a failed init, so it accepts what
	 * init left half made.  NULL: nothing to free.
	 */
	void			(*fini)(struct srv *);
};

/*
 * The FastCGI accept loop on fd 0 (as spawn-fcgi hands it over).  Returns
 * the process exit status: 0 after SIGTERM, 2 on bad configuration.  What
 * the process holds is freed first (connections, app->fini), so that a
 * leak check at exit sees only what was lost.
 */
int	 srv_main(const struct srv_app *, int argc, char *argv[]);

#endif
