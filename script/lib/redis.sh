# shellcheck shell=bash
# Redis (sourced by script/lib.sh).

redis_start() {
	pid_alive "$RC_SOCK/redis.pid" && return 0
	local save='save ""'
	[ "$RC_MODE" = server ] && save='save 300 1'
	rc_redis_auth
	(umask 077 && cat >"$RC_VAR/redis/redis.conf") <<CONF
port 0
requirepass $REDISCLI_AUTH
unixsocket $RC_SOCK/redis.sock
unixsocketperm 700
daemonize yes
pidfile $RC_SOCK/redis.pid
logfile $RC_VAR/log/redis.log
dir $RC_VAR/redis
$save
appendonly no
CONF
	[ "$EUID" -eq 0 ] && chown "$RC_RUN_USER:" "$RC_VAR/redis/redis.conf"
	as_run redis-server "$RC_VAR/redis/redis.conf" || rc_die "redis-server did not start"
	local _
	for _ in $(seq 100); do
		as_run redis-cli -s "$RC_SOCK/redis.sock" ping 2>/dev/null | grep -q PONG && return 0
		sleep 0.05
	done
	rc_die "Redis did not answer (see $RC_VAR/log/redis.log)"
}

# The password of the stack's Redis, where redis-cli finds it (also the
# tests' and bench's redis-cli: runuser keeps the environment).
rc_redis_auth() {
	[ -s "$RC_VAR/secrets/redis.secret" ] || return 0
	REDISCLI_AUTH=$(cat "$RC_VAR/secrets/redis.secret")
	export REDISCLI_AUTH
}

redis_stop() {
	pid_alive "$RC_SOCK/redis.pid" || return 0
	local pid; pid=$(cat "$RC_SOCK/redis.pid")
	kill "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
}
