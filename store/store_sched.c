/*
 * store_sched.c - the scheduler's queries (see store_sched.h): sched_plan,
 * sched_dirty and sched_meta of migration 8, and the planned "flow" rows of
 * the timers table. Called by the scheduler module; same thread rules as
 * store.h.
 */
#include "store/store_sched.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <string.h>

int store_sched_meta_get(struct store *st, const char *key, char *val, size_t n)
{
    if (!key || !val || n == 0)
        return BB_EINVAL;
    val[0] = '\0';
    return store_q_text(st, "SELECT value FROM sched_meta WHERE key = ?1",
                        STORE_ARGS(store_text(key)), val, n);
}

int store_sched_meta_set(struct store *st, const char *key, const char *val)
{
    if (!key || !val)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO sched_meta(key, value) VALUES (?1, ?2)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        STORE_ARGS(store_text(key), store_text(val)), NULL);
}

static int map_sched_person(sqlite3_stmt *s, void *out)
{
    struct store_sched_person *p = out;
    store_col_copy(s, 0, p->tz, sizeof(p->tz));
    p->reachable = sqlite3_column_int(s, 1) != 0;
    p->consent = sqlite3_column_int(s, 2);
    return BB_OK;
}

int store_sched_person(struct store *st, int64_t person_id, struct store_sched_person *out)
{
    int rc;
    memset(out, 0, sizeof(*out));
    rc = store_q_one(st,
                     "SELECT p.tz,"
                     " EXISTS(SELECT 1 FROM identities d WHERE d.person_id = p.id AND"
                     " d.blocked = 0),"
                     " COALESCE((SELECT c.granted FROM consents c WHERE c.person_id = p.id"
                     "  AND c.purpose = 'data' ORDER BY c.id DESC LIMIT 1), -1)"
                     " FROM people p WHERE p.id = ?1",
                     STORE_ARGS(store_int(person_id)), map_sched_person, out);
    if (rc == BB_OK)
        out->id = person_id;
    return rc;
}

int store_sched_people_after(struct store *st, int64_t after, int max, int64_t *ids, int *n)
{
    return store_q_fill(st,
                        "SELECT id FROM people WHERE id > ?1 AND deactivated_at = 0"
                        " ORDER BY id LIMIT ?2",
                        STORE_ARGS(store_int(after), store_int(max)), store_map_int64, sizeof(*ids),
                        max, ids, n);
}

int store_sched_dirty_next(struct store *st, int max, int64_t *ids, int *n)
{
    return store_q_fill(st, "SELECT person_id FROM sched_dirty ORDER BY person_id LIMIT ?1",
                        STORE_ARGS(store_int(max)), store_map_int64, sizeof(*ids), max, ids, n);
}

int store_sched_dirty_done(struct store *st, int64_t person_id)
{
    return store_q_exec(st, "DELETE FROM sched_dirty WHERE person_id = ?1",
                        STORE_ARGS(store_int(person_id)), NULL);
}

int store_sched_dirty_add(struct store *st, int64_t person_id)
{
    return store_q_exec(st,
                        "INSERT OR IGNORE INTO sched_dirty(person_id)"
                        " SELECT id FROM people WHERE id = ?1",
                        STORE_ARGS(store_int(person_id)), NULL);
}

int store_sched_plans_of(struct store *st, int64_t person_id, struct store_sched_plan *out, int max,
                         int *n)
{
    int rc = store_q_fill(st,
                          "SELECT flow_id, timer_id, due, rule, tz FROM sched_plan"
                          " WHERE person_id = ?1 ORDER BY flow_id",
                          STORE_ARGS(store_int(person_id)), store_map_sched_plan, sizeof(*out), max,
                          out, n);
    for (int i = 0; rc == BB_OK && i < *n; i++)
        out[i].person_id = person_id;
    return rc;
}

int store_sched_plan_put(struct store *st, const struct store_sched_plan *p)
{
    if (!p || !p->flow_id[0] || p->person_id <= 0)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO sched_plan(person_id, flow_id, timer_id, due, rule, tz)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(person_id, flow_id) DO"
                        " UPDATE SET timer_id = excluded.timer_id, due = excluded.due,"
                        " rule = excluded.rule, tz = excluded.tz",
                        STORE_ARGS(store_int(p->person_id), store_text(p->flow_id),
                                   store_int(p->timer_id), store_int(p->due), store_text(p->rule),
                                   store_text(p->tz)),
                        NULL);
}

int store_sched_plan_drop(struct store *st, int64_t person_id, const char *flow_id)
{
    int64_t timer_id = 0;
    int rc;
    if (!flow_id)
        return BB_EINVAL;
    rc = store_q_int64(st, "SELECT timer_id FROM sched_plan WHERE person_id = ?1 AND flow_id = ?2",
                       STORE_ARGS(store_int(person_id), store_text(flow_id)), &timer_id);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    /* The plan first: the timer's delete trigger then finds no plan to
     * queue for re-planning. */
    rc = store_q_exec(st, "DELETE FROM sched_plan WHERE person_id = ?1 AND flow_id = ?2",
                      STORE_ARGS(store_int(person_id), store_text(flow_id)), NULL);
    if (rc != BB_OK || timer_id == 0)
        return rc;
    return store_q_exec(st, "DELETE FROM timers WHERE id = ?1 AND person_id = ?2 AND kind = 'flow'",
                        STORE_ARGS(store_int(timer_id), store_int(person_id)), NULL);
}

int store_sched_timer_add(struct store *st, int64_t person_id, const char *flow_id, int64_t due,
                          int64_t *timer_id)
{
    if (!flow_id || !flow_id[0] || strlen(flow_id) >= sizeof(((struct store_timer *)0)->payload))
        return BB_EINVAL;
    return store_q_insert(
        st, "INSERT INTO timers(person_id, kind, payload, due) VALUES (?1, 'flow', ?2, ?3)",
        STORE_ARGS(store_int(person_id), store_text(flow_id), store_int(due)), timer_id);
}

int store_sched_timer_move(struct store *st, int64_t timer_id, int64_t due)
{
    return store_q_change(st, "UPDATE timers SET due = ?2 WHERE id = ?1 AND kind = 'flow'",
                          STORE_ARGS(store_int(timer_id), store_int(due)));
}

int store_sched_counts(struct store *st, int64_t now, struct store_sched_counts *out)
{
    int64_t *const cols[] = {&out->plans, &out->pending, &out->overdue, &out->dirty,
                             &out->next_due};
    int rc;
    memset(out, 0, sizeof(*out));
    rc = store_q_ints(st,
                      "SELECT (SELECT COUNT(*) FROM sched_plan),"
                      " (SELECT COUNT(*) FROM sched_plan WHERE timer_id <> 0),"
                      " (SELECT COUNT(*) FROM sched_plan WHERE timer_id <> 0 AND due <= ?1),"
                      " (SELECT COUNT(*) FROM sched_dirty),"
                      " (SELECT COALESCE(MIN(due), 0) FROM sched_plan WHERE timer_id <> 0)",
                      STORE_ARGS(store_int(now)), cols, 5);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}
