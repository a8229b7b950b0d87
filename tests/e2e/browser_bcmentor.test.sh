#!/usr/bin/env bash
# tests/e2e/browser_bcmentor.test.sh - broadcasts and mentoring on the HR
# dashboard in a real, headless Chromium (issue 13, items 5 and 6), in
# Indonesian, on a desktop and a 390x844 phone: a broadcast composed in
# both languages, previewed, scheduled, followed on its page and cancelled;
# a suggested pair rejected with a reason, one approved and ended with a
# reason shared; a mentor's capacity saved; the programme figures.
# Screenshots: build/test-artifacts/browser/bcmentor-*.png. Skips like
# tests/e2e/browser.test.sh when Chromium or playwright-core is missing.
. "$(dirname "$0")/lib.sh"
browser_init bcmentor-
TOKEN=browser-bcm-token-$RANDOM$RANDOM
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import failed"
now=$(date +%s)
# Ayu (id), Budi (en) and Siti (hr) have a chat on a channel serve does not
# send on, so a broadcast to them stays queued (scheduled, then cancelled).
for p in "$AYU:a" "$BUDI:b" "$HR:h"; do
    sqlite3 "$DB" "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
        SELECT 'test', '${p#*:}', id, $now, $now FROM people WHERE nip = '${p%%:*}'"
done
start_serve BIMBING_ADMIN_TOKEN=$TOKEN
browser_run tests/e2e/browser_bcmentor.mjs "$BASE" "$TOKEN" "$OUT"
e2e_finish
