# shellcheck shell=bash
# A pool's size (script/lib/pools.sh): the default comes from
# pool_size_default (chosen by bench/pools), the README's configuration
# table says the same, a pool of 1 is refused unless RC_POOL_MIN=1 (which
# only bench/pools sets).  Runs in subshells with a scratch RC_VAR: the
# running stack is not touched.
V7=$(mktemp -d)
mkdir -p "$V7/pools"

# size7 POOL [VAR=VALUE...]: pool_size in a subshell; prints "SIZE SOURCE"
# or "refused".
size7() {
	local pool=$1; shift
	(
		unset RC_POOL_AUTH_SIZE RC_POOL_API_SIZE RC_POOL_DASH_SIZE RC_POOL_MIN
		for a in "$@"; do export "${a?}"; done
		# shellcheck disable=SC2034 # pool_size reads it
		RC_VAR=$V7
		n=$(pool_size "$pool" 2>/dev/null) || { echo refused; exit 0; }
		echo "$n $(pool_size_source "$pool")"
	)
}

for p in api dash auth; do
	d=$(pool_size_default "$p")
	check_match "$p: the default size is a number in [2, 64]" '^([2-9]|[1-5][0-9]|6[0-4])$' "$d"
	check "$p: nothing set or stored gives the default" "$d default" "$(size7 "$p")"
	check "$p: the README's configuration table gives the same default" 1 \
		"$(grep -c "^| \`RC_POOL_${p^^}_SIZE\` | stored size, else \`$d\` |" "$RC_ROOT/README.md")"
done
check "a stored size wins over the default" "5 stored" "$(echo 5 >"$V7/pools/api.size"; size7 api)"
rm -f "$V7/pools/api.size"
check "RC_POOL_API_SIZE wins" "3 env" "$(size7 api RC_POOL_API_SIZE=3)"
check "a pool of 1 is refused" refused "$(size7 api RC_POOL_API_SIZE=1)"
check "... unless RC_POOL_MIN=1 (bench/pools)" "1 env" "$(size7 api RC_POOL_API_SIZE=1 RC_POOL_MIN=1)"
check "RC_POOL_MIN lowers the floor to 1 only" refused "$(size7 api RC_POOL_API_SIZE=0 RC_POOL_MIN=0)"
check "65 is refused" refused "$(size7 api RC_POOL_API_SIZE=65 RC_POOL_MIN=1)"
rm -rf "$V7"
