#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "hubid.h"
#include "core/buf.h"
#include "core/http.h"
#include "core/jparse.h"
#include "core/kv.h"

#define HUBID_KEY_MAX	128
#define HUBID_KEYTYPE_AUTH	2	/* KeyRegistry: an auth address */
#define HUBID_KEYTYPE_SIGNER	1	/* KeyRegistry: an Ed25519 app key */

static const char *const hubid_names[HUBID__MAX] = {
	"custody", "auth", "none", "hub"
};

const char *
hubid_name(enum hubid_rc rc)
{
	return rc < HUBID__MAX ? hubid_names[rc] : "?";
}

static const char *
hubid_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int64_t
hubid_int(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

static int
hubid_addr_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strlen(a) == HUBID_ADDR_LEN &&
	    strcasecmp(a, b) == 0;
}

int
hubid_custody_parse(const char *json, size_t len, const char *addr,
    int64_t fid)
{
	struct json_object	*o, *body;
	int			 ok = 0;

	if (jparse_object(json, len, JPARSE_DEPTH, &o, NULL, 0) != JPARSE_OK)
		return 0;
	if (hubid_int(o, "fid") == fid && fid > 0 &&
	    json_object_object_get_ex(o, "idRegisterEventBody", &body))
		ok = hubid_addr_eq(hubid_str(body, "to"), addr);
	json_object_put(o);
	return ok;
}

/* Whether key (any case, of length len) was added with keyType kt and not removed since. */
static int
hubid_signers_find(const char *json, size_t len, const char *key,
    size_t keylen, int64_t kt)
{
	struct json_object	*o, *ev, *body;
	const char		*t, *k;
	size_t			 i, n;
	int			 ok = 0;

	if (jparse_object(json, len, JPARSE_DEPTH, &o, NULL, 0) != JPARSE_OK)
		return 0;
	if (!json_object_object_get_ex(o, "events", &ev) ||
	    !json_object_is_type(ev, json_type_array))
		goto out;
	n = json_object_array_length(ev);
	for (i = 0; i < n; i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(ev, i),
		    "signerEventBody", &body))
			continue;
		t = hubid_str(body, "eventType");
		k = hubid_str(body, "key");
		if (t == NULL || k == NULL || strlen(k) != keylen ||
		    strcasecmp(k, key) != 0 || hubid_int(body, "keyType") != kt)
			continue;
		if (strcmp(t, "SIGNER_EVENT_TYPE_ADD") == 0)
			ok = 1;
		else if (strcmp(t, "SIGNER_EVENT_TYPE_REMOVE") == 0)
			ok = 0;
	}
out:
	json_object_put(o);
	return ok;
}

int
hubid_signers_parse(const char *json, size_t len, const char *addr)
{
	if (addr == NULL || strlen(addr) != HUBID_ADDR_LEN)
		return 0;
	return hubid_signers_find(json, len, addr, HUBID_ADDR_LEN,
	    HUBID_KEYTYPE_AUTH);
}

int
hubid_app_key_parse(const char *json, size_t len, const char *key)
{
	return hubid_signers_find(json, len, key, strlen(key),
	    HUBID_KEYTYPE_SIGNER);
}

int
hubid_username_parse(const char *json, size_t len,
    char name[HUBID_NAME_MAX + 1])
{
	struct json_object	*o, *ms, *d, *b;
	const char		*t, *v;
	int64_t			 ts, best = -1;
	size_t			 i, n;

	if (jparse_object(json, len, JPARSE_DEPTH, &o, NULL, 0) != JPARSE_OK)
		return -1;
	if (json_object_object_get_ex(o, "messages", &ms) &&
	    json_object_is_type(ms, json_type_array)) {
		n = json_object_array_length(ms);
		for (i = 0; i < n; i++) {
			if (!json_object_object_get_ex(
			    json_object_array_get_idx(ms, i), "data", &d) ||
			    !json_object_object_get_ex(d, "userDataBody", &b))
				continue;
			t = hubid_str(b, "type");
			v = hubid_str(b, "value");
			ts = hubid_int(d, "timestamp");
			if (t == NULL || v == NULL || *v == '\0' ||
			    strcmp(t, "USER_DATA_TYPE_USERNAME") != 0 ||
			    strlen(v) > HUBID_NAME_MAX || ts < best)
				continue;
			best = ts;
			snprintf(name, HUBID_NAME_MAX + 1, "%s", v);
		}
	}
	json_object_put(o);
	return best >= 0 ? 0 : -1;
}

/* GET hub + path + "?" + name=value into body: the HTTP status, -1. */
static long
hubid_get(const char *hub, const char *path, const char *name,
    const char *value, struct buf *body, char *err, size_t errsz)
{
	struct http_req	 r;
	struct buf	 url;
	long		 status = -1;

	buf_init(&url, 4096);
	if (buf_printf(&url, "%s%s?%s=", hub, path, name) == -1 ||
	    http_urlenc(&url, value) == -1) {
		snprintf(err, errsz, "Hub URL too long");
		goto out;
	}
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.url = buf_cstr(&url);
	if (http_do(&r, &status, body, err, errsz) != HTTP_OK)
		status = -1;
out:
	buf_free(&url);
	return status;
}

