#!/usr/bin/env bash
# tests/e2e/whatsapp.test.sh - the WhatsApp channel end to end: the real
# `bimbing serve` against tests/fakes/fake_whatsapp (a fake Graph API that
# posts signed webhooks). Covers webhook verification, forged signatures,
# onboarding by phone number with confirmation, a weekly check-in by reply
# buttons and by list, status callbacks in any order, a retried webhook,
# rate-limit back-off, and the 24-hour window (hold, template, 131047).
# Prints "N passed, N failed". Everything runs on 127.0.0.1, every wait is
# bounded, and whatever the script started is killed on exit.
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_whatsapp
e2e_init "$BIN" "$FAKE"
e2e_need_cmd jq sqlite3

SECRET=e2e-app-secret
TOKEN=e2e-token
PHONE_ID=1098765432
VERIFY=e2e-verify
BPORT=$(free_port)
AYU_NIP=198501012010012001
AYU=081234567801 # demo person, as people type it; WhatsApp says 6281234567801
AYU_WA=6281234567801
BUDI_NIP=199002022015021002
BUDI=081234567802

cat >"$TMP/templates.json" <<'EOF'
{"reminder": {"id": {"name": "pengingat_pesan", "lang": "id", "params": ["{{first_name}}"]},
              "en": {"name": "message_waiting", "lang": "en", "params": ["{{first_name}}"]}}}
EOF

"$BIN" people import config/demo-people.csv --db "$TMP/db" >"$TMP/import.out" 2>&1 ||
    { bad "people import" "$(cat "$TMP/import.out")"; e2e_exit; }
CODE_AYU=$("$BIN" --db "$TMP/db" invite 198501012010012001 2>/dev/null)
CODE_BUDI=$("$BIN" --db "$TMP/db" invite 199002022015021002 2>/dev/null)

start_fake "$FAKE" "$TMP/fport" --token "$TOKEN" --phone-id "$PHONE_ID" \
    --app-secret "$SECRET" --webhook "http://127.0.0.1:$BPORT/webhooks/whatsapp" ||
    { bad "fake starts"; e2e_exit; }
FPORT=$(cat "$TMP/fport")
F=http://127.0.0.1:$FPORT

BIMBING_HTTP_PORT=$BPORT BIMBING_WHATSAPP_TOKEN=$TOKEN BIMBING_WHATSAPP_API="$F/v23.0" \
    BIMBING_WHATSAPP_PHONE_ID=$PHONE_ID BIMBING_WHATSAPP_APP_SECRET=$SECRET \
    BIMBING_WHATSAPP_VERIFY_TOKEN=$VERIFY BIMBING_WHATSAPP_TEMPLATES="$TMP/templates.json" \
    "$BIN" serve --db "$TMP/db" >"$TMP/serve.out" 2>"$TMP/serve.err" &
e2e_track $!
B=http://127.0.0.1:$BPORT
for _ in $(seq 1 100); do curl -sf "$B/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
h=$(curl -s "$B/healthz")
case "$h" in *whatsapp*) ok "serve runs with the whatsapp channel" ;;
*) bad "serve runs with the whatsapp channel" "$h $(cat "$TMP/serve.err")"; e2e_exit ;; esac

# ---- helpers ----------------------------------------------------------------
write() { curl -s -m 10 -X POST "$F/control/write" -d "$1"; }
sent() { curl -s -m 10 "$F/control/sent?to=$1"; }
# accepted sends to a number
n_ok() { sent "$1" | jq '[.[] | select(.status == 200)] | length'; }
# sends to a number refused with error code $2
n_code() { sent "$1" | jq --argjson c "$2" '[.[] | select(.code == $c)] | length'; }
# wait until more than N accepted sends to a number (<= 10 s); prints the count
wait_more() {
    local to=$1 n=$2 c=0
    for _ in $(seq 1 100); do
        c=$(n_ok "$to")
        [ "$c" -gt "$n" ] && break
        sleep 0.1
    done
    echo "$c"
}
# wait until the count of accepted sends to a number is stable for 0.6 s
settle() {
    local to=$1 a b
    a=$(n_ok "$to")
    for _ in $(seq 1 30); do
        sleep 0.3
        b=$(n_ok "$to")
        if [ "$a" = "$b" ]; then
            sleep 0.3
            [ "$(n_ok "$to")" = "$b" ] && break
        fi
        a=$b
    done
    n_ok "$to"
}
last_ok() { sent "$1" | jq -c '[.[] | select(.status == 200)] | last | .body'; }
export_json() { "$BIN" export "$1" --db "$TMP/db" 2>/dev/null; }

