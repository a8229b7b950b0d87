#!/usr/bin/env bash
# privacy_whatsapp.test.sh - /ekspor on WhatsApp against the fake Graph API
# (tests/fakes/fake_whatsapp): the export is uploaded (POST {phone_id}/media,
# multipart) and sent as a "document" message with that media id and a file
# name; the uploaded bytes are the person's JSON export. The person is in the
# middle of onboarding: access does not depend on consent.
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_whatsapp
e2e_init "$BIN" "$FAKE"
e2e_need_cmd jq base64

SECRET=e2e-app-secret
TOKEN=e2e-token
PHONE_ID=1098765432
BPORT=$(free_port)
AYU_NIP=198501012010012001
AYU=081234567801
AYU_WA=6281234567801

"$BIN" people import config/demo-people.csv --db "$TMP/db" >/dev/null 2>&1 || { bad "people import"; e2e_exit; }
CODE=$("$BIN" --db "$TMP/db" invite $AYU_NIP 2>/dev/null)
start_fake "$FAKE" "$TMP/fport" --token "$TOKEN" --phone-id "$PHONE_ID" \
    --app-secret "$SECRET" --webhook "http://127.0.0.1:$BPORT/webhooks/whatsapp" ||
    { bad "fake starts"; e2e_exit; }
F=http://127.0.0.1:$(cat "$TMP/fport")
BIMBING_HTTP_PORT=$BPORT BIMBING_WHATSAPP_TOKEN=$TOKEN BIMBING_WHATSAPP_API="$F/v23.0" \
    BIMBING_WHATSAPP_PHONE_ID=$PHONE_ID BIMBING_WHATSAPP_APP_SECRET=$SECRET \
    BIMBING_WHATSAPP_VERIFY_TOKEN=v "$BIN" serve --db "$TMP/db" >"$TMP/serve.out" 2>"$TMP/serve.err" &
e2e_track $!
B=http://127.0.0.1:$BPORT
for _ in $(seq 1 100); do curl -sf "$B/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
check "serve runs with the whatsapp channel" bash -c "curl -s '$B/healthz' | grep -q whatsapp"

write() { curl -s -m 10 -X POST "$F/control/write" -d "$1" >/dev/null; }
sent() { curl -s -m 10 "$F/control/sent?to=$AYU_WA"; }
last_ok() { sent | jq -c '[.[] | select(.status == 200)] | last | .body'; }
has_sent() { sent | jq -e --arg t "$1" 'any(.[]; .status == 200 and (tostring | contains($t)))' >/dev/null; }
has_doc() { sent | jq -e 'any(.[]; .status == 200 and .type == "document")' >/dev/null; }
press() { # the reply button of the last message whose id ends with ".$1"
    local m id title
    m=$(last_ok)
    id=$(jq -r --arg w "$1" '[.interactive.action.buttons[].reply | select(.id | endswith("." + $w))][0].id // empty' <<<"$m")
    title=$(jq -r --arg w "$1" '[.interactive.action.buttons[].reply | select(.id | endswith("." + $w))][0].title // empty' <<<"$m")
    [ -n "$id" ] || return 1
    write "{\"from\":\"$AYU\",\"button\":{\"id\":\"$id\",\"title\":\"$title\"}}"
}

write "{\"from\":\"$AYU\",\"text\":\"halo\"}"
check "the number is asked for its invite code" wait_for 5 has_sent "kode undangan"
write "{\"from\":\"$AYU\",\"text\":\"$CODE\"}"
check "linked by the code: onboarding starts" wait_for 5 has_sent "selamat datang"
# mid-onboarding, with no consent answered: the export is hers all the same
write "{\"from\":\"$AYU\",\"text\":\"/ekspor\"}"
check "/ekspor asks before leaving onboarding" wait_for 5 has_sent "Apakah Anda ingin meninggalkannya"
check "she leaves onboarding for the export" wait_for 5 press privacy.export
check "/ekspor asks for a confirmation" wait_for 5 has_sent "Kirim berkasnya sekarang?"
eq "she has answered no consent" \
    "$(sqlite3 -cmd '.timeout 5000' "$TMP/db" "SELECT COUNT(*) FROM consents c JOIN people p ON p.id = c.person_id WHERE p.nip = '$AYU_NIP'")" 0
check "the confirmation is pressed" wait_for 5 press yes
check "a document message is sent" wait_for 10 has_doc
DOC=$(sent | jq -c '[.[] | select(.status == 200 and .type == "document")][0].body.document')
eq "its file name" "$(jq -r .filename <<<"$DOC")" "bimbing-data-$(date -u +%F).json"
has "its caption is in the person's language" "$(jq -r .caption <<<"$DOC")" "Ini semua data tentang Anda"
MEDIA=$(curl -s "$F/control/media?id=$(jq -r .id <<<"$DOC")")
eq "the media id is the uploaded file" "$(jq -r .filename <<<"$MEDIA")" "bimbing-data-$(date -u +%F).json"
eq "uploaded as application/json" "$(jq -r .mime_type <<<"$MEDIA")" "application/json"
jq -r .data_b64 <<<"$MEDIA" | base64 -d >"$TMP/export.json"
jq_ok() { jq -e "$@" >/dev/null; }
check "the uploaded bytes are the person's JSON export" \
    jq_ok --arg nip $AYU_NIP '.person.nip == $nip and (.identities | any(.channel == "whatsapp")) and (.about | test("UU 27/2022"))' "$TMP/export.json"
no_doc_bytes() { [ "$(sqlite3 -cmd '.timeout 5000' "$TMP/db" "SELECT COUNT(*) FROM outbox WHERE body LIKE '%\"doc\":%'")" = 0 ]; }
check "once delivered (upload and message), the outbox keeps no bytes" wait_for 5 no_doc_bytes
eq "...but keeps the caption" \
    "$(sqlite3 -cmd '.timeout 5000' "$TMP/db" "SELECT COUNT(*) FROM outbox WHERE body LIKE '%Ini semua data tentang Anda%'")" 1
e2e_finish
