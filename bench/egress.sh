#!/usr/bin/env bash
# bench/egress.sh - how fast egress sends with the core idle: a broadcast to
# N people (all queued at once: N <= 5000) drained by `bimbing serve` to the
# fake Bot API, send-rate limits raised out of the way. The fake's record of
# the sendMessage calls gives the rate, from the first to the last (so the
# start of serve is not counted). Prints one JSON line: requests/s, the
# busiest second, connections the fake saw, and bimbing's CPU and peak RSS.
#   bench/egress.sh [N]   (default 5000; FAKE_CPUS / BOT_CPUS pin as in
#                          bench/telegram.sh; DURABILITY as there)
set -u
cd "$(dirname "$0")/.." || exit 1
N=${1:-5000}
BUILD=${BIMBING_BUILD:-build}
BIN=$BUILD/bin/bimbing
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
pin() { # cpus command...: exec (run it in the background: $! is its pid)
    local c=$1
    shift
    if [ -n "$c" ]; then exec taskset -c "$c" "$@"; else exec "$@"; fi
}
fail() {
    jq -nc --arg e "$1" '{bench:"egress", error:$e}'
    exit 1
}
[ "$N" -ge 2 ] && [ "$N" -le 5000 ] || fail "N must be 2..5000 (one broadcast queues at most 5000 at once)"

"$BUILD/tools/bench_people" --db "$TMP/db" --count "$N" --channel telegram --base 1000000000 ||
    fail "bench_people failed"
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "${DURABILITY:-full}", "log_level": "warn",
 "telegram": {"rate_per_chat": 100, "rate_total": 100000}}
EOF2
"$BIN" --db "$TMP/db" --config "$TMP/bimbing.json" broadcast --to all \
    --text "Pengumuman uji kecepatan: abaikan pesan ini." >"$TMP/bc.out" 2>&1 ||
    fail "broadcast: $(tail -1 "$TMP/bc.out")"

pin "${FAKE_CPUS:-}" "$BUILD/fakes/fake_telegram" --port 0 --port-file "$TMP/port" \
    >"$TMP/fake.out" 2>"$TMP/fake.err" &
FAKE=$!
for _ in $(seq 1 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || fail "the fake did not start"
URL=http://127.0.0.1:$(cat "$TMP/port")
load0=$(cut -d' ' -f1-3 /proc/loadavg)
BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$URL BIMBING_HTTP_PORT=0 \
    pin "${BOT_CPUS:-}" "$BIN" --db "$TMP/db" --config "$TMP/bimbing.json" serve \
    >"$TMP/serve.log" 2>&1 &
SERVE=$!
sent=0
for _ in $(seq 1 1200); do # at most 120 s
    sent=$(curl -sf "$URL/control/stats" | jq '.methods.sendMessage // 0')
    [ "${sent:-0}" -ge "$N" ] && break
    kill -0 $SERVE 2>/dev/null || fail "bimbing serve stopped: $(tail -1 "$TMP/serve.log")"
    sleep 0.1
done
rss=$(grep VmHWM /proc/$SERVE/status 2>/dev/null | awk '{print $2}')
cpu=$(awk '{print ($14 + $15) / 100}' /proc/$SERVE/stat 2>/dev/null)
fcpu=$(awk '{print ($14 + $15) / 100}' /proc/$FAKE/stat 2>/dev/null)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
curl -sf "$URL/control/stats" >"$TMP/stats.json"
curl -sf "$URL/control/sent?limit=10000" >"$TMP/sent.json"
kill $SERVE 2>/dev/null
wait $SERVE 2>/dev/null
jq -c --argjson n "$N" --argjson rss "${rss:-0}" --argjson cpu "${cpu:-0}" --argjson fcpu "${fcpu:-0}" \
    --arg l0 "$load0" --arg l1 "$load1" --slurpfile st "$TMP/stats.json" '
    map(select(.method == "sendMessage" and .status == 200)) as $s
    | ($s | length) as $k
    | (if $k > 1 then ($s[-1].ms - $s[0].ms) else 0 end) as $span
    | {bench:"egress", messages:$n, sent:$k, durability:"'"${DURABILITY:-full}"'",
       requests_per_s:(if $span > 0 then (($k - 1) * 1000 / $span * 10 | round / 10) else null end),
       span_s:($span / 1000), busiest_1s:$st[0].max_overall_1s, connections:$st[0].connections,
       bimbing_cpu_s:$cpu, bimbing_peak_rss_kb:$rss, fake_cpu_s:$fcpu,
       loadavg_start:($l0|split(" ")|map(tonumber)), loadavg_end:($l1|split(" ")|map(tonumber))}' \
    "$TMP/sent.json"
