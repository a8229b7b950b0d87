#!/usr/bin/env bash
# tests/e2e/survey_waves.test.sh - surveys over time through the HR
# dashboard's API against the real `bimbing serve` (127.0.0.1, temporary
# database, curl): the trend across four seeded waves (figures by hand in
# survey_waves_seed.sh; the wave under k hidden and left out), its CSV, one
# wave's report with its comments and its CSV; scheduling a wave for a
# Saturday (moved to a weekday 07:30 WIB), a recurring series and stopping
# it; closing a wave now (its pending answers released, a second close 409);
# bad input refused with nothing created; the CLI's series and trend.
# Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/survey_waves_seed.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db
TOKEN=survey-waves-test-token-0123456789
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import people"
seed_survey_waves || e2e_abort "seeding the waves failed"

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 10)
JSON=(-H 'Content-Type: application/json')
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=$(echo "$r" | tail -1 | jq -r .csrf)
post() { # post PATH JSON -> body and " STATUS"
    "${C[@]}" -w ' %{http_code}' -X POST -b "$OP" -H "X-CSRF-Token: $CSRF" "${JSON[@]}" -d "$2" "$API$1"
}

# --- the routes need a session, and a POST the CSRF header
eq "the trend needs a session" "$(code "$API/surveys/survey.enps/trend")" 401
eq "a close needs the CSRF header" \
    "$(code -X POST -b "$OP" "${JSON[@]}" -d '{}' "$API/survey-waves/1/close")" 403

# --- the trend
tr=$("${C[@]}" -b "$OP" "$API/surveys/survey.enps/trend")
eq "four waves in the trend" "$(jq '.waves | length' <<<"$tr")" 4
eq "eNPS per wave by hand; the wave under k has none" \
    "$(jq -c '[.waves[] | if .hidden then "hidden" else .enps end]' <<<"$tr")" '[20,50,"hidden",80]'
eq "...nor any count" "$(jq -c '.waves[2] | [.responses, .response_rate]' <<<"$tr")" '[null,null]'
eq "mean per wave of the eNPS question (null when hidden)" \
    "$(jq -c '.questions[] | select(.id == "enps") | [.waves[] | if . then .mean else null end]' <<<"$tr")" \
    '[8,8,null,9.4]'
eq "the distribution of wave 2" \
    "$(jq -c '.questions[] | select(.id == "enps") | .waves[1].counts' <<<"$tr")" '{"3":1,"7":1,"9":2,"10":2}'
eq "the free-text question counts comments per wave" \
    "$(jq -c '.questions[] | select(.id == "why") | [.waves[] | if . then .n else null end]' <<<"$tr")" \
    '[5,6,null,5]'
eq "the waves are closed" "$(jq -c '[.waves[].closed] | unique' <<<"$tr")" '[true]'
csv=$("${C[@]}" -b "$OP" -D "$TMP/h" "$API/surveys/survey.enps/trend/csv")
has "the trend CSV is a download" "$(tr -d '\r' <"$TMP/h")" 'text/csv' \
    'filename="survey-trend-survey.enps.csv"'
has "...with the figures" "$csv" 'wave,start,metric,value' ',"enps","50.0"' ',"enps.mean","9.40"' \
    ',"suppressed","fewer answers than the anonymity threshold"'
lacks "...and nothing of the hidden wave" "$csv" 'alasan 3-'
eq "the trend of an unknown survey is 404" "$(code -b "$OP" "$API/surveys/survey.nope/trend")" 404

# --- one wave: its report with the comments, and its CSV
w2=$("${C[@]}" -b "$OP" "$API/survey-waves/2")
eq "wave 2's report" "$(jq -c '[.wave, .responses, .enps.score]' <<<"$w2")" '[2,6,50]'
eq "...lists its comments, sorted (shown from k answers)" \
    "$(jq -c '.questions[] | select(.id == "why") | .comments' <<<"$w2")" \
    '["alasan 2-1","alasan 2-2","alasan 2-3","alasan 2-4","alasan 2-5","alasan 2-6"]'
