#ifndef RC_SPEED_H
#define RC_SPEED_H
#include <stddef.h>
#include <stdint.h>

/*
 * The trend of speed (docs/engine.md, "Trend of speed"): the median, p90
 * and share within goal of the 7 and 30 days ending at the evaluation
 * time against the 7 and 30 days before them.  Both engines fill a
 * struct speed_trend (eng_speed, facts_speed) and build the JSON with
 * eng_json_speed, so the answer is made one way.  Callable from elsewhere (the weekly digest)
 * through fig_get(FIG_SPEED).
 */

/* Fewer answered casts than this in either period: no sentence. */
#define SPEED_MIN_ANSWERED	10

enum speed_span { SPEED_WEEK, SPEED_MONTH, SPEED_SPAN__MAX };

/* Periods: [2 span] the current one, [2 span + 1] the one before. */
#define SPEED_NPERIOD	(2 * SPEED_SPAN__MAX)

struct speed_period {
	int64_t		 from, to;	/* [from, to) of the casts' times */
	long long	 in, ans, within;
	double		 median, p90;	/* of the answered; only when ans > 0 */
};

struct speed_trend {
	int64_t			 now;	/* the evaluation time (eng_now) */
	int			 goal;	/* seconds */
	struct speed_period	 p[SPEED_NPERIOD];
};

/* Days of a span: 7, 30. */
int			 speed_days(enum speed_span);
/* Sets t->now and every period's bounds; counts are zeroed. */
void			 speed_init(struct speed_trend *, int64_t now);
/* The oldest period's start: the casts an engine must look at begin there. */
int64_t			 speed_from(const struct speed_trend *);

/*
 * Change of a median between two periods, rounded to whole percent of the
 * earlier one, in *pct (>= 0): -1 faster, 0 about the same (rounds to 0),
 * 1 slower; 2 when no percent can be given (the earlier median is 0 and
 * the later is not: slower, by no ratio).
 */
int			 speed_percent(double cur, double prev, int *pct);

/*
 * The plain sentence comparing cur with prev ("than last week" / "than
 * last month" by span) into s: 1 written; 0 none (fewer than
 * SPEED_MIN_ANSWERED answered casts in either period); -1 s too small.
 */
int			 speed_sentence(char *s, size_t sz,
			    const struct speed_period *cur,
			    const struct speed_period *prev, enum speed_span);

/* "week", "month". */
const char		*speed_span_name(enum speed_span);

#endif
