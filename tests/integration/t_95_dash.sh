# shellcheck shell=bash
# The dashboard: escaping of hostile text, CSRF, and a real browser (headless
# Chromium driven by playwright-core) through every page.  Uses alice's data
# (fid 10) from t_60_engine.sh.
B=$RC_HTTPS
# alice's casts came from files (t_60): her fid is tracked, so binding it
# queues no Hub backfill and the overview shows no import banner.
pg_psql -d replycast -c "INSERT INTO tracked (fid) VALUES (10) ON CONFLICT DO NOTHING" >/dev/null
printf 'a-long-password\n' | rc_ctl user add t95 --fid 10 --password-stdin >/dev/null
cj=$T_OUT/dash.cookies
rm -f "$cj"
curl -sk -c "$cj" -o /dev/null "$B/login"
csrf=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$cj")
code=$(curl -sk -b "$cj" -c "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "username=t95" \
	--data-urlencode "password=a-long-password" --data-urlencode "csrf_token=$csrf" "$B/auth/login")
check "form sign-in: 303" 303 "$code"
csrf=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$cj")

# Hostile text in a cast and in a name appears escaped on every page.
printf '%s\n' '{"type":"profile","fid":66,"username":"evil","display_name":"<img src=x onerror=alert(1)>","time":"2025-01-01T00:00:00Z"}' \
	'{"type":"cast","hash":"0x00000000000000000000000000000000000000e6","fid":66,"time":"2025-01-06T16:00:00Z","text":"<script>alert(\"x\")</script> & \"quotes\" '"'"'single'"'"'","mentions":[10]}' \
	| as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl >/dev/null
for p in /inbox /people "/?range=90"; do
	body=$(curl -sk -b "$cj" "$B$p")
	if printf '%s' "$body" | grep -q '<script>alert\|<img src=x'; then nok "no raw hostile markup on $p"; else ok "no raw hostile markup on $p"; fi
done
body=$(curl -sk -b "$cj" "$B/inbox")
check_match "cast text escaped" '&lt;script&gt;alert\(&quot;x&quot;\)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;' "$body"
check_match "display name escaped" '&lt;img src=x onerror=alert\(1\)&gt;' "$body"
body=$(curl -sk -b "$cj" "$B/people?from=2025-01-01&to=2025-02-01")
check_match "names escaped in the people table" 'Bob &lt;b&gt;' "$body"

# CSRF: a form without the token, or with another, is refused; with it, it works.
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' -d 'tz=UTC&goal_minutes=60' "$B/settings")
check "settings form without the CSRF token: 403" 403 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' -d 'tz=UTC&goal_minutes=60&csrf_token=forged' "$B/settings")
check "settings form with a forged token: 403" 403 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=Mars/Base&goal_minutes=60' "$B/settings")
check "a bad time zone: 400, shown on the page" 400 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&muted=' "$B/settings")
check_match "settings saved: 303" '^303 .*/settings\?saved=1$' "$code"
body=$(curl -sk -b "$cj" "$B/settings")
check_match "the saved goal shows" 'id="goal" name="goal" type="number" min="0.01" step="0.01" max="10080" value="45"' "$body"
# Goals per channel from the form: "URL MINUTES ..."; a URL is escaped on the way back.
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00' \
	--data-urlencode 'channel_goals=https://warpcast.com/~/channel/dev 15 https://x.example/"a"<b> 30' "$B/settings")
check "channel goals saved from the form: 303" 303 "$code"
body=$(curl -sk -b "$cj" "$B/settings")
check_match "the channel goals show, escaped" 'value="https://warpcast.com/~/channel/dev 15 https://x.example/&quot;a&quot;&lt;b&gt; 30"' "$body"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00' \
	--data-urlencode 'channel_goals=https://warpcast.com/~/channel/dev soon' "$B/settings")
check "a channel goal that is not minutes: 400" 400 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&channel_goals=' "$B/settings")
check "channel goals cleared from the form: 303" 303 "$code"
body=$(curl -sk -b "$cj" -w '\n%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'name=mykey' "$B/settings/keys")
check "create an API key from the page" 200 "${body##*$'\n'}"
key=$(printf '%s' "$body" | sed -n 's/.*<code id="new-key">\([^<]*\)<.*/\1/p')
check_match "the page's key: rck_ + 43 characters" '^rck_[A-Za-z0-9_-]{43}$' "$key"
# An api process whose PostgreSQL connection t_94's restart cut answers its
# next request 503 and reconnects: a try per process, then judge.
for _ in 1 2 3 4; do
	code=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$B/api/v1/me/summary")
	[ "$code" = 503 ] || break
done
check "the page's key reads the API" 200 "$code"
check "the page's key is audited (key.create, its name)" 1 \
	"$(pg_psql -d replycast -tAc "SELECT count(*) FROM audit_log a JOIN accounts c ON c.id = a.account_id WHERE c.username = 't95' AND a.action = 'key.create' AND a.detail = 'mykey' AND a.request_id IS NOT NULL")"
# Declared parameters (dash_params): an unknown one or a bad value is a 400
# page naming it; a field a form sends empty counts as left out.
code=$(curl -sk -b "$cj" -o "$T_OUT/p.html" -w '%{http_code}' "$B/inbox?bogus=1")
check "an unknown parameter: 400" 400 "$code"
check_match "the page names it" 'bogus: unknown parameter' "$(cat "$T_OUT/p.html")"
code=$(curl -sk -b "$cj" -o "$T_OUT/p.html" -w '%{http_code}' "$B/people?sort=fastest")
check "a bad choice: 400" 400 "$code"
check_match "the page names the choices" 'sort: must be one of inbound, answered, reply_rate, median' "$(cat "$T_OUT/p.html")"
check "empty filter fields: 200" 200 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?kind=&age=&show=")"
check "a custom range needs both dates: 400" 400 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/?from=2025-01-06")"
# Custom dates are days in the user's zone, as in the API: at UTC+14 alice's
# casts of 2025-01-06 10:00-16:00 UTC fall on her 7 January.
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=Pacific/Kiritimati&goal_minutes=45&work_start=09:00&work_end=17:00' "$B/settings")
check "tz set to UTC+14: 303" 303 "$code"
# A read with the page's key; an api process t_94's restart left with a dead
# connection answers 503 once.
kget() {
	local out
	for _ in 1 2 3 4; do
		out=$(curl -sk -w '\n%{http_code}' -H "Authorization: Bearer $key" "$B$1")
		[ "${out##*$'\n'}" = 503 ] || break
	done
	printf '%s' "${out%$'\n'*}"
}
inb=$(kget "/api/v1/me/summary?from=2025-01-07&to=2025-01-07" | jq -r .inbound)
check_match "the API counts alice's 7 January (UTC+14)" '^[1-9]' "$inb"
page7=$(curl -sk -b "$cj" "$B/?from=2025-01-07&to=2025-01-07")
check_match "the page's 7 January holds as many" " of $inb<" "$page7"
# The window in words is in the user's zone (issue 20 item 2): one day, and
# a rolling week that ends today there.
check_match "the window in words, in the user's zone" 'id="window-words">7 Jan 2025, Pacific/Kiritimati<' "$page7"
today=$(TZ=Pacific/Kiritimati date +%-d)
check_match "the last 7 days end today in the user's zone" "id=\"window-words\">[^<]*[^0-9]$today [A-Z][a-z][a-z] [0-9]{4}, Pacific/Kiritimati<" \
	"$(curl -sk -b "$cj" "$B/?range=7")"
inb6=$(kget "/api/v1/me/summary?from=2025-01-06&to=2025-01-06" | jq -r .inbound)
utc6=$(kget "/api/v1/me/summary?from=2025-01-06&to=2025-01-06&tz=UTC" | jq -r .inbound)
if [ "$inb6" != "$utc6" ]; then ok "her 6 January differs from the UTC one ($inb6, $utc6)"; else nok "her 6 January differs from the UTC one ($inb6, $utc6)"; fi
page6=$(curl -sk -b "$cj" "$B/?from=2025-01-06&to=2025-01-06")
check_match "the page's 6 January holds as many" " of $inb6<" "$page6"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00' "$B/settings")
check "tz back to UTC: 303" 303 "$code"
check "the overview's figures come from the read model (X-Engine)" memory \
	"$(curl -sk -b "$cj" -D - -o /dev/null "$B/?range=90" | tr -d '\r' | sed -n 's/^[Xx]-[Ee]ngine: //p')"
# The overview's figures and charts are kept per process under (fid, data
# version, window): a repeat view is a hit with the same page, new data a miss.
ovc() {
	curl -sk -b "$cj" -D "$T_OUT/ovc.h" -o "$T_OUT/$2" "$B$1"
	tr -d '\r' <"$T_OUT/ovc.h" | sed -n 's/^[Xx]-[Cc]ache: //p'
}
first=$(ovc "/?range=7" ovc0.html)
check "a first overview of the week: computed (X-Cache miss)" miss "$first"
hit=0 same=1
for i in $(seq 1 24); do
	[ "$(ovc "/?range=7" "ovc$i.html")" = hit ] && hit=$((hit + 1))
	cmp -s "$T_OUT/ovc0.html" "$T_OUT/ovc$i.html" || same=0
done
check_match "repeat views are served from a process's view cache" '^[1-9]' "$hit"
check "every repeat view is the same page" 1 "$same"
n0=$(sed -n 's/.* of \([0-9]*\)<.*/\1/p' "$T_OUT/ovc0.html" | head -1)
now=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
printf '%s\n' '{"type":"cast","hash":"0x00000000000000000000000000000000000095c1","fid":66,"time":"'"$now"'","text":"ping","mentions":[10]}' \
	| as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl >/dev/null
check "after new data, the overview is computed again (X-Cache miss)" miss "$(ovc "/?range=7" ovc_new.html)"
check "and counts the new cast" "$((n0 + 1))" \
	"$(sed -n 's/.* of \([0-9]*\)<.*/\1/p' "$T_OUT/ovc_new.html" | head -1)"
# The inbox cursor (?after=): one parser with the API's (core/cursor.c),
# one form per order: <ts>-<hash> oldest first, <now>.<score>.<ts>-<hash> by priority.
H0=0x0000000000000000000000000000000000000000
for a in "1-$H0" "4102444800-$H0"; do
	check "inbox sort=oldest after=${a:0:12}...: 200" 200 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?sort=oldest&after=$a")"
done
for a in "4102444801-$H0" "-1-$H0" "1-0x00" "1-${H0}0" "1" "1.5.1-$H0"; do
	check "inbox sort=oldest after=${a:0:14}...: 400" 400 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?sort=oldest&after=$a")"
done
for a in "1.5.1-$H0" "4102444800.-150.1-$H0"; do
	check "inbox after=${a:0:14}... (priority): 200" 200 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?after=$a")"
done
for a in "1-$H0" "0.5.1-$H0" "1.5.1-0x00"; do
	check "inbox after=${a:0:14}... (priority): 400" 400 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?after=$a")"
done
body=$(curl -sk -b "$cj" "$B/inbox")
check_match "the inbox links the 48-hour list and its CSV" '<a href="/inbox\?hours=48">Waiting over 48 hours</a> · <a href="/api/v1/users/10/unreplied.csv\?min_hours=48" download>' "$body"
check "the 48-hour CSV with the dashboard's cookie" "200 text/csv; charset=utf-8" \
	"$(curl -sk -b "$cj" -o /dev/null -w '%{http_code} %{content_type}' "$B/api/v1/users/10/unreplied.csv?min_hours=48")"
check "inbox sort=newest: 400" 400 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?sort=newest")"
check "inbox hours=-1: 400" 400 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?hours=-1")"
check "empty hours and sort: 200" 200 "$(curl -sk -o /dev/null -w '%{http_code}' -b "$cj" "$B/inbox?hours=&sort=")"
# Marking a counterpart as a bot from the settings form, next to mute: its
# casts stay in the inbox, marked and last.
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&bots=66' "$B/settings")
check "bots saved from the form: 303" 303 "$code"
check_match "the bots field shows them, by name" 'name="bots" value="@evil"' "$(curl -sk -b "$cj" "$B/settings")"
body=$(curl -sk -b "$cj" "$B/inbox")
check_match "the bot's cast is marked and comes last" '<span class="bot">bot</span></div>[^<]*<p class="why"><span class="why-label">Why this is here:</span> [^<]*marked as a bot, so it comes last</p>' \
	"$(printf '%s' "$body" | tr -d '\n' | grep -o '<li class="item[^"]*">.*' | sed 's/.*<li class="item/<li class="item/')"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&bots=x!' "$B/settings")
check "a bad bots field: 400" 400 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&bots=x' "$B/settings")
check "a bots name no profile has: 422" 422 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal_minutes=45&work_start=09:00&work_end=17:00&bots=' "$B/settings")
check "bots cleared from the form: 303" 303 "$code"
# --- Settings in people's terms (issue 20 item 3). ---
body=$(curl -sk -b "$cj" "$B/settings")
check_match "the zone picker: a select grouped by region, offsets shown" '<optgroup label="Europe">.*<option value="Europe/Berlin">Berlin \(UTC\+0[12]:00\)</option>' "$body"
check_match "the zone picker: Asia/Kolkata at +05:30" '<option value="Asia/Kolkata">Kolkata \(UTC\+05:30\)</option>' "$body"
check_match "the stored zone is selected" '<option value="UTC" selected>UTC</option>' "$body"
check_match "no working days stored: the custom choice is checked" 'id="hours-custom" name="hours" value="custom" checked' "$body"
check_match "the goal in its largest unit: 45 minutes" 'name="goal" [^>]*value="45".*<option value="minutes" selected>' "$body"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" \
	-d 'tz=Asia/Kolkata&hours=everyday-9-21&goal=2&goal_unit=hours&day=mon&work_start=10:00&work_end=11:00' "$B/settings")
check "a preset and a goal in hours: 303" 303 "$code"
check "stored: the zone, the preset's days and hours, the goal in seconds" "Asia/Kolkata|127|540|1260|7200" \
	"$(pg_psql -d replycast -tAc "SELECT concat_ws('|', tz, work_days, work_start, work_end, goal_seconds) FROM user_settings WHERE fid = 10")"
body=$(curl -sk -b "$cj" "$B/settings")
check_match "shown back: 2 hours, every day 9-21" 'value="2".*<option value="hours" selected>' "$body"
check_match "shown back: the preset is checked" 'value="everyday-9-21" checked' "$body"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&hours=custom&day=tue&work_start=08:30&work_end=12:00&goal=1.5&goal_unit=days' "$B/settings")
check "custom hours and 1.5 days: 303" 303 "$code"
check "stored: custom Tuesday 8:30-12:00, 129600 s" "2|510|720|129600" \
	"$(pg_psql -d replycast -tAc "SELECT concat_ws('|', work_days, work_start, work_end, goal_seconds) FROM user_settings WHERE fid = 10")"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&hours=custom&goal=1.234&goal_unit=hours' "$B/settings")
check "a goal with three decimals: 400" 400 "$code"
# Mute by @username, listed by name, unmuted with its own button.
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "csrf_token=$csrf" --data-urlencode 'mute=@Bob, 66' "$B/settings/mute")
check_match "mute @Bob and fid 66: 303" '^303 .*/settings\?saved=1#muted-h$' "$code"
check "stored as fids" "{20,66}" "$(pg_psql -d replycast -tAc "SELECT muted FROM user_settings WHERE fid = 10")"
body=$(curl -sk -b "$cj" "$B/settings" | tr -d '\n')
check_match "the muted list shows names, escaped, with unmute buttons" '<ul id="muted-list"><li><span class="who">@bob</span> \(Bob &lt;b&gt;\)<form method="post" action="/settings/unmute" class="unmute"><input type="hidden" name="csrf_token" value="[0-9a-f]+"><input type="hidden" name="fid" value="20"><button type="submit" aria-label="Unmute @bob">Unmute</button></form></li><li><span class="who">@evil</span>' "$body"
body=$(curl -sk -b "$cj" -w '\n%{http_code}' --data-urlencode "csrf_token=$csrf" --data-urlencode 'mute=@carol, @nobody-here' "$B/settings/mute")
check "an unknown @name: 422" 422 "${body##*$'\n'}"
check_match "the message names it beside the field" '<p class="alert" id="mute-error" role="alert">muted: no stored profile has the username @nobody-here</p>' "$body"
check_match "the input is kept" 'id="mute" name="mute" value="@carol, @nobody-here"' "$body"
check "nothing of it was applied" "{20,66}" "$(pg_psql -d replycast -tAc "SELECT muted FROM user_settings WHERE fid = 10")"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" --data-urlencode 'mute=@b<b>' "$B/settings/mute")
check "a name with other characters: 400" 400 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' -d 'fid=20&csrf_token=forged' "$B/settings/unmute")
check "unmute with a forged token: 403" 403 "$code"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'fid=20' "$B/settings/unmute")
check "unmute bob: 303" 303 "$code"
check "bob left the list" "{66}" "$(pg_psql -d replycast -tAc "SELECT muted FROM user_settings WHERE fid = 10")"
curl -sk -b "$cj" -o /dev/null --data-urlencode "csrf_token=$csrf" -d 'fid=66' "$B/settings/unmute"
code=$(curl -sk -b "$cj" -o /dev/null -w '%{http_code}' --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal=45&goal_unit=minutes&work_start=09:00&work_end=17:00&hours=custom&day=mon&day=tue&day=wed&day=thu&day=fri&bots=@carol 66' "$B/settings")
check "bots by @name and fid: 303" 303 "$code"
check_match "the bots field shows names where known" 'name="bots" value="@carol, @evil"' "$(curl -sk -b "$cj" "$B/settings")"
curl -sk -b "$cj" -o /dev/null --data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal=45&goal_unit=minutes&work_start=09:00&work_end=17:00&hours=weekdays-9-17&bots=' "$B/settings"

# --- No lost forms (issue 20 item 6). ---
kv() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
# A browser drops rc_at when its token expires (Max-Age is its lifetime);
# the refresh cookie (Path=/auth) and the CSRF cookie stay.
ej=$T_OUT/expired.cookies
grep -v '__Host-rc_at' "$cj" >"$ej"
rt0=$(awk '$6 == "__Secure-rc_rt" {print $7}' "$ej")
v0=$(kv GET v:10)
FORM=(--data-urlencode "csrf_token=$csrf" -d 'tz=UTC&goal=3&goal_unit=hours&work_start=09:00&work_end=17:00&hours=weekdays-9-17')
hdr=$(curl -sk -b "$ej" -c "$ej" -o /dev/null -D - "${FORM[@]}" "$B/settings" | tr -d '\r')
check_match "expired access: the form goes on to /auth/renew with 307" '^HTTP/[0-9.]+ 307.*[Ll]ocation: /auth/renew\?next=/settings&keep=/settings ' "$(printf '%s' "$hdr" | tr '\n' ' ')"
hdr=$(curl -sk -b "$ej" -c "$ej" -o /dev/null -D - "${FORM[@]}" "$B/auth/renew?next=/settings&keep=/settings" | tr -d '\r')
check_match "renewed: 307 back to the form's address" '^HTTP/[0-9.]+ 307.*[Ll]ocation: /settings ' "$(printf '%s' "$hdr" | tr '\n' ' ')"
check_match "renewed: a new access cookie" '[Ss]et-[Cc]ookie: __Host-rc_at=[^;]+; Path=/; Max-Age=' "$hdr"
check "renewed: the refresh cookie rotated" 1 "$(awk -v o="$rt0" '$6 == "__Secure-rc_rt" && $7 != "" && $7 != o {n++} END {print n+0}' "$ej")"
code=$(curl -sk -b "$ej" -c "$ej" -o /dev/null -w '%{http_code} %{redirect_url}' "${FORM[@]}" "$B/settings")
check_match "the same form, sent on: applied (303 saved)" '^303 .*/settings\?saved=1$' "$code"
check "applied: 3 hours" 10800 "$(pg_psql -d replycast -tAc "SELECT goal_seconds FROM user_settings WHERE fid = 10")"
check "applied once: the data version moved by one" "$((v0 + 1))" "$(kv GET v:10)"
# An access cookie still sent with its token expired: the same way.
old=$(jwt_mint "$(jwt_claims "$(pg_psql -d replycast -tAc "SELECT id FROM accounts WHERE username = 't95'")" 10 user -60)")
hdr=$(curl -sk -o /dev/null -D - -H "Cookie: __Host-rc_at=$old; __Host-rc_csrf=$csrf" "${FORM[@]}" "$B/settings" | tr -d '\r')
check_match "an expired access cookie: 307 to /auth/renew" '^HTTP/[0-9.]+ 307.*[Ll]ocation: /auth/renew\?next=/settings&keep=/settings ' "$(printf '%s' "$hdr" | tr '\n' ' ')"
# In one go, as a browser follows the redirects.
grep -v '__Host-rc_at' "$ej" >"$ej.2"
out=$(curl -sk -L -b "$ej.2" -c "$ej.2" -o /dev/null -w '%{http_code} %{num_redirects} %{url_effective}' --data-urlencode "csrf_token=$csrf" \
	-d 'tz=UTC&goal=4&goal_unit=hours&work_start=09:00&work_end=17:00&hours=weekdays-9-17' "$B/settings")
check_match "followed: 307, 307, 303, then the saved page" '^200 3 .*/settings\?saved=1$' "$out"
check "followed: 4 hours" 14400 "$(pg_psql -d replycast -tAc "SELECT goal_seconds FROM user_settings WHERE fid = 10")"
# CSRF still holds: a renewal carries a wrong token to the form, refused.
grep -v '__Host-rc_at' "$ej.2" >"$ej.3"
out=$(curl -sk -L -b "$ej.3" -c "$ej.3" -o /dev/null -w '%{http_code}' -d 'csrf_token=forged&tz=UTC&goal=5&goal_unit=hours&work_start=09:00&work_end=17:00&hours=weekdays-9-17' "$B/settings")
check "expired access, wrong CSRF token: 403 after the renewal" 403 "$out"
check "nothing applied" 14400 "$(pg_psql -d replycast -tAc "SELECT goal_seconds FROM user_settings WHERE fid = 10")"
# The session is over (no refresh cookie): sign in, and the form is back.
nj=$T_OUT/nosession.cookies
grep -v '__Host-rc_at\|__Secure-rc_rt' "$ej.2" >"$nj"
hdr=$(curl -sk -b "$nj" -c "$nj" -o /dev/null -D - -d 'tz=UTC&goal=5&goal_unit=hours&csrf_token=forged' "$B/auth/renew?next=/settings&keep=/settings" | tr -d '\r')
check_match "session over, forged form: sign in, nothing kept" '[Ll]ocation: /login\?next=/settings ' "$(printf '%s' "$hdr" | tr '\n' ' ')"
loc=$(curl -sk -L -b "$nj" -c "$nj" -o /dev/null -w '%{url_effective}' --data-urlencode "csrf_token=$csrf" \
	-d 'tz=Asia/Tokyo&goal=6&goal_unit=days&hours=custom&day=sat&work_start=07:15&work_end=08:45&bots=@carol&channel_goals=' "$B/settings")
check_match "session over: the sign-in page, back to the form after" '/login\?next=/settings%3Fform%3D[A-Za-z0-9_-]{43}$' "$loc"
next=$(curl -sk -b "$nj" -c "$nj" "$loc" | grep -o 'name="next" value="[^"]*"' | sed 's/.*value="//; s/"$//')
check_match "the sign-in form carries the way back" '^/settings\?form=[A-Za-z0-9_-]{43}$' "$next"
pre=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$nj")
out=$(curl -sk -b "$nj" -c "$nj" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "username=t95" \
	--data-urlencode "password=a-long-password" --data-urlencode "csrf_token=$pre" --data-urlencode "next=$next" "$B/auth/login")
check "signed in: back to the form" "303 $B$next" "$out"
body=$(curl -sk -b "$nj" "$B$next")
check_match "the form comes back filled in, with a note" 'id="kept">You were signed out before your changes were saved' "$body"
check_match "kept: the zone" '<option value="Asia/Tokyo" selected>' "$body"
check_match "kept: 6 days" 'name="goal" [^>]*value="6".*<option value="days" selected>' "$body"
check_match "kept: custom Saturday 07:15-08:45" 'value="custom" checked.*name="day" value="sat" checked.*value="07:15".*value="08:45"' "$(printf '%s' "$body" | tr -d '\n')"
check_match "kept: the bots field" 'name="bots" value="@carol"' "$body"
check "kept, not applied" "UTC 14400" "$(pg_psql -d replycast -tAc "SELECT tz || ' ' || goal_seconds FROM user_settings WHERE fid = 10")"
check "kept once: a second visit shows the stored settings" "" "$(curl -sk -b "$nj" "$B$next" | grep -o 'id="kept"')"
check "no kept form is left in Redis" "" "$(kv --scan --pattern 'fs:*')"
code=$(curl -sk -o /dev/null -w '%{http_code}' "$B/admin" -b "$cj")
check "the admin page is for admins only" 403 "$code"
code=$(curl -sk -o /dev/null -w '%{http_code}' "$B/nothing-here" -b "$cj")
check "an unknown page: 404 in the layout" 404 "$code"

# A real browser.
if [ ! -d "$RC_ROOT/tests/browser/node_modules/@axe-core/playwright" ] ||
	[ "$RC_ROOT/tests/browser/package-lock.json" -nt "$RC_ROOT/tests/browser/node_modules/.package-lock.json" ]; then
	(cd "$RC_ROOT/tests/browser" && npm ci --no-audit --no-fund >/dev/null 2>&1) || nok "npm ci in tests/browser"
fi
# One account per fid: t95 gives fid 10 up to the admin who shows its data.
rc_ctl user del t95 >/dev/null
printf 'another-long-password\n' | rc_ctl user add t95admin --fid 10 --role admin --password-stdin >/dev/null
# A second user who stands in a group big enough (fid 70006 of the group
# tests/integration/standing.sh builds; t_62 may have built it already).
# shellcheck source=tests/integration/standing.sh
. "$RC_ROOT/tests/integration/standing.sh"
out=$(standing_setup 2>&1)
check_match "the standing group is refreshed" "^standing: [0-9]+ tracked users refreshed" "$out"
rc_ctl user del t95std >/dev/null 2>&1
printf 'a-third-long-password\n' | rc_ctl user add t95std --fid 70006 --password-stdin >/dev/null
shots=$RC_VAR/log/screenshots
# t95_browser SCRIPT LABEL DIR MIN_SHOTS SECONDS [VAR=value...]: runs
# tests/browser/SCRIPT.mjs with BASE and OUT=DIR, each of its lines a check.
t95_browser() {
	local script=$1 label=$2 dir=$3 min=$4 secs=$5 code n
	shift 5
	env BASE="$B" OUT="$dir" "$@" timeout "$secs" node "$RC_ROOT/tests/browser/$script.mjs" >"$T_OUT/$script.out" 2>&1
	code=$?
	checks_from "$label: " "$T_OUT/$script.out"
	check "$script.mjs exited cleanly" 0 "$code"
	n=$(find "$dir" -name "*.png" 2>/dev/null | wc -l)
	[ "$n" -ge "$min" ] && ok "$script.mjs: screenshots saved in $dir ($n)" || nok "$script.mjs: screenshots saved" "$n files in $dir"
}
# The run takes one to two minutes, more while other builds load the machine.
t95_browser dash browser "$shots" 7 300 RC_USER=t95admin RC_PASS=another-long-password \
	RC_USER2=t95std RC_PASS2=a-third-long-password

# Every page at 1280 and 375 px, light and dark, with data and without:
# screenshots in $shots/matrix, axe on each (tests/browser/matrix.mjs).
# The empty account's fid has no casts at all, and is tracked before it is
# bound, so no import is queued for it.
rc_ctl user del t95empty >/dev/null 2>&1
pg_psql -d replycast -c "INSERT INTO tracked (fid) VALUES (987654321) ON CONFLICT DO NOTHING" >/dev/null
printf 'an-empty-long-password\n' | rc_ctl user add t95empty --fid 987654321 --password-stdin >/dev/null
t95_browser matrix pages "$shots/matrix" 100 600 RC_USER=t95admin RC_PASS=another-long-password \
	RC_EMPTY_USER=t95empty RC_EMPTY_PASS=an-empty-long-password
