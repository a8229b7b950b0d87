/*
 * store.c - the SQLite backend of store.h: opening and migrating the
 * database, nested transactions, and the queries of the core tables.
 * The schema itself is in store_schema.c; shared internals in store_int.h.
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

/* Run a fixed statement of this file with one int64 parameter (or none). */
static int exec_fixed(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    if (rc)
        return rc;
    return store_run(st, s, NULL);
}

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
    sqlite3_stmt *s;
    int rc = store_stmt(st, "PRAGMA user_version", &s);
    if (rc)
        return rc;
    rc = store_step_row(st, s);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    *out = sqlite3_column_int(s, 0);
    store_done(s);
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
    rc = exec_fixed(st, "BEGIN IMMEDIATE");
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
        exec_fixed(st, "ROLLBACK");
        store_seterr(st, "transaction rolled back by an inner rollback");
        return BB_ESTATE;
    }
    rc = exec_fixed(st, "COMMIT");
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
    return exec_fixed(st, "ROLLBACK");
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

/* ---- people ------------------------------------------------------------ */

#define PERSON_COLS                                                                                \
    "id, nip, name, unit, position, grade, role, lang, tz, phone, email, supervisor_nip,"          \
    " strengths, interests, created_at, updated_at"

static void read_person(sqlite3_stmt *s, struct store_person *p)
{
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, p->nip, sizeof(p->nip));
    store_col_copy(s, 2, p->name, sizeof(p->name));
    store_col_copy(s, 3, p->unit, sizeof(p->unit));
    store_col_copy(s, 4, p->position, sizeof(p->position));
    store_col_copy(s, 5, p->grade, sizeof(p->grade));
    store_col_copy(s, 6, p->role, sizeof(p->role));
    store_col_copy(s, 7, p->lang, sizeof(p->lang));
    store_col_copy(s, 8, p->tz, sizeof(p->tz));
    store_col_copy(s, 9, p->phone, sizeof(p->phone));
    store_col_copy(s, 10, p->email, sizeof(p->email));
    store_col_copy(s, 11, p->supervisor_nip, sizeof(p->supervisor_nip));
    store_col_copy(s, 12, p->strengths, sizeof(p->strengths));
    store_col_copy(s, 13, p->interests, sizeof(p->interests));
    p->created_at = sqlite3_column_int64(s, 14);
    p->updated_at = sqlite3_column_int64(s, 15);
}

static int one_of(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return 1;
    return 0;
}

static int valid_role(const char *r)
{
    static const char *const roles[] = {"employee", "mentor", "hr", "admin"};
    return one_of(r, roles, BB_ARRAY_LEN(roles));
}

static int valid_lang(const char *l)
{
    static const char *const langs[] = {"id", "en"};
    return one_of(l, langs, BB_ARRAY_LEN(langs));
}

/* Bind the 13 text fields of a person from index 1 (nip first). */
static void bind_person(sqlite3_stmt *s, const struct store_person *p)
{
    store_bind_text(s, 1, p->nip);
    store_bind_text(s, 2, p->name);
    store_bind_text(s, 3, p->unit);
    store_bind_text(s, 4, p->position);
    store_bind_text(s, 5, p->grade);
    store_bind_text(s, 6, p->role);
    store_bind_text(s, 7, p->lang);
    store_bind_text(s, 8, p->tz);
    store_bind_text(s, 9, p->phone);
    store_bind_text(s, 10, p->email);
    store_bind_text(s, 11, p->supervisor_nip);
    store_bind_text(s, 12, p->strengths);
    store_bind_text(s, 13, p->interests);
}

