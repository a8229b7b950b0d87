#!/usr/bin/env bash
# tests/e2e/invites.test.sh - bulk invites (issue 13, item 2), from the
# command line and through the dashboard's API against the real `bimbing
# serve`: `invite --to SEGMENT` issues a code for everyone in the segment
# not linked yet, in one go, as CSV (nip,name,unit,code,telegram_link,
# web_link,expiry) with codes that are stored only as hashes; an unknown
# unit exits 2 and issues nothing; a re-issue revokes the old code; revoke
# and status; the time for 4,000 people (printed, not asserted). The API:
# GET /invites (states, filters), POST /invites (rows, QR, CSV; the
# segment checker's 400), re-issue and revoke per person, roles and CSRF.
# Prints "N passed, N failed". Every wait is bounded.
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
e2e_need_cmd sqlite3 jq
DB=$TMP/db

"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
now=$(date +%s)
# Budi has a chat already (linked) and answered onboarding (onboarded).
sql "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
     SELECT 'telegram', '555', id, $now, $now FROM people WHERE nip = '$BUDI';
     INSERT INTO consents(person_id, purpose, granted, at)
     SELECT id, 'data', 1, $now FROM people WHERE nip = '$BUDI';"

# --- the command line
run invite --to "unit=biro sdmx" --csv "$TMP/x.csv"
eq "an unknown unit exits 2" "$rc" 2
has "... naming the near miss and that nothing was issued" "$(cat "$TMP/err")" "did you mean 'Biro SDM'?" \
    'nothing was issued'
eq "... and issues no code" "$(sql 'SELECT count(*) FROM invites')" 0
check "... nor leaves a CSV file" test ! -e "$TMP/x.csv" -a ! -e "$TMP/x.csv.tmp"

run invite --to "unit=dinas kominfo" --csv "$TMP/k.csv"
eq "invite --to unit exits 0" "$rc" 0
eq "the CSV header" "$(head -1 "$TMP/k.csv" | tr -d '\r')" "nip,name,unit,code,telegram_link,web_link,expiry"
eq "one row per person not linked (Budi is linked)" "$(tail -n +2 "$TMP/k.csv" | wc -l)" 2
lacks "the linked person gets no code" "$(cat "$TMP/k.csv")" "$BUDI"
row=$(grep "199304042019031008" "$TMP/k.csv" | tr -d '\r')
code=$(echo "$row" | cut -d, -f4 | tr -d '"')
has "a row: nip, name, unit, code, web link with the code, expiry" "$row" '"Rizky Pratama","Dinas Kominfo"' \
    "?code=$code\"" '"20'
eq "codes are stored only as hashes" "$(sql "SELECT count(*) FROM invites WHERE code_hash = '$code'")" 0
hash=$(printf %s "$code" | sha256sum | cut -d' ' -f1)
eq "... their SHA-256 is" "$(sql "SELECT count(*) FROM invites WHERE code_hash = '$hash'")" 1
has "a summary on stderr" "$(cat "$TMP/err")" "2 invite code(s) for unit=Dinas Kominfo (3 people, 1 already linked)"

run invite 199304042019031008
code2=$(cat "$TMP/out")
eq "a re-issue prints a new code" "$([ -n "$code2" ] && [ "$code2" != "$code" ] && echo new)" new
eq "... and the old code is revoked" "$(sql "SELECT revoked_at IS NOT NULL FROM invites WHERE code_hash = '$hash'")" 1
eq "... one live code for that person" "$(sql "SELECT count(*) FROM invites i JOIN people p ON p.id = i.person_id
    WHERE p.nip = '199304042019031008' AND i.revoked_at IS NULL AND i.used_at IS NULL")" 1
run invite revoke 199304042019031008
eq "invite revoke" "$(cat "$TMP/out")" "1 code(s) revoked"
run invite revoke 199304042019031008
eq "revoke again: nothing left to revoke" "$(cat "$TMP/out")" "0 code(s) revoked"
run invite revoke 111
eq "revoke of an unknown NIP exits 1" "$rc" 1
run invite status --unit "Dinas Kominfo"
has "status: the states" "$(cat "$TMP/out")" $'Budi Santoso\tDinas Kominfo\tonboarded\t\ttelegram\tdata' \
    $'Rizky Pratama\tDinas Kominfo\trevoked' $'Andi Wijaya\tDinas Kominfo\tinvited\t20'
