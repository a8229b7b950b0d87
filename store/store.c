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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int store_schema_version(struct store *st, int *out)
{
    return user_version(st, out);
}

/* ---- transactions ------------------------------------------------------ */

int store_begin(struct store *st)
{
    int rc;
    if (st->tx_depth > 0) {
        st->tx_depth++;
        return BB_OK;
    }
    rc = store_q_exec(st, "BEGIN IMMEDIATE", STORE_NOARGS, NULL);
    if (rc)
        return rc;
    st->tx_depth = 1;
    st->tx_failed = 0;
    return BB_OK;
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
        return BB_ESTATE;
    }
    rc = store_q_exec(st, "COMMIT", STORE_NOARGS, NULL);
    if (rc) {
        /* A failed COMMIT may leave the transaction open: end it. */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    } else if (st->wipe_wal) {
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
    if (sqlite3_get_autocommit(st->db))
        return BB_OK; /* SQLite already rolled back (e.g. after SQLITE_FULL) */
    return store_q_exec(st, "ROLLBACK", STORE_NOARGS, NULL);
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
        store_commit(st);
        return rc;
    default:
        store_rollback(st);
        return rc;
    }
}
