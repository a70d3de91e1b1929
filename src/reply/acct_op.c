#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "acct.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/kv.h"
#include "core/sec.h"

static const char *const acct_actions[ACCT_OP__MAX] = {
	[ACCT_OP_PASSWD] = "user.passwd",
	[ACCT_OP_BIND] = "user.bind",
	[ACCT_OP_ROLE] = "user.role",
	[ACCT_OP_DISABLE] = "user.disable",
	[ACCT_OP_ENABLE] = "user.enable",
	[ACCT_OP_LOGOUT] = "user.logout",
	[ACCT_OP_DEL] = "user.del",
};

const char *
acct_op_action(enum acct_op op)
{
	return op < ACCT_OP__MAX ? acct_actions[op] : "user.unknown";
}

int
acct_pw_ok(const struct acct *a, const char *pw, size_t len)
{
	return sec_pw_verify(a->pw_hash, pw, len) == 1;
}

/* The audit row of an operator's change; never a secret in detail. */
static void
acct_audit_op(struct db *db, const struct acct_actor *who, int64_t id,
    const char *username, const char *action, const char *what)
{
	struct acct_audit	 au;
	char			 detail[160];

	snprintf(detail, sizeof(detail), "%s%s%s", what,
	    who->by != NULL ? (what[0] != '\0' ? "; by " : "by ") : "",
	    who->by != NULL ? who->by : "");
	au.account = id;
	au.username = username;
	au.action = action;
	au.client_addr = who->client_addr;
	au.request_id = who->request_id;
	au.detail = detail[0] != '\0' ? detail : NULL;
	if (acct_audit(db, &au) == -1)
		fprintf(stderr, "replycast: audit_log: %s of %s not written\n",
		    action, username);
}

static enum acct_err
acct_run(struct db *db, const struct acct_change *c, int64_t *id,
    int64_t *gen)
{
	switch (c->op) {
	case ACCT_OP_PASSWD:
		return acct_passwd(db, c->username, c->pw, c->pwlen, id, gen);
	case ACCT_OP_BIND:
		return acct_bind(db, c->username, c->fid, id, gen);
	case ACCT_OP_ROLE:
		return acct_role(db, c->username, c->role, id, gen);
	case ACCT_OP_DISABLE:
	case ACCT_OP_ENABLE:
		return acct_disable(db, c->username, c->op == ACCT_OP_DISABLE,
		    id, gen);
	case ACCT_OP_LOGOUT:
		return acct_logout_name(db, c->username, id, gen);
	case ACCT_OP_DEL:
		return acct_del(db, c->username, id, gen);
	default:
		return ACCT_EDB;
	}
}

enum acct_err
acct_apply(struct db *db, struct kv *kv, const struct acct_change *c,
    const struct acct_actor *who, int64_t *id, int *mirrored)
{
	char		 what[64] = "";
	int64_t		 gen = 0;
	enum acct_err	 e;

	*id = 0;
	*mirrored = 0;
	if ((e = acct_run(db, c, id, &gen)) != ACCT_OK)
		return e;
	if (c->op == ACCT_OP_BIND)
		snprintf(what, sizeof(what), "fid %" PRId64, c->fid);
	else if (c->op == ACCT_OP_ROLE)
		snprintf(what, sizeof(what), "role %s", tok_role_name(c->role));
	acct_audit_op(db, who, *id, c->username, acct_op_action(c->op), what);
	*mirrored = kv != NULL && gate_gen_set(kv, *id, gen, 0) == 0;
	return ACCT_OK;
}

enum acct_err
acct_create(struct db *db, const char *username, const char *pw, size_t len,
    int64_t fid, enum tok_role role, const struct acct_actor *who,
    struct acct *a)
{
	char		 what[64];
	enum acct_err	 e;

	if ((e = acct_add(db, username, pw, len, fid, role, a)) != ACCT_OK)
		return e;
	snprintf(what, sizeof(what), "fid %" PRId64 ", role %s", a->fid,
	    tok_role_name(a->role));
	acct_audit_op(db, who, a->id, a->username, "user.add", what);
	return ACCT_OK;
}