# ---- verification ------------------------------------------------------------
r=$(curl -s -w ' %{http_code}' "$B/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=$VERIFY&hub.challenge=1158201444")
check_flag "GET verify with the right token answers the challenge" "$([ "$r" = "1158201444 200" ] && echo 1)" "$r"
r=$(curl -s -o /dev/null -w '%{http_code}' "$B/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
check_flag "GET verify with a wrong token is 403" "$([ "$r" = 403 ] && echo 1)" "$r"

# ---- forged signatures change nothing ------------------------------------------
body='{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"'$AYU_WA'","id":"wamid.FORGED1","timestamp":"1767225600","type":"text","text":{"body":"halo"}}]}}]}]}'
r=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$B/webhooks/whatsapp" -H 'Content-Type: application/json' \
    -H 'X-Hub-Signature-256: sha256=0000000000000000000000000000000000000000000000000000000000000000' -d "$body")
check_flag "a POST with a wrong signature is refused (401)" "$([ "$r" = 401 ] && echo 1)" "$r"
r=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$B/webhooks/whatsapp" -H 'Content-Type: application/json' -d "$body")
check_flag "a POST without a signature is refused (401)" "$([ "$r" = 401 ] && echo 1)" "$r"
r=$(write '{"from":"'$AYU'","text":"halo","forge":true}')
check_flag "a webhook signed with another secret is refused" "$(echo "$r" | jq -r '.status == 401 | if . then 1 else 0 end')" "$r"
sleep 0.8
c=$(n_ok "$AYU_WA")
e=$(export_json $AYU_NIP | jq '(.inbox | length) + (.identities | length)')
check_flag "forged webhooks stored and sent nothing" "$([ "$c" = 0 ] && [ "$e" = 0 ] && echo 1)" "sent=$c stored=$e"

# ---- onboarding by phone number ----------------------------------------------------
r=$(write '{"from":"'$AYU'","text":"halo"}')
check_flag "a signed webhook is accepted (200)" "$(echo "$r" | jq -r '.status == 200 | if . then 1 else 0 end')" "$r"
wait_more $AYU_WA 0 >/dev/null
m=$(last_ok $AYU_WA)
has "a matching number is asked for its invite code (issue 14, finding 9)" \
    "$(echo "$m" | jq -r '.text.body // empty')" "kode undangan" "invite code"
lacks "...without being told whose number it was" "$m" "Ayu"
e=$(export_json $AYU_NIP | jq '.identities | length')
check_flag "not linked by the phone number alone" "$([ "$e" = 0 ] && echo 1)" "$e"
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"ya"}' >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
e=$(export_json $AYU_NIP | jq '.identities | length')
check_flag "\"yes\" does not link it either" "$([ "$e" = 0 ] && echo 1)" "$e"
has "...it is asked for the code again" "$(last_ok $AYU_WA | jq -r '.text.body // empty')" "invite code"
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"'"$CODE_AYU"'"}' >/dev/null
wait_more $AYU_WA $((n + 1)) >/dev/null
settle $AYU_WA >/dev/null
e=$(export_json $AYU_NIP | jq -c '[.identities[] | select(.channel == "whatsapp") | .ext_id]')
check_flag "the invite code links the number to the person" "$([ "$e" = '["'$AYU_WA'"]' ] && echo 1)" "$e"
all=$(sent $AYU_WA)
check_flag "onboarding starts after the link (welcome text)" \
    "$(echo "$all" | jq -r '[.[] | select(.status == 200) | .body.text.body // empty] | any(contains("selamat datang")) | if . then 1 else 0 end')" "$all"

# press the first reply button of the last message, until onboarding ends (bounded)
press_first() {
    local m id title
    m=$(last_ok $AYU_WA)
    id=$(echo "$m" | jq -r '.interactive.action.buttons[0].reply.id // empty')
    title=$(echo "$m" | jq -r '.interactive.action.buttons[0].reply.title // empty')
    [ -n "$id" ] || return 1
    local n
    n=$(n_ok $AYU_WA)
    write "{\"from\":\"$AYU\",\"button\":{\"id\":\"$id\",\"title\":\"$title\"}}" >/dev/null
    wait_more $AYU_WA "$n" >/dev/null
    settle $AYU_WA >/dev/null
}
for _ in 1 2 3 4; do press_first || break; done
all=$(sent $AYU_WA)
check_flag "onboarding completes by reply buttons (consent recorded, welcome)" \
    "$(echo "$all" | jq -r '[.[] | select(.status == 200) | .body.text.body // empty] | any(contains("/checkin")) | if . then 1 else 0 end')" \
    "$(echo "$all" | jq -c '[.[] | .body.text.body // .body.interactive.body.text] | .[-3:]')"
