#!/usr/bin/env bash
# privacy.test.sh - a person's rights in the chat, end to end against the
# fake Bot API: /ekspor delivers their export as a Telegram document (the
# file's bytes are their JSON), audit-logged; /hapusdata records an erasure
# request; HR holds it with a reason (the person is told), it is not carried
# out while held even when overdue, then released and carried out when due
# (explicit clock with `bimbing tick --at`); a last message is queued to their chat.
. "$(dirname "$0")/lib.sh"
fake_telegram_init
e2e_need_cmd jq base64

CHAT=5123400001
ADMIN=privacy-test-admin-token-0123456789
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null
CODE=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)

ctl() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$API/control/$1"; }
say() { ctl message "{\"chat_id\":$1,\"text\":$(jq -Rn --arg t "$2" '$t')}" >/dev/null; }
sent() { curl -s "$API/control/sent?chat_id=$1"; }
texts() { sent "$1" | jq -r '.[] | select(.method=="sendMessage" and .status==200) | .params.text'; }
has_text() { [ "$(texts "$1" | grep -cF -- "$2")" -ge "${3:-1}" ]; }
docs() { sent "$1" | jq -c '[.[] | select(.method=="sendDocument" and .status==200)]'; }
has_doc() { [ "$(docs "$1" | jq length)" -ge 1 ]; }
press_last() { # press the button whose callback_data ends with ".$2" on the newest keyboard
    local mid data
    read -r mid data < <(curl -s "$API/control/chat?chat_id=$1" | jq -r --arg w "$2" \
        '[.messages[] | select(.from=="bot" and .reply_markup.inline_keyboard != null)] | last
         | "\(.message_id) \([.reply_markup.inline_keyboard[][] | .callback_data | select(endswith("." + $w))][0])"')
    [ -n "${data:-}" ] && [ "$data" != null ] || return 1
    ctl press "{\"chat_id\":$1,\"message_id\":$mid,\"data\":\"$data\"}" >/dev/null
}
start_tg() {
    HP=$(free_port)
    env BIMBING_TELEGRAM_TOKEN=$TOKEN BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=$HP \
        BIMBING_ADMIN_TOKEN=$ADMIN "$BIN" --db "$DB" serve >>"$TMP/serve.log" 2>&1 &
    SERVE_PID=$!
    e2e_track "$SERVE_PID"
    wait_for 10 grep -q "connected as @" "$TMP/serve.log"
}
# ---- the console saves the file where it is asked to ---------------------------------
mkdir -p "$TMP/files"
out=$(printf '/ekspor\n1\n' | "$BIN" --db "$DB" chat --as $AYU --files "$TMP/files" 2>&1)
has "the console names the file and where it saved it" "$out" "[file: bimbing-data-" "saved as $TMP/files/bimbing-data-"
check "the saved file is Ayu's export" bash -c "jq -e '.person.nip == \"$AYU\"' '$TMP'/files/bimbing-data-*.json >/dev/null"

check "serve starts with Telegram" start_tg

say $CHAT "/start $CODE"
check "the invite links the chat" wait_for 5 has_text $CHAT "selamat datang"

# ---- /ekspor: the export as a document ---------------------------------------------
# Ayu is in the middle of onboarding and has given no consent: her rights of
# access and erasure do not depend on it (the flows are of kind "privacy").
eq "Ayu has not finished onboarding (no consent answered)" \
    "$(sql "SELECT COUNT(*) FROM consents c JOIN people p ON p.id = c.person_id WHERE p.nip = '$AYU'")" 0
say $CHAT "/ekspor"
check "mid-onboarding, /ekspor asks before leaving it" wait_for 5 has_text $CHAT "Apakah Anda ingin meninggalkannya dan memulai \"Ekspor data saya\"?"
check "she leaves onboarding for the export" wait_for 5 press_last $CHAT privacy.export
check "/ekspor asks for a confirmation" wait_for 5 has_text $CHAT "Kirim berkasnya sekarang?"
not_refused() { ! texts $CHAT | grep -qF "Kita belum selesai berkenalan"; }
check "...and is not refused by the consent gate" not_refused
check "the confirmation has buttons" wait_for 5 press_last $CHAT yes
check "a document arrives (sendDocument)" wait_for 5 has_doc $CHAT
DOC=$(docs $CHAT | jq -c '.[0].params')
eq "its file name" "$(jq -r '.document.filename' <<<"$DOC")" "bimbing-data-$(date -u +%F).json"
eq "its media type" "$(jq -r '.document.content_type' <<<"$DOC")" "application/json"
has "its caption is in the person's language" "$(jq -r '.caption' <<<"$DOC")" "Ini semua data tentang Anda"
jq -r '.document.data_b64' <<<"$DOC" | base64 -d >"$TMP/export.json"
eq "the size sent is the size of the bytes" "$(jq -r '.document.size' <<<"$DOC")" "$(stat -c %s "$TMP/export.json")"
jq_ok() { jq -e "$@" >/dev/null; }
check "the file is the person's JSON export" \
    jq_ok --arg nip $AYU '.person.nip == $nip and (.identities | any(.channel == "telegram")) and (.about | test("UU 27/2022"))' "$TMP/export.json"
lacks "the file holds nobody else" "$(cat "$TMP/export.json")" "$BUDI"
no_doc_bytes() { [ "$(sql "SELECT COUNT(*) FROM outbox WHERE channel = 'telegram' AND body LIKE '%\"doc\":%'")" = 0 ]; }
check "once delivered, the outbox keeps the caption, not the bytes" wait_for 5 no_doc_bytes
eq "the caption is still there" "$(sql "SELECT COUNT(*) FROM outbox WHERE channel = 'telegram' AND body LIKE '%Ini semua data tentang Anda%'")" 1
eq "each export is audit-logged (console, then Telegram)" "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'person.export' AND actor = '$AYU' AND detail LIKE 'in the chat%'")" 2

