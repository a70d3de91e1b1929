# shellcheck shell=bash
# Handler pools (sourced by script/lib.sh): one spawn-fcgi socket per
# process, each watched by multiwatch, which restarts the process whenever
# it dies.

RC_POOLS="auth api dash"

# The size of a pool nobody chose, from bench/pools on this 2-core machine
# (bench/README.md, "Seventh round"): the smallest size within 5 % of the
# best throughput, at least 2.  api (uncached summary from memory): 3.
# dash (overview page): 4.  auth (logins, rare and argon2-bound) was not
# measured and stays 2.
pool_size_default() {
	case $1 in
	api) echo 3 ;;
	dash) echo 3 ;;
	*) echo 2 ;;
	esac
}

# A pool's size: RC_POOL_<POOL>_SIZE when set, else the size stored by the
# last change (script/pool scale, or a start with the variable set), else
# pool_size_default.
pool_size() {
	local var=RC_POOL_${1^^}_SIZE f=$RC_VAR/pools/$1.size n
	n=$(pool_size_default "$1")
	if [ -n "${!var:-}" ]; then
		n=${!var}
	elif [ -s "$f" ]; then
		read -r n <"$f" || true
		var=$f
	fi
	pool_size_check "$var" "$n"
	echo "$n"
}

# Where pool_size found the size: env, stored or default.
pool_size_source() {
	local var=RC_POOL_${1^^}_SIZE
	if [ -n "${!var:-}" ]; then echo env
	elif [ -s "$RC_VAR/pools/$1.size" ]; then echo stored
	else echo default; fi
}

# At least 2, so that nginx can retry a GET on another socket (and a
# restart, one socket at a time, drops nothing).  bench/pools measures a
# pool of 1 with RC_POOL_MIN=1.
pool_size_check() {
	local min=2
	[ "${RC_POOL_MIN:-}" = 1 ] && min=1
	case $2 in ''|*[!0-9]*) rc_die "$1: \"$2\" is not a number";; esac
	if [ "${#2}" -gt 2 ] || [ "$2" -lt "$min" ] || [ "$2" -gt 64 ]; then
		rc_die "$1: $2 is outside [$min, 64]"
	fi
}

# Remembers every pool's size for later starts (a rename: a reader never
# sees a half-written file).
pool_sizes_store() {
	local pool n f old
	mkdir -p "$RC_VAR/pools"
	for pool in $RC_POOLS; do
		n=$(pool_size "$pool") f=$RC_VAR/pools/$pool.size old=""
		[ -f "$f" ] && read -r old <"$f"
		[ "$old" = "$n" ] && continue
		echo "$n" >"$f.new"
		mv "$f.new" "$f"
	done
	return 0
}

# One change of pool sizes at a time (script/server, script/pool).  Held
# on fd 9, which the daemons started meanwhile do not inherit (9>&-), so
# that the lock ends with the script even when it fails.
pools_lock() {
	mkdir -p "$RC_VAR/pools"
	exec 9>"$RC_VAR/pools/lock"
	flock -w 120 9 || rc_die "another script is changing the pools (lock $RC_VAR/pools/lock)"
}

pools_unlock() { flock -u 9; exec 9>&-; }

# The environment a pool's processes get: the script's own with rc_env on
# top, as each start leaves it in $RC_VAR/pools/POOL.env (NUL-separated).
# script/pool (RC_POOL_SAME_ENV=1), run from a shell that holds none of the
# stack's settings, starts a process with exactly that environment, so that
# it is configured as its pool mates are.  rc_env fails on a missing
# setting: that stops the start instead of spawning a process without one.
pool_start_one() {
	local pool=$1 i=$2 sock=$RC_SOCK/$1-$2.sock pid=$RC_SOCK/$1-$2.pid
	local f=$RC_VAR/pools/$1.env envs=() text
	pid_alive "$pid" && return 0
	rm -f "$sock"
	if [ "${RC_POOL_SAME_ENV:-}" = 1 ] && [ -s "$f" ]; then
		mapfile -d '' -t envs <"$f"
		envs=(-i "${envs[@]}")
	else
		text=$(rc_env) || rc_die "$pool-$i: the handlers' environment is incomplete (rc_env failed)"
		mapfile -t envs <<<"$text"
		mkdir -p "$RC_VAR/pools"
		(umask 077 && as_run env "${envs[@]}" env -0 >"$f.new") && mv "$f.new" "$f"
	fi
	as_run env "${envs[@]}" RC_LOG_FILE="$RC_VAR/log/$pool.log" \
		spawn-fcgi -s "$sock" -M 0600 -P "$pid" -- \
		/usr/bin/multiwatch -f 1 -r 1000000 -t 1000 -s TERM -- \
		"$RC_PREFIX/bin/replycast-$pool" >/dev/null 2>>"$RC_VAR/log/spawn.log" 9>&- ||
		rc_die "spawn-fcgi failed for $pool-$i (see $RC_VAR/log/spawn.log)"
}

