#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "auth.h"
#include "siwf.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/req.h"
#include "core/siwe.h"
#include "core/srv.h"
#include "reply/acct.h"
#include "reply/hubid.h"

#define SIWF_SIG_HEX	132		/* "0x" + 65 bytes in hex */

/* The field each failed check is about, for the problem's detail. */
static const char *const siwf_check_field[SIWE_CHECK__MAX] = {
	[SIWE_CHECK_OK] = "",
	[SIWE_CHECK_VERSION] = "version",
	[SIWE_CHECK_CHAIN] = "chain_id",
	[SIWE_CHECK_DOMAIN] = "domain",
	[SIWE_CHECK_URI] = "uri",
	[SIWE_CHECK_STATEMENT] = "statement",
	[SIWE_CHECK_ISSUED_FUTURE] = "issued_at",
	[SIWE_CHECK_EXPIRED] = "expiration_time",
	[SIWE_CHECK_NOT_YET] = "not_before",
	[SIWE_CHECK_NO_FID] = "resources",
	[SIWE_CHECK_MANY_FIDS] = "resources",
	[SIWE_CHECK_BAD_FID] = "resources",
	[SIWE_CHECK_METHOD] = "resources",
};

/* Derived once at start from RC_SIWF_DOMAIN / RC_SIWF_URI; read-only after. */
static char	siwf_dom[256];

/* The host[:port] of an absolute URI into out; -1 when there is none. */
static int
siwf_authority(const char *uri, char *out, size_t outsz)
{
	const char	*a, *e;

	if ((a = strstr(uri, "://")) == NULL)
		return -1;
	a += 3;
	e = a + strcspn(a, "/?#");
	if (e == a || (size_t)(e - a) >= outsz || memchr(a, '@', (size_t)(e -
	    a)) != NULL)
		return -1;
	memcpy(out, a, (size_t)(e - a));
	out[e - a] = '\0';
	return 0;
}

int
siwf_init(const struct cfg *c)
{
	if (c->siwf_uri[0] == '\0')
		return 0;
	if (c->siwf_domain[0] != '\0') {
		snprintf(siwf_dom, sizeof(siwf_dom), "%s", c->siwf_domain);
		return 0;
	}
	if (siwf_authority(c->siwf_uri, siwf_dom, sizeof(siwf_dom)) == -1) {
		log_msg("error", "RC_SIWF_URI: no host in it, and RC_SIWF_DOMAIN "
		    "is not set");
		return -1;
	}
	return 0;
}

const char *
siwf_domain(const struct req *rq)
{
	return rq->srv->cfg.siwf_uri[0] != '\0' ? siwf_dom : NULL;
}

const char *
siwf_uri(const struct req *rq)
{
	return rq->srv->cfg.siwf_uri[0] != '\0' ? rq->srv->cfg.siwf_uri : NULL;
}

/* The message itself: its text, the policy checks, the signature. */
static int
siwf_check_msg(struct req *rq, const char *msg, const char *sig,
    struct siwe_msg *m, struct siwf_proof *p, char *detail, size_t n)
{
	struct siwe_policy	 pol;
	enum siwe_err		 pe;
	enum siwe_check		 ce;
	enum siwe_sig		 se;
	char			 signer[ETH_ADDR_SIZE];

	if ((pe = siwe_parse(msg, strlen(msg), m)) != SIWE_OK) {
		snprintf(detail, n, "message: not a valid Sign In with "
		    "Farcaster message: %s", siwe_err_str(pe));
		return -1;
	}
	memset(&pol, 0, sizeof(pol));
	pol.domain = siwf_domain(rq);
	pol.uri = siwf_uri(rq);
	pol.chain_id = SIWE_FARCASTER_CHAIN;
	pol.skew = rq->srv->cfg.siwf_skew;
	/* No older than a nonce lives: a message is signed right after. */
	pol.max_age = rq->srv->cfg.siwf_nonce_ttl + rq->srv->cfg.siwf_skew;
	if ((ce = siwe_check(m, &pol, (int64_t)time(NULL), &p->fid)) !=
	    SIWE_CHECK_OK) {
		snprintf(detail, n, "%s: %s", siwf_check_field[ce],
		    siwe_check_str(ce));
		return -1;
	}
	if ((se = siwe_verify_sig(m, msg, strlen(msg), sig, signer)) !=
	    SIWE_SIG_OK) {
		snprintf(detail, n, "signature: %s", siwe_sig_str(se));
		return -1;
	}
	snprintf(p->address, sizeof(p->address), "%s", signer);
	return 0;
}

