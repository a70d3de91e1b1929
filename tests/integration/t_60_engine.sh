# shellcheck shell=bash
# The engine against the real PostgreSQL: a small scenario whose figures are
# worked out by hand (tests/fixtures/engine/*.jsonl, times in UTC).
FX=$RC_ROOT/tests/fixtures/engine
W=(--from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z --tz UTC)

ingest() { as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$@"; }
# shellcheck disable=SC2034  # R_BODY is read by jget
stats() { R_BODY=$(rc_ctl stats "$@" 2>&1); }

out=$(ingest "$FX/scenario.jsonl" 2>&1); code=$?
check "scenario ingests cleanly" 0 "$code"
check_match "scenario counts" 'casts new 10, already stored 0, removed 1, profiles 3' "$out"

# alice (fid 10): C1 reply answered after 900 s; C2 mention and C3
# reply+mention unanswered; C5 removed; bob's reply in her thread, her own
# casts, a self-mention and a removal by a non-author do not count.
stats 10 --what summary "${W[@]}"
check "inbound: reply, mention, reply+mention" 3 "$(jget .inbound)"
check "answered" 1 "$(jget .answered)"
check "reply rate 1/3" 0.3333 "$(jget .reply_rate)"
check "median 900 s" 900 "$(jget .reply_seconds.median)"
check "mean 900 s" 900 "$(jget .reply_seconds.mean)"
check "p90 900 s" 900 "$(jget .reply_seconds.p90)"
check "within the 1 h goal" 1 "$(jget .within_goal)"
check "unreplied now" 2 "$(jget .unreplied_now)"
check "distribution: 15-60m holds the 900 s reply" 1 "$(jget '.distribution[] | select(.bucket == "15-60m") | .count')"
# Kaplan-Meier at the window's end (2025-02-01): C2 and C3 are censored at
# their ages (weeks); S(900) = 1 - 1/3 = 2/3 never reaches 0.5: no median.
check "time to answer: evaluated at the window's end" 1738368000 "$(jget .time_to_answer.evaluated_at)"
check "time to answer: two open casts censored, no KM median" "2 null null" "$(jget '"\(.time_to_answer.censored) \(.time_to_answer.km_median) \(.time_to_answer.km_p90)"')"
check "time to answer: S(15 min) = 2/3" 0.6667 "$(jget '.time_to_answer.survival[] | select(.seconds == 900) | .open_share')"
check "answered within 1 h / 24 h of all inbound" "1 1 0.3333 0.3333" "$(jget '"\(.answered_within."1h") \(.answered_within."24h") \(.reply_rate_within."1h") \(.reply_rate_within."24h")"')"

stats 10 --what unreplied
check "unreplied oldest first" "0x00000000000000000000000000000000000000c2 0x00000000000000000000000000000000000000c3" "$(jget '[.items[].hash] | join(" ")')"
check "unreplied kinds" "mention reply+mention" "$(jget '[.items[].kind] | join(" ")')"
check "aging bucket" ">24h" "$(jget '.items[0].age_bucket')"

stats 10 --what counterparts "${W[@]}"
check "counterparts by inbound" "20:2:1 30:1:0" "$(jget '[.counterparts[] | "\(.fid):\(.inbound):\(.answered)"] | join(" ")')"
check "counterpart names" "bob" "$(jget '.counterparts[0].username')"

stats 10 --what heatmap "${W[@]}"
check "heatmap: Monday 10, 11, 12 h" "1:10:1 1:11:1 1:12:1" "$(jget '[.cells[] | "\(.weekday):\(.hour):\(.inbound)"] | join(" ")')"
stats 10 --what trend-day "${W[@]}"
check "trend per day" "2025-01-06:3:1" "$(jget '[.points[] | "\(.start):\(.inbound):\(.answered)"] | join(" ")')"
stats 10 --what streak "${W[@]}"
check "streak: one day with a reply" "1 0 2025-01-06" "$(jget '"\(.longest_days) \(.current_days) \(.last_reply_day)"')"

stats 20 --what summary "${W[@]}"
check "bob: alice's answer, the reply in the thread and her mention are his inbound" 3 "$(jget .inbound)"

out=$(ingest "$FX/scenario.jsonl" 2>&1)
check_match "ingesting twice changes nothing" 'casts new 0, already stored 10, removed 0, profiles 0' "$out"
stats 10 --what summary "${W[@]}"
check "same figures after the second ingest" "3 1 900" "$(jget '"\(.inbound) \(.answered) \(.reply_seconds.median)"')"

ingest "$FX/later.jsonl" >/dev/null 2>&1
stats 10 --what summary "${W[@]}"
check "a later answer moves C3 to answered" "3 2 0.6667" "$(jget '"\(.inbound) \(.answered) \(.reply_rate)"')"
check "median of 900 and 7200 (interpolated)" 4050 "$(jget .reply_seconds.median)"
check "p90 of 900 and 7200" 6570 "$(jget .reply_seconds.p90)"
# Kaplan-Meier by hand: at 900 s 3 at risk, S = 2/3; at 7200 s 2 at risk
# (C2, open for weeks, still is), S = 2/3 * 1/2 = 1/3 <= 0.5: the median is
# 7200 s, not the 4050 of the answered alone; S never reaches 0.1: no p90.
check "KM median 7200 s, no KM p90, one censored" "7200 null 1" "$(jget '"\(.time_to_answer.km_median) \(.time_to_answer.km_p90) \(.time_to_answer.censored)"')"
check "answered within 1 h / 24 h: 1/3 and 2/3" "0.3333 0.6667 0.3333" "$(jget '"\(.reply_rate_within."1h") \(.reply_rate_within."24h") \(.reply_rate_within.goal)"')"
stats 10 --what unreplied
check "only the mention still waits" "0x00000000000000000000000000000000000000c2" "$(jget '[.items[].hash] | join(" ")')"

ingest "$FX/remove-answer.jsonl" >/dev/null 2>&1
stats 10 --what summary "${W[@]}"
check "removing an answer makes its cast unanswered again" "1 7200" "$(jget '"\(.answered) \(.reply_seconds.median)"')"

# Business hours: Mon-Fri 09:00-17:00 in Berlin.  Friday 16:30 -> Monday
# 09:30 is 1 h of working time; Friday 17:00 CET -> Monday 12:00 CEST (after
# the daylight-saving switch) is 3 h.
ingest "$FX/business.jsonl" >/dev/null 2>&1
pg_psql -d replycast -c "INSERT INTO user_settings (fid, tz, work_days, work_start, work_end) VALUES (11, 'Europe/Berlin', 31, 540, 1020)" >/dev/null
BW=(--from 2025-01-01T00:00:00Z --to 2025-04-01T00:00:00Z)
stats 11 --what summary "${BW[@]}"
check "business hours across a weekend and DST: median" 7200 "$(jget .business_hours_seconds.median)"
check "business hours: mean" 7200 "$(jget .business_hours_seconds.mean)"
check "wall-clock median" 235800 "$(jget .reply_seconds.median)"
check "the user's time zone is used" "Europe/Berlin" "$(jget .tz)"
pg_psql -d replycast -c "UPDATE user_settings SET tz = 'America/New_York' WHERE fid = 11" >/dev/null
stats 11 --what summary "${BW[@]}"
check "a time-zone change recomputes working time" 20700 "$(jget .business_hours_seconds.median)"

# One scenario in the Hub shape (fid 110) and in the Neynar shape (fid 210).
ingest "$FX/scenario-hub.json" >/dev/null 2>&1; check "hub scenario ingests" 0 "$?"
ingest "$FX/scenario-neynar.json" >/dev/null 2>&1; check "neynar scenario ingests" 0 "$?"
stats 110 --what summary "${W[@]}"
hub=$(jget '"\(.inbound) \(.answered) \(.reply_rate) \(.reply_seconds.median) \(.unreplied_now)"')
stats 210 --what summary "${W[@]}"
ney=$(jget '"\(.inbound) \(.answered) \(.reply_rate) \(.reply_seconds.median) \(.unreplied_now)"')
check "hub shape: figures" "2 1 0.5 900 1" "$hub"
check "neynar shape gives the same figures" "$hub" "$ney"

# Bad input: reported with file and line, the good records kept.
out=$(ingest "$FX/bad.jsonl" 2>&1); code=$?
check "bad records are skipped: exit 3" 3 "$code"
check_match "bad hash named with its line" 'bad.jsonl:2: .*hash' "$out"
check_match "old timestamp named" 'bad.jsonl:3: .*time' "$out"
check_match "not JSON named" 'bad.jsonl:4: ' "$out"
check_match "wrong type named" 'bad.jsonl:5: .*fid' "$out"
check_match "good records of a bad file land" 'casts new 2' "$out"
out=$(ingest --strict "$FX/bad-utf8.jsonl" 2>&1); code=$?
check "--strict stops at the first bad record: exit 4" 4 "$code"
check_match "invalid UTF-8 named" 'bad-utf8.jsonl:1: .*(UTF-8|utf-8)' "$out"
out=$(ingest "$FX/bad-utf8.jsonl" 2>&1)
check_match "over-long text named" 'bad-utf8.jsonl:2: .*text' "$out"
check "nothing of a bad record is stored" 0 "$(pg_psql -d replycast -tAc "SELECT count(*) FROM casts WHERE hash IN ('\\x00000000000000000000000000000000000000ae', '\\x00000000000000000000000000000000000000af', '\\x00000000000000000000000000000000000000ab')")"
