#!/usr/bin/env bash
# tests/fuzz/run.sh - run the libFuzzer harnesses of tests/fuzz, each for a
# bounded time, from a seed corpus made of the project's own files. Called
# by `make fuzz FUZZ_SECONDS=N` (which builds them first, into build/fuzz);
# CI runs it for a few seconds per harness (.ci/run).
#
#   tests/fuzz/run.sh SECONDS [HARNESS...]     e.g.  tests/fuzz/run.sh 60 http expr
#
# Each harness counts as one test: it passes when it ran its time without
# a crash, a leak, a sanitizer report or a timeout (10 s per input). The
# last line is "N passed, N failed". Per harness, build/fuzz/logs/NAME.log
# holds libFuzzer's output, build/fuzz/corpus/NAME the corpus (kept between
# runs), and build/fuzz/crashes/ any input that failed (replay it with
# build/fuzz/fuzz/fuzz_NAME FILE, from the top of the tree). FUZZ_OUT and
# FUZZ_BIN choose other directories (e.g. a long run beside CI's).
set -u
cd "$(dirname "$0")/../.."
secs=${1:-10}
shift || true
out=${FUZZ_OUT:-build/fuzz}   # logs, corpus, crashes
bin=${FUZZ_BIN:-build/fuzz/fuzz} # the harnesses (make fuzz)
all=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
names=${*:-$all}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$out/logs" "$out/crashes"

# seed DIR NAME CONTENT: one seed file (printf %b: \xNN escapes allowed).
seed() { printf '%b' "$3" >"$1/$2"; }

seeds() { # seeds NAME DIR: the first corpus of a harness
    local n=$1 d=$2 i=0 f
    case $n in
    expr)
        for s in 'mood <= 2 and not wants_help' 'len(win) > 0' 'lang == "en"' \
            'week() % 5 == 3' 'person.unit == "Biro SDM"' "days_until(d) < 7" \
            "upper(trim(s)) + 'x\\\\n'" 'max(min(n, 2), abs(-3.5e2)) / 0' \
            'today() != text(year()) or contains(s, "1")'; do
            printf '%s' "$s" >"$d/seed$i"; i=$((i + 1))
        done ;;
    flow) cp flows/*.json tests/flows/good/*.json "$d/" ;;
    telegram)
        seed "$d" msg '{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"/start"}}'
        seed "$d" cb '{"ok":true,"result":[{"update_id":7,"callback_query":{"id":"x","from":{"id":42},"data":"q1.yes","message":{"message_id":2,"chat":{"id":42,"type":"private"}}}}]}' ;;
    whatsapp)
        seed "$d" text '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"6281234567890","id":"wamid.A1","timestamp":"1767225600","type":"text","text":{"body":"halo"}}]}}]}]}'
        seed "$d" button '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"from":"6281234567890","id":"wamid.A2","timestamp":"1767225601","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"yes","title":"Ya"}}},{"from":"6281234567890","id":"wamid.A3","type":"button","button":{"payload":"p1"}}]}}]}]}'
        seed "$d" status '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.O1","status":"failed","recipient_id":"6281234567890","errors":[{"code":131047,"title":"Re-engagement"}]},{"id":"wamid.O2","status":"read"}],"errors":[{"code":1,"title":"x"}]}}]}]}' ;;
    webchat)
        seed "$d" msg '\x00{"type":"message","text":"halo","id":"m1"}\xff{"type":"message","value":"yes","id":"m2"}\xff{"type":"typing"}'
        seed "$d" resume '\x00{"type":"resume","watermark":"0"}\xff{"type":"resume","watermark":"x"}\xff{"type":"message","text":"","id":"e1"}'
        seed "$d" raw '\x01\x81\x85\x00\x00\x00\x00hello\x89\x80\x00\x00\x00\x00' ;;
    http)
        seed "$d" get 'GET /api/x?q=a%20b+c&r=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: a=b; bimbing_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\nOrigin: http://127.0.0.1\r\n\r\n'
        seed "$d" post 'POST /api/x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}GET /index.html HTTP/1.1\r\nHost: h\r\n\r\n'
        seed "$d" chunked 'POST /webhooks/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n'
        seed "$d" clte 'POST /api/x HTTP/1.1\r\nHost: h\r\nContent-Length: 20\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'
        seed "$d" static 'GET /admin/ HTTP/1.1\r\nHost: h\r\n\r\nHEAD /../etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n' ;;
    people) cp config/demo-people.csv "$d/"; for f in $(find tests -name '*.csv'); do cp "$f" "$d/$(echo "$f" | tr / _)"; done ;;
    config) cp config/*.json "$d/" ;;
    tz)
        for z in Asia/Jakarta Asia/Makassar Europe/Berlin America/New_York Australia/Lord_Howe UTC; do
            f=/usr/share/zoneinfo/$z
            [ -f "$f" ] && { printf '\0'; cat "$f"; } >"$d/file_$(echo $z | tr / _)"
        done
        for z in WIB wita Asia/Jayapura Etc/GMT-7 ../x /etc; do printf '\001%s' "$z" >"$d/name$i"; i=$((i + 1)); done ;;
    input)
        for s in 12 -3.5 '1.000,5' 2026-12-01 01/12/2026 besok tomorrow ya Tidak yes 3 '  halo  ' \
            123456789012345678 90s 15m 4h 2d 1w 2026-12-07T10:00:00Z; do
            printf '\200%s' "$s" >"$d/s$i"; i=$((i + 1))
        done ;;
    esac
}

passed=0; failed=0; failures=()
for n in $names; do
    h=$bin/fuzz_$n
    log=$out/logs/$n.log
    corpus=$out/corpus/$n
    if [ ! -x "$h" ]; then
        echo "FAIL fuzz/$n: $h not built (make fuzz)"; failed=$((failed + 1)); failures+=("$n"); continue
    fi
    mkdir -p "$corpus"
    [ -n "$(ls -A "$corpus")" ] || seeds "$n" "$corpus"
    maxlen=16384
    [ "$n" = expr ] && maxlen=1100
    nice "$h" -max_total_time="$secs" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/crashes/$n-" "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(grep -a 'stat::number_of_executed_units' "$log" | grep -oE '[0-9]+$' | tail -1)
    last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+')
    corp=$(echo "$last" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+')
    if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
        passed=$((passed + 1))
        printf 'ok   fuzz/%-10s %ss runs=%s cov=%s ft=%s corpus=%s\n' "$n" "$secs" "$runs" "${cov:-?}" "${ft:-?}" "${corp:-?}"
    else
        failed=$((failed + 1)); failures+=("$n")
        printf 'FAIL fuzz/%-10s exit %s after runs=%s (log: %s)\n' "$n" "$rc" "${runs:-?}" "$log"
        grep -aE 'ERROR|SUMMARY|^    #[0-9]|artifact|Test unit written' "$log" | head -n 25 | sed 's/^/    /'
    fi
done
echo
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
