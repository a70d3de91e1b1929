#!/bin/sh
# Health probe for a replycast pool container, with no HTTP server in it:
# one FastCGI request through cgi-fcgi (Debian package libfcgi-bin), as nginx
# would send it, straight to the pool's socket.
#
#   probe.sh [auth|api|dash] healthz|readyz
#
# healthz: the process answers (liveness); readyz: PostgreSQL and Redis answer
# too (readiness).  The pool's routes are /auth/healthz, /api/healthz and
# /healthz (and the same for readyz).  Without a pool name, the pool is the
# one whose process runs in the container (docker/entrypoint.sh starts
# "multiwatch ... -- replycast-POOL", found in /proc/*/cmdline, with or
# without an init process); a container that runs no pool (migrate, ingest)
# has nothing to probe and passes.
#
# RC_PROBE_ADDR: where to connect, host:port or a unix socket path
# (default 127.0.0.1:$RC_FCGI_PORT, port 9000).  RC_PROBE_TIMEOUT: seconds
# (default 3).  Exits 0 on "Status: 200", 1 otherwise, printing the status.
set -eu

usage() { echo "usage: probe.sh [auth|api|dash] healthz|readyz" >&2; exit 2; }

case $# in
1) pool=""; what=$1 ;;
2) pool=$1; what=$2 ;;
*) usage ;;
esac
case $what in healthz|readyz) ;; *) usage ;; esac

if [ -z "$pool" ]; then
	for f in /proc/[0-9]*/cmdline; do
		pool=$(tr '\0' '\n' 2>/dev/null <"$f" |
			sed -n 's#^\(.*/\)\{0,1\}replycast-\(auth\|api\|dash\)$#\2#p' | head -1)
		[ -n "$pool" ] && break
	done
	if [ -z "$pool" ]; then
		echo "probe.sh: this container runs no pool: nothing to probe"
		exit 0
	fi
fi
case $pool in
auth) uri=/auth/$what ;;
api) uri=/api/$what ;;
dash) uri=/$what ;;
*) usage ;;
esac

addr=${RC_PROBE_ADDR:-127.0.0.1:${RC_FCGI_PORT:-9000}}
out=$(env -i PATH="$PATH" REQUEST_METHOD=GET REQUEST_URI="$uri" QUERY_STRING= \
	SERVER_PROTOCOL=HTTP/1.1 REQUEST_SCHEME=http REMOTE_ADDR=127.0.0.1 \
	SERVER_NAME=probe SERVER_PORT=0 REQUEST_ID=probe \
	timeout "${RC_PROBE_TIMEOUT:-3}" cgi-fcgi -bind -connect "$addr" </dev/null 2>&1 |
	tr -d '\r' | head -1) || true
case $out in
"Status: 200"*) echo "$pool $what: ok"; exit 0 ;;
*) echo "$pool $what: ${out:-no answer from $addr}"; exit 1 ;;
esac
