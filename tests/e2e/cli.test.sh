#!/usr/bin/env bash
# tests/e2e/cli.test.sh - the command line end to end: people import (good,
# bad, again), invite, export, forget, tick, flows check, usage and
# configuration errors. Each check counts once; prints "N passed, N failed".
# Works in a temporary directory, removed at the end.
. "$(dirname "$0")/lib.sh"
JQ=$BUILD/tools/jsonq
e2e_init "$BIN" "$JQ"
NOW=2026-11-27T09:00:00Z
DB=$TMP/cli.db

# ---- people import --------------------------------------------------------------
run people import config/demo-people.csv
check "import: exit 0" equals "$rc" 0
check "import: counts" file_has "$TMP/out" "12 row(s): 12 new, 0 updated"
run people import config/demo-people.csv
check "re-import: updates instead of duplicating" file_has "$TMP/out" "12 row(s): 0 new, 12 updated"

# (export records itself in the audit log, so compare the person's record)
run export "$AYU"
"$JQ" person <"$TMP/out" >"$TMP/ayu.before"
NEW=199901012020011099
# Each bad file also renames Ayu and adds a new person: neither may happen.
header='nip,name,unit,role,supervisor_nip'
good_rows="$AYU,Ayu Diganti,Biro SDM,employee,
$NEW,Orang Baru,Biro SDM,employee,"
bad_file() { # name, bad row, expected message part
    printf '%s\n%s\n%s\n' "$header" "$good_rows" "$2" >"$TMP/$1.csv"
    run people import "$TMP/$1.csv"
    check "bad file ($1): exit non-zero" [ "$rc" -ne 0 ]
    check "bad file ($1): names line and column" file_has "$TMP/err" "$3"
    check "bad file ($1): says nothing was imported" file_has "$TMP/err" "nothing was imported"
    run export "$NEW"
    check "bad file ($1): the new person was not added" [ "$rc" -ne 0 ]
    run export "$AYU"
    check "bad file ($1): the existing person is unchanged" equals "$("$JQ" person.name <"$TMP/out")" "Ayu Lestari"
}
bad_file bad-nip "12345678901234567890,Nip Panjang,Biro SDM,employee," "line 4, column 1 (nip)"
bad_file bad-nip-letters "1985AB,Nip Huruf,Biro SDM,employee," "line 4, column 1 (nip)"
bad_file bad-role "199901012020011098,Peran Aneh,Biro SDM,boss," "line 4, column 4 (role)"
bad_file dup-nip "$NEW,Orang Kembar,Biro SDM,employee," "line 4, column 1 (nip): NIP $NEW is also on line 3"
bad_file no-supervisor "199901012020011098,Tanpa Atasan,Biro SDM,employee,199901012020011999" \
    "line 4, column 5 (supervisor_nip)"
printf 'nip,name,unit,role,shoe\n%s,Ayu Diganti,Biro SDM,employee,42\n' "$AYU" >"$TMP/bad-col.csv"
run people import "$TMP/bad-col.csv"
check "unknown column: exit non-zero" [ "$rc" -ne 0 ]
check "unknown column: named with its column" file_has "$TMP/err" "line 1, column 5 (shoe): unknown column"
run people import "$TMP/no-such-file.csv"
check "missing file: exit non-zero" [ "$rc" -ne 0 ]
run export "$AYU"
"$JQ" person <"$TMP/out" >"$TMP/ayu.after"
check "after all bad imports the person's record is as before" cmp -s "$TMP/ayu.after" "$TMP/ayu.before"

# ---- invite -------------------------------------------------------------------
run invite "$BUDI"
check "invite: exit 0" equals "$rc" 0
check "invite: a 10-character code" grep -qxE '[2-9A-HJKMNP-Z]{10}' "$TMP/out"
code=$(cat "$TMP/out")
run invite "$BUDI"
check "invite: a new code each time" [ "$(cat "$TMP/out")" != "$code" ]
run invite 100000000000000000
check "invite: unknown NIP refused" [ "$rc" -ne 0 ]
check "invite: unknown NIP named" file_has "$TMP/err" "no person with NIP 100000000000000000"

# ---- a check-in, then export -------------------------------------------------------
consent_all "$DB" # everyone onboarded, with consent for their data
printf '/checkin\n4\nLaporan selesai\nTidak ada\ntidak\n' >"$TMP/in"
timeout 30 "$BIN" --db "$DB" chat --as "$AYU" --jsonl --now "$NOW" <"$TMP/in" >"$TMP/chat" 2>"$TMP/err"
check "chat: exit 0" equals "$?" 0
check "chat: one JSON line per input line" equals "$(wc -l <"$TMP/chat")" 5
run export "$AYU"
check "export: exit 0" equals "$rc" 0
check "export: valid JSON" isjson "$TMP/out"
check "export: the person" equals "$("$JQ" person.nip <"$TMP/out")" "$AYU"
check "export: one check-in" equals "$("$JQ" checkins.# <"$TMP/out")" 1
check "export: the check-in's answers" equals "$("$JQ" checkins.0.mood <"$TMP/out")/$("$JQ" checkins.0.win <"$TMP/out")" \
    "4/Laporan selesai"
