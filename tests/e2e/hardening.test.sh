#!/usr/bin/env bash
# tests/e2e/hardening.test.sh - regression tests of issue 14's findings that
# need the real `bimbing serve` (ephemeral 127.0.0.1 port, temporary
# database) and curl: /metrics only with its token or from this host and
# /healthz without counts (finding 10); broadcast text with a direction
# override refused (Info); sign-in limits keyed on the client
# behind a trusted proxy, so others' failures never lock out the right
# admin token (finding 7); the web chat's sign-in makes a 10-minute
# pre-session, messages are limited per identity (finding 5) and sessions
# not linked to a person hold few connection slots (finding 6). Prints
# "N passed, N failed". Every wait is bounded; the servers are stopped on
# exit.
. "$(dirname "$0")/lib.sh"
WS=$BUILD/tools/wsclient
e2e_init "$BIN" "$WS"
e2e_need_cmd jq sqlite3
DB=$TMP/db
C=(curl -s --max-time 10)
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
JSON=(-H 'Content-Type: application/json')
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || bad "import people"

# serve_cfg CONFIG [VAR=value...]: start_serve with a config file.
serve_cfg() {
    local cfg=$1
    shift
    SERVE_CONFIG=$cfg start_serve "$@"
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null; SERVER=; }

# ---- Info: broadcast text with a direction override is refused ---------------------------
rlo=$(printf '\xe2\x80\xae')
"$BIN" --db "$DB" broadcast --to all --text "Lihat berkas ${rlo}fdp.exe" >"$TMP/bc.out" 2>"$TMP/bc.err"
rc=$?
has "the CLI refuses a broadcast with a right-to-left override" "rc=$rc $(cat "$TMP/bc.err")" \
    "rc=2" "direction-override"
eq "...and queues nothing" "$(sql "SELECT count(*) FROM broadcasts")" 0

# ---- finding 10: /metrics and /healthz ---------------------------------------
echo '{"web_dir": "web"}' >"$TMP/plain.json"
serve_cfg "$TMP/plain.json"
h=$("${C[@]}" "$BASE/healthz")
eq "/healthz says ok" "$(jq -r .status <<<"$h")" ok
eq "/healthz shows no counts" "$(jq -c '[keys[] | select(test("pending|count|sessions"))]' <<<"$h")" '[]'
eq "/metrics from this host without a token: 200" "$(code "$BASE/metrics")" 200
eq "/metrics through a proxy (X-Forwarded-For), no token: 403" \
    "$(code -H 'X-Forwarded-For: 203.0.113.9' "$BASE/metrics")" 403
stop

MT=metrics-token-0123456789abcdef
serve_cfg "$TMP/plain.json" BIMBING_METRICS_TOKEN=$MT
eq "/metrics with a token configured, none sent: 401" "$(code "$BASE/metrics")" 401
eq "/metrics with a wrong token: 401" "$(code -H "Authorization: Bearer x$MT" "$BASE/metrics")" 401
r=$("${C[@]}" -H "Authorization: Bearer $MT" "$BASE/metrics")
has "/metrics with the token: the counters" "$r" 'bimbing_events_total'
eq "/metrics with the token through a proxy: 200" \
    "$(code -H "Authorization: Bearer $MT" -H 'X-Forwarded-For: 203.0.113.9' "$BASE/metrics")" 200
stop

# ---- finding 7: sign-in limits per client behind a trusted proxy ---------------
TOKEN=hardening-admin-token-0123456789
signin() { # signin TOKEN XFF: the status of an admin sign-in via the "proxy"
    code -X POST "${JSON[@]}" -H "X-Forwarded-For: $2" -d "{\"token\":\"$1\"}" "$BASE/api/v1/session"
}
echo '{"web_dir": "web", "http": {"trusted_proxy": "127.0.0.1"}}' >"$TMP/proxy.json"
serve_cfg "$TMP/proxy.json" BIMBING_ADMIN_TOKEN=$TOKEN
codes=""
for _ in $(seq 1 11); do codes="$codes $(signin nope '10.0.0.66')"; done
has "an attacker behind the proxy is limited after 10 attempts" "$codes" '401 401 429'
eq "...while the right token from another client signs in" "$(signin $TOKEN '198.51.100.7')" 200
eq "a forged X-Forwarded-For entry before the proxy's own does not help" \
    "$(signin nope '198.51.100.7, 10.0.0.66')" 429
