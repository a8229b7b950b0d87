#!/usr/bin/env bash
# tests/fakes/fake_telegram.test.sh - black-box checks of the fake Telegram
# Bot API server with curl: envelope and errors, getUpdates offsets and long
# polls, webhooks, sendMessage limits, faults, the four body encodings, the
# control API and the simulated users. Prints "N passed, N failed".
# Everything runs on 127.0.0.1 with bounded waits; the fakes are always
# killed on exit.
. "$(dirname "$0")/../e2e/lib.sh"
FAKE=$BUILD/fakes/fake_telegram
e2e_init "$FAKE"

start_fake "$FAKE" "$TMP/port" || e2e_abort "fake did not start"
FAKE_PID=$LAST_PID
PORT=$(cat "$TMP/port")
BASE=http://127.0.0.1:$PORT
API=$BASE/bot123456:TEST
C=$BASE/control
CURL=(curl -s --max-time 10)
post() { "${CURL[@]}" -X POST -H 'Content-Type: application/json' -d "$2" "$1"; }
code() { "${CURL[@]}" -o /dev/null -w '%{http_code}' "$@"; }

has "prints its port" "$(cat "$TMP/port.out")" "listening on 127.0.0.1:$PORT"
has "--help" "$("$FAKE" --help)" "--sim-done" "--port-file"

# --- envelope, auth, routing
r=$("${CURL[@]}" "$API/getMe")
has "getMe" "$r" '"ok":true' '"is_bot":true' '"username":"bimbing_test_bot"' '"id":123456'
has "method names are case-insensitive" "$("${CURL[@]}" "$API/GETME")" '"ok":true'
r=$("${CURL[@]}" -w ' %{http_code}' "$BASE/bot123456:WRONG/getMe")
has "wrong token is 401" "$r" '{"ok":false,"error_code":401,"description":"Unauthorized"} 401'
r=$("${CURL[@]}" -w ' %{http_code}' "$API/noSuchMethod")
has "unknown method is 404" "$r" '"error_code":404,"description":"Not Found"} 404'

# --- getUpdates: delivery, offset confirmation, negative offset
r=$(post "$C/message" '{"chat_id":42,"text":"/checkin now","first_name":"Ana","language_code":"id"}')
has "control/message" "$r" '"update_id":' '"message_id":1'
uid=$(echo "$r" | grep -oE '"update_id":[0-9]+' | grep -oE '[0-9]+')
r=$("${CURL[@]}" "$API/getUpdates")
has "getUpdates returns the message" "$r" "\"update_id\":$uid" '"text":"/checkin now"' \
    '"first_name":"Ana"' '"language_code":"id"' '"type":"bot_command","offset":0,"length":8'
has "unconfirmed update is returned again" "$("${CURL[@]}" "$API/getUpdates")" "\"update_id\":$uid"
r=$("${CURL[@]}" "$API/getUpdates?offset=$((uid + 1))")
has "offset confirms" "$r" '{"ok":true,"result":[]}'
for t in one two three; do post "$C/message" "{\"chat_id\":42,\"text\":\"$t\"}" >/dev/null; done
r=$("${CURL[@]}" "$API/getUpdates?offset=-1")
has "negative offset keeps the last ones" "$r" '"text":"three"'
lacks "negative offset forgets earlier ones" "$("${CURL[@]}" "$API/getUpdates")" '"text":"two"'
last=$(echo "$r" | grep -oE '"update_id":[0-9]+' | grep -oE '[0-9]+' | tail -1)
"${CURL[@]}" "$API/getUpdates?offset=$((last + 1))" >/dev/null
r=$("${CURL[@]}" "$API/getUpdates?limit=0&timeout=0")
has "limit 0 is clamped, empty queue" "$r" '"result":[]'

# --- long poll returns early when an update arrives
start=$(date +%s%N)
"${CURL[@]}" "$API/getUpdates?offset=$((last + 1))&timeout=20" >"$TMP/lp" &
lp=$!
sleep 0.5
post "$C/message" '{"chat_id":42,"text":"wake up"}' >/dev/null
wait $lp
el=$((($(date +%s%N) - start) / 1000000))
has "long poll answered with the update" "$(cat "$TMP/lp")" '"text":"wake up"'
if [ "$el" -lt 8000 ]; then ok "long poll returned early (${el} ms)"; else bad "long poll returned early" "$el ms"; fi
last=$(grep -oE '"update_id":[0-9]+' "$TMP/lp" | grep -oE '[0-9]+' | tail -1)
"${CURL[@]}" "$API/getUpdates?offset=$((last + 1))" >/dev/null
r=$("${CURL[@]}" "$API/getUpdates?timeout=1")
has "long poll times out empty" "$r" '{"ok":true,"result":[]}'

