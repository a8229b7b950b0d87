#!/usr/bin/env bash
# survey.test.sh - pulse surveys and broadcasts through the CLI and the
# console chat: the survey transcripts (tests/transcripts/survey/, each
# played after `survey send`), answers stored anonymously with the session
# variables emptied, one reminder that reaches only non-responders, closing
# (people inside the survey get a note and lose the session, participation
# becomes counts, pending answers are released), the report's arithmetic,
# its steps while a wave is open and its k rule (a unit under k answers is
# left out of every figure), roles and audit, and broadcast status.
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN" "$BUILD/tools/transcript"

T0=2026-11-27T09:00:00Z
SITI=$HR
q() { sqlite3 "$1" "$2"; }
# play one transcript on a prepared database; its output only on failure
play() {
    "$BUILD/tools/transcript" --bin "$BIN" --db "$1" "$2" >"$TMP/tr.log" 2>&1 && return 0
    sed 's/^/    /' "$TMP/tr.log"
    return 1
}

# ---- transcripts of every survey flow, both languages ------------------------------
for f in tests/transcripts/survey/*.txt; do
    base=$(basename "$f" .txt)
    flow=survey.${base%.*}
    nip=$AYU
    case $base in *.en) nip=$BUDI ;; esac
    db=$TMP/tr-$base.db
    "$BIN" --db "$db" people import config/demo-people.csv >/dev/null
    consent_all "$db" # onboarded: a survey starts only for people who finished onboarding
    echo | "$BIN" --db "$db" chat --as $nip --jsonl --now 2026-11-27T08:59:00Z >/dev/null
    "$BIN" --db "$db" survey send "$flow" --to all --at $T0 >/dev/null
    check "transcript $base" play "$db" "$f"
    # one response: pending until k of its unit answered or the wave closes
    answers=$(q "$db" "select (select count(distinct response) from survey_answers) + (select count(distinct pending) from survey_pending)")
    if [ "$base" = experience.en ]; then
        check "$base: a cancelled survey stores nothing" [ "$answers" = 0 ]
    else
        check "$base: one anonymous response stored" [ "$answers" = 1 ]
        check "$base: the session keeps no answers" \
            [ "$(q "$db" "select count(*) from sessions s, json_each(s.state, '\$.vars') v where v.value is not null")" = 0 ]
    fi
done

# ---- a wave for everyone, seven answers, k = 3 -------------------------------------
DB=$TMP/wave.db
CFG=$TMP/k3.json
# Working time off: this walk pins the reminder and the close to a Saturday
# and a Monday afternoon; the shift into working time is tested by
# tests/e2e/survey_waves.test.sh.
echo '{"anonymity_k": 3, "work": false}' >"$CFG"
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null
consent_all "$DB"
ALL=$(cut -d, -f1 config/demo-people.csv | tail -n +2)
for nip in $ALL; do echo | "$BIN" --db "$DB" chat --as "$nip" --jsonl --now 2026-11-27T08:00:00Z >/dev/null; done
out=$("$BIN" --db "$DB" --config "$CFG" survey send survey.enps --to all --at $T0 --remind-after 1d --close-after 3d)
check "survey send invites everyone with a chat" grep -q "wave 1: 12 invited" <<<"$out"
check "the send is audit-logged (actor cli)" \
    [ "$(q "$DB" "select count(*) from audit_log where actor='cli' and action='survey.send'")" = 1 ]
code=0; "$BIN" --db "$DB" survey send survey.enps --to role=boss >/dev/null 2>&1 || code=$?
check "a bad segment is refused (exit 2)" [ "$code" = 2 ]
code=0; err=$("$BIN" --db "$DB" survey send survey.enps --to "unit=biro sdmm" 2>&1 >/dev/null) || code=$?
check "a misspelt unit is refused (exit 2)" [ "$code" = 2 ]
check "...with \"did you mean\" and the known units" grep -qF \
    "no unit 'biro sdmm'; did you mean 'Biro SDM'? known units: Bappeda, Biro SDM, Dinas Kominfo, Inspektorat; nothing was queued" <<<"$err"
code=0; err=$("$BIN" --db "$DB" broadcast --to "unit=Nowhere" --text "Halo" 2>&1 >/dev/null) || code=$?
check "a broadcast to an unknown unit is refused (exit 2)" [ "$code" = 2 ]
check "...the known units named" grep -qF "no unit 'Nowhere'; known units: Bappeda" <<<"$err"
code=0; err=$("$BIN" --db "$DB" broadcast --to "role=mentr" --text "Halo" 2>&1 >/dev/null) || code=$?
check "a misspelt role is refused (exit 2)" [ "$code" = 2 ]
check "...with the nearest role" grep -qF "did you mean 'mentor'?" <<<"$err"
check "...and no broadcast was queued" [ "$(q "$DB" "select count(*) from broadcasts")" = 0 ]
code=0; "$BIN" --db "$DB" survey send checkin.weekly --to all >/dev/null 2>&1 || code=$?
check "a flow that is not a survey is refused" [ "$code" = 1 ]
check "...and nothing was added" [ "$(q "$DB" "select count(*) from survey_waves")" = 1 ]

answer() { # answer NIP SCORE
    printf '{"tick":true}\n%s\nalasan\n' "$2" |
        "$BIN" --db "$DB" --config "$CFG" chat --as "$1" --jsonl --now 2026-11-27T09:10:00Z >/dev/null
}
# Biro SDM: Ayu 10, Siti 9, Putri 9; Dinas Kominfo: Budi 8, Andi 7, Rizky 3; Bappeda: Made 0
answer $AYU 10; answer $SITI 9; answer 199512122020122011 9
answer $BUDI 8; answer 197505052000031005 7; answer 199304042019031008 3
answer 198208082008011006 0
# Dewi opens the survey but does not answer; the others never open it.
echo '{"tick":true}' | "$BIN" --db "$DB" chat --as 199107072017012009 --jsonl --now 2026-11-27T09:10:00Z >/dev/null
check "seven answered" [ "$(q "$DB" "select sum(answered) from survey_invitations")" = 7 ]
check "right after the answers (no tick), no inbox row holds a typed answer or a press" \
    [ "$(q "$DB" "select count(*) from inbox where text in ('alasan', '10', '9', '8', '7', '3', '0') or payload like 'q%'")" = 0 ]
check "...no outbox row echoes one" \
    [ "$(q "$DB" "select count(*) from outbox where json_extract(body, '\$.text') = 'alasan' or json_extract(body, '\$.answered') is not null and json_extract(body, '\$.text') <> ''")" = 0 ]
check "...and no answer time is kept" \
    [ "$(q "$DB" "select count(*) from survey_invitations where answered_at <> 0")" = 0 ]
check "the answers carry no person id and no time" \
    [ "$(q "$DB" "select count(*) from pragma_table_info('survey_answers') where name like '%person%' or name like '%at' or name like '%time%' or name = 'ts'")" = 0 ]

# ---- the reminder: only to non-responders -----------------------------------------
"$BIN" --db "$DB" --config "$CFG" tick --at 2026-11-28T10:00:00Z >/dev/null
reminded=$(q "$DB" "select group_concat(p.nip) from (select distinct person_id from outbox where batch_id = -1) o join people p on p.id = o.person_id")
check "reminders went out once the time came" [ -n "$reminded" ]
check "...to the five non-responders only" [ "$(q "$DB" "select count(distinct person_id) from outbox where batch_id = -1")" = 5 ]
for nip in $AYU $SITI $BUDI 198208082008011006; do
    check "...not to $nip, who answered" bash -c "! grep -q $nip <<<'$reminded'"
done
check "Dewi, inside the survey, is reminded to answer the open question" \
    [ "$(q "$DB" "select count(*) from outbox o join people p on p.id=o.person_id where p.nip='199107072017012009' and o.batch_id=-1 and o.body like '%lihat pertanyaan di atas%'")" = 1 ]
"$BIN" --db "$DB" --config "$CFG" tick --at 2026-11-28T11:00:00Z >/dev/null
check "one reminder only" [ "$(q "$DB" "select count(*) from outbox where batch_id = -1 and body like '%Pengingat%' or batch_id = -1 and body like '%Reminder%'")" = 5 ]

# ---- the report of the open wave ------------------------------------------------------
# k = 3. Released: Biro SDM (3 answers) and Dinas Kominfo (3), one step each;
# Made's one answer (Bappeda) waits for two more of his unit or the closing.
# An open wave shows each unit's released steps but the latest: nothing yet.
rep=$("$BIN" --db "$DB" --config "$CFG" survey report survey.enps --by unit)
check "an open wave shows no answer before a unit's second step" \
    bash -c "grep -q 'invited 12, answered 0, response rate 0.0%' <<<'$rep' && grep -q 'all: hidden' <<<'$rep'"
check "...and says it moves in steps" grep -q "open: answers count in steps of 3 per unit" <<<"$rep"
check "...the CSV too" grep -q '^1,"all","answered","0"$' <<<"$("$BIN" --db "$DB" --config "$CFG" survey report survey.enps --csv)"
check "six answers released, one pending" \
    [ "$(q "$DB" "select count(distinct response) || '/' || (select count(distinct pending) from survey_pending) from survey_answers")" = 6/1 ]
code=0; "$BIN" --db "$DB" survey report survey.enps --as $AYU >/dev/null 2>&1 || code=$?
check "an employee may not read reports" [ "$code" = 1 ]
"$BIN" --db "$DB" survey report survey.enps --as $SITI >/dev/null
check "HR may, and it is audit-logged with the NIP" \
    [ "$(q "$DB" "select count(*) from audit_log where actor='$SITI' and action='survey.report'")" = 1 ]

# ---- closing ---------------------------------------------------------------------
"$BIN" --db "$DB" --config "$CFG" tick --at 2026-11-30T10:00:00Z >/dev/null
check "the wave is closed" [ "$(q "$DB" "select closed from survey_waves where id = 1")" = 1 ]
check "Dewi, still inside the survey, got the closing note" \
    [ "$(q "$DB" "select count(*) from outbox o join people p on p.id=o.person_id where p.nip='199107072017012009' and o.body like '%sudah ditutup%'")" = 1 ]
check "...and her session is gone" \
    [ "$(q "$DB" "select count(*) from sessions s join people p on p.id=s.person_id where p.nip='199107072017012009'")" = 0 ]
check "participation is now counts per unit only" \
    [ "$(q "$DB" "select count(*) from survey_invitations")" = 0 ]
check "...that still add up" [ "$(q "$DB" "select sum(invited)||'/'||sum(answered) from survey_wave_units")" = "12/7" ]
check "no survey start timer is left" [ "$(q "$DB" "select count(*) from timers where kind='flow' and payload='survey.enps'")" = 0 ]
check "typed answers are no longer in the inbox" \
    [ "$(q "$DB" "select count(*) from inbox where text = 'alasan'")" = 0 ]
check "closing released the pending answer" [ "$(q "$DB" "select count(*) from survey_pending")" = 0 ]
rep=$("$BIN" --db "$DB" --config "$CFG" survey report survey.enps --by unit)
check "the closed wave counts all 7 answers" grep -q "invited 12, answered 7, response rate 58.3%" <<<"$rep"
# promoters 3 (10, 9, 9), detractors 1 (3) of 6: 50.0% - 16.7% = +33
check "eNPS +33 with the shares (Bappeda left out)" grep -q "eNPS +33 (promoters 50.0%, passives 33.3%, detractors 16.7%)" <<<"$rep"
check "mean and distribution" grep -q "enps         n 6, mean 7.67; 3:1 7:1 8:1 9:2 10:1" <<<"$rep"
check "Bappeda's one answer is left out of every figure, and the report says so" \
    bash -c "grep -q 'Bappeda: hidden (left out: fewer answers' <<<'$rep' && grep -q 'left out: 1 answer(s) from 1 unit(s)' <<<'$rep'"
check "both units of 3 are shown" [ "$(grep -c ": 3 response(s)" <<<"$rep")" = 2 ]
check "comments are listed sorted, for the whole wave only" [ "$(grep -c -- "- why: alasan" <<<"$rep")" = 6 ]
rep5=$("$BIN" --db "$DB" survey report survey.enps --by unit)
check "with k = 5 no unit of 3 is shown" [ "$(grep -c ": 3 response(s)" <<<"$rep5")" = 0 ]
check "...every unit is left out, so the wave is hidden" grep -q "all: hidden" <<<"$rep5"
csv=$("$BIN" --db "$DB" --config "$CFG" survey report survey.enps --csv)
check "CSV report" bash -c "grep -q '^1,\"all\",\"enps\",\"33.3\"\$' <<<'$csv' && grep -q '^1,\"all\",\"left_out\",\"1\"\$' <<<'$csv'"

# ---- a second wave: trend ---------------------------------------------------------
"$BIN" --db "$DB" --config "$CFG" survey send survey.enps --to unit=Biro\ SDM --at 2026-12-01T09:00:00Z >/dev/null
rep=$("$BIN" --db "$DB" --config "$CFG" survey report survey.enps)
check "the trend lists both waves, the small one hidden" \
    bash -c "grep -q 'Trend across waves' <<<'$rep' && grep -qE '^  2 +1 Dec 2026 +0 +0.0% +hidden' <<<'$rep'"

# ---- broadcasts --------------------------------------------------------------------
out=$("$BIN" --db "$DB" broadcast --to role=mentor --text-id "Halo mentor" --text-en "Hello mentors")
check "broadcast queues one message per mentor" grep -q "broadcast 1: 3 message(s) queued" <<<"$out"
check "...in each person's language, at bulk priority" \
    [ "$(q "$DB" "select count(*) from outbox where batch_id = 1 and priority = 1 and body = '{\"text\":\"Halo mentor\"}'")" = 3 ]
st=$("$BIN" --db "$DB" broadcast status 1)
check "broadcast status counts the rows" bash -c "grep -q '^queued 3$' <<<'$st' && grep -q '^sent 0$' <<<'$st'"
code=0; "$BIN" --db "$DB" broadcast --to all --text "x" --as $BUDI >/dev/null 2>&1 || code=$?
check "an employee may not broadcast" [ "$code" = 1 ]
code=0; "$BIN" --db "$DB" broadcast --to all >/dev/null 2>&1 || code=$?
check "a broadcast without text is refused (exit 2)" [ "$code" = 2 ]
check "broadcasts are audit-logged" \
    [ "$(q "$DB" "select count(*) from audit_log where action = 'broadcast.send'")" = 1 ]

e2e_finish