pool_stop_one() { pools_stop_some "$1-$2"; }

# Stops the processes behind some sockets (POOL-I ...) together: SIGTERM to
# each multiwatch, which passes it on (a request in flight finishes) and
# leaves about a second after its child; SIGKILL after 5 s.
pools_stop_some() {
	local s p pids="" left _
	for s in "$@"; do
		if pid_alive "$RC_SOCK/$s.pid"; then
			read -r p <"$RC_SOCK/$s.pid" || true
			kill -TERM "$p" 2>/dev/null && pids="$pids $p"
		fi
	done
	for _ in $(seq 100); do
		left=""
		for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
		pids=$left
		[ -z "$pids" ] && break
		sleep 0.05
	done
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	for s in "$@"; do rm -f "$RC_SOCK/$s.pid" "$RC_SOCK/$s.sock"; done
	return 0
}

# Workers (the processes doing the work) of a pool, one per line.
pool_workers() {
	local f
	for f in "$RC_SOCK/$1"-*.pid; do
		[ -f "$f" ] && pgrep -P "$(cat "$f")"
	done
}

# The path a pool answers GET .../healthz on (dash serves /).
pool_prefix() { [ "$1" = dash ] || printf '/%s' "$1"; }

# True when the process behind one socket answers GET healthz with 200,
# asked directly over FastCGI (nginx is not involved).
pool_answers() {
	local sock=$RC_SOCK/$1-$2.sock
	[ -S "$sock" ] || return 1
	env -i PATH=/usr/bin:/bin REQUEST_METHOD=GET REQUEST_URI="$(pool_prefix "$1")/healthz" \
		SERVER_PROTOCOL=HTTP/1.1 timeout 2 cgi-fcgi -bind -connect "$sock" 2>/dev/null |
		head -1 | grep -q '^Status: 200'
}

pool_wait_answer() {
	local i
	for i in $(seq 200); do
		pool_answers "$1" "$2" && return 0
		sleep 0.05
	done
	rc_die "$1-$2 did not answer GET $(pool_prefix "$1")/healthz within 10 s (see $RC_VAR/log/$1.log)"
}

# How many sockets of a pool nginx's upstream lists now (0: none yet).
pool_listed() {
	[ -f "$RC_VAR/nginx/upstreams.conf" ] || { echo 0; return 0; }
	grep -c "server unix:$RC_SOCK/$1-[0-9]*\.sock" "$RC_VAR/nginx/upstreams.conf" || true
}

pool_upstreams() {
	local pool i n
	for pool in $RC_POOLS; do
		echo "upstream ${pool}_pool {"
		n=$(pool_size "$pool")
		for ((i = 1; i <= n; i++)); do
			echo "	server unix:$RC_SOCK/$pool-$i.sock max_fails=0;"
		done
		echo "}"
	done
}

# Starts every pool's processes up to its size and waits until each new one
# answers, before nginx is told about it.
pools_start() {
	local pool i n new=""
	for pool in $RC_POOLS; do
		n=$(pool_size "$pool")
		for ((i = 1; i <= n; i++)); do
			pid_alive "$RC_SOCK/$pool-$i.pid" && continue
			pool_start_one "$pool" "$i"
			new="$new $pool-$i"
		done
	done
	for i in $new; do pool_wait_answer "${i%-*}" "${i##*-}"; done
}

# After nginx stopped sending them work (nginx_start waits for the old
# workers): stop the processes past a pool's size.
pools_trim() {
	local pool f i size gone=()
	for pool in $RC_POOLS; do
		size=$(pool_size "$pool")
		for f in "$RC_SOCK/$pool"-*.pid; do
			[ -f "$f" ] || continue
			i=${f%.pid} i=${i##*-}
			[ "$i" -gt "$size" ] && gone+=("$pool-$i")
		done
	done
	[ ${#gone[@]} -eq 0 ] || pools_stop_some "${gone[@]}"
}

# Every pool to its size without dropping a request: new processes start
# and answer first; the upstream is rewritten and nginx reloads gracefully;
# processes past the size stop once no nginx worker can still use them.
# The caller holds pools_lock.
pools_apply() {
	pools_start
	pool_sizes_store
	nginx_upstreams
	nginx_start
	pools_trim
}

pools_stop() {
	local f names=()
	for f in "$RC_SOCK"/*-[0-9]*.pid; do
		[ -f "$f" ] || continue
		f=${f##*/}
		names+=("${f%.pid}")
	done
	[ ${#names[@]} -eq 0 ] || pools_stop_some "${names[@]}"
}

# Every pool's processes one socket at a time, while nginx retries
# idempotent requests on the others (new binaries or handler settings).
pools_restart() {
	local p i
	for p in $RC_POOLS; do
		for i in $(seq "$(pool_size "$p")"); do
			pool_stop_one "$p" "$i"
			pool_start_one "$p" "$i"
		done
	done
}
