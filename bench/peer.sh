#!/usr/bin/env bash
# bench/peer.sh - bimbing against grammY (npm) with its conversations plugin:
# the same weekly check-in, the same fake Bot API server, the same simulated
# people (bench/telegram.sh's options). Each system runs twice, alternately:
# bimbing (bench/telegram.sh), then the grammY bot of bench/peer/checkin.js
# in each mode (bot.start(), and @grammyjs/runner). One JSON line per run,
# one line per system with the medians, and one ratio line per grammY mode
# (bimbing / grammY; the first is against grammY's faster mode).
#   bench/peer.sh [PEOPLE]   (default 500)
# PEER_MODES="start runner" picks the grammY modes, PEER_RUNS=2 the rounds,
# PEER_TIMEOUT=240 the seconds one run may take. FAKE_CPUS / BOT_CPUS pin the
# fake and the bot under test (bimbing or node) to cores (taskset -c lists).
set -u
cd "$(dirname "$0")/.." || exit 1
N=${1:-500}
BUILD=${BIMBING_BUILD:-build}
export BIMBING_BUILD=$BUILD
MODES=${PEER_MODES:-start runner}
RUNS=${PEER_RUNS:-2}
LIMIT=${PEER_TIMEOUT:-240}
PEER=bench/peer
pin() { # cpus command...: exec (run it in the background: $! is its pid)
    local c=$1
    shift
    if [ -n "$c" ]; then exec taskset -c "$c" "$@"; else exec "$@"; fi
}
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

skip() {
    jq -nc --arg why "$1" '{bench:"peer", skipped:$why}'
    exit 0
}
command -v jq >/dev/null || { echo '{"bench":"peer","skipped":"jq not found"}'; exit 0; }
command -v node >/dev/null || skip "node not found"
if [ ! -x "$BUILD/fakes/fake_telegram" ] || [ ! -x "$BUILD/tools/bench_people" ]; then
    skip "fake_telegram or bench_people not built (make bench)"
fi
if [ ! -d "$PEER/node_modules" ]; then
    command -v npm >/dev/null || skip "npm not found"
    if ! (cd "$PEER" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1; then
        rm -rf "$PEER/node_modules"
        skip "npm ci failed: $(grep -m1 -i err "$TMP/npm.log" | cut -c1-200)"
    fi
fi

# one grammY run: prints one JSON line
grammy_run() { # mode round
    local d="$TMP/g$2$1" fake node status rss cpu report
    mkdir -p "$d"
    pin "${FAKE_CPUS:-}" "$BUILD/fakes/fake_telegram" --port 0 --port-file "$d/port" --sim "$N" --sim-base 1000000000 \
        --sim-text /checkin --sim-done "sudah saya catat" --sim-expect '?' \
        --sim-reply 'Menyelesaikan laporan|Menunggu data' --sim-buttons '3,1' \
        --sim-wait-poll --sim-exit --sim-timeout "$LIMIT" >"$d/fake.out" 2>"$d/fake.err" &
    fake=$!
    for _ in $(seq 1 50); do [ -s "$d/port" ] && break; sleep 0.1; done
    pin "${BOT_CPUS:-}" node "$PEER/checkin.js" "http://127.0.0.1:$(cat "$d/port")" "$1" >"$d/node.log" 2>&1 &
    node=$!
    while kill -0 $fake 2>/dev/null; do
        if ! kill -0 $node 2>/dev/null; then
            echo "grammY ($1) stopped:" >&2
            tail -5 "$d/node.log" >&2
            kill $fake
            break
        fi
        sleep 0.2
    done
    wait $fake
    status=$?
    rss=$(grep VmHWM /proc/$node/status 2>/dev/null | awk '{print $2}')
    cpu=$(awk '{print ($14 + $15) / 100}' /proc/$node/stat 2>/dev/null)
    kill $node 2>/dev/null
    for _ in $(seq 1 20); do kill -0 $node 2>/dev/null || break; sleep 0.1; done
    kill -9 $node 2>/dev/null
    wait $node 2>/dev/null
    report=$(grep -E '^\{' "$d/fake.out" | tail -1)
    if [ -z "$report" ]; then
        jq -nc --arg m "$1" --argjson r "$2" --arg s "$status" \
            '{bench:"peer", system:("grammy-"+$m), run:$r, error:("no report (fake exit "+$s+")")}'
        return
    fi
    echo "$report" | jq -c --arg m "$1" --argjson r "$2" --argjson n "$N" --argjson rss "${rss:-0}" \
        --argjson cpu "${cpu:-0}" --argjson load "$LOAD" '{bench:"peer", system:("grammy-"+$m), run:$r, people:$n,
        completed, timed_out, conversations_per_s:(.conversations_per_s*10|round/10),
        reply_p50_ms:.reply_latency_ms.p50, reply_p99_ms:.reply_latency_ms.p99,
        conversation_p50_ms:.duration_ms.p50, conversation_p99_ms:.duration_ms.p99, peak_rss_kb:$rss, cpu_s:$cpu, elapsed_s:(.elapsed_ms/1000), loadavg:$load,
        fake_busy:(.fake_busy*100|round/100)}'
}

