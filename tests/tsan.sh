#!/usr/bin/env bash
# tests/tsan.sh - the threaded tests under ThreadSanitizer, for `make tsan`
# (which builds build/tsan with -fsanitize=thread and sets BIMBING_BUILD).
#
#   unit   tests/adapters/test_net_http: the net thread (libcurl) and the
#          server's wake-up from it, with many requests in flight
#   e2e    `bimbing serve` with its net thread against the fakes, under the
#          load these scripts make: telegram, whatsapp, webchat,
#          broadcast_priority
#
# A test passes when it passes as in `make test` and no process of it wrote
# a TSan report (TSAN_OPTIONS log_path: build/tsan/tsan-reports/). Reports
# whose every frame of ours is absent - inside uninstrumented libcurl or
# libwebsockets - may be silenced in tests/tsan.supp, never one in our code.
# The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BIMBING_BUILD:-build/tsan}
export BIMBING_BUILD=$BUILD
export BIMBING_BIN=$BUILD/bin/bimbing
export E2E_TIME_SCALE=${E2E_TIME_SCALE:-5} # TSan is slow: e2e waits (wait_for) last longer
reports=$BUILD/tsan-reports
rm -rf "$reports"
mkdir -p "$reports" "$BUILD/test-logs"
export TSAN_OPTIONS="log_path=$PWD/$reports/report second_deadlock_stack=1 history_size=4 suppressions=$PWD/tests/tsan.supp ${TSAN_OPTIONS:-}"
passed=0; failed=0; failures=()
run() { # run NAME COMMAND...
    local name=$1; shift
    local log=$BUILD/test-logs/tsan_$(echo "$name" | tr '/' '_').log
    local before after rc
    before=$(ls "$reports" | wc -l)
    timeout 900 "$@" >"$log" 2>&1
    rc=$?
    after=$(ls "$reports" | wc -l)
    local line
    line=$(grep -aE '^\[  PASSED  \]|^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
        passed=$((passed + 1)); printf 'ok   %-36s %s\n' "$name" "$line"
    else
        failed=$((failed + 1)); failures+=("$name")
        printf 'FAIL %-36s exit %s, %s new TSan report(s) (log: %s)\n' "$name" "$rc" \
            $((after - before)) "$log"
        tail -n 15 "$log" | sed 's/^/    /'
    fi
}
run tests/adapters/test_net_http "$BUILD/tests/adapters/test_net_http"
for t in telegram whatsapp webchat broadcast_priority; do
    run "tests/e2e/$t.test.sh" bash "tests/e2e/$t.test.sh"
done
for r in "$reports"/report*; do
    [ -e "$r" ] || continue
    echo "--- $r"; grep -aE 'WARNING|^    #[0-9] ' "$r" | head -n 30
done
echo
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
