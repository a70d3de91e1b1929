#ifndef RC_DASH_WHEN_H
#define RC_DASH_WHEN_H
#include <stddef.h>

/* A calendar day: year, month 1..12, day 1..31. */
struct when_day {
	int	 y, m, d;
};

/* "YYYY-MM-DD" into d: 0, or -1 when it is not such a date. */
int	 when_parse(const char *s, struct when_day *d);

/*
 * The days a to b (both included) in words, the shared month and year
 * said once: "6 Jan 2025", "1–30 Nov 2026", "28 Oct – 3 Nov 2026",
 * "28 Dec 2025 – 3 Jan 2026".  0, or -1 (s too small, a bad day).
 */
int	 when_range(char *s, size_t sz, const struct when_day *a,
	    const struct when_day *b);

/*
 * The same for a sentence: "on 6 Jan 2025", "between 1 and 30 Nov 2026",
 * "between 28 Oct and 3 Nov 2026", "between 28 Dec 2025 and 3 Jan 2026".
 */
int	 when_between(char *s, size_t sz, const struct when_day *a,
	    const struct when_day *b);

#endif