echo '{"http": {"public_url": "https://bimbing.example.go.id/"}}' >"$TMP/pub.json"
"$BIN" --db "$DB" --config "$TMP/pub.json" invite $AYU >"$TMP/out" 2>"$TMP/err"
has "http.public_url makes the web chat link" "$(cat "$TMP/err")" "Web chat: https://bimbing.example.go.id/?code=$(cat "$TMP/out")"
echo '{"http": {"public_url": "ftp://x"}}' >"$TMP/pub.json"
"$BIN" --db "$DB" --config "$TMP/pub.json" invite $AYU >"$TMP/out" 2>"$TMP/err"
has "a public_url that is not http(s) is refused" "$(cat "$TMP/err")" '"public_url" in "http" must start with https:// or http://'
run invite status --unit "dinas kominfo" --state onboarded
eq "status: a unit matched like a segment, filtered by state" "$(tail -n +2 "$TMP/out" | cut -f2)" "Budi Santoso"
run invite status --unit "dinas kominfox"
eq "status: an unknown unit exits 2" "$rc" 2
has "... with the checker's suggestion" "$(cat "$TMP/err")" "did you mean 'Dinas Kominfo'?"
run invite status --state nonsense
eq "status with an unknown state exits 1" "$rc" 1
run invite --csv x.csv 199304042019031008
eq "--csv without --to is a usage error" "$rc" 1
run invite --to all --csv -
eq "invite --to all --csv - writes the CSV to stdout" "$(tail -n +2 "$TMP/out" | wc -l)" 11
has "... with progress on stderr" "$(cat "$TMP/err")" "invite: 11/11 codes"
eq "every code of the segment in the audit log" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'invite'")" 15

# --- 4,000 people: the time it takes (reported, not a pass/fail figure)
big=$TMP/big.csv
{
    echo "nip,name,unit,role"
    for i in $(seq 0 3999); do
        printf '1985%02d%02d2010%02d1%03d,Pegawai %d,Unit %d,employee\n' \
            $((1 + i % 12)) $((1 + i / 12 % 28)) $((1 + i / 336 % 12)) $((i % 1000)) "$i" $((i % 20))
    done
} >"$big"
BIGDB=$TMP/big.db
"$BIN" --db "$BIGDB" people import "$big" >/dev/null || bad "import 4,000 people"
t0=$(date +%s%N)
"$BIN" --db "$BIGDB" invite --to all --csv "$TMP/big-codes.csv" 2>"$TMP/big.err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
eq "4,000 people: exit 0" "$rc" 0
eq "4,000 people: 4,000 rows" "$(tail -n +2 "$TMP/big-codes.csv" | wc -l)" 4000
eq "4,000 people: 4,000 different codes" "$(tail -n +2 "$TMP/big-codes.csv" | cut -d, -f4 | sort -u | wc -l)" 4000
has "4,000 people: progress lines" "$(cat "$TMP/big.err")" "invite: 2000/4000 codes" "invite: 4000/4000 codes"
echo "     invite --to all for 4,000 people: ${ms} ms"