/* The Hub: the signer controls the fid. */
static int
siwf_check_hub(struct req *rq, const struct siwf_proof *p, char *detail,
    size_t n)
{
	char		 err[160] = "";
	enum hubid_rc	 h;

	if (rq->srv->cfg.hub_url[0] == '\0') {
		snprintf(detail, n, "hub: no Farcaster Hub is configured "
		    "(RC_HUB_URL): fids cannot be checked");
		return -2;
	}
	h = hubid_check(rq->srv->kv, rq->srv->cfg.hub_url,
	    rq->srv->cfg.siwf_hub_cache, p->fid, p->address, err, sizeof(err));
	if (h == HUBID_EHUB) {
		log_msg("warn", "siwf: hub: %s", err);
		snprintf(detail, n, "hub: the Farcaster Hub did not answer; "
		    "try again");
		return -2;
	}
	if (h == HUBID_NONE) {
		snprintf(detail, n, "address: %s is neither the custody "
		    "address nor an auth address of fid %" PRId64, p->address,
		    p->fid);
		return -1;
	}
	return 0;
}

static int
siwf_check_nonce(struct req *rq, const char *nonce, char *detail, size_t n)
{
	static const char *const why[] = {
		NULL, "was not issued by this server", "was used already",
		"has expired"
	};
	enum siwf_take	 t;

	if ((t = siwf_nonce_take(rq->srv->db, nonce)) == SIWF_TAKEN)
		return 0;
	if (t == SIWF_EDB) {
		snprintf(detail, n, "nonce: the database is unavailable");
		return -2;
	}
	snprintf(detail, n, "nonce: %s", why[t]);
	return -1;
}

int
siwf_verify(struct req *rq, const char *msg, const char *sig,
    struct siwf_proof *p, char *detail, size_t n)
{
	struct siwe_msg	*m;
	int		 rc;

	/* Large (resources): from the arena, not the stack. */
	if ((m = arena_alloc(rq->arena, sizeof(*m))) == NULL) {
		snprintf(detail, n, "out of memory");
		return -2;
	}
	memset(p, 0, sizeof(*p));
	if ((rc = siwf_check_msg(rq, msg, sig, m, p, detail, n)) == 0 &&
	    (rc = siwf_check_hub(rq, p, detail, n)) == 0)
		rc = siwf_check_nonce(rq, m->nonce, detail, n);
	return rc;
}

/* Tries name for a new account of fid; ACCT_EEXISTS: pick another. */
static enum acct_err
siwf_create(struct req *rq, const char *name, int64_t fid, struct acct *a)
{
	char		 pw[SEC_TOKEN_LEN + 1];
	int64_t		 id, gen;
	enum acct_err	 e;

	/* A password nobody knows: this account signs in with Farcaster. */
	if (sec_token(pw) == -1)
		return ACCT_EHASH;
	if ((e = acct_add(rq->srv->db, name, pw, strlen(pw), 0,
	    TOK_ROLE_USER, a)) != ACCT_OK)
		return e;
	if ((e = acct_bind(rq->srv->db, name, fid, &id, &gen)) == ACCT_OK)
		return acct_get(rq->srv->db, id, a);
	/* Another sign-in of the same fid won the race: use its account. */
	(void)acct_del(rq->srv->db, name, &id, &gen);
	return e == ACCT_EFID ? acct_find_fid(rq->srv->db, fid, a) : e;
}

int
siwf_account(struct req *rq, const struct siwf_proof *p, struct acct *a)
{
	char		 name[3][ACCT_USER_MAX + 1], rnd[9];
	enum acct_err	 e;
	size_t		 i = 0, k;

	if ((e = acct_find_fid(rq->srv->db, p->fid, a)) != ACCT_ENOTFOUND)
		return e == ACCT_OK ? 0 : -1;
	if (acct_username_ok(p->username))
		snprintf(name[i++], sizeof(name[0]), "%s", p->username);
	else if (rq->srv->cfg.hub_url[0] != '\0' && hubid_username(
	    rq->srv->cfg.hub_url, p->fid, name[i]) == 0 &&
	    acct_username_ok(name[i]))
		i++;
	snprintf(name[i++], sizeof(name[0]), "fid-%" PRId64, p->fid);
	if (sec_random_hex(rnd, 4) == -1)
		return -1;
	snprintf(name[i++], sizeof(name[0]), "fid-%" PRId64 "-%s", p->fid, rnd);
	for (k = 0; k < i; k++) {
		if ((e = siwf_create(rq, name[k], p->fid, a)) != ACCT_EEXISTS)
			break;
	}
	if (e != ACCT_OK)
		return -1;
	auth_audit(rq, a->id, a->username, "siwf.account", "created for a "
	    "fid proven by Sign In with Farcaster");
	return 0;
}

int
siwf_link(struct req *rq, int64_t account, const struct siwf_proof *p,
    struct acct *a, char *msg, size_t n)
{
	int64_t		 id, gen;
	enum acct_err	 e;

