# shellcheck shell=bash
# What counts as an answer (issue 19, item 1), through nginx: user 620 asks
# P0; C1 replies and U answers one level further down (R1 replies to X, a
# reply to C1, 600 s after C1); U likes the mention C2; C3 is answered
# directly after 300 s; C4 is a mention U marks done.  Each setting is
# switched, the figures change and carry the new definition and version;
# switching back gives the first figures again.
FX=$RC_ROOT/tests/fixtures/answers
A=$RC_HTTPS/api/v1
W="from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z&tz=UTC"
T620=$(jwt_mint "$(jwt_claims 9620 620 user)")
a620=(-H "Authorization: Bearer $T620")
json=(-H 'Content-Type: application/json')
h62() { printf '0x%040x' "$1"; }
C2=$(h62 $((0x6204))); C4=$(h62 $((0x6207)))

ingest() { as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$@"; }
put_def() { req PUT "$A/me/settings" "${a620[@]}" "${json[@]}" --data-binary "$1"; }
summary() { req GET "$A/me/summary?$W" "${a620[@]}"; }
def() { jget '"\(.definition.answer) \(.definition.likes) \(.definition.dismissed) \(.definition.version)"'; }
# Every figure of the window without its definition, one line each.
figures() {
	local ep
	for ep in "summary?$W" "distribution?$W" "heatmap?$W" "trend?$W&bucket=day" \
		"counterparts?$W" "channels?$W" "streak?$W"; do
		req GET "$A/users/620/${ep}" "${a620[@]}"
		printf '%s %s\n' "$R_CODE" "$(printf '%s' "$R_BODY" | jq -cS 'del(.definition)')"
	done
}
figure_defs() {
	local ep out=""
	for ep in "summary?$W" "distribution?$W" "heatmap?$W" "trend?$W&bucket=week" \
		"counterparts?$W" "channels?$W" "streak?$W"; do
		req GET "$A/users/620/${ep}" "${a620[@]}"
		out="$out$(def);"
	done
	printf '%s' "$out"
}

out=$(ingest "$FX/thread.jsonl" 2>&1); code=$?
check "the thread ingests, with the like" 0 "$code"
check_match "the like is counted" 'likes 1' "$out"

req GET "$A/me/settings" "${a620[@]}"
check "settings: the definition's defaults" "direct false counted 1" \
	"$(jget '"\(.answer) \(.likes) \(.dismissed) \(.definition_version)"')"
summary
check "default: direct answers only" "4 1 300 3 0" \
	"$(jget '"\(.inbound) \(.answered) \(.reply_seconds.median) \(.unreplied_now) \(.acknowledged_now)"')"
check "default: the summary reports its definition" "direct false counted 1" "$(def)"
check "every figure reports the definition" "$(printf 'direct false counted 1;%.0s' 1 2 3 4 5 6 7)" "$(figure_defs)"
base=$(figures)
check "the default figures are all 200" 7 "$(printf '%s\n' "$base" | grep -c '^200 ')"

put_def '{"answer":"thread"}'
check "answer: thread is stored" "200 thread 2" "$R_CODE $(jget '"\(.answer) \(.definition_version)"')"
summary
check "thread: C1 is answered 600 s after, below it" "4 2 450 2" \
	"$(jget '"\(.inbound) \(.answered) \(.reply_seconds.median) \(.unreplied_now)"')"
check "thread: the new definition and version" "thread false counted 2" "$(def)"
check "the engine in memory agrees with SQL (thread)" \
	"$(rc_ctl stats 620 --from 2025-03-01T00:00:00Z --to 2025-04-01T00:00:00Z --tz UTC | jq -cS .)" \
	"$(printf '%s' "$R_BODY" | jq -cS .)"
csv=$(curl -sk "${a620[@]}" "$A/users/620/export.csv?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z" | grep "^$(h62 $((0x6201)))," | cut -d, -f6,8)
check "thread: the CSV export gives C1 its answer below it" "$(h62 $((0x6203))),600" "$csv"
req GET "$A/users/620/unreplied?show=all" "${a620[@]}"
check "thread: C1 leaves the inbox" "$C2 $C4" "$(jget '[.items[].hash] | join(" ")')"

put_def '{"likes":true}'
check "likes: true is stored" "200 true 3" "$R_CODE $(jget '"\(.likes) \(.definition_version)"')"
summary
check "likes: C2 is acknowledged, never answered" "4 2 450 1 1" \
	"$(jget '"\(.inbound) \(.answered) \(.reply_seconds.median) \(.unreplied_now) \(.acknowledged_now)"')"
check "likes: the new definition" "thread true counted 3" "$(def)"
req GET "$A/users/620/unreplied" "${a620[@]}"
check "likes: the inbox holds C4 only" "$C4" "$(jget '[.items[].hash] | join(" ")')"
req GET "$A/users/620/unreplied?show=acknowledged" "${a620[@]}"
check "likes: C2 is closed as acknowledged" "$C2 acknowledged" "$(jget '[.items[] | "\(.hash) \(.closed)"] | join(" ")')"

req PUT "$A/me/triage/$C4" "${a620[@]}" "${json[@]}" --data-binary '{"state":"done"}'
check "C4 marked done" 200 "$R_CODE"
summary
check "dismissed counted: a done mark changes no figure" "4 1" "$(jget '"\(.inbound) \(.unreplied_now)"')"
put_def '{"dismissed":"excluded"}'
check "dismissed: excluded is stored" "200 excluded 4" "$R_CODE $(jget '"\(.dismissed) \(.definition_version)"')"
summary
check "dismissed excluded: C4 drops out of the figures" "3 2 0 1" \
	"$(jget '"\(.inbound) \(.answered) \(.unreplied_now) \(.acknowledged_now)"')"
check "every figure reports the new definition" "$(printf 'thread true excluded 4;%.0s' 1 2 3 4 5 6 7)" "$(figure_defs)"
summary
check "the engine in memory agrees with SQL (all three)" \
	"$(rc_ctl stats 620 --from 2025-03-01T00:00:00Z --to 2025-04-01T00:00:00Z --tz UTC | jq -cS .)" \
	"$(printf '%s' "$R_BODY" | jq -cS .)"
put_def '{"answer":"thread","likes":true,"dismissed":"excluded","tz":"UTC"}'
check "the same definition again keeps its version" "200 4" "$R_CODE $(jget .definition_version)"

for bad in '{"answer":"deep"}|answer' '{"likes":"yes"}|likes' '{"dismissed":1}|dismissed' '{"answer":null}|answer'; do
	put_def "${bad%|*}"
	check "bad ${bad%|*}: 400 problem naming ${bad#*|}" "400 application/problem+json ${bad#*|}" \
		"$R_CODE $(header Content-Type) $(jget '.detail | split(":")[0]')"
done
req GET "$A/me/settings" "${a620[@]}"
check "a refused change keeps the definition" "thread true excluded 4" \
	"$(jget '"\(.answer) \(.likes) \(.dismissed) \(.definition_version)"')"

put_def '{"answer":"direct","likes":false,"dismissed":"counted"}'
check "back to the defaults: a new version" "200 5" "$R_CODE $(jget .definition_version)"
check "switching back restores every figure exactly" "$base" "$(figures)"
summary
check "the restored figures say so" "direct false counted 5" "$(def)"
req PUT "$A/me/triage/$C4" "${a620[@]}" "${json[@]}" --data-binary '{"state":"done"}'

# Out of order: U's deep answer R5 arrives before Y, the reply between C5
# and R5; Y's arrival links R5 below C5.
put_def '{"answer":"thread"}'
ingest "$FX/late-answer.jsonl" >/dev/null 2>&1
summary
check "out of order: without the middle cast C5 is not answered" "5 2" "$(jget '"\(.inbound) \(.answered)"')"
ingest "$FX/late-middle.jsonl" >/dev/null 2>&1
summary
check "out of order: the middle cast's arrival answers C5 (500 s)" "5 3 500" \
	"$(jget '"\(.inbound) \(.answered) \(.reply_seconds.median)"')"
check "the thread answers are recomputed from the casts" "3" \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM thread_answers WHERE fid = 620")"
put_def '{"answer":"direct"}'
check "direct again drops them" "0" \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM thread_answers WHERE fid = 620")"

# A bad like is named and loses nothing else; a like before its cast is kept.
out=$(ingest "$FX/bad-like.jsonl" 2>&1)
check_match "a bad like is named with its line" 'record 1: target_hash: not 0x \+ 40 hex digits' "$out"
check "the good like of the file is stored" 1 \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM likes WHERE fid = 620 AND target_hash = '\\x$(h62 $((0x6213)) | cut -c3-)'")"
