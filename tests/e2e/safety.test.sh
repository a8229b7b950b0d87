#!/usr/bin/env bash
# tests/e2e/safety.test.sh - the distress screen end to end with the real
# binary: a bad config/safety.json stops the service with a message naming
# the entry (and a missing one too); a hit is logged by rule name, never by
# the person's words; the check-in paused by a hit keeps its answers; a
# 4,000-character story is stored whole. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
source tests/e2e/lib.sh
e2e_init
AYU=198501012010012001
NOW=2026-11-27T09:00:00Z
DB=$TMP/s.db
"$BIN" --db "$DB" people import config/demo-people.csv >/dev/null 2>&1
consent_all "$DB" # Ayu is onboarded and consented: her check-in is stored

# chat CONFIG: Ayu's lines on stdin; stdout to $TMP/out, stderr to $TMP/err, exit code in $rc
chat() {
    timeout 30 "$BIN" --db "$DB" --config "$1" chat --as $AYU --jsonl --now $NOW \
        >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
has() { grep -qF -- "$2" "$1" || { echo "     '$2' not in:"; sed 's/^/       /' "$1" | head -20; return 1; }; }
eq_sql() { # SQL, the value it must give
    local got
    got=$(sqlite3 -cmd '.timeout 5000' "$DB" "$1")
    [ "$got" = "$2" ] || { echo "     expected '$2', got '$got'"; return 1; }
}
hasnt() { ! grep -qF -- "$2" "$1" || { echo "     '$2' is in $1"; return 1; }; }

# ---- a bad list refuses to start, naming the entry
printf '{"phrases": ["bunuh diri"], "patterns": ["\\\\bingin mati\\\\b", "(akhiri hidup"]}' \
    >"$TMP/bad.json"
printf '{"safety": "%s"}' "$TMP/bad.json" >"$TMP/bad-config.json"
chat "$TMP/bad-config.json" <<<"halo"
check "a bad pattern: the chat does not start (exit 1)" [ "$rc" -eq 1 ]
check "the error names the file, the entry and the problem" \
    has "$TMP/err" "$TMP/bad.json: patterns[1] \"(akhiri hidup\": missing closing parenthesis"
check "nothing was answered" [ ! -s "$TMP/out" ]
printf '{"safety": "%s"}' "$TMP/none.json" >"$TMP/none-config.json"
chat "$TMP/none-config.json" <<<"halo"
check "a missing list: exit 1, naming it" eval '[ "$rc" -eq 1 ] && has "$TMP/err" "$TMP/none.json: cannot be read"'
printf '{"safety": "config/safety.json"}' >"$TMP/good-config.json"

# ---- a hit in a check-in: help lines, logged by rule name only, the check-in kept
# (the hit comes at the yes/no blocker question; /lanjut asks it again)
printf '%s\n' '/checkin' '3' 'Rapat lancar' 'aku udah ga kuat lagi pengen mati aja' \
    '/lanjut' 'ada' 'Terlalu banyak rapat' >"$TMP/in"
chat "$TMP/good-config.json" <"$TMP/in"
check "the chat ends cleanly" [ "$rc" -eq 0 ]
check "the hit is answered with the help lines" has "$TMP/out" "SEJIWA di 119 ext 8"
check "the log names the rule that matched" has "$TMP/err" "distress screen: phrases["
check "the log does not hold the person's words" hasnt "$TMP/err" "pengen mati"
check "the check-in paused by the hit is saved whole afterwards" \
    eq_sql "SELECT mood || '|' || win || '|' || blocker FROM checkins" "3|Rapat lancar|Terlalu banyak rapat"

# ---- a 4,000-character story is stored whole
story=$(printf 'Minggu ini berat sekali karena laporan akhir tahun. %.0s' $(seq 1 80) | cut -c1-4000)
printf '%s\n' '/checkin' '1' "$story" 'Selesai audit' 'tidak ada' >"$TMP/in"
chat "$TMP/good-config.json" <"$TMP/in"
check "the story was accepted (no limit message)" hasnt "$TMP/out" "batasnya"
check "all 4,000 characters of it are in the check-in" \
    eq_sql "SELECT length(json_extract(extra, '\$.hard')) FROM checkins ORDER BY id DESC LIMIT 1" 4000

e2e_finish
