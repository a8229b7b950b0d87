/*
 * store_survey.c - surveys and broadcasts in the store (see store_survey.h):
 * the tables of migration 9, the bulk outbox insert of a broadcast, and the
 * scrubbing of a survey's conversation traces. Same thread rules as store.h.
 */
#include "store/store_survey.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* The segment condition over people p; ?1 = kind, ?2 = value. */
#define SEG_WHERE "(?1 = 0 OR (?1 = 1 AND p.unit = ?2) OR (?1 = 2 AND p.role = ?2))"
#define REACHABLE "EXISTS (SELECT 1 FROM identities d WHERE d.person_id = p.id)"

/* How long after an answer its traces are scrubbed: the last replies of
 * the conversation must have been sent by then (queued rows are left). */
#define SCRUB_DELAY 600
/* Inbox times come from the platforms; allow for their clocks. */
#define SCRUB_SLACK_BEFORE 3600
#define SCRUB_SLACK_AFTER  300

static int seg_ok(int kind, const char *value)
{
    if (kind == STORE_SEG_ALL)
        return 1;
    return (kind == STORE_SEG_UNIT || kind == STORE_SEG_ROLE) && value && value[0];
}

static void bind_seg(sqlite3_stmt *s, int kind, const char *value)
{
    sqlite3_bind_int(s, 1, kind);
    store_bind_text(s, 2, value ? value : "");
}

/* Step a statement that writes; store_done it. */
static int step_done(struct store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? BB_OK : store_sqlerr(st, rc);
}

/* Collect int64 column 0 of every row into a malloc'd array. */
static int collect_ids(struct store *st, sqlite3_stmt *s, int64_t **ids, int *n)
{
    int64_t *v = NULL;
    int cnt = 0, cap = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            int nc = cap ? cap * 2 : 16;
            int64_t *nv = realloc(v, (size_t)nc * sizeof(*v));
            if (!nv) {
                free(v);
                store_done(s);
                return BB_ENOMEM;
            }
            v = nv;
            cap = nc;
        }
        v[cnt++] = sqlite3_column_int64(s, 0);
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlerr(st, rc);
    }
    *ids = v;
    *n = cnt;
    return BB_OK;
}

int store_segment_count(struct store *st, int kind, const char *value, int64_t *total,
                        int64_t *reachable)
{
    sqlite3_stmt *s;
    int rc;
    if (!seg_ok(kind, value))
        return BB_EINVAL;
    rc = store_stmt(
        st, "SELECT count(*), coalesce(sum(" REACHABLE "), 0) FROM people p WHERE " SEG_WHERE, &s);
    if (rc != BB_OK)
        return rc;
    bind_seg(s, kind, value);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (total)
            *total = sqlite3_column_int64(s, 0);
        if (reachable)
            *reachable = sqlite3_column_int64(s, 1);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

/* ---- broadcasts ---------------------------------------------------------- */

int store_broadcast_add(struct store *st, int kind, const char *value, const char *segment,
                        const char *text_id, const char *text_en, const char *body_id,
                        const char *body_en, int64_t due, int64_t now, const char *actor,
                        int64_t *id_out, int64_t *recipients)
{
    sqlite3_stmt *s;
    int64_t id = 0, n = 0;
    int rc;
    if (!seg_ok(kind, value) || !segment || !text_id || !text_en || !body_id || !body_en || !actor)
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "INSERT INTO broadcasts(segment, text_id, text_en, due, created_at, actor)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                    &s);
    if (rc == BB_OK) {
        store_bind_text(s, 1, segment);
        store_bind_text(s, 2, text_id);
        store_bind_text(s, 3, text_en);
        sqlite3_bind_int64(s, 4, due);
        sqlite3_bind_int64(s, 5, now);
        store_bind_text(s, 6, actor);
        rc = step_done(st, s);
        id = sqlite3_last_insert_rowid(st->db);
    }
    if (rc == BB_OK)
        rc = store_stmt(
            st,
            "INSERT INTO outbox(person_id, channel, ext_user, priority, body, state, attempts,"
            " due, created_at, updated_at, batch_id)"
            " SELECT p.id, d.channel, d.ext_id, 1, CASE WHEN p.lang = 'en' THEN ?4 ELSE ?3 END,"
            " 0, 0, ?5, ?6, ?6, ?7 FROM people p JOIN identities d ON d.id ="
            " (SELECT x.id FROM identities x WHERE x.person_id = p.id"
            " ORDER BY x.last_seen DESC, x.id DESC LIMIT 1) WHERE " SEG_WHERE,
            &s);
    if (rc == BB_OK) {
        bind_seg(s, kind, value);
        store_bind_text(s, 3, body_id);
        store_bind_text(s, 4, body_en);
        sqlite3_bind_int64(s, 5, due);
        sqlite3_bind_int64(s, 6, now);
        sqlite3_bind_int64(s, 7, id);
        rc = step_done(st, s);
        n = sqlite3_changes(st->db);
    }
    if (rc == BB_OK)
        rc = store_stmt(st, "UPDATE broadcasts SET recipients = ?2 WHERE id = ?1", &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, n);
        rc = step_done(st, s);
    }
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    if (rc == BB_OK) {
        if (id_out)
            *id_out = id;
        if (recipients)
            *recipients = n;
    }
    return rc;
}

