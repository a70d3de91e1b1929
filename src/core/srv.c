#include <sys/resource.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "clock.h"
#include "config.h"

#include "arena.h"
#include "authn.h"
#include "db.h"
#include "gate.h"
#include "kv.h"
#include "log.h"
#include "met.h"
#include "req.h"
#include "sec.h"
#include "srv.h"
#include "valid.h"

static volatile sig_atomic_t	 srv_stop;
static volatile sig_atomic_t	 srv_hup;
static volatile sig_atomic_t	 srv_idle;

/*
 * SIGTERM while a request runs lets it finish.  While idle in accept() the
 * process closes its listening socket (close is async-signal-safe): a
 * signal that lands just before accept() would otherwise wait for the next
 * request, and now accept() fails at once with EBADF.  The loop then ends
 * and srv_main frees everything and returns, so that exit() runs (and
 * LeakSanitizer with it in the test build); fd 0 is this process's own
 * copy, the other processes of the pool keep theirs.
 */
static void
srv_on_term(int sig)
{
	(void)sig;
	srv_stop = 1;
	if (srv_idle)
		close(0);
}

static void
srv_on_hup(int sig)
{
	(void)sig;
	srv_hup = 1;
}

static int
srv_signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = srv_on_term;	/* no SA_RESTART: accept() returns */
	/*
	 * SIGQUIT too: Debian's multiwatch 1.0.0 reads -s by its place in
	 * its list, so "-s TERM" (script/lib/pools.sh) passes SIGQUIT on.
	 */
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGQUIT, &sa, NULL) == -1)
		return -1;
	sa.sa_handler = srv_on_hup;
	if (sigaction(SIGHUP, &sa, NULL) == -1)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}


static int
srv_error(const struct srv_app *app, struct req *rq, enum problem p,
    const char *detail)
{
	if (app->error != NULL)
		return app->error(rq, p, detail);
	return resp_problem(rq->resp, p, detail, rq->id, NULL);
}

/* Reads exactly CONTENT_LENGTH bytes, refusing more than the limit. */
static int
srv_body(struct req *rq, FCGX_Stream *in, enum problem *prob)
{
	const char	*cl = req_param(rq, "CONTENT_LENGTH");
	uint64_t	 n;
	char		*p;
	int		 got;
	size_t		 off = 0;

	rq->body = "";
	rq->bodylen = 0;
	if (cl == NULL || *cl == '\0')
		return 0;
	if (valid_u64(cl, UINT64_MAX, &n) == -1) {
		*prob = PROB_BAD_REQUEST;
		snprintf(rq->detail, sizeof(rq->detail), "bad Content-Length");
		return -1;
	}
	if (n > (uint64_t)rq->srv->cfg.max_body) {
		*prob = PROB_TOO_LARGE;
		snprintf(rq->detail, sizeof(rq->detail),
		    "the body has %llu bytes; the limit is %ld",
		    (unsigned long long)n, rq->srv->cfg.max_body);
		return -1;
	}
	if ((p = arena_alloc(rq->arena, (size_t)n + 1)) == NULL) {
		*prob = PROB_INTERNAL;
		return -1;
	}
	while (off < n) {
		got = FCGX_GetStr(p + off, (int)(n - off), in);
		if (got <= 0)
			break;
		off += (size_t)got;
	}
	if (off != n) {
		*prob = PROB_BAD_REQUEST;
		snprintf(rq->detail, sizeof(rq->detail), "truncated body");
		return -1;
	}
	p[n] = '\0';
	rq->body = p;
	rq->bodylen = (size_t)n;
	return 0;
}

