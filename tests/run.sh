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
# A test program that crashes or hangs (TEST_TIMEOUT, 10 minutes: tests
# run side by side on a shared machine, where one may take ten times its
# quiet time) counts as one failure.
# TEST_JOBS=N runs N tests at a time (default 3; 1: one after another).
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

# Tests run side by side, TEST_JOBS at a time (default 3: most shell tests
# wait on a server more than they compute); each one's result is printed
# whole, in the order of the list, as soon as it and those before it are
# done. A running test has its own block of ports for free_port
# (tests/e2e/lib.sh) so that two cannot pick the same one.
jobs_max=${TEST_JOBS:-3}
[[ $jobs_max =~ ^[1-9][0-9]?$ ]] || jobs_max=3
port_span=$((12000 / jobs_max))
limit=${TEST_TIMEOUT:-600}
[[ $limit =~ ^[1-9][0-9]*$ ]] || limit=600

names=()
for t in $(find "$BUILD/tests" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
    name=${t#"$BUILD/"}
    case "$name" in *"$filter"*) names+=("$name") ;; esac
done
for t in $(find tests -name '*.test.sh' | sort); do
    case "$t" in *"$filter"*) names+=("$t") ;; esac
done

log_of() { echo "$logdir/$(echo "$1" | tr '/' '_').log"; }

# start_one INDEX SLOT: run test INDEX in the background; when it ends,
# LOG.done holds "EXIT-STATUS TENTHS-OF-A-SECOND".
start_one() {
    local name=${names[$1]} slot=$2 log
    log=$(log_of "$name")
    rm -f "$log.done"
    (
        export E2E_PORT_LO=$((20000 + slot * port_span)) E2E_PORT_N=$port_span
        t0=$(date +%s%N)
        case "$name" in
        *.test.sh) timeout "$limit" bash "$name" >"$log" 2>&1 ;;
        *) timeout "$limit" "$BUILD/$name" >"$log" 2>&1 ;;
        esac
        rc=$?
        echo "$rc $((($(date +%s%N) - t0) / 100000000))" >"$log.tmp" && mv "$log.tmp" "$log.done"
    ) &
    pids[$1]=$!
}

# report INDEX: count and print the result of a finished test.
report() {
    local name=${names[$1]} log rc p f secs why
    log=$(log_of "$name")
    read -r rc secs <"$log.done"
    rm -f "$log.done"
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

# The start order: the longest tests first (the list below, from CI's
# timings: starting them last would leave the other slots idle at the
# end), then the unit tests (printed first, so output flows early), then
# the other shell tests. Only the start order; results are printed in the
# order of the list above.
long_first=" tests/e2e/telegram.test.sh tests/e2e/admin_api.test.sh
    tests/transcripts/transcripts.test.sh tests/transcripts/transcripts_en.test.sh
    tests/e2e/alerts.test.sh tests/e2e/whatsapp.test.sh
    tests/e2e/browser.test.sh tests/e2e/soak.test.sh tests/adapters/test_net_http "
long_first=" $(echo $long_first) " # one space between names
total=${#names[@]}
order=()
for n in $long_first; do
    for ((i = 0; i < total; i++)); do [ "${names[i]}" = "$n" ] && order+=("$i"); done
done
for pass in unit script; do
    for ((i = 0; i < total; i++)); do
        case "${names[i]}" in *.test.sh) [ $pass = script ] || continue ;; *) [ $pass = unit ] || continue ;; esac
        case "$long_first" in *" ${names[i]} "*) continue ;; esac
        order+=("$i")
    done
done
[ "${#order[@]}" -eq "$total" ] || { echo "tests/run.sh: bad start order"; exit 1; }

pids=()
slot_of=()
busy=()  # busy[SLOT]=1 while a test runs in it
state=() # state[INDEX]: unset (waiting), 1 running, 2 done
pos=0    # the next entry of order to start
head=0   # the next test to print
running=0
while [ "$head" -lt "$total" ]; do
    while [ "$pos" -lt "$total" ] && [ "$running" -lt "$jobs_max" ]; do
        for ((k = 0; k < jobs_max; k++)); do [ "${busy[k]:-0}" = 1 ] || break; done
        i=${order[pos]}
        busy[k]=1
        slot_of[i]=$k
        state[i]=1
        start_one "$i" "$k"
        running=$((running + 1))
        pos=$((pos + 1))
    done
    for ((i = head; i < total; i++)); do
        if [ "${state[i]:-0}" = 1 ] && [ -e "$(log_of "${names[i]}").done" ]; then
            wait "${pids[i]}" 2>/dev/null
            state[i]=2
            busy[slot_of[i]]=0
            running=$((running - 1))
        fi
    done
    if [ "${state[head]:-0}" = 2 ]; then
        while [ "$head" -lt "$total" ] && [ "${state[head]:-0}" = 2 ]; do
            report "$head"
            head=$((head + 1))
        done
    else
        sleep 0.1
    fi
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