/* One question to the Hub: 1 yes, 0 no, -1 no usable answer. */
static int
hubid_ask(const char *hub, int64_t fid, const char *addr, int custody,
    char *err, size_t errsz)
{
	struct buf	 body;
	char		 f[24];
	long		 st;
	int		 rc = -1;

	buf_init(&body, HTTP_MAX_BODY);
	snprintf(f, sizeof(f), "%" PRId64, fid);
	st = custody ? hubid_get(hub, "/v1/onChainIdRegistryEventByAddress",
	    "address", addr, &body, err, errsz) :
	    hubid_get(hub, "/v1/onChainSignersByFid", "fid", f, &body, err,
	    errsz);
	/* A Hub answers 404 (or 400 not_found) for an address it has no event of. */
	if (st == 200)
		rc = custody ? hubid_custody_parse(body.ptr, body.len, addr, fid) :
		    hubid_signers_parse(body.ptr, body.len, addr);
	else if (st == 404 || (st == 400 && custody))
		rc = 0;
	else if (st > 0)
		snprintf(err, errsz, "the Hub answered HTTP %ld", st);
	buf_free(&body);
	return rc;
}

static enum hubid_rc
hubid_cached(struct kv *kv, const char *key)
{
	redisReply	*r;
	enum hubid_rc	 rc = HUBID_EHUB;
	int		 i;

	if (kv == NULL || (r = kv_cmd(kv, "GET %s", key)) == NULL)
		return HUBID_EHUB;
	if (r->type == REDIS_REPLY_STRING)
		for (i = 0; i < HUBID_EHUB; i++)
			if (strcmp(r->str, hubid_names[i]) == 0)
				rc = (enum hubid_rc)i;
	freeReplyObject(r);
	return rc;
}

enum hubid_rc
hubid_check(struct kv *kv, const char *hub, long ttl_s, int64_t fid,
    const char *addr, char *err, size_t errsz)
{
	char		 key[HUBID_KEY_MAX], ttl[24], a[HUBID_ADDR_LEN + 1];
	redisReply	*r;
	enum hubid_rc	 rc;
	int		 yes;
	size_t		 i;

	for (i = 0; i < HUBID_ADDR_LEN && addr[i] != '\0'; i++)
		a[i] = (char)(addr[i] >= 'A' && addr[i] <= 'F' ?
		    addr[i] - 'A' + 'a' : addr[i]);
	a[i] = '\0';
	snprintf(key, sizeof(key), "hubid:%" PRId64 ":%s", fid, a);
	if ((rc = hubid_cached(kv, key)) != HUBID_EHUB)
		return rc;
	if ((yes = hubid_ask(hub, fid, a, 1, err, errsz)) == 1)
		rc = HUBID_CUSTODY;
	else if (yes == 0 && (yes = hubid_ask(hub, fid, a, 0, err, errsz)) >= 0)
		rc = yes ? HUBID_AUTH : HUBID_NONE;
	else
		return HUBID_EHUB;
	snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
	if (kv != NULL && ttl_s > 0 && (r = kv_cmd(kv, "SET %s %s EX %s", key,
	    hubid_names[rc], ttl)) != NULL)
		freeReplyObject(r);
	return rc;
}

int
hubid_username(const char *hub, int64_t fid, char name[HUBID_NAME_MAX + 1])
{
	struct buf	 body;
	char		 f[24], err[128];
	int		 rc = -1;

	buf_init(&body, HTTP_MAX_BODY);
	snprintf(f, sizeof(f), "%" PRId64, fid);
	if (hubid_get(hub, "/v1/userDataByFid", "fid", f, &body, err,
	    sizeof(err)) == 200)
		rc = hubid_username_parse(body.ptr, body.len, name);
	buf_free(&body);
	return rc;
}

int
hubid_app_key(struct kv *kv, const char *hub, long ttl_s, int64_t fid,
    const char *key, char *err, size_t errsz)
{
	struct buf	 body;
	char		 ck[HUBID_KEY_MAX], f[24], ttl[24];
	redisReply	*r;
	long		 st;
	int		 rc = -1;

	snprintf(ck, sizeof(ck), "hubkey:%" PRId64 ":%s", fid, key);
	if (kv != NULL && (r = kv_cmd(kv, "GET %s", ck)) != NULL) {
		if (r->type == REDIS_REPLY_STRING)
			rc = r->str[0] == '1';
		freeReplyObject(r);
		if (rc != -1)
			return rc;
	}
	buf_init(&body, HTTP_MAX_BODY);
	snprintf(f, sizeof(f), "%" PRId64, fid);
	st = hubid_get(hub, "/v1/onChainSignersByFid", "fid", f, &body, err,
	    errsz);
	if (st == 200)
		rc = hubid_app_key_parse(body.ptr, body.len, key);
	else if (st == 404)
		rc = 0;
	else if (st > 0)
		snprintf(err, errsz, "the Hub answered HTTP %ld", st);
	buf_free(&body);
	snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
	if (rc >= 0 && kv != NULL && ttl_s > 0 && (r = kv_cmd(kv,
	    "SET %s %s EX %s", ck, rc ? "1" : "0", ttl)) != NULL)
		freeReplyObject(r);
	return rc;
}
