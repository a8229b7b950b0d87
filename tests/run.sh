#!/usr/bin/env bash
# tests/run.sh - run every test of bimbing and print one closing line
# "N passed, N failed". Called by `make test` and `make asan` with
# BIMBING_BUILD set to the build tree to test (build or build/asan).
#
#   unit tests      every $BUILD/tests/**/test_* program (cmocka); each
#                   cmocka test counts once
#   shell tests     every tests/**/*.test.sh; each script counts once and
#                   may print "N passed, N failed" itself to count more
#
# A test program that crashes or hangs (5 minutes) counts as one failure.
# A script that cannot run here prints "skipped: REASON" (and "0 passed, 0
# failed"); the closing line then counts and names it: "N passed, N failed,
# 1 skipped (tests/e2e/browser.test.sh: REASON)".
set -u
cd "$(dirname "$0")/.."
BUILD=${BIMBING_BUILD:-build}
export BIMBING_BUILD=$BUILD
export BIMBING_BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CMOCKA_MESSAGE_OUTPUT=stdout
filter=${TESTS:-}
passed=0
failed=0
failures=()
skips=()
logdir=$BUILD/test-logs
mkdir -p "$logdir"

count_line() { # $1 log file; prints "P F" or nothing
    grep -aE '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 |
        sed -E 's/^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

run_one() { # $1 name, rest: command
    local name=$1; shift
    local log="$logdir/$(echo "$name" | tr '/' '_').log"
    local rc p f t0 secs
    t0=$(date +%s%N)
    timeout 300 "$@" >"$log" 2>&1
    rc=$?
    secs=$((($(date +%s%N) - t0) / 100000000))
    secs="$((secs / 10)).$((secs % 10))s"
    if grep -aq '^\[==========\]' "$log"; then           # cmocka
        p=$(grep -aE '^\[  PASSED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | head -1)
        f=$(grep -aE '^\[  FAILED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | head -1)
        p=${p:-0}; f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    elif [ -n "$(count_line "$log")" ]; then              # script counting itself
        read -r p f <<<"$(count_line "$log")"
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    else
        if [ "$rc" -eq 0 ]; then p=1; f=0; else p=0; f=1; fi
    fi
    local why
    why=$(grep -a -m1 '^skipped: ' "$log" | sed 's/^skipped: //')
    [ -n "$why" ] && skips+=("$name: $why")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -gt 0 ]; then
        failures+=("$name")
        printf 'FAIL %-40s %d passed, %d failed, %s (log: %s)\n' "$name" "$p" "$f" "$secs" "$log"
        tail -n 25 "$log" | sed 's/^/    /'
    elif [ -n "$why" ]; then
        printf 'SKIP %-40s %s (%s)\n' "$name" "$why" "$secs"
    else
        printf 'ok   %-40s %4d passed %7s\n' "$name" "$p" "$secs"
    fi
}

for t in $(find "$BUILD/tests" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
    name=${t#"$BUILD/"}
    case "$name" in *"$filter"*) ;; *) continue ;; esac
    run_one "$name" "$t"
done
for t in $(find tests -name '*.test.sh' | sort); do
    case "$t" in *"$filter"*) ;; *) continue ;; esac
    run_one "$t" bash "$t"
done

echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "failed: ${failures[*]}"
fi
if [ ${#skips[@]} -gt 0 ]; then
    names=$(printf '%s; ' "${skips[@]}")
    echo "$passed passed, $failed failed, ${#skips[@]} skipped (${names%; })"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
