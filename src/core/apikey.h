#ifndef RC_APIKEY_H
#define RC_APIKEY_H
#include <stdint.h>

#include "authn.h"
#include "sec.h"

struct db;

/*
 * Stores a new API key for an account, under the cap on keys per account
 * (RC_MAX_API_KEYS): the only place keys are stored, for every pool.
 */
enum apikey_err {
	APIKEY_OK = 0,
	APIKEY_EFULL,		/* the account already holds max keys */
	APIKEY_ENOACCT,		/* no such account */
	APIKEY_EDB,		/* the database failed (logged) */
	APIKEY_ERANDOM,		/* no random bytes for a key */
	APIKEY__MAX
};

struct apikey_new {
	int64_t		 account;
	const char	*name;		/* 1..64 printable bytes, checked by the caller */
	const char	*hash;		/* SHA-256 hex of the whole key */
	const char	*prefix;	/* shown to identify the key */
	const char	*scope;		/* "read" or "ingest" */
};

/*
 * Inserts k unless the account holds max keys already.  The account's row
 * is locked first, in a transaction, so concurrent calls for one account
 * count each other's keys: no race ends above max.  On APIKEY_OK, *id and
 * created (RFC 3339, UTC; 24 bytes) describe the new key.
 */
enum apikey_err	 apikey_add(struct db *, const struct apikey_new *k, long max,
		    int64_t *id, char created[24]);

/* The characters after AUTHN_KEY_PREFIX that identify a key in lists. */
#define APIKEY_PREFIX_LEN	8
#define APIKEY_LEN		(sizeof(AUTHN_KEY_PREFIX) - 1 + SEC_TOKEN_LEN)

/* A key just made: key is the secret, which the caller shows once. */
struct apikey_made {
	char		 key[APIKEY_LEN + 1];
	char		 prefix[APIKEY_PREFIX_LEN + 1];
	int64_t		 id;
	char		 created[24];	/* RFC 3339, UTC */
};

/*
 * Makes a key for account (AUTHN_KEY_PREFIX and 256 random bits) and stores
 * only its SHA-256, through apikey_add: the one way every pool mints keys.
 * m->key is filled on APIKEY_OK only; the caller wipes it (explicit_bzero)
 * once shown.  name (1..64 printable bytes) and scope are the caller's to
 * check.
 */
enum apikey_err	 apikey_mint(struct db *, int64_t account, const char *name,
		    const char *scope, long max, struct apikey_made *m);

#endif