int store_person_upsert(struct store *st, const struct store_person *p, int64_t *id_out,
                        int *created)
{
    sqlite3_stmt *s;
    int64_t id = 0, now = bb_now();
    int rc, found;
    if (!p->nip[0] || (p->role[0] && !valid_role(p->role)) || (p->lang[0] && !valid_lang(p->lang)))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_stmt(st, "SELECT id FROM people WHERE nip = ?1", &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, p->nip);
    rc = store_step_row(st, s);
    if (rc && rc != BB_ENOTFOUND)
        goto done;
    found = rc == BB_OK;
    if (found) {
        id = sqlite3_column_int64(s, 0);
        store_done(s);
        rc = store_stmt(st,
                        "UPDATE people SET name = COALESCE(NULLIF(?2, ''), name),"
                        " unit = COALESCE(NULLIF(?3, ''), unit),"
                        " position = COALESCE(NULLIF(?4, ''), position),"
                        " grade = COALESCE(NULLIF(?5, ''), grade),"
                        " role = COALESCE(NULLIF(?6, ''), role),"
                        " lang = COALESCE(NULLIF(?7, ''), lang),"
                        " tz = COALESCE(NULLIF(?8, ''), tz),"
                        " phone = COALESCE(NULLIF(?9, ''), phone),"
                        " email = COALESCE(NULLIF(?10, ''), email),"
                        " supervisor_nip = COALESCE(NULLIF(?11, ''), supervisor_nip),"
                        " strengths = COALESCE(NULLIF(?12, ''), strengths),"
                        " interests = COALESCE(NULLIF(?13, ''), interests),"
                        " updated_at = ?14 WHERE nip = ?1",
                        &s);
    } else {
        rc = store_stmt(st,
                        "INSERT INTO people (nip, name, unit, position, grade, role, lang, tz,"
                        " phone, email, supervisor_nip, strengths, interests, created_at,"
                        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(NULLIF(?6, ''),"
                        " 'employee'), COALESCE(NULLIF(?7, ''), 'id'), COALESCE(NULLIF(?8, ''),"
                        " 'Asia/Jakarta'), ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
                        &s);
    }
    if (rc)
        goto done;
    bind_person(s, p);
    sqlite3_bind_int64(s, 14, now);
    rc = store_run(st, s, NULL);
    if (rc)
        goto done;
    if (!found)
        id = sqlite3_last_insert_rowid(st->db);
    if (id_out)
        *id_out = id;
    if (created)
        *created = !found;
done:
    return store_tx_end(st, rc);
}

static int person_by(struct store *st, const char *sql, const char *key, int64_t id,
                     struct store_person *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    if (rc)
        return rc;
    if (key)
        store_bind_text(s, 1, key);
    else
        sqlite3_bind_int64(s, 1, id);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    read_person(s, out);
    store_done(s);
    return BB_OK;
}

int store_person_by_nip(struct store *st, const char *nip, struct store_person *out)
{
    return person_by(st, "SELECT " PERSON_COLS " FROM people WHERE nip = ?1", nip, 0, out);
}

int store_person_by_id(struct store *st, int64_t id, struct store_person *out)
{
    return person_by(st, "SELECT " PERSON_COLS " FROM people WHERE id = ?1", NULL, id, out);
}

int store_person_by_phone(struct store *st, const char *phone, struct store_person *out)
{
    if (!phone || !*phone)
        return BB_ENOTFOUND;
    return person_by(st,
                     "SELECT " PERSON_COLS " FROM people WHERE phone = ?1 AND phone <> ''"
                     " ORDER BY id LIMIT 1",
                     phone, 0, out);
}

int store_person_set_lang(struct store *st, int64_t id, const char *lang)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    if (!lang || !valid_lang(lang))
        return BB_EINVAL;
    rc = store_stmt(st, "UPDATE people SET lang = ?2, updated_at = ?3 WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, lang);
    sqlite3_bind_int64(s, 3, bb_now());
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

/* SELECT COUNT(*)-style statement with up to one text parameter. */
static int count_of(struct store *st, const char *sql, const char *arg, int64_t *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    if (rc)
        return rc;
    if (arg)
        store_bind_text(s, 1, arg);
    rc = store_step_row(st, s);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    *out = sqlite3_column_int64(s, 0);
    store_done(s);
    return BB_OK;
}

int store_person_count(struct store *st, int64_t *out)
{
    return count_of(st, "SELECT COUNT(*) FROM people", NULL, out);
}

/* ---- identities -------------------------------------------------------- */

int store_identity_link(struct store *st, const char *channel, const char *ext_id,
                        int64_t person_id, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (!channel || !*channel || !ext_id || !*ext_id)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO identities (channel, ext_id, person_id, linked_at, last_seen)"
                    " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(channel, ext_id) DO UPDATE SET"
                    " person_id = excluded.person_id, linked_at = excluded.linked_at,"
                    " last_seen = excluded.last_seen, blocked = 0, blocked_at = NULL",
                    &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_id);
    sqlite3_bind_int64(s, 3, person_id);
    sqlite3_bind_int64(s, 4, now);
    return store_run(st, s, NULL);
}

int store_identity_person(struct store *st, const char *channel, const char *ext_id,
                          int64_t *person_id)
{
    sqlite3_stmt *s;
    int rc =
        store_stmt(st, "SELECT person_id FROM identities WHERE channel = ?1 AND ext_id = ?2", &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_id);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    *person_id = sqlite3_column_int64(s, 0);
    store_done(s);
    return BB_OK;
}

int store_identity_of(struct store *st, int64_t person_id, const char *channel, char *ext_id,
                      size_t n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT ext_id FROM identities WHERE person_id = ?1 AND channel = ?2"
                        " ORDER BY last_seen DESC, id DESC LIMIT 1",
                        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, channel);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    store_col_copy(s, 0, ext_id, n);
    store_done(s);
    return BB_OK;
}

