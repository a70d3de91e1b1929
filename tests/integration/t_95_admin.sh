# shellcheck shell=bash
# The admin page (issue 20, item 5): pools, the Hub follower, tracked
# accounts and their backfills, and account management from the browser,
# each action CSRF-checked, audited, and for role and fid changes confirmed
# with the acting admin's password.  Through nginx, against the real stack.
B=$RC_HTTPS
A=/admin/accounts
q() { pg_psql -d replycast -tAc "$1"; }
for u in t95adm t95usr t95new t95tgt t95fid; do rc_ctl user del "$u" >/dev/null 2>&1; done
printf 'admin-long-password\n' | rc_ctl user add t95adm --fid 9590 --role admin --password-stdin >/dev/null
printf 'user-long-password\n' | rc_ctl user add t95usr --fid 9591 --password-stdin >/dev/null
printf 'target-long-password\n' | rc_ctl user add t95tgt --fid 9593 --password-stdin >/dev/null

# signin USER PASSWORD JAR: a form sign-in; sets SIGNIN ("CODE LOCATION")
# and CSRF (the session's token).
signin() {
	rm -f "$3"
	curl -sk -c "$3" -o /dev/null "$B/login"
	CSRF=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$3")
	SIGNIN=$(curl -sk -b "$3" -c "$3" -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode "username=$1" \
		--data-urlencode "password=$2" --data-urlencode "csrf_token=$CSRF" "$B/auth/login")
	CSRF=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$3")
}
# post JAR CSRF FIELDS...: POST /admin/accounts; sets R_CODE and R_BODY.
post() {
	local jar=$1 tok=$2; shift 2
	local a=() f
	for f in "$@"; do a+=(--data-urlencode "$f"); done
	req POST "$B$A" -b "$jar" --data-urlencode "csrf_token=$tok" "${a[@]}"
}
# shellcheck disable=SC2016  # $3 expands: the quotes are SQL's
audits() { q "SELECT count(*) FROM audit_log WHERE action = '$1' AND username = '$2'${3:+ AND detail LIKE '%$3%'}"; }

# Every failed sign-in or confirmation here counts against 127.0.0.1, the
# address of all tests: give them back after each, as t_90 does.
forgive() { as_run redis-cli -s "$RC_SOCK/redis.sock" DEL lf:ip:127.0.0.1 lk:ip:127.0.0.1 >/dev/null; }
ju=$T_OUT/usr.jar ja=$T_OUT/adm.jar jt=$T_OUT/tgt.jar
signin t95usr user-long-password "$ju"
check_match "t95usr signs in" '^303 ' "$SIGNIN"
cu=$CSRF
signin t95adm admin-long-password "$ja"
check_match "t95adm signs in" '^303 ' "$SIGNIN"
ca=$CSRF

# A user who is not an admin: 403 on the page and on every action, nothing changes.
req GET "$B/admin" -b "$ju"
check "non-admin: GET /admin is 403" 403 "$R_CODE"
for act in "action=create username=t95new" "action=disable username=t95tgt" "action=enable username=t95tgt" \
	"action=password username=t95tgt" "action=fid username=t95tgt fid=9599 confirm=user-long-password" \
	"action=role username=t95tgt role=admin confirm=user-long-password"; do
	# shellcheck disable=SC2086  # one word per field
	post "$ju" "$cu" $act
	check "non-admin: POST $A ${act%% *} is 403" 403 "$R_CODE"
done
check "non-admin: nothing changed" "0 user 9593 false" \
	"$(q "SELECT (SELECT count(*) FROM accounts WHERE username = 't95new') || ' ' || role || ' ' || fid || ' ' || (disabled_at IS NOT NULL) FROM accounts WHERE username = 't95tgt'")"

# CSRF: missing or forged is refused by the gate; nothing is made.
req POST "$B$A" -b "$ja" --data-urlencode "action=create" --data-urlencode "username=t95new"
check "admin: create without the CSRF token is 403" 403 "$R_CODE"
post "$ja" forged-token action=create username=t95new
check "admin: create with a forged CSRF token is 403" 403 "$R_CODE"
check "no account made by a refused form" 0 "$(q "SELECT count(*) FROM accounts WHERE username = 't95new'")"

