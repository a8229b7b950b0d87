/*
 * store_wa.c - the WhatsApp channel's queries (see store_wa.h): windows,
 * held messages and link confirmations. Statement slots 352..383. Same
 * thread rules as store.h.
 */
#include "store/store_wa.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

int store_wa_inbound(struct store *st, const char *wa_id, int64_t ts, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (!wa_id || !*wa_id)
        return BB_EINVAL;
    if (ts <= 0 || ts > now)
        ts = now;
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "INSERT INTO wa_window(wa_id, last_in) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                    " DO UPDATE SET last_in = MAX(last_in, excluded.last_in)",
                    &s);
    if (rc != BB_OK)
        goto done;
    store_bind_text(s, 1, wa_id);
    sqlite3_bind_int64(s, 2, ts);
    rc = store_run(st, s, NULL);
    if (rc != BB_OK)
        goto done;
    /* Held messages (due later) may go now, oldest first as before. */
    rc = store_stmt(st,
                    "UPDATE outbox SET due = ?2 WHERE channel = 'whatsapp' AND ext_user = ?1"
                    " AND state = 0 AND due > ?2",
                    &s);
    if (rc != BB_OK)
        goto done;
    store_bind_text(s, 1, wa_id);
    sqlite3_bind_int64(s, 2, now);
    rc = store_run(st, s, NULL);
done:
    return store_tx_end(st, rc);
}

int store_wa_window_get(struct store *st, const char *wa_id, struct store_wa_window *w)
{
    sqlite3_stmt *s;
    int rc =
        store_stmt(st, "SELECT last_in, closed_at, nudged_at FROM wa_window WHERE wa_id = ?1", &s);
    memset(w, 0, sizeof(*w));
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, wa_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        w->last_in = sqlite3_column_int64(s, 0);
        w->closed_at = sqlite3_column_int64(s, 1);
        w->nudged_at = sqlite3_column_int64(s, 2);
        rc = BB_OK;
    } else if (rc == SQLITE_DONE) {
        rc = BB_ENOTFOUND;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_wa_window_open(const struct store_wa_window *w, int64_t now)
{
    return w->last_in > 0 && now - w->last_in < STORE_WA_WINDOW && w->closed_at < w->last_in;
}

static int win_set(struct store *st, const char *sql, const char *wa_id, int64_t now)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, wa_id);
    sqlite3_bind_int64(s, 2, now);
    return store_run(st, s, NULL);
}

int store_wa_window_close(struct store *st, const char *wa_id, int64_t now)
{
    return win_set(st,
                   "INSERT INTO wa_window(wa_id, closed_at) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                   " DO UPDATE SET closed_at = MAX(closed_at, excluded.closed_at)",
                   wa_id, now);
}

int store_wa_set_nudged(struct store *st, const char *wa_id, int64_t now)
{
    return win_set(st,
                   "INSERT INTO wa_window(wa_id, nudged_at) VALUES(?1, ?2) ON CONFLICT(wa_id)"
                   " DO UPDATE SET nudged_at = excluded.nudged_at",
                   wa_id, now);
}

int store_wa_due_closed(struct store *st, int prio, int64_t now, int limit,
                        struct store_wa_held **out, int *n)
{
    sqlite3_stmt *s;
    struct store_wa_held *v;
    int rc, k = 0, sr = SQLITE_DONE;
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > 1024)
        return BB_EINVAL;
    v = calloc((size_t)limit, sizeof(*v));
    if (!v)
        return BB_ENOMEM;
    rc = store_stmt(st,
                    "SELECT o.id, o.person_id, o.ext_user, o.created_at, o.batch_id FROM"
                    " (SELECT id, person_id, ext_user, created_at, batch_id, body, due FROM outbox"
                    " WHERE state = 0 AND channel = 'whatsapp' AND priority = ?1 AND due <= ?2"
                    " ORDER BY due, id LIMIT ?3) o LEFT JOIN wa_window w ON w.wa_id = o.ext_user"
                    " WHERE (w.wa_id IS NULL OR w.last_in <= ?2 - ?4 OR w.closed_at >= w.last_in)"
                    " AND NOT (json_valid(o.body) AND"
                    " json_extract(o.body, '$.wa_template') IS NOT NULL)"
                    " ORDER BY o.due, o.id",
                    &s);
    if (rc != BB_OK) {
        free(v);
        return rc;
    }
    sqlite3_bind_int(s, 1, prio);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_int(s, 3, limit);
    sqlite3_bind_int64(s, 4, STORE_WA_WINDOW);
    while (k < limit && (sr = sqlite3_step(s)) == SQLITE_ROW) {
        v[k].id = sqlite3_column_int64(s, 0);
        v[k].person_id = sqlite3_column_int64(s, 1);
        store_col_copy(s, 2, v[k].ext_user, sizeof(v[k].ext_user));
        v[k].created_at = sqlite3_column_int64(s, 3);
        v[k].batch_id = sqlite3_column_int64(s, 4);
        k++;
    }
    if (k < limit && sr != SQLITE_DONE)
        rc = store_sqlerr(st, sr);
    store_done(s);
    if (rc != BB_OK || k == 0) {
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return BB_OK;
}

int store_wa_hold(struct store *st, int64_t outbox_id, int64_t until)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st, "UPDATE outbox SET due = ?2, updated_at = ?3 WHERE id = ?1 AND state = 0", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, outbox_id);
    sqlite3_bind_int64(s, 2, until);
    sqlite3_bind_int64(s, 3, bb_now());
    return store_run(st, s, NULL);
}

int store_wa_pending_get(struct store *st, const char *wa_id, struct store_wa_pending *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT person_id, state, prompts, created_at FROM wa_pending"
                        " WHERE wa_id = ?1",
                        &s);
    memset(out, 0, sizeof(*out));
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, wa_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->person_id = sqlite3_column_int64(s, 0);
        out->state = sqlite3_column_int(s, 1);
        out->prompts = sqlite3_column_int(s, 2);
        out->created_at = sqlite3_column_int64(s, 3);
        rc = BB_OK;
    } else if (rc == SQLITE_DONE) {
        rc = BB_ENOTFOUND;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_wa_pending_put(struct store *st, const char *wa_id, const struct store_wa_pending *p)
{
    sqlite3_stmt *s;
    int rc;
    if (!wa_id || !*wa_id || p->person_id <= 0)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT OR REPLACE INTO wa_pending(wa_id, person_id, state, prompts,"
                    " created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, wa_id);
    sqlite3_bind_int64(s, 2, p->person_id);
    sqlite3_bind_int(s, 3, p->state);
    sqlite3_bind_int(s, 4, p->prompts);
    sqlite3_bind_int64(s, 5, p->created_at);
    return store_run(st, s, NULL);
}

int store_wa_pending_delete(struct store *st, const char *wa_id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM wa_pending WHERE wa_id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, wa_id);
    return store_run(st, s, NULL);
}
