#!/usr/bin/env bash
# tests/e2e/handoff.test.sh - a person to talk to, from the chat to the
# dashboard and back: the real `bimbing serve` (ephemeral 127.0.0.1 port,
# temporary database), a person on the web chat (tests/tools/wsclient), a
# counsellor on the dashboard's API (curl). Ayu opens a handoff with
# /bicara; the bot stays quiet while her texts are kept; the counsellor
# lists open conversations, reads hers, answers (it arrives in her web
# chat through the outbox) and closes it (she is told the bot is back).
# The counsellor is told in her own chat that a conversation waits.
# HR and employees cannot read conversations (403); bad input changes
# nothing; the audit log has open, read, answer and close without any
# message body; export covers the handoff. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
WS=$BUILD/tools/wsclient
e2e_init "$BIN" "$WS"
e2e_need_cmd sqlite3 jq
DB=$TMP/db
RINA=197212122000032014 # Rina Kusuma, counsellor (tests/transcripts/handoff-people.csv)

"$BIN" --db "$DB" people import tests/transcripts/handoff-people.csv >/dev/null || bad "import people"
CODE_AYU=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE_RINA=$("$BIN" --db "$DB" invite $RINA 2>/dev/null)
CODE_HR=$("$BIN" --db "$DB" invite $HR 2>/dev/null)
start_serve
API=$BASE/api/v1
C=(curl -s --max-time 10)
JSON=(-H 'Content-Type: application/json')
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
wsc() { "$WS" --port "$PORT" --timeout-ms 5000 "$@" 2>&1; }
websignin() { # websignin CODE -> cookie "bb_web=..."
    "${C[@]}" -i -X POST "${JSON[@]}" -d "{\"code\":\"$1\"}" "$API/webchat/signin" |
        tr -d '\r' | grep -oE 'bb_web=[0-9a-f]{64}' | head -1
}
admin_signin() { # admin_signin WEB_COOKIE -> sets S (cookie) and K (CSRF)
    local r
    r=$("${C[@]}" -i -X POST -b "$1" "${JSON[@]}" -d '{"webchat":true}' "$API/session" | tr -d '\r')
    S=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
    K=$(echo "$r" | tail -1 | jq -r .csrf 2>/dev/null)
}
post() { # post PATH JSON -> body and " STATUS"
    "${C[@]}" -w ' %{http_code}' -X POST -b "$S" -H "X-CSRF-Token: $K" "${JSON[@]}" -d "$2" "$API$1"
}
wm_of() { echo "$1" | grep -oE '^WATERMARK [0-9]+' | tail -1 | cut -d' ' -f2; }
AYU_ID=$(sql "SELECT id FROM people WHERE nip = '$AYU'")
ayu_out() { sql "SELECT count(*) FROM outbox WHERE person_id = $AYU_ID"; }

# --- Ayu joins on the web chat and asks for a person
AYU_WEB=$(websignin "$CODE_AYU")
r=$(wsc --cookie "$AYU_WEB" -- send '{"type":"resume","watermark":"0"}' \
    expect 'bahasa apa' button 'Indonesia' expect 'setuju data' button 'Setuju' \
    expect 'mentor Anda' button 'Boleh' expect 'kesehatan jiwa' button 'Boleh' \
    expect 'Terima kasih, Ibu Ayu')
# (the needle is the frame's text: wsclient's own error line names what it expected)
has "Ayu is onboarded on the web chat" "$r" '"text":"Terima kasih, Ibu Ayu'
# the counsellor has written to the bot before (so she can be told)
RINA_WEB=$(websignin "$CODE_RINA")
RINA_ID=$(sql "SELECT id FROM people WHERE nip = '$RINA'")
for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" = 2 ] && break
    sleep 0.05
done
r=$(wsc --cookie "$AYU_WEB" -- text /bicara expect 'saya teruskan ke konselor' drain 300)
has "/bicara opens a handoff and says so honestly" "$r" 'dibaca oleh konselor, bukan oleh saya' \
    'tidak dapat menjanjikan kapan' '/selesai' 'Akhiri percakapan'