int store_identity_last(struct store *st, int64_t person_id, char *channel, size_t cn, char *ext_id,
                        size_t en)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT channel, ext_id FROM identities WHERE person_id = ?1"
                        " ORDER BY last_seen DESC, id DESC LIMIT 1",
                        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    store_col_copy(s, 0, channel, cn);
    store_col_copy(s, 1, ext_id, en);
    store_done(s);
    return BB_OK;
}

int store_identity_touch(struct store *st, const char *channel, const char *ext_id, int64_t now)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(st,
                    "UPDATE identities SET last_seen = ?3 WHERE channel = ?1 AND ext_id = ?2"
                    " AND last_seen < ?3 - 60" /* once a minute is enough: fewer writes */,
                    &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_id);
    sqlite3_bind_int64(s, 3, now);
    rc = store_run(st, s, &n);
    (void)n; /* no row changed: unknown, or touched within the minute */
    return rc;
}

int store_identity_set_blocked(struct store *st, const char *channel, const char *ext_id,
                               int blocked, int64_t now)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(st,
                    "UPDATE identities SET blocked = ?3, blocked_at = CASE WHEN ?3 THEN ?4 END"
                    " WHERE channel = ?1 AND ext_id = ?2",
                    &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_id);
    sqlite3_bind_int(s, 3, blocked ? 1 : 0);
    sqlite3_bind_int64(s, 4, now);
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

/* ---- invites ----------------------------------------------------------- */

int store_invite_add(struct store *st, int64_t person_id, const char *code_hash, int64_t now,
                     int64_t expires_at)
{
    sqlite3_stmt *s;
    int rc;
    if (!code_hash || !*code_hash)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO invites (code_hash, person_id, created_at, expires_at)"
                    " VALUES (?1, ?2, ?3, ?4)",
                    &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, code_hash);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires_at);
    return store_run(st, s, NULL);
}

int store_invite_redeem(struct store *st, const char *code_hash, int64_t now, int64_t *person_id)
{
    sqlite3_stmt *s;
    int64_t id, pid, expires;
    int rc, n = 0;
    if (!code_hash)
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_stmt(st,
                    "SELECT id, person_id, expires_at FROM invites WHERE code_hash = ?1"
                    " AND used_at IS NULL",
                    &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, code_hash);
    rc = store_step_row(st, s);
    if (rc)
        goto done;
    id = sqlite3_column_int64(s, 0);
    pid = sqlite3_column_int64(s, 1);
    expires = sqlite3_column_int64(s, 2);
    store_done(s);
    if (now >= expires) {
        rc = BB_EEXPIRED;
        goto done;
    }
    rc = store_stmt(st, "UPDATE invites SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL", &s);
    if (rc)
        goto done;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n != 1)
        rc = BB_ENOTFOUND;
    if (rc == BB_OK)
        *person_id = pid;
done:
    return store_tx_end(st, rc);
}

/* ---- consents ---------------------------------------------------------- */

int store_consent_set(struct store *st, int64_t person_id, const char *purpose, int granted,
                      int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (!purpose || !*purpose)
        return BB_EINVAL;
    rc = store_stmt(
        st, "INSERT INTO consents (person_id, purpose, granted, at) VALUES (?1, ?2, ?3, ?4)", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, purpose);
    sqlite3_bind_int(s, 3, granted ? 1 : 0);
    sqlite3_bind_int64(s, 4, now);
    return store_run(st, s, NULL);
}

