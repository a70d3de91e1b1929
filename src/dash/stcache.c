#include <stddef.h>

#include <json.h>

#include "stcache.h"

struct stc_ent {
	int64_t			 fid;
	int			 what;
	long long		 at;
	struct json_object	*o;	/* NULL: empty */
};

static struct stc_ent	 stc_ents[STC_ENTRIES];

static struct stc_ent *
stc_slot(int64_t fid, int what)
{
	uint64_t	 h = (uint64_t)fid * 7 + (uint64_t)what;

	return &stc_ents[h % STC_ENTRIES];
}

struct json_object *
stc_get(int64_t fid, int what, long long now_s, long ttl_s)
{
	struct stc_ent	*e = stc_slot(fid, what);

	if (e->o == NULL || e->fid != fid || e->what != what ||
	    now_s < e->at || now_s - e->at >= ttl_s)
		return NULL;
	return json_object_get(e->o);
}

void
stc_put(int64_t fid, int what, struct json_object *o, long long now_s)
{
	struct stc_ent	*e = stc_slot(fid, what);

	json_object_put(e->o);
	e->fid = fid;
	e->what = what;
	e->at = now_s;
	e->o = json_object_get(o);
}

void
stc_clear(void)
{
	size_t	 i;

	for (i = 0; i < STC_ENTRIES; i++) {
		json_object_put(stc_ents[i].o);
		stc_ents[i].o = NULL;
	}
}
