#ifndef RC_ACCT_H
#define RC_ACCT_H
#include <stddef.h>
#include <stdint.h>

#include "sec.h"
#include "tok.h"

struct db;

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
	int64_t		 fid;
	enum tok_role	 role;
	char		 created[32];	/* ISO 8601, UTC */
};

enum acct_err {
	ACCT_OK = 0,
	ACCT_ENOTFOUND,
	ACCT_EEXISTS,		/* the username is taken */
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
/* Hashes pw (Argon2id) and inserts; fills a on ACCT_OK. */
enum acct_err	 acct_add(struct db *, const char *username, const char *pw,
		    size_t len, int64_t fid, enum tok_role, struct acct *a);
/* Sets a new password; *id is the account's. */
enum acct_err	 acct_passwd(struct db *, const char *username, const char *pw,
		    size_t len, int64_t *id);
/* Deletes the account (its API keys go with it); *id was the account's. */
enum acct_err	 acct_del(struct db *, const char *username, int64_t *id);

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

#endif
