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
browser_init learning-
learning_seed "$DB"

TOKEN=learning-browser-token-$RANDOM$RANDOM
start_serve BIMBING_ADMIN_TOKEN=$TOKEN
browser_run tests/e2e/browser_learning.mjs "$BASE" "$TOKEN" "$OUT" "$TMP"
# what the page said was never written: the bad upload changed nothing
eq "after the run the database holds the good upload only" \
    "$(sql "SELECT count(*) FROM learning_items WHERE id IN ('kl-anggaran', 'el-baru')")" 1
e2e_finish
