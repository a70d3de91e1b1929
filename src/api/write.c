#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "api.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/cfg.h"
#include "core/db.h"
#include "core/jparse.h"
#include "core/kv.h"
#include "core/log.h"
#include "core/req.h"
#include "core/sec.h"
#include "core/srv.h"
#include "core/valid.h"
#include "reply/eng.h"
#include "reply/ing.h"
#include "reply/settings.h"
#include "reply/store.h"
#include "reply/triage.h"

#define API_MAX_ERRORS	20


enum step
api_json_body(struct req *rq, struct json_object **out)
{
	const char	*ct = req_param(rq, "CONTENT_TYPE");
	enum jparse_err	 e;

	if (ct == NULL || strncmp(ct, "application/json", 16) != 0)
		return step_sent(resp_problem(rq->resp, PROB_UNSUPPORTED_MEDIA,
		    "send Content-Type: application/json", rq->id, NULL));
	if ((e = jparse_object(rq->body, rq->bodylen, JPARSE_DEPTH, out, NULL,
	    0)) == JPARSE_ENOMEM)
		return STEP_ERR;
	if (e != JPARSE_OK)
		return step_sent(api_bad_param(rq, "body: not a JSON object"));
	return STEP_GO;
}

static int
api_settings_send(struct req *rq, int64_t fid)
{
	struct json_object	*o;

	if ((o = settings_get(rq->srv->db, fid)) == NULL)
		return -1;
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

int
api_settings_get(struct req *rq)
{
	return api_settings_send(rq, rq->who.fid);
}

int
api_settings_put(struct req *rq)
{
	struct json_object	*body;
	struct authn		 who;
	char			 msg[200], f[24];
	enum settings_res	 rc;
	enum step		 st;

	who = rq->who;
	if ((st = api_json_body(rq, &body)) != STEP_GO)
		return step_end(st);
	rc = settings_apply(rq->srv->db, who.fid, body, msg, sizeof(msg));
	json_object_put(body);
	if (rc == SETTINGS_BAD)
		return api_bad_param(rq, msg);
	if (rc == SETTINGS_UNKNOWN)
		return resp_problem(rq->resp, PROB_UNPROCESSABLE, msg, rq->id,
		    NULL);
	if (rc == SETTINGS_EDB)
		return -1;
	snprintf(f, sizeof(f), "%" PRId64, who.fid);
	gate_bump(rq->srv->kv, f);
	return api_settings_send(rq, who.fid);
}

/* Collects records into a store and the first few reasons for bad ones. */
struct api_sink {
	struct store		*store;
	struct json_object	*errors;
	long			 bad;
	int			 oom;
};

static int
api_sink_rec(void *arg, const struct ing_rec *r)
{
	struct api_sink	*s = arg;

	if (store_add(s->store, r) == -1) {
		s->oom = 1;
		return -1;
	}
	return 0;
}

static int
api_sink_bad(void *arg, long recno, const char *reason)
{
	struct api_sink	*s = arg;

	s->bad++;
	(void)recno;
	if (json_object_array_length(s->errors) < API_MAX_ERRORS)
		json_object_array_add(s->errors, json_object_new_string(reason));
	return 0;
}

/* Parses a body in any ingest format into s; -1 with why when unusable. */
static int
api_parse_body(struct arena *a, const char *body, size_t len,
    enum ing_format fmt, struct api_sink *s, char *why, size_t whysz)
{
	const struct ing_sink	 sink = { api_sink_rec, api_sink_bad, s };
	struct ing_page		 page;
	long			 recno = 0;
	int			 rc;

	if (fmt == ING_FMT_AUTO)
		fmt = ing_sniff(body, len);
	memset(&page, 0, sizeof(page));
	rc = ing_parse_doc(a, body, len, fmt, &sink, &recno, &page);
	if (rc == -1)
		snprintf(why, whysz, "body: %s", page.error[0] ? page.error :
		    "not a document replycast reads (Hub, Neynar, JSON Lines)");
	return rc == 0 && !s->oom ? 0 : -1;
}

static struct json_object *
api_counts(const struct store_counts *c, const struct api_sink *s)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "records", json_object_new_int64(c->records));
	json_object_object_add(o, "casts_new", json_object_new_int64(c->casts_new));
	json_object_object_add(o, "already_stored",
	    json_object_new_int64(c->casts_dup));
	json_object_object_add(o, "removed", json_object_new_int64(c->removed));
	json_object_object_add(o, "profiles", json_object_new_int64(c->profiles));
	json_object_object_add(o, "links", json_object_new_int64(c->links));
	json_object_object_add(o, "inbound_new",
	    json_object_new_int64(c->inbound_new));
	json_object_object_add(o, "bad", json_object_new_int64(s->bad));
	json_object_object_add(o, "errors", json_object_get(s->errors));
	return o;
}

