#!/usr/bin/env bash
# tests/e2e/admin_api.test.sh - the HR dashboard's JSON API against the
# real `bimbing serve` (ephemeral 127.0.0.1 port, temporary database), with
# curl: every endpoint refuses a missing session (401) and a person whose
# role is not hr/admin (403); a non-GET call without the CSRF header is 403;
# sign-in by admin token and by web chat session; the sign-in rate limit;
# a CSV upload with errors changes nothing; the overview hides groups
# smaller than k; surveys (list, report hidden below k, CSV, send) and
# broadcasts (send, list, delivery) through the survey module's hooks;
# mentoring suggestions, approving one pair (introductions queued for both
# sides, audit) and refusing pairs that are not suggested or no longer
# possible; security headers; the access log. Prints
# "N passed, N failed". Every wait is bounded; the server is stopped on exit.
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db

# ANDI (lib.sh) is a mentor; the demo's matching proposes him for Ayu.
TOKEN=admin-api-test-token-0123456789
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
CODE_AYU=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE_HR=$("$BIN" --db "$DB" invite $HR 2>/dev/null)
CODE_ANDI=$("$BIN" --db "$DB" invite $ANDI 2>/dev/null)

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 10)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
JSON=(-H 'Content-Type: application/json')

# Every endpoint: method and path (ids are made up).
ENDPOINTS=(
    "GET /session" "DELETE /session" "PUT /session/lang" "GET /overview" "GET /people" "POST /people/import"
    "GET /delivery" "GET /audit" "GET /surveys" "GET /surveys/pulse.q1" "GET /surveys/pulse.q1/csv"
    "POST /surveys/pulse.q1/send" "GET /broadcasts" "POST /broadcasts" "GET /broadcasts/7"
    "GET /mentoring/suggestions" "GET /mentoring/pairs" "POST /mentoring/pairs"
    "GET /erasures" "POST /erasures/7/hold" "POST /erasures/7/release"
    "GET /alerts" "POST /alerts/7/ack"
    "GET /invites" "POST /invites" "POST /invites/7/reissue" "POST /invites/7/revoke"
)
# all_codes COOKIE CSRF: "METHOD PATH=STATUS ..." for every endpoint.
all_codes() {
    local out="" m p
    for e in "${ENDPOINTS[@]}"; do
        m=${e%% *}
        p=${e#* }
        out="$out $m $p=$(code -X "$m" -b "$1" -H "X-CSRF-Token: $2" "${JSON[@]}" -d '{}' "$API$p")"
        [ "$m" = GET ] && out="${out%=*}=$(code -b "$1" "$API$p")"
    done
    echo "$out"
}
only() { # only STATUS "codes": every code is STATUS
    local s
    for s in $2; do case "$s" in *=*) [ "${s##*=}" = "$1" ] || return 1 ;; esac; done
    return 0
}

# --- security headers, also on the web chat's page and on errors
r=$("${C[@]}" -i "$BASE/" | tr -d '\r')
has "the web chat page sends the CSP header" "$r" "Content-Security-Policy: default-src 'self'"
r=$("${C[@]}" -i "$BASE/admin" | tr -d '\r')
has "/admin redirects to /admin/" "$r" 'HTTP/1.1 301' 'Location: /admin/'
r=$("${C[@]}" -i "$BASE/admin/" | tr -d '\r')
has "/admin/ is the dashboard page with CSP" "$r" 'HTTP/1.1 200' 'text/html' \
    "Content-Security-Policy: default-src 'self'" 'src="admin.js"'
lacks "no inline script on the dashboard" "$(cat web/admin/*.html)" '<script>'
lacks "no inline event handlers on the dashboard" "$(cat web/admin/*.html)" ' onclick='
r=$("${C[@]}" -i "$API/overview" | tr -d '\r')
has "an API error is JSON with CSP" "$r" 'HTTP/1.1 401' 'application/json' \
    "Content-Security-Policy: default-src 'self'" '"error":"not signed in"'