WM=$(wm_of "$r")
eq "the counsellor is told a conversation waits, without a name or a word of it" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $RINA_ID AND body LIKE '%percakapan baru yang menunggu%'
            AND body NOT LIKE '%Ayu%'")" 1
eq "one open handoff, opened by command" \
    "$(sql "SELECT count(*) || reason FROM handoffs WHERE person_id = $AYU_ID AND closed_at = 0")" 1command
before=$(ayu_out)
r=$(wsc --cookie "$AYU_WEB" -- textid h1 'saya butuh teman bicara' expect '"id":"h1"' \
    textid h2 'minggu ini berat sekali di kantor' expect '"id":"h2"' drain 700)
lacks "the bot stays quiet while a person is on" "$r" '"type":"message","from"'
eq "no reply was queued" "$(ayu_out)" "$before"
eq "both texts are kept for the counsellor" \
    "$(sql "SELECT group_concat(body, '|') FROM handoff_messages WHERE out = 0")" \
    'saya butuh teman bicara|minggu ini berat sekali di kantor'

# --- who may read conversations
HR_WEB=$(websignin "$CODE_HR")
for _ in $(seq 1 100); do
    [ "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" = 3 ] && break
    sleep 0.05
done
r=$("${C[@]}" -w ' %{http_code}' -X POST -b "$AYU_WEB" "${JSON[@]}" -d '{"webchat":true}' "$API/session")
has "an employee cannot sign in to the dashboard" "$r" ' 403'
admin_signin "$HR_WEB"
HRS=$S HRK=$K
[ -n "$HRS" ] && ok "HR signs in" || bad "HR signs in"
HID=$(sql "SELECT id FROM handoffs WHERE person_id = $AYU_ID")
codes="$(code -b "$HRS" "$API/handoffs") $(code -b "$HRS" "$API/handoffs/$HID")"
codes="$codes $(code -X POST -b "$HRS" -H "X-CSRF-Token: $HRK" "${JSON[@]}" -d '{"text":"x"}' "$API/handoffs/$HID/messages")"
codes="$codes $(code -X POST -b "$HRS" -H "X-CSRF-Token: $HRK" "$API/handoffs/$HID/close")"
eq "HR cannot list, read, answer or close conversations" "$codes" "403 403 403 403"
has "the refusal says who may" "$("${C[@]}" -b "$HRS" "$API/handoffs")" 'for the roles counsellor and admin'
eq "without a session: 401" "$(code "$API/handoffs")" 401

admin_signin "$RINA_WEB"
has "the counsellor signs in" "$("${C[@]}" -b "$S" "$API/session")" '"role":"counsellor"'
eq "the counsellor cannot read the HR overview" "$(code -b "$S" "$API/overview")" 403
r=$("${C[@]}" -b "$S" "$API/handoffs")
eq "the open conversation is listed, waiting" \
    "$(echo "$r" | jq -c '.handoffs | map([.id, .person.nip, .person.name, .reason, .waiting, .messages, .open])')" \
    "[[$HID,\"$AYU\",\"Ayu Lestari\",\"command\",true,2,true]]"
lacks "the list has no message text" "$r" 'teman bicara'
r=$("${C[@]}" -b "$S" "$API/handoffs/$HID")
eq "the counsellor reads Ayu's messages since the handoff" \
    "$(echo "$r" | jq -c '[.thread[] | [.from, .text]]')" \
    '[["person","saya butuh teman bicara"],["person","minggu ini berat sekali di kantor"]]'
eq "an unknown conversation is 404" "$(code -b "$S" "$API/handoffs/99999")" 404
eq "a bad id is 404" "$(code -b "$S" "$API/handoffs/abc")" 404

