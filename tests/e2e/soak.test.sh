#!/usr/bin/env bash
# tests/e2e/soak.test.sh - crash soak: `bimbing serve` in polling mode is
# killed with SIGKILL at random moments while simulated people (the fake
# Bot API's --sim) do their weekly check-in, ROUNDS times (default 20),
# then runs to the end. Checks: every conversation completes (nothing
# lost), every person's check-in is stored exactly once, duplicate sends
# stay within the stated bound (at most the egress window, 16 messages,
# per crash: docs/architecture.md), and the database passes
# integrity_check. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
FAKE=$BUILD/fakes/fake_telegram
PEOPLE=$BUILD/tools/bench_people
e2e_init "$BIN" "$FAKE" "$PEOPLE"
N=${SOAK_PEOPLE:-60}
ROUNDS=${SOAK_ROUNDS:-20}
WINDOW=16
DB=$TMP/db
"$PEOPLE" --db "$DB" --count "$N" --channel telegram --base 1000000000 >"$TMP/people.log" 2>&1 ||
    e2e_abort "bench_people failed: $(cat "$TMP/people.log")"
start_fake "$FAKE" "$TMP/fake.port" --sim "$N" --sim-base 1000000000 --sim-text /checkin \
    --sim-done "sudah saya catat" --sim-expect '?' --sim-reply 'Menyelesaikan laporan|Menunggu data' \
    --sim-buttons '3,1' --sim-think-ms 500 --sim-concurrency 5 --sim-wait-poll --sim-timeout 600 ||
    e2e_abort "the fake Bot API did not start"
API=http://127.0.0.1:$(cat "$TMP/fake.port")
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "log_level": "warn",
 "telegram": {"rate_per_chat": 100, "rate_total": 100000}}
EOF2
serve_bg() {
    BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$API BIMBING_HTTP_PORT=0 \
        "$BIN" --db "$DB" --config "$TMP/bimbing.json" --flows flows serve >>"$TMP/serve.log" 2>&1 &
    SERVE=$!
    e2e_track "$SERVE"
}
completed() { curl -fsS "$API/control/sim" | jq -r '.completed // 0'; }
active() { curl -fsS "$API/control/sim" | jq -r '.active // 0'; }
sends() { curl -fsS "$API/control/stats" | jq -r '.methods.sendMessage // 0'; }

kills=0 midrun=0
for r in $(seq 1 "$ROUNDS"); do
    serve_bg
    # 0.3 to 1.5 s: from start-up (before the first poll) to mid-burst.
    sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 1.2 }')"
    [ "$(active)" -gt 0 ] && midrun=$((midrun + 1))
    if kill -0 "$SERVE" 2>/dev/null; then
        kill -9 "$SERVE"
        kills=$((kills + 1))
    fi
    wait "$SERVE" 2>/dev/null
done
eq "every round killed a running service" "$kills" "$ROUNDS"
# The soak means something only if the kills hit conversations under way.
check "most kills hit conversations under way ($midrun of $kills)" [ "$midrun" -ge $((kills / 2)) ]
started=$(grep -c 'is running' "$TMP/serve.log")
serve_bg
check "after $ROUNDS kills: every conversation completes" wait_for 120 at_least "$N" completed
# SIGTERM only once the service is up (its handlers are set by then).
wait_for 10 bash -c "[ \$(grep -c 'is running' '$TMP/serve.log') -gt $started ]"
kill "$SERVE"
wait "$SERVE"
eq "serve stops cleanly at the end" "$?" 0

eq "every check-in is stored exactly once" \
    "$(sqlite3 "$DB" 'SELECT count(*) || "/" || count(DISTINCT person_id) FROM checkins')" "$N/$N"
eq "no inbox event left unprocessed" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM inbox WHERE processed_at IS NULL")" 0
eq "integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
# A person's conversation is the same path every time (the sim presses and
# types deterministically), so the chat with the fewest sends shows a clean
# run's count; every send beyond that count per chat is a duplicate (a reply
# re-sent after a crash) or the bot's answer to a duplicated question's extra
# reply (at most one each).
PER=$(curl -fsS "$API/control/sent" |
    jq '[.[] | select(.method == "sendMessage")] | group_by(.chat_id) | map(length) | min // 0')
check "a clean conversation has its questions and the closing reply ($PER sends)" [ "$PER" -ge 3 ]
extra=$(($(sends) - PER * N))
echo "     (sends beyond one clean run each: $extra over $kills crashes)"
check "duplicates within the bound (<= 2 x $WINDOW per crash)" [ "$extra" -le $((2 * WINDOW * kills)) ]
e2e_finish
