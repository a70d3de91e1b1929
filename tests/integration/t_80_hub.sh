# shellcheck shell=bash
# replycast-ingest --hub against a local stand-in Hub (tests/tools/fixture_httpd
# serving tests/fixtures/hub-server): --fid paging with Snapchain's repeating
# per-shard pages, a 429, a 500 and a cut page; resume from a stored token; a
# Hub error not retried; --follow over the event pages, also after kill -9.
# Fids 500-599 only.
# shellcheck source=tests/integration/hub.sh
. "$RC_ROOT/tests/integration/hub.sh"
trap hub_stop_all EXIT

# requests NAME-PATTERN STATUS: how many the server answered.
requests() { grep -cF -- "$1.json $2" "$HUB_LOG"; }

hub_snapshot() {
	hq "SELECT (SELECT string_agg(encode(hash, 'hex') || ':' || deleted, ' ' ORDER BY hash) FROM casts WHERE fid BETWEEN 500 AND 599),
		(SELECT string_agg(fid || ':' || encode(hash, 'hex') || ':' || kind, ' ' ORDER BY fid, hash) FROM inbound WHERE fid BETWEEN 500 AND 599),
		(SELECT string_agg(fid || ':' || username || ':' || coalesce(display_name, ''), ' ' ORDER BY fid) FROM profiles WHERE fid BETWEEN 500 AND 599)"
}

out=$(hingest --help 2>&1)
check_match "--help documents the Hub modes" '--hub URL\] --fid N.*--follow' "$(printf '%s' "$out" | tr '\n' ' ')"

if ! hub_start "$HFX"; then
	nok "fixture server starts on a port in 18300-18399" "$(cat "$T_OUT"/httpd-*.err 2>/dev/null | tail -3)"
