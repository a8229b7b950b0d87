/*
 * store_reg.c - registration attempts: wrong invite codes per chat, so the
 * core can refuse a chat that guesses codes. Rows live an hour; each add
 * prunes the old ones. Same thread rules as store.h.
 */
#include "store/store_int.h"
#include "bot/base/bb.h"

int store_attempts_add(struct store *st, const char *channel, const char *ext_user, int64_t now)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM reg_attempts WHERE at < ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now - 3600);
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    rc = store_stmt(st, "INSERT INTO reg_attempts(channel, ext_user, at) VALUES(?1, ?2, ?3)", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_user);
    sqlite3_bind_int64(s, 3, now);
    rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? BB_OK : store_sqlerr(st, rc);
}

int store_attempts_count(struct store *st, const char *channel, const char *ext_user, int64_t since,
                         int64_t *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT COUNT(*) FROM reg_attempts WHERE channel = ?1 AND ext_user = ?2"
                        " AND at >= ?3",
                        &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_user);
    sqlite3_bind_int64(s, 3, since);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}