int store_consent_get(struct store *st, int64_t person_id, const char *purpose, int *granted)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT granted FROM consents WHERE person_id = ?1 AND purpose = ?2"
                        " ORDER BY id DESC LIMIT 1",
                        &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, purpose);
    rc = store_step_row(st, s);
    if (rc == BB_ENOTFOUND) {
        *granted = -1;
        return BB_OK;
    }
    if (rc)
        return rc;
    *granted = sqlite3_column_int(s, 0) ? 1 : 0;
    store_done(s);
    return BB_OK;
}

/* ---- flow versions ----------------------------------------------------- */

int store_flow_put(struct store *st, const char *id, int version, const char *source, int64_t now)
{
    sqlite3_stmt *s;
    char hash[65];
    int rc;
    if (!id || !*id || !source)
        return BB_EINVAL;
    bb_sha256_hex(source, strlen(source), hash);
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_stmt(st, "SELECT sha256 FROM flow_versions WHERE id = ?1 AND version = ?2", &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, id);
    sqlite3_bind_int(s, 2, version);
    rc = store_step_row(st, s);
    if (rc == BB_OK) {
        const unsigned char *old = sqlite3_column_text(s, 0);
        rc = old && strcmp((const char *)old, hash) == 0 ? BB_OK : BB_EEXIST;
        store_done(s);
        if (rc)
            store_seterr(st, "flow changed without a version bump");
        goto done;
    }
    if (rc != BB_ENOTFOUND)
        goto done;
    rc = store_stmt(st,
                    "INSERT INTO flow_versions (id, version, source, sha256, loaded_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
                    &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, id);
    sqlite3_bind_int(s, 2, version);
    store_bind_text(s, 3, source);
    store_bind_text(s, 4, hash);
    sqlite3_bind_int64(s, 5, now);
    rc = store_run(st, s, NULL);
done:
    return store_tx_end(st, rc);
}

int store_flow_get(struct store *st, const char *id, int version, char **source)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT source FROM flow_versions WHERE id = ?1 AND version = ?2", &s);
    *source = NULL;
    if (rc)
        return rc;
    store_bind_text(s, 1, id);
    sqlite3_bind_int(s, 2, version);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    rc = store_col_dup(s, 0, source);
    store_done(s);
    return rc;
}

/* ---- sessions ---------------------------------------------------------- */

int store_session_get(struct store *st, int64_t person_id, char **state_json)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT state FROM sessions WHERE person_id = ?1", &s);
    *state_json = NULL;
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    rc = store_col_dup(s, 0, state_json);
    store_done(s);
    return rc;
}

int store_session_put(struct store *st, int64_t person_id, const char *flow_id, int version,
                      const char *node, const char *state_json, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (!flow_id || !node || !state_json)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO sessions (person_id, flow_id, flow_version, node, state,"
                    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(person_id) DO"
                    " UPDATE SET flow_id = excluded.flow_id, flow_version = excluded.flow_version,"
                    " node = excluded.node, state = excluded.state,"
                    " updated_at = excluded.updated_at",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, flow_id);
    sqlite3_bind_int(s, 3, version);
    store_bind_text(s, 4, node);
    store_bind_text(s, 5, state_json);
    sqlite3_bind_int64(s, 6, now);
    return store_run(st, s, NULL);
}

int store_session_delete(struct store *st, int64_t person_id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM sessions WHERE person_id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    return store_run(st, s, NULL);
}

int store_session_count_active(struct store *st, int64_t *out)
{
    return count_of(st, "SELECT COUNT(*) FROM sessions WHERE flow_id <> ''", NULL, out);
}

/* ---- inbox ------------------------------------------------------------- */

int store_inbox_add(struct store *st, const struct store_inbox_event *ev, int *dup, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    const char *msg_id = ev->ext_msg_id[0] ? ev->ext_msg_id : NULL;
    *dup = 0;
    if (ev->kind < STORE_EV_TEXT || ev->kind > STORE_EV_START)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO inbox (channel, ext_user, ext_msg_id, person_id, kind, text,"
                    " payload, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                    " ON CONFLICT(channel, ext_msg_id) DO NOTHING",
                    &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, ev->channel);
    store_bind_text(s, 2, ev->ext_user);
    store_bind_text(s, 3, msg_id);
    sqlite3_bind_int64(s, 4, ev->person_id);
    sqlite3_bind_int(s, 5, ev->kind);
    store_bind_text(s, 6, ev->text);
    store_bind_text(s, 7, ev->payload);
    sqlite3_bind_int64(s, 8, ev->ts);
    rc = store_run(st, s, &n);
    if (rc)
        return rc;
    if (n == 1) {
        if (id_out)
            *id_out = sqlite3_last_insert_rowid(st->db);
        return BB_OK;
    }
    *dup = 1;
    if (!id_out)
        return BB_OK;
    rc = store_stmt(st, "SELECT id FROM inbox WHERE channel = ?1 AND ext_msg_id = ?2", &s);
    if (rc)
        return rc;
    store_bind_text(s, 1, ev->channel);
    store_bind_text(s, 2, msg_id);
    rc = store_step_row(st, s);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    *id_out = sqlite3_column_int64(s, 0);
    store_done(s);
    return BB_OK;
}

