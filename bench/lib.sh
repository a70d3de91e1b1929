# shellcheck shell=bash
# Shared by the bench scripts: the running stack (script/server) and a
# scratch database that never touches the real one.
export RC_MODE=server
# shellcheck source=script/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../script/lib.sh"
rc_user; rc_var; rc_ports; rc_https_client
pid_alive "$RC_SOCK/redis.pid" || rc_die "the stack is not running: start it with script/server"
BENCH_OUT=$RC_ROOT/bench/out
mkdir -p "$BENCH_OUT"
[ "$(id -u)" -eq 0 ] && chown "$RC_RUN_USER:" "$BENCH_OUT"

bench_db() {
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE $1 OWNER replycast" >/dev/null
	bench_env "$1" "$RC_PREFIX/bin/replycastctl" migrate >/dev/null
}

# bench_env DB CMD...: runs CMD as the stack's user against database DB.
bench_env() {
	local db=$1; shift
	# shellcheck disable=SC2046
	as_run env $(rc_env | tr '\n' ' ') RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" "$@"
}

now_s() { date +%s.%N; }

# An access token for fid 1000 (the demo's busiest user), signed with the
# stack's key: the benchmark measures the API, not the login.
bench_token() {
	local now h p hp
	now=$(date +%s)
	h=$(printf '{"alg":"HS256","typ":"JWT"}' | openssl base64 -A | tr '+/' '-_' | tr -d '=')
	p=$(printf '{"sub":"1","fid":%s,"role":"user","iat":%s,"exp":%s,"iss":"replycast","aud":"replycast-api","jti":"%s"}' \
		"${1:-1000}" "$now" "$((now + 3600))" "$(openssl rand -hex 16)" | openssl base64 -A | tr '+/' '-_' | tr -d '=')
	hp="$h.$p"
	printf '%s.%s\n' "$hp" "$(printf '%s' "$hp" | openssl dgst -sha256 -mac HMAC \
		-macopt "key:$(cat "$RC_VAR/secrets/jwt.key")" -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
}
