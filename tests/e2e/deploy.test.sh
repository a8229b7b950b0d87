#!/usr/bin/env bash
# tests/e2e/deploy.test.sh - docs/deployment.md step by step, where a test
# can: install into a DESTDIR (make install-files with the binary under
# test), run the installed program from an empty directory (it finds its
# flows, web files and safety list under PREFIX/share/bimbing), start the
# systemd unit's own ExecStart line (paths moved into the DESTDIR), back up
# while it serves, restore the backup, and report migrations.
. "$(dirname "$0")/lib.sh"
e2e_init "$BIN"
ROOT=$TMP/root
STATE=$TMP/state
mkdir -p "$STATE" "$TMP/empty"
ABSBIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# ---- make install --------------------------------------------------------------
make --no-print-directory -s install-files DESTDIR="$ROOT" PREFIX=/usr INSTALL_BIN="$ABSBIN" \
    >"$TMP/install.log" 2>&1
check "install: exit 0" equals "$?" 0
IBIN=$ROOT/usr/bin/bimbing
UNIT=$ROOT/usr/lib/systemd/system/bimbing.service
check "install: the binary" test -x "$IBIN"
check "install: every flow" equals "$(ls "$ROOT/usr/share/bimbing/flows" | wc -l)" "$(ls flows/*.json | wc -l)"
check "install: the safety list" test -s "$ROOT/usr/share/bimbing/config/safety.json"
check "install: the web chat" test -s "$ROOT/usr/share/bimbing/web/index.html"
check "install: the dashboard" test -s "$ROOT/usr/share/bimbing/web/admin/index.html"
check "install: no scripts or dotfiles under web" equals \
    "$(find "$ROOT/usr/share/bimbing/web" -name '*.sh' -o -name '.*' -type f | wc -l)" 0
check "install: the unit, with PREFIX filled in" file_has "$UNIT" "ExecStart=/usr/bin/bimbing"
check "install: the unit is hardened" file_has "$UNIT" "ProtectSystem=strict"
check "install: the unit keeps state in /var/lib/bimbing" file_has "$UNIT" "StateDirectory=bimbing"
check "install: the guide" test -s "$ROOT/usr/share/doc/bimbing/deployment.md"
if command -v systemd-analyze >/dev/null; then
    # verify knows only the real root: it may only complain that the binary
    # is not at /usr/bin (it is in the DESTDIR).
    systemd-analyze verify "$UNIT" >"$TMP/verify" 2>&1
    check "install: systemd-analyze finds nothing but the DESTDIR binary" equals \
        "$(grep -v 'is not executable\|No such file' "$TMP/verify" | grep -c .)" 0
fi

# ---- the installed program finds its files from anywhere ------------------------
(cd "$TMP/empty" && "$IBIN" --db "$TMP/x.db" flows list) >"$TMP/out" 2>"$TMP/err"
check "flows list from an empty directory: exit 0" equals "$?" 0
check "flows list: lists the check-in" file_has "$TMP/out" "checkin.weekly"
(cd "$TMP/empty" && "$IBIN" --db "$TMP/x.db" --flows "$TMP/none" flows list) >"$TMP/out" 2>"$TMP/err"
check "flows list without flows: an error, not an empty list" [ "$?" -ne 0 ]
check "flows list without flows: says so" file_has "$TMP/err" "no flows in"

# ---- the unit's command line ------------------------------------------------------
CONF=$TMP/etc/bimbing.json
mkdir -p "$TMP/etc"
jq --arg db "$STATE/bimbing.db" '.db = $db | .http.port = 0' config/bimbing.system.json >"$CONF"
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
EXEC=${EXEC//\/etc\/bimbing\/bimbing.json/$CONF}
EXEC=${EXEC/\/usr\/bin\/bimbing/$IBIN}
start_unit() {
    (cd "$STATE" && exec env BIMBING_HTTP_PORT=0 JOURNAL_STREAM=8:1 $EXEC) >"$TMP/uout" 2>"$TMP/uerr" &
    SERVER=$!
    e2e_track "$SERVER"
    PORT=
    for _ in $(seq 1 100); do
        PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$TMP/uout" 2>/dev/null | head -1 | cut -d: -f2)
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || e2e_abort "the unit's command did not start: $(cat "$TMP/uerr")"
    BASE=http://127.0.0.1:$PORT
}
ibim() { "$IBIN" --config "$CONF" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }
ibim people import config/demo-people.csv
check "import through the system config" equals "$rc" 0
start_unit
check "unit: /healthz answers" wait_for 5 curl -fsS -o "$TMP/health" "$BASE/healthz"
curl -fsS "$BASE/" -o "$TMP/page"
check "unit: serves the installed web chat" file_has "$TMP/page" "<html"
check "unit: logs carry a journald priority, no time stamp" grep -qE '^<6>info ' "$TMP/uerr"
check "unit: the database is in the state directory" test -s "$STATE/bimbing.db"

# ---- backup while serving, and restore -------------------------------------------
ibim backup "$TMP/backup.db"
check "backup while serving: exit 0" equals "$rc" 0
check "backup: says it was checked" file_has "$TMP/out" "checked"
check "backup: a valid database" equals "$(sqlite3 "$TMP/backup.db" 'PRAGMA integrity_check')" ok
check "backup: readable by its owner only" equals "$(stat -c %a "$TMP/backup.db")" 600
check "backup: holds the people" equals "$(sqlite3 "$TMP/backup.db" 'SELECT count(*) FROM people')" 12
ibim backup "$TMP/backup.db"
check "backup onto an existing file: refused" [ "$rc" -ne 0 ]
check "backup onto an existing file: says why" file_has "$TMP/err" "already exists"
check "backup refused: leaves no temporary file" equals "$(ls "$TMP" | grep -c 'backup.db.tmp')" 0
ibim backup "$TMP/no/such/dir/b.db"
check "backup into a missing directory: refused" [ "$rc" -ne 0 ]
kill "$SERVER"
wait "$SERVER"
eq "unit: stops cleanly on SIGTERM" "$?" 0
# Restore (docs/deployment.md): stop, replace the file, remove -wal/-shm, start.
rm -f "$STATE/bimbing.db" "$STATE/bimbing.db-wal" "$STATE/bimbing.db-shm"
cp "$TMP/backup.db" "$STATE/bimbing.db"
start_unit
check "restored: /healthz answers" wait_for 5 curl -fsS -o "$TMP/health" "$BASE/healthz"
ibim export "$AYU"
check "restored: the person is back" file_has "$TMP/out" "Ayu Lestari"
kill "$SERVER"
wait "$SERVER"

# ---- migrations -------------------------------------------------------------------
ibim migrate --status
check "migrate --status: up to date" file_has "$TMP/out" "(0 pending)"
"$IBIN" --db "$TMP/new.db" migrate --status >"$TMP/out" 2>&1
check "migrate --status on no database: says what will happen" file_has "$TMP/out" "no database yet"
check "migrate --status creates nothing" test ! -e "$TMP/new.db"
sqlite3 "$STATE/bimbing.db" 'PRAGMA user_version = 999'
ibim migrate --status
check "a newer database: migrate --status exits non-zero" [ "$rc" -ne 0 ]
check "a newer database: says to restore or upgrade" file_has "$TMP/out" "NEWER"
ibim export "$AYU"
check "a newer database: refused by every command" [ "$rc" -ne 0 ]
e2e_finish