void store_inbox_free(struct store_inbox_event *evs, int n)
{
    if (!evs)
        return;
    for (int i = 0; i < n; i++)
        free(evs[i].text);
    free(evs);
}

int store_inbox_next(struct store *st, int limit, struct store_inbox_event **evs, int *n)
{
    sqlite3_stmt *s;
    struct store_inbox_event *out = NULL;
    int rc, k = 0;
    *evs = NULL;
    *n = 0;
    if (limit <= 0 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "SELECT id, channel, ext_user, ext_msg_id, person_id, kind, text, payload, ts"
                    " FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?1",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int(s, 1, limit);
    out = calloc((size_t)limit, sizeof(*out));
    if (!out) {
        store_done(s);
        return BB_ENOMEM;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_inbox_event *e = &out[k];
        e->id = sqlite3_column_int64(s, 0);
        store_col_copy(s, 1, e->channel, sizeof(e->channel));
        store_col_copy(s, 2, e->ext_user, sizeof(e->ext_user));
        store_col_copy(s, 3, e->ext_msg_id, sizeof(e->ext_msg_id));
        e->person_id = sqlite3_column_int64(s, 4);
        e->kind = sqlite3_column_int(s, 5);
        store_col_copy(s, 7, e->payload, sizeof(e->payload));
        e->ts = sqlite3_column_int64(s, 8);
        k++;
        if (store_col_dup(s, 6, &e->text) != BB_OK) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        store_inbox_free(out, k);
        return rc;
    }
    store_done(s);
    *evs = out;
    *n = k;
    return BB_OK;
}

int store_inbox_done(struct store *st, int64_t id, int64_t now)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(st, "UPDATE inbox SET processed_at = ?2 WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

int store_inbox_done_upto(struct store *st, int64_t max_id, int64_t now)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st, "UPDATE inbox SET processed_at = ?2 WHERE processed_at IS NULL AND id <= ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, max_id);
    sqlite3_bind_int64(s, 2, now);
    return store_run(st, s, NULL);
}

int store_inbox_pending(struct store *st, int64_t *out)
{
    return count_of(st, "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL", NULL, out);
}

/* ---- outbox ------------------------------------------------------------ */

int store_outbox_add(struct store *st, const struct store_outbox_msg *m, int64_t *id_out)
{
    sqlite3_stmt *s;
    int64_t now = bb_now();
    int rc;
    if (!m->channel[0] || !m->body ||
        (m->priority != STORE_PRIO_LIVE && m->priority != STORE_PRIO_BULK) ||
        m->state < STORE_OUT_QUEUED || m->state > STORE_OUT_BLOCKED)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO outbox (person_id, channel, ext_user, priority, body, state,"
                    " attempts, due, created_at, updated_at, ext_msg_id, batch_id) VALUES"
                    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, m->person_id);
    store_bind_text(s, 2, m->channel);
    store_bind_text(s, 3, m->ext_user);
    sqlite3_bind_int(s, 4, m->priority);
    store_bind_text(s, 5, m->body);
    sqlite3_bind_int(s, 6, m->state);
    sqlite3_bind_int(s, 7, m->attempts);
    sqlite3_bind_int64(s, 8, m->due);
    sqlite3_bind_int64(s, 9, m->created_at ? m->created_at : now);
    sqlite3_bind_int64(s, 10, now);
    store_bind_text(s, 11, m->ext_msg_id[0] ? m->ext_msg_id : NULL);
    sqlite3_bind_int64(s, 12, m->batch_id);
    rc = store_run(st, s, NULL);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

void store_outbox_free(struct store_outbox_msg *msgs, int n)
{
    if (!msgs)
        return;
    for (int i = 0; i < n; i++)
        free(msgs[i].body);
    free(msgs);
}

int store_read_outbox(sqlite3_stmt *s, struct store_outbox_msg *m)
{
    m->id = sqlite3_column_int64(s, 0);
    m->person_id = sqlite3_column_int64(s, 1);
    store_col_copy(s, 2, m->channel, sizeof(m->channel));
    store_col_copy(s, 3, m->ext_user, sizeof(m->ext_user));
    m->priority = sqlite3_column_int(s, 4);
    m->state = sqlite3_column_int(s, 6);
    m->attempts = sqlite3_column_int(s, 7);
    m->due = sqlite3_column_int64(s, 8);
    m->created_at = sqlite3_column_int64(s, 9);
    store_col_copy(s, 10, m->ext_msg_id, sizeof(m->ext_msg_id));
    m->batch_id = sqlite3_column_int64(s, 11);
    return store_col_dup(s, 5, &m->body);
}

int store_outbox_claim(struct store *st, const char *channel, int64_t now, int limit,
                       struct store_outbox_msg **msgs, int *n)
{
    sqlite3_stmt *s, *u;
    struct store_outbox_msg *out = NULL;
    int rc, k = 0;
    *msgs = NULL;
    *n = 0;
    if (!channel || limit <= 0 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    out = calloc((size_t)limit, sizeof(*out));
    if (!out)
        return BB_ENOMEM;
    rc = store_begin(st);
    if (rc) {
        free(out);
        return rc;
    }
    /* One indexed range scan per priority (outbox_claim): LIVE first. */
    for (int prio = STORE_PRIO_LIVE; prio <= STORE_PRIO_BULK && k < limit; prio++) {
        int sr;
        rc = store_stmt(st,
                        "SELECT id, person_id, channel, ext_user, priority, body, state, attempts,"
                        " due, created_at, ext_msg_id, batch_id FROM outbox WHERE state = 0 AND"
                        " channel = ?1 AND priority = ?2 AND due <= ?3 ORDER BY due, id LIMIT ?4",
                        &s);
        if (rc)
            goto fail;
        store_bind_text(s, 1, channel);
        sqlite3_bind_int(s, 2, prio);
        sqlite3_bind_int64(s, 3, now);
        sqlite3_bind_int(s, 4, limit - k);
        while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
            rc = store_read_outbox(s, &out[k]);
            k++;
            if (rc) {
                store_done(s);
                goto fail;
            }
        }
        if (sr != SQLITE_DONE) {
            rc = store_sqlerr(st, sr);
            store_done(s);
            goto fail;
        }
        store_done(s);
    }
    for (int i = 0; i < k; i++) {
        rc = store_stmt(st, "UPDATE outbox SET state = 1, updated_at = ?2 WHERE id = ?1", &u);
        if (rc)
            goto fail;
        sqlite3_bind_int64(u, 1, out[i].id);
        sqlite3_bind_int64(u, 2, now);
        rc = store_run(st, u, NULL);
        if (rc)
            goto fail;
        out[i].state = STORE_OUT_SENDING;
    }
    rc = store_commit(st);
    if (rc) {
        store_outbox_free(out, k);
        return rc;
    }
    if (k == 0) {
        free(out);
        out = NULL;
    }
    *msgs = out;
    *n = k;
    return BB_OK;
fail:
    store_rollback(st);
    store_outbox_free(out, k);
    return rc;
}

int store_outbox_mark(struct store *st, int64_t id, int state, const char *ext_msg_id,
                      const char *error, int64_t next_due)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    if (state < STORE_OUT_QUEUED || state > STORE_OUT_BLOCKED)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "UPDATE outbox SET state = ?2, ext_msg_id = COALESCE(?3, ext_msg_id),"
                    " error = COALESCE(?4, error), updated_at = ?6,"
                    " due = CASE WHEN ?2 = 0 THEN ?5 ELSE due END,"
                    " attempts = attempts + (?2 = 0) WHERE id = ?1",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, state);
    store_bind_text(s, 3, ext_msg_id && *ext_msg_id ? ext_msg_id : NULL);
    store_bind_text(s, 4, error);
    sqlite3_bind_int64(s, 5, next_due);
    sqlite3_bind_int64(s, 6, bb_now());
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

int store_outbox_status_by_ext(struct store *st, const char *channel, const char *ext_msg_id,
                               int state, const char *error, int64_t now)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    if (!channel || !ext_msg_id || !*ext_msg_id ||
        (state != STORE_OUT_SENT && state != STORE_OUT_DELIVERED && state != STORE_OUT_READ &&
         state != STORE_OUT_FAILED))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_stmt(st, "SELECT id FROM outbox WHERE channel = ?1 AND ext_msg_id = ?2 LIMIT 1", &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_msg_id);
    rc = store_step_row(st, s);
    if (rc)
        goto done;
    store_done(s);
    /* Forward only: SENT < DELIVERED < READ; FAILED applies to any state. */
    rc = store_stmt(st,
                    "UPDATE outbox SET state = ?3, error = COALESCE(?4, error), updated_at = ?5"
                    " WHERE channel = ?1 AND ext_msg_id = ?2 AND (?3 = 5 OR"
                    " (state IN (1, 2, 3) AND state < ?3))",
                    &s);
    if (rc)
        goto done;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_msg_id);
    sqlite3_bind_int(s, 3, state);
    store_bind_text(s, 4, error);
    sqlite3_bind_int64(s, 5, now);
    rc = store_run(st, s, &n);
