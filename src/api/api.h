#ifndef RC_API_H
#define RC_API_H
#include <stdint.h>

#include "core/authn.h"
#include "core/gate.h"
#include "core/param.h"
#include "core/step.h"

struct req;
struct json_object;

/*
 * Private to the api pool.  The core gate identified the caller before
 * the handler ran (routes with AUTHN_GATED).  A read handler calls
 * api_read_begin, which authorizes fid, runs gate_check (revocation, rate
 * limit, cache: one Redis round trip), settles the gate's revocation check
 * with it and either answers (problem, 304, cached body) or lets the
 * handler compute; api_read_end stores and sends what was computed.
 */
struct api_read {
	struct authn	 who;
	int64_t		 fid;
	struct gate_out	 gate;
	char		 key[512];	/* cache key: endpoint + normalized params */
	int		 cacheable;	/* endpoint given: answers are cached */
	int		 store;		/* worth a Redis SET (RC_CACHE_MIN_FACTS) */
};

/*
 * prep, when given, runs after the parameters parsed and before the cache
 * key is made: it fills in defaults (so they are part of the key) and
 * answers 400 itself (STEP_DONE) when values do not fit together.
 */
typedef enum step (*api_prep_fn)(struct req *, int64_t fid,
		    struct param_val *, void *arg);
/*
 * STEP_DONE when it answered (a refusal, a 304, a cached body), STEP_GO
 * when the handler computes; endpoint NULL: authenticate and gate, but do
 * not cache.
 */
enum step api_read_begin(struct req *, struct api_read *, int64_t fid,
	    const char *endpoint, const struct param_spec *, size_t n,
	    struct param_val *vals, api_prep_fn prep, void *arg);
int	 api_read_end(struct req *, struct api_read *, struct json_object *);

/*
 * The {fid} of the path, or 0 after answering 404: one spelling per fid
 * (no leading zero, sign or space), so one path per resource.
 */
int64_t	 api_path_fid(struct req *);

/*
 * Places bare dates of from and to (param_val.date) in tz, or when tz is
 * NULL in the fid's own zone: from starts its day, to ends its day (the
 * start of the next, exclusive).  STEP_DONE after answering 503.
 */
enum step api_dates(struct req *, int64_t fid, const char *tz,
	    struct param_val *from, struct param_val *to);

/*
 * The request body as a JSON object (Content-Type application/json);
 * STEP_DONE after answering 415 or 400.
 */
enum step api_json_body(struct req *, struct json_object **out);

/* 400 invalid-parameter naming it. */
int	 api_bad_param(struct req *, const char *msg);

struct cfg;
/* The read model's cache of this process (RC_FACTS_MB); -1 on ENOMEM. */
int	 api_facts_init(const struct cfg *);
void	 api_facts_free(void);

/*
 * Runs q (one page of owed replies of fid) and writes it as the CSV body
 * with its headers, a row as each item comes; -1 when the query fails or
 * the body cannot grow.
 */
#define API_OWED_CSV_MAX	5000
struct eng_owed_q;
int	 api_owed_csv(struct req *, int64_t fid, const struct eng_owed_q *);

/* Handlers. */
int	 api_me_summary(struct req *);
int	 api_summary(struct req *);
int	 api_unreplied(struct req *);
int	 api_unreplied_csv(struct req *);
int	 api_distribution(struct req *);
int	 api_heatmap(struct req *);
int	 api_trend(struct req *);
int	 api_counterparts(struct req *);
int	 api_channels(struct req *);
int	 api_me_channels(struct req *);
int	 api_streak(struct req *);
int	 api_speed(struct req *);
int	 api_me_speed(struct req *);
int	 api_standing(struct req *);
int	 api_me_standing(struct req *);
int	 api_export(struct req *);
int	 api_settings_get(struct req *);
/* GET /api/v1/me/import: the caller's backfill job (reply/job.h). */
int	 api_import(struct req *);
int	 api_settings_put(struct req *);
int	 api_ingest(struct req *);
int	 api_triage_put(struct req *);
int	 api_triage_del(struct req *);
int	 api_webhook(struct req *);
/* Goal alerts and digests (alerts.c): settings, secret, deliveries. */
int	 api_alerts_get(struct req *);
int	 api_alerts_put(struct req *);
int	 api_alerts_secret(struct req *);
int	 api_deliveries(struct req *);
/* POST /api/v1/miniapp/webhook: a Farcaster client's signed event. */
int	 api_miniapp_webhook(struct req *);
struct cfg;
int	 api_webhook_load(const struct cfg *);
int	 api_openapi(struct req *);
int	 api_openapi_load(const char *data_dir);

#endif
