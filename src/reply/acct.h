#ifndef RC_ACCT_H
#define RC_ACCT_H
#include <stddef.h>
#include <stdint.h>

#include "core/sec.h"
#include "core/tok.h"

struct db;
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
/* Ends every session and outstanding token; nothing else changes. */
enum acct_err	 acct_logout_all(struct db *, int64_t id, int64_t *gen);
/* Same by name. */
enum acct_err	 acct_logout_name(struct db *, const char *username,
		    int64_t *id, int64_t *gen);
/* The token generation of account id: 0 when it never changed. */
enum acct_err	 acct_gen(struct db *, int64_t id, int64_t *gen);

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
