#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/db.h"
#include "core/gate.h"
#include "core/kv.h"
#include "core/sec.h"
#include "core/valid.h"
#include "reply/acct.h"
#include "user.h"

#define USER_PW_BUF	(ACCT_PW_MAX + 3)	/* the password, "\r\n", NUL */

static const struct db_stmt user_stmt_list = { "ctl_user_list",
	"SELECT username, role, COALESCE(fid::text, '-'),"
	" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
	" CASE WHEN disabled_at IS NULL THEN '' ELSE 'disabled' END"
	" FROM accounts ORDER BY username", 0, 1 };

struct user_opts {
	const char	*username;
	int64_t		 fid;
	enum tok_role	 role;
	int		 pw_stdin;
};

/* The stores a command changes: PostgreSQL, and Redis for the mirror. */
struct user_ctx {
	struct db	*db;
	struct kv	*kv;
};

static int
user_usage(void)
{
	fprintf(stderr, "usage: replycastctl user add USERNAME --fid N "
	    "[--role user|admin] [--password-stdin]\n"
	    "       replycastctl user passwd USERNAME [--password-stdin]\n"
	    "       replycastctl user bind USERNAME FID   (0: unbind)\n"
	    "       replycastctl user role USERNAME user|admin\n"
	    "       replycastctl user logout USERNAME\n"
	    "       replycastctl user disable|enable USERNAME\n"
	    "       replycastctl user del USERNAME\n"
	    "       replycastctl user list\n"
	    "The password comes from stdin (--password-stdin), else from "
	    "RC_NEW_PASSWORD,\nelse from the terminal; 8 to 256 bytes.\n"
	    "passwd, bind, role, logout, disable and del end every session of the "
	    "account:\nits refresh and access tokens are refused from then on."
	    "\n");
	return 2;
}

/* One line from f into pw; -1 when longer than ACCT_PW_MAX or empty. */
static int
user_pw_line(FILE *f, char *pw, size_t *len)
{
	size_t	 n;

	if (fgets(pw, USER_PW_BUF, f) == NULL)
		return -1;
	n = strlen(pw);
	if (n > 0 && pw[n - 1] == '\n')
		pw[--n] = '\0';
	else if (n == USER_PW_BUF - 1)
		return -1;		/* no newline: cut off */
	if (n > 0 && pw[n - 1] == '\r')
		pw[--n] = '\0';
	*len = n;
	return 0;
}

/* Reads a password from the terminal with echo off. */
static int
user_pw_tty(const char *prompt, char *pw, size_t *len)
{
	struct termios	 old, quiet;
	FILE		*tty;
	int		 rc = -1, fd;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		return -1;
	}
	if (tcgetattr(fd, &old) == -1)
		goto out;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fputs(prompt, tty);
	fflush(tty);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1)
		goto out;
	rc = user_pw_line(tty, pw, len);
	tcsetattr(fd, TCSAFLUSH, &old);
	fputs("\n", tty);
out:
	fclose(tty);
	return rc;
}

static int
user_pw_ask(char *pw, size_t *len)
{
	char	 again[USER_PW_BUF];
	size_t	 n;
	int	 rc = -1;

	if (user_pw_tty("Password: ", pw, len) == -1 ||
	    user_pw_tty("Repeat password: ", again, &n) == -1)
		fprintf(stderr, "replycastctl: cannot read a password from "
		    "the terminal (use --password-stdin or RC_NEW_PASSWORD)\n");
	else if (!sec_equal(pw, *len, again, n))
		fprintf(stderr, "replycastctl: the passwords differ\n");
	else
		rc = 0;
	explicit_bzero(again, sizeof(again));
	return rc;
}

static int
user_pw_read(int from_stdin, char pw[USER_PW_BUF], size_t *len)
{
	const char	*env;

	if (from_stdin) {
		if (user_pw_line(stdin, pw, len) == -1) {
			fprintf(stderr, "replycastctl: no password on stdin, or "
			    "longer than %d bytes\n", ACCT_PW_MAX);
			return -1;
		}
	} else if ((env = getenv("RC_NEW_PASSWORD")) != NULL) {
		if ((*len = strlen(env)) > ACCT_PW_MAX) {
			fprintf(stderr, "replycastctl: RC_NEW_PASSWORD: longer "
			    "than %d bytes\n", ACCT_PW_MAX);
			return -1;
		}
		memcpy(pw, env, *len + 1);
	} else if (user_pw_ask(pw, len) == -1)
		return -1;
	if (!acct_password_ok(pw, *len)) {
		fprintf(stderr, "replycastctl: a password has %d to %d bytes\n",
		    ACCT_PW_MIN, ACCT_PW_MAX);
		return -1;
	}
	return 0;
}