# --- without a session: 401 everywhere
codes=$(all_codes "bb_admin=$(printf '%064d' 0)" x)
if only 401 "$codes"; then ok "every endpoint is 401 without a session"; else bad "401 without a session" "$codes"; fi
codes=$(all_codes "" "")
if only 401 "$codes"; then ok "every endpoint is 401 without a cookie"; else bad "401 without a cookie" "$codes"; fi
eq "an unknown endpoint is 401 too (nothing to discover)" "$(code "$API/nope")" 401

# --- sign-in with the admin token
eq "sign-in needs JSON" "$(code -X POST -d "token=$TOKEN" "$API/session")" 415
eq "a wrong token is 401" "$(code -X POST "${JSON[@]}" -d '{"token":"wrong"}' "$API/session")" 401
eq "a body of neither kind is 400" "$(code -X POST "${JSON[@]}" -d '{"x":1}' "$API/session")" 400
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
has "the admin token signs in" "$r" 'HTTP/1.1 200' 'Set-Cookie: bb_admin=' 'HttpOnly' \
    'SameSite=Strict' '"kind":"operator"' '"csrf":"'
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
OPCSRF=$(echo "$r" | tail -1 | jq -r .csrf)
eq "only the token's hash is stored" "$(sql "SELECT count(*) FROM admin_sessions WHERE token_hash = '${OP#bb_admin=}'")" 0
eq "one admin session" "$(sql "SELECT count(*) FROM admin_sessions WHERE person_id = 0")" 1
r=$("${C[@]}" -b "$OP" "$API/session")
eq "GET /session gives the same CSRF token" "$(echo "$r" | jq -r .csrf)" "$OPCSRF"
has "features say which modules are there" "$r" '"features":{"surveys":true,"broadcasts":true'

# --- CSRF
eq "POST without X-CSRF-Token is 403" \
    "$(code -X POST -b "$OP" "${JSON[@]}" -d '{"to":"all","text":"x"}' "$API/broadcasts")" 403
eq "POST with a wrong X-CSRF-Token is 403" \
    "$(code -X POST -b "$OP" -H "X-CSRF-Token: $(printf '%064d' 1)" --data-binary 'nip' "$API/people/import")" 403
eq "DELETE /session without X-CSRF-Token is 403" "$(code -X DELETE -b "$OP" "$API/session")" 403
eq "a POST from another site's origin is 403" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $OPCSRF" \
    -H 'Origin: http://evil.example' --data-binary 'nip' "$API/people/import")" 403
r=$("${C[@]}" -X POST -b "$OP" --data-binary 'nip' "$API/people/import")
has "a CSRF refusal is a JSON error" "$r" '"error":"missing or wrong X-CSRF-Token header"'

# --- method and path errors
eq "a bad method on a known path is 405" "$(code -X PUT -b "$OP" -H "X-CSRF-Token: $OPCSRF" "$API/overview")" 405
eq "a bad id in a path is 404" "$(code -b "$OP" "$API/surveys/a%20b")" 404

# --- the overview respects k (5 by default)
ov=$("${C[@]}" -b "$OP" "$API/overview?weeks=4")
has "the overview answers" "$ov" '"anonymity_k":5' '"people":12' '"mood_weeks":['
eq "4 weeks asked, 4 weeks given" "$(echo "$ov" | jq '.mood_weeks | length')" 4
eq "bad weeks is 400" "$(code -b "$OP" "$API/overview?weeks=99")" 400
now=$(date +%s)
sql "INSERT INTO checkins(person_id, at, mood) VALUES(4, $now, 4), (5, $now, 2), (6, $now, 5), (7, $now, 3);"
ov=$("${C[@]}" -b "$OP" "$API/overview?weeks=1")
eq "4 people this week (< k): the count is hidden" "$(echo "$ov" | jq -c .checkins_this_week.hidden)" true
eq "4 people this week (< k): the mood week is hidden" "$(echo "$ov" | jq -c '.mood_weeks[0] | [.hidden, .mood_avg]')" '[true,null]'
lacks "no mood numbers below k" "$ov" '"mood":['
sql "INSERT INTO checkins(person_id, at, mood) VALUES(8, $now, 1), (8, $now, 5);"
ov=$("${C[@]}" -b "$OP" "$API/overview?weeks=1")
eq "5 people (= k): the counts show" "$(echo "$ov" | jq -c '.checkins_this_week | [.count, .people]')" '[6,5]'
eq "5 people (= k): the mood week shows" "$(echo "$ov" | jq -c '.mood_weeks[0] | [.people, .answers, .mood_avg, .mood]')" \
    '[5,6,3.33,[1,1,1,1,2]]'

