# shellcheck shell=bash
# nginx in front: plain HTTP moves to HTTPS (probes and /metrics aside),
# the TLS profile, nginx's own 429 and 503 as problem+json, and the Redis
# password.
H=https://127.0.0.1:$RC_HTTPS_PORT

# Plain HTTP: browsers move to HTTPS, with the same path and query.
req GET "$RC_HTTP_PLAIN/"
check "plain GET / : 301 to HTTPS" "301 $H/" "$R_CODE $(header Location)"
q='/api/v1/users/10/summary?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&tz=UTC'
req GET "$RC_HTTP_PLAIN$q"
check "plain GET /api/v1/...: 301, same path and query" "301 $H$q" "$R_CODE $(header Location)"
req HEAD "$RC_HTTP_PLAIN/login?next=%2Fpeople" -I
check "plain HEAD /login: 301" "301 $H/login?next=%2Fpeople" "$R_CODE $(header Location)"
req POST "$RC_HTTP_PLAIN/auth/login" -H 'Content-Type: application/json' -d '{"username":"x","password":"y"}'
check "plain POST /auth/login: 308 (method and body kept)" "308 $H/auth/login" "$R_CODE $(header Location)"
req PUT "$RC_HTTP_PLAIN/api/v1/me/settings" -d '{}'
check "plain PUT: 308" "308 $H/api/v1/me/settings" "$R_CODE $(header Location)"
for p in /healthz /readyz /api/healthz /api/readyz /auth/healthz /auth/readyz; do
	req GET "$RC_HTTP_PLAIN$p"
	check "plain GET $p stays 200 (probes)" 200 "$R_CODE"
done
req GET "$RC_HTTP_PLAIN/metrics"
check "plain GET /metrics from loopback stays 200" 200 "$R_CODE"
req GET "$RC_HTTP/login"
check "GET /login over HTTPS: 200, with HSTS" "200 max-age=31536000" "$R_CODE $(header Strict-Transport-Security)"

# TLS: Mozilla intermediate (nginx/tls.conf).
tls() {	# ARGS...: "ok CIPHER" when a handshake succeeds, else "fail"
	local out
	out=$(timeout 5 openssl s_client -connect "127.0.0.1:$RC_HTTPS_PORT" "$@" </dev/null 2>&1)
	if printf '%s' "$out" | grep -q '^-----BEGIN CERTIFICATE'; then
		echo "ok $(printf '%s\n' "$out" | sed -n 's/.*Cipher is \(.*\)$/\1/p' | head -1)"
	else
		echo fail
	fi
}
check "TLS 1.2 with a CBC suite (AES128-SHA): refused" fail "$(tls -tls1_2 -cipher AES128-SHA)"
check "TLS 1.2 with ECDHE and CBC (ECDHE-ECDSA-AES128-SHA256): refused" fail \
	"$(tls -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256)"
check "TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256: ok" "ok ECDHE-ECDSA-AES128-GCM-SHA256" \
	"$(tls -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256)"
check "TLS 1.2 with ECDHE-ECDSA-CHACHA20-POLY1305: ok" "ok ECDHE-ECDSA-CHACHA20-POLY1305" \
	"$(tls -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305)"
check "TLS 1.2 offers only the profile's suites" "ok ECDHE-ECDSA-AES256-GCM-SHA384" \
	"$(tls -tls1_2 -cipher 'AES256-SHA:CAMELLIA256-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384')"
check_match "TLS 1.3: ok" '^ok TLS_' "$(tls -tls1_3)"
# The client's own floor would refuse TLS 1.1 first: lower it.
check "TLS 1.1: refused by the server" fail "$(tls -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')"
t=$(timeout 5 openssl s_client -connect "127.0.0.1:$RC_HTTPS_PORT" -tls1_2 </dev/null 2>&1)
check "no session tickets" "" "$(printf '%s\n' "$t" | grep -i 'session ticket lifetime')"

# nginx's own 429 and 503 (test-only locations of script/lib/nginx.sh with a
# zone of 1 request a minute: the second request is over it).
req GET "$RC_HTTP/__test/limit-429"
req GET "$RC_HTTP/__test/limit-429"
check "nginx's 429" 429 "$R_CODE"
check "429 is problem+json" "application/problem+json urn:replycast:problem:too-many-requests 429" \
	"$(header Content-Type) $(jget .type) $(jget .status)"
check "429 has Retry-After" 1 "$(header Retry-After)"
check_match "429 has X-Request-Id" '^[0-9a-f]{32}$' "$(header X-Request-Id)"
check "... the same as in the body" "$(header X-Request-Id)" "$(jget .request_id)"
check "429 keeps the security headers" "nosniff max-age=31536000" \
	"$(header X-Content-Type-Options) $(header Strict-Transport-Security)"
req GET "$RC_HTTP/__test/limit-503"
check "nginx's 503" 503 "$R_CODE"
check "503 is problem+json" "application/problem+json urn:replycast:problem:unavailable 503" \
	"$(header Content-Type) $(jget .type) $(jget .status)"
check "503 has Retry-After" 5 "$(header Retry-After)"
check_match "503 has X-Request-Id" '^[0-9a-f]{32}$' "$(header X-Request-Id)"
# Every rate-limited location answers with that page (an error_page of a
# location's own would hide the server's 429 page).
bad=$(awk '/^location/ { name = $0; lim = 0; own = 0; page = 0 }
	/^\tlimit_req / { lim = 1 } /^\terror_page/ { own = 1 }
	/^\terror_page 429 @too_many;/ { page = 1 }
	/^}/ { if (lim && own && !page) print name }' "$RC_VAR/nginx/locations.conf")
check "every limited location with its own error_page has the 429 page" "" "$bad"
# A handler's answers keep one X-Request-Id and their own Retry-After.
req GET "$RC_HTTP/api/healthz"
check "one X-Request-Id on a handler's answer" 1 "$(printf '%s\n' "$R_HEADERS" | grep -ci '^X-Request-Id:')"
check "no Retry-After on a 200" "" "$(header Retry-After)"
req GET "$RC_HTTP/static/app.css"
check_match "X-Request-Id on a static file (nginx's own)" '^[0-9a-f]{32}$' "$(header X-Request-Id)"

# Redis wants the password (secrets/redis.secret); the handlers send it.
out=$(env -u REDISCLI_AUTH runuser -u "$RC_RUN_USER" -- redis-cli -s "$RC_SOCK/redis.sock" ping 2>&1)
check_match "Redis without the password: NOAUTH" 'NOAUTH' "$out"
check "Redis with it: PONG" PONG "$(as_run redis-cli -s "$RC_SOCK/redis.sock" ping 2>&1)"
req GET "$RC_HTTP/api/readyz"
check "the handlers authenticate to Redis (readyz)" ok "$(jget .checks.redis)"