# Create: a one-time password shown once, which signs in; audited.
post "$ja" "$ca" action=create username=t95new
check "admin: create a user: 201" 201 "$R_CODE"
pw=$(printf '%s' "$R_BODY" | sed -n 's/.*<code id="new-password">\([^<]*\)<.*/\1/p')
check_match "the one-time password is on the page" '^[A-Za-z0-9_-]{43}$' "$pw"
check "the new account is a user without a fid" "user " "$(q "SELECT role || ' ' || coalesce(fid::text, '') FROM accounts WHERE username = 't95new'")"
check "audit: user.add by t95adm" 1 "$(audits user.add t95new 'by t95adm')"
signin t95new "$pw" "$T_OUT/new.jar"
check_match "the one-time password signs in" '^303 ' "$SIGNIN"
post "$ja" "$ca" action=create username=t95new
check "a taken username: 409" 409 "$R_CODE"
post "$ja" "$ca" action=create username=t95x role=admin
check "a new admin needs the password: 403" 403 "$R_CODE"
check "... and none was made" 0 "$(q "SELECT count(*) FROM accounts WHERE username = 't95x'")"

# Role: without or with a wrong confirmation nothing changes; with it, it does.
signin t95tgt target-long-password "$jt"
check_match "t95tgt signs in" '^303 ' "$SIGNIN"
post "$ja" "$ca" action=role username=t95tgt role=admin
check "role change without the password: 403" 403 "$R_CODE"
post "$ja" "$ca" action=role username=t95tgt role=admin confirm=wrong-password
check "role change with a wrong password: 403" 403 "$R_CODE"
forgive
check_match "the page says the password was wrong" 'id="admin-error">Your password was wrong' "$R_BODY"
check "role unchanged after refused changes" user "$(q "SELECT role FROM accounts WHERE username = 't95tgt'")"
check "audit: the wrong confirmation is recorded" 1 "$(audits admin.confirm.failed t95adm role)"
req GET "$B/settings" -b "$jt"
check "t95tgt's session still works" 200 "$R_CODE"
post "$ja" "$ca" action=role username=t95tgt role=admin confirm=admin-long-password
check "role change with the password: 200" 200 "$R_CODE"
check "t95tgt is an admin" admin "$(q "SELECT role FROM accounts WHERE username = 't95tgt'")"
check "audit: user.role" 1 "$(audits user.role t95tgt 'role admin; by t95adm')"
req GET "$B/settings" -b "$jt"
check "a role change ends the account's sessions" 303 "$R_CODE"
post "$ja" "$ca" action=role username=t95tgt role=user confirm=admin-long-password
check "and back to user" user "$(q "SELECT role FROM accounts WHERE username = 't95tgt'")"

# Fid: the same rule; binding queues the fid's backfill, shown on the page.
post "$ja" "$ca" action=fid username=t95tgt fid=9594 confirm=wrong-password
check "fid change with a wrong password: 403" 403 "$R_CODE"
forgive
check "fid unchanged" 9593 "$(q "SELECT fid FROM accounts WHERE username = 't95tgt'")"
post "$ja" "$ca" action=fid username=t95tgt fid=9594
check "fid change without the password: 403" 403 "$R_CODE"
post "$ja" "$ca" action=fid username=t95tgt fid=9591 confirm=admin-long-password
check "a fid bound to another account: 409" 409 "$R_CODE"
post "$ja" "$ca" action=fid username=t95tgt fid=9594 confirm=admin-long-password
check "fid change with the password: 200" 200 "$R_CODE"
check "t95tgt has fid 9594" 9594 "$(q "SELECT fid FROM accounts WHERE username = 't95tgt'")"
check "audit: user.bind" 1 "$(audits user.bind t95tgt 'fid 9594; by t95adm')"
st=$(q "SELECT state || ' ' || attempts FROM jobs WHERE fid = 9594 ORDER BY id DESC LIMIT 1")
req GET "$B/admin" -b "$ja"
row=$(printf '%s' "$R_BODY" | tr -d '\n' | grep -o '<tr><td>9594</td>.\{0,200\}' | head -1)
check_match "the tracked table shows fid 9594's backfill as the database has it" \
	"^<tr><td>9594</td><td></td><td>t95tgt</td><td>[0-9: -]+</td><td>${st% *}</td><td>${st#* }</td>" "$row"

