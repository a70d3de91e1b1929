# shellcheck shell=bash
# Shared by script/server, script/test, tests/integration and bench: install,
# build and run the whole replycast stack under one folder ($RC_VAR).
#
# Callers set RC_MODE (server|test) and may set RC_VAR, RC_HTTP_PORT,
# RC_HTTPS_PORT, RC_STATUS_PORT and RC_POOL_{AUTH,API,DASH}_SIZE first.

RC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RC_MODE=${RC_MODE:-server}
RC_POOLS="auth api dash"
PGBIN=/usr/lib/postgresql/15/bin

rc_log() { printf '==> %s\n' "$*" >&2; }
rc_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages the stack needs to build, run and test.
RC_PACKAGES="build-essential autoconf automake pkg-config ca-certificates \
curl jq openssl procps iproute2 \
libfcgi-dev libfcgi-bin spawn-fcgi multiwatch \
postgresql-15 postgresql-client-15 libpq-dev \
redis-server redis-tools libhiredis-dev \
libjson-c-dev libjwt-dev libsodium-dev libcunit1-dev libcurl4-openssl-dev nginx"

rc_install() {
	local missing="" p sudo=""
	for p in $RC_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$EUID" -ne 0 ]; then
		command -v sudo >/dev/null || rc_die "missing packages:$missing (install them as root)"
		sudo=sudo
	fi
	rc_log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null; then
		$sudo apt-get update -q >/dev/null || true
		# shellcheck disable=SC2086
		$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null ||
			rc_die "apt-get install failed for:$missing"
	fi
}

# Everything runs as an unprivileged user: PostgreSQL refuses root, and the
# handlers have no business being root either.
rc_user() {
	if [ "$EUID" -eq 0 ]; then
		RC_RUN_USER=replycast
		id -u "$RC_RUN_USER" >/dev/null 2>&1 ||
			useradd --system --user-group --no-create-home \
				--home-dir /nonexistent --shell /usr/sbin/nologin "$RC_RUN_USER"
	else
		RC_RUN_USER=$(id -un)
	fi
}

as_run() {
	if [ "$EUID" -eq 0 ]; then
		runuser -u "$RC_RUN_USER" -- "$@"
	else
		"$@"
	fi
}

