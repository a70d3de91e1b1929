# shellcheck shell=bash
# script/lib.sh's /tmp fallback for var/ (a path too long for unix sockets):
# another local user who makes the folder first, or plants a key in it,
# gets neither used.  Only rc_var and secrets_make run, in subshells with
# their own RC_VAR: the running stack is not touched.
if [ "$EUID" -ne 0 ]; then
	ok "t_05: needs root to act as another user (skipped)"
	return 0
fi
V5=$(mktemp -d)
chmod 755 "$V5"
long=$V5/$(printf 'a%.0s' $(seq 80))/var
mkdir -p "${long%/var}"
chmod 755 "${long%/var}"
# The name earlier versions used: /tmp/replycast-<sha1 of the path>.
old=/tmp/replycast-$(printf '%s' "$long" | sha1sum | cut -c1-12)
rm -rf "$old"
runuser -u nobody -- mkdir -p "$old/secrets"
printf 'planted-key-known-to-nobody-0123456789abcdef' | runuser -u nobody -- tee "$old/secrets/jwt.key" >/dev/null

# var5 CMD...: rc_var (and more) in a subshell; prints RC_VAR, then the key.
var5() {
	(
		RC_VAR=$long
		rc_var >/dev/null 2>&1 || exit 1
		"$@" >/dev/null 2>&1 || exit 1
		printf '%s\n' "$RC_VAR"
		cat "$RC_VAR/secrets/jwt.key" 2>/dev/null
	)
}
out=$(var5 secrets_make); code=$?
got=$(printf '%s\n' "$out" | head -1)
key=$(printf '%s\n' "$out" | sed -n 2p)
check "a long RC_VAR falls back to /tmp" "0 /tmp/" "$code ${got:0:5}"
[ -n "$got" ] && [ "$got" != "$old" ] && ok "the fallback is not the predictable folder another user made" ||
	nok "the fallback is not the predictable folder another user made" "got: $got"
check "the fallback is the run user's, mode 0700" "$RC_RUN_USER 700" "$(stat -c '%U %a' "$got" 2>&1)"
check "RC_VAR is a link to it" "$got" "$(readlink "$long")"
[ -n "$key" ] && [ "$key" != "planted-key-known-to-nobody-0123456789abcdef" ] &&
	ok "a fresh jwt.key, not the planted one" || nok "a fresh jwt.key, not the planted one" "got: $key"
check "a second run keeps the same folder and key" "$out" "$(var5 secrets_make)"

# After a reboot /tmp is empty, and anyone may make the folder the link
# names before the scripts run again.
rm -rf "$got"
runuser -u nobody -- mkdir -p "$got/secrets"
printf 'planted-key-known-to-nobody-0123456789abcdef' | runuser -u nobody -- tee "$got/secrets/jwt.key" >/dev/null
out=$(var5 secrets_make); code=$?
check "a link to a folder of another user is refused" 1 "$code"
check "... and left as it was" "nobody" "$(stat -c %U "$got")"
rm -rf "$got"
out=$(var5 secrets_make); code=$?
now=$(printf '%s\n' "$out" | head -1)
[ "$code" = 0 ] && [ -n "$now" ] && [ "$now" != "$got" ] && [ "$now" != "$old" ] &&
	ok "a dangling link gets a new mktemp folder" || nok "a dangling link gets a new mktemp folder" "code $code, $now"
rm -rf "$now"

# A link an older version made, to its predictable name, is refused even
# when the folder is the run user's now (those versions chowned it).
rm -f "$long"
mkdir -p "$old"
chown -R "$RC_RUN_USER:" "$old"
ln -s "$old" "$long"
out=$(var5 secrets_make); code=$?
check "a link to an older version's predictable folder is refused" 1 "$code"

# secrets_make alone: a secrets folder someone else made is not used.
rm -f "$long"
mkdir -p "$V5/short/secrets"
chown -R "$RC_RUN_USER:" "$V5/short"
chmod 700 "$V5/short/secrets"
(umask 077 && printf 'planted-key-known-to-nobody-0123456789abcdef' >"$V5/short/secrets/jwt.key")
chown nobody: "$V5/short/secrets/jwt.key"
( RC_VAR=$V5/short; secrets_make >/dev/null 2>&1 ); code=$?
check "secrets_make refuses a key file of another user" 1 "$code"
chown -R nobody: "$V5/short/secrets"
rm -f "$V5/short/secrets/jwt.key"
( RC_VAR=$V5/short; secrets_make >/dev/null 2>&1 ); code=$?
check "secrets_make refuses a secrets folder of another user" "1 0" "$code $(find "$V5/short/secrets" -type f | wc -l)"
rm -rf "$V5" "$old"
