#!/usr/bin/env bash
# bench/run.sh - `make bench`: every benchmark, one JSON line each, also
# collected in build/bench/results.jsonl. Figures, not pass/fail: the
# targets they are read against are in docs/benchmarks.md.
set -u
cd "$(dirname "$0")/.."
BUILD=${BIMBING_BUILD:-build}
export BIMBING_BUILD=$BUILD
OUT=$BUILD/bench
mkdir -p "$OUT"
: >"$OUT/results.jsonl"
run() { # name command...
    echo "== $1" >&2
    shift
    "$@" | tee -a "$OUT/results.jsonl"
}
run "core, durability full (group commit of 100)" "$BUILD/tools/bench_core" --events 50000 --sync full
run "core, durability normal" "$BUILD/tools/bench_core" --events 50000 --sync normal
run "core, durability full, batches of 500" "$BUILD/tools/bench_core" --events 50000 --batch 500 --sync full
run "Telegram end to end, 1000 people, full" bash bench/telegram.sh 1000
DURABILITY=normal run "Telegram end to end, 1000 people, normal" bash bench/telegram.sh 1000
run "webhooks: Telegram polling vs webhook, WhatsApp webhook, 500 people" bash bench/webhook.sh 500
run "egress with the core idle, 5000 messages, full" bash bench/egress.sh 5000
run "memory per idle conversation, 10000 people mid-flow" bash bench/idle.sh 10000
run "web chat, 1000 clients, 200 messages/s (bench/webchat.sh 10000 2000 20: the target)" \
    bash bench/webchat.sh 1000
for extra in bench/broadcast.sh bench/peer.sh; do
    [ -x "$extra" ] && run "$extra" bash "$extra"
done
run "mentor matching, 5000 x 1000" "$BUILD/tools/bench_match"
echo "results: $OUT/results.jsonl" >&2
