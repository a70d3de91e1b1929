#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "core/authn.h"
#include "core/buf.h"
#include "core/met.h"
#include "core/req.h"
#include "core/route.h"
#include "core/srv.h"
#include "core/tok.h"
#include "dash/dash.h"
#include "tests.h"

static const struct route met_routes[] = {
	{ METHOD_GET, "/auth/healthz", NULL, 0 },
};
static const char *const met_le[] = {
	"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
	"0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
};

/* A fresh folder for one test's files; removed by met_rmdir. */
static int
met_tmpdir(char *dir, size_t sz)
{
	snprintf(dir, sz, "/tmp/rc-met-test-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static void
met_rmdir(const char *dir)
{
	const char	*names[] = { "auth", "api", "dash", "ingest" };
	char		 path[256];
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/metrics-%s.shm", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* 1 when the exposition in b holds exactly this line. */
static int
met_has(struct buf *b, const char *line)
{
	const char	*p = buf_cstr(b), *q;
	size_t		 n = strlen(line);

	for (; (q = strstr(p, line)) != NULL; p = q + 1)
		if ((q == buf_cstr(b) || q[-1] == '\n') && q[n] == '\n')
			return 1;
	return 0;
}

static void
test_shared(void)
{
	struct met	*a, *b, *c;
	struct buf	 out;
	char		 dir[64], err[256];

	CU_ASSERT_EQUAL_FATAL(met_tmpdir(dir, sizeof(dir)), 0);
	a = met_open(dir, "api", met_routes, 1, err, sizeof(err));
	b = met_open(dir, "api", met_routes, 1, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	met_end(a, 0, 200, 100);
	met_end(b, 0, 204, 100);
	met_end(a, 0, 503, 100);
	buf_init(&out, 0);
	CU_ASSERT_EQUAL(met_render(&out, dir), 0);
	CU_ASSERT_TRUE(met_has(&out, "replycast_http_requests_total{pool=\"api\","
	    "route=\"GET /auth/healthz\",code_class=\"2xx\"} 2"));
	CU_ASSERT_TRUE(met_has(&out, "replycast_http_requests_total{pool=\"api\","
	    "route=\"GET /auth/healthz\",code_class=\"5xx\"} 1"));
	CU_ASSERT_TRUE(met_has(&out, "replycast_process_starts_total"
	    "{pool=\"api\"} 2"));
	/* Another route table is another layout: the file starts over. */
	c = met_open(dir, "api", met_routes, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(c);
	buf_reset(&out);
	CU_ASSERT_EQUAL(met_render(&out, dir), 0);
	CU_ASSERT_FALSE(met_has(&out, "replycast_http_requests_total{pool=\"api\","
	    "route=\"GET /auth/healthz\",code_class=\"2xx\"} 2"));
	CU_ASSERT_TRUE(met_has(&out, "replycast_process_starts_total"
	    "{pool=\"api\"} 1"));
	buf_free(&out);
	met_free(a);
	met_free(b);
	met_free(c);
	met_rmdir(dir);
}

static void
test_bucket(void)
{
	CU_ASSERT_EQUAL(met_bucket(0), 0);
	CU_ASSERT_EQUAL(met_bucket(500), 0);		/* le is inclusive */
	CU_ASSERT_EQUAL(met_bucket(501), 1);
	CU_ASSERT_EQUAL(met_bucket(1000), 1);
	CU_ASSERT_EQUAL(met_bucket(1500), 2);
	CU_ASSERT_EQUAL(met_bucket(999999), 10);
	CU_ASSERT_EQUAL(met_bucket(1000000), 10);
	CU_ASSERT_EQUAL(met_bucket(10000000), 13);
	CU_ASSERT_EQUAL(met_bucket(10000001), MET_NBUCKETS);	/* +Inf only */
}

/* The histogram lines of one route, with cumulative counts cum[]. */
static void
met_expect_hist(struct buf *e, const char *route, const unsigned *cum,
    const char *sum)
{
	size_t	 i;

	for (i = 0; i < sizeof(met_le) / sizeof(met_le[0]); i++)
		buf_printf(e, "replycast_http_request_duration_seconds_bucket"
		    "{pool=\"auth\",route=\"%s\",le=\"%s\"} %u\n", route,
		    met_le[i], cum[i]);
	buf_printf(e, "replycast_http_request_duration_seconds_sum"
	    "{pool=\"auth\",route=\"%s\"} %s\n", route, sum);
	buf_printf(e, "replycast_http_request_duration_seconds_count"
	    "{pool=\"auth\",route=\"%s\"} %u\n", route, cum[14]);
}

static void
met_expect(struct buf *e)
{
	static const unsigned	 h0[15] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
				    1, 1, 1 };
	static const unsigned	 h1[15] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
				    1, 1, 1 };
	const char		*r = "replycast_http_requests_total{pool=\"auth\"";

	buf_puts(e, "# HELP replycast_http_requests_total HTTP requests a pool "
	    "answered, by route and status class.\n"
	    "# TYPE replycast_http_requests_total counter\n");
	buf_printf(e, "%s,route=\"GET /auth/healthz\",code_class=\"2xx\"} 1\n"
	    "%s,route=\"GET /auth/healthz\",code_class=\"3xx\"} 0\n"
	    "%s,route=\"GET /auth/healthz\",code_class=\"4xx\"} 0\n"
	    "%s,route=\"GET /auth/healthz\",code_class=\"5xx\"} 0\n"
	    "%s,route=\"unmatched\",code_class=\"2xx\"} 0\n"
	    "%s,route=\"unmatched\",code_class=\"3xx\"} 0\n"
	    "%s,route=\"unmatched\",code_class=\"4xx\"} 1\n"
	    "%s,route=\"unmatched\",code_class=\"5xx\"} 0\n", r, r, r, r, r, r,
	    r, r);
	buf_puts(e, "# HELP replycast_http_request_duration_seconds Time from "
	    "accept to the last byte handed to nginx.\n"
	    "# TYPE replycast_http_request_duration_seconds histogram\n");
	met_expect_hist(e, "GET /auth/healthz", h0, "0.001500");
	met_expect_hist(e, "unmatched", h1, "0.000020");
	buf_puts(e, "# HELP replycast_http_in_flight Requests a pool is "
	    "answering now.\n# TYPE replycast_http_in_flight gauge\n"
	    "replycast_http_in_flight{pool=\"auth\"} 1\n"
	    "# HELP replycast_pool_processes Live processes of a pool (0: the "
	    "pool is down).\n# TYPE replycast_pool_processes gauge\n"
	    "replycast_pool_processes{pool=\"auth\"} 1\n"
	    "# HELP replycast_pg_errors_total Failed PostgreSQL connects and "
	    "statements.\n# TYPE replycast_pg_errors_total counter\n"
	    "replycast_pg_errors_total{pool=\"auth\"} 4\n"
	    "# HELP replycast_pg_reconnects_total PostgreSQL connections "
	    "reopened after a loss.\n"
	    "# TYPE replycast_pg_reconnects_total counter\n"
	    "replycast_pg_reconnects_total{pool=\"auth\"} 1\n"
	    "# HELP replycast_redis_errors_total Failed Redis connects and "
	    "commands.\n# TYPE replycast_redis_errors_total counter\n"
	    "replycast_redis_errors_total{pool=\"auth\"} 0\n"
	    "# HELP replycast_redis_reconnects_total Redis connections reopened "
	    "after a loss.\n# TYPE replycast_redis_reconnects_total counter\n"
	    "replycast_redis_reconnects_total{pool=\"auth\"} 2\n"
	    "# HELP replycast_process_starts_total Processes of a pool started "
	    "(a restart counts).\n"
	    "# TYPE replycast_process_starts_total counter\n"
	    "replycast_process_starts_total{pool=\"auth\"} 1\n"
	    "# HELP replycast_cache_requests_total API reads answered from the "
	    "Redis cache (hit), stored into it (miss) or answered without it "
	    "(bypass).\n# TYPE replycast_cache_requests_total counter\n"
	    "replycast_cache_requests_total{result=\"hit\"} 1\n"
	    "replycast_cache_requests_total{result=\"miss\"} 2\n"
	    "replycast_cache_requests_total{result=\"bypass\"} 0\n"
	    "# HELP replycast_figures_total Figures computed from the "
	    "in-process read model (memory) or, when it could not serve one, "
	    "from PostgreSQL (sql).\n# TYPE replycast_figures_total counter\n"
	    "replycast_figures_total{engine=\"memory\"} 2\n"
	    "replycast_figures_total{engine=\"sql\"} 1\n"
	    "# HELP replycast_gate_checks_total Revocation, rate-limit, "
	    "data-version and cache checks answered from the process's own "
	    "copies (local), by Redis (redis), or by neither (down).\n"
	    "# TYPE replycast_gate_checks_total counter\n"
	    "replycast_gate_checks_total{answer=\"local\"} 2\n"
	    "replycast_gate_checks_total{answer=\"redis\"} 1\n"
	    "replycast_gate_checks_total{answer=\"down\"} 0\n");
}

static void
test_render(void)
{
	struct met	*m;
	struct buf	 out, want;
	char		 dir[64], err[256];

	CU_ASSERT_EQUAL_FATAL(met_tmpdir(dir, sizeof(dir)), 0);
	m = met_open(dir, "auth", met_routes, 1, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	met_begin(m);
	met_end(m, 0, 200, 1500);
	met_begin(m);
	met_end(m, MET_UNMATCHED, 404, 20);
	met_begin(m);				/* one request in flight */
	met_cache(m, MET_CACHE_HIT);
	met_cache(m, MET_CACHE_MISS);
	met_cache(m, MET_CACHE_MISS);
	met_engine(m, MET_ENGINE_MEMORY);
	met_engine(m, MET_ENGINE_SQL);
	met_engine(m, MET_ENGINE_MEMORY);
	met_gate(m, MET_GATE_LOCAL);
	met_gate(m, MET_GATE_REDIS);
	met_gate(m, MET_GATE_LOCAL);
	met_gate(m, MET_GATE__MAX);		/* not a row: ignored */
	met_conn(m, 3, 1, 0, 2);
	met_conn(m, 4, 1, 0, 2);		/* totals: only growth counts */
	buf_init(&out, 0);
	buf_init(&want, 0);
	met_expect(&want);
	CU_ASSERT_EQUAL(met_render(&out, dir), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&out), buf_cstr(&want));
	buf_free(&out);
	buf_free(&want);
	met_free(m);
	met_rmdir(dir);
}

static void
test_ingest(void)
{
	struct met	*m;
	struct buf	 out;
	char		 dir[64], err[256];

	CU_ASSERT_EQUAL_FATAL(met_tmpdir(dir, sizeof(dir)), 0);
	m = met_open(dir, "ingest", NULL, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	buf_init(&out, 0);
	CU_ASSERT_EQUAL(met_render(&out, dir), 0);
	CU_ASSERT_TRUE(met_has(&out, "replycast_ingest_records_total 0"));
	CU_ASSERT_PTR_NULL(strstr(buf_cstr(&out), "follow_lag"));
	CU_ASSERT_PTR_NULL(strstr(buf_cstr(&out), "replycast_http"));
	met_ing_add(m, MET_ING_RECORDS, 7);
	met_ing_add(m, MET_ING_BAD, 1);
	met_ing_last_run(m, 1700000000);
	met_ing_lag(m, 12);
	buf_reset(&out);
	CU_ASSERT_EQUAL(met_render(&out, dir), 0);
	CU_ASSERT_TRUE(met_has(&out, "replycast_ingest_records_total 7"));
	CU_ASSERT_TRUE(met_has(&out, "replycast_ingest_bad_records_total 1"));
	CU_ASSERT_TRUE(met_has(&out,
	    "replycast_ingest_last_run_timestamp_seconds 1700000000"));
	CU_ASSERT_TRUE(met_has(&out, "replycast_ingest_follow_lag_seconds 12"));
	buf_free(&out);
	met_free(m);
	met_rmdir(dir);
}

/* What the admin page reads: the pools' live processes and the follower. */
static void
test_stats(void)
{
	struct met		*a, *ing;
	struct met_pool_stat	 ps[4];
	struct met_follow_stat	 f;
	char			 dir[64], err[256];
	size_t			 n, i;

	CU_ASSERT_EQUAL_FATAL(met_tmpdir(dir, sizeof(dir)), 0);
	CU_ASSERT_EQUAL(met_follow_stats(dir, &f), -1);
	CU_ASSERT_EQUAL(f.running, 0);
	CU_ASSERT_EQUAL(f.lag, -1);
	a = met_open(dir, "api", met_routes, 1, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	met_begin(a);
	n = met_pool_stats(dir, ps, 4);
	CU_ASSERT_EQUAL(n, 3);
	for (i = 0; i < n; i++) {
		if (strcmp(ps[i].pool, "api") != 0) {
			CU_ASSERT_EQUAL(ps[i].present, 0);
			continue;
		}
		CU_ASSERT_EQUAL(ps[i].present, 1);
		CU_ASSERT_EQUAL(ps[i].processes, 1);
		CU_ASSERT_EQUAL(ps[i].busy, 1);
		CU_ASSERT_EQUAL(ps[i].starts, 1);
	}
	met_end(a, 0, 200, 100);
	met_pool_stats(dir, ps, 4);
	CU_ASSERT_EQUAL(ps[1].busy, 0);
	CU_ASSERT_EQUAL(ps[1].requests, 1);
	ing = met_open(dir, "ingest", NULL, 0, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ing);
	CU_ASSERT_EQUAL(met_follow_stats(dir, &f), 0);
	CU_ASSERT_EQUAL(f.pid, 0);
	CU_ASSERT_EQUAL(f.running, 0);
	met_follow_beat(ing, 1700000100);
	met_ing_lag(ing, 30);
	CU_ASSERT_EQUAL(met_follow_stats(dir, &f), 0);
	CU_ASSERT_EQUAL(f.pid, (int64_t)getpid());
	CU_ASSERT_EQUAL(f.running, 1);
	CU_ASSERT_EQUAL(f.beat, 1700000100);
	CU_ASSERT_EQUAL(f.lag, 30);
	met_free(ing);
	met_free(a);
	met_rmdir(dir);
}

/* The /metrics access rule, with tokens signed as the auth pool would. */
static void
met_token(const struct tok_key *k, enum tok_role role, char *out, size_t sz)
{
	struct tok_claims	 c;

	memset(&c, 0, sizeof(c));
	c.sub = 7;
	c.fid = 10;
	c.role = role;
	CU_ASSERT_EQUAL(tok_issue(k, &c, (int64_t)time(NULL), out, sz), TOK_OK);
}

/* front: the RC_FRONT_SECRET parameter the FastCGI client sends; NULL: none. */
static int
met_allowed_front(const char *addr, const char *xff, const struct tok_key *k,
    const char *tok, const char *front)
{
	char		 e[4][TOK_MAX + 64], *env[5];
	struct req	 rq;
	struct authn	 a;
	enum problem	 p;
	char		 detail[256];
	size_t		 n = 0;

	memset(&rq, 0, sizeof(rq));
	snprintf(e[n], sizeof(e[n]), "REMOTE_ADDR=%s", addr);
	env[n] = e[n];
	n++;
	if (xff != NULL) {
		snprintf(e[n], sizeof(e[n]), "HTTP_X_FORWARDED_FOR=%s", xff);
		env[n] = e[n];
		n++;
	}
	if (tok != NULL) {
		snprintf(e[n], sizeof(e[n]), "HTTP_AUTHORIZATION=Bearer %s", tok);
		env[n] = e[n];
		n++;
	}
	if (front != NULL) {
		snprintf(e[n], sizeof(e[n]), "RC_FRONT_SECRET=%s", front);
		env[n] = e[n];
		n++;
	}
	env[n] = NULL;
	rq.env = env;
	rq.remote_addr = addr;
	if (authn_request(&rq, k, &a, &p, detail, sizeof(detail)) == -1)
		return dash_metrics_allowed(&rq, NULL);
	return dash_metrics_allowed(&rq, &a);
}

#define MET_FRONT	"front-secret-only-nginx-knows-0123456789"

static int
met_allowed(const char *addr, const char *xff, const struct tok_key *k,
    const char *tok)
{
	return met_allowed_front(addr, xff, k, tok, MET_FRONT);
}

/* RC_FRONT_SECRET_FILE set to a file holding MET_FRONT (NULL: unset). */
static int
met_front_init(const char *secret)
{
	static struct srv	 s;
	char			 path[] = "/tmp/rc-test-front-XXXXXX";
	FILE			*f;
	int			 fd, rc;

	memset(&s, 0, sizeof(s));
	if (secret == NULL)
		return dash_metrics_init(&s);
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", secret);
	fclose(f);
	snprintf(s.cfg.front_secret_file, sizeof(s.cfg.front_secret_file),
	    "%s", path);
	rc = dash_metrics_init(&s);
	unlink(path);
	return rc;
}

static void
test_access(void)
{
	struct tok_key	 k;
	char		 adm[TOK_MAX], usr[TOK_MAX];

	memset(&k, 0, sizeof(k));
	memset(k.key, 'k', TOK_MIN_KEY);
	k.len = TOK_MIN_KEY;
	snprintf(k.iss, sizeof(k.iss), "replycast");
	snprintf(k.aud, sizeof(k.aud), "replycast-api");
	k.ttl = 900;
	met_token(&k, TOK_ROLE_ADMIN, adm, sizeof(adm));
	met_token(&k, TOK_ROLE_USER, usr, sizeof(usr));
	/* Without a front secret, no address is trusted: only admins. */
	CU_ASSERT_EQUAL(met_front_init(NULL), 0);
	CU_ASSERT_FALSE(met_allowed("127.0.0.1", NULL, &k, NULL));
	CU_ASSERT_TRUE(met_allowed("127.0.0.1", NULL, &k, adm));
	CU_ASSERT_EQUAL(met_front_init(MET_FRONT), 0);
	/* A raw FastCGI client can claim loopback, but not the secret. */
	CU_ASSERT_FALSE(met_allowed_front("127.0.0.1", NULL, &k, NULL, NULL));
	CU_ASSERT_FALSE(met_allowed_front("127.0.0.1", NULL, &k, NULL, ""));
	CU_ASSERT_FALSE(met_allowed_front("127.0.0.1", NULL, &k, NULL,
	    MET_FRONT "x"));
	CU_ASSERT_FALSE(met_allowed_front("127.0.0.1", NULL, &k, usr,
	    "front-secret"));
	CU_ASSERT_TRUE(met_allowed("127.0.0.1", NULL, &k, NULL));
	CU_ASSERT_TRUE(met_allowed("::1", NULL, &k, NULL));
	CU_ASSERT_FALSE(met_allowed("127.0.0.1", "203.0.113.9", &k, NULL));
	CU_ASSERT_FALSE(met_allowed("203.0.113.9", NULL, &k, NULL));
	CU_ASSERT_FALSE(met_allowed("203.0.113.9", NULL, &k, usr));
	CU_ASSERT_FALSE(met_allowed("203.0.113.9", NULL, &k, "not.a.token"));
	CU_ASSERT_TRUE(met_allowed("203.0.113.9", NULL, &k, adm));
	CU_ASSERT_TRUE(met_allowed("127.0.0.1", "203.0.113.9", &k, adm));
	CU_ASSERT_EQUAL(met_front_init(""), -1);	/* an empty file */
}

int
test_met_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("met", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "shared between mappings", test_shared) == NULL ||
	    CU_add_test(s, "bucket placement", test_bucket) == NULL ||
	    CU_add_test(s, "exposition", test_render) == NULL ||
	    CU_add_test(s, "ingest", test_ingest) == NULL ||
	    CU_add_test(s, "pool and follower stats", test_stats) == NULL ||
	    CU_add_test(s, "access to /metrics", test_access) == NULL)
		return -1;
	return 0;
}
