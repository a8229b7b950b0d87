#!/usr/bin/env bash
# tests/e2e/webchat.test.sh - the web chat end to end: the real `bimbing
# serve` on an ephemeral 127.0.0.1 port with a temporary database, driven by
# curl (sign-in, sign-out) and tests/tools/wsclient (the websocket). Covers
# sign-in with a good and a wrong code, onboarding, a weekly check-in by
# buttons and by typed text, refused websockets, replay by watermark,
# duplicate client message ids, bad frames, sign-out, the sign-in rate
# limit and the static page. Prints "N passed, N failed". Every wait is
# bounded; the server is stopped on exit.
. "$(dirname "$0")/lib.sh"
WS=$BUILD/tools/wsclient
e2e_init "$BIN" "$WS"
e2e_need_cmd sqlite3
DB=$TMP/db

"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"
CODE=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
CODE2=$("$BIN" --db "$DB" invite $BUDI 2>/dev/null)

start_serve
CURL=(curl -s --max-time 10)
wsc() { "$WS" --port "$PORT" --timeout-ms 5000 "$@" 2>&1; }
# signin CODE -> sets REPLY (headers and body) and COOKIE
signin() {
    REPLY=$("${CURL[@]}" -i -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$1\"}" \
        "$BASE/api/v1/webchat/signin" | tr -d '\r')
    COOKIE=$(echo "$REPLY" | grep -i '^set-cookie:' | grep -oE 'bb_web=[0-9a-f]+' | head -1)
}
wm_of() { echo "$1" | grep -oE '^WATERMARK [0-9]+' | tail -1 | cut -d' ' -f2; }

# --- the page
r=$("${CURL[@]}" -i "$BASE/" | tr -d '\r')
has "GET / serves the chat page" "$r" 'HTTP/1.1 200' 'text/html' "Content-Security-Policy" \
    'src="app.js"'
lacks "the page has no inline script" "$r" '<script>'
has "app.js is served" "$("${CURL[@]}" -i "$BASE/app.js" | tr -d '\r')" 'text/javascript' 'WebSocket'

# --- sign-in with a good code, then onboarding over the websocket
signin "$CODE"
has "sign-in answers 202 with a session cookie" "$REPLY" 'HTTP/1.1 202' 'HttpOnly' \
    'SameSite=Strict' 'Path=/' '"status":"pending"'
