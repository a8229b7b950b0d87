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
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
OUT=$BUILD/test-artifacts/browser

skip() {
    echo "skipped: $1"
    echo "0 passed, 0 failed"
    exit 0
}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (apt-get install -y chromium)"
command -v node >/dev/null || skip "node is not installed"
[ -d node_modules/playwright-core ] || skip "node_modules/playwright-core is missing (run npm ci)"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
e2e_init "$BIN"
if [ ! -f web/admin/vendor/chart.umd.min.js ]; then
    sh web/admin/vendor.sh >/dev/null || e2e_abort "web/admin/vendor.sh failed"
fi
DB=$TMP/db

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
BIMBING_HTTP_PORT=0 BIMBING_ADMIN_TOKEN=$TOKEN "$BIN" --db "$DB" --config "$TMP/bimbing.json" --flows flows \
    serve >"$TMP/out" 2>"$TMP/err" &
e2e_track $!
PORT=
for _ in $(seq 1 100); do
    PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$TMP/out" 2>/dev/null | head -1 | cut -d: -f2)
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "$PORT" ] || e2e_abort "serve did not start: $(cat "$TMP/err")"
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"
rm -f "$OUT"/invites-*.png
timeout 300 node tests/e2e/browser_invites.mjs "$BASE" "$TOKEN" "$OUT" 2>&1 | tee "$TMP/node.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/node.log" | tail -1)
[ -n "$line" ] || e2e_abort "the browser run did not finish"
[ "${line#* passed, }" = "0 failed" ]
