/*
 * store_work.c - the work_prefs table (see store_work.h). Called by the
 * core, the "work" module, the people import and the CLI; same thread rules
 * as store.h.
 */
#include "store/store_work.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <string.h>

static int map_work(sqlite3_stmt *s, void *out)
{
    struct store_work *w = out;
    const unsigned char *d = sqlite3_column_text(s, 0), *h = sqlite3_column_text(s, 1);
    bb_strlcpy(w->days, d ? (const char *)d : "", sizeof(w->days));
    bb_strlcpy(w->hours, h ? (const char *)h : "", sizeof(w->hours));
    w->leave_until =
        sqlite3_column_type(s, 2) == SQLITE_NULL ? STORE_WORK_NO_LEAVE : sqlite3_column_int64(s, 2);
    w->leave_set_at = sqlite3_column_int64(s, 3);
    return BB_OK;
}

int store_work_get(struct store *st, int64_t person_id, struct store_work *out)
{
    memset(out, 0, sizeof(*out));
    out->leave_until = STORE_WORK_NO_LEAVE;
    int rc = store_q_one(st,
                         "SELECT days, hours, leave_until, leave_set_at FROM work_prefs"
                         " WHERE person_id = ?1",
                         STORE_ARGS(store_int(person_id)), map_work, out);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

int store_work_set_hours(struct store *st, int64_t person_id, const char *days, const char *hours)
{
    struct store_work w;
    int rc = store_work_get(st, person_id, &w);
    if (rc != BB_OK)
        return rc;
    if ((days && bb_strlcpy(w.days, days, sizeof(w.days)) != BB_OK) ||
        (hours && bb_strlcpy(w.hours, hours, sizeof(w.hours)) != BB_OK))
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO work_prefs(person_id, days, hours) VALUES(?1, ?2, ?3)"
                        " ON CONFLICT(person_id) DO UPDATE SET days = excluded.days,"
                        " hours = excluded.hours",
                        STORE_ARGS(store_int(person_id), store_text(w.days), store_text(w.hours)),
                        NULL);
}

int store_work_set_leave(struct store *st, int64_t person_id, int64_t leave_until, int64_t now)
{
    if (leave_until == STORE_WORK_NO_LEAVE)
        return store_q_exec(st,
                            "UPDATE work_prefs SET leave_until = NULL, leave_set_at = ?2"
                            " WHERE person_id = ?1",
                            STORE_ARGS(store_int(person_id), store_int(now)), NULL);
    return store_q_exec(st,
                        "INSERT INTO work_prefs(person_id, leave_until, leave_set_at)"
                        " VALUES(?1, ?2, ?3) ON CONFLICT(person_id) DO UPDATE SET"
                        " leave_until = excluded.leave_until, leave_set_at = excluded.leave_set_at",
                        STORE_ARGS(store_int(person_id), store_int(leave_until), store_int(now)),
                        NULL);
}
