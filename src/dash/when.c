/* Windows of days in words, for the overview's scope and empty states. */
#include <stdio.h>
#include <string.h>

#include "when.h"

static const char *const when_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static int
when_ok(const struct when_day *d)
{
	return d->y >= 1 && d->y <= 9999 && d->m >= 1 && d->m <= 12 &&
	    d->d >= 1 && d->d <= 31;
}

int
when_parse(const char *s, struct when_day *d)
{
	size_t	 i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	d->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	d->m = (s[5] - '0') * 10 + (s[6] - '0');
	d->d = (s[8] - '0') * 10 + (s[9] - '0');
	return when_ok(d) ? 0 : -1;
}

/*
 * pre a sep b, where a drops the month and year it shares with b, and
 * one_pre alone when a and b are the same day.
 */
static int
when_words(char *s, size_t sz, const struct when_day *a,
    const struct when_day *b, const char *one_pre, const char *pre,
    const char *sep_day, const char *sep)
{
	const char	*ma, *mb;
	int		 w;

	if (s == NULL || a == NULL || b == NULL || !when_ok(a) || !when_ok(b))
		return -1;
	ma = when_months[a->m - 1];
	mb = when_months[b->m - 1];
	if (a->y == b->y && a->m == b->m && a->d == b->d)
		w = snprintf(s, sz, "%s%d %s %d", one_pre, b->d, mb, b->y);
	else if (a->y == b->y && a->m == b->m)
		w = snprintf(s, sz, "%s%d%s%d %s %d", pre, a->d, sep_day, b->d,
		    mb, b->y);
	else if (a->y == b->y)
		w = snprintf(s, sz, "%s%d %s%s%d %s %d", pre, a->d, ma, sep,
		    b->d, mb, b->y);
	else
		w = snprintf(s, sz, "%s%d %s %d%s%d %s %d", pre, a->d, ma,
		    a->y, sep, b->d, mb, b->y);
	return w < 0 || (size_t)w >= sz ? -1 : 0;
}

int
when_range(char *s, size_t sz, const struct when_day *a,
    const struct when_day *b)
{
	return when_words(s, sz, a, b, "", "", "–", " – ");
}

int
when_between(char *s, size_t sz, const struct when_day *a,
    const struct when_day *b)
{
	return when_words(s, sz, a, b, "on ", "between ", " and ", " and ");
}
