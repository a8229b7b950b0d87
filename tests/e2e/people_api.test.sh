#!/usr/bin/env bash
# tests/e2e/people_api.test.sh - the HR dashboard's people endpoints
# (docs/api.md, "People") against the real `bimbing serve` with curl: the
# list's search, filters and paging; a person's page without message
# bodies; role change (audit-logged); deactivation (what goes and what
# stays, in the database); the export download equals `bimbing export`;
# erasure refused without the typed NIP or name and carried out with it,
# audit-logged and on the audit page; an import with bad rows reports line,
# column and code, and changes nothing. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db
TOKEN=people-api-test-token-0123456789
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
"$BIN" --db "$DB" invite $BUDI >/dev/null 2>&1 || bad "invite Budi"
AYU_ID=$(sql "SELECT id FROM people WHERE nip = '$AYU'")
NOW=$(date +%s) # recent rows: the retention purge at start leaves them
sql "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
     VALUES('telegram', '4242', $AYU_ID, $NOW, $NOW);
     INSERT INTO consents(person_id, purpose, granted, at) VALUES($AYU_ID, 'data', 1, 1),
       ($AYU_ID, 'health', 0, 1);
     INSERT INTO inbox(channel, ext_user, ext_msg_id, person_id, kind, text, payload, ts, processed_at)
       VALUES('telegram', '4242', 'm1', 0, 1, 'pesan sangat pribadi', '', $NOW - 30, $NOW - 30);
     INSERT INTO checkins(person_id, at, mood, win) VALUES($AYU_ID, $NOW - 20, 4, 'rahasia');
     INSERT INTO wellbeing(person_id, at, day, raw, items, alerted)
       VALUES($AYU_ID, $NOW - 10, '2026-12-01', 12, '[2,2,3,3,2]', 0);"

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 10)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
JSON=(-H 'Content-Type: application/json')
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=(-H "X-CSRF-Token: $(echo "$r" | tail -1 | jq -r .csrf)")

eq "the person page needs a session" "$(code "$API/people/$AYU")" 401

# --- the list
r=$("${C[@]}" -b "$OP" "$API/people?q=lestari")
eq "search by name" "$(echo "$r" | jq -c '[.total, .people[0].nip, .people[0].state]')" "[1,\"$AYU\",\"linked\"]"
r=$("${C[@]}" -b "$OP" "$API/people?q=$BUDI")
eq "search by NIP; an open invite is 'invited'" "$(echo "$r" | jq -c '[.total, .people[0].state]')" '[1,"invited"]'
r=$("${C[@]}" -b "$OP" "$API/people?unit=biro%20sdm&role=hr")
eq "filter by unit (any case) and role" "$(echo "$r" | jq -c '[.people[].nip]')" "[\"$HR\"]"
r=$("${C[@]}" -b "$OP" "$API/people?state=not_invited&limit=3&offset=3")
eq "filter by state, paged" "$(echo "$r" | jq -c '[.total, (.people | length), .limit, .offset]')" '[10,3,3,3]'
eq "an unknown state is 400" "$(code -b "$OP" "$API/people?state=gone")" 400
eq "an unknown role is 400" "$(code -b "$OP" "$API/people?role=boss")" 400
eq "limit over 500 is 400" "$(code -b "$OP" "$API/people?limit=501")" 400

# --- a person's page
r=$("${C[@]}" -b "$OP" "$API/people/$AYU")
eq "the page: state, channel, consents" "$(echo "$r" | jq -c '[.state, .channels[0].channel, .consents.data, .consents.health, .onboarded]')" \
    '["linked","telegram","given","refused",true]'
eq "activity: kinds and times" "$(echo "$r" | jq -c '[.activity[].kind] | sort')" '["checkin","message.text"]'
lacks "no message body on the page" "$r" 'pribadi'
lacks "no check-in text on the page" "$r" 'rahasia'
eq "an unknown NIP is 404" "$(code -b "$OP" "$API/people/199901012020011999")" 404

