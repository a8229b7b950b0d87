#!/usr/bin/env bash
# tests/e2e/webhook_load_wa.test.sh - WhatsApp webhooks at full speed: a C
# load client (tests/tools/wa_load.c) plays Meta and posts the signed
# webhooks of N people, 5 messages each, over 40 connections at once (one
# person's next message only after the previous was answered 2xx), while
# `bimbing serve` holds each answer until the pass that stored it has
# committed; replies go to the fake Graph API (tests/fakes/fake_whatsapp.c).
# Checks: `kill -9` mid-load (ROUNDS times) never loses a message that was
# answered 2xx (each is in the inbox), the unanswered ones are posted again
# and stored; every message is stored exactly once, in each person's order,
# and processed. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_whatsapp
PEOPLE=$BUILD/tools/bench_people
LOAD=$BUILD/tools/wa_load
e2e_init "$BIN" "$FAKE" "$PEOPLE" "$LOAD"
e2e_need_cmd sqlite3
N=${WEBHOOK_PEOPLE:-60}
K=5
ROUNDS=${WEBHOOK_ROUNDS:-3}
DB=$TMP/db
SECRET=e2e-load-secret
TOKEN=e2e-token
PHONE_ID=1098765432
BASE=628100000000
"$PEOPLE" --db "$DB" --count "$N" --channel whatsapp --base "$BASE" >"$TMP/people.log" 2>&1 ||
    e2e_abort "bench_people failed: $(cat "$TMP/people.log")"
start_fake "$FAKE" "$TMP/fport" --token "$TOKEN" --phone-id "$PHONE_ID" --app-secret "$SECRET" ||
    e2e_abort "the fake Graph API did not start"
F=http://127.0.0.1:$(cat "$TMP/fport")
SP=$(free_port) || e2e_abort "no free port"
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "log_level": "warn", "whatsapp": {"rate": 100000}}
EOF2
serve_bg() {
    BIMBING_HTTP_PORT=$SP BIMBING_WHATSAPP_TOKEN=$TOKEN BIMBING_WHATSAPP_API="$F/v23.0" \
        BIMBING_WHATSAPP_PHONE_ID=$PHONE_ID BIMBING_WHATSAPP_APP_SECRET=$SECRET \
        BIMBING_WHATSAPP_VERIFY_TOKEN=verify \
        "$BIN" --db "$DB" --config "$TMP/bimbing.json" --flows flows serve >>"$TMP/serve.log" 2>&1 &
    SERVE=$!
    e2e_track "$SERVE"
}
acked() { [ -f "$TMP/acked" ] && wc -l <"$TMP/acked" || echo 0; }
# Messages answered 2xx that are not in the inbox.
missing() {
    sort -u "$TMP/acked" >"$TMP/acked.sorted"
    sqlite3 -cmd '.timeout 5000' "$DB" \
        "SELECT ext_msg_id FROM inbox WHERE channel = 'whatsapp'" | sort -u >"$TMP/stored"
    comm -23 "$TMP/acked.sorted" "$TMP/stored" | wc -l
}

serve_bg
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SP" 2>/dev/null || e2e_abort "serve did not start"
# Each person pauses 1 s between messages, so the load lasts the ROUNDS
# kills however fast the machine is (unpaced, 300 messages take 0.1 s).
"$LOAD" --port "$SP" --secret "$SECRET" --users "$N" --messages "$K" --conns 40 --gap-ms 1000 \
    --base "$BASE" --timeout-s 240 --acked "$TMP/acked" >"$TMP/load.out" 2>"$TMP/load.err" &
LOAD_PID=$!
e2e_track "$LOAD_PID"

lost=0 kills=0
for r in $(seq 1 "$ROUNDS"); do
    base=$(acked)
    wait_for 60 at_least $((base + 10 + RANDOM % 30)) acked
    kill -9 "$SERVE" 2>/dev/null && kills=$((kills + 1))
    wait "$SERVE" 2>/dev/null
    m=$(missing)
    [ "$m" -gt 0 ] && echo "     round $r: $m message(s) answered 2xx but not stored"
    lost=$((lost + m))
    sleep 0.$((RANDOM % 5))
    serve_bg
done
eq "every round killed a running service" "$kills" "$ROUNDS"
eq "no message answered 2xx before its commit (all in the inbox after each kill -9)" "$lost" 0
wait "$LOAD_PID"
eq "the load client saw every message answered 2xx" "$?" 0
echo "     load: $(cat "$TMP/load.out")"
retried=$(jq '.retries_connection + .retries_status' "$TMP/load.out")
check "some deliveries were refused or cut while the service was down (and retried)" \
    test "${retried:-0}" -gt 0
eq "every message is in the inbox exactly once" \
    "$(sqlite3 "$DB" "SELECT count(*) || '/' || count(DISTINCT ext_msg_id) FROM inbox WHERE channel = 'whatsapp'")" \
    "$((N * K))/$((N * K))"
bad_order=$(sqlite3 "$DB" "SELECT ext_user, group_concat(substr(text, 8), '') FROM
    (SELECT ext_user, text FROM inbox WHERE channel = 'whatsapp' ORDER BY id) GROUP BY ext_user" |
    grep -vc '|12345$')
eq "each person's messages are stored in the order they were sent" "$bad_order" 0
check "every message is processed" wait_for 60 bash -c \
    "[ \$(sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT count(*) FROM inbox WHERE processed_at IS NULL\") = 0 ]"
check "replies reach the fake Graph API" wait_for 30 bash -c \
    "[ \$(curl -fsS '$F/control/sent' | jq 'length') -ge $N ]"
eq "integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
kill "$SERVE"
wait "$SERVE"
eq "serve stops cleanly" "$?" 0
e2e_finish
