#include <math.h>
#include <stdio.h>

#include "speed.h"

static const int speed_span_days[SPEED_SPAN__MAX] = { 7, 30 };
static const char *const speed_span_names[SPEED_SPAN__MAX] = {
	"week", "month"
};

const char *
speed_span_name(enum speed_span s)
{
	return speed_span_names[s];
}

int
speed_days(enum speed_span s)
{
	return speed_span_days[s];
}

void
speed_init(struct speed_trend *t, int64_t now)
{
	struct speed_period	*p;
	int64_t			 len;
	size_t			 s;

	t->now = now;
	t->goal = 0;
	for (s = 0; s < SPEED_SPAN__MAX; s++) {
		len = (int64_t)speed_span_days[s] * 86400;
		p = &t->p[2 * s];
		p[0] = (struct speed_period){ now - len, now, 0, 0, 0, 0, 0 };
		p[1] = (struct speed_period){ now - 2 * len, now - len,
		    0, 0, 0, 0, 0 };
	}
}

int64_t
speed_from(const struct speed_trend *t)
{
	return t->p[2 * SPEED_MONTH + 1].from;
}

int
speed_percent(double cur, double prev, int *pct)
{
	double	 r;

	*pct = 0;
	if (prev <= 0)
		return cur <= 0 ? 0 : 2;
	r = (cur - prev) / prev * 100.0;
	*pct = (int)lround(fabs(r));
	if (*pct == 0)
		return 0;
	return r < 0 ? -1 : 1;
}

/* A share as whole percent. */
static long
speed_share(long long num, long long den)
{
	return den ? lround((double)num * 100.0 / (double)den) : 0;
}

int
speed_sentence(char *s, size_t sz, const struct speed_period *cur,
    const struct speed_period *prev, enum speed_span span)
{
	const char	*last = speed_span_names[span];
	char		 how[64];
	int		 pct, n;

	if (cur->ans < SPEED_MIN_ANSWERED || prev->ans < SPEED_MIN_ANSWERED)
		return 0;
	switch (speed_percent(cur->median, prev->median, &pct)) {
	case -1:
		n = snprintf(how, sizeof(how), "%d %% faster than", pct);
		break;
	case 1:
		n = snprintf(how, sizeof(how), "%d %% slower than", pct);
		break;
	case 2:
		n = snprintf(how, sizeof(how), "slower than");
		break;
	default:
		n = snprintf(how, sizeof(how), "about as fast as");
		break;
	}
	if (n < 0 || (size_t)n >= sizeof(how))
		return -1;
	n = snprintf(s, sz, "You answered %s last %s. Within your goal: "
	    "%ld %%, last %s %ld %%.", how, last,
	    speed_share(cur->within, cur->in), last,
	    speed_share(prev->within, prev->in));
	return n < 0 || (size_t)n >= sz ? -1 : 1;
}