done:
    return store_tx_end(st, rc);
}

int store_outbox_recover(struct store *st, int *n)
{
    sqlite3_stmt *s;
    int rc, k = 0;
    rc = store_stmt(st, "UPDATE outbox SET state = 0 WHERE state = 1", &s);
    if (rc)
        return rc;
    rc = store_run(st, s, &k);
    if (n)
        *n = rc == BB_OK ? k : 0;
    return rc;
}

int store_outbox_pending(struct store *st, const char *channel, int64_t *out)
{
    if (!channel)
        return count_of(st,
                        "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0) +"
                        " (SELECT COUNT(*) FROM outbox WHERE state = 1)",
                        NULL, out);
    return count_of(st,
                    "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0 AND channel = ?1) +"
                    " (SELECT COUNT(*) FROM outbox WHERE state = 1 AND channel = ?1)",
                    channel, out);
}

/* ---- timers ------------------------------------------------------------ */

int store_timer_add(struct store *st, const struct store_timer *t, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc;
    if (!t->kind[0])
        return BB_EINVAL;
    rc = store_stmt(
        st, "INSERT INTO timers (person_id, kind, payload, due) VALUES (?1, ?2, ?3, ?4)", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, t->person_id);
    store_bind_text(s, 2, t->kind);
    store_bind_text(s, 3, t->payload);
    sqlite3_bind_int64(s, 4, t->due);
    rc = store_run(st, s, NULL);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_timer_cancel(struct store *st, int64_t person_id, const char *kind)
{
    sqlite3_stmt *s;
    int rc;
    if (kind)
        rc = store_stmt(st, "DELETE FROM timers WHERE person_id = ?1 AND kind = ?2", &s);
    else
        rc = store_stmt(st, "DELETE FROM timers WHERE person_id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    if (kind)
        store_bind_text(s, 2, kind);
    return store_run(st, s, NULL);
}

int store_timer_set(struct store *st, const struct store_timer *t)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(
        st, "UPDATE timers SET due = ?3, payload = ?4 WHERE person_id = ?1 AND kind = ?2", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, t->person_id);
    store_bind_text(s, 2, t->kind);
    sqlite3_bind_int64(s, 3, t->due);
    store_bind_text(s, 4, t->payload);
    rc = store_run(st, s, &n);
    if (rc != BB_OK || n == 1)
        return rc;
    if (n > 1) { /* more than one of a kind that should be single: keep one */
        rc = store_timer_cancel(st, t->person_id, t->kind);
        if (rc != BB_OK)
            return rc;
    }
    return store_timer_add(st, t, NULL);
}

int store_timer_due(struct store *st, int64_t now, int limit, struct store_timer **out, int *n)
{
    sqlite3_stmt *s;
    struct store_timer *ts;
    int rc, k = 0;
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "SELECT id, person_id, kind, payload, due FROM timers WHERE due <= ?1"
                    " ORDER BY due, id LIMIT ?2",
                    &s);
    if (rc)
        return rc;
    ts = calloc((size_t)limit, sizeof(*ts));
    if (!ts) {
        store_done(s);
        return BB_ENOMEM;
    }
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int(s, 2, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ts[k].id = sqlite3_column_int64(s, 0);
        ts[k].person_id = sqlite3_column_int64(s, 1);
        store_col_copy(s, 2, ts[k].kind, sizeof(ts[k].kind));
        store_col_copy(s, 3, ts[k].payload, sizeof(ts[k].payload));
        ts[k].due = sqlite3_column_int64(s, 4);
        k++;
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        free(ts);
        return rc;
    }
    store_done(s);
    *out = ts;
    *n = k;
    return BB_OK;
}

