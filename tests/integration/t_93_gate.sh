# shellcheck shell=bash
# One gate for who is asking (issue 16 item 2): every route declares its
# access in its pool's route table, and the core checks it before the
# handler runs.  This walks every route of every pool: the list below must
# be the route tables (replycast-POOL --access) and cover the OpenAPI
# document; without a credential every authenticated route refuses (401
# problem+json in api and auth, a redirect to sign in on the dashboard);
# a logged-out token is refused on every authenticated route, writes
# included, in each pool; an API key is refused where keys may not go;
# a cached read still costs one Redis command.  Fids 960-969, users t93*.
AU=$RC_HTTP/auth
PW=t93-Battery-Staple-7
JSON=(-H 'Content-Type: application/json')
HASH=0x0000000000000000000000000000000000009300

kv() { as_run redis-cli -s "$RC_SOCK/redis.sock" "$@"; }
bearer() { printf 'Authorization: Bearer %s' "$1"; }
adduser() { printf '%s\n' "$PW" | rc_ctl user add "$@" --password-stdin >/dev/null 2>&1; }
login() { kv DEL "lf:ip:127.0.0.1" "lk:ip:127.0.0.1" >/dev/null
	req POST "$AU/login" "${JSON[@]}" -d "$(jq -cn --arg u "$1" --arg p "$PW" '{username: $u, password: $p}')"; }

# Every route: pool, method, pattern, access (as --access prints it).
ROUTES="api GET /api/healthz public
api GET /api/readyz public
api GET /api/v1/openapi.json public
api GET /api/v1/me/summary user,bound,gated
api GET /api/v1/me/channels user,bound,gated
api GET /api/v1/me/speed-trend user,bound,gated
api GET /api/v1/me/standing user,bound,gated
api GET /api/v1/me/import user,bound
api GET /api/v1/me/settings user,bound
api PUT /api/v1/me/settings user,bound,no-key
api GET /api/v1/me/alerts user,bound
api PUT /api/v1/me/alerts user,bound,no-key
api POST /api/v1/me/alerts/secret user,bound,no-key
api GET /api/v1/me/deliveries user,bound
api PUT /api/v1/me/triage/{hash} user,bound,no-key
api DELETE /api/v1/me/triage/{hash} user,bound,no-key
api GET /api/v1/users/{fid}/summary user,bound,gated
api GET /api/v1/users/{fid}/unreplied user,bound,gated
api GET /api/v1/users/{fid}/unreplied.csv user,bound,gated
api GET /api/v1/users/{fid}/distribution user,bound,gated
api GET /api/v1/users/{fid}/heatmap user,bound,gated
api GET /api/v1/users/{fid}/trend user,bound,gated
api GET /api/v1/users/{fid}/counterparts user,bound,gated
api GET /api/v1/users/{fid}/channels user,bound,gated
api GET /api/v1/users/{fid}/streak user,bound,gated
api GET /api/v1/users/{fid}/speed-trend user,bound,gated
api GET /api/v1/users/{fid}/standing user,bound,gated
api GET /api/v1/users/{fid}/export.csv user,bound,gated
api POST /api/v1/ingest user,bound,ingest
api POST /api/v1/webhooks/neynar public
api POST /api/v1/miniapp/webhook public
auth GET /auth/healthz public
auth GET /auth/readyz public
auth GET /auth/csrf optional
auth POST /auth/login public
auth POST /auth/refresh public
auth POST /auth/logout user,no-key
auth GET /auth/renew public
auth GET /auth/me user
auth POST /auth/register public
auth POST /auth/siwf/nonce public
auth POST /auth/siwf public
auth POST /auth/siwf/channel optional
auth GET /auth/siwf/channel optional
auth GET /auth/keys user,no-key
auth POST /auth/keys user,no-key
auth DELETE /auth/keys/{id} user,no-key
dash GET / user,session,bound
dash GET /login optional
dash GET /inbox user,session,bound
dash POST /inbox/triage user,session,bound
dash GET /people user,session,bound
dash GET /settings user,session
dash POST /settings user,session,bound
dash POST /settings/keys user,session,bound
dash POST /settings/keys/delete user,session,bound
dash POST /settings/alerts user,session,bound
dash POST /settings/alerts/secret user,session,bound
dash GET /admin user,session,bound,admin
dash POST /admin/accounts user,session,bound,admin
dash GET /healthz public
dash GET /readyz public
dash GET /metrics optional"

