# tests/e2e/lib.sh - shared helpers for end-to-end scripts: counting
# checks, free ports, waiting with a bound, starting and always stopping
# processes. Source it; call e2e_init first and e2e_finish last.

E2E_PASS=0
E2E_FAIL=0
E2E_PIDS=()

e2e_init() {
    BIN=${BIMBING_BIN:-build/bin/bimbing}
    BUILD=${BIMBING_BUILD:-build}
    [ -x "$BIN" ] || { echo "no binary at $BIN (run make)"; exit 1; }
    BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
    TMP=$(mktemp -d)
    trap e2e_cleanup EXIT
}

e2e_cleanup() {
    for p in "${E2E_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ -n "${TMP:-}" ] && rm -rf "$TMP"
}

ok() { E2E_PASS=$((E2E_PASS + 1)); echo "ok   $*"; }
bad() { E2E_FAIL=$((E2E_FAIL + 1)); echo "FAIL $*"; }
check() { # check "description" command...
    local d=$1; shift
    if "$@"; then ok "$d"; else bad "$d"; fi
}

e2e_finish() {
    echo "$E2E_PASS passed, $E2E_FAIL failed"
    [ "$E2E_FAIL" -eq 0 ]
}

# wait_for SECONDS command...: retry every 0.1 s until it succeeds.
wait_for() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    while [ $SECONDS -le $end ]; do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# A TCP port nobody listens on (checked with bash's /dev/tcp).
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# bg NAME command...: start in the background, remember the pid in $NAME_PID.
bg() {
    local name=$1; shift
    "$@" >"$TMP/$name.log" 2>&1 &
    local pid=$!
    E2E_PIDS+=("$pid")
    printf -v "${name}_PID" '%s' "$pid"
}
