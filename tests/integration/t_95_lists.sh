# shellcheck shell=bash
# shellcheck disable=SC2046  # rc_env's VAR=value lines become env's arguments
# People and inbox that scale (issue 20 item 4): the people list's keyset
# pages, search and sorts, the inbox's counts per view and its bulk
# actions.  Its own user, fid 4000, with 130 people writing to it in March
# 2025 (equal counts on purpose: ties go by fid).
B=$RC_HTTPS
LW="from=2025-03-01&to=2025-03-31"
lf=$T_OUT/lists.jsonl
: >"$lf"
printf '%s\n' '{"type":"profile","fid":4000,"username":"owner","display_name":"Owner","time":"2025-01-01T00:00:00Z"}' >>"$lf"
base=1741168800	# 2025-03-05T10:00:00Z
for i in $(seq 0 129); do
	f=$((4101 + i))
	case $((i % 10)) in
	0) dn="" ;; 1) dn="Alice $i" ;; 2) dn="NATALIE" ;; 3) dn="Same Name" ;;
	8) dn="100% real" ;; *) dn="Person $i" ;;
	esac
	un="p$f"
	[ "$i" -eq 7 ] && un="kalimba"
	printf '{"type":"profile","fid":%d,"username":"%s","display_name":"%s","time":"2025-01-01T00:00:00Z"}\n' "$f" "$un" "$dn" >>"$lf"
	for k in $(seq 0 $((i % 3))); do
		t=$((base + i * 60 + k * 3600))
		printf '{"type":"cast","hash":"0x%040x","fid":%d,"time":"%s","text":"cast %d of %d","mentions":[4000]}\n' \
			$((0x40000000 + f * 10 + k)) "$f" "$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ)" "$k" "$f" >>"$lf"
	done
	if [ $((i % 4)) -eq 0 ]; then
		t=$((base + i * 60 + (i % 5 + 1) * 600))
		printf '{"type":"cast","hash":"0x%040x","fid":4000,"time":"%s","text":"thanks","parent_hash":"0x%040x","parent_fid":%d}\n' \
			$((0x50000000 + f)) "$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ)" $((0x40000000 + f * 10)) "$f" >>"$lf"
	fi
done
as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl <"$lf" >/dev/null
pg_psql -d replycast -c "INSERT INTO tracked (fid) VALUES (4000) ON CONFLICT DO NOTHING" >/dev/null
printf 'a-long-password\n' | rc_ctl user add t95l --fid 4000 --password-stdin >/dev/null
T4=$(jwt_mint "$(jwt_claims 9095 4000 user)")
a4=(-H "Authorization: Bearer $T4")
lj=$T_OUT/lists.cookies
rm -f "$lj"
curl -sk -c "$lj" -o /dev/null "$B/login"
lcsrf=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$lj")
code=$(curl -sk -b "$lj" -c "$lj" -o /dev/null -w '%{http_code}' --data-urlencode "username=t95l" \
	--data-urlencode "password=a-long-password" --data-urlencode "csrf_token=$lcsrf" "$B/auth/login")
check "lists: sign-in: 303" 303 "$code"
lcsrf=$(awk '$6 == "__Host-rc_csrf" {print $7}' "$lj")

check "the search indexes exist (pg_trgm)" 2 "$(pg_psql -d replycast -Atc "SELECT count(*) FROM pg_indexes WHERE indexname IN ('profiles_username_trgm', 'profiles_display_name_trgm')")"

