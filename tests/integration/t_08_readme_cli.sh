# shellcheck shell=bash
# Every command of README.md's CLI examples (the fenced blocks right after a
# "<!-- cli-example -->" line) runs, exactly as written, from the project
# folder against this stack (script/run follows RC_VAR), and exits 0.
# Their accounts and fids are the README's: alice, fids 3 and 4.
rd_cmds() {
	awk '/^<!-- cli-example -->$/ { want = 1; next }
		want && /^```/ { if (inb) { want = 0; inb = 0 } else inb = 1; next }
		want && inb && NF { print }' "$RC_ROOT/README.md"
}
rd_n=0
while IFS= read -r cmd; do
	rd_n=$((rd_n + 1))
	out=$(cd "$RC_ROOT" && bash -c "set -o pipefail; $cmd" 2>&1 </dev/null); code=$?
	if [ "$code" = 0 ]; then ok "README: $cmd"; else nok "README: $cmd" "exit $code" "$out"; fi
done < <(rd_cmds)
check_match "README has CLI examples marked for this test" '^[1-9][0-9]+$' "$rd_n"
rm -f "$RC_ROOT/demo.jsonl"
# As from a new shell: without the addresses this run exported.
out=$(env -u RC_HTTP -u RC_HTTPS "$RC_ROOT/script/ctl" user list 2>&1)
check_match "script/ctl runs replycastctl on the test stack (RC_VAR)" "^USERNAME" "$out"
out=$("$RC_ROOT/script/run" nosuchprogram 2>&1); code=$?
check_match "script/run names the programs it knows" "1 .*replycastctl" "$code $out"