# --- the answer goes through the outbox to Ayu's web chat
before=$(sql "SELECT count(*) FROM handoff_messages")
r=$(post "/handoffs/$HID/messages" '{"text":""}')
has "an empty answer is 400" "$r" ' 400'
long=$(printf 'a%.0s' $(seq 1 4001))
r=$(post "/handoffs/$HID/messages" "{\"text\":\"$long\"}")
has "an answer over 4000 characters is 400" "$r" ' 400' '4000 characters'
eq "and the refusals kept nothing" "$(sql "SELECT count(*) FROM handoff_messages")" "$before"
eq "without the CSRF header: 403" "$(code -X POST -b "$S" "${JSON[@]}" -d '{"text":"x"}' "$API/handoffs/$HID/messages")" 403
r=$(post "/handoffs/$HID/messages" '{"text":"Halo Ayu, saya Rina. Terima kasih sudah menghubungi. Ceritakan saja pelan-pelan."}')
has "the counsellor answers: 201" "$r" ' 201' '"status":"sent"'
eq "the answer is one outbox row to Ayu's web chat" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $AYU_ID AND channel = 'web' AND body LIKE '%Rina (konselor)%saya Rina%'")" 1
r=$(wsc --cookie "$AYU_WEB" -- send "{\"type\":\"resume\",\"watermark\":\"$WM\"}" expect 'saya Rina')
has "the answer arrives in Ayu's web chat, signed" "$r" 'Rina (konselor):' 'Ceritakan saja pelan-pelan'
r=$("${C[@]}" -b "$S" "$API/handoffs")
eq "answered: no longer waiting" "$(echo "$r" | jq -c '.handoffs[0].waiting')" false
r=$(wsc --cookie "$AYU_WEB" -- textid h3 'terima kasih, bu' expect '"id":"h3"' drain 500)
r=$("${C[@]}" -b "$S" "$API/handoffs")
eq "Ayu wrote again: waiting" "$(echo "$r" | jq -c '.handoffs[0].waiting')" true

# --- the counsellor closes it; Ayu is told and the bot is back
r=$(post "/handoffs/$HID/close" '{}')
has "the counsellor closes it" "$r" ' 200' '"status":"closed"'
r=$(wsc --cookie "$AYU_WEB" -- send "{\"type\":\"resume\",\"watermark\":\"$WM\"}" expect 'menutup percakapan')
has "Ayu is told the human has left and the bot is back" "$r" \
    'Konselor sudah menutup percakapan ini dan tidak membaca chat ini lagi' 'kembali'
eq "the handoff is closed by the counsellor" \
    "$(sql "SELECT closed_by FROM handoffs WHERE id = $HID")" "counsellor:$RINA"
has "answering a closed conversation is 409" "$(post "/handoffs/$HID/messages" '{"text":"x"}')" ' 409' 'closed'
has "closing it again is 409" "$(post "/handoffs/$HID/close" '{}')" ' 409'
eq "the list is empty" "$("${C[@]}" -b "$S" "$API/handoffs" | jq -c .handoffs)" '[]'
r=$(wsc --cookie "$AYU_WEB" -- text 'halo' expect 'Ketik /menu')
has "Ayu's next text is the bot's again" "$r" 'Halo, Ibu Ayu! Ketik /menu'

# --- the audit log: every step, never a body
eq "audit: open, read, answer, close" \
    "$(sql "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'handoff.%' ORDER BY id)")" \
    "handoff.open handoff.read handoff.answer handoff.close"
eq "audit actors: Ayu, then the counsellor" \
    "$(sql "SELECT group_concat(actor, ' ') FROM (SELECT actor FROM audit_log WHERE action LIKE 'handoff.%' ORDER BY id)")" \
    "$AYU counsellor:$RINA counsellor:$RINA counsellor:$RINA"
eq "no message body in the audit log" \
    "$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%teman%' OR detail LIKE '%Rina%' OR detail LIKE '%terima kasih%'")" 0
lacks "no message body in the service log" "$(cat "$TMP/err")" 'teman bicara'
r=$("${C[@]}" -b "$HRS" "$API/audit?limit=100")
has "HR's audit view works" "$r" '"entries":['
lacks "but HR does not see who asked for a counsellor" "$r" 'handoff.'

# --- export covers the handoff
serve_stops
run export $AYU
eq "export has the handoff and its messages" \
    "$(jq -c '[(.handoffs | length), (.handoff_messages | map(.direction))]' "$TMP/out")" \
    '[1,["mine","mine","answer","mine"]]'

e2e_finish
