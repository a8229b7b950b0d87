#!/usr/bin/env bash
# tests/e2e/work.test.sh - working time through the command line: the
# people CSV's work_days/work_hours columns (all or nothing), `bimbing work
# show|set|leave`, `bimbing holidays list|check`, the export of work_prefs,
# and a bad "work" setting or holiday file stopping a chat before it starts
# with a message that names it. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
DB=$TMP/w.db

run people import config/demo-people.csv
check "import" equals "$rc" 0

# An import with a bad working week changes nothing, and names the cells.
run people import /dev/stdin <<EOF
nip,name,unit,role,timezone,work_days,work_hours
$AYU,Ayu Lestari,Biro SDM,employee,WITA,mon-thu,08:00-17:00
$BUDI,Budi Santoso,Dinas Kominfo,employee,WIB,fri-mon,7:30
EOF
check "bad week: refused" equals "$rc" 1
check "bad days named" file_has "$TMP/err" "line 3, column 6 (work_days): working days must be like mon-fri"
check "bad hours named" file_has "$TMP/err" "line 3, column 7 (work_hours): working hours must be like 07:30-16:00"
run work show "$AYU"
check "nothing imported" file_has "$TMP/out" "days mon,tue,wed,thu,fri (instance)	hours 07:30-16:00 (instance)"

run people import /dev/stdin <<EOF
nip,name,unit,role,work_days,work_hours
$AYU,Ayu Lestari,Biro SDM,employee,mon-thu,08:00-17:00
EOF
check "own week imported" equals "$rc" 0
run work show "$AYU"
check "own week shown" file_has "$TMP/out" "days mon,tue,wed,thu	hours 08:00-17:00	leave until none"

run work set "$AYU" --hours default
check "hours back to the instance's" file_has "$TMP/out" "days mon,tue,wed,thu	hours 07:30-16:00 (instance)"
run work set "$AYU" --days sat-fri
check "bad days: exit 1" equals "$rc" 1
check "bad days: said" file_has "$TMP/err" "nothing changed"
run work leave "$AYU" 31/12/2026
check "bad leave date: exit 1" equals "$rc" 1
run work leave "$AYU" 2026-12-31
check "leave set" file_has "$TMP/out" "leave until 2026-12-31"
run export "$AYU"
check "exported as a date" file_has "$TMP/out" '"leave_until":	"2026-12-31"'
run work leave "$AYU" none
check "leave ended" file_has "$TMP/out" "leave until none"
run work show 1
check "unknown NIP: exit 1" equals "$rc" 1

run holidays list 2026
check "list: 25 days in 2026" file_has "$TMP/out" "2026: 25 day(s); source: SKB"
check "list: Christmas" file_has "$TMP/out" "2026-12-25	Fri	holiday	Kelahiran Yesus Kristus (Natal)"
run holidays check
check "shipped file ok" file_has "$TMP/out" "config/holidays.json: ok"
check "2027 said missing" file_has "$TMP/out" "2027: 0 day(s); source: none"
printf '{"years": [{"year": 2027, "source": "", "days": [{"date": "2027-01-01", "kind": "holiday", "id": "a", "en": "b"}]}]}' >"$TMP/h.json"
run holidays check "$TMP/h.json"
check "a day without its decree: exit 1" equals "$rc" 1
check "a day without its decree: said" file_has "$TMP/err" "2027 lists days but names no source"

# A bad setting or file: the chat does not start, and says why.
printf '{"work": {"hours": "16:00-07:30"}}' >"$TMP/c1.json"
printf '/menu\n' | "$BIN" --db "$DB" --config "$TMP/c1.json" chat --as "$AYU" >"$TMP/out" 2>"$TMP/err"
check "bad hours in config: refused" equals "$?" 1
check "bad hours in config: named" file_has "$TMP/err" "\"work\": working hours \"16:00-07:30\""
printf '{"work": {"holidays": "%s"}}' "$TMP/h.json" >"$TMP/c2.json"
printf '/menu\n' | "$BIN" --db "$DB" --config "$TMP/c2.json" chat --as "$AYU" >"$TMP/out" 2>"$TMP/err"
check "bad holiday file: refused" equals "$?" 1
check "bad holiday file: named" file_has "$TMP/err" "holidays: $TMP/h.json: 2027 lists days"
printf '{"work": {"dayz": "mon-fri"}}' >"$TMP/c3.json"
printf '/menu\n' | "$BIN" --db "$DB" --config "$TMP/c3.json" chat --as "$AYU" >"$TMP/out" 2>"$TMP/err"
check "unknown key: refused" file_has "$TMP/err" "unknown key \"dayz\" in \"work\""
printf '{"work": false}' >"$TMP/c4.json"
printf '/menu\n' | "$BIN" --db "$DB" --config "$TMP/c4.json" chat --as "$AYU" >"$TMP/out" 2>"$TMP/err"
check "work off: the chat runs" equals "$?" 0

e2e_finish
