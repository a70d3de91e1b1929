# shellcheck shell=bash
# Issue 15: one canonical path per resource (no trailing or double slash,
# no leading zero in a fid), CSV cells a spreadsheet cannot run, the zone
# every figure echoes, and bare dates in from/to.  Fids 870-879, own data.
A87=$RC_HTTPS/api/v1
PW87=t87-Correct-Horse-42
T870=$(jwt_mint "$(jwt_claims 9870 870 user)")
T87A=$(jwt_mint "$(jwt_claims 9879 879 admin)")
a870=(-H "Authorization: Bearer $T870")
a87a=(-H "Authorization: Bearer $T87A")
h87() { printf '0x%040x' "$1"; }
cast87() {	# N FID TIME TEXT [PARENT_N PARENT_FID]
	if [ $# -gt 4 ]; then
		jq -cn --arg h "$(h87 "$1")" --argjson f "$2" --arg t "$3" --arg x "$4" \
			--arg ph "$(h87 "$5")" --argjson pf "$6" \
			'{type: "cast", hash: $h, fid: $f, time: $t, text: $x, parent_hash: $ph, parent_fid: $pf}'
	else
		jq -cn --arg h "$(h87 "$1")" --argjson f "$2" --arg t "$3" --arg x "$4" \
			'{type: "cast", hash: $h, fid: $f, time: $t, text: $x}'
	fi
}

# fid 870 (zone America/New_York; DST began 2025-03-09) gets three replies
# from 871 around March 2025; it answers the one of the 15th after 900 s
# (871 thus has inbound data but no settings).
{
	cast87 1 870 2025-02-20T12:00:00Z "root by 870"
	cast87 2 871 2025-03-01T03:00:00Z "-1+cmd|' /C calc'!A0" 1 870
	cast87 3 871 2025-03-15T12:00:00Z $'\tTAB first, "quoted", two\nlines' 1 870
	cast87 4 871 2025-04-01T02:00:00Z "=1+1" 1 870
	cast87 5 870 2025-03-15T12:15:00Z "870 answers" 3 871
	cast87 6 870 2025-03-20T12:00:00Z "@871 hello"
} >"$T_OUT/t87.jsonl"
req POST "$A87/ingest" "${a87a[@]}" -H 'Content-Type: application/x-ndjson' --data-binary @"$T_OUT/t87.jsonl"
check "t87 data ingests" "200 6" "$R_CODE $(jget .casts_new)"
pg_psql -d replycast -c "INSERT INTO user_settings (fid, tz) VALUES (870, 'America/New_York')" >/dev/null

# --- Canonical paths: the router refuses a trailing or double slash. ---
printf '%s\n' "$PW87" | rc_ctl user add t87user --fid 870 --password-stdin >/dev/null 2>&1
check "t87 user add" 0 "$?"
creds87=$(jq -cn --arg p "$PW87" '{username: "t87user", password: $p}')
for p in /auth/login/ //auth/login /auth//login /auth/login//; do
	req POST "$RC_HTTPS$p" -H 'Content-Type: application/json' -d "$creds87"
	check "POST $p: 404, never the login handler" "404 urn:replycast:problem:not-found null" \
		"$R_CODE $(jget .type) $(jget .access_token)"
done
req POST "$RC_HTTPS/auth/login" -H 'Content-Type: application/json' -d "$creds87"
check "POST /auth/login with the same body signs in" 200 "$R_CODE"
req GET "$RC_HTTPS/auth/login/"
check "GET /auth/login/: 404, not 405" 404 "$R_CODE"
for p in users/870/summary/ users/870//summary users//870/summary users/0870/summary \
	users/%2B870/summary users/-870/summary users/%20870/summary users/870%20/summary \
	users/0/summary users/00/summary users/0870/export.csv users/870/export.csv/ me/summary/; do
	req GET "$A87/$p" "${a870[@]}"
	check "GET /api/v1/$p: 404" "404 urn:replycast:problem:not-found" "$R_CODE $(jget .type)"
done
req GET "$A87/users/870/summary" "${a870[@]}"
check "the canonical path answers" 200 "$R_CODE"
req GET "$RC_HTTPS/api/healthz/"
check "GET /api/healthz/: 404" 404 "$R_CODE"
for p in /inbox/ /people/ /settings/ //inbox /admin/ //; do
	req GET "$RC_HTTPS$p"
	check "GET $p (dashboard): 404" 404 "$R_CODE"
done
req GET "$RC_HTTPS/"
check_match "GET / (the root) is not 404" '^(200|303)$' "$R_CODE"

# --- CSV: every text cell that starts a formula gets a leading quote. ---
R_BODY=$(curl -sk "${a870[@]}" "$A87/users/870/export.csv")
csv87() { printf '%s\n' "$R_BODY" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print("\n".join(r[sys.argv[1]] for r in rows))' "$1"; }
check "CSV: the -1+cmd bypass is quoted" "'-1+cmd|' /C calc'!A0" "$(csv87 text | sed -n 1p)"
check "CSV: a leading TAB is quoted" "'"$'\t'"TAB first, \"quoted\", two" "$(csv87 text | sed -n 2p)"
check "CSV: = is quoted" "'=1+1" "$(csv87 text | sed -n 4p)"
check_match "CSV: the raw cell of -1+cmd starts with a quote" "\"'-1\\+cmd\\|' /C calc'!A0\"" "$R_BODY"
check_match "CSV: the raw TAB cell" "\"'"$'\t'"TAB first, \"\"quoted\"\", two" "$R_BODY"
check "CSV: numbers stay numbers" "871,871,871" "$(csv87 author_fid | head -3 | paste -sd,)"
check "CSV: reply_seconds is a plain number" ",900," "$(csv87 reply_seconds | head -3 | paste -sd,)"

# --- The zone used: the user's own when tz is absent, on every figure. ---
for f in summary heatmap trend counterparts streak; do
	req GET "$A87/users/870/$f" "${a870[@]}"
	check "$f without tz echoes the user's zone" "200 America/New_York" "$R_CODE $(jget .tz)"
	req GET "$A87/users/870/$f?tz=Europe/Berlin" "${a870[@]}"
	check "$f with tz echoes it" "Europe/Berlin" "$(jget .tz)"
	req GET "$A87/users/871/$f" "${a87a[@]}"
	check "$f for a user without settings echoes UTC" "200 UTC" "$R_CODE $(jget .tz)"
done

# --- Bare dates: from is the start of its day, to the end of its day, in
# the zone used (New York: -05:00 on March 1, -04:00 after March 9). ---
NY_FROM=$(date -u -d '2025-03-01T05:00:00Z' +%s) NY_TO=$(date -u -d '2025-04-01T04:00:00Z' +%s)
for f in summary heatmap trend counterparts streak distribution; do
	req GET "$A87/users/870/$f?from=2025-03-01T05:00:00Z&to=2025-04-01T04:00:00Z" "${a870[@]}"
	iso_code=$R_CODE iso=$(printf '%s' "$R_BODY" | jq -S .)
	req GET "$A87/users/870/$f?from=2025-03-01&to=2025-03-31" "${a870[@]}"
	check "$f: a bare-date window equals the ISO window in the user's zone" "200 $iso" "$R_CODE $(printf '%s' "$R_BODY" | jq -S .)"
	check "$f: ISO window answered" 200 "$iso_code"
done
req GET "$A87/users/870/summary?from=2025-03-01&to=2025-03-31" "${a870[@]}"
check "bare dates in New York: from, to, inbound" "$NY_FROM $NY_TO 2" "$(jget '"\(.from) \(.to) \(.inbound)"')"
req GET "$A87/users/870/summary?from=2025-03-01&to=2025-03-31&tz=UTC" "${a870[@]}"
check "bare dates with tz=UTC" "$(date -u -d 2025-03-01 +%s) $(date -u -d 2025-04-01 +%s) 2 UTC" \
	"$(jget '"\(.from) \(.to) \(.inbound) \(.tz)"')"
req GET "$A87/users/870/summary?from=2025-03-15&to=2025-03-15&tz=Asia/Tokyo" "${a870[@]}"
check "a one-day window in Tokyo" "$(date -u -d '2025-03-14T15:00:00Z' +%s) $(date -u -d '2025-03-15T15:00:00Z' +%s)" \
	"$(jget '"\(.from) \(.to)"')"
req GET "$A87/users/870/summary?from=2025-03-01&to=2025-03-01T12:00:00Z&tz=UTC" "${a870[@]}"
check "a bare from and an ISO to mix" "$(date -u -d 2025-03-01 +%s) $(date -u -d 2025-03-01T12:00:00Z +%s)" \
	"$(jget '"\(.from) \(.to)"')"
req GET "$A87/users/870/summary?from=2025-03-31&to=2025-03-01" "${a870[@]}"
check "bare dates out of order: 400" 400 "$R_CODE"
req GET "$A87/users/870/summary?from=2025-02-30" "${a870[@]}"
check "a date that does not exist: 400" 400 "$R_CODE"
iso=$(curl -sk "${a870[@]}" "$A87/users/870/export.csv?from=$NY_FROM&to=$NY_TO")
R_BODY=$(curl -sk "${a870[@]}" "$A87/users/870/export.csv?from=2025-03-01&to=2025-03-31")
check "export: bare dates in the user's zone equal the ISO window" "$iso" "$R_BODY"
check "export: the window holds the 15th and the 31st (New York), not March 1 03:00Z" \
	"$(h87 3),$(h87 4)" "$(csv87 hash | paste -sd,)"

# An API key's id has one spelling too: /auth/keys/0N is not key N.
req POST "$RC_HTTPS/auth/login" -H 'Content-Type: application/json' -d "$creds87"
at87=$(jget .access_token)
req POST "$RC_HTTPS/auth/keys" -H "Authorization: Bearer $at87" -H 'Content-Type: application/json' -d '{"name":"t87","scope":"read"}'
kid87=$(jget .id)
check "t87 key made" 201 "$R_CODE"
req DELETE "$RC_HTTPS/auth/keys/0$kid87" -H "Authorization: Bearer $at87"
check "DELETE /auth/keys/0N is refused" 400 "$R_CODE"
req DELETE "$RC_HTTPS/auth/keys/$kid87/" -H "Authorization: Bearer $at87"
check "DELETE /auth/keys/N/ is 404" 404 "$R_CODE"
req GET "$RC_HTTPS/auth/keys" -H "Authorization: Bearer $at87"
check "the key is still there" "$kid87" "$(jget '.keys[].id')"
req DELETE "$RC_HTTPS/auth/keys/$kid87" -H "Authorization: Bearer $at87"
check "DELETE /auth/keys/N deletes it" 204 "$R_CODE"
