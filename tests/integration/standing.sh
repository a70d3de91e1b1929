# shellcheck shell=bash
# A constructed group for "where I stand" (t_62_standing.sh, t_95_dash.sh),
# all relative to now.  Fids 70001..70023, each with a cast that 30 people
# (fid 79000 + k) reply to over the last 3 days, at one reply every minute;
# fid 70000 + k answers every reply after 60 k seconds, so its median is
# 60 k, except:
#   70011 answers after 600 s, as 70010 does (a tie);
#   70021 answers nothing (no median);
#   70022 gets 29 replies only (below the 30 a member needs);
#   70023 answers after 30 s but is not tracked (not a member);
#   70006 also got 30 replies 10 days ago, answered after 650 s (its 30-day
#   median is (360 + 650) / 2 = 505; this week 360 against 650 last week).
# 70001..70022 are tracked; then every tracked user's medians are refreshed.

st_ingest() { as_run env -S "$(rc_env_s)" "$RC_PREFIX/bin/replycast-ingest" "$@"; }

# cast HASH FID TIME PARENT_HASH PARENT_FID
st_cast() {
	if [ -n "${4:-}" ]; then
		printf '{"type":"cast","hash":"%s","fid":%s,"time":%s,"parent_hash":"%s","parent_fid":%s}\n' "$@"
	else
		printf '{"type":"cast","hash":"%s","fid":%s,"time":%s}\n' "$1" "$2" "$3"
	fi
}

# The replies to fid 70000 + k: K N START ANSWER_AFTER (0: none) TAG
st_thread() {
	local k=$1 n=$2 t0=$3 m=$4 tag=$5 u=$((70000 + $1)) a=$((79000 + $1)) i h root
	root=$(printf '0x1%07d%032d' "$k" "$tag")
	st_cast "$root" "$u" $((t0 - 3600))
	for i in $(seq 1 "$n"); do
		h=$(printf '0x2%07d%01d%031d' "$k" "$tag" "$i")
		st_cast "$h" "$a" $((t0 + i * 60)) "$root" "$u"
		[ "$m" -gt 0 ] && st_cast "$(printf '0x3%07d%01d%031d' "$k" "$tag" "$i")" "$u" $((t0 + i * 60 + m)) "$h" "$a"
	done
}

standing_jsonl() {
	local now=$1 k n m
	for k in $(seq 1 23); do
		n=30 m=$((60 * k))
		[ "$k" = 11 ] && m=600
		[ "$k" = 21 ] && m=0
		[ "$k" = 22 ] && n=29
		[ "$k" = 23 ] && m=30
		st_thread "$k" "$n" $((now - 3 * 86400)) "$m" 0
	done
	st_thread 6 30 $((now - 10 * 86400)) 650 1
}

# Loads the group (a second load changes nothing) and refreshes; prints the
# refresh's line.
standing_setup() {
	standing_jsonl "$(date +%s)" >"$T_OUT/standing.jsonl"
	chmod a+r "$T_OUT/standing.jsonl"
	st_ingest -q "$T_OUT/standing.jsonl" >/dev/null 2>&1 || return 1
	pg_psql -d replycast -qc "INSERT INTO tracked (fid) SELECT generate_series(70001, 70022) ON CONFLICT DO NOTHING" >/dev/null || return 1
	rc_ctl standing refresh
}
