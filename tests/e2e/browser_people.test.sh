#!/usr/bin/env bash
# tests/e2e/browser_people.test.sh - the dashboard's people view in a real,
# headless Chromium (tests/e2e/browser_people.mjs), in Indonesian, on a
# desktop and a 390x844 phone: search and filters over 120+ people with
# paging, a person's page (channels, consents, mentor, activity without a
# message body), a role change, the export download, deactivation, an
# erasure refused for a wrong typed text and done for the NIP, and an
# import whose bad rows are listed by line and column in Indonesian.
# Screenshots: build/test-artifacts/browser/people-*.png.
#
# Needs Debian's chromium and node_modules/playwright-core, like
# browser.test.sh; without them it prints a note and "0 passed, 0 failed".
. "$(dirname "$0")/lib.sh"
browser_init people-
TOKEN=browser-people-token-$RANDOM$RANDOM
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import failed"
{
    echo "nip,name,unit,role"
    for i in $(seq 1 120); do printf '199101012016011%03d,Pegawai Contoh %03d,Bappeda,employee\n' "$i" "$i"; done
} >"$TMP/more.csv"
"$BIN" --db "$DB" people import "$TMP/more.csv" >/dev/null || e2e_abort "import failed"
"$BIN" --db "$DB" invite $BUDI >/dev/null 2>&1 || e2e_abort "invite failed"
now=$(date +%s)
AYU_ID=$(sql "SELECT id FROM people WHERE nip = '$AYU'")
ANDI_ID=$(sql "SELECT id FROM people WHERE nip = '$ANDI'")
sql "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
       VALUES('telegram', '4242', $AYU_ID, $now - 86400, $now - 60);
     INSERT INTO consents(person_id, purpose, granted, at) VALUES($AYU_ID, 'data', 1, $now - 86000),
       ($AYU_ID, 'mentor_share', 1, $now - 86000), ($AYU_ID, 'health', 0, $now - 86000);
     INSERT INTO inbox(channel, ext_user, ext_msg_id, person_id, kind, text, payload, ts, processed_at)
       VALUES('telegram', '4242', 'm1', 0, 1, 'pesan yang sangat pribadi', '', $now - 120, $now - 120);
     INSERT INTO checkins(person_id, at, mood, win) VALUES($AYU_ID, $now - 100, 4, 'rahasia kecil');
     INSERT INTO pairings(mentee_id, mentor_id, status, started_at) VALUES($AYU_ID, $ANDI_ID, 'active', $now - 3600);"

start_serve BIMBING_ADMIN_TOKEN=$TOKEN
browser_run tests/e2e/browser_people.mjs "$BASE" "$TOKEN" "$OUT" "$AYU" "$BUDI"
# the database after the journey
eq "Ayu is erased" "$(sql "SELECT count(*) FROM people WHERE nip = '$AYU'")" 0
eq "the erasure is in the audit log by the operator" \
    "$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.erase' AND actor = 'operator'")" 1
eq "Budi is deactivated, without his invite" \
    "$(sql "SELECT deactivated_at > 0 FROM people WHERE nip = '$BUDI'") $(sql "SELECT count(*) FROM invites i JOIN people p ON p.id = i.person_id WHERE p.nip = '$BUDI'")" "1 0"
eq "the bad import changed nothing" "$(sql "SELECT count(*) FROM people WHERE name LIKE 'Salah%'")" 0
eq "Ayu's mentor is Andi no more" "$(sql "SELECT count(*) FROM pairings WHERE status = 'active'")" 0
serve_stops
e2e_finish
