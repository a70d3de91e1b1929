# shellcheck shell=bash
# nginx (sourced by script/lib.sh): its configuration, upstreams, graceful
# reloads, and the wait until the stack answers through it.

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
	sed -e "s|@DATA@|$RC_DATA|g" -e "s|@VAR@|$RC_VAR|g" \
		-e "s|@HTTPS_PORT_SUFFIX@|:$RC_HTTPS_PORT|g" \
		"$RC_DATA/nginx/plain.conf.in" >"$d/plain.conf"
	# Only nginx (the run user) may read the secret that makes its
	# requests trusted (/metrics from loopback).
	(umask 077 && printf 'fastcgi_param RC_FRONT_SECRET "%s";\n' \
		"$(cat "$RC_VAR/secrets/front.secret")" >"$d/front.conf")
	[ "$RC_MODE" = test ] && nginx_conf_test
	[ "$EUID" -eq 0 ] && chown -R "$RC_RUN_USER:" "$d"
	return 0
}

# Test stacks only: locations where nginx's own 429 and 503 come at the
# second request (tests/integration/t_15_front.sh), whatever the rates
# script/test gives the real zones.
nginx_conf_test() {
	local d=$RC_VAR/nginx/extra
	# shellcheck disable=SC2016  # nginx's variable
	echo 'limit_req_zone $binary_remote_addr zone=rc_test:1m rate=1r/m;' >"$d/http-rctest.conf"
	cat >"$d/server-rctest.conf" <<CONF
location = /__test/limit-429 {
	limit_req zone=rc_test;
	error_page 502 504 @unavailable;
	error_page 429 @too_many;
	alias $RC_DATA/static/app.css;
}
location = /__test/limit-503 {
	limit_req zone=rc_test;
	limit_req_status 503;
	alias $RC_DATA/static/app.css;
}
CONF
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