# --- people list and CSV import
r=$("${C[@]}" -b "$OP" "$API/people?q=Biro%20SDM&limit=2")
eq "people search: total and page" "$(echo "$r" | jq -c '[.total, (.people | length)]')" '[4,2]'
eq "bad limit is 400" "$(code -b "$OP" "$API/people?limit=0")" 400
before=$(sql "SELECT group_concat(nip || name || unit || role, ';') FROM people")
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$OP" -H "X-CSRF-Token: $OPCSRF" -H 'content-type: text/csv' \
    --data-binary $'nip,name,unit,role\n198501012010012001,Ayu Diganti,Biro SDM,admin\n199501012020011001,Tanpa Unit,,employee\n199501012020011002,X,Y,boss\n' \
    "$API/people/import")
has "a CSV with errors is 422 with its row errors" "$r" ' 422' '"ok":false' '"nerrors":2' \
    'line 3, column 3 (unit)' 'line 4, column 4 (role)' 'nothing was changed'
eq "and changes nothing" "$(sql "SELECT group_concat(nip || name || unit || role, ';') FROM people")" "$before"
r=$("${C[@]}" -X POST -b "$OP" -H "X-CSRF-Token: $OPCSRF" --data-binary \
    $'nip,name,unit,role\n200001012020011099,Baru Sekali,Bappeda,employee\n' "$API/people/import?dry_run=1")
has "a dry run checks a good file" "$r" '"ok":true' '"dry_run":true' '"created":1'
eq "and changes nothing either" "$(sql "SELECT count(*) FROM people")" 12
r=$("${C[@]}" -X POST -b "$OP" -H "X-CSRF-Token: $OPCSRF" --data-binary \
    $'nip,name,unit,role\n200001012020011099,Baru Sekali,Bappeda,employee\n' "$API/people/import")
has "a good file is imported" "$r" '"ok":true' '"created":1'
eq "the new person is there" "$(sql "SELECT name FROM people WHERE nip = '200001012020011099'")" "Baru Sekali"
eq "an empty upload is 400" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $OPCSRF" "$API/people/import")" 400
r=$("${C[@]}" -b "$OP" "$API/audit?limit=5")
has "the import is in the audit log" "$r" '"actor":"operator","action":"people.import"' 'rows=1 created=1'
has "...with the actor by name" "$r" '"actor_name":"Operator"'

# --- delivery counts
r=$("${C[@]}" -b "$OP" "$API/delivery?days=1")
has "delivery answers per channel" "$r" '"channels":['
eq "a bad batch is 400" "$(code -b "$OP" "$API/delivery?batch=-1")" 400

# --- HR signs in through the web chat; an employee cannot
websignin() { # websignin CODE -> cookie "bb_web=..."
    "${C[@]}" -i -X POST "${JSON[@]}" -d "{\"code\":\"$1\"}" "$BASE/api/v1/webchat/signin" |
        tr -d '\r' | grep -oE 'bb_web=[0-9a-f]{64}' | head -1
}
AYU_WEB=$(websignin "$CODE_AYU")
HR_WEB=$(websignin "$CODE_HR")
linked() { [ "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" = 2 ]; }
for _ in $(seq 1 100); do linked && break; sleep 0.05; done
eq "both web identities are linked by the core" "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" 2
eq "webchat sign-in without a web chat cookie is 401" \
    "$(code -X POST "${JSON[@]}" -d '{"webchat":true}' "$API/session")" 401
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$AYU_WEB" "${JSON[@]}" -d '{"webchat":true}' "$API/session")
has "an employee's web chat session is 403" "$r" 'forbidden' ' 403'
r=$("${C[@]}" -i -X POST -b "$HR_WEB" "${JSON[@]}" -d '{"webchat":true}' "$API/session" | tr -d '\r')
has "HR signs in with the web chat session" "$r" 'HTTP/1.1 200' 'bb_admin=' '"nip":"197803032005032003"' '"role":"hr"'
HRS=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
HRCSRF=$(echo "$r" | tail -1 | jq -r .csrf)
[ "$HRCSRF" != "$OPCSRF" ] && ok "each session has its own CSRF token" || bad "CSRF tokens differ"
eq "HR reads the overview" "$(code -b "$HRS" "$API/overview")" 200