int store_batch_status(struct store *st, int64_t batch_id, int64_t counts[7])
{
    sqlite3_stmt *s;
    int rc;
    memset(counts, 0, 7 * sizeof(counts[0]));
    rc = store_stmt(st,
                    "SELECT state, count(*) FROM outbox WHERE batch_id = ?1 AND batch_id <> 0"
                    " GROUP BY state",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, batch_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int state = sqlite3_column_int(s, 0);
        if (state >= 0 && state < 7)
            counts[state] = sqlite3_column_int64(s, 1);
    }
    store_done(s);
    return rc == SQLITE_DONE ? BB_OK : store_sqlerr(st, rc);
}

int store_broadcast_get(struct store *st, int64_t id, struct store_broadcast *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT id, segment, due, recipients, created_at, actor FROM broadcasts"
                        " WHERE id = ?1",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = sqlite3_column_int64(s, 0);
        store_col_copy(s, 1, out->segment, sizeof(out->segment));
        out->due = sqlite3_column_int64(s, 2);
        out->recipients = sqlite3_column_int64(s, 3);
        out->created_at = sqlite3_column_int64(s, 4);
        store_col_copy(s, 5, out->actor, sizeof(out->actor));
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

/* Uncached (this file's 32 statement slots are taken): the dashboard asks
 * for the list now and then, never in a loop. */
int store_broadcast_list(struct store *st, int limit, struct store_broadcast **out, int *n)
{
    sqlite3_stmt *s = NULL;
    struct store_broadcast *v = NULL;
    int cnt = 0, rc;
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return BB_EINVAL;
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT id, segment, due, recipients, created_at, actor,"
                            " substr(text_id, 1, 100) FROM broadcasts ORDER BY id DESC LIMIT ?1",
                            -1, &s, NULL);
    if (rc != SQLITE_OK) {
        rc = store_sqlerr(st, rc);
        goto out;
    }
    sqlite3_bind_int(s, 1, limit);
    if (!(v = calloc((size_t)limit, sizeof(*v)))) {
        rc = BB_ENOMEM;
        goto out;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && cnt < limit) {
        struct store_broadcast *b = &v[cnt++];
        b->id = sqlite3_column_int64(s, 0);
        store_col_copy(s, 1, b->segment, sizeof(b->segment));
        b->due = sqlite3_column_int64(s, 2);
        b->recipients = sqlite3_column_int64(s, 3);
        b->created_at = sqlite3_column_int64(s, 4);
        store_col_copy(s, 5, b->actor, sizeof(b->actor));
        store_col_copy(s, 6, b->preview, sizeof(b->preview));
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = store_sqlerr(st, rc);
        goto out;
    }
    *out = v;
    *n = cnt;
    v = NULL;
    rc = BB_OK;
out:
    free(v);
    sqlite3_finalize(s);
    return rc;
}

/* ---- waves --------------------------------------------------------------- */

#define WAVE_COLS                                                                                  \
    "id, flow_id, segment, start_at, close_at, remind_at, reminded, closed, invited, created_at,"  \
    " actor"

static void read_wave(sqlite3_stmt *s, struct store_wave *w)
{
    memset(w, 0, sizeof(*w));
    w->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, w->flow_id, sizeof(w->flow_id));
    store_col_copy(s, 2, w->segment, sizeof(w->segment));
    w->start_at = sqlite3_column_int64(s, 3);
    w->close_at = sqlite3_column_int64(s, 4);
    w->remind_at = sqlite3_column_int64(s, 5);
    w->reminded = sqlite3_column_int(s, 6);
    w->closed = sqlite3_column_int(s, 7);
    w->invited = sqlite3_column_int64(s, 8);
    w->created_at = sqlite3_column_int64(s, 9);
    store_col_copy(s, 10, w->actor, sizeof(w->actor));
}

