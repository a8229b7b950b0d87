#!/usr/bin/env bash
# tests/e2e/webhook_load.test.sh - Telegram webhooks at full speed: the fake
# Bot API (tests/fakes/fake_telegram.c) delivers the updates of N simulated
# people doing their weekly check-in by webhook over up to max_connections
# (40) connections at once, one chat's updates in order, while `bimbing
# serve` holds each answer until the pass that stored it has committed.
# Checks: setWebhook carries max_connections; deliveries really overlap;
# `kill -9` mid-load (ROUNDS times) never loses an update the fake saw
# answered 2xx (each is in the inbox), and the unanswered ones are
# delivered again; every conversation completes, every update is stored
# exactly once, every check-in once; a burst of messages per chat is stored
# in each chat's order. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_telegram
PEOPLE=$BUILD/tools/bench_people
e2e_init "$BIN" "$FAKE" "$PEOPLE"
N=${WEBHOOK_PEOPLE:-80}
ROUNDS=${WEBHOOK_ROUNDS:-3}
DB=$TMP/db
SECRET=hook_s3cret-load
"$PEOPLE" --db "$DB" --count "$N" --channel telegram --base 1000000000 >"$TMP/people.log" 2>&1 ||
    e2e_abort "bench_people failed: $(cat "$TMP/people.log")"
# --hook-tries 1000: an update is delivered again (every 1.6 s at most)
# until it is answered 2xx, however long the service is down.
start_fake "$FAKE" "$TMP/fake.port" --hook-tries 1000 --sim "$N" --sim-base 1000000000 \
    --sim-text /checkin --sim-done "sudah saya catat" --sim-expect '?' \
    --sim-reply 'Menyelesaikan laporan|Menunggu data' --sim-buttons '3,1' --sim-think-ms 200 \
    --sim-wait-poll --sim-timeout 600 || e2e_abort "the fake Bot API did not start"
API=http://127.0.0.1:$(cat "$TMP/fake.port")
SP=$(free_port) || e2e_abort "no free port"
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "log_level": "warn",
 "telegram": {"mode": "webhook", "webhook_url": "http://127.0.0.1:$SP/webhooks/telegram",
              "max_connections": 40, "rate_per_chat": 100, "rate_total": 100000}}
EOF2
serve_bg() {
    BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=$SP \
        BIMBING_TELEGRAM_WEBHOOK_SECRET=$SECRET \
        "$BIN" --db "$DB" --config "$TMP/bimbing.json" --flows flows serve >>"$TMP/serve.log" 2>&1 &
    SERVE=$!
    e2e_track "$SERVE"
}
stat() { curl -fsS "$API/control/stats" | jq -r "$1"; }
completed() { curl -fsS "$API/control/sim" | jq -r '.completed // 0'; }
acked() { stat '.webhook.delivered'; }
# The update ids the fake saw answered 2xx that are not in the inbox.
missing() {
    curl -fsS "$API/control/acked" | jq -r '.acked[] | "u" + tostring' | sort -u >"$TMP/acked"
    sqlite3 -cmd '.timeout 5000' "$DB" \
        "SELECT ext_msg_id FROM inbox WHERE channel = 'telegram'" | sort -u >"$TMP/stored"
    comm -23 "$TMP/acked" "$TMP/stored" | wc -l
}

serve_bg
check "setWebhook asks for max_connections 40, with the secret" wait_for 10 bash -c \
    "curl -fsS '$API/control/sent' | jq -e 'any(.[]; .method == \"setWebhook\" and
        .params.max_connections == 40 and .params.secret_token == \"$SECRET\")' >/dev/null"

lost=0 kills=0
for r in $(seq 1 "$ROUNDS"); do
    base=$(acked)
    # mid-load: some deliveries answered since the start of this round
    wait_for 60 at_least $((base + 20 + RANDOM % 40)) acked
    kill -9 "$SERVE" 2>/dev/null && kills=$((kills + 1))
    wait "$SERVE" 2>/dev/null
    m=$(missing)
    [ "$m" -gt 0 ] && echo "     round $r: $m update(s) answered 2xx but not stored"
    lost=$((lost + m))
    sleep 0.$((RANDOM % 5))
    serve_bg
done
eq "every round killed a running service" "$kills" "$ROUNDS"
eq "no update answered 2xx before its commit (all in the inbox after each kill -9)" "$lost" 0
check "after $ROUNDS kills: every conversation completes" wait_for 180 at_least "$N" completed
check "deliveries overlapped (more than one in flight at once)" [ "$(stat '.webhook.max_in_flight')" -gt 1 ]
eq "the fake gave up on no update" "$(stat '.webhook.failed')" 0
eq "every check-in is stored exactly once" \
    "$(sqlite3 "$DB" 'SELECT count(*) || "/" || count(DISTINCT person_id) FROM checkins')" "$N/$N"
enq=$(stat '.updates_enqueued')
eq "every update is in the inbox exactly once ($enq enqueued)" \
    "$(sqlite3 "$DB" "SELECT count(*) || '/' || count(DISTINCT ext_msg_id) FROM inbox WHERE channel = 'telegram'")" \
    "$enq/$enq"

# Order per chat: 5 messages to each of 30 chats at once, delivered over 40
# connections; each chat's must be stored in the order they were sent.
for i in $(seq 1 5); do
    pids=()
    for c in $(seq 0 29); do
        curl -fsS -X POST "$API/control/message" -H 'Content-Type: application/json' \
            -d "{\"chat_id\":$((1000000000 + c)),\"text\":\"urutan $i\"}" >/dev/null &
        pids+=($!)
    done
    wait "${pids[@]}"
done
check "the burst is delivered" wait_for 60 bash -c "[ \$(curl -fsS '$API/control/stats' | jq '.updates_pending') = 0 ]"
check "the burst is processed" wait_for 30 bash -c \
    "[ \$(sqlite3 -cmd '.timeout 5000' '$DB' \"SELECT count(*) FROM inbox WHERE processed_at IS NULL\") = 0 ]"
# per chat: the texts in inbox order must read 1, 2, 3, 4, 5
bad_order=$(sqlite3 "$DB" "SELECT ext_user, group_concat(substr(text, 8), '') FROM
    (SELECT ext_user, text FROM inbox WHERE channel = 'telegram' AND text LIKE 'urutan %' ORDER BY id)
    GROUP BY ext_user" | grep -vc '|12345$')
eq "30 chats got 5 messages each" "$(sqlite3 "$DB" "SELECT count(*) FROM inbox WHERE text LIKE 'urutan %'")" 150
eq "each chat's burst is stored in the order it was sent" "$bad_order" 0
eq "integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
kill "$SERVE"
wait "$SERVE"
eq "serve stops cleanly" "$?" 0
e2e_finish