# --- the API
TOKEN=invites-api-test-token-0123456789
CODE_HR=$("$BIN" --db "$DB" invite $HR 2>/dev/null)
start_serve BIMBING_ADMIN_TOKEN=$TOKEN
API=$BASE/api/v1
C=(curl -s --max-time 20)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
JSON=(-H 'Content-Type: application/json')
r=$("${C[@]}" -i -X POST "${JSON[@]}" -d "{\"token\":\"$TOKEN\"}" "$API/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=$(echo "$r" | tail -1 | jq -r .csrf)
W=(-b "$OP" -H "X-CSRF-Token: $CSRF" "${JSON[@]}")

for e in "GET /invites" "POST /invites" "POST /invites/$AYU/reissue" "POST /invites/$AYU/revoke"; do
    eq "$e without a session is 401" "$(code -X "${e%% *}" "${JSON[@]}" -d '{}' "$API${e#* }")" 401
done
eq "POST /invites without X-CSRF-Token is 403" "$(code -X POST -b "$OP" "${JSON[@]}" -d '{"to":"all"}' "$API/invites")" 403

r=$("${C[@]}" -b "$OP" "$API/invites")
eq "GET /invites: everyone" "$(echo "$r" | jq '.people | length')" 12
eq "... Budi onboarded, on telegram, consents" "$(echo "$r" | jq -c ".people[] | select(.nip == \"$BUDI\") | [.state, .channels, .consents]")" \
    '["onboarded",["telegram"],["data"]]'
eq "... counts per state" "$(echo "$r" | jq -c '.counts | [.onboarded, .invited]')" '[1,11]'
has "... the units to filter by" "$(echo "$r" | jq -c .units)" '"Biro SDM"' '"Inspektorat"'
r=$("${C[@]}" -b "$OP" "$API/invites?unit=Inspektorat&state=invited")
eq "filter by unit and state" "$(echo "$r" | jq -c '[.people[] | .name]')" '["Fajar Nugroho","Yohana Rumbiak"]'
has "... an invited person has an expiry" "$(echo "$r" | jq -c '.people[0]')" '"expires_at":"20'
eq "a bad state is 400" "$(code -b "$OP" "$API/invites?state=nope")" 400

before=$(sql "SELECT count(*) FROM invites")
r=$("${C[@]}" -w ' %{http_code}' -X POST "${W[@]}" -d '{"to":"unit=biro sdmx"}' "$API/invites")
has "POST /invites: an unknown unit is 400 with the checker's detail" "$r" ' 400' '"code":"segment.unit"' \
    '"suggestion":"Biro SDM"' '"known":['
eq "... and nothing was issued" "$(sql "SELECT count(*) FROM invites")" "$before"
eq "a bad ttl is 400" "$(code -X POST "${W[@]}" -d '{"to":"all","ttl":"soon"}' "$API/invites")" 400
r=$("${C[@]}" -X POST "${W[@]}" -d '{"to":"unit=Bappeda","ttl":"7d"}' "$API/invites")
eq "POST /invites: the segment and counts" "$(echo "$r" | jq -c '[.segment, .people, .issued, .already_linked]')" \
    '["unit=Bappeda",3,3,0]'
row=$(echo "$r" | jq -c '.rows[0]')
c1=$(echo "$row" | jq -r .code)
has "a row with code, links, expiry and a QR code of the web link" "$row" '"nip":"' '"unit":"Bappeda"' \
    "/?code=$c1\"" '"expiry":"20' '"qr":{"link":"http://127.0.0.1:' "/?code=$c1\"" \
    '"size":' '"path":"M'
has "the CSV of the same codes" "$(echo "$r" | jq -r .csv)" 'nip,name,unit,code,telegram_link,web_link,expiry' "\"$c1\""
exp=$(echo "$row" | jq -r .expiry)
eq "ttl 7d: expires in 7 days" "$(( ($(date -d "$exp" +%s) - now + 3600) / 86400 ))" 7
nip1=$(echo "$row" | jq -r .nip)
r=$("${C[@]}" -X POST "${W[@]}" "$API/invites/$nip1/reissue")
c2=$(echo "$r" | jq -r .code)
eq "re-issue: a new code" "$([ "$c2" != "$c1" ] && [ ${#c2} = 10 ] && echo new)" new
eq "... the old one is revoked" "$(sql "SELECT revoked_at IS NOT NULL FROM invites WHERE code_hash = '$(printf %s "$c1" | sha256sum | cut -d' ' -f1)'")" 1
r=$("${C[@]}" -X POST "${W[@]}" "$API/invites/$nip1/revoke")
eq "revoke: one code revoked" "$(echo "$r" | jq -c '[.nip, .revoked]')" "[\"$nip1\",1]"
eq "... the person is now revoked" "$("${C[@]}" -b "$OP" "$API/invites" | jq -r ".people[] | select(.nip == \"$nip1\") | .state")" revoked
eq "re-issue of an unknown NIP is 404" "$(code -X POST "${W[@]}" "$API/invites/123/reissue")" 404
eq "re-issue, revoke and the bulk issue are in the audit log" \
    "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'operator' AND action IN ('invite', 'invite.revoke', 'invite.bulk')")" 6

serve_stops

e2e_finish