# ---- /hapusdata: request, hold, release, carried out --------------------------------
say $CHAT "/hapusdata"
check "/hapusdata explains and asks for the typed word" wait_for 5 has_text $CHAT "ketik HAPUS"
say $CHAT "HAPUS"
check "the request is recorded and its time said" wait_for 5 has_text $CHAT "Semua data Anda akan dihapus pada"
ID=$(sql "SELECT id FROM erasure_requests WHERE state = 0")
check "one pending request in the store" [ -n "$ID" ]
run erasure hold "$ID"
eq "a hold without a reason is refused" "$rc" 2
run erasure hold "$ID" --reason "Pemeriksaan internal sedang berjalan."
eq "HR holds it with a reason" "$rc" 0
check "the person is told of the hold and its reason" wait_for 5 has_text $CHAT "Alasannya: Pemeriksaan internal sedang berjalan."
LATER=$(date -u -d '+4 days' +%FT%TZ)
run tick --at "$LATER"
eq "tick runs" "$rc" 0
eq "held: not erased, even when overdue" "$(sql "SELECT COUNT(*) FROM people WHERE nip = '$AYU'")" 1
run erasure list
has "erasure list shows it held with the reason" "$(cat "$TMP/out")" "held" "Pemeriksaan internal"
# the dashboard API: the list, a hold that conflicts, the release
A=http://127.0.0.1:$HP/api/v1
r=$(curl -s -i -X POST -H 'Content-Type: application/json' -d "{\"token\":\"$ADMIN\"}" "$A/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=$(echo "$r" | tail -1 | jq -r .csrf)
r=$(curl -s -b "$OP" "$A/erasures")
eq "GET /erasures lists it held, with the reason" "$(jq -r --argjson id "$ID" '.erasures[] | select(.id == $id) | .state + ":" + .nip + ":" + .reason' <<<"$r")" \
    "held:$AYU:Pemeriksaan internal sedang berjalan."
code() { curl -s -o /dev/null -w '%{http_code}' -b "$OP" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' "$@"; }
eq "a hold without a reason is 400" "$(code -X POST -d '{}' "$A/erasures/$ID/hold")" 400
eq "holding a held request is 409" "$(code -X POST -d '{"reason":"x"}' "$A/erasures/$ID/hold")" 409
eq "an unknown request is 404" "$(code -X POST -d '{"reason":"x"}' "$A/erasures/99999/hold")" 404
eq "a release without the CSRF header is 403" \
    "$(curl -s -o /dev/null -w '%{http_code}' -b "$OP" -X POST "$A/erasures/$ID/release")" 403
eq "HR releases it from the dashboard" "$(code -X POST -d '{}' "$A/erasures/$ID/release")" 200
eq "releasing it again is 409" "$(code -X POST -d '{}' "$A/erasures/$ID/release")" 409
eq "hold and release are audit-logged" \
    "$(sql "SELECT group_concat(action || '/' || actor, ' ') FROM (SELECT action, actor FROM audit_log WHERE action LIKE 'erasure.%' ORDER BY id)")" \
    "erasure.request/$AYU erasure.hold/cli erasure.release/operator"
check "the person is told the hold was lifted" wait_for 5 has_text $CHAT "Penundaan permintaan penghapusan data Anda sudah dicabut"
run tick --at "$LATER"
eq "tick after release" "$rc" 0
eq "released and due: the person is erased" "$(sql "SELECT COUNT(*) FROM people WHERE nip = '$AYU'")" 0
eq "their identities are gone" "$(sql "SELECT COUNT(*) FROM identities WHERE ext_id = '$CHAT'")" 0
eq "the request is done" "$(sql "SELECT state || ':' || person_id FROM erasure_requests WHERE id = $ID")" "2:0"
# (queued at the pinned time of `tick --at`, four days ahead, so the running
# service sends it then: checked in the outbox, with no person on it)
eq "a last message is queued to the chat, with no person" \
    "$(sql "SELECT person_id || ':' || channel || ':' || ext_user FROM outbox WHERE body LIKE '%sudah dihapus dari bimbing%'")" \
    "0:telegram:$CHAT"
eq "nothing else of the person is left in the outbox" "$(sql "SELECT COUNT(*) FROM outbox")" 1

kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null
e2e_finish
