#!/usr/bin/env bash
# tests/e2e/browser_learning.test.sh - the dashboard's "Belajar" (learning)
# view in headless Chromium, in Indonesian, desktop and a 390x844 phone
# (tests/e2e/browser_learning.mjs), on the data of
# tests/e2e/learning_seed.sh: the needs table with a shown and a suppressed
# cell, the catalogue gap, completion and JP per unit, a CSV per table,
# a unit asked for, a bad catalogue upload (errors by line and column in
# Indonesian, nothing changed), a good one (the gap closes) and retiring an
# item. Screenshots: build/test-artifacts/browser/learning-*.png.
# Skips like tests/e2e/browser.test.sh without Chromium, node or
# playwright-core.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/learning_seed.sh"
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
learning_seed "$DB"

TOKEN=learning-browser-token-$RANDOM$RANDOM
BIMBING_HTTP_PORT=0 BIMBING_ADMIN_TOKEN=$TOKEN "$BIN" --db "$DB" --flows flows serve >"$TMP/out" 2>"$TMP/err" &
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
rm -f "$OUT"/learning-*.png
timeout 300 node tests/e2e/browser_learning.mjs "$BASE" "$TOKEN" "$OUT" "$TMP" 2>&1 | tee "$TMP/node.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/node.log" | tail -1)
[ -n "$line" ] || e2e_abort "the browser run did not finish"
# what the page said was never written: the bad upload changed nothing
n=$(sqlite3 "$DB" "SELECT count(*) FROM learning_items WHERE id IN ('kl-anggaran', 'el-baru')")
[ "$n" = 1 ] || { echo "FAIL the bad upload wrote something: $n of kl-anggaran, el-baru"; exit 1; }
echo "ok   after the run the database holds the good upload only"
[ "${line#* passed, }" = "0 failed" ]