/* argv[2..]: USERNAME then options; which options are allowed per command. */
static int
user_opts(int argc, char *argv[], int allow_fid, int allow_pw,
    struct user_opts *o)
{
	uint64_t	 u;
	int		 i, r;

	memset(o, 0, sizeof(*o));
	if (argc < 3 || !acct_username_ok(argv[2])) {
		fprintf(stderr, "replycastctl: USERNAME: 1 to 64 of A-Z a-z "
		    "0-9 _ . @ + -\n");
		return -1;
	}
	o->username = argv[2];
	for (i = 3; i < argc; i++) {
		if (allow_pw && strcmp(argv[i], "--password-stdin") == 0)
			o->pw_stdin = 1;
		else if (allow_fid && strcmp(argv[i], "--fid") == 0 &&
		    i + 1 < argc && valid_u64(argv[i + 1], 1ULL << 53, &u) == 0 &&
		    u > 0) {
			o->fid = (int64_t)u;
			i++;
		} else if (allow_fid && strcmp(argv[i], "--role") == 0 &&
		    i + 1 < argc && (r = tok_role_parse(argv[i + 1])) >= 0) {
			o->role = (enum tok_role)r;
			i++;
		} else
			return -1;
	}
	if (allow_fid && o->fid == 0) {
		fprintf(stderr, "replycastctl: --fid N is required\n");
		return -1;
	}
	return 0;
}

/* What the shell does is audited as the shell's. */
static const struct acct_actor user_shell = { NULL, "shell", NULL };

static int
user_add(struct db *db, const struct user_opts *o)
{
	char		 pw[USER_PW_BUF];
	size_t		 len;
	struct acct	 a;
	enum acct_err	 e;

	if (user_pw_read(o->pw_stdin, pw, &len) == -1)
		return 1;
	e = acct_create(db, o->username, pw, len, o->fid, o->role, &user_shell,
	    &a);
	explicit_bzero(pw, sizeof(pw));
	if (e == ACCT_EEXISTS) {
		fprintf(stderr, "replycastctl: %s exists already\n", o->username);
		return 1;
	}
	if (e == ACCT_EFID) {
		fprintf(stderr, "replycastctl: fid %" PRId64 " is bound to "
		    "another account already (one account per fid)\n", o->fid);
		return 1;
	}
	if (e != ACCT_OK) {
		fprintf(stderr, "replycastctl: cannot add %s (see above)\n",
		    o->username);
		return 1;
	}
	printf("added %s (id %" PRId64 ", fid %" PRId64 ", %s)\n", a.username,
	    a.id, a.fid, tok_role_name(a.role));
	return 0;
}

/*
 * Applies c (audited, its sessions ended, the Redis mirror updated) and
 * says what happened.
 */
static int
user_apply(struct user_ctx *x, const struct acct_change *c, const char *said)
{
	int64_t		 id;
	int		 mirrored;
	enum acct_err	 e;

	e = acct_apply(x->db, x->kv, c, &user_shell, &id, &mirrored);
	if (e == ACCT_EFID) {
		fprintf(stderr, "replycastctl: fid %" PRId64 " is bound to "
		    "another account already (one account per fid)\n", c->fid);
		return 1;
	}
	if (e != ACCT_OK) {
		fprintf(stderr, "replycastctl: %s: %s\n", c->username,
		    e == ACCT_ENOTFOUND ? "no such user" : "cannot change it "
		    "(see above)");
		return 1;
	}
	if (!mirrored)
		fprintf(stderr, "replycastctl: warning: Redis not updated: the "
		    "old tokens of %s are refused within %d s\n", c->username,
		    GATE_GEN_TTL);
	printf("%s; every session of %s ended\n", said, c->username);
	return 0;
}

static int
user_passwd(struct user_ctx *x, const struct user_opts *o)
{
	struct acct_change	 c = { ACCT_OP_PASSWD, o->username, NULL, 0, 0,
				    TOK_ROLE_USER };
	char			 pw[USER_PW_BUF], said[128];
	int			 rc;

	if (user_pw_read(o->pw_stdin, pw, &c.pwlen) == -1)
		return 1;
	c.pw = pw;
	snprintf(said, sizeof(said), "password of %s changed", o->username);
	rc = user_apply(x, &c, said);
	explicit_bzero(pw, sizeof(pw));
	return rc;
}

/* del, logout, disable, enable: the account's name is all they take. */
static int
user_simple(struct user_ctx *x, const struct user_opts *o, enum acct_op op,
    const char *verb, const char *after)
{
	struct acct_change	 c = { op, o->username, NULL, 0, 0,
				    TOK_ROLE_USER };
	char			 said[128];

	snprintf(said, sizeof(said), "%s %s%s", verb, o->username, after);
	return user_apply(x, &c, said);
}

