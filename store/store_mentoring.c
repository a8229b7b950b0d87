/*
 * store_mentoring.c - the mentor programme's queries (see store_mentoring.h):
 * tables mentor_profiles, pair_suggestions, pair_proposals, pairings and
 * mentoring_sessions of migration 7, and a read of the coaching module's
 * mentor_requests when that table exists. Statement slots 416..447. Same
 * thread rules as store.h.
 */
#include "store/store_mentoring.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#define ROW_CAP 1000000 /* rows any list here hands out */

static int exec_done(struct store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? BB_OK : store_sqlerr(st, rc);
}

/* Collect the rows of a prepared, bound statement into a growing array of
 * elements of `size` bytes, each filled by `read`. */
static int collect(struct store *st, sqlite3_stmt *s, size_t size,
                   void (*read)(sqlite3_stmt *, void *), void **out, int *n)
{
    char *v = NULL;
    int cnt = 0, cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            if (cap >= ROW_CAP) {
                store_done(s);
                free(v);
                return BB_ELIMIT;
            }
            int nc = cap ? cap * 2 : 16;
            char *nv = realloc(v, (size_t)nc * size);
            if (!nv) {
                store_done(s);
                free(v);
                return BB_ENOMEM;
            }
            v = nv;
            cap = nc;
        }
        memset(v + (size_t)cnt * size, 0, size);
        read(s, v + (size_t)cnt * size);
        cnt++;
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlerr(st, rc);
    }
    if (cnt == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    *n = cnt;
    return BB_OK;
}

/* ---- mentor profiles ----------------------------------------------------- */

int store_mentor_profile_get(struct store *st, int64_t person_id, struct store_mentor_profile *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT capacity, status, updated_at FROM mentor_profiles"
                        " WHERE person_id = ?1",
                        &s);
    memset(out, 0, sizeof(*out));
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->person_id = person_id;
        out->capacity = sqlite3_column_int(s, 0);
        store_col_copy(s, 1, out->status, sizeof(out->status));
        out->updated_at = sqlite3_column_int64(s, 2);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_mentor_profile_put(struct store *st, int64_t person_id, int capacity,
                             int default_capacity, const char *status, int64_t now)
{
    sqlite3_stmt *s;
    int rc;
    if (person_id <= 0 || default_capacity < 0 ||
        (status && strcmp(status, "active") != 0 && strcmp(status, "paused") != 0))
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO mentor_profiles(person_id, capacity, status, updated_at)"
                    " VALUES(?1, CASE WHEN ?2 < 0 THEN ?3 ELSE ?2 END, COALESCE(?4, 'active'), ?5)"
                    " ON CONFLICT(person_id) DO UPDATE SET"
                    " capacity = CASE WHEN ?2 < 0 THEN capacity ELSE ?2 END,"
                    " status = COALESCE(?4, status), updated_at = ?5",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, capacity);
    sqlite3_bind_int(s, 3, default_capacity);
    store_bind_text(s, 4, status);
    sqlite3_bind_int64(s, 5, now);
    return exec_done(st, s);
}

/* ---- people ---------------------------------------------------------------- */

static void read_person(sqlite3_stmt *s, void *dst)
{
    struct store_person *p = dst;
    p->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, p->nip, sizeof(p->nip));
    store_col_copy(s, 2, p->name, sizeof(p->name));
    store_col_copy(s, 3, p->unit, sizeof(p->unit));
    store_col_copy(s, 4, p->position, sizeof(p->position));
    store_col_copy(s, 5, p->grade, sizeof(p->grade));
    store_col_copy(s, 6, p->role, sizeof(p->role));
    store_col_copy(s, 7, p->lang, sizeof(p->lang));
    store_col_copy(s, 8, p->tz, sizeof(p->tz));
    store_col_copy(s, 9, p->phone, sizeof(p->phone));
    store_col_copy(s, 10, p->email, sizeof(p->email));
    store_col_copy(s, 11, p->supervisor_nip, sizeof(p->supervisor_nip));
    store_col_copy(s, 12, p->strengths, sizeof(p->strengths));
    store_col_copy(s, 13, p->interests, sizeof(p->interests));
    p->created_at = sqlite3_column_int64(s, 14);
    p->updated_at = sqlite3_column_int64(s, 15);
}