# $RC_VAR must be reachable by the run user and short enough for unix
# socket paths (108 bytes); otherwise it becomes a link to a folder in /tmp.
rc_var() {
	local want=${RC_VAR:-$RC_ROOT/var} real
	RC_VAR=$want
	if [ -L "$want" ]; then
		RC_VAR=$(readlink -f "$want")
	elif [ ! -d "$want" ]; then
		mkdir -p "$want"
		[ "$EUID" -eq 0 ] && chown "$RC_RUN_USER:" "$want"
		if [ ${#want} -gt 70 ] || ! as_run test -w "$want" 2>/dev/null; then
			real=/tmp/replycast-$(printf '%s' "$want" | sha1sum | cut -c1-12)
			rmdir "$want"
			mkdir -p "$real"
			[ "$EUID" -eq 0 ] && chown "$RC_RUN_USER:" "$real"
			ln -s "$real" "$want"
			RC_VAR=$real
		fi
	fi
	mkdir -p "$RC_VAR"/{run,log,pg,redis,tls,pools,nginx/tmp}
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$RC_VAR"
	chmod 700 "$RC_VAR/pg"
	RC_PREFIX=$RC_VAR/prefix
	RC_DATA=$RC_PREFIX/share/replycast
	RC_SOCK=$RC_VAR/run
	export RC_VAR RC_PREFIX RC_DATA
}

rc_ports() {
	if [ "$RC_MODE" = test ]; then
		RC_HTTP_PORT=${RC_HTTP_PORT:-18080}
		RC_HTTPS_PORT=${RC_HTTPS_PORT:-18443}
		RC_STATUS_PORT=${RC_STATUS_PORT:-18081}
	else
		RC_HTTP_PORT=${RC_HTTP_PORT:-8080}
		RC_HTTPS_PORT=${RC_HTTPS_PORT:-8443}
		RC_STATUS_PORT=${RC_STATUS_PORT:-8081}
	fi
	RC_HTTP=http://127.0.0.1:$RC_HTTP_PORT
	RC_HTTPS=https://127.0.0.1:$RC_HTTPS_PORT
	export RC_HTTP RC_HTTPS RC_HTTP_PORT RC_HTTPS_PORT RC_STATUS_PORT
}

# Builds out of tree in build/$RC_MODE and installs into $RC_PREFIX.
rc_build() {
	local b=$RC_ROOT/build/$RC_MODE flags=""
	[ "$RC_MODE" = test ] && flags=--enable-sanitizers
	[ -x "$RC_ROOT/configure" ] && [ "$RC_ROOT/configure" -nt "$RC_ROOT/configure.ac" ] ||
		(cd "$RC_ROOT" && ./autogen.sh >/dev/null 2>&1) || rc_die "autogen.sh failed"
	mkdir -p "$b"
	if [ ! -f "$b/Makefile" ] || [ "$(cat "$b/.prefix" 2>/dev/null)" != "$RC_PREFIX $flags" ] ||
	   [ "$RC_ROOT/configure" -nt "$b/Makefile" ]; then
		rc_log "configuring ($RC_MODE${flags:+, $flags})"
		(cd "$b" && "$RC_ROOT/configure" --prefix="$RC_PREFIX" $flags >configure.out 2>&1) ||
			{ tail -5 "$b/configure.out"; rc_die "configure failed (see $b/config.log)"; }
		echo "$RC_PREFIX $flags" >"$b/.prefix"
	fi
	rc_log "building"
	make -C "$b" -j"$(nproc)" >"$b/make.out" 2>&1 || { grep -E 'error|Error' "$b/make.out" | head -20; rc_die "build failed (see $b/make.out)"; }
	make -C "$b" install >"$b/install.out" 2>&1 || rc_die "make install failed (see $b/install.out)"
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$RC_PREFIX"
	# shellcheck disable=SC2034 # script/test reads it
	RC_BUILD=$b
}

# The environment every replycast program gets (README.md lists it all).
rc_env() {
	printf '%s\n' \
		"RC_PG_DSN=host=$RC_SOCK dbname=replycast user=replycast" \
		"RC_REDIS=$RC_SOCK/redis.sock" \
		"RC_METRICS_DIR=$RC_SOCK" \
		"RC_DATA_DIR=$RC_DATA" \
		"RC_MAX_BODY=${RC_MAX_BODY:-1M}" \
		"RC_JWT_KEY_FILE=$RC_VAR/secrets/jwt.key" \
		"RC_NEYNAR_WEBHOOK_SECRET_FILE=$RC_VAR/secrets/neynar.secret" \
		"ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:log_path=$RC_VAR/log/asan" \
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$RC_VAR/log/ubsan"
	# Handler settings given to the script are passed on as they are.
	local v
	for v in RC_API_RATE RC_API_BURST RC_CACHE_TTL RC_ACCESS_TTL RC_REFRESH_TTL \
		RC_SELF_REGISTER RC_COOKIE_SECURE RC_LOGIN_FREE_FAILS RC_LOGIN_BACKOFF_MS \
		RC_LOGIN_MAX_BACKOFF_S RC_PG_STATEMENT_TIMEOUT_MS RC_REDIS_TIMEOUT_MS RC_MAX_API_KEYS; do
		[ -n "${!v:-}" ] && printf '%s=%s\n' "$v" "${!v}"
	done
	return 0
}

rc_ctl() {
	# shellcheck disable=SC2046
	as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycastctl" "$@"
}

# No process is forked here: the scaling path calls it often, under load.
pid_alive() {
	local p
	[ -f "$1" ] || return 1
	read -r p <"$1" || [ -n "$p" ] || return 1	# no final newline is fine
	kill -0 "$p" 2>/dev/null
}

## PostgreSQL

pg_start() {
	if [ ! -f "$RC_VAR/pg/PG_VERSION" ]; then
		rc_log "creating the PostgreSQL cluster"
		as_run "$PGBIN/initdb" -D "$RC_VAR/pg" -U postgres --auth=trust \
			--no-sync -E UTF8 --locale=C.UTF-8 >"$RC_VAR/log/initdb.log" 2>&1 ||
			rc_die "initdb failed (see $RC_VAR/log/initdb.log)"
	fi
	if ! as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" status >/dev/null 2>&1; then
		local opts="-c listen_addresses='' -c unix_socket_directories='$RC_SOCK'"
		[ "$RC_MODE" = test ] && opts="$opts -c fsync=off -c synchronous_commit=off"
		as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" -l "$RC_VAR/log/postgresql.log" \
			-w -t 60 -o "$opts" start >/dev/null || rc_die "PostgreSQL did not start (see $RC_VAR/log/postgresql.log)"
	fi
}

pg_stop() {
	[ -f "$RC_VAR/pg/postmaster.pid" ] || return 0
	as_run "$PGBIN/pg_ctl" -D "$RC_VAR/pg" -m fast -w stop >/dev/null 2>&1 || true
}

pg_psql() { as_run psql -X -q -v ON_ERROR_STOP=1 -h "$RC_SOCK" -U postgres "$@"; }

db_setup() {
	pg_psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'replycast'" | grep -q 1 ||
		pg_psql -d postgres -c "CREATE ROLE replycast LOGIN"
	pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'replycast'" | grep -q 1 ||
		pg_psql -d postgres -c "CREATE DATABASE replycast OWNER replycast"
	rc_ctl migrate >"$RC_VAR/log/migrate.log" 2>&1 || { cat "$RC_VAR/log/migrate.log"; rc_die "migrations failed"; }
}

# The demo data set, once, into an empty database (script/server only).
demo_load() {
	local n
	n=$(pg_psql -d replycast -tAc "SELECT count(*) FROM casts")
	[ "$n" = 0 ] || return 0
	rc_log "loading demo data (${RC_DEMO_CASTS:-20000} casts)"
	# shellcheck disable=SC2046  # rc_env's VAR=value lines become env's arguments
	as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycast-ingest" -q \
		--generate "${RC_DEMO_CASTS:-20000}" --seed 42 >"$RC_VAR/log/demo.log" 2>&1 ||
		{ tail -5 "$RC_VAR/log/demo.log"; rc_die "demo data failed to load"; }
	pg_psql -d replycast -c "INSERT INTO tracked (fid) VALUES (1000) ON CONFLICT DO NOTHING" >/dev/null
	demo_account
}

# The demo account (README.md): demo / demo-password, bound to fid 1000.
demo_account() {
	rc_ctl user list 2>/dev/null | grep -q '^demo ' && return 0
	printf 'demo-password\n' | rc_ctl user add demo --fid 1000 --role admin \
		--password-stdin >/dev/null || rc_die "cannot create the demo account"
}

## Redis

redis_start() {
	pid_alive "$RC_SOCK/redis.pid" && return 0
	local save='save ""'
	[ "$RC_MODE" = server ] && save='save 300 1'
	cat >"$RC_VAR/redis/redis.conf" <<CONF
port 0
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
	local i
	for i in $(seq 100); do
		as_run redis-cli -s "$RC_SOCK/redis.sock" ping 2>/dev/null | grep -q PONG && return 0
		sleep 0.05
	done
	rc_die "Redis did not answer (see $RC_VAR/log/redis.log)"
}

redis_stop() {
	pid_alive "$RC_SOCK/redis.pid" || return 0
	local pid; pid=$(cat "$RC_SOCK/redis.pid")
	kill "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
}

## Handler pools: one spawn-fcgi socket per process, each watched by
## multiwatch, which restarts the process whenever it dies.

# A pool's size: RC_POOL_<POOL>_SIZE when set, else the size stored by the
# last change (script/pool scale, or a start with the variable set), else 2.
pool_size() {
	local var=RC_POOL_${1^^}_SIZE f=$RC_VAR/pools/$1.size n=2
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

# At least 2, so that nginx can retry a GET on another socket.
pool_size_check() {
	case $2 in ''|*[!0-9]*) rc_die "$1: \"$2\" is not a number";; esac
	if [ "${#2}" -gt 2 ] || [ "$2" -lt 2 ] || [ "$2" -gt 64 ]; then
		rc_die "$1: $2 is outside [2, 64]"
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

pool_start_one() {
	local pool=$1 i=$2 sock=$RC_SOCK/$1-$2.sock pid=$RC_SOCK/$1-$2.pid
	pid_alive "$pid" && return 0
	rm -f "$sock"
	# shellcheck disable=SC2046
	as_run env $(rc_env | tr '\n' ' ') RC_LOG_FILE="$RC_VAR/log/$pool.log" \
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

## nginx

# Secrets made once per var folder, readable by the run user only.
secrets_make() {
	local d=$RC_VAR/secrets
	mkdir -p "$d"
	chmod 700 "$d"
	[ -s "$d/jwt.key" ] || openssl rand -base64 48 | tr -d '\n' >"$d/jwt.key"
	[ -s "$d/neynar.secret" ] || openssl rand -hex 24 | tr -d '\n' >"$d/neynar.secret"
	chmod 600 "$d"/*
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	return 0
}

tls_cert() {
	[ -f "$RC_VAR/tls/cert.pem" ] && return 0
	rc_log "generating a self-signed P-256 certificate"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$RC_VAR/tls/key.pem" -out "$RC_VAR/tls/cert.pem" -days 825 \
		-subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		>/dev/null 2>&1 || rc_die "openssl could not make a certificate"
	chmod 600 "$RC_VAR/tls/key.pem"
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$RC_VAR/tls"
}

# nginx.conf and the server's locations; nginx_upstreams writes the rest.
nginx_conf() {
	local api_rate=${RC_NGINX_API_RATE:-100r/s} login_rate=${RC_NGINX_LOGIN_RATE:-5r/s}
	local api_burst=${RC_NGINX_API_BURST:-200} login_burst=${RC_NGINX_LOGIN_BURST:-10}
	local d=$RC_VAR/nginx
	sed -e "s|@VAR@|$RC_VAR|g" -e "s|@DATA@|$RC_DATA|g" \
		-e "s|@HTTP_PORT@|$RC_HTTP_PORT|g" -e "s|@HTTPS_PORT@|$RC_HTTPS_PORT|g" \
		-e "s|@STATUS_PORT@|$RC_STATUS_PORT|g" \
		-e "s|@NGINX_MAX_BODY@|${RC_NGINX_MAX_BODY:-4m}|g" \
		-e "s|@API_RATE@|$api_rate|g" -e "s|@LOGIN_RATE@|$login_rate|g" \
		"$RC_DATA/nginx/replycast.conf.in" >"$d/nginx.conf"
	mkdir -p "$d/extra"
	sed -e "s|@DATA@|$RC_DATA|g" -e "s|@VAR@|$RC_VAR|g" -e "s|@API_BURST@|$api_burst|g" \
		-e "s|@LOGIN_BURST@|$login_burst|g" \
		"$RC_DATA/nginx/locations.conf.in" >"$d/locations.conf"
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	return 0
}

# Rewrites the upstreams from the pool sizes and has nginx check the whole
# configuration; a rejected one is put back as it was.
nginx_upstreams() {
	local d=$RC_VAR/nginx
	[ -f "$d/upstreams.conf" ] && cp "$d/upstreams.conf" "$d/upstreams.conf.prev"
	pool_upstreams >"$d/upstreams.conf.new"
	mv "$d/upstreams.conf.new" "$d/upstreams.conf"
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	if ! as_run nginx -q -t -p "$d/" -c "$d/nginx.conf" 2>"$RC_VAR/log/nginx-t.log"; then
		[ -f "$d/upstreams.conf.prev" ] && mv "$d/upstreams.conf.prev" "$d/upstreams.conf"
		cat "$RC_VAR/log/nginx-t.log"
		rc_die "nginx rejected its configuration"
	fi
}

# nginx's worker processes, separated by spaces (from /proc: no fork).
nginx_workers() {
	local m c=""
	pid_alive "$RC_SOCK/nginx.pid" && read -r m <"$RC_SOCK/nginx.pid" &&
		read -r c <"/proc/$m/task/$m/children"
	echo "$c"
}

# Graceful reload: the master starts workers with the new configuration and
# asks the old ones to finish the requests they hold (with every upstream
# they knew, retries included) and exit.  Waits until they have, at most
# RC_NGINX_DRAIN_S seconds (default 30).
nginx_reload() {
	local d=$RC_VAR/nginx old cur w left fresh i
	old=" $(nginx_workers) "
	as_run nginx -p "$d/" -c "$d/nginx.conf" -s reload 2>>"$RC_VAR/log/nginx-signal.log" ||
		rc_die "nginx -s reload failed (see $RC_VAR/log/nginx-signal.log)"
	for ((i = 0; i < ${RC_NGINX_DRAIN_S:-30} * 20; i++)); do
		cur=$(nginx_workers) left=0 fresh=0
		for w in $cur; do
			case $old in *" $w "*) left=$((left + 1)) ;; *) fresh=1 ;; esac
		done
		# Done when new workers run and no old one is left.
		[ "$fresh" -eq 1 ] && [ "$left" -eq 0 ] && return 0
		sleep 0.05
	done
	rc_log "nginx: $left old worker(s) still busy after ${RC_NGINX_DRAIN_S:-30} s; going on"
}

nginx_start() {
	local d=$RC_VAR/nginx
	if pid_alive "$RC_SOCK/nginx.pid"; then
		nginx_reload
	else
		as_run nginx -p "$d/" -c "$d/nginx.conf" 9>&- || rc_die "nginx did not start (see $RC_VAR/log/nginx-error.log)"
	fi
}

nginx_stop() {
	pid_alive "$RC_SOCK/nginx.pid" || return 0
	local pid; pid=$(cat "$RC_SOCK/nginx.pid")
	kill -QUIT "$pid"
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
	kill -TERM "$pid" 2>/dev/null || true
}

rc_wait_ready() {
	local path i code
	for path in /auth/readyz /api/readyz /readyz; do
		for i in $(seq 150); do
			code=$(curl -s -o /dev/null -w '%{http_code}' "$RC_HTTP$path" || true)
			[ "$code" = 200 ] && break
			sleep 0.1
		done
		[ "$code" = 200 ] || rc_die "$path answered $code, not 200 (logs in $RC_VAR/log)"
	done
}

## The whole stack

rc_setup() {
	rc_install "$@"
	rc_user
	rc_var
	rc_ports
	rc_build
	secrets_make
	pg_start
	redis_start
	db_setup
	[ "$RC_MODE" = server ] && demo_load
	tls_cert
	nginx_conf
	pools_lock
	pools_apply
	pools_unlock
	rc_wait_ready
}

rc_stop() {
	nginx_stop
	pools_stop
	redis_stop
	pg_stop
}
