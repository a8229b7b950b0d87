#!/usr/bin/env bash
# tests/e2e/admin_bcmentor.test.sh - the dashboard's broadcast and mentoring
# routes (issue 13, items 5 and 6) against the real `bimbing serve`, with
# curl: a broadcast composed in two languages (each person queued the text
# of their language), previewed (recipients per language, nothing queued),
# scheduled, followed on its page (counts, state) and cancelled (queued
# messages dropped, audit, a second cancel is 409); a bad segment or time
# changes nothing. Mentoring: a mentor's capacity and pause, rejecting a
# proposal with a reason, ending a pairing with a reason kept for HR or
# shared (what each side is queued), programme figures per unit with units
# under k folded and ratings hidden under k; the CLI's same calls. Prints
# "N passed, N failed". Bounded waits; the server is stopped on exit.
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db
TOKEN=admin-bcmentor-test-token-0123456789
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
now=$(date +%s)
# Ayu (id), Budi (en) and Siti (hr, id) have a chat; nobody else does. The
# channel "test" has no sender in serve, so their messages stay queued.
for p in "$AYU:a" "$BUDI:b" "$HR:h"; do
    sql "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
         SELECT 'test', '${p#*:}', id, $now, $now FROM people WHERE nip = '${p%%:*}'"
done

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 10)
JSON=(-H 'Content-Type: application/json')
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=$(echo "$r" | tail -1 | jq -r .csrf)
[ -n "$OP" ] || e2e_abort "cannot sign in"
call() { # call METHOD PATH [JSON] -> body and " STATUS"
    "${C[@]}" -w ' %{http_code}' -X "$1" -b "$OP" -H "X-CSRF-Token: $CSRF" "${JSON[@]}" ${3:+-d "$3"} "$API$2"
}
body() { echo "${1% *}"; }

