#!/usr/bin/env bash
# tests/e2e/browser_invites.test.sh - the dashboard's "Undangan" (invites)
# view in headless Chromium, in Indonesian, desktop and a 390x844 phone
# (tests/e2e/browser_invites.mjs): the state of each person, a unit typo
# refused with the segment checker's "did you mean", codes issued for a
# unit, the CSV downloaded, the printable sheet (8 cards a page, a QR code
# each) in print media, filters, re-issue and revoke, and a card's web
# link that fills the web chat's sign-in. Screenshots:
# build/test-artifacts/browser/invites-*.png.
# Skips like tests/e2e/browser.test.sh without Chromium, node or
# playwright-core.
. "$(dirname "$0")/lib.sh"
browser_init invites-

TOKEN=invites-browser-token-$RANDOM$RANDOM
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import failed"
# Budi has a chat and answered onboarding; Andi has a chat only.
now=$(date +%s)
sqlite3 "$DB" "INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
    SELECT 'telegram', '555', id, $now, $now FROM people WHERE nip = '$BUDI';
    INSERT INTO identities(channel, ext_id, person_id, linked_at, last_seen)
    SELECT 'telegram', '556', id, $now, $now FROM people WHERE nip = '$ANDI';
    INSERT INTO consents(person_id, purpose, granted, at)
    SELECT id, 'data', 1, $now FROM people WHERE nip = '$BUDI';
    INSERT INTO consents(person_id, purpose, granted, at)
    SELECT id, 'health', 1, $now FROM people WHERE nip = '$BUDI';"

# The links a real deployment prints: a public web chat address and the
# bot's Telegram username (no token: Telegram itself stays off).
cat >"$TMP/bimbing.json" <<'JSON'
{"http": {"public_url": "https://bimbing.contoh.go.id"}, "telegram": {"username": "bimbing_sdm_bot"}}
JSON
SERVE_CONFIG=$TMP/bimbing.json start_serve BIMBING_ADMIN_TOKEN=$TOKEN
browser_run tests/e2e/browser_invites.mjs "$BASE" "$TOKEN" "$OUT"
e2e_finish