# The fids of a people page, in order (every row links its @username).
people_fids() {
	grep -o 'href="https://farcaster.xyz/[a-z0-9]*"' | sed 's|.*/||; s|"$||' |
		while read -r u; do
			if [ "$u" = kalimba ]; then echo 4108; else echo "${u#p}"; fi
		done
}
# Walks the dashboard's pages of a list from URL; prints the fids in order.
people_walk() {
	local u=$1 body n=0
	while [ -n "$u" ] && [ $n -lt 10 ]; do
		body=$(curl -sk -b "$lj" "$B$u")
		printf '%s' "$body" | people_fids
		u=$(printf '%s' "$body" | grep -o 'rel="next" href="[^"]*"' | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
		n=$((n + 1))
	done
}
# The jq key of a sort, as the list orders by it (nulls last, ties by fid).
jkey() {
	case $1 in
	inbound) echo '.inbound' ;; answered) echo '.answered' ;;
	reply_rate) echo '(.answered / .inbound)' ;; median) echo '.median_seconds' ;;
	name) echo '((.display_name // "") | if . == "" then null else . end) // .username // "" | ascii_downcase' ;;
	esac
}

# Every sort, both ways: the dashboard's keyset pages of 50 are the API's
# one page of 500 (no duplicate, no gap, ties in fid order), and that page
# is ordered by its key.
for s in inbound answered reply_rate median name; do
	for d in asc desc; do
		req GET "$B/api/v1/users/4000/counterparts?$LW&sort=$s&dir=$d&limit=500" "${a4[@]}"
		want=$(jget '[.counterparts[].fid] | join(" ")')
		got=$(people_walk "/people?sort=$s&dir=$d&$LW" | tr '\n' ' ' | sed 's/ $//')
		check "people sort=$s dir=$d: the pages of 50 are the whole list" "$want" "$got"
		check "people sort=$s dir=$d: 130 people, each once" "130 130" \
			"$(printf '%s\n' "$got" | tr ' ' '\n' | wc -l) $(printf '%s\n' "$got" | tr ' ' '\n' | sort -u | wc -l)"
		k=$(jkey "$s")
		sorted=$(jget "[.counterparts[] | [(($k) as \$k | if \$k == null then [1, 0] elif \"$d\" == \"desc\" and (\$k | type) == \"number\" then [0, -\$k] else [0, \$k] end), .fid]] as \$a | if \"$s\" == \"name\" and \"$d\" == \"desc\" then (\$a | sort_by(.[1]) | group_by(.[0]) | reverse | add) == \$a else \$a == (\$a | sort) end")
		check "api sort=$s dir=$d: ordered by the column, then fid" true "$sorted"
	done
done
# The default directions give the order the offset list always gave.
for s in inbound answered reply_rate median; do
	req GET "$B/api/v1/users/4000/counterparts?$LW&sort=$s&limit=500" "${a4[@]}"
	old=$(jget '[.counterparts[].fid] | join(" ")')
	req GET "$B/api/v1/users/4000/counterparts?$LW&sort=$s&dir=$([ $s = median ] && echo asc || echo desc)&limit=500" "${a4[@]}"
	check "api sort=$s: the keyset list keeps the offset list's order" "$old" "$(jget '[.counterparts[].fid] | join(" ")')"
done
# The API's own keyset pages.
req GET "$B/api/v1/users/4000/counterparts?$LW&sort=name&dir=desc&limit=500" "${a4[@]}"
want=$(jget '[.counterparts[].fid] | join(" ")')
u="$B/api/v1/users/4000/counterparts?$LW&sort=name&dir=desc&limit=40"
got=""
for _ in 1 2 3 4 5; do
	req GET "$u" "${a4[@]}"
	got="$got $(jget '[.counterparts[].fid] | join(" ")')"
	c=$(jget '.next_cursor // empty')
	[ -z "$c" ] && break
	u="$B/api/v1/users/4000/counterparts?$LW&sort=name&dir=desc&limit=40&cursor=$c"
done
check "api keyset pages of 40 (name, descending) are the whole list" "$want" "${got# }"
req GET "$B/api/v1/users/4000/counterparts?$LW&sort=inbound&dir=asc&cursor=$c" "${a4[@]}"
check "api: a cursor of another order: 400" 400 "$R_CODE"
req GET "$B/api/v1/users/4000/counterparts?$LW&sort=name&cursor=k4a.1.tzz" "${a4[@]}"
check "api: a malformed cursor: 400" 400 "$R_CODE"
req GET "$B/api/v1/users/4000/counterparts?$LW&limit=2" "${a4[@]}"
check "api: without the new parameters the cursor is the offset one" o2 "$(jget .next_cursor)"
code=$(curl -sk -b "$lj" -o /dev/null -w '%{http_code}' "$B/people?sort=inbound&after=k4a.4101.t70")
check "people: an after of another order: 400" 400 "$code"

