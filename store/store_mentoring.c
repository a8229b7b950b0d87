/*
 * store_mentoring.c - the mentor programme's queries (see store_mentoring.h):
 * tables mentor_profiles, pair_suggestions, pair_proposals, pairings and
 * mentoring_sessions of migration 7, and a read of the coaching module's
 * mentor_requests when that table exists. Called by the mentoring module;
 * same thread rules as store.h.
 */
#include "store/store_mentoring.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <string.h>

#define ROW_CAP 1000000 /* rows any list here hands out */

/* All rows of sql into a growing array of `size`-byte elements. */
static int rows(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                size_t size, void **out, int *n)
{
    return store_q_grow(st, sql, args, map, size, ROW_CAP, NULL, out, n);
}

/* ---- mentor profiles ----------------------------------------------------- */

int store_mentor_profile_get(struct store *st, int64_t person_id, struct store_mentor_profile *out)
{
    int rc;
    memset(out, 0, sizeof(*out));
    rc = store_q_one(st,
                     "SELECT capacity, status, updated_at FROM mentor_profiles"
                     " WHERE person_id = ?1",
                     STORE_ARGS(store_int(person_id)), store_map_mentor_profile, out);
    if (rc == BB_OK)
        out->person_id = person_id;
    return rc;
}

int store_mentor_profile_put(struct store *st, int64_t person_id, int capacity,
                             int default_capacity, const char *status, int64_t now)
{
    if (person_id <= 0 || default_capacity < 0 ||
        (status && strcmp(status, "active") != 0 && strcmp(status, "paused") != 0))
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO mentor_profiles(person_id, capacity, status, updated_at)"
                        " VALUES(?1, CASE WHEN ?2 < 0 THEN ?3 ELSE ?2 END,"
                        " COALESCE(?4, 'active'), ?5) ON CONFLICT(person_id) DO UPDATE SET"
                        " capacity = CASE WHEN ?2 < 0 THEN capacity ELSE ?2 END,"
                        " status = COALESCE(?4, status), updated_at = ?5",
                        STORE_ARGS(store_int(person_id), store_int(capacity),
                                   store_int(default_capacity), store_text(status), store_int(now)),
                        NULL);
}

/* ---- people ---------------------------------------------------------------- */

int store_mentoring_people(struct store *st, struct store_person **out, int *n)
{
    return rows(st, "SELECT " STORE_PERSON_COLS " FROM people WHERE deactivated_at = 0 ORDER BY id",
                STORE_NOARGS, store_map_person, sizeof(**out), (void **)out, n);
}

/* ---- mentor requests --------------------------------------------------------- */

static int map_request(sqlite3_stmt *s, void *dst)
{
    struct store_mentor_request *r = dst;
    r->person_id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, r->tags, sizeof(r->tags));
    return BB_OK;
}

int store_mentoring_requests(struct store *st, struct store_mentor_request **out, int *n)
{
    int64_t found = 0;
    int rc;
    *out = NULL;
    *n = 0;
    /* The table belongs to the coaching module and may not exist: look first,
     * so the statement below is only ever prepared where it can be. */
    rc = store_q_int64(st,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                       " AND name = 'mentor_requests'",
                       STORE_NOARGS, &found);
    if (rc != BB_OK)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    if (found <= 0)
        return BB_OK;
    return rows(st,
                "SELECT person_id, COALESCE(tags, '') FROM mentor_requests"
                " WHERE status = 'open' ORDER BY created_at, person_id",
                STORE_NOARGS, map_request, sizeof(**out), (void **)out, n);
}

/* ---- suggestions --------------------------------------------------------------- */

int store_suggestion_add(struct store *st, const char *unit, int64_t now, int64_t *id_out)
{
    return store_q_insert(st, "INSERT INTO pair_suggestions(created_at, unit) VALUES(?1, ?2)",
                          STORE_ARGS(store_int(now), store_text(unit ? unit : "")), id_out);
}

int store_suggestion_latest(struct store *st, int64_t *id)
{
    int64_t v = 0;
    int rc = store_q_int64(st, "SELECT max(id) FROM pair_suggestions HAVING count(*) > 0",
                           STORE_NOARGS, &v);
    if (rc == BB_OK && id)
        *id = v;
    return rc;
}

