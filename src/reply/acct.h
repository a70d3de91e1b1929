#ifndef RC_ACCT_H
#define RC_ACCT_H
#include <stddef.h>
#include <stdint.h>

#include "core/sec.h"
#include "core/tok.h"

struct db;
struct kv;
struct req;

/*
 * Accounts (migrations/0004_accounts.sql) and the audit trail, shared by
 * the auth pool and replycastctl.  Passwords are hashed here and never
 * leave this module; no function logs one.
 */
#define ACCT_USER_MAX	64
#define ACCT_PW_MIN	8
#define ACCT_PW_MAX	256

struct acct {
	int64_t		 id;
	char		 username[ACCT_USER_MAX + 1];
	char		 pw_hash[SEC_PWHASH_LEN];
	int64_t		 fid;		/* 0: none bound yet */
	enum tok_role	 role;
	int64_t		 gen;		/* token generation (token_cutoffs) */
	int		 disabled;	/* 1: cannot sign in (migration 0019) */
	char		 created[32];	/* ISO 8601, UTC */
};

/* The generation of a deleted account: every token of it is refused. */
#define ACCT_GEN_GONE	INT64_MAX

enum acct_err {
	ACCT_OK = 0,
	ACCT_ENOTFOUND,
	ACCT_EEXISTS,		/* the username is taken */
	ACCT_EFID,		/* the fid is bound to another account */
	ACCT_EDB,		/* PostgreSQL failed (logged) */
	ACCT_EHASH,		/* out of memory while hashing */
	ACCT__MAX
};

/* 1 when s is 1..64 of [A-Za-z0-9_.@+-] (the table's CHECK), else 0. */
int		 acct_username_ok(const char *s);
/* 1 when a password of len bytes may be set: 8..256 bytes, no NUL. */
int		 acct_password_ok(const char *pw, size_t len);

enum acct_err	 acct_find(struct db *, const char *username, struct acct *);
enum acct_err	 acct_get(struct db *, int64_t id, struct acct *);
/* The account bound to fid (> 0). */
enum acct_err	 acct_find_fid(struct db *, int64_t fid, struct acct *);
/* Hashes pw (Argon2id) and inserts (fid 0: none); fills a on ACCT_OK. */
enum acct_err	 acct_add(struct db *, const char *username, const char *pw,
		    size_t len, int64_t fid, enum tok_role, struct acct *a);

/*
 * The changes below end every session of the account in the same
 * statement: its token generation goes up (ACCT_GEN_GONE on delete), so
 * every access and refresh token issued before is refused.  *id and *gen
 * are the account's and its new generation, for the Redis mirror.
 */
/* Sets a new password. */
enum acct_err	 acct_passwd(struct db *, const char *username, const char *pw,
		    size_t len, int64_t *id, int64_t *gen);
/* Deletes the account (its API keys go with it). */
enum acct_err	 acct_del(struct db *, const char *username, int64_t *id,
		    int64_t *gen);
/* Binds fid (0: unbinds); ACCT_EFID when another account holds it. */
enum acct_err	 acct_bind(struct db *, const char *username, int64_t fid,
		    int64_t *id, int64_t *gen);
enum acct_err	 acct_role(struct db *, const char *username, enum tok_role,
		    int64_t *id, int64_t *gen);
/* Disables (1) or enables (0) the account. */
enum acct_err	 acct_disable(struct db *, const char *username, int disabled,
		    int64_t *id, int64_t *gen);
/* Ends every session and outstanding token; nothing else changes. */
enum acct_err	 acct_logout_all(struct db *, int64_t id, int64_t *gen);
/* Same by name. */
enum acct_err	 acct_logout_name(struct db *, const char *username,
		    int64_t *id, int64_t *gen);
/* The token generation of account id: 0 when it never changed. */
enum acct_err	 acct_gen(struct db *, int64_t id, int64_t *gen);

/*
 * Deletes refresh tokens and revocations (tokens, sessions) past their
 * expiry; *n gets how many rows went.  0, or -1 when PostgreSQL failed.
 */
int		 acct_prune(struct db *, long *n);

/* 1 when pw is a's password (the same check as signing in), else 0. */
int		 acct_pw_ok(const struct acct *a, const char *pw, size_t len);

/*
 * What an operator does to an account, from the shell (replycastctl user)
 * or the admin page: both go through acct_create and acct_apply, which
 * write the same audit rows ("user.add", "user.role", ...).
 */
enum acct_op {
	ACCT_OP_PASSWD = 0,
	ACCT_OP_BIND,
	ACCT_OP_ROLE,
	ACCT_OP_DISABLE,
	ACCT_OP_ENABLE,
	ACCT_OP_LOGOUT,
	ACCT_OP_DEL,
	ACCT_OP__MAX
};

struct acct_change {
	enum acct_op	 op;
	const char	*username;
	const char	*pw;		/* ACCT_OP_PASSWD: the new password */
	size_t		 pwlen;
	int64_t		 fid;		/* ACCT_OP_BIND: 0 unbinds */
	enum tok_role	 role;		/* ACCT_OP_ROLE */
};

/* Where a change came from, for its audit row; any field may be NULL. */
struct acct_actor {
	const char	*by;		/* the acting admin's username */
	const char	*client_addr;	/* "shell" from replycastctl */
	const char	*request_id;
};

/* The audit action of op ("user.passwd", ...). */
const char	*acct_op_action(enum acct_op);

/*
 * Applies c: the account's sessions end in the same statement (see above),
 * the audit row is written, and the new token generation is mirrored in
 * Redis (kv NULL: not) so that the pools refuse old tokens at once;
 * *mirrored is 0 when Redis was not updated (then the pools' mirror runs
 * out within GATE_GEN_TTL seconds).  *id is the account's.
 */
enum acct_err	 acct_apply(struct db *, struct kv *, const struct acct_change *c,
		    const struct acct_actor *, int64_t *id, int *mirrored);
/* acct_add and its audit row ("user.add"). */
enum acct_err	 acct_create(struct db *, const char *username, const char *pw,
		    size_t len, int64_t fid, enum tok_role,
		    const struct acct_actor *, struct acct *a);

/* One audit_log row; any field but action may be NULL (account < 1: none). */
struct acct_audit {
	int64_t		 account;
	const char	*username;
	const char	*action;	/* "login", "login.failed", "key.create" */
	const char	*client_addr;
	const char	*request_id;
	const char	*detail;	/* never a secret */
};

int		 acct_audit(struct db *, const struct acct_audit *);	/* 0, -1 */
/*
 * The row for what rq did, with its client address and request id: every
 * pool audits through here.  A failure is logged, not returned: a missing
 * audit row does not fail the request.
 */
void		 acct_audit_req(struct db *, const struct req *rq,
		    int64_t account, const char *username, const char *action,
		    const char *detail);

#endif
