#!/usr/bin/env bash
# tests/e2e/learning_api.test.sh - the HR dashboard's learning endpoints
# (docs/api.md, "Learning") against the real `bimbing serve` with curl, on
# tests/e2e/learning_seed.sh's data: the report's JSON equals the CLI's
# figures (a suppressed row has no number), ?unit= (any case; unknown:
# 400), the CSV per table (unknown table: 400), the catalogue list, an
# upload with errors (422, line and column, nothing written), a good one
# (audit-logged), retire (404 unknown, 409 twice, audit-logged), and the
# session and CSRF checks. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/learning_seed.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db
TOKEN=learning-api-test-token-0123456789
learning_seed "$DB"

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 10)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
JSON=(-H 'Content-Type: application/json')
CSV=(-H 'Content-Type: text/csv')
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=(-H "X-CSRF-Token: $(echo "$r" | tail -1 | jq -r .csrf)")

eq "the report needs a session" "$(code "$API/learning/report")" 401
r=$("${C[@]}" -b "$OP" "$API/learning/report")
eq "report: k and the scope" "$(echo "$r" | jq -c '[.anonymity_k, .unit]')" '[5,""]'
eq "needs: shown and suppressed rows" "$(echo "$r" | jq -c '[.needs[] | [.competency, .unit, .suppressed, .people, .mean_gap]]')" \
    '[["analisis data","Biro SDM",false,5,1.6],["analisis data",null,true,null,null],["komunikasi","Bappeda",false,5,1],["manajemen talenta",null,true,null,null],["perencanaan anggaran","Biro SDM",false,5,2]]'
eq "gaps" "$(echo "$r" | jq -c '.gaps')" '[{"competency":"perencanaan anggaran","people":5,"mean_gap":2}]'
eq "progress" "$(echo "$r" | jq -c '[.progress[] | [.unit, .other_units, .people, .in_progress, .done, .dropped, .at_20jp_pct, .median_jp]]')" \
    '[["Bappeda",false,6,0,0,0,17,0],["Biro SDM",false,7,1,1,1,29,10],[null,true,5,0,0,0,20,0]]'
r=$("${C[@]}" -b "$OP" "$API/learning/report?unit=BAPPEDA")
eq "?unit= in any case: the unit as stored, its rows only" "$(echo "$r" | jq -c '[.unit, ([.needs[].unit] | unique), [.progress[].unit]]')" \
    '["Bappeda",["Bappeda"],["Bappeda"]]'
eq "an unknown unit is 400" "$(code -b "$OP" "$API/learning/report?unit=Bapeda")" 400
has "... naming the nearest" "$("${C[@]}" -b "$OP" "$API/learning/report?unit=Bapeda")" "did you mean 'Bappeda'"

curl -s --max-time 10 -D "$TMP/h" -o "$TMP/gaps.csv" -b "$OP" "$API/learning/report/csv?table=gaps"
has "the gaps CSV is a download" "$(cat "$TMP/h")" 'filename="learning-gaps.csv"'
eq "the gaps CSV" "$(tr -d '\r' <"$TMP/gaps.csv")" $'competency,people,mean_gap\n"perencanaan anggaran","5","2.0"'
eq "an unknown table is 400" "$(code -b "$OP" "$API/learning/report/csv?table=all")" 400
eq "no table is 400" "$(code -b "$OP" "$API/learning/report/csv")" 400

r=$("${C[@]}" -b "$OP" "$API/learning/catalog")
eq "the catalogue: 21 items, none retired" "$(echo "$r" | jq -c '[(.items | length), ([.items[] | select(.retired_at != null)] | length)]')" '[21,0]'

HDR='id,title,provider,modality,jp,competencies,level,language'
printf '%s\nkl-anggaran,Perencanaan Anggaran,Pusdiklat,klasikal,16,perencanaan anggaran,dasar,id\nel-x,Kursus,Platform,webinar,8,analisis data,dasar,id\n' "$HDR" >"$TMP/bad.csv"
eq "an upload needs the CSRF header" "$(code -X POST -b "$OP" "${CSV[@]}" --data-binary @"$TMP/bad.csv" "$API/learning/catalog/import")" 403
r=$("${C[@]}" -w '\n%{http_code}' -X POST -b "$OP" "${CSRF[@]}" "${CSV[@]}" --data-binary @"$TMP/bad.csv" "$API/learning/catalog/import")
eq "a bad upload is 422" "$(echo "$r" | tail -1)" 422
eq "... with each error by line and column" "$(echo "$r" | head -1 | jq -c '[.ok, .nerrors, .errors[0]]')" \
    '[false,1,"line 3, column 4 (modality): modality must be e-learning, klasikal (classroom), blended, coaching, mentoring or on-the-job"]'
eq "... and nothing written" "$(sql "SELECT count(*) FROM learning_items WHERE id IN ('kl-anggaran', 'el-x')")" 0
eq "an empty upload is 400" "$(code -X POST -b "$OP" "${CSRF[@]}" "${CSV[@]}" --data-binary '' "$API/learning/catalog/import")" 400
printf '%s\nkl-anggaran,Perencanaan Anggaran,Pusdiklat,klasikal,16,perencanaan anggaran,dasar,id\n' "$HDR" >"$TMP/good.csv"
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" "${CSV[@]}" --data-binary @"$TMP/good.csv" "$API/learning/catalog/import")
eq "a good upload" "$(echo "$r" | jq -c '[.ok, .rows, .created, .updated]')" '[true,1,1,0]'
eq "... audit-logged" "$(sql "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'catalog.import' AND actor = 'operator'")" \
    "operator dashboard rows=1 created=1 updated=0"
eq "... and the gap is closed" "$("${C[@]}" -b "$OP" "$API/learning/report" | jq -c '.gaps')" '[]'

eq "retire needs the CSRF header" "$(code -X POST -b "$OP" "$API/learning/catalog/kl-anggaran/retire")" 403
eq "retire an unknown item: 404" "$(code -X POST -b "$OP" "${CSRF[@]}" "$API/learning/catalog/no-such/retire")" 404
r=$("${C[@]}" -X POST -b "$OP" "${CSRF[@]}" "$API/learning/catalog/kl-anggaran/retire")
eq "retire" "$(echo "$r" | jq -c '[.id, .retired]')" '["kl-anggaran",true]'
eq "... audit-logged" "$(sql "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'catalog.retire'")" "operator kl-anggaran"
eq "retire twice: 409" "$(code -X POST -b "$OP" "${CSRF[@]}" "$API/learning/catalog/kl-anggaran/retire")" 409
eq "the list shows it retired" "$("${C[@]}" -b "$OP" "$API/learning/catalog" | jq -r '.items[] | select(.id == "kl-anggaran") | .retired_at != null')" true
eq "the gap is back" "$("${C[@]}" -b "$OP" "$API/learning/report" | jq -c '[.gaps[].competency]')" '["perencanaan anggaran"]'

serve_stops
e2e_finish
