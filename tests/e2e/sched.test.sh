#!/usr/bin/env bash
# tests/e2e/sched.test.sh - the scheduler through the command line, with a
# pinned clock: people onboarded in WIB, WITA and WIT get the weekly
# check-in planned at Friday 16:00 their time; those without consent or
# without any chat get nothing; `bimbing tick --at` after three missed
# Fridays starts it once and plans the next from then; a second tick at the
# same time fires nothing. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BIMBING_BUILD:-build}
BIN=${BIMBING_BIN:-$BUILD/bin/bimbing}
AYU=198501012010011001   # WIB, Indonesian
DEWI=199107072017012009  # WITA
FAJAR=198906062014031010 # WIT, English
RIZKY=199304042019032008 # WIB, says no to consent
PUTRI=199512122020122011 # never chats

passed=0
failed=0
T=$(mktemp -d "${TMPDIR:-/tmp}/bimbing-sched.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/s.db

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
has() { grep -qF -- "$2" "$1" || { echo "     '$2' not in:"; sed 's/^/       /' "$1"; return 1; }; }
count() { grep -oF -- "$2" "$1" | wc -l | tr -d ' '; }
eq() { [ "$1" = "$2" ] || { echo "     expected '$2', got '$1'"; return 1; }; }
# The shipped flows with one schedule left (the weekly check-in's), so the
# counts below do not move when another flow gains a schedule.
mkdir -p "$T/flows"
for f in flows/*.json; do
    case $f in
    flows/checkin.weekly.json) cp "$f" "$T/flows/" ;;
    *) jq 'if .triggers then .triggers |= map(select(has("every") | not)) else . end' "$f" \
        >"$T/flows/$(basename "$f")" ;;
    esac
done
export BIMBING_FLOWS=$T/flows
run() { timeout 60 "$BIN" --db "$DB" --flows "$T/flows" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# chat NIP TIME LINES...: one chat session, one input line per argument
chat() {
    local nip=$1 now=$2; shift 2
    printf '%s\n' "$@" | timeout 60 "$BIN" --db "$DB" --flows "$T/flows" chat --as "$nip" --jsonl --now "$now" >"$T/chat" 2>"$T/err"
}

if [ ! -x "$BIN" ]; then echo "missing $BIN (run make)"; echo "0 passed, 1 failed"; exit 1; fi

run people import config/demo-people.csv
check "import" eq "$rc" 0
run people import /dev/stdin <<EOF
nip,name,unit,role,timezone
$DEWI,Dewi Anggraini,Bappeda,employee,Asia/Makassar
$FAJAR,Fajar Nugroho,Inspektorat,employee,Asia/Jayapura
EOF
check "zones set" eq "$rc" 0

# Onboarding: language, consent (1 agree / 2 don't), mentor sharing.
D0=2026-11-22T03:00:00Z
chat "$AYU" "$D0" /mulai 1 1 2
check "Ayu onboarded" has "$T/chat" "Terima kasih, Ayu"
chat "$DEWI" "$D0" /mulai 1 1 2
check "Dewi onboarded" has "$T/chat" "Terima kasih, Dewi"
chat "$FAJAR" "$D0" /mulai 2 1 2
check "Fajar onboarded" has "$T/chat" "Thank you, Fajar"
chat "$RIZKY" "$D0" /mulai 1 2
check "Rizky said no" eq "$(grep -c 'Terima kasih, Rizky' "$T/chat")" 0

run tick --at 2026-11-23T00:00:00Z
check "first tick: exit 0" eq "$rc" 0
check "first tick: 3 planned" has "$T/out" "0 timer(s) fired, 0 event(s) processed, 3 scheduled"
run sched show "$AYU"
check "WIB: Friday 16:00 = 09:00 UTC" has "$T/out" "checkin.weekly	2026-11-27T09:00:00Z	Fri 2026-11-27 16:00"
run sched show "$DEWI"
check "WITA: Friday 16:00 = 08:00 UTC" has "$T/out" "checkin.weekly	2026-11-27T08:00:00Z	Fri 2026-11-27 16:00"
run sched show "$FAJAR"
check "WIT: Friday 16:00 = 07:00 UTC" has "$T/out" "checkin.weekly	2026-11-27T07:00:00Z	Fri 2026-11-27 16:00"
run sched show "$RIZKY"
check "no consent: nothing planned" has "$T/out" "nothing planned"
run sched show "$PUTRI"
check "no identity: nothing planned" has "$T/out" "nothing planned"
run tick --at 2026-11-23T00:10:00Z
check "second tick: nothing new" has "$T/out" "0 timer(s) fired, 0 event(s) processed, 0 scheduled"

# Down from Monday 23 November to Tuesday 15 December: three Fridays missed.
run tick --at 2026-12-15T03:00:00Z
check "back up: each check-in starts once" has "$T/out" "3 timer(s) fired, 3 event(s) processed"
run tick --at 2026-12-15T03:00:00Z
check "same time again: nothing fires" has "$T/out" "0 timer(s) fired"
run sched show "$FAJAR"
check "next from now, not from the missed one" has "$T/out" "2026-12-18T07:00:00Z	Fri 2026-12-18 16:00"
chat "$FAJAR" 2026-12-15T03:01:00Z '{"sync":true}'
check "Fajar gets the check-in once" eq "$(count "$T/chat" 'How was your week?')" 1
chat "$AYU" 2026-12-15T03:01:00Z '{"sync":true}'
check "Ayu gets it in Indonesian, once" eq "$(count "$T/chat" 'Bagaimana minggumu?')" 1
run sched status --at 2026-12-15T03:02:00Z
check "status: 3 plans, none overdue" has "$T/out" "plans: 3
pending: 3
overdue: 0
queued: 0"

# Consent withdrawn (as the core records it): the plan goes.
sqlite3 "$DB" "INSERT INTO consents(person_id, purpose, granted, at) SELECT id, 'data', 0, 0 FROM people WHERE nip = '$DEWI'" 2>/dev/null ||
    echo "     (sqlite3 CLI missing)"
run tick --at 2026-12-15T03:05:00Z
run sched show "$DEWI"
check "consent withdrawn: nothing planned" has "$T/out" "nothing planned"

run sched bogus
check "bad subcommand: usage, exit 2" eq "$rc" 2
run sched plan --at yesterday
check "bad time: exit 2" eq "$rc" 2
run sched plan --full --at 2026-12-15T03:06:00Z
check "sched plan --full: nothing to change" has "$T/out" "0 timer(s) planned, moved or removed"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
