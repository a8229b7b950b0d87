#!/usr/bin/env bash
# telegram.test.sh - `bimbing serve` against the fake Bot API server
# (tests/fakes/fake_telegram.c), end to end over loopback: registration,
# a weekly check-in by buttons and by typed answers, answered questions
# edited, 429 / 5xx / 403 handling, kill -9 mid-conversation with nothing
# lost or processed twice, and webhook mode with a right and a wrong secret.
. "$(dirname "$0")/lib.sh"
fake_telegram_init

CHAT_A=5123456789
CHAT_B=5987654321
CHAT_X=4000000001

"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null
CODE_A=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE_B=$("$BIN" --db "$DB" invite $BUDI 2>/dev/null)

ctl() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$API/control/$1"; }
say() { ctl message "{\"chat_id\":$1,\"text\":$(jq -Rn --arg t "$2" '$t')}" >/dev/null; }
sent() { curl -s "$API/control/sent?chat_id=$1"; }
# texts of sendMessage calls answered 200, one per line
texts() { sent "$1" | jq -r '.[] | select(.method=="sendMessage" and .status==200) | .params.text'; }
count_text() { texts "$1" | grep -cF -- "$2"; }
has_text() { [ "$(count_text "$1" "$2")" -ge "${3:-1}" ]; }
# Press the button whose callback_data ends with ".$2" on the newest
# keyboard, which must be newer than the one pressed last in that chat (so a
# press never lands on the question just answered).
declare -A PRESSED
press() {
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

start_serve() { # extra env may be given as arguments (VAR=value)
    env BIMBING_TELEGRAM_TOKEN=$TOKEN BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=${SP:-0} "$@" \
        "$BIN" --db "$DB" --config "$TMP/bimbing.json" serve >>"$TMP/serve.log" 2>&1 &
    SERVE_PID=$!
    e2e_track "$SERVE_PID"
    wait_for 10 grep -q "connected as @" "$TMP/serve.log"
}
echo '{"log_level": "info"}' >"$TMP/bimbing.json"
check "serve starts and connects to the Bot API (getMe)" start_serve
check "start-up calls deleteWebhook and setMyCommands for id and en" \
    bash -c "curl -s '$API/control/sent' | jq -e '[.[] | select(.method==\"setMyCommands\") | .params.language_code // \"\"] | sort == [\"\",\"en\",\"id\"]' >/dev/null && curl -s '$API/control/sent' | jq -e 'any(.[]; .method==\"deleteWebhook\")' >/dev/null"

# ---- registration ---------------------------------------------------------------
say $CHAT_X "halo"
check "an unknown user gets the bilingual how-to-join note" wait_for 5 has_text $CHAT_X "invite code from HR"
say $CHAT_X "/start ZZZZZZZZZZ"
check "a wrong code is refused politely" wait_for 5 has_text $CHAT_X "That code is unknown"
for i in 1 2 3 4 5; do say $CHAT_X "/start ZZZZZZZZZ$i"; done
check "wrong codes are limited per chat per hour" wait_for 8 has_text $CHAT_X "Too many wrong codes"
say $CHAT_A "/start $CODE_A"
check "a valid invite code links the chat and starts onboarding" wait_for 5 has_text $CHAT_A "selamat datang"
say $CHAT_X "/start $CODE_A"
sleep 0.5
check "an invite code works only once" wait_for 5 has_text $CHAT_X "That code is unknown" 2

# ---- onboarding and a check-in by buttons -----------------------------------------
check "language question has buttons" wait_for 5 press $CHAT_A id
check "consent question" wait_for 5 press $CHAT_A yes
check "mentor-share question" wait_for 5 press $CHAT_A yes
check "health-data question (its own consent)" wait_for 5 press $CHAT_A yes
check "onboarding ends with the welcome" wait_for 5 has_text $CHAT_A "Terima kasih, Ibu Ayu"
say $CHAT_A "/checkin"
check "check-in mood by button" wait_for 5 press $CHAT_A 4
check "win question after a good mood" wait_for 5 has_text $CHAT_A "satu hal yang berhasil"
say $CHAT_A "Menyelesaikan laporan triwulan"
check "blocker question" wait_for 5 has_text $CHAT_A "ada hambatan"
check "blocker yes/no by button" wait_for 5 press $CHAT_A yes
check "then what the blocker is" wait_for 5 has_text $CHAT_A "Apa hambatannya"
say $CHAT_A "Menunggu data dari unit lain"
check "check-in saved" wait_for 5 has_text $CHAT_A "sudah saya catat"
check "every button press was answered (answerCallbackQuery)" \
    bash -c "curl -s '$API/control/chat?chat_id=$CHAT_A' | jq -e '.unanswered_callbacks | length == 0' >/dev/null"
check "answered questions show the choice and lose their buttons" \
    bash -c "curl -s '$API/control/chat?chat_id=$CHAT_A' | jq -e '[.messages[] | select(.text==\"Anda ingin menggunakan bahasa apa?\") | .reply_markup.inline_keyboard[0][0].text] == [\"✓ Bahasa Indonesia\"]' >/dev/null"
OLD_MID=$(curl -s "$API/control/chat?chat_id=$CHAT_A" | jq '[.messages[] | select(.text=="Anda ingin menggunakan bahasa apa?")][0].message_id')
ctl press "{\"chat_id\":$CHAT_A,\"message_id\":$OLD_MID,\"data\":\"q1.en\"}" >/dev/null
check "a press on an old question is answered politely and not applied" wait_for 5 has_text $CHAT_A "Pertanyaan itu sudah lewat"
sleep 0.5
check "...and the stale choice (English) was not applied" \
    bash -c "'$BIN' --db '$DB' export $AYU 2>/dev/null | jq -e '.person.lang == \"id\"' >/dev/null"

# ---- a check-in by typed answers, in English, low mood ------------------------------
say $CHAT_B "/start $CODE_B"
wait_for 5 press $CHAT_B en >/dev/null
wait_for 5 press $CHAT_B yes >/dev/null
wait_for 5 press $CHAT_B no >/dev/null
wait_for 5 press $CHAT_B no >/dev/null
check "English onboarding" wait_for 5 has_text $CHAT_B "Thank you, Budi"
say $CHAT_B "/checkin"
wait_for 5 has_text $CHAT_B "How was your week?" >/dev/null
say $CHAT_B "rough"
check "typed label of a low mood takes the kinder path" wait_for 5 has_text $CHAT_B "Thank you for telling me"
say $CHAT_B "-"
wait_for 5 has_text $CHAT_B "one thing that went well" >/dev/null
say $CHAT_B "Helped a colleague"
wait_for 5 has_text $CHAT_B "anything blocking" >/dev/null
say $CHAT_B "2"
check "typed number for the second option (No) ends the check-in" wait_for 5 has_text $CHAT_B "Thank you for sharing, Budi"
"$BIN" --db "$DB" export $BUDI >"$TMP/budi.json" 2>/dev/null
check "the check-in is recorded with mood 1 and the typed answers" \
    jq -e '.checkins | length == 1 and .[0].mood == 1 and .[0].win == "Helped a colleague" and .[0].wants_help == 0' "$TMP/budi.json" >/dev/null
say $CHAT_B "/checkin"
check "the first question offers Later and Skip this one as buttons" wait_for 5 press $CHAT_B "~skip"
check "Skip this one closes the check-in without a reminder" wait_for 5 has_text $CHAT_B "we'll skip this one"

# ---- 429, 5xx, 403 ---------------------------------------------------------------
ctl fault '{"method":"sendMessage","status":429,"retry_after":2,"count":1}' >/dev/null
say $CHAT_A "/menu"
check "after a 429 the message goes out once retry_after has passed" wait_for 10 has_text $CHAT_A "Apa yang ingin Anda bahas?"
check "...not before retry_after (2 s)" bash -c "curl -s '$API/control/sent?chat_id=$CHAT_A' | jq -e '[.[] | select(.method==\"sendMessage\")] | (map(select(.status==429)) | last.ms) as \$t | (map(select(.status==200 and .ms > \$t)) | first.ms) - \$t >= 1900' >/dev/null"
ctl fault '{"method":"sendMessage","status":500,"count":2}' >/dev/null
say $CHAT_A "/bantuan"
check "after 5xx errors the message is retried with backoff and delivered" wait_for 15 has_text $CHAT_A "Saya coach bimbing. Perintah"
check "...once" bash -c "[ \$(curl -s '$API/control/sent?chat_id=$CHAT_A' | jq '[.[] | select(.method==\"sendMessage\" and .status==200 and (.params.text|startswith(\"Saya coach bimbing. Perintah\")))] | length') -eq 1 ]"
ctl fault "{\"method\":\"sendMessage\",\"status\":403,\"count\":1,\"chat_id\":$CHAT_B}" >/dev/null
say $CHAT_B "/menu"
check "403 blocked: the attempt was made once" wait_for 5 bash -c "curl -s '$API/control/sent?chat_id=$CHAT_B' | jq -e 'any(.[]; .status==403)' >/dev/null"
sleep 0.5
"$BIN" --db "$DB" export $BUDI >"$TMP/budi.json" 2>/dev/null
check "403 marks the identity blocked" jq -e '.identities[] | select(.channel=="telegram") | .blocked == 1' "$TMP/budi.json" >/dev/null
ctl message "{\"chat_id\":$CHAT_B,\"text\":\"/bantuan\"}" >/dev/null
check "a person who writes again is unblocked and answered" wait_for 5 has_text $CHAT_B "I am the bimbing coach"

# ---- /metrics counts what happened above -----------------------------------------------
HP=$(grep -o 'running: http://127.0.0.1:[0-9]*' "$TMP/serve.log" | tail -1 | sed 's/.*://')
curl -s "http://127.0.0.1:$HP/metrics" >"$TMP/metrics"
metric() { awk -v k="$1" '$1 == k {print $2}' "$TMP/metrics"; }
check "metrics: messages in per channel" [ "$(metric 'bimbing_messages_in_total{channel="telegram"}')" -ge 20 ]
check "metrics: messages sent" [ "$(metric 'bimbing_messages_out_total{channel="telegram",state="sent"}')" -ge 20 ]
check "metrics: the 403 counted as blocked" [ "$(metric 'bimbing_messages_out_total{channel="telegram",state="blocked"}')" -ge 1 ]
check "metrics: the 429 counted" [ "$(metric 'bimbing_send_retries_total{channel="telegram",reason="rate_limited"}')" -ge 1 ]
check "metrics: the two 5xx counted as retries" [ "$(metric 'bimbing_send_retries_total{channel="telegram",reason="error"}')" -ge 2 ]
check "metrics: a latency histogram whose +Inf bucket equals the sent count" \
    [ "$(metric 'bimbing_send_latency_seconds_bucket{channel="telegram",le="+Inf"}')" = \
      "$(metric 'bimbing_messages_out_total{channel="telegram",state="sent"}')" ]

# ---- kill -9 in the middle of a conversation ------------------------------------------
say $CHAT_A "/checkin"
wait_for 5 press $CHAT_A 3 >/dev/null
wait_for 5 has_text $CHAT_A "satu hal yang berhasil" 2 >/dev/null
kill -9 $SERVE_PID
wait $SERVE_PID 2>/dev/null
say $CHAT_A "Rapat koordinasi lancar"     # arrives while bimbing is down
say $CHAT_A "Ada"
say $CHAT_A "Data dari unit lain belum masuk"
check "after kill -9 and restart, serve reconnects" start_serve
check "updates sent while down are processed: the check-in is saved" wait_for 10 has_text $CHAT_A "sudah saya catat" 2
sleep 1
check "nothing was processed twice (one blocker question for this check-in)" \
    bash -c "[ \$(curl -s '$API/control/sent?chat_id=$CHAT_A' | jq '[.[] | select(.method==\"sendMessage\" and .status==200 and .params.text==\"Apakah ada hambatan yang sedang Anda hadapi?\")] | length') -eq 2 ]"
"$BIN" --db "$DB" export $AYU >"$TMP/ayu.json" 2>/dev/null
check "the interrupted check-in is recorded whole" \
    jq -e '[.checkins[] | select(.mood == 3 and .win == "Rapat koordinasi lancar" and .blocker == "Data dari unit lain belum masuk")] | length == 1' "$TMP/ayu.json" >/dev/null

# ---- mentoring introductions link to the Telegram usernames kept from updates -------------
CHAT_C=5111222333
CODE_C=$("$BIN" --db "$DB" invite $ANDI 2>/dev/null)
ctl message "{\"chat_id\":$CHAT_C,\"text\":\"/start $CODE_C\",\"username\":\"andi_w\"}" >/dev/null
wait_for 5 press $CHAT_C id >/dev/null
wait_for 5 press $CHAT_C yes >/dev/null
wait_for 5 press $CHAT_C yes >/dev/null
wait_for 5 press $CHAT_C no >/dev/null
check "Andi (a mentor) onboarded on Telegram" wait_for 5 has_text $CHAT_C "Terima kasih, Bapak Andi"
check "his username is kept once his chat is linked" wait_for 5 bash -c \
    "'$BIN' --db '$DB' export $ANDI 2>/dev/null | jq -e '.identities[] | select(.channel == \"telegram\" and .handle == \"andi_w\")' >/dev/null"
ctl message "{\"chat_id\":$CHAT_A,\"text\":\"/menu\",\"username\":\"bad-name!\"}" >/dev/null
sleep 0.5
check "an invalid username is not kept" bash -c \
    "'$BIN' --db '$DB' export $AYU 2>/dev/null | jq -e '[.identities[] | select(.channel == \"telegram\")][0].handle == \"\"' >/dev/null"
"$BIN" --db "$DB" pair suggest >/dev/null 2>&1
"$BIN" --db "$DB" pair apply --only $AYU >"$TMP/apply.out" 2>&1
check "HR pairs Ayu with Andi" grep -q "paired Ayu Lestari ($AYU) -> Andi Wijaya ($ANDI)" "$TMP/apply.out"
check "Ayu's introduction links to Andi's Telegram" wait_for 5 has_text $CHAT_A "Hubungi Bapak Andi di Telegram: https://t.me/andi_w"
check "Andi's introduction offers /sapa (Ayu has no username)" wait_for 5 has_text $CHAT_C "kepada Ibu Ayu lewat saya: ketik /sapa."
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null

# ---- webhook mode -------------------------------------------------------------------
SP=$(free_port)
SECRET=s3cret_for-tests
cat >"$TMP/bimbing.json" <<EOF2
{"telegram": {"mode": "webhook", "webhook_url": "http://127.0.0.1:$SP/webhooks/telegram"}}
EOF2
check "serve starts in webhook mode" start_serve BIMBING_TELEGRAM_WEBHOOK_SECRET=$SECRET
check "setWebhook was called with the secret" wait_for 5 bash -c "curl -s '$API/control/sent' | jq -e 'any(.[]; .method==\"setWebhook\" and .params.secret_token==\"$SECRET\")' >/dev/null"
before=$(count_text $CHAT_A "Apa yang ingin Anda bahas?")
say $CHAT_A "/menu"
check "an update delivered by webhook is answered" wait_for 10 has_text $CHAT_A "Apa yang ingin Anda bahas?" $((before + 1))
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H 'X-Telegram-Bot-Api-Secret-Token: wrong' \
    -d "{\"update_id\":999001,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":$CHAT_A,\"type\":\"private\"},\"from\":{\"id\":$CHAT_A,\"is_bot\":false,\"first_name\":\"X\"},\"text\":\"/menu\"}}" \
    "http://127.0.0.1:$SP/webhooks/telegram")
