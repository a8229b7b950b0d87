/*
 * store_alerts.c - the alerts table (store_alerts.h, migration "alerts"
 * in store_schema.c). Called by bot/core/alert.c and the dashboard; same
 * thread rules as store.h.
 */
#include "store/store_alerts.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <string.h>

static int kind_ok(const char *kind)
{
    return kind && (!strcmp(kind, "wellbeing") || !strcmp(kind, "distress"));
}

int store_alert_add(struct store *st, int64_t person_id, const char *kind, int64_t now, int64_t *id)
{
    if (!kind_ok(kind) || person_id <= 0)
        return BB_EINVAL;
    return store_q_insert(st, "INSERT INTO alerts(person_id, kind, created_at) VALUES(?1, ?2, ?3)",
                          STORE_ARGS(store_int(person_id), store_text(kind), store_int(now)), id);
}

int store_alert_set_sent(struct store *st, int64_t id, const char *sent_to, int64_t recipient_id,
                         int reached)
{
    return store_q_change(st,
                          "UPDATE alerts SET sent_to = ?2, recipient_id = ?3, reached = ?4"
                          " WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_text(sent_to ? sent_to : ""),
                                     store_int(recipient_id), store_int(reached)));
}

int store_alert_open_since(struct store *st, int64_t person_id, const char *kind, int64_t since,
                           int *yes)
{
    int64_t n = 0;
    int rc =
        store_q_int64(st,
                      "SELECT count(*) FROM alerts WHERE person_id = ?1 AND kind = ?2"
                      " AND acked_at = 0 AND created_at >= ?3",
                      STORE_ARGS(store_int(person_id), store_text(kind), store_int(since)), &n);
    *yes = n > 0;
    return rc;
}

static const struct store_col alert_cols[] = {STORE_I64(struct store_alert, id),
                                              STORE_I64(struct store_alert, person_id),
                                              STORE_TXT(struct store_alert, kind),
                                              STORE_I64(struct store_alert, created_at),
                                              STORE_TXT(struct store_alert, sent_to),
                                              STORE_I64(struct store_alert, recipient_id),
                                              STORE_INT(struct store_alert, reached),
                                              STORE_I64(struct store_alert, acked_at),
                                              STORE_TXT(struct store_alert, acked_by),
                                              STORE_TXT(struct store_alert, nip),
                                              STORE_TXT(struct store_alert, name),
                                              STORE_TXT(struct store_alert, unit),
                                              STORE_TXT(struct store_alert, recipient_name)};

static int map_alert(sqlite3_stmt *s, void *dst)
{
    return STORE_MAP_COLS(s, dst, alert_cols);
}

int store_alert_list(struct store *st, int64_t since, int limit, struct store_alert **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return BB_EINVAL;
    return store_q_list(st,
                        "SELECT a.id, a.person_id, a.kind, a.created_at, a.sent_to,"
                        " a.recipient_id, a.reached, a.acked_at, a.acked_by, p.nip, p.name,"
                        " p.unit, coalesce(r.name, '') FROM alerts a"
                        " JOIN people p ON p.id = a.person_id"
                        " LEFT JOIN people r ON r.id = a.recipient_id"
                        " WHERE a.acked_at = 0 OR a.acked_at >= ?1"
                        " ORDER BY a.acked_at <> 0, CASE WHEN a.acked_at = 0 THEN a.id"
                        " ELSE -a.acked_at END LIMIT ?2",
                        STORE_ARGS(store_int(since), store_int(limit)), map_alert, sizeof(**out),
                        limit, NULL, (void **)out, n);
}

int store_alert_ack(struct store *st, int64_t id, const char *actor, int64_t now)
{
    int64_t acked = 0;
    int rc = store_q_int64(st, "SELECT acked_at FROM alerts WHERE id = ?1",
                           STORE_ARGS(store_int(id)), &acked);
    if (rc != BB_OK)
        return rc;
    if (acked != 0)
        return BB_EEXIST;
    return store_q_change(
        st,
        "UPDATE alerts SET acked_at = ?2, acked_by = ?3 WHERE id = ?1"
        " AND acked_at = 0",
        STORE_ARGS(store_int(id), store_int(now > 0 ? now : 1), store_text(actor ? actor : "")));
}

int store_alert_send_add(struct store *st, int64_t alert_id, int64_t person_id, int64_t outbox_id)
{
    return store_q_exec(st,
                        "INSERT OR REPLACE INTO alert_sends(alert_id, person_id, outbox_id)"
                        " VALUES(?1, ?2, ?3)",
                        STORE_ARGS(store_int(alert_id), store_int(person_id), store_int(outbox_id)),
                        NULL);
}

int store_alert_tried(struct store *st, int64_t alert_id, int64_t person_id, int *yes)
{
    int64_t n = 0;
    int rc =
        store_q_int64(st, "SELECT count(*) FROM alert_sends WHERE alert_id = ?1 AND person_id = ?2",
                      STORE_ARGS(store_int(alert_id), store_int(person_id)), &n);
    *yes = n > 0;
    return rc;
}

int store_alert_undelivered(struct store *st, int64_t **ids, int *n)
{
    /* a send whose outbox row is gone (pruned, or the recipient erased)
     * counts as delivered: nothing says otherwise */
    return store_q_grow(st,
                        "SELECT a.id FROM alerts a WHERE a.acked_at = 0 AND a.reached > 0"
                        " AND EXISTS (SELECT 1 FROM alert_sends s WHERE s.alert_id = a.id)"
                        " AND NOT EXISTS (SELECT 1 FROM alert_sends s LEFT JOIN outbox o"
                        " ON o.id = s.outbox_id WHERE s.alert_id = a.id"
                        " AND (o.id IS NULL OR o.state NOT IN (5, 6)))"
                        " ORDER BY a.id LIMIT 100",
                        STORE_NOARGS, store_map_int64, sizeof(**ids), 100, NULL, (void **)ids, n);
}

int store_alert_get(struct store *st, int64_t id, struct store_alert *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT id, person_id, kind, created_at, sent_to, recipient_id, reached,"
                       " acked_at, acked_by, '', '', '', '' FROM alerts WHERE id = ?1",
                       STORE_ARGS(store_int(id)), map_alert, out);
}

struct reach_out {
    char *channel, *ext;
    size_t cn, en;
};

static int map_reach(sqlite3_stmt *s, void *dst)
{
    struct reach_out *r = dst;
    store_col_copy(s, 0, r->channel, r->cn);
    store_col_copy(s, 1, r->ext, r->en);
    return BB_OK;
}

int store_alert_reach(struct store *st, int64_t person_id, char *channel, size_t cn, char *ext_id,
                      size_t en)
{
    struct reach_out r = {channel, ext_id, cn, en};
    if (!channel || !ext_id || !cn || !en)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT channel, ext_id FROM identities WHERE person_id = ?1"
                       " AND blocked = 0 ORDER BY last_seen DESC, id DESC LIMIT 1",
                       STORE_ARGS(store_int(person_id)), map_reach, &r);
}
