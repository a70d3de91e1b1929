#ifndef RC_AUTH_SIWF_H
#define RC_AUTH_SIWF_H
#include <stddef.h>
#include <stdint.h>

#include "core/eth.h"

struct acct;
struct cfg;
struct db;
struct req;

/*
 * Sign In with Farcaster in the auth pool: the nonce store (PostgreSQL,
 * migrations/0010_siwf.sql), the verification every sign-in goes through,
 * and the accounts it signs into.  Private to the pool.
 */
#define SIWF_NONCE_LEN	24		/* alphanumeric (hex) */
#define SIWF_URL_MAX	1024		/* a relay's farcaster://connect URL */
#define SIWF_TOKEN_MAX	128		/* a relay's channel token */

/* A browser sign-in, as siwf_chan_get finds it. */
struct siwf_chan {
	char	 nonce[SIWF_NONCE_LEN + 1];
	char	 token[SIWF_TOKEN_MAX + 1];	/* "" until the relay answered */
	char	 url[SIWF_URL_MAX + 1];
	int	 live;				/* unexpired and unused */
	int64_t	 link_account;			/* 0: a sign-in */
};

/* Issues a nonce valid for ttl_s; expires gets its ISO 8601 time. 0, -1. */
int	 siwf_nonce_new(struct db *, long ttl_s, const char *browser,
	    int64_t link_account, char nonce[SIWF_NONCE_LEN + 1],
	    char expires[32]);
enum siwf_take {
	SIWF_TAKEN = 0,
	SIWF_UNKNOWN,		/* never issued */
	SIWF_USED,
	SIWF_EXPIRED,
	SIWF_EDB
};
/* Uses the nonce up, atomically: SIWF_TAKEN at most once per nonce. */
enum siwf_take siwf_nonce_take(struct db *, const char *nonce);
/* Stores the relay's channel for the nonce. 0, -1. */
int	 siwf_chan_set(struct db *, const char *nonce, const char *token,
	    const char *url);
/* The sign-in of browser (sha256 hex of its cookie): 1 found, 0 none, -1. */
int	 siwf_chan_get(struct db *, const char *browser, struct siwf_chan *);

/* What a verified message proves. */
struct siwf_proof {
	int64_t	 fid;
	char	 address[ETH_ADDR_SIZE];
	char	 username[65];	/* the relay's, "" when unknown */
};

/*
 * Runs every check on message and signature (EIP-4361, domain, URI,
 * chain, times, fid, signature, Hub, nonce: the nonce is used up last, so
 * only a sign-in that passed everything else spends it).  0 with p
 * filled; otherwise detail names the failed check and the answer is
 * STATUS 401 (-1), or 503 when a service failed (-2).
 */
int	 siwf_verify(struct req *, const char *message, const char *sig,
	    struct siwf_proof *p, char *detail, size_t detailsz);

/*
 * The account of p's fid, made on the first sign-in (role user, bound to
 * the fid through acct_bind, username from p, the Hub, or fid-N).  0, -1.
 */
int	 siwf_account(struct req *, const struct siwf_proof *, struct acct *);

/*
 * Binds p's fid to the signed-in account (Settings); refuses, with a
 * sentence in msg, when another account holds the fid or this one holds
 * another.  0 bound, 1 refused, -1 failed.
 */
int	 siwf_link(struct req *, int64_t account, const struct siwf_proof *,
	    struct acct *, char *msg, size_t msgsz);

/* Derives the domain from RC_SIWF_URI when not given; -1 when it cannot. */
int	 siwf_init(const struct cfg *);
/* The domain and URI of messages (RC_SIWF_*); NULL when SIWF is off. */
const char *siwf_domain(const struct req *);
const char *siwf_uri(const struct req *);

/* Handlers. */
int	 siwf_nonce(struct req *);
int	 siwf_signin(struct req *);
int	 siwf_chan_start(struct req *);
int	 siwf_chan_poll(struct req *);

#endif