# --- the dashboard's language, kept per person (Indonesian until chosen)
put() { # put SESSION CSRF PATH JSON -> body and " STATUS"
    "${C[@]}" -w ' %{http_code}' -X PUT -b "$1" -H "X-CSRF-Token: $2" "${JSON[@]}" -d "$4" "$API$3"
}
eq "no language chosen yet: null" "$("${C[@]}" -b "$HRS" "$API/session" | jq -c .lang)" null
has "a language that is not id or en is 400" "$(put "$HRS" "$HRCSRF" /session/lang '{"lang":"fr"}')" ' 400'
eq "...and is not stored" "$(sql "SELECT count(*) FROM admin_prefs")" 0
eq "without the CSRF header it is 403" \
    "$(code -X PUT -b "$HRS" "${JSON[@]}" -d '{"lang":"en"}' "$API/session/lang")" 403
has "HR chooses English" "$(put "$HRS" "$HRCSRF" /session/lang '{"lang":"en"}')" '"lang":"en"' '"stored":true' ' 200'
r=$("${C[@]}" -i -X POST -b "$HR_WEB" "${JSON[@]}" -d '{"webchat":true}' "$API/session" | tr -d '\r')
eq "a new sign-in of the same person keeps English" "$(echo "$r" | tail -1 | jq -r .lang)" en
HRS2=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
HRCSRF2=$(echo "$r" | tail -1 | jq -r .csrf)
has "back to Indonesian" "$(put "$HRS2" "$HRCSRF2" /session/lang '{"lang":"id"}')" '"lang":"id"' ' 200'
eq "one row per person" "$(sql "SELECT group_concat(lang) FROM admin_prefs")" id
has "the operator has no record: the browser keeps it" "$(put "$OP" "$OPCSRF" /session/lang '{"lang":"en"}')" \
    '"stored":false' ' 200'
eq "...and nothing is stored" "$(sql "SELECT count(*) FROM admin_prefs")" 1

# --- surveys (bot/domain/survey/survey.c through the hooks): two people have a chat now
post() { # post SESSION CSRF PATH JSON -> body and " STATUS"
    "${C[@]}" -w ' %{http_code}' -X POST -b "$1" -H "X-CSRF-Token: $2" "${JSON[@]}" -d "$4" "$API$3"
}
eq "no surveys yet" "$("${C[@]}" -b "$OP" "$API/surveys")" '{"surveys":[]}'
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"role=boss"}')
has "a survey to a bad role is 400, the roles named" "$r" "no role 'boss'" '"code":"segment.role"' \
    '"known":["employee","mentor","hr","admin","counsellor"]' ' 400'
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"unit=Nowhere"}')
has "a survey to an unknown unit is 400, the units named" "$r" "no unit 'Nowhere'; known units: Bappeda, Biro SDM" \
    '"code":"segment.unit"' '"known":["Bappeda","Biro SDM","Dinas Kominfo","Inspektorat"]' ' 400'