int store_wave_add(struct store *st, struct store_wave *w, int kind, const char *value, int pace)
{
    sqlite3_stmt *s;
    int64_t id = 0, n = 0;
    int rc;
    if (!w || !w->flow_id[0] || !seg_ok(kind, value) || pace < 1 || w->close_at <= w->start_at)
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "INSERT INTO survey_waves(flow_id, segment, start_at, close_at, remind_at,"
                    " created_at, actor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    &s);
    if (rc == BB_OK) {
        store_bind_text(s, 1, w->flow_id);
        store_bind_text(s, 2, w->segment);
        sqlite3_bind_int64(s, 3, w->start_at);
        sqlite3_bind_int64(s, 4, w->close_at);
        sqlite3_bind_int64(s, 5, w->remind_at);
        sqlite3_bind_int64(s, 6, w->created_at);
        store_bind_text(s, 7, w->actor);
        rc = step_done(st, s);
        id = sqlite3_last_insert_rowid(st->db);
    }
    if (rc == BB_OK)
        rc = store_stmt(st,
                        "INSERT INTO survey_invitations(wave_id, person_id, unit)"
                        " SELECT ?3, p.id, p.unit FROM people p WHERE " SEG_WHERE " AND " REACHABLE,
                        &s);
    if (rc == BB_OK) {
        bind_seg(s, kind, value);
        sqlite3_bind_int64(s, 3, id);
        rc = step_done(st, s);
        n = sqlite3_changes(st->db);
    }
    if (rc == BB_OK)
        rc = store_stmt(st,
                        "INSERT INTO timers(person_id, kind, payload, due)"
                        " SELECT person_id, 'flow', ?2,"
                        " ?3 + (ROW_NUMBER() OVER (ORDER BY person_id) - 1) / ?4"
                        " FROM survey_invitations WHERE wave_id = ?1",
                        &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, id);
        store_bind_text(s, 2, w->flow_id);
        sqlite3_bind_int64(s, 3, w->start_at);
        sqlite3_bind_int(s, 4, pace);
        rc = step_done(st, s);
    }
    if (rc == BB_OK)
        rc = store_stmt(st, "UPDATE survey_waves SET invited = ?2 WHERE id = ?1", &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, n);
        rc = step_done(st, s);
    }
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    if (rc == BB_OK) {
        w->id = id;
        w->invited = n;
    }
    return rc;
}

int store_wave_get(struct store *st, int64_t id, struct store_wave *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "SELECT " WAVE_COLS " FROM survey_waves WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_wave(s, out);
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_wave_list(struct store *st, const char *flow_id, struct store_wave **out, int *n)
{
    sqlite3_stmt *s;
    struct store_wave *v = NULL;
    int cnt = 0, cap = 0;
    int rc = store_stmt(st,
                        "SELECT " WAVE_COLS " FROM survey_waves WHERE ?1 IS NULL OR flow_id = ?1"
                        " ORDER BY id",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, flow_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            int nc = cap ? cap * 2 : 8;
            struct store_wave *nv = realloc(v, (size_t)nc * sizeof(*v));
            if (!nv) {
                free(v);
                store_done(s);
                return BB_ENOMEM;
            }
            v = nv;
            cap = nc;
        }
        read_wave(s, &v[cnt++]);
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlerr(st, rc);
    }
    *out = v;
    *n = cnt;
    return BB_OK;
}

int store_wave_due_remind(struct store *st, int64_t now, int64_t **ids, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT id FROM survey_waves WHERE closed = 0 AND reminded = 0"
                        " AND remind_at > 0 AND remind_at <= ?1 AND close_at > ?1 ORDER BY id",
                        &s);
    *ids = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    return collect_ids(st, s, ids, n);
}

int store_wave_due_close(struct store *st, int64_t now, int64_t **ids, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st, "SELECT id FROM survey_waves WHERE closed = 0 AND close_at <= ?1 ORDER BY id", &s);
    *ids = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    return collect_ids(st, s, ids, n);
}

int store_wave_set_reminded(struct store *st, int64_t wave_id)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "UPDATE survey_waves SET reminded = 1 WHERE id = ?1", &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, wave_id);
    return step_done(st, s);
}