codes=""
for _ in $(seq 1 11); do codes="$codes $(code -X POST "${JSON[@]}" -H "X-Forwarded-For: 10.0.0.66" \
    -d '{"code":"ZZZZ-ZZZZ"}' "$BASE/api/v1/webchat/signin")"; done
has "the web chat's sign-in is limited per client too" "$codes" '429'
stop

echo '{"web_dir": "web"}' >"$TMP/noproxy.json"
serve_cfg "$TMP/noproxy.json" BIMBING_ADMIN_TOKEN=$TOKEN
codes=""
for i in $(seq 1 11); do codes="$codes $(signin nope "10.0.1.$i")"; done
has "without a trusted proxy X-Forwarded-For is ignored (cannot dodge the limit)" "$codes" '401 429'
stop

# ---- findings 5 and 6: the web chat's pre-sessions, message limits, slots -----------
CODE=$("$BIN" --db "$DB" invite $AYU 2>/dev/null)
WRONG=$(rev <<<"$CODE") # well formed, not an invite code
serve_cfg "$TMP/plain.json"
wsc() { "$WS" --port "$PORT" --timeout-ms 5000 "$@" 2>&1; }
wsignin() { # wsignin CODE: prints the session cookie
    "${C[@]}" -i -X POST "${JSON[@]}" -d "{\"code\":\"$1\"}" "$BASE/api/v1/webchat/signin" |
        tr -d '\r' | grep -i '^set-cookie:' | grep -oE 'bb_web=[0-9a-f]+' | head -1
}
BADC=$(wsignin "$WRONG")
BADU=$(sql "SELECT ext_user FROM web_sessions ORDER BY created_at DESC, rowid DESC LIMIT 1")
eq "a sign-in makes a 10-minute pre-session, not a 30-day one" \
    "$(sql "SELECT expires_at - created_at FROM web_sessions WHERE ext_user = '$BADU'")" 600
r=$(wsc --cookie "$BADC" -- expect hello drain 300)
has "a pre-session's websocket says not linked" "$r" '"linked":false'
eq "...and connecting does not extend it" \
    "$(sql "SELECT expires_at - created_at FROM web_sessions WHERE ext_user = '$BADU'")" 600
steps=()
for i in $(seq 1 11); do steps+=(text "spam $i"); done
r=$(wsc --cookie "$BADC" -- "${steps[@]}" expect 'not signed in with an invite code')
has "an unlinked identity may send 10 messages, the 11th is refused" "$r" '"type":"error"' 'not signed in with an invite code'
eq "...and at most those 10 (and the sign-in) are stored" \
    "$(sql "SELECT count(*) FROM inbox WHERE channel = 'web' AND ext_user = '$BADU'")" 11

# four connections of unlinked sessions from one address, held open
for i in 1 2 3 4; do
    "$WS" --port "$PORT" --timeout-ms 6000 --cookie "$BADC" -- expect hello drain 5000 >"$TMP/hold$i" 2>&1 &
    e2e_track $!
done
held() { [ "$(cat "$TMP"/hold? 2>/dev/null | grep -c '"type":"hello"')" = 4 ]; }
check "four unlinked connections from one address are open" wait_for 5 held
r=$(wsc --cookie "$BADC" -- expect 'too many connections')
has "a fifth unlinked connection from the same address is refused" "$r" 'too many connections not signed in'

AYUC=$(wsignin "$CODE")
r=$(wsc --cookie "$AYUC" -- expect 'bahasa apa')
has "...while a person signing in with a right code gets a slot" "$r" 'bahasa apa'
wait_for 5 bash -c "[ \"\$(sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT expires_at - last_seen > 86400 FROM web_sessions WHERE ext_user IN (SELECT ext_id FROM identities WHERE channel = 'web')\")\" = 1 ]"
eq "once linked, the session is the 30-day one" \
    "$(sql "SELECT (expires_at - last_seen) / 86400 FROM web_sessions WHERE ext_user IN (SELECT ext_id FROM identities WHERE channel = 'web')")" 30
steps=()
for i in $(seq 1 31); do steps+=(text "pesan $i"); done
r=$(wsc --cookie "$AYUC" -- "${steps[@]}" expect 'too many messages')
has "a linked person is limited to 30 messages a minute" "$r" 'too many messages; wait'
stop

e2e_finish
