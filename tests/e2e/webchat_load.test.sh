#!/usr/bin/env bash
# tests/e2e/webchat_load.test.sh - the web chat's load client
# (tests/tools/ws_load.c) against the real `bimbing serve`: 200 invited
# people each sign in from a browser of their own, stay connected, and 400
# messages go out spread across them; every one must be acknowledged and
# answered, and the store must show each stored once and each reply sent.
# Correctness, not speed: nothing here is timed (ws_load's own bounds only
# stop a hung run). Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
LOAD=$BUILD/tools/ws_load
PEOPLE=$BUILD/tools/bench_people
e2e_init "$BIN" "$LOAD" "$PEOPLE"
e2e_need_cmd sqlite3
e2e_need_cmd jq
DB=$TMP/db
N=200

"$PEOPLE" --db "$DB" --count $N --channel none || bad "set up $N people"
"$BIN" --db "$DB" invite --to all --csv "$TMP/invites.csv" 2>/dev/null || bad "invite them"
tail -n +2 "$TMP/invites.csv" | cut -d, -f4 | tr -d '"' >"$TMP/codes"
eq "one code each" "$(grep -cE '^[A-Z0-9]{10}$' "$TMP/codes")" $N

# each simulated browser has its own address behind a "proxy" at 127.0.0.1
echo '{"log_level": "warn", "http": {"trusted_proxy": "127.0.0.1"}}' >"$TMP/bimbing.json"
SERVE_CONFIG=$TMP/bimbing.json start_serve

"$LOAD" --port "$PORT" --codes "$TMP/codes" --sessions $N --rate 100 --messages 400 --setup-conc 16 \
    --pid $SERVER --timeout 480 >"$TMP/load.out" 2>"$TMP/load.err"
rc=$?
R=$(grep -E '^\{' "$TMP/load.out" | tail -1)
eq "ws_load ends well" "$rc" 0
[ "$rc" = 0 ] || cat "$TMP/load.err" "$TMP/load.out"
eq "every session opened" "$(echo "$R" | jq .open)" $N
eq "400 messages sent" "$(echo "$R" | jq .sent)" 400
eq "every message answered" "$(echo "$R" | jq .replied)" 400
eq "no errors, timeouts or closes" "$(echo "$R" | jq '.errors + .timed_out + .closed')" 0
has "serve's memory is reported" "$R" '"serve_rss_open_kb":'
[ "$(echo "$R" | jq .serve_rss_open_kb)" -gt 0 ] && ok "it is read from /proc" || bad "no RSS"

eq "every web identity is linked" \
    "$(sql "SELECT count(*) FROM identities WHERE channel = 'web'")" $N
eq "each message stored once" \
    "$(sql "SELECT count(*) FROM inbox WHERE channel = 'web' AND ext_msg_id LIKE 'web:w%:l%'")" 400
eq "the messages are spread: two per person" \
    "$(sql "SELECT count(DISTINCT ext_user) || '|' || max(c) FROM (SELECT ext_user, count(*) c FROM inbox WHERE channel = 'web' AND ext_msg_id LIKE 'web:w%:l%' GROUP BY ext_user)")" \
    "$N|2"
eq "every reply marked sent" \
    "$(sql "SELECT count(*) FROM outbox WHERE channel = 'web' AND state NOT IN (2)")" 0

# a code used already: the bot answers that it is unknown, no question with
# buttons comes, so the session never gets ready; ws_load stops at its
# bound and fails
head -1 "$TMP/codes" >"$TMP/used"
"$LOAD" --port "$PORT" --codes "$TMP/used" --sessions 1 --rate 1 --duration 1 --timeout 8 \
    >"$TMP/load2.out" 2>"$TMP/load2.err"
rc=$?
eq "a used code: ws_load fails" "$rc" 1
eq "and reports no session open, nothing sent" \
    "$(grep -E '^\{' "$TMP/load2.out" | jq -c '[.open, .sent]')" "[0,0]"
"$LOAD" --port "$PORT" --sessions 1 >/dev/null 2>&1
eq "usage error without codes" "$?" 2

kill $SERVER
wait $SERVER 2>/dev/null
e2e_exit