# --- role
eq "a role change needs the CSRF header" "$(code -X PUT -b "$OP" "${JSON[@]}" -d '{"role":"mentor"}' "$API/people/$AYU/role")" 403
eq "an unknown role is 400" "$(code -X PUT -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{"role":"boss"}' "$API/people/$AYU/role")" 400
r=$("${C[@]}" -X PUT -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{"role":"mentor"}' "$API/people/$AYU/role")
eq "role changed" "$(echo "$r" | jq -c '[.role, .was]')" '["mentor","employee"]'
eq "in the database" "$(sql "SELECT role FROM people WHERE nip = '$AYU'")" mentor
eq "audit-logged" "$(sql "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'person.role'")" "operator employee -> mentor"
eq "the same role again is 409" "$(code -X PUT -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{"role":"mentor"}' "$API/people/$AYU/role")" 409

# --- export: the same JSON as the CLI's
curl -s --max-time 10 -D "$TMP/h" -o "$TMP/dl.json" -b "$OP" "$API/people/$AYU/export"
file_has "$TMP/h" 'Content-Disposition: attachment; filename="bimbing-'"$AYU"'-' >/dev/null && ok "export is a download" || bad "export is a download" "$(cat "$TMP/h")"
"$BIN" --db "$DB" export $AYU >"$TMP/cli.json" 2>/dev/null
eq "the download is the CLI's export (but for the audit lines each adds)" \
    "$(jq -c 'del(.audit)' "$TMP/dl.json")" "$(jq -c 'del(.audit)' "$TMP/cli.json")"
eq "export audit-logged by the operator" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.export' AND actor = 'operator'")" 1

# --- deactivate
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{}' "$API/people/$AYU/deactivate")
eq "deactivated" "$(echo "$r" | jq -r .state)" deactivated
has "the summary says what went" "$r" 'erased: chats, invites, conversations, messages, schedule, health' 'kept: profile, consents, audit, checkin'
eq "no chat left" "$(sql "SELECT count(*) FROM identities WHERE person_id = $AYU_ID")" 0
eq "no message body left" "$(sql "SELECT count(*) FROM inbox WHERE ext_user = '4242'")" 0
eq "health data (no consent) erased" "$(sql "SELECT count(*) FROM wellbeing WHERE person_id = $AYU_ID")" 0
eq "check-ins (consent given) kept" "$(sql "SELECT count(*) FROM checkins WHERE person_id = $AYU_ID")" 1
eq "twice is 409" "$(code -X POST -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{}' "$API/people/$AYU/deactivate")" 409
r=$("${C[@]}" -b "$OP" "$API/people?state=deactivated")
eq "the list shows it" "$(echo "$r" | jq -c '[.people[].nip]')" "[\"$AYU\"]"
"$BIN" --db "$DB" invite $AYU >/dev/null 2>&1
eq "no invite for a deactivated person" "$?" 1

# --- erase with a typed confirmation
eq "erase without confirm is 400" "$(code -X POST -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{}' "$API/people/$AYU/erase")" 400
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{"confirm":"Ayu"}' "$API/people/$AYU/erase")
eq "a wrong typed text is refused" "$(echo "$r" | jq -r .code)" confirm
eq "and erases nothing" "$(sql "SELECT count(*) FROM people WHERE nip = '$AYU'")" 1
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" "${JSON[@]}" -d '{"confirm":" ayu lestari "}' "$API/people/$AYU/erase")
eq "the name (any case) erases" "$(echo "$r" | jq -r .state)" erased
eq "gone" "$(sql "SELECT count(*) FROM people WHERE nip = '$AYU'")" 0
eq "no check-in left" "$(sql "SELECT count(*) FROM checkins WHERE person_id = $AYU_ID")" 0
H=$(printf '%s' "$AYU" | sha256sum | cut -d' ' -f1)
r=$("${C[@]}" -b "$OP" "$API/audit?limit=10")
has "the audit page shows the erasure, by whom, without the NIP" "$r" '"actor":"operator","action":"person.erase"' "nip_sha256=$H"
eq "an erased person is 404" "$(code -b "$OP" "$API/people/$AYU")" 404

# --- import: row by row, nothing written when a row is bad
before=$(sql "SELECT group_concat(nip || name || phone, ';') FROM people")
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" -H 'content-type: text/csv' --data-binary \
    $'nip,name,unit,role,timezone,phone\n19850101201001100,Pendek,Biro SDM,employee,WIB,\n200001012020011099,Baru,Biro SDM,employee,Asia/Bandung,\n200001012020011098,Kembar,Biro SDM,employee,,081234500001\n200001012020011097,Kembar Dua,Biro SDM,employee,,+6281234500001\n' \
    "$API/people/import")
eq "422 with every row's error" "$(echo "$r" | jq -c '[.ok, .nerrors]')" '[false,3]'
eq "line, column and code of each" "$(echo "$r" | jq -c '[.where[] | [.line, .column, .code]]')" \
    '[[2,1,"nip.format"],[3,5,"timezone_unknown"],[5,6,"phone.duplicate_file"]]'
eq "nothing changed" "$(sql "SELECT group_concat(nip || name || phone, ';') FROM people")" "$before"

serve_stops
e2e_finish
