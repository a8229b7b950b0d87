/*
 * store.c - the database plumbing of store.h: opening (pragmas) and
 * migrating the database, and nested transactions. The schema is in
 * store_schema.c, the query layer and statement cache in store_q.c (see
 * store_int.h), the tables' queries in store_<table>.c, a person's export
 * and erasure in store_export.c. Called through store.h.
 *
 * Thread rules: one thread at a time per struct store (the connection is
 * opened without SQLite's own mutexes). Every statement is prepared once,
 * cached in struct store and reset after each use. Strings copied out of
 * rows are truncated to the fixed fields of the structs in store.h.
 */
#include "store/store_int.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "bot/base/bb.h"

/* ---- open, migrate, close ---------------------------------------------- */

/* mkdir -p of the directory part of path. */
static int make_parent(const char *path)
{
    char dir[4096];
    char *slash;
    if (bb_strlcpy(dir, path, sizeof(dir)) != BB_OK)
        return BB_ELIMIT;
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return BB_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0750) != 0 && errno != EEXIST)
            return BB_EIO;
        *p = '/';
    }
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return BB_EIO;
    return BB_OK;
}

static int user_version(struct store *st, int *out)
{
    int64_t v = 0;
    int rc = store_q_int64(st, "PRAGMA user_version", STORE_NOARGS, &v);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    *out = (int)v;
    return BB_OK;
}

static int exec_sql(struct store *st, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        bb_snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return (rc & 0xff) == SQLITE_BUSY ? BB_EAGAIN : BB_EIO;
    }
    return BB_OK;
}

static int migrate(struct store *st)
{
    int v, rc;
    rc = user_version(st, &v);
    if (rc)
        return rc;
    if (v > store_nmigrations) {
        bb_snprintf(st->errmsg, sizeof(st->errmsg),
                    "database schema version %d is newer than this program knows (%d); "
                    "use a newer bimbing",
                    v, store_nmigrations);
        return BB_ESTATE;
    }
    while (v < store_nmigrations) {
        char pragma[64];
        int now_v;
        rc = store_begin(st);
        if (rc)
            return rc;
        /* Another process may have migrated while we waited for the lock. */
        rc = user_version(st, &now_v);
        if (rc == BB_OK && now_v != v) {
            v = now_v;
            rc = store_commit(st);
            if (rc)
                return rc;
            continue;
        }
        if (rc == BB_OK)
            rc = exec_sql(st, store_migrations[v]);
        /* PRAGMA takes no bound parameters; the number is our own counter. */
        if (rc == BB_OK)
            rc = bb_snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if (rc == BB_OK)
            rc = exec_sql(st, pragma);
        if (rc) {
            char keep[sizeof(st->errmsg)];
            bb_strlcpy(keep, st->errmsg, sizeof(keep));
            store_rollback(st);
            bb_snprintf(st->errmsg, sizeof(st->errmsg), "migration %d: %s", v + 1, keep);
            return rc;
        }
        rc = store_commit(st);
        if (rc)
            return rc;
        v++;
    }
    return BB_OK;
}

int store_open(const char *path, const struct store_opts *opts, struct store **out)
{
    struct store *st = NULL;
    int sync = opts ? opts->sync : STORE_SYNC_FULL;
    int busy = opts ? opts->busy_timeout : 5000;
    int rc;
    *out = NULL;
    if (!path || !*path || (sync != STORE_SYNC_FULL && sync != STORE_SYNC_NORMAL) || busy < 0)
        return BB_EINVAL;
    if (strcmp(path, ":memory:") != 0) {
        rc = make_parent(path);
        if (rc) {
            bb_log(BB_LOG_ERR, "store", "cannot create the directory of %s", path);
            return rc;
        }
    }
    st = calloc(1, sizeof(*st));
    if (!st)
        return BB_ENOMEM;
    rc = sqlite3_open_v2(path, &st->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, busy);
    st->busy_ms = busy;
    rc = exec_sql(st, "PRAGMA journal_mode = WAL");
    if (rc == BB_OK)
        rc = exec_sql(st, sync == STORE_SYNC_FULL ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL");
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA foreign_keys = ON");
    /* Deleted and overwritten content is zeroed, not left in free space:
     * a blanked survey answer or an erased person leaves no bytes behind. */
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA secure_delete = ON");
    /* A 64 MiB page cache and memory-mapped reads: the working set of a
     * busy bureau (people, sessions, recent queue rows) stays in memory. */
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA cache_size = -65536");
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA mmap_size = 268435456");
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA temp_store = MEMORY");
    /* Checkpoint every ~40 MiB of WAL instead of 4 MiB: hot pages written
     * many times are copied back once. */
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA wal_autocheckpoint = 10000");
    if (rc == BB_OK)
        rc = migrate(st);
    if (rc)
        goto fail;
    *out = st;
    return BB_OK;
fail:
    bb_log(BB_LOG_ERR, "store", "cannot open %s: %s", path, st->errmsg);
    store_free(st);
    return rc;
}

void store_free(struct store *st)
{
    if (!st)
        return;
    if (st->tx_depth > 0 && st->db)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < STORE_STMT_SLOTS; i++)
        sqlite3_finalize(st->stmts[i].s);
    sqlite3_close(st->db);
    free(st);
}

