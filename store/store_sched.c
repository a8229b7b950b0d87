/*
 * store_sched.c - the scheduler's queries (see store_sched.h): sched_plan,
 * sched_dirty and sched_meta of migration 8, and the planned "flow" rows of
 * the timers table. Same thread rules as store.h.
 */
#include "store/store_sched.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <string.h>

/* Step a statement that returns no rows; *changes (may be NULL). */
static int step_done(struct store *st, sqlite3_stmt *s, int *changes)
{
    int rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    if (changes)
        *changes = sqlite3_changes(st->db);
    return BB_OK;
}

/* Read a list of ids from column 0. */
static int read_ids(struct store *st, sqlite3_stmt *s, int max, int64_t *ids, int *n)
{
    int rc, k = 0;
    while (k < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
        ids[k++] = sqlite3_column_int64(s, 0);
    if (k < max && rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        return rc;
    }
    store_done(s);
    *n = k;
    return BB_OK;
}

int store_sched_meta_get(struct store *st, const char *key, char *val, size_t n)
{
    sqlite3_stmt *s;
    int rc;
    if (!key || !val || n == 0)
        return BB_EINVAL;
    val[0] = '\0';
    rc = store_stmt(st, "SELECT value FROM sched_meta WHERE key = ?1", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, key);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        store_col_copy(s, 0, val, n);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_sched_meta_set(struct store *st, const char *key, const char *val)
{
    sqlite3_stmt *s;
    int rc;
    if (!key || !val)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO sched_meta(key, value) VALUES (?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, val);
    return step_done(st, s, NULL);
}

int store_sched_person(struct store *st, int64_t person_id, struct store_sched_person *out)
{
    sqlite3_stmt *s;
    int rc;
    memset(out, 0, sizeof(*out));
    rc =
        store_stmt(st,
                   "SELECT p.tz,"
                   " EXISTS(SELECT 1 FROM identities d WHERE d.person_id = p.id AND d.blocked = 0),"
                   " COALESCE((SELECT c.granted FROM consents c WHERE c.person_id = p.id"
                   "  AND c.purpose = 'data' ORDER BY c.id DESC LIMIT 1), -1)"
                   " FROM people p WHERE p.id = ?1",
                   &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = person_id;
        store_col_copy(s, 0, out->tz, sizeof(out->tz));
        out->reachable = sqlite3_column_int(s, 1) != 0;
        out->consent = sqlite3_column_int(s, 2);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_sched_people_after(struct store *st, int64_t after, int max, int64_t *ids, int *n)
{
    sqlite3_stmt *s;
    int rc;
    *n = 0;
    if (max <= 0 || !ids)
        return BB_EINVAL;
    rc = store_stmt(st, "SELECT id FROM people WHERE id > ?1 ORDER BY id LIMIT ?2", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, max);
    return read_ids(st, s, max, ids, n);
}

int store_sched_dirty_next(struct store *st, int max, int64_t *ids, int *n)
{
    sqlite3_stmt *s;
    int rc;
    *n = 0;
    if (max <= 0 || !ids)
        return BB_EINVAL;
    rc = store_stmt(st, "SELECT person_id FROM sched_dirty ORDER BY person_id LIMIT ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int(s, 1, max);
    return read_ids(st, s, max, ids, n);
}

int store_sched_dirty_done(struct store *st, int64_t person_id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM sched_dirty WHERE person_id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    return step_done(st, s, NULL);
}

int store_sched_dirty_add(struct store *st, int64_t person_id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "INSERT OR IGNORE INTO sched_dirty(person_id)"
                        " SELECT id FROM people WHERE id = ?1",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    return step_done(st, s, NULL);
}

int store_sched_plans_of(struct store *st, int64_t person_id, struct store_sched_plan *out, int max,
                         int *n)
{
    sqlite3_stmt *s;
    int rc, k = 0;
    *n = 0;
    if (max <= 0 || !out)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "SELECT flow_id, timer_id, due, rule, tz FROM sched_plan WHERE person_id = ?1"
                    " ORDER BY flow_id",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    while (k < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_sched_plan *p = &out[k++];
        memset(p, 0, sizeof(*p));
        p->person_id = person_id;
        store_col_copy(s, 0, p->flow_id, sizeof(p->flow_id));
        p->timer_id = sqlite3_column_int64(s, 1);
        p->due = sqlite3_column_int64(s, 2);
        store_col_copy(s, 3, p->rule, sizeof(p->rule));
        store_col_copy(s, 4, p->tz, sizeof(p->tz));
    }
    if (k < max && rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        return rc;
    }
    store_done(s);
    *n = k;
    return BB_OK;
}

int store_sched_plan_put(struct store *st, const struct store_sched_plan *p)
{
    sqlite3_stmt *s;
    int rc;
    if (!p || !p->flow_id[0] || p->person_id <= 0)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO sched_plan(person_id, flow_id, timer_id, due, rule, tz)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(person_id, flow_id) DO UPDATE"
                    " SET timer_id = excluded.timer_id, due = excluded.due, rule = excluded.rule,"
                    " tz = excluded.tz",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, p->person_id);
    store_bind_text(s, 2, p->flow_id);
    sqlite3_bind_int64(s, 3, p->timer_id);
    sqlite3_bind_int64(s, 4, p->due);
    store_bind_text(s, 5, p->rule);
    store_bind_text(s, 6, p->tz);
    return step_done(st, s, NULL);
}

int store_sched_plan_drop(struct store *st, int64_t person_id, const char *flow_id)
{
    sqlite3_stmt *s;
    int64_t timer_id = 0;
    int rc;
    if (!flow_id)
        return BB_EINVAL;
    rc =
        store_stmt(st, "SELECT timer_id FROM sched_plan WHERE person_id = ?1 AND flow_id = ?2", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, flow_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        timer_id = sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        rc = store_sqlerr(st, rc);
    store_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    /* The plan first: the timer's delete trigger then finds no plan to
     * queue for re-planning. */
    rc = store_stmt(st, "DELETE FROM sched_plan WHERE person_id = ?1 AND flow_id = ?2", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, flow_id);
    rc = step_done(st, s, NULL);
    if (rc != BB_OK || timer_id == 0)
        return rc;
    rc =
        store_stmt(st, "DELETE FROM timers WHERE id = ?1 AND person_id = ?2 AND kind = 'flow'", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, timer_id);
    sqlite3_bind_int64(s, 2, person_id);
    return step_done(st, s, NULL);
}

int store_sched_timer_add(struct store *st, int64_t person_id, const char *flow_id, int64_t due,
                          int64_t *timer_id)
{
    sqlite3_stmt *s;
    int rc;
    if (!flow_id || !flow_id[0] || strlen(flow_id) >= sizeof(((struct store_timer *)0)->payload))
        return BB_EINVAL;
    rc = store_stmt(
        st, "INSERT INTO timers(person_id, kind, payload, due) VALUES (?1, 'flow', ?2, ?3)", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, flow_id);
    sqlite3_bind_int64(s, 3, due);
    rc = step_done(st, s, NULL);
    if (rc == BB_OK && timer_id)
        *timer_id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_sched_timer_move(struct store *st, int64_t timer_id, int64_t due)
{
    sqlite3_stmt *s;
    int rc, n = 0;
    rc = store_stmt(st, "UPDATE timers SET due = ?2 WHERE id = ?1 AND kind = 'flow'", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, timer_id);
    sqlite3_bind_int64(s, 2, due);
    rc = step_done(st, s, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

int store_sched_counts(struct store *st, int64_t now, struct store_sched_counts *out)
{
    sqlite3_stmt *s;
    int rc;
    memset(out, 0, sizeof(*out));
    rc = store_stmt(st,
                    "SELECT (SELECT COUNT(*) FROM sched_plan),"
                    " (SELECT COUNT(*) FROM sched_plan WHERE timer_id <> 0),"
                    " (SELECT COUNT(*) FROM sched_plan WHERE timer_id <> 0 AND due <= ?1),"
                    " (SELECT COUNT(*) FROM sched_dirty),"
                    " (SELECT COALESCE(MIN(due), 0) FROM sched_plan WHERE timer_id <> 0)",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->plans = sqlite3_column_int64(s, 0);
        out->pending = sqlite3_column_int64(s, 1);
        out->overdue = sqlite3_column_int64(s, 2);
        out->dirty = sqlite3_column_int64(s, 3);
        out->next_due = sqlite3_column_int64(s, 4);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

/* SC_END is checked at compile time against the range of migration 8. */
