/*
 * The JSON Lines parser alone: reads FILE into memory, then times
 * ing_parse_line() over every line, REPEAT times, with a sink that only
 * counts.  No database, no store: what parsing costs the ingester.
 *
 *   parse_bench FILE [REPEAT]
 *
 * Prints the best and median of the REPEAT passes in seconds, and the
 * records and rejections of one pass.  Built against main's library too
 * (bench/README.md, "Fourth round"), it compares the parsers on one file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "reply/ing.h"

#define PB_MAX_REPEAT	50
#define PB_ARENA_RESET	(1L << 14)	/* lines between arena resets */

struct pb_count {
	long	 rec, bad;
};

static int
pb_rec(void *arg, const struct ing_rec *r)
{
	(void)r;
	((struct pb_count *)arg)->rec++;
	return 0;
}

static int
pb_bad(void *arg, long recno, const char *reason)
{
	(void)recno;
	(void)reason;
	((struct pb_count *)arg)->bad++;
	return 0;
}

static char *
pb_slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*s = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL &&
	    fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s != NULL)
		*len = (size_t)n;
	fclose(f);
	return s;
}

static double
pb_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over every line; its time in seconds, or -1. */
static double
pb_pass(struct arena *a, const char *s, size_t len, struct pb_count *cnt)
{
	const struct ing_sink	 sink = { pb_rec, pb_bad, cnt };
	const char		*p = s, *e = s + len, *nl;
	long			 line = 0;
	double			 t0 = pb_now();

	while (p < e) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		if (ing_parse_line(a, p, (size_t)(nl - p), ++line, &sink) != 0)
			return -1;
		if (line % PB_ARENA_RESET == 0)
			arena_reset(a);
		p = nl + 1;
	}
	arena_reset(a);
	return pb_now() - t0;
}

static int
pb_cmp(const void *x, const void *y)
{
	double	 a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

int
main(int argc, char **argv)
{
	struct pb_count	 cnt;
	struct arena	*a = NULL;
	double		 t[PB_MAX_REPEAT];
	char		*s = NULL;
	size_t		 len = 0;
	char		*end;
	long		 n = 3;
	int		 i, rc = 1;

	if (argc == 3)
		n = strtol(argv[2], &end, 10);
	if (argc < 2 || argc > 3 || n < 1 || n > PB_MAX_REPEAT ||
	    (argc == 3 && *end != '\0')) {
		fprintf(stderr, "usage: parse_bench FILE [REPEAT 1-50]\n");
		return 2;
	}
	if ((s = pb_slurp(argv[1], &len)) == NULL ||
	    (a = arena_new(1 << 20)) == NULL) {
		fprintf(stderr, "parse_bench: cannot read %s\n", argv[1]);
		goto out;
	}
	for (i = 0; i < n; i++) {
		memset(&cnt, 0, sizeof(cnt));
		if ((t[i] = pb_pass(a, s, len, &cnt)) < 0)
			goto out;
	}
	qsort(t, (size_t)n, sizeof(t[0]), pb_cmp);
	printf("records %ld, bad %ld: best %.3f s, median %.3f s of %ld\n",
	    cnt.rec, cnt.bad, t[0], t[n / 2], n);
	rc = 0;
out:
	arena_free(a);
	free(s);
	return rc;
}