	if (acct_get(rq->srv->db, account, a) != ACCT_OK)
		return -1;
	if (a->fid == p->fid)
		return 0;
	if (a->fid != 0) {
		snprintf(msg, n, "This account is bound to fid %" PRId64 " "
		    "already; an administrator can change that.", a->fid);
		return 1;
	}
	e = acct_bind(rq->srv->db, a->username, p->fid, &id, &gen);
	if (e == ACCT_EFID) {
		snprintf(msg, n, "Fid %" PRId64 " belongs to another replycast "
		    "account already. Sign out and sign in with Farcaster to "
		    "use that account.", p->fid);
		return 1;
	}
	if (e != ACCT_OK || acct_get(rq->srv->db, id, a) != ACCT_OK)
		return -1;
	auth_audit(rq, a->id, a->username, "siwf.link", "fid bound by Sign "
	    "In with Farcaster");
	return 0;
}

/* 401 naming the failed check, or 503; with an audit row either way. */
static int
siwf_refuse(struct req *rq, int rc, const struct siwf_proof *p,
    const char *detail)
{
	char	 who[64] = "";

	if (p->fid > 0)
		snprintf(who, sizeof(who), "fid-%" PRId64, p->fid);
	auth_audit(rq, 0, who[0] != '\0' ? who : NULL, "siwf.failed", detail);
	if (rc == -2)
		return req_problem(rq, PROB_UNAVAILABLE, "%s", detail);
	resp_header(rq->resp, "WWW-Authenticate", "Bearer realm=\"replycast\"");
	return req_problem(rq, PROB_UNAUTHORIZED, "%s", detail);
}

int
siwf_nonce(struct req *rq)
{
	struct json_object	*o;
	char			 nonce[SIWF_NONCE_LEN + 1], exp[32];

	if (siwf_uri(rq) == NULL)
		return req_problem(rq, PROB_UNAVAILABLE, "Sign In with Farcaster "
		    "is not configured (RC_SIWF_URI)");
	if (siwf_nonce_new(rq->srv->db, rq->srv->cfg.siwf_nonce_ttl, NULL, 0,
	    nonce, exp) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "the database is "
		    "unavailable");
	if ((o = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(o, "nonce", json_object_new_string(nonce));
	json_object_object_add(o, "expires_at", json_object_new_string(exp));
	json_object_object_add(o, "domain",
	    json_object_new_string(siwf_domain(rq)));
	json_object_object_add(o, "uri", json_object_new_string(siwf_uri(rq)));
	resp_header(rq->resp, "Cache-Control", "no-store");
	return resp_json(rq->resp, 200, o);
}

/* {message, signature}: the message up to SIWE_MSG_MAX, any bytes. */
static enum step
siwf_json(struct req *rq, const char **msg, const char **sig)
{
	struct json_object	*o, *v;
	enum step		 st;

	if ((st = auth_json_body(rq, &o)) != STEP_GO)
		return st;
	st = auth_bad(rq, "message: required, a string");
	if (json_object_object_get_ex(o, "message", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    (size_t)json_object_get_string_len(v) <= SIWE_MSG_MAX &&
	    strlen(json_object_get_string(v)) ==
	    (size_t)json_object_get_string_len(v)) {
		*msg = arena_strdup(rq->arena, json_object_get_string(v));
		st = auth_json_str(rq, o, "signature", SIWF_SIG_HEX, 1, sig);
		if (st == STEP_GO && (*msg == NULL ||
		    (*sig = arena_strdup(rq->arena, *sig)) == NULL))
			st = STEP_ERR;
	}
	json_object_put(o);
	return st;
}

int
siwf_signin(struct req *rq)
{
	struct siwf_proof	 p;
	struct auth_sess	 s;
	struct acct		 a;
	const char		*msg = NULL, *sig = NULL;
	char			 detail[256];
	enum step		 st;
	int			 rc;

	if (siwf_uri(rq) == NULL)
		return req_problem(rq, PROB_UNAVAILABLE, "Sign In with Farcaster "
		    "is not configured (RC_SIWF_URI)");
	if ((st = siwf_json(rq, &msg, &sig)) != STEP_GO)
		return step_end(st);
	if ((rc = siwf_verify(rq, msg, sig, &p, detail, sizeof(detail))) != 0)
		return siwf_refuse(rq, rc, &p, detail);
	if (siwf_account(rq, &p, &a) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot find or create "
		    "the account now");
	if (a.disabled)
		return req_problem(rq, PROB_FORBIDDEN, "this account is "
		    "disabled: ask an administrator");
	rq->user_id = a.id;
	if (auth_sess_new(rq, &a, &s) == -1)
		return req_problem(rq, PROB_UNAVAILABLE, "cannot "
		    "start the session now");
	auth_audit(rq, a.id, a.username, "login", "siwf");
	return auth_sess_json(rq, 200, &a, &s);
}