# --- a second poller terminates the first
"${CURL[@]}" "$API/getUpdates?timeout=5" -w ' %{http_code}' >"$TMP/p1" &
p1=$!
sleep 0.3
"${CURL[@]}" "$API/getUpdates?timeout=0" >/dev/null
wait $p1
has "older poller gets 409" "$(cat "$TMP/p1")" \
    'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' ' 409'

# --- grammY start-up: getMe, deleteWebhook, getUpdates with timeout (JSON POST)
r=$(post "$API/getMe" '{}')
has "grammY getMe (JSON POST)" "$r" '"ok":true'
r=$(post "$API/deleteWebhook" '{"drop_pending_updates":false}')
has "grammY deleteWebhook" "$r" '"ok":true,"result":true'
r=$(post "$API/getUpdates" '{"offset":0,"limit":100,"timeout":1,"allowed_updates":[]}')
has "grammY getUpdates with timeout" "$r" '{"ok":true,"result":[]}'

# --- webhooks: 409 while set, info, delivery to another fake, retries
start_fake "$FAKE" "$TMP/port2" || bad "second fake starts"
P2=$(cat "$TMP/port2")
r=$(post "$API/setWebhook" '{"url":"https://example.com/hook"}')
has "webhook outside 127.0.0.1 is refused" "$r" '"error_code":400' 'bad webhook'
r=$(post "$API/setWebhook" "{\"url\":\"http://127.0.0.1:$P2/x\",\"secret_token\":\"bad token!\"}")
has "bad secret_token is refused" "$r" '"error_code":400' 'secret token'
r=$(post "$API/setWebhook" "{\"url\":\"http://127.0.0.1:$P2/control/update\",\"secret_token\":\"s3cr3t_-X\"}")
has "setWebhook" "$r" '"ok":true,"result":true,"description":"Webhook was set"'
r=$("${CURL[@]}" -w ' %{http_code}' "$API/getUpdates")
has "getUpdates while a webhook is set is 409" "$r" \
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" ' 409'
has "getWebhookInfo" "$("${CURL[@]}" "$API/getWebhookInfo")" "\"url\":\"http://127.0.0.1:$P2/control/update\""
post "$C/message" '{"chat_id":4242,"text":"via webhook"}' >/dev/null
r=""
for _ in $(seq 1 50); do
    r=$("${CURL[@]}" "http://127.0.0.1:$P2/bot123456:TEST/getUpdates")
    case "$r" in *'via webhook'*) break ;; esac
    sleep 0.1
done
has "update delivered by webhook POST" "$r" '"text":"via webhook"'
post "$API/setWebhook" "{\"url\":\"http://127.0.0.1:$P2/control/nothing\"}" >/dev/null
post "$C/message" '{"chat_id":4242,"text":"will fail"}' >/dev/null
r=""
for _ in $(seq 1 50); do
    r=$("${CURL[@]}" "$API/getWebhookInfo")
    case "$r" in *last_error_message*) break ;; esac
    sleep 0.1
done
has "webhook non-2xx is recorded and retried" "$r" '"last_error_message":"Wrong response from the webhook: 404'
r=$(post "$API/deleteWebhook" '{"drop_pending_updates":true}')
has "deleteWebhook" "$r" '"description":"Webhook was deleted"'
has "getUpdates works again" "$("${CURL[@]}" "$API/getUpdates")" '{"ok":true,"result":[]}'

