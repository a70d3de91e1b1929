# shellcheck shell=bash
# Past one machine: two "hosts" made of network namespaces on this one, each
# running an api pool on TCP (spawn-fcgi + multiwatch, 2 processes), and a
# second nginx in the root namespace whose upstream lists both hosts.  Under
# load, host 1 dies (kill -9 of its pool, then its link goes down): no GET
# fails, nginx moves to host 2 (connection refused, then connect timeouts).
# Host 1 comes back (link up, pool restarted): it takes requests again.
#
# Names and addresses derive from RC_HTTP_PORT, so that stacks on other ports
# can run this test at the same time; the addresses come from the
# benchmarking range 198.18.0.0/15 and exist only while the test runs.  The
# handlers reach PostgreSQL and Redis over the stack's unix sockets, which
# live in the filesystem and so cross network namespaces.

mh=$RC_VAR/multihost
mh_port=$((RC_HTTP_PORT + 9))
mh_net=$(( (RC_HTTP_PORT % 100) * 2 + 10 ))	# 198.18.<mh_net+k-1>.0/24 for host k
mh_ns() { echo "rc${RC_HTTP_PORT}h$1"; }
mh_addr() { echo "198.18.$((mh_net + $1 - 1)).$2"; }

mh_kill_pool() {	# HOST: kill -9 the host's multiwatch, then its children
	local mw kids=""
	[ -f "$mh/h$1.pid" ] || return 0
	read -r mw <"$mh/h$1.pid" || true
	[ -n "$mw" ] || return 0
	[ -r "/proc/$mw/task/$mw/children" ] && read -r kids <"/proc/$mw/task/$mw/children"
	kill -9 "$mw" 2>/dev/null
	# shellcheck disable=SC2086
	[ -n "$kids" ] && kill -9 $kids 2>/dev/null
	rm -f "$mh/h$1.pid"
}

