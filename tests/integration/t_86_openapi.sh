# shellcheck shell=bash
# docs/openapi.json passes Redocly's recommended rules with 0 errors and 0
# warnings (tests/openapi/redocly.yaml; script/test runs npm ci there).
OA_DIR=$RC_ROOT/tests/openapi
# lint86 FILE JQ: JQ over redocly lint's JSON report, or why it did not run.
lint86() {
	(cd "$OA_DIR" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		timeout 120 npx --no-install redocly lint --config redocly.yaml --format=json "$1" \
		2>"$T_OUT/redocly.err") | jq -r "$2" 2>/dev/null ||
		printf 'redocly did not run: %s\n' "$(tail -3 "$T_OUT/redocly.err")"
}
totals='"\(.totals.errors) \(.totals.warnings)"'

if [ ! -x "$OA_DIR/node_modules/.bin/redocly" ]; then
	nok "redocly lint" "tests/openapi/node_modules is missing: script/test runs npm ci there"
else
	check "redocly lint docs/openapi.json: 0 errors, 0 warnings" "0 0" "$(lint86 ../../docs/openapi.json "$totals")"
	# The lint can fail: the same document without one operationId warns.
	jq 'del(.paths["/auth/me"].get.operationId)' "$RC_ROOT/docs/openapi.json" >"$T_OUT/openapi-broken.json"
	check "redocly lint sees a missing operationId" "operation-operationId #/paths/~1auth~1me/get/operationId" \
		"$(lint86 "$T_OUT/openapi-broken.json" '.problems[] | select(.ruleId == "operation-operationId") | "\(.ruleId) \(.location[0].pointer)"')"
	check "operationIds are camelCase and one per operation" \
		"$(jq '[.paths[][] | objects | select(has("responses"))] | length' "$RC_ROOT/docs/openapi.json")" \
		"$(jq '[.paths[][] | objects | .operationId // empty | select(test("^[a-z][a-zA-Z0-9]*$"))] | unique | length' "$RC_ROOT/docs/openapi.json")"
fi
