/*
 * store_reg.c - registration attempts: wrong invite codes per chat, so the
 * core can refuse a chat that guesses codes. Rows live an hour; each add
 * prunes the old ones. Called by the core; same thread rules as store.h.
 */
#include "store/store_int.h"
#include "bot/base/bb.h"

int store_attempts_add(struct store *st, const char *channel, const char *ext_user, int64_t now)
{
    int rc = store_q_exec(st, "DELETE FROM reg_attempts WHERE at < ?1",
                          STORE_ARGS(store_int(now - 3600)), NULL);
    if (rc != BB_OK)
        return rc;
    return store_q_exec(st, "INSERT INTO reg_attempts(channel, ext_user, at) VALUES(?1, ?2, ?3)",
                        STORE_ARGS(store_text(channel), store_text(ext_user), store_int(now)),
                        NULL);
}

int store_attempts_count(struct store *st, const char *channel, const char *ext_user, int64_t since,
                         int64_t *out)
{
    int rc =
        store_q_int64(st,
                      "SELECT COUNT(*) FROM reg_attempts WHERE channel = ?1 AND ext_user = ?2"
                      " AND at >= ?3",
                      STORE_ARGS(store_text(channel), store_text(ext_user), store_int(since)), out);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}