int store_wave_unanswered(struct store *st, int64_t wave_id, struct store_invitee **out, int *n)
{
    sqlite3_stmt *s;
    struct store_invitee *v = NULL;
    int cnt = 0, cap = 0;
    int rc = store_stmt(
        st,
        "SELECT i.person_id,"
        " EXISTS (SELECT 1 FROM sessions x WHERE x.person_id = i.person_id"
        " AND x.flow_id = w.flow_id),"
        " EXISTS (SELECT 1 FROM timers t WHERE t.person_id = i.person_id AND t.kind = 'flow'"
        " AND t.payload = w.flow_id)"
        " FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id"
        " WHERE i.wave_id = ?1 AND i.answered = 0 ORDER BY i.person_id",
        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, wave_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            int nc = cap ? cap * 2 : 16;
            struct store_invitee *nv = realloc(v, (size_t)nc * sizeof(*v));
            if (!nv) {
                free(v);
                store_done(s);
                return BB_ENOMEM;
            }
            v = nv;
            cap = nc;
        }
        v[cnt].person_id = sqlite3_column_int64(s, 0);
        v[cnt].in_flow = sqlite3_column_int(s, 1);
        v[cnt].has_timer = sqlite3_column_int(s, 2);
        cnt++;
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlerr(st, rc);
    }
    *out = v;
    *n = cnt;
    return BB_OK;
}

