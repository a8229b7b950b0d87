#!/usr/bin/env bash
# tests/e2e/learning_report.test.sh - `bimbing learning report` end to end
# on the data of tests/e2e/learning_seed.sh (its comments hold the figures
# worked out by hand): the three tables with k = 5 (a shown cell, a pooled
# suppressed one, the gap that a retired item does not close), --unit
# (case-insensitive, a suppressed cell named), --csv, a bad unit (exit 2,
# nothing printed on stdout), bad arguments, and a catalogue import that
# closes the gap. Prints "N passed, N failed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/learning_seed.sh"
e2e_init "$BIN"
command -v sqlite3 >/dev/null || e2e_abort "sqlite3 is not installed"
DB=$TMP/learn.db
learning_seed "$DB"
Y=$(TZ=Asia/Jakarta date +%Y)

run learning report
check "report: exit 0" equals "$rc" 0
check "report: the year and k" file_has "$TMP/out" "learning report $Y (groups under k=5 people suppressed)"
check "needs: Biro SDM 5 people, mean gap 1.6" grep -qE '^  analisis data +Biro SDM +5 +1\.6$' "$TMP/out"
check "needs: the pool of Bappeda and Kominfo (3) is suppressed" \
    grep -qE '^  analisis data +\(other units\) +suppressed \(< k\)$' "$TMP/out"
check "needs: Bappeda 5 people need komunikasi, mean gap 1.0" grep -qE '^  komunikasi +Bappeda +5 +1\.0$' "$TMP/out"
check "needs: Bappeda's 2 with analisis data are not named" \
    test -z "$(grep -E '^  analisis data +Bappeda' "$TMP/out")"
check "gaps: perencanaan anggaran (no item), 5 people" grep -qE '^  perencanaan anggaran +5 +2\.0$' "$TMP/out"
check "gaps: a suppressed need is no gap" equals "$(grep -c "manajemen talenta" "$TMP/out")" 1
check "progress: Biro SDM 7, 1/1/1, 29%, median 10.0" \
    grep -qE '^  Biro SDM +7 +1 +1 +1 +29% +10\.0$' "$TMP/out"
check "progress: Bappeda 6, 17%, median 0.0" grep -qE '^  Bappeda +6 +0 +0 +0 +17% +0\.0$' "$TMP/out"
check "progress: Kominfo and Inspektorat pooled (5), 20%" grep -qE '^  \(other units\) +5 +0 +0 +0 +20% +0\.0$' "$TMP/out"

run learning report --unit "biro sdm"
check "--unit: exit 0, the unit as stored" file_has "$TMP/out" "learning report $Y for Biro SDM"
check "--unit: its small cell is suppressed by name" \
    grep -qE '^  manajemen talenta +Biro SDM +suppressed \(< k\)$' "$TMP/out"
check "--unit: no other unit" file_lacks "$TMP/out" "Bappeda"

run learning report --csv
check "--csv: exit 0" equals "$rc" 0
check "--csv: the header" equals "$(head -1 "$TMP/out")" \
    $'table,unit,competency,people,mean_gap,in_progress,done,dropped,at_20jp_pct,median_jp,suppressed\r'
check "--csv: a needs row" file_has "$TMP/out" '"needs","Biro SDM","analisis data","5","1.6",,,,,,"0"'
check "--csv: a suppressed row has no figure" file_has "$TMP/out" '"needs","(other units)","analisis data",,,,,,,,"1"'
check "--csv: the gap" file_has "$TMP/out" '"gaps",,"perencanaan anggaran","5","2.0",,,,,,'
check "--csv: a progress row" file_has "$TMP/out" '"progress","Biro SDM",,"7",,"1","1","1","29","10.0","0"'

run learning report --unit "Biro SMD"
check "bad unit: exit 2" equals "$rc" 2
check "bad unit: says why and suggests" file_has "$TMP/err" "did you mean 'Biro SDM'"
check "bad unit: nothing on stdout" equals "$(wc -c <"$TMP/out")" 0
run learning report --unit
check "--unit without a value: exit 2" equals "$rc" 2
run learning report --bogus
check "unknown argument: exit 2" equals "$rc" 2
check "unknown argument: named" file_has "$TMP/err" "unknown argument '--bogus'"
run learning
check "no subcommand: exit 2 with the usage" equals "$rc:$(cat "$TMP/err")" \
    "2:usage: bimbing learning report [--unit UNIT] [--csv]"
run help
check "help lists the command" file_has "$TMP/out" "learning report [--unit UNIT] [--csv]"

# an item for the gap closes it; retiring it opens it again
printf 'id,title,provider,modality,jp,competencies,level,language\nkl-anggaran,Perencanaan Anggaran,Pusdiklat,klasikal,16,perencanaan anggaran,dasar,id\n' \
    >"$TMP/add.csv"
run catalog import "$TMP/add.csv"
run learning report
check "an item for the gap closes it" equals "$(sed -n '/^catalogue gaps/,/^$/p' "$TMP/out" | tail -2 | head -1)" "  (none)"
run catalog retire kl-anggaran
run learning report
check "retired again: the gap is back" grep -qE '^  perencanaan anggaran +5 +2\.0$' "$TMP/out"
e2e_finish