/*
 * Parses and stores a body in one transaction, bumps the data versions of
 * the fids it touched, and answers with the counts.
 */
static int
api_store_body(struct req *rq, const char *body, size_t len,
    enum ing_format fmt)
{
	struct store_counts	 c = { 0 };
	struct api_sink		 s = { 0 };
	char			 why[320], err[256];
	PGconn			*conn;
	int			 rc = -1;

	if ((s.store = store_new()) == NULL ||
	    (s.errors = json_object_new_array()) == NULL)
		goto out;
	if (api_parse_body(rq->arena, body, len, fmt, &s, why,
	    sizeof(why)) == -1) {
		rc = s.oom ? -1 : api_bad_param(rq, why);
		goto out;
	}
	if ((conn = db_conn(rq->srv->db)) == NULL) {
		rc = resp_problem(rq->resp, PROB_UNAVAILABLE, "the database is "
		    "unavailable; nothing was stored", rq->id, NULL);
		goto out;
	}
	if (store_flush(s.store, conn, NULL, &c, err, sizeof(err)) == -1) {
		log_msg("error", "ingest %s: %s", rq->id, err);
		rc = resp_problem(rq->resp, PROB_UNAVAILABLE, "the batch could "
		    "not be stored; nothing was stored", rq->id, NULL);
		goto out;
	}
	if (gate_bump(rq->srv->kv, store_last_fids(s.store)) == -1)
		log_msg("error", "ingest %s: data versions not bumped: cached "
		    "answers may be stale until they expire", rq->id);
	rc = resp_json(rq->resp, 200, api_counts(&c, &s));
out:
	json_object_put(s.errors);
	store_free(s.store);
	return rc;
}

int
api_ingest(struct req *rq)
{
	const char	*ct = req_param(rq, "CONTENT_TYPE");

	if (ct == NULL || (strncmp(ct, "application/json", 16) != 0 &&
	    strncmp(ct, "application/x-ndjson", 20) != 0 &&
	    strncmp(ct, "application/jsonl", 17) != 0))
		return resp_problem(rq->resp, PROB_UNSUPPORTED_MEDIA, "send "
		    "application/json (Hub or Neynar) or application/x-ndjson "
		    "(JSON Lines)", rq->id, NULL);
	if (rq->bodylen == 0)
		return api_bad_param(rq, "body: empty");
	return api_store_body(rq, rq->body, rq->bodylen,
	    strncmp(ct, "application/json", 16) == 0 ? ING_FMT_AUTO :
	    ING_FMT_JSONL);
}

/* Loaded once at start from RC_NEYNAR_WEBHOOK_SECRET(_FILE). */
static char	 api_hook_key[256];
static size_t	 api_hook_len;

int
api_webhook_load(const struct cfg *c)
{
	FILE	*f;
	size_t	 n;

	if (c->webhook_secret_file[0] != '\0') {
		if ((f = fopen(c->webhook_secret_file, "r")) == NULL)
			return -1;
		n = fread(api_hook_key, 1, sizeof(api_hook_key) - 1, f);
		fclose(f);
		while (n > 0 && (api_hook_key[n - 1] == '\n' ||
		    api_hook_key[n - 1] == '\r'))
			n--;
		api_hook_len = n;
	} else {
		api_hook_len = strlen(c->webhook_secret);
		memcpy(api_hook_key, c->webhook_secret, api_hook_len);
	}
	return 0;
}

