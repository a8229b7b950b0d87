#!/usr/bin/env bash
# bench/webchat.sh - the web chat under load: N people invited, each signed
# in from a simulated browser of its own (tests/tools/ws_load.c) and kept
# connected to a real `bimbing serve`, then RATE messages a second for
# SECONDS, spread across them. Prints ws_load's JSON line (sessions open,
# p50/p99 reply latency, errors, serve's RSS) with the load average added.
#   bench/webchat.sh [N [RATE [SECONDS]]]   (quick: 1000 people, 200/s, 10 s)
#   bench/webchat.sh 10000 2000 20          (the issue-16 target)
set -u
cd "$(dirname "$0")/.."
N=${1:-1000}
RATE=${2:-$((N / 5))}
SECS=${3:-10}
BUILD=${BIMBING_BUILD:-build}
BIN=$BUILD/bin/bimbing
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$TMP/serve.log" "$KEEP"; rm -rf "$TMP"' EXIT

"$BUILD/tools/bench_people" --db "$TMP/db" --count "$N" --channel none || exit 1
"$BIN" --db "$TMP/db" invite --to all --csv "$TMP/invites.csv" 2>/dev/null || exit 1
tail -n +2 "$TMP/invites.csv" | cut -d, -f4 | tr -d '"' >"$TMP/codes"
# the load's simulated browsers come through a "proxy" at 127.0.0.1, each
# with its own X-Forwarded-For address (the sign-in's limits are per address)
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "${DURABILITY:-full}", "log_level": "${LOG_LEVEL:-warn}",
 "http": {"trusted_proxy": "127.0.0.1"}}
EOF2
BIMBING_HTTP_PORT=0 "$BIN" --db "$TMP/db" --config "$TMP/bimbing.json" serve >"$TMP/serve.log" 2>&1 &
SERVE=$!
PORT=
for _ in $(seq 1 100); do
    PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$TMP/serve.log" 2>/dev/null | head -1 | cut -d: -f2)
    [ -n "$PORT" ] && break
    sleep 0.05
done
if [ -z "$PORT" ]; then
    echo "{\"bench\":\"webchat\",\"error\":\"serve did not start\"}"
    tail -5 "$TMP/serve.log" >&2
    exit 1
fi
"$BUILD/tools/ws_load" --port "$PORT" --codes "$TMP/codes" --sessions "$N" --rate "$RATE" \
    --duration "$SECS" --pid "$SERVE" --timeout 600 >"$TMP/load.out" 2>"$TMP/load.err"
status=$?
load=$(cut -d' ' -f1 /proc/loadavg)
cpu=$(awk '{print ($14 + $15) / 100}' /proc/$SERVE/stat 2>/dev/null)
kill $SERVE 2>/dev/null
wait $SERVE 2>/dev/null
report=$(grep -E '^\{' "$TMP/load.out" | tail -1)
if [ -z "$report" ]; then
    echo "{\"bench\":\"webchat\",\"error\":\"no report (ws_load exit $status)\"}"
    tail -5 "$TMP/load.err" "$TMP/serve.log" >&2
    exit 1
fi
[ "$status" -eq 0 ] || tail -5 "$TMP/load.err" >&2
echo "$report" | jq -c --argjson load "$load" --argjson cpu "${cpu:-0}" '. + {bimbing_cpu_s:$cpu, loadavg_1m:$load}'
[ "$status" -eq 0 ]