int store_mentoring_people(struct store *st, struct store_person **out, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT id, nip, name, unit, position, grade, role, lang, tz, phone, email,"
                        " supervisor_nip, strengths, interests, created_at, updated_at FROM people"
                        " ORDER BY id",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    return collect(st, s, sizeof(**out), read_person, (void **)out, n);
}

/* ---- mentor requests --------------------------------------------------------- */

static void read_request(sqlite3_stmt *s, void *dst)
{
    struct store_mentor_request *r = dst;
    r->person_id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, r->tags, sizeof(r->tags));
}

int store_mentoring_requests(struct store *st, struct store_mentor_request **out, int *n)
{
    sqlite3_stmt *s;
    int rc, found;
    *out = NULL;
    *n = 0;
    /* The table belongs to the coaching module and may not exist: look first,
     * so the statement below is only ever prepared where it can be. */
    rc = store_stmt(st,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    " AND name = 'mentor_requests'",
                    &s);
    if (rc != BB_OK)
        return rc;
    rc = sqlite3_step(s);
    found = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
    store_done(s);
    if (rc != SQLITE_ROW)
        return store_sqlerr(st, rc);
    if (!found)
        return BB_OK;
    rc = store_stmt(st,
                    "SELECT person_id, COALESCE(tags, '') FROM mentor_requests"
                    " WHERE status = 'open' ORDER BY created_at, person_id",
                    &s);
    if (rc != BB_OK)
        return rc;
    return collect(st, s, sizeof(**out), read_request, (void **)out, n);
}

/* ---- suggestions --------------------------------------------------------------- */

int store_suggestion_add(struct store *st, const char *unit, int64_t now, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "INSERT INTO pair_suggestions(created_at, unit) VALUES(?1, ?2)", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    store_bind_text(s, 2, unit ? unit : "");
    rc = exec_done(st, s);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static int one_id(struct store *st, sqlite3_stmt *s, int64_t *id)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(s, 0);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_suggestion_latest(struct store *st, int64_t *id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT max(id) FROM pair_suggestions HAVING count(*) > 0", &s);
    if (rc != BB_OK)
        return rc;
    return one_id(st, s, id);
}

int store_suggestion_exists(struct store *st, int64_t id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT id FROM pair_suggestions WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return one_id(st, s, NULL);
}

int store_proposal_add(struct store *st, const struct store_proposal *p)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "INSERT INTO pair_proposals(suggestion_id, mentee_id, mentor_id, score,"
                        " reasons, state) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, p->suggestion_id);
    sqlite3_bind_int64(s, 2, p->mentee_id);
    sqlite3_bind_int64(s, 3, p->mentor_id);
    sqlite3_bind_int(s, 4, p->score);
    store_bind_text(s, 5, p->reasons);
    sqlite3_bind_int(s, 6, p->state);
    return exec_done(st, s);
}

static void read_proposal(sqlite3_stmt *s, void *dst)
{
    struct store_proposal *p = dst;
    p->suggestion_id = sqlite3_column_int64(s, 0);
    p->mentee_id = sqlite3_column_int64(s, 1);
    p->mentor_id = sqlite3_column_int64(s, 2);
    p->score = sqlite3_column_int(s, 3);
    store_col_copy(s, 4, p->reasons, sizeof(p->reasons));
    p->state = sqlite3_column_int(s, 5);
}

int store_proposal_list(struct store *st, int64_t suggestion_id, struct store_proposal **out,
                        int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT suggestion_id, mentee_id, mentor_id, score, reasons, state"
                        " FROM pair_proposals WHERE suggestion_id = ?1 ORDER BY mentee_id",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, suggestion_id);
    return collect(st, s, sizeof(**out), read_proposal, (void **)out, n);
}

