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
# The invalidations a handler that serves nothing has not read yet
# (RC_GATE_LOCAL, src/core/near.c): past these, Redis closes its
# connection and the handler starts over with no copies.
client-output-buffer-limit pubsub 4mb 1mb 10
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

# Redis with a replica and three Sentinels on 127.0.0.1, for the failover
# test (tests/integration/t_55_sentinel.sh): the primary on
# RC_HTTP_PORT+30, the replica on +31, the sentinels on +32..+34, under
# $RC_VAR/redis-ha, with the stack's Redis password.  The sentinels call
# the primary "replycast" (RC_REDIS_MASTER_NAME's default); they take it
# as down after 1 s unanswered, and two of the three must agree.
redis_ha_port() { echo $((RC_HTTP_PORT + 30 + $1)); }
redis_ha_sentinels() {
	local i out=
	for i in 2 3 4; do out="$out${out:+,}127.0.0.1:$(redis_ha_port $i)"; done
	printf '%s\n' "$out"
}

redis_ha_start() {
	local d=$RC_VAR/redis-ha p r i port
	p=$(redis_ha_port 0); r=$(redis_ha_port 1)
	rc_redis_auth
	mkdir -p "$d"
	for i in 0 1; do
		port=$(redis_ha_port $i)
		mkdir -p "$d/$port"
		(umask 077 && cat >"$d/$port/redis.conf") <<CONF
bind 127.0.0.1
port $port
requirepass $REDISCLI_AUTH
masterauth $REDISCLI_AUTH
daemonize yes
pidfile $d/$port/redis.pid
logfile $RC_VAR/log/redis-ha-$port.log
dir $d/$port
save ""
appendonly no
# The invalidations a handler that serves nothing has not read yet
# (RC_GATE_LOCAL, src/core/near.c): past these, Redis closes its
# connection and the handler starts over with no copies.
client-output-buffer-limit pubsub 4mb 1mb 10
CONF
		[ "$i" = 1 ] && echo "replicaof 127.0.0.1 $p" >>"$d/$port/redis.conf"
	done
	for i in 2 3 4; do
		port=$(redis_ha_port $i)
		mkdir -p "$d/$port"
		(umask 077 && cat >"$d/$port/sentinel.conf") <<CONF
bind 127.0.0.1
port $port
daemonize yes
pidfile $d/$port/sentinel.pid
logfile $RC_VAR/log/redis-sentinel-$port.log
dir $d/$port
sentinel monitor replycast 127.0.0.1 $p 2
sentinel auth-pass replycast $REDISCLI_AUTH
sentinel down-after-milliseconds replycast 1000
sentinel failover-timeout replycast 10000
sentinel parallel-syncs replycast 1
CONF
	done
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	as_run redis-server "$d/$p/redis.conf" || rc_die "redis-server (HA primary) did not start"
	as_run redis-server "$d/$r/redis.conf" || rc_die "redis-server (HA replica) did not start"
	for i in 2 3 4; do
		port=$(redis_ha_port $i)
		as_run redis-sentinel "$d/$port/sentinel.conf" || rc_die "redis-sentinel did not start"
	done
	# Ready: the replica is in sync, and every sentinel sees it and a quorum.
	local _ ok
	for _ in $(seq 200); do
		ok=1
		as_run redis-cli -p "$r" info replication 2>/dev/null | grep -q 'master_link_status:up' || ok=0
		for i in 2 3 4; do
			port=$(redis_ha_port $i)
			as_run redis-cli -p "$port" sentinel ckquorum replycast 2>/dev/null | grep -q '^OK' || ok=0
			[ "$(as_run redis-cli -p "$port" sentinel replicas replycast 2>/dev/null | grep -c '^ip$')" -ge 1 ] || ok=0
		done
		[ "$ok" = 1 ] && return 0
		sleep 0.1
	done
	rc_die "Redis Sentinel set-up not ready (see $RC_VAR/log/redis-sentinel-*.log)"
}

# The address the sentinels give for the primary, as host:port.
redis_ha_primary() {
	as_run redis-cli -p "$(redis_ha_port 2)" sentinel get-master-addr-by-name replycast 2>/dev/null | paste -sd: -
}

redis_ha_stop() {
	local f pid
	for f in "$RC_VAR"/redis-ha/*/sentinel.pid "$RC_VAR"/redis-ha/*/redis.pid; do
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null
		while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	done
	rm -rf "$RC_VAR/redis-ha"
}
