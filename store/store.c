/*
 * store.c - the database plumbing of store.h: opening (pragmas) and
 * migrating the database, nested transactions, and a person's export and
 * erasure driven by store_person_tables[]. The schema is in store_schema.c,
 * the query layer and statement cache in store_q.c (see store_int.h), the
 * tables' queries in store_<table>.c. Called through store.h.
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
    rc = exec_sql(st, "PRAGMA journal_mode = WAL");
    if (rc == BB_OK)
        rc = exec_sql(st, sync == STORE_SYNC_FULL ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL");
    if (rc == BB_OK)
        rc = exec_sql(st, "PRAGMA foreign_keys = ON");
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
    }
    return rc;
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

/* ---- export and forget ------------------------------------------------- */

/* One row as a JSON object; columns named "x_json" holding valid JSON go
 * in parsed, under "x". */
static cJSON *row_json(sqlite3_stmt *s)
{
    cJSON *o = cJSON_CreateObject();
    int cols = sqlite3_column_count(s);
    if (!o)
        return NULL;
    for (int i = 0; i < cols; i++) {
        const char *name = sqlite3_column_name(s, i);
        size_t nl = strlen(name);
        cJSON *v = NULL;
        switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
            v = cJSON_CreateNumber((double)sqlite3_column_int64(s, i));
            break;
        case SQLITE_FLOAT:
            v = cJSON_CreateNumber(sqlite3_column_double(s, i));
            break;
        case SQLITE_NULL:
            v = cJSON_CreateNull();
            break;
        default: {
            const char *t = (const char *)sqlite3_column_text(s, i);
            if (nl > 5 && strcmp(name + nl - 5, "_json") == 0 && t) {
                v = cJSON_Parse(t);
                if (v) {
                    char key[64];
                    size_t kl = nl - 5 < sizeof(key) - 1 ? nl - 5 : sizeof(key) - 1;
                    memcpy(key, name, kl);
                    key[kl] = '\0';
                    cJSON_AddItemToObject(o, key, v);
                    continue;
                }
            }
            v = cJSON_CreateString(t ? t : "");
        }
        }
        if (!v) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, name, v);
    }
    return o;
}

/* The rows of one person table going into the export. */
struct export_ctx {
    cJSON *root;
    cJSON *arr; /* NULL: a single row, added to root under key */
    const char *key;
};

static int export_row(sqlite3_stmt *s, void *ctx)
{
    struct export_ctx *e = ctx;
    cJSON *row = row_json(s);
    if (!row)
        return BB_ENOMEM;
    if (!e->arr) {
        cJSON_AddItemToObject(e->root, e->key, row);
        return STORE_STOP; /* the single row is in */
    }
    cJSON_AddItemToArray(e->arr, row);
    return BB_OK;
}

int store_person_export(struct store *st, int64_t person_id, cJSON **out)
{
    cJSON *root = NULL;
    int rc;
    *out = NULL;
    root = cJSON_CreateObject();
    if (!root)
        return BB_ENOMEM;
    /* One read transaction, so the parts agree with each other. */
    rc = store_begin(st);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    for (int t = 0; t < store_person_ntables; t++) {
        const struct store_person_table *pt = &store_person_tables[t];
        struct export_ctx e = {root, NULL, pt->key};
        if (!pt->key || !pt->export_sql)
            continue;
        if (!pt->single && !(e.arr = cJSON_AddArrayToObject(root, pt->key))) {
            rc = BB_ENOMEM;
            goto fail;
        }
        rc = store_q_each(st, pt->export_sql, STORE_ARGS(store_int(person_id)), export_row, &e);
        if (rc)
            goto fail;
        if (pt->single && !cJSON_GetObjectItem(root, pt->key)) {
            rc = BB_ENOTFOUND; /* no such person */
            goto fail;
        }
    }
    rc = store_commit(st);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return BB_OK;
fail:
    store_tx_end(st, rc);
    cJSON_Delete(root);
    return rc;
}

int store_person_forget(struct store *st, int64_t person_id, int64_t now, char **kept)
{
    struct store_person p;
    char hash[65], detail[96];
    int rc;
    if (kept)
        *kept = NULL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_person_by_id(st, person_id, &p);
    if (rc)
        goto done;
    bb_sha256_hex(p.nip, strlen(p.nip), hash);
    for (int t = store_person_ntables - 1; t >= 0 && rc == BB_OK; t--) {
        const struct store_person_table *pt = &store_person_tables[t];
        if (pt->erase_sql)
            rc = store_q_exec(st, pt->erase_sql, STORE_ARGS(store_int(person_id)), NULL);
    }
    if (rc)
        goto done;
    rc = bb_snprintf(detail, sizeof(detail), "nip_sha256=%s", hash);
    if (rc == BB_OK)
        rc = store_audit(st, "system", "forget", 0, detail, now);
    if (rc)
        goto done;
    if (kept) {
        struct bb_buf b;
        bb_buf_init(&b, 1024);
        rc = bb_buf_printf(&b,
                           "One audit-log line was kept: that the person's data was erased "
                           "(action \"forget\") and when, naming them only by the SHA-256 of "
                           "their NIP (%s), so that the institution can account for this HR "
                           "action on personal data as UU 27/2022 requires. Everything else "
                           "about the person was deleted.",
                           hash);
        if (rc == BB_OK)
            *kept = bb_buf_take(&b);
        bb_buf_free(&b);
        if (rc == BB_OK && !*kept)
            rc = BB_ENOMEM;
    }
done:
    rc = store_tx_end(st, rc);
    if (rc && kept) {
        free(*kept);
        *kept = NULL;
    }
    return rc;
}