int store_suggestion_exists(struct store *st, int64_t id)
{
    return store_q_one(st, "SELECT id FROM pair_suggestions WHERE id = ?1",
                       STORE_ARGS(store_int(id)), NULL, NULL);
}

int store_proposal_add(struct store *st, const struct store_proposal *p)
{
    return store_q_exec(st,
                        "INSERT INTO pair_proposals(suggestion_id, mentee_id, mentor_id, score,"
                        " reasons, state) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        STORE_ARGS(store_int(p->suggestion_id), store_int(p->mentee_id),
                                   store_int(p->mentor_id), store_int(p->score),
                                   store_text(p->reasons), store_int(p->state)),
                        NULL);
}

int store_proposal_list(struct store *st, int64_t suggestion_id, struct store_proposal **out,
                        int *n)
{
    return rows(st,
                "SELECT suggestion_id, mentee_id, mentor_id, score, reasons, state"
                " FROM pair_proposals WHERE suggestion_id = ?1 ORDER BY mentee_id",
                STORE_ARGS(store_int(suggestion_id)), store_map_proposal, sizeof(**out),
                (void **)out, n);
}

int store_proposal_rejected(struct store *st, struct store_proposal **out, int *n)
{
    return rows(st,
                "SELECT max(suggestion_id), mentee_id, mentor_id, 0, '', 3 FROM pair_proposals"
                " WHERE state = 3 GROUP BY mentee_id, mentor_id ORDER BY mentee_id, mentor_id",
                STORE_NOARGS, store_map_proposal, sizeof(**out), (void **)out, n);
}

int store_proposal_set_state(struct store *st, int64_t suggestion_id, int64_t mentee_id, int state)
{
    return store_q_change(
        st,
        "UPDATE pair_proposals SET state = ?3 WHERE suggestion_id = ?1"
        " AND mentee_id = ?2",
        STORE_ARGS(store_int(suggestion_id), store_int(mentee_id), store_int(state)));
}

/* ---- pairings -------------------------------------------------------------------- */

#define PAIR_COLS                                                                                  \
    "id, mentee_id, mentor_id, suggestion_id, status, started_at, COALESCE(ended_at, 0),"          \
    " end_reason, ended_by, intro_mentee_at, intro_mentor_at, nudged_at"

int store_pairing_add(struct store *st, const struct store_pairing *p, int64_t *id_out)
{
    if (p->mentee_id <= 0 || p->mentor_id <= 0 || p->mentee_id == p->mentor_id)
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO pairings(mentee_id, mentor_id, suggestion_id, status,"
                          " started_at) VALUES(?1, ?2, ?3, 'active', ?4)",
                          STORE_ARGS(store_int(p->mentee_id), store_int(p->mentor_id),
                                     store_int(p->suggestion_id), store_int(p->started_at)),
                          id_out);
}

int store_pairing_by_id(struct store *st, int64_t id, struct store_pairing *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st, "SELECT " PAIR_COLS " FROM pairings WHERE id = ?1",
                       STORE_ARGS(store_int(id)), store_map_pairing, out);
}

int store_pairing_active_of(struct store *st, int64_t mentee_id, struct store_pairing *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT " PAIR_COLS " FROM pairings WHERE mentee_id = ?1 AND"
                       " status = 'active'",
                       STORE_ARGS(store_int(mentee_id)), store_map_pairing, out);
}

int store_pairing_list_active(struct store *st, int64_t mentor_id, struct store_pairing **out,
                              int *n)
{
    return rows(st,
                "SELECT " PAIR_COLS " FROM pairings WHERE status = 'active'"
                " AND (?1 = 0 OR mentor_id = ?1) ORDER BY started_at, id",
                STORE_ARGS(store_int(mentor_id)), store_map_pairing, sizeof(**out), (void **)out,
                n);
}

int store_pairing_list_ended(struct store *st, struct store_pairing **out, int *n)
{
    return rows(st, "SELECT " PAIR_COLS " FROM pairings WHERE status = 'ended' ORDER BY id",
                STORE_NOARGS, store_map_pairing, sizeof(**out), (void **)out, n);
}

