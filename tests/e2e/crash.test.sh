#!/usr/bin/env bash
# tests/e2e/crash.test.sh - kill -9 the console chat and check that nothing
# is lost and nothing is done twice.
#
#  1. a check-in interrupted after two answers (the transcript
#     tests/transcripts/crash-resume.id.txt, which restarts with kill -9 in
#     the middle): the person continues at the same question, and the
#     recorded check-in holds the answers given before the crash;
#  2. 20 check-ins, each fed at once and killed after a random short delay,
#     then one clean check-in: every check-in is recorded at most once, and
#     exactly once when its "Saved" reply was seen; no recorded check-in
#     mixes answers of two conversations; no event is left unprocessed; one
#     "Saved" reply per recorded check-in.
#
# Everything happens in a temporary directory, removed at the end. Prints
# "N passed, N failed".
. "$(dirname "$0")/lib.sh"
TR=$BUILD/tools/transcript
JQ=$BUILD/tools/jsonq
e2e_init "$BIN" "$TR" "$JQ"
NOW=2026-11-27T09:00:00Z
ROUNDS=${CRASH_ROUNDS:-20}
chat_pid=

# ---- 1. the same question after a crash, answers kept ---------------------
if "$TR" --bin "$BIN" --db "$TMP/a.db" tests/transcripts/crash-resume.id.txt >"$TMP/tr.out" 2>&1; then
    ok "crash-resume transcript (continues at the same question)"
else
    bad "crash-resume transcript"; cat "$TMP/tr.out"
fi
"$BIN" --db "$TMP/a.db" export "$AYU" >"$TMP/a.json" 2>"$TMP/err"
q() { "$JQ" "$1" <"$TMP/a.json"; }
check "export after the crash is JSON" isjson "$TMP/a.json"
check "exactly one check-in recorded" equals "$(q checkins.#)" 1
check "mood given before the crash kept" equals "$(q checkins.0.mood)" 2
check "the care answer given before the crash kept" equals "$(q checkins.0.extra.hard)" "Rapat koordinasi melelahkan"
check "the win given after the restart" equals "$(q checkins.0.win)" "Laporan triwulan selesai"
check "the blocker" equals "$(q checkins.0.blocker)" "Server sering mati"
check "help not asked: no mentor and no HR officer to pass it to" equals "$(q checkins.0.wants_help)" -1
check "no session left open" equals "$(q sessions.0.state.stack.#)" 0

# ---- 2. kill -9 at random moments -------------------------------------------
"$BIN" --db "$TMP/b.db" people import config/demo-people.csv >/dev/null 2>&1
consent_all "$TMP/b.db" # Budi is onboarded, with consent: his check-ins are stored
mkfifo "$TMP/in"
seen=0 ncompleted=0
declare -a completed
for ((i = 0; i < ROUNDS; i++)); do
    "$BIN" --db "$TMP/b.db" chat --as "$BUDI" --jsonl --now "$NOW" <"$TMP/in" >"$TMP/out.$i" 2>>"$TMP/chat.err" &
    chat_pid=$!
    e2e_track "$chat_pid"
    exec 3>"$TMP/in"
    # /batal first: a check-in a kill left half done is dropped, not carried
    # on (the check-in's own command carries on a half-done one)
    printf '/batal\n/checkin\n4\nwin-%d\nyes\nblocker-%d\n' "$i" "$i" >&3
    sleep "$(printf '0.%03d' $((RANDOM % 80)))"
    kill -9 "$chat_pid" 2>/dev/null
    wait "$chat_pid" 2>/dev/null
    chat_pid=
    exec 3>&-
    completed[i]=0
    if sed -n 6p "$TMP/out.$i" | grep -q 'check-in is recorded'; then completed[i]=1; ncompleted=$((ncompleted + 1)); fi
    seen=$((seen + $(grep -o 'check-in is recorded' "$TMP/out.$i" | wc -l)))
done
# one clean conversation at the end, which also drains what was left
printf '/batal\n/checkin\n4\nwin-final\nyes\nblocker-final\n' |
    timeout 30 "$BIN" --db "$TMP/b.db" chat --as "$BUDI" --jsonl --now "$NOW" >"$TMP/out.final" 2>>"$TMP/chat.err"
check "a clean check-in after $ROUNDS crashes exits 0" equals "$?" 0
seen=$((seen + $(grep -o 'check-in is recorded' "$TMP/out.final" | wc -l)))
check "the clean check-in completes" equals "$(tail -n 1 "$TMP/out.final" | grep -c 'check-in is recorded')" 1

"$BIN" --db "$TMP/b.db" export "$BUDI" >"$TMP/b.json" 2>"$TMP/err"
check "export after the crashes is JSON" isjson "$TMP/b.json"
total=$("$JQ" checkins.# <"$TMP/b.json")
"$JQ" 'checkins.*.win' <"$TMP/b.json" >"$TMP/wins" || true
"$JQ" 'checkins.*.blocker' <"$TMP/b.json" >"$TMP/blockers" || true
"$JQ" 'checkins.*.mood' <"$TMP/b.json" >"$TMP/moods" || true

dups=0 missing=0 recorded=0
for ((i = 0; i < ROUNDS; i++)); do
    c=$(grep -cx "win-$i" "$TMP/wins")
    recorded=$((recorded + c))
    [ "$c" -le 1 ] || { dups=$((dups + 1)); echo "     win-$i recorded $c times"; }
    if [ "${completed[i]}" = 1 ] && [ "$c" -ne 1 ]; then
        missing=$((missing + 1)); echo "     round $i said Saved but has $c check-ins"
    fi
done
check "no check-in recorded twice" equals "$dups" 0
check "every check-in that said Saved is recorded" equals "$missing" 0
check "the clean check-in recorded once" equals "$(grep -cx win-final "$TMP/wins")" 1
check "no other check-ins" equals "$total" "$((recorded + 1))"
mixed=$(paste -d' ' "$TMP/wins" "$TMP/blockers" | awk '{ w = $1; b = $2; sub(/^win-/, "", w); sub(/^blocker-/, "", b); if (w != b) n++ } END { print n + 0 }')
check "no check-in mixes two conversations" equals "$mixed" 0
check "every mood is the one given" equals "$(grep -cvx 4 "$TMP/moods")" 0
check "no inbox event left unprocessed" equals "$("$JQ" 'inbox.*.processed_at' <"$TMP/b.json" | grep -c null)" 0
saved_out=$("$JQ" 'outbox.*.body.text' <"$TMP/b.json" | grep -c 'check-in is recorded')
check "one Saved reply queued per recorded check-in" equals "$saved_out" "$total"
# Not asserted (a known gap of the console channel, see the report of the
# branch that added this test): a reply claimed or marked sent when the kill
# came is never printed, so "printed" may be below "recorded".
echo "     ($ROUNDS rounds: $((recorded)) check-ins recorded before the clean one; $ncompleted seen completing; $seen of $total Saved replies printed)"

e2e_finish