const char *store_errmsg(struct store *st)
{
    return st ? st->errmsg : "no store";
}

int store_schema_status(const char *path, int *have, int *want)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    struct stat sb;
    int rc;
    *have = 0;
    *want = store_nmigrations;
    if (!path || !*path)
        return BB_EINVAL;
    if (stat(path, &sb) != 0)
        return BB_ENOTFOUND;
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        *have = sqlite3_column_int(s, 0);
    else if (rc == SQLITE_OK)
        rc = sqlite3_errcode(db);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc == SQLITE_OK ? BB_OK : BB_EIO;
}

int store_backup(struct store *st, const char *path)
{
    char tmp[1100];
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    struct stat sb;
    int rc, fd;
    if (!st || !path || !*path)
        return BB_EINVAL;
    if (stat(path, &sb) == 0) {
        store_seterr(st, "the backup file already exists");
        return BB_EEXIST;
    }
    if (bb_snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) != BB_OK) {
        store_seterr(st, "the backup path is too long");
        return BB_EINVAL;
    }
    unlink(tmp);
    /* Created here, readable by the owner only: it holds personal data. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        bb_snprintf(st->errmsg, sizeof(st->errmsg), "backup: cannot create %s: %s", tmp,
                    strerror(errno));
        return BB_EIO;
    }
    close(fd);
    rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        b = sqlite3_backup_init(dst, "main", st->db, "main");
        if (!b)
            rc = sqlite3_errcode(dst);
    }
    if (b) {
        /* All pages in one step: the source is read in one snapshot. */
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        int rc2 = sqlite3_backup_finish(b);
        if (rc == SQLITE_OK)
            rc = rc2;
    }
    if (rc == SQLITE_OK) {
        int ok = 0;
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &s, NULL);
        if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(s, 0);
            ok = t && strcmp((const char *)t, "ok") == 0;
        }
        sqlite3_finalize(s);
        if (rc == SQLITE_OK && !ok)
            rc = SQLITE_CORRUPT;
    }
    if (rc != SQLITE_OK)
        bb_snprintf(st->errmsg, sizeof(st->errmsg), "backup: %s",
                    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    sqlite3_close(dst);
    if (rc == SQLITE_OK) {
        fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            rc = SQLITE_IOERR;
        if (fd >= 0)
            close(fd);
        if (rc == SQLITE_OK && rename(tmp, path) != 0)
            rc = SQLITE_IOERR;
        if (rc != SQLITE_OK)
            bb_snprintf(st->errmsg, sizeof(st->errmsg), "backup: cannot write %s: %s", path,
                        strerror(errno));
    }
    if (rc != SQLITE_OK) {
        unlink(tmp);
        return BB_EIO;
    }
    return BB_OK;
}

int store_schema_version(struct store *st, int *out)
{
    return user_version(st, out);
}

/* ---- transactions ------------------------------------------------------ */

int store_begin(struct store *st)
{
    int rc;
    if (st->tx_depth > 0) {
        if (st->tx_depth >= STORE_TX_DEPTH_MAX) {
            store_seterr(st, "transactions nested too deep");
            return BB_ESTATE;
        }
        st->tx_changes[st->tx_depth++] = (long long)sqlite3_total_changes64(st->db);
        return BB_OK;
    }
    rc = store_q_exec(st, "BEGIN IMMEDIATE", STORE_NOARGS, NULL);
    if (rc)
        return rc;
    st->tx_depth = 1;
    st->tx_failed = 0;
    st->tx_changes[0] = (long long)sqlite3_total_changes64(st->db);
    return BB_OK;
}

