#!/usr/bin/env bash
# bench/idle.sh - memory and disk per idle conversation: N people linked to
# Telegram chats (bench_people) each send /checkin through the fake Bot API
# and stop at the first question (the mood), so N weekly check-ins wait
# mid-flow, each with its session and its reminder and expiry timers.
# `bimbing serve` (polling, durability full) does the work; its RSS and the
# database's size are read before the sim starts and after every person has
# the question. Prints one JSON line with the per-conversation figures.
#   bench/idle.sh [N]   (default 10000; IDLE_TIMEOUT=600 bounds the run, s)
set -u
cd "$(dirname "$0")/.." || exit 1
N=${1:-10000}
LIMIT=${IDLE_TIMEOUT:-600}
BUILD=${BIMBING_BUILD:-build}
BIN=$BUILD/bin/bimbing
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
fail() {
    jq -nc --arg e "$1" '{bench:"idle", error:$e}'
    exit 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
db_bytes() { cat "$TMP/db" "$TMP/db-wal" 2>/dev/null | wc -c; }

"$BUILD/tools/bench_people" --db "$TMP/db" --count "$N" --channel telegram --base 1000000000 ||
    fail "bench_people failed"
db0=$(db_bytes)
"$BUILD/fakes/fake_telegram" --port 0 --port-file "$TMP/port" >"$TMP/fake.out" 2>"$TMP/fake.err" &
for _ in $(seq 1 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "the fake did not start"
URL=http://127.0.0.1:$(cat "$TMP/port")
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "log_level": "warn",
 "telegram": {"rate_per_chat": 100, "rate_total": 100000}}
EOF2
BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$URL BIMBING_HTTP_PORT=0 \
    "$BIN" --db "$TMP/db" --config "$TMP/bimbing.json" serve >"$TMP/serve.log" 2>&1 &
SERVE=$!
# idle before: polling, nothing to do
for _ in $(seq 1 100); do
    [ "$(curl -sf "$URL/control/stats" | jq '.methods.getUpdates // 0')" -gt 0 ] && break
    sleep 0.1
done
sleep 2
rss0=$(rss_kb $SERVE)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
jq -nc --argjson n "$N" --argjson t "$LIMIT" '{users:$n, base:1000000000, first_text:"/checkin",
    done:"Bagaimana minggu", expect:"?", timeout_s:$t}' |
    curl -sf -X POST -H 'Content-Type: application/json' --data-binary @- "$URL/control/sim" >/dev/null ||
    fail "the sim did not start"
t0=$(date +%s.%N)
for _ in $(seq 1 $((LIMIT * 2 + 20))); do
    curl -sf "$URL/control/sim" >"$TMP/sim.json"
    [ "$(jq .running "$TMP/sim.json")" = false ] && break
    kill -0 $SERVE 2>/dev/null || fail "bimbing serve stopped: $(tail -1 "$TMP/serve.log")"
    sleep 0.5
done
t1=$(date +%s.%N)
sleep 2 # the last replies' outcomes committed
rss1=$(rss_kb $SERVE)
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVE/status")
db1=$(db_bytes)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
kill $SERVE
wait $SERVE 2>/dev/null
db2=$(db_bytes) # after the clean stop's checkpoint
jq -c --argjson n "$N" --argjson rss0 "${rss0:-0}" --argjson rss1 "${rss1:-0}" --argjson hwm "${hwm:-0}" \
    --argjson db0 "$db0" --argjson db1 "$db1" --argjson db2 "$db2" \
    --argjson secs "$(echo "$t1 - $t0" | bc)" --arg l0 "$load0" --arg l1 "$load1" '
    {bench:"idle", people:$n, mid_flow:.completed, timed_out,
     setup_s:($secs * 10 | round / 10),
     rss_idle_kb:$rss0, rss_mid_flow_kb:$rss1, peak_rss_kb:$hwm,
     rss_per_conversation_b:(($rss1 - $rss0) * 1024 / $n | round),
     db_before_b:$db0, db_mid_flow_b:$db1, db_after_stop_b:$db2,
     db_per_conversation_b:(($db2 - $db0) / $n | round),
     loadavg_start:($l0|split(" ")|map(tonumber)), loadavg_end:($l1|split(" ")|map(tonumber))}' \
    "$TMP/sim.json"