# --- sendMessage and the record of sent calls
r=$(post "$API/sendMessage" '{"chat_id":42,"text":"Halo Ana"}')
has "sendMessage returns a Message" "$r" '"ok":true' '"text":"Halo Ana"' '"chat":{"id":42' '"is_bot":true'
mid=$(echo "$r" | grep -oE '"message_id":[0-9]+' | grep -oE '[0-9]+')
r=$(post "$API/sendMessage" '{"chat_id":42,"text":"kedua"}')
has "message ids increase per chat" "$r" "\"message_id\":$((mid + 1))"
r=$("${CURL[@]}" "$C/sent?chat_id=42")
has "control/sent records calls" "$r" '"method":"sendMessage"' '"params":{"chat_id":42,"text":"Halo Ana"}' '"status":200'
seq2=$(echo "$r" | grep -oE '"seq":[0-9]+' | tail -1 | grep -oE '[0-9]+')
r=$("${CURL[@]}" "$C/sent?chat_id=42&since=$seq2")
lacks "control/sent since=" "$r" 'Halo Ana'
long=$(head -c 4097 /dev/zero | tr '\0' 'a')
r=$("${CURL[@]}" -w ' %{http_code}' -H 'Content-Type: application/json' -d "{\"chat_id\":42,\"text\":\"$long\"}" "$API/sendMessage")
has "4097 characters is 400" "$r" '"description":"Bad Request: message is too long"} 400'
wide=$(for _ in $(seq 1 4096); do printf 'é'; done)
r=$(post "$API/sendMessage" "{\"chat_id\":42,\"text\":\"$wide\"}")
has "4096 two-byte characters are fine" "$r" '"ok":true'
r=$(post "$API/sendMessage" '{"chat_id":42,"text":""}')
has "empty text is 400" "$r" '"Bad Request: message text is empty"'
r=$(post "$API/sendMessage" '{"chat_id":42,"text":"x","parse_mode":"Klingon"}')
has "bad parse_mode is 400" "$r" '"error_code":400' 'parse_mode'
has "parse_mode HTML ok" "$(post "$API/sendMessage" '{"chat_id":42,"text":"<b>x</b>","parse_mode":"HTML"}')" '"ok":true'
d65=$(head -c 65 /dev/zero | tr '\0' 'd')
r=$(post "$API/sendMessage" "{\"chat_id\":42,\"text\":\"k\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"A\",\"callback_data\":\"$d65\"}]]}}")
has "callback_data of 65 bytes is 400" "$r" '"Bad Request: BUTTON_DATA_INVALID"'
r=$(post "$API/sendMessage" "{\"chat_id\":42,\"text\":\"k\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"A\",\"callback_data\":\"${d65:1}\"}]]}}")
has "callback_data of 64 bytes is fine" "$r" '"ok":true' '"reply_markup":{"inline_keyboard"'

# --- form-urlencoded, multipart, query string
r=$("${CURL[@]}" --data-urlencode chat_id=43 --data-urlencode 'text=form & co' \
    --data-urlencode 'reply_markup={"inline_keyboard":[[{"text":"Ya","callback_data":"y"},{"text":"Tidak","callback_data":"n"}]]}' \
    "$API/sendMessage")
has "form-urlencoded body" "$r" '"ok":true' '"text":"form & co"' '"callback_data":"y"'
kbmid=$(echo "$r" | grep -oE '"message_id":[0-9]+' | grep -oE '[0-9]+')
has "form reply_markup recorded as JSON" "$("${CURL[@]}" "$C/sent?chat_id=43")" '"reply_markup":{"inline_keyboard":[['
r=$("${CURL[@]}" -F chat_id=43 -F 'text=multi part' "$API/sendMessage")
has "multipart body" "$r" '"ok":true' '"text":"multi part"'
r=$("${CURL[@]}" "$API/sendMessage?chat_id=43&text=query%20string")
has "query string" "$r" '"ok":true' '"text":"query string"'

# --- callback queries
r=$(post "$C/press" "{\"chat_id\":43,\"message_id\":$kbmid,\"data\":\"y\"}")
has "control/press" "$r" '"callback_query_id":"'
cb=$(echo "$r" | grep -oE '"callback_query_id":"[0-9]+"' | grep -oE '[0-9]+')
has "control/chat lists the unanswered press" "$("${CURL[@]}" "$C/chat?chat_id=43")" "\"unanswered_callbacks\":[\"$cb\"]"
r=$("${CURL[@]}" "$API/getUpdates")
has "getUpdates returns the callback_query" "$r" '"callback_query":{' "\"id\":\"$cb\"" '"data":"y"' '"chat_instance"'
r=$(post "$API/answerCallbackQuery" "{\"callback_query_id\":\"$cb\"}")
has "answerCallbackQuery" "$r" '{"ok":true,"result":true}'
r=$(post "$API/answerCallbackQuery" "{\"callback_query_id\":\"$cb\"}")
has "answering twice is 400" "$r" 'Bad Request: query is too old and response timeout expired or query ID is invalid'
has "press on an unknown message is refused" "$(post "$C/press" '{"chat_id":43,"message_id":999,"data":"y"}')" '"ok":false'

