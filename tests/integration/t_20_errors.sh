# shellcheck shell=bash
# The router's 404 and 405, and 413 from the handler and from nginx.
req GET "$RC_HTTP/api/nope"
check "unknown API path is 404" 404 "$R_CODE"
check "404 is problem+json" "application/problem+json" "$(header Content-Type)"
check "404 type" "urn:replycast:problem:not-found" "$(jget .type)"
check "404 title" "Not found" "$(jget .title)"
check "404 status member" 404 "$(jget .status)"
check "404 detail" "no such resource" "$(jget .detail)"

req POST "$RC_HTTPS/api/healthz" -d x=1
check "POST on a GET route is 405" 405 "$R_CODE"
check "405 lists Allow" "GET, HEAD" "$(header Allow)"
check "405 type" "urn:replycast:problem:method-not-allowed" "$(jget .type)"

req DELETE "$RC_HTTP/auth/healthz"
check "auth pool: 405" 405 "$R_CODE"
check "auth pool: Allow" "GET, HEAD" "$(header Allow)"

req HEAD "$RC_HTTP/api/healthz" -I
check "HEAD on a GET route is 200" 200 "$R_CODE"

head -c 1500000 /dev/zero | tr '\0' 'a' >"$T_OUT/big.bin"
req POST "$RC_HTTP/api/healthz" --data-binary @"$T_OUT/big.bin" -H 'Content-Type: application/octet-stream'
check "body over RC_MAX_BODY is 413 from the handler" 413 "$R_CODE"
check "handler 413 is problem+json" "urn:replycast:problem:payload-too-large" "$(jget .type)"
check_match "handler 413 names the limit" '1048576' "$(jget .detail)"

head -c 5000000 /dev/zero >"$T_OUT/huge.bin"
req POST "$RC_HTTP/api/healthz" --data-binary @"$T_OUT/huge.bin"
check "body over nginx's limit is 413" 413 "$R_CODE"
check "nginx 413 is problem+json" "urn:replycast:problem:payload-too-large" "$(jget .type)"
check "nginx 413 content type" "application/problem+json" "$(header Content-Type)"

req GET "$RC_HTTP/api/healthz?a=%zz"
check "malformed query string is 400" 400 "$R_CODE"
check_match "400 explains the query string" 'query string: malformed percent-encoding' "$(jget .detail)"

req GET "$RC_HTTP/no/such/page"
check "dashboard 404 is a page" 404 "$R_CODE"
check_match "dashboard 404 is HTML" '^text/html' "$(header Content-Type)"
check_match "dashboard 404 says so, in the layout" '404 · Not found</h1>' "$R_BODY"

big=$(head -c 20000 /dev/zero | tr '\0' 'a')
req GET "$RC_HTTP/api/healthz" -H "X-Big: $big"
check_match "an oversized header is refused by nginx" '^(400|431|494)$' "$R_CODE"
req GET "$RC_HTTP/api/healthz?q=$(head -c 9000 /dev/zero | tr '\0' 'b')"
check_match "an oversized request line is refused" '^(400|414)$' "$R_CODE"
req GET "$RC_HTTP/api/healthz?a=%C3%28"
check "invalid UTF-8 in a query value is not a crash" 200 "$R_CODE"
