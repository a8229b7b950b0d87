#!/usr/bin/env bash
# tests/e2e/consent.test.sh - consent enforced by the core, checked in the
# database: after "no" in onboarding, /checkin and /sejahtera (and answers
# typed after them) store nothing and nothing is planned; withdrawing from
# /privasi with "erase" deletes that category's rows and with "keep" keeps
# them, every change in the audit log; a scheduled flow whose consent is
# missing is not started and sends nothing, while the same schedule runs
# for a person who consented. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
TR=$BUILD/tools/transcript
e2e_init "$BIN" "$TR"
e2e_need_cmd sqlite3
NOW=2026-11-27T09:00:00Z
q() { sqlite3 -cmd '.timeout 5000' "$1" "$2"; }
pid_of() { q "$1" "SELECT id FROM people WHERE nip = '$2'"; }

# ---- 1. "no" in onboarding, then /checkin and /sejahtera with answers typed -------
DB=$TMP/refused.db
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null 2>&1
printf '/mulai\n1\n2\n/checkin\n4\nLaporan selesai\nTidak ada\ntidak\n/sejahtera\n3\n3\n3\n3\n3\n' |
    timeout 30 "$BIN" --db "$DB" chat --as "$AYU" --jsonl --now "$NOW" >"$TMP/chat" 2>"$TMP/err"
eq "refused: the chat ends cleanly" "$?" 0
AYU_ID=$(pid_of "$DB" "$AYU")
eq "refused: the refusal is recorded" \
    "$(q "$DB" "SELECT granted FROM consents WHERE person_id = $AYU_ID AND purpose = 'data'")" 0
eq "refused: no check-in stored" "$(q "$DB" "SELECT count(*) FROM checkins")" 0
eq "refused: no wellbeing answers stored" "$(q "$DB" "SELECT count(*) FROM wellbeing")" 0
eq "refused: no conversation left open" \
    "$(q "$DB" "SELECT count(*) FROM sessions WHERE person_id = $AYU_ID AND flow_id <> ''")" 0
check "refused: /checkin says why" file_has "$TMP/chat" "belum memberi (atau sudah menarik) persetujuan"
check "refused: /sejahtera says why (its own consent)" file_has "$TMP/chat" "perlu persetujuan tersendiri"
check "refused: the answers typed after it were not taken as answers" \
    file_lacks "$TMP/chat" "Satu hal yang berhasil"
run sched plan --at "$NOW"
run sched show "$AYU"
check "refused: no weekly check-in planned" file_has "$TMP/out" "nothing planned"
eq "refused: the refusal is audit-logged" \
    "$(q "$DB" "SELECT count(*) FROM audit_log WHERE subject_person = $AYU_ID AND action = 'consent.withdraw' AND detail = 'data'")" 1

# ---- 2. withdraw from /privasi: erase (data) and keep (health) ---------------------
DB=$TMP/withdraw.db
if "$TR" --bin "$BIN" --db "$DB" tests/transcripts/privacy-withdraw.id.txt >"$TMP/tr.out" 2>&1; then
    ok "withdraw transcript"
else
    bad "withdraw transcript"; sed 's/^/     /' "$TMP/tr.out"
fi
AYU_ID=$(pid_of "$DB" "$AYU")
eq "withdraw + erase: the check-in is gone" "$(q "$DB" "SELECT count(*) FROM checkins")" 0
eq "withdraw + keep: the wellbeing check stays" "$(q "$DB" "SELECT count(*) FROM wellbeing")" 1
eq "both withdrawals recorded (newest row per purpose)" \
    "$(q "$DB" "SELECT group_concat(purpose || '=' || granted, ' ') FROM (SELECT purpose, granted FROM consents c WHERE person_id = $AYU_ID AND purpose IN ('data','health') AND id = (SELECT max(id) FROM consents WHERE person_id = c.person_id AND purpose = c.purpose) ORDER BY purpose)")" \
    "data=0 health=0"
eq "the erasure is audit-logged with its size" \
    "$(q "$DB" "SELECT detail FROM audit_log WHERE subject_person = $AYU_ID AND action = 'consent.erase'")" "data: 1 rows"
eq "each withdrawal is audit-logged" \
    "$(q "$DB" "SELECT count(*) FROM audit_log WHERE subject_person = $AYU_ID AND action = 'consent.withdraw' AND detail IN ('data', 'health')")" 2
eq "no erasure for the consent kept" \
    "$(q "$DB" "SELECT count(*) FROM audit_log WHERE action = 'consent.erase' AND detail LIKE 'health%'")" 0

# ---- 3. a schedule without consent starts nothing, with consent it runs -------------
# Ayu: coaching data but no health consent; Budi: both. The monthly
# wellbeing check is due on the 1st at 09:00 in their zone (WIB).
DB=$TMP/sched.db
flows_unscheduled "$TMP/flows" wellbeing.monthly.json
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null 2>&1
consent_for "$DB" "$BUDI"
q "$DB" "INSERT INTO consents (person_id, purpose, granted, at) SELECT id, 'data', 1, 0 FROM people WHERE nip = '$AYU'"
for nip in "$AYU" "$BUDI"; do # each has a chat (the console) to be reached on
    echo | "$BIN" --db "$DB" --flows "$TMP/flows" chat --as "$nip" --jsonl --now "$NOW" >/dev/null 2>&1
done
E2E_FLOWS=$TMP/flows
run tick --at 2026-11-28T00:00:00Z
run tick --at 2026-12-01T02:00:01Z
eq "schedule: the tick runs" "$rc" 0
AYU_ID=$(pid_of "$DB" "$AYU")
BUDI_ID=$(pid_of "$DB" "$BUDI")
eq "schedule with consent: Budi's wellbeing check started" \
    "$(q "$DB" "SELECT count(*) FROM sessions WHERE person_id = $BUDI_ID AND flow_id = 'wellbeing.monthly'")" 1
eq "schedule without health consent: Ayu's was not started" \
    "$(q "$DB" "SELECT count(*) FROM sessions WHERE person_id = $AYU_ID AND flow_id = 'wellbeing.monthly'")" 0
eq "schedule without health consent: no message to Ayu" \
    "$(q "$DB" "SELECT count(*) FROM outbox WHERE person_id = $AYU_ID AND body LIKE '%kesejahteraan%'")" 0

e2e_finish
