/*
 * libFuzzer target for the settings a person types (reply/settings.c):
 * a list of @usernames and fids, and a duration.  Whatever a list parses
 * to holds only fids in 1..2^53 and names of [a-z0-9._-], and a duration
 * shown in its unit parses back to itself.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "reply/settings.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_list(const char *s)
{
	struct json_object	*a, *e;
	char			 err[160];
	const char		*n;
	size_t			 i, k;

	if ((a = settings_list_parse(s, err, sizeof(err))) == NULL)
		return;
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (json_object_is_type(e, json_type_int)) {
			if (json_object_get_int64(e) < 1 ||
			    json_object_get_int64(e) > (1LL << 53))
				abort();
			continue;
		}
		n = json_object_get_string(e);
		if (n[0] == '\0' || strlen(n) > SETTINGS_NAME_MAX)
			abort();
		for (k = 0; n[k] != '\0'; k++)
			if (!islower((unsigned char)n[k]) &&
			    !isdigit((unsigned char)n[k]) &&
			    strchr("._-", n[k]) == NULL)
				abort();
	}
	json_object_put(a);
}

static void
fuzz_duration(const char *s)
{
	static const char *const units[] = { "minutes", "hours", "days" };
	char		 num[32];
	const char	*unit;
	int64_t		 secs, back;
	size_t		 u;

	for (u = 0; u < 3; u++) {
		if (settings_duration(s, units[u], &secs) == -1)
			continue;
		if (secs <= 0)
			abort();
		settings_duration_show(secs, num, &unit);
		/* Whole minutes and up come back exactly. */
		if (secs % 60 == 0 && (settings_duration(num, unit, &back) == -1 ||
		    back != secs))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_list(s);
	fuzz_duration(s);
	free(s);
	return 0;
}