int store_timer_delete(struct store *st, int64_t id)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(st, "DELETE FROM timers WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = store_run(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

/* ---- check-ins --------------------------------------------------------- */

int store_checkin_add(struct store *st, const struct store_checkin *c, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc;
    if (c->mood < 0 || c->mood > 5 || c->wants_help < -1 || c->wants_help > 1)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO checkins (person_id, at, mood, win, blocker, wants_help, extra)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, c->person_id);
    sqlite3_bind_int64(s, 2, c->at);
    sqlite3_bind_int(s, 3, c->mood);
    store_bind_text(s, 4, c->win);
    store_bind_text(s, 5, c->blocker);
    sqlite3_bind_int(s, 6, c->wants_help);
    store_bind_text(s, 7, c->extra);
    rc = store_run(st, s, NULL);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_checkin_list(struct store *st, int64_t person_id, int limit, struct store_checkin **out,
                       int *n)
{
    sqlite3_stmt *s;
    struct store_checkin *cs;
    int rc, k = 0;
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "SELECT id, person_id, at, mood, win, blocker, wants_help, extra FROM checkins"
                    " WHERE person_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
                    &s);
    if (rc)
        return rc;
    cs = calloc((size_t)limit, sizeof(*cs));
    if (!cs) {
        store_done(s);
        return BB_ENOMEM;
    }
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        cs[k].id = sqlite3_column_int64(s, 0);
        cs[k].person_id = sqlite3_column_int64(s, 1);
        cs[k].at = sqlite3_column_int64(s, 2);
        cs[k].mood = sqlite3_column_int(s, 3);
        store_col_copy(s, 4, cs[k].win, sizeof(cs[k].win));
        store_col_copy(s, 5, cs[k].blocker, sizeof(cs[k].blocker));
        cs[k].wants_help = sqlite3_column_int(s, 6);
        store_col_copy(s, 7, cs[k].extra, sizeof(cs[k].extra));
        k++;
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        free(cs);
        return rc;
    }
    store_done(s);
    *out = cs;
    *n = k;
    return BB_OK;
}