int store_pairing_count_active(struct store *st, int64_t mentor_id, int *n)
{
    int64_t v = 0;
    int rc = store_q_int64(st,
                           "SELECT count(*) FROM pairings WHERE mentor_id = ?1 AND"
                           " status = 'active'",
                           STORE_ARGS(store_int(mentor_id)), &v);
    *n = rc == BB_OK ? (int)v : 0;
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

int store_pairing_end(struct store *st, int64_t id, int64_t now, const char *reason,
                      const char *ended_by)
{
    return store_q_change(st,
                          "UPDATE pairings SET status = 'ended', ended_at = ?2, end_reason = ?3,"
                          " ended_by = ?4 WHERE id = ?1 AND status = 'active'",
                          STORE_ARGS(store_int(id), store_int(now),
                                     store_text(reason ? reason : ""),
                                     store_text(ended_by ? ended_by : "")));
}

int store_pairing_share_reason(struct store *st, int64_t id)
{
    return store_q_exec(st, "UPDATE pairings SET reason_shared = 1 WHERE id = ?1",
                        STORE_ARGS(store_int(id)), NULL);
}

int store_pairing_set_intro(struct store *st, int64_t id, int which, int64_t now)
{
    if (which == 0)
        return store_q_exec(st, "UPDATE pairings SET intro_mentee_at = ?2 WHERE id = ?1",
                            STORE_ARGS(store_int(id), store_int(now)), NULL);
    return store_q_exec(st, "UPDATE pairings SET intro_mentor_at = ?2 WHERE id = ?1",
                        STORE_ARGS(store_int(id), store_int(now)), NULL);
}

int store_pairing_set_nudged(struct store *st, int64_t id, int64_t now)
{
    return store_q_exec(st, "UPDATE pairings SET nudged_at = ?2 WHERE id = ?1",
                        STORE_ARGS(store_int(id), store_int(now)), NULL);
}

int store_pairing_intro_pending(struct store *st, int limit, struct store_pairing **out, int *n)
{
    return rows(st,
                "SELECT " PAIR_COLS " FROM pairings WHERE status = 'active'"
                " AND (intro_mentee_at = 0 OR intro_mentor_at = 0) ORDER BY id LIMIT ?1",
                STORE_ARGS(store_int(limit)), store_map_pairing, sizeof(**out), (void **)out, n);
}

int store_pairing_quiet(struct store *st, int64_t before, int limit, struct store_pairing **out,
                        int *n)
{
    return rows(st,
                "SELECT " PAIR_COLS " FROM pairings p WHERE status = 'active'"
                " AND nudged_at <= ?1 AND max(started_at, COALESCE((SELECT max(held_at)"
                " FROM mentoring_sessions m WHERE m.pairing_id = p.id), 0)) <= ?1"
                " ORDER BY id LIMIT ?2",
                STORE_ARGS(store_int(before), store_int(limit)), store_map_pairing, sizeof(**out),
                (void **)out, n);
}

/* ---- sessions -------------------------------------------------------------------- */

int store_msession_add(struct store *st, const struct store_msession *m, int64_t *id_out)
{
    if (m->minutes <= 0 || m->mentee_id <= 0 || m->mentor_id <= 0 || strlen(m->day) != 10)
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO mentoring_sessions(pairing_id, mentee_id, mentor_id,"
                          " logged_by, day, held_at, minutes, topics, next_steps, created_at)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          STORE_ARGS(store_int(m->pairing_id), store_int(m->mentee_id),
                                     store_int(m->mentor_id), store_int(m->logged_by),
                                     store_text(m->day), store_int(m->held_at),
                                     store_int(m->minutes), store_text(m->topics),
                                     store_text(m->next_steps), store_int(m->created_at)),
                          id_out);
}

int store_msession_unconfirmed(struct store *st, int64_t pairing_id, const char *day,
                               int64_t person_id, int64_t *id, int64_t *minutes)
{
    int64_t *const cols[] = {id, minutes};
    if (!day || strlen(day) != 10)
        return BB_EINVAL;
    return store_q_ints(st,
                        "SELECT id, minutes FROM mentoring_sessions WHERE pairing_id = ?1"
                        " AND day = ?2 AND logged_by <> ?3 AND confirmed_by = 0"
                        " ORDER BY id LIMIT 1",
                        STORE_ARGS(store_int(pairing_id), store_text(day), store_int(person_id)),
                        cols, 2);
}