run export 100000000000000000
check "export: unknown NIP exits non-zero" [ "$rc" -ne 0 ]

# ---- tick --at runs a due reminder ---------------------------------------------------
# Monday 09:00 in Jakarta: the reminder (4 h) is due inside working hours.
printf '/checkin\n' >"$TMP/in"
timeout 30 "$BIN" --db "$DB" chat --as "$BUDI" --jsonl --now 2026-11-23T02:00:00Z <"$TMP/in" >/dev/null 2>"$TMP/err"
run tick --at 2026-11-23T04:00:00Z
check "tick before the reminder is due: nothing fired" file_has "$TMP/out" "0 timer(s) fired"
run tick --at 2026-11-23T07:00:00Z
check "tick 5 h later: exit 0" equals "$rc" 0
check "tick 5 h later: the reminder fired" file_has "$TMP/out" "1 timer(s) fired, 1 event(s) processed"
run tick --at 2026-11-23T07:00:00Z
check "tick again: nothing more" file_has "$TMP/out" "0 timer(s) fired"
printf '4\n' >"$TMP/in"
timeout 30 "$BIN" --db "$DB" chat --as "$BUDI" --jsonl --now 2026-11-23T07:00:01Z <"$TMP/in" >"$TMP/chat" 2>"$TMP/err"
check "chat after tick: the reminder comes first" \
    equals "$("$JQ" replies.0.text <"$TMP/chat")" "This week's check-in is still waiting, it takes a minute:"
check "chat after tick: the question again, then the answer goes on" \
    equals "$("$JQ" replies.1.text <"$TMP/chat")|$("$JQ" replies.2.text <"$TMP/chat")" \
    "Hi Budi! How was your week?|What is one thing that went well this week?"
run tick --at yesterday
check "tick: a bad time is refused (exit 2)" equals "$rc" 2

# ---- forget ------------------------------------------------------------------------
run forget "$AYU"
check "forget without --yes: exit 2" equals "$rc" 2
check "forget without --yes: says how" file_has "$TMP/err" "--yes"
run export "$AYU"
check "forget without --yes: nothing erased" equals "$("$JQ" checkins.# <"$TMP/out")" 1
run forget "$AYU" --yes
check "forget --yes: exit 0" equals "$rc" 0
check "forget --yes: says what it erased" file_has "$TMP/out" "erased $AYU"
check "forget --yes: says what was kept" grep -q '^kept: ' "$TMP/out"
run export "$AYU"
check "forget --yes: export then says no such person" file_has "$TMP/err" "no person with NIP $AYU"
run export "$BUDI"
check "forget: other people untouched" equals "$("$JQ" person.nip <"$TMP/out")" "$BUDI"
run forget "$AYU" --yes
check "forget again: exit non-zero" [ "$rc" -ne 0 ]

# ---- flows -------------------------------------------------------------------------
run flows check
check "flows check: ok" equals "$rc" 0
check "flows check: counts the shipped flows" file_has "$TMP/out" "flow(s) ok"
printf '{"id": "broken", "version": 1, "start": "a", "nodes": {"a": {"say": {"id": "x"}, "next": "nowhere"}}}\n' \
    >"$TMP/broken.json"
run flows check "$TMP/broken.json"
check "flows check: a bad flow exits non-zero" [ "$rc" -ne 0 ]
check "flows check: the bad flow's file is named" file_has "$TMP/err" "broken.json"
printf '{"id": \n' >"$TMP/badjson.json"
run flows check "$TMP/badjson.json"
check "flows check: bad JSON exits non-zero" [ "$rc" -ne 0 ]
check "flows check: bad JSON gets a line" grep -q 'badjson.json:[0-9]' "$TMP/err"

# ---- usage and configuration ------------------------------------------------------------
run frobnicate
check "unknown command: exit 2" equals "$rc" 2
check "unknown command: named" file_has "$TMP/err" "unknown command 'frobnicate'"
check "unknown command: usage shown" file_has "$TMP/err" "usage: bimbing"
timeout 10 "$BIN" >"$TMP/out" 2>"$TMP/err"
check "no command: exit 2 with usage" equals "$?/$(grep -c 'usage: bimbing' "$TMP/err")" "2/1"
run --config "$TMP/missing.json" flows list
check "missing --config: exit non-zero" [ "$rc" -ne 0 ]
check "missing --config: a clear error" file_has "$TMP/err" "missing.json: No such file or directory"
printf '{"colour": "blue"}\n' >"$TMP/unknown.json"
run --config "$TMP/unknown.json" flows list
check "config with an unknown key: exit non-zero" [ "$rc" -ne 0 ]
check "config with an unknown key: names the key" file_has "$TMP/err" 'unknown key "colour"'
printf '{"db": \n' >"$TMP/broken-config.json"
run --config "$TMP/broken-config.json" flows list
check "config that is not JSON: exit non-zero" [ "$rc" -ne 0 ]
run version
check "version" grep -q '^bimbing ' "$TMP/out"

e2e_finish