tables=$(for pool in api auth dash; do
	"$RC_PREFIX/bin/replycast-$pool" --access | sed "s|^|$pool |"
done)
check "the list is the route tables, access included (--access)" "$ROUTES" "$tables"
undocumented=$(jq -r '.paths | to_entries[] | .key as $p | .value | keys[] | select(test("^(get|put|post|delete|patch)$")) | "\(ascii_upcase) \($p)"' \
	"$RC_DATA/openapi.json" | while read -r m p; do
	grep -qE "^(api|auth) $m $p " <<<"$ROUTES" || printf '%s %s; ' "$m" "$p"
done)
check "every path of docs/openapi.json is in the list" "" "$undocumented"
check "as many operations in docs/openapi.json as api and auth routes" \
	"$(grep -cE '^(api|auth) ' <<<"$ROUTES")" \
	"$(jq '[.paths[] | keys[] | select(test("^(get|put|post|delete|patch)$"))] | length' "$RC_DATA/openapi.json")"

# URL of a route: captures filled in; the api and auth pools over HTTPS.
url() {
	local p=$1
	p=${p//\{fid\}/960}; p=${p//\{hash\}/$HASH}; p=${p//\{id\}/1}
	printf '%s%s' "$RC_HTTP" "$p"
}
authed() { [ "$1" != public ] && [ "$1" != optional ]; }
# refused NAME POOL CODE LOCATION: what a refusal looks like in each pool.
refused() {
	if [ "$2" = dash ]; then
		check_match "$1: a redirect to $4" "^303 $4\?next=" "$3 $(header Location)"
	else
		check_match "$1: 401 problem+json, WWW-Authenticate Bearer" \
			"^401 urn:replycast:problem:unauthorized Bearer" "$3 $(jget .type) $(header WWW-Authenticate)"
	fi
}

# --- No credential: every authenticated route refuses, before its handler. ---
while read -r pool m p acc; do
	authed "$acc" || continue
	req "$m" "$(url "$p")"
	refused "no credential: $m $p" "$pool" "$R_CODE" /login
done <<<"$ROUTES"
# The public and optional routes answer without one (410: the browser
# sign-in page with no sign-in under way says so, it refuses nobody).
while read -r pool m p acc; do
	authed "$acc" && continue
	[ "$m" = GET ] || continue
	req GET "$(url "$p")"
	check_match "no credential: $m $p is not refused" '^(200|303|403|410|503)$' "$R_CODE"
done <<<"$ROUTES"

# --- A logged-out token: refused on every authenticated route. ---
adduser t93u --fid 960
adduser t93adm --fid 961 --role admin
login t93u; AT=$(jget .access_token)
login t93adm; ADM=$(jget .access_token)
req GET "$AU/csrf" -H "Cookie: __Host-rc_at=$AT"
CSRF=$(jget .csrf_token)
check_match "the session's CSRF token" '^[0-9a-f]{64}$' "$CSRF"
req GET "$AU/csrf" -H "Cookie: __Host-rc_at=$ADM"
CSRFADM=$(jget .csrf_token)
req GET "$RC_HTTP/settings" -H "Cookie: __Host-rc_at=$AT"
check "live cookie: the settings page" 200 "$R_CODE"
req GET "$RC_HTTP/api/v1/me/settings" -H "$(bearer "$AT")"
check "live token: GET /api/v1/me/settings" 200 "$R_CODE"
req POST "$AU/keys" -H "$(bearer "$AT")" "${JSON[@]}" -d '{"name":"t93 live","scope":"read"}'
check "live token: POST /auth/keys" 201 "$R_CODE"
KEY=$(jget .key)
req POST "$AU/logout" -H "$(bearer "$AT")"
check "logout: 204" 204 "$R_CODE"
req POST "$AU/logout" -H "$(bearer "$ADM")"
check "admin logout: 204" 204 "$R_CODE"
before=$(pg_psql -d replycast -tAc "SELECT (SELECT count(*) FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE a.username = 't93u'), (SELECT coalesce(goal_seconds, 0) FROM user_settings WHERE fid = 960)")
while read -r pool m p acc; do
	authed "$acc" || continue
	# The admin's token where only an admin gets that far.
	t=$AT; [[ $acc == *admin* || $acc == *ingest* ]] && t=$ADM
	if [ "$pool" = dash ] && [ "$m" = GET ]; then
		req GET "$(url "$p")" -H "Cookie: __Host-rc_at=$t"
	elif [ "$pool" = dash ]; then
		# With the session's CSRF token: only revocation stands in the way.
		c=$CSRF; [ "$t" = "$ADM" ] && c=$CSRFADM
		req "$m" "$(url "$p")" -H "Cookie: __Host-rc_at=$t" --data-urlencode "csrf_token=$c" \
			-d 'tz=UTC&goal_minutes=5&work_start=09:00&work_end=17:00&muted=&name=t93&hash='"$HASH"'&state=done&id=1'
	elif [ "$m" = GET ]; then
		req GET "$(url "$p")" -H "$(bearer "$t")"
	else
		req "$m" "$(url "$p")" -H "$(bearer "$t")" "${JSON[@]}" --data-binary '{"tz":"UTC","goal_seconds":60,"state":"done","name":"t93"}'
	fi
	refused "logged out: $m $p" "$pool" "$R_CODE" /login
done <<<"$ROUTES"
check "logged out: no write went through (keys, settings)" "$before" \
	"$(pg_psql -d replycast -tAc "SELECT (SELECT count(*) FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE a.username = 't93u'), (SELECT coalesce(goal_seconds, 0) FROM user_settings WHERE fid = 960)")"

# --- API keys go where the routes say: not to writes, logout or keys. ---
check_match "a read key was made" '^rck_' "$KEY"
while read -r pool m p acc; do
	[[ $acc == *no-key* || $acc == *ingest* ]] || continue
	req "$m" "$(url "$p")" -H "$(bearer "$KEY")" "${JSON[@]}" --data-binary '{"name":"t93"}'
	check "a read key: $m $p is 403" 403 "$R_CODE"
done <<<"$ROUTES"
req GET "$RC_HTTP/api/v1/me/settings" -H "$(bearer "$KEY")"
check "a read key reads" 200 "$R_CODE"
req GET "$RC_HTTP/settings" -H "$(bearer "$KEY")"
check_match "a key is no browser session: the dashboard sends it to sign in" '^303 /login\?next=' "$R_CODE $(header Location)"

# --- A non-admin on an admin route, an unrevoked admin on /metrics. ---
login t93u; AT=$(jget .access_token)
req GET "$RC_HTTP/admin" -H "Cookie: __Host-rc_at=$AT"
check_match "a user on /admin: 403 page" '^403 .*administrators' "$R_CODE $R_BODY"
login t93adm; ADM=$(jget .access_token)
req GET "$RC_HTTP/admin" -H "Cookie: __Host-rc_at=$ADM"
check "an admin on /admin: 200" 200 "$R_CODE"

# --- The read path still makes one Redis round trip on a cache hit. ---
# MONITOR lists what clients send; what a script runs inside is marked lua.
# Two mentions, so that fid 960's answers are stored (RC_CACHE_MIN_FACTS=2).
printf '%s\n' '{"type":"cast","hash":"0x00000000000000000000000000000000000093a1","fid":30,"time":"'"$(date -u -d '-2 hour' +%FT%TZ)"'","text":"a","mentions":[960]}' \
	'{"type":"cast","hash":"0x00000000000000000000000000000000000093a2","fid":30,"time":"'"$(date -u -d '-1 hour' +%FT%TZ)"'","text":"b","mentions":[960]}' |
	as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl >/dev/null
req GET "$RC_HTTP/api/v1/me/summary" -H "$(bearer "$AT")"
best=99
for _ in 1 2 3; do
	as_run timeout 1.5 redis-cli -s "$RC_SOCK/redis.sock" MONITOR >"$T_OUT/t93-monitor" 2>/dev/null &
	mon=$!
	sleep 0.4
	req GET "$RC_HTTP/api/v1/me/summary" -H "$(bearer "$AT")"
	hit=$(header X-Cache)
	wait "$mon"
	n=$(grep -E '^[0-9.]+ \[[0-9]+ ' "$T_OUT/t93-monitor" | grep -vc ' lua\]')
	[ "$hit" = hit ] && [ "$n" -lt "$best" ] && best=$n
done
check "a cached read: one Redis round trip (revocation, rate limit, cache)" 1 "$best"
