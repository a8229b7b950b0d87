#!/usr/bin/env bash
# tests/e2e/browser_surveys.test.sh - surveys over time on the HR dashboard
# in headless Chromium, in Indonesian, on a desktop and a 390x844 phone:
# the trend across four seeded waves (tests/e2e/survey_waves_seed.sh; one
# under k, hidden), a wave's comments, scheduling a wave for a Saturday,
# a recurring series and stopping it, closing a wave now. Screenshots:
# build/test-artifacts/browser/surveys-*.png. Skips (0 passed, 0 failed)
# without Chromium, node or playwright-core, like browser.test.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/survey_waves_seed.sh"
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
TOKEN=browser-surveys-token-$RANDOM$RANDOM
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import failed"
seed_survey_waves || e2e_abort "seeding the waves failed"
start_serve BIMBING_ADMIN_TOKEN=$TOKEN

mkdir -p "$OUT"
rm -f "$OUT"/surveys-*.png
# the next Saturday 10:00 WIB, the Wednesday after; the Monday 09:00 after
# it and that Thursday: datetime-local values in WIB, as the form takes them
sat=$(date -d "next saturday 03:00 UTC" +%s)
wib() { TZ=Asia/Jakarta date -d "@$1" +%Y-%m-%dT%H:%M; }
SAT=$(wib "$sat")
WED=$(wib $((sat + 4 * 86400)))
MON=$(wib $((sat + 2 * 86400 - 3600)))
THU=$(wib $((sat + 5 * 86400 - 3600)))
timeout 300 node tests/e2e/browser_surveys.mjs "$BASE" "$TOKEN" "$OUT" "$SAT" "$WED" "$MON" "$THU" 2>&1 |
    tee "$TMP/node.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/node.log" | tail -1)
[ -n "$line" ] || e2e_abort "the browser run did not finish"
[ "${line#* passed, }" = "0 failed" ]