# Search: a case-insensitive substring of the username or display name;
# the API, the dashboard and jq over the whole list agree.
req GET "$B/api/v1/users/4000/counterparts?$LW&sort=name&limit=500" "${a4[@]}"
for q in ali ALI p412 '@p412' 'same name' '%' '_'; do
	qq=${q#@}
	want=$(printf '%s' "$R_BODY" | jq -r --arg q "$qq" '[.counterparts[] | select(((.username // "") | ascii_downcase | contains($q | ascii_downcase)) or ((.display_name // "") | ascii_downcase | contains($q | ascii_downcase))) | .fid] | join(" ")')
	enc=$(jq -rn --arg q "$q" '$q | @uri')
	got=$(people_walk "/people?sort=name&$LW&q=$enc" | tr '\n' ' ' | sed 's/ $//')
	check "people search '$q': the people whose name or username holds it" "$want" "$got"
done
body=$(curl -sk -b "$lj" "$B/people?sort=median&dir=desc&$LW&q=ali")
check_match "the active header has aria-sort" '<th scope="col" aria-sort="descending"><a href="/people\?sort=median&amp;dir=asc&amp;from=2025-03-01&amp;to=2025-03-31&amp;q=ali">Median reply</a>' "$body"
check_match "other headers keep window and search" '<a href="/people\?sort=name&amp;dir=asc&amp;from=2025-03-01&amp;to=2025-03-31&amp;q=ali">Person</a>' "$body"
check "exactly one header is marked sorted" 1 "$(printf '%s' "$body" | grep -o 'aria-sort=' | wc -l)"
check_match "a row shows the name and the @username" '>Alice 1</a> <span class="handle">@p4102</span>' "$body"
check_match "initials without a picture" '<span class="avatar" aria-hidden="true">A1</span>' "$body"
body=$(curl -sk -b "$lj" "$B/people?$LW&q=%3Cb%3E")
check_match "the search is shown escaped" 'value="&lt;b&gt;"' "$body"
code=$(curl -sk -b "$lj" -o /dev/null -w '%{http_code}' "$B/people?q=$(printf 'x%.0s' $(seq 65))")
check "a search over 64 bytes: 400" 400 "$code"

# Inbox: the counts of the view switch are the API's, per view.
inbox_count() {	# VIEW: the count the switch shows
	curl -sk -b "$lj" "$B/inbox" | grep -o "show=$1[^>]*>[^<]*<span class=\"count\">[0-9,]*" | sed 's/.*>//; s/,//g'
}
api_count() {	# SHOW
	req GET "$B/api/v1/users/4000/unreplied?show=$1&limit=500" "${a4[@]}"
	jget '.items | length'
}
counts_match() {	# LABEL
	local v a b
	for v in inbox "done" snoozed acknowledged; do
		a=$(inbox_count "$v")
		b=$(api_count "$v")
		check "$1: the $v count is the API's" "$b" "$a"
	done
}
counts_match "inbox before any triage"
open=$(( $(grep -c '"mentions":\[4000\]' "$lf") - $(grep -c '"type":"cast","hash":"[^"]*","fid":4000,' "$lf") ))
check "the inbox starts with every open cast waiting" "$open" "$(api_count inbox)"

h1=$(printf '0x%040x' $((0x40000000 + 4102 * 10)))
h2=$(printf '0x%040x' $((0x40000000 + 4103 * 10)))
h3=$(printf '0x%040x' $((0x40000000 + 4106 * 10)))
hx=$(printf '0x%040x' $((0x7fffffff)))
tri() { curl -sk -b "$lj" -o "$T_OUT/tri.html" -w '%{http_code}' --data-urlencode "csrf_token=$lcsrf" "$@" "$B/inbox/triage"; }
check "bulk done without the CSRF token: 403" 403 "$(curl -sk -b "$lj" -o /dev/null -w '%{http_code}' -d "hash=$h1&hash=$h2&action=done" "$B/inbox/triage")"
check "bulk done with one cast not in the inbox: 404" 404 "$(tri -d "hash=$h1&hash=$hx&hash=$h2&action=done")"
check_match "the page says nothing was changed" 'nothing was changed' "$(cat "$T_OUT/tri.html")"
check "bulk done with a malformed hash: 400" 400 "$(tri -d "hash=$h1&hash=0x12&action=done")"
check "bulk done with no cast picked: 400" 400 "$(tri -d "action=done")"
check "bulk snooze without a duration: 400" 400 "$(tri -d "hash=$h1&action=snooze")"
check "after refused bulk actions nothing is done" 0 "$(api_count "done")"
check "bulk done of two: 303" 303 "$(tri -d "hash=$h1&hash=$h2&action=done")"
req GET "$B/api/v1/users/4000/unreplied?show=done&limit=500" "${a4[@]}"
check "both are done" "$h1 $h2" "$(jget '[.items[].hash] | sort | join(" ")')"
check "bulk snooze of two for 1 day: 303" 303 "$(tri -d "hash=$h3&hash=$h1&action=snooze&snooze=1d")"
check "both are snoozed" 2 "$(api_count snoozed)"
counts_match "inbox after bulk actions"
loc=$(curl -sk -b "$lj" -o /dev/null -D - --data-urlencode "csrf_token=$lcsrf" -d "hash=$h1&action=done&show=done" "$B/inbox/triage" |
	tr -d '\r' | grep -i '^location:' | cut -d' ' -f2)
check "a triage form returns to the view it came from" "/inbox?show=done" "$loc"
check "bulk undo: 303" 303 "$(tri -d "hash=$h3&hash=$h1&hash=$h2&action=undo")"
check "undone: nothing done or snoozed" "0 0" "$(api_count "done") $(api_count snoozed)"
page=$(curl -sk -b "$lj" "$B/inbox?sort=oldest" | grep -o 'name="page" value="0x[0-9a-f]*"' | sed 's/.*value="//; s/"$//')
check "the page lists its 50 casts for 'mark all on this page'" 50 "$(printf '%s\n' "$page" | wc -l)"
args=()
for h in $page; do args+=(-d "page=$h"); done
check "mark all on this page done: 303" 303 "$(tri "${args[@]}" -d action=done_page)"
check "the page's 50 are done" 50 "$(api_count "done")"
counts_match "inbox after marking a page done"
body=$(curl -sk -b "$lj" "$B/inbox")
check_match "one form around the list, a checkbox per cast" '<form id="bulk" method="post" action="/inbox/triage"' "$body"
check_match "the current view is marked" 'aria-current="page">Waiting <span class="count">'"$((open - 50))" "$body"

# Mentions as @usernames: a cast whose text lacks its mentions (as the Hub
# sends it) with their byte offsets (mentions_positions); the API's
# text_with_mentions and the inbox show the names there, escaped; a
# mention without a profile shows its fid.  The last cast in time, so the
# oldest-first inbox after the one before it starts with it.
mh=$(printf '0x%040x' $((0x60000000 + 1)))
mt1='hey '
mt2=' and café <b> '
mt3='!'
mp2=$(( $(printf '%s' "$mt1" | wc -c) ))
mp3=$(( mp2 + $(printf '%s' "$mt2" | wc -c) ))
mp4=$(( mp3 + $(printf '%s' "$mt3" | wc -c) ))
printf '{"type":"cast","hash":"%s","fid":4102,"time":"2025-03-28T12:00:00Z","text":"%s","mentions":[4103,4000,9999999],"mentions_positions":[%d,%d,%d]}\n' \
	"$mh" "$mt1$mt2$mt3" "$mp2" "$mp3" "$mp4" |
	as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl >/dev/null
check "the positions are stored with the mentions as listed" "{4103,4000,9999999} {$mp2,$mp3,$mp4}" \
	"$(pg_psql -d replycast -Atc "SELECT mention_fids::text || ' ' || mention_pos::text FROM casts WHERE hash = '\\x${mh#0x}'")"
req GET "$B/api/v1/users/4000/unreplied?sort=oldest&limit=500" "${a4[@]}"
check "api: text_with_mentions has the @usernames at their offsets" \
	"hey @p4103 and café <b> @owner!@fid:9999999" "$(printf '%s' "$R_BODY" | jq -r --arg h "$mh" '.items[] | select(.hash == $h) | .text_with_mentions')"
check "api: text stays as stored" "$mt1$mt2$mt3" "$(printf '%s' "$R_BODY" | jq -r --arg h "$mh" '.items[] | select(.hash == $h) | .text')"
body=$(curl -sk -b "$lj" "$B/inbox?sort=oldest&after=$(date -u -d 2025-03-28T11:59:59Z +%s)-0x0000000000000000000000000000000000000000")
check_match "inbox: the mentions as @usernames, the text escaped" '<p class="text">hey @p4103 and café &lt;b&gt; @owner!@fid:9999999</p>' "$body"

# Avatars: replycast-worker fills the cache from profiles' pfp_url (a
# fixture server on loopback: no network); the page shows the cached
# picture from its own origin, else initials.  Other profiles' https://
# pictures (t_60's) are marked tried, so that nothing leaves the machine.
AV_HTTPD=$RC_ROOT/build/$RC_MODE/tests/tools/fixture_httpd
AV_PORT=$((RC_HTTP_PORT + 71))
AV_DIR=$T_OUT/avatars95
rm -rf "$AV_DIR"
mkdir -p "$AV_DIR/pfp/ok" "$AV_DIR/pfp/big" "$AV_DIR/pfp/html" "$AV_DIR/pfp/svg"
printf '%s' 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' |
	base64 -d >"$AV_DIR/pfp/ok/index.json"
echo image/png >"$AV_DIR/pfp/ok/index.type"
{ printf '\211PNG\r\n\032\n'; head -c 204800 /dev/zero; } >"$AV_DIR/pfp/big/index.json"
echo image/png >"$AV_DIR/pfp/big/index.type"
printf '<!doctype html><p>not a picture' >"$AV_DIR/pfp/html/index.json"
echo 'text/html; charset=utf-8' >"$AV_DIR/pfp/html/index.type"
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' >"$AV_DIR/pfp/svg/index.json"
echo image/png >"$AV_DIR/pfp/svg/index.type"
"$AV_HTTPD" "$AV_PORT" "$AV_DIR" >"$T_OUT/av95.out" 2>"$T_OUT/av95.err" &
AV_PID=$!
for _ in $(seq 100); do grep -q ready "$T_OUT/av95.out" 2>/dev/null && break; sleep 0.05; done
av_u="http://127.0.0.1:$AV_PORT/pfp"
{
	printf '{"type":"profile","fid":4102,"username":"p4102","display_name":"Alice 1","pfp_url":"%s/ok","time":"2025-02-01T00:00:00Z"}\n' "$av_u"
	printf '{"type":"profile","fid":4103,"username":"p4103","display_name":"NATALIE","pfp_url":"%s/big","time":"2025-02-01T00:00:00Z"}\n' "$av_u"
	printf '{"type":"profile","fid":4104,"username":"p4104","display_name":"Same Name","pfp_url":"%s/html","time":"2025-02-01T00:00:00Z"}\n' "$av_u"
	printf '{"type":"profile","fid":4105,"username":"p4105","display_name":"Person 4","pfp_url":"%s/svg","time":"2025-02-01T00:00:00Z"}\n' "$av_u"
	printf '{"type":"profile","fid":4106,"username":"p4106","display_name":"Person 5","pfp_url":"http://pictures.example/p.png","time":"2025-02-01T00:00:00Z"}\n'
} | as_run env $(rc_env | tr '\n' ' ') "$RC_PREFIX/bin/replycast-ingest" -q -f jsonl >/dev/null
pg_psql -d replycast -c "INSERT INTO avatars (fid, url, error) SELECT fid, pfp_url, 'not fetched in tests'
	FROM profiles WHERE pfp_url LIKE 'https://%' ON CONFLICT DO NOTHING" >/dev/null
as_run env $(rc_env | tr '\n' ' ') RC_HUB_URL= RC_AVATAR_BATCH=20 RC_AVATAR_HTTP_LOOPBACK=1 \
	RC_LOG_FILE="$T_OUT/worker95.log" timeout 60 "$RC_PREFIX/bin/replycast-worker" --once 2>>"$T_OUT/worker95.log"
check "the worker's avatar round ends" 0 "$?"
av_row() { pg_psql -d replycast -Atc "SELECT coalesce(ctype, '-') || ' ' || coalesce(length(body), 0) || ' ' || coalesce(error, '') FROM avatars WHERE fid = $1"; }
check "a PNG is cached with its bytes" "image/png $(wc -c <"$AV_DIR/pfp/ok/index.json") " "$(av_row 4102)"
check "a picture over 128 KiB is refused" "- 0 larger than 128 KiB" "$(av_row 4103)"
check_match "HTML is refused" '^- 0 not a PNG, JPEG, WebP or GIF image \(Content-Type "text/html"\)' "$(av_row 4104)"
check_match "SVG sent as image/png is refused (its bytes say otherwise)" '^- 0 not a PNG, JPEG, WebP or GIF image' "$(av_row 4105)"
check "plain http:// off loopback is refused before any request" "- 0 not an https:// URL with a host" "$(av_row 4106)"
check "the fixture server saw the four loopback requests only" 4 "$(grep -c 'GET /pfp/' "$T_OUT/av95.err")"
kill "$AV_PID" 2>/dev/null
wait "$AV_PID" 2>/dev/null
req GET "$B/people?sort=name&$LW&q=p410" -b "$lj"
check_match "people: the cached picture from this origin" '<span class="avatar" aria-hidden="true"><img src="/avatar/4102\?v=[0-9]+" alt="" width="24" height="24"></span>' "$R_BODY"
check_match "people: initials where the picture was refused" '<span class="avatar" aria-hidden="true">N</span><a href="https://farcaster.xyz/p4103"' "$R_BODY"
check "people: no picture from another host" "" "$(printf '%s' "$R_BODY" | grep -o '<img src="http[^"]*"')"
check_match "the CSP still allows pictures from this origin only" "img-src 'self'" "$(header Content-Security-Policy)"
av=$(printf '%s' "$R_BODY" | grep -o '/avatar/4102?v=[0-9]*' | head -1)
curl -sk -b "$lj" -D "$T_OUT/av.head" -o "$T_OUT/av.png" "$B$av"
check "the picture is served: 200 image/png" "200 image/png" \
	"$(head -1 "$T_OUT/av.head" | cut -d' ' -f2) $(tr -d '\r' <"$T_OUT/av.head" | grep -i '^content-type:' | cut -d' ' -f2)"
check "the bytes served are the bytes fetched" same "$(cmp -s "$T_OUT/av.png" "$AV_DIR/pfp/ok/index.json" && echo same)"
check "no cached picture: 404" 404 "$(curl -sk -b "$lj" -o /dev/null -w '%{http_code}' "$B/avatar/4103")"
check "a fid spelled with a leading zero: 404" 404 "$(curl -sk -b "$lj" -o /dev/null -w '%{http_code}' "$B/avatar/04102")"
