#!/usr/bin/env bash
# bench/webhook.sh - webhooks at full speed (issue 16 item 4): Telegram in
# polling and in webhook mode (bench/telegram.sh, MODE=webhook: the fake Bot
# API delivers over 40 connections), and WhatsApp webhooks (the C load
# client tests/tools/wa_load.c: PEOPLE people, 5 messages each, over 40
# connections, against the fake Graph API). Each mode runs twice: once for
# the speed, once under `strace -f -c` for the fsync count (strace slows
# it). Prints one JSON line per run: updates/s, fsyncs per update, peak RSS.
#   bench/webhook.sh [PEOPLE]   (default 500)
# BIMBING_BIN=path runs another build of bimbing (e.g. an older one, for a
# before/after); the fakes and the load client are this build's.
set -u
cd "$(dirname "$0")/.."
N=${1:-500}
BUILD=${BIMBING_BUILD:-build}
export BIMBING_BUILD=$BUILD
BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}
LOAD=$BUILD/tools/wa_load

for strace in "" 1; do
    for mode in polling webhook; do
        STRACE=$strace MODE=$mode BIMBING_BIN=$BIN bash bench/telegram.sh "$N" |
            jq -c --arg l "$(cut -d' ' -f1-3 /proc/loadavg)" '. + {load: $l}'
    done
done

# WhatsApp: webhooks only (the platform has no polling)
wa_run() { # strace: "" or 1
    local tmp port fport serve st="" fsyncs rss cpu out
    tmp=$(mktemp -d)
    "$BUILD/tools/bench_people" --db "$tmp/db" --count "$N" --channel whatsapp \
        --base 628100000000 >/dev/null || return 1
    "$BUILD/fakes/fake_whatsapp" --port 0 --port-file "$tmp/fport" --token bench \
        --phone-id 1098765432 --app-secret bench-secret >/dev/null 2>&1 &
    local fake=$!
    for _ in $(seq 1 50); do [ -s "$tmp/fport" ] && break; sleep 0.1; done
    fport=$(cat "$tmp/fport")
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 12000))
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || break
    done
    echo '{"durability": "'"${DURABILITY:-full}"'", "log_level": "warn", "whatsapp": {"rate": 100000}}' \
        >"$tmp/bimbing.json"
    BIMBING_HTTP_PORT=$port BIMBING_WHATSAPP_TOKEN=bench \
        BIMBING_WHATSAPP_API="http://127.0.0.1:$fport/v23.0" BIMBING_WHATSAPP_PHONE_ID=1098765432 \
        BIMBING_WHATSAPP_APP_SECRET=bench-secret BIMBING_WHATSAPP_VERIFY_TOKEN=verify \
        "$BIN" --db "$tmp/db" --config "$tmp/bimbing.json" serve >"$tmp/serve.log" 2>&1 &
    serve=$!
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
    if [ "$1" = 1 ]; then
        strace -f -c -e trace=fdatasync,fsync -o "$tmp/strace" -p $serve 2>/dev/null &
        st=$!
        sleep 0.5
    fi
    out=$("$LOAD" --port "$port" --secret bench-secret --users "$N" --messages 5 --conns 40 \
        --base 628100000000 --timeout-s 300)
    # the replies are queued by then; the figure is the webhooks' (stored, answered)
    rss=$(grep VmHWM /proc/$serve/status 2>/dev/null | awk '{print $2}')
    cpu=$(awk '{print ($14 + $15) / 100}' /proc/$serve/stat 2>/dev/null)
    if [ -n "$st" ]; then
        kill -INT $st 2>/dev/null
        wait $st 2>/dev/null
    fi
    fsyncs=$(awk '$NF == "fdatasync" || $NF == "fsync" { n += $4 } END { print n + 0 }' "$tmp/strace" 2>/dev/null)
    kill $serve $fake 2>/dev/null
    wait $serve $fake 2>/dev/null
    echo "$out" | jq -c --argjson n "$N" --argjson rss "${rss:-0}" --argjson cpu "${cpu:-0}" \
        --argjson fsyncs "${fsyncs:-0}" --arg l "$(cut -d' ' -f1-3 /proc/loadavg)" \
        '{bench:"whatsapp", mode:"webhook", people:$n, messages:.messages,
          answered_2xx, timed_out, updates_per_s:(.messages_per_s|round),
          answer_p50_ms:.answer_ms.p50, answer_p99_ms:.answer_ms.p99,
          fsyncs:(if $fsyncs == 0 then null else $fsyncs end),
          fsyncs_per_update:(if $fsyncs == 0 then null else ($fsyncs/.messages*1000|round/1000) end),
          bimbing_peak_rss_kb:$rss, bimbing_cpu_s:$cpu, elapsed_s:(.elapsed_ms/1000), load:$l}'
    rm -rf "$tmp"
}
wa_run ""
wa_run 1