w3=$("${C[@]}" -b "$OP" "$API/survey-waves/3")
eq "wave 3 (3 answers) is hidden, no comments" "$(jq -c '[.hidden, .responses, .questions]' <<<"$w3")" \
    '[true,null,null]'
has "a wave's CSV" "$("${C[@]}" -b "$OP" "$API/survey-waves/4/csv")" 'wave,group,metric,value' \
    '4,"all","enps","80.0"' '4,"all","comment","why: alasan 4-1"'
lacks "...the hidden wave's CSV has no answer" "$("${C[@]}" -b "$OP" "$API/survey-waves/3/csv")" 'alasan'
eq "an unknown wave is 404" "$(code -b "$OP" "$API/survey-waves/99")" 404
eq "a wave id must be a number" "$(code -b "$OP" "$API/survey-waves/abc")" 400

# --- scheduling: a Saturday moves to a working day, 07:30 WIB
sat=$(date -u -d "next saturday 03:00" +%FT%TZ)
wed=$(date -u -d "$sat + 4 days" +%FT%TZ)
r=$(post /surveys/survey.enps/schedule "{\"to\":\"unit=biro sdm\",\"start_at\":\"$sat\",\"close_at\":\"$wed\",\"remind_at\":false}")
eq "a wave for a Saturday is scheduled (202)" "${r##* }" 202
r=${r% *}
start=$(jq -r .start_at <<<"$r")
check "...its start is a working day at 07:30 WIB" \
    bash -c "[ \"\${1#*T}\" = 00:30:00Z ] && [ \$(date -u -d \"\$1\" +%u) -le 5 ] && [[ \"\$1\" > \"\$2\" ]]" _ "$start" "$sat"
eq "...to the canonical segment, with no reminder" "$(jq -c '[.segment, .remind_at, .series]' <<<"$r")" \
    '["unit=Biro SDM",null,null]'
W5=$(jq .wave <<<"$r")
eq "...not started yet" "$("${C[@]}" -b "$OP" "$API/surveys/survey.enps/trend" | jq -c ".waves[] | select(.wave == $W5) | [.started, .closed]")" '[false,false]'
eq "...its start timers at the moved start" \
    "$(sql "SELECT count(*) FROM timers WHERE kind = 'flow' AND payload = 'survey.enps' AND due < strftime('%s', '$start')")" 0

# --- a recurring series, then stopped
mon=$(date -u -d "$sat + 2 days + 2 hours" +%FT%TZ)
thu=$(date -u -d "$mon + 3 days" +%FT%TZ)
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"$mon\",\"close_at\":\"$thu\",\"every_weeks\":2}")
eq "a series every 2 weeks (202)" "${r##* }" 202
S=$(jq .series <<<"${r% *}")
check "...has an id" [ "$S" -ge 1 ]
tr=$("${C[@]}" -b "$OP" "$API/surveys/survey.enps/trend")
eq "...listed, running, with its next start two weeks on" \
    "$(jq -c ".series[] | select(.id == $S) | [.every_weeks, .running, .next_at]" <<<"$tr")" \
    "[2,true,\"$(date -u -d "$mon + 14 days" +%FT%TZ)\"]"
eq "...its first wave names it" "$(jq -c "[.waves[] | select(.series == $S)] | length" <<<"$tr")" 1
r=$(post "/survey-series/$S/stop" '{}')
eq "stopping it (200)" "${r##* }" 200
eq "...it is stopped" "$(jq .running <<<"${r% *}")" false
eq "a second stop is 409" "$(post "/survey-series/$S/stop" '{}' | awk '{print $NF}')" 409
eq "an unknown series is 404" "$(post /survey-series/77/stop '{}' | awk '{print $NF}')" 404
has "the audit log names the operator" "$(sql "SELECT action || ' ' || actor FROM audit_log WHERE action LIKE 'survey.series%'")" \
    'survey.series operator' 'survey.series.stop operator'

