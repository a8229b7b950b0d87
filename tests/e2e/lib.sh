# tests/e2e/lib.sh - the harness every shell test (tests/**/*.test.sh)
# sources: counting checks and the closing "N passed, N failed" line for
# tests/run.sh, a temporary directory and processes that are always cleaned
# up, bounded waits, free ports, starting the fakes (fake_telegram_init for
# the Bot API) and `bimbing serve`, and the set-up of a browser test
# (browser_init, browser_run).
# Sourcing it sets -u and moves to the repository root.
#
#   . "$(dirname "$0")/../e2e/lib.sh"   # or "$(dirname "$0")/lib.sh" here
#   e2e_init "$BIN" [EXECUTABLE...]  # aborts unless they exist; makes $TMP
#   ... checks ...
#   e2e_finish                   # the closing line; status 0 when none failed
#
# Checks that count (each prints "ok   NAME" or "FAIL NAME"):
#   ok NAME / bad NAME [GOT]     one check passed / failed (GOT is shown)
#   check NAME COMMAND...        passes when the command succeeds
#   check_flag NAME FLAG [GOT]   passes when FLAG is 1
#   has NAME TEXT NEEDLE...      passes when TEXT holds every NEEDLE
#   lacks NAME TEXT NEEDLE       passes when TEXT does not hold NEEDLE
#   eq NAME GOT WANT             passes when GOT is WANT
# Predicates for check (silent when true, say why when false):
#   equals GOT WANT, file_has FILE TEXT, file_lacks FILE TEXT, isjson FILE

set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
BUILD=${BIMBING_BUILD:-build}
BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}

# The demo people (config/demo-people.csv) the tests act as.
AYU=198501012010012001    # Ayu Lestari, employee, Biro SDM, Indonesian
BUDI=199002022015021002   # Budi Santoso, employee, Dinas Kominfo, English
HR=197803032005032003     # Siti Rahmawati, hr
ANDI=197505052000031005   # Andi Wijaya, mentor
MADE=198208082008011006   # Made Sutrisna, mentor
YOHANA=198011112006042007 # Yohana Rumbiak, mentor
RIZKY=199304042019031008
DEWI=199107072017012009
FAJAR=198906062014031010
PUTRI=199512122020122011
WAYAN=198709092012121012
E2E_PASS=0
E2E_FAIL=0
E2E_PIDS=()
TMP=

# e2e_abort MESSAGE: the script cannot run at all; counts as one failure.
e2e_abort() {
    echo "$1"
    echo "$E2E_PASS passed, $((E2E_FAIL + 1)) failed"
    exit 1
}

# e2e_need_cmd COMMAND...: abort unless every command is installed.
e2e_need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || e2e_abort "$c is needed (apt-get install -y $c)"
    done
}

# e2e_init EXECUTABLE...: abort unless every EXECUTABLE (usually "$BIN")
# exists; make $TMP, removed on exit together with every process in
# E2E_PIDS.
e2e_init() {
    local x
    for x in "$@"; do
        [ -x "$x" ] || e2e_abort "missing $x (run make test)"
    done
    [ -x "$BIN" ] && BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/bimbing-e2e.XXXXXX")
    trap e2e_cleanup EXIT
}

# Kills only what is still a job of this shell (a pid already waited for
# may belong to another process by now).
e2e_cleanup() {
    local p live
    live=" $(jobs -p | tr '\n' ' ') "
    for p in "${E2E_PIDS[@]}"; do
        [[ $live == *" $p "* ]] && kill -9 "$p" 2>/dev/null
    done
    for p in "${E2E_PIDS[@]}"; do
        [[ $live == *" $p "* ]] && wait "$p" 2>/dev/null
    done
    [ -n "${TMP:-}" ] && rm -rf "$TMP"
    return 0
}

# e2e_track PID: kill this process on exit.
e2e_track() { E2E_PIDS+=("$1"); }

ok() { E2E_PASS=$((E2E_PASS + 1)); echo "ok   $1"; }
bad() {
    E2E_FAIL=$((E2E_FAIL + 1))
    echo "FAIL $1"
    [ $# -gt 1 ] && echo "     got: ${2:0:2000}"
    return 0
}
check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
check_flag() { # check_flag NAME FLAG [GOT]
    if [ "$2" = 1 ]; then ok "$1"; else bad "$1" "${3:-}"; fi
}
has() { # has NAME TEXT NEEDLE...
    local name=$1 text=$2 n
    shift 2
    for n in "$@"; do
        case "$text" in *"$n"*) ;; *) bad "$name (missing $n)" "$text"; return ;; esac
    done
    ok "$name"
}
lacks() { # lacks NAME TEXT NEEDLE
    case "$2" in *"$3"*) bad "$1 (unexpected $3)" "$2" ;; *) ok "$1" ;; esac
}
eq() { # eq NAME GOT WANT
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (want $3)" "$2"; fi
}

