#!/usr/bin/env bash
# tests/e2e/mentoring_number.test.sh - a WhatsApp user's number reaches
# their mentoring partner only with the consent number_share, checked in the
# database: after a refusal at pairing no message body holds the number;
# after "yes" (/mentor number) the partner gets https://wa.me/DIGITS (no plus
# sign) exactly once; every change is audit-logged and in the export; a
# person without WhatsApp is never asked. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
TR=$BUILD/tools/transcript
e2e_init "$BIN" "$TR"
e2e_need_cmd sqlite3
FAJAR=198906062014031010
ANDI=197505052000031005
NUM=6289876543210
DB=$TMP/number.db

# 1. pairing: Fajar (on WhatsApp) refuses; Andi (console only) is never asked
cat >"$TMP/refuse.txt" <<TXT
@consent data
@now 2026-11-02T08:00:00Z
@whatsapp $FAJAR +$NUM
@as $ANDI
> /mentee
< Kamu belum punya mentee. SDM akan mengabari saat kamu dipasangkan.
@as $FAJAR
> /mentee
< You have no mentees yet. This list is for mentors.
@run pair suggest --at 2026-11-02T09:00:00Z
@run pair apply 1 --only $FAJAR --at 2026-11-02T09:00:00Z
> {"clock":"2026-11-02T09:05:00Z"}
TXT
# played with --print (recorded, not compared): the database is checked
"$TR" --bin "$BIN" --db "$DB" --print "$TMP/refuse.txt" >"$TMP/out1" 2>&1
printf '2\n' | timeout 30 "$BIN" --db "$DB" chat --as "$FAJAR" --jsonl \
    --now 2026-11-02T09:06:00Z >"$TMP/chat1" 2>"$TMP/err"
eq "refused: the chat ends cleanly" "$?" 0
check "refused: Fajar was asked at pairing" file_has "$TMP/out1" "May I share your WhatsApp number"
FID=$(sql "SELECT id FROM people WHERE nip = '$FAJAR'")
AID=$(sql "SELECT id FROM people WHERE nip = '$ANDI'")
eq "refused: the refusal is recorded" \
    "$(sql "SELECT granted FROM consents WHERE person_id = $FID AND purpose = 'number_share' ORDER BY id DESC LIMIT 1")" 0
eq "refused: and audit-logged" \
    "$(sql "SELECT count(*) FROM audit_log WHERE subject_person = $FID AND action = 'consent.withdraw' AND detail = 'number_share'")" 1
eq "refused: the number is in no message body" \
    "$(sql "SELECT count(*) FROM outbox WHERE body LIKE '%$NUM%'")" 0
eq "refused: Andi's introduction offers /sapa" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $AID AND body LIKE '%/sapa%'")" 1
eq "asked once: one question to Fajar" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $FID AND body LIKE '%May I share your WhatsApp number%'")" 1
eq "not on WhatsApp: Andi is never asked" \
    "$(sql "SELECT (SELECT count(*) FROM timers WHERE person_id = $AID AND payload = 'mentoring.number')
            + (SELECT count(*) FROM outbox WHERE person_id = $AID AND body LIKE '%Bolehkah nomor WhatsApp%')")" 0

# 2. /mentor number, yes: Andi gets the wa.me link once, without a plus
printf '/mentor number\n1\n' | timeout 30 "$BIN" --db "$DB" chat --as "$FAJAR" --jsonl \
    --now 2026-11-02T10:00:00Z >"$TMP/chat2" 2>"$TMP/err"
eq "given: the chat ends cleanly" "$?" 0
eq "given: the consent is recorded" \
    "$(sql "SELECT granted FROM consents WHERE person_id = $FID AND purpose = 'number_share' ORDER BY id DESC LIMIT 1")" 1
eq "given: audit-logged" \
    "$(sql "SELECT count(*) FROM audit_log WHERE subject_person = $FID AND action = 'consent.grant' AND detail = 'number_share'")" 1
eq "given: Andi gets https://wa.me/$NUM once" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id = $AID AND body LIKE '%https://wa.me/$NUM%'")" 1
eq "given: the number goes to nobody else" \
    "$(sql "SELECT count(*) FROM outbox WHERE person_id <> $AID AND body LIKE '%$NUM%'")" 0
eq "given: never with a plus sign" "$(sql "SELECT count(*) FROM outbox WHERE body LIKE '%+$NUM%'")" 0
run export "$FAJAR"
check "export: the consent is part of it" file_has "$TMP/out" '"number_share"'

# 3. withdrawn: a later introduction (HR pairs Fajar again) has no number
printf '/mentor number\n1\n' | timeout 30 "$BIN" --db "$DB" chat --as "$FAJAR" --jsonl \
    --now 2026-11-02T11:00:00Z >"$TMP/chat3" 2>"$TMP/err"
eq "withdrawn: recorded" \
    "$(sql "SELECT granted FROM consents WHERE person_id = $FID AND purpose = 'number_share' ORDER BY id DESC LIMIT 1")" 0
eq "withdrawn: still only the one link sent while it was given" \
    "$(sql "SELECT count(*) FROM outbox WHERE body LIKE '%$NUM%'")" 1

e2e_finish
