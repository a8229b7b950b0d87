#!/usr/bin/env bash
# bench/idle.sh - memory and disk per idle conversation: N people linked to
# Telegram chats, each has sent /checkin and stopped at the first question
# (the mood), so N weekly check-ins wait mid-flow, each with its session and
# its reminder and expiry timers. Prints one JSON line: `bimbing serve`'s
# RSS (anonymous and file-backed: SQLite's mmap reads count as file pages)
# idle with the people only and idle with them mid-flow, and the
# database's size before and after, per conversation.
#   bench/idle.sh [N]   (default 10000)
# IDLE_SETUP=fake (the default up to 20,000 people): through the fake Bot
# API's sim and `serve`, the real path; the RSS after is serve's right after
# the last question went out. IDLE_SETUP=direct (the default above): the
# people's /checkin goes through the real core and flows in-process
# (bench_people --start), no network: at 100,000 people the network path
# takes longer than minutes on a shared machine. Each `serve` is measured
# IDLE_SETTLE seconds (default 5) after its first poll.
set -u
cd "$(dirname "$0")/.." || exit 1
N=${1:-10000}
SETUP=${IDLE_SETUP:-$([ "$N" -le 20000 ] && echo fake || echo direct)}
SETTLE=${IDLE_SETTLE:-5}
LIMIT=${IDLE_TIMEOUT:-600}
BUILD=${BIMBING_BUILD:-build}
BIN=$BUILD/bin/bimbing
TMP=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
fail() {
    jq -nc --arg e "$1" '{bench:"idle", error:$e}'
    exit 1
}
# status field of a pid, kB
st_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null; }
db_bytes() { cat "$1" "$1-wal" 2>/dev/null | wc -c; }
cat >"$TMP/bimbing.json" <<EOF2
{"durability": "full", "log_level": "warn",
 "telegram": {"rate_per_chat": 100, "rate_total": 100000}}
EOF2

# start the fake and serve on a database; sets URL, SERVE
start() { # db tag
    "$BUILD/fakes/fake_telegram" --port 0 --port-file "$TMP/$2.port" >/dev/null 2>"$TMP/$2.fake.err" &
    for _ in $(seq 1 50); do [ -s "$TMP/$2.port" ] && break; sleep 0.1; done
    [ -s "$TMP/$2.port" ] || fail "the fake did not start"
    URL=http://127.0.0.1:$(cat "$TMP/$2.port")
    BIMBING_TELEGRAM_TOKEN=123456:TEST BIMBING_TELEGRAM_API=$URL BIMBING_HTTP_PORT=0 \
        "$BIN" --db "$1" --config "$TMP/bimbing.json" serve >"$TMP/$2.serve.log" 2>&1 &
    SERVE=$!
    for _ in $(seq 1 300); do
        [ "$(curl -sf "$URL/control/stats" | jq '.methods.getUpdates // 0')" -gt 0 ] && break
        kill -0 $SERVE 2>/dev/null || fail "bimbing serve stopped: $(tail -1 "$TMP/$2.serve.log")"
        sleep 0.1
    done
    sleep "$SETTLE"
}
# serve's memory now, as JSON
mem() {
    jq -nc --argjson rss "$(st_kb $SERVE VmRSS)" --argjson anon "$(st_kb $SERVE RssAnon)" \
        --argjson file "$(st_kb $SERVE RssFile)" --argjson hwm "$(st_kb $SERVE VmHWM)" \
        '{rss_kb:$rss, anon_kb:$anon, file_kb:$file, peak_kb:$hwm}'
}
stop() {
    kill $SERVE
    wait $SERVE 2>/dev/null
    kill $(jobs -p) 2>/dev/null
    wait 2>/dev/null
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)
"$BUILD/tools/bench_people" --db "$TMP/a.db" --count "$N" --channel telegram --base 1000000000 ||
    fail "bench_people failed"
dba0=$(db_bytes "$TMP/a.db")
if [ "$SETUP" = direct ]; then
    "$BUILD/tools/bench_people" --db "$TMP/b.db" --count "$N" --channel telegram \
        --base 1000000000 --start /checkin || fail "bench_people --start failed"
    dbb=$(db_bytes "$TMP/b.db")
    start "$TMP/a.db" a
    m0=$(mem)
    stop
    start "$TMP/b.db" b
    m1=$(mem)
    stop
    mid=$N
else
    start "$TMP/a.db" a
    m0=$(mem)
    jq -nc --argjson n "$N" --argjson t "$LIMIT" '{users:$n, base:1000000000, first_text:"/checkin",
        done:"Bagaimana minggu", expect:"?", timeout_s:$t}' |
        curl -sf -X POST -H 'Content-Type: application/json' --data-binary @- "$URL/control/sim" \
            >/dev/null || fail "the sim did not start"
    for _ in $(seq 1 $((LIMIT * 2 + 20))); do
        curl -sf "$URL/control/sim" >"$TMP/sim.json"
        [ "$(jq .running "$TMP/sim.json")" = false ] && break
        kill -0 $SERVE 2>/dev/null || fail "bimbing serve stopped: $(tail -1 "$TMP/a.serve.log")"
        sleep 0.5
    done
    sleep "$SETTLE" # the last replies' outcomes committed
    m1=$(mem)
    mid=$(jq .completed "$TMP/sim.json")
    stop
    dbb=$(db_bytes "$TMP/a.db") # after the clean stop's checkpoint
fi
t1=$(date +%s.%N)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
jq -nc --argjson n "$N" --arg setup "$SETUP" --argjson mid "$mid" --argjson m0 "$m0" --argjson m1 "$m1" \
    --argjson db0 "$dba0" --argjson db1 "$dbb" --argjson secs "$(echo "$t1 - $t0" | bc)" \
    --arg l0 "$load0" --arg l1 "$load1" '
    {bench:"idle", people:$n, setup:$setup, mid_flow:$mid, run_s:($secs | round),
     serve_people_only:$m0, serve_mid_flow:$m1,
     rss_per_conversation_b:(($m1.rss_kb - $m0.rss_kb) * 1024 / $n | round),
     anon_per_conversation_b:(($m1.anon_kb - $m0.anon_kb) * 1024 / $n | round),
     db_people_only_b:$db0, db_mid_flow_b:$db1,
     db_per_conversation_b:(($db1 - $db0) / $n | round),
     loadavg_start:($l0|split(" ")|map(tonumber)), loadavg_end:($l1|split(" ")|map(tonumber))}'