# --- bad input changes nothing
n0=$(sql "SELECT count(*) FROM survey_waves")
r=$(post /surveys/survey.enps/schedule "{\"to\":\"unit=biro sdmm\",\"start_at\":\"$mon\",\"close_at\":\"$thu\"}")
eq "a misspelt unit is 400 with the nearest one" "$(jq -c '[.code, .suggestion]' <<<"${r% *}")" '["segment.unit","Biro SDM"]'
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"$thu\",\"close_at\":\"$mon\"}")
eq "a close before the start is 400" "${r##* }" 400
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"2020-01-01T00:00:00Z\",\"close_at\":\"$thu\"}")
eq "a start in the past is 400" "${r##* }" 400
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"tomorrow\",\"close_at\":\"$thu\"}")
eq "a time that is not ISO is 400" "${r##* }" 400
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"$mon\",\"close_at\":\"$thu\",\"every_weeks\":0}")
eq "every 0 weeks is 400" "${r##* }" 400
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"$mon\",\"close_at\":\"$thu\",\"every_weeks\":1e20}")
eq "every 10^20 weeks is 400" "${r##* }" 400
r=$(post /surveys/survey.enps/schedule "{\"to\":\"all\",\"start_at\":\"$mon\",\"close_at\":\"$thu\",\"every_weeks\":1.5}")
eq "every 1.5 weeks is 400" "${r##* }" 400
r=$(post /surveys/checkin.weekly/schedule "{\"to\":\"all\",\"start_at\":\"$mon\",\"close_at\":\"$thu\"}")
eq "a flow that is not a survey is 400" "${r##* }" 400
eq "...none of them made a wave" "$(sql "SELECT count(*) FROM survey_waves")" "$n0"
eq "...or a series" "$(sql "SELECT count(*) FROM survey_series")" 1

# --- closing a wave now releases its pending answers
r=$(post /surveys/survey.enps/schedule '{"to":"all"}')
W=$(jq .wave <<<"${r% *}")
sql "INSERT INTO survey_pending(pending, wave_id, unit, question, num) VALUES('p1', $W, '', 'enps', 9), ('p2', $W, '', 'enps', 4);" 2>"$TMP/sqlerr" ||
    bad "seed pending answers" "$(cat "$TMP/sqlerr")"
r=$(post "/survey-waves/$W/close" '{}')
eq "closing a wave now (200)" "${r##* }" 200
eq "...it is closed" "$(sql "SELECT closed FROM survey_waves WHERE id = $W")" 1
eq "...its pending answers are released" \
    "$(sql "SELECT (SELECT count(*) FROM survey_pending WHERE wave_id = $W) || '/' || (SELECT count(*) FROM survey_answers WHERE wave_id = $W)")" 0/2
eq "...under the k rule still (2 answers: hidden)" "$("${C[@]}" -b "$OP" "$API/survey-waves/$W" | jq .hidden)" true
eq "a second close is 409" "$(post "/survey-waves/$W/close" '{}' | awk '{print $NF}')" 409
eq "the audit log names who closed it" \
    "$(sql "SELECT count(*) FROM audit_log WHERE action = 'survey.close' AND actor = 'operator' AND detail = 'wave $W closed early'")" 1

serve_stops

# --- the CLI: series and trend
run survey series
has "survey series lists the stopped series" "$(cat "$TMP/out")" "$S	survey.enps	all	every 2 week(s)	stopped"
run survey trend survey.enps
has "survey trend prints the trend CSV" "$(cat "$TMP/out")" 'wave,start,metric,value' ',"enps","80.0"'
run survey send survey.enps --to all --every 0
eq "survey send --every 0 is a usage error" "$rc" 2
run survey stop $S
eq "survey stop of a stopped series fails" "$rc" 1

e2e_finish
