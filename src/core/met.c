#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"
#include "fnv.h"
#include "met.h"
#include "route.h"

#define MET_MAGIC	0x31544d4352435052ULL	/* "RPCRCMT1" */
#define MET_VERSION	4u
#define MET_LABEL	64
#define MET_SLOTS	128
#define MET_NROWS	(MET_MAXROUTES + 1)
#define MET_POOLNAME	16

enum met_class { MET_2XX = 0, MET_3XX, MET_4XX, MET_5XX, MET_CLASS__MAX };
enum met_conn { MET_PG_ERR = 0, MET_PG_RECONN, MET_REDIS_ERR,
	MET_REDIS_RECONN, MET_CONN__MAX };

struct met_row {
	uint64_t	 count[MET_CLASS__MAX];
	uint64_t	 bucket[MET_NBUCKETS + 1];	/* not cumulative; last: +Inf */
	uint64_t	 sum_us;
};

/* One process: its pid while it lives, and whether a request is running. */
struct met_slot {
	int32_t		 pid;
	uint32_t	 busy;
};

/* The file's layout; every field after the header is updated atomically. */
struct met_shm {
	uint64_t	 magic;
	uint32_t	 version;
	uint32_t	 size;
	uint64_t	 layout;		/* hash of the pool and its labels */
	uint32_t	 nroutes;
	uint32_t	 pad;
	char		 pool[MET_POOLNAME];
	char		 label[MET_MAXROUTES][MET_LABEL];
	uint64_t	 starts;
	uint64_t	 conn[MET_CONN__MAX];
	uint64_t	 cache[MET_CACHE__MAX];
	uint64_t	 engine[MET_ENGINE__MAX];
	uint64_t	 gate[MET_GATE__MAX];
	uint64_t	 ing[MET_ING__MAX];
	int64_t		 ing_last_run;
	int64_t		 ing_lag;		/* -1: never followed */
	uint64_t	 reads[DB_READ__MAX];	/* where SQL reads went, why */
	int64_t		 read_lag_ms;		/* last measured; -1: none */
	int64_t		 follow_pid;		/* the follower's; 0: none */
	int64_t		 follow_beat;		/* its last poll, unix s */
	struct met_slot	 slot[MET_SLOTS];
	struct met_row	 row[MET_NROWS];
};

struct met {
	struct met_shm	*shm;
	int		 slot;			/* -1: none claimed */
	unsigned long	 last[MET_CONN__MAX];	/* this process's totals */
	unsigned long	 last_reads[DB_READ__MAX];
};

/* Upper bounds of the buckets, in microseconds and as the le label. */
static const long long met_le_us[MET_NBUCKETS] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000
};
static const char *const met_le[MET_NBUCKETS] = {
	"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
	"0.25", "0.5", "1", "2.5", "5", "10"
};
static const char *const met_class_name[MET_CLASS__MAX] = {
	"2xx", "3xx", "4xx", "5xx"
};
static const char *const met_cache_name[MET_CACHE__MAX] = {
	"hit", "miss", "bypass"
};
static const char *const met_engine_name[MET_ENGINE__MAX] = {
	"memory", "sql"
};
static const char *const met_gate_name[MET_GATE__MAX] = {
	"local", "redis", "down"
};
static const char *const met_pools[] = { "auth", "api", "dash" };
#define MET_NPOOLS	(sizeof(met_pools) / sizeof(met_pools[0]))

