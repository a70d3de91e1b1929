# shellcheck shell=bash
# The stand-in Hub of the Hub tests (t_80_hub, t_82_onboard), sourced by
# them: tests/tools/fixture_httpd serving a folder of Hub answers, and the
# helpers to run replycast-ingest and ask the database.
# shellcheck disable=SC2034  # HFX, bg, HUB_URL, HUB_LOG are for the sourcing test
HUB_BIN=$RC_ROOT/build/$RC_MODE/tests/tools/fixture_httpd
HFX=$RC_ROOT/tests/fixtures/hub-server
HUB_PIDS=""

hingest() { as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$@"; }
# hbg NAME ARGS...: replycast-ingest in the background; its pid is the first
# line of $T_OUT/NAME.out, the job's is $bg.
hbg() {
	local name=$1; shift
	as_run sh -c 'echo $$; exec "$@"' sh env -S "$(rc_env_s)" \
		"$RC_PREFIX/bin/replycast-ingest" "$@" >"$T_OUT/$name.out" 2>"$T_OUT/$name.err" &
	bg=$!
}
hq() { pg_psql -d replycast -tAc "$1"; }
hh() { printf '%040x' "$1"; }

# hub_start DIR: a server on the first free port in 18300-18399; sets
# HUB_URL and HUB_LOG (one line per request).
hub_start() {
	local port log pid
	for port in $(seq 18300 18399); do
		log=$T_OUT/httpd-$port
		"$HUB_BIN" "$port" "$1" >"$log.out" 2>"$log.err" &
		pid=$!
		for _ in $(seq 100); do
			if grep -q ready "$log.out" 2>/dev/null; then
				HUB_PIDS="$HUB_PIDS $pid"
				HUB_URL=http://127.0.0.1:$port
				HUB_LOG=$log.err
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

hub_stop_all() {
	local p
	for p in $HUB_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	HUB_PIDS=""
}
