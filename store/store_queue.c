/*
 * store_queue.c - the message queues of store.h: the inbox (platform
 * events waiting for the core) and the outbox (replies waiting to be sent,
 * then their delivery state). Called through store.h; written with the
 * query helpers of store_int.h.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#include <stdlib.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* ---- inbox ------------------------------------------------------------- */

int store_inbox_add(struct store *st, const struct store_inbox_event *ev, int *dup, int64_t *id_out)
{
    const char *msg_id = ev->ext_msg_id[0] ? ev->ext_msg_id : NULL;
    int rc, n = 0;
    *dup = 0;
    if (ev->kind < STORE_EV_TEXT || ev->kind > STORE_EV_START)
        return BB_EINVAL;
    rc = store_q_exec(st,
                      "INSERT INTO inbox (channel, ext_user, ext_msg_id, person_id, kind, text,"
                      " payload, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                      " ON CONFLICT(channel, ext_msg_id) DO NOTHING",
                      STORE_ARGS(store_text(ev->channel), store_text(ev->ext_user),
                                 store_text(msg_id), store_int(ev->person_id), store_int(ev->kind),
                                 store_text(ev->text), store_text(ev->payload), store_int(ev->ts)),
                      &n);
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
    rc = store_q_int64(st, "SELECT id FROM inbox WHERE channel = ?1 AND ext_msg_id = ?2",
                       STORE_ARGS(store_text(ev->channel), store_text(msg_id)), id_out);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

void store_inbox_free(struct store_inbox_event *evs, int n)
{
    if (!evs)
        return;
    for (int i = 0; i < n; i++)
        free(evs[i].text);
    free(evs);
}

static void drop_inbox(void *evs, int n)
{
    store_inbox_free(evs, n);
}

int store_inbox_next(struct store *st, int limit, struct store_inbox_event **evs, int *n)
{
    return store_q_list(st,
                        "SELECT id, channel, ext_user, ext_msg_id, person_id, kind, text, payload,"
                        " ts FROM inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?1",
                        STORE_ARGS(store_int(limit)), store_map_inbox_event, sizeof(**evs), limit,
                        drop_inbox, (void **)evs, n);
}

int store_inbox_done(struct store *st, int64_t id, int64_t now)
{
    return store_q_change(st, "UPDATE inbox SET processed_at = ?2 WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_int(now)));
}

int store_inbox_done_upto(struct store *st, int64_t max_id, int64_t now)
{
    return store_q_exec(
        st, "UPDATE inbox SET processed_at = ?2 WHERE processed_at IS NULL AND id <= ?1",
        STORE_ARGS(store_int(max_id), store_int(now)), NULL);
}

int store_inbox_pending(struct store *st, int64_t *out)
{
    return store_q_int64(st, "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL", STORE_NOARGS,
                         out);
}

/* ---- outbox ------------------------------------------------------------ */

int store_outbox_add(struct store *st, const struct store_outbox_msg *m, int64_t *id_out)
{
    int64_t now = bb_now();
    if (!m->channel[0] || !m->body ||
        (m->priority != STORE_PRIO_LIVE && m->priority != STORE_PRIO_BULK) ||
        m->state < STORE_OUT_QUEUED || m->state > STORE_OUT_BLOCKED)
        return BB_EINVAL;
    return store_q_insert(
        st,
        "INSERT INTO outbox (person_id, channel, ext_user, priority, body, state, attempts, due,"
        " created_at, updated_at, ext_msg_id, batch_id) VALUES"
        " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        STORE_ARGS(store_int(m->person_id), store_text(m->channel), store_text(m->ext_user),
                   store_int(m->priority), store_text(m->body), store_int(m->state),
                   store_int(m->attempts), store_int(m->due),
                   store_int(m->created_at ? m->created_at : now), store_int(now),
                   store_text(m->ext_msg_id[0] ? m->ext_msg_id : NULL), store_int(m->batch_id)),
        id_out);
}

void store_outbox_free(struct store_outbox_msg *msgs, int n)
{
    if (!msgs)
        return;
    for (int i = 0; i < n; i++)
        free(msgs[i].body);
    free(msgs);
}

void store_drop_outbox(void *msgs, int n)
{
    store_outbox_free(msgs, n);
}

/* Rows read by store_outbox_claim so far. */
struct claim {
    struct store_outbox_msg *out;
    int k;
};

static int claim_row(sqlite3_stmt *s, void *ctx)
{
    struct claim *c = ctx;
    return store_map_outbox(s, &c->out[c->k++]);
}

int store_outbox_claim(struct store *st, const char *channel, int64_t now, int limit,
                       struct store_outbox_msg **msgs, int *n)
{
    struct claim c = {NULL, 0};
    int rc;
    *msgs = NULL;
    *n = 0;
    if (!channel || limit <= 0 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    c.out = calloc((size_t)limit, sizeof(*c.out));
    if (!c.out)
        return BB_ENOMEM;
    rc = store_begin(st);
    if (rc) {
        free(c.out);
        return rc;
    }
    /* One indexed range scan per priority (outbox_claim): LIVE first. */
    for (int prio = STORE_PRIO_LIVE; prio <= STORE_PRIO_BULK && c.k < limit && !rc; prio++)
        rc = store_q_each(st,
                          "SELECT " STORE_OUTBOX_COLS " FROM outbox WHERE state = 0 AND"
                          " channel = ?1 AND priority = ?2 AND due <= ?3 ORDER BY due, id"
                          " LIMIT ?4",
                          STORE_ARGS(store_text(channel), store_int(prio), store_int(now),
                                     store_int(limit - c.k)),
                          claim_row, &c);
    for (int i = 0; i < c.k && !rc; i++) {
        rc = store_q_exec(st, "UPDATE outbox SET state = 1, updated_at = ?2 WHERE id = ?1",
                          STORE_ARGS(store_int(c.out[i].id), store_int(now)), NULL);
        c.out[i].state = STORE_OUT_SENDING;
    }
    if (rc) {
        store_rollback(st);
        store_outbox_free(c.out, c.k);
        return rc;
    }
    rc = store_commit(st);
    if (rc) {
        store_outbox_free(c.out, c.k);
        return rc;
    }
    if (c.k == 0) {
        free(c.out);
        c.out = NULL;
    }
    *msgs = c.out;
    *n = c.k;
    return BB_OK;
}

int store_outbox_mark(struct store *st, int64_t id, int state, const char *ext_msg_id,
                      const char *error, int64_t next_due)
{
    if (state < STORE_OUT_QUEUED || state > STORE_OUT_BLOCKED)
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE outbox SET state = ?2, ext_msg_id = COALESCE(?3, ext_msg_id),"
                          " error = COALESCE(?4, error), updated_at = ?6,"
                          " due = CASE WHEN ?2 = 0 THEN ?5 ELSE due END,"
                          " attempts = attempts + (?2 = 0) WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_int(state),
                                     store_text(ext_msg_id && *ext_msg_id ? ext_msg_id : NULL),
                                     store_text(error), store_int(next_due), store_int(bb_now())));
}

