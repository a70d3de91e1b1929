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
	as_run env -S "$(rc_env_s)" RC_PG_DSN="host=$RC_SOCK dbname=$db user=replycast" "$@"
}

now_s() { date +%s.%N; }

# An access token for FID (default 1000) with ROLE (user or admin; an
# admin may read every fid's figures), signed with the stack's key: the
# benchmark measures the API, not the login.
bench_token() {
	local now h p hp
	now=$(date +%s)
	h=$(printf '{"alg":"HS256","typ":"JWT"}' | openssl base64 -A | tr '+/' '-_' | tr -d '=')
	p=$(printf '{"sub":"1","fid":%s,"role":"%s","iat":%s,"exp":%s,"iss":"replycast","aud":"replycast-api","jti":"%s"}' \
		"${1:-1000}" "${2:-user}" "$now" "$((now + 3600))" "$(openssl rand -hex 16)" |
		openssl base64 -A | tr '+/' '-_' | tr -d '=')
	hp="$h.$p"
	printf '%s.%s\n' "$hp" "$(printf '%s' "$hp" | openssl dgst -sha256 -mac HMAC \
		-macopt "key:$(cat "$RC_VAR/secrets/jwt.key")" -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
}

# A dashboard session of the demo account (fid 1000, script/lib/postgres.sh)
# through the login form, as a browser gets it: prints the Cookie header
# value that carries its access token.
bench_session() {
	local jar=$BENCH_OUT/session.jar csrf at
	rm -f "$jar"
	curl -sf -c "$jar" -b "$jar" -o /dev/null "$RC_HTTP/login" || rc_die "GET /login failed"
	csrf=$(awk '$6 ~ /rc_csrf$/ {print $7}' "$jar")
	curl -sf -c "$jar" -b "$jar" -o /dev/null --data-urlencode username=demo \
		--data-urlencode password=demo-password --data-urlencode "csrf_token=$csrf" \
		"$RC_HTTP/auth/login" || rc_die "the demo account's login failed"
	at=$(awk '$6 ~ /rc_at$/ {print $6 "=" $7}' "$jar")
	[ -n "$at" ] || rc_die "the login set no access cookie"
	echo "$at"
}

## The casts bench/ingest and bench/delta load

# bench_gen N SEED: N demo casts as JSON Lines, the same users whatever SEED.
bench_gen() { as_run "$RC_PREFIX/bin/replycast-ingest" --generate "$1" --seed "$2" --anchor 1767225600 --dump; }

# bench_totsv FILE: its casts as the TSV the plain load COPYs.
bench_totsv() {
	jq -r 'select(.type == "cast") | ["\\x" + .hash[2:], .fid, .time, .text,
		(if .parent_hash then "\\x" + .parent_hash[2:] else null end), .parent_fid,
		.parent_url, "{" + ((.mentions // []) | map(tostring) | join(",")) + "}"] | @tsv' "$1" |
		sed 's/\t\t/\t\\N\t/g; s/\t\t/\t\\N\t/g; s/\t$/\t\\N/'
}

# The unlogged table the plain loads COPY the TSV into.
BENCH_STAGING='CREATE UNLOGGED TABLE staging (hash bytea, fid bigint, ts bigint, text text,
	parent_hash bytea, parent_fid bigint, parent_url text, mentions bigint[]);'

# bench_plain_load DB TSV: the reference.  The rows are COPYed into the
# staging table and moved with INSERT ... SELECT into a bare "casts" table,
# which then gets its primary key and the 4 indexes a plain reply-speed
# service needs: (fid, ts) for a user's own casts, (parent_fid, ts) for the
# replies to them, (parent_hash, fid, ts) for the earliest answer to one
# cast and a GIN on mentions for the casts that mention a user.
bench_plain_load() {
	pg_psql -d "$1" <<EOF
$BENCH_STAGING
\\copy staging FROM '$2'
CREATE TABLE casts (hash bytea NOT NULL, fid bigint NOT NULL,
	ts timestamptz NOT NULL, text text NOT NULL, parent_hash bytea,
	parent_fid bigint, parent_url text, mentions bigint[] NOT NULL);
INSERT INTO casts SELECT hash, fid, to_timestamp(ts), text, parent_hash,
	parent_fid, parent_url, mentions FROM staging;
ALTER TABLE casts ADD PRIMARY KEY (hash);
CREATE INDEX ON casts (fid, ts);
CREATE INDEX ON casts (parent_fid, ts) WHERE parent_fid IS NOT NULL;
CREATE INDEX ON casts (parent_hash, fid, ts) WHERE parent_hash IS NOT NULL;
CREATE INDEX ON casts USING gin (mentions);
DROP TABLE staging;
EOF
}

# bench_api_mib FIELD: FIELD of /proc/PID/status (VmRSS, VmHWM) of each api
# process, in MiB, as "a/b/c".
bench_api_mib() {
	local p all=""
	for p in $(pool_workers api); do
		all="$all${all:+/}$(awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$p/status")"
	done
	echo "$all"
}
# bench_mib_max A/B/C and bench_mib_sum A/B/C: the largest, the sum.
bench_mib_max() { tr / '\n' <<<"$1" | sort -n | tail -1; }
bench_mib_sum() { tr / '\n' <<<"$1" | awk '{ s += $1 } END { print s + 0 }'; }

## The users a benchmark asks for, from the stack's database

# "FID COUNT": the fid with the most visible inbound casts.
bench_busiest() {
	pg_psql -d replycast -tAF' ' -c "SELECT fid, count(*) FROM inbound WHERE NOT deleted
		GROUP BY fid ORDER BY 2 DESC, fid LIMIT 1"
}

