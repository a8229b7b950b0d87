/*
 * store_chan.c - queries the channel adapters need beyond the queues: is an
 * identity blocked, which message asked a question (to edit its buttons
 * away once answered), and what a chat was sent after a point (web chat
 * replay). Same thread rules as store.h.
 */
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#define OUTBOX_COLS                                                                                \
    "id, person_id, channel, ext_user, priority, body, state, attempts, due, created_at,"          \
    " ext_msg_id, batch_id"

int store_identity_blocked(struct store *st, const char *channel, const char *ext_id, int *blocked)
{
    sqlite3_stmt *s;
    int rc =
        store_stmt(st, "SELECT blocked FROM identities WHERE channel = ?1 AND ext_id = ?2", &s);
    *blocked = 0;
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *blocked = sqlite3_column_int(s, 0) != 0;
        rc = BB_OK;
    } else if (rc == SQLITE_DONE) {
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_outbox_find_question(struct store *st, const char *channel, const char *ext_user,
                               const char *q, char *ext_msg_id, size_t n, char **body)
{
    sqlite3_stmt *s;
    /* Recent rows of the chat only: a question is answered soon after. */
    int rc = store_stmt(st,
                        "SELECT ext_msg_id, body FROM (SELECT ext_msg_id, body FROM outbox"
                        " WHERE channel = ?1 AND ext_user = ?2 ORDER BY id DESC LIMIT 200)"
                        " WHERE json_valid(body) AND json_extract(body, '$.q') = ?3 LIMIT 1",
                        &s);
    *body = NULL;
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_user);
    store_bind_text(s, 3, q);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        store_col_copy(s, 0, ext_msg_id, n);
        rc = store_col_dup(s, 1, body);
    } else if (rc == SQLITE_DONE) {
        rc = BB_ENOTFOUND;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_outbox_after(struct store *st, const char *channel, const char *ext_user,
                       int64_t after_id, int limit, struct store_outbox_msg **msgs, int *n)
{
    sqlite3_stmt *s;
    struct store_outbox_msg *out;
    int rc, k = 0, sr;
    *msgs = NULL;
    *n = 0;
    if (limit <= 0 || limit > 1000)
        return BB_EINVAL;
    out = calloc((size_t)limit, sizeof(*out));
    if (!out)
        return BB_ENOMEM;
    rc = store_stmt(st,
                    "SELECT " OUTBOX_COLS " FROM outbox WHERE channel = ?1 AND ext_user = ?2"
                    " AND id > ?3 ORDER BY id LIMIT ?4",
                    &s);
    if (rc != BB_OK) {
        free(out);
        return rc;
    }
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_user);
    sqlite3_bind_int64(s, 3, after_id);
    sqlite3_bind_int(s, 4, limit);
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        rc = store_read_outbox(s, &out[k]);
        k++;
        if (rc != BB_OK)
            break;
    }
    if (rc == BB_OK && sr != SQLITE_DONE)
        rc = store_sqlerr(st, sr);
    store_done(s);
    if (rc != BB_OK) {
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
}

int store_outbox_recover_chat(struct store *st, const char *channel, const char *ext_user, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "UPDATE outbox SET state = 0 WHERE state = 1 AND channel = ?1 AND"
                        " ext_user = ?2",
                        &s);
    *n = 0;
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, channel);
    store_bind_text(s, 2, ext_user);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        *n = sqlite3_changes(st->db);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
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
