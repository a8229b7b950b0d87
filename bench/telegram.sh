#!/usr/bin/env bash
# bench/telegram.sh - end to end through the fake Bot API: N simulated people
# each complete the weekly check-in (mood by button, two typed answers, help
# by button) against a real `bimbing serve` in polling mode. Prints one JSON
# line: conversations/s, p50/p99 reply latency and conversation duration as
# the fake measured them, and bimbing's peak memory.
#   bench/telegram.sh [PEOPLE]   (default 500)
# FAKE_CPUS / BOT_CPUS: pin the fake and bimbing to those cores (taskset -c
# lists, e.g. FAKE_CPUS=1 BOT_CPUS=0); unset, the scheduler places them.
# fake_busy in the result is the share of one core the fake used: near 1,
# the load side is the cap. SIM_TIMEOUT (default 300) bounds the run, s.
# MODE=webhook: the fake delivers by webhook over max_connections
# (MAX_CONNECTIONS, default 40) connections instead of bimbing's long
# polling. STRACE=1: strace -c
# attached to bimbing counts its fsync/fdatasync calls (slower: for the
# count, not the speed). Each conversation is 4 updates.
set -u
cd "$(dirname "$0")/.."
N=${1:-500}
pin() { # cpus command...: exec (run it in the background: $! is its pid)
    local c=$1
    shift
    if [ -n "$c" ]; then exec taskset -c "$c" "$@"; else exec "$@"; fi
}
BUILD=${BIMBING_BUILD:-build}
BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$TMP/serve.log" "$KEEP"; rm -rf "$TMP"' EXIT

"$BUILD/tools/bench_people" --db "$TMP/db" --count "$N" --channel telegram --base 1000000000 || exit 1
pin "${FAKE_CPUS:-}" "$BUILD/fakes/fake_telegram" --port 0 --port-file "$TMP/port" --sim "$N" --sim-base 1000000000 \
    --sim-text /checkin --sim-done "sudah saya catat" --sim-expect '?' \
    --sim-reply 'Menyelesaikan laporan|Menunggu data' --sim-buttons '3,1' \
    --sim-wait-poll --sim-exit --sim-timeout "${SIM_TIMEOUT:-300}" >"$TMP/fake.out" 2>"$TMP/fake.err" &
FAKE=$!
for _ in $(seq 1 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
MODE=${MODE:-polling}
HOOK=
HTTP_PORT=0
if [ "$MODE" = webhook ]; then
    # a free port below the ephemeral range
    for _ in $(seq 1 50); do
        HTTP_PORT=$((20000 + RANDOM % 12000))
        (exec 3<>/dev/tcp/127.0.0.1/$HTTP_PORT) 2>/dev/null || break
    done
    # max_connections: the default (40) unless MAX_CONNECTIONS is set
    HOOK=", \"mode\": \"webhook\", \"webhook_url\": \"http://127.0.0.1:$HTTP_PORT/webhooks/telegram\"${MAX_CONNECTIONS:+, \"max_connections\": $MAX_CONNECTIONS}"
fi
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "${DURABILITY:-full}", "log_level": "${LOG_LEVEL:-warn}",
 "telegram": {"rate_per_chat": 100, "rate_total": 100000$HOOK}}
EOF2
BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=http://127.0.0.1:$(cat "$TMP/port") \
BIMBING_TELEGRAM_WEBHOOK_SECRET=bench_secret \
BIMBING_HTTP_PORT=$HTTP_PORT pin "${BOT_CPUS:-}" "$BIN" --db "$TMP/db" --config "$TMP/bimbing.json" serve >"$TMP/serve.log" 2>&1 &
SERVE=$!
if [ "${STRACE:-}" = 1 ]; then
    strace -f -c -e trace=fdatasync,fsync -o "$TMP/strace" -p $SERVE 2>/dev/null &
    STRACE_PID=$!
fi
# if bimbing stops (a bad configuration), stop the fake rather than wait
while kill -0 $FAKE 2>/dev/null; do
    if ! kill -0 $SERVE 2>/dev/null; then
        echo "bimbing serve stopped:" >&2
        tail -5 "$TMP/serve.log" >&2
        kill $FAKE
        break
    fi
    sleep 0.2
done
wait $FAKE
status=$?
rss=$(grep VmHWM /proc/$SERVE/status 2>/dev/null | awk '{print $2}')
cpu=$(awk '{print ($14 + $15) / 100}' /proc/$SERVE/stat 2>/dev/null)
if [ -n "${STRACE_PID:-}" ]; then
    kill -INT $STRACE_PID 2>/dev/null
    wait $STRACE_PID 2>/dev/null
fi
fsyncs=$(awk '$NF == "fdatasync" || $NF == "fsync" { n += $4 } END { print n + 0 }' "$TMP/strace" 2>/dev/null)
kill $SERVE 2>/dev/null
wait $SERVE 2>/dev/null
report=$(grep -E '^\{' "$TMP/fake.out" | tail -1)
if [ -z "$report" ]; then
    echo "{\"bench\":\"telegram\",\"error\":\"no report (fake exit $status)\"}"
    tail -5 "$TMP/fake.err" "$TMP/serve.log" >&2
    exit 1
fi
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$report" | jq -c --arg load "$load" --argjson n "$N" --argjson rss "${rss:-0}" --argjson cpu "${cpu:-0}" \
    --arg mode "$MODE" --argjson fsyncs "${fsyncs:-null}" '{bench:"telegram", mode:$mode, people:$n,
  completed, timed_out, conversations_per_s:(.conversations_per_s*10|round/10),
  updates_per_s:(.conversations_per_s*4|round),
  fsyncs:(if $fsyncs == null or $fsyncs == 0 then null else $fsyncs end),
  fsyncs_per_update:(if $fsyncs == null or $fsyncs == 0 then null else ($fsyncs/(.completed*4)*1000|round/1000) end),
  reply_p50_ms:.reply_latency_ms.p50, reply_p99_ms:.reply_latency_ms.p99,
  conversation_p50_ms:.duration_ms.p50, conversation_p99_ms:.duration_ms.p99,
  bimbing_peak_rss_kb:$rss, bimbing_cpu_s:$cpu, elapsed_s:(.elapsed_ms/1000),
  fake_cpu_s:(.fake_cpu_ms/1000), fake_busy:(.fake_busy*100|round/100),
  loadavg:($load|split(" ")|map(tonumber))}'
[ "$status" -eq 0 ]