else
	ok "fixture server starts on a port in 18300-18399"
	URL=$HUB_URL
	A1=$(hh $((0x5001))); R2=$(hh $((0x5202)))

	out=$(hingest --hub "$URL" --fid 500 --page-size 2 --attempts 4 2>&1); code=$?
	check "--fid 500 ingests cleanly" 0 "$code"
	# The repeated Snapchain pages come back as "already stored".
	check_match "--fid 500 summary" 'records 22, casts new 9, already stored 6, removed 0, profiles 5, links 0, inbound new 7, bad 0' "$out"
	check "casts of the fixture fids" 9 "$(hq "SELECT count(*) FROM casts WHERE fid BETWEEN 500 AND 599")"
	check "the user's own casts" 3 "$(hq "SELECT count(*) FROM casts WHERE fid = 500")"
	check "inbound: 3 replies, 3 mentions" "1:3 2:3" "$(hq "SELECT string_agg(kind || ':' || n, ' ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM inbound WHERE fid = 500 GROUP BY kind) k")"
	check "profiles of everyone involved" "500:five:Five Hundred 510:fiveten: 520:fivetwenty: 530:fivethirty: 540:fiveforty:" \
		"$(hq "SELECT string_agg(fid || ':' || username || ':' || coalesce(display_name, ''), ' ' ORDER BY fid) FROM profiles WHERE fid BETWEEN 500 AND 599")"
	check "the fid is tracked" 1 "$(hq "SELECT count(*) FROM tracked WHERE fid = 500")"
	check "429 answered twice, then retried" "2 1" "$(requests 'castsByFid/fid=500&pageToken=p2' 429) $(requests 'castsByFid/fid=500&pageToken=p2' 200)"
	check_match "Retry-After: 1 is honoured" 'attempt 2 of 4 in 1000 ms' "$out"
	check "500 answered once, then retried" "1 1" "$(requests 'castsByMention/fid=500&pageToken=s1' 500) $(requests 'castsByMention/fid=500&pageToken=s1' 200)"
	check "a cut page is fetched again" 2 "$(requests "castsByParent/fid=500&hash=0x$A1" 200)"
	check_match "the cut page is reported" 'not one complete JSON document' "$out"
	check "a page with nothing new ends castsByMention (never-empty token)" "1 0" "$(requests 'castsByMention/fid=500&pageToken=s2' 200) $(grep -c 'pageToken=s3' "$HUB_LOG")"
	check "repeated replies end castsByParent" 0 "$(grep -c 'pageToken=q2' "$HUB_LOG")"
	check "the user's like (reactionsByFid, reaction_type=Like) is stored" "1 $(hh $((0x5301)))" \
		"$(hq "SELECT count(*) || ' ' || min(encode(target_hash, 'hex')) FROM likes WHERE fid = 500 AND NOT removed")"
	check "every finished endpoint leaves an empty cursor" "5|0" \
		"$(hq "SELECT count(*), count(cursor) FROM ingest_cursors WHERE source = 'hub-fid' AND key LIKE '$URL fid=500 %'")"

	before=$(hub_snapshot)
	out=$(hingest --hub "$URL" --fid 500 2>&1); code=$?
	check "a second --fid run succeeds" 0 "$code"
	check_match "a second run stores nothing new" 'records 22, casts new 0, already stored 15, removed 0, profiles 0, links 0, inbound new 0, bad 0' "$out"
	check "a second run changes nothing" "$before" "$(hub_snapshot)"

	hq "INSERT INTO ingest_cursors (source, key, cursor) VALUES ('hub-fid', '$URL fid=501 castsByFid', 'r2')" >/dev/null
	out=$(hingest --hub "$URL" --fid 501 2>&1); code=$?
	check "--fid 501 resumes from its stored token" "0 0 1" \
		"$code $(grep -c 'castsByFid/fid=501.json' "$HUB_LOG") $(hq "SELECT count(*) FROM casts WHERE fid = 501")"

	out=$(hingest --hub "$URL" --fid 599 --attempts 4 2>&1); code=$?
	check "a Hub error object fails the run" 1 "$code"
	check_match "the Hub's error is reported" 'HTTP 404: not_found: no fixture' "$out"
	check "a 4xx is not retried" 1 "$(grep -c 'castsByFid/fid=599.json 404' "$HUB_LOG")"

	# Follow: 500 is tracked by --fid, 550 only through the table.
	hq "INSERT INTO tracked (fid) VALUES (550) ON CONFLICT DO NOTHING" >/dev/null
	EV=""
	for i in 1 2 3 4 5 6 7; do EV="$EV $(hh $((0x5e00 + i)))"; done
	EVSQL=$(for h in $EV; do printf "'\\\\x%s'," "$h"; done); EVSQL="(${EVSQL%,})"
	KEPT="$(hh $((0x5e01))) $(hh $((0x5e02))) $(hh $((0x5e04))) $(hh $((0x5e05))) $(hh $((0x5e06))) $(hh $((0x5e07)))"
	kept() { hq "SELECT coalesce(string_agg(encode(hash, 'hex'), ' ' ORDER BY hash), '') FROM casts WHERE hash IN $EVSQL"; }
	event_id() { hq "SELECT event_id FROM ingest_cursors WHERE source = 'hub-events' AND key = '$1'"; }

	out=$(hingest --hub "$URL" --follow --once 2>&1); code=$?
	check "--follow --once exits 0 when caught up" 0 "$code"
	check "follow keeps exactly the casts of tracked fids, replies and mentions" "$KEPT" "$(kept)"
	check "an irrelevant cast is not kept" 0 "$(hq "SELECT count(*) FROM casts WHERE hash = '\\x$(hh $((0x5e03)))'")"
	check "removals: of a stored cast, of a cast kept in the same page" "true true" \
		"$(hq "SELECT string_agg(deleted::text, ' ' ORDER BY hash) FROM casts WHERE hash IN ('\\x$R2', '\\x$(hh $((0x5e07)))')")"
	check "an irrelevant removal is not kept" 0 "$(hq "SELECT count(*) FROM removals WHERE fid = 570")"
	check "a tracked profile is updated" "Five Hundred Again" "$(hq "SELECT display_name FROM profiles WHERE fid = 500")"
	check "follow keeps a tracked fid's like (ReactionAdd)" 1 \
		"$(hq "SELECT count(*) FROM likes WHERE fid = 500 AND target_hash = '\\x$(hh $((0x5e05)))' AND NOT removed")"
	check "the stored event id is the last nextPageEventId" 114 "$(event_id "$URL")"
	check_match "a JSON line per page with lag and counts" '"from":0,"next":105,"events":4,"kept":3,"casts_new":2,"tracked":[0-9]+,"lag_s":[0-9]+' "$out"
	out=$(hingest --hub "$URL" --follow --once 2>&1); code=$?
	check "caught up: a second --once changes nothing" "0 114 $KEPT" "$code $(event_id "$URL") $(kept)"

	# SIGTERM: finish and exit 0.
	hbg follow-term --hub "$URL" --follow --interval 100
	sleep 1
	kill -TERM "$(head -1 "$T_OUT/follow-term.out")"
	wait "$bg"; code=$?
	check "SIGTERM: follow exits 0" 0 "$code"

	# kill -9 while the second page is slow to come, then --once.
	SLOW=$T_OUT/hub-slow
	rm -rf "$SLOW"; cp -R "$HFX" "$SLOW"
	echo 3000 >"$SLOW/v1/events/from_event_id=105.delay"
	hq "DELETE FROM inbound WHERE hash IN $EVSQL; DELETE FROM removals WHERE hash IN $EVSQL; DELETE FROM casts WHERE hash IN $EVSQL" >/dev/null
	if ! hub_start "$SLOW"; then
		nok "a second fixture server starts"
	else
		URL2=$HUB_URL
		hbg follow-kill --hub "$URL2" --follow --interval 100
		for _ in $(seq 200); do [ "$(event_id "$URL2")" = 105 ] && break; sleep 0.05; done
		sleep 0.5
		kill -9 "$(head -1 "$T_OUT/follow-kill.out")" 2>/dev/null
		wait "$bg" 2>/dev/null
		check "killed in the middle: the first page is committed, the second is not" \
			"105 $(hh $((0x5e01))) $(hh $((0x5e02)))" "$(event_id "$URL2") $(kept)"
		out=$(hingest --hub "$URL2" --follow --once 2>&1); code=$?
		check "the restart exits 0" 0 "$code"
		check_match "the restart stores only the rest" 'casts new 4, already stored 0' "$out"
		check "after kill -9 and restart: exactly the casts of the pages" "$KEPT" "$(kept)"
		check "none doubled: the first page was read once" 1 "$(grep -c 'from_event_id=0.json 200' "$HUB_LOG")"
		check "the stored event id is the last page's nextPageEventId" 114 "$(event_id "$URL2")"
	fi
fi
hub_stop_all
trap - EXIT
