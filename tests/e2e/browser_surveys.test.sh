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
browser_init surveys-
TOKEN=browser-surveys-token-$RANDOM$RANDOM
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null || e2e_abort "import failed"
seed_survey_waves || e2e_abort "seeding the waves failed"
start_serve BIMBING_ADMIN_TOKEN=$TOKEN

# the next Saturday 10:00 WIB, the Wednesday after; the Monday 09:00 after
# it and that Thursday: datetime-local values in WIB, as the form takes them
sat=$(date -d "next saturday 03:00 UTC" +%s)
wib() { TZ=Asia/Jakarta date -d "@$1" +%Y-%m-%dT%H:%M; }
SAT=$(wib "$sat")
WED=$(wib $((sat + 4 * 86400)))
MON=$(wib $((sat + 2 * 86400 - 3600)))
THU=$(wib $((sat + 5 * 86400 - 3600)))
browser_run tests/e2e/browser_surveys.mjs "$BASE" "$TOKEN" "$OUT" "$SAT" "$WED" "$MON" "$THU"
e2e_finish