lacks "...with no suggestion when nothing is near" "$r" '"suggestion"'
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"unit=biro sdmm"}')
has "a near miss gets \"did you mean\"" "$r" "did you mean 'Biro SDM'?" '"suggestion":"Biro SDM"' \
    '"value":"biro sdmm"' ' 400'
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"role=counsellor"}')
has "a survey to a role nobody has is 400" "$r" 'nobody is in the segment role=counsellor' \
    '"code":"segment.empty"' ' 400'
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"everyone"}')
has "a segment that is not one is 400" "$r" '"code":"segment.syntax"' ' 400'
r=$(post "$OP" "$OPCSRF" /surveys/checkin.weekly/send '{"to":"all"}')
has "a flow that is not a survey is 400" "$r" 'not a survey flow' ' 400'
r=$(post "$OP" "$OPCSRF" /surveys/survey.nope/send '{"to":"all"}')
has "an unknown survey is 404" "$r" ' 404'
eq "the refused sends made no wave" "$(sql "SELECT count(*) FROM survey_waves")" 0
r=$(post "$OP" "$OPCSRF" /surveys/survey.enps/send '{"to":"all"}')
has "a survey is sent to everyone with a chat" "$r" '"id":"survey.enps"' '"recipients":2' ' 202'
WAVE=$(echo "${r% *}" | jq .wave)
eq "one wave with two invitations" "$(sql "SELECT count(*) FROM survey_invitations WHERE wave_id = $WAVE")" 2
has "the send is in the audit log" "$("${C[@]}" -b "$OP" "$API/audit?limit=5")" \
    '"actor":"operator","action":"survey.send"' "wave $WAVE of survey.enps to all: 2 invited"
r=$("${C[@]}" -b "$OP" "$API/surveys")
eq "the list: one survey, its responses hidden below k" \
    "$(echo "$r" | jq -c '.surveys | map([.id, .title, .sent, .responses, .response_rate])')" \
    '[["survey.enps","eNPS survey",1,null,null]]'
# Answers as a closed wave holds them (anonymous rows, released): four, then
# five. (An open wave shows a unit's released steps but the latest one:
# tests/bot/test_survey_report.c.)
"$BIN" --db "$DB" survey close "$WAVE" >/dev/null || bad "survey close"
answer() { sql "INSERT INTO survey_answers(response, wave_id, unit, question, num) VALUES('r$1', $WAVE, '', 'enps', $2)"; }
answer 1 10
answer 2 10
answer 3 9
answer 4 7
r=$("${C[@]}" -b "$OP" "$API/surveys/survey.enps")
eq "4 responses (< k): the report is hidden" "$(echo "$r" | jq -c '[.id, .hidden, .anonymity_k]')" '["survey.enps",true,5]'
lacks "no numbers below k" "$r" '"questions"'
lacks "no enps below k" "$r" '"enps"'
answer 5 2
r=$("${C[@]}" -b "$OP" "$API/surveys/survey.enps")
eq "5 responses (= k): the report shows" "$(echo "$r" | jq -c '[.title, .invited, .responses, .hidden]')" \
    '["eNPS survey",2,5,null]'
eq "eNPS: 3 promoters, 1 passive, 1 detractor" "$(echo "$r" | jq -c .enps)" \
    '{"score":40,"promoters":60,"passives":20,"detractors":20}'
eq "the title and the question in Indonesian too (for the dashboard)" \
    "$(echo "$r" | jq -c '[.title_id, (.questions[0].text_id | startswith("Seberapa besar")), (.questions[0].labels_id | length)]')" \
    '["Survei eNPS",true,11]'
eq "the question with its counts per label" \
    "$(echo "$r" | jq -c '.questions[0] | [.id, .type, .counts["10"], .counts["9"], .counts["7"], .counts["2"], .counts["0"]]')" \
    '["enps","scale",2,1,1,1,0]'
sql "INSERT INTO survey_answers(response, wave_id, unit, question, txt) VALUES('r2', $WAVE, '', 'why', 'rekan kerja solid'), ('r5', $WAVE, '', 'why', 'beban lembur')"
eq "a free-text question lists its comments, sorted (issue 13: not 'Hidden or no answers')" \
    "$("${C[@]}" -b "$OP" "$API/surveys/survey.enps" | jq -c '.questions[] | select(.id == "why") | [.type, .answers, .comments]')" \
    '["text",2,["beban lembur","rekan kerja solid"]]'
eq "the list shows the responses now" "$("${C[@]}" -b "$OP" "$API/surveys" | jq -c '.surveys[0].responses')" 5
r=$("${C[@]}" -i -b "$OP" "$API/surveys/survey.enps/csv" | tr -d '\r')
has "the CSV downloads" "$r" 'HTTP/1.1 200' 'content-type: text/csv' \
    'Content-Disposition: attachment; filename="survey-survey.enps.csv"' 'wave,group,metric,value' \
    "$WAVE,\"all\",\"enps\",\"40.0\"" "$WAVE,\"all\",\"enps.10\",\"2\""