# N fids (default 1000) around the median inbound count, one a line, sorted
# by fid: the "typical user" a request draws from.
bench_typical() {
	pg_psql -d replycast -tA -c "WITH c AS (SELECT fid, count(*) AS n FROM inbound
		WHERE NOT deleted GROUP BY fid), r AS (SELECT fid, row_number() OVER (ORDER BY n, fid) AS k,
		count(*) OVER () AS t FROM c) SELECT fid FROM r
		WHERE k > t / 2 - ${1:-1000} / 2 ORDER BY k LIMIT ${1:-1000}" | sort -n
}

# "MIN MEDIAN MAX" inbound counts of the fids in file $1 (one a line).
bench_counts() {
	pg_psql -d replycast -tAF' ' -c "SELECT min(n), percentile_disc(0.5) WITHIN GROUP (ORDER BY n), max(n)
		FROM (SELECT count(*) AS n FROM inbound WHERE NOT deleted
		AND fid = ANY ('{$(paste -sd, "$1")}'::bigint[]) GROUP BY fid) c"
}

# bench_lua_figure OUT FIGURE FIDFILE [ZONE ...]: a wrk script asking
# /api/v1/users/{fid}/FIGURE for a fid drawn per request from FIDFILE (and
# a zone drawn from the ZONEs, as tz=, when given: each (fid, zone) is an
# entry of its own in the read model), over one year up to now, with a new
# "to" on every request (thread number + 16 x request counter seconds past
# now), so that the Redis response cache misses every time while the
# window's rows stay the same.  It counts the X-Engine response header
# ("memory" or "sql; reason=...") per thread and prints the totals when
# wrk ends.  BENCH_LUA_ORDER=seq: the fids in turn instead (a warm-up that
# reaches every fid).
bench_lua_figure() {
	local out=$1 figure=$2 fids=$3 z zones=""
	shift 3
	for z in "$@"; do zones="$zones${zones:+, }\"$z\""; done
	{
		printf 'local fids = {%s}\n' "$(paste -sd, "$fids")"
		printf 'local zones = {%s}\n' "$zones"
		printf 'local figure = "%s"\n' "$figure"
		printf 'local seq = %s\n' "$([ "${BENCH_LUA_ORDER:-}" = seq ] && echo true || echo false)"
		cat <<'LUA'
local now = os.time()
local from = now - 365 * 86400
local threads, nt = {}, 0
function setup(thread)
  nt = nt + 1
  thread:set("tid", nt)
  table.insert(threads, thread)
end
local n = 0
mem, sql, other = 0, 0, 0
function request()
  n = n + 1
  local fid = seq and fids[(n + tid) % #fids + 1] or fids[math.random(#fids)]
  local tz = #zones > 0 and "&tz=" .. zones[math.random(#zones)] or ""
  return wrk.format("GET", "/api/v1/users/" .. fid .. "/" .. figure ..
    "?from=" .. from .. "&to=" .. (now + 16 * n + tid) .. tz)
end
function response(status, headers, body)
  local e = headers["X-Engine"] or headers["x-engine"]
  if e == nil then other = other + 1
  elseif e == "memory" then mem = mem + 1
  else sql = sql + 1 end
end
function done(summary, latency, requests)
  local m, s, o = 0, 0, 0
  for _, t in ipairs(threads) do
    m = m + t:get("mem"); s = s + t:get("sql"); o = o + t:get("other")
  end
  io.write(string.format("X-Engine: memory %d sql %d none %d\n", m, s, o))
end
LUA
	} >"$out"
}

## wrk

# bench_wrk NAME WRK-ARGS...: one wrk run (bench_wrk_args: threads,
# connections, duration) into $BENCH_OUT/NAME.txt; sets W_RPS, W_P50, W_P99
# (as wrk prints them; a timed-out request is not counted), W_P99_MS, W_NON2XX and W_ENGINE (the X-Engine
# counts, when the script counts them).
# shellcheck disable=SC2034 # the callers read the W_ variables
bench_wrk() {
	local name=$1 f; shift
	f=$BENCH_OUT/$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' '_').txt
	wrk "${bench_wrk_args[@]}" --latency "$@" >"$f" || rc_die "wrk failed for $name (see $f)"
	W_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$f")
	W_P50=$(awk '$1 == "50%" {print $2}' "$f")
	W_P99=$(awk '$1 == "99%" {print $2}' "$f")
	W_P99_MS=$(bench_ms "$W_P99")
	W_NON2XX=$(awk '/Non-2xx/ {print $NF}' "$f")
	W_ENGINE=$(sed -n 's/^X-Engine: //p' "$f")
	: "${W_RPS:?wrk printed no rate for $name (see $f)}"
}
bench_wrk_args=(-t2 -c64 -d10s --timeout 10s)

# A wrk latency (800.00us, 1.52ms, 1.20s, 2.00m) in milliseconds.
bench_ms() {
	awk -v v="$1" 'BEGIN { u = v; sub(/^[0-9.]+/, "", u); x = v + 0
		if (u == "us") x /= 1000; else if (u == "s") x *= 1000; else if (u == "m") x *= 60000
		printf "%.2f", x }'
}

# bench_ratio A B: A / B with two decimals (three below 0.1) ("-" when B is empty or 0).
bench_ratio() {
	awk -v a="$1" -v b="${2:-0}" 'BEGIN { if (b + 0 == 0) { print "-"; exit }
		r = a / b; printf (r < 0.095 ? "%.3f" : "%.2f"), r }'
}
