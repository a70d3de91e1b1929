# shellcheck shell=bash
# Where I stand: a constructed group (tests/integration/standing.sh) of 21
# members with known medians, through the API; hidden below the minimum
# group size (RC_STANDING_MIN_GROUP, default 20).
# shellcheck source=tests/integration/standing.sh
. "$RC_ROOT/tests/integration/standing.sh"
A=$RC_HTTPS/api/v1
TADM=$(jwt_mint "$(jwt_claims 9062 99 admin)")
authadm=(-H "Authorization: Bearer $TADM")

out=$(standing_setup 2>&1)
check_match "the refresh counts every tracked user" "^standing: [0-9]+ tracked users refreshed" "$out"
check "the refresh wrote 3 windows of the group's 22 tracked fids" 66 \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM standing WHERE fid BETWEEN 70001 AND 70023")"

# place FID [DAYS]: fid's standing into R_BODY; pl: "shown percent group reason".
place() { req GET "$A/users/$1/standing${2:+?days=$2}" "${authadm[@]}"; }
pl() { jget '"\(.shown) \(.faster_than_percent) \(.group_size) \(.reason)"'; }
# Of the 20 others: slower are those with a larger median or none; a tie
# (70010 and 70011 at 600 s) is not slower.
place 70001 7
check "the fastest is faster than all 20 others" "true 100 21 null" "$(pl)"
place 70006 7
check "360 s: 15 of 20 slower (7..21)" "true 75 21 null" "$(pl)"
check "the sentence" "Over the last 7 days your median reply time was faster than 75 % of the other 20 people on this instance with at least 30 casts to answer." "$(jget .sentence)"
check "own figures only: the keys" "answered computed_at days faster_than_percent faster_than_share fid group_size inbound median_seconds min_group min_inbound reason sentence shown window_end" \
	"$(jget '[keys[]] | join(" ")')"
check "own median and casts" "360 30 30 0.75" "$(jget '"\(.median_seconds) \(.inbound) \(.answered) \(.faster_than_share)"')"
place 70010 7
check "a tie is not slower: 600 s, 10 of 20 slower" "true 50 21 null" "$(pl)"
place 70011 7
check "the other side of the tie" "true 50 21 null" "$(pl)"
place 70020 7
check "the slowest with a median: only the one with none is slower" "true 5 21 null" "$(pl)"
place 70021 7
check "no answered cast: hidden" "false null null no_answered_cast" "$(pl)"
place 70022 7
check "29 inbound casts: not a member" "false null null too_few_casts" "$(pl)"
place 70023 7
check "an untracked fid is not a member" "false null null not_tracked" "$(pl)"
# 30 days: 70006's median is (360 + 650) / 2 = 505 s; slower: 70009..70021.
place 70006
check "30 days (the default): 505 s, 13 of 20 slower" "true 65 21 null 505" "$(pl) $(jget .median_seconds)"
req GET "$A/users/70006/standing?days=14" "${authadm[@]}"
check "days other than 7, 30, 90: 400" 400 "$R_CODE"

# The group shrinks as users stop being tracked (no refresh needed).
pg_psql -d replycast -qc "DELETE FROM tracked WHERE fid = 70020" >/dev/null
place 70006 7
check "20 members (the minimum): shown, 14 of 19 slower" "true 73 20 null" "$(pl)"
pg_psql -d replycast -qc "DELETE FROM tracked WHERE fid = 70019" >/dev/null
place 70006 7
check "19 members: hidden, no percent, no group size" "false null null group_too_small" "$(pl)"
check "hidden: no sentence" "null" "$(jget .sentence)"
pg_psql -d replycast -qc "INSERT INTO tracked (fid) VALUES (70019), (70020)" >/dev/null
place 70006 7
check "tracked again: shown again" "true 75 21 null" "$(pl)"

# A user reads only their own place.
T6=$(jwt_mint "$(jwt_claims 9063 70006 user)")
req GET "$A/me/standing?days=7" -H "Authorization: Bearer $T6"
check "/me/standing is the token's fid" "70006 true 75" "$(jget '"\(.fid) \(.shown) \(.faster_than_percent)"')"
req GET "$A/users/70001/standing" -H "Authorization: Bearer $T6"
check "another user's place: 403" 403 "$R_CODE"

# The trend of speed of 70006: this week 360 s, last week 650 s.
req GET "$A/me/speed-trend" -H "Authorization: Bearer $T6"
check "speed trend: this week against last week" "360 650 You answered 45 % faster than last week. Within your goal: 100 %, last week 100 %." \
	"$(jget '"\(.week.current.median_seconds) \(.week.previous.median_seconds) \(.week.sentence)"')"
check "speed trend: no month sentence (nothing 30-60 days ago)" "null 0" "$(jget '"\(.month.sentence) \(.month.previous.answered)"')"

# replycast-worker refreshes between jobs once the newest refresh is
# RC_STANDING_REFRESH_S old (a second here); --once stops when no job is due.
before=$(pg_psql -d replycast -tAc "SELECT max(window_end) FROM standing")
sleep 2
out=$(as_run env -S "$(rc_env_s)" RC_STANDING_REFRESH_S=1 \
	timeout 120 "$RC_PREFIX/bin/replycast-worker" --once --attempts 1 2>&1)
check_match "the worker refreshes where users stand" "standing: [0-9]+ tracked users refreshed" "$out"
check "the worker's refresh is newer" t \
	"$(pg_psql -d replycast -tAc "SELECT min(window_end) > '$before' FROM standing")"