static void
met_add(uint64_t *p, uint64_t n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

static uint64_t
met_get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static int
met_path(char *path, size_t sz, const char *dir, const char *pool)
{
	int	 n;

	n = snprintf(path, sz, "%s/metrics-%s.shm", dir, pool);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* Fills the labels of a route table; -1 when one does not fit. */
static int
met_labels(char label[][MET_LABEL], const struct route *routes,
    size_t nroutes)
{
	size_t	 i;
	int	 n;

	for (i = 0; i < nroutes; i++) {
		n = snprintf(label[i], MET_LABEL, "%s %s",
		    route_method_name(routes[i].method), routes[i].pattern);
		if (n < 0 || n >= MET_LABEL)
			return -1;
	}
	return 0;
}

/* Under the file lock: (re)initializes a file whose header differs. */
static void
met_init_shm(struct met_shm *m, const char *pool, char label[][MET_LABEL],
    size_t nroutes)
{
	uint64_t	 layout;

	layout = fnv_bytes(FNV_BASIS, pool, strlen(pool));
	layout = fnv_bytes(layout, &label[0][0], nroutes * MET_LABEL);
	if (m->magic == MET_MAGIC && m->version == MET_VERSION &&
	    m->size == sizeof(*m) && m->layout == layout &&
	    m->nroutes == nroutes)
		return;
	memset(m, 0, sizeof(*m));
	m->version = MET_VERSION;
	m->size = sizeof(*m);
	m->layout = layout;
	m->nroutes = (uint32_t)nroutes;
	memcpy(m->pool, pool, strlen(pool) + 1);
	memcpy(m->label, label, nroutes * MET_LABEL);
	m->ing_lag = -1;
	m->read_lag_ms = -1;
	__atomic_store_n(&m->magic, MET_MAGIC, __ATOMIC_RELEASE);
}

static int
met_alive(int32_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* Takes a free slot, or one whose process is gone; -1 when all are live. */
static int
met_claim(struct met_shm *m)
{
	int32_t	 me = (int32_t)getpid(), pid;
	int	 i;

	for (i = 0; i < MET_SLOTS; i++) {
		pid = __atomic_load_n(&m->slot[i].pid, __ATOMIC_RELAXED);
		if (pid != 0 && met_alive(pid))
			continue;
		if (__atomic_compare_exchange_n(&m->slot[i].pid, &pid, me, 0,
		    __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			__atomic_store_n(&m->slot[i].busy, 0, __ATOMIC_RELAXED);
			return i;
		}
	}
	return -1;
}

/* Opens, sizes, maps and (re)initializes the file under an flock. */
static struct met_shm *
met_map(const char *path, const char *pool, char label[][MET_LABEL],
    size_t nroutes, char *err, size_t errsz)
{
	struct met_shm	*m = NULL;
	struct stat	 st;
	void		*p;
	int		 fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX) == -1 || fstat(fd, &st) == -1 ||
	    (st.st_size != (off_t)sizeof(*m) &&
	    ftruncate(fd, (off_t)sizeof(*m)) == -1)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	p = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errsz, "%s: mmap: %s", path, strerror(errno));
		goto out;
	}
	m = p;
	met_init_shm(m, pool, label, nroutes);
out:
	/* Unlocked by hand: the mapping holds the file open past close(). */
	(void)flock(fd, LOCK_UN);
	close(fd);
	return m;
}

struct met *
met_open(const char *dir, const char *pool, const struct route *routes,
    size_t nroutes, char *err, size_t errsz)
{
	char		 label[MET_MAXROUTES][MET_LABEL];
	struct met	*me;
	char		 path[1200];

	memset(label, 0, sizeof(label));
	if (strlen(pool) >= MET_POOLNAME || nroutes > MET_MAXROUTES ||
	    met_labels(label, routes, nroutes) == -1) {
		snprintf(err, errsz, "metrics: pool %s: too many routes or "
		    "too long a name", pool);
		return NULL;
	}
	if (met_path(path, sizeof(path), dir, pool) == -1) {
		snprintf(err, errsz, "RC_METRICS_DIR: too long");
		return NULL;
	}
	if ((me = calloc(1, sizeof(*me))) == NULL) {
		snprintf(err, errsz, "metrics: out of memory");
		return NULL;
	}
	if ((me->shm = met_map(path, pool, label, nroutes, err,
	    errsz)) == NULL) {
		free(me);
		return NULL;
	}
	met_add(&me->shm->starts, 1);
	me->slot = nroutes > 0 ? met_claim(me->shm) : -1;
	return me;
}

void
met_free(struct met *me)
{
	if (me == NULL)
		return;
	if (me->slot >= 0)
		__atomic_store_n(&me->shm->slot[me->slot].pid, 0,
		    __ATOMIC_RELAXED);
	munmap(me->shm, sizeof(*me->shm));
	free(me);
}

size_t
met_bucket(long long us)
{
	size_t	 i;

	for (i = 0; i < MET_NBUCKETS; i++)
		if (us <= met_le_us[i])
			break;
	return i;
}

void
met_begin(struct met *me)
{
	if (me != NULL && me->slot >= 0)
		__atomic_store_n(&me->shm->slot[me->slot].busy, 1,
		    __ATOMIC_RELAXED);
}

void
met_end(struct met *me, size_t route, int status, long long us)
{
	struct met_row	*r;
	enum met_class	 c;

	if (me == NULL)
		return;
	if (route >= me->shm->nroutes)
		route = MET_UNMATCHED;
	if (us < 0)
		us = 0;
	c = status < 300 ? MET_2XX : status < 400 ? MET_3XX :
	    status < 500 ? MET_4XX : MET_5XX;
	r = &me->shm->row[route];
	met_add(&r->count[c], 1);
	met_add(&r->bucket[met_bucket(us)], 1);
	met_add(&r->sum_us, (uint64_t)us);
	if (me->slot >= 0)
		__atomic_store_n(&me->shm->slot[me->slot].busy, 0,
		    __ATOMIC_RELAXED);
}

void
met_cache(struct met *me, enum met_cache c)
{
	if (me != NULL && c < MET_CACHE__MAX)
		met_add(&me->shm->cache[c], 1);
}

void
met_engine(struct met *me, enum met_engine e)
{
	if (me != NULL && e < MET_ENGINE__MAX)
		met_add(&me->shm->engine[e], 1);
}

void
met_gate(struct met *me, enum met_gate g)
{
	if (me != NULL && g < MET_GATE__MAX)
		met_add(&me->shm->gate[g], 1);
}

void
met_conn(struct met *me, unsigned long pg_errors, unsigned long pg_reconnects,
    unsigned long redis_errors, unsigned long redis_reconnects)
{
	unsigned long	 now[MET_CONN__MAX];
	int		 i;

	if (me == NULL)
		return;
	now[MET_PG_ERR] = pg_errors;
	now[MET_PG_RECONN] = pg_reconnects;
	now[MET_REDIS_ERR] = redis_errors;
	now[MET_REDIS_RECONN] = redis_reconnects;
	for (i = 0; i < MET_CONN__MAX; i++)
		if (now[i] != me->last[i]) {
			met_add(&me->shm->conn[i], now[i] - me->last[i]);
			me->last[i] = now[i];
		}
}

void
met_reads(struct met *me, const struct db *db)
{
	unsigned long	 n;
	int		 i;

	if (me == NULL || db_read_lag(db) == DB_READ_LAG_NONE)
		return;
	for (i = 0; i < DB_READ__MAX; i++)
		if ((n = db_read_count(db, (enum db_read)i)) !=
		    me->last_reads[i]) {
			met_add(&me->shm->reads[i], n - me->last_reads[i]);
			me->last_reads[i] = n;
		}
	__atomic_store_n(&me->shm->read_lag_ms, db_read_lag(db),
	    __ATOMIC_RELAXED);
}

void
met_ing_add(struct met *me, enum met_ing k, uint64_t n)
{
	if (me != NULL && k < MET_ING__MAX && n > 0)
		met_add(&me->shm->ing[k], n);
}

void
met_ing_last_run(struct met *me, int64_t unix_s)
{
	if (me != NULL)
		__atomic_store_n(&me->shm->ing_last_run, unix_s,
		    __ATOMIC_RELAXED);
}

void
met_ing_lag(struct met *me, int64_t seconds)
{
	if (me != NULL)
		__atomic_store_n(&me->shm->ing_lag, seconds < 0 ? 0 : seconds,
		    __ATOMIC_RELAXED);
}

void
met_follow_beat(struct met *me, int64_t unix_s)
{
	if (me == NULL)
		return;
	__atomic_store_n(&me->shm->follow_pid, (int64_t)getpid(),
	    __ATOMIC_RELAXED);
	__atomic_store_n(&me->shm->follow_beat, unix_s, __ATOMIC_RELAXED);
}

/* Maps another process's file read-only; NULL when absent or foreign. */
static const struct met_shm *
met_view(const char *dir, const char *pool)
{
	const struct met_shm	*m;
	struct stat		 st;
	char			 path[1200];
	void			*p;
	int			 fd;

	if (met_path(path, sizeof(path), dir, pool) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || st.st_size != (off_t)sizeof(*m)) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(*m), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	m = p;
	if (__atomic_load_n(&m->magic, __ATOMIC_ACQUIRE) != MET_MAGIC ||
	    m->version != MET_VERSION || m->size != sizeof(*m) ||
	    m->nroutes > MET_MAXROUTES || strcmp(m->pool, pool) != 0) {
		munmap(p, sizeof(*m));
		return NULL;
	}
	return m;
}

static void
met_unview(const struct met_shm *m)
{
	if (m != NULL)
		munmap((void *)(uintptr_t)m, sizeof(*m));
}

static int
met_head(struct buf *b, const char *name, const char *type, const char *help)
{
	return buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* A label value: backslash, double quote and newline escaped. */
static int
met_esc(struct buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if (s[i] == '\\' || s[i] == '"')
			rc |= buf_putc(b, '\\') | buf_putc(b, s[i]);
		else if (s[i] == '\n')
			rc |= buf_puts(b, "\\n");
		else
			rc |= buf_putc(b, s[i]);
	return rc;
}

static const char *
met_route_label(const struct met_shm *m, size_t r, size_t *len)
{
	if (r == MET_UNMATCHED) {
		*len = strlen("unmatched");
		return "unmatched";
	}
	*len = strnlen(m->label[r], MET_LABEL);
	return m->label[r];
}

/* name{pool="p",route="r" and the opening of a further label or "}" */
static int
met_route_labels(struct buf *b, const char *name, const char *pool,
    const struct met_shm *m, size_t r)
{
	const char	*l;
	size_t		 n;
	int		 rc;

	l = met_route_label(m, r, &n);
	rc = buf_printf(b, "%s{pool=\"%s\",route=\"", name, pool);
	rc |= met_esc(b, l, n);
	return rc | buf_putc(b, '"');
}

static size_t
met_row_index(const struct met_shm *m, size_t i)
{
	return i < m->nroutes ? i : MET_UNMATCHED;
}

static int
met_requests(struct buf *b, const struct met_shm *const *v)
{
	const char	*name = "replycast_http_requests_total";
	size_t		 p, i, r;
	int		 c, rc;

	rc = met_head(b, name, "counter", "HTTP requests a pool answered, by "
	    "route and status class.");
	for (p = 0; p < MET_NPOOLS; p++)
		for (i = 0; v[p] != NULL && i <= v[p]->nroutes; i++)
			for (c = 0; c < MET_CLASS__MAX; c++) {
				r = met_row_index(v[p], i);
				rc |= met_route_labels(b, name, met_pools[p],
				    v[p], r);
				rc |= buf_printf(b, ",code_class=\"%s\"} %llu\n",
				    met_class_name[c], (unsigned long long)
				    met_get(&v[p]->row[r].count[c]));
			}
	return rc;
}

static int
met_histogram(struct buf *b, const char *pool, const struct met_shm *m,
    size_t r)
{
	const struct met_row	*row = &m->row[r];
	unsigned long long	 cum = 0, sum;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; i <= MET_NBUCKETS; i++) {
		cum += met_get(&row->bucket[i]);
		rc |= met_route_labels(b, "replycast_http_request_duration_"
		    "seconds_bucket", pool, m, r);
		rc |= buf_printf(b, ",le=\"%s\"} %llu\n", i < MET_NBUCKETS ?
		    met_le[i] : "+Inf", cum);
	}
	sum = met_get(&row->sum_us);
	rc |= met_route_labels(b, "replycast_http_request_duration_seconds_sum",
	    pool, m, r);
	rc |= buf_printf(b, "} %llu.%06llu\n", sum / 1000000, sum % 1000000);
	rc |= met_route_labels(b,
	    "replycast_http_request_duration_seconds_count", pool, m, r);
	rc |= buf_printf(b, "} %llu\n", cum);
	return rc;
}

static int
met_durations(struct buf *b, const struct met_shm *const *v)
{
	size_t	 p, i;
	int	 rc;

	rc = met_head(b, "replycast_http_request_duration_seconds",
	    "histogram", "Time from accept to the last byte handed to nginx.");
	for (p = 0; p < MET_NPOOLS; p++)
		for (i = 0; v[p] != NULL && i <= v[p]->nroutes; i++)
			rc |= met_histogram(b, met_pools[p], v[p],
			    met_row_index(v[p], i));
	return rc;
}

/* The pool's processes that live, and how many of them run a request. */
static void
met_slots(const struct met_shm *m, unsigned *live, unsigned *busy)
{
	int32_t	 pid;
	int	 i;

	*live = *busy = 0;
	for (i = 0; i < MET_SLOTS; i++) {
		pid = __atomic_load_n(&m->slot[i].pid, __ATOMIC_RELAXED);
		if (!met_alive(pid))
			continue;
		(*live)++;
		*busy += __atomic_load_n(&m->slot[i].busy, __ATOMIC_RELAXED) != 0;
	}
}

static int
met_gauges(struct buf *b, const struct met_shm *const *v)
{
	unsigned	 live[MET_NPOOLS], busy[MET_NPOOLS];
	size_t		 p;
	int		 rc;

	for (p = 0; p < MET_NPOOLS; p++)
		if (v[p] != NULL)
			met_slots(v[p], &live[p], &busy[p]);
	rc = met_head(b, "replycast_http_in_flight", "gauge",
	    "Requests a pool is answering now.");
	for (p = 0; p < MET_NPOOLS; p++)
		if (v[p] != NULL)
			rc |= buf_printf(b, "replycast_http_in_flight{pool=\"%s\"} "
			    "%u\n", met_pools[p], busy[p]);
	rc |= met_head(b, "replycast_pool_processes", "gauge",
	    "Live processes of a pool (0: the pool is down).");
	for (p = 0; p < MET_NPOOLS; p++)
		if (v[p] != NULL)
			rc |= buf_printf(b, "replycast_pool_processes{pool=\"%s\"} "
			    "%u\n", met_pools[p], live[p]);
	return rc;
}

/* A counter of each pool, at byte offset off of the file. */
static int
met_pool_counter(struct buf *b, const struct met_shm *const *v,
    const char *name, const char *help, size_t off)
{
	const uint64_t	*u;
	size_t		 p;
	int		 rc;

	rc = met_head(b, name, "counter", help);
	for (p = 0; p < MET_NPOOLS; p++) {
		if (v[p] == NULL)
			continue;
		u = (const uint64_t *)(const void *)((const char *)v[p] + off);
		rc |= buf_printf(b, "%s{pool=\"%s\"} %llu\n", name, met_pools[p],
		    (unsigned long long)met_get(u));
	}
	return rc;
}

static int
met_conns(struct buf *b, const struct met_shm *const *v)
{
	int	 rc;

	rc = met_pool_counter(b, v, "replycast_pg_errors_total",
	    "Failed PostgreSQL connects and statements.",
	    offsetof(struct met_shm, conn[MET_PG_ERR]));
	rc |= met_pool_counter(b, v, "replycast_pg_reconnects_total",
	    "PostgreSQL connections reopened after a loss.",
	    offsetof(struct met_shm, conn[MET_PG_RECONN]));
	rc |= met_pool_counter(b, v, "replycast_redis_errors_total",
	    "Failed Redis connects and commands.",
	    offsetof(struct met_shm, conn[MET_REDIS_ERR]));
	rc |= met_pool_counter(b, v, "replycast_redis_reconnects_total",
	    "Redis connections reopened after a loss.",
	    offsetof(struct met_shm, conn[MET_REDIS_RECONN]));
	rc |= met_pool_counter(b, v, "replycast_process_starts_total",
	    "Processes of a pool started (a restart counts).",
	    offsetof(struct met_shm, starts));
	return rc;
}

/*
 * One counter family summed over the pools, a sample per label value: the
 * n counters start at off in each pool's file.
 */
static int
met_labeled(struct buf *b, const struct met_shm *const *v, const char *name,
    const char *help, const char *label, const char *const *values,
    size_t off, int n)
{
	const uint64_t		*u;
	unsigned long long	 sum;
	size_t			 p;
	int			 i, rc;

	rc = met_head(b, name, "counter", help);
	for (i = 0; i < n; i++) {
		for (sum = 0, p = 0; p < MET_NPOOLS; p++) {
			if (v[p] == NULL)
				continue;
			u = (const uint64_t *)(const void *)((const char *)v[p] +
			    off) + i;
			sum += met_get(u);
		}
		rc |= buf_printf(b, "%s{%s=\"%s\"} %llu\n", name, label,
		    values[i], sum);
	}
	return rc;
}

static int
met_caches(struct buf *b, const struct met_shm *const *v)
{
	int	 rc;

	rc = met_labeled(b, v, "replycast_cache_requests_total", "API reads "
	    "answered from the Redis cache (hit), stored into it (miss) or "
	    "answered without it (bypass).", "result", met_cache_name,
	    offsetof(struct met_shm, cache), MET_CACHE__MAX);
	rc |= met_labeled(b, v, "replycast_figures_total", "Figures computed "
	    "from the in-process read model (memory) or, when it could not "
	    "serve one, from PostgreSQL (sql).", "engine", met_engine_name,
	    offsetof(struct met_shm, engine), MET_ENGINE__MAX);
	rc |= met_labeled(b, v, "replycast_gate_checks_total", "Revocation, "
	    "rate-limit, data-version and cache checks answered from the "
	    "process's own copies (local), by Redis (redis), or by neither "
	    "(down).", "answer", met_gate_name,
	    offsetof(struct met_shm, gate), MET_GATE__MAX);
	return rc;
}

/* Only pools with a read handle have a lag; the largest of them. */
static int
met_read(struct buf *b, const struct met_shm *const *v)
{
	const char	*names[DB_READ__MAX];
	long long	 lag = -1, l;
	size_t		 p;
	int		 i, rc;

	for (p = 0; p < MET_NPOOLS; p++)
		if (v[p] != NULL && (l = (long long)__atomic_load_n(
		    &v[p]->read_lag_ms, __ATOMIC_RELAXED)) > lag)
			lag = l;
	if (lag < 0)
		return 0;
	for (i = 0; i < DB_READ__MAX; i++)
		names[i] = db_read_name((enum db_read)i);
	rc = met_labeled(b, v, "replycast_pg_reads_total", "Requests that "
	    "read SQL, by where they read: the replica, or the primary and "
	    "why (behind, lagging, not_replica, down, failed).", "to", names,
	    offsetof(struct met_shm, reads), DB_READ__MAX);
	rc |= met_head(b, "replycast_pg_replica_lag_seconds", "gauge",
	    "The replica's replay lag as last measured (0 when caught up).");
	return rc | buf_printf(b, "replycast_pg_replica_lag_seconds %.3f\n",
	    (double)lag / 1000.0);
}

static int
met_ingest(struct buf *b, const struct met_shm *m)
{
	static const char *const name[MET_ING__MAX][2] = {
		{ "replycast_ingest_records_total", "Records read by "
		    "replycast-ingest." },
		{ "replycast_ingest_casts_total", "New casts stored." },
		{ "replycast_ingest_removals_total", "Cast removals applied." },
		{ "replycast_ingest_bad_records_total", "Records skipped as "
		    "bad." },
		{ "replycast_ingest_batches_total", "Batches committed." },
	};
	int64_t	 lag;
	int	 k, rc = 0;

	for (k = 0; k < MET_ING__MAX; k++) {
		rc |= met_head(b, name[k][0], "counter", name[k][1]);
		rc |= buf_printf(b, "%s %llu\n", name[k][0],
		    (unsigned long long)met_get(&m->ing[k]));
	}
	rc |= met_head(b, "replycast_ingest_last_run_timestamp_seconds",
	    "gauge", "When replycast-ingest last committed a batch.");
	rc |= buf_printf(b, "replycast_ingest_last_run_timestamp_seconds %lld\n",
	    (long long)__atomic_load_n(&m->ing_last_run, __ATOMIC_RELAXED));
	if ((lag = __atomic_load_n(&m->ing_lag, __ATOMIC_RELAXED)) < 0)
		return rc;
	rc |= met_head(b, "replycast_ingest_follow_lag_seconds", "gauge",
	    "Age of the newest message of the last page --follow stored.");
	return rc | buf_printf(b, "replycast_ingest_follow_lag_seconds %lld\n",
	    (long long)lag);
}

/* Requests a pool answered, over every route and status class. */
static uint64_t
met_requests_total(const struct met_shm *m)
{
	uint64_t	 n = 0;
	size_t		 i;
	int		 k;

	for (i = 0; i < MET_NROWS; i++)
		for (k = 0; k < MET_CLASS__MAX; k++)
			n += met_get(&m->row[i].count[k]);
	return n;
}

size_t
met_pool_stats(const char *dir, struct met_pool_stat *out, size_t n)
{
	const struct met_shm	*m;
	size_t			 p;

	for (p = 0; p < MET_NPOOLS && p < n; p++) {
		memset(&out[p], 0, sizeof(out[p]));
		out[p].pool = met_pools[p];
		if ((m = met_view(dir, met_pools[p])) == NULL)
			continue;
		out[p].present = 1;
		met_slots(m, &out[p].processes, &out[p].busy);
		out[p].starts = met_get(&m->starts);
		out[p].requests = met_requests_total(m);
		met_unview(m);
	}
	return p;
}

int
met_follow_stats(const char *dir, struct met_follow_stat *f)
{
	const struct met_shm	*m;
	int64_t			 pid;

	memset(f, 0, sizeof(*f));
	f->lag = -1;
	if ((m = met_view(dir, "ingest")) == NULL)
		return -1;
	pid = __atomic_load_n(&m->follow_pid, __ATOMIC_RELAXED);
	f->pid = pid;
	f->running = pid > 0 && pid <= INT32_MAX && met_alive((int32_t)pid);
	f->beat = __atomic_load_n(&m->follow_beat, __ATOMIC_RELAXED);
	f->lag = __atomic_load_n(&m->ing_lag, __ATOMIC_RELAXED);
	f->last_run = __atomic_load_n(&m->ing_last_run, __ATOMIC_RELAXED);
	f->records = met_get(&m->ing[MET_ING_RECORDS]);
	f->casts = met_get(&m->ing[MET_ING_CASTS]);
	met_unview(m);
	return 0;
}

int
met_render(struct buf *b, const char *dir)
{
	const struct met_shm	*v[MET_NPOOLS], *ing;
	size_t			 p, nv = 0;
	int			 rc = 0;

	for (p = 0; p < MET_NPOOLS; p++)
		if ((v[p] = met_view(dir, met_pools[p])) != NULL)
			nv++;
	if (nv > 0) {
		rc |= met_requests(b, v);
		rc |= met_durations(b, v);
		rc |= met_gauges(b, v);
		rc |= met_conns(b, v);
		rc |= met_read(b, v);
		rc |= met_caches(b, v);
	}
	if ((ing = met_view(dir, "ingest")) != NULL)
		rc |= met_ingest(b, ing);
	for (p = 0; p < MET_NPOOLS; p++)
		met_unview(v[p]);
	met_unview(ing);
	return rc == 0 ? 0 : -1;
}
