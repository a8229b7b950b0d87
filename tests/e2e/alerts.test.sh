#!/usr/bin/env bash
# alerts.test.sh - wellbeing and distress alerts are never lost, end to end:
# `bimbing serve` against the fake Bot API (tests/fakes/fake_telegram.c),
# the HR dashboard's API with curl. HR (Siti) has no linked chat; the
# configured alert_fallback list names someone unknown, then Hendra, who is
# linked on Telegram. A low WHO-5 with consent: the alert goes to Hendra
# (never the answers), Ayu is told who was told, and it is open on the
# dashboard API until acknowledged (CSRF, 404, 409, audit). A distress
# message from Ayu then alerts Hendra without its words. Prints
# "N passed, N failed"; every wait is bounded.
. "$(dirname "$0")/lib.sh"
fake_telegram_init
e2e_need_cmd sqlite3 jq

HENDRA=197001012000011013 # Hendra Gunawan, on the fallback list
CHAT_A=5123456789
CHAT_H=5222222222
ADMIN_TOKEN=alerts-test-admin-token-0123456789

"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null
CODE_A=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE_H=$("$BIN" --db "$DB" invite $HENDRA 2>/dev/null)
echo "{\"log_level\": \"info\", \"alert_fallback\": [\"199999999999999999\", \"$HENDRA\"]}" \
    >"$TMP/bimbing.json"

ctl() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$API/control/$1"; }
say() { ctl message "{\"chat_id\":$1,\"text\":$(jq -Rn --arg t "$2" '$t')}" >/dev/null; }
texts() {
    curl -s "$API/control/sent?chat_id=$1" |
        jq -r '.[] | select(.method=="sendMessage" and .status==200) | .params.text'
}
has_text() { [ "$(texts "$1" | grep -cF -- "$2")" -ge "${3:-1}" ]; }
declare -A PRESSED
press() { # press CHAT ID-SUFFIX: the newest keyboard's button ending in .ID
    local chat=$1 want=$2 mid data
    read -r mid data < <(curl -s "$API/control/chat?chat_id=$chat" | jq -r --arg w "$want" \
        '[.messages[] | select(.from=="bot" and .reply_markup.inline_keyboard != null)
          | {id:.message_id, b:[.reply_markup.inline_keyboard[][] | .callback_data]}] | last
          | "\(.id) \(.b[] | select(endswith("." + $w)))"' | head -1)
    [ -n "${data:-}" ] || return 1
    [ "$mid" -gt "${PRESSED[$chat]:-0}" ] || return 1
    PRESSED[$chat]=$mid
    ctl press "{\"chat_id\":$chat,\"message_id\":$mid,\"data\":\"$data\"}" >/dev/null
}

env BIMBING_TELEGRAM_TOKEN=$TOKEN BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=0 \
    BIMBING_ADMIN_TOKEN=$ADMIN_TOKEN \
    "$BIN" --db "$DB" --flows flows --config "$TMP/bimbing.json" serve >"$TMP/out" 2>"$TMP/err" &
SERVER=$!
e2e_track "$SERVER"
check "serve starts with the alert_fallback list" wait_for 10 grep -q "connected as @" "$TMP/err" "$TMP/out"
PORT=$(grep -ohE '127\.0\.0\.1:[0-9]+' "$TMP/out" "$TMP/err" | head -1 | cut -d: -f2)
[ -n "$PORT" ] || e2e_abort "serve did not start: $(cat "$TMP/err")"
BASE=http://127.0.0.1:$PORT/api/v1

# ---- Hendra and Ayu link their chats; Siti (HR) never does ---------------------------
say $CHAT_H "/start $CODE_H"
check "Hendra links his chat" wait_for 5 has_text $CHAT_H "selamat datang"
say $CHAT_A "/start $CODE_A"
check "Ayu links her chat" wait_for 5 press $CHAT_A id
check "...agrees to the data consent" wait_for 5 press $CHAT_A yes
check "...and to mentor sharing" wait_for 5 press $CHAT_A yes
check "...and to her health data (the wellbeing check)" wait_for 5 press $CHAT_A yes
check "...onboarding ends" wait_for 5 has_text $CHAT_A "Terima kasih, Ibu Ayu"
eq "Siti (HR) has no linked chat" "$(sql "SELECT count(*) FROM identities d JOIN people p ON p.id = d.person_id WHERE p.nip = '$HR'")" 0