int store_proposal_set_state(struct store *st, int64_t suggestion_id, int64_t mentee_id, int state)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "UPDATE pair_proposals SET state = ?3 WHERE suggestion_id = ?1"
                        " AND mentee_id = ?2",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, suggestion_id);
    sqlite3_bind_int64(s, 2, mentee_id);
    sqlite3_bind_int(s, 3, state);
    rc = exec_done(st, s);
    if (rc == BB_OK && sqlite3_changes(st->db) == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

/* ---- pairings -------------------------------------------------------------------- */

#define PAIR_COLS                                                                                  \
    "id, mentee_id, mentor_id, suggestion_id, status, started_at, COALESCE(ended_at, 0),"          \
    " end_reason, ended_by, intro_mentee_at, intro_mentor_at, nudged_at"

static void read_pairing(sqlite3_stmt *s, void *dst)
{
    struct store_pairing *p = dst;
    p->id = sqlite3_column_int64(s, 0);
    p->mentee_id = sqlite3_column_int64(s, 1);
    p->mentor_id = sqlite3_column_int64(s, 2);
    p->suggestion_id = sqlite3_column_int64(s, 3);
    store_col_copy(s, 4, p->status, sizeof(p->status));
    p->started_at = sqlite3_column_int64(s, 5);
    p->ended_at = sqlite3_column_int64(s, 6);
    store_col_copy(s, 7, p->end_reason, sizeof(p->end_reason));
    store_col_copy(s, 8, p->ended_by, sizeof(p->ended_by));
    p->intro_mentee_at = sqlite3_column_int64(s, 9);
    p->intro_mentor_at = sqlite3_column_int64(s, 10);
    p->nudged_at = sqlite3_column_int64(s, 11);
}

int store_pairing_add(struct store *st, const struct store_pairing *p, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc;
    if (p->mentee_id <= 0 || p->mentor_id <= 0 || p->mentee_id == p->mentor_id)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO pairings(mentee_id, mentor_id, suggestion_id, status, started_at)"
                    " VALUES(?1, ?2, ?3, 'active', ?4)",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, p->mentee_id);
    sqlite3_bind_int64(s, 2, p->mentor_id);
    sqlite3_bind_int64(s, 3, p->suggestion_id);
    sqlite3_bind_int64(s, 4, p->started_at);
    rc = exec_done(st, s);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static int one_pairing(struct store *st, sqlite3_stmt *s, struct store_pairing *out)
{
    int rc = sqlite3_step(s);
    memset(out, 0, sizeof(*out));
    if (rc == SQLITE_ROW) {
        read_pairing(s, out);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_pairing_by_id(struct store *st, int64_t id, struct store_pairing *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT " PAIR_COLS " FROM pairings WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return one_pairing(st, s, out);
}

int store_pairing_active_of(struct store *st, int64_t mentee_id, struct store_pairing *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st, "SELECT " PAIR_COLS " FROM pairings WHERE mentee_id = ?1 AND status = 'active'", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, mentee_id);
    return one_pairing(st, s, out);
}

int store_pairing_list_active(struct store *st, int64_t mentor_id, struct store_pairing **out,
                              int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT " PAIR_COLS " FROM pairings WHERE status = 'active'"
                        " AND (?1 = 0 OR mentor_id = ?1) ORDER BY started_at, id",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, mentor_id);
    return collect(st, s, sizeof(**out), read_pairing, (void **)out, n);
}

int store_pairing_list_ended(struct store *st, struct store_pairing **out, int *n)
{
    sqlite3_stmt *s;
    int rc =
        store_stmt(st, "SELECT " PAIR_COLS " FROM pairings WHERE status = 'ended' ORDER BY id", &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    return collect(st, s, sizeof(**out), read_pairing, (void **)out, n);
}

int store_pairing_count_active(struct store *st, int64_t mentor_id, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st, "SELECT count(*) FROM pairings WHERE mentor_id = ?1 AND status = 'active'", &s);
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, mentor_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int(s, 0);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_pairing_end(struct store *st, int64_t id, int64_t now, const char *reason,
                      const char *ended_by)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "UPDATE pairings SET status = 'ended', ended_at = ?2, end_reason = ?3,"
                        " ended_by = ?4 WHERE id = ?1 AND status = 'active'",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    store_bind_text(s, 3, reason ? reason : "");
    store_bind_text(s, 4, ended_by ? ended_by : "");
    rc = exec_done(st, s);
    if (rc == BB_OK && sqlite3_changes(st->db) == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

int store_pairing_set_intro(struct store *st, int64_t id, int which, int64_t now)
{
    sqlite3_stmt *s;
    int rc = which == 0
                 ? store_stmt(st, "UPDATE pairings SET intro_mentee_at = ?2 WHERE id = ?1", &s)
                 : store_stmt(st, "UPDATE pairings SET intro_mentor_at = ?2 WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return exec_done(st, s);
}

int store_pairing_set_nudged(struct store *st, int64_t id, int64_t now)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "UPDATE pairings SET nudged_at = ?2 WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, now);
    return exec_done(st, s);
}

int store_pairing_intro_pending(struct store *st, int limit, struct store_pairing **out, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT " PAIR_COLS " FROM pairings WHERE status = 'active'"
                        " AND (intro_mentee_at = 0 OR intro_mentor_at = 0) ORDER BY id LIMIT ?1",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int(s, 1, limit);
    return collect(st, s, sizeof(**out), read_pairing, (void **)out, n);
}

int store_pairing_quiet(struct store *st, int64_t before, int limit, struct store_pairing **out,
                        int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT " PAIR_COLS " FROM pairings p WHERE status = 'active'"
                        " AND nudged_at <= ?1 AND max(started_at, COALESCE((SELECT max(held_at)"
                        " FROM mentoring_sessions m WHERE m.pairing_id = p.id), 0)) <= ?1"
                        " ORDER BY id LIMIT ?2",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, before);
    sqlite3_bind_int(s, 2, limit);
    return collect(st, s, sizeof(**out), read_pairing, (void **)out, n);
}

/* ---- sessions -------------------------------------------------------------------- */

int store_msession_add(struct store *st, const struct store_msession *m, int64_t *id_out)
{
    sqlite3_stmt *s;
    int rc;
    if (m->minutes <= 0 || m->mentee_id <= 0 || m->mentor_id <= 0 || strlen(m->day) != 10)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO mentoring_sessions(pairing_id, mentee_id, mentor_id, logged_by,"
                    " day, held_at, minutes, topics, next_steps, created_at)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, m->pairing_id);
    sqlite3_bind_int64(s, 2, m->mentee_id);
    sqlite3_bind_int64(s, 3, m->mentor_id);
    sqlite3_bind_int64(s, 4, m->logged_by);
    store_bind_text(s, 5, m->day);
    sqlite3_bind_int64(s, 6, m->held_at);
    sqlite3_bind_int(s, 7, m->minutes);
    store_bind_text(s, 8, m->topics);
    store_bind_text(s, 9, m->next_steps);
    sqlite3_bind_int64(s, 10, m->created_at);
    rc = exec_done(st, s);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_msession_minutes(struct store *st, int64_t person_id, int64_t from, int64_t to,
                           int64_t *minutes)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT COALESCE(sum(minutes), 0) FROM mentoring_sessions"
                        " WHERE (mentee_id = ?1 OR mentor_id = ?1) AND held_at >= ?2"
                        " AND held_at < ?3",
                        &s);
    *minutes = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *minutes = sqlite3_column_int64(s, 0);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_msession_stats(struct store *st, int64_t pairing_id, int *count, int64_t *minutes,
                         char day[11])
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT count(*), COALESCE(sum(minutes), 0), COALESCE(max(day), '')"
                        " FROM mentoring_sessions WHERE pairing_id = ?1",
                        &s);
    *count = 0;
    *minutes = 0;
    day[0] = '\0';
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, pairing_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *count = sqlite3_column_int(s, 0);
        *minutes = sqlite3_column_int64(s, 1);
        store_col_copy(s, 2, day, 11);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}