# Reset password: shown once; the old one and the old sessions stop working.
signin t95tgt target-long-password "$jt"
check_match "t95tgt signs in again" '^303 ' "$SIGNIN"
post "$ja" "$ca" action=password username=t95tgt
check "reset password: 200" 200 "$R_CODE"
npw=$(printf '%s' "$R_BODY" | sed -n 's/.*<code id="new-password">\([^<]*\)<.*/\1/p')
check_match "the new password is shown" '^[A-Za-z0-9_-]{43}$' "$npw"
check "audit: user.passwd" 1 "$(audits user.passwd t95tgt 'by t95adm')"
req GET "$B/settings" -b "$jt"
check "a reset ends the account's sessions" 303 "$R_CODE"
signin t95tgt target-long-password "$T_OUT/x.jar"
check "the old password no longer signs in" "303 $B/login?error=1" "$SIGNIN"
forgive
signin t95tgt "$npw" "$jt"
check_match "the new one does" '^303 ' "$SIGNIN"

# Disable: sessions gone, no sign-in, API key refused; enable restores sign-in.
key=$(curl -sk -b "$jt" --data-urlencode "csrf_token=$CSRF" -d name=k "$B/settings/keys" | sed -n 's/.*<code id="new-key">\([^<]*\)<.*/\1/p')
req GET "$B/api/v1/me/summary" -H "Authorization: Bearer $key"
check "t95tgt's API key works" 200 "$R_CODE"
post "$ja" "$ca" action=disable username=t95tgt
check "disable: 200" 200 "$R_CODE"
check "disabled in the database" t "$(q "SELECT disabled_at IS NOT NULL FROM accounts WHERE username = 't95tgt'")"
check "audit: user.disable" 1 "$(audits user.disable t95tgt 'by t95adm')"
req GET "$B/settings" -b "$jt"
check "the disabled account's session is gone" 303 "$R_CODE"
req POST "$B/auth/refresh" -b "$jt" -H 'Content-Type: application/json' -d '{}'
check_match "its refresh token is refused" '^40[013]$' "$R_CODE"
signin t95tgt "$npw" "$T_OUT/x.jar"
check "it cannot sign in" "303 $B/login?error=1" "$SIGNIN"
forgive
check "audit: the refused sign-in says why" 1 "$(audits login.failed t95tgt 'account disabled')"
req GET "$B/api/v1/me/summary" -H "Authorization: Bearer $key"
check "its API key is refused" 401 "$R_CODE"
req GET "$B/admin" -b "$ja"
check_match "the page lists it as disabled" '<th scope="row">t95tgt</th><td>user</td><td>9594</td><td>[0-9-]+</td><td>disabled</td>' "$R_BODY"
check_match "the page shows the audit entries" '<td>t95tgt</td><td>user.disable</td><td>by t95adm</td>' "$R_BODY"
post "$ja" "$ca" action=enable username=t95tgt
check "enable: 200" 200 "$R_CODE"
signin t95tgt "$npw" "$jt"
check_match "enabled, it signs in again" '^303 ' "$SIGNIN"
check "audit: user.enable" 1 "$(audits user.enable t95tgt 'by t95adm')"

# An admin cannot lock themselves out; the page says so.
post "$ja" "$ca" action=disable username=t95adm
check "disabling yourself: 409" 409 "$R_CODE"
check_match "... says why" 'cannot disable your own account' "$R_BODY"
post "$ja" "$ca" action=role username=t95adm role=user confirm=admin-long-password
check "removing your own admin role: 409" 409 "$R_CODE"
check "still an admin, still enabled" "admin false" "$(q "SELECT role || ' ' || (disabled_at IS NOT NULL) FROM accounts WHERE username = 't95adm'")"
check_match "the page tells an admin about it" 'This is you: you cannot disable yourself or remove your own admin role here' "$R_BODY"

# The shell and the page share the domain code: the same audit action.
rc_ctl user disable t95new >/dev/null
check "replycastctl user disable: the same audit row" 1 "$(q "SELECT count(*) FROM audit_log WHERE action = 'user.disable' AND username = 't95new' AND client_addr = 'shell'")"
check_match "replycastctl user list shows it" 't95new .* disabled$' "$(rc_ctl user list | grep t95new)"
signin t95new "$pw" "$T_OUT/x.jar"
check "... and it cannot sign in" "303 $B/login?error=1" "$SIGNIN"
forgive

