# shellcheck shell=bash
# Every pool's /healthz and /readyz through nginx, on both ports.
for base in "$RC_HTTP_PLAIN" "$RC_HTTPS"; do
	for p in auth/ api/ ""; do
		pool=${p%/}; pool=${pool:-dash}
		req GET "$base/${p}healthz"
		check "$base/${p}healthz is 200" 200 "$R_CODE"
		check "$base/${p}healthz names pool $pool" "$pool" "$(jget .pool)"
		req GET "$base/${p}readyz"
		check "$base/${p}readyz is 200" 200 "$R_CODE"
		check "$base/${p}readyz: postgresql ok" ok "$(jget .checks.postgresql)"
		check "$base/${p}readyz: redis ok" ok "$(jget .checks.redis)"
	done
done

req GET "$RC_HTTP/api/healthz" -H 'X-Request-Id: spoofed'
check_match "X-Request-Id is nginx's 32-hex request id" '^[0-9a-f]{32}$' "$(header X-Request-Id)"
req GET "$RC_HTTPS/api/healthz"
check "HSTS on TLS" "max-age=31536000" "$(header Strict-Transport-Security)"
check_match "CSP forbids inline script" "script-src 'self';" "$(header Content-Security-Policy)"
check "nosniff" nosniff "$(header X-Content-Type-Options)"
req GET "$RC_HTTP_PLAIN/api/healthz"
check "no HSTS on plain HTTP" "" "$(header Strict-Transport-Security)"
req GET "$RC_HTTP/"
check "dashboard home without a session: 303" 303 "$R_CODE"
check_match "... to the sign-in page" '^/login\?next=' "$(header Location)"
req GET "$RC_HTTP/login"
check "sign-in page is 200" 200 "$R_CODE"
check_match "sign-in page is HTML" '^text/html' "$(header Content-Type)"
req GET "$RC_HTTP/static/app.css"
check "static stylesheet is 200" 200 "$R_CODE"
check_match "static files are cached for long" 'max-age=31536000' "$(header Cache-Control)"
req GET "$RC_HTTP/static/../../../etc/passwd"
check_match "no path traversal on static routes" '^(400|404)$' "$R_CODE"
req GET "http://127.0.0.1:$RC_STATUS_PORT/nginx_status"
check_match "nginx stub_status on loopback" 'Active connections' "$R_BODY"