int store_msession_confirm(struct store *st, int64_t id, int64_t person_id, int64_t now)
{
    return store_q_change(st,
                          "UPDATE mentoring_sessions SET confirmed_by = ?2, confirmed_at = ?3"
                          " WHERE id = ?1 AND confirmed_by = 0 AND logged_by <> ?2",
                          STORE_ARGS(store_int(id), store_int(person_id), store_int(now)));
}

int store_msession_minutes(struct store *st, int64_t person_id, int64_t from, int64_t to,
                           int64_t *minutes)
{
    int rc;
    *minutes = 0;
    rc = store_q_int64(st,
                       "SELECT COALESCE(sum(minutes), 0) FROM mentoring_sessions"
                       " WHERE (mentee_id = ?1 OR mentor_id = ?1) AND held_at >= ?2"
                       " AND held_at < ?3",
                       STORE_ARGS(store_int(person_id), store_int(from), store_int(to)), minutes);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

struct msession_stats {
    int *count;
    int64_t *minutes;
    char *day;
};

static int map_stats(sqlite3_stmt *s, void *dst)
{
    struct msession_stats *m = dst;
    *m->count = sqlite3_column_int(s, 0);
    *m->minutes = sqlite3_column_int64(s, 1);
    store_col_copy(s, 2, m->day, 11);
    return BB_OK;
}

int store_msession_stats(struct store *st, int64_t pairing_id, int *count, int64_t *minutes,
                         char day[11])
{
    struct msession_stats m = {count, minutes, day};
    int rc;
    *count = 0;
    *minutes = 0;
    day[0] = '\0';
    rc = store_q_one(st,
                     "SELECT count(*), COALESCE(sum(minutes), 0), COALESCE(max(day), '')"
                     " FROM mentoring_sessions WHERE pairing_id = ?1",
                     STORE_ARGS(store_int(pairing_id)), map_stats, &m);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

/* ---- leaving the programme ---------------------------------------------------- */

int store_mentoring_optout_get(struct store *st, int64_t person_id, int64_t *since)
{
    return store_q_int64(st, "SELECT since FROM mentoring_optouts WHERE person_id = ?1",
                         STORE_ARGS(store_int(person_id)), since);
}

int store_mentoring_optout_set(struct store *st, int64_t person_id, const char *reason, int64_t now)
{
    return store_q_exec(
        st,
        "INSERT INTO mentoring_optouts(person_id, since, reason) VALUES(?1, ?2, ?3)"
        " ON CONFLICT(person_id) DO UPDATE SET reason = ?3",
        STORE_ARGS(store_int(person_id), store_int(now), store_text(reason ? reason : "")), NULL);
}

int store_mentoring_optout_clear(struct store *st, int64_t person_id)
{
    return store_q_exec(st, "DELETE FROM mentoring_optouts WHERE person_id = ?1",
                        STORE_ARGS(store_int(person_id)), NULL);
}

int store_mentoring_optouts(struct store *st, struct store_optout **out, int *n)
{
    return rows(st,
                "SELECT person_id, since, reason FROM mentoring_optouts ORDER BY since, person_id",
                STORE_NOARGS, store_map_optout, sizeof(**out), (void **)out, n);
}

/* ---- questions about a pairing ------------------------------------------------ */

#define PCHECK_COLS                                                                                \
    "c.pairing_id, c.person_id, c.kind, c.asks, c.asked_at, c.next_at, c.answered_at, c.answer,"   \
    " c.rating, c.word"

int store_pcheck_new_due(struct store *st, const char *kind, int64_t before, int limit,
                         struct store_pcheck **out, int *n)
{
    int met = strcmp(kind, "met") == 0;
    if (!met && strcmp(kind, "rate") != 0)
        return BB_EINVAL;
    return rows(
        st,
        "SELECT x.pid, x.who, ?2, 0, 0, 0, 0, '', 0, '' FROM (SELECT p.id AS pid,"
        " p.mentee_id AS who FROM pairings p WHERE p.status = 'active' AND p.started_at <= ?1"
        " UNION ALL SELECT p.id, p.mentor_id FROM pairings p WHERE p.status = 'active'"
        " AND p.started_at <= ?1) x WHERE NOT EXISTS (SELECT 1 FROM pairing_checks c"
        " WHERE c.pairing_id = x.pid AND c.person_id = x.who AND c.kind = ?2)"
        " AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM mentoring_sessions s"
        " WHERE s.pairing_id = x.pid)) ORDER BY x.pid, x.who LIMIT ?4",
        STORE_ARGS(store_int(before), store_text(kind), store_int(met), store_int(limit)),
        store_map_pcheck, sizeof(**out), (void **)out, n);
}

int store_pcheck_again_due(struct store *st, const char *kind, int64_t now, int limit,
                           struct store_pcheck **out, int *n)
{
    return rows(st,
                "SELECT " PCHECK_COLS
                " FROM pairing_checks c JOIN pairings p ON p.id = c.pairing_id"
                " WHERE c.kind = ?1 AND c.next_at > 0 AND c.next_at <= ?2 AND p.status = 'active'"
                " AND NOT EXISTS (SELECT 1 FROM mentoring_sessions s WHERE s.pairing_id = p.id)"
                " ORDER BY c.next_at, c.pairing_id LIMIT ?3",
                STORE_ARGS(store_text(kind), store_int(now), store_int(limit)), store_map_pcheck,
                sizeof(**out), (void **)out, n);
}

int store_pcheck_ask(struct store *st, int64_t pairing_id, int64_t person_id, const char *kind,
                     int64_t now)
{
    return store_q_exec(
        st,
        "INSERT INTO pairing_checks(pairing_id, person_id, kind, asks, asked_at)"
        " VALUES(?1, ?2, ?3, 1, ?4) ON CONFLICT(pairing_id, person_id, kind)"
        " DO UPDATE SET asks = asks + 1, asked_at = ?4, next_at = 0,"
        " answered_at = 0",
        STORE_ARGS(store_int(pairing_id), store_int(person_id), store_text(kind), store_int(now)),
        NULL);
}

int store_pcheck_pending(struct store *st, int64_t person_id, const char *kind,
                         struct store_pcheck *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT " PCHECK_COLS " FROM pairing_checks c JOIN pairings p"
                       " ON p.id = c.pairing_id WHERE c.person_id = ?1 AND c.kind = ?2"
                       " AND c.answered_at = 0 AND p.status = 'active'"
                       " ORDER BY c.asked_at, c.pairing_id LIMIT 1",
                       STORE_ARGS(store_int(person_id), store_text(kind)), store_map_pcheck, out);
}

int store_pcheck_answer(struct store *st, int64_t pairing_id, int64_t person_id, const char *kind,
                        const char *answer, int rating, const char *word, int64_t next_at,
                        int64_t now)
{
    if (rating < 0 || rating > 5)
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE pairing_checks SET answer = ?4, rating = ?5, word = ?6,"
                          " next_at = ?7, answered_at = ?8 WHERE pairing_id = ?1"
                          " AND person_id = ?2 AND kind = ?3",
                          STORE_ARGS(store_int(pairing_id), store_int(person_id), store_text(kind),
                                     store_text(answer ? answer : ""), store_int(rating),
                                     store_text(word ? word : ""), store_int(next_at),
                                     store_int(now)));
}

