#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "api.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/met.h"
#include "core/req.h"
#include "core/sec.h"
#include "core/srv.h"
#include "reply/settings.h"

/* The PARAM_TZ values param_parse let through: zones PostgreSQL knows. */
static int
api_tz_check(struct req *rq, const struct param_spec *sp, size_t n,
    const struct param_val *v, char *err, size_t errsz)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (sp[i].type == PARAM_TZ && v[i].present &&
		    !settings_tz_valid(rq->srv->db, v[i].s)) {
			snprintf(err, errsz, "%s: " PARAM_TZ_UNKNOWN, sp[i].name);
			return -1;
		}
	return 0;
}

int
api_bad_param(struct req *rq, const char *msg)
{
	return resp_problem(rq->resp, PROB_INVALID_PARAM, msg, rq->id, NULL);
}

/* endpoint?name=value&... with the typed values: equal requests, equal keys. */
static void
api_cache_key(struct api_read *ar, const char *endpoint,
    const struct param_spec *sp, size_t n, const struct param_val *v)
{
	size_t	 i, len;

	len = (size_t)snprintf(ar->key, sizeof(ar->key), "%s", endpoint);
	for (i = 0; i < n && len < sizeof(ar->key); i++) {
		if (!v[i].present)
			continue;
		if (sp[i].type == PARAM_TZ || sp[i].type == PARAM_STR)
			len += (size_t)snprintf(ar->key + len, sizeof(ar->key) - len,
			    "&%s=%s", sp[i].name, v[i].s);
		else
			len += (size_t)snprintf(ar->key + len, sizeof(ar->key) - len,
			    "&%s=%" PRId64, sp[i].name, v[i].i);
	}
}

static void
api_rate_headers(struct req *rq, const struct gate_out *g)
{
	char	 v[32];

	if (g->remaining < 0)
		return;
	snprintf(v, sizeof(v), "%ld", rq->srv->cfg.api_burst);
	resp_header(rq->resp, "RateLimit-Limit", v);
	snprintf(v, sizeof(v), "%ld", g->remaining);
	resp_header(rq->resp, "RateLimit-Remaining", v);
	snprintf(v, sizeof(v), "%ld", (g->retry_ms + 999) / 1000);
	resp_header(rq->resp, "RateLimit-Reset", v);
}

/* Revocation (the gate's, settled here), then the rate limit. */
static enum step
api_gate_verdict(struct req *rq, struct api_read *ar)
{
	char	 v[32];

	if (authn_settle(rq, &ar->gate) == -1)
		return STEP_DONE;
	if (!ar->gate.ok)
		return STEP_GO;
	api_rate_headers(rq, &ar->gate);
	if (!ar->gate.allowed) {
		snprintf(v, sizeof(v), "%ld", (ar->gate.retry_ms + 999) / 1000);
		resp_header(rq->resp, "Retry-After", v);
		return step_sent(resp_problem(rq->resp, PROB_TOO_MANY_REQUESTS,
		    "rate limit: wait before the next request", rq->id, NULL));
	}
	return STEP_GO;
}

/* cache is the X-Cache value: "hit", "miss" or "bypass". */
static int
api_send(struct req *rq, const char *etag, const char *body, size_t len,
    const char *cache)
{
	const char	*inm = req_header(rq, "If-None-Match");

	met_cache(rq->srv->met, cache[0] == 'h' ? MET_CACHE_HIT :
	    cache[0] == 'm' ? MET_CACHE_MISS : MET_CACHE_BYPASS);
	resp_header(rq->resp, "ETag", etag);
	resp_header(rq->resp, "Cache-Control", "private, no-cache");
	resp_header(rq->resp, "X-Cache", cache);
	buf_reset(&rq->resp->body);
	if (inm != NULL && (strcmp(inm, etag) == 0 || strcmp(inm, "*") == 0)) {
		rq->resp->status = 304;
		return 0;
	}
	rq->resp->status = 200;
	resp_ctype(rq->resp, "application/json");
	return buf_put(&rq->resp->body, body, len);
}

