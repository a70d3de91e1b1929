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