# one bimbing run through bench/telegram.sh: prints one JSON line
bimbing_run() { # round
    local line
    line=$(SIM_TIMEOUT=$LIMIT timeout $((LIMIT + 120)) bash bench/telegram.sh "$N" 2>"$TMP/bimbing.err" | grep -E '^\{' | tail -1)
    if [ -z "$line" ] || echo "$line" | jq -e 'has("error")' >/dev/null; then
        jq -nc --argjson r "$1" --arg e "${line:-no output} $(tail -1 "$TMP/bimbing.err")" \
            '{bench:"peer", system:"bimbing", run:$r, error:$e}'
        return
    fi
    echo "$line" | jq -c --argjson r "$1" --argjson load "$LOAD" '{bench:"peer", system:"bimbing", run:$r, people,
        completed, timed_out, conversations_per_s, reply_p50_ms, reply_p99_ms,
        conversation_p50_ms, conversation_p99_ms, peak_rss_kb:.bimbing_peak_rss_kb, cpu_s:.bimbing_cpu_s, elapsed_s, loadavg:$load,
        fake_busy}'
}

for r in $(seq 1 "$RUNS"); do
    # not in a pipeline: what the runs start stays a job of this shell
    # the machine's load average when each run starts, to read the figures by
    LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
    bimbing_run "$r" >"$TMP/line"
    tee -a "$TMP/runs.jsonl" <"$TMP/line"
    for m in $MODES; do
        LOAD=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
        grammy_run "$m" "$r" >"$TMP/line"
        tee -a "$TMP/runs.jsonl" <"$TMP/line"
    done
done

versions=$(jq -c '{grammy:.packages["node_modules/grammy"].version,
    conversations:.packages["node_modules/@grammyjs/conversations"].version,
    runner:.packages["node_modules/@grammyjs/runner"].version}' "$PEER/package-lock.json" 2>/dev/null)
jq -sc --arg node "$(node --version)" --argjson v "${versions:-null}" '
    def median: sort | if length == 0 then null
        elif length % 2 == 1 then .[length / 2 | floor]
        else (.[length / 2 - 1] + .[length / 2]) / 2 end | . * 100 | round / 100;
    map(select(has("error") | not)) | group_by(.system) | map({bench:"peer", summary:.[0].system,
        runs:length, people:.[0].people, completed:(map(.completed) | min),
        conversations_per_s:(map(.conversations_per_s) | median),
        reply_p50_ms:(map(.reply_p50_ms) | median), reply_p99_ms:(map(.reply_p99_ms) | median),
        conversation_p50_ms:(map(.conversation_p50_ms) | median),
        conversation_p99_ms:(map(.conversation_p99_ms) | median),
        peak_rss_kb:(map(.peak_rss_kb) | median), cpu_s:(map(.cpu_s) | median),
        loadavg:(map(.loadavg) | median), fake_busy:(map(.fake_busy) | max)}
        + (if .[0].system == "bimbing" then {} else {node:$node, versions:$v} end))
    | .[]' "$TMP/runs.jsonl" >"$TMP/summary.jsonl"
cat "$TMP/summary.jsonl"
jq -sc '(map(select(.summary == "bimbing")) | .[0]) as $b
    | map(select(.summary != "bimbing")) | sort_by(-.conversations_per_s)
    | if $b == null or length == 0 then {bench:"peer", error:"a system produced no result"}
      else .[] | {bench:"peer", vs:.summary,
        ratio_conversations:(if .conversations_per_s > 0
            then ($b.conversations_per_s / .conversations_per_s * 100 | round / 100) else null end),
        ratio_memory:(if .peak_rss_kb > 0
            then ($b.peak_rss_kb / .peak_rss_kb * 1000 | round / 1000) else null end)} end' \
    "$TMP/summary.jsonl"