int
api_webhook(struct req *rq)
{
	struct json_object	*ev, *type, *data, *doc;
	const char		*sig = req_header(rq, "X-Neynar-Signature"), *s;
	enum step		 st;
	int			 rc;

	if (api_hook_len == 0 || sig == NULL ||
	    !sec_hmac_sha512_ok(api_hook_key, api_hook_len, rq->body,
	    rq->bodylen, sig))
		return resp_problem(rq->resp, PROB_UNAUTHORIZED, "missing or "
		    "wrong X-Neynar-Signature", rq->id, NULL);
	if ((st = api_json_body(rq, &ev)) != STEP_GO)
		return step_end(st);
	if (!json_object_object_get_ex(ev, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    strcmp(json_object_get_string(type), "cast.created") != 0) {
		json_object_put(ev);
		return resp_json(rq->resp, 200, json_tokener_parse(
		    "{\"status\":\"ignored\"}"));
	}
	if (!json_object_object_get_ex(ev, "data", &data) ||
	    !json_object_is_type(data, json_type_object)) {
		json_object_put(ev);
		return api_bad_param(rq, "data: a cast object is required");
	}
	doc = json_object_new_object();
	json_object_object_add(doc, "cast", json_object_get(data));
	s = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	rc = api_store_body(rq, s, strlen(s), ING_FMT_NEYNAR);
	json_object_put(doc);
	json_object_put(ev);
	return rc;
}

/* The {hash} of the path, normalized, or -1 after answering 400. */
static int
api_path_hash(struct req *rq, char out[ING_HASH_LEN + 1])
{
	if (valid_hash(req_capture(rq, "hash"), out) == -1) {
		api_bad_param(rq, "hash: must be 0x and 40 hex digits");
		return -1;
	}
	return 0;
}

static const char *
api_triage_body(struct json_object *body, char *until, size_t sz)
{
	struct json_object	*st, *u;
	const char		*state;
	int64_t			 t, now = (int64_t)time(NULL);

	if (!json_object_object_get_ex(body, "state", &st) ||
	    !json_object_is_type(st, json_type_string))
		return "state: \"done\" or \"snoozed\"";
	state = json_object_get_string(st);
	json_object_object_foreach(body, k, v) {
		(void)v;
		if (strcmp(k, "state") != 0 && strcmp(k, "until") != 0)
			return "body: only state and until are allowed";
	}
	if (strcmp(state, "done") == 0) {
		until[0] = '\0';
		return json_object_object_get_ex(body, "until", NULL) ?
		    "until: only for snoozed" : NULL;
	}
	if (strcmp(state, "snoozed") != 0)
		return "state: \"done\" or \"snoozed\"";
	if (!json_object_object_get_ex(body, "until", &u))
		return "until: required to snooze (unix seconds or ISO 8601)";
	if (json_object_is_type(u, json_type_int))
		t = json_object_get_int64(u);
	else if (!json_object_is_type(u, json_type_string) ||
	    valid_iso_time(json_object_get_string(u), &t) == -1)
		return "until: unix seconds or ISO 8601";
	if (t <= now || t > now + 366 * 86400)
		return "until: must be in the future, within a year";
	snprintf(until, sz, "%" PRId64, t);
	return NULL;
}

/*
 * A done mark drops a cast from the figures of a user whose dismissed
 * casts are excluded: the data version moves on, as after a settings write.
 */
static void
api_triage_bump(struct req *rq)
{
	char	 f[24];

	snprintf(f, sizeof(f), "%" PRId64, rq->who.fid);
	gate_bump(rq->srv->kv, f);
}

int
api_triage_put(struct req *rq)
{
	struct json_object	*body, *o;
	char			 h[ING_HASH_LEN + 1], until[24];
	const char		*why;
	int64_t			 u;
	enum triage_res		 t;
	enum step		 st;

	if (api_path_hash(rq, h) == -1)
		return 0;
	if ((st = api_json_body(rq, &body)) != STEP_GO)
		return step_end(st);
	why = api_triage_body(body, until, sizeof(until));
	json_object_put(body);
	if (why != NULL)
		return api_bad_param(rq, why);
	u = until[0] ? strtoll(until, NULL, 10) : 0;
	if ((t = triage_set(rq->srv->db, rq->who.fid, h, u)) == TRIAGE_EDB)
		return -1;
	if (t == TRIAGE_NOTFOUND)
		return resp_problem(rq->resp, PROB_NOT_FOUND, "no inbound cast "
		    "with this hash for you", rq->id, NULL);
	api_triage_bump(rq);
	o = json_object_new_object();
	json_object_object_add(o, "hash", json_object_new_string(h));
	json_object_object_add(o, "state", json_object_new_string(
	    u ? "snoozed" : "done"));
	json_object_object_add(o, "until", u ? json_object_new_int64(u) : NULL);
	return resp_json(rq->resp, 200, o);
}

int
api_triage_del(struct req *rq)
{
	char		 h[ING_HASH_LEN + 1];
	enum triage_res	 t;

	if (api_path_hash(rq, h) == -1)
		return 0;
	if ((t = triage_clear(rq->srv->db, rq->who.fid, h)) == TRIAGE_EDB)
		return -1;
	if (t == TRIAGE_NOTFOUND)
		return resp_problem(rq->resp, PROB_NOT_FOUND, "this cast is not "
		    "marked done or snoozed", rq->id, NULL);
	api_triage_bump(rq);
	rq->resp->status = 204;
	return 0;
}