eq "the cookie holds 32 random bytes" "${#COOKIE}" "$((7 + 64))"
AYU_COOKIE=$COOKIE
tok=${COOKIE#bb_web=}
eq "only the token's hash is stored" "$(sql "SELECT count(*) FROM web_sessions WHERE token_hash = '$tok'")" 0
eq "one session row" "$(sql "SELECT count(*) FROM web_sessions")" 1

r=$(wsc --cookie "$AYU_COOKIE" -- send '{"type":"resume","watermark":"0"}' \
    expect 'bahasa apa' button 'Indonesia' expect 'setuju data' button 'Setuju' \
    expect 'mentor Anda' button 'Boleh' expect 'kesehatan jiwa' button 'Boleh' \
    expect 'Terima kasih, Ibu Ayu')
# ("text":"Terima... is the bot's frame: wsclient's error line echoes what it expected)
has "onboarding arrives and runs by buttons" "$r" '"linked":true' 'selamat datang' \
    '"text":"Terima kasih, Ibu Ayu' \
    '"suggestedActions":{"actions":[{"type":"imBack","title":"Bahasa Indonesia","value":"q' \
    '"type":"ack"' '"type":"typing"' '"name":"answered"' 'WATERMARK'
eq "the web identity is linked to Ayu" "$(sql "SELECT p.nip FROM identities i JOIN people p ON p.id = i.person_id WHERE i.channel = 'web'")" "$AYU"
eq "consent recorded" "$(sql "SELECT granted FROM consents WHERE purpose = 'data'")" 1
WM=$(wm_of "$r")

# --- a weekly check-in by buttons
r=$(wsc --cookie "$AYU_COOKIE" -- text /checkin expect 'Bagaimana minggu Anda' button 'Baik' \
    expect 'berhasil' text 'Laporan triwulan selesai' expect 'hambatan' text 'Tidak ada' \
    expect 'sudah saya catat')
has "check-in by buttons completes" "$r" 'sudah saya catat'
eq "check-in stored with mood 4" "$(sql "SELECT mood || '|' || win || '|' || wants_help FROM checkins ORDER BY id DESC LIMIT 1")" \
    "4|Laporan triwulan selesai|0"

# --- and by typed text only
r=$(wsc --cookie "$AYU_COOKIE" -- text /checkin expect 'Bagaimana minggu Anda' text 2 \
    expect 'cerita' text 'banyak rapat' expect 'berhasil' text 'rapat selesai' \
    expect 'hambatan' text 'ada' expect 'Apa hambatannya' text 'jadwal padat' \
    expect 'belum dapat saya sampaikan' expect 'sudah saya catat')
has "check-in by typed text completes (low mood path)" "$r" 'Terima kasih atas keterbukaan Anda' 'sudah saya catat'
# no mentor and no HR officer linked yet: help is not asked (-1), and Ayu is told so
eq "typed check-in stored" "$(sql "SELECT mood || '|' || blocker || '|' || wants_help FROM checkins ORDER BY id DESC LIMIT 1")" \
    "2|jadwal padat|-1"

# --- the first question's "Nanti saja" button puts the check-in off
r=$(wsc --cookie "$AYU_COOKIE" -- text /checkin expect 'Bagaimana minggu Anda' button 'Nanti saja' \
    expect 'saya tanyakan lagi')
has "check-in put off by its Nanti saja button" "$r" 'Baik, saya tanyakan lagi pada'

# --- reconnect: what was sent while away is replayed after the watermark
r=$(wsc --cookie "$AYU_COOKIE" -- text /checkin)
for _ in $(seq 1 50); do
    [ "$(sql "SELECT count(*) FROM outbox WHERE channel = 'web' AND state = 0")" = 0 ] && break
    sleep 0.1
done
r=$(wsc --cookie "$AYU_COOKIE" -- send "{\"type\":\"resume\",\"watermark\":\"$WM\"}" expect '"type":"resumed"')
has "resume replays missed messages" "$r" 'Bagaimana minggu Anda' 'sudah saya catat'
lacks "resume starts after the watermark" "$r" 'selamat datang'
LAST=$(sql "SELECT max(id) FROM outbox WHERE channel = 'web' AND ext_user = (SELECT ext_id FROM identities WHERE channel = 'web')")
has "resume ends at the newest message" "$r" "\"type\":\"resumed\",\"watermark\":\"$LAST\""
r=$(wsc --cookie "$AYU_COOKIE" -- send "{\"type\":\"resume\",\"watermark\":\"$LAST\"}" expect '"type":"resumed"')
lacks "nothing to replay at the newest watermark" "$r" '"activities"'

# --- the same client message id twice is processed once
before=$(sql "SELECT count(*) FROM inbox")
r=$(wsc --cookie "$AYU_COOKIE" -- textid dup-1 Baik expect '"id":"dup-1"' \
    textid dup-1 Baik expect '"duplicate":true')
has "a repeated id is acknowledged as a duplicate" "$r" '{"type":"ack","id":"dup-1"}' \
    '{"type":"ack","id":"dup-1","duplicate":true}'
eq "and stored once" "$(sql "SELECT count(*) FROM inbox")" "$((before + 1))"
eq "under web:<user>:<id>" "$(sql "SELECT count(*) FROM inbox WHERE ext_msg_id LIKE 'web:w%:dup-1'")" 1

# --- bad frames get an error and change nothing
before=$(sql "SELECT count(*) FROM inbox")
r=$(wsc --cookie "$AYU_COOKIE" -- raw 41000 expect 'too large' send 'not json' expect 'JSON object' \
    rawhex '7b2274797065223a226d657373616765222c2274657874223a22ff222c226964223a2278227d' \
    expect 'UTF-8' send '{"type":"message","text":"hi"}' expect 'of 1-64' \
    send '{"type":"message","text":"","id":"e1"}' expect '1 to 16384' \
    send '{"type":"message","text":"a","value":"b","id":"e2"}' expect 'either' \
    send '{"type":"message","value":"a b","id":"e3"}' expect 'printable' \
    send '{"type":"message","text":"\ud800","id":"e4"}' expect '"type":"error"' \
    send '{"type":"message","text":"x","id":"bad id!"}' expect 'of 1-64' \
    send '{"type":"resume","watermark":"-1"}' expect 'watermark' \
    send '{"type":"dance"}' expect 'unknown' \
    send '{"type":"message","text":"still here?","id":"after-bad"}' expect '"id":"after-bad"')
has "bad frames get errors and the socket stays open" "$r" '"type":"error"' '{"type":"ack","id":"after-bad"}'
eq "bad frames stored nothing" "$(sql "SELECT count(*) FROM inbox")" "$((before + 1))"
r=$(wsc --cookie "$AYU_COOKIE" -- raw 70000 closed)
has "a frame over 64 KiB closes the socket" "$r" 'CLOSED'

# --- refused websockets
r=$(wsc -- closed)
has "no cookie: error, then closed" "$r" '"error":"not signed in"' 'CLOSED'
r=$(wsc --cookie "bb_web=$(printf '%064d' 0)" -- closed)
has "unknown session: closed" "$r" 'not signed in' 'CLOSED'
r=$(wsc --cookie "$AYU_COOKIE" --origin 'http://evil.example' -- closed)
has "another site's origin: closed" "$r" 'another site' 'CLOSED'
r=$(wsc --cookie "$AYU_COOKIE" --origin "http://127.0.0.1:$PORT" -- send '{"type":"resume"}' expect resumed)
has "the page's own origin is fine" "$r" '"type":"resumed"'

# --- a wrong code: the core's answer arrives in the chat
signin ABCDEFGHJK
has "a wrong but well-formed code is accepted for checking" "$REPLY" 'HTTP/1.1 202'
r=$(wsc --cookie "$COOKIE" -- send '{"type":"resume","watermark":"0"}' expect 'unknown')
has "the wrong code gets the unknown-code reply" "$r" '"linked":false' 'That code is unknown'
# in the same chat, the right code still works
r=$(wsc --cookie "$COOKIE" -- text "/start $CODE2" expect 'welcome to bimbing')
has "a code typed in the chat links the person" "$r" 'Hi Budi'

# --- malformed sign-ins
r=$("${CURL[@]}" -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -d '{"code":"abc"}' "$BASE/api/v1/webchat/signin")
has "a code of the wrong shape is 400" "$r" '10 letters and digits' ' 400'
r=$("${CURL[@]}" -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -d '{"code":' "$BASE/api/v1/webchat/signin")
has "bad JSON is 400" "$r" 'JSON object' ' 400'
r=$("${CURL[@]}" -w ' %{http_code}' -X POST -d "code=$CODE" "$BASE/api/v1/webchat/signin")
has "a form post is 415" "$r" ' 415'
sessions=$(sql "SELECT count(*) FROM web_sessions")
eq "malformed sign-ins made no session" "$sessions" 2

# --- sign-out
r=$("${CURL[@]}" -i -X POST -H "Cookie: $AYU_COOKIE" "$BASE/api/v1/webchat/signout" | tr -d '\r')
has "sign-out clears the cookie" "$r" 'HTTP/1.1 200' 'bb_web=;' 'Max-Age=0'
r=$(wsc --cookie "$AYU_COOKIE" -- closed)
has "a signed-out session is refused" "$r" 'not signed in' 'CLOSED'

# --- the sign-in rate limit (10 per 10 minutes per address; 5 used above)
codes=""
for _ in $(seq 1 6); do
    codes="$codes $("${CURL[@]}" -o "$TMP/rl" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"code":"x"}' "$BASE/api/v1/webchat/signin")"
done
has "the 11th attempt is 429" "$codes" '400 400 400 400 400 429'
has "with a clear JSON error" "$(cat "$TMP/rl")" '"error":"too many sign-in attempts'
r=$("${CURL[@]}" -i -X POST -H 'Content-Type: application/json' -d '{"code":"x"}' "$BASE/api/v1/webchat/signin" | tr -d '\r')
has "and Retry-After" "$r" 'Retry-After: '

# --- the server is still healthy and logged no message bodies
has "healthz lists the web channel" "$("${CURL[@]}" "$BASE/healthz")" '"web"'
lacks "no message text in the log" "$(cat "$TMP/err")" 'Laporan triwulan'

serve_stops

e2e_finish
