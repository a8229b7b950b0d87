/*
 * store_session.c - conversation state in store.h: flow versions (the
 * source each session started on), sessions, timers and check-ins. Called
 * through store.h; written with the query helpers of store_int.h.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* ---- flow versions ----------------------------------------------------- */

int store_flow_put(struct store *st, const char *id, int version, const char *source, int64_t now)
{
    char hash[65], old[65];
    int rc;
    if (!id || !*id || !source)
        return BB_EINVAL;
    bb_sha256_hex(source, strlen(source), hash);
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_q_text(st, "SELECT sha256 FROM flow_versions WHERE id = ?1 AND version = ?2",
                      STORE_ARGS(store_text(id), store_int(version)), old, sizeof(old));
    if (rc == BB_OK && strcmp(old, hash) != 0) {
        rc = BB_EEXIST;
        store_seterr(st, "flow changed without a version bump");
    }
    if (rc == BB_ENOTFOUND)
        rc = store_q_exec(st,
                          "INSERT INTO flow_versions (id, version, source, sha256, loaded_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)",
                          STORE_ARGS(store_text(id), store_int(version), store_text(source),
                                     store_text(hash), store_int(now)),
                          NULL);
    return store_tx_end(st, rc);
}

static int map_dup(sqlite3_stmt *s, void *out)
{
    return store_col_dup(s, 0, out);
}

int store_flow_get(struct store *st, const char *id, int version, char **source)
{
    *source = NULL;
    return store_q_one(st, "SELECT source FROM flow_versions WHERE id = ?1 AND version = ?2",
                       STORE_ARGS(store_text(id), store_int(version)), map_dup, source);
}

/* ---- sessions ---------------------------------------------------------- */

int store_session_get(struct store *st, int64_t person_id, char **state_json)
{
    *state_json = NULL;
    return store_q_one(st, "SELECT state FROM sessions WHERE person_id = ?1",
                       STORE_ARGS(store_int(person_id)), map_dup, state_json);
}

int store_session_put(struct store *st, int64_t person_id, const char *flow_id, int version,
                      const char *node, const char *state_json, int64_t now)
{
    if (!flow_id || !node || !state_json)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO sessions (person_id, flow_id, flow_version, node, state,"
                        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(person_id) DO"
                        " UPDATE SET flow_id = excluded.flow_id,"
                        " flow_version = excluded.flow_version, node = excluded.node,"
                        " state = excluded.state, updated_at = excluded.updated_at",
                        STORE_ARGS(store_int(person_id), store_text(flow_id), store_int(version),
                                   store_text(node), store_text(state_json), store_int(now)),
                        NULL);
}

int store_session_delete(struct store *st, int64_t person_id)
{
    return store_q_exec(st, "DELETE FROM sessions WHERE person_id = ?1",
                        STORE_ARGS(store_int(person_id)), NULL);
}

int store_session_count_active(struct store *st, int64_t *out)
{
    return store_q_int64(st, "SELECT COUNT(*) FROM sessions WHERE flow_id <> ''", STORE_NOARGS,
                         out);
}

/* ---- timers ------------------------------------------------------------ */

int store_timer_add(struct store *st, const struct store_timer *t, int64_t *id_out)
{
    if (!t->kind[0])
        return BB_EINVAL;
    return store_q_insert(
        st, "INSERT INTO timers (person_id, kind, payload, due) VALUES (?1, ?2, ?3, ?4)",
        STORE_ARGS(store_int(t->person_id), store_text(t->kind), store_text(t->payload),
                   store_int(t->due)),
        id_out);
}

int store_timer_cancel(struct store *st, int64_t person_id, const char *kind)
{
    if (kind)
        return store_q_exec(st, "DELETE FROM timers WHERE person_id = ?1 AND kind = ?2",
                            STORE_ARGS(store_int(person_id), store_text(kind)), NULL);
    return store_q_exec(st, "DELETE FROM timers WHERE person_id = ?1",
                        STORE_ARGS(store_int(person_id)), NULL);
}

int store_timer_set(struct store *st, const struct store_timer *t)
{
    int n = 0;
    int rc = store_q_exec(
        st, "UPDATE timers SET due = ?3, payload = ?4 WHERE person_id = ?1 AND kind = ?2",
        STORE_ARGS(store_int(t->person_id), store_text(t->kind), store_int(t->due),
                   store_text(t->payload)),
        &n);
    if (rc != BB_OK || n == 1)
        return rc;
    if (n > 1) { /* more than one of a kind that should be single: keep one */
        rc = store_timer_cancel(st, t->person_id, t->kind);
        if (rc != BB_OK)
            return rc;
    }
    return store_timer_add(st, t, NULL);
}

int store_timer_due(struct store *st, int64_t now, int limit, struct store_timer **out, int *n)
{
    return store_q_list(st,
                        "SELECT id, person_id, kind, payload, due FROM timers WHERE due <= ?1"
                        " ORDER BY due, id LIMIT ?2",
                        STORE_ARGS(store_int(now), store_int(limit)), store_map_timer,
                        sizeof(**out), limit, NULL, (void **)out, n);
}

int store_timer_delete(struct store *st, int64_t id)
{
    return store_q_change(st, "DELETE FROM timers WHERE id = ?1", STORE_ARGS(store_int(id)));
}

int store_timer_move(struct store *st, int64_t id, int64_t due)
{
    return store_q_change(st, "UPDATE timers SET due = ?2 WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_int(due)));
}

/* ---- check-ins --------------------------------------------------------- */

int store_checkin_add(struct store *st, const struct store_checkin *c, int64_t *id_out)
{
    if (c->mood < 0 || c->mood > 5 || c->wants_help < -1 || c->wants_help > 1)
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO checkins (person_id, at, mood, win, blocker, wants_help,"
                          " extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          STORE_ARGS(store_int(c->person_id), store_int(c->at), store_int(c->mood),
                                     store_text(c->win), store_text(c->blocker),
                                     store_int(c->wants_help), store_text(c->extra)),
                          id_out);
}

int store_checkin_list(struct store *st, int64_t person_id, int limit, struct store_checkin **out,
                       int *n)
{
    return store_q_list(st,
                        "SELECT id, person_id, at, mood, win, blocker, wants_help, extra FROM"
                        " checkins WHERE person_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
                        STORE_ARGS(store_int(person_id), store_int(limit)), store_map_checkin,
                        sizeof(**out), limit, NULL, (void **)out, n);
}
