#!/bin/sh
# The replycast image's entry point: one role per container.
#
#   entrypoint.sh auth|api|dash [N]   a handler pool: N processes (default
#                                     $RC_WORKERS, else 2) on one FastCGI TCP
#                                     socket, $RC_FCGI_ADDR:$RC_FCGI_PORT
#                                     (0.0.0.0:9000); multiwatch restarts a
#                                     process that dies
#   entrypoint.sh migrate             replycastctl migrate (one-shot)
#   entrypoint.sh ingest ARGS...      replycast-ingest ARGS...
#   entrypoint.sh ctl ARGS...         replycastctl ARGS...
#
# The PostgreSQL password: when RC_PG_PASSWORD_FILE names a file (a compose
# or Kubernetes secret holding the password alone) and PGPASSFILE is not set,
# a .pgpass-format copy is written to $RC_RUN_DIR (default /tmp/replycast,
# a tmpfs) with mode 0600 and PGPASSFILE points at it: libpq reads it, the
# C code knows nothing of it, and libpq's "0600 or less" rule holds whatever
# the mode of the mounted secret.
#
# RC_DRY_RUN=1 prints the command instead of running it (tests).
set -eu

usage() {
	echo "usage: entrypoint.sh auth|api|dash [N] | migrate | ingest ARGS... | ctl ARGS..." >&2
	exit 2
}

# pgpass_field TEXT: escapes \ and : as .pgpass wants.
pgpass_field() {
	printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g'
}

pgpass_make() {
	[ -n "${PGPASSFILE:-}" ] && return 0
	[ -n "${RC_PG_PASSWORD_FILE:-}" ] || return 0
	[ -r "$RC_PG_PASSWORD_FILE" ] || {
		echo "entrypoint.sh: RC_PG_PASSWORD_FILE=$RC_PG_PASSWORD_FILE is not readable" >&2
		exit 1
	}
	dir=${RC_RUN_DIR:-/tmp/replycast}
	mkdir -p "$dir"
	chmod 700 "$dir"
	pw=$(cat "$RC_PG_PASSWORD_FILE")
	(
		umask 077
		printf '*:*:*:*:%s\n' "$(pgpass_field "$pw")" >"$dir/pgpass"
	)
	PGPASSFILE=$dir/pgpass
	export PGPASSFILE
}

run() {
	if [ "${RC_DRY_RUN:-0}" = 1 ]; then
		echo "$*"
		exit 0
	fi
	exec "$@"
}

[ $# -ge 1 ] || usage
role=$1
shift

case $role in
auth|api|dash)
	[ $# -le 1 ] || usage
	n=${1:-${RC_WORKERS:-2}}
	case $n in ''|*[!0-9]*) echo "entrypoint.sh: N: \"$n\" is not a number" >&2; exit 2;; esac
	if [ "$n" -lt 1 ] || [ "$n" -gt 64 ]; then
		echo "entrypoint.sh: N: $n is outside [1, 64]" >&2
		exit 2
	fi
	pgpass_make
	# spawn-fcgi execs its program with execv(): absolute paths only.
	mw=$(command -v multiwatch) || { echo "entrypoint.sh: multiwatch not found" >&2; exit 1; }
	prog=$(command -v "replycast-$role") || { echo "entrypoint.sh: replycast-$role not found" >&2; exit 1; }
	# -n: spawn-fcgi binds the socket and execs multiwatch in its place, so
	# multiwatch is PID 1 (the child-reaper) and gets the container's SIGTERM,
	# which it passes to every worker (each finishes its request, exits 0).
	run spawn-fcgi -n -a "${RC_FCGI_ADDR:-0.0.0.0}" -p "${RC_FCGI_PORT:-9000}" -- \
		"$mw" -f "$n" -r 1000000 -t 1000 -s TERM -- "$prog"
	;;
migrate)
	[ $# -eq 0 ] || usage
	pgpass_make
	run replycastctl migrate
	;;
ingest)
	pgpass_make
	run replycast-ingest "$@"
	;;
ctl)
	pgpass_make
	run replycastctl "$@"
	;;
worker)
	pgpass_make
	run replycast-worker "$@"
	;;
-h|--help|help)
	usage
	;;
*)
	usage
	;;
esac