# Pools: the page's figures are /metrics' (the same shared files).
met() { curl -s "$RC_HTTP/metrics" | awk -v k="$1" '$1 == k {print $2}'; }
req GET "$B/admin" -b "$ja"
for p in auth api dash; do
	cells=$(printf '%s' "$R_BODY" | tr -d '\n' | grep -o "<tr><th scope=\"row\">$p</th><td>[0-9]*</td><td>[0-9]*</td><td>[0-9]*</td>" | head -1)
	procs=$(met "replycast_pool_processes{pool=\"$p\"}") starts=$(met "replycast_process_starts_total{pool=\"$p\"}")
	check_match "pool $p: processes and restarts as /metrics has them ($procs, $((starts - procs)))" \
		"<td>$procs</td><td>[0-9]+</td><td>$((starts - procs))</td>$" "$cells"
done
# A killed api process is restarted by multiwatch: one restart more, on the page as in /metrics.
pool_restarts() { printf '%s' "$1" | tr -d '\n' | sed -n "s|.*<tr><th scope=\"row\">$2</th><td>[0-9]*</td><td>[0-9]*</td><td>\([0-9]*\)</td>.*|\1|p"; }
before=$(pool_restarts "$R_BODY" api)
victim=$(pool_workers api | head -1)
mw=$(ps -o ppid= -p "$victim" | tr -d ' ')
kill -9 "$victim"
for _ in $(seq 100); do new=$(pgrep -P "$mw"); [ -n "$new" ] && [ "$new" != "$victim" ] && break; sleep 0.02; done
curl -s -o /dev/null "$RC_HTTP/api/readyz"
req GET "$B/admin" -b "$ja"
procs=$(met 'replycast_pool_processes{pool="api"}') starts=$(met 'replycast_process_starts_total{pool="api"}')
check "a killed api process shows as one restart more ($before before)" "$((before + 1)) $((starts - procs))" \
	"$(pool_restarts "$R_BODY" api) $((starts - procs))"
check_match "the dash pool has a request in flight (this one)" "<th scope=\"row\">dash</th><td>[0-9]+</td><td>[1-9]" "$(printf '%s' "$R_BODY" | tr -d '\n')"

# The follower: running while it runs, its lag as /metrics has it, then stopped.
# shellcheck source=tests/integration/hub.sh
. "$RC_ROOT/tests/integration/hub.sh"
if hub_start "$HFX"; then
	hbg t95follow --hub "$HUB_URL" --follow --interval 200
	for _ in $(seq 100); do [ -n "$(met replycast_ingest_follow_lag_seconds)" ] && grep -q '"page"' "$T_OUT/t95follow.err" && break; sleep 0.1; done
	# The follower goes on storing pages: the page shows the cursor stored
	# at some moment between the two reads around it.
	cur95() { q "SELECT event_id FROM ingest_cursors WHERE source = 'hub-events' AND key = '$HUB_URL'"; }
	ev=$(cur95)
	req GET "$B/admin" -b "$ja"
	ev2=$(cur95)
	check_match "follower: running" 'id="follower-state">running<' "$R_BODY"
	shown=$(printf '%s' "$R_BODY" | sed -n 's/.*id="follower-event">\([0-9]*\)<.*/\1/p' | head -1)
	check "follower: the last event is the stored cursor ($ev to $ev2)" 1 \
		"$([[ $shown =~ ^[0-9]+$ && $ev =~ ^[0-9]+$ && $ev2 =~ ^[0-9]+$ ]] && [ "$shown" -ge "$ev" ] && [ "$shown" -le "$ev2" ] && echo 1 || echo "$shown")"
	lag=$(met replycast_ingest_follow_lag_seconds)
	check_match "follower: a lag is shown (/metrics: $lag s)" 'id="follower-lag">[0-9]' "$R_BODY"
	kill -TERM "$(head -1 "$T_OUT/t95follow.out")" 2>/dev/null
	wait "$bg" 2>/dev/null
	req GET "$B/admin" -b "$ja"
	check_match "follower: stopped once it exits" 'id="follower-state">stopped<' "$R_BODY"
	hub_stop_all
else
	nok "the stand-in Hub started"
fi
for u in t95usr t95new t95tgt; do rc_ctl user del "$u" >/dev/null 2>&1; done