c=$(export_json $AYU_NIP | jq -c '[.consents[] | select(.purpose == "data") | .granted]')
check_flag "consent given by button is stored" "$([ "$c" = "[1]" ] && echo 1)" "$c"

# ---- weekly check-in: a list (5 moods) and reply buttons ------------------------------
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"/checkin"}' >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
m=$(last_ok $AYU_WA)
check_flag "the 5-point mood scale is sent as a list (button Pilih, 5 rows, then Nanti saja and Lewati kali ini)" \
    "$(echo "$m" | jq -r '(.interactive.type == "list") and (.interactive.action.button == "Pilih") and ([.interactive.action.sections[].rows[] | .title] == ["1 Berat", "2 Kurang", "3 Biasa", "4 Baik", "5 Hebat", "Nanti saja", "Lewati kali ini"]) | if . then 1 else 0 end')" "$m"
row=$(echo "$m" | jq -c '.interactive.action.sections[0].rows[3]')
n=$(n_ok $AYU_WA)
write "{\"from\":\"$AYU\",\"list\":$(echo "$row" | jq -c '{id, title: "not the title"}')}" >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
for t in "Menyelesaikan laporan kinerja"; do
    n=$(n_ok $AYU_WA)
    write "{\"from\":\"$AYU\",\"text\":\"$t\"}" >/dev/null
    wait_more $AYU_WA "$n" >/dev/null
    settle $AYU_WA >/dev/null
done
m=$(last_ok $AYU_WA)
no=$(echo "$m" | jq -c '.interactive.action.buttons[1].reply // empty')
check_flag "the yes/no blocker question comes as reply buttons" "$([ -n "$no" ] && echo 1)" "$m"
n=$(n_ok $AYU_WA)
write "{\"from\":\"$AYU\",\"button\":$no}" >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
ck=$(export_json $AYU_NIP | jq -c '[.checkins[] | {mood, win, wants_help}]')
check_flag "the check-in is recorded (mood from the list id, not its title)" \
    "$(echo "$ck" | jq -r '(length == 1) and (.[0].mood == 4) and (.[0].win == "Menyelesaikan laporan kinerja") and (.[0].wants_help == 0) | if . then 1 else 0 end')" "$ck"
m=$(last_ok $AYU_WA)
check_flag "the check-in ends with a thank-you" "$(echo "$m" | jq -r '.text.body // "" | contains("sudah saya catat") | if . then 1 else 0 end')" "$m"

# ---- status callbacks, any order, repeated ---------------------------------------------
wid=$(sent $AYU_WA | jq -r '[.[] | select(.status == 200)] | last | .id')
r=$(curl -s -m 10 -X POST "$F/control/status" -d "{\"id\":\"$wid\",\"statuses\":[\"read\",\"sent\",\"delivered\",\"read\"],\"repeat\":2}")
check_flag "status webhook accepted" "$(echo "$r" | jq -r '.status == 200 | if . then 1 else 0 end')" "$r"
sleep 0.3
st=$(export_json $AYU_NIP | jq -c "[.outbox[] | select(.ext_msg_id == \"$wid\") | .state]")
check_flag "read before delivered: the outbox row is read (4) and stays there" "$([ "$st" = "[4]" ] && echo 1)" "$st"
prev=$(sent $AYU_WA | jq -r '[.[] | select(.status == 200)] | .[-2].id')
curl -s -m 10 -X POST "$F/control/status" -d "{\"id\":\"$prev\",\"statuses\":[\"delivered\"]}" >/dev/null
sleep 0.3
st=$(export_json $AYU_NIP | jq -c "[.outbox[] | select(.ext_msg_id == \"$prev\") | .state]")
check_flag "delivered is recorded (3)" "$([ "$st" = "[3]" ] && echo 1)" "$st"

# ---- a retried webhook (same wamid) is processed once ---------------------------------------
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"/checkin","id":"wamid.RETRY0001"}' >/dev/null
wait_more $AYU_WA "$n" >/dev/null
a=$(settle $AYU_WA)
r1=$(curl -s -m 10 -X POST "$F/control/replay" -d '{}')
r2=$(write '{"from":"'$AYU'","text":"/checkin","id":"wamid.RETRY0001"}')
b=$(settle $AYU_WA)
i=$(export_json $AYU_NIP | jq '[.inbox[] | select(.ext_msg_id == "wamid.RETRY0001")] | length')
check_flag "a replayed webhook is answered 200 and processed once" \
    "$([ "$(echo "$r1" | jq .status)" = 200 ] && [ "$(echo "$r2" | jq .status)" = 200 ] && [ "$a" = "$b" ] && [ "$i" = 1 ] && echo 1)" \
    "before=$a after=$b inbox=$i $r1 $r2"
