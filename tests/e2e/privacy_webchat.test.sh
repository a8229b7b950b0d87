#!/usr/bin/env bash
# privacy_webchat.test.sh - /ekspor in the web chat: the document arrives as
# an attachment whose contentUrl hands the person's JSON export to their
# own session, once (asked for from the /privasi menu); no session, another person's session or a second
# download get nothing, and the outbox keeps no bytes afterwards.
. "$(dirname "$0")/lib.sh"
WS=$BUILD/tools/wsclient
e2e_init "$BIN" "$WS"
e2e_need_cmd sqlite3 jq
DB=$TMP/db

"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
CODE=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE2=$("$BIN" --db "$DB" invite $BUDI 2>/dev/null)
start_serve
CURL=(curl -s --max-time 10)
wsc() { "$WS" --port "$PORT" --timeout-ms 5000 "$@" 2>&1; }
signin() {
    COOKIE=$("${CURL[@]}" -i -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$1\"}" \
        "$BASE/api/v1/webchat/signin" | tr -d '\r' | grep -i '^set-cookie:' | grep -oE 'bb_web=[0-9a-f]+' | head -1)
}
signin "$CODE"
AYU_COOKIE=$COOKIE
signin "$CODE2"
BUDI_COOKIE=$COOKIE
wsc --cookie "$BUDI_COOKIE" -- send '{"type":"resume","watermark":"0"}' expect 'language' >/dev/null

# Ayu has given her consents (as if onboarded earlier); linking the web chat
# starts the welcome again, which she leaves for /privasi, and asks for her
# export from its menu.
consent_for "$DB" $AYU
r=$(wsc --cookie "$AYU_COOKIE" -- send '{"type":"resume","watermark":"0"}' expect 'bahasa apa' \
    text /privasi expect 'Apakah Anda ingin meninggalkannya' button 'Tinggalkan' expect 'Ekspor data saya' \
    button 'Ekspor data saya' expect 'Kirim berkasnya sekarang?' button 'Kirim' expect 'contentUrl')
has "/privasi shows her consents given and offers the export" "$r" \
    'Data pendampingan (check-in, tujuan, mentor, umpan balik): diberikan' 'Hapus semua data saya'
has "the export arrives as an attachment with its caption" "$r" 'Ini semua data tentang Anda' \
    '"attachments":[{"contentType":"application/json","name":"bimbing-data-' '"contentUrl":"/api/v1/webchat/file/'
URL=$(echo "$r" | grep -oE '/api/v1/webchat/file/[0-9]+' | head -1)
check "the attachment has a download URL" [ -n "$URL" ]
URL=${URL:-/api/v1/webchat/file/none} # without one, every check below fails as it should
eq "the outbox holds the file's caption" "$(sql "SELECT COUNT(*) FROM outbox WHERE body LIKE '%Ini semua data tentang Anda%'")" 1
eq "without a session: 401" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE$URL")" 401
eq "another person's session: 404" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Cookie: $BUDI_COOKIE" "$BASE$URL")" 404
H=$("${CURL[@]}" -D "$TMP/h" -o "$TMP/export.json" -w '%{http_code}' -H "Cookie: $AYU_COOKIE" "$BASE$URL")
eq "the person's own session downloads it" "$H" 200
has "as an attachment with the file name, not cached" "$(tr -d '\r' <"$TMP/h")" \
    'Content-Disposition: attachment; filename="bimbing-data-' 'Cache-Control: no-store' 'application/json'
jq_ok() { jq -e "$@" >/dev/null; }
check "the file is Ayu's JSON export" jq_ok --arg nip $AYU '.person.nip == $nip and (.identities | any(.channel == "web"))' "$TMP/export.json"
lacks "and holds nobody else" "$(cat "$TMP/export.json")" "$BUDI"
eq "a second download: 404" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Cookie: $AYU_COOKIE" "$BASE$URL")" 404
eq "the outbox keeps no bytes once downloaded" "$(sql "SELECT COUNT(*) FROM outbox WHERE body LIKE '%\"doc\"%'")" 0
eq "a bad id: 404" "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Cookie: $AYU_COOKIE" "$BASE/api/v1/webchat/file/x1")" 404
e2e_finish