int store_pcheck_ratings(struct store *st, int64_t *count, int64_t by[5])
{
    int rc = BB_OK;
    *count = 0;
    for (int r = 1; r <= 5 && rc == BB_OK; r++) {
        rc = store_q_int64(st,
                           "SELECT count(*) FROM pairing_checks WHERE kind = 'rate'"
                           " AND answered_at > 0 AND rating = ?1",
                           STORE_ARGS(store_int(r)), &by[r - 1]);
        if (rc == BB_OK)
            *count += by[r - 1];
    }
    return rc;
}

/* ---- a first message through the bot --------------------------------------------- */

int store_relay_count(struct store *st, int64_t pairing_id, int64_t from_id, int64_t *n)
{
    return store_q_int64(st,
                         "SELECT count(*) FROM mentoring_relays WHERE pairing_id = ?1"
                         " AND from_id = ?2",
                         STORE_ARGS(store_int(pairing_id), store_int(from_id)), n);
}

int store_relay_add(struct store *st, int64_t pairing_id, int64_t from_id, int64_t to_id,
                    int64_t now)
{
    return store_q_exec(
        st,
        "INSERT INTO mentoring_relays(pairing_id, from_id, to_id, sent_at)"
        " VALUES(?1, ?2, ?3, ?4)",
        STORE_ARGS(store_int(pairing_id), store_int(from_id), store_int(to_id), store_int(now)),
        NULL);
}

