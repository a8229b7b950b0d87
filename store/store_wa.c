/*
 * store_wa.c - the queries of a channel with 24-hour customer service
 * windows (see store_wa.h): windows, held messages and link confirmations.
 * The channel names itself in the calls that touch the shared outbox.
 * Called by that channel's adapter; same thread rules as store.h.
 */
#include "store/store_wa.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

int store_wa_inbound(struct store *st, const char *channel, const char *wa_id, int64_t ts,
                     int64_t now)
{
    int rc;
    if (!channel || !*channel || !wa_id || !*wa_id)
        return BB_EINVAL;
    if (ts <= 0 || ts > now)
        ts = now;
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = store_q_exec(st,
                      "INSERT INTO wa_window(wa_id, last_in) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                      " DO UPDATE SET last_in = MAX(last_in, excluded.last_in)",
                      STORE_ARGS(store_text(wa_id), store_int(ts)), NULL);
    /* Held messages (due later) may go now, oldest first as before. */
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE outbox SET due = ?2 WHERE channel = ?3 AND ext_user = ?1"
                          " AND state = 0 AND due > ?2",
                          STORE_ARGS(store_text(wa_id), store_int(now), store_text(channel)), NULL);
    return store_tx_end(st, rc);
}

int store_wa_window_get(struct store *st, const char *wa_id, struct store_wa_window *w)
{
    int64_t *const cols[] = {&w->last_in, &w->closed_at, &w->nudged_at};
    memset(w, 0, sizeof(*w));
    return store_q_ints(st, "SELECT last_in, closed_at, nudged_at FROM wa_window WHERE wa_id = ?1",
                        STORE_ARGS(store_text(wa_id)), cols, 3);
}

int store_wa_window_open(const struct store_wa_window *w, int64_t now)
{
    return w->last_in > 0 && now - w->last_in < STORE_WA_WINDOW && w->closed_at < w->last_in;
}

int store_wa_window_close(struct store *st, const char *wa_id, int64_t now)
{
    return store_q_exec(st,
                        "INSERT INTO wa_window(wa_id, closed_at) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                        " DO UPDATE SET closed_at = MAX(closed_at, excluded.closed_at)",
                        STORE_ARGS(store_text(wa_id), store_int(now)), NULL);
}

int store_wa_set_nudged(struct store *st, const char *wa_id, int64_t now)
{
    return store_q_exec(st,
                        "INSERT INTO wa_window(wa_id, nudged_at) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                        " DO UPDATE SET nudged_at = excluded.nudged_at",
                        STORE_ARGS(store_text(wa_id), store_int(now)), NULL);
}

int store_wa_due_closed(struct store *st, const char *channel, int prio, int64_t now, int limit,
                        struct store_wa_held **out, int *n)
{
    int rc;
    *out = NULL;
    *n = 0;
    if (!channel || limit <= 0 || limit > 1024)
        return BB_EINVAL;
    rc = store_q_list(st,
                      "SELECT o.id, o.person_id, o.ext_user, o.created_at, o.batch_id FROM"
                      " (SELECT id, person_id, ext_user, created_at, batch_id, body, due FROM"
                      " outbox WHERE state = 0 AND channel = ?5 AND priority = ?1 AND due <= ?2"
                      " ORDER BY due, id LIMIT ?3) o LEFT JOIN wa_window w ON w.wa_id = o.ext_user"
                      " WHERE (w.wa_id IS NULL OR w.last_in <= ?2 - ?4 OR w.closed_at >= w.last_in)"
                      " AND NOT (json_valid(o.body) AND"
                      " json_extract(o.body, '$.wa_template') IS NOT NULL)"
                      " ORDER BY o.due, o.id",
                      STORE_ARGS(store_int(prio), store_int(now), store_int(limit),
                                 store_int(STORE_WA_WINDOW), store_text(channel)),
                      store_map_wa_held, sizeof(**out), limit, NULL, (void **)out, n);
    if (rc == BB_OK && *n == 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

int store_wa_hold(struct store *st, int64_t outbox_id, int64_t until)
{
    return store_q_exec(
        st, "UPDATE outbox SET due = ?2, updated_at = ?3 WHERE id = ?1 AND state = 0",
        STORE_ARGS(store_int(outbox_id), store_int(until), store_int(bb_now())), NULL);
}

int store_wa_pending_get(struct store *st, const char *wa_id, struct store_wa_pending *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT person_id, state, prompts, created_at FROM wa_pending"
                       " WHERE wa_id = ?1",
                       STORE_ARGS(store_text(wa_id)), store_map_wa_pending, out);
}

int store_wa_pending_put(struct store *st, const char *wa_id, const struct store_wa_pending *p)
{
    if (!wa_id || !*wa_id || p->person_id <= 0)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT OR REPLACE INTO wa_pending(wa_id, person_id, state, prompts,"
                        " created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                        STORE_ARGS(store_text(wa_id), store_int(p->person_id), store_int(p->state),
                                   store_int(p->prompts), store_int(p->created_at)),
                        NULL);
}

int store_wa_pending_delete(struct store *st, const char *wa_id)
{
    return store_q_exec(st, "DELETE FROM wa_pending WHERE wa_id = ?1",
                        STORE_ARGS(store_text(wa_id)), NULL);
}