int store_in_tx(const struct store *st)
{
    return st->tx_depth > 0;
}

int store_after_commit(struct store *st, store_after_fn fn, void *arg)
{
    assert(fn);
    if (st->tx_depth <= 0) {
        fn(arg, 1);
        return BB_OK;
    }
    for (int i = 0; i < st->nafter; i++)
        if (st->after[i].fn == fn && st->after[i].arg == arg)
            return BB_OK;
    if (st->nafter >= STORE_AFTER_MAX)
        return BB_ELIMIT;
    st->after[st->nafter].fn = fn;
    st->after[st->nafter].arg = arg;
    st->nafter++;
    return BB_OK;
}

/* The outermost transaction ended: run its hooks (taken off first, so a
 * hook may begin and end transactions of its own). */
static void run_after(struct store *st, int committed)
{
    int n = st->nafter;
    struct {
        store_after_fn fn;
        void *arg;
    } h[STORE_AFTER_MAX];
    assert(n >= 0 && n <= STORE_AFTER_MAX);
    memcpy(h, st->after, sizeof(h[0]) * (size_t)n);
    st->nafter = 0;
    for (int i = 0; i < n; i++)
        h[i].fn(h[i].arg, committed);
}

int store_commit(struct store *st)
{
    int rc;
    if (st->tx_depth <= 0) {
        store_seterr(st, "commit without begin");
        return BB_ESTATE;
    }
    if (--st->tx_depth > 0)
        return BB_OK;
    if (st->tx_failed) {
        st->tx_failed = 0;
        store_q_exec(st, "ROLLBACK", STORE_NOARGS, NULL);
        store_seterr(st, "transaction rolled back by an inner rollback");
        run_after(st, 0);
        return BB_ESTATE;
    }
    rc = store_q_exec(st, "COMMIT", STORE_NOARGS, NULL);
    if (rc) {
        /* A failed COMMIT may leave the transaction open: end it. */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        run_after(st, 0);
        return rc;
    }
    if (st->wipe_wal) {
        /* Committed: move every frame into the database and truncate the
         * log to zero bytes. A reader holding an old snapshot (another
         * process) can keep it from completing: no waiting for it (the
         * core thread must not stall), logged, retried after the next one. */
        int busy = 0, logged = 0, moved = 0;
        sqlite3_busy_timeout(st->db, 0);
        int src =
            sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &logged, &moved);
        sqlite3_busy_timeout(st->db, st->busy_ms);
        busy = src == SQLITE_BUSY;
        if (src != SQLITE_OK && !busy)
            bb_log(BB_LOG_WARN, "store", "wal checkpoint: %s", sqlite3_errmsg(st->db));
        else if (busy)
            bb_log(BB_LOG_INFO, "store", "wal checkpoint: busy; retried after the next wipe");
        st->wipe_wal = busy;
    }
    run_after(st, 1);
    return rc;
}

void store_wipe_wal_after_commit(struct store *st)
{
    st->wipe_wal = 1;
}

int store_rollback(struct store *st)
{
    if (st->tx_depth <= 0) {
        store_seterr(st, "rollback without begin");
        return BB_ESTATE;
    }
    if (--st->tx_depth > 0) {
        st->tx_failed = 1;
        return BB_OK;
    }
    st->tx_failed = 0;
    int rc = BB_OK;
    if (!sqlite3_get_autocommit(st->db)) /* else SQLite already rolled back (SQLITE_FULL) */
        rc = store_q_exec(st, "ROLLBACK", STORE_NOARGS, NULL);
    run_after(st, 0);
    return rc;
}

int store_tx_end(struct store *st, int rc)
{
    switch (rc) {
    case BB_OK: {
        return store_commit(st);
    }
    case BB_ENOTFOUND:
    case BB_EEXIST:
    case BB_EEXPIRED:
    case BB_EINVAL:
    case BB_EPERM:
        assert(st->tx_depth > 0 && st->tx_depth <= STORE_TX_DEPTH_MAX);
        /* Clean only if this level wrote nothing: otherwise undo its writes. */
        if (st->tx_depth > 0 &&
            (long long)sqlite3_total_changes64(st->db) == st->tx_changes[st->tx_depth - 1])
            store_commit(st);
        else
            store_rollback(st);
        return rc;
    default:
        store_rollback(st);
        return rc;
    }
}
