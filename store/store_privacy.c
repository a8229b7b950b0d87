/*
 * store_privacy.c - erasure requests and the retention purge (see
 * store_privacy.h): the erasure_requests table of the privacy migration,
 * and bounded deletes/blanks over the personal data tables. Called by the
 * privacy module and the dashboard API; same thread rules as store.h.
 */
#include "store/store_privacy.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <string.h>

/* ---- erasure requests -------------------------------------------------- */

#define ERASURE_COLS                                                                               \
    "e.id, e.person_id, COALESCE(p.nip, ''), COALESCE(p.name, ''), e.state, e.requested_at,"       \
    " e.due_at, e.updated_at, e.done_at, e.reason, e.actor"

static const struct store_col erasure_cols[] = {
    STORE_I64(struct store_erasure, id),      STORE_I64(struct store_erasure, person_id),
    STORE_TXT(struct store_erasure, nip),     STORE_TXT(struct store_erasure, name),
    STORE_INT(struct store_erasure, state),   STORE_I64(struct store_erasure, requested_at),
    STORE_I64(struct store_erasure, due_at),  STORE_I64(struct store_erasure, updated_at),
    STORE_I64(struct store_erasure, done_at), STORE_TXT(struct store_erasure, reason),
    STORE_TXT(struct store_erasure, actor),
};

static int map_erasure(sqlite3_stmt *s, void *out)
{
    return STORE_MAP_COLS(s, out, erasure_cols);
}

int store_erasure_get(struct store *st, int64_t id, struct store_erasure *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT " ERASURE_COLS " FROM erasure_requests e"
                       " LEFT JOIN people p ON p.id = e.person_id AND e.person_id <> 0"
                       " WHERE e.id = ?1",
                       STORE_ARGS(store_int(id)), map_erasure, out);
}

int store_erasure_open_of(struct store *st, int64_t person_id, struct store_erasure *out)
{
    memset(out, 0, sizeof(*out));
    if (person_id <= 0)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT " ERASURE_COLS " FROM erasure_requests e"
                       " LEFT JOIN people p ON p.id = e.person_id"
                       " WHERE e.person_id = ?1 AND e.state IN (0, 1)",
                       STORE_ARGS(store_int(person_id)), map_erasure, out);
}

int store_erasure_request(struct store *st, int64_t person_id, int64_t now, int64_t due,
                          struct store_erasure *out, int *created)
{
    int64_t id = 0;
    int rc;
    *created = 0;
    if (person_id <= 0 || due < now)
        return BB_EINVAL;
    rc = store_erasure_open_of(st, person_id, out);
    if (rc != BB_ENOTFOUND)
        return rc; /* one open already (BB_OK), or an error */
    rc = store_q_insert(st,
                        "INSERT INTO erasure_requests(person_id, state, requested_at, due_at,"
                        " actor, updated_at) VALUES(?1, 0, ?2, ?3, 'person', ?2)",
                        STORE_ARGS(store_int(person_id), store_int(now), store_int(due)), &id);
    if (rc != BB_OK)
        return rc;
    *created = 1;
    return store_erasure_get(st, id, out);
}

int store_erasure_list(struct store *st, int limit, struct store_erasure **out, int *n)
{
    void *arr = NULL;
    int rc;
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > STORE_LIST_MAX)
        return BB_EINVAL;
    rc = store_q_list(st,
                      "SELECT " ERASURE_COLS " FROM erasure_requests e"
                      " LEFT JOIN people p ON p.id = e.person_id AND e.person_id <> 0"
                      " ORDER BY e.state IN (0, 1) DESC, CASE WHEN e.state IN (0, 1) THEN e.due_at"
                      " ELSE -e.updated_at END, e.id LIMIT ?1",
                      STORE_ARGS(store_int(limit)), map_erasure, sizeof(struct store_erasure),
                      limit, NULL, &arr, n);
    if (rc == BB_OK)
        *out = arr;
    return rc;
}

int store_erasure_hold(struct store *st, int64_t id, const char *actor, const char *reason,
                       int64_t now)
{
    struct store_erasure e;
    int rc;
    if (!reason || !reason[0] || strlen(reason) > 500 || !actor || strlen(actor) >= 64)
        return BB_EINVAL;
    rc = store_erasure_get(st, id, &e);
    if (rc != BB_OK)
        return rc;
    if (e.state != STORE_ERASURE_PENDING)
        return BB_ESTATE;
    return store_q_change(
        st,
        "UPDATE erasure_requests SET state = 1, reason = ?2, actor = ?3,"
        " updated_at = ?4 WHERE id = ?1 AND state = 0",
        STORE_ARGS(store_int(id), store_text(reason), store_text(actor), store_int(now)));
}

int store_erasure_release(struct store *st, int64_t id, const char *actor, int64_t now)
{
    struct store_erasure e;
    int rc;
    if (!actor || strlen(actor) >= 64)
        return BB_EINVAL;
    rc = store_erasure_get(st, id, &e);
    if (rc != BB_OK)
        return rc;
    if (e.state != STORE_ERASURE_HELD)
        return BB_ESTATE;
    return store_q_change(st,
                          "UPDATE erasure_requests SET state = 0, actor = ?2, updated_at = ?3"
                          " WHERE id = ?1 AND state = 1",
                          STORE_ARGS(store_int(id), store_text(actor), store_int(now)));
}

int store_erasure_due(struct store *st, int64_t now, int64_t *ids, int max, int *n)
{
    *n = 0;
    if (max < 1)
        return BB_EINVAL;
    return store_q_fill(st,
                        "SELECT id FROM erasure_requests WHERE state = 0 AND due_at <= ?1"
                        " ORDER BY due_at, id LIMIT ?2",
                        STORE_ARGS(store_int(now), store_int(max)), store_map_int64,
                        sizeof(int64_t), max, ids, n);
}