int store_relay_open_to(struct store *st, int64_t to_id, int64_t *id, int64_t *from_id)
{
    int64_t *const cols[] = {id, from_id};
    return store_q_ints(st,
                        "SELECT r.id, r.from_id FROM mentoring_relays r JOIN pairings p"
                        " ON p.id = r.pairing_id WHERE r.to_id = ?1 AND r.answered_at = 0"
                        " AND p.status = 'active' ORDER BY r.id LIMIT 1",
                        STORE_ARGS(store_int(to_id)), cols, 2);
}

int store_relay_answered(struct store *st, int64_t id, int64_t now)
{
    return store_q_change(st,
                          "UPDATE mentoring_relays SET answered_at = ?2 WHERE id = ?1"
                          " AND answered_at = 0",
                          STORE_ARGS(store_int(id), store_int(now)));
}

/* ---- programme figures and the mentor list ---------------------------------------- */

static int map_mfig(sqlite3_stmt *s, void *dst)
{
    struct store_mfig *f = dst;
    store_col_copy(s, 0, f->unit, sizeof(f->unit));
    f->mentees = sqlite3_column_int64(s, 1);
    f->pairs = sqlite3_column_int64(s, 2);
    f->active = sqlite3_column_int64(s, 3);
    f->sessions = sqlite3_column_int64(s, 4);
    f->minutes = sqlite3_column_int64(s, 5);
    f->ratings = sqlite3_column_int64(s, 6);
    f->rating_sum = sqlite3_column_int64(s, 7);
    return BB_OK;
}

int store_mentoring_figures(struct store *st, struct store_mfig **out, int *n)
{
    return rows(st,
                "SELECT u.unit, count(DISTINCT x.mentee_id), count(*),"
                " coalesce(sum(x.status = 'active'), 0),"
                " (SELECT count(*) FROM mentoring_sessions s JOIN people q ON q.id = s.mentee_id"
                " WHERE q.unit = u.unit),"
                " (SELECT coalesce(sum(s.minutes), 0) FROM mentoring_sessions s JOIN people q"
                " ON q.id = s.mentee_id WHERE q.unit = u.unit),"
                " (SELECT count(*) FROM pairing_checks c JOIN pairings y ON y.id = c.pairing_id"
                " JOIN people q ON q.id = y.mentee_id WHERE q.unit = u.unit AND c.kind = 'rate'"
                " AND c.answered_at > 0 AND c.rating BETWEEN 1 AND 5),"
                " (SELECT coalesce(sum(c.rating), 0) FROM pairing_checks c JOIN pairings y"
                " ON y.id = c.pairing_id JOIN people q ON q.id = y.mentee_id WHERE q.unit = u.unit"
                " AND c.kind = 'rate' AND c.answered_at > 0 AND c.rating BETWEEN 1 AND 5)"
                " FROM pairings x JOIN people u ON u.id = x.mentee_id GROUP BY u.unit"
                " ORDER BY u.unit",
                STORE_NOARGS, map_mfig, sizeof(**out), (void **)out, n);
}

static int map_mentor_row(sqlite3_stmt *s, void *dst)
{
    struct store_mentor_row *m = dst;
    int rc = store_map_person(s, &m->p);
    int c = sqlite3_column_count(s);
    m->capacity = sqlite3_column_int(s, c - 3);
    store_col_copy(s, c - 2, m->status, sizeof(m->status));
    m->active = sqlite3_column_int(s, c - 1);
    return rc;
}

int store_mentor_rows(struct store *st, int default_capacity, struct store_mentor_row **out, int *n)
{
    return rows(st,
                "SELECT " STORE_PERSON_COLS ", coalesce((SELECT m.capacity FROM mentor_profiles m"
                " WHERE m.person_id = people.id), ?1), coalesce((SELECT m.status FROM"
                " mentor_profiles m WHERE m.person_id = people.id), 'active'),"
                " (SELECT count(*) FROM pairings x WHERE x.mentor_id = people.id"
                " AND x.status = 'active') FROM people WHERE role = 'mentor' ORDER BY name, id",
                STORE_ARGS(store_int(default_capacity)), map_mentor_row, sizeof(**out),
                (void **)out, n);
}
