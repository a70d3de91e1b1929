# shellcheck shell=bash
# The JSON API through nginx, on the data t_60_engine.sh loaded (alice is
# fid 10).  Tokens are made by hand here; t_90_auth.sh gets them by login.
A=$RC_HTTPS/api/v1
W="from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&tz=UTC"
T10=$(jwt_mint "$(jwt_claims 9001 10 user)")
TADM=$(jwt_mint "$(jwt_claims 9002 99 admin)")
auth10=(-H "Authorization: Bearer $T10")
authadm=(-H "Authorization: Bearer $TADM")

req GET "$A/users/10/summary?$W" "${auth10[@]}"
check "summary for one's own fid" 200 "$R_CODE"
check "the API serves the engine's figures" \
	"$(rc_ctl stats 10 --from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z --tz UTC | jq -cS .)" \
	"$(printf '%s' "$R_BODY" | jq -cS .)"
check "JSON content type" "application/json" "$(header Content-Type)"
check_match "an ETag" '^"[0-9a-f]{32}"$' "$(header ETag)"

req GET "$A/me/summary" "${auth10[@]}"
check "/me/summary is the token's fid" 10 "$(jget .fid)"
for ep in "unreplied" "distribution?$W" "heatmap?$W" "trend?$W&bucket=week" \
	"counterparts?$W&sort=median" "streak?$W"; do
	req GET "$A/users/10/$ep" "${auth10[@]}"
	check "GET ${ep%%\?*} is 200" 200 "$R_CODE"
done
# The trend of speed: each period is the summary of its own window.
sp4='[.inbound, .answered, .reply_seconds.median, .reply_seconds.p90, .within_goal_share] | @json'
for per in "month.current 1735776000 1738368000" "month.previous 1733184000 1735776000" \
	"week.current 1737763200 1738368000" "week.previous 1737158400 1737763200"; do
	read -r sp_per sp_from sp_to <<<"$per"
	req GET "$A/users/10/summary?from=$sp_from&to=$sp_to&tz=UTC" "${auth10[@]}"
	want=$(jget "$sp4")
	req GET "$A/users/10/speed-trend?to=2025-02-01T00:00:00Z&tz=UTC" "${auth10[@]}"
	check "speed-trend $sp_per is the summary of [$sp_from, $sp_to)" "$want" \
		"$(jget ".$sp_per | [.inbound, .answered, .median_seconds, .p90_seconds, .within_goal_share] | @json")"
done
check "speed-trend: evaluated at the window's end" 1738368000 "$(jget .evaluated_at)"
check "the API serves the engine's speed trend" \
	"$(rc_ctl stats 10 --what speed --to 2025-02-01T00:00:00Z --tz UTC | jq -cS 'del(.from)')" \
	"$(printf '%s' "$R_BODY" | jq -cS 'del(.from)')"
req GET "$A/me/speed-trend" "${auth10[@]}"
check "/me/speed-trend is the token's fid" "10 30 7" "$(jget '"\(.fid) \(.month.days) \(.week.days)"')"
req GET "$A/users/10/unreplied?limit=1" "${auth10[@]}"
c1=$(jget '.items[0].hash'); cur=$(jget .next_cursor)
req GET "$A/users/10/unreplied?limit=1&cursor=$cur" "${auth10[@]}"
check "unreplied keyset pagination moves on" 1 "$(jget '.items | length')"
[ "$(jget '.items[0].hash')" != "$c1" ] && ok "the second page holds the next cast" || nok "the second page holds the next cast"
req GET "$A/users/10/unreplied?kind=mention" "${auth10[@]}"
check "unreplied filtered by kind" "mention" "$(jget '[.items[].kind] | unique | join(",")')"

R_BODY=$(curl -sk "${auth10[@]}" "$A/users/10/export.csv")
check "CSV export: header" "hash,author_fid,author_username,time,kind,answer_hash,answered_at,reply_seconds,removed,text" "$(printf '%s\n' "$R_BODY" | head -1)"
check "CSV export: one row per inbound cast" "$(pg_psql -d replycast -tAc "SELECT count(*) FROM inbound WHERE fid = 10")" "$(( $(printf '%s\n' "$R_BODY" | wc -l) - 1 ))"