int store_erasure_run(struct store *st, int64_t id, int64_t now)
{
    struct store_erasure e;
    int rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_erasure_get(st, id, &e);
    if (rc == BB_OK && e.state != STORE_ERASURE_PENDING)
        rc = BB_ESTATE;
    if (rc == BB_OK)
        rc = store_person_forget(st, e.person_id, now, NULL);
    if (rc == BB_OK)
        rc = store_q_change(
            st,
            "UPDATE erasure_requests SET state = 2, person_id = 0, reason = '', actor = 'system',"
            " updated_at = ?2, done_at = ?2 WHERE id = ?1",
            STORE_ARGS(store_int(id), store_int(now)));
    if (rc == BB_OK)
        rc = store_audit(st, "system", "erasure.done", 0, "", now);
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

/* ---- retention --------------------------------------------------------- */

const char *const store_keep_names[STORE_KEEP_N] = {
    "messages", "checkins",  "wellbeing", "goals",
    "learning", "mentoring", "feedback",  "reflections",
};

/* Each category's statements: ?1 the cut-off time, ?2 the batch. */
#define PURGE_MAX_STMTS 3
static const char *const purge_sql[STORE_KEEP_N][PURGE_MAX_STMTS] = {
    [STORE_KEEP_MESSAGES] =
        {"UPDATE inbox SET text = NULL, payload = '' WHERE id IN (SELECT id FROM inbox"
         " WHERE processed_at IS NOT NULL AND (text IS NOT NULL OR payload <> '')"
         " AND processed_at < ?1 ORDER BY processed_at LIMIT ?2)",
         "UPDATE outbox SET body = '{\"text\":\"\"}' WHERE id IN (SELECT id FROM outbox"
         " WHERE state >= 2 AND body <> '{\"text\":\"\"}' AND updated_at < ?1"
         " ORDER BY updated_at LIMIT ?2)",
         NULL},
    [STORE_KEEP_CHECKINS] = {"DELETE FROM checkins WHERE rowid IN (SELECT rowid FROM checkins"
                             " WHERE at < ?1 LIMIT ?2)",
                             NULL, NULL},
    [STORE_KEEP_WELLBEING] = {"DELETE FROM wellbeing WHERE rowid IN (SELECT rowid FROM wellbeing"
                              " WHERE at < ?1 LIMIT ?2)",
                              NULL, NULL},
    [STORE_KEEP_GOALS] = {"DELETE FROM dev_goals WHERE rowid IN (SELECT rowid FROM dev_goals"
                          " WHERE at < ?1 LIMIT ?2)",
                          "DELETE FROM grow_sessions WHERE rowid IN (SELECT rowid FROM"
                          " grow_sessions WHERE at < ?1 LIMIT ?2)",
                          NULL},
    [STORE_KEEP_LEARNING] = {"DELETE FROM learning_log WHERE rowid IN (SELECT rowid FROM"
                             " learning_log WHERE at < ?1 LIMIT ?2)",
                             NULL, NULL},
    [STORE_KEEP_MENTORING] = {"DELETE FROM mentoring_sessions WHERE rowid IN (SELECT rowid FROM"
                              " mentoring_sessions WHERE held_at < ?1 LIMIT ?2)",
                              NULL, NULL},
    [STORE_KEEP_FEEDBACK] = {"DELETE FROM feedback WHERE rowid IN (SELECT rowid FROM feedback"
                             " WHERE day < date(?1, 'unixepoch') LIMIT ?2)",
                             "DELETE FROM feedback_requests WHERE rowid IN (SELECT rowid FROM"
                             " feedback_requests WHERE created_at < ?1 AND status <> 'asked'"
                             " LIMIT ?2)",
                             NULL},
    [STORE_KEEP_REFLECTIONS] = {"DELETE FROM reflections WHERE rowid IN (SELECT rowid FROM"
                                " reflections WHERE at < ?1 LIMIT ?2)",
                                NULL, NULL},
};

int store_purge(struct store *st, const int64_t keep[STORE_KEEP_N], int64_t now, int batch,
                int n[STORE_KEEP_N], int *more)
{
    int rc;
    *more = 0;
    if (batch < 1 || batch > 100000)
        return BB_EINVAL;
    if (n)
        memset(n, 0, sizeof(int) * STORE_KEEP_N);
    rc = store_begin(st);
    if (rc)
        return rc;
    for (int c = 0; c < STORE_KEEP_N && rc == BB_OK; c++) {
        if (keep[c] <= 0)
            continue; /* kept for ever */
        for (int k = 0; k < PURGE_MAX_STMTS && purge_sql[c][k] && rc == BB_OK; k++) {
            int changed = 0;
            rc = store_q_exec(st, purge_sql[c][k],
                              STORE_ARGS(store_int(now - keep[c]), store_int(batch)), &changed);
            if (n)
                n[c] += changed;
            if (changed >= batch)
                *more = 1;
        }
    }
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

int store_privacy_meta_get(struct store *st, const char *key, int64_t *val)
{
    int rc = store_q_int64(st, "SELECT val FROM privacy_meta WHERE key = ?1",
                           STORE_ARGS(store_text(key)), val);
    if (rc == BB_ENOTFOUND) {
        *val = 0;
        rc = BB_OK;
    }
    return rc;
}

int store_privacy_meta_set(struct store *st, const char *key, int64_t val)
{
    return store_q_exec(st,
                        "INSERT INTO privacy_meta(key, val) VALUES(?1, ?2)"
                        " ON CONFLICT(key) DO UPDATE SET val = excluded.val",
                        STORE_ARGS(store_text(key), store_int(val)), NULL);
}