equals() { [ "$1" = "$2" ] || { echo "     expected '$2', got '$1'"; return 1; }; }
file_has() { grep -qF -- "$2" "$1" || { echo "     '$2' not in:"; sed 's/^/       /' "$1"; return 1; }; }
file_lacks() {
    ! grep -qF -- "$2" "$1" || { echo "     '$2' unexpectedly in:"; sed 's/^/       /' "$1"; return 1; }
}
isjson() { "$BUILD/tools/jsonq" . <"$1" >/dev/null; }

# e2e_finish: the closing line; status 0 when no check failed.
e2e_finish() {
    echo "$E2E_PASS passed, $E2E_FAIL failed"
    [ "$E2E_FAIL" -eq 0 ]
}
# e2e_exit: the closing line, and exit now.
e2e_exit() {
    e2e_finish
    exit $?
}

# wait_for SECONDS command...: retry every 0.1 s until it succeeds.
wait_for() {
    local limit=$(($1 * ${E2E_TIME_SCALE:-1})) # `make tsan` runs everything ~5x slower
    shift
    local end=$((SECONDS + limit))
    while [ $SECONDS -le $end ]; do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# at_least N command...: true when the command prints a number >= N (for
# wait_for: wait_for 5 at_least 1 count_of_something ARGS).
at_least() {
    local n=$1
    shift
    [ "$("$@")" -ge "$n" ]
}

# A TCP port nobody listens on (checked with bash's /dev/tcp), from
# 20000-31999: below Linux's default ephemeral range (32768-60999), so an
# outgoing connection cannot take it between this check and the bind.
# tests/run.sh runs scripts side by side and gives each running script a
# block of its own (E2E_PORT_LO, E2E_PORT_N), so that two scripts never
# pick the same free port before either has bound it.
free_port() {
    local p lo=${E2E_PORT_LO:-20000} n=${E2E_PORT_N:-12000}
    for _ in $(seq 1 50); do
        p=$((lo + RANDOM % n))
        (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# bg NAME command...: start in the background, log in $TMP/NAME.log, pid
# in $NAME_PID, killed on exit.
bg() {
    local name=$1
    shift
    "$@" >"$TMP/$name.log" 2>&1 &
    local pid=$!
    e2e_track "$pid"
    printf -v "${name}_PID" '%s' "$pid"
}

# start_fake FAKE PORTFILE ARGS...: start a fake platform on a port it picks
# (written to PORTFILE; its output in PORTFILE.out and .err), killed on
# exit; wait up to 5 s for the port. Sets LAST_PID.
start_fake() {
    local fake=$1 pf=$2
    shift 2
    "$fake" --port 0 --port-file "$pf" "$@" >"$pf.out" 2>"$pf.err" &
    LAST_PID=$!
    e2e_track "$LAST_PID"
    wait_for 5 test -s "$pf"
}

# fake_telegram_init: e2e_init for $BIN and the fake Bot API
# (tests/fakes/fake_telegram.c), started on a port it picks. Sets FAKE,
# TOKEN (the bot token the fake accepts), FP (its port), API (its base URL)
# and DB ($TMP/db, not created yet); exits with one failure when the fake
# does not start.
fake_telegram_init() {
    FAKE=$BUILD/fakes/fake_telegram
    e2e_init "$BIN" "$FAKE"
    TOKEN=123456:TEST
    start_fake "$FAKE" "$TMP/fake.port" || { bad "fake server starts"; e2e_exit; }
    FP=$(cat "$TMP/fake.port")
    API=http://127.0.0.1:$FP
    DB=$TMP/db
}

# start_serve [VAR=value...]: `bimbing serve` on $DB with flows/ and a port
# the system picks (output in $TMP/out and $TMP/err), killed on exit. Sets
# SERVER (the pid), PORT and BASE; aborts when it does not start in 5 s.
# With SERVE_CONFIG set (SERVE_CONFIG=FILE start_serve ...), that config.
start_serve() {
    env BIMBING_HTTP_PORT=0 "$@" "$BIN" --db "$DB" ${SERVE_CONFIG:+--config "$SERVE_CONFIG"} --flows flows \
        serve >"$TMP/out" 2>"$TMP/err" &
    SERVER=$!
    e2e_track "$SERVER"
    PORT=
    for _ in $(seq 1 100); do
        PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$TMP/out" 2>/dev/null | head -1 | cut -d: -f2)
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || e2e_abort "serve did not start: $(cat "$TMP/err")"
    BASE=http://127.0.0.1:$PORT
}

# run ARGS...: bimbing on $DB (with --flows $E2E_FLOWS when set) under a
# timeout of $RUN_TIMEOUT (30) seconds; output in $TMP/out and $TMP/err,
# the exit code in rc.
run() {
    timeout "${RUN_TIMEOUT:-30}" "$BIN" --db "$DB" ${E2E_FLOWS:+--flows "$E2E_FLOWS"} "$@" \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# serve_stops: SIGTERM to the service of start_serve; one check that it
# exits 0.
serve_stops() {
    kill "$SERVER"
    wait "$SERVER"
    local rc=$?
    SERVER=
    eq "serve stops cleanly" "$rc" 0
}

# browser_init PREFIX...: for a browser test (tests/e2e/browser*.test.sh).
# Skips the script, saying why in its summary, without Chromium ($CHROMIUM,
# /usr/bin/chromium by default), node, playwright-core or sqlite3; then
# e2e_init, the dashboard's chart library in place, DB ($TMP/db) and OUT
# (the screenshots' folder) without last run's PREFIX*.png (browser
# tests run side by side: each removes only its own).
browser_init() {
    CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
    local why=
    if [ ! -x "$CHROMIUM" ]; then
        why="no Chromium at $CHROMIUM (apt-get install -y chromium)"
    elif ! command -v node >/dev/null; then
        why="node is not installed"
    elif [ ! -d node_modules/playwright-core ]; then
        why="node_modules/playwright-core is missing (run npm ci)"
    elif ! command -v sqlite3 >/dev/null; then
        why="sqlite3 is not installed"
    fi
    if [ -n "$why" ]; then
        echo "skipped: $why"
        echo "0 passed, 0 failed"
        exit 0
    fi
    e2e_init "$BIN"
    if [ ! -f web/admin/vendor/chart.umd.min.js ]; then
        sh web/admin/vendor.sh >/dev/null || e2e_abort "web/admin/vendor.sh failed"
    fi
    DB=$TMP/db
    OUT=$BUILD/test-artifacts/browser
    mkdir -p "$OUT"
    local p
    for p in "$@"; do
        rm -f "$OUT/$p"*.png
    done
}

# browser_run SCRIPT ARGS...: node SCRIPT ARGS... (at most 300 s), its
# output shown and kept in $TMP/node.log; its "N passed, N failed" line is
# added to this script's counts. Aborts when the run did not finish.
browser_run() {
    timeout 300 node "$@" 2>&1 | tee "$TMP/node.log"
    local line f
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/node.log" | tail -1)
    [ -n "$line" ] || e2e_abort "the browser run did not finish"
    f=${line#* passed, }
    E2E_PASS=$((E2E_PASS + ${line%% passed*}))
    E2E_FAIL=$((E2E_FAIL + ${f%% failed*}))
}

# sql STATEMENT: run it on $DB (waiting for the service's write lock).
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }

# consent_all DB [PURPOSE...]: every person in DB has finished onboarding and
# given these consents (default: data health), as if each had said yes in
# the chat: the starting point of tests about what comes after onboarding.
consent_all() {
    local db=$1 p
    shift
    [ $# -gt 0 ] || set -- data health
    for p in "$@"; do
        sqlite3 -cmd '.timeout 5000' "$db" \
            "INSERT INTO consents (person_id, purpose, granted, at) SELECT id, '$p', 1, 0 FROM people"
    done
}

# consent_for DB NIP...: the same (data and health) for these people only.
consent_for() {
    local db=$1 nip
    shift
    for nip in "$@"; do
        sqlite3 -cmd '.timeout 5000' "$db" \
            "INSERT INTO consents (person_id, purpose, granted, at) SELECT id, p.v, 1, 0
             FROM people, (SELECT 'data' AS v UNION ALL SELECT 'health') p WHERE nip = '$nip'"
    done
}

# flows_unscheduled DIR [KEEP...]: copy flows/*.json to DIR without their
# "every" (scheduled) triggers, except the files named KEEP (copied as they
# are), so that only what a test starts runs.
flows_unscheduled() {
    local dir=$1 f
    shift
    mkdir -p "$dir"
    for f in flows/*.json; do
        if [[ " $* " == *" $(basename "$f") "* ]]; then
            cp "$f" "$dir/"
        else
            jq 'if .triggers then .triggers |= map(select(has("every") | not)) else . end' "$f" \
                >"$dir/$(basename "$f")"
        fi
    done
}