# --- edits
r=$(post "$API/editMessageText" "{\"chat_id\":43,\"message_id\":$kbmid,\"text\":\"dipilih: Ya\"}")
has "editMessageText" "$r" '"ok":true' '"text":"dipilih: Ya"' '"edit_date"'
r=$(post "$API/editMessageText" "{\"chat_id\":43,\"message_id\":$kbmid,\"text\":\"dipilih: Ya\"}")
has "identical edit is 400" "$r" 'Bad Request: message is not modified: '
r=$(post "$API/editMessageText" '{"chat_id":43,"message_id":9999,"text":"x"}')
has "edit of an unknown message is 400" "$r" 'Bad Request: message to edit not found'
r=$(post "$API/editMessageReplyMarkup" "{\"chat_id\":43,\"message_id\":$kbmid,\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"B\",\"callback_data\":\"b\"}]]}}")
has "editMessageReplyMarkup" "$r" '"ok":true' '"callback_data":"b"'
r=$("${CURL[@]}" "$C/chat?chat_id=43")
has "control/chat shows the state after edits" "$r" '"text":"dipilih: Ya"' '"callback_data":"b"' '"unanswered_callbacks":[]'

# --- commands
r=$(post "$API/setMyCommands" '{"commands":[{"command":"checkin","description":"Check-in mingguan"}],"language_code":"id"}')
has "setMyCommands" "$r" '{"ok":true,"result":true}'
has "getMyCommands" "$(post "$API/getMyCommands" '{"language_code":"id"}')" '"command":"checkin"'
has "getMyCommands other language is empty" "$(post "$API/getMyCommands" '{}')" '"result":[]'
r=$(post "$API/setMyCommands" '{"commands":[{"command":"Check-In","description":"x"}]}')
has "bad command name is 400" "$r" '"error_code":400'
has "deleteMyCommands" "$(post "$API/deleteMyCommands" '{"language_code":"id"}')" '"result":true'

# --- faults
post "$C/fault" '{"method":"sendMessage","status":429,"retry_after":2,"count":1}' >/dev/null
"${CURL[@]}" -D "$TMP/h429" -H 'Content-Type: application/json' -d '{"chat_id":42,"text":"x"}' "$API/sendMessage" >"$TMP/b429"
has "429 fault body" "$(cat "$TMP/b429")" '"error_code":429' '"description":"Too Many Requests: retry after 2"' '"parameters":{"retry_after":2}'
has "429 fault headers" "$(tr -d '\r' <"$TMP/h429")" 'HTTP/1.1 429' 'Retry-After: 2'
has "fault count is used up" "$(post "$API/sendMessage" '{"chat_id":42,"text":"x"}')" '"ok":true'
post "$C/fault" '{"method":"sendMessage","status":403,"chat_id":77,"count":5}' >/dev/null
has "403 fault only for its chat" "$(post "$API/sendMessage" '{"chat_id":42,"text":"x"}')" '"ok":true'
has "403 fault: bot was blocked" "$(post "$API/sendMessage" '{"chat_id":77,"text":"x"}')" \
    '"error_code":403,"description":"Forbidden: bot was blocked by the user"'
post "$C/fault" '{"method":"*","status":502,"count":1}' >/dev/null
has "502 fault on any method" "$(code "$API/getMe")" '502'
post "$C/fault" '{"method":"getMe","drop":true}' >/dev/null
"${CURL[@]}" "$API/getMe" >/dev/null
rc=$?
if [ "$rc" -eq 52 ] || [ "$rc" -eq 56 ]; then ok "drop fault closes the connection"; else bad "drop fault closes the connection" "curl rc $rc"; fi
post "$C/fault" '{"method":"getMe","delay_ms":200}' >/dev/null
has "delayed reply still answers" "$("${CURL[@]}" "$API/getMe")" '"ok":true'
has "bad fault is refused" "$(post "$C/fault" '{"method":"getMe","status":99}')" '"ok":false'

