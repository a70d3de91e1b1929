# shellcheck shell=bash
# Goal alerts and weekly digests (issue 19 item 6): the settings through
# the API (bad input refused, nothing lost), replycast-worker against a
# constructed user with an owed reply near its goal, the webhook's
# HMAC-SHA256 checked with openssl as docs/alerts.md shows, the digest's
# figures, kill -9 of the worker mid-send (the same id again, nothing
# twice), and the mini-app events (JSON Farcaster Signatures, the Hub's app
# key) and notifications.  Receivers: tests/tools/fixture_recv.  Fids
# 880-889, usernames t88*.
A88_RECV=$RC_ROOT/build/$RC_MODE/tests/tools/fixture_recv
A88_SIGN=$RC_ROOT/build/$RC_MODE/tests/tools/jfs_sign
A88_HTTPD=$RC_ROOT/build/$RC_MODE/tests/tools/fixture_httpd
A88_DIR=$T_OUT/alerts88
A88_HUBDIR=$T_OUT/alerts88-hub
A88_HUB_PORT=${RC_TEST_FIXTURE_PORT:-$((RC_HTTP_PORT + 70))}
PW88=t88-Correct-Horse-42
A88_SEED=$(printf '%064x' 880)
A88_PIDS=""
a88q() { pg_psql -d replycast -tAc "$1"; }
a88_token() {
	curl -sk "$RC_HTTPS/auth/login" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$PW88\"}" | jq -r .access_token
}
# a88_api METHOD PATH [BODY]: as t88a.
a88_api() {
	if [ $# -gt 2 ]; then
		req "$1" "$RC_HTTPS$2" -H "Authorization: Bearer $A88_TOK" -H 'Content-Type: application/json' -d "$3"
	else
		req "$1" "$RC_HTTPS$2" -H "Authorization: Bearer $A88_TOK"
	fi
}
# a88_n: how many requests the receiver kept.
a88_n() { find "$A88_DIR" -name '*.head' 2>/dev/null | wc -l; }
# a88_wait N [SECONDS]: until the receiver kept N requests.
a88_wait() {
	local i
	for i in $(seq $((${2:-20} * 10))); do
		[ "$(a88_n)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# a88_reqs PATH: the numbers of the requests for PATH, in order.
a88_reqs() { grep -l "^POST $1 " "$A88_DIR"/*.head 2>/dev/null | sed 's|.*/||; s|\.head$||' | sort -n; }
# a88_hdr N NAME: header NAME of request N.
a88_hdr() { tr -d '\r' <"$A88_DIR/$1.head" | grep -i "^$2:" | head -1 | cut -d' ' -f2-; }
# a88_verify N SECRET: as docs/alerts.md, "ok" when request N's signature holds.
a88_verify() {
	local ts sig want
	ts=$(a88_hdr "$1" X-Replycast-Timestamp)
	sig=$(a88_hdr "$1" X-Replycast-Signature)
	want=$({ printf '%s.' "$ts"; cat "$A88_DIR/$1.body"; } | openssl dgst -sha256 -hmac "$2" -r | cut -d' ' -f1)
	[ "$sig" = "v1=$want" ] && echo ok || echo "bad: $sig, want v1=$want"
}
a88_stop() {
	local p
	for p in $A88_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	A88_PIDS=""
}
trap 'a88_stop; svc_stop worker' EXIT

rm -rf "$A88_DIR" "$A88_HUBDIR"
mkdir -p "$A88_DIR"
A88_PORT=""
for p in $(seq $((RC_HTTP_PORT + 71)) $((RC_HTTP_PORT + 79))); do
	"$A88_RECV" "$p" "$A88_DIR" >"$T_OUT/recv88.out" 2>"$T_OUT/recv88.err" &
	pid=$!
	for _ in $(seq 50); do grep -q ready "$T_OUT/recv88.out" 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	if grep -q ready "$T_OUT/recv88.out" 2>/dev/null; then A88_PORT=$p; A88_PIDS="$A88_PIDS $pid"; break; fi
done
check "t_88: the receiver listens" 1 "$([ -n "$A88_PORT" ] && echo 1)"
A88_HOOK=http://127.0.0.1:$A88_PORT/hook

# A constructed user: tracked already (no backfill is queued), settings.
a88q "INSERT INTO tracked (fid) VALUES (880) ON CONFLICT DO NOTHING" >/dev/null
printf '%s\n' "$PW88" | rc_ctl user add t88a --fid 880 --password-stdin >/dev/null 2>&1
A88_TOK=$(a88_token t88a)

# Bad input: a clear problem, and nothing changes.
a88_api GET /api/v1/me/alerts
check "GET /api/v1/me/alerts: the defaults" "200 false 900 false mon 9 null false" \
	"$R_CODE $(jget .goal_alert) $(jget .goal_before_seconds) $(jget .digest) $(jget .digest_day) $(jget .digest_hour) $(jget .webhook_url) $(jget .webhook_secret_set)"
A88_BEFORE=$R_BODY
a88_api PUT /api/v1/me/alerts '{"goal_alert":true,"webhook_url":"http://hooks.example.com/x"}'
check "an http:// webhook URL to another host: 400 problem+json" "400 application/problem+json" "$R_CODE $(header Content-Type)"
check_match "the problem names the member and the rule" 'webhook_url: must be an https:// URL' "$(jget .detail)"
a88_api PUT /api/v1/me/alerts '{"goal_alert":true,"goal_before_seconds":5}'
check_match "goal_before_seconds out of range: 400" '400 goal_before_seconds: a whole number from 60 to 86400' "$R_CODE $(jget .detail)"
a88_api PUT /api/v1/me/alerts '{"goal_alert":true,"loud":1}'
check_match "an unknown member: 400" '400 loud: not a setting' "$R_CODE $(jget .detail)"
a88_api PUT /api/v1/me/alerts '{"digest_day":"someday"}'
check "a bad digest day: 400" 400 "$R_CODE"
req PUT "$RC_HTTPS/api/v1/me/alerts" -H "Authorization: Bearer $A88_TOK" -H 'Content-Type: text/plain' -d '{}'
check "not JSON: 415" 415 "$R_CODE"
a88_api GET /api/v1/me/alerts
check "refused changes changed nothing" "$A88_BEFORE" "$R_BODY"
a88_api POST /api/v1/me/alerts/secret '{}'
check "a secret without a webhook URL: 409" 409 "$R_CODE"

a88_api PUT /api/v1/me/alerts "{\"goal_alert\":true,\"goal_before_seconds\":900,\"digest\":true,\"digest_day\":\"mon\",\"digest_hour\":9,\"webhook_url\":\"$A88_HOOK\"}"
A88_SECRET=$(jget .webhook_secret)
check "PUT: saved, and the new secret shown once" "200 true 900 true $A88_HOOK true" \
	"$R_CODE $(jget .goal_alert) $(jget .goal_before_seconds) $(jget .digest) $(jget .webhook_url) $(jget .webhook_secret_set)"
check_match "the secret: rcwh_ and 43 base64url characters" '^rcwh_[A-Za-z0-9_-]{43}$' "$A88_SECRET"
a88_api GET /api/v1/me/alerts
check "GET never shows the secret again" "null true" "$(jget .webhook_secret) $(jget .webhook_secret_set)"
a88_api PUT /api/v1/me/alerts '{"goal_before_seconds":900}'
check "a second PUT makes no new secret" "200 null" "$R_CODE $(jget .webhook_secret)"
check "the schedule: goal now, digest next Monday 09:00 UTC" "digest goal 1 09:00" \
	"$(a88q "SELECT string_agg(kind, ' ' ORDER BY kind) FROM alert_schedule WHERE fid = 880") $(a88q "SELECT extract(isodow FROM next_due_at AT TIME ZONE 'UTC') || ' ' || to_char(next_due_at AT TIME ZONE 'UTC', 'HH24:MI') FROM alert_schedule WHERE fid = 880 AND kind = 'digest'")"

check "rc_digest_next: Friday 17:00 in Berlin is 16:00 UTC in December" "2026-12-04 16:00:00+00" \
	"$(a88q "SET TIME ZONE 'UTC'; SELECT rc_digest_next('Europe/Berlin', 5, 17, '2026-12-01 12:00Z')")"
check "rc_digest_next: the same weekday later today, or next week once past" "2026-12-01 18:00:00+00 2026-12-08 10:00:00+00" \
	"$(a88q "SET TIME ZONE 'UTC'; SELECT rc_digest_next('UTC', 2, 18, '2026-12-01 12:00Z')") $(a88q "SET TIME ZONE 'UTC'; SELECT rc_digest_next('UTC', 2, 10, '2026-12-01 12:00Z')")"
check "rc_digest_next: across a DST change, still 09:00 local (New York, after 2026-11-01)" "2026-11-02 14:00:00+00" \
	"$(a88q "SET TIME ZONE 'UTC'; SELECT rc_digest_next('America/New_York', 1, 9, '2026-10-30 12:00Z')")"

# Casts: A waits 50 min (goal 1 h, alert 15 min before: due), B 10 min
# (not yet), C 2 h (missed already: too late to warn); in the week before
# the digest's time two answered in 600 s and 1200 s, in the week before
# that one in 3000 s.
A88_END=$(a88q "SELECT extract(epoch FROM rc_digest_next('UTC', 1, 9, now() - interval '7 days'))::bigint")
a88_in() {	# HASHNUM AUTHOR AGE_OR_TS [RT]
	a88q "INSERT INTO inbound (fid, hash, author_fid, ts, kind, answered_at, rt) VALUES (880, decode(lpad(to_hex($1), 40, '0'), 'hex'), $2, $3, 2, CASE WHEN $4::int IS NULL THEN NULL ELSE $3 + make_interval(secs => $4::int) END, $4::int)" >/dev/null
}
a88q "INSERT INTO profiles (fid, username) VALUES (881, 't88x'), (882, 't88y') ON CONFLICT DO NOTHING" >/dev/null
a88_in 8801 881 "now() - interval '50 minutes'" NULL
a88_in 8802 881 "now() - interval '10 minutes'" NULL
a88_in 8803 882 "now() - interval '2 hours'" NULL
a88_in 8804 882 "to_timestamp($A88_END - 86400)" 600
a88_in 8805 881 "to_timestamp($A88_END - 2 * 86400)" 1200
a88_in 8806 882 "to_timestamp($A88_END - 9 * 86400)" 3000
# D waits 50 min too, but the user liked it and likes count for them: it is
# acknowledged, so no goal alert and not among the owed (the answer
# definition is the figures', docs/engine.md).
a88_in 8870 881 "now() - interval '50 minutes'" NULL
a88q "INSERT INTO likes (fid, target_hash, ts) VALUES (880, decode(lpad(to_hex(8870), 40, '0'), 'hex'), now())" >/dev/null
a88_api PUT /api/v1/me/settings '{"likes":true}'
check "t_88: likes count for the user" "200 true" "$R_CODE $(jget .likes)"
A88_HA=0x$(printf '%040x' 8801)

# The worker, as script/server runs it, without a Hub: alerts only.
A88_HUB_SAVED=${RC_HUB_URL:-}
export RC_HUB_URL='' RC_ALERT_TICK_S=1 RC_JOB_LEASE_S=3 RC_JOB_BACKOFF_S=1 RC_APP_URL=https://rc.example
svc_start worker "$RC_PREFIX/bin/replycast-worker"
a88_wait 1 20
check "one goal alert arrives" "1 POST /hook goal-880-$A88_HA" \
	"$(a88_n) $(head -1 "$A88_DIR/1.head" | cut -d' ' -f1-2) $(a88_hdr 1 X-Replycast-Delivery)"
check "its HMAC-SHA256 over timestamp.body verifies with openssl" ok "$(a88_verify 1 "$A88_SECRET")"
check_match "a wrong secret does not verify" '^bad' "$(a88_verify 1 "${A88_SECRET}x")"
check "the timestamp is now (replays can be refused)" 1 \
	"$(( $(date +%s) - $(a88_hdr 1 X-Replycast-Timestamp) < 60 ? 1 : 0 ))"
check "the body: the cast, its author, goal and due time, a link" \
	"goal_alert goal-880-$A88_HA $A88_HA 881 t88x 3600 https://rc.example/inbox" \
	"$(jq -r '"\(.type) \(.id) \(.cast.hash) \(.cast.author_fid) \(.cast.author_username) \(.cast.goal_seconds) \(.url)"' "$A88_DIR/1.body")"
sleep 3
check "later rounds send nothing again" "1 1 sent" \
	"$(a88_n) $(a88q "SELECT count(*) FROM deliveries WHERE fid = 880") $(a88q "SELECT state FROM deliveries WHERE fid = 880")"

# The digest, due now; the receiver holds its answer 2.5 s and the worker
# is killed (kill -9) meanwhile.  multiwatch starts a new one, which sends
# the same delivery again after its lease, with the same id.
echo 2500 >"$A88_DIR/hook.delay"
a88q "UPDATE alert_schedule SET next_due_at = now() - interval '1 minute' WHERE fid = 880 AND kind = 'digest'" >/dev/null
if a88_wait 2 20; then
	w1=$(svc_child worker)
	kill -9 "$w1"
	rm -f "$A88_DIR/hook.delay"
	for _ in $(seq 100); do w2=$(svc_child worker); [ -n "$w2" ] && [ "$w2" != "$w1" ] && break; sleep 0.1; done
	check "multiwatch restarts the killed worker" 1 "$([ -n "$w2" ] && [ "$w2" != "$w1" ] && echo 1)"
	a88_wait 3 20
	A88_WEEK=$(a88q "SELECT to_char(to_timestamp($A88_END) AT TIME ZONE 'UTC', 'IYYY-\"W\"IW')")
	check "after the kill: the digest again, with the same id" "digest-880-$A88_WEEK digest-880-$A88_WEEK" \
		"$(a88_hdr 2 X-Replycast-Delivery) $(a88_hdr 3 X-Replycast-Delivery)"
	check "the same body, a new signature that verifies" "same ok" \
		"$(cmp -s "$A88_DIR/2.body" "$A88_DIR/3.body" && echo same) $(a88_verify 3 "$A88_SECRET")"
	check "one digest row, sent on its second attempt; the schedule moved to next week" "1 sent 2 1" \
		"$(a88q "SELECT count(*) FROM deliveries WHERE fid = 880 AND kind = 'digest'") $(a88q "SELECT state || ' ' || attempts FROM deliveries WHERE fid = 880 AND kind = 'digest'") $(a88q "SELECT (next_due_at > now() + interval '1 day')::int FROM alert_schedule WHERE fid = 880 AND kind = 'digest'")"
	check "the digest: median and p90 against last week, rate, owed, top waiting" \
		"digest $A88_WEEK 900 1140 3000 1 3 881:2 882:1" \
		"$(jq -r '"\(.type) \(.week) \(.this_week.median_seconds) \(.this_week.p90_seconds|floor) \(.last_week.median_seconds) \(.this_week.reply_rate) \(.owed) \(.top_waiting|map("\(.fid):\(.owed)")|join(" "))"' "$A88_DIR/2.body")"
else
	nok "the digest arrives" "$(a88_n) requests; $(tail -3 "$RC_VAR/log/worker.log")"
fi
# The same week's digest due again (a schedule put back, a restart): no
# second row, nothing sent.
a88q "UPDATE alert_schedule SET next_due_at = now() - interval '1 minute' WHERE fid = 880 AND kind = 'digest'" >/dev/null
sleep 3
check "the same week again sends nothing" "3 1" "$(a88_n) $(a88q "SELECT count(*) FROM deliveries WHERE fid = 880 AND kind = 'digest'")"
check "each goal alert went once over the kill and restart" 1 \
	"$(grep -l "X-Replycast-Delivery: goal-" "$A88_DIR"/*.head | wc -l)"

# Mini-app events: a JSON Farcaster Signature by an app key the Hub lists.
# (The first cast is answered now, so only the next one notifies.)
a88q "UPDATE inbound SET answered_at = now(), rt = 3100 WHERE fid = 880 AND hash = decode(lpad(to_hex(8801), 40, '0'), 'hex')" >/dev/null
A88_KEY=$("$A88_SIGN" "$A88_SEED")
mkdir -p "$A88_HUBDIR/v1/onChainSignersByFid"
printf '{"events":[{"type":"EVENT_TYPE_SIGNER","fid":880,"signerEventBody":{"key":"%s","keyType":1,"eventType":"SIGNER_EVENT_TYPE_ADD"}}]}\n' \
	"$A88_KEY" >"$A88_HUBDIR/v1/onChainSignersByFid/fid=880.json"
"$A88_HTTPD" "$A88_HUB_PORT" "$A88_HUBDIR" >"$T_OUT/hub88.out" 2>"$T_OUT/hub88.err" &
A88_PIDS="$A88_PIDS $!"
for _ in $(seq 100); do grep -q ready "$T_OUT/hub88.out" 2>/dev/null && break; sleep 0.05; done
A88_EV="{\"event\":\"notifications_enabled\",\"notificationDetails\":{\"url\":\"http://127.0.0.1:$A88_PORT/notify\",\"token\":\"t88-token\"}}"
a88_hook() { req POST "$RC_HTTPS/api/v1/miniapp/webhook" -H 'Content-Type: application/json' -d "$1"; }
a88_hook "$("$A88_SIGN" "$A88_SEED" 880 app_key "$A88_EV" | jq -c '.payload |= (.[:-2] + "AA")')"
check "a tampered payload: 401" "401 application/problem+json" "$R_CODE $(header Content-Type)"
a88_hook "$("$A88_SIGN" "$A88_SEED" 880 custody "$A88_EV")"
check_match "a custody-signed event (not an app key): 401" '401 .*type must be app_key' "$R_CODE $(jget .detail)"
a88_hook "$("$A88_SIGN" "$(printf '%064x' 881)" 880 app_key "$A88_EV")"
check_match "a key the Hub does not list for the fid: 401" '401 key: not an active app key' "$R_CODE $(jget .detail)"
a88_hook '{"header":"x"}'
check "not a JSON Farcaster Signature: 400" 400 "$R_CODE"
check "refused events stored nothing" 0 "$(a88q "SELECT count(*) FROM miniapp_tokens WHERE fid = 880")"
a88_hook "$("$A88_SIGN" "$A88_SEED" 880 app_key "$A88_EV")"
check "notifications_enabled, verified: stored" "200 notifications_enabled true 1" \
	"$R_CODE $(jget .event) $(jget .notifications) $(a88q "SELECT count(*) FROM miniapp_tokens WHERE fid = 880 AND enabled AND token = 't88-token'")"
a88_api GET /api/v1/me/alerts
check "the settings count one mini-app notification" 1 "$(jget .miniapp_notifications)"

# A new owed cast near its goal: the webhook and the client both hear of
# it; the client says the token is invalid, so it is switched off.
echo '{"result":{"successfulTokens":[],"invalidTokens":["t88-token"],"rateLimitedTokens":[]}}' >"$A88_DIR/notify.answer"
a88_in 8807 882 "now() - interval '55 minutes'" NULL
A88_H7=0x$(printf '%040x' 8807)
a88_wait 5 20
A88_N=$A88_DIR/$(a88_reqs /notify | head -1)
check "the mini-app notification: id, title, target, token" \
	"goal-880-$A88_H7 A reply is due soon https://rc.example/inbox t88-token" \
	"$(jq -r '"\(.notificationId) \(.title) \(.targetUrl) \(.tokens|join(","))"' "$A88_N.body" 2>/dev/null)"
sleep 2
check "invalidTokens switch the token off" f "$(a88q "SELECT enabled FROM miniapp_tokens WHERE fid = 880")"

# Enabled again with a new token; the client rate-limits the next
# notification once: it is sent again after RC_JOB_BACKOFF_S, with the
# same notificationId.
rm -f "$A88_DIR/notify.answer"
echo '{"result":{"successfulTokens":[],"invalidTokens":[],"rateLimitedTokens":["t88-token2"]}}' >"$A88_DIR/notify.answer.2"
a88_hook "$("$A88_SIGN" "$A88_SEED" 880 app_key "${A88_EV/t88-token/t88-token2}")"
check "enabled again with a new token" "200 1" "$R_CODE $(a88q "SELECT count(*) FROM miniapp_tokens WHERE fid = 880 AND enabled AND token = 't88-token2'")"
a88_in 8808 882 "now() - interval '55 minutes'" NULL
A88_H8=0x$(printf '%040x' 8808)
for _ in $(seq 100); do [ "$(a88_reqs /notify | wc -l)" -ge 3 ] && break; sleep 0.1; done
check "rateLimitedTokens: tried again, with the same notificationId" \
	"goal-880-$A88_H8 goal-880-$A88_H8" \
	"$(for n in $(a88_reqs /notify | tail -2); do jq -r .notificationId "$A88_DIR/$n.body"; done | tr '\n' ' ' | sed 's/ $//')"
sleep 1
check "then sent, in two attempts" "sent 2" "$(a88q "SELECT state || ' ' || attempts FROM deliveries WHERE fid = 880 AND period = '$A88_H8' AND channel = 'miniapp'")"

a88_hook "$("$A88_SIGN" "$A88_SEED" 880 app_key '{"event":"notifications_disabled"}')"
check "notifications_disabled: 200, off" "200 false 0" "$R_CODE $(jget .notifications) $(a88q "SELECT count(*) FROM miniapp_tokens WHERE fid = 880 AND enabled")"

# Falling behind: t88b (goal 1 min, in a zone where today began over an
# hour ago) answered 1 of today's 4 casts within the goal; the alert is
# at 80 %: one alert today, not one per round.
A88_TZ=$(a88q "SELECT CASE WHEN extract(hour FROM now() AT TIME ZONE 'UTC') >= 1 THEN 'UTC' ELSE 'Asia/Tokyo' END")
a88q "INSERT INTO tracked (fid) VALUES (885) ON CONFLICT DO NOTHING" >/dev/null
printf '%s\n' "$PW88" | rc_ctl user add t88b --fid 885 --password-stdin >/dev/null 2>&1
a88q "INSERT INTO user_settings (fid, tz, goal_seconds) VALUES (885, '$A88_TZ', 60)" >/dev/null
for i in 1 2 3 4; do
	a88q "INSERT INTO inbound (fid, hash, author_fid, ts, kind, answered_at, rt) VALUES (885, decode(lpad(to_hex(8850 + $i), 40, '0'), 'hex'), 886, now() - make_interval(mins => 4 + $i), 2, CASE WHEN $i = 1 THEN now() - make_interval(mins => 4 + $i) + interval '30 seconds' END, CASE WHEN $i = 1 THEN 30 END)" >/dev/null
done
A88_TOKB=$(a88_token t88b)
req PUT "$RC_HTTPS/api/v1/me/alerts" -H "Authorization: Bearer $A88_TOKB" -H 'Content-Type: application/json' \
	-d "{\"share_alert\":true,\"share_threshold\":0.8,\"webhook_url\":\"http://127.0.0.1:$A88_PORT/hook2\"}"
A88_SECRETB=$(jget .webhook_secret)
A88_DAY=$(a88q "SELECT to_char(now() AT TIME ZONE '$A88_TZ', 'YYYY-MM-DD')")
if a88_wait 9 20; then
	A88_S=$(a88_reqs /hook2 | head -1)
	check "falling behind: one alert for today, signed" "share-885-$A88_DAY ok" "$(a88_hdr "$A88_S" X-Replycast-Delivery) $(a88_verify "$A88_S" "$A88_SECRETB")"
	check "its body: today's casts due, within goal, the share and threshold" "share_alert $A88_DAY 4 1 0.25 0.8 60" \
		"$(jq -r '"\(.type) \(.day) \(.due) \(.within_goal) \(.share) \(.threshold) \(.goal_seconds)"' "$A88_DIR/$A88_S.body")"
else
	nok "falling behind: the alert arrives" "$(a88_n) requests"
fi
sleep 2
check "falling behind: once a day, not once a round" "1 1" "$(a88_reqs /hook2 | wc -l) $(a88q "SELECT count(*) FROM deliveries WHERE fid = 885")"

a88_api GET /api/v1/me/deliveries
check "GET /api/v1/me/deliveries: newest first, each sent" "200 6 sent,sent,sent,sent,sent,sent" \
	"$R_CODE $(jget '.deliveries|length') $(jget '[.deliveries[].state]|join(",")')"
# The Settings page lists what was sent, in words.
A88_CJ=$T_OUT/alerts88.cookies
rm -f "$A88_CJ"
curl -sk -c "$A88_CJ" -o /dev/null "$RC_HTTPS/login"
curl -sk -b "$A88_CJ" -c "$A88_CJ" -o /dev/null --data-urlencode username=t88a --data-urlencode "password=$PW88" \
	--data-urlencode "csrf_token=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$A88_CJ")" "$RC_HTTPS/auth/login"
A88_PAGE=$(curl -sk -b "$A88_CJ" "$RC_HTTPS/settings" | tr '\n' ' ')
check_match "Settings: the alerts section, checked as saved" 'id="goal_alert" name="goal_alert" value="1" checked.*id="digest" name="digest" value="1" checked' "$A88_PAGE"
check "Settings: recently sent, five rows, newest first" "5 Your week of replies" \
	"$(grep -o '<tr><td>[^<]*</td><td>[a-z]*</td><td>sent' <<<"$A88_PAGE" | wc -l) $(grep -o 'Your week of replies' <<<"$A88_PAGE" | head -1)"

a88_api POST /api/v1/me/alerts/secret '{}'
A88_NEW=$(jget .webhook_secret)
check "rotating the secret: a new one" 1 "$([ -n "$A88_NEW" ] && [ "$A88_NEW" != "$A88_SECRET" ] && [ "$A88_NEW" != null ] && echo 1)"

# A channel with its own goal (2 h): its casts are warned of against that
# goal, as the channels figure counts them; signed with the new secret.
A88_CH=https://warpcast.com/~/channel/t88
a88q "INSERT INTO user_channel_goals (fid, parent_url, goal_seconds) VALUES (880, '$A88_CH', 7200)" >/dev/null
for n in 8809 8810; do
	a88q "INSERT INTO casts (hash, fid, ts, text, parent_url, mentions) VALUES (decode(lpad(to_hex($n), 40, '0'), 'hex'), 883, now() - interval '$([ $n = 8809 ] && echo 50 || echo 110) minutes', 't88 @t88a', '$A88_CH', '{880}')" >/dev/null
	a88_in "$n" 883 "now() - interval '$([ $n = 8809 ] && echo 50 || echo 110) minutes'" NULL
done
A88_H10=0x$(printf '%040x' 8810)
if a88_wait 10 20; then
	A88_C=$(a88_reqs /hook | tail -1)
	check "a channel's goal: the alert comes against it, signed with the new secret" "goal-880-$A88_H10 7200 ok" \
		"$(a88_hdr "$A88_C" X-Replycast-Delivery) $(jq -r .cast.goal_seconds "$A88_DIR/$A88_C.body") $(a88_verify "$A88_C" "$A88_NEW")"
else
	nok "a channel's goal: the alert arrives" "$(a88_n) requests"
fi
sleep 2
check "a channel's goal: a cast 50 min old is not yet near its 2 h goal" 0 \
	"$(a88q "SELECT count(*) FROM deliveries WHERE fid = 880 AND period = '0x$(printf '%040x' 8809)'")"

svc_stop worker
a88_stop
export RC_HUB_URL=$A88_HUB_SAVED
unset RC_ALERT_TICK_S RC_JOB_LEASE_S RC_JOB_BACKOFF_S RC_APP_URL