eq "the CSV of an unknown survey is 404" "$(code -b "$OP" "$API/surveys/survey.nope/csv")" 404
eq "the report of an unknown survey is 404" "$(code -b "$OP" "$API/surveys/survey.nope")" 404

# --- broadcasts
r=$(post "$OP" "$OPCSRF" /broadcasts '{"to":"unit=","text":"Halo"}')
has "a broadcast to a bad segment is 400" "$r" ' 400'
r=$(post "$OP" "$OPCSRF" /broadcasts '{"to":"role=boss","text":"Halo"}')
has "a broadcast to a bad role is 400" "$r" "no role 'boss'" ' 400'
r=$(post "$OP" "$OPCSRF" /broadcasts '{"to":"unit=Biro SMD","text":"Halo"}')
has "a broadcast to a misspelt unit is 400 with the suggestion" "$r" '"suggestion":"Biro SDM"' ' 400'
r=$(post "$OP" "$OPCSRF" /broadcasts '{"to":"all","text":""}')
has "an empty broadcast is 400" "$r" ' 400'
eq "the refused broadcasts made nothing" "$(sql "SELECT count(*) FROM broadcasts")" 0
r=$(post "$HRS" "$HRCSRF" /broadcasts '{"to":"all","text":"Rapat koordinasi hari Jumat pukul 09.00."}')
has "HR sends a broadcast" "$r" '"recipients":2' ' 202'
BC=$(echo "${r% *}" | jq .id)
r=$("${C[@]}" -b "$OP" "$API/broadcasts")
eq "the broadcast list" "$(echo "$r" | jq -c ".broadcasts | map([.id, .segment, .recipients, .text_preview])")" \
    "[[$BC,\"all\",2,\"Rapat koordinasi hari Jumat pukul 09.00.\"]]"
eq "its messages are outbox rows of its batch" "$(sql "SELECT count(*) FROM outbox WHERE batch_id = $BC")" 2
r=$("${C[@]}" -b "$OP" "$API/broadcasts/$BC")
eq "its delivery status counts both messages" "$(echo "$r" | jq '[.channels[].total] | add')" 2
has "the broadcast is in the audit log with HR as the actor" "$("${C[@]}" -b "$OP" "$API/audit?limit=5")" \
    "\"actor\":\"hr:$HR\",\"action\":\"broadcast.send\"" "broadcast $BC to all: 2 recipient(s)"
r=$(post "$HRS" "$HRCSRF" /broadcasts '{"to":"unit=biro sdm","text":"Untuk Biro SDM."}')
has "a unit matches without regard to case" "$r" '"recipients":2' ' 202'
BC2=$(echo "${r% *}" | jq .id)
eq "...and is stored as the unit is spelt" "$(sql "SELECT segment FROM broadcasts WHERE id = $BC2")" 'unit=Biro SDM'
# --- mentoring: suggestions, approving one pair, refusals
ANDI_WEB=$(websignin "$CODE_ANDI")
for _ in $(seq 1 100); do [ "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" = 3 ] && break; sleep 0.05; done
[ -n "$ANDI_WEB" ] && ok "the mentor signs in on the web chat too" || bad "mentor web sign-in"
r=$("${C[@]}" -b "$HRS" "$API/session")
eq "features: mentoring is connected" "$(echo "$r" | jq -c .features.mentoring)" true
pid() { sql "SELECT id FROM people WHERE nip = '$1'"; }
r=$("${C[@]}" -w '\n%{http_code}' -b "$HRS" "$API/mentoring/suggestions")
eq "suggestions answer 200" "$(echo "$r" | tail -1)" 200
r=$(echo "$r" | sed '$d')
eq "every suggestion has both people, a score and reasons" \
    "$(echo "$r" | jq '(.suggestions | length) > 0 and all(.suggestions[]; (.mentor.nip | length) > 0
        and (.mentee.name | length) > 0 and (.mentor.unit | type) == "string"
        and (.score | type) == "number" and (.reasons | type) == "array" and (.reasons | length) > 0)')" true