# --- HTTP details: size cap, pipelining
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' 'a' >"$TMP/big"
has "body over 1 MiB is 413" "$(code -H 'Content-Type: application/json' --data-binary @"$TMP/big" "$API/sendMessage")" '413'
req="GET /bot123456:TEST/getMe HTTP/1.1\r\nHost: x\r\n\r\n"
if exec 3<>"/dev/tcp/127.0.0.1/$PORT"; then
    printf "${req}${req}GET /bot123456:TEST/getMe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3
    timeout 5 cat <&3 >"$TMP/pipe"
    exec 3<&-
    n=$(grep -c 'HTTP/1.1 200' "$TMP/pipe")
    if [ "$n" -eq 3 ]; then ok "pipelined requests on one connection"; else bad "pipelining" "$n responses"; fi
else
    bad "pipelining (connect)"
fi

# --- stats and reset
r=$("${CURL[@]}" "$C/stats?chat_id=42")
has "control/stats" "$r" '"requests":' '"sendMessage":' '"max_per_chat_1s":' '"max_overall_1s":' '"send_ms":['
has "control/reset" "$(post "$C/reset" '{}')" '{"ok":true}'
has "reset clears the record" "$("${CURL[@]}" "$C/sent")" '[]'

# --- flood control of the fake itself
start_fake "$FAKE" "$TMP/port3" --flood-per-chat 1 || bad "flood fake starts"
P3=$(cat "$TMP/port3")
post "http://127.0.0.1:$P3/bot123456:TEST/sendMessage" '{"chat_id":5,"text":"a"}' >/dev/null
r=$(post "http://127.0.0.1:$P3/bot123456:TEST/sendMessage" '{"chat_id":5,"text":"b"}')
has "--flood-per-chat answers 429" "$r" '"error_code":429' '"retry_after":1'

# --- simulated users: a tiny scripted bot drives one conversation
SA=$BASE/bot123456:TEST
r=$(post "$C/sim" '{"users":1,"base":9000,"first_text":"/checkin","done":"selesai","buttons":"1","reply":"lumayan"}')
has "control/sim starts" "$r" '"running":true' '"started":1'
r=$("${CURL[@]}" "$SA/getUpdates?timeout=5")
has "sim user sends the first text" "$r" '"chat":{"id":9000' '"text":"/checkin"'
off=$(($(echo "$r" | grep -oE '"update_id":[0-9]+' | tail -1 | grep -oE '[0-9]+') + 1))
post "$SA/sendMessage" '{"chat_id":9000,"text":"Bagaimana minggu ini?"}' >/dev/null
r=$("${CURL[@]}" "$SA/getUpdates?offset=$off&timeout=5")
has "sim user answers a question" "$r" '"text":"lumayan"'
off=$(($(echo "$r" | grep -oE '"update_id":[0-9]+' | tail -1 | grep -oE '[0-9]+') + 1))
post "$SA/sendMessage" '{"chat_id":9000,"text":"Pilih","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"},{"text":"B","callback_data":"b"}]]}}' >/dev/null
r=$("${CURL[@]}" "$SA/getUpdates?offset=$off&timeout=5")
has "sim user presses the chosen button" "$r" '"callback_query"' '"data":"b"'
post "$SA/sendMessage" '{"chat_id":9000,"text":"Terima kasih, selesai."}' >/dev/null
r=$("${CURL[@]}" "$C/sim")
has "sim conversation completes" "$r" '"running":false' '"completed":1' '"timed_out":false' '"reply_latency_ms":{"count":' '"p99":'

# --- sim against no bot at all times out cleanly
timeout 15 "$FAKE" --port 0 --sim 3 --sim-done selesai --sim-timeout 1 --sim-exit >"$TMP/simout" 2>"$TMP/simerr"
rc=$?
if [ "$rc" -eq 3 ]; then ok "sim without a bot exits with 3"; else bad "sim without a bot exits with 3" "rc $rc $(cat "$TMP/simerr")"; fi
has "sim timeout report" "$(cat "$TMP/simout")" '"started":3' '"completed":0' '"timed_out":true'

# --- graceful exit
kill -TERM "$FAKE_PID"
wait "$FAKE_PID"
rc=$?
if [ "$rc" -eq 0 ]; then ok "SIGTERM exits cleanly"; else bad "SIGTERM exits cleanly" "rc $rc"; fi

e2e_finish