check "a webhook with a wrong secret is refused (401)" [ "$code" = 401 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{"update_id":999002}' "http://127.0.0.1:$SP/webhooks/telegram")
check "a webhook without the secret header is refused (401)" [ "$code" = 401 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Telegram-Bot-Api-Secret-Token: $SECRET" \
    -d 'not json' "http://127.0.0.1:$SP/webhooks/telegram")
check "a malformed webhook body is refused (400)" [ "$code" = 400 ]
sleep 1
check "the refused webhooks changed nothing (no extra reply)" [ "$(count_text $CHAT_A "Apa yang ingin Anda bahas?")" -eq $((before + 1)) ]
code=$(head -c 2000000 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "X-Telegram-Bot-Api-Secret-Token: $SECRET" --data-binary @- "http://127.0.0.1:$SP/webhooks/telegram")
check "a huge webhook body is refused (413)" [ "$code" = 413 ]
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null

# ---- a bad token: one clear message, no retry storm ------------------------------------
SP=0
echo '{}' >"$TMP/bimbing.json"
env BIMBING_TELEGRAM_TOKEN=999:WRONG BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=0 \
    "$BIN" --db "$DB" --config "$TMP/bimbing.json" serve >"$TMP/bad.log" 2>&1 &
BADPID=$!
e2e_track "$BADPID"
check "a refused token is reported clearly" wait_for 5 grep -q "refused the bot token" "$TMP/bad.log"
sleep 1.5
check "...and getMe is not retried" [ "$(grep -c 'refused the bot token' "$TMP/bad.log")" -eq 1 ]
kill $BADPID; wait $BADPID 2>/dev/null
grep -q "$TOKEN" "$TMP/serve.log" && bad "the token appears in the log" || ok "the token never appears in the log"

e2e_finish
