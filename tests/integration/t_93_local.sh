# shellcheck shell=bash
# The gate's copies in each process (RC_GATE_LOCAL, src/core/near.c): a
# read with no rate limit to count (an administrator's) is answered with no
# Redis round trip once the process has the keys, and every write those
# copies stand for reaches every process before its next request: new data
# (a new version: the new figures at once), a logout (refused at once),
# FLUSHALL, and the loss of the connection that brings the invalidations.
# Fids 9351-9354, users t935*.
AU935=$RC_HTTP/auth
PW935=t935-Battery-Staple-7
J935=(-H 'Content-Type: application/json')
kv935() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
login935() {
	kv935 DEL "lf:ip:127.0.0.1" "lk:ip:127.0.0.1" >/dev/null
	req POST "$AU935/login" "${J935[@]}" -d "{\"username\":\"$1\",\"password\":\"$PW935\"}"
}
for u in t935adm:9351:admin t935u:9352:user; do
	IFS=: read -r n f r <<<"$u"
	printf '%s\n' "$PW935" | rc_ctl user add "$n" --fid "$f" --role "$r" --password-stdin >/dev/null 2>&1
done
n935=0
mention935() {	# one more mention of fid 9352
	n935=$((n935 + 1))
	t_cast $((0x9350000)) "$n935" 9353 "$(date -u -d "-$((n935 + 60)) minute" +%FT%TZ)" 9352 | t_ingest
}
mention935; mention935
U935=$RC_HTTP/api/v1/users/9352/summary
# Every api process, several times over: nginx spreads the requests.
ALL935=$((4 * $(pool_size api)))
# all935 TOKEN [URL]: "CODE INBOUND" of ALL935 reads, one line per
# distinct answer.
all935() {
	local i
	for ((i = 0; i < ALL935; i++)); do
		req GET "${2:-$U935}" -H "Authorization: Bearer $1"
		echo "$R_CODE $(jget .inbound)"
	done | sort | uniq -c | sed 's/^ *[0-9]* //'
}
# redis935 TOKEN [URL]: the fewest commands clients sent Redis during one read
# (MONITOR, after an ECHO that marks where the read begins; what a script
# runs inside is marked lua), best of 3.  Each process is asked just before
# (a process idle for NEAR_IDLE_MS trusts none of its copies).
redis935() {
	local best=99 n mon _ i
	for _ in 1 2 3; do
		as_run timeout 2 redis-cli -s "$RC_SOCK/redis.sock" MONITOR >"$T_OUT/t935-monitor" 2>/dev/null &
		mon=$!
		sleep 0.4
		for ((i = 0; i < 2 * $(pool_size api); i++)); do
			curl -sk -o /dev/null -H "Authorization: Bearer $1" "${2:-$U935}"
		done
		kv935 ECHO t935-mark >/dev/null
		req GET "${2:-$U935}" -H "Authorization: Bearer $1"
		wait "$mon"
		n=$(sed -n '/"t935-mark"/,$p' "$T_OUT/t935-monitor" | grep -E '^[0-9.]+ \[[0-9]+ ' |
			grep -v '"t935-mark"' | grep -vc ' lua\]')
		[ "$R_CODE" = 200 ] && grep -q '"t935-mark"' "$T_OUT/t935-monitor" &&
			[ "$n" -lt "$best" ] && best=$n
	done
	echo "$best"
}

# gate935 ANSWER: replycast_gate_checks_total{answer=ANSWER} of a fresh scrape.
gate935() {
	curl -s "$RC_HTTP/metrics" | awk -v k="replycast_gate_checks_total{answer=\"$1\"}" '$1 == k { print $2 }'
}

login935 t935adm; ADM935=$(jget .access_token)
check "an administrator signs in" 200 "$R_CODE"
check "every process answers alike: 2 inbound" "200 2" "$(all935 "$ADM935")"
local935=$(gate935 local)
check "a read the process has the keys for: no Redis command" 0 "$(redis935 "$ADM935")"
check_match "  /metrics counts the checks answered locally" '^[0-9]+$' "$local935"
[ "$(gate935 local)" -ge $((local935 + 3)) ] && ok "  each of those reads counted as local" ||
	nok "  each of those reads counted as local" "before: $local935, after: $(gate935 local)"
login935 t935u; U935T=$(jget .access_token)
req GET "$RC_HTTP/api/v1/me/summary" -H "Authorization: Bearer $U935T"
check "a user's read (a rate limit to count) still asks Redis" 200 "$R_CODE"
check_match "  with the limit in its headers" '^[0-9]+$' "$(header RateLimit-Remaining)"

# A user too small for an answer to be stored (1 fact, RC_CACHE_MIN_FACTS=2):
# each process computes it, and then asks Redis nothing for the next.
S935=$RC_HTTP/api/v1/users/9354/summary
t_cast $((0x9350000)) 100 9353 "$(date -u -d '-3 hour' +%FT%TZ)" 9354 | t_ingest
check "a small user: every process answers 1" "200 1" "$(all935 "$ADM935" "$S935")"
req GET "$S935" -H "Authorization: Bearer $ADM935"
check "  not stored: a miss each time" "200 miss" "$R_CODE $(header X-Cache)"
check "  the next read asks Redis nothing" 0 "$(redis935 "$ADM935" "$S935")"
t_cast $((0x9350000)) 101 9353 "$(date -u -d '-2 hour' +%FT%TZ)" 9354 | t_ingest
check "  a second mention: every process answers 2" "200 2" "$(all935 "$ADM935" "$S935")"

# New data: a new version, seen by every process on its next request.
mention935
check "a new mention: every process answers 3 at once" "200 3" "$(all935 "$ADM935")"

# The connection the invalidations come on is lost: no process trusts its
# copies until it has a new one; a logout meanwhile is refused everywhere.
kv935 CLIENT KILL TYPE pubsub >/dev/null
check "invalidations lost: every process still answers" "200 3" "$(all935 "$ADM935")"
sleep 1.2
all935 "$ADM935" >/dev/null
check "a second later the copies are trusted again: no Redis command" 0 "$(redis935 "$ADM935")"

# FLUSHALL: every copy goes; versions and revocations come back from scratch.
kv935 FLUSHALL >/dev/null
check "after FLUSHALL: every process answers 3" "200 3" "$(all935 "$ADM935")"
mention935
check "  and a new mention after it: 4" "200 4" "$(all935 "$ADM935")"

# Redis refuses tracking (an ACL without CLIENT TRACKING): each process says
# why in its log and asks Redis on every read, with the same answers;
# once allowed again, the copies come back within a retry (NEAR_RETRY_MS).
kv935 ACL SETUSER default '-client|tracking' >/dev/null
kv935 CLIENT KILL TYPE pubsub >/dev/null
sleep 1.2
check "tracking refused: every process still answers 4" "200 4" "$(all935 "$ADM935")"
[ "$(redis935 "$ADM935")" -ge 1 ] && ok "  each read asks Redis" ||
	nok "  each read asks Redis" "no Redis command seen"
check_match "  the log says why: Redis's own refusal" 'no client tracking \(NOPERM' \
	"$(grep -h 'no client tracking' "$RC_VAR"/log/api.log | tail -1)"
kv935 ACL SETUSER default '+client|tracking' >/dev/null
sleep 1.2
all935 "$ADM935" >/dev/null
check "allowed again: no Redis command" 0 "$(redis935 "$ADM935")"

req POST "$AU935/logout" -H "Authorization: Bearer $ADM935"
check "the administrator signs out" 204 "$R_CODE"
check "the token is refused by every process at once" "401 null" "$(all935 "$ADM935")"