eq "Ayu is proposed to Andi, with why" \
    "$(echo "$r" | jq -c ".suggestions[] | select(.mentee.nip == \"$AYU\") | [.mentor.nip, (.score > 0), (.reasons | index(\"fit: coaching\") != null)]")" \
    "[\"$ANDI\",true,true]"
eq "the suggestion is stored" "$(sql "SELECT count(*) FROM pair_suggestions")" 1
nsug=$(echo "$r" | jq '.suggestions | length')
eq "and as many proposals" "$(sql "SELECT count(*) FROM pair_proposals")" "$nsug"
r2=$("${C[@]}" -b "$HRS" "$API/mentoring/suggestions")
eq "looking again shows the same pairs" "$(echo "$r2" | jq -c .)" "$(echo "$r" | jq -c .)"
eq "without storing a copy" "$(sql "SELECT count(*) FROM pair_suggestions")" 1
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d "{\"mentor\":\"$MADE\",\"mentee\":\"$AYU\"}" "$API/mentoring/pairs")
has "a pair that is not suggested is refused" "$r" ' 400' 'not in the latest suggestion'
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d '{"mentor":"1999","mentee":"2999"}' "$API/mentoring/pairs")
has "unknown people are refused" "$r" ' 400' 'no person with NIP 1999'
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d "{\"mentor\":\"$AYU\"}" "$API/mentoring/pairs")
has "a body without a mentee is refused" "$r" ' 400' '"error":'
eq "approving without X-CSRF-Token is 403" "$(code -X POST -b "$HRS" "${JSON[@]}" \
    -d "{\"mentor\":\"$ANDI\",\"mentee\":\"$AYU\"}" "$API/mentoring/pairs")" 403
eq "nothing was paired by the refusals" "$(sql "SELECT count(*) FROM pairings")" 0
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d "{\"mentor\":\"$ANDI\",\"mentee\":\"$AYU\"}" "$API/mentoring/pairs")
eq "HR approves Ayu -> Andi: 201" "${r##* }" 201
eq "the answer names the pairing" "$(echo "${r% *}" | jq -c '[(.id > 0), .mentor, .mentee, .status]')" \
    "[true,\"$ANDI\",\"$AYU\",\"active\"]"
eq "the pairing is stored, both sides introduced" \
    "$(sql "SELECT count(*) FROM pairings WHERE mentee_id = $(pid $AYU) AND mentor_id = $(pid $ANDI)
            AND status = 'active' AND intro_mentee_at > 0 AND intro_mentor_at > 0")" 1
eq "the mentee's introduction is queued" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $(pid $AYU) AND channel = 'web' AND body LIKE '%mentor Bapak Andi Wijaya%'")" 1
eq "the mentor's introduction is queued" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $(pid $ANDI) AND channel = 'web' AND body LIKE '%mentor bagi Ibu Ayu Lestari%'")" 1
r=$("${C[@]}" -b "$HRS" "$API/audit?limit=5")
has "the approval is audit-logged with HR as actor" "$r" "\"actor\":\"hr:$HR\",\"action\":\"pair.apply\""
r=$("${C[@]}" -b "$HRS" "$API/mentoring/pairs")
eq "the pair list shows it" \
    "$(echo "$r" | jq -c ".pairs[] | [.mentor.nip, .mentor.name, .mentee.nip, .mentee.unit, (.since | test(\"^[0-9-]+T[0-9:]+Z$\")), .sessions]")" \
    "[\"$ANDI\",\"Andi Wijaya\",\"$AYU\",\"Biro SDM\",true,0]"
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d "{\"mentor\":\"$ANDI\",\"mentee\":\"$AYU\"}" "$API/mentoring/pairs")
has "approving it twice is 409" "$r" ' 409' 'already approved'
sql "INSERT INTO mentor_profiles(person_id, capacity, status, updated_at) VALUES($(pid $MADE), 2, 'paused', 0)"
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "${JSON[@]}" \
    -d "{\"mentor\":\"$MADE\",\"mentee\":\"$BUDI\"}" "$API/mentoring/pairs")
has "a suggested pair that is no longer allowed is 409" "$r" ' 409' 'the mentor is paused'
eq "one pairing in all" "$(sql "SELECT count(*) FROM pairings")" 1
r=$("${C[@]}" -b "$HRS" "$API/mentoring/suggestions")
eq "a new suggestion leaves Ayu and the paused mentor out" \
    "$(echo "$r" | jq "[.suggestions[] | select(.mentee.nip == \"$AYU\" or .mentor.nip == \"$MADE\")] | length")" 0
eq "and is stored as the latest" "$(sql "SELECT count(*) FROM pair_suggestions")" 2

# --- a person whose role is no longer hr/admin: 403 everywhere
sql "UPDATE people SET role = 'employee' WHERE nip = '$HR'"
codes=$(all_codes "$HRS" "$HRCSRF")
if only 403 "$codes"; then ok "every endpoint is 403 once HR's role is employee"; else bad "403 for a wrong role" "$codes"; fi
# --- a counsellor: signed in, but the HR views are not theirs
sql "UPDATE people SET role = 'counsellor' WHERE nip = '$HR'"
eq "a counsellor's session is valid" "$(code -b "$HRS" "$API/session")" 200
SAVED=("${ENDPOINTS[@]}")
ENDPOINTS=()
for e in "${SAVED[@]:3}"; do # not the session's own: DELETE would sign out
    case "$e" in *" /alerts"*) ;; *) ENDPOINTS+=("$e") ;; esac # alerts are theirs too
