#include <stdio.h>
#include <string.h>

#include "param.h"
#include "qs.h"
#include "valid.h"

static int
param_tz_syntax(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("/_+-", s[i]) != NULL))
			return 0;
	return 1;
}

static int
param_one(const struct param_spec *sp, const char *v, struct param_val *out,
    char *err, size_t errsz)
{
	size_t	 k;

	out->present = 1;
	out->s = v;
	switch (sp->type) {
	case PARAM_INT:
		if (valid_i64(v, sp->min, sp->max, &out->i) == 0)
			return 0;
		snprintf(err, errsz, "%s: must be an integer from %lld to %lld",
		    sp->name, (long long)sp->min, (long long)sp->max);
		return -1;
	case PARAM_TIME:
		if (valid_i64(v, sp->min, sp->max, &out->i) == 0 ||
		    (valid_iso_time(v, &out->i) == 0 && out->i >= sp->min &&
		    out->i <= sp->max))
			return 0;
		if (valid_date(v, &out->i) == 0 && out->i <= sp->max / 86400 &&
		    out->i * 86400 >= sp->min) {
			out->date = 1;
			return 0;
		}
		snprintf(err, errsz, "%s: must be unix seconds, an ISO 8601 "
		    "time (e.g. 2025-01-31T00:00:00Z) or a date (2025-01-31) "
		    "within range", sp->name);
		return -1;
	case PARAM_ENUM:
		for (k = 0; sp->choices[k] != NULL; k++)
			if (strcmp(v, sp->choices[k]) == 0) {
				out->i = (int64_t)k;
				return 0;
			}
		snprintf(err, errsz, "%s: must be one of", sp->name);
		for (k = 0; sp->choices[k] != NULL; k++) {
			size_t n = strlen(err);
			snprintf(err + n, errsz - n, "%s %s", k ? "," : "",
			    sp->choices[k]);
		}
		return -1;
	case PARAM_TZ:
		if (param_tz_syntax(v))
			return 0;
		snprintf(err, errsz, "%s: " PARAM_TZ_UNKNOWN, sp->name);
		return -1;
	case PARAM_STR:
		if (valid_printable(v, (size_t)sp->max) == 0 &&
		    valid_utf8(v, strlen(v)) == 0)
			return 0;
		snprintf(err, errsz, "%s: must be printable UTF-8 of at most "
		    "%lld bytes", sp->name, (long long)sp->max);
		return -1;
	default:
		snprintf(err, errsz, "%s: unsupported", sp->name);
		return -1;
	}
}

int
param_parse(const struct qs_list *q, const struct param_spec *sp, size_t n,
    struct param_val *out, char *err, size_t errsz)
{
	size_t	 i, k;

	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < q->n; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(q->v[i].key, sp[k].name) == 0)
				break;
		if (k == n) {
			snprintf(err, errsz, "%.64s: unknown parameter",
			    q->v[i].key);
			return -1;
		}
		if (out[k].present && !sp[k].repeat) {
			snprintf(err, errsz, "%s: given more than once",
			    sp[k].name);
			return -1;
		}
		if (out[k].present) {
			struct param_val again;

			memset(&again, 0, sizeof(again));
			if (param_one(&sp[k], q->v[i].val, &again, err,
			    errsz) == -1)
				return -1;
		} else if (param_one(&sp[k], q->v[i].val, &out[k], err,
		    errsz) == -1)
			return -1;
		out[k].n++;
	}
	for (k = 0; k < n; k++)
		if (sp[k].required && !out[k].present) {
			snprintf(err, errsz, "%s: required", sp[k].name);
			return -1;
		}
	return 0;
}
