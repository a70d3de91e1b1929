# shellcheck shell=bash
# Onboarding (issue 18): an account that gets a fid queues the fid's Hub
# backfill; replycast-worker, under multiwatch as script/server runs it,
# takes it against the stand-in Hub and the figures appear with no other
# command.  Also: kill -9 of the worker mid-job, a second bind, a failing
# Hub (retries with backoff, then failed), the overview's banner in each
# state and GET /api/v1/me/import.  Fids 820-849, usernames t82*.
# shellcheck source=tests/integration/hub.sh
. "$RC_ROOT/tests/integration/hub.sh"
trap 'hub_stop_all; svc_stop worker; svc_stop follow' EXIT
PW82=t82-Correct-Horse-42
X82=$T_OUT/hub82
F0=126700000	# Farcaster time of the first cast: 2025-01-06T10:26:40Z

# x82_cast FID N [PARENT_FID PARENT_HASH] [MENTION]: one CastAdd message at
# F0 + 60 N, hash (FID << 8) + N.
x82_cast() {
	local parent="" mention="[]"
	[ -n "${3:-}" ] && parent=",\"parentCastId\":{\"fid\":$3,\"hash\":\"0x$4\"}"
	[ -n "${5:-}" ] && mention="[$5]"
	printf '{"data":{"type":"MESSAGE_TYPE_CAST_ADD","fid":%s,"timestamp":%s,"network":"FARCASTER_NETWORK_MAINNET","castAddBody":{"text":"t82 %s","mentions":%s,"mentionsPositions":%s,"embeds":[]%s}},"hash":"0x%s","hashScheme":"HASH_SCHEME_BLAKE3","signature":"c3Nz","signatureScheme":"SIGNATURE_SCHEME_ED25519","signer":"0xab"}' \
		"$1" $((F0 + 60 * $2)) "$2" "$mention" "$([ "$mention" = "[]" ] && echo "[]" || echo "[0]")" "$parent" "$(hh $(($1 * 256 + $2)))"
}
x82_page() { printf '{"messages":[%s],"nextPageToken":"%s"}\n' "$1" "$2"; }
x82_name() {
	printf '{"messages":[{"data":{"type":"MESSAGE_TYPE_USER_DATA_ADD","fid":%s,"timestamp":%s,"network":"FARCASTER_NETWORK_MAINNET","userDataBody":{"type":"USER_DATA_TYPE_USERNAME","value":"t82u%s"}},"hash":"0x%s","hashScheme":"HASH_SCHEME_BLAKE3","signature":"c3Nz","signatureScheme":"SIGNATURE_SCHEME_ED25519","signer":"0xab"}],"nextPageToken":""}\n' \
		"$1" "$F0" "$1" "$(hh $(($1 * 256 + 255)))"
}
# x82_user U: U writes 6 casts on 3 pages (the last replies to a mention
# 10 min after it); U+1 mentions U twice; U+2 replies to U's first two
# casts.  Inbound 4, answered 1 in 600 s; 10 casts, 14 pages (the last:
# no likes).
x82_user() {
	local u=$1 m=$(($1 + 1)) r=$(($1 + 2)) v=$X82/v1 i
	mkdir -p "$v/castsByFid" "$v/castsByMention" "$v/castsByParent" "$v/userDataByFid" "$v/reactionsByFid"
	x82_page "" "" >"$v/reactionsByFid/fid=$u&reaction_type=Like.json"
	x82_page "$(x82_cast "$u" 1),$(x82_cast "$u" 2)" a2 >"$v/castsByFid/fid=$u.json"
	x82_page "$(x82_cast "$u" 3),$(x82_cast "$u" 4)" a3 >"$v/castsByFid/fid=$u&pageToken=a2.json"
	x82_page "$(x82_cast "$u" 5),$(x82_cast "$u" 30 "$m" "$(hh $((m * 256 + 20)))")" "" \
		>"$v/castsByFid/fid=$u&pageToken=a3.json"
	x82_page "$(x82_cast "$m" 20 "" "" "$u"),$(x82_cast "$m" 21 "" "" "$u")" "" >"$v/castsByMention/fid=$u.json"
	for i in 1 2 3 4 5 30; do x82_page "" "" >"$v/castsByParent/fid=$u&hash=0x$(hh $((u * 256 + i))).json"; done
	x82_page "$(x82_cast "$r" 40 "$u" "$(hh $((u * 256 + 1)))")" "" >"$v/castsByParent/fid=$u&hash=0x$(hh $((u * 256 + 1))).json"
	x82_page "$(x82_cast "$r" 41 "$u" "$(hh $((u * 256 + 2)))")" "" >"$v/castsByParent/fid=$u&hash=0x$(hh $((u * 256 + 2))).json"
	for i in "$u" "$m" "$r"; do x82_name "$i" >"$v/userDataByFid/fid=$i.json"; done
}
# x82_empty U: a fid with no casts.
x82_empty() {
	local v=$X82/v1
	mkdir -p "$v/castsByFid" "$v/castsByMention" "$v/userDataByFid" "$v/reactionsByFid"
	x82_page "" "" >"$v/castsByFid/fid=$1.json"
	x82_page "" "" >"$v/reactionsByFid/fid=$1&reaction_type=Like.json"
	x82_page "" "" >"$v/castsByMention/fid=$1.json"
	x82_name "$1" >"$v/userDataByFid/fid=$1.json"
}
rm -rf "$X82"
x82_user 820
x82_user 830
x82_empty 839
x82_user 840
# 830's later pages come slowly (the worker is killed while one is on its
# way); 840's first page always fails.
echo 2500 >"$X82/v1/castsByFid/fid=830&pageToken=a2.delay"
echo 2500 >"$X82/v1/castsByFid/fid=830&pageToken=a3.delay"
echo "500 100000" >"$X82/v1/castsByFid/fid=840.fail"