enum step
api_read_begin(struct req *rq, struct api_read *ar, int64_t fid,
    const char *endpoint, const struct param_spec *sp, size_t n,
    struct param_val *vals, api_prep_fn prep, void *arg)
{
	struct gate_in	 in;
	struct buf	 cached;
	char		 err[256], bucket[40];
	const char	*nl;
	enum step	 rc;

	memset(ar, 0, sizeof(*ar));
	ar->who = rq->who;	/* the gate's; its revocation check waits for ours */
	if (fid == 0)
		fid = ar->who.fid;
	ar->fid = fid;
	if (!authn_may_read(&ar->who, fid))
		return step_sent(resp_problem(rq->resp, PROB_FORBIDDEN, "you may "
		    "read only your own fid's data", rq->id, NULL));
	if (param_parse(&rq->query, sp, n, vals, err, sizeof(err)) == -1 ||
	    api_tz_check(rq, sp, n, vals, err, sizeof(err)) == -1)
		return step_sent(api_bad_param(rq, err));
	if (prep != NULL && (rc = prep(rq, fid, vals, arg)) != STEP_GO)
		return rc;
	api_cache_key(ar, endpoint != NULL ? endpoint : "-", sp, n, vals);
	snprintf(bucket, sizeof(bucket), "%s:%" PRId64,
	    ar->who.kind == AUTHN_KEY ? "k" : "a",
	    ar->who.kind == AUTHN_KEY ? ar->who.key_id : ar->who.account);
	memset(&in, 0, sizeof(in));
	authn_gate_in(&ar->who, &in);
	/* Administrators (operators' scripts, load tests) are not rate limited. */
	in.bucket = ar->who.role == TOK_ROLE_ADMIN ? NULL : bucket;
	in.rate = rq->srv->cfg.api_rate;
	in.burst = rq->srv->cfg.api_burst;
	in.fid = fid;
	in.cache_key = endpoint != NULL ? ar->key : NULL;
	ar->cacheable = endpoint != NULL;
	ar->store = ar->cacheable;
	buf_init(&cached, 0);
	ar->gate.cached = &cached;
	if (gate_check(rq->srv->kv, &in, &ar->gate) == -1)
		log_msg("warn", "redis unavailable: answering from PostgreSQL");
	met_gate(rq->srv->met, gate_met(&ar->gate));
	ar->gate.cached = NULL;
	rc = api_gate_verdict(rq, ar);
	if (rc == STEP_GO && ar->gate.hit &&
	    (nl = memchr(cached.ptr, '\n', cached.len)) != NULL) {
		char etag[80];

		snprintf(etag, sizeof(etag), "%.*s", (int)(nl - cached.ptr),
		    cached.ptr);
		rc = step_sent(api_send(rq, etag, nl + 1,
		    cached.len - (size_t)(nl + 1 - cached.ptr), "hit"));
	}
	buf_free(&cached);
	return rc;
}

int
api_read_end(struct req *rq, struct api_read *ar, struct json_object *o)
{
	char		 hash[SEC_SHA256_HEX + 1], etag[48];
	const char	*s;
	struct buf	 entry;
	size_t		 len;
	int		 rc = -1;

	if (o == NULL)
		return -1;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(s);
	sec_sha256_hex(s, len, hash);
	snprintf(etag, sizeof(etag), "\"%.32s\"", hash);
	buf_init(&entry, 0);
	if (ar->gate.ok && ar->store &&
	    buf_printf(&entry, "%s\n", etag) == 0 &&
	    buf_put(&entry, s, len) == 0)
		gate_store(rq->srv->kv, ar->fid, ar->gate.version, ar->key,
		    entry.ptr, entry.len, rq->srv->cfg.cache_ttl);
	else if (ar->gate.ok && ar->cacheable && !ar->store)
		gate_unstored(ar->fid, ar->gate.version, ar->key);
	buf_free(&entry);
	rc = api_send(rq, etag, s, len, ar->gate.ok && ar->cacheable ?
	    "miss" : "bypass");
	json_object_put(o);
	return rc;
}
