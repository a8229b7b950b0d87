/*
 * store_web.c - web chat sign-in sessions (see store_web.h): the web_sessions
 * table of migration 4. Same thread rules as store.h.
 */
#include "store/store_web.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

int store_web_session_add(struct store *st, const char *token_hash, const char *ext_user,
                          int64_t now, int64_t expires_at)
{
    sqlite3_stmt *s;
    int rc;
    if (!token_hash || !token_hash[0] || !ext_user || !ext_user[0])
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO web_sessions(token_hash, ext_user, created_at, last_seen,"
                    " expires_at) VALUES(?1, ?2, ?3, ?3, ?4)",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    store_bind_text(s, 2, ext_user);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires_at);
    rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? BB_OK : store_sqlerr(st, rc);
}

int store_web_session_get(struct store *st, const char *token_hash, int64_t now, char *ext_user,
                          size_t n)
{
    sqlite3_stmt *s;
    int rc;
    if (!token_hash || !ext_user || n == 0)
        return BB_EINVAL;
    ext_user[0] = '\0';
    rc = store_stmt(
        st, "SELECT ext_user FROM web_sessions WHERE token_hash = ?1 AND expires_at > ?2", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        store_col_copy(s, 0, ext_user, n);
        rc = BB_OK;
    } else if (rc == SQLITE_DONE) {
        rc = BB_ENOTFOUND;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_web_session_touch(struct store *st, const char *token_hash, int64_t now,
                            int64_t expires_at)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "UPDATE web_sessions SET last_seen = ?2, expires_at = ?3"
                        " WHERE token_hash = ?1",
                        &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_int64(s, 3, expires_at);
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    return sqlite3_changes(st->db) > 0 ? BB_OK : BB_ENOTFOUND;
}

int store_web_session_delete(struct store *st, const char *token_hash)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM web_sessions WHERE token_hash = ?1", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    return sqlite3_changes(st->db) > 0 ? BB_OK : BB_ENOTFOUND;
}

int store_web_session_prune(struct store *st, int64_t now, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM web_sessions WHERE expires_at <= ?1", &s);
    if (n)
        *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    if (n)
        *n = sqlite3_changes(st->db);
    return BB_OK;
}