done
codes=$(all_codes "$HRS" "$HRCSRF")
ENDPOINTS=("${SAVED[@]}")
if only 403 "$codes"; then ok "every HR endpoint is 403 for a counsellor"; else bad "403 for a counsellor" "$codes"; fi
eq "a counsellor reads the alerts list" "$(code -b "$HRS" "$API/alerts")" 200
r=$("${C[@]}" -b "$HRS" "$API/overview")
has "the refusal names the roles" "$r" 'for the roles hr and admin'
sql "UPDATE people SET role = 'hr' WHERE nip = '$HR'"
# issue 14, Info: HR cannot make anyone admin (itself included) by CSV upload
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$HRS" -H "X-CSRF-Token: $HRCSRF" -H 'content-type: text/csv' \
    --data-binary "$(printf 'nip,name,unit,role\n%s,Siti Rahmawati,Biro SDM,admin\n' "$HR")" "$API/people/import")
has "HR's upload that makes HR an admin is 422" "$r" ' 422' 'only an admin may give the admin role'
eq "...and HR is still hr" "$(sql "SELECT role FROM people WHERE nip = '$HR'")" hr
eq "back to hr: allowed again" "$(code -b "$HRS" "$API/people")" 200
r=$("${C[@]}" -i -X DELETE -b "$HRS" -H "X-CSRF-Token: $HRCSRF" "$API/session" | tr -d '\r')
has "sign-out clears the cookie" "$r" 'HTTP/1.1 200' 'bb_admin=;' 'Max-Age=0'
eq "the signed-out session is 401" "$(code -b "$HRS" "$API/overview")" 401

# --- the sign-in rate limit: 10 per 10 minutes per address (8 used above)
codes=""
for _ in $(seq 1 3); do
    codes="$codes $("${C[@]}" -o "$TMP/rl" -w '%{http_code}' -X POST "${JSON[@]}" -d '{"token":"nope"}' "$API/session")"
done
has "the 11th sign-in attempt is 429" "$codes" '401 401 429'
has "with a JSON error" "$(cat "$TMP/rl")" '"error":"too many sign-in attempts'
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
has "even the right token waits (Retry-After)" "$r" 'HTTP/1.1 429' 'Retry-After: '
eq "an existing session still works" "$(code -b "$OP" "$API/overview")" 200

# --- the access log: one line per API request, no tokens or bodies
log=$(cat "$TMP/err")
has "access log lines" "$log" 'api: GET /api/v1/overview 200 ' 'api: POST /api/v1/session 401 '
lacks "no admin token in the log" "$log" "$TOKEN"
lacks "no cookie token in the log" "$log" "${OP#bb_admin=}"
lacks "no CSV contents in the log" "$log" 'Tanpa Unit'
lacks "no query strings in the log" "$log" 'weeks='

serve_stops

e2e_finish