req GET "$A/users/20/summary" "${auth10[@]}"
check "another fid as user: 403" 403 "$R_CODE"
check "403 is problem+json" "urn:replycast:problem:forbidden" "$(jget .type)"
req GET "$A/users/20/summary?$W" "${authadm[@]}"
check "another fid as admin: 200" 200 "$R_CODE"
req GET "$A/users/424242/summary" "${authadm[@]}"
check "an unknown fid: 404" 404 "$R_CODE"

# Validation: 400 naming the parameter.
for case in "unreplied?limit=501|limit" "unreplied?limit=abc|limit" "summary?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z|from" \
	"summary?tz=Mars/Olympus|tz" "summary?colour=blue|colour" "trend?bucket=year|bucket" "unreplied?cursor=zzz|cursor" \
	"summary?from=1&from=2|from" "summary?to=yesterday|to"; do
	req GET "$A/users/10/${case%|*}" "${auth10[@]}"
	check "400 for ${case%|*}" 400 "$R_CODE"
	check_match "the problem names ${case#*|}" "^${case#*|}: " "$(jget .detail)"
done
req GET "$A/users/abc/summary" "${auth10[@]}"
check "a fid that is not a number: 404 (no such path)" 404 "$R_CODE"
req GET "$A/users/10/summary?tz=%27%3B%20DROP%20TABLE%20casts%3B--" "${auth10[@]}"
check "SQL meta-characters in a parameter: 400" 400 "$R_CODE"

