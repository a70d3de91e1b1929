# shellcheck shell=bash
# The priority inbox (docs/engine.md, "Priority of an owed reply") on a data
# set built here, times relative to now, whose order follows from the
# definition.  U is fid 600, goal 1 h:
#   M 601  mutual follow, direct reply 2 h ago (past the goal), one earlier
#          reply U answered: 40 + 25 + 3 (1 other reply) + 10 (1 of 2) + 10 = 88
#   P 606  stranger, direct reply 50 h ago:           40 + 10 = 50
#   O 605  stranger, mention 60 h ago:                40
#   N 604  U follows N, mention 50 min ago (>= 75 %): 30 + 10 = 40 (after O: newer)
#   S 602  stranger, mention 10 min ago:              30 * 600 / 3600 = 5
#   B 603  marked as a bot, direct reply 3 h ago:     40 + 10 - 200 = -150
#   X 607  muted, mention 1 h ago: not in the inbox at all
A=$RC_HTTPS/api/v1
T600=$(jwt_mint "$(jwt_claims 9600 600 user)")
auth600=(-H "Authorization: Bearer $T600")
now=$(date +%s)
h() { printf '0x%040x' "$1"; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
cast() {	# HASHNUM FID AGO PARENTNUM MENTION TEXT
	local p="" m=""
	[ "$4" != - ] && p=",\"parent_hash\":\"$(h "$4")\",\"parent_fid\":600"
	[ "$5" != - ] && m=",\"mentions\":[600]"
	printf '{"type":"cast","hash":"%s","fid":%s,"time":"%s","text":"%s"%s%s}\n' \
		"$(h "$1")" "$2" "$(iso $((now - $3)))" "$6" "$p" "$m"
}
{
	for f in 600 601 602 603 604 605 606 607; do
		printf '{"type":"profile","fid":%s,"username":"u%s","time":"2025-01-01T00:00:00Z"}\n' "$f" "$f"
	done
	printf '{"type":"follow","fid":600,"target_fid":601,"time":"2025-01-01T00:00:00Z"}\n'
	printf '{"type":"follow","fid":601,"target_fid":600,"time":"2025-01-01T00:00:00Z"}\n'
	printf '{"type":"follow","fid":600,"target_fid":604,"time":"2025-01-01T00:00:00Z"}\n'
	cast 6000 600 $((6 * 86400)) - - "root by U"
	cast 6001 601 $((5 * 86400)) 6000 - "first reply by M"
	cast 6002 600 $((5 * 86400 - 600)) 6001 - "U answers M"
	cast 6011 601 7200 6000 - "M again"
	cast 6016 606 $((50 * 3600)) 6000 - "P replies"
	cast 6015 605 $((60 * 3600)) - m "O mentions"
	cast 6014 604 3000 - m "N mentions"
	cast 6012 602 600 - m "S mentions"
	cast 6013 603 10800 6000 - "B the bot"
	cast 6017 607 3600 - m "X is muted"
} >"$T_OUT/inbox.jsonl"
out=$(as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$T_OUT/inbox.jsonl" 2>&1)
check "inbox data set ingests" 0 "$?"
check_match "inbox data set: its casts and profiles" 'casts new 10, already stored 0, removed 0, profiles 8' "$out"

req PUT "$A/me/settings" "${auth600[@]}" -H 'Content-Type: application/json' \
	--data-binary '{"goal_seconds":3600,"muted":[607],"bots":[603]}'
check "bots set beside muted: 200" 200 "$R_CODE"
req GET "$A/me/settings" "${auth600[@]}"
check "settings give bots back" "[603] [607]" "$(jget '"\(.bots | tojson) \(.muted | tojson)"')"
req PUT "$A/me/settings" "${auth600[@]}" -H 'Content-Type: application/json' --data-binary '{"bots":[0]}'
check "a bad bots list: 400 naming it" "400 bots:" "$R_CODE $(jget .detail | cut -d' ' -f1)"

order() { jget '[.items[] | "\(.author_fid):\(.priority.score)"] | join(" ")'; }
req GET "$A/users/600/unreplied" "${auth600[@]}"
check "priority is the default order" priority "$(jget .sort)"
check "priority order and scores by the definition" \
	"601:88 606:50 605:40 604:40 602:5 603:-150" "$(order)"
check "why the first is first" \
	"past_goal:40 mutual_follow:25 your_reply_rate:10 direct_reply:10 replies_to_you:3" \
	"$(jget '[.items[0].priority.reasons[] | "\(.code):\(.points)"] | join(" ")')"
check_match "why in plain words" '^waiting 2 h( [1-9] min)?, past your 1 h goal; you follow each other; you answered 1 of their 2 casts; a direct reply to your cast; they replied to your casts 1 other time$' "$(jget '.items[0].why')"
check "goal states" "past past past soon within past" "$(jget '[.items[].priority.goal_state] | join(" ")')"
check "goal_due_in of the mention 50 min old" 600 "$(jget '.items[3].goal_due_in' | awk '{print ($1 >= 540 && $1 <= 600) ? 600 : $1}')"
check "the bot is marked" "true" "$(jget '.items[5].bot')"
full=$(order)

# Keyset pages of 2 walk the same order, scored as of the first page.
pages="" cur="" ats=""
for _ in 1 2 3 4; do
	req GET "$A/users/600/unreplied?limit=2${cur:+&cursor=$cur}" "${auth600[@]}"
	[ "$(jget '.items | length')" = 0 ] && break
	pages="$pages $(order)" ats="$ats $(jget .evaluated_at)"
	cur=$(jget '.next_cursor // empty')
	[ -z "$cur" ] && break
done
check "priority pages of 2 give the whole order" "$full" "${pages# }"
check_match "every page is scored at the first page's evaluation time" "^( ${ats##* })+$" "$ats"
check "the cursor carries that time" "${ats##* }" "${cur%%.*}"

req GET "$A/users/600/unreplied?sort=oldest" "${auth600[@]}"
check "oldest first" "605 606 603 601 604 602" "$(jget '[.items[].author_fid] | join(" ")')"
check "oldest first still shows the score" "40" "$(jget '.items[0].priority.score')"

# Waiting at least N hours, and the 48-hour list.
req GET "$A/users/600/unreplied?min_hours=48" "${auth600[@]}"
check "the 48-hour list, by priority" "606:50 605:40" "$(order)"
req GET "$A/users/600/unreplied?min_hours=1&sort=oldest" "${auth600[@]}"
check "waiting at least 1 h, oldest first" "605 606 603 601" "$(jget '[.items[].author_fid] | join(" ")')"
R_BODY=$(curl -sk -D "$T_OUT/csvh" "${auth600[@]}" "$A/users/600/unreplied.csv?min_hours=48")
check "48-hour CSV: header" "hash,author_fid,author_username,time,kind,waiting_seconds,goal_seconds,goal_state,score,why,text" "$(printf '%s\n' "$R_BODY" | head -1)"
check "48-hour CSV: its rows in priority order" "$(h 6016),606,u606,$(iso $((now - 50 * 3600))),reply|$(h 6015),605,u605,$(iso $((now - 60 * 3600))),mention" \
	"$(printf '%s\n' "$R_BODY" | tail -n +2 | cut -d, -f1-5 | paste -sd'|')"
check "48-hour CSV: score and goal state" "past,50|past,40" "$(printf '%s\n' "$R_BODY" | tail -n +2 | cut -d, -f8-9 | paste -sd'|')"
check_match "CSV content type" '^text/csv' "$(grep -i '^content-type:' "$T_OUT/csvh" | cut -d' ' -f2- | tr -d '\r')"
R_BODY=$(curl -sk "${auth600[@]}" "$A/users/600/unreplied.csv?sort=oldest&limit=2")
check "CSV oldest first, limited" "605 606" "$(printf '%s\n' "$R_BODY" | tail -n +2 | cut -d, -f2 | paste -sd' ')"

# Bad parameters answer problem+json naming the parameter.
req GET "$A/users/600/unreplied?limit=1&sort=oldest" "${auth600[@]}"
oldcur=$(jget .next_cursor)
for case in "sort=newest|sort" "min_hours=-1|min_hours" "min_hours=1.5|min_hours" \
	"min_hours=1&min_age=60|min_hours" "min_hours=99999999|min_hours" \
	"cursor=$oldcur|cursor" "sort=oldest&cursor=1.5.1-$(h 1)|cursor" \
	"cursor=1.5.1-0x12|cursor"; do
	req GET "$A/users/600/unreplied?${case%|*}" "${auth600[@]}"
	check "400 for ${case%|*}" "400 application/problem+json" "$R_CODE $(header Content-Type)"
	check_match "the problem names ${case#*|}" "^${case#*|}: " "$(jget .detail)"
done
req GET "$A/users/600/unreplied.csv?limit=5001" "${auth600[@]}"
check "CSV limit above 5000: 400 problem" "400 limit:" "$R_CODE $(jget .detail | cut -d' ' -f1)"
req GET "$A/users/601/unreplied.csv" "${auth600[@]}"
check "another user's CSV: 403" 403 "$R_CODE"
