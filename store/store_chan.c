/*
 * store_chan.c - queries the channel adapters need beyond the queues: is an
 * identity blocked, which message asked a question (to edit its buttons
 * away once answered), and what a chat was sent after a point (web chat
 * replay). Called by the adapters; same thread rules as store.h.
 */
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

int store_identity_blocked(struct store *st, const char *channel, const char *ext_id, int *blocked)
{
    int64_t b = 0;
    int rc = store_q_int64(st, "SELECT blocked FROM identities WHERE channel = ?1 AND ext_id = ?2",
                           STORE_ARGS(store_text(channel), store_text(ext_id)), &b);
    *blocked = rc == BB_OK && b != 0;
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

struct question {
    char *ext_msg_id;
    size_t n;
    char **body;
};

static int map_question(sqlite3_stmt *s, void *out)
{
    struct question *q = out;
    store_col_copy(s, 0, q->ext_msg_id, q->n);
    return store_col_dup(s, 1, q->body);
}

int store_outbox_find_question(struct store *st, const char *channel, const char *ext_user,
                               const char *q, char *ext_msg_id, size_t n, char **body)
{
    struct question out = {ext_msg_id, n, body};
    *body = NULL;
    /* Recent rows of the chat only: a question is answered soon after. */
    return store_q_one(st,
                       "SELECT ext_msg_id, body FROM (SELECT ext_msg_id, body FROM outbox"
                       " WHERE channel = ?1 AND ext_user = ?2 ORDER BY id DESC LIMIT 200)"
                       " WHERE json_valid(body) AND json_extract(body, '$.q') = ?3 LIMIT 1",
                       STORE_ARGS(store_text(channel), store_text(ext_user), store_text(q)),
                       map_question, &out);
}

int store_outbox_after(struct store *st, const char *channel, const char *ext_user,
                       int64_t after_id, int limit, struct store_outbox_msg **msgs, int *n)
{
    int rc;
    *msgs = NULL;
    *n = 0;
    if (limit <= 0 || limit > 1000)
        return BB_EINVAL;
    rc = store_q_list(st,
                      "SELECT " STORE_OUTBOX_COLS " FROM outbox WHERE channel = ?1 AND"
                      " ext_user = ?2 AND id > ?3 ORDER BY id LIMIT ?4",
                      STORE_ARGS(store_text(channel), store_text(ext_user), store_int(after_id),
                                 store_int(limit)),
                      store_map_outbox, sizeof(**msgs), limit, store_drop_outbox, (void **)msgs, n);
    if (rc == BB_OK && *n == 0) {
        free(*msgs);
        *msgs = NULL;
    }
    return rc;
}

int store_outbox_recover_chat(struct store *st, const char *channel, const char *ext_user, int *n)
{
    *n = 0;
    return store_q_exec(st,
                        "UPDATE outbox SET state = 0 WHERE state = 1 AND channel = ?1 AND"
                        " ext_user = ?2",
                        STORE_ARGS(store_text(channel), store_text(ext_user)), n);
}

int store_outbox_put(struct store *st, int64_t person_id, const char *channel, const char *ext_user,
                     int priority, const char *body, int64_t batch_id, int64_t *id_out)
{
    struct store_outbox_msg m;
    memset(&m, 0, sizeof(m));
    m.person_id = person_id;
    if (bb_strlcpy(m.channel, channel, sizeof(m.channel)) != BB_OK ||
        bb_strlcpy(m.ext_user, ext_user, sizeof(m.ext_user)) != BB_OK)
        return BB_EINVAL;
    m.priority = priority;
    m.body = (char *)body;
    m.due = bb_now();
    m.created_at = m.due;
    m.batch_id = batch_id;
    return store_outbox_add(st, &m, id_out);
}

int store_outbox_set_body(struct store *st, int64_t id, const char *body)
{
    if (!body)
        return BB_EINVAL;
    return store_q_change(st, "UPDATE outbox SET body = ?2 WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_text(body)));
}
