/*
 * store_web.c - web chat sign-in sessions (see store_web.h): the web_sessions
 * table of migration 4. Called by the web chat and dashboard adapters; same
 * thread rules as store.h.
 */
#include "store/store_web.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

int store_web_session_add(struct store *st, const char *token_hash, const char *ext_user,
                          int64_t now, int64_t expires_at)
{
    if (!token_hash || !token_hash[0] || !ext_user || !ext_user[0])
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO web_sessions(token_hash, ext_user, created_at, last_seen,"
                        " expires_at) VALUES(?1, ?2, ?3, ?3, ?4)",
                        STORE_ARGS(store_text(token_hash), store_text(ext_user), store_int(now),
                                   store_int(expires_at)),
                        NULL);
}

int store_web_session_get(struct store *st, const char *token_hash, int64_t now, char *ext_user,
                          size_t n)
{
    if (!token_hash || !ext_user || n == 0)
        return BB_EINVAL;
    ext_user[0] = '\0';
    return store_q_text(st,
                        "SELECT ext_user FROM web_sessions WHERE token_hash = ?1 AND"
                        " expires_at > ?2",
                        STORE_ARGS(store_text(token_hash), store_int(now)), ext_user, n);
}

int store_web_session_touch(struct store *st, const char *token_hash, int64_t now,
                            int64_t expires_at)
{
    return store_q_change(
        st,
        "UPDATE web_sessions SET last_seen = ?2, expires_at = ?3"
        " WHERE token_hash = ?1",
        STORE_ARGS(store_text(token_hash), store_int(now), store_int(expires_at)));
}

int store_web_session_delete(struct store *st, const char *token_hash)
{
    return store_q_change(st, "DELETE FROM web_sessions WHERE token_hash = ?1",
                          STORE_ARGS(store_text(token_hash)));
}

int store_web_session_prune(struct store *st, int64_t now, int *n)
{
    int k = 0;
    int rc = store_q_exec(st, "DELETE FROM web_sessions WHERE expires_at <= ?1",
                          STORE_ARGS(store_int(now)), &k);
    if (n)
        *n = rc == BB_OK ? k : 0;
    return rc;
}