# ---- a low wellbeing check, with consent ------------------------------------------------
say $CHAT_A "/sejahtera"
for v in 1 1 0 1 2; do check "WHO-5 item answered $v" wait_for 5 press $CHAT_A $v; done
check "the consent question says who will see what" \
    wait_for 5 has_text $CHAT_A "diteruskan kepada orang berikutnya dalam daftar yang ditetapkan bagian SDM"
check "Ayu agrees to alerts" wait_for 5 press $CHAT_A yes
check "Ayu is told that Hendra, from the list, was told" \
    wait_for 5 has_text $CHAT_A "Jadi saya mengabari Hendra Gunawan"
check "Hendra gets the alert, with why he gets it" \
    wait_for 5 has_text $CHAT_H "Ayu Lestari (Biro SDM) mungkin sedang membutuhkan dukungan"
check "...saying he is on the fallback list" has_text $CHAT_H "daftar cadangan"
lacks "...and never the answers" "$(texts $CHAT_H)" "20 dari 100"
eq "the alert is stored open, sent to the fallback" \
    "$(sql "SELECT kind || ' ' || sent_to || ' ' || reached || ' ' || acked_at FROM alerts")" \
    "wellbeing fallback 1 0"

# ---- the dashboard: the alerts list and acknowledging -------------------------------------
C=(curl -s --max-time 10)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
eq "GET /alerts needs a session" "$(code "$BASE/alerts")" 401
r=$("${C[@]}" -i -X POST -H 'Content-Type: application/json' -d "{\"token\":\"$ADMIN_TOKEN\"}" \
    "$BASE/session" | tr -d '\r')
OP=$(echo "$r" | grep -oE 'bb_admin=[0-9a-f]{64}' | head -1)
CSRF=$(echo "$r" | tail -1 | jq -r .csrf)
r=$("${C[@]}" -b "$OP" "$BASE/alerts")
eq "the alert is open on the dashboard" "$(echo "$r" | jq -r '.alerts | length')" 1
eq "...with whose, to whom and its state" \
    "$(echo "$r" | jq -r '.alerts[0] | [.kind, .person.nip, .person.name, .sent_to, .recipient, .state] | join("|")')" \
    "wellbeing|$AYU|Ayu Lestari|fallback|Hendra Gunawan|open"
lacks "...and no answers or scores in it" "$r" '"score"'
ID=$(echo "$r" | jq -r '.alerts[0].id')
eq "acknowledging needs the CSRF header" "$(code -X POST -b "$OP" "$BASE/alerts/$ID/ack")" 403
eq "an unknown alert is 404" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $CSRF" "$BASE/alerts/999/ack")" 404
eq "a bad id is 400" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $CSRF" "$BASE/alerts/abc/ack")" 400
eq "acknowledge" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $CSRF" "$BASE/alerts/$ID/ack")" 200
eq "...only once" "$(code -X POST -b "$OP" -H "X-CSRF-Token: $CSRF" "$BASE/alerts/$ID/ack")" 409
eq "the list shows it acknowledged, by whom" \
    "$("${C[@]}" -b "$OP" "$BASE/alerts" | jq -r '.alerts[0] | .state + " " + .acked_by + " " + .acked_by_name')" \
    "acknowledged operator Operator"
eq "acknowledging is audit-logged" \
    "$(sql "SELECT count(*) FROM audit_log WHERE action = 'alert.ack' AND actor = 'operator'")" 1

# ---- a distress message: an alert without the words ---------------------------------------
say $CHAT_A "saya sudah tidak kuat lagi, ingin mengakhiri hidup"
check "Ayu gets the help lines" wait_for 5 has_text $CHAT_A "119 ext 8"
check "...and is told Hendra was told, not what she wrote" wait_for 5 has_text $CHAT_A "Isi pesan Anda tidak saya bagikan"
check "Hendra gets a distress alert" wait_for 5 has_text $CHAT_H "kesulitan berat"
lacks "...without her words" "$(texts $CHAT_H)" "mengakhiri"
eq "a distress alert is open" "$(sql "SELECT count(*) FROM alerts WHERE kind = 'distress' AND acked_at = 0")" 1

e2e_finish
