#include <stddef.h>
#include <string.h>

#include "policy.h"

int
policy_next_ok(const char *next)
{
	size_t	 i;

	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		return 0;
	for (i = 0; next[i] != '\0'; i++) {
		if (i == POLICY_NEXT_MAX)
			return 0;
		if ((unsigned char)next[i] <= 0x20 ||
		    (unsigned char)next[i] >= 0x7f || next[i] == '\\')
			return 0;
	}
	return 1;
}

long
policy_backoff_ms(long fails, long nfree, long base_ms, long max_s)
{
	long	 first = nfree > 1 ? nfree : 1, ms, cap, k;

	if (fails < first || base_ms <= 0 || max_s <= 0)
		return 0;
	cap = max_s * 1000;
	if (base_ms >= cap)
		return cap;
	/* Doubling stops at the cap, so ms never overflows. */
	for (ms = base_ms, k = fails - first; k > 0 && ms < cap; k--)
		ms *= 2;
	return ms < cap ? ms : cap;
}

long
policy_retry_s(long ms)
{
	if (ms <= 1000)
		return 1;
	return ms / 1000 + (ms % 1000 != 0);
}