/* Blank one person's conversation traces between from and to. */
static int scrub_person(struct store *st, int64_t person_id, int64_t from, int64_t to)
{
    sqlite3_stmt *s;
    int rc = store_stmt(
        st,
        "UPDATE inbox SET text = NULL, payload = '' WHERE kind IN (1, 2)"
        " AND processed_at IS NOT NULL AND ts BETWEEN ?2 AND ?3 AND id IN"
        " (SELECT id FROM inbox WHERE person_id = ?1 UNION SELECT i.id FROM identities d"
        " JOIN inbox i ON i.channel = d.channel AND i.ext_user = d.ext_id WHERE d.person_id = ?1)",
        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, from - SCRUB_SLACK_BEFORE);
    sqlite3_bind_int64(s, 3, to + SCRUB_SLACK_AFTER);
    if ((rc = step_done(st, s)) != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "UPDATE outbox SET body = json_set(body, '$.text', '') WHERE person_id = ?1"
                    " AND state >= 2 AND created_at BETWEEN ?2 AND ?3 AND json_valid(body)"
                    " AND json_type(body, '$.answered') IS NOT NULL"
                    " AND json_type(body, '$.text') IS NOT NULL",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, from - SCRUB_SLACK_BEFORE);
    sqlite3_bind_int64(s, 3, to + SCRUB_SLACK_AFTER);
    if ((rc = step_done(st, s)) != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "UPDATE sessions SET state = json_set(state, '$.vars', json('{}'))"
                    " WHERE person_id = ?1 AND flow_id = '' AND json_valid(state)",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    return step_done(st, s);
}

int store_wave_finish(struct store *st, int64_t wave_id, int64_t now)
{
    sqlite3_stmt *s;
    struct store_wave w;
    int64_t *people = NULL;
    int np = 0, rc;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_wave_get(st, wave_id, &w);
    if (rc == BB_OK && w.closed)
        rc = BB_ESTATE;
    if (rc == BB_OK)
        rc = store_stmt(
            st,
            "DELETE FROM timers WHERE kind = 'flow' AND payload = ?2 AND person_id IN"
            " (SELECT person_id FROM survey_invitations WHERE wave_id = ?1 AND answered = 0)"
            " AND person_id NOT IN (SELECT i.person_id FROM survey_invitations i"
            " JOIN survey_waves v ON v.id = i.wave_id WHERE v.flow_id = ?2 AND v.closed = 0"
            " AND v.id <> ?1 AND i.answered = 0)",
            &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        store_bind_text(s, 2, w.flow_id);
        rc = step_done(st, s);
    }
    if (rc == BB_OK)
        rc = store_stmt(st,
                        "SELECT person_id FROM survey_invitations WHERE wave_id = ?1"
                        " AND scrubbed = 0",
                        &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        rc = collect_ids(st, s, &people, &np);
    }
    for (int i = 0; rc == BB_OK && i < np; i++)
        rc = scrub_person(st, people[i], w.start_at, now);
    if (rc == BB_OK)
        rc = store_stmt(st,
                        "INSERT INTO survey_wave_units(wave_id, unit, invited, answered)"
                        " SELECT wave_id, unit, count(*), sum(answered) FROM survey_invitations"
                        " WHERE wave_id = ?1 GROUP BY unit",
                        &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        rc = step_done(st, s);
    }
    if (rc == BB_OK)
        rc = store_stmt(st, "DELETE FROM survey_invitations WHERE wave_id = ?1", &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        rc = step_done(st, s);
    }
    if (rc == BB_OK)
        rc = store_stmt(st, "UPDATE survey_waves SET closed = 1 WHERE id = ?1", &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        rc = step_done(st, s);
    }
    free(people);
    return store_tx_end(st, rc);
}

/* ---- answers ------------------------------------------------------------- */

int store_survey_open_invitation(struct store *st, int64_t person_id, const char *flow_id, int k,
                                 int64_t *wave_id, char *unit, size_t n)
{
    sqlite3_stmt *s;
    int rc;
    if (!flow_id || !wave_id || !unit || n == 0)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "SELECT i.wave_id, i.unit, (SELECT count(*) FROM survey_invitations j"
                    " WHERE j.wave_id = i.wave_id AND j.unit = i.unit)"
                    " FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id"
                    " WHERE i.person_id = ?1 AND i.answered = 0 AND w.flow_id = ?2"
                    " AND w.closed = 0 ORDER BY i.wave_id LIMIT 1",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text(s, 2, flow_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *wave_id = sqlite3_column_int64(s, 0);
        /* A unit with fewer than k invitees would single people out. */
        if (sqlite3_column_int64(s, 2) >= k)
            store_col_copy(s, 1, unit, n);
        else
            unit[0] = '\0';
        rc = BB_OK;
    } else {
        rc = rc == SQLITE_DONE ? BB_ENOTFOUND : store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_survey_answer(struct store *st, int64_t wave_id, int64_t person_id, const char *unit,
                        const struct store_answer *a, int na, int64_t now)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];
    char response[33];
    sqlite3_stmt *s;
    int rc;
    if (!unit || (na > 0 && !a) || na < 0)
        return BB_EINVAL;
    if (bb_random(rnd, sizeof(rnd)) != BB_OK)
        return BB_EIO;
    for (size_t i = 0; i < sizeof(rnd); i++) {
        response[2 * i] = hex[rnd[i] >> 4];
        response[2 * i + 1] = hex[rnd[i] & 15];
    }
    response[32] = '\0';
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_stmt(st,
                    "UPDATE survey_invitations SET answered = 1, answered_at = ?3"
                    " WHERE wave_id = ?1 AND person_id = ?2 AND answered = 0",
                    &s);
    if (rc == BB_OK) {
        sqlite3_bind_int64(s, 1, wave_id);
        sqlite3_bind_int64(s, 2, person_id);
        sqlite3_bind_int64(s, 3, now);
        rc = step_done(st, s);
        if (rc == BB_OK && sqlite3_changes(st->db) == 0)
            rc = BB_EEXIST;
    }
    for (int i = 0; rc == BB_OK && i < na; i++) {
        rc = store_stmt(st,
                        "INSERT INTO survey_answers(response, wave_id, unit, question, num, txt)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        &s);
        if (rc != BB_OK)
            break;
        store_bind_text(s, 1, response);
        sqlite3_bind_int64(s, 2, wave_id);
        store_bind_text(s, 3, unit);
        store_bind_text(s, 4, a[i].question);
        if (a[i].has_num) {
            sqlite3_bind_double(s, 5, a[i].num);
            sqlite3_bind_null(s, 6);
        } else {
            sqlite3_bind_null(s, 5);
            store_bind_text(s, 6, a[i].txt ? a[i].txt : "");
        }
        rc = step_done(st, s);
    }
    return store_tx_end(st, rc);
}

int store_survey_person_open(struct store *st, int64_t person_id, char *out, size_t n)
{
    sqlite3_stmt *s;
    struct bb_buf b;
    int rc;
    if (!out || n == 0)
        return BB_EINVAL;
    out[0] = '\0';
    rc = store_stmt(st,
                    "SELECT DISTINCT w.flow_id FROM survey_invitations i"
                    " JOIN survey_waves w ON w.id = i.wave_id"
                    " WHERE i.person_id = ?1 AND i.answered = 0 AND w.closed = 0 ORDER BY 1",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    bb_buf_init(&b, n - 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        if (t && bb_buf_printf(&b, "%s%s ", b.len ? "" : " ", (const char *)t) != BB_OK)
            break; /* more open surveys than fit: the first ones are enough */
    }
    store_done(s);
    if (b.data)
        bb_strlcpy(out, b.data, n);
    bb_buf_free(&b);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? BB_OK : store_sqlerr(st, rc);
}

int store_survey_scrub(struct store *st, int64_t now, int *n)
{
    sqlite3_stmt *s;
    struct item {
        int64_t wave, person, from, to;
    } *v = NULL;
    int cnt = 0, rc;
    if (n)
        *n = 0;
    rc = store_stmt(st,
                    "SELECT i.wave_id, i.person_id, w.start_at, i.answered_at"
                    " FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id"
                    " WHERE i.answered = 1 AND i.scrubbed = 0 AND i.answered_at <= ?1 LIMIT 500",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now - SCRUB_DELAY);
    v = calloc(500, sizeof(*v));
    if (!v) {
        store_done(s);
        return BB_ENOMEM;
    }
    while (cnt < 500 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        v[cnt].wave = sqlite3_column_int64(s, 0);
        v[cnt].person = sqlite3_column_int64(s, 1);
        v[cnt].from = sqlite3_column_int64(s, 2);
        v[cnt].to = sqlite3_column_int64(s, 3);
        cnt++;
    }
    store_done(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        free(v);
        return store_sqlerr(st, rc);
    }
    if (cnt == 0) {
        free(v);
        return BB_OK;
    }
    if ((rc = store_begin(st)) != BB_OK) {
        free(v);
        return rc;
    }
    for (int i = 0; rc == BB_OK && i < cnt; i++) {
        rc = scrub_person(st, v[i].person, v[i].from, v[i].to);
        if (rc == BB_OK)
            rc = store_stmt(st,
                            "UPDATE survey_invitations SET scrubbed = 1"
                            " WHERE wave_id = ?1 AND person_id = ?2",
                            &s);
        if (rc == BB_OK) {
            sqlite3_bind_int64(s, 1, v[i].wave);
            sqlite3_bind_int64(s, 2, v[i].person);
            rc = step_done(st, s);
        }
    }
    free(v);
    rc = store_tx_end(st, rc);
    if (rc == BB_OK && n)
        *n = cnt;
    return rc;
}

/* ---- reports --------------------------------------------------------------- */

int store_wave_units(struct store *st, int64_t wave_id, struct store_unit_count **out, int *n)
{
    sqlite3_stmt *s;
    struct store_unit_count *v = NULL;
    int cnt = 0, cap = 0;
    int rc = store_stmt(st,
                        "SELECT unit, invited, answered FROM survey_wave_units WHERE wave_id = ?1"
                        " UNION ALL SELECT unit, count(*), sum(answered) FROM survey_invitations"
                        " WHERE wave_id = ?1 GROUP BY unit ORDER BY 1",
                        &s);
    *out = NULL;
    *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, wave_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            int nc = cap ? cap * 2 : 16;
            struct store_unit_count *nv = realloc(v, (size_t)nc * sizeof(*v));
            if (!nv) {
                free(v);
                store_done(s);
                return BB_ENOMEM;
            }
            v = nv;
            cap = nc;
        }
        store_col_copy(s, 0, v[cnt].unit, sizeof(v[cnt].unit));
        v[cnt].invited = sqlite3_column_int64(s, 1);
        v[cnt].answered = sqlite3_column_int64(s, 2);
        cnt++;
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store_sqlerr(st, rc);
    }
    *out = v;
    *n = cnt;
    return BB_OK;
}

int store_wave_answers(struct store *st, int64_t wave_id,
                       int (*fn)(void *ctx, const struct store_answer_row *r), void *ctx)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT response, unit, question, num, txt FROM survey_answers"
                        " WHERE wave_id = ?1 ORDER BY response, question",
                        &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, wave_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_answer_row r;
        r.response = (const char *)sqlite3_column_text(s, 0);
        r.unit = (const char *)sqlite3_column_text(s, 1);
        r.question = (const char *)sqlite3_column_text(s, 2);
        r.has_num = sqlite3_column_type(s, 3) != SQLITE_NULL;
        r.num = sqlite3_column_double(s, 3);
        r.txt = r.has_num ? NULL : (const char *)sqlite3_column_text(s, 4);
        if (!r.response || !r.question)
            continue;
        if (!r.unit)
            r.unit = "";
        int frc = fn(ctx, &r);
        if (frc != BB_OK) {
            store_done(s);
            return frc;
        }
    }
    store_done(s);
    return rc == SQLITE_DONE ? BB_OK : store_sqlerr(st, rc);
}
