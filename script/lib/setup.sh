# shellcheck shell=bash
# Set-up (sourced by script/lib.sh first): logging, the Debian packages,
# the run user, the var folder, ports, the build, the programs' environment.

RC_MODE=${RC_MODE:-server}

rc_log() { printf '==> %s\n' "$*" >&2; }
rc_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages the stack needs to build, run and test.
RC_PACKAGES="build-essential autoconf automake pkg-config ca-certificates \
curl jq openssl procps iproute2 \
libfcgi-dev libfcgi-bin spawn-fcgi multiwatch \
postgresql-15 postgresql-client-15 libpq-dev \
redis-server redis-tools redis-sentinel libhiredis-dev \
libjson-c-dev libjwt-dev libsodium-dev libsecp256k1-dev libqrencode-dev libcunit1-dev libcurl4-openssl-dev nginx"

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
# socket paths (108 bytes); otherwise it becomes a link to a fresh folder
# in /tmp, made by mktemp (a name nobody can guess or make first).  A
# folder behind such a link that is not the run user's alone (another
# owner, or writable by others) is refused: /tmp is everybody's, and after
# a reboot anyone may have made it.
rc_var() {
	local want=${RC_VAR:-$RC_ROOT/var} real
	RC_VAR=$want
	if [ -L "$want" ]; then
		real=$(readlink "$want")
		if [ ! -e "$real" ] && [ ! -L "$real" ]; then
			rm -f "$want"	# /tmp was cleaned: make a new one
			rc_var_tmp "$want"
		fi
		RC_VAR=$(readlink -f "$want")
		# Older versions' name, /tmp/replycast-<sha1 of the path>: anyone
		# could have made it first, and they chowned what they found.
		[[ ! $RC_VAR =~ ^/tmp/replycast-[0-9a-f]{12}$ ]] ||
			rc_die "$want points to $RC_VAR, a name others could guess and make first: remove both (the stack's data there goes) to start afresh"
		rc_var_owned "$RC_VAR" ||
			rc_die "$want points to $RC_VAR, which is not $RC_RUN_USER's alone: refusing it (remove the link to start afresh)"
		chmod 700 "$RC_VAR"
	elif [ ! -d "$want" ]; then
		mkdir -p "$want"
		[ "$EUID" -eq 0 ] && chown "$RC_RUN_USER:" "$want"
		if [ ${#want} -gt 70 ] || ! as_run test -w "$want" 2>/dev/null; then
			rmdir "$want"
			rc_var_tmp "$want"
		fi
	fi
	mkdir -p "$RC_VAR"/{run,log,pg,redis,tls,pools,nginx/tmp}
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$RC_VAR"
	chmod 700 "$RC_VAR/pg" "$RC_VAR/run"
	# LeakSanitizer's suppressions (the test build), where the run user
	# reads them even when the project folder is out of its reach.
	[ "$RC_MODE" = test ] && install -m 644 "$RC_ROOT/tests/lsan.supp" "$RC_VAR/lsan.supp"
	RC_PREFIX=$RC_VAR/prefix
	RC_DATA=$RC_PREFIX/share/replycast
	RC_SOCK=$RC_VAR/run
	export RC_VAR RC_PREFIX RC_DATA
}

# A new folder in /tmp (mode 0700) for $1, which becomes a link to it.
rc_var_tmp() {
	local real
	real=$(mktemp -d /tmp/replycast.XXXXXXXXXX) || rc_die "mktemp -d failed in /tmp"
	[ "$EUID" -eq 0 ] && chown "$RC_RUN_USER:" "$real"
	ln -s "$real" "$1" || rc_die "cannot link $1 to $real"
	RC_VAR=$real
}

# True when folder $1 (no link) belongs to the run user and nobody else
# may write in it (folders of older versions were 0755: those are fine).
rc_var_owned() {
	local m
	[ -d "$1" ] && [ ! -L "$1" ] && [ "$(stat -c %U "$1")" = "$RC_RUN_USER" ] || return 1
	m=$(stat -c %a "$1")
	[ $((8#$m & 8#022)) -eq 0 ]
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

# For the tests and bench: plain HTTP only redirects to HTTPS (probes and
# /metrics aside), so RC_HTTP becomes the HTTPS base URL and the plain one
# RC_HTTP_PLAIN; curl trusts the stack's certificate and speaks HTTP/1.1,
# as the tests did on plain HTTP (a .curlrc); wrk checks no certificate.
rc_https_client() {
	local h=$RC_VAR/curl
	RC_HTTP_PLAIN=$RC_HTTP
	RC_HTTP=$RC_HTTPS
	mkdir -p "$h"
	printf 'cacert = "%s"\nhttp1.1\n' "$RC_VAR/tls/cert.pem" >"$h/.curlrc"
	CURL_HOME=$h
	export RC_HTTP RC_HTTP_PLAIN CURL_HOME
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

# rc_env as one string for env -S: each VAR=value single-quoted, so a value
# may hold spaces (a libpq DSN does), as in
#   as_run env -S "$(rc_env_s)" PROGRAM ARGS...
# A failing rc_env (a setting unset, under set -u) cannot stop the caller
# from inside "$(...)": it prints a word env cannot run instead, so the
# program fails to start rather than starting without its settings.
rc_env_s() {
	local e
	if ! e=$(rc_env); then
		echo "rc_env failed: not starting a program without its settings" >&2
		printf '%s' rc_env_failed
		return 1
	fi
	printf '%s\n' "$e" | sed "s/[\\\\']/\\\\&/g; s/.*/'&'/" | tr '\n' ' '
}

# The environment every replycast program gets (README.md lists it all).
rc_env() {
	printf '%s\n' \
		"RC_PG_DSN=${RC_STACK_PG_DSN:-host=$RC_SOCK dbname=replycast user=replycast}" \
		"RC_REDIS=$RC_SOCK/redis.sock" \
		"RC_METRICS_DIR=$RC_SOCK" \
		"RC_DATA_DIR=$RC_DATA" \
		"RC_MAX_BODY=${RC_MAX_BODY:-1M}" \
		"RC_JWT_KEY_FILE=$RC_VAR/secrets/jwt.key" \
		"RC_NEYNAR_WEBHOOK_SECRET_FILE=$RC_VAR/secrets/neynar.secret" \
		"RC_REDIS_PASSWORD_FILE=$RC_VAR/secrets/redis.secret" \
		"RC_FRONT_SECRET_FILE=$RC_VAR/secrets/front.secret" \
		"RC_SIWF_URI=${RC_SIWF_URI:-$RC_HTTPS/login}" \
		"ASAN_OPTIONS=abort_on_error=1:detect_leaks=${RC_LEAKCHECK:-1}:log_path=$RC_VAR/log/asan" \
		"LSAN_OPTIONS=suppressions=$RC_VAR/lsan.supp:print_suppressions=0" \
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$RC_VAR/log/ubsan"
	# Handler settings given to the script are passed on as they are.
	local v
	for v in RC_API_RATE RC_API_BURST RC_GATE_LOCAL RC_CACHE_TTL RC_CACHE_MIN_FACTS RC_FACTS_MB RC_ACCESS_TTL RC_REFRESH_TTL RC_SESSION_MAX_AGE RC_MAX_API_KEYS \
		RC_SELF_REGISTER RC_COOKIE_SECURE RC_LOGIN_FREE_FAILS RC_LOGIN_BACKOFF_MS \
		RC_LOGIN_MAX_BACKOFF_S RC_PG_STATEMENT_TIMEOUT_MS RC_PG_READ_DSN RC_PG_READ_MAX_LAG_MS RC_REDIS_TIMEOUT_MS \
		RC_REDIS_SENTINELS RC_REDIS_MASTER_NAME \
		RC_HUB_URL RC_SIWF_DOMAIN RC_SIWF_RELAY RC_SIWF_SKEW RC_SIWF_NONCE_TTL RC_SIWF_HUB_CACHE \
		RC_JOB_MAX_ATTEMPTS RC_JOB_BACKOFF_S RC_JOB_LEASE_S RC_JOB_POLL_MS \
		RC_ALERT_TICK_S RC_ALERT_HTTP_LOOPBACK RC_APP_URL; do
		[ -n "${!v:-}" ] && printf '%s=%s\n' "$v" "${!v}"
	done
	return 0
}

rc_ctl() {
	as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycastctl" "$@"
}

# No process is forked here: the scaling path calls it often, under load.
pid_alive() {
	local p
	[ -f "$1" ] || return 1
	read -r p <"$1" || [ -n "$p" ] || return 1	# no final newline is fine
	kill -0 "$p" 2>/dev/null
}