# Tokens the API must refuse.
bad_tokens=(
	"expired|$(jwt_mint "$(jwt_claims 9001 10 user -10)")"
	"wrong audience|$(jwt_mint "$(jwt_claims 9001 10 user 900 someone-else)")"
	"wrong key|$(printf 'another-key-another-key-another-key-0123' >"$T_OUT/other.key"; jwt_mint "$(jwt_claims 9001 10 user)" "$T_OUT/other.key")"
	"alg none|$(printf '%s.%s.' "$(printf '{"alg":"none","typ":"JWT"}' | b64url)" "$(jwt_claims 9001 10 admin | b64url)")"
	"tampered|$(t=$T10; p=${t#*.}; p=${p%%.*}; printf '%s.%s.%s' "${t%%.*}" "$(jwt_claims 9001 10 admin | b64url)" "${t##*.}")"
	"garbage|not.a.token"
)
for bt in "${bad_tokens[@]}"; do
	req GET "$A/me/summary" -H "Authorization: Bearer ${bt#*|}"
	check "${bt%%|*} token: 401" 401 "$R_CODE"
done
req GET "$A/me/summary"
check "no credentials: 401" 401 "$R_CODE"
check_match "401 says how to authenticate" "Bearer" "$(header WWW-Authenticate)"

# Cache: a hit after a miss, 304 on the ETag, invalidation by an ingest.
u="$A/users/10/summary?$W"
req GET "$u" "${auth10[@]}"; first=$R_BODY; etag=$(header ETag)
req GET "$u" "${auth10[@]}"
check "the second read is a cache hit" hit "$(header X-Cache)"
check "the hit has the same body" "$first" "$R_BODY"
req GET "$u" "${auth10[@]}" -H "If-None-Match: $etag"
check "a matching If-None-Match: 304" 304 "$R_CODE"
check "304 has no body" "" "$R_BODY"
printf '%s\n' '{"type":"cast","hash":"0x00000000000000000000000000000000000000e2","fid":10,"time":"2025-01-06T11:30:00Z","text":"alice answers carol","parent_hash":"0x00000000000000000000000000000000000000c2","parent_fid":30}' >"$T_OUT/answer.jsonl"
req POST "$A/ingest" "${auth10[@]}" -H 'Content-Type: application/x-ndjson' --data-binary @"$T_OUT/answer.jsonl"
check "ingest needs admin or an ingest key" 403 "$R_CODE"
req POST "$A/ingest" "${authadm[@]}" -H 'Content-Type: application/x-ndjson' --data-binary @"$T_OUT/answer.jsonl"
check "ingest as admin: 200" 200 "$R_CODE"
check "ingest counts" "1 1" "$(jget '"\(.records) \(.casts_new)"')"
req GET "$u" "${auth10[@]}"
check "after an ingest the cache is not stale" miss "$(header X-Cache)"
check "the read model computed it (X-Engine)" memory "$(header X-Engine)"
check "the new answer counts" "$(( $(printf '%s' "$first" | jq .answered) + 1 ))" "$(jget .answered)"
req GET "$u" "${auth10[@]}" -H "If-None-Match: $etag"
check "the old ETag no longer matches" 200 "$R_CODE"
req POST "$A/ingest" "${authadm[@]}" -H 'Content-Type: application/json' --data-binary '{"nonsense":true}'
check "an ingest body of no known shape: 400" 400 "$R_CODE"
req POST "$A/ingest" "${authadm[@]}" -H 'Content-Type: text/plain' --data-binary 'x'
check "an ingest body of a wrong type: 415" 415 "$R_CODE"
# A user with one fact (below RC_CACHE_MIN_FACTS, 2 here): recomputed from
# memory on every read rather than stored in Redis; the ETag still holds.
printf '%s\n' '{"type":"cast","hash":"0x00000000000000000000000000000000000085f1","fid":30,"time":"2025-01-07T09:00:00Z","text":"hi","mentions":[85]}' >"$T_OUT/one.jsonl"
req POST "$A/ingest" "${authadm[@]}" -H 'Content-Type: application/x-ndjson' --data-binary @"$T_OUT/one.jsonl"
check "one fact for fid 85: 200" 200 "$R_CODE"
u85="$A/users/85/summary?$W"
req GET "$u85" "${authadm[@]}"; one=$R_BODY; etag85=$(header ETag)
check "fid 85 has one inbound" 1 "$(jget .inbound)"
req GET "$u85" "${authadm[@]}"
check "a one-fact user's second read is computed again (X-Cache miss)" miss "$(header X-Cache)"
check "from memory" memory "$(header X-Engine)"
check "the same body" "$one" "$R_BODY"
req GET "$u85" "${authadm[@]}" -H "If-None-Match: $etag85"
check "its ETag still answers 304" 304 "$R_CODE"

# Redis down: the API answers from PostgreSQL, same body.
req GET "$u" "${auth10[@]}"; cached=$R_BODY
redis_stop
req GET "$u" "${auth10[@]}"
check "Redis stopped: still 200" 200 "$R_CODE"
check "Redis stopped: the same body" "$cached" "$R_BODY"
check "Redis stopped: answered without the cache" bypass "$(header X-Cache)"
check "Redis stopped: no data version, so PostgreSQL computed it" "sql; reason=noversion" "$(header X-Engine)"
redis_start
sleep 0.3
req GET "$u" "${auth10[@]}"
check_match "Redis back: the cache is used again" '^(hit|miss)$' "$(header X-Cache)"

# Settings.
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' \
	--data-binary '{"tz":"Europe/Berlin","work_days":["mon","tue","wed","thu","fri"],"work_start":"09:00","work_end":"17:00","goal_seconds":1800,"muted":[30]}'
check "PUT settings: 200" 200 "$R_CODE"
check "settings stored" "Europe/Berlin mon,tue,wed,thu,fri 09:00 17:00 1800 30" \
	"$(jget '"\(.tz) \(.work_days | join(",")) \(.work_start) \(.work_end) \(.goal_seconds) \(.muted | join(","))"')"
req GET "$u" "${auth10[@]}"
check "settings change the figures at once (muted carol)" "$(printf '%s' "$first" | jq '.inbound - 1')" "$(jget .inbound)"
check "business hours appear" "true" "$(jget '.business_hours_seconds != null')"
for bad in '{"tz":"Nowhere/City"}|tz' '{"work_start":"18:00","work_end":"09:00","work_days":["mon"]}|work_start' \
	'{"goal_seconds":5}|goal_seconds' '{"muted":[-1]}|muted' '{"colour":"red"}|colour' '[1,2]|body'; do
	req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary "${bad%|*}"
	check "bad settings ${bad%|*}: 400" 400 "$R_CODE"
done
# Bodies are strict JSON (core/jparse.c): json-c's lax forms are refused, and
# whitespace after the object is JSON.
for bad in '{"goal_seconds":1800,}' '{/*c*/"goal_seconds":1800}' '{"goal_seconds":1800} x' \
	"{\"muted\":$(printf '[%.0s' {1..16})1$(printf ']%.0s' {1..16})}"; do
	req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary "$bad"
	check "not strict JSON or too deep ${bad:0:30}: 400" "400 body: not a JSON object" "$R_CODE $(jget .detail)"
done
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary $'{"goal_seconds":1800}\r\n'
check "a body with whitespace after the object: 200" 200 "$R_CODE"
# muted and bots take usernames and fids mixed (issue 20 item 3).
check "GET settings: muted_accounts names the fids" '[{"fid":30,"username":"carol","display_name":"Carol"}]' \
	"$(jget '.muted_accounts | tojson')"
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary '{"muted":["@Bob",30,"carol","4242424"],"bots":["@carol"]}'
check "PUT muted by @name, name and fid: 200" 200 "$R_CODE"
check "stored as distinct fids, in order" "20,30,4242424 30" "$(jget '"\(.muted | join(",")) \(.bots | join(","))"')"
check "muted_accounts: fid, username, display name; null without a profile" \
	'[{"fid":20,"username":"bob","display_name":"Bob <b>"},{"fid":30,"username":"carol","display_name":"Carol"},{"fid":4242424,"username":null,"display_name":null}]' \
	"$(jget '.muted_accounts | tojson')"
check "bots_accounts too" '[{"fid":30,"username":"carol","display_name":"Carol"}]' "$(jget '.bots_accounts | tojson')"
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary '{"muted":["@bob","@no-such-user"],"goal_seconds":600}'
check "an unknown username: 422 problem+json naming it" "422 urn:replycast:problem:unprocessable-content muted: no stored profile has the username @no-such-user" \
	"$R_CODE $(jget .type) $(jget .detail)"
check_match "422 is problem+json" '^application/problem\+json' "$(header Content-Type)"
req GET "$A/me/settings" "${auth10[@]}"
check "nothing of a refused change is stored" "20,30,4242424 1800" "$(jget '"\(.muted | join(",")) \(.goal_seconds)"')"
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary '{"bots":["b<b>"]}'
check "a string that is no username: 400" 400 "$R_CODE"
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary '{"bots":[]}'
req PUT "$A/me/settings" "${auth10[@]}" -H 'Content-Type: application/json' --data-binary '{"muted":[],"tz":"UTC","work_days":[]}'
check "settings reset" 200 "$R_CODE"

# Triage: done and snoozed casts leave the inbox, never the figures.
C3=0x00000000000000000000000000000000000000c1	# unanswered again since t_60 removed its answer
req GET "$A/users/10/summary?$W" "${auth10[@]}"; unanswered=$(jget .unanswered)
json=(-H 'Content-Type: application/json')
req PUT "$A/me/triage/$C3" "${auth10[@]}" "${json[@]}" --data-binary '{"state":"done"}'
check "mark done: 200" "200 done" "$R_CODE $(jget .state)"
req GET "$A/users/10/unreplied" "${auth10[@]}"
check "a done cast leaves the inbox" "" "$(jget '[.items[].hash] | map(select(. == "'$C3'")) | join(",")')"
req GET "$A/users/10/unreplied?show=done" "${auth10[@]}"
check "show=done lists it" "$C3 done" "$(jget '.items[0] | "\(.hash) \(.triage)"')"
req GET "$A/users/10/summary?$W" "${auth10[@]}"
check "a done cast still counts as unanswered" "$unanswered" "$(jget .unanswered)"
req DELETE "$A/me/triage/$C3" "${auth10[@]}"
check "undo: 204" 204 "$R_CODE"
req GET "$A/users/10/unreplied" "${auth10[@]}"
check "undone: back in the inbox" "$C3" "$(jget '[.items[].hash] | map(select(. == "'$C3'")) | join(",")')"
req PUT "$A/me/triage/$C3" "${auth10[@]}" "${json[@]}" --data-binary "{\"state\":\"snoozed\",\"until\":$(( $(date +%s) + 2 ))}"
check "snooze: 200" "200 snoozed" "$R_CODE $(jget .state)"
req GET "$A/users/10/unreplied?show=snoozed" "${auth10[@]}"
check "show=snoozed lists it" "$C3" "$(jget '[.items[].hash] | join(",")')"
req GET "$A/users/10/unreplied" "${auth10[@]}"
check "a snoozed cast leaves the inbox" "" "$(jget '[.items[].hash] | map(select(. == "'$C3'")) | join(",")')"
sleep 2.5
req GET "$A/users/10/unreplied" "${auth10[@]}"
check "when the snooze ends it comes back" "$C3" "$(jget '[.items[].hash] | map(select(. == "'$C3'")) | join(",")')"
for bad in '{"state":"later"}|state' '{"state":"snoozed","until":1}|until' '{"state":"snoozed"}|until' '{"state":"done","x":1}|body'; do
	req PUT "$A/me/triage/$C3" "${auth10[@]}" "${json[@]}" --data-binary "${bad%|*}"
	check "triage ${bad%|*}: 400 naming ${bad#*|}" "400 ${bad#*|}" "$R_CODE $(jget '.detail | split(":")[0]')"
done
req PUT "$A/me/triage/0x00000000000000000000000000000000000000ff" "${auth10[@]}" "${json[@]}" --data-binary '{"state":"done"}'
check "triage of a cast that is not yours: 404" 404 "$R_CODE"
req PUT "$A/me/triage/xyz" "${auth10[@]}" "${json[@]}" --data-binary '{"state":"done"}'
check "triage of a malformed hash: 400" 400 "$R_CODE"
req DELETE "$A/me/triage/$C3" "${auth10[@]}"
check "undo of an ended snooze: 204" 204 "$R_CODE"
req DELETE "$A/me/triage/$C3" "${auth10[@]}"
check "undo of an untriaged cast: 404" 404 "$R_CODE"

# The Neynar webhook.
secret=$(cat "$RC_VAR/secrets/neynar.secret")
hook() { # BODYFILE [SIGNATURE]
	local sig=${2-$(openssl dgst -sha512 -hmac "$secret" -hex <"$1" | sed 's/.*= //')}
	req POST "$A/webhooks/neynar" -H 'Content-Type: application/json' ${sig:+-H "X-Neynar-Signature: $sig"} --data-binary @"$1"
}
cat >"$T_OUT/hook.json" <<'JSON'
{"created_at":1736170000,"type":"cast.created","data":{"object":"cast","hash":"0x00000000000000000000000000000000000000e4","thread_hash":"0x00000000000000000000000000000000000000a1","parent_hash":"0x00000000000000000000000000000000000000c3","parent_author":{"fid":20},"author":{"object":"user","fid":10,"username":"alice","display_name":"Alice"},"text":"late answer via webhook","timestamp":"2025-01-06T15:00:00.000Z","mentioned_profiles":[],"embeds":[]}}
JSON
before=$(pg_psql -d replycast -tAc "SELECT count(*) FROM casts")
hook "$T_OUT/hook.json" 00
check "a bad signature: 401" 401 "$R_CODE"
hook "$T_OUT/hook.json" ""
check "a missing signature: 401" 401 "$R_CODE"
check "nothing stored without a good signature" "$before" "$(pg_psql -d replycast -tAc "SELECT count(*) FROM casts")"
hook "$T_OUT/hook.json"
check "a signed delivery: 200" 200 "$R_CODE"
check "the webhook cast is ingested" 1 "$(jget .casts_new)"
check "it answers the cast it replies to" 1 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM inbound WHERE fid = 10 AND hash = '\\x00000000000000000000000000000000000000c3' AND answer_hash IS NOT NULL")"
hook "$T_OUT/hook.json"
check "the same delivery twice changes nothing" "0 1" "$(jget '"\(.casts_new) \(.already_stored)"')"
printf '{"created_at":1,"type":"follow.created","data":{}}' >"$T_OUT/hook2.json"
hook "$T_OUT/hook2.json"
check "other event types are acknowledged" "200 ignored" "$R_CODE $(jget .status)"

# The OpenAPI document lists every route of the api and auth pools.
req GET "$A/openapi.json"
check "openapi.json is served" 200 "$R_CODE"
printf '%s' "$R_BODY" >"$T_OUT/openapi.json"
missing=""
for pool in api auth; do
	while read -r m path; do
		jq -e --arg p "$path" --arg m "$(echo "$m" | tr '[:upper:]' '[:lower:]')" '.paths[$p][$m]' "$T_OUT/openapi.json" >/dev/null || missing="$missing $m $path;"
	done < <("$RC_PREFIX/bin/replycast-$pool" --routes)
done
check "every route is in the OpenAPI document" "" "$missing"

# Rate limit: a burst past the bucket gets 429 with Retry-After.
T11=$(jwt_mint "$(jwt_claims 9011 10 user)")
codes=$(seq 300 | xargs -P 8 -I{} curl -sk -o /dev/null -w '%{http_code}\n' \
	-H "Authorization: Bearer $T11" "$A/me/summary" | sort | uniq -c | tr -s ' ')
check_match "past the burst: 429" '429' "$codes"
# The bucket refills one token a second: when the burst took longer than
# that, one more request is let through before the next 429.
for _ in 1 2 3; do
	req GET "$A/me/summary" -H "Authorization: Bearer $T11"
	[ "$R_CODE" = 429 ] && break
done
check_match "429 says when to come back" '^[0-9]+$' "$(header Retry-After)"
check "RateLimit-Remaining is 0" 0 "$(header RateLimit-Remaining)"

# Channels (issue 19, item 4): per parent_url of the inbound cast, with a
# goal per channel.  Own data: fid 851 gets two mentions in /dev (answered
# after 600 s and 7200 s), one in a chain:// channel (open) and one reply
# outside any channel (answered after 100 s).
T851=$(jwt_mint "$(jwt_claims 9851 851 user)")
T85A=$(jwt_mint "$(jwt_claims 9859 859 admin)")
a851=(-H "Authorization: Bearer $T851")
h85() { printf '0x%040x' "$1"; }
c85() {	# N FID TIME [PARENT_URL] [MENTION] [PARENT_N PARENT_FID]
	jq -cn --arg h "$(h85 "$1")" --argjson f "$2" --arg t "$3" --arg u "${4:-}" \
		--arg m "${5:-}" --arg ph "${6:+$(h85 "${6:-0}")}" --arg pf "${7:-}" \
		'{type: "cast", hash: $h, fid: $f, time: $t, text: "t85"}
		+ (if $u != "" then {parent_url: $u} else {} end)
		+ (if $m != "" then {mentions: [($m | tonumber)]} else {} end)
		+ (if $ph != "" then {parent_hash: $ph, parent_fid: ($pf | tonumber)} else {} end)'
}
DEV=https://warpcast.com/~/channel/dev
CHAIN=chain://eip155:1/erc721:0x5af0d9827e0c53e4799bb226655a1de152a425a5
{
	c85 8501 851 2025-05-01T00:00:00Z
	c85 8502 852 2025-05-02T10:00:00Z "$DEV" 851
	c85 8503 853 2025-05-02T11:00:00Z "$DEV" 851
	c85 8504 852 2025-05-03T00:00:00Z "$CHAIN" 851
	c85 8505 851 2025-05-02T10:10:00Z "" "" 8502 852
	c85 8506 851 2025-05-02T13:00:00Z "" "" 8503 853
	c85 8507 853 2025-05-04T00:00:00Z "" "" 8501 851
	c85 8508 851 2025-05-04T00:01:40Z "" "" 8507 853
} >"$T_OUT/t85ch.jsonl"
req POST "$A/ingest" -H "Authorization: Bearer $T85A" -H 'Content-Type: application/x-ndjson' \
	--data-binary @"$T_OUT/t85ch.jsonl"
check "channels: data ingests" "200 8" "$R_CODE $(jget .casts_new)"
W85="from=2025-05-01T00:00:00Z&to=2025-06-01T00:00:00Z&tz=UTC"
rows85='[.channels[] | "\(.name // "-") \(.parent_url // "-" | .[0:5]) \(.inbound) \(.answered) \(.reply_rate) \(.median_seconds) \(.goal_seconds) \(.goal_source) \(.within_goal) \(.within_goal_share)"] | join("; ")'
req GET "$A/users/851/channels?$W85" "${a851[@]}"
check "channels: 200" 200 "$R_CODE"
check "channels: per parent_url, by inbound, no channel first among equals" \
	"dev https 2 2 1 3900 3600 user 1 0.5; - - 1 1 1 100 3600 user 1 1; - chain 1 0 0 null 3600 user 0 0" \
	"$(jget "$rows85")"
req GET "$A/me/channels?$W85&sort=median" "${a851[@]}"
check "/me/channels is the token's fid; sort=median: fastest first, none last" \
	"851 - dev -" "$(jget .fid) $(jget '[.channels[] | .name // "-"] | join(" ")')"
req GET "$A/users/851/channels?$W85&limit=1" "${a851[@]}"
check "channels: a page of one and its cursor" "1 o1" "$(jget '.channels | length') $(jget .next_cursor)"
req GET "$A/users/851/channels?$W85&cursor=$(jget .next_cursor)&limit=1" "${a851[@]}"
check "channels: the next page" "null" "$(jget '.channels[0].parent_url')"

req PUT "$A/me/settings" "${a851[@]}" -H 'Content-Type: application/json' \
	--data-binary "{\"channel_goals\":[{\"parent_url\":\"$DEV\",\"goal_seconds\":900}]}"
check "channel goal stored" "200 $DEV 900" "$R_CODE $(jget '.channel_goals[0] | "\(.parent_url) \(.goal_seconds)"')"
req GET "$A/users/851/channels?$W85" "${a851[@]}"
check "the channel's goal overrides the user's in that channel only" \
	"dev https 2 2 1 3900 900 channel 1 0.5; - - 1 1 1 100 3600 user 1 1; - chain 1 0 0 null 3600 user 0 0" \
	"$(jget "$rows85")"
req PUT "$A/me/settings" "${a851[@]}" -H 'Content-Type: application/json' \
	--data-binary "{\"channel_goals\":[{\"parent_url\":\"$DEV\",\"goal_seconds\":60}]}"
req GET "$A/users/851/channels?$W85" "${a851[@]}"
check "a new channel goal takes effect at once" "60 0 0" \
	"$(jget '.channels[0] | "\(.goal_seconds) \(.within_goal) \(.within_goal_share)"')"
for bad in '{"channel_goals":{}}' '{"channel_goals":[{"parent_url":"x","goal_seconds":5}]}' \
	'{"channel_goals":[{"parent_url":"","goal_seconds":600}]}' \
	'{"channel_goals":[{"parent_url":"a\nb","goal_seconds":600}]}' \
	'{"channel_goals":[{"parent_url":"x","goal_seconds":600,"extra":1}]}' \
	'{"channel_goals":[{"parent_url":"x","goal_seconds":600},{"parent_url":"x","goal_seconds":700}]}'; do
	req PUT "$A/me/settings" "${a851[@]}" -H 'Content-Type: application/json' --data-binary "$bad"
	check "bad channel goals ${bad:17:40}: 400 naming channel_goals" "400 channel_goals" \
		"$R_CODE $(jget .detail | cut -d: -f1)"
done
req GET "$A/me/settings" "${a851[@]}"
check "bad channel goals change nothing" "1 60" "$(jget '.channel_goals | length') $(jget '.channel_goals[0].goal_seconds')"
req PUT "$A/me/settings" "${a851[@]}" -H 'Content-Type: application/json' --data-binary '{"channel_goals":[]}'
check "channel goals cleared" "200 0" "$R_CODE $(jget '.channel_goals | length')"