/* ---- audit ------------------------------------------------------------- */

int store_audit(struct store *st, const char *actor, const char *action, int64_t subject_person,
                const char *detail, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (!actor || !action || !*action)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO audit_log (at, actor, action, subject_person, detail)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
                    &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    store_bind_text(s, 2, actor);
    store_bind_text(s, 3, action);
    sqlite3_bind_int64(s, 4, subject_person);
    store_bind_text(s, 5, detail ? detail : "");
    return store_run(st, s, NULL);
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
        cJSON *arr = NULL;
        sqlite3_stmt *s;
        int sr;
        if (!pt->key || !pt->export_sql)
            continue;
        rc = store_stmt(st, pt->export_sql, &s);
        if (rc)
            goto fail;
        sqlite3_bind_int64(s, 1, person_id);
        if (!pt->single) {
            arr = cJSON_AddArrayToObject(root, pt->key);
            if (!arr) {
                store_done(s);
                rc = BB_ENOMEM;
                goto fail;
            }
        }
        while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
            cJSON *row = row_json(s);
            if (!row) {
                sr = SQLITE_NOMEM;
                break;
            }
            if (pt->single) {
                cJSON_AddItemToObject(root, pt->key, row);
                sr = SQLITE_DONE;
                break;
            }
            cJSON_AddItemToArray(arr, row);
        }
        store_done(s);
        if (sr != SQLITE_DONE) {
            rc = sr == SQLITE_NOMEM ? BB_ENOMEM : store_sqlerr(st, sr);
            goto fail;
        }
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
        sqlite3_stmt *s;
        if (!pt->erase_sql)
            continue;
        rc = store_stmt(st, pt->erase_sql, &s);
        if (rc)
            break;
        sqlite3_bind_int64(s, 1, person_id);
        rc = store_run(st, s, NULL);
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