# --- every new route needs a session and the CSRF header
for e in "POST /broadcasts/preview" "GET /broadcasts/1/detail" "POST /broadcasts/1/cancel" \
    "GET /mentoring/mentors" "PUT /mentoring/mentors/$ANDI" "POST /mentoring/pairs/1/end" \
    "POST /mentoring/suggestions/$AYU/reject" "GET /mentoring/figures"; do
    eq "$e without a session is 401" "$("${C[@]}" -o /dev/null -w '%{http_code}' -X "${e%% *}" "$API${e#* }")" 401
done
eq "a POST without the CSRF header is 403" "$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST -b "$OP" \
    "${JSON[@]}" -d '{}' "$API/broadcasts/preview")" 403

# --- broadcasts: preview, compose, schedule, page, cancel
BC='{"to":"all","text_id":"Rapat koordinasi hari Jumat pukul 09.00.","text_en":"Coordination meeting on Friday at 09:00."}'
r=$(call POST /broadcasts/preview "$BC")
has "the preview answers" "$r" ' 200'
eq "the preview: recipients per language, the texts as the chat shows them" \
    "$(body "$r" | jq -c '[.segment, .total, .recipients, .unlinked, .by_lang.id, .by_lang.en, .texts.en]')" \
    '["all",12,3,9,2,1,"Coordination meeting on Friday at 09:00."]'
eq "a preview queues nothing" "$(sql "SELECT count(*) FROM broadcasts") $(sql "SELECT count(*) FROM outbox")" "0 0"
r=$(call POST /broadcasts/preview '{"to":"unit=Biro SMD","text":"x"}')
has "a misspelt unit is 400 with the suggestion" "$r" '"suggestion":"Biro SDM"' '"code":"segment.unit"' ' 400'
r=$(call POST /broadcasts '{"to":"all","text_id":"Hanya satu bahasa"}')
has "one language missing is 400" "$r" 'text_en' ' 400'
r=$(call POST /broadcasts '{"to":"all","text":"x","at":"besok"}')
has "a bad time is 400" "$r" 'must be a time like' ' 400'
r=$(call POST /broadcasts '{"to":"all","text":"x","at":"2020-01-01T00:00:00Z"}')
has "a time in the past is 400" "$r" 'past' ' 400'
eq "the refused ones made nothing" "$(sql "SELECT count(*) FROM broadcasts") $(sql "SELECT count(*) FROM outbox")" "0 0"

at=$(date -u -d '@'$((now + 86400)) +%Y-%m-%dT%H:%M:%SZ)
r=$(call POST /broadcasts "${BC%\}},\"at\":\"$at\"}")
has "a scheduled broadcast is queued" "$r" '"recipients":3' "\"due\":\"$at\"" ' 202'
ID=$(body "$r" | jq .id)
eq "each person is queued the text of their language, due at the time" \
    "$(sql "SELECT group_concat(x, '|') FROM (SELECT p.nip || ':' || json_extract(o.body, '$.text') || ':' || (o.due = $now + 86400) AS x
            FROM outbox o JOIN people p ON p.id = o.person_id WHERE o.batch_id = $ID ORDER BY p.nip)")" \
    "$HR:Rapat koordinasi hari Jumat pukul 09.00.:1|$AYU:Rapat koordinasi hari Jumat pukul 09.00.:1|$BUDI:Coordination meeting on Friday at 09:00.:1"
r=$(call GET /broadcasts/$ID/detail)
eq "its page: state, counts and both texts" \
    "$(body "$r" | jq -c '[.state, .recipients, .counts.queued, .counts.sent, .counts.failed, .texts.id, .segment]')" \
    '["scheduled",3,3,0,0,"Rapat koordinasi hari Jumat pukul 09.00.","all"]'
eq "an unknown broadcast's page is 404" "$(call GET /broadcasts/999/detail | tail -c 3)" 404
r=$(call POST /broadcasts/$ID/cancel)
eq "cancelling drops the queued messages" "$(body "$r" | jq -c '[.state, .dropped, .counts.queued]')" '["cancelled",3,0]'
eq "nothing of it is left in the outbox" "$(sql "SELECT count(*) FROM outbox WHERE batch_id = $ID")" 0
has "a second cancel is 409" "$(call POST /broadcasts/$ID/cancel)" 'cancelled already' ' 409'
has "the cancel is in the audit log" "$("${C[@]}" -b "$OP" "$API/audit?limit=5")" \
    '"action":"broadcast.cancel"' "broadcast $ID cancelled: 3 dropped"
r=$(call POST /broadcasts '{"to":"unit=biro sdm","text":"Untuk Biro SDM."}')
has "one text serves both languages (as before)" "$r" '"recipients":2' ' 202'
ID2=$(body "$r" | jq .id)
eq "sent now: its page says sending" "$(call GET /broadcasts/$ID2/detail | sed 's/ [0-9]*$//' | jq -r .state)" sending
sql "UPDATE outbox SET state = 2 WHERE batch_id = $ID2"
eq "all sent: done, and cancel is 409" \
    "$(call GET /broadcasts/$ID2/detail | sed 's/ [0-9]*$//' | jq -c '[.state, .counts.sent]') $(call POST /broadcasts/$ID2/cancel | tail -c 3)" \
    '["done",2] 409'
run broadcast --to all --text "Dari baris perintah" --at "+1d"
ID3=$(grep -oE '^broadcast [0-9]+' "$TMP/out" | cut -d' ' -f2)
run broadcast cancel "$ID3"
eq "the CLI cancels through the same call" "$rc $(cat "$TMP/out")" "0 broadcast $ID3 cancelled: 3 queued message(s) dropped"
run broadcast status "$ID3"
has "and its status says so" "$(cat "$TMP/out")" "cancelled by cli: 3 queued message(s) dropped"

# --- mentoring: mentors, capacity and pause
r=$(call GET /mentoring/mentors)
eq "the mentors with their capacity" "$(body "$r" | jq -c '.mentors | map([.name, .capacity, .active, .paused])')" \
    '[["Andi Wijaya",2,0,false],["Made Sutrisna",2,0,false],["Yohana Rumbiak",2,0,false]]'
r=$(call PUT /mentoring/mentors/$ANDI '{"capacity":3}')
eq "capacity set" "$(body "$r" | jq -c '[.nip, .capacity, .paused]')" "[\"$ANDI\",3,false]"
has "capacity over 20 is 400" "$(call PUT /mentoring/mentors/$ANDI '{"capacity":21}')" ' 400'
has "an empty change is 400" "$(call PUT /mentoring/mentors/$ANDI '{}')" ' 400'
has "someone who is not a mentor is 409" "$(call PUT /mentoring/mentors/$AYU '{"paused":true}')" 'not mentor' ' 409'
has "an unknown NIP is 404" "$(call PUT /mentoring/mentors/123 '{"paused":true}')" ' 404'
r=$(call PUT /mentoring/mentors/198011112006042007 '{"paused":true}')
eq "Yohana paused" "$(body "$r" | jq -c '[.capacity, .paused]')" '[2,true]'
r=$("${C[@]}" -b "$OP" "$API/mentoring/suggestions")
lacks "a paused mentor gets no new suggestions" "$r" 'Yohana'
has "the others do" "$r" 'Andi Wijaya'

# --- reject a proposal with a reason, approve another, end with a reason
has "rejecting needs a reason" "$(call POST /mentoring/suggestions/$AYU/reject '{"reason":""}')" ' 400'
r=$(call POST /mentoring/suggestions/$AYU/reject '{"reason":"Sudah satu tim"}')
has "HR rejects Ayu's proposed mentor" "$r" '"status":"rejected"' ' 200'
has "a second reject is 404 (nothing waits)" "$(call POST /mentoring/suggestions/$AYU/reject '{"reason":"x"}')" ' 404'
eq "the proposal is marked rejected" "$(sql "SELECT group_concat(pp.state) FROM pair_proposals pp JOIN people p ON p.id = pp.mentee_id WHERE p.nip = '$AYU'")" 3
REJ=$(sql "SELECT m.nip FROM pair_proposals pp JOIN people p ON p.id = pp.mentee_id JOIN people m ON m.id = pp.mentor_id WHERE p.nip = '$AYU'")
lacks "and that pair is not proposed again" "$("${C[@]}" -b "$OP" "$API/mentoring/suggestions" | jq -c ".suggestions[] | select(.mentee.nip == \"$AYU\") | .mentor.nip")" "$REJ"
has "and the reason is in the audit log" "$("${C[@]}" -b "$OP" "$API/audit?limit=5")" '"action":"pair.reject"' 'Sudah satu tim'
MENTOR=$(body "$("${C[@]}" -w ' %{http_code}' -b "$OP" "$API/mentoring/suggestions")" | jq -r ".suggestions[] | select(.mentee.nip == \"$BUDI\") | .mentor.nip")
r=$(call POST /mentoring/pairs "{\"mentor\":\"$MENTOR\",\"mentee\":\"$BUDI\"}")
PID=$(body "$r" | jq .id)
has "Budi is paired" "$r" ' 201'
before=$(sql "SELECT count(*) FROM outbox")
has "ending needs a reason" "$(call POST /mentoring/pairs/$PID/end '{"share":true}')" 'reason' ' 400'
has "share must be a boolean" "$(call POST /mentoring/pairs/$PID/end '{"reason":"x","share":"yes"}')" ' 400'
eq "the refused ends changed nothing" "$(sql "SELECT status FROM pairings WHERE id = $PID") $(sql "SELECT count(*) FROM outbox")" "active $before"
r=$(call POST /mentoring/pairs/$PID/end '{"reason":"Konflik jadwal yang berulang"}')
eq "HR ends the pairing, the reason kept" "$(body "$r" | jq -c '[.status, .shared]')" '["ended",false]'
told=$(sql "SELECT json_extract(body, '$.text') FROM outbox WHERE id > (SELECT max(id) - 2 FROM outbox) ORDER BY id")
has "Budi is told in English" "$told" 'The mentoring between you and' 'was ended by HR. Thank you'
lacks "without the reason" "$told" 'Konflik'
eq "the reason stays with HR" "$(sql "SELECT end_reason || '|' || reason_shared FROM pairings WHERE id = $PID")" 'Konflik jadwal yang berulang|0'
has "a second end is 409" "$(call POST /mentoring/pairs/$PID/end '{"reason":"x"}')" 'ended already' ' 409'
has "an unknown pairing is 404" "$(call POST /mentoring/pairs/999/end '{"reason":"x"}')" ' 404'
S=$("${C[@]}" -b "$OP" "$API/mentoring/suggestions" | jq -r '.suggestions[] | select(.mentee.nip == "'$AYU'") | .mentor.nip')
r=$(call POST /mentoring/pairs "{\"mentor\":\"$S\",\"mentee\":\"$AYU\"}")
has "Ayu is paired with another mentor" "$r" ' 201'
P2=$(body "$r" | jq .id)
r=$(call POST /mentoring/pairs/$P2/end '{"reason":"Mutasi ke unit lain","share":true}')
eq "ended with the reason shared" "$(body "$r" | jq -c .shared)" true
told=$(sql "SELECT json_extract(body, '$.text') FROM outbox WHERE id > (SELECT max(id) - 2 FROM outbox) ORDER BY id")
has "both sides are told the reason" "$told" 'Alasannya: Mutasi ke unit lain.'

# --- programme figures per unit (k = 5): units under k folded
r=$(call GET /mentoring/figures)
eq "every unit has fewer than 5 mentees: one folded line" \
    "$(body "$r" | jq -c '[.k, (.units | map(.unit)), .total.pairs, .total.active, .total.ended]')" \
    '[5,["(other units)"],2,0,2]'
# five more mentees in Biro SDM with a pairing, sessions and ratings
for i in 1 2 3 4 5; do
    sql "INSERT INTO people(nip, name, unit, role, created_at, updated_at) VALUES('20000101202001100$i', 'Pegawai $i', 'Biro SDM', 'employee', $now, $now)"
    sql "INSERT INTO pairings(mentee_id, mentor_id, status, started_at) SELECT p.id, m.id, 'active', $now FROM people p, people m WHERE p.nip = '20000101202001100$i' AND m.nip = '$ANDI'"
    sql "INSERT INTO mentoring_sessions(pairing_id, mentee_id, mentor_id, day, held_at, minutes, created_at) SELECT x.id, x.mentee_id, x.mentor_id, '2026-12-01', $now, 90, $now FROM pairings x JOIN people p ON p.id = x.mentee_id WHERE p.nip = '20000101202001100$i'"
    sql "INSERT INTO pairing_checks(pairing_id, person_id, kind, asked_at, answered_at, rating) SELECT x.id, x.mentee_id, 'rate', $now, $now, $((i % 2 + 4)) FROM pairings x JOIN people p ON p.id = x.mentee_id WHERE p.nip = '20000101202001100$i'"
done
r=$(call GET /mentoring/figures)
eq "Biro SDM (6 mentees: Ayu and five more) by name: pairs, sessions, JP, ratings and their mean" \
    "$(body "$r" | jq -c '.units[] | select(.unit == "Biro SDM") | [.mentees, .pairs, .active, .sessions, .jp, .ratings, .rating_mean]')" \
    '[6,6,5,5,10,5,4.6]'
eq "the others folded, their ratings hidden under k" \
    "$(body "$r" | jq -c '.units[] | select(.unit == "(other units)") | [.pairs, .rating_mean]')" '[1,null]'
run pair figures
has "the CLI prints the same figures" "$(cat "$TMP/out")" 'Biro SDM' '(other units)' '4.6'
run pair end "$AYU" --reason "x"
eq "pair end of someone without a mentor fails" "$rc" 1

# --- dashboard_url: only an http(s) address is accepted
echo '{"dashboard_url": "javascript:alert(1)"}' >"$TMP/bad.json"
"$BIN" --db "$DB" --config "$TMP/bad.json" sched status >"$TMP/out" 2>"$TMP/err"
eq "a dashboard_url that is not http(s) stops the program" "$?" 1
has "naming the key" "$(cat "$TMP/err")" '"dashboard_url" must be an http:// or https:// address'

serve_stops
e2e_finish