o82_add() { printf '%s\n' "$PW82" | rc_ctl user add "$1" --fid "$2" --password-stdin >/dev/null 2>&1; }
o82_token() {
	curl -sk "$RC_HTTPS/auth/login" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$PW82\"}" | jq -r .access_token
}
# o82_page USER: the overview as USER sees it (R_BODY).
o82_page() { req GET "$RC_HTTPS/${2:-}" -H "Cookie: __Host-rc_at=$(o82_token "$1")"; }
o82_import() { req GET "$RC_HTTPS/api/v1/me/import" -H "Authorization: Bearer $(o82_token "$1")"; }
o82_job() { hq "SELECT state || ' ' || attempts FROM jobs WHERE fid = $1 ORDER BY id DESC LIMIT 1"; }
o82_njobs() { hq "SELECT count(*) FROM jobs WHERE fid = $1"; }
# o82_wait FID SQL-CONDITION [SECONDS]: until the fid's newest job meets it.
o82_wait() {
	local i
	for i in $(seq $((${3:-30} * 10))); do
		[ "$(hq "SELECT count(*) FROM jobs WHERE id = (SELECT max(id) FROM jobs WHERE fid = $1) AND ($2)")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
# The dashboard and the API learn RC_HUB_URL at start (script/server
# restarts them when it changes).
o82_dash_restart() { pools_restart dash api; }
o82_stats() { rc_ctl stats "$1" --from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z --tz UTC | jq -c 'del(.fid)'; }

# No Hub yet: a bound fid is queued, tracked, and the overview says why
# nothing comes.  The test stack gives its pools a Hub for t_89's Sign In
# with Farcaster (script/test): dash and api forget it here, and get it
# back at the end (the auth pool keeps it throughout).
O82_HUB=${RC_HUB_URL:-}
export RC_HUB_URL=
o82_dash_restart
o82_add t82wait 845
check "user add --fid queues a backfill and tracks the fid" "queued 0|1" "$(o82_job 845)|$(hq "SELECT count(*) FROM tracked WHERE fid = 845")"
o82_page t82wait
check "overview without a Hub: 200" 200 "$R_CODE"
check_match "overview without a Hub: an operator must set RC_HUB_URL" 'an operator must set <code>RC_HUB_URL</code>' "$R_BODY"
check "overview without a Hub: no refresh" 0 "$(grep -c 'http-equiv="refresh"' <<<"$R_BODY")"
o82_import t82wait
check "GET /api/v1/me/import without a Hub" "200 queued false 0" "$R_CODE $(jget .state) $(jget .hub_configured) $(jget .attempts)"
rc_ctl user bind t82wait 845 >/dev/null 2>&1
rc_ctl user bind t82wait 0 >/dev/null 2>&1
rc_ctl user bind t82wait 845 >/dev/null 2>&1
check "binding the same fid again queues nothing new" 1 "$(o82_njobs 845)"
out=$(rc_ctl jobs 2>&1)
check_match "replycastctl jobs lists it" $'845\tqueued\t0' "$out"

if ! hub_start "$X82"; then
	nok "fixture server starts" "$(cat "$T_OUT"/httpd-*.err 2>/dev/null | tail -3)"
else
	ok "fixture server starts"
	export RC_HUB_URL=$HUB_URL RC_JOB_LEASE_S=3 RC_JOB_BACKOFF_S=2 RC_JOB_MAX_ATTEMPTS=3 RC_JOB_POLL_MS=200
	o82_dash_restart
	services_start
	check "with a Hub, the worker and the follower run under multiwatch" "1 1" \
		"$(pid_alive "$(svc_pid worker)" && echo 1) $(pid_alive "$(svc_pid follow)" && echo 1)"
	svc_stop follow
	# Short Hub retries: a failing page fails its attempt at once.
	svc_start worker "$RC_PREFIX/bin/replycast-worker" --attempts 2

	# A new user with a fid: figures with no command typed.
	o82_add t82a 820
	o82_wait 820 "state = 'done'" 30
	check "the backfill of a new fid finishes" "done 1" "$(o82_job 820)"
	check "it stored the user's casts, the mentions and the replies" "6 4 1" \
		"$(hq "SELECT (SELECT count(*) FROM casts WHERE fid = 820), (SELECT count(*) FROM inbound WHERE fid = 820), (SELECT count(*) FROM inbound WHERE fid = 820 AND answer_hash IS NOT NULL)" | tr '|' ' ')"
	check "the job counts its pages and casts" "14 10 null" "$(hq "SELECT pages || ' ' || casts || ' ' || coalesce(last_error, 'null') FROM jobs WHERE fid = 820")"
	check "the figures: 4 inbound, 1 answered in 10 min" "4 1 600" "$(o82_stats 820 | jq -r '"\(.inbound) \(.answered) \(.reply_seconds.median)"')"
	o82_page t82a '?from=2025-01-01&to=2025-01-31'
	check "overview after the backfill: figures, no banner" "1 0" \
		"$(grep -c 'id="median">10 min<' <<<"$R_BODY") $(grep -c 'id="import"' <<<"$R_BODY")"
	o82_import t82a
	check "GET /api/v1/me/import: done" "done true 14 10" "$(jget .state) $(jget .hub_configured) $(jget .pages) $(jget .casts)"

	# Bind (not add) a fid whose pages come slowly; kill -9 the worker in
	# the middle; multiwatch restarts it and the job goes on after its lease.
	o82_add t82b 839
	o82_wait 839 "state = 'done'" 30
	rc_ctl user bind t82b 830 >/dev/null 2>&1
	if o82_wait 830 "state = 'running' AND pages >= 1" 30; then
		o82_page t82b
		check_match "overview while importing: the banner" 'Importing your casts: [0-9]+ so far, started [0-9]+ s ago' "$R_BODY"
		# No timed refresh (WCAG 2.2.1; axe's meta-refresh rule): a link.
		check "overview while importing: no meta refresh, a link to check again" "0 1" \
			"$(grep -c 'http-equiv="refresh"' <<<"$R_BODY") $(grep -c '<a href="">Check again</a>' <<<"$R_BODY")"
		w1=$(svc_child worker)
		kill -9 "$w1"
		for _ in $(seq 100); do w2=$(svc_child worker); [ -n "$w2" ] && [ "$w2" != "$w1" ] && break; sleep 0.1; done
		check "multiwatch restarts the killed worker" 1 "$([ -n "$w2" ] && [ "$w2" != "$w1" ] && echo 1)"
		o82_wait 830 "state = 'done'" 40
		check "the job is taken again after its lease and finishes" "done 2" "$(o82_job 830)"
		check "after kill -9: exact counts" "6 4 1" \
			"$(hq "SELECT (SELECT count(*) FROM casts WHERE fid = 830), (SELECT count(*) FROM inbound WHERE fid = 830), (SELECT count(*) FROM inbound WHERE fid = 830 AND answer_hash IS NOT NULL)" | tr '|' ' ')"
		check "after kill -9: the same figures as a clean run" "$(o82_stats 820)" "$(o82_stats 830)"
		check "the resumed run did not fetch the first page again" 1 "$(grep -c 'castsByFid/fid=830.json 200' "$HUB_LOG")"
	else
		nok "the slow backfill starts" "$(o82_job 830)"
	fi
	rc_ctl user bind t82b 830 >/dev/null 2>&1
	rc_ctl user bind t82b 0 >/dev/null 2>&1
	rc_ctl user bind t82b 830 >/dev/null 2>&1
	check "a second bind of a backfilled fid queues nothing new" 1 "$(o82_njobs 830)"

	# A Hub that keeps failing: the error is kept, retries wait 2 s, then 4 s.
	o82_add t82c 840
	if o82_wait 840 "state = 'queued' AND attempts = 1" 20; then
		check_match "a failed attempt keeps the Hub's error" 'GET http://127.0.0.1:[0-9]+/v1/castsByFid\?fid=840.*HTTP 500' "$(hq "SELECT last_error FROM jobs WHERE fid = 840")"
		check "the first retry waits RC_JOB_BACKOFF_S" 2 "$(hq "SELECT round(extract(epoch FROM next_attempt_at - updated_at)) FROM jobs WHERE fid = 840")"
		o82_page t82c
		check_match "overview: the import failed and will retry" 'Importing your casts failed, and will retry in [0-9]+ s' "$R_BODY"
		check_match "overview: why it failed" 'Why: GET http://127.0.0.1:[0-9]+/v1/castsByFid\?fid=840&amp;pageSize=100: ' "$R_BODY"
		o82_import t82c
		check_match "GET /api/v1/me/import: queued with the error and when" 'queued [12] .*HTTP 500.* 20[0-9-]+T' "$(jget .state) $(jget .attempts) $(jget .last_error) $(jget .next_attempt_at)"
	else
		nok "a failing Hub fails the first attempt" "$(o82_job 840)"
	fi
	o82_wait 840 "state = 'queued' AND attempts = 2" 20
	check "the second retry waits twice as long" 4 "$(hq "SELECT round(extract(epoch FROM next_attempt_at - updated_at)) FROM jobs WHERE fid = 840")"
	o82_wait 840 "state = 'failed'" 30
	check "after RC_JOB_MAX_ATTEMPTS the job stays failed, with its error" "failed 3 1" \
		"$(o82_job 840) $(hq "SELECT count(*) FROM jobs WHERE fid = 840 AND last_error LIKE '%HTTP 500%'")"
	check "each attempt asked the Hub (2 tries each)" 6 "$(grep -c 'castsByFid/fid=840.json 500' "$HUB_LOG")"
	o82_page t82c
	check_match "overview: failed for good, what an operator can do" 'will not retry by itself.*replycastctl jobs retry 840' "$(tr '\n' ' ' <<<"$R_BODY")"
	out=$(rc_ctl jobs retry 840 2>&1)
	check "jobs retry queues it again" "fid 840: backfill queued 2" "$out $(o82_njobs 840)"

	svc_stop worker
	check "the worker stops with SIGTERM" "" "$(svc_child worker)"
	unset RC_JOB_LEASE_S RC_JOB_BACKOFF_S RC_JOB_MAX_ATTEMPTS RC_JOB_POLL_MS
fi
export RC_HUB_URL=$O82_HUB
o82_dash_restart
hub_stop_all
trap - EXIT