# finish that check-in quickly: it restarts the mood list
row=$(last_ok $AYU_WA | jq -c '.interactive.action.sections[0].rows[4] // empty')

# ---- rate limit: 130429 is retried later, delivered once ---------------------------------------
curl -s -m 10 -X POST "$F/control/fault" -d "{\"code\":130429,\"count\":1,\"to\":\"$AYU\"}" >/dev/null
n=$(n_ok $AYU_WA)
write "{\"from\":\"$AYU\",\"list\":$(echo "${row:-{\"id\":\"x\"\}}" | jq -c '{id, title}')}" >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
all=$(sent $AYU_WA)
rl=$(echo "$all" | jq -c '[.[] | select(.code == 130429)] | length')
rseq=$(echo "$all" | jq '[.[] | select(.code == 130429)] | first | .seq')
rms=$(echo "$all" | jq '[.[] | select(.code == 130429)] | first | .ms')
body=$(echo "$all" | jq -c '[.[] | select(.code == 130429)] | first | .body')
after=$(echo "$all" | jq -c --argjson b "$body" --argjson s "${rseq:-0}" '[.[] | select(.status == 200 and .seq > $s and .body == $b)]')
dup=$(echo "$after" | jq 'length')
gap=$(echo "$after" | jq --argjson m "${rms:-0}" '(first | .ms // 0) - $m')
check_flag "130429: the message is sent again after a pause, exactly once" \
    "$([ "$rl" = 1 ] && [ "$dup" = 1 ] && [ "${gap:-0}" -ge 900 ] && echo 1)" "rate=$rl accepted=$dup gap_ms=$gap"
st=$(curl -s "$F/control/stats")
check_flag "never more than 80 sends per second" "$(echo "$st" | jq -r '.max_overall_1s <= 80 | if . then 1 else 0 end')" "$st"