/* A handler failed: 503 while PostgreSQL is away (a restart, a failover). */
static void
srv_fail(const struct srv_app *app, struct req *rq)
{
	resp_reset(rq->resp);
	if (db_lost(rq->srv->db))
		srv_error(app, rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable; try again in a moment");
	else if (db_busy(rq->srv->db) || db_busy(rq->srv->db_read))
		srv_error(app, rq, PROB_UNAVAILABLE, "the database is too "
		    "busy to answer in time; try again in a moment");
	else
		srv_error(app, rq, PROB_INTERNAL, "the request failed; its "
		    "request id identifies it in the logs");
}

/*
 * Returns the route's index in the table, or MET_UNMATCHED.  The route's
 * access is checked before its handler runs (authn_require).
 */
static size_t
srv_route(const struct srv_app *app, struct req *rq)
{
	struct authn_verdict	 v;
	char			 allow[96];
	enum route_res		 r;

	r = route_find(app->routes, app->nroutes, rq->method, rq->seg,
	    rq->nseg, &rq->match);
	if (r == ROUTE_NOTFOUND) {
		srv_error(app, rq, PROB_NOT_FOUND, "no such resource");
		return MET_UNMATCHED;
	}
	if (r == ROUTE_BADMETHOD) {
		route_allow_str(rq->match.allow, allow, sizeof(allow));
		srv_error(app, rq, PROB_METHOD_NOT_ALLOWED,
		    "this resource does not support that method");
		resp_header(rq->resp, "Allow", allow);
		return MET_UNMATCHED;
	}
	if (authn_require(rq, rq->match.route->access, &v) == -1) {
		if (authn_refuse(rq, &v) == -1)
			srv_fail(app, rq);
	} else if (rq->match.route->fn(rq) == -1 && !rq->resp->streamed)
		srv_fail(app, rq);
	else if (rq->authn_pending && rq->resp->status < 400 &&
	    !rq->resp->streamed) {
		/* A gated handler answered without settling: fail closed. */
		log_msg("error", "%s %s answered before its revocation check",
		    rq->method_name, rq->match.route->pattern);
		srv_fail(app, rq);
	}
	return (size_t)(rq->match.route - app->routes);
}

/* Returns the route index for the metrics (MET_UNMATCHED: none). */
static size_t
srv_handle(const struct srv_app *app, FCGX_Request *fr, struct req *rq)
{
	enum problem	 p;
	size_t		 route = MET_UNMATCHED;

	rq->out = fr->out;
	if (req_parse(rq, fr->envp, &p) == -1 ||
	    srv_body(rq, fr->in, &p) == -1)
		srv_error(app, rq, p, rq->detail);
	else
		route = srv_route(app, rq);
	if (rq->resp->streamed)
		return route;
	resp_header(rq->resp, "X-Request-Id", rq->id);
	if (resp_write(rq->resp, fr->out, rq->method == METHOD_HEAD) == -1)
		log_msg("warn", "client went away while writing %s", rq->id);
	return route;
}

static int
srv_setup(struct srv *s, const struct srv_app *app)
{
	char		 err[512];
	const char	*why = NULL;

	s->pool = app->pool;
	s->refuse = app->refuse;
	log_set_pool(app->pool);
	if (cfg_load(&s->cfg, cfg_getenv, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "replycast-%s: configuration: %s\n", app->pool,
		    err);
		return 2;
	}
	if (log_open(s->cfg.log_file) == -1) {
		fprintf(stderr, "replycast-%s: RC_LOG_FILE: cannot open %s\n",
		    app->pool, s->cfg.log_file);
		return 2;
	}
	if (tok_key_load(&s->key, s->cfg.jwt_key_file, s->cfg.jwt_key, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "replycast-%s: %s\n", app->pool, err);
		return 2;
	}
	snprintf(s->key.iss, sizeof(s->key.iss), "%s", s->cfg.jwt_issuer);
	snprintf(s->key.aud, sizeof(s->key.aud), "%s", s->cfg.jwt_audience);
	s->key.ttl = s->cfg.access_ttl;
	if (sec_init() == -1) {
		fprintf(stderr, "replycast-%s: libsodium failed to start\n",
		    app->pool);
		return 1;
	}
	s->db = db_new(s->cfg.pg_dsn, s->cfg.pg_connect_timeout,
	    s->cfg.pg_statement_timeout, s->cfg.reconnect_delay);
	s->db_read = s->cfg.pg_read_dsn[0] == '\0' ? s->db :
	    db_read_new(s->db, s->cfg.pg_read_dsn, s->cfg.pg_connect_timeout,
	    s->cfg.pg_statement_timeout, s->cfg.reconnect_delay,
	    s->cfg.pg_read_max_lag);
	s->kv = kv_open(&s->cfg, s->cfg.reconnect_delay, &why);
	if (s->kv == NULL) {
		fprintf(stderr, "replycast-%s: %s\n", app->pool, why);
		return 2;
	}
	if (s->db == NULL || s->db_read == NULL ||
	    (s->cfg.gate_local && gate_local_start(s->kv) == -1)) {
		fprintf(stderr, "replycast-%s: out of memory\n", app->pool);
		return 2;
	}
	if (app->init != NULL && app->init(s) == -1)
		return 1;
	return 0;
}

/*
 * Metrics are worth less than the service: a file that cannot be mapped
 * is logged and the process runs without them.
 */
static void
srv_metrics(struct srv *s, const struct srv_app *app)
{
	char	 err[512];

	if (s->cfg.metrics_dir[0] == '\0')
		return;
	if ((s->met = met_open(s->cfg.metrics_dir, app->pool, app->routes,
	    app->nroutes, err, sizeof(err))) == NULL)
		log_msg("error", "metrics off: %s", err);
}

static int
srv_args(const struct srv_app *app, int argc, char *argv[])
{
	if (argc < 2)
		return -1;
	if (strcmp(argv[1], "--version") == 0)
		printf("replycast-%s %s\n", app->pool, PACKAGE_VERSION);
	else if (strcmp(argv[1], "--routes") == 0) {
		size_t i;

		for (i = 0; i < app->nroutes; i++)
			printf("%s %s\n", route_method_name(
			    app->routes[i].method), app->routes[i].pattern);
	} else if (strcmp(argv[1], "--access") == 0) {
		char	 acc[96];
		size_t	 i;

		for (i = 0; i < app->nroutes; i++) {
			authn_access_str(app->routes[i].access, acc,
			    sizeof(acc));
			printf("%s %s %s\n", route_method_name(
			    app->routes[i].method), app->routes[i].pattern, acc);
		}
	} else if (strcmp(argv[1], "--help") == 0) {
		printf("usage: replycast-%s [--check-config | --routes | "
		    "--access | --version]\n"
		    "A FastCGI responder: start it under spawn-fcgi.\n"
		    "Environment:\n", app->pool);
		cfg_usage(stdout);
	} else if (strcmp(argv[1], "--check-config") != 0) {
		fprintf(stderr, "replycast-%s: unknown option %s\n",
		    app->pool, argv[1]);
		return 2;
	} else
		return 1;
	return 0;
}

/*
 * libfcgi closes a connection by shutting down its sending side and reading
 * until nginx closes its own (a TCP peer would otherwise reset a connection
 * closed with unread input).  The process waits meanwhile, idle, for
 * nginx to get round to it (the machine sat 14 % idle under the typical
 * summary's load: bench/README.md, "Seventh round").  When the request's
 * input has been read to its end, nothing more can arrive, and the
 * connection is closed at once; a body left unread is drained as before.
 */
static void
srv_close_at_once(FCGX_Request *fr)
{
	if (fr->in == NULL)
		return;
	if (FCGX_HasSeenEOF(fr->in) != EOF && FCGX_GetChar(fr->in) != EOF)
		return;
	if (FCGX_HasSeenEOF(fr->in) == EOF)
		FCGX_Detach(fr);
}

/*
 * Minor page faults so far: pages the process touched for the first time,
 * which is how a request's allocations make it grow.
 */
static long
srv_faults(void)
{
	struct rusage	 ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

/*
 * After a request that touched SRV_TRIM_PAGES new pages or more (counted
 * from the end of the one before): what it freed in the heap goes back to
 * the system.  Freed heap stays resident, and the facts' arrays, mapped on
 * their own, never reuse it: a 5 000-row owed list, built whole, once left
 * about 50 MiB (docs/engine.md).
 */
#define SRV_TRIM_PAGES	256

static void
srv_trim(void)
{
	static long	 last;
	long		 now = srv_faults();

	if (now - last >= SRV_TRIM_PAGES) {
		malloc_trim(0);
		now = srv_faults();
	}
	last = now;
}

static void
srv_loop(struct srv *s, const struct srv_app *app, struct arena *a,
    struct resp *resp)
{
	static char	 line[LOG_LINE_MAX];
	FCGX_Request	 fr;
	struct req	 rq;
	long long	 t0, us;
	size_t		 route;
	int		 rc, n;

	FCGX_InitRequest(&fr, 0, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!srv_stop) {
		srv_idle = 1;
		if (srv_stop)
			break;
		rc = FCGX_Accept_r(&fr);
		srv_idle = 0;
		if (srv_hup) {
			srv_hup = 0;
			log_reopen();
		}
		if (rc < 0) {
			if (srv_stop || rc == -EINTR || errno == EINTR)
				continue;
			log_msg("error", "FCGX_Accept_r failed: %d", rc);
			break;
		}
		t0 = clock_mono_us();
		met_begin(s->met);
		db_read_begin(s->db_read);
		memset(&rq, 0, sizeof(rq));
		rq.arena = a;
		rq.srv = s;
		rq.resp = resp;
		route = srv_handle(app, &fr, &rq);
		us = clock_mono_us() - t0;
		met_end(s->met, route, resp->status, us);
		met_conn(s->met, db_errors(s->db), db_reconnects(s->db),
		    kv_errors(s->kv), kv_reconnects(s->kv));
		met_reads(s->met, s->db_read);
		/* Formatted before FCGX_Finish_r, which frees the parameters. */
		if ((n = log_request_line(line, sizeof(line), rq.id,
		    rq.method_name, rq.path, resp->status, us, rq.user_id)) < 0)
			log_request(rq.id, rq.method_name, rq.path,
			    resp->status, us, rq.user_id);
		srv_close_at_once(&fr);
		FCGX_Finish_r(&fr);
		if (n > 0)
			log_line_write(line, (size_t)n);
		resp_reset(resp);
		arena_reset(a);
		srv_trim();
	}
	FCGX_Free(&fr, 1);
}

int
srv_main(const struct srv_app *app, int argc, char *argv[])
{
	static struct srv	 s;
	struct arena		*a = NULL;
	struct resp		 resp;
	int			 rc;

	if ((rc = srv_args(app, argc, argv)) == 0 || rc == 2)
		return rc;
	if ((rc = srv_setup(&s, app)) != 0 || argc >= 2) {
		if (rc == 0)
			printf("replycast-%s: configuration ok\n", app->pool);
		goto out;
	}
	if (FCGX_IsCGI()) {
		fprintf(stderr, "replycast-%s: fd 0 is not a FastCGI socket; "
		    "start me with spawn-fcgi\n", app->pool);
		rc = 1;
		goto out;
	}
	if (FCGX_Init() != 0 || srv_signals() == -1 ||
	    (a = arena_new(16 * 1024)) == NULL) {
		rc = 1;
		goto out;
	}
	resp_init(&resp);
	srv_metrics(&s, app);
	log_msg("info", "ready");
	srv_loop(&s, app, a, &resp);
	log_msg("info", "stopping");
	resp_free(&resp);
out:
	if (app->fini != NULL)
		app->fini(&s);
	arena_free(a);
	if (s.db_read != s.db)
		db_free(s.db_read);
	db_free(s.db);
	gate_local_stop();
	kv_free(s.kv);
	met_free(s.met);
	return rc;
}
