# shellcheck shell=bash
# Services (sourced by script/lib.sh): long-running programs that are not
# FastCGI pools, each under its own multiwatch, which restarts it whenever
# it dies: the worker (replycast-worker: backfills, alerts and digests) and
# the Hub follower (replycast-ingest --follow).  Without RC_HUB_URL the
# follower does not run, and the worker sends alerts and digests only: the
# backfill jobs stay queued (the dashboard says so).

RC_SERVICES="worker follow"

# RC_HUB_URL as given (then stored in $RC_VAR/hub.url for later starts;
# set but empty forgets it), else the stored one, else none.  Exported, so
# that rc_env passes it on.  RC_HUB_CHANGED=1 when it differs from the
# stored one.
hub_url_resolve() {
	local f=$RC_VAR/hub.url old=""
	[ -s "$f" ] && read -r old <"$f"
	RC_HUB_CHANGED=0
	if [ -n "${RC_HUB_URL+set}" ]; then
		[[ -z $RC_HUB_URL || $RC_HUB_URL =~ ^https?://[^[:space:]/]+(/[^[:space:]]*)?$ ]] ||
			rc_die "RC_HUB_URL: \"$RC_HUB_URL\" is not an http(s) URL"
		[ "$RC_HUB_URL" = "$old" ] || RC_HUB_CHANGED=1
		if [ "$RC_MODE_READONLY" != 1 ] && [ "$RC_HUB_CHANGED" = 1 ]; then
			if [ -n "$RC_HUB_URL" ]; then
				printf '%s\n' "$RC_HUB_URL" >"$f.new" && mv "$f.new" "$f"
			else
				rm -f "$f"
			fi
		fi
	else
		RC_HUB_URL=$old
	fi
	export RC_HUB_URL
}
RC_MODE_READONLY=${RC_MODE_READONLY:-0}

svc_pid() { printf '%s/svc-%s.pid' "$RC_SOCK" "$1"; }

# svc_start NAME PROGRAM ARGS...: one multiwatch for the program, its pid
# in svc-NAME.pid, the program's stderr in log/NAME.log.  A service that
# runs with other arguments is restarted.
svc_start() {
	local name=$1 pid args; shift
	pid=$(svc_pid "$name") args="$*"
	if pid_alive "$pid"; then
		[ "$(cat "$RC_SOCK/svc-$name.args" 2>/dev/null)" = "$args" ] && return 0
		svc_stop "$name"
	fi
	rm -f "$pid"
	printf '%s\n' "$args" >"$RC_SOCK/svc-$name.args"
	# shellcheck disable=SC2016  # $0, $@ and $$ are sh's
	as_run setsid env -S "$(rc_env_s)" RC_LOG_FILE="$RC_VAR/log/$name.log" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$pid" \
		/usr/bin/multiwatch -f 1 -r 1000000 -t 1000 -s TERM -- "$@" \
		</dev/null >/dev/null 2>>"$RC_VAR/log/$name.log" 9>&- &
	for _ in $(seq 100); do pid_alive "$pid" && return 0; sleep 0.05; done
	rc_die "$name did not start (see $RC_VAR/log/$name.log)"
}

# SIGTERM to multiwatch, which passes it on: the worker finishes its page
# and gives its job back, the follower finishes its page.  SIGKILL to both
# after 10 s (a Hub request in flight may take that long).
svc_stop() {
	local pid p kids _
	pid=$(svc_pid "$1")
	pid_alive "$pid" || { rm -f "$pid"; return 0; }
	read -r p <"$pid"
	kids=$(pgrep -P "$p" || true)
	kill -TERM "$p" 2>/dev/null
	for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
	# shellcheck disable=SC2086
	kill -0 "$p" 2>/dev/null && kill -KILL "$p" $kids 2>/dev/null
	rm -f "$pid" "$RC_SOCK/svc-$1.args"
	return 0
}

# The worker always (without a Hub it sends only the users' alerts and
# digests); the follower when there is a Hub.
services_start() {
	svc_start worker "$RC_PREFIX/bin/replycast-worker"
	if [ -z "${RC_HUB_URL:-}" ]; then
		svc_stop follow
		return 0
	fi
	svc_start follow "$RC_PREFIX/bin/replycast-ingest" --hub "$RC_HUB_URL" --follow
}

services_stop() {
	local s
	for s in $RC_SERVICES; do svc_stop "$s"; done
}

# The process multiwatch runs for a service (its pid), or nothing.
svc_child() {
	local pid
	pid=$(svc_pid "$1")
	pid_alive "$pid" && pgrep -P "$(cat "$pid")" | head -1
	return 0
}