static int
user_bind(struct user_ctx *x, const struct user_opts *o)
{
	struct acct_change	 c = { ACCT_OP_BIND, o->username, NULL, 0,
				    o->fid, TOK_ROLE_USER };
	char			 said[128];

	snprintf(said, sizeof(said), "fid of %s set to %" PRId64, o->username,
	    o->fid);
	return user_apply(x, &c, said);
}

static int
user_role(struct user_ctx *x, const struct user_opts *o)
{
	struct acct_change	 c = { ACCT_OP_ROLE, o->username, NULL, 0, 0,
				    o->role };
	char			 said[128];

	snprintf(said, sizeof(said), "role of %s set to %s", o->username,
	    tok_role_name(o->role));
	return user_apply(x, &c, said);
}

/* USERNAME VALUE for bind (a fid, 0 to unbind) and role. */
static int
user_opts2(int argc, char *argv[], int fid, struct user_opts *o)
{
	uint64_t	 u;
	int		 r;

	memset(o, 0, sizeof(*o));
	if (argc != 4 || !acct_username_ok(argv[2]))
		return -1;
	o->username = argv[2];
	if (fid) {
		if (valid_u64(argv[3], 1ULL << 53, &u) != 0)
			return -1;
		o->fid = (int64_t)u;
		return 0;
	}
	if ((r = tok_role_parse(argv[3])) < 0)
		return -1;
	o->role = (enum tok_role)r;
	return 0;
}

static int
user_list(struct db *db)
{
	PGresult	*r;
	int		 i;

	if ((r = db_exec(db, &user_stmt_list, NULL, NULL)) == NULL)
		return 1;
	printf("%-32s %-6s %-12s %-19s %s\n", "USERNAME", "ROLE", "FID",
	    "CREATED (UTC)", "STATE");
	for (i = 0; i < PQntuples(r); i++)
		printf("%-32s %-6s %-12s %-19s %s\n", PQgetvalue(r, i, 0),
		    PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		    PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));
	PQclear(r);
	return 0;
}

static int
user_run(struct user_ctx *x, int argc, char *argv[])
{
	struct user_opts	 o;
	const char		*cmd = argv[1];

	if (strcmp(cmd, "list") == 0)
		return argc == 2 ? user_list(x->db) : user_usage();
	if (strcmp(cmd, "add") == 0)
		return user_opts(argc, argv, 1, 1, &o) == -1 ? user_usage() :
		    user_add(x->db, &o);
	if (strcmp(cmd, "passwd") == 0)
		return user_opts(argc, argv, 0, 1, &o) == -1 ? user_usage() :
		    user_passwd(x, &o);
	if (strcmp(cmd, "del") == 0)
		return user_opts(argc, argv, 0, 0, &o) == -1 ? user_usage() :
		    user_simple(x, &o, ACCT_OP_DEL, "deleted", "");
	if (strcmp(cmd, "logout") == 0)
		return user_opts(argc, argv, 0, 0, &o) == -1 ? user_usage() :
		    user_simple(x, &o, ACCT_OP_LOGOUT, "signed", " out");
	if (strcmp(cmd, "disable") == 0)
		return user_opts(argc, argv, 0, 0, &o) == -1 ? user_usage() :
		    user_simple(x, &o, ACCT_OP_DISABLE, "disabled", "");
	if (strcmp(cmd, "enable") == 0)
		return user_opts(argc, argv, 0, 0, &o) == -1 ? user_usage() :
		    user_simple(x, &o, ACCT_OP_ENABLE, "enabled", "");
	if (strcmp(cmd, "bind") == 0)
		return user_opts2(argc, argv, 1, &o) == -1 ? user_usage() :
		    user_bind(x, &o);
	if (strcmp(cmd, "role") == 0)
		return user_opts2(argc, argv, 0, &o) == -1 ? user_usage() :
		    user_role(x, &o);
	return user_usage();
}

int
user_main(const struct cfg *c, int argc, char *argv[])
{
	struct user_ctx	 x;
	const char	*why = NULL;
	int		 rc;

	if (argc < 2)
		return user_usage();
	if (sec_init() == -1) {
		fprintf(stderr, "replycastctl: libsodium failed to start\n");
		return 1;
	}
	memset(&x, 0, sizeof(x));
	if ((x.db = db_new(c->pg_dsn, c->pg_connect_timeout,
	    c->pg_statement_timeout, 0)) == NULL)
		return 1;
	/* NULL (a bad RC_REDIS) only costs the mirror: user_apply says so. */
	if ((x.kv = kv_open(c, 0, &why)) == NULL)
		fprintf(stderr, "replycastctl: %s\n", why);
	rc = user_run(&x, argc, argv);
	kv_free(x.kv);
	db_free(x.db);
	return rc;
}