# ---- issue 14, finding 12: a status for an unknown message changes nothing ----------------------
signed_post() { # signed_post BODY: POST a webhook signed with the app secret; prints the status
    local sig
    sig=$(printf '%s' "$1" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
    curl -s -o /dev/null -w '%{http_code}' -X POST "$B/webhooks/whatsapp" -H 'Content-Type: application/json' \
        -H "X-Hub-Signature-256: sha256=$sig" -d "$1"
}
body='{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.NOT-OURS-1","status":"failed","timestamp":"1767225600","recipient_id":"'$AYU_WA'","errors":[{"code":131047,"title":"Re-engagement message"}]}]}}]}]}'
eq "a failed/131047 status for an unknown message id is accepted (200)" "$(signed_post "$body")" 200
sleep 0.3
w=$(export_json $AYU_NIP | jq -c '.whatsapp_window[0] | (.closed_at // 0) < .last_in')
check_flag "...and leaves that number's 24-hour window open" "$([ "$w" = true ] && echo 1)" "$w"

# ---- issue 14, finding 12: inbound text is capped at 16384 bytes -----------------------------------
n=$(n_ok $AYU_WA)
long=$(head -c 16385 /dev/zero | tr '\0' 'a')
write "{\"from\":\"$AYU\",\"text\":\"$long\",\"id\":\"wamid.TOO-LONG-1\"}" >/dev/null
wait_more $AYU_WA "$n" >/dev/null
m=$(last_ok $AYU_WA | jq -r '.text.body // empty')
has "a text over 16384 bytes gets a clear reply in both languages" "$m" "terlalu panjang" "too long"
e=$(export_json $AYU_NIP | jq '[.inbox[] | select((.text // "") | length > 16384)] | length')
eq "...and nothing of it is stored" "$e" 0
n=$(n_ok $AYU_WA)
ok16=$(head -c 16384 /dev/zero | tr '\0' 'b')
write "{\"from\":\"$AYU\",\"text\":\"$ok16\",\"id\":\"wamid.LONG-OK-1\"}" >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
e=$(export_json $AYU_NIP | jq '[.inbox[] | select((.text // "") | length == 16384)] | length')
eq "a text of exactly 16384 bytes is accepted" "$e" 1

# ---- 131047 from the platform: the message fails, the window is closed -------------------------
curl -s -m 10 -X POST "$F/control/fault" -d "{\"code\":131047,\"count\":1,\"to\":\"$AYU\"}" >/dev/null
write '{"from":"'$AYU'","text":"/menu"}' >/dev/null
wait_for 5 at_least 1 n_code $AYU_WA 131047
sleep 0.5
f=$(export_json $AYU_NIP | jq -c '[.outbox[] | select(.state == 5) | .error]')
check_flag "131047: the message is marked failed" "$(echo "$f" | jq -r 'any(startswith("131047")) | if . then 1 else 0 end')" "$f"
w=$(export_json $AYU_NIP | jq -c '.whatsapp_window[0] | .closed_at >= .last_in')
check_flag "131047: the window is recorded as closed" "$([ "$w" = true ] && echo 1)" "$w"

# ---- the 24-hour window: hold, template, release ------------------------------------------------
curl -s -m 10 -X POST "$F/control/window" -d '{"enabled":true}' >/dev/null
BUDI_WA=6281234567802
write '{"from":"'$BUDI'","text":"'"$CODE_BUDI"'","age_s":90000}' >/dev/null
wait_for 5 at_least 1 n_ok $BUDI_WA
sleep 0.8
all=$(sent $BUDI_WA)
check_flag "outside the window only a template goes (in the person's language)" \
    "$(echo "$all" | jq -r '([.[] | select(.status == 200)] | length == 1) and (.[0].body.type == "template") and (.[0].body.template.name == "message_waiting") and (.[0].body.template.components[0].parameters[0].text == "Budi") | if . then 1 else 0 end')" "$all"
check_flag "nothing was refused with 131047 (the rest is held)" \
    "$(echo "$all" | jq -r '[.[] | select(.code == 131047)] | length == 0 | if . then 1 else 0 end')" "$all"
write '{"from":"'$BUDI'","text":"hi"}' >/dev/null
wait_more $BUDI_WA 1 >/dev/null
settle $BUDI_WA >/dev/null
all=$(sent $BUDI_WA)
check_flag "when the person writes, the held onboarding goes" \
    "$(echo "$all" | jq -r '([.[] | select(.status == 200 and .body.type == "interactive")] | length >= 1) and ([.[] | select(.code == 131047)] | length == 0) | if . then 1 else 0 end')" \
    "$(echo "$all" | jq -c '[.[] | {type, code}]')"
e=$(export_json $BUDI_NIP | jq -c '[.identities[] | .ext_id]')
check_flag "the second person is linked" "$([ "$e" = '["'$BUDI_WA'"]' ] && echo 1)" "$e"

# ---- eNPS: 11 numbered choices, a typed number is the number itself --------------------------------
# 11 options are too many for a list: they go out as text, listed by their own
# numbers (never "9. 8"), and a typed "8" is stored as the score 8.
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"/batal"}' >/dev/null # the check-in left open above
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
n=$(n_ok $AYU_WA)
"$BIN" --db "$TMP/db" survey send survey.enps --to all >"$TMP/survey.out" 2>&1 ||
    bad "survey send" "$(cat "$TMP/survey.out")"
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
m=$(last_ok $AYU_WA)
check_flag "the eNPS scale goes out as text listing 0 to 10 by their own numbers" \
    "$(echo "$m" | jq -r '.text.body // "" | (endswith("\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10") and (contains("9. 8") | not)) | if . then 1 else 0 end')" "$m"
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"8"}' >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
n=$(n_ok $AYU_WA)
write '{"from":"'$AYU'","text":"-"}' >/dev/null
wait_more $AYU_WA "$n" >/dev/null
settle $AYU_WA >/dev/null
# one answer: pending until k of the unit answered (docs/surveys.md)
s=$(sqlite3 "$TMP/db" "select group_concat(num) from (select num from survey_answers where question = 'enps' union all select num from survey_pending where question = 'enps')" 2>&1)
check_flag "a typed 8 is stored as the eNPS score 8" "$([ "$s" = "8.0" ] && echo 1)" "$s"

# ---- an unknown number falls through to the core ---------------------------------------------------
write '{"from":"+62 899 0000 1111","text":"halo"}' >/dev/null
wait_more 6289900001111 0 >/dev/null
m=$(last_ok 6289900001111)
check_flag "an unknown number gets the bilingual how-to-join note" \
    "$(echo "$m" | jq -r '.text.body // "" | (contains("kode undangan") and contains("invite code")) | if . then 1 else 0 end')" "$m"
write '{"from":"6289900001111","type":"image"}' >/dev/null
sleep 0.5
grep -q 'error\|ERR' "$TMP/serve.err" && bad "no errors in the service log" "$(grep -i 'error' "$TMP/serve.err" | head -5)" || ok "no errors in the service log"
if grep -q "$SECRET\|$TOKEN\|Menyelesaikan" "$TMP/serve.err"; then
    bad "the log has no secrets or message bodies"
else
    ok "the log has no secrets or message bodies"
fi

e2e_finish