int store_outbox_status_by_ext(struct store *st, const char *channel, const char *ext_msg_id,
                               int state, const char *error, int64_t now)
{
    int rc;
    if (!channel || !ext_msg_id || !*ext_msg_id ||
        (state != STORE_OUT_SENT && state != STORE_OUT_DELIVERED && state != STORE_OUT_READ &&
         state != STORE_OUT_FAILED))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_q_one(st, "SELECT id FROM outbox WHERE channel = ?1 AND ext_msg_id = ?2 LIMIT 1",
                     STORE_ARGS(store_text(channel), store_text(ext_msg_id)), NULL, NULL);
    /* Forward only: SENT < DELIVERED < READ; FAILED applies to any state. */
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE outbox SET state = ?3, error = COALESCE(?4, error),"
                          " updated_at = ?5 WHERE channel = ?1 AND ext_msg_id = ?2 AND"
                          " (?3 = 5 OR (state IN (1, 2, 3) AND state < ?3))",
                          STORE_ARGS(store_text(channel), store_text(ext_msg_id), store_int(state),
                                     store_text(error), store_int(now)),
                          NULL);
    return store_tx_end(st, rc);
}

int store_outbox_recover(struct store *st, int *n)
{
    int k = 0;
    int rc = store_q_exec(st, "UPDATE outbox SET state = 0 WHERE state = 1", STORE_NOARGS, &k);
    if (n)
        *n = rc == BB_OK ? k : 0;
    return rc;
}

int store_outbox_pending(struct store *st, const char *channel, int64_t *out)
{
    if (!channel)
        return store_q_int64(st,
                             "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0) +"
                             " (SELECT COUNT(*) FROM outbox WHERE state = 1)",
                             STORE_NOARGS, out);
    return store_q_int64(st,
                         "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0 AND channel = ?1) +"
                         " (SELECT COUNT(*) FROM outbox WHERE state = 1 AND channel = ?1)",
                         STORE_ARGS(store_text(channel)), out);
}