mh_cleanup() {
	local k pid pids
	for k in 1 2; do mh_kill_pool "$k"; done
	if [ -f "$mh/nginx.pid" ]; then
		read -r pid <"$mh/nginx.pid" || true
		if [ -n "${pid:-}" ] && kill -QUIT "$pid" 2>/dev/null; then
			for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
			kill -TERM "$pid" 2>/dev/null
		fi
	fi
	for k in 1 2; do
		# Whatever still runs in our namespaces was started by this test.
		pids=$(ip netns pids "$(mh_ns "$k")" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$(mh_ns "$k")" 2>/dev/null
		ip link del "$(mh_ns "$k")r" 2>/dev/null	# gone with the namespace, unless it failed
	done
	return 0
}

mh_host() {	# HOST: namespace, veth pair, addresses
	local ns vr vn
	ns=$(mh_ns "$1") vr=$(mh_ns "$1")r vn=$(mh_ns "$1")n
	ip netns add "$ns" &&
	ip link add "$vr" type veth peer name "$vn" &&
	ip link set "$vn" netns "$ns" &&
	ip addr add "$(mh_addr "$1" 1)/24" dev "$vr" &&
	ip link set "$vr" up &&
	ip -n "$ns" addr add "$(mh_addr "$1" 2)/24" dev "$vn" &&
	ip -n "$ns" link set "$vn" up &&
	ip -n "$ns" link set lo up
}

mh_pool_start() {	# HOST: an api pool of 2 processes on TCP port 9001
	ip netns exec "$(mh_ns "$1")" runuser -u "$RC_RUN_USER" -- \
		env -S "$(rc_env_s)" RC_LOG_FILE="$mh/h$1.log" \
		spawn-fcgi -a "$(mh_addr "$1" 2)" -p 9001 -P "$mh/h$1.pid" -- \
		/usr/bin/multiwatch -f 2 -r 1000000 -t 1000 -s TERM -- \
		"$RC_PREFIX/bin/replycast-api" >/dev/null 2>>"$mh/spawn.log"
}

mh_answers() {	# HOST: GET /api/healthz straight over FastCGI/TCP
	env -i PATH=/usr/bin:/bin REQUEST_METHOD=GET REQUEST_URI=/api/healthz \
		timeout 2 cgi-fcgi -bind -connect "$(mh_addr "$1" 2):9001" 2>/dev/null |
		head -1 | grep -q '^Status: 200'
}

mh_wait_answer() {
	local _
	for _ in $(seq 100); do mh_answers "$1" && return 0; sleep 0.05; done
	return 1
}

mh_nginx() {
	mkdir -p "$mh/tmp" "$mh/logs"
	grep '^fastcgi_param' "$RC_DATA/nginx/fastcgi.conf" >"$mh/params.conf"
	cat >"$mh/nginx.conf" <<CONF
worker_processes 1;
pid $mh/nginx.pid;
error_log $mh/nginx-error.log warn;
events { worker_connections 512; }
http {
	client_body_temp_path $mh/tmp/body;
	proxy_temp_path $mh/tmp/proxy;
	fastcgi_temp_path $mh/tmp/fastcgi;
	uwsgi_temp_path $mh/tmp/uwsgi;
	scgi_temp_path $mh/tmp/scgi;
	log_format mh '\$status \$upstream_addr \$upstream_status \$request_time';
	access_log $mh/access.log mh;
	# One server per host; a host that fails once is left alone for 2 s.
	upstream api_hosts {
		server $(mh_addr 1 2):9001 max_fails=1 fail_timeout=2s;
		server $(mh_addr 2 2):9001 max_fails=1 fail_timeout=2s;
	}
	server {
		listen 127.0.0.1:$mh_port;
		location /api/ {
			fastcgi_pass api_hosts;
			include $mh/params.conf;
			fastcgi_next_upstream error timeout invalid_header;
			fastcgi_connect_timeout 300ms;
			fastcgi_send_timeout 10s;
			fastcgi_read_timeout 10s;
			fastcgi_keep_conn off;
		}
	}
}
CONF
	chown -R "$RC_RUN_USER:" "$mh"
	as_run nginx -q -p "$mh/" -c "$mh/nginx.conf"
}

# wrk -c4 for $1 seconds through the front nginx: both routes in turn.
mh_load() {
	wrk -t1 -c4 -d"$1s" -s "$mh/load.lua" "http://127.0.0.1:$mh_port" >"$mh/wrk-$2.txt" 2>&1
}

mh_report() {	# PHASE: request count and the checks on wrk's output
	local n
	n=$(awk '/requests in/ {print $1}' "$mh/wrk-$1.txt")
	check_match "multihost: wrk ran ($1)" '^[0-9]+$' "${n:-none}"
	check "multihost: no non-2xx response $1 (${n:-0} requests)" "" \
		"$(grep 'Non-2xx or 3xx responses' "$mh/wrk-$1.txt")"
	check "multihost: no socket error $1" "" "$(grep 'Socket errors' "$mh/wrk-$1.txt")"
}

mh_run() {
	local err n0 n1 h2 _
	if [ "$EUID" -ne 0 ]; then
		nok "multihost: ip netns needs root; the test did not run"
		return
	fi
	if ip -4 -o addr show | grep -q " 198\.18\.\($mh_net\|$((mh_net + 1))\)\."; then
		nok "multihost: 198.18.$mh_net.0/23 is already in use on this machine; the test did not run"
		return
	fi
	if ! err=$(ip netns add "$(mh_ns 0)" 2>&1) || ! ip netns del "$(mh_ns 0)"; then
		nok "multihost: ip netns is not permitted here ($err); the test did not run"
		return
	fi
	rm -rf "$mh"
	mkdir -p "$mh"
	chown "$RC_RUN_USER:" "$mh"
	if ! err=$( { mh_host 1 && mh_host 2; } 2>&1); then
		nok "multihost: namespaces and veth pairs set up" "$err"
		return
	fi
	ok "multihost: hosts $(mh_addr 1 2) and $(mh_addr 2 2) in namespaces $(mh_ns 1), $(mh_ns 2)"
	if ! { mh_pool_start 1 && mh_pool_start 2 && mh_wait_answer 1 && mh_wait_answer 2; }; then
		nok "multihost: both api pools answer on TCP" "$(tail -3 "$mh/spawn.log" 2>/dev/null)"
		return
	fi
	ok "multihost: both api pools answer on TCP port 9001"
	mh_nginx || { nok "multihost: front nginx started" "$(tail -3 "$mh/nginx-error.log")"; return; }
	cat >"$mh/load.lua" <<'LUA'
local paths = { "/api/healthz", "/api/v1/openapi.json" }
local n = 0
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
LUA
	for _ in $(seq 50); do
		curl -sf -o /dev/null "http://127.0.0.1:$mh_port/api/healthz" && break
		sleep 0.1
	done

	# Host 1 fails 1.5 s into 6 s of load.
	mh_load 6 "while host 1 fails" &
	sleep 1.5
	mh_kill_pool 1
	ip -n "$(mh_ns 1)" link set "$(mh_ns 1)n" down
	wait $!
	mh_report "while host 1 fails"
	echo "# multihost: $(grep -c ', ' "$mh/access.log") requests retried on the other host after a failed or timed-out connect"
	if mh_answers 1; then nok "multihost: host 1 is down"; else ok "multihost: host 1 is down"; fi

	# Host 1 comes back; within fail_timeout (2 s) nginx tries it again.
	ip -n "$(mh_ns 1)" link set "$(mh_ns 1)n" up
	if ! { mh_pool_start 1 && mh_wait_answer 1; }; then
		nok "multihost: host 1's pool restarted" "$(tail -3 "$mh/spawn.log" 2>/dev/null)"
		return
	fi
	n0=$(grep -c . "$mh/h1.log")
	h2=$(grep -c . "$mh/h2.log")
	mh_load 4 "after host 1 returned"
	mh_report "after host 1 returned"
	n1=$(( $(grep -c . "$mh/h1.log") - n0 ))
	h2=$(( $(grep -c . "$mh/h2.log") - h2 ))
	echo "# multihost: after the return host 1 logged $n1 lines, host 2 $h2"
	if [ "$n1" -gt 0 ]; then ok "multihost: host 1 takes requests again ($n1 log lines)"
	else nok "multihost: host 1 takes requests again" "no new line in $mh/h1.log"; fi
}

trap mh_cleanup EXIT INT TERM
mh_run
mh_cleanup
trap - EXIT INT TERM
check "multihost: namespaces removed" "" "$(ip netns list 2>/dev/null | grep -E "^rc${RC_HTTP_PORT}h[0-9]")"
