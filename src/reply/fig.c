#include <stddef.h>

#include "fig.h"

static struct json_object *
fig_memory(struct facts_cache *c, struct db *db, const struct fig_req *f,
    long long v, enum facts_rc *why)
{
	switch (f->kind) {
	case FIG_SUMMARY:
		return facts_summary(c, db, &f->q, v, why);
	case FIG_DISTRIBUTION:
		return facts_distribution(c, db, &f->q, v, why);
	case FIG_HEATMAP:
		return facts_heatmap(c, db, &f->q, v, why);
	case FIG_TREND:
		return facts_trend(c, db, &f->q, v, f->bucket, why);
	case FIG_COUNTERPARTS:
		return facts_counterparts(c, db, &f->q, v, f->sort, f->limit,
		    f->offset, why);
	case FIG_STREAK:
		return facts_streak(c, db, &f->q, v, why);
	case FIG_CHANNELS:
		return facts_channels(c, db, &f->q, v, f->sort, f->limit,
		    f->offset, why);
	case FIG_SPEED:
		return facts_speed(c, db, &f->q, v, why);
	default:
		*why = FACTS_UNSUPPORTED;
		return NULL;
	}
}

static struct json_object *
fig_sql(struct db *db, const struct fig_req *f)
{
	switch (f->kind) {
	case FIG_SUMMARY:
		return eng_summary(db, &f->q);
	case FIG_DISTRIBUTION:
		return eng_distribution(db, &f->q);
	case FIG_HEATMAP:
		return eng_heatmap(db, &f->q);
	case FIG_TREND:
		return eng_trend(db, &f->q, f->bucket);
	case FIG_COUNTERPARTS:
		return eng_counterparts(db, &f->q, f->sort, f->limit,
		    f->offset);
	case FIG_STREAK:
		return eng_streak(db, &f->q);
	case FIG_CHANNELS:
		return eng_channels(db, &f->q, f->sort, f->limit, f->offset);
	case FIG_SPEED:
		return eng_speed(db, &f->q);
	default:
		return NULL;
	}
}

struct json_object *
fig_get(struct facts_cache *c, struct db *db, const struct fig_req *f,
    long long version, enum facts_rc *why)
{
	struct json_object	*o;

	*why = FACTS_OFF;
	if (c != NULL && (o = fig_memory(c, db, f, version, why)) != NULL)
		return o;
	return fig_sql(db, f);
}
